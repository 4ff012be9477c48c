"""What changed is said by the core: every service that writes the books states what it
changes, and a use case run through run_op hands its result back with those changes."""

from __future__ import annotations

import ast
import importlib
import inspect
import pkgutil

import pytest

import desktop_app.services as services
from desktop_app.domain.errors import ValidationError
from desktop_app.services import customers, invoices, payments
from desktop_app.services.changes import OpChanges, run_op, stated_by
from tests.support.books import ISSUE, draft


def _writers() -> list[tuple[str, str, object]]:
    """Public functions of the services that open a write transaction themselves."""
    found = []
    for info in pkgutil.iter_modules(services.__path__):
        module = importlib.import_module(f"desktop_app.services.{info.name}")
        source = inspect.getsource(module)
        for node in ast.parse(source).body:
            if isinstance(node, ast.FunctionDef) and not node.name.startswith("_"):
                body = ast.get_source_segment(source, node) or ""
                if "db.write(" in body:
                    found.append((info.name, node.name, getattr(module, node.name)))
    return found


def test_every_service_that_writes_the_books_states_what_it_changes():
    writers = _writers()
    assert len(writers) > 40  # the scan sees the services
    silent = [f"{module}.{name}" for module, name, fn in writers if stated_by(fn) is None]
    assert silent == []


def test_a_use_case_returns_its_result_with_the_changes_its_services_stated(ready):
    inv = draft(ready, "Consulting|1|100.00|19")
    done = run_op(lambda: invoices.issue_invoice(ready, inv, ISSUE))
    assert done.result.number == "INV-2026-0001"
    assert done.changes == OpChanges.INVOICES | OpChanges.CUSTOMERS

    def pay_and_add() -> int:  # two services in one operation: both say what they changed
        payments.record_payment(ready, payments.PaymentInput(inv, "10.00", ISSUE))
        return customers.add_customer(ready, credit_granted=True, name="Acme").id

    both = run_op(pay_and_add)
    assert both.changes == OpChanges.INVOICES | OpChanges.PAYMENTS | OpChanges.CUSTOMERS
    assert run_op(lambda: invoices.show_invoice(ready, inv)).changes == OpChanges.NONE


def test_a_refused_use_case_states_nothing_and_leaves_no_trace(ready):
    with pytest.raises(ValidationError):
        run_op(lambda: customers.add_customer(ready, name=" "))
    assert run_op(lambda: None).changes == OpChanges.NONE
    # outside run_op (the command line, a test) a service is its plain self
    assert customers.add_customer(ready, credit_granted=True, name="Acme").name == "Acme"

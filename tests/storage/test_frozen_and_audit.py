"""The database itself refuses to change what was issued, not only the services."""

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import delete, text, update
from sqlalchemy.exc import DBAPIError

from desktop_app.services import invoices
from desktop_app.storage.models import AuditEntry, Installment, Invoice, InvoiceLine
from tests.support.books import draft

ISSUE = date(2026, 11, 2)


@pytest.fixture
def issued(ready):
    inv_id = draft(ready, "Work|2|50|19")
    invoices.issue_invoice(ready, inv_id, ISSUE)
    return ready, inv_id


@pytest.mark.parametrize("statement", [
    lambda i: update(Invoice).where(Invoice.id == i).values(total_minor=1),
    lambda i: update(Invoice).where(Invoice.id == i).values(customer_name="Someone else"),
    lambda i: update(Invoice).where(Invoice.id == i).values(state="draft"),
    lambda i: delete(Invoice).where(Invoice.id == i),
    lambda i: update(InvoiceLine).where(InvoiceLine.invoice_id == i).values(unit_price=Decimal(1)),
    lambda i: delete(InvoiceLine).where(InvoiceLine.invoice_id == i),
    lambda i: update(Installment).where(Installment.invoice_id == i).values(amount_minor=1),
], ids=["total", "customer", "back-to-draft", "delete", "line", "delete-line", "installment"])
def test_issued_invoice_is_frozen_by_the_database(issued, statement):
    books, inv_id = issued
    with pytest.raises(DBAPIError, match="frozen"), books.db.write() as session:
        session.execute(statement(inv_id))
    assert invoices.show_invoice(books, inv_id).total == 119


def test_payments_may_still_change_the_settled_amount(issued):
    books, inv_id = issued
    with books.db.write() as session:
        session.execute(update(Installment).where(Installment.invoice_id == inv_id)
                        .values(paid_minor=10))


def test_adding_a_line_to_an_issued_invoice_is_refused(issued):
    books, inv_id = issued
    with pytest.raises(DBAPIError, match="frozen"), books.db.write() as session:
        session.add(InvoiceLine(invoice_id=inv_id, position=9, description="x",
                                quantity=Decimal(1), unit_price=Decimal(1), net_minor=1,
                                tax_minor=0))


def test_audit_log_is_append_only(issued):
    books, _ = issued
    with books.db.read() as session:
        actions = [a for (a,) in session.execute(text("SELECT action FROM audit_log ORDER BY id"))]
    # Issuing stores the PDF as sent (its own entry) in the same transaction.
    assert actions[-3:] == ["invoice.draft", "document.invoice", "invoice.issue"]
    for stmt in (update(AuditEntry).values(actor="someone"), delete(AuditEntry)):
        with pytest.raises(DBAPIError, match="append-only"), books.db.write() as session:
            session.execute(stmt)

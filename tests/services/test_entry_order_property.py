"""Property (issue 14): the same payments and write-offs, entered in random order days after
their value dates while the follow-up runs every morning, leave the books as entering each
on its own day would have: the same money settled, the same charges standing (fees under each
fee rule, interest on each day's balance), the same credit, the same next steps. Every fee
rule on SQLite; on PostgreSQL the rule that charges at each reminder (the rules differ in
arithmetic, which the database does not do; its locking and types are the same for all).

Each example builds two customers with the same invoices on real books: "dated" enters every
event on its own day, "late" enters it ``delay`` days later, in shuffled order. Steps are
free in this ladder (cost 0): whether a step is worth its cost is decided on what is known
that morning, and a payment nobody knew of cannot weigh in it.
"""

from __future__ import annotations

import contextlib
import itertools
from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from desktop_app.domain.errors import RuleViolation
from desktop_app.domain.followup import DEFAULT_POLICY, policy_to_dict
from desktop_app.domain.terms import FEE_RULES
from desktop_app.services import customers, invoices, payments, terms
from desktop_app.services.books import Books
from desktop_app.services.followup import policies
from desktop_app.services.followup import run as followup
from desktop_app.services.writeoffs import write_off
from desktop_app.storage.models import Charge, Installment
from tests.support.books import ISSUE

HORIZON = 82  # days from the issue: the whole ladder of the later installment
CHANNELS = ("letter", "call", "task")
_worlds = itertools.count(1)


def _free_policy(books: Books) -> None:
    body = policy_to_dict(DEFAULT_POLICY)
    body["name"] = "Free"
    for stage in body["stages"]:
        stage["cost_minor"] = 0
    policies.save_policy(books, body)


def _payments(principal: int) -> st.SearchStrategy:
    """Up to three payments that together pay at most the principal (a payment beyond it
    would be refused in one order and credit in the other), each with its value day and
    how many days later it is typed in."""
    return st.tuples(
        st.sampled_from([Decimal(1), Decimal("0.98"), Decimal("0.5"), Decimal("0.3")]),
        st.lists(st.tuples(st.integers(0, HORIZON - 5), st.integers(1, 4), st.integers(0, 25)),
                 max_size=3),
    ).map(lambda spec: _split(principal, *spec))


def _split(principal: int, share: Decimal, parts: list[tuple[int, int, int]]
           ) -> list[tuple[int, int, int]]:
    if not parts:
        return []
    if share == 1:  # all of it, after the discount window (inside it 98 % settles it all)
        parts = [(max(day, 11), weight, delay) for day, weight, delay in parts]
    total = int(principal * share)
    weights = sum(w for _, w, _ in parts)
    amounts = [total * w // weights for _, w, _ in parts]
    amounts[-1] += total - sum(amounts)
    return [(day, amount, delay) for (day, _, delay), amount in zip(parts, amounts, strict=True)
            if amount > 0]


scenarios = st.fixed_dictionaries({
    "order": st.sampled_from(["charges_first", "principal_first"]),
    "single": _payments(1190_00),
    "split": _payments(600_00),
    # The rest written off on a day after the invoice's last payment, typed in later.
    "write_off": st.none() | st.tuples(st.integers(0, 1), st.integers(1, 20),
                                       st.integers(0, 20)),
    "shuffle": st.randoms(use_true_random=False),
})


def _world(books: Books, name: str, rule_terms: str) -> tuple[int, list[int]]:
    customer = customers.add_customer(books, credit_granted=True,
                                      name=name, address="1 Road\nTown").id
    policies.set_customer_policy(books, customer, policy="Free")
    ids = []
    for lines, schedule in (("Consulting|10|100.00|19", None), ("Parts|1|600.00|0", "50/50")):
        inv = invoices.create_draft(books, invoices.DraftInput(
            customer_id=customer, lines=[lines], terms=rule_terms, schedule=schedule,
            every=20 if schedule else None)).id
        invoices.issue_invoice(books, inv, ISSUE)
        ids.append(inv)
    return customer, ids


def _events(scenario: dict, ids: list[int]) -> list[tuple[date, date, str, int, int]]:
    """(value day, entry day, kind, invoice, amount) for the world's invoices."""
    events = []
    for k, key in enumerate(("single", "split")):
        last = ISSUE
        for offset, amount, delay in scenario[key]:
            value = ISSUE + timedelta(days=offset)
            last = max(last, value)
            events.append((value, value + timedelta(days=delay), "pay", ids[k], amount))
        if scenario["write_off"] is not None and scenario["write_off"][0] == k:
            _, after, delay = scenario["write_off"]
            value = min(last + timedelta(days=after), ISSUE + timedelta(days=HORIZON))
            events.append((value, value + timedelta(days=delay), "write_off", ids[k], 0))
    return events


def _enter(books: Books, kind: str, invoice: int, amount: int, value: date) -> None:
    if kind == "pay":
        payments.record_payment(books, payments.PaymentInput(
            invoice, str(Decimal(amount) / 100), value))
        return
    with contextlib.suppress(RuleViolation):  # all paid by then: nothing left to write off
        write_off(books, invoice, "cannot be collected", value)


def _state(books: Books, customer: int, ids: list[int], end: date) -> dict:
    shown = [invoices.show_invoice(books, i) for i in ids]
    with books.db.read() as session:
        position = {i.id: (ids.index(i.invoice_id), i.position)
                    for i in session.scalars(select(Installment).where(
                        Installment.invoice_id.in_(ids)))}
        # (Not the stage: a fee moved off an installment paid before its reminder keeps the
        # name of the reminder that charged it.)
        standing = sorted(
            (position[c.installment_id], c.kind, c.amount_minor,
             c.amount_minor - c.settled_minor - c.written_off_minor)
            for c in session.scalars(select(Charge).where(
                Charge.installment_id.in_(list(position)))) if c.amount_minor)
    return {
        "invoices": [(v.status, v.paid, v.discount, v.written_off, v.balance, v.charges)
                     for v in shown],
        "credit": customers.show_customer(books, customer).credit,
        "charges": standing,
        "next": sorted((ids.index(a.invoice_id), a.installment, a.stage, a.fee, a.interest)
                       for a in followup.plan_day(books, end, customer_id=customer)),
    }


@pytest.mark.parametrize(("db_url", "rule"), [
    *(pytest.param("sqlite", rule, id=f"sqlite-{rule}") for rule in FEE_RULES),
    pytest.param("postgres", "per_reminder", id="postgres-per_reminder",
                 marks=pytest.mark.postgres),
], indirect=["db_url"])
@settings(max_examples=3, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(scenario=scenarios)
def test_events_entered_late_in_any_order_leave_the_books_of_date_order(ready, rule, scenario):
    run = next(_worlds)
    _free_policy(ready)
    name = f"Late fees {run}"
    terms.add_terms(ready, name, net_days=30, discount_percent="2", discount_days="10",
                    late_fee="5.00", interest_annual_percent="9", fee_rule=rule)
    payments.set_payment_order(ready, scenario["order"])
    dated, dated_ids = _world(ready, f"Dated {run}", name)
    late, late_ids = _world(ready, f"Late {run}", name)
    dated_events = _events(scenario, dated_ids)
    late_events = _events(scenario, late_ids)
    scenario["shuffle"].shuffle(late_events)
    end = ISSUE + timedelta(days=HORIZON)
    day = ISSUE
    while day <= end:
        for value, _, kind, invoice, amount in dated_events:
            if value == day:
                _enter(ready, kind, invoice, amount, value)
        for value, entered, kind, invoice, amount in late_events:
            if entered == day:
                _enter(ready, kind, invoice, amount, value)
        for customer in (dated, late):
            followup.run_day(ready, day, customer_id=customer, channels=CHANNELS)
        day += timedelta(days=1)
    for value, entered, kind, invoice, amount in late_events:  # typed in after the horizon
        if entered > end:
            _enter(ready, kind, invoice, amount, value)
    after = end + timedelta(days=1)
    assert _state(ready, late, late_ids, after) == _state(ready, dated, dated_ids, after)

"""Property: a statement's payments booked together (the customers replayed as a set, only
the invoices the payments touch and those a reminder ties to them) leave exactly the books
that recording them one at a time leaves, and a whole replay of every customer afterwards
changes nothing.

Each example builds the same books twice: random customers with invoices (some in two
installments) on terms with a reminder fee and interest, the follow-up run on a few mornings
so that fees and interest stand, then random payments dated before and after those reminders
(a back-dated one reverses the charges it makes moot), some paying more than is open (credit).
"""

from __future__ import annotations

import tempfile
from collections import Counter
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from desktop_app.domain.followup import DEFAULT_POLICY, policy_to_dict
from desktop_app.domain.terms import FEE_RULES
from desktop_app.messages import Said
from desktop_app.services import customers, invoices, payments, settlement, terms
from desktop_app.services.books import Books, open_books
from desktop_app.services.followup import policies
from desktop_app.services.followup import run as followup
from desktop_app.storage import tables
from tests.support.books import ISSUE, fixed_clock, fixed_day, make_ready

MORNINGS = (35, 45, 52, 60)  # days after the issue the follow-up runs: reminders, charges
CHANNELS = ("letter", "call", "task")
LINES = ("Consulting|10|100.00|19", "Parts|1|600.00|0", "Service|3|45.50|7")

invoice_specs = st.tuples(st.sampled_from(LINES), st.booleans())  # lines, in two parts
# Each payment: the invoice it names (an index into all invoices), its share of the
# invoice's total (at most 0.9, so each finds something open whenever it comes), its day.
payment_specs = st.tuples(st.integers(0, 10**6), st.sampled_from(["0.3", "0.5", "0.9"]),
                          st.integers(0, 75))
books_specs = st.fixed_dictionaries({
    "customers": st.lists(st.lists(invoice_specs, min_size=1, max_size=3), min_size=1,
                          max_size=3),
    "fee_rule": st.sampled_from(FEE_RULES),
    "order": st.sampled_from(["charges_first", "principal_first"]),
    "payments": st.lists(payment_specs, min_size=1, max_size=8),
})


def _build(path: Path, spec: dict) -> tuple[Books, list[int], list[int]]:
    books = make_ready(open_books(path, actor="tester", clock=fixed_clock, today=fixed_day))
    body = policy_to_dict(DEFAULT_POLICY)
    body["name"] = "Free"
    for stage in body["stages"]:
        stage["cost_minor"] = 0  # every step taken: the charges are what is tested
    policies.save_policy(books, body)
    terms.add_terms(books, "Late", net_days=30, late_fee="5.00", interest_annual_percent="9",
                    fee_rule=spec["fee_rule"])
    payments.set_payment_order(books, spec["order"])
    customer_ids, invoice_ids = [], []
    for k, bills in enumerate(spec["customers"]):
        customer = customers.add_customer(books, credit_granted=True, name=f"Kunde {k}",
                                          address="1 Road\nTown").id
        policies.set_customer_policy(books, customer, policy="Free")
        customer_ids.append(customer)
        for lines, split in bills:
            inv = invoices.create_draft(books, invoices.DraftInput(
                customer_id=customer, lines=[lines], terms="Late",
                schedule="50/50" if split else None, every=20 if split else None)).id
            invoices.issue_invoice(books, inv, ISSUE)
            invoice_ids.append(inv)
    for offset in MORNINGS:
        followup.run_day(books, ISSUE + timedelta(days=offset), channels=CHANNELS)
    return books, customer_ids, invoice_ids


def _inputs(books: Books, spec: dict, invoice_ids: list[int]) -> list[payments.PaymentInput]:
    out = []
    seen: Counter[int] = Counter()
    for pick, share, day in spec["payments"]:
        invoice_id = invoice_ids[pick % len(invoice_ids)]
        seen[invoice_id] += 1
        if seen[invoice_id] > 2:  # two shares of at most 0.9 each find something open
            continue
        total = invoices.show_invoice(books, invoice_id).total
        amount = (total * Decimal(share)).quantize(Decimal("0.01"))
        out.append(payments.PaymentInput(invoice_id, amount, ISSUE + timedelta(days=day)))
    return out


def _books_state(books: Books) -> dict[str, object]:
    """Every money row the replay writes, as sorted values (ids of rows it adds aside)."""
    i, inst, c = tables.invoices, tables.installments, tables.charges
    a, cc, w = tables.allocations, tables.customer_credits, tables.write_offs
    queries = {
        "invoices": select(i.c.id, i.c.paid_minor, i.c.written_off_minor, i.c.discount_minor),
        "installments": select(inst.c.id, inst.c.paid_minor, inst.c.written_off_minor),
        "charges": select(c.c.id, c.c.installment_id, c.c.amount_minor, c.c.settled_minor,
                          c.c.written_off_minor),
        "allocations": select(a.c.payment_id, a.c.write_off_id, a.c.installment_id,
                              a.c.charge_id, a.c.kind, a.c.amount_minor, a.c.on_day),
        "credits": select(cc.c.customer_id, cc.c.payment_id, cc.c.amount_minor, cc.c.note),
        "write_offs": select(w.c.id, w.c.amount_minor),
    }
    with books.db.read() as session:
        return {name: sorted((tuple(r) for r in session.execute(q)), key=repr)
                for name, q in queries.items()}


@settings(max_examples=15, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow])
@given(spec=books_specs)
# The invoice that carries a reminder's fee paid in full before the reminder: the fee moves
# to another invoice the reminder was about, which must be replayed with it.
@example(spec={"customers": [[(LINES[0], True), (LINES[1], False)]], "fee_rule": FEE_RULES[0],
               "order": "charges_first", "payments": [(0, "0.5", 5), (0, "0.5", 6)]})
def test_payments_booked_together_leave_the_books_of_one_at_a_time(spec):
    with tempfile.TemporaryDirectory() as folder:
        together, customer_ids, invoice_ids = _build(Path(folder) / "together.sqlite3", spec)
        one_by_one, _, _ = _build(Path(folder) / "one.sqlite3", spec)
        try:
            entered = _inputs(together, spec, invoice_ids)
            built = _books_state(together)
            assert built == _books_state(one_by_one)  # built alike
            assert built["charges"]  # the reminders charged fees and interest
            with together.db.write() as session:
                results = payments.book_payments(session, together, [[p] for p in entered])
            for payment in entered:
                payments.record_payment(one_by_one, payment)
            assert all(isinstance(r, list) for r in results)
            booked = _books_state(together)
            assert booked == _books_state(one_by_one)
            assert booked["allocations"]  # the payments did settle something
            with together.db.write() as session:  # the whole of every customer, replayed
                settlement.settle_customers(session, together,
                                            dict.fromkeys(customer_ids, Said("checked", {})))
            assert _books_state(together) == booked
        finally:
            together.close()
            one_by_one.close()

"""A statement's payments are booked together (one replay per customer): the books come out
as if each had been recorded on its own, and a group the payment service refuses leaves
nothing behind."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import select

from desktop_app.domain.errors import PaidUpError, RuleViolation, ValidationError
from desktop_app.services import customers, invoices, payments, writeoffs
from desktop_app.services.books import Books, open_books
from desktop_app.storage import tables
from tests.bank.conftest import NETS, PAID_ON, issue
from tests.support.books import fixed_clock, fixed_day, make_ready

EARLIER = PAID_ON - timedelta(days=5)
GROUPS = (  # invoice, amount, value date; an earlier-dated payment entered after a later one
    ((1, "500.00", PAID_ON),),
    ((1, "630.50", EARLIER),),
    ((4, "2380.00", PAID_ON), (2, "400.00", EARLIER)),  # 43.00 more than is open: credit
)


def bill(books: Books) -> Books:
    customers.add_customer(books, credit_granted=True,
                           name="Schmidt KG", email="buchhaltung@schmidt.example",
                           terms="Net 30", language="de")
    for net, customer in zip(NETS, (1, 1, 1, 2), strict=True):
        issue(books, net, customer)
    return books


def given(invoice_id: int, amount: str, on: date) -> payments.PaymentInput:
    return payments.PaymentInput(invoice_id, amount, on, reference="Rechnung")


def state(books: Books) -> tuple:
    """What the books say of the money: invoices, what payments settled, credit."""
    a = tables.allocations
    with books.db.read() as session:
        applied = sorted(session.execute(select(
            a.c.payment_id, a.c.installment_id, a.c.charge_id, a.c.kind, a.c.amount_minor,
            a.c.on_day).where(a.c.payment_id.is_not(None))).all(), key=repr)
    shown = [(v.status, v.balance) for v in (invoices.show_invoice(books, i)
                                             for i in (1, 2, 3, 4))]
    credit = [customers.show_customer(books, c).credit for c in (1, 2)]
    return shown, applied, credit


def test_payments_booked_together_leave_the_books_as_one_at_a_time(billed, tmp_path):
    with billed.db.write() as session:
        results = payments.book_payments(session, billed, [[given(*p) for p in group]
                                                            for group in GROUPS])
    assert [len(r) for r in results] == [1, 1, 2]
    one_by_one = bill(make_ready(open_books(tmp_path / "other.sqlite3", actor="tester",
                                            clock=fixed_clock, today=fixed_day)))
    try:
        for group in GROUPS:
            for p in group:
                payments.record_payment(one_by_one, given(*p))
        assert state(billed) == state(one_by_one)
    finally:
        one_by_one.close()
    shown, _, credit = state(billed)
    assert shown[0] == ("paid", Decimal(0)) and shown[3] == ("paid", Decimal(0))
    assert credit == [Decimal("43.00"), Decimal(0)]


def test_a_refused_group_leaves_nothing_and_the_others_are_booked(billed):
    writeoffs.write_off(billed, 3, "Kunde insolvent", PAID_ON)
    before = state(billed)
    with billed.db.write() as session:
        early, nothing_open, fine = payments.book_payments(session, billed, [
            [given(2, "357.00", PAID_ON), given(1, "1130.50", date(2026, 1, 1))],
            [given(2, "357.00", PAID_ON), given(3, "119.00", PAID_ON + timedelta(days=1))],
            [given(4, "2380.00", PAID_ON)],
        ])
    assert isinstance(early, ValidationError) and "predate" in str(early)
    assert isinstance(nothing_open, RuleViolation) and "nothing open" in str(nothing_open)
    assert not isinstance(fine, PaidUpError) and fine[0].amount_minor == 238000
    shown, applied, credit = state(billed)
    assert shown[:3] == before[0][:3] and shown[3] == ("paid", Decimal(0))
    assert {row.payment_id for row in applied} == {fine[0].payment_id}
    assert credit == before[2]
    assert [p.invoice_id for p in payments.list_payments(billed)] == [4]

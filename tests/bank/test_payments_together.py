"""A statement's payments are booked together (one replay per customer): the books come out
as if each had been recorded on its own, and a group the payment service refuses leaves
nothing behind."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import select

from desktop_app.domain.errors import PaidUpError, RuleViolation, ValidationError
from desktop_app.services import bank, customers, invoices, payments, writeoffs
from desktop_app.services.books import Books, open_books
from desktop_app.storage import tables
from tests.bank.conftest import NETS, PAID_ON, issue
from tests.support.books import ISSUE, fixed_clock, fixed_day, make_ready
from tests.support.statements import Transfer, camt

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


def _applied(books: Books) -> list[tuple]:
    """What the payments settled, by invoice and day rather than by payment id."""
    a, p = tables.allocations, tables.payments
    with books.db.read() as session:
        return sorted(session.execute(select(
            p.c.invoice_id, p.c.amount_minor, a.c.installment_id, a.c.kind, a.c.amount_minor,
            a.c.on_day).join(p, p.c.id == a.c.payment_id)).all(), key=repr)


def test_a_statement_with_a_part_payment_books_as_its_transfers_one_by_one(billed, tmp_path):
    """A payment that leaves part of its invoice open is booked with its own customer's
    payments before the transfers after it are matched; the others' wait for the end. The
    books and each transfer's outcome are those of the transfers imported one at a time."""
    on = ISSUE + timedelta(days=5)  # within the discount's ten days

    def statement(books: Books) -> list[Transfer]:
        issue(books, "500.00", 1, terms="2/10 net 30")  # 595.00; 583.10 within ten days
        schmidt = {"name": "Schmidt KG", "iban": "DE75512108001245126199"}
        return [
            Transfer("1130.50", on, text="Rechnung INV-2026-0001", bank_ref="B1"),
            Transfer("2380.00", on, text="RE INV-2026-0004", bank_ref="B2", **schmidt),
            Transfer("583.10", on, text="Rechnung INV-2026-0005 mit Skonto", bank_ref="B3"),
            Transfer("2380.00", on, text="RE INV-2026-0004", bank_ref="B4", **schmidt),
            Transfer("11.90", on, text="Rechnung INV-2026-0005 Rest", bank_ref="B5"),
        ]

    together = bank.import_statement(billed, camt(statement(billed)), "november.xml")
    alone = bill(make_ready(open_books(tmp_path / "alone.sqlite3", actor="tester",
                                       clock=fixed_clock, today=fixed_day)))
    try:
        for k, transfer in enumerate(statement(alone)):
            bank.import_statement(alone, camt([transfer]), f"day-{k}.xml")
        outcome = [[(t.status, t.rule, t.reason) for t in sorted(
            bank.list_transactions(books), key=lambda t: t.bank_reference)]
            for books in (billed, alone)]
        assert outcome[0] == outcome[1]
        assert (state(billed)[0], state(billed)[2]) == (state(alone)[0], state(alone)[2])
        assert _applied(billed) == _applied(alone)
    finally:
        alone.close()
    assert (together.booked, together.waiting) == (3, 2)
    assert [s for s, _, _ in outcome[0]] == ["booked", "booked", "booked", "waiting",
                                             "waiting"]
    assert state(billed)[0][0] == ("paid", Decimal(0))

"""The ledger replayed from events in date order: back-dated payments, interest on each day's
balance, the discount, fees and write-offs (issue 14). Property tests at the end: any order
of entry gives the books of date order."""

from datetime import date, timedelta
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from desktop_app.domain.interest import accrued_interest_minor, balance_stretches
from desktop_app.domain.ledger import (
    LedgerCharge,
    LedgerInstallment,
    LedgerInvoice,
    LedgerPayment,
    LedgerWriteOff,
    replay,
)

DUE = date(2026, 12, 1)
TERMS = LedgerInvoice(1, interest_rate=Decimal("8"), late_fee_minor=5_00)


def inst(key: int = 1, amount: int = 119_00, due: date = DUE, invoice: int = 1):
    return LedgerInstallment(key, invoice, due, amount)


def day(n: int) -> date:
    return DUE + timedelta(days=n)


def test_a_payment_goes_to_the_oldest_installment_first_and_the_rest_is_credit():
    book = replay([TERMS], [inst(2, 500, due=day(28)), inst(1, 300)], [],
                  [LedgerPayment(1, 1, day(0), 1000)], [])
    assert [(k, s.paid_minor) for k, s in sorted(book.installments.items())] == [
        (1, 300), (2, 500)]
    assert book.credit[1] == 200


def test_the_discount_only_when_the_discounted_total_is_paid_in_time():
    terms = LedgerInvoice(1, discount_minor=20_00, discount_until=day(-20))
    for paid_on, amount, discount in ((day(-20), 980_00, 20_00), (day(-19), 980_00, 0),
                                      (day(-25), 500_00, 0)):
        book = replay([terms], [inst(amount=1000_00)], [],
                      [LedgerPayment(1, 1, paid_on, amount)], [])
        assert book.discount.get(1, 0) == discount


def test_a_back_dated_payment_reverses_the_charges_of_a_reminder_it_made_moot():
    """Issue 14: paid on the 10th, typed in on the 20th after a reminder of the 16th
    charged a fee and interest: the payment settled the debt, the charges never arose."""
    fee = LedgerCharge(1, "fee", day(15), 5_00, (1,))
    interest = LedgerCharge(2, "interest", day(15), 39, (1,))
    book = replay([TERMS], [inst()], [fee, interest], [LedgerPayment(1, 1, day(9), 119_00)],
                  [])
    assert book.installments[1].open_minor == 0
    assert [(c.amount_minor, c.open_minor) for c in book.charges.values()] == [(0, 0), (0, 0)]
    assert book.credit[1] == 0


def test_a_payment_settles_only_the_charges_that_existed_on_its_day():
    fee = LedgerCharge(1, "fee", day(15), 5_00, (1,))
    # 50.00 on day 20: the fee first (charges first), then 45.00 of the debt.
    book = replay([TERMS], [inst()], [fee], [LedgerPayment(1, 1, day(20), 50_00)], [])
    assert (book.charges[1].settled_minor, book.installments[1].paid_minor) == (5_00, 45_00)
    # The same 50.00 dated day 15, the reminder's day: money that came that day owed no
    # reminder, and the fee stands, open, beside what is left of the debt.
    book = replay([TERMS], [inst()], [fee], [LedgerPayment(1, 1, day(15), 50_00)], [])
    assert (book.charges[1].open_minor, book.installments[1].paid_minor) == (5_00, 50_00)


def test_interest_accrues_on_each_days_balance():
    """Issue 14: 300 open for 3 days then 200 for 11 days gave 0.69, not 0.76 (9 %)."""
    reductions = [(day(4), 100_00)]
    assert accrued_interest_minor(300_00, reductions, Decimal(9), day(1), day(14)) == 76
    assert [(s.days, s.balance_minor) for s in balance_stretches(
        300_00, reductions, day(1), day(14))] == [(3, 300_00), (11, 200_00)]
    # A reminder's interest is recomputed when a payment that came before it is typed in.
    terms = LedgerInvoice(1, interest_rate=Decimal(9))
    claim = LedgerCharge(1, "interest", day(14), 69, (1,))  # claimed on 300.00 for 14 days
    book = replay([terms], [inst(amount=300_00)], [claim],
                  [LedgerPayment(1, 1, day(4), 100_00)], [])
    assert book.charges[1].amount_minor == 69  # never more than the reminder claimed
    claim = LedgerCharge(1, "interest", day(14), 104, (1,))
    book = replay([terms], [inst(amount=300_00)], [claim],
                  [LedgerPayment(1, 1, day(4), 100_00)], [])
    assert book.charges[1].amount_minor == 76


def test_paying_more_than_the_discounted_total_in_time_keeps_the_discount():
    """Issue 14: 1170.00 on 1190.00 under 2/10 net 30 left 20.00 owed; it settles, with
    the 3.80 paid beyond the discounted total (1166.20) as credit."""
    terms = LedgerInvoice(1, discount_minor=23_80, discount_until=date(2026, 11, 11))
    book = replay([terms], [inst(amount=1190_00)], [],
                  [LedgerPayment(1, 1, date(2026, 11, 8), 1170_00)], [])
    assert (book.installments[1].open_minor, book.discount[1], book.credit[1]) == (
        0, 23_80, 3_80)
    late = replay([terms], [inst(amount=1190_00)], [],
                  [LedgerPayment(1, 1, date(2026, 11, 12), 1170_00)], [])
    assert (late.installments[1].open_minor, late.discount) == (20_00, {})


def test_a_write_off_takes_the_charges_with_the_debt():
    """Issue 14: a write-off left the charges open on the written-off invoice."""
    charges = [LedgerCharge(1, "fee", day(15), 5_00, (1,)),
               LedgerCharge(2, "interest", day(15), 39, (1,))]
    book = replay([TERMS], [inst()], charges, [LedgerPayment(1, 1, day(20), 20_00)],
                  [LedgerWriteOff(1, 1, day(40), None)])
    assert book.installments[1].open_minor == 0
    assert all(c.open_minor == 0 for c in book.charges.values())
    assert book.written_off[1] == 119_00 - (20_00 - 5_39)


def test_a_reminders_fee_moves_to_what_was_still_open_when_its_carrier_was_paid_before():
    two = [inst(1, 100_00), inst(2, 50_00, due=day(3), invoice=2)]
    terms = [TERMS, LedgerInvoice(2, late_fee_minor=5_00)]
    fee = LedgerCharge(1, "fee", day(20), 5_00, (1, 2))  # one reminder named both
    book = replay(terms, two, [fee], [LedgerPayment(1, 1, day(10), 100_00)], [])
    assert (book.charges[1].installment, book.charges[1].amount_minor) == (2, 5_00)


def test_once_per_invoice_the_next_reminders_fee_stands_when_the_first_is_reversed():
    once = LedgerInvoice(1, late_fee_minor=40_00, fee_rule="once_per_invoice")
    two = [inst(1, 100_00), inst(2, 100_00, due=day(30))]
    first = LedgerCharge(1, "fee", day(14), 40_00, (1,))
    second = LedgerCharge(2, "fee", day(44), 0, (2,))  # nothing new: charged already
    kept = replay([once], two, [first, second], [], [])
    assert (kept.charges[1].amount_minor, kept.charges[2].amount_minor) == (40_00, 0)
    moot = replay([once], two, [first, second], [LedgerPayment(1, 1, day(10), 100_00)], [])
    assert (moot.charges[1].amount_minor, moot.charges[2].amount_minor) == (0, 40_00)


# --- property: any order of entry gives the books of date order --------------------------

money_events = st.lists(st.one_of(
    st.tuples(st.just("pay"), st.integers(0, 60), st.integers(1, 150_00)),
    st.tuples(st.just("write_off"), st.integers(0, 60), st.integers(0, 60_00)),
    st.tuples(st.just("remind"), st.integers(1, 60), st.sampled_from(["fee", "interest"])),
), max_size=12)


@settings(max_examples=300, deadline=None)
@given(events=money_events, order=st.randoms(use_true_random=False),
       rule=st.sampled_from(["per_reminder", "per_invoice", "once_per_invoice"]),
       principal_first=st.booleans())
def test_no_cent_is_created_or_lost_in_any_order_of_the_lists(events, order, rule,
                                                             principal_first):
    """The replay's invariants over random events (the order of entry itself, with the
    reminders a follow-up run charges from what it knew, is held on real books in
    tests/services/test_money_in_any_order.py)."""
    terms = [LedgerInvoice(1, discount_minor=2_00, discount_until=day(-20),
                           interest_rate=Decimal("9.5"), late_fee_minor=5_00,
                           fee_rule=rule),
             LedgerInvoice(2, late_fee_minor=5_00, fee_rule=rule)]
    installments = [inst(1, 100_00, due=day(-10)), inst(2, 80_00), inst(3, 45_50, day(5), 2)]
    payments, write_offs, charges = [], [], []
    for key, (kind, offset, value) in enumerate(events, start=1):
        if kind == "pay":
            payments.append(LedgerPayment(key, 1 + key % 2, day(offset - 15), value,
                                          principal_first))
        elif kind == "write_off":
            write_offs.append(LedgerWriteOff(key, 1 + key % 2, day(offset), value or None))
        elif value == "fee":
            charges.append(LedgerCharge(key, "fee", day(offset), 5_00, (1, 2, 3)[key % 3:]))
        else:
            charges.append(LedgerCharge(key, "interest", day(offset), 10_00, (1 + key % 3,)))
    shuffled = [list(x) for x in (charges, payments, write_offs)]
    for part in shuffled:
        order.shuffle(part)
    a = replay(terms, installments, charges, payments, write_offs)
    b = replay(list(reversed(terms)), list(reversed(installments)), *shuffled)

    def books(ledger):
        return ({k: (s.paid_minor, s.written_off_minor) for k, s in ledger.installments.items()},
                {k: (c.installment, c.amount_minor, c.open_minor)
                 for k, c in ledger.charges.items()},
                ledger.credit, ledger.discount, ledger.written_off)

    assert books(a) == books(b)
    # No cent created or lost: every payment is applied or credit, exactly.
    for payment in payments:
        applied = sum(x.amount_minor for x in a.applied
                      if x.source == "payment" and x.source_key == payment.key
                      and x.kind != "discount")
        assert applied + a.credit[payment.key] == payment.amount_minor
    for state in a.installments.values():
        assert 0 <= state.paid_minor + state.written_off_minor <= state.amount_minor
    for charge in a.charges.values():
        assert 0 <= charge.settled_minor + charge.written_off_minor <= charge.amount_minor

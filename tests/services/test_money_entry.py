"""Money typed by hand (issue 18): how much of a payment would become credit is asked before
it is booked, a booked payment is reversed with a trace, and the last safe action undone."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desktop_app.domain.errors import ValidationError
from desktop_app.services import activity, bank, disputes, invoices, payments, undo
from desktop_app.services.customers import show_customer
from desktop_app.services.payments import PaymentInput
from tests.support.books import ISSUE, draft

PAID_ON = ISSUE + timedelta(days=10)


def issued(books, line: str = "Work|1|1593.00|19") -> int:  # 1,895.67 with VAT
    inv = draft(books, line)
    invoices.issue_invoice(books, inv, ISSUE)
    return inv


def log(books) -> list[str]:
    return [e.summary for e in activity.timeline(books, 1)]


def test_a_payment_beyond_what_is_open_says_how_much_would_be_credit_and_books_nothing(ready):
    inv = issued(ready)
    before = log(ready)
    preview = payments.preview_payment(ready, PaymentInput(inv, "5000", PAID_ON))
    assert (preview.amount, preview.settles, preview.credit) == (
        Decimal("5000.00"), Decimal("1895.67"), Decimal("3104.33"))
    assert preview.invoice_number == invoices.show_invoice(ready, inv).number
    # Nothing was recorded: the invoice is as open as before, the log unchanged.
    assert invoices.show_invoice(ready, inv).balance == Decimal("1895.67")
    assert log(ready) == before and payments.count_payments(ready) == 0
    exact = payments.preview_payment(ready, PaymentInput(inv, "1895.67", PAID_ON))
    assert exact.credit == Decimal("0.00")


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(cents=st.integers(min_value=1, max_value=1_000_000))
def test_the_preview_is_what_booking_does(ready, cents):
    inv = issued(ready, "Work|1|100.00|0")
    amount = Decimal(cents) / 100
    preview = payments.preview_payment(ready, PaymentInput(inv, amount, PAID_ON))
    booked = payments.record_payment(ready, PaymentInput(inv, amount, PAID_ON))
    assert (preview.credit, preview.settles + preview.credit) == (booked.credit, amount)
    bank.reverse_payment(ready, booked.id, "taken back for the next example")


def test_a_reversed_payment_leaves_a_reversing_entry_and_opens_the_invoice_again(ready):
    inv = issued(ready)
    booked = payments.record_payment(ready, PaymentInput(inv, "5000", PAID_ON))
    assert show_customer(ready, 1).credit == Decimal("3104.33")
    done = undo.undo(ready, undo.Undoable("payment", booked.id, "the payment"), PAID_ON)
    assert done == "the payment"
    assert invoices.show_invoice(ready, inv).balance == Decimal("1895.67")
    assert show_customer(ready, 1).credit == Decimal("0.00")
    entries = log(ready)
    assert any("reversed" in e and "5000.00" in e for e in entries)
    assert any(e.startswith("Payment of 5000.00 EUR received") for e in entries)


def test_a_dispute_is_undone_by_releasing_it_and_other_kinds_are_refused(ready):
    inv = issued(ready)
    disputes.hold(ready, inv, "Wrong colour", PAID_ON)
    undo.undo(ready, undo.Undoable("hold", inv, "the dispute"), PAID_ON)
    assert "resolved" in log(ready)[0]
    with pytest.raises(ValidationError, match="cannot be undone"):
        undo.undo(ready, undo.Undoable("issue", inv, "the issue"), PAID_ON)

"""Which actions an invoice allows, and how late it is: the one rule the faces read."""

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desktop_app.domain.invoice_actions import InvoiceAction as A
from desktop_app.domain.invoice_actions import allowed_actions, days_late
from desktop_app.domain.status import InvoiceStatus

EVERY_INVOICE = {A.PREVIEW, A.PRINT}
OPEN_WORK = {A.RECORD_PAYMENT, A.PROMISE, A.LETTER, A.VOID, A.WRITE_OFF}
ISSUED = {A.EINVOICE, A.DOSSIER}


def test_a_draft_is_edited_deleted_or_issued_and_nothing_else():
    assert allowed_actions("draft") == EVERY_INVOICE | {A.EDIT_DRAFT, A.DELETE_DRAFT, A.ISSUE}


@pytest.mark.parametrize("status", ["issued", "partially_paid"])
def test_an_open_invoice_takes_money_letters_and_a_credit_note(status):
    assert allowed_actions(status) == EVERY_INVOICE | ISSUED | OPEN_WORK


@pytest.mark.parametrize("status", ["paid", "written_off", "void"])
def test_a_settled_or_void_invoice_only_shows_its_documents(status):
    assert allowed_actions(status) == EVERY_INVOICE | ISSUED
    assert allowed_actions(status, hold="", plan="") == EVERY_INVOICE | ISSUED


def test_hold_and_plan_are_offered_only_when_known_to_be_free():
    assert A.HOLD not in allowed_actions("issued")  # a list row does not know its hold
    assert A.PLAN not in allowed_actions("issued")
    known = allowed_actions("issued", hold="", plan="")
    assert {A.HOLD, A.PLAN} <= known and A.RELEASE not in known
    held = allowed_actions("issued", hold="dispute", plan="")
    assert A.HOLD not in held and A.RELEASE in held
    assert A.PLAN not in allowed_actions("partially_paid", hold="", plan="active")
    assert A.PLAN in allowed_actions("partially_paid", hold="", plan="broken")


def test_a_hold_is_released_whatever_the_invoice_became():
    assert A.RELEASE in allowed_actions("paid", hold="pause", plan="")


@given(st.sampled_from(list(InvoiceStatus)), st.sampled_from([None, "", "dispute", "pause"]),
       st.sampled_from([None, "", "active", "broken"]))
def test_draft_actions_and_open_actions_never_mix(status, hold, plan):
    allowed = allowed_actions(status, hold=hold, plan=plan)
    draft_only = {A.EDIT_DRAFT, A.DELETE_DRAFT, A.ISSUE}
    assert (allowed >= draft_only) == (status == InvoiceStatus.DRAFT)
    assert not (allowed & draft_only and allowed & (OPEN_WORK | ISSUED))
    assert (allowed >= OPEN_WORK) == (status in ("issued", "partially_paid"))
    assert {A.HOLD, A.RELEASE} & allowed != {A.HOLD, A.RELEASE}


def test_days_late_count_only_for_an_open_invoice_past_its_due_date():
    due = date(2026, 11, 1)
    assert days_late("issued", due, date(2026, 11, 11)) == 10
    assert days_late("partially_paid", due, date(2026, 11, 2)) == 1
    assert days_late("issued", due, due) == 0
    assert days_late("issued", due, date(2026, 10, 1)) == 0
    assert days_late("paid", due, date(2026, 12, 1)) == 0
    assert days_late("written_off", due, date(2026, 12, 1)) == 0
    assert days_late("draft", None, date(2026, 12, 1)) == 0


def test_a_waiting_transfer_is_booked_or_set_aside_and_a_booked_one_reversed():
    from desktop_app.domain.bank_actions import TransactionAction as T
    from desktop_app.domain.bank_actions import transaction_actions

    money_in = Decimal("119.00")
    assert transaction_actions("waiting", money_in, True) == {T.ACCEPT, T.BOOK_ON, T.ASSIGN,
                                                              T.IGNORE}
    assert transaction_actions("waiting", money_in, False) == {T.BOOK_ON, T.ASSIGN, T.IGNORE}
    assert transaction_actions("waiting", Decimal("-20.00"), True) == {T.IGNORE}
    assert transaction_actions("booked", money_in, True) == {T.REVERSE}
    for status in ("ignored", "outgoing", "returned"):
        assert transaction_actions(status, money_in, True) == frozenset()


def test_an_issued_invoice_may_be_confirmed_received_once_and_a_draft_not_at_all():
    assert A.RECORD_RECEIPT in allowed_actions("issued", received=False)
    assert A.RECORD_RECEIPT in allowed_actions("paid", received=False)
    assert A.RECORD_RECEIPT not in allowed_actions("issued", received=True)
    assert A.RECORD_RECEIPT not in allowed_actions("issued")  # a list row does not know
    assert A.RECORD_RECEIPT not in allowed_actions("draft", received=False)

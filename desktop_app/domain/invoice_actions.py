"""What a user may do with an invoice, and how late it is: one rule for every face.

A draft is edited, deleted or issued; an issued invoice that is still open takes payments,
promises, letters, a hold, a payment plan, a write-off or a credit note (void); any issued
invoice, open or not, has its e-invoice and its dossier, and may be confirmed received once.
A hold is released whatever else happened since.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from functools import cache

from desktop_app.domain.status import InvoiceStatus


class InvoiceAction(StrEnum):
    EDIT_DRAFT = "edit_draft"
    DELETE_DRAFT = "delete_draft"
    ISSUE = "issue"
    PREVIEW = "preview"
    PRINT = "print"
    RECORD_PAYMENT = "record_payment"
    PROMISE = "promise"
    LETTER = "letter"
    VOID = "void"
    WRITE_OFF = "write_off"
    HOLD = "hold"
    RELEASE = "release"
    PLAN = "plan"
    EINVOICE = "einvoice"
    DOSSIER = "dossier"
    RECORD_RECEIPT = "record_receipt"


OPEN_STATUSES = frozenset({InvoiceStatus.ISSUED, InvoiceStatus.PARTIALLY_PAID})
_DRAFT_ACTIONS = frozenset({InvoiceAction.EDIT_DRAFT, InvoiceAction.DELETE_DRAFT,
                            InvoiceAction.ISSUE})
_OPEN_ACTIONS = frozenset({InvoiceAction.RECORD_PAYMENT, InvoiceAction.PROMISE,
                           InvoiceAction.LETTER, InvoiceAction.VOID, InvoiceAction.WRITE_OFF})
_ISSUED_ACTIONS = frozenset({InvoiceAction.EINVOICE, InvoiceAction.DOSSIER})


def is_open(status: str) -> bool:
    """Issued and not yet settled: money is still expected."""
    return status in OPEN_STATUSES


@cache  # a handful of distinct answers, shared by every row of a big list
def allowed_actions(status: str, *, hold: str | None = None, plan: str | None = None,
                    received: bool | None = None) -> frozenset[InvoiceAction]:
    """The actions an invoice allows now.

    ``hold`` ("", "dispute" or "pause"), ``plan`` ("", "active" or "broken") and ``received``
    (whether the customer's word that it arrived is recorded) are None when not known (a
    list row carries none of them): then neither a hold, a plan nor a receipt is offered,
    since whether one is already in place is not known.
    """
    actions = {InvoiceAction.PREVIEW, InvoiceAction.PRINT}
    if status == InvoiceStatus.DRAFT:
        actions |= _DRAFT_ACTIONS
    else:
        actions |= _ISSUED_ACTIONS
        if received is False:  # sent, so it may be confirmed received, once (seed 003)
            actions.add(InvoiceAction.RECORD_RECEIPT)
    if is_open(status):
        actions |= _OPEN_ACTIONS
        if hold == "":
            actions.add(InvoiceAction.HOLD)
        if plan is not None and plan != "active":
            actions.add(InvoiceAction.PLAN)
    if hold:
        actions.add(InvoiceAction.RELEASE)
    return frozenset(actions)


def days_late(status: str, due_date: date | None, today: date) -> int:
    """Days past the due date of an open invoice; 0 when it is not late or not open."""
    if not is_open(status) or due_date is None:
        return 0
    return max((today - due_date).days, 0)

"""Undoing the last action from the Edit menu, where that is safe.

Only actions with an exact inverse that leaves a trace are undone: a payment recorded by hand
(reversed: a reversing entry in the customer's log, the customer's money replayed without it)
and a dispute or pause (released, and the log says so). Everything else is left out on
purpose: an issued invoice or a credit note has a number that must stay gapless and a
frozen content (EU VAT Art. 226), an email or a letter has gone out and cannot be called
back, a write-off, a payment plan or a call log records what happened with the customer,
and an edit has no earlier version kept to go back to.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from desktop_app.domain.errors import ValidationError
from desktop_app.messages import N_
from desktop_app.services import bank, disputes
from desktop_app.services.books import Books
from desktop_app.services.changes import OpChanges, states

KINDS = ("payment", "hold")


@dataclass(frozen=True)
class Undoable:
    """The last action that can be undone: what kind, which record, and in words."""

    kind: str  # one of KINDS
    target_id: int  # the payment, or the held invoice
    what: str  # "the payment of €5,000.00 on INV-2026-0001"


@states(OpChanges.INVOICES | OpChanges.PAYMENTS | OpChanges.CUSTOMERS | OpChanges.FOLLOWUP)
def undo(books: Books, action: Undoable, on: date) -> str:
    """Carry out the inverse of ``action``; returns what was undone, in words."""
    if action.kind == "payment":
        bank.reverse_payment(books, action.target_id, "undone from the Edit menu")
    elif action.kind == "hold":
        disputes.release(books, action.target_id, on, "undone from the Edit menu")
    else:
        raise ValidationError("kind", N_("'{kind}' cannot be undone; only {kinds} can"),
                              kind=action.kind, kinds=", ".join(KINDS))
    return action.what

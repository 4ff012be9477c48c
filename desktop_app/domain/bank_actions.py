"""What a user may do with a transfer read from a bank statement: one rule for every face.

A transfer waiting for a decision is set aside as not a customer payment, or, when money came
in, booked: on the proposal read from it, on invoices the user picks, or to a customer as
credit. A booked transfer is reversed, and waits again.
"""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum


class TransactionAction(StrEnum):
    ACCEPT = "accept"  # book it as proposed
    BOOK_ON = "book_on"  # on invoices the user picks
    ASSIGN = "assign"  # to a customer, as credit
    IGNORE = "ignore"
    REVERSE = "reverse"


def transaction_actions(status: str, amount: Decimal, proposed: bool
                        ) -> frozenset[TransactionAction]:
    """``proposed``: the import found what the transfer pays."""
    if status == "booked":
        return frozenset({TransactionAction.REVERSE})
    if status != "waiting":
        return frozenset()
    if amount <= 0:  # money going out is no customer's payment
        return frozenset({TransactionAction.IGNORE})
    allowed = {TransactionAction.BOOK_ON, TransactionAction.ASSIGN, TransactionAction.IGNORE}
    if proposed:
        allowed.add(TransactionAction.ACCEPT)
    return frozenset(allowed)

"""Credit before goods: a customer on hold or on cash only, or one whose open
balance would pass its credit limit, gets no new invoice payable later."""

from __future__ import annotations

from desktop_app.domain.errors import RuleViolation
from desktop_app.domain.money import from_minor
from desktop_app.messages import N_, Amount

# How a customer's hold or cash only lifts: by itself once nothing it owes is overdue
# (``paid_up``), or only when a person changes it (``by_hand``). The user chooses per status.
RELEASES = ("paid_up", "by_hand")
DEFAULT_RELEASE = {"hold": "paid_up", "cash_only": "by_hand"}


def check_credit(*, customer: str, credit_status: str, limit_minor: int | None,
                 open_minor: int, new_minor: int, on_credit: bool, currency: str) -> None:
    """Refuse issuing on credit when the customer may not have any more; an invoice due on
    issue (paid on the spot) is always allowed."""
    if not on_credit:
        return
    if credit_status in ("hold", "cash_only"):
        raise RuleViolation(
            N_("{customer} is on hold: issue this invoice due on receipt, or change the "
               "customer's credit status first") if credit_status == "hold" else
            N_("{customer} is on cash only: issue this invoice due on receipt, or change the "
               "customer's credit status first"), customer=customer)
    if limit_minor is not None and open_minor + new_minor > limit_minor:
        raise RuleViolation(
            N_("{customer} would owe {amount}, over the credit limit of {limit}: ask for "
               "payment first, issue due on receipt, or raise the limit"), customer=customer,
            amount=Amount(from_minor(open_minor + new_minor, currency), currency),
            limit=Amount(from_minor(limit_minor, currency), currency))

"""Credit before goods: a customer on hold or on cash only, or one whose open
balance would pass its credit limit, gets no new invoice payable later."""

from __future__ import annotations

from desktop_app.domain.errors import RuleViolation
from desktop_app.domain.money import format_plain

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
        what = "on hold" if credit_status == "hold" else "on cash only"
        raise RuleViolation(
            f"{customer} is {what}: issue this invoice due on receipt, or change the "
            "customer's credit status first")
    if limit_minor is not None and open_minor + new_minor > limit_minor:
        raise RuleViolation(
            f"{customer} would owe {format_plain(open_minor + new_minor, currency)} "
            f"{currency}, over the credit limit of {format_plain(limit_minor, currency)} "
            f"{currency}: ask for payment first, issue due on receipt, or raise the limit")

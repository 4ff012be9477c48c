"""Credit applications (seed 003: "ask for credit references and call them; ask for financial
statements"): what a new customer may be invoiced before its credit is decided, what a
decided customer near its limit is warned of, and when a decision is due for review.

Pure rules: the day, the amounts and the customer's standing are parameters.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_FLOOR, Decimal

from desktop_app.domain.errors import RuleViolation, ValidationError
from desktop_app.domain.money import format_plain
from desktop_app.domain.schedule import PlannedInstallment, add_months
from desktop_app.messages import N_

# What a customer whose credit is not decided yet may be invoiced: nothing payable later
# (``cash_only``), or a schedule whose first share, due on issue, is a deposit of at least
# the set percentage (``deposit``).
NEW_CUSTOMER_RULES = ("cash_only", "deposit")
# Cash only by default: the seed's advice is to check credit before giving any; a deposit
# still leaves the rest of the invoice on credit to a customer nobody has checked.
DEFAULT_NEW_CUSTOMER_RULE = "cash_only"
DEFAULT_DEPOSIT_PERCENT = Decimal(30)  # seed 001's 30/30/40: 30 % on acceptance

DOCUMENT_KINDS = ("financial_statements", "credit_report", "other")
# A scanned annual report runs to a few megabytes; more than this is kept outside the books.
MAX_DOCUMENT_BYTES = 10 * 1024 * 1024
# What a document may be, known by its first bytes (not by its name): PDF and scans.
DOCUMENT_TYPES = (
    (b"%PDF-", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
)

REVIEW_MONTHS = 12  # a decision is looked at again yearly
NEAR_LIMIT_PERCENT = Decimal(80)  # flagged when a draft takes the balance this far


@dataclass(frozen=True)
class NewCustomerRule:
    """How a customer without a credit decision may be invoiced."""

    rule: str = DEFAULT_NEW_CUSTOMER_RULE
    deposit_percent: Decimal = DEFAULT_DEPOSIT_PERCENT


def check_rule(rule: str, deposit_percent: Decimal) -> NewCustomerRule:
    if rule not in NEW_CUSTOMER_RULES:
        raise ValidationError("new-customers", N_("'{value}' is not one of {choices}"),
                              value=rule, choices=", ".join(NEW_CUSTOMER_RULES))
    if not Decimal(0) < deposit_percent <= Decimal(100):
        raise ValidationError("deposit-percent", N_("must be more than 0 and at most 100"))
    return NewCustomerRule(rule, deposit_percent)


def media_type(content: bytes) -> str:
    """The document's type from its first bytes; refuses what is empty, too big or unknown."""
    if not content:
        raise ValidationError("file", N_("is empty"))
    if len(content) > MAX_DOCUMENT_BYTES:
        raise ValidationError("file", N_("is {size} MB; documents of up to {limit} MB are "
                                         "kept in the books"),
                              size=f"{len(content) / 1024 / 1024:.1f}",
                              limit=MAX_DOCUMENT_BYTES // 1024 // 1024)
    for magic, kind in DOCUMENT_TYPES:
        if content.startswith(magic):
            return kind
    raise ValidationError("file", N_("is not a PDF, PNG or JPEG file"))


def review_day(decided_on: date, review_on: date | None) -> date:
    """The day the question re-opens: the one given, else a year after the decision."""
    if review_on is None:
        return add_months(decided_on, REVIEW_MONTHS)
    if review_on <= decided_on:
        raise ValidationError("review", N_("must be after the day of the decision ({day})"),
                              day=decided_on)
    return review_on


def _percent(value: Decimal) -> str:
    return f"{value.normalize():f}"


def _without_credit(customer: str, refused: bool) -> str:
    return (f"{customer}'s credit application was refused" if refused
            else f"{customer} has no credit decision yet")


def check_without_credit(*, customer: str, refused: bool, rule: NewCustomerRule,
                         plan: list[PlannedInstallment], issue_date: date,
                         total_minor: int) -> None:
    """Refuse an invoice payable later to a customer given no credit (undecided, or
    refused), unless the rule asks a deposit and the shares due on issue make one."""
    if all(p.due_date <= issue_date for p in plan):
        return
    if rule.rule == "cash_only":
        raise RuleViolation(
            N_("{customer}'s credit application was refused, so it pays on receipt: choose no "
               "terms for this invoice (it is then due on receipt), or approve its credit "
               "application first (credit decide)") if refused else
            N_("{customer} has no credit decision yet, so it pays on receipt: choose no terms "
               "for this invoice (it is then due on receipt), or approve its credit "
               "application first (credit decide)"), customer=customer)
    deposit = sum(p.amount_minor for p in plan if p.due_date <= issue_date)
    # The least deposit rounds down to the cent, as a schedule's shares do: a 30 % deposit
    # of 10.01 is 3.00, and passes.
    least = (rule.deposit_percent * total_minor / 100).to_integral_value(ROUND_FLOOR)
    if deposit < least:
        percent = _percent(rule.deposit_percent)
        raise RuleViolation(
            N_("{customer}'s credit application was refused, so it pays a deposit of at least "
               "{percent} % on issue: give the invoice a schedule such as "
               "deposit:{percent},monthly:2 or 30/30/40, or approve its credit application "
               "first (credit decide)") if refused else
            N_("{customer} has no credit decision yet, so it pays a deposit of at least "
               "{percent} % on issue: give the invoice a schedule such as "
               "deposit:{percent},monthly:2 or 30/30/40, or approve its credit application "
               "first (credit decide)"), customer=customer, percent=percent)


def draft_flag(*, customer: str, granted: bool, refused: bool, rule: NewCustomerRule,
               credit_status: str, limit_minor: int | None, open_minor: int, new_minor: int,
               on_credit: bool, currency: str) -> str:
    """One line for whoever drafts an invoice: what issuing it on credit would meet. Empty
    when nothing stands in the way and the balance stays well below the limit."""
    if not granted:
        why = _without_credit(customer, refused)
        if rule.rule == "cash_only":
            return (f"{why}: this invoice can only be issued due on receipt" if on_credit
                    else f"{why}: its invoices are due on receipt until its credit is granted")
        if on_credit:
            return (f"{why}: this invoice needs a deposit of at least "
                    f"{_percent(rule.deposit_percent)} % due on issue")
    if on_credit and credit_status in ("hold", "cash_only"):
        what = "on hold" if credit_status == "hold" else "on cash only"
        return f"{customer} is {what}: this invoice can only be issued due on receipt"
    if limit_minor is None or limit_minor <= 0:
        return ""
    after = open_minor + new_minor
    if after * 100 < NEAR_LIMIT_PERCENT * limit_minor:
        return ""
    used = (Decimal(after) * 100 / Decimal(limit_minor)).quantize(Decimal(1))
    amounts = (f"{format_plain(after, currency)} {currency} of its credit limit of "
               f"{format_plain(limit_minor, currency)} {currency} ({used} %)")
    if after > limit_minor and on_credit:
        return (f"{customer} would owe {amounts}: over the limit, so issuing it on credit "
                "will be refused")
    return f"{customer} is near its credit limit: with this invoice it would owe {amounts}"

"""Credit applications (seed 003: "ask for credit references and call them; ask for financial
statements"): what a new customer may be invoiced before its credit is decided, what a
decided customer near its limit is warned of, and when a decision is due for review.

Pure rules: the day, the amounts and the customer's standing are parameters.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_FLOOR, Decimal
from typing import Any

from desktop_app.domain.errors import RuleViolation, ValidationError
from desktop_app.domain.money import from_minor
from desktop_app.domain.schedule import PlannedInstallment, add_months
from desktop_app.messages import N_, Amount, Said, Value, Way, english

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
# Where a person decides a credit application, or changes the rule for new customers.
DECIDE = Way("credit decide", N_("the customer's page › Credit application › Decide…"))
DEPOSIT_RULE = Way("credit new-customers --rule deposit",
                   N_("Settings › Credit for new customers"))
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


def due_on_issue(plan: list[PlannedInstallment], issue_date: date) -> int:
    """What a schedule asks on the day of issue: the deposit it makes."""
    return sum(p.amount_minor for p in plan if p.due_date <= issue_date)


def least_deposit(rule: NewCustomerRule, total_minor: int) -> int:
    """The deposit the rule asks of an invoice, rounded down to the cent as a schedule's
    shares are: a 30 % deposit of 10.01 is 3.00, and passes."""
    return int((rule.deposit_percent * total_minor / 100).to_integral_value(ROUND_FLOOR))


def check_without_credit(*, customer: str, refused: bool, rule: NewCustomerRule,
                         plan: list[PlannedInstallment], issue_date: date,
                         total_minor: int) -> None:
    """Refuse an invoice payable later to a customer given no credit (undecided, or
    refused), unless the rule asks a deposit and the shares due on issue make one."""
    if all(p.due_date <= issue_date for p in plan):
        return
    if rule.rule == "cash_only" and len(plan) > 1:
        # Shares payable later come from a schedule, not from terms: say how to change that.
        raise RuleViolation(
            N_("{customer}'s credit application was refused, so it pays on receipt, and the "
               "schedule leaves shares payable later: make the invoice one payment due on "
               "receipt, ask new customers for a deposit instead of cash ({deposit_rule}), or "
               "approve its credit application first ({decide})") if refused else
            N_("{customer} has no credit decision yet, so it pays on receipt, and the "
               "schedule leaves shares payable later: make the invoice one payment due on "
               "receipt, ask new customers for a deposit instead of cash ({deposit_rule}), or "
               "approve its credit application first ({decide})"),
            customer=customer, decide=DECIDE, deposit_rule=DEPOSIT_RULE)
    if rule.rule == "cash_only":
        raise RuleViolation(
            N_("{customer}'s credit application was refused, so it pays on receipt: choose no "
               "terms for this invoice (it is then due on receipt), or approve its credit "
               "application first ({decide})") if refused else
            N_("{customer} has no credit decision yet, so it pays on receipt: choose no terms "
               "for this invoice (it is then due on receipt), or approve its credit "
               "application first ({decide})"), customer=customer, decide=DECIDE)
    if due_on_issue(plan, issue_date) < least_deposit(rule, total_minor):
        percent = _percent(rule.deposit_percent)
        raise RuleViolation(
            N_("{customer}'s credit application was refused, so it pays a deposit of at least "
               "{percent} % on issue: give the invoice a schedule such as "
               "deposit:{percent},monthly:2 or 30/30/40, or approve its credit application "
               "first ({decide})") if refused else
            N_("{customer} has no credit decision yet, so it pays a deposit of at least "
               "{percent} % on issue: give the invoice a schedule such as "
               "deposit:{percent},monthly:2 or 30/30/40, or approve its credit application "
               "first ({decide})"), customer=customer, percent=percent, decide=DECIDE)


# What a draft (an invoice, or a quote that becomes one) meets, each a whole sentence for the
# translators: (document, situation) -> message.
_FLAGS = {
    ("invoice", "undecided_cash"): N_(
        "{customer} has no credit decision yet: this invoice can only be issued due on "
        "receipt"),
    ("invoice", "refused_cash"): N_(
        "{customer}'s credit application was refused: this invoice can only be issued due on "
        "receipt"),
    ("invoice", "undecided_deposit"): N_(
        "{customer} has no credit decision yet: this invoice needs a deposit of at least "
        "{percent} % due on issue"),
    ("invoice", "refused_deposit"): N_(
        "{customer}'s credit application was refused: this invoice needs a deposit of at "
        "least {percent} % due on issue"),
    ("invoice", "hold"): N_(
        "{customer} is on hold: this invoice can only be issued due on receipt"),
    ("invoice", "cash_only"): N_(
        "{customer} is on cash only: this invoice can only be issued due on receipt"),
    ("invoice", "over"): N_(
        "{customer} would owe {owed}, {used} % of its credit limit of {limit}: over the "
        "limit, so issuing it on credit will be refused"),
    ("invoice", "near"): N_(
        "{customer} is near its credit limit: with this invoice it would owe {owed}, "
        "{used} % of its limit of {limit}"),
    ("quote", "undecided_cash"): N_(
        "{customer} has no credit decision yet: the invoice for this quote can only be "
        "issued due on receipt, not on the quote's schedule"),
    ("quote", "refused_cash"): N_(
        "{customer}'s credit application was refused: the invoice for this quote can only "
        "be issued due on receipt, not on the quote's schedule"),
    ("quote", "undecided_deposit"): N_(
        "{customer} has no credit decision yet: the invoice for this quote needs a deposit "
        "of at least {percent} % due on issue"),
    ("quote", "refused_deposit"): N_(
        "{customer}'s credit application was refused: the invoice for this quote needs a "
        "deposit of at least {percent} % due on issue"),
    ("quote", "hold"): N_(
        "{customer} is on hold: the invoice for this quote can only be issued due on "
        "receipt"),
    ("quote", "cash_only"): N_(
        "{customer} is on cash only: the invoice for this quote can only be issued due on "
        "receipt"),
    ("quote", "over"): N_(
        "With this quote {customer} would owe {owed}, {used} % of its credit limit of "
        "{limit}: over the limit, so issuing its invoice on credit will be refused"),
    ("quote", "near"): N_(
        "{customer} is near its credit limit: with this quote it would owe {owed}, "
        "{used} % of its limit of {limit}"),
}
# Not the document's own doing: every draft of a customer without credit says it alike.
_DUE_ON_RECEIPT = {
    False: N_("{customer} has no credit decision yet: its invoices are due on receipt until "
              "its credit is granted"),
    True: N_("{customer}'s credit application was refused: its invoices are due on receipt "
             "until its credit is granted"),
}
DOCUMENTS = ("invoice", "quote")


def draft_warning(*, customer: str, granted: bool, refused: bool, rule: NewCustomerRule,
                  credit_status: str, limit_minor: int | None, open_minor: int,
                  new_minor: int, on_credit: bool, on_issue_minor: int, currency: str,
                  document: str = "invoice") -> Said | None:
    """What issuing the draft (an invoice, or the invoice a quote becomes) on credit would
    meet, as a message with its values; None when nothing stands in the way and the balance
    stays well below the limit. ``on_issue_minor``: what its schedule asks on issue (a
    deposit the rule for new customers may be content with)."""
    def flag(situation: str, **values: Value) -> Said:
        return Said(_FLAGS[(document, situation)], {"customer": customer, **values})

    if not granted:
        why = "refused" if refused else "undecided"
        if rule.rule == "cash_only":
            return flag(f"{why}_cash") if on_credit else Said(_DUE_ON_RECEIPT[refused],
                                                              {"customer": customer})
        if on_credit and on_issue_minor < least_deposit(rule, new_minor):
            return flag(f"{why}_deposit", percent=Decimal(_percent(rule.deposit_percent)))
    if on_credit and credit_status in ("hold", "cash_only"):
        return flag(credit_status)
    if limit_minor is None or limit_minor <= 0:
        return None
    after = open_minor + new_minor
    if after * 100 < NEAR_LIMIT_PERCENT * limit_minor:
        return None
    used = (Decimal(after) * 100 / Decimal(limit_minor)).quantize(Decimal(1))
    amounts: dict[str, Value] = {"owed": Amount(from_minor(after, currency), currency),
                                 "limit": Amount(from_minor(limit_minor, currency), currency),
                                 "used": used}
    return flag("over" if after > limit_minor and on_credit else "near", **amounts)


def draft_flag(**given: Any) -> str:
    """``draft_warning`` in English, as the CLI prints it; empty when there is none."""
    said = draft_warning(**given)
    return english(said) if said is not None else ""

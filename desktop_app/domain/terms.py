"""Payment terms: when money is due, what paying early saves, what paying late costs."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from desktop_app.domain.errors import ValidationError
from desktop_app.domain.money import ZERO, D, quantize, to_minor

DAYS_PER_YEAR = D(365)  # interest is pro rata per calendar day on a 365-day year
FEE_RULES = ("per_reminder", "per_invoice", "once_per_invoice")
"""How the reminder fee is charged: once for each reminder the customer receives (however
many invoices it names), once for each invoice a reminder names, or once for an invoice
whatever number of reminders it takes (a flat sum for the cost of collecting, as German law's
EUR 40 for businesses). Printed with the fee on every invoice; applied as printed."""


@dataclass(frozen=True, slots=True)
class PaymentTerms:
    """Named, reusable terms; printed on every invoice (seed 001)."""

    name: str
    net_days: int
    discount_percent: Decimal = ZERO
    discount_days: int = 0
    late_fee_minor: int = 0
    interest_annual_percent: Decimal = ZERO
    grace_days: int = 0
    instructions: str = ""
    fee_rule: str = FEE_RULES[0]

    def __post_init__(self) -> None:
        validate_terms(self)

    @property
    def has_discount(self) -> bool:
        return self.discount_percent > 0 and self.discount_days > 0

    def due_date(self, issue_date: date) -> date:
        return issue_date + timedelta(days=self.net_days)

    def discount_deadline(self, issue_date: date) -> date | None:
        return issue_date + timedelta(days=self.discount_days) if self.has_discount else None

    def discount_minor(self, total_minor: int, currency: str) -> int:
        """The early-payment discount on a total, rounded half-up to the minor unit."""
        if not self.has_discount:
            return 0
        amount = D(total_minor) * self.discount_percent / 100
        return int(amount.to_integral_value(rounding=ROUND_HALF_UP))


def interest_minor(open_minor: int, annual_percent: Decimal, days: int) -> int:
    """Open principal x annual rate / 365 x days (past due, after grace), half-up."""
    if days <= 0 or open_minor <= 0 or annual_percent <= 0:
        return 0
    amount = D(open_minor) * annual_percent / 100 / DAYS_PER_YEAR * days
    return int(amount.to_integral_value(rounding=ROUND_HALF_UP))


@dataclass(frozen=True, slots=True)
class Stretch:
    """Days on which the same balance was open: interest is balance x rate / 365 x days."""

    first_day: date
    last_day: date
    balance_minor: int

    @property
    def days(self) -> int:
        return (self.last_day - self.first_day).days + 1


def balance_stretches(principal_minor: int, reductions: Iterable[tuple[date, int]],
                      first_day: date, last_day: date) -> list[Stretch]:
    """The open balance day by day from ``first_day`` to ``last_day`` (both included), as
    stretches of equal balance. A reduction (money received, a discount, a write-off) counts
    from its own day on: interest stops the day the creditor has the money."""
    if last_day < first_day:
        return []
    balance = principal_minor
    changes: dict[date, int] = {}
    for day, minor in reductions:
        if day <= first_day:
            balance -= minor
        elif day <= last_day:
            changes[day] = changes.get(day, 0) + minor
    stretches = []
    start = first_day
    for day in sorted(changes):
        if balance > 0:
            stretches.append(Stretch(start, day - timedelta(days=1), balance))
        balance -= changes[day]
        start = day
    if balance > 0:
        stretches.append(Stretch(start, last_day, balance))
    return stretches


def accrued_interest_minor(principal_minor: int, reductions: Iterable[tuple[date, int]],
                           annual_percent: Decimal, first_day: date, last_day: date) -> int:
    """Interest on each day's balance (not today's balance for the whole period): the sum
    over the stretches of balance x rate / 365 x days, rounded half-up once."""
    if annual_percent <= 0:
        return 0
    exact = sum((D(s.balance_minor) * s.days for s in balance_stretches(
        principal_minor, reductions, first_day, last_day)), ZERO)
    amount = exact * annual_percent / 100 / DAYS_PER_YEAR
    return int(amount.to_integral_value(rounding=ROUND_HALF_UP))


def interest_per_stretch(principal_minor: int, reductions: Iterable[tuple[date, int]],
                         annual_percent: Decimal, first_day: date, last_day: date
                         ) -> list[tuple[Stretch, int]]:
    """Each stretch with its share of the interest, for a letter to show how it was
    computed; the shares add up to ``accrued_interest_minor`` exactly (the last one takes
    what rounding each share left)."""
    reductions = list(reductions)
    stretches = balance_stretches(principal_minor, reductions, first_day, last_day)
    if not stretches or annual_percent <= 0:
        return []
    total = accrued_interest_minor(principal_minor, reductions, annual_percent, first_day,
                                   last_day)
    shares = [interest_minor(s.balance_minor, annual_percent, s.days) for s in stretches[:-1]]
    return list(zip(stretches, [*shares, total - sum(shares)], strict=True))


def first_interest_day(due_date: date, grace_days: int) -> date:
    """Interest runs from the day after the due date, once the grace days have passed."""
    return due_date + timedelta(days=grace_days + 1)


def validate_terms(terms: PaymentTerms) -> None:
    if not terms.name.strip():
        raise ValidationError("name", "payment terms need a name")
    if terms.net_days < 0 or terms.net_days > 3650:
        raise ValidationError("net-days", "must be between 0 and 3650 days")
    if terms.discount_percent < 0 or terms.discount_percent >= 100:
        raise ValidationError("discount-percent", "must be at least 0 and below 100")
    if terms.discount_percent > 0 and terms.discount_days <= 0:
        raise ValidationError("discount-days", "an early discount needs the days it is valid")
    if terms.discount_days < 0 or (terms.has_discount and terms.discount_days > terms.net_days):
        raise ValidationError("discount-days", "must not be negative nor exceed the net days")
    if terms.late_fee_minor < 0:
        raise ValidationError("late-fee", "must not be negative")
    if terms.fee_rule not in FEE_RULES:
        raise ValidationError("fee-rule", f"'{terms.fee_rule}' is not one of "
                                          f"{', '.join(FEE_RULES)}")
    if terms.interest_annual_percent < 0 or terms.interest_annual_percent > 100:
        raise ValidationError("interest-annual", "must be between 0 and 100 percent a year")
    if terms.grace_days < 0:
        raise ValidationError("grace-days", "must not be negative")


def late_fee_minor(value: Decimal, currency: str) -> int:
    """A flat fee typed by the user, as stored minor units."""
    return to_minor(quantize(value, currency), currency)

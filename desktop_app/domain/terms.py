"""Payment terms: when money is due, what paying early saves, what paying late costs."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from desktop_app.domain.errors import ValidationError
from desktop_app.domain.late_payment import FLAT_FEE_RULE, RULES
from desktop_app.domain.money import ZERO, D, quantize, to_minor
from desktop_app.messages import N_

FEE_RULES = ("per_reminder", "per_invoice", "once_per_invoice")
"""How the reminder fee is charged: once for each reminder the customer receives (however
many invoices it names), once for each invoice a reminder names, or once for an invoice
whatever number of reminders it takes (a flat sum for the cost of collecting, as German law's
EUR 40 for businesses). Printed with the fee on every invoice; applied as printed."""
STATUTORY_FEE_RULE = FLAT_FEE_RULE  # BGB § 288 (5), C. com. D441-5: never per reminder


@dataclass(frozen=True, slots=True)
class PaymentTerms:
    """Named, reusable terms; printed on every invoice, so the customer knows them before
    any reminder."""

    name: str
    net_days: int
    discount_percent: Decimal = ZERO
    discount_days: int = 0
    late_fee_minor: int = 0
    interest_annual_percent: Decimal = ZERO
    grace_days: int = 0
    instructions: str = ""
    late_rule: str = ""  # statutory late-payment terms (domain.late_payment); "": fixed rate
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


def validate_terms(terms: PaymentTerms) -> None:
    if not terms.name.strip():
        raise ValidationError("name", N_("payment terms need a name"))
    if terms.net_days < 0 or terms.net_days > 3650:
        raise ValidationError("net-days", N_("must be between 0 and 3650 days"))
    if terms.discount_percent < 0 or terms.discount_percent >= 100:
        raise ValidationError("discount-percent", N_("must be at least 0 and below 100"))
    if terms.discount_percent > 0 and terms.discount_days <= 0:
        raise ValidationError("discount-days",
                              N_("an early discount needs the days it is valid"))
    if terms.discount_days < 0 or (terms.has_discount and terms.discount_days > terms.net_days):
        raise ValidationError("discount-days",
                              N_("must not be negative nor exceed the net days"))
    if terms.late_fee_minor < 0:
        raise ValidationError("late-fee", N_("must not be negative"))
    if terms.fee_rule not in FEE_RULES:
        raise ValidationError("fee-rule", N_("'{value}' is not one of {choices}"),
                              value=terms.fee_rule, choices=", ".join(FEE_RULES))
    if terms.interest_annual_percent < 0 or terms.interest_annual_percent > 100:
        raise ValidationError("interest-annual", N_("must be between 0 and 100 percent a year"))
    if terms.grace_days < 0:
        raise ValidationError("grace-days", N_("must not be negative"))
    if terms.late_rule and terms.late_rule not in RULES:
        raise ValidationError("late-rule", N_("'{value}' is not one of {choices}"),
                              value=terms.late_rule, choices=", ".join(RULES))
    if terms.late_rule and terms.late_fee_minor:
        # BGB § 288 (5), C. com. D441-5: one flat sum per invoice, never a fee per reminder
        raise ValidationError("late-fee", N_("statutory terms charge a flat compensation once "
                                             "per invoice, not a fee per reminder; leave the "
                                             "fee at 0"))
    if terms.late_rule and terms.fee_rule != STATUTORY_FEE_RULE:
        raise ValidationError("fee-rule", N_("statutory terms charge their flat compensation "
                                             "once per invoice; choose {rule}"),
                              rule=STATUTORY_FEE_RULE)


def late_fee_minor(value: Decimal, currency: str) -> int:
    """A flat fee typed by the user, as stored minor units."""
    return to_minor(quantize(value, currency), currency)

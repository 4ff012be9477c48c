"""Statutory late-payment terms: interest at a published base rate plus fixed points, and a
flat compensation once per invoice, where the law of the seller's country sets them.

- Germany, BGB § 288: the base rate (BGB § 247, set each 1 January and 1 July) plus 9 points
  between businesses (§ 288 (2)), plus 5 points with a consumer (§ 288 (1)); EUR 40 flat per
  invoice from a business debtor (§ 288 (5)), never per reminder.
- France, Code de commerce L441-10: the ECB's main refinancing rate in force on 1 January
  or 1 July for that half-year, plus 10 points; EUR 40 flat per invoice (D441-5). Between
  businesses only.

The base rates are a dated table (each rate applies from its day until the next); PaidUp
ships the published rates and the user adds each new one. A period for which the table has
no rate is refused by name rather than guessed.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from desktop_app.domain.errors import ValidationError
from desktop_app.domain.interest import InterestRate, accrued_interest_minor
from desktop_app.domain.money import D, read_decimal
from desktop_app.messages import N_

RULES = ("de_288", "fr_l441")
FLAT_FEE_RULE = "once_per_invoice"  # the flat sum is due once per invoice, never per reminder


@dataclass(frozen=True, slots=True)
class Rule:
    name: str
    zone: str  # which base-rate table
    business_points: Decimal
    consumer_points: Decimal | None  # None: the rule does not apply to consumers
    flat_minor: int  # compensation once per invoice, business debtors only (EUR cents)
    law: str


STATUTORY = {
    "de_288": Rule("de_288", "DE", D(9), D(5), 4000, "§ 288 BGB"),
    "fr_l441": Rule("fr_l441", "ECB", D(10), None, 4000, "art. L441-10 C. com."),
}

# Published rates: Deutsche Bundesbank (Basiszinssatz, BGB § 247) and, for France, the ECB
# main refinancing rate in force on 1 January / 1 July of each half-year.
SHIPPED_BASE_RATES: dict[str, tuple[tuple[date, Decimal], ...]] = {
    "DE": (
        (date(2016, 7, 1), D("-0.88")),
        (date(2023, 1, 1), D("1.62")),
        (date(2023, 7, 1), D("3.12")),
        (date(2024, 1, 1), D("3.62")),
        (date(2024, 7, 1), D("3.37")),
        (date(2025, 1, 1), D("2.27")),
        (date(2025, 7, 1), D("1.27")),
    ),
    "ECB": (
        (date(2023, 1, 1), D("2.50")),
        (date(2023, 7, 1), D("4.00")),
        (date(2024, 1, 1), D("4.50")),
        (date(2024, 7, 1), D("4.25")),
        (date(2025, 1, 1), D("3.15")),
        (date(2025, 7, 1), D("2.15")),
    ),
}
RATE_VALIDITY_DAYS = 184  # a half-year: how long a rate holds without a newer one


BaseRates = Mapping[str, Sequence[tuple[date, Decimal]]]


def rule(name: str) -> Rule | None:
    if not name:
        return None
    if name not in STATUTORY:
        raise ValidationError("late-rule", N_("'{value}' is not one of {choices}"), value=name,
                              choices=", ".join(RULES))
    return STATUTORY[name]


def base_rate(rates: BaseRates, zone: str, on: date) -> Decimal:
    """The base rate in force on ``on``; refused when the table has none for that day."""
    entries = sorted(rates.get(zone, ()))
    current = [(start, rate) for start, rate in entries if start <= on]
    if not current or (on - current[-1][0]).days >= RATE_VALIDITY_DAYS:
        raise ValidationError("base rate", N_("the {zone} base rate for {day} is not in the "
                                              "table; add the published rate (rate add)"),
                              zone=zone, day=on)
    return current[-1][1]


def points(statutory: Rule, consumer: bool) -> Decimal:
    chosen = statutory.consumer_points if consumer else statutory.business_points
    if chosen is None:
        raise ValidationError("late-rule", N_("{law} applies between businesses only"),
                              law=statutory.law)
    return chosen


def annual_rate(statutory: Rule, rates: BaseRates, on: date, *, consumer: bool) -> Decimal:
    return base_rate(rates, statutory.zone, on) + points(statutory, consumer)


def rate_steps(statutory: Rule, rates: BaseRates, *, consumer: bool
               ) -> tuple[tuple[date, Decimal | None], ...]:
    """The rule's annual rate as dated steps: each published base rate plus the points from
    its day, and no rate (None) once a rate's half-year has run out with no newer one."""
    added = points(statutory, consumer)
    entries = sorted(rates.get(statutory.zone, ()))
    steps: list[tuple[date, Decimal | None]] = []
    for k, (start, base) in enumerate(entries):
        steps.append((start, base + added))
        lapse = start + timedelta(days=RATE_VALIDITY_DAYS)
        if k + 1 == len(entries) or entries[k + 1][0] > lapse:
            steps.append((lapse, None))
    return tuple(steps)


@dataclass(frozen=True, slots=True)
class InterestSpan:
    """Part of a late period at one rate, so that the customer can check the sum."""

    start: date
    days: int
    rate: Decimal


def statutory_interest(open_minor: int, due: date, as_of: date, statutory: Rule,
                       rates: BaseRates, *, consumer: bool) -> tuple[int, tuple[InterestSpan,
                                                                                 ...]]:
    """Interest on an unchanged balance from the day after the due date to ``as_of``, at
    each half-year's rate, summed exactly and rounded half-up once; a day for which the
    table has no rate is refused by name."""
    if open_minor <= 0 or as_of <= due:
        return 0, ()
    first = due + timedelta(days=1)
    rate = InterestRate(rate_steps(statutory, rates, consumer=consumer))
    spans = tuple(InterestSpan(lo, (hi - lo).days + 1, percent)
                  for lo, hi, percent in rate.spans(first, as_of))
    missing = rate.unknown_from(first, as_of)
    if missing is not None:
        base_rate(rates, statutory.zone, missing)  # refused, naming the day the table lacks
    return accrued_interest_minor(open_minor, (), rate, first, as_of), spans


@dataclass(frozen=True, slots=True)
class LateCharges:
    """What an issued invoice charges when paid late, from its frozen terms: the reminder
    fee (or the statutory flat sum) and how it is charged (domain.terms.FEE_RULES), the law
    of statutory terms ("" for the user's own), and the interest rate day by day."""

    fee_minor: int
    fee_rule: str
    law: str
    interest: InterestRate


def late_charges(*, late_rule: str, consumer: bool, currency: str, late_fee_minor: int,
                 fee_rule: str, interest_percent: Decimal, rates: BaseRates) -> LateCharges:
    """Fixed terms charge their fee by their rule and their rate. Statutory terms charge the
    flat sum once per invoice from a business (never per reminder; in euros, so an invoice
    in another currency has none PaidUp could charge), and interest at each half-year's
    base rate plus the points; where the rule does not apply (a consumer under a rule
    between businesses) the invoice's own rate stands, as it did at issue."""
    statutory = rule(late_rule)
    if statutory is None:
        return LateCharges(late_fee_minor, fee_rule, "", InterestRate.fixed(interest_percent))
    flat = statutory.flat_minor if not consumer and currency.upper() == "EUR" else 0
    if consumer and statutory.consumer_points is None:
        return LateCharges(flat, FLAT_FEE_RULE, statutory.law,
                           InterestRate.fixed(interest_percent))
    return LateCharges(flat, FLAT_FEE_RULE, statutory.law,
                       InterestRate(rate_steps(statutory, rates, consumer=consumer)))


def parse_rate_entry(zone: str, start: str | date, rate: str) -> tuple[str, date, Decimal]:
    """A rate the user adds: its table, the day it applies from, the rate in percent."""
    zone = zone.strip().upper()
    if zone not in {r.zone for r in STATUTORY.values()}:
        raise ValidationError("zone", N_("'{value}' is not one of {choices}"), value=zone,
                              choices="DE, ECB")
    try:
        day = start if isinstance(start, date) else date.fromisoformat(start)
    except ValueError:
        raise ValidationError("from", N_("'{text}' is not a day (YYYY-MM-DD)"),
                              text=str(start)) from None
    value = read_decimal(rate, "rate")
    if abs(value) > 50:
        raise ValidationError("rate", N_("must be a percentage between -50 and 50"))
    return zone, day, value

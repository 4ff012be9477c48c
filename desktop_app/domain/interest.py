"""Late interest: on each day's open balance, at each day's annual rate, pro rata per
calendar day on a 365-day year.

A fixed rate holds throughout; a statutory one is a base rate plus points that changes each
half-year (domain.late_payment). Both are an ``InterestRate`` of dated steps, so that the
follow-up that charges interest, the replay that checks it against the payments, the letter
that shows how it was computed and the window that shows it accrued all reckon alike.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from desktop_app.domain.money import ZERO, D

DAYS_PER_YEAR = D(365)  # interest is pro rata per calendar day on a 365-day year


def interest_minor(open_minor: int, annual_percent: Decimal, days: int) -> int:
    """Open principal x annual rate / 365 x days (past due, after grace), half-up."""
    if days <= 0 or open_minor <= 0 or annual_percent <= 0:
        return 0
    amount = D(open_minor) * annual_percent / 100 / DAYS_PER_YEAR * days
    return int(amount.to_integral_value(rounding=ROUND_HALF_UP))


@dataclass(frozen=True, slots=True)
class InterestRate:
    """An annual late-interest rate in percent that may change on given days: each step
    holds from its day until the next one. A statutory rate is a base rate plus points, set
    each half-year from a dated table (domain.late_payment); a fixed rate is one step. A step
    of None is a period for which no rate is published: nothing accrues then, as a rate is
    never guessed, and the next reckoning after the user adds it takes those days in."""

    steps: tuple[tuple[date, Decimal | None], ...]

    def __post_init__(self) -> None:
        object.__setattr__(self, "steps", tuple(sorted(self.steps, key=lambda s: s[0])))

    @classmethod
    def fixed(cls, percent: Decimal) -> InterestRate:
        return cls(((date.min, percent),))

    def __bool__(self) -> bool:
        return any(rate is not None and rate > 0 for _, rate in self.steps)

    def spans(self, first_day: date, last_day: date) -> list[tuple[date, date, Decimal]]:
        """The days from ``first_day`` to ``last_day`` (both included) at a known positive
        rate, as (first, last, rate) in order."""
        out = []
        steps = self.steps
        for k, (start, rate) in enumerate(steps):
            end = steps[k + 1][0] - timedelta(days=1) if k + 1 < len(steps) else date.max
            lo, hi = max(start, first_day), min(end, last_day)
            if rate is not None and rate > 0 and lo <= hi:
                out.append((lo, hi, rate))
        return out

    def unknown_from(self, first_day: date, last_day: date) -> date | None:
        """The first day from ``first_day`` to ``last_day`` without a known rate, if any."""
        steps = self.steps
        day = first_day
        while day <= last_day:
            current = [rate for start, rate in steps if start <= day]
            if not current or current[-1] is None:
                return day
            later = [start for start, _ in steps if start > day]
            if not later:
                return None
            day = later[0]
        return None


def as_rate(rate: Decimal | InterestRate) -> InterestRate:
    return rate if isinstance(rate, InterestRate) else InterestRate.fixed(rate)


@dataclass(frozen=True, slots=True)
class Stretch:
    """Days on which the same balance was open (at the same rate, when the rate changes):
    interest is balance x rate / 365 x days."""

    first_day: date
    last_day: date
    balance_minor: int
    rate_percent: Decimal | None = None

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


def _rated_stretches(principal_minor: int, reductions: Iterable[tuple[date, int]],
                     rate: InterestRate, first_day: date, last_day: date) -> list[Stretch]:
    """Stretches of equal balance and equal rate (the days without a known rate left out)."""
    return [Stretch(lo, hi, s.balance_minor, percent)
            for s in balance_stretches(principal_minor, reductions, first_day, last_day)
            for lo, hi, percent in rate.spans(s.first_day, s.last_day)]


def accrued_interest_minor(principal_minor: int, reductions: Iterable[tuple[date, int]],
                           rate: Decimal | InterestRate, first_day: date, last_day: date
                           ) -> int:
    """Interest on each day's balance (not today's balance for the whole period) at each
    day's rate: the sum over the stretches of balance x rate / 365 x days, rounded half-up
    once."""
    rate = as_rate(rate)
    if not rate:
        return 0
    exact = sum((D(s.balance_minor) * s.days * (s.rate_percent or ZERO) for s in
                 _rated_stretches(principal_minor, reductions, rate, first_day, last_day)),
                ZERO)
    amount = exact / 100 / DAYS_PER_YEAR
    return int(amount.to_integral_value(rounding=ROUND_HALF_UP))


def interest_per_stretch(principal_minor: int, reductions: Iterable[tuple[date, int]],
                         rate: Decimal | InterestRate, first_day: date, last_day: date
                         ) -> list[tuple[Stretch, int]]:
    """Each stretch (with its rate) and its share of the interest, for a letter to show how
    it was computed; the shares add up to ``accrued_interest_minor`` exactly (the last one
    takes what rounding each share left)."""
    rate = as_rate(rate)
    reductions = list(reductions)
    stretches = _rated_stretches(principal_minor, reductions, rate, first_day, last_day)
    if not stretches:
        return []
    total = accrued_interest_minor(principal_minor, reductions, rate, first_day, last_day)
    shares = [interest_minor(s.balance_minor, s.rate_percent or ZERO, s.days)
              for s in stretches[:-1]]
    return list(zip(stretches, [*shares, total - sum(shares)], strict=True))


def first_interest_day(due_date: date, grace_days: int) -> date:
    """Interest runs from the day after the due date, once the grace days have passed."""
    return due_date + timedelta(days=grace_days + 1)

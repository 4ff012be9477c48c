"""Retainers: the same invoice every month, quarter or year, paid in advance.

A retainer bills whole calendar periods (a month, a calendar quarter, a calendar year). A
period belongs to the retainer when its first day lies between the start and the end (and
within the count, when one is given); a retainer that starts mid-month begins with the next
month, so no period is ever billed in part and no amount is prorated. The invoice of a period
is due on the given day of the period's first month (the last day of a shorter month), or
later when the computer was off: periods missed are issued on the next run, oldest first,
each with its own supply period. A price change applies to the periods that start on or
after its day; a period already begun keeps its price. While a retainer is paused, the
periods whose day falls in the pause are not billed, then or later.
"""

from __future__ import annotations

import calendar
from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TypeVar

from desktop_app.domain.errors import RuleViolation, ValidationError
from desktop_app.messages import N_

MONTHS = {"month": 1, "quarter": 3, "year": 12}
EVERY = tuple(MONTHS)
DELIVERY = ("mail", "today")  # sent by mail at once, or left on Today to look at first
STATUSES = ("active", "paused", "ended")
T = TypeVar("T")


@dataclass(frozen=True)
class Period:
    """One period of a retainer: what the invoice covers and the day it falls due."""

    start: date
    end: date
    issue_on: date


@dataclass(frozen=True)
class Pause:
    paused_from: date
    resumed_on: date | None = None  # None: paused still

    def covers(self, day: date) -> bool:
        return self.paused_from <= day and (self.resumed_on is None or day < self.resumed_on)


@dataclass(frozen=True)
class Schedule:
    """When a retainer bills: every month, quarter or year on ``day`` of the period's first
    month, for the periods starting from ``starts_on`` up to ``ends_on`` or ``count``."""

    every: str
    day: int
    starts_on: date
    ends_on: date | None = None
    count: int | None = None


def check_schedule(schedule: Schedule) -> None:
    """Refuse what cannot make a calendar of invoices, naming the field."""
    if schedule.every not in MONTHS:
        raise ValidationError("every", N_("'{value}' is not one of {choices}"),
                              value=schedule.every, choices=", ".join(EVERY))
    if not 1 <= schedule.day <= 31:
        raise ValidationError("day", N_("must be a day of the month, 1 to 31"))
    if schedule.ends_on is not None and schedule.count is not None:
        raise ValidationError("end", N_("give an end date or a count, not both"))
    if schedule.count is not None and schedule.count < 1:
        raise ValidationError("count", N_("must be 1 or more"))
    if schedule.ends_on is not None and first_period_start(schedule) > schedule.ends_on:
        raise ValidationError("end", N_("{end} comes before the first whole period, which "
                                        "starts on {start}"),
                              end=schedule.ends_on, start=first_period_start(schedule))


def check_delivery(deliver: str) -> None:
    if deliver not in DELIVERY:
        raise ValidationError("deliver", N_("'{value}' is not one of {choices}"), value=deliver,
                              choices=", ".join(DELIVERY))


def _add_months(day: date, months: int) -> date:
    """The first of the month ``months`` after the month of ``day``."""
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def period_start_on_or_before(day: date, every: str) -> date:
    """The first day of the calendar period that holds ``day``."""
    step = MONTHS[every]
    month = (day.month - 1) // step * step + 1
    return date(day.year, month, 1)


def first_period_start(schedule: Schedule) -> date:
    start = period_start_on_or_before(schedule.starts_on, schedule.every)
    if start < schedule.starts_on:
        start = _add_months(start, MONTHS[schedule.every])
    return start


def _issue_day(start: date, day: int) -> date:
    last = calendar.monthrange(start.year, start.month)[1]
    return start.replace(day=min(day, last))


def all_periods(schedule: Schedule) -> Iterator[Period]:
    """Every period of the retainer in order (endless when it has no end and no count)."""
    step = MONTHS[schedule.every]
    start = first_period_start(schedule)
    n = 0
    while schedule.count is None or n < schedule.count:
        if schedule.ends_on is not None and start > schedule.ends_on:
            return
        following = _add_months(start, step)
        yield Period(start, following - timedelta(days=1), _issue_day(start, schedule.day))
        start, n = following, n + 1


def _paused(period: Period, pauses: Sequence[Pause]) -> bool:
    return any(p.covers(period.issue_on) for p in pauses)


def due_periods(schedule: Schedule, pauses: Sequence[Pause], issued: Collection[date],
                as_of: date) -> list[Period]:
    """The periods to invoice on ``as_of``, oldest first: fallen due, not invoiced yet (by
    their first day) and not skipped by a pause."""
    due = []
    for period in all_periods(schedule):
        if period.issue_on > as_of:
            break
        if period.start not in issued and not _paused(period, pauses):
            due.append(period)
    return due


def coming_periods(schedule: Schedule, pauses: Sequence[Pause], issued: Collection[date],
                   as_of: date, limit: int = 3) -> list[Period]:
    """What is coming: the next periods not invoiced yet (those already due first), at most
    ``limit``. An open pause shows nothing coming until it is lifted."""
    if any(p.resumed_on is None and p.paused_from <= as_of for p in pauses):
        return []
    coming: list[Period] = []
    for period in all_periods(schedule):
        if len(coming) >= limit:
            break
        if period.start in issued or _paused(period, pauses):
            continue
        coming.append(period)
    return coming


def status(schedule: Schedule, pauses: Sequence[Pause], issued: Collection[date],
           as_of: date) -> str:
    """``ended`` once no period is left to invoice, ``paused`` while a pause is open."""
    endless = schedule.ends_on is None and schedule.count is None
    left = endless or any(
        p.start not in issued and not (p.issue_on <= as_of and _paused(p, pauses))
        for p in all_periods(schedule))
    if not left:
        return "ended"
    if any(p.resumed_on is None and p.paused_from <= as_of for p in pauses):
        return "paused"
    return "active"


def price_from(prices: Sequence[tuple[date, T]], period_start: date) -> T:
    """The lines in force for a period: the latest price set on or before its first day
    (the first price holds from the start, whatever day it was given)."""
    ordered = sorted(prices, key=lambda p: p[0])
    if not ordered:
        raise RuleViolation(N_("the retainer has no price"))
    chosen = ordered[0][1]
    for effective_from, lines in ordered:
        if effective_from <= period_start:
            chosen = lines
    return chosen


def check_end(schedule: Schedule, on: date, issued: Collection[date]) -> None:
    """Ending keeps what was invoiced: the end cannot come before a period already billed."""
    last = max(issued, default=None)
    if last is not None and on < last:
        raise ValidationError("date", N_("the period from {day} is invoiced already; end the "
                                         "retainer on {day} or later, and credit the invoice "
                                         "if it should not stand"), day=last)

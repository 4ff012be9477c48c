"""Payment schedules: deposits and installments that always sum exactly to the total."""

from __future__ import annotations

import calendar
import itertools
import re
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from desktop_app.domain.errors import ValidationError
from desktop_app.domain.money import D, read_decimal, read_whole, split_by_weights
from desktop_app.messages import N_

FIELD = "schedule"


@dataclass(frozen=True, slots=True)
class When:
    """When a share falls due, as words can say it before the schedule's first day is known
    (a quote, whose invoice is issued on acceptance): ``days`` or ``months`` after that day,
    ``months`` after the first share (``after_first``), or on a fixed ``day``."""

    days: int = 0
    months: int = 0
    after_first: bool = False
    day: date | None = None

    @property
    def at_start(self) -> bool:
        """Due on the schedule's first day itself: with later shares, a deposit."""
        return self.day is None and not self.after_first and not self.days and not self.months


@dataclass(frozen=True, slots=True)
class Share:
    """One planned part of a schedule: a weight and when it falls due (the day, and the
    rule that gave it)."""

    label: str
    weight: Decimal
    due: date
    when: When


@dataclass(frozen=True, slots=True)
class PlannedInstallment:
    label: str
    due_date: date
    amount_minor: int


def add_months(start: date, months: int) -> date:
    """Same day N months later, clamped to the month's end (31 Jan + 1 month = 28/29 Feb)."""
    month_index = start.month - 1 + months
    year, month = start.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def _percent(text: str) -> Decimal:
    value = read_decimal(text, FIELD)
    if value <= 0:
        raise ValidationError(FIELD, N_("every share must be more than 0 %"))
    return value


def _count(text: str) -> int:
    try:
        return read_whole(text, FIELD, minimum=1, maximum=120)
    except ValidationError:
        raise ValidationError(FIELD, N_("'{text}' must be a number of installments from 1 to "
                                        "120"), text=text) from None


def shares_for(spec: str | None, issue_date: date, net_days: int, every: int | None = None
               ) -> list[Share]:
    """Parse a schedule SPEC (see CLI.md) into dated weights.

    ``30/30/40``: the first share on the issue date, the rest spaced by ``every`` days
    (default: the terms' net days). ``monthly:N``: N equal shares, the first after the net
    days, then monthly. ``deposit:P,monthly:N``: P % on issue, the rest in N monthly shares.
    ``custom:P@YYYY-MM-DD,...``: explicit shares and dates. Empty: one payment after net days.
    """
    spacing = net_days if every is None else every
    if every is not None and every <= 0:
        raise ValidationError("every", N_("must be at least one day"))
    text = (spec or "single").strip().lower()
    if text in ("", "single"):
        return [Share("Payment", D(100), issue_date + timedelta(days=net_days),
                      When(days=net_days))]
    if re.fullmatch(r"[0-9.]+(/[0-9.]+)+", text):
        weights = [_percent(p) for p in text.split("/")]
        _must_be_hundred(weights)
        step = spacing or 30
        labels = _percent_labels(len(weights))
        return [Share(labels[i], w, issue_date + timedelta(days=i * step), When(days=i * step))
                for i, w in enumerate(weights)]
    if m := re.fullmatch(r"monthly:([0-9]+)", text):
        n = _count(m.group(1))
        first = issue_date + timedelta(days=net_days)
        return [Share(f"Installment {i + 1} of {n}", D(1), add_months(first, i),
                      When(months=i, after_first=True) if i else When(days=net_days))
                for i in range(n)]
    if m := re.fullmatch(r"deposit:([0-9.]+),monthly:([0-9]+)", text):
        deposit, n = _percent(m.group(1)), _count(m.group(2))
        if deposit >= 100:
            raise ValidationError(FIELD, N_("the deposit must be below 100 %"))
        rest = (D(100) - deposit) / n
        return [Share("Deposit", deposit, issue_date, When())] + [
            Share(f"Installment {i + 1} of {n}", rest, add_months(issue_date, i + 1),
                  When(months=i + 1))
            for i in range(n)
        ]
    if text.startswith("custom:"):
        return _custom(text.removeprefix("custom:"), issue_date)
    raise ValidationError(
        FIELD,
        N_("'{spec}' is not a schedule; use 30/30/40, 50/50, monthly:N, deposit:P,monthly:N "
           "or custom:P@YYYY-MM-DD,..."),
        spec=str(spec),
    )


def _percent_labels(n: int) -> list[str]:
    if n == 1:
        return ["Payment"]
    middle = [f"Progress payment {i}" for i in range(1, n - 1)]
    return ["Deposit", *middle, "Final payment"]


def _must_be_hundred(weights: list[Decimal]) -> None:
    total = sum(weights, D(0))
    if total != 100:
        raise ValidationError(FIELD, N_("shares add up to {total} %, not 100 %"),
                              total=str(total))


def _custom(body: str, issue_date: date) -> list[Share]:
    shares = []
    for i, part in enumerate(body.split(","), start=1):
        pct, sep, when = part.partition("@")
        if not sep:
            raise ValidationError(FIELD, N_("'{part}' must look like PERCENT@YYYY-MM-DD"),
                                  part=part)
        try:
            due = date.fromisoformat(when.strip())
        except ValueError:
            raise ValidationError(FIELD, N_("'{text}' is not a date (YYYY-MM-DD)"),
                                  text=when) from None
        if due < issue_date:
            raise ValidationError(FIELD, N_("installment {position} falls due before the issue "
                                            "date"), position=i)
        shares.append(Share(f"Installment {i}", _percent(pct), due, When(day=due)))
    _must_be_hundred([s.weight for s in shares])
    if any(b.due < a.due for a, b in itertools.pairwise(shares)):
        raise ValidationError(FIELD, N_("installment dates must not go backwards"))
    return shares


def plan_installments(total_minor: int, shares: list[Share]) -> list[PlannedInstallment]:
    """Amounts by weight in integer minor units; the remainder goes to the last installment."""
    amounts = split_by_weights(total_minor, [s.weight for s in shares])
    return [PlannedInstallment(s.label, s.due, a) for s, a in zip(shares, amounts, strict=True)]


def build_schedule(total_minor: int, spec: str | None, issue_date: date, net_days: int,
                   every: int | None = None) -> list[PlannedInstallment]:
    return plan_installments(total_minor, shares_for(spec, issue_date, net_days, every))

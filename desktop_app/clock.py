"""The one place that reads the computer's clock.

Business rules take the books' day as a parameter (``--as-of``, the window's day); only the
faces ask this module for the calendar's date, and only timestamps (audit entries, the
outbox's retry times, locks) take the instant. A lint rule (ruff TID251) bans the clock
everywhere else, so a rule that leans on the real date cannot creep in.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime


def system_now() -> datetime:
    """The instant, in UTC: for timestamps, never for business dates."""
    return datetime.now(UTC)


def system_today() -> date:
    """The calendar's date where the user sits: the books' day when none was chosen."""
    return date.today()


def day_of(as_of: date | None) -> Callable[[], date]:
    """The books' day: a fixed one (``--as-of``), else the calendar's, read each time so a
    window left open overnight moves on to the next morning."""
    return (lambda: as_of) if as_of is not None else system_today

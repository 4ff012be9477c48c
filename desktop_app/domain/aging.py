"""A/R aging: open amounts by how many days they are past due (DOMAIN: Reports)."""

from __future__ import annotations

from datetime import date

AGING_BUCKETS = ("current", "1-30", "31-60", "61-90", "90+")


def aging_bucket(due_date: date, as_of: date) -> str:
    """A/R aging by days past due (DOMAIN: Reports)."""
    days = (as_of - due_date).days
    if days <= 0:
        return "current"
    if days <= 30:
        return "1-30"
    if days <= 60:
        return "31-60"
    return "61-90" if days <= 90 else "90+"

"""Gapless invoice numbers: a counter row bumped in the same transaction as the issue.

A rollback undoes the bump with everything else, so a number is never skipped; the row lock
(PostgreSQL) or the write lock (SQLite, BEGIN IMMEDIATE) makes two issuers queue, so a number
is never used twice.
"""

from __future__ import annotations

from sqlalchemy import update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from desktop_app.domain.errors import ValidationError
from desktop_app.domain.parties import optional_text
from desktop_app.messages import N_
from desktop_app.storage.models import NumberCounter

SAMPLE_FIELDS = {"year": 2026, "seq": 1}


def next_value(session: Session, company_id: int, kind: str, year: int) -> int:
    dialect = session.get_bind().dialect.name
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    session.execute(
        insert(NumberCounter)
        .values(company_id=company_id, kind=kind, year=year, last_value=0)
        .on_conflict_do_nothing()
    )
    return session.execute(
        update(NumberCounter)
        .where(
            NumberCounter.company_id == company_id,
            NumberCounter.kind == kind,
            NumberCounter.year == year,
        )
        .values(last_value=NumberCounter.last_value + 1)
        .returning(NumberCounter.last_value)
    ).scalar_one()


def format_number(pattern: str, year: int, seq: int) -> str:
    return pattern.format(year=year, seq=seq)


def check_pattern(pattern: str, field: str = "number-format") -> str:
    """A pattern must name {seq} so that every number differs; {year} is optional. Any
    other character may appear (``FV/{year}/{seq}``): file names are made safe from it."""
    pattern = optional_text(pattern, field, max_len=64)
    if "{seq" not in pattern:
        raise ValidationError(field, N_("must contain {seq}, e.g. INV-{year}-{seq:04d}"))
    try:
        sample = pattern.format(**SAMPLE_FIELDS)
    except (KeyError, IndexError, ValueError) as exc:
        raise ValidationError(field, N_("'{pattern}' is not a valid pattern ({error})"),
                              pattern=pattern, error=str(exc)) from None
    if len(sample) > 64:
        raise ValidationError(field, N_("gives numbers longer than 64 characters"))
    return pattern

"""The dated base-rate table behind statutory late interest: the shipped published rates
and the ones the user adds as they are announced (kept in the books' settings)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy.orm import Session

from desktop_app.domain.late_payment import SHIPPED_BASE_RATES, BaseRates, parse_rate_entry
from desktop_app.services.books import Books, audit
from desktop_app.storage.models import Setting

KEY = "base_rates"


@dataclass(frozen=True)
class BaseRateView:
    zone: str
    start: date
    rate: Decimal
    added: bool  # by the user (not shipped)


def _added(session: Session) -> list[tuple[str, date, Decimal]]:
    row = session.get(Setting, KEY)
    return [(z, date.fromisoformat(d), Decimal(r)) for z, d, r in json.loads(row.value)] \
        if row else []


def base_rates(session: Session) -> BaseRates:
    table: dict[str, dict[date, Decimal]] = {z: dict(e) for z, e in SHIPPED_BASE_RATES.items()}
    for zone, start, rate in _added(session):
        table.setdefault(zone, {})[start] = rate
    return {zone: sorted(entries.items()) for zone, entries in table.items()}


def add_base_rate(books: Books, zone: str, start: str | date, rate: str) -> BaseRateView:
    zone, day, value = parse_rate_entry(zone, start, rate)
    with books.db.write() as session:
        entries = [e for e in _added(session) if (e[0], e[1]) != (zone, day)]
        entries.append((zone, day, value))
        payload = json.dumps([[z, d.isoformat(), str(r)] for z, d, r in sorted(entries)])
        row = session.get(Setting, KEY)
        if row is None:
            session.add(Setting(key=KEY, value=payload))
        else:
            row.value = payload
        audit(session, books, "base_rate.add", "settings", None,
              {"zone": zone, "from": day.isoformat(), "rate": str(value)})
    return BaseRateView(zone, day, value, True)


def list_base_rates(books: Books) -> list[BaseRateView]:
    with books.db.read() as session:
        added = {(z, d) for z, d, _ in _added(session)}
        return [BaseRateView(zone, start, rate, (zone, start) in added)
                for zone, entries in base_rates(session).items() for start, rate in entries]

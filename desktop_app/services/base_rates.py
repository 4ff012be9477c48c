"""The dated base-rate table behind statutory late interest: the shipped published rates
and the ones the user adds as they are announced (kept in the books' settings)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Protocol

from sqlalchemy import Connection, select
from sqlalchemy.orm import Session

from desktop_app.domain.late_payment import (
    SHIPPED_BASE_RATES,
    BaseRates,
    LateCharges,
    late_charges,
    parse_rate_entry,
)
from desktop_app.services.books import Books, audit
from desktop_app.services.changes import OpChanges, states
from desktop_app.storage.models import Setting
from desktop_app.storage.tables import settings

KEY = "base_rates"


@dataclass(frozen=True)
class BaseRateView:
    zone: str
    start: date
    rate: Decimal
    added: bool  # by the user (not shipped)


def _added(db: Connection | Session) -> list[tuple[str, date, Decimal]]:
    """The rates the user added (read as a plain row: the follow-up's state is read so)."""
    value = db.execute(select(settings.c.value).where(settings.c.key == KEY)).scalar()
    return [(z, date.fromisoformat(d), Decimal(r)) for z, d, r in json.loads(value)] \
        if value else []


def base_rates(session: Connection | Session) -> BaseRates:
    table: dict[str, dict[date, Decimal]] = {z: dict(e) for z, e in SHIPPED_BASE_RATES.items()}
    for zone, start, rate in _added(session):
        table.setdefault(zone, {})[start] = rate
    return {zone: sorted(entries.items()) for zone, entries in table.items()}


@states(OpChanges.SETTINGS | OpChanges.INVOICES)
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


class FrozenLateTerms(Protocol):
    """What an issued invoice froze about paying late (an ORM invoice or a plain row)."""

    @property
    def late_rule(self) -> str | None: ...
    @property
    def customer_consumer(self) -> bool | None: ...
    @property
    def currency(self) -> str: ...
    @property
    def late_fee_minor(self) -> int: ...
    @property
    def fee_rule(self) -> str: ...
    @property
    def interest_annual_percent(self) -> Decimal | str: ...


def invoice_late_charges(inv: FrozenLateTerms, rates: BaseRates) -> LateCharges:
    """The fee and the day-by-day interest rate the invoice's frozen terms charge."""
    return late_charges(late_rule=inv.late_rule or "", consumer=bool(inv.customer_consumer),
                        currency=inv.currency, late_fee_minor=int(inv.late_fee_minor),
                        fee_rule=inv.fee_rule, interest_percent=Decimal(
                            inv.interest_annual_percent), rates=rates)

"""Statutory late interest: each half-year at its own published rate, summed exactly and
rounded once; a day without a published rate is refused, never guessed."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desktop_app.domain.errors import ValidationError
from desktop_app.domain.late_payment import (
    SHIPPED_BASE_RATES,
    STATUTORY,
    annual_rate,
    base_rate,
    parse_rate_entry,
    statutory_interest,
)

BGB = STATUTORY["de_288"]


def test_bgb_288_is_the_base_rate_plus_9_points_between_businesses_and_5_with_consumers():
    assert annual_rate(BGB, SHIPPED_BASE_RATES, date(2025, 8, 1), consumer=False) == \
        Decimal("10.27")
    assert annual_rate(BGB, SHIPPED_BASE_RATES, date(2025, 8, 1), consumer=True) == \
        Decimal("6.27")
    with pytest.raises(ValidationError, match="between businesses only"):
        annual_rate(STATUTORY["fr_l441"], SHIPPED_BASE_RATES, date(2025, 8, 1), consumer=True)


def test_a_period_over_a_rate_change_is_charged_at_each_rate():
    # 1,000.00 from 2025-06-01 (due 2025-05-31) to 2025-07-30: 30 days at 11.27 %, 30 at 10.27 %
    amount, spans = statutory_interest(100_000, date(2025, 5, 31), date(2025, 7, 30), BGB,
                                       SHIPPED_BASE_RATES, consumer=False)
    assert [(s.days, s.rate) for s in spans] == [(30, Decimal("11.27")),
                                                 (30, Decimal("10.27"))]
    exact = Decimal(100_000) * (Decimal("11.27") * 30 + Decimal("10.27") * 30) / 100 / 365
    assert amount == int(exact.to_integral_value(rounding="ROUND_HALF_UP")) == 1770


def test_a_day_without_a_published_rate_is_refused_by_name():
    with pytest.raises(ValidationError, match="add the published rate"):
        base_rate(SHIPPED_BASE_RATES, "DE", date(2026, 1, 1))
    added = {**SHIPPED_BASE_RATES, "DE": (*SHIPPED_BASE_RATES["DE"],
                                          (date(2026, 1, 1), Decimal("1.27")))}
    assert base_rate(added, "DE", date(2026, 3, 1)) == Decimal("1.27")
    with pytest.raises(ValidationError):
        parse_rate_entry("XX", "2026-01-01", "1.5")


@given(st.integers(1, 10**9), st.dates(date(2023, 1, 1), date(2025, 12, 1)),
       st.integers(1, 400))
def test_the_spans_cover_every_late_day_once(principal, due, days):
    as_of = min(due + timedelta(days=days), date(2025, 12, 31))
    amount, spans = statutory_interest(principal, due, as_of, BGB, SHIPPED_BASE_RATES,
                                       consumer=False)
    assert sum(s.days for s in spans) == max((as_of - due).days, 0)
    assert amount >= 0
    if spans:
        assert spans[0].start == due + timedelta(days=1)

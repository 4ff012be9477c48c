"""Statutory late interest: each half-year at its own published rate, summed exactly and
rounded once; a day without a published rate is refused, never guessed."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desktop_app.domain.errors import ValidationError
from desktop_app.domain.interest import (
    InterestRate,
    accrued_interest_minor,
    interest_per_stretch,
)
from desktop_app.domain.late_payment import (
    SHIPPED_BASE_RATES,
    STATUTORY,
    annual_rate,
    base_rate,
    late_charges,
    parse_rate_entry,
    rate_steps,
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


# --- statutory terms in the follow-up's engine (late_charges, rate_steps) --------------------

def test_the_rate_steps_hold_each_rate_for_its_half_year_and_then_no_rate():
    rate = InterestRate(rate_steps(BGB, SHIPPED_BASE_RATES, consumer=False))
    assert rate.spans(date(2025, 6, 20), date(2025, 7, 10)) == [
        (date(2025, 6, 20), date(2025, 6, 30), Decimal("11.27")),
        (date(2025, 7, 1), date(2025, 7, 10), Decimal("10.27"))]
    # 1 July 2025 + 184 days: no rate is published for 2026 in the shipped table
    assert rate.unknown_from(date(2025, 12, 1), date(2026, 2, 1)) == date(2026, 1, 1)
    assert rate.spans(date(2026, 1, 1), date(2026, 2, 1)) == []


def test_interest_on_each_days_balance_at_each_days_rate():
    """1,000.00 due 31 May 2025, 400.00 paid on 11 July: 30 days of 1,000 at 11.27 %, 10 days
    of 1,000 at 10.27 %, 20 days of 600 at 10.27 %, summed exactly and rounded once."""
    rate = InterestRate(rate_steps(BGB, SHIPPED_BASE_RATES, consumer=False))
    first, last = date(2025, 6, 1), date(2025, 7, 30)
    paid = [(date(2025, 7, 11), 40_000)]
    exact = (Decimal(100_000) * 30 * Decimal("11.27") + Decimal(100_000) * 10 * Decimal("10.27")
             + Decimal(60_000) * 20 * Decimal("10.27")) / 100 / 365
    expected = int(exact.to_integral_value(rounding="ROUND_HALF_UP"))
    assert accrued_interest_minor(100_000, paid, rate, first, last) == expected == 1545
    pieces = interest_per_stretch(100_000, paid, rate, first, last)
    assert [(s.days, s.balance_minor, s.rate_percent) for s, _ in pieces] == [
        (30, 100_000, Decimal("11.27")), (10, 100_000, Decimal("10.27")),
        (20, 60_000, Decimal("10.27"))]
    assert sum(share for _, share in pieces) == expected
    # a fixed rate reckons as before: one step
    assert accrued_interest_minor(100_000, paid, Decimal(8), first, last) == \
        accrued_interest_minor(100_000, paid, InterestRate.fixed(Decimal(8)), first, last)


@pytest.mark.parametrize(("rule", "consumer", "currency", "fee", "law", "rate_on_1_aug"), [
    ("de_288", False, "EUR", 40_00, "§ 288 BGB", Decimal("10.27")),
    ("de_288", True, "EUR", 0, "§ 288 BGB", Decimal("6.27")),
    ("de_288", False, "USD", 0, "§ 288 BGB", Decimal("10.27")),  # EUR 40 is in euros
    ("fr_l441", False, "EUR", 40_00, "art. L441-10 C. com.", Decimal("12.15")),
    ("fr_l441", True, "EUR", 0, "art. L441-10 C. com.", Decimal("7.5")),  # its own rate
    ("", False, "EUR", 5_00, "", Decimal("7.5")),
])
def test_statutory_terms_charge_the_flat_sum_once_per_invoice_from_a_business(
        rule, consumer, currency, fee, law, rate_on_1_aug):
    late = late_charges(late_rule=rule, consumer=consumer, currency=currency,
                        late_fee_minor=0 if rule else 5_00, fee_rule="per_reminder",
                        interest_percent=Decimal("7.5"), rates=SHIPPED_BASE_RATES)
    assert (late.fee_minor, late.law) == (fee, law)
    assert late.fee_rule == ("once_per_invoice" if rule else "per_reminder")
    day = date(2025, 8, 1)
    assert late.interest.spans(day, day) == [(day, day, rate_on_1_aug)]


def test_a_rate_the_user_adds_is_read_as_a_plain_number():
    assert parse_rate_entry("de", "2026-01-01", " 1.27 ") == (
        "DE", date(2026, 1, 1), Decimal("1.27"))
    for typed in ("1e0", "1_0", "１", "nan"):
        with pytest.raises(ValidationError, match="rate"):
            parse_rate_entry("DE", "2026-01-01", typed)

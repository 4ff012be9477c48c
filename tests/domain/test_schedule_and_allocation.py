from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desktop_app.domain.errors import ValidationError
from desktop_app.domain.schedule import When, add_months, build_schedule, shares_for
from desktop_app.domain.status import InvoiceStatus, Lifecycle, invoice_status

ISSUE = date(2026, 1, 31)


def test_30_30_40_on_1000_01_sums_exactly():
    plan = build_schedule(100001, "30/30/40", ISSUE, 30)
    assert [p.amount_minor for p in plan] == [30000, 30000, 40001]
    assert sum(p.amount_minor for p in plan) == 100001
    assert [p.due_date for p in plan] == [ISSUE, ISSUE + timedelta(30), ISSUE + timedelta(60)]
    assert plan[0].label == "Deposit" and plan[-1].label == "Final payment"


def test_every_overrides_the_spacing():
    plan = build_schedule(1000, "50/50", ISSUE, 30, every=14)
    assert plan[1].due_date == ISSUE + timedelta(14)


def test_monthly_clamps_to_month_end():
    plan = build_schedule(90000, "monthly:3", date(2026, 1, 1), 30)
    assert [p.due_date for p in plan] == [date(2026, 1, 31), date(2026, 2, 28),
                                         date(2026, 3, 31)]
    assert add_months(date(2024, 1, 31), 1) == date(2024, 2, 29)


def test_deposit_then_monthly():
    plan = build_schedule(100000, "deposit:30,monthly:5", ISSUE, 30)
    assert plan[0].amount_minor == 30000 and plan[0].due_date == ISSUE
    assert [p.amount_minor for p in plan[1:]] == [14000] * 5
    assert plan[1].due_date == date(2026, 2, 28)


def test_custom_schedule():
    plan = build_schedule(1000, "custom:25@2026-02-10,75@2026-03-01", ISSUE, 30)
    assert [(p.due_date, p.amount_minor) for p in plan] == [
        (date(2026, 2, 10), 250), (date(2026, 3, 1), 750)]


@pytest.mark.parametrize("spec", ["30/30", "abc", "monthly:0", "deposit:100,monthly:2",
                                  "custom:50@2020-01-01,50@2026-03-01", "custom:100"])
def test_bad_schedules_are_refused(spec):
    with pytest.raises(ValidationError) as err:
        build_schedule(1000, spec, ISSUE, 30)
    assert err.value.field == "schedule"


specs = st.one_of(
    st.just(""), st.just("30/30/40"), st.just("50/50"),
    st.integers(1, 24).map(lambda n: f"monthly:{n}"),
    st.tuples(st.integers(1, 99), st.integers(1, 12))
    .map(lambda t: f"deposit:{t[0]},monthly:{t[1]}"),
)


@given(total=st.integers(0, 10**11), spec=specs, net=st.integers(0, 120))
def test_every_schedule_sums_to_the_total(total, spec, net):
    plan = build_schedule(total, spec, ISSUE, net)
    assert sum(p.amount_minor for p in plan) == total
    assert all(p.amount_minor >= 0 for p in plan)
    assert [p.due_date for p in plan] == sorted(p.due_date for p in plan)


@pytest.mark.parametrize(("spec", "whens"), [
    ("30/30/40", [When(), When(days=30), When(days=60)]),
    ("single", [When(days=30)]),
    ("monthly:3", [When(days=30), When(months=1, after_first=True),
                   When(months=2, after_first=True)]),
    ("deposit:20,monthly:2", [When(), When(months=1), When(months=2)]),
    ("custom:50@2026-03-01,50@2026-04-01", [When(day=date(2026, 3, 1)),
                                            When(day=date(2026, 4, 1))]),
])
def test_each_share_says_when_it_falls_due_whatever_the_first_day(spec, whens):
    """A quote names when each share falls due before the invoice's day is known: the rule
    gives the same dates from any first day."""
    for start in (date(2026, 1, 31), date(2026, 2, 14)):
        shares = shares_for(spec, start, 30)
        assert [s.when for s in shares] == whens
        first = shares[0].due
        for share in shares:
            when = share.when
            base = first if when.after_first else start
            expected = when.day or add_months(base + timedelta(days=when.days), when.months)
            assert share.due == expected
    assert [w.at_start for w in whens][:1] == [spec.startswith(("30/", "deposit"))]


def test_status_is_derived():
    assert invoice_status(Lifecycle.ISSUED, 100, 0) is InvoiceStatus.ISSUED
    assert invoice_status(Lifecycle.ISSUED, 100, 40) is InvoiceStatus.PARTIALLY_PAID
    assert invoice_status(Lifecycle.ISSUED, 100, 100) is InvoiceStatus.PAID
    assert invoice_status(Lifecycle.VOID, 100, 40) is InvoiceStatus.VOID
    assert invoice_status(Lifecycle.DRAFT, 100, 0) is InvoiceStatus.DRAFT

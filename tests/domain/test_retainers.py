"""Which periods a retainer bills, when, and at what price."""

import itertools
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desktop_app.domain.errors import ValidationError
from desktop_app.domain.retainers import (
    Pause,
    Schedule,
    all_periods,
    check_schedule,
    coming_periods,
    due_periods,
    price_from,
    status,
)


def test_monthly_on_the_fifth_from_the_first_whole_month():
    schedule = Schedule("month", 5, date(2026, 1, 15), count=3)
    periods = list(all_periods(schedule))
    assert [(p.start, p.end, p.issue_on) for p in periods] == [
        (date(2026, 2, 1), date(2026, 2, 28), date(2026, 2, 5)),
        (date(2026, 3, 1), date(2026, 3, 31), date(2026, 3, 5)),
        (date(2026, 4, 1), date(2026, 4, 30), date(2026, 4, 5)),
    ]


def test_a_day_past_the_end_of_a_short_month_is_its_last_day():
    periods = list(all_periods(Schedule("month", 31, date(2026, 2, 1), count=2)))
    assert [p.issue_on for p in periods] == [date(2026, 2, 28), date(2026, 3, 31)]


def test_quarters_and_years_are_calendar_periods():
    quarters = list(all_periods(Schedule("quarter", 1, date(2026, 2, 10), count=2)))
    assert [(p.start, p.end) for p in quarters] == [(date(2026, 4, 1), date(2026, 6, 30)),
                                                    (date(2026, 7, 1), date(2026, 9, 30))]
    years = list(all_periods(Schedule("year", 15, date(2026, 1, 1), ends_on=date(2027, 1, 1))))
    assert [(p.start, p.end, p.issue_on) for p in years] == [
        (date(2026, 1, 1), date(2026, 12, 31), date(2026, 1, 15)),
        (date(2027, 1, 1), date(2027, 12, 31), date(2027, 1, 15))]


def test_missed_periods_come_in_order_and_issued_ones_never_again():
    schedule = Schedule("month", 1, date(2026, 1, 1))
    due = due_periods(schedule, [], set(), date(2026, 3, 20))
    assert [p.start for p in due] == [date(2026, 1, 1), date(2026, 2, 1), date(2026, 3, 1)]
    assert [p.start for p in due_periods(schedule, [], {date(2026, 1, 1), date(2026, 2, 1)},
                                         date(2026, 3, 20))] == [date(2026, 3, 1)]


def test_a_pause_skips_the_periods_whose_day_falls_in_it_for_good():
    schedule = Schedule("month", 1, date(2026, 1, 1))
    pauses = [Pause(date(2026, 2, 1), date(2026, 3, 15))]
    due = due_periods(schedule, pauses, {date(2026, 1, 1)}, date(2026, 4, 2))
    assert [p.start for p in due] == [date(2026, 4, 1)]
    open_pause = [Pause(date(2026, 2, 1))]
    assert due_periods(schedule, open_pause, {date(2026, 1, 1)}, date(2026, 4, 2)) == []
    assert status(schedule, open_pause, {date(2026, 1, 1)}, date(2026, 4, 2)) == "paused"
    assert coming_periods(schedule, open_pause, set(), date(2026, 4, 2)) == []


def test_a_retainer_ends_when_its_last_period_is_invoiced():
    schedule = Schedule("month", 1, date(2026, 1, 1), count=2)
    assert status(schedule, [], {date(2026, 1, 1)}, date(2026, 1, 2)) == "active"
    assert status(schedule, [], {date(2026, 1, 1), date(2026, 2, 1)},
                  date(2026, 2, 2)) == "ended"


def test_a_price_change_applies_to_the_periods_that_start_on_or_after_its_day():
    prices = [(date(2026, 1, 1), "old"), (date(2026, 3, 10), "new")]
    assert price_from(prices, date(2026, 3, 1)) == "old"  # begun before: keeps its price
    assert price_from(prices, date(2026, 4, 1)) == "new"
    assert price_from([(date(2026, 5, 1), "first")], date(2026, 1, 1)) == "first"


@pytest.mark.parametrize(("schedule", "field"), [
    (Schedule("week", 1, date(2026, 1, 1)), "every"),
    (Schedule("month", 0, date(2026, 1, 1)), "day"),
    (Schedule("month", 32, date(2026, 1, 1)), "day"),
    (Schedule("month", 1, date(2026, 1, 1), ends_on=date(2026, 5, 1), count=2), "end"),
    (Schedule("month", 1, date(2026, 1, 1), count=0), "count"),
    (Schedule("month", 1, date(2026, 1, 2), ends_on=date(2026, 1, 31)), "end"),
])
def test_a_schedule_that_cannot_be_is_refused_naming_its_field(schedule, field):
    with pytest.raises(ValidationError) as refused:
        check_schedule(schedule)
    assert refused.value.field == field


@given(every=st.sampled_from(["month", "quarter", "year"]), day=st.integers(1, 31),
       start=st.dates(date(2020, 1, 1), date(2030, 12, 31)), count=st.integers(1, 30),
       runs=st.lists(st.integers(0, 400), min_size=1, max_size=8))
def test_runs_on_any_days_invoice_every_period_once_back_to_back(every, day, start, count,
                                                                 runs):
    schedule = Schedule(every, day, start, count=count)
    issued: list = []
    as_of = start
    for gap in sorted(runs):
        as_of = start + timedelta(days=gap)
        for period in due_periods(schedule, [], set(issued), as_of):
            assert period.issue_on <= as_of
            issued.append(period.start)
    assert len(issued) == len(set(issued)) and issued == sorted(issued)
    periods = list(all_periods(schedule))
    assert len(periods) == count
    for before, after in itertools.pairwise(periods):
        assert after.start == before.end + timedelta(days=1)
    assert issued == [p.start for p in periods if p.issue_on <= as_of]

"""Asking whether the invoice arrived (seed 003): a few days after it went out, well before it
is due, once per invoice, and never when the customer already confirmed it."""

from dataclasses import replace
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from desktop_app.domain.errors import ValidationError
from desktop_app.domain.followup import (
    DEFAULT_POLICY,
    DayCutoffs,
    ItemState,
    Policy,
    Stage,
    batches,
    may_act,
    plan_item,
    receipt_check_window,
    record,
)

ISSUE = date(2026, 3, 2)
POLICY = DEFAULT_POLICY


def item(net_days: int = 30, **kw) -> ItemState:
    base = dict(installment_id=1, invoice_id=1, customer_id=1, issue_date=ISSUE,
                due_date=ISSUE + timedelta(days=net_days), open_minor=100_00)
    return ItemState(**{**base, **kw})


def season(state: ItemState, days: int, *, runs=lambda day: True,
           change=None) -> list[tuple[int, str, tuple[str, ...]]]:
    """(days after issue, stage, channels) of each action, running on the days ``runs``
    says and carrying out what the plan asks."""
    seen = []
    for n in range(days):
        day = ISSUE + timedelta(days=n)
        if change:
            state = change(day, state)
        if not runs(day):
            continue
        action = plan_item(state, POLICY, day)
        if action:
            seen.append((n, action.stage, action.channels))
            state = record(state, action, day, POLICY)
    return seen


def test_three_days_after_the_invoice_went_out_the_customer_is_asked_once():
    seen = season(item(), 40)
    assert seen[:3] == [(0, "invoice", ("email",)), (3, "receipt", ("email",)),
                        (23, "upcoming", ("email",))]
    assert [s for _, s, _ in seen].count("receipt") == 1


def test_counted_from_the_day_it_really_went_out():
    # Nobody opened the books for four days: the invoice goes on day 4, the question day 7.
    seen = season(item(), 20, runs=lambda day: day >= ISSUE + timedelta(days=4))
    assert seen == [(4, "invoice", ("email",)), (7, "receipt", ("email",))]


def test_a_recorded_receipt_stops_the_question():
    received = season(item(), 30, change=lambda day, s: replace(s, receipt_recorded=True)
                      if day == ISSUE + timedelta(days=2) else s)
    assert "receipt" not in [s for _, s, _ in received]


def test_a_customer_who_prefers_the_phone_gets_a_call_task():
    assert season(item(prefers_call=True), 5)[1] == (3, "receipt", ("call",))
    # Without an email address the call is the only way to ask.
    no_email = item(reachable=("letter", "call", "task"))
    assert season(no_email, 5) == [(0, "invoice", ("letter",)), (3, "receipt", ("call",))]


def test_not_when_the_invoice_is_due_too_soon_for_the_question_to_help():
    # Net 10: the friendly note a week before due falls on day 3; no question beside it.
    assert [s for _, s, _ in season(item(net_days=10), 12)] == ["invoice", "upcoming", "due"]
    assert receipt_check_window(POLICY, sent=ISSUE, due=ISSUE + timedelta(days=10)) is None
    assert receipt_check_window(POLICY, sent=ISSUE, due=ISSUE + timedelta(days=14)) == (
        ISSUE + timedelta(days=3), ISSUE + timedelta(days=6))


def test_once_its_days_passed_unasked_the_ladder_goes_on_without_it():
    seen = season(item(), 40, runs=lambda day: day in (ISSUE, ISSUE + timedelta(days=25)))
    assert [s for _, s, _ in seen] == ["invoice", "upcoming"]


def test_only_the_first_open_installment_asks_and_only_after_the_invoice():
    assert plan_item(item(first_of_invoice=False, done=frozenset({"invoice"}),
                          invoice_sent_on=ISSUE), POLICY, ISSUE + timedelta(days=3)) is None
    # Never sent (no channel until now): no question about what never went.
    assert plan_item(item(reachable=("task",)), POLICY, ISSUE + timedelta(days=3)) is None


def test_the_question_is_a_message_of_its_own():
    sent = item(done=frozenset({"invoice"}), invoice_sent_on=ISSUE)
    other = replace(item(installment_id=2, invoice_id=2), issue_date=ISSUE + timedelta(days=3))
    day = ISSUE + timedelta(days=3)
    actions = [a for a in (plan_item(sent, POLICY, day), plan_item(other, POLICY, day)) if a]
    assert sorted(a.stage for a in actions) == ["invoice", "receipt"]
    assert sorted(b.stage for b in batches(actions, POLICY)) == ["invoice", "receipt"]


def test_a_policy_asks_at_most_once_and_after_sending():
    invoice = Stage("invoice", 0, ("email",), anchor="issue")
    ask = Stage("receipt", 3, ("email",), anchor="sent")
    with pytest.raises(ValidationError, match="only one stage can ask"):
        Policy("P", (invoice, ask, replace(ask, name="again")))
    with pytest.raises(ValidationError, match="at least a day"):
        Policy("P", (invoice, replace(ask, offset_days=0)))
    with pytest.raises(ValidationError, match="not by letter"):
        Policy("P", (invoice, replace(ask, channels=("letter",))))
    assert Policy("P", (invoice, ask)).rank("receipt") == 0


@settings(max_examples=150, deadline=None)
@given(net_days=st.integers(0, 60), sent_after=st.integers(0, 10),
       received_on=st.one_of(st.none(), st.integers(0, 30)),
       skipped=st.sets(st.integers(0, 70), max_size=30))
def test_asked_at_most_once_never_after_receipt_and_well_before_due(
        net_days, sent_after, received_on, skipped):
    state = item(net_days=net_days)
    due = state.due_date
    sent_on: date | None = None
    asked = []
    for n in range(80):
        day = ISSUE + timedelta(days=n)
        if received_on is not None and n == received_on:
            state = replace(state, receipt_recorded=True)
        if n in skipped or n < sent_after:
            continue
        cuts = DayCutoffs.of(POLICY, day)
        action = plan_item(state, POLICY, day)
        if action is not None and action.stage == "receipt":
            # the quick test never passes over what the plan would do
            assert may_act(POLICY, cuts, done=state.done, channels_done=state.channels_done,
                           due=due, issue=state.issue_date, first_of_invoice=True)
            asked.append(day)
        if action is not None:
            state = record(state, action, day, POLICY)
            if action.stage == "invoice":
                sent_on = day
    assert len(asked) <= 1
    for day in asked:
        assert sent_on is not None and day >= sent_on + timedelta(days=3)
        assert day < due - timedelta(days=7)
        assert received_on is None or day < ISSUE + timedelta(days=received_on)

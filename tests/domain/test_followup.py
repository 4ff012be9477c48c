"""The follow-up ladder as a pure function: replays, skips, pauses, and never a stage twice."""

from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from desktop_app.domain.errors import ValidationError
from desktop_app.domain.followup import (
    DEFAULT_POLICY,
    Action,
    DayCutoffs,
    ItemState,
    Policy,
    Stage,
    batches,
    claim_fees,
    may_act,
    plan_for,
    plan_item,
    policy_from_json,
    policy_to_json,
    record,
)

ISSUE = date(2026, 3, 2)
DUE = ISSUE + timedelta(days=30)
SENT = {"done": frozenset({"invoice"}), "invoice_sent_on": ISSUE}  # the invoice went out
# ... and the first reminder on its day, by email and letter
REMINDED = {"done": frozenset({"invoice", "reminder_1"}), "invoice_sent_on": ISSUE,
            "channels_done": {"reminder_1": ("email", "letter")},
            "sent_on": {"reminder_1": DUE + timedelta(days=5)},
            "last_recorded_on": DUE + timedelta(days=5)}


def item(**kw) -> ItemState:
    base = dict(installment_id=1, invoice_id=1, customer_id=1, issue_date=ISSUE, due_date=DUE,
                open_minor=100_00)
    return ItemState(**{**base, **kw})


def replay(state: ItemState, start: date, days: int, policy: Policy = DEFAULT_POLICY,
           change=None) -> list[tuple[int, str, tuple[str, ...]]]:
    """Run the plan every day and carry out what it says; (day offset from due, stage,
    skipped) for each action. ``change(day, state)`` may alter the state before a run."""
    seen = []
    for n in range(days):
        day = start + timedelta(days=n)
        if change:
            state = change(day, state)
        action = plan_item(state, policy, day)
        if action:
            seen.append(((day - state.due_date).days, action.stage, action.skipped))
            state = record(state, action, day, policy)
    return seen


def test_default_policy_is_the_domain_table():
    assert [(s.name, s.offset_days, s.channels) for s in DEFAULT_POLICY.stages] == [
        ("invoice", 0, ("email",)), ("receipt", 3, ("email", "call")),
        ("upcoming", -7, ("email",)), ("due", 0, ("email",)),
        ("reminder_1", 5, ("email", "letter")), ("call", 8, ("call",)),
        ("reminder_2", 14, ("email", "letter")), ("final_notice", 30, ("email", "letter")),
        ("handover", 45, ("letter", "task")),
    ]
    final = DEFAULT_POLICY.stage("final_notice")
    assert final.hold_customer and final.stop_work and "executive" in final.cc_roles
    assert DEFAULT_POLICY.stage("reminder_2").cc_roles == ("accounts_payable", "sales_rep")
    assert DEFAULT_POLICY.stage("call").to_roles == ("accounts_payable",)
    assert DEFAULT_POLICY.stage("handover").dossier


def test_an_invoice_never_paid_climbs_the_whole_ladder_once():
    assert replay(item(), ISSUE, 120) == [
        (-30, "invoice", ()), (-27, "receipt", ()), (-7, "upcoming", ()), (0, "due", ()),
        (5, "reminder_1", ()), (8, "call", ()), (14, "reminder_2", ()), (30, "final_notice", ()),
        (45, "handover", ()),
    ]


def test_a_skipped_stretch_never_passes_over_the_first_reminder():
    """Issue 14: after runs were skipped the customer's first message was "Second reminder
    ... despite our earlier reminder", with a fee. The first reminder goes first; the
    ladder's spacing then counts from the day it actually went out."""
    state = record(item(), plan_item(item(), DEFAULT_POLICY, ISSUE), ISSUE, DEFAULT_POLICY)
    day15 = DUE + timedelta(days=15)
    action = plan_item(state, DEFAULT_POLICY, day15)
    assert (action.stage, action.skipped, action.fee_minor) == (
        "reminder_1", ("upcoming", "due"), 0)
    state = record(state, action, day15, DEFAULT_POLICY)
    assert plan_item(state, DEFAULT_POLICY, day15) is None
    assert replay(state, day15 + timedelta(days=1), 60) == [
        (18, "call", ()), (24, "reminder_2", ()), (40, "final_notice", ()),
        (55, "handover", ())]


def test_reminders_after_the_first_collapse_into_the_most_advanced_one():
    state = item(**SENT)
    day5 = DUE + timedelta(days=5)
    state = record(state, plan_item(state, DEFAULT_POLICY, day5), day5, DEFAULT_POLICY)
    # Nobody ran the follow-up for a month: one final notice, not three letters.
    day35 = DUE + timedelta(days=35)
    action = plan_item(state, DEFAULT_POLICY, day35)
    assert (action.stage, action.skipped) == ("final_notice", ("reminder_2",))
    # The call is not passed over with the letters: it is on the list beside them.
    assert [(a.stage, a.channels) for a in plan_for([state], DEFAULT_POLICY, day35)] == [
        ("final_notice", ("email", "letter")), ("call", ("call",))]


def _stages(state: ItemState, day: date) -> list[tuple[str, tuple[str, ...]]]:
    return [(a.stage, a.channels) for a in plan_for([state], DEFAULT_POLICY, day)]


def test_a_call_due_behind_the_first_reminder_is_on_the_list_beside_it():
    # 25 days late, nothing done (no mail account, say): the first written reminder goes
    # with the invoice, and the call that fell due on day 8 is on the list too.
    day25 = DUE + timedelta(days=25)
    assert _stages(item(), day25) == [("reminder_1", ("email", "letter")), ("call", ("call",))]


def test_a_call_made_first_does_not_pass_over_the_first_written_reminder():
    day25 = DUE + timedelta(days=25)
    [_, call] = plan_for([item()], DEFAULT_POLICY, day25)
    state = record(item(), call, day25, DEFAULT_POLICY)
    # The letter still goes, as the first reminder, with the invoice; the call is not asked
    # for again.
    action = plan_item(state, DEFAULT_POLICY, day25)
    assert (action.stage, action.with_invoice) == ("reminder_1", True)
    assert _stages(state, day25) == [("reminder_1", ("email", "letter"))]
    state = record(state, action, day25, DEFAULT_POLICY)
    later = [_stages(state, day25 + timedelta(days=n)) for n in range(1, 40)]
    assert all(stage != "call" for day in later for stage, _ in day)


def test_a_call_left_undone_stays_on_the_list_until_made_and_then_not_again():
    day25 = DUE + timedelta(days=25)
    [letter, _] = plan_for([item()], DEFAULT_POLICY, day25)
    state = record(item(), letter, day25, DEFAULT_POLICY)
    assert ("call", ("call",)) in _stages(state, day25 + timedelta(days=1))
    [call] = [a for a in plan_for([state], DEFAULT_POLICY, day25 + timedelta(days=1))
              if a.stage == "call"]
    state = record(state, call, day25 + timedelta(days=1), DEFAULT_POLICY)
    later = [_stages(state, day25 + timedelta(days=n)) for n in range(2, 60)]
    assert all(stage != "call" for day in later for stage, _ in day)


def test_a_call_beside_a_reminder_with_a_fee_charges_no_fee_of_its_own():
    # The second reminder charges the fee; the call of day 8 nobody made goes beside it on
    # the same installment and must not carry that fee a second time.
    day15 = DUE + timedelta(days=15)
    for rule in ("per_reminder", "per_invoice", "once_per_invoice"):
        state = item(late_fee_minor=5_00, fee_rule=rule, **REMINDED)
        actions = plan_for([state], DEFAULT_POLICY, day15)
        assert [a.stage for a in actions] == ["reminder_2", "call"]
        charged = {a.stage: (a.fee_minor, a.fee_covers)
                   for a in claim_fees(actions, {1: state}, DEFAULT_POLICY)}
        assert charged == {"reminder_2": (5_00, (1,)), "call": (0, ())}


def test_the_first_run_on_an_overdue_invoice_sends_the_invoice_with_a_first_reminder():
    action = plan_item(item(), DEFAULT_POLICY, DUE + timedelta(days=6))
    # The friendly notes waited for the invoice, and the invoice goes with the reminder.
    assert (action.stage, action.skipped, action.with_invoice) == ("reminder_1", (), True)
    state = record(item(), action, DUE + timedelta(days=6), DEFAULT_POLICY)
    assert "invoice" in state.done and state.invoice_sent_on == DUE + timedelta(days=6)


def test_paid_held_and_exempt_items_get_nothing():
    day = DUE + timedelta(days=20)
    assert plan_item(item(open_minor=0), DEFAULT_POLICY, day) is None
    assert plan_item(item(held=True), DEFAULT_POLICY, day) is None
    assert plan_for([item()], {}, day) == []  # no policy for the customer: exempt


def test_a_deposit_due_on_issue_is_not_reminded_the_same_day_as_the_invoice():
    deposit = item(due_date=ISSUE, open_minor=30_00)
    final = item(installment_id=2, first_of_invoice=False, open_minor=70_00,
                 invoice_sent_on=ISSUE)
    seen_deposit = replay(deposit, ISSUE, 60)
    seen_final = replay(final, ISSUE, 60)
    assert [s for _, s, _ in seen_deposit] == [
        "invoice", "reminder_1", "call", "reminder_2", "final_notice", "handover"]
    assert [s for _, s, _ in seen_final] == ["upcoming", "due", "reminder_1", "call",
                                             "reminder_2"]


def test_an_open_promise_pauses_and_a_broken_one_escalates_at_once():
    promised = DUE + timedelta(days=10)

    def change(day, state):
        if day == DUE + timedelta(days=6):
            return replace(state, paused_until=promised + timedelta(days=2))
        if day == promised + timedelta(days=3):  # the promise is broken today
            return replace(state, paused_until=None, escalate_from=day)
        return state

    seen = replay(item(), ISSUE, 80, change=change)
    assert seen[:5] == [(-30, "invoice", ()), (-27, "receipt", ()), (-7, "upcoming", ()),
                        (0, "due", ()), (5, "reminder_1", ())]
    # Paused through day 12; broken on day 13: the next stage (call) at once, then the
    # ladder continues on its own days (reminder_2 on day 14).
    assert seen[5:] == [(13, "call", ()), (14, "reminder_2", ()), (30, "final_notice", ()),
                        (45, "handover", ())]


def test_a_kept_payment_plan_pauses_the_ladder_and_a_missed_one_restarts_it_above_its_floor():
    plan_inst = item(installment_id=9, first_of_invoice=False, due_date=DUE + timedelta(40),
                     floor="reminder_2", plan_active=True, invoice_sent_on=ISSUE)
    assert replay(plan_inst, DUE + timedelta(days=20), 30) == [(-7, "upcoming", ()),
                                                              (0, "due", ())]
    broken_on = plan_inst.due_date + timedelta(days=6)
    state = replace(plan_inst, plan_active=False, escalate_from=broken_on,
                    done=frozenset({"upcoming", "due"}), last_recorded_on=plan_inst.due_date)
    action = plan_item(state, DEFAULT_POLICY, broken_on)
    assert (action.stage, action.skipped) == ("final_notice", ())


def test_fees_and_interest_are_charged_per_stage_and_interest_never_twice():
    state = item(late_fee_minor=5_00, interest_rate=Decimal("8"), grace_days=3,
                 **REMINDED)
    day14 = DUE + timedelta(days=14)
    first = plan_item(state, DEFAULT_POLICY, day14)
    assert first.stage == "reminder_2" and first.fee_minor == 5_00
    # 100.00 x 8 % / 365 x (14 - 3) days = 0.2411 -> 0.24
    assert first.interest_minor == 24
    state = record(state, first, day14, DEFAULT_POLICY)
    day30 = DUE + timedelta(days=30)
    second = plan_item(state, DEFAULT_POLICY, day30)
    # 100.00 x 8 % / 365 x 27 = 0.5918 -> 0.59 in all, 0.24 of it charged already
    assert second.stage == "final_notice" and second.interest_minor == 59 - 24
    assert first.total_minor == 100_00 + 5_00 + 24


def test_a_write_off_is_suggested_when_the_step_costs_more_than_is_open():
    stages = tuple(replace(s, cost_minor=150_00) if s.name == "handover" else s
                   for s in DEFAULT_POLICY.stages)
    policy = Policy("Costly", stages)
    day = DUE + timedelta(days=46)
    assert plan_item(item(open_minor=99_00, **REMINDED), policy, day).suggest_write_off
    assert not plan_item(item(open_minor=200_00, **REMINDED), policy, day).suggest_write_off


def test_one_customers_items_go_in_one_message_per_channel_in_the_firmest_tone():
    day = DUE + timedelta(days=14)
    a = item(installment_id=1, invoice_id=1, **REMINDED)
    b = item(installment_id=2, invoice_id=2, due_date=DUE + timedelta(days=8),
             **SENT)
    other = item(installment_id=3, invoice_id=3, customer_id=2, **REMINDED)
    actions = plan_for([a, b, other], DEFAULT_POLICY, day)
    # The calls of day 8 nobody made are on the list too, each on its own.
    assert {(x.installment_id, x.stage) for x in actions} == {
        (1, "reminder_2"), (2, "reminder_1"), (3, "reminder_2"), (1, "call"), (3, "call")}
    grouped = batches(actions, DEFAULT_POLICY)
    mine = [g for g in grouped if g.customer_id == 1]
    assert sorted((g.channel, g.stage, len(g.actions)) for g in mine) == [
        ("call", "call", 1), ("email", "reminder_2", 2), ("letter", "reminder_2", 2)]


def test_calls_and_tasks_stay_one_per_installment():
    day = DUE + timedelta(days=46)
    actions = plan_for([item(**REMINDED), item(installment_id=2, invoice_id=2, **REMINDED)],
                       DEFAULT_POLICY, day)
    tasks = [b for b in batches(actions, DEFAULT_POLICY) if b.channel == "task"]
    assert [len(b.actions) for b in tasks] == [1, 1]


def test_policies_round_trip_and_bad_ones_are_refused_with_the_field_named():
    assert policy_from_json(policy_to_json(DEFAULT_POLICY)) == DEFAULT_POLICY
    with pytest.raises(ValidationError, match="order"):
        Policy("x", (Stage("a", 10, ("email",)), Stage("b", 5, ("email",))))
    with pytest.raises(ValidationError, match="'fax' is not one of"):
        Policy("x", (Stage("a", 10, ("fax",)),))
    with pytest.raises(ValidationError, match="appears twice"):
        Policy("x", (Stage("a", 1, ("email",)), Stage("a", 2, ("email",))))
    with pytest.raises(ValidationError, match="'boss' is not one of"):
        Policy("x", (Stage("a", 1, ("email",), cc_roles=("boss",)),))
    with pytest.raises(ValidationError, match="unknown setting"):
        policy_from_json('{"name": "x", "stages": [{"name": "a", "offset_days": 1, '
                         '"channels": ["email"], "colour": "red"}]}')


events = st.lists(st.tuples(
    st.integers(0, 9),                      # days until the next run
    st.sampled_from(["run", "run", "pay", "promise", "break", "hold", "release", "rerun",
                     "email_only", "letter_only"]),
    st.integers(1, 40_00),
), min_size=1, max_size=60)


@settings(max_examples=300, deadline=None)
@given(events=events, start=st.integers(-40, 60), schedule=st.booleans())
def test_no_sequence_of_runs_payments_and_promises_repeats_a_stage(events, start, schedule):
    """Whatever happens, every stage goes out at most once per installment and channel (and
    a skipped stage never goes out at all)."""
    states = [item(open_minor=100_00), item(installment_id=2, first_of_invoice=False,
                                            due_date=DUE + timedelta(days=30),
                                            open_minor=50_00, invoice_sent_on=ISSUE)]
    if not schedule:
        states = states[:1]
    day = DUE + timedelta(days=start)
    recorded: dict[int, list[str]] = {s.installment_id: [] for s in states}
    for gap, kind, amount in events:
        day += timedelta(days=gap)
        new_states = []
        for state in states:
            if kind == "pay":
                state = replace(state, open_minor=max(state.open_minor - amount, 0))
            elif kind == "promise":
                state = replace(state, paused_until=day + timedelta(days=amount % 20))
            elif kind == "break":
                state = replace(state, paused_until=None, escalate_from=day)
            elif kind == "hold":
                state = replace(state, held=True)
            elif kind == "release":
                state = replace(state, held=False)
            runs = 2 if kind == "rerun" else 1
            for _ in range(runs):
                action: Action | None = plan_item(state, DEFAULT_POLICY, day)
                if action is not None and not (state.escalate_from or state.paused_until):
                    # The quick test the big-book plan uses never passes over real work.
                    assert may_act(DEFAULT_POLICY, DayCutoffs.of(DEFAULT_POLICY, day),
                                   done=state.done, channels_done=state.channels_done,
                                   due=state.due_date, issue=state.issue_date,
                                   first_of_invoice=state.first_of_invoice)
                if action is not None and kind.endswith("_only"):
                    action = action.only([kind.removesuffix("_only")])
                if action is not None:
                    recorded[state.installment_id] += [
                        *action.skipped, *(f"{action.stage}:{c}" for c in action.channels)]
                    state = record(state, action, day, DEFAULT_POLICY)
            new_states.append(state)
        states = new_states
    for stages in recorded.values():
        assert len(stages) == len(set(stages))
        skipped = {s for s in stages if ":" not in s}
        assert not any(s.split(":")[0] in skipped for s in stages if ":" in s)


def test_a_stage_can_go_by_email_now_and_by_letter_later_but_each_only_once():
    day = DUE + timedelta(days=5)
    state = item(**SENT, channels_done={"invoice": ("email",)})
    email = plan_item(state, DEFAULT_POLICY, day).only(["email"])
    state = record(state, email, day, DEFAULT_POLICY)
    letter = plan_item(state, DEFAULT_POLICY, day)
    assert (letter.stage, letter.channels, letter.fee_minor) == ("reminder_1", ("letter",), 0)
    state = record(state, letter, day, DEFAULT_POLICY)
    assert plan_item(state, DEFAULT_POLICY, day) is None
    with pytest.raises(ValidationError, match="already"):
        record(state, letter, day, DEFAULT_POLICY)


def test_a_customer_without_email_gets_the_invoice_by_post_and_no_courtesy_emails():
    postal = item(reachable=("letter", "call", "task"))
    seen = replay(postal, ISSUE, 70)
    # No email: whether the invoice arrived is asked by phone.
    assert [s for _, s, _ in seen] == ["invoice", "receipt", "reminder_1", "call",
                                        "reminder_2", "final_notice"]
    first = plan_item(postal, DEFAULT_POLICY, ISSUE)
    assert first.channels == ("letter",)


def test_an_action_narrowed_by_a_generator_keeps_every_channel_it_names():
    """Issue 14: without a mail account no letter was printed either: the channels left
    after taking email away were read from a generator, used up after the first look."""
    action = plan_item(item(**SENT), DEFAULT_POLICY, DUE + timedelta(days=5))
    assert action.channels == ("email", "letter")
    assert action.only(c for c in action.channels if c != "email").channels == ("letter",)

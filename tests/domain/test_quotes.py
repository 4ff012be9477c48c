"""The quote ladder and a quote's states: each step once, never a burst, nothing after the
validity but the expiry."""

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desktop_app.domain import quotes as rules
from desktop_app.domain.errors import RuleViolation, ValidationError

SENT = date(2026, 3, 2)


def run(ladder, *, sent_on, valid, days, state="sent"):
    """The daily run on each of ``days``: what each day recorded, by step name."""
    recorded: dict[str, tuple[date, str]] = {}
    by_day: dict[date, list[tuple[str, str]]] = {}
    for day in days:
        due = rules.due_steps(ladder, state=state, sent_on=sent_on, valid=valid,
                              recorded=set(recorded), as_of=day)
        by_day[day] = [(d.step.name, d.outcome) for d in due]
        for d in due:
            recorded[d.step.name] = (day, d.outcome)
    return recorded, by_day


def every_day(start: date, n: int) -> list[date]:
    return [start + timedelta(days=i) for i in range(n)]


def test_the_default_ladder_on_a_seven_day_quote_run_every_day():
    valid = rules.valid_until(SENT, 7)
    recorded, _ = run(rules.DEFAULT_LADDER, sent_on=SENT, valid=valid,
                      days=every_day(SENT, 20))
    assert recorded == {
        "check": (SENT + timedelta(days=2), "done"),
        "call": (SENT + timedelta(days=4), "done"),
        "last_day": (SENT + timedelta(days=6), "done"),
        "expired": (SENT + timedelta(days=8), "done"),
    }


def test_a_run_after_days_off_does_the_latest_step_only():
    valid = rules.valid_until(SENT, 7)
    recorded, by_day = run(rules.DEFAULT_LADDER, sent_on=SENT, valid=valid,
                           days=[SENT, SENT + timedelta(days=5)])
    assert by_day[SENT + timedelta(days=5)] == [("check", "skipped"), ("call", "done")]
    assert "last_day" not in recorded


def test_a_short_quote_skips_the_steps_past_its_validity():
    valid = rules.valid_until(SENT, 3)
    recorded, _ = run(rules.DEFAULT_LADDER, sent_on=SENT, valid=valid,
                      days=every_day(SENT, 10))
    # the check and the note before expiry fall on the same day: the note goes, alone
    assert recorded["check"] == (SENT + timedelta(days=2), "skipped")
    assert recorded["last_day"] == (SENT + timedelta(days=2), "done")
    assert recorded["call"] == (SENT + timedelta(days=4), "skipped")
    assert recorded["expired"] == (valid + timedelta(days=1), "done")


def test_an_unsent_quote_is_not_chased_but_expires():
    valid = rules.valid_until(SENT, 7)
    recorded, _ = run(rules.DEFAULT_LADDER, sent_on=None, valid=valid,
                      days=every_day(SENT, 12), state="open")
    assert recorded["expired"] == (valid + timedelta(days=1), "done")
    assert {k for k, (_, outcome) in recorded.items() if outcome == "done"} == {"expired"}


def test_a_decided_quote_has_no_steps():
    for state in ("accepted", "declined", "expired"):
        assert rules.due_steps(rules.DEFAULT_LADDER, state=state, sent_on=SENT,
                               valid=SENT, recorded=set(), as_of=SENT + timedelta(days=30)) == []


@given(validity=st.integers(1, 30),
       run_days=st.sets(st.integers(0, 45), min_size=1, max_size=46))
def test_each_step_once_at_most_one_message_a_day_and_none_after_the_validity(validity,
                                                                              run_days):
    valid = rules.valid_until(SENT, validity)
    days = sorted(SENT + timedelta(days=d) for d in run_days)
    recorded, by_day = run(rules.DEFAULT_LADDER, sent_on=SENT, valid=valid, days=days)
    for day, steps in by_day.items():
        names = [name for name, _ in steps]
        assert len(names) == len(set(names))
        contact = [n for n, outcome in steps if outcome == "done" and n != "expired"]
        assert len(contact) <= 1
        if contact:
            assert day <= valid
    assert ("expired" in recorded) == (days[-1] > valid)
    if "expired" in recorded:
        assert recorded["expired"][0] > valid


def test_status_and_actions_follow_the_day():
    valid = date(2026, 3, 9)
    assert rules.status("sent", valid, valid) is rules.QuoteStatus.SENT
    assert rules.status("sent", valid, valid + timedelta(days=1)) is rules.QuoteStatus.EXPIRED
    assert rules.allowed_actions("open", valid, valid) == ("pdf", "send", "accept", "decline")
    assert rules.allowed_actions("accepted", valid, valid) == ("pdf",)
    assert rules.allowed_actions("sent", valid, valid + timedelta(days=1)) == ("pdf", "decline")
    with pytest.raises(RuleViolation, match=r"valid until 2026-03-09.*new quote"):
        rules.require_action("accept", "Q-1", "sent", valid, valid + timedelta(days=1))
    with pytest.raises(RuleViolation, match="sent already"):
        rules.require_action("send", "Q-1", "sent", valid, valid)


def test_a_ladder_is_checked_when_read():
    steps = rules.ladder_to_list(rules.DEFAULT_LADDER)
    assert rules.ladder_from_list(steps) == rules.DEFAULT_LADDER
    with pytest.raises(ValidationError, match="expired"):
        rules.ladder_from_list(steps[:-1])
    with pytest.raises(ValidationError) as bad:
        rules.ladder_from_list([{**steps[0], "channel": "fax"}, steps[-1]])
    assert bad.value.field == "step 1 channel"
    with pytest.raises(ValidationError, match=r"valid-days|365"):
        rules.valid_until(SENT, 0)

"""The outbox state machine: allowed moves only, capped backoff, no silent resend."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desktop_app.domain.errors import RuleViolation
from desktop_app.mail.outbox import (
    BACKOFF_BASE,
    BACKOFF_CAP,
    MAX_ATTEMPTS,
    OutboxEntry,
    OutboxState,
    allowed_next,
    confirm_arrived,
    confirm_resend,
    is_due,
    next_attempt_at,
    record_outcome,
    recover_after_crash,
    retry_delay,
    start_sending,
    transition,
)

NOW = datetime(2026, 3, 20, 9, 0, tzinfo=UTC)
S = OutboxState


def test_allowed_and_refused_moves():
    assert transition(S.QUEUED, S.SENDING) is S.SENDING
    for target in (S.SENT, S.FAILED, S.RETRYING, S.UNKNOWN):
        assert transition(S.SENDING, target) is target
    for current, target in [(S.QUEUED, S.SENT), (S.SENT, S.QUEUED), (S.UNKNOWN, S.SENDING),
                            (S.FAILED, S.SENDING), (S.RETRYING, S.SENT), (S.SENT, S.SENDING)]:
        with pytest.raises(RuleViolation):
            transition(current, target)


def test_sent_is_final():
    assert allowed_next(S.SENT) == frozenset()


@given(st.sampled_from(list(S)), st.sampled_from(list(S)))
def test_only_sending_can_become_sent_by_delivery(current: S, target: S):
    """Nothing reaches ``sending`` except from queued/retrying, so no unasked resend."""
    try:
        transition(current, target)
    except RuleViolation:
        return
    if target is S.SENDING:
        assert current in (S.QUEUED, S.RETRYING)
    if target is S.SENT:
        assert current in (S.SENDING, S.UNKNOWN)


def test_backoff_doubles_then_caps():
    assert [retry_delay(n) for n in (1, 2, 3, 4)] == [BACKOFF_BASE * k for k in (1, 2, 4, 8)]
    assert retry_delay(50) == BACKOFF_CAP
    assert retry_delay(10**9) == BACKOFF_CAP
    assert next_attempt_at(1, NOW) == NOW + BACKOFF_BASE
    with pytest.raises(RuleViolation):
        retry_delay(0)


@given(st.integers(min_value=1, max_value=10_000))
def test_backoff_never_shrinks_and_stays_within_bounds(attempt: int):
    delay = retry_delay(attempt)
    assert BACKOFF_BASE <= delay <= BACKOFF_CAP
    assert retry_delay(attempt + 1) >= delay


def test_temporary_failure_waits_then_is_due_again():
    entry = record_outcome(start_sending(OutboxEntry("<1@example.com>")), S.RETRYING,
                           "421 busy", NOW)
    assert entry.state is S.RETRYING and entry.attempts == 1
    assert not is_due(entry, NOW)
    assert is_due(entry, NOW + timedelta(minutes=1))
    assert entry.last_error == "421 busy"


def test_gives_up_after_max_attempts():
    entry = OutboxEntry("<1@example.com>")
    for _ in range(MAX_ATTEMPTS):
        entry = record_outcome(start_sending(entry), S.RETRYING, "connection refused", NOW)
    assert entry.state is S.FAILED
    assert entry.last_error.startswith(f"gave up after {MAX_ATTEMPTS} attempts")
    assert not is_due(entry, NOW + timedelta(days=30))


def test_crash_while_sending_waits_for_a_person_and_resend_keeps_message_id():
    sending = start_sending(OutboxEntry("<42@example.com>"))
    unknown = recover_after_crash(sending)
    assert unknown.state is S.UNKNOWN
    assert not is_due(unknown, NOW + timedelta(days=1))
    assert recover_after_crash(OutboxEntry("<x@example.com>")).state is S.QUEUED
    again = confirm_resend(unknown)
    assert again.state is S.QUEUED and again.message_id == "<42@example.com>"
    assert confirm_arrived(unknown).state is S.SENT


def test_failed_can_be_queued_again_by_a_person_only():
    failed = record_outcome(start_sending(OutboxEntry("<1@example.com>")), S.FAILED,
                            "550 no such user", NOW)
    assert not is_due(failed, NOW + timedelta(days=1))
    assert confirm_resend(failed).state is S.QUEUED
    with pytest.raises(RuleViolation):
        confirm_arrived(failed)

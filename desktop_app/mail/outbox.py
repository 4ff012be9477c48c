"""The outbox state machine as pure functions: what may follow what, and when to retry.

The database table and its worker come from the services layer; they hold an
``OutboxEntry`` per message and move it only through ``transition`` and the helpers here,
so that a message is never sent twice without a person saying so.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import StrEnum

from desktop_app.domain.errors import RuleViolation
from desktop_app.messages import N_, Word


class OutboxState(StrEnum):
    QUEUED = "queued"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"  # permanent (5xx): a person must change something first
    RETRYING = "retrying"  # temporary (4xx, network): the worker tries again later
    UNKNOWN = "unknown"  # may or may not have arrived: a person decides


# A message's state as a refusal names it ("message 3 is sent; ..."): words the window translates.
_STATE_WORDS: dict[str, str] = {
    OutboxState.QUEUED: N_("queued"), OutboxState.SENDING: N_("sending"),
    OutboxState.SENT: N_("sent"), OutboxState.FAILED: N_("failed"),
    OutboxState.RETRYING: N_("retrying"), OutboxState.UNKNOWN: N_("unknown")}


def state_word(state: str) -> Word:
    return Word(_STATE_WORDS.get(state, state))


_ALLOWED: dict[OutboxState, frozenset[OutboxState]] = {
    OutboxState.QUEUED: frozenset({OutboxState.SENDING}),
    OutboxState.RETRYING: frozenset({OutboxState.SENDING}),
    OutboxState.SENDING: frozenset(
        {OutboxState.SENT, OutboxState.FAILED, OutboxState.RETRYING, OutboxState.UNKNOWN}
    ),
    # A person confirms: resend (same Message-ID) or mark as arrived.
    OutboxState.UNKNOWN: frozenset({OutboxState.QUEUED, OutboxState.SENT}),
    # A person fixed the cause (password, address) and asks to try again.
    OutboxState.FAILED: frozenset({OutboxState.QUEUED}),
    OutboxState.SENT: frozenset(),
}

BACKOFF_BASE = timedelta(minutes=1)
BACKOFF_CAP = timedelta(hours=6)
MAX_ATTEMPTS = 12  # with the defaults about two days of trying before a person is asked


def allowed_next(state: OutboxState) -> frozenset[OutboxState]:
    return _ALLOWED[state]


def transition(current: OutboxState, target: OutboxState) -> OutboxState:
    """Return ``target`` if it may follow ``current``; refuse otherwise."""
    if target not in _ALLOWED[OutboxState(current)]:
        raise RuleViolation(N_("A message that is {current} cannot become {target}"),
                            current=state_word(current), target=state_word(target))
    return target


def retry_delay(attempt: int, base: timedelta = BACKOFF_BASE, cap: timedelta = BACKOFF_CAP
                ) -> timedelta:
    """Wait after failed attempt number ``attempt`` (1-based): doubling, never above cap."""
    if attempt < 1:
        raise RuleViolation(N_("attempt numbers start at 1"))
    # Whole microseconds: timedelta itself overflows long before the doubling stops.
    # Capping the exponent keeps huge attempt numbers cheap.
    micro = timedelta(microseconds=1)
    delay = (base // micro) * 2 ** min(attempt - 1, 64)
    return cap if delay >= cap // micro else timedelta(microseconds=delay)


def next_attempt_at(attempt: int, failed_at: datetime, base: timedelta = BACKOFF_BASE,
                    cap: timedelta = BACKOFF_CAP) -> datetime:
    return failed_at + retry_delay(attempt, base, cap)


@dataclass(frozen=True)
class OutboxEntry:
    """The mail-side facts of one outbox row; the Message-ID never changes once made."""

    message_id: str
    state: OutboxState = OutboxState.QUEUED
    attempts: int = 0
    next_attempt: datetime | None = None
    last_error: str = ""


def is_due(entry: OutboxEntry, now: datetime) -> bool:
    """Should the worker pick this entry up now?"""
    if entry.state is OutboxState.QUEUED:
        return True
    return entry.state is OutboxState.RETRYING and (
        entry.next_attempt is None or entry.next_attempt <= now
    )


def start_sending(entry: OutboxEntry) -> OutboxEntry:
    """Mark as sending (store this before connecting: a crash then leaves ``sending``)."""
    return replace(
        entry, state=transition(entry.state, OutboxState.SENDING), attempts=entry.attempts + 1
    )


def record_outcome(entry: OutboxEntry, outcome: OutboxState, reason: str, now: datetime,
                   max_attempts: int = MAX_ATTEMPTS) -> OutboxEntry:
    """Apply one delivery result to a ``sending`` entry."""
    target = transition(entry.state, outcome)
    if target is OutboxState.RETRYING and entry.attempts >= max_attempts:
        return replace(
            entry, state=OutboxState.FAILED, next_attempt=None,
            last_error=f"gave up after {entry.attempts} attempts: {reason}",
        )
    nxt = next_attempt_at(entry.attempts, now) if target is OutboxState.RETRYING else None
    return replace(entry, state=target, next_attempt=nxt, last_error=reason)


def recover_after_crash(entry: OutboxEntry) -> OutboxEntry:
    """At start-up an entry still ``sending`` may have gone out: ask a person, do not resend."""
    if entry.state is not OutboxState.SENDING:
        return entry
    return replace(
        entry, state=OutboxState.UNKNOWN,
        last_error="the program stopped while sending; check whether it arrived",
    )


def confirm_resend(entry: OutboxEntry) -> OutboxEntry:
    """A person asks to send again after ``unknown`` or ``failed``; same Message-ID."""
    return replace(
        entry, state=transition(entry.state, OutboxState.QUEUED), attempts=0, next_attempt=None
    )


def confirm_arrived(entry: OutboxEntry) -> OutboxEntry:
    """A person saw that an ``unknown`` message did arrive."""
    return replace(entry, state=transition(entry.state, OutboxState.SENT), last_error="")

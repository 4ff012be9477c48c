"""Quotes with a short validity and their own follow-up ladder.

A quote is written, dated and valid for a few days only: prices and exchange rates move,
and a short validity makes the customer decide. Once sent, it is followed up gently and
never daily: a friendly check after two days ("is the price right, when would you order?"),
a call, a note the day before it runs out, and it expires. The ladder is data, like the
invoice follow-up policy, so that a business can change its days and channels.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from typing import Any

from desktop_app.domain.errors import RuleViolation, ValidationError
from desktop_app.messages import N_, Word

DEFAULT_VALIDITY_DAYS = 7
MAX_VALIDITY_DAYS = 365
DEFAULT_SCHEDULE = "30/30/40"  # a 30 % deposit on acceptance, 30 % midway, 40 % at the end
DEFAULT_NUMBER_FORMAT = "Q-{year}-{seq:04d}"
MAX_AVAILABILITY = 200


class QuoteStatus(StrEnum):
    OPEN = "open"  # made, not sent yet
    SENT = "sent"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    EXPIRED = "expired"


CLOSED = frozenset({QuoteStatus.ACCEPTED, QuoteStatus.DECLINED, QuoteStatus.EXPIRED})
CHANNELS = ("email", "call", "none")
ANCHORS = ("sent", "expiry")
EXPIRED_STEP = "expired"


@dataclass(frozen=True, slots=True)
class Step:
    """One rung of the ladder: ``days`` after the quote was sent, or from its last valid
    day (``expiry``; -1 is the day before)."""

    name: str
    anchor: str
    days: int
    channel: str

    def day(self, sent_on: date, valid_until: date) -> date:
        base = sent_on if self.anchor == "sent" else valid_until
        return base + timedelta(days=self.days)


DEFAULT_LADDER: tuple[Step, ...] = (
    Step("check", "sent", 2, "email"),
    Step("call", "sent", 4, "call"),
    Step("last_day", "expiry", -1, "email"),
    Step(EXPIRED_STEP, "expiry", 1, "none"),
)


def ladder_to_list(ladder: Sequence[Step]) -> list[dict[str, Any]]:
    return [{"name": s.name, "anchor": s.anchor, "days": s.days, "channel": s.channel}
            for s in ladder]


def ladder_from_list(items: Iterable[Mapping[str, Any]]) -> tuple[Step, ...]:
    """A ladder as stored or typed, checked: known anchors and channels, unique names, and
    an ``expired`` step on or after the first day past the validity."""
    steps: list[Step] = []
    for n, item in enumerate(items, 1):
        name = str(item.get("name", "")).strip()
        anchor, channel = item.get("anchor"), item.get("channel")
        days = item.get("days")
        if not name or len(name) > 32:
            raise ValidationError(f"step {n} name", N_("give a name of 1 to 32 characters"))
        if anchor not in ANCHORS:
            raise ValidationError(f"step {n} anchor", N_("must be one of {choices}"),
                                  choices=", ".join(ANCHORS))
        if channel not in CHANNELS:
            raise ValidationError(f"step {n} channel", N_("must be one of {choices}"),
                                  choices=", ".join(CHANNELS))
        if not isinstance(days, int) or isinstance(days, bool) or abs(days) > 365:
            raise ValidationError(f"step {n} days", N_("must be a whole number of days"))
        if any(s.name == name for s in steps):
            raise ValidationError(f"step {n} name", N_("'{name}' is in the ladder twice"),
                                  name=name)
        steps.append(Step(name, str(anchor), days, str(channel)))
    expired = [s for s in steps if s.name == EXPIRED_STEP]
    if not expired or expired[0].anchor != "expiry" or expired[0].days < 1:
        raise ValidationError("ladder", N_("needs an 'expired' step 1 or more days after the "
                                           "last valid day"))
    return tuple(steps)


def valid_until(quote_date: date, validity_days: int) -> date:
    check_validity(validity_days)
    return quote_date + timedelta(days=validity_days)


def check_validity(days: int) -> int:
    if not 1 <= days <= MAX_VALIDITY_DAYS:
        raise ValidationError("valid-days", N_("must be from 1 to {limit} days (the shorter "
                                               "the better)"), limit=MAX_VALIDITY_DAYS)
    return days


def availability(text: str, position: int) -> str:
    """A line's stock or lead-time note, one short line."""
    note = " ".join(text.split())
    if len(note) > MAX_AVAILABILITY:
        raise ValidationError(f"line {position} availability",
                              N_("is longer than {limit} characters"), limit=MAX_AVAILABILITY)
    return note


def status(state: str, valid: date, as_of: date) -> QuoteStatus:
    """What the quote is on ``as_of``: past its last valid day an undecided quote has
    expired, whether or not the daily run has recorded it yet."""
    current = QuoteStatus(state)
    if current not in CLOSED and as_of > valid:
        return QuoteStatus.EXPIRED
    return current


def allowed_actions(state: str, valid: date, as_of: date) -> tuple[str, ...]:
    now = status(state, valid, as_of)
    if now is QuoteStatus.OPEN:
        return ("pdf", "send", "accept", "decline")
    if now is QuoteStatus.SENT:
        return ("pdf", "accept", "decline")
    if now is QuoteStatus.EXPIRED:
        return ("pdf", "decline")  # a "no" heard late still says why the quote was lost
    return ("pdf",)


def require_action(action: str, number: str, state: str, valid: date, as_of: date) -> None:
    """Refuse what the quote's state does not allow, saying why in the user's words."""
    if action in allowed_actions(state, valid, as_of):
        return
    now = status(state, valid, as_of)
    if now is QuoteStatus.EXPIRED:
        raise RuleViolation(N_("quote {number} was valid until {day}; prices may have moved, "
                               "so make a new quote"), number=number, day=valid)
    if now is QuoteStatus.SENT and action == "send":
        raise RuleViolation(N_("quote {number} was sent already"), number=number)
    raise RuleViolation(N_("quote {number} is {state}; it cannot be {done}"), number=number,
                        state=Word(_IN_STATE[now]), done=Word(_DONE.get(action, action)))


# What an action makes of a quote, and so the state a decided quote is in (accepted,
# declined): words the window translates.
_DONE = {"send": N_("sent"), "accept": N_("accepted"), "decline": N_("declined")}
_IN_STATE = {QuoteStatus.OPEN: N_("open"), QuoteStatus.SENT: N_("sent"),
             QuoteStatus.ACCEPTED: N_("accepted"), QuoteStatus.DECLINED: N_("declined"),
             QuoteStatus.EXPIRED: N_("expired")}


@dataclass(frozen=True, slots=True)
class DueStep:
    step: Step
    outcome: str  # done or skipped


def due_steps(ladder: Sequence[Step], *, state: str, sent_on: date | None, valid: date,
              recorded: Collection[str], as_of: date) -> list[DueStep]:
    """The steps to record for one quote on ``as_of``, each once.

    Only an undecided quote is followed up, and only from the day it was sent. A step
    falls due on its day while the quote is still valid; when several are due at once (the
    computer was off), only the latest is carried out and the earlier ones are recorded as
    skipped, so the customer never gets three messages on one morning. A step whose day
    lies past the validity is skipped. Once the validity has run out, the ``expired`` step
    is recorded (the quote expires even if it was never sent) and nothing else goes out.
    """
    if QuoteStatus(state) in CLOSED:
        return []
    out: list[DueStep] = []
    expired = as_of > valid
    pending = [s for s in ladder if s.name not in recorded and s.name != EXPIRED_STEP]
    if sent_on is not None:
        due = [s for s in pending if s.day(sent_on, valid) <= as_of]
        live = [s for s in due if s.day(sent_on, valid) <= valid and not expired]
        last = max(live, key=lambda s: (s.day(sent_on, valid), ladder.index(s)),
                   default=None)
        out += [DueStep(s, "done" if s is last else "skipped") for s in due]
    elif expired:
        out += [DueStep(s, "skipped") for s in pending]
    end = next((s for s in ladder if s.name == EXPIRED_STEP), None)
    if expired and end is not None and end.name not in recorded:
        out.append(DueStep(end, "done"))
    return out


def check_reason(reason: str) -> str:
    text = " ".join(reason.split())
    if not text:
        raise ValidationError("reason", N_("say why the customer declined (price, lead time, "
                                           "chose another supplier ...)"))
    if len(text) > 1000:
        raise ValidationError("reason", N_("is longer than {limit} characters"), limit=1000)
    return text

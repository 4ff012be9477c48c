"""The quotes' follow-up ladder, carried out by the daily run: each step once per quote, the
emails queued, the calls on the day's list until they are logged, and the expiry."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from desktop_app import messages
from desktop_app.domain import quotes as rules
from desktop_app.domain.errors import PaidUpError, RuleViolation, ValidationError
from desktop_app.domain.money import from_minor
from desktop_app.messages import N_, Said
from desktop_app.services import activity
from desktop_app.services.books import Books, audit
from desktop_app.services.changes import states
from desktop_app.services.quotes import (
    QUOTE_CHANGES,
    QuoteView,
    close_open_steps,
    queue_mail,
    quote_settings,
    quote_view,
    require_quote,
)
from desktop_app.storage.models import Quote, QuoteStep


@dataclass(frozen=True)
class LadderDone:
    """One step of one quote carried out by the daily run."""

    quote_id: int
    number: str
    step: str
    outcome: str  # done, skipped, open (a call or task on the day's list)
    channel: str
    outbox_id: int | None = None


def follow_up(session: Session, books: Books, as_of: date) -> list[LadderDone]:
    """Carry out the quote ladder's steps due on ``as_of``, each once per quote, in the
    caller's transaction (the daily follow-up run). An email that cannot go (mail not set
    up, no address) becomes a task on the day's list instead."""
    settings = quote_settings(session)
    done: list[LadderDone] = []
    candidates = list(session.scalars(
        select(Quote).where(Quote.state.in_(("open", "sent")),
                            (Quote.sent_on.is_not(None)) | (Quote.valid_until < as_of))
        .order_by(Quote.id).options(selectinload(Quote.lines))))
    for quote in candidates:
        recorded = set(session.scalars(select(QuoteStep.step)
                                       .where(QuoteStep.quote_id == quote.id)))
        for due in rules.due_steps(settings.ladder, state=quote.state, sent_on=quote.sent_on,
                                   valid=quote.valid_until, recorded=recorded, as_of=as_of):
            done.append(_carry(session, books, quote, due, as_of))
    return done


def _carry(session: Session, books: Books, quote: Quote, due: rules.DueStep,
           as_of: date) -> LadderDone:
    step, outcome, channel, outbox_id = due.step, due.outcome, due.step.channel, None
    note, said = "", None
    if outcome == "done" and step.name == rules.EXPIRED_STEP:
        quote.state, quote.closed_on = rules.QuoteStatus.EXPIRED.value, as_of
        close_open_steps(session, quote.id, as_of, "expired")
        activity.log(session, books, customer_id=quote.customer_id, kind="note",
                     message=N_("Quote {number} expired (valid until {day})"),
                     values={"number": quote.number, "day": quote.valid_until}, on=as_of)
    elif outcome == "done" and channel == "email":
        try:  # refused before anything is written; one quote stops no other follow-up
            outbox_id = queue_mail(session, books, quote, step.name, None)
        except PaidUpError as exc:
            outcome, channel, note = "open", "task", f"write or call instead: {exc}"
            said = Said(N_("write or call instead: {why}"), {"why": Said(exc.template,
                                                                         exc.values)})
    elif outcome == "done" and channel == "call":
        outcome = "open"
    session.add(QuoteStep(quote_id=quote.id, step=step.name, outcome=outcome, channel=channel,
                          recorded_on=as_of, note=note,
                          note_message=said.message if said else "",
                          note_params=messages.dump(said.values) if said else ""))
    session.flush()
    return LadderDone(quote.id, quote.number, step.name, outcome, channel, outbox_id)


@states(QUOTE_CHANGES)
def run_ladder(books: Books, as_of: date) -> list[LadderDone]:
    """The quote ladder on its own: the daily follow-up run does it with the invoices, and
    the window when it shows the day's list."""
    with books.db.write() as session:
        done = follow_up(session, books, as_of)
        if done:
            audit(session, books, "quotes.follow_up", "quote", None,
                  {"as_of": as_of, "steps": len(done)})
        return done


@dataclass(frozen=True)
class QuoteTask:
    """A call (or a message to write by hand) waiting on the day's list."""

    quote_id: int
    number: str
    customer_id: int
    customer_name: str
    step: str
    channel: str
    since: date
    valid_until: date
    total: Decimal
    currency: str
    note: str
    said: Said | None  # the note as a message the window translates (None: typed, or none)


def open_tasks(books: Books) -> list[QuoteTask]:
    with books.db.read() as session:
        rows = session.execute(
            select(QuoteStep, Quote).join(Quote, Quote.id == QuoteStep.quote_id)
            .where(QuoteStep.outcome == "open").order_by(QuoteStep.recorded_on, QuoteStep.id))
        return [QuoteTask(q.id, q.number, q.customer_id, q.customer_name, s.step, s.channel,
                          s.recorded_on, q.valid_until, from_minor(q.total_minor, q.currency),
                          q.currency, s.note, messages.stored(s.note_message, s.note_params))
                for s, q in rows]


@states(QUOTE_CHANGES)
def log_step(books: Books, quote_id: int, note: str, step: str | None = None) -> QuoteView:
    """The call was made (or the message written): what the customer said is kept."""
    text = " ".join(note.split())
    if not text:
        raise ValidationError("note", N_("say what the customer said (price, when they order)"))
    with books.db.write() as session:
        quote = require_quote(session, quote_id)
        query = select(QuoteStep).where(QuoteStep.quote_id == quote_id,
                                        QuoteStep.outcome == "open")
        if step is not None:
            query = query.where(QuoteStep.step == step)
        row = session.scalars(query.order_by(QuoteStep.id)).first()
        if row is None:
            raise RuleViolation(N_("quote {number} has no call or task waiting"),
                                number=str(quote.number))
        today = books.today()
        row.outcome, row.closed_on, row.note = "done", today, text[:2000]
        row.note_message = row.note_params = ""
        activity.log(session, books, customer_id=quote.customer_id,
                     kind="call" if row.channel == "call" else "task",
                     message=N_("Quote {number}: {note}"),
                     values={"number": quote.number, "note": text}, on=today)
        audit(session, books, "quote.log_step", "quote", quote.id, {"step": row.step})
        return quote_view(session, quote, today)

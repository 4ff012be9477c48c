"""Retainers: set up, priced, paused and ended; their invoices issued by the daily run.

``issue_due`` is the daily part (``followup run`` and the window's start call it): under one
lock it issues every period fallen due and not invoiced yet, oldest first, each invoice
dated the day it is made and covering its own period. The period's row in
``retainer_invoices`` (unique per retainer and period) goes in with the invoice in one
transaction, so a crash leaves neither and a second computer finds the period taken. A
retainer delivered by mail has its invoice email queued at once through the follow-up's
invoice stage; one delivered to Today waits there for a person to look at it and send it.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from sqlalchemy import select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from desktop_app import messages
from desktop_app.domain import retainers as rules
from desktop_app.domain.errors import (
    NotFound,
    PaidUpError,
    RuleViolation,
    ValidationError,
    clause,
)
from desktop_app.domain.lines import Line, totals
from desktop_app.domain.money import from_minor
from desktop_app.messages import N_, Said, Word
from desktop_app.services import activity
from desktop_app.services.books import Books, audit, require_customer, the_company
from desktop_app.services.changes import OpChanges, states
from desktop_app.services.terms import require_terms
from desktop_app.storage.models import (
    Company,
    Customer,
    Installment,
    Invoice,
    Retainer,
    RetainerInvoice,
    RetainerPause,
    RetainerPrice,
)

RETAINER_LOCK = 7_201_120  # pg_advisory_xact_lock key: one retainer run at a time
ACTIONS = ("price", "pause", "resume", "end")


@dataclass(frozen=True)
class RetainerInput:
    """A retainer as the CLI or the window gives it; lines as ``invoice add --line``."""

    customer_id: int
    lines: Sequence[str]
    every: str = "month"
    day: int = 1
    start: date | None = None  # None: the books' day
    end: date | None = None
    count: int | None = None
    terms: str | None = None  # None: the customer's terms
    deliver: str = "mail"
    title: str = ""


@dataclass(frozen=True)
class PriceView:
    effective_from: date
    lines: tuple[str, ...]
    total: Decimal


@dataclass(frozen=True)
class PeriodView:
    """A period of a retainer: invoiced (with its invoice) or coming."""

    period_start: date
    period_end: date
    issue_on: date
    total: Decimal
    invoice_id: int | None = None
    number: str | None = None


@dataclass(frozen=True)
class RetainerView:
    id: int
    customer_id: int
    customer_name: str
    title: str
    every: str
    day: int
    starts_on: date
    ends_on: date | None
    count: int | None
    terms: str
    deliver: str
    status: str
    currency: str
    prices: tuple[PriceView, ...]
    invoiced: tuple[PeriodView, ...]
    coming: tuple[PeriodView, ...]
    allowed_actions: tuple[str, ...]


@dataclass(frozen=True)
class IssuedPeriod:
    retainer_id: int
    customer_id: int
    invoice_id: int
    number: str
    period_start: date
    period_end: date
    total: Decimal


@dataclass(frozen=True)
class RetainerRun:
    """What one run did: invoices issued (in order), emails queued, what waits or failed."""

    as_of: date
    issued: tuple[IssuedPeriod, ...] = ()
    emails_queued: tuple[int, ...] = ()
    waiting: tuple[str, ...] = ()
    failed: tuple[str, ...] = ()
    # Each of ``failed`` as a message the window says in its language.
    failed_said: tuple[Said, ...] = field(default=(), compare=False, metadata={"window": True})


@dataclass
class _Loaded:
    row: Retainer
    schedule: rules.Schedule
    pauses: list[rules.Pause]
    issued: dict[date, RetainerInvoice] = field(default_factory=dict)
    prices: list[tuple[date, tuple[str, ...]]] = field(default_factory=list)


# A retainer's changes reach its customer's page, the invoices it issues and their mail.
RETAINER_CHANGES = (OpChanges.CUSTOMERS | OpChanges.INVOICES | OpChanges.FOLLOWUP
                    | OpChanges.OUTBOX)


# -- setting up ---------------------------------------------------------------------------------

def _parsed(specs: Sequence[str], company: Company, customer: Customer) -> list[Line]:
    """The lines as an invoice would take them. The invoice service loads the document
    libraries, so it is imported when lines are read or an invoice is made: the window's
    start runs ``issue_due`` and stays light when nothing is due."""
    from desktop_app.services.invoices import parse_lines, tax_context

    return parse_lines(specs, tax_context(company, customer))


def _check_lines(session: Session, company: Company, customer: Customer,
                 lines: Sequence[str]) -> tuple[str, ...]:
    """Refused now rather than on the day."""
    specs = tuple(s.strip() for s in lines if s.strip())
    _parsed(specs, company, customer)
    return specs


@states(RETAINER_CHANGES)
def add_retainer(books: Books, given: RetainerInput) -> RetainerView:
    """A retainer for a customer; its first invoice goes out with the run on its day."""
    rules.check_delivery(given.deliver)
    if len(given.title) > 200:
        raise ValidationError("title", N_("is longer than 200 characters"))
    schedule = rules.Schedule(given.every, given.day, given.start or books.today(), given.end,
                              given.count)
    rules.check_schedule(schedule)
    with books.db.write() as session:
        company = the_company(session)
        customer = require_customer(session, given.customer_id)
        specs = _check_lines(session, company, customer, given.lines)
        if given.terms:
            require_terms(session, company.id, given.terms)
        title = given.title.strip() or _parsed(specs, company, customer)[0].description
        row = Retainer(company_id=company.id, customer_id=customer.id, title=title,
                       every=schedule.every, day=schedule.day, starts_on=schedule.starts_on,
                       ends_on=schedule.ends_on, count=schedule.count,
                       terms_name=given.terms or "", deliver=given.deliver,
                       created_at=books.clock())
        session.add(row)
        session.flush()
        session.add(RetainerPrice(retainer_id=row.id, effective_from=schedule.starts_on,
                                  lines=json.dumps(list(specs), ensure_ascii=False)))
        first = rules.first_period_start(schedule)
        activity.log(session, books, customer_id=customer.id, kind="note",
                     message=N_("Retainer '{title}' set up: every {every}, from {first}"),
                     values={"title": title, "every": Word(schedule.every), "first": first},
                     on=books.today())
        audit(session, books, "retainer.add", "retainer", row.id,
              {"customer_id": customer.id, "every": schedule.every, "lines": list(specs)})
        session.flush()
        return _view(session, company, _load(session, row), books.today())


def _require(session: Session, retainer_id: int, *, lock: bool = False) -> Retainer:
    query = select(Retainer).where(Retainer.id == retainer_id)
    row = session.scalars(query.with_for_update() if lock else query).first()
    if row is None:
        raise NotFound("retainer", N_("no retainer with id {id}"), id=str(retainer_id))
    return row


def _changeable(loaded: _Loaded, on: date, refusal: str) -> None:
    """``refusal`` (of the retainer's {id}) once the retainer has ended."""
    if rules.status(loaded.schedule, loaded.pauses, loaded.issued, on) == "ended":
        raise RuleViolation(refusal, id=str(loaded.row.id))


# Why an ended retainer cannot be paused, resumed or ended (_change).
_ENDED = {"pause": N_("retainer {id} has ended; it cannot be paused"),
          "resume": N_("retainer {id} has ended; it cannot be resumed"),
          "end": N_("retainer {id} has ended; it cannot be ended")}


@states(RETAINER_CHANGES)
def set_price(books: Books, retainer_id: int, lines: Sequence[str], from_day: date
              ) -> RetainerView:
    """New lines for the periods starting on or after ``from_day``; invoices already issued
    keep theirs (issued invoices are frozen)."""
    with books.db.write() as session:
        company = the_company(session)
        loaded = _load(session, _require(session, retainer_id, lock=True))
        _changeable(loaded, books.today(),
                    N_("retainer {id} has ended; it cannot be repriced"))
        taken = [start for start in loaded.issued if start >= from_day]
        if taken:
            raise ValidationError("from", N_("the period from {day} is invoiced already; a new "
                                             "price applies to periods not yet invoiced"),
                                  day=max(taken))
        customer = require_customer(session, loaded.row.customer_id)
        specs = _check_lines(session, company, customer, lines)
        existing = session.scalars(select(RetainerPrice).where(
            RetainerPrice.retainer_id == retainer_id,
            RetainerPrice.effective_from == from_day)).first()
        if existing is not None:
            existing.lines = json.dumps(list(specs), ensure_ascii=False)
        else:
            session.add(RetainerPrice(retainer_id=retainer_id, effective_from=from_day,
                                      lines=json.dumps(list(specs), ensure_ascii=False)))
        activity.log(session, books, customer_id=customer.id, kind="note",
                     message=N_("Retainer '{title}': new price from {day}"),
                     values={"title": loaded.row.title, "day": from_day}, on=books.today())
        audit(session, books, "retainer.price", "retainer", retainer_id,
              {"from": from_day, "lines": list(specs)})
        session.flush()
        return _view(session, company, _load(session, loaded.row), books.today())


@states(RETAINER_CHANGES)
def pause_retainer(books: Books, retainer_id: int, on: date) -> RetainerView:
    """No invoice for the periods whose day falls in the pause, then or later."""
    return _change(books, retainer_id, on, "pause")


@states(RETAINER_CHANGES)
def resume_retainer(books: Books, retainer_id: int, on: date) -> RetainerView:
    return _change(books, retainer_id, on, "resume")


@states(RETAINER_CHANGES)
def end_retainer(books: Books, retainer_id: int, on: date) -> RetainerView:
    """The last period billed is the one that holds ``on``; nothing after it."""
    return _change(books, retainer_id, on, "end")


def _change(books: Books, retainer_id: int, on: date, doing: str) -> RetainerView:
    with books.db.write() as session:
        company = the_company(session)
        row = _require(session, retainer_id, lock=True)
        loaded = _load(session, row)
        _changeable(loaded, books.today(), _ENDED[doing])
        open_pause = next((p for p in _pause_rows(session, row.id) if p.resumed_on is None),
                          None)
        if doing == "pause":
            if open_pause is not None:
                raise RuleViolation(N_("retainer {id} is paused already since {day}"),
                                    id=str(row.id), day=open_pause.paused_from)
            session.add(RetainerPause(retainer_id=row.id, paused_from=on))
            said, day = N_("Retainer '{title}' paused from {day}"), on
        elif doing == "resume":
            if open_pause is None:
                raise RuleViolation(N_("retainer {id} is not paused"), id=str(row.id))
            if on < open_pause.paused_from:
                raise ValidationError("date", N_("the pause began on {day}; resume on that day "
                                                 "or later"), day=open_pause.paused_from)
            open_pause.resumed_on = on
            said, day = N_("Retainer '{title}' resumed from {day}"), on
        else:
            rules.check_end(loaded.schedule, on, loaded.issued)
            row.ends_on = min(row.ends_on or on, on)
            last = rules.period_start_on_or_before(on, row.every)
            said, day = N_("Retainer '{title}' ended: the last period billed is the one "
                           "from {day}"), last
        activity.log(session, books, customer_id=row.customer_id, kind="note",
                     message=said, values={"title": row.title, "day": day}, on=on)
        audit(session, books, f"retainer.{doing}", "retainer", row.id, {"on": on})
        session.flush()
        return _view(session, company, _load(session, row), books.today())


# -- reading ------------------------------------------------------------------------------------


def _pause_rows(session: Session, retainer_id: int) -> list[RetainerPause]:
    return list(session.scalars(select(RetainerPause).where(
        RetainerPause.retainer_id == retainer_id).order_by(RetainerPause.id)))


def _load(session: Session, row: Retainer) -> _Loaded:
    pauses = [rules.Pause(p.paused_from, p.resumed_on) for p in _pause_rows(session, row.id)]
    loaded = _Loaded(row, rules.Schedule(row.every, row.day, row.starts_on, row.ends_on,
                                         row.count), pauses)
    for claim in session.scalars(select(RetainerInvoice).where(
            RetainerInvoice.retainer_id == row.id).order_by(RetainerInvoice.period_start)):
        loaded.issued[claim.period_start] = claim
    loaded.prices = [(p.effective_from, tuple(json.loads(p.lines))) for p in session.scalars(
        select(RetainerPrice).where(RetainerPrice.retainer_id == row.id)
        .order_by(RetainerPrice.effective_from))]
    return loaded


def _total(specs: Sequence[str], company: Company, customer: Customer) -> Decimal:
    lines = _parsed(specs, company, customer)
    return from_minor(totals(lines, company.currency).total_minor, company.currency)


def _view(session: Session, company: Company, loaded: _Loaded, today: date) -> RetainerView:
    row = loaded.row
    customer = require_customer(session, row.customer_id)
    invoiced = []
    for start, claim in loaded.issued.items():
        inv = session.get(Invoice, claim.invoice_id)
        assert inv is not None
        invoiced.append(PeriodView(start, claim.period_end, claim.issued_on,
                                   from_minor(inv.total_minor, inv.currency), inv.id,
                                   inv.number))
    coming = tuple(
        PeriodView(p.start, p.end, max(p.issue_on, today),
                   _total(rules.price_from(loaded.prices, p.start), company, customer))
        for p in rules.coming_periods(loaded.schedule, loaded.pauses, loaded.issued, today))
    state = rules.status(loaded.schedule, loaded.pauses, loaded.issued, today)
    allowed = {"active": ("price", "pause", "end"), "paused": ("price", "resume", "end"),
               "ended": ()}[state]
    return RetainerView(
        id=row.id, customer_id=row.customer_id, customer_name=customer.name, title=row.title,
        every=row.every, day=row.day, starts_on=row.starts_on, ends_on=row.ends_on,
        count=row.count, terms=row.terms_name, deliver=row.deliver, status=state,
        currency=company.currency,
        prices=tuple(PriceView(d, specs, _total(specs, company, customer))
                     for d, specs in loaded.prices),
        invoiced=tuple(invoiced), coming=coming, allowed_actions=allowed)


def list_retainers(books: Books, customer_id: int | None = None) -> list[RetainerView]:
    """Every retainer (or one customer's), each with what it invoiced and what is coming."""
    with books.db.read() as session:
        query = select(Retainer).order_by(Retainer.customer_id, Retainer.id)
        if customer_id is not None:
            require_customer(session, customer_id)
            query = query.where(Retainer.customer_id == customer_id)
        rows = list(session.scalars(query))
        if not rows:
            return []
        company = the_company(session)
        return [_view(session, company, _load(session, r), books.today()) for r in rows]


def show_retainer(books: Books, retainer_id: int) -> RetainerView:
    with books.db.read() as session:
        return _view(session, the_company(session), _load(session, _require(session,
                                                                            retainer_id)),
                     books.today())


# -- the daily run ------------------------------------------------------------------------------


def _lock(session: Session) -> None:
    """SQLite lets one writer in already; PostgreSQL needs a lock."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": RETAINER_LOCK})


def _issue_period(session: Session, books: Books, loaded: _Loaded, period: rules.Period,
                  as_of: date) -> IssuedPeriod:
    """Claim the period, then draft and issue its invoice: all or nothing."""
    from desktop_app.services.invoices import DraftInput, create_draft, issue_invoice

    row = loaded.row
    specs = rules.price_from(loaded.prices, period.start)
    inv = create_draft(books, DraftInput(
        customer_id=row.customer_id, lines=list(specs), terms=row.terms_name or None,
        issue_date=as_of, period=(period.start, period.end)), session=session)
    issued = issue_invoice(books, inv.id, as_of, session=session)
    claim = RetainerInvoice(retainer_id=row.id, period_start=period.start,
                            period_end=period.end, invoice_id=inv.id, issued_on=as_of)
    session.add(claim)
    session.flush()  # the unique key refuses a period invoiced already
    loaded.issued[period.start] = claim
    audit(session, books, "retainer.issue", "retainer", row.id,
          {"period_start": period.start, "invoice_id": inv.id, "number": issued.number})
    return IssuedPeriod(row.id, row.customer_id, inv.id, issued.number, period.start,
                        period.end, issued.total)


@states(RETAINER_CHANGES)
def issue_due(books: Books, as_of: date) -> RetainerRun:
    """Issue every retainer period due by ``as_of`` that is not invoiced yet, once."""
    with books.db.write() as session:
        _lock(session)
        rows = list(session.scalars(select(Retainer).order_by(Retainer.id)))
        if not rows:
            return RetainerRun(as_of)
        issued: list[IssuedPeriod] = []
        failed: list[Said] = []
        for row in rows:
            loaded = _load(session, row)
            for period in rules.due_periods(loaded.schedule, loaded.pauses, loaded.issued,
                                            as_of):
                savepoint = session.begin_nested()
                try:
                    issued.append(_issue_period(session, books, loaded, period, as_of))
                except PaidUpError as refused:
                    savepoint.rollback()
                    not_issued = Said(N_("{customer}: the retainer invoice for the period "
                                         "from {day} was not issued, because {why}"),
                                      {"customer": require_customer(session,
                                                                    row.customer_id).name,
                                       "day": period.start, "why": clause(refused)})
                    failed.append(not_issued)
                    break  # later periods wait for this one: they go out in order
                except IntegrityError:
                    savepoint.rollback()  # issued by another computer meanwhile
                    break
                savepoint.commit()
        emails, waiting = _mail(session, books, as_of, issued, failed) if issued else ([], [])
        if issued:
            audit(session, books, "retainer.run", "retainer", None,
                  {"as_of": as_of, "invoices": [i.invoice_id for i in issued]})
        return RetainerRun(as_of, tuple(issued), tuple(emails), tuple(waiting),
                           tuple(messages.english(f) for f in failed), tuple(failed))


def _mail(session: Session, books: Books, as_of: date, issued: list[IssuedPeriod],
          failed: list[Said]) -> tuple[list[int], list[str]]:
    """The invoice emails of the retainers delivered by mail, queued now (the follow-up's
    invoice stage: recorded once, so a later run does not send them again)."""
    from desktop_app.services.followup.run import carry_out

    by_mail = {r.id for r in session.scalars(select(Retainer).where(
        Retainer.id.in_({i.retainer_id for i in issued}), Retainer.deliver == "mail"))}
    per_customer: dict[int, list[int]] = {}
    for item in issued:
        if item.retainer_id in by_mail:
            per_customer.setdefault(item.customer_id, []).append(item.invoice_id)
    emails: list[int] = []
    waiting: list[str] = []
    for customer_id, invoice_ids in per_customer.items():
        installments = list(session.scalars(select(Installment.id).where(
            Installment.invoice_id.in_(invoice_ids))))
        done = carry_out(session, books, as_of, customer_id=customer_id, channels=["email"],
                         installment_ids=installments)
        emails.extend(done.context.emails)
        waiting.extend(w for w in done.waiting if w not in waiting)
        failed.extend(done.failed)
    return emails, waiting

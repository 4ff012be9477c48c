"""Today: the day's work as the owner sees it when PaidUp opens, each row with its one-click
action. Emails to send and letters to print come from the plan (one row per customer and
channel, as they go out); calls and tasks from the plan and from the list of open ones;
promises falling due; and whatever waits for a person's decision."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import select

from desktop_app.domain.collation import name_key
from desktop_app.domain.followup import PROMISE_GRACE_DAYS
from desktop_app.domain.money import from_minor
from desktop_app.messages import N_, Amount, Said, Value, say
from desktop_app.services import bank, credit_applications, outbox, quote_followup, receipts
from desktop_app.services.books import Books
from desktop_app.services.first_steps import FirstSteps, first_steps
from desktop_app.services.followup import calls
from desktop_app.services.followup.plan import PlannedAction, plan_day
from desktop_app.storage.models import Customer, Invoice, Promise
from desktop_app.storage.tables import INVOICE_OPEN_MINOR, OPEN_INVOICE

PROMISE_HORIZON_DAYS = 3  # promises due within this many days are shown
BANK_ROWS = 50  # transfers shown one by one; the rest in one row that opens the Bank page


@dataclass(frozen=True)
class TodayRow:
    """One line of Today and what its button does.

    ``installment_ids`` is what a Send/Print/Log click carries out (with ``channel``);
    ``outbox_id``, ``task_id`` and ``promise_id`` point at the thing a row is about.
    ``detail`` is the row's note in English; ``said`` the same as a message the window
    translates (None for words that are not ours: addresses, a server's answer, a typed
    note).
    """

    kind: str  # email, letter, call, task, promise, unknown_mail, failed_mail, broken_promise,
    #            write_off, bank_transfer, quote (a quote's call or task), credit_review
    customer_id: int
    customer_name: str
    invoice_ids: tuple[int, ...]
    numbers: str
    stage: str
    amount: Decimal
    currency: str
    days_late: int
    detail: str = ""
    said: Said | None = field(default=None, compare=False)  # ``detail`` tells rows apart
    promised_for: date | None = None
    channel: str = ""
    installment_ids: tuple[int, ...] = ()
    outbox_id: int | None = None
    task_id: int | None = None
    promise_id: int | None = None
    bank_transaction_id: int | None = None
    quote_id: int | None = None


def _noted(message: str, **values: Value) -> dict[str, Any]:
    """A row's note, in English and as the message it is made of."""
    return {"detail": say(message, values), "said": Said(message, values)}


@dataclass(frozen=True)
class TodayView:
    as_of: date
    emails: tuple[TodayRow, ...]
    letters: tuple[TodayRow, ...]
    calls: tuple[TodayRow, ...]
    promises: tuple[TodayRow, ...]
    decisions: tuple[TodayRow, ...]
    setup: FirstSteps  # what a new book still lacks
    receipts: tuple[TodayRow, ...] = ()  # asked whether the invoice arrived; no answer yet

    @property
    def mail_waits(self) -> bool:
        """Emails are due but cannot go until a mail account is set up."""
        return bool(self.emails) and not self.setup.mail_ready

    @property
    def empty(self) -> bool:
        return not (self.emails or self.letters or self.calls or self.promises
                    or self.decisions or self.receipts)


def _grouped(actions: list[PlannedAction], channel: str) -> list[TodayRow]:
    """One row per customer and channel, as the batch goes out; the latest first, then by
    name as people look names up (collation.name_key)."""
    by_customer: dict[int, list[PlannedAction]] = defaultdict(list)
    for action in actions:
        if channel in action.channels:
            by_customer[action.customer_id].append(action)
    rows = []
    for group in by_customer.values():
        first = group[0]
        stage = max(group, key=lambda a: a.days_late).stage
        who = ", ".join(first.recipients) if channel == "email" else ""
        rows.append(TodayRow(
            kind=channel, customer_id=first.customer_id, customer_name=first.customer_name,
            invoice_ids=tuple(dict.fromkeys(a.invoice_id for a in group)),
            numbers=", ".join(dict.fromkeys(a.number for a in group)), stage=stage,
            amount=sum((a.amount_due + a.fee + a.interest for a in group), Decimal(0)),
            currency=first.currency, days_late=max(a.days_late for a in group), detail=who,
            channel=channel, installment_ids=tuple(a.installment_id for a in group)))
    return sorted(rows, key=lambda r: (-r.days_late, name_key(r.customer_name)))


def today(books: Books, as_of: date) -> TodayView:
    everything = plan_day(books, as_of)
    plan = [a for a in everything if not a.suggest_write_off]  # the rest waits for a decision
    planned_calls = [
        TodayRow(kind=channel, customer_id=a.customer_id, customer_name=a.customer_name,
                 invoice_ids=(a.invoice_id,), numbers=a.number, stage=a.stage,
                 amount=a.amount_due, currency=a.currency, days_late=a.days_late,
                 channel=channel, installment_ids=(a.installment_id,))
        for a in plan for channel in ("call", "task") if channel in a.channels]
    open_tasks = [
        TodayRow(kind=t.channel, customer_id=t.customer_id, customer_name=t.customer_name,
                 invoice_ids=(t.invoice_id,), numbers=t.number, stage=t.stage,
                 amount=Decimal(0), currency="", days_late=(as_of - t.created_on).days,
                 **_noted(N_("on the list since {day}"), day=t.created_on),
                 channel=t.channel, task_id=t.id)
        for t in calls.open_tasks(books)]
    return TodayView(
        as_of=as_of, emails=tuple(_grouped(plan, "email")),
        letters=tuple(_grouped(plan, "letter")),
        calls=tuple(planned_calls + open_tasks + _quote_tasks(books, as_of)
                    + _credit_reviews(books, as_of)),
        promises=tuple(_promises_due(books, as_of)),
        decisions=tuple(_decisions(books, everything, as_of)),
        receipts=tuple(_receipts_awaited(books, as_of)), setup=first_steps(books))


def _receipts_awaited(books: Books, as_of: date) -> list[TodayRow]:
    return [TodayRow(kind="receipt", customer_id=a.customer_id, customer_name=a.customer_name,
                     invoice_ids=(a.invoice_id,), numbers=a.number, stage="receipt",
                     amount=from_minor(a.open_minor, a.currency), currency=a.currency,
                     days_late=(as_of - a.asked_on).days, channel=a.asked_by,
                     **_noted(N_("asked on {day} by phone") if a.asked_by == "call"
                              else N_("asked on {day}"), day=a.asked_on))
            for a in receipts.awaiting(books, as_of)]


def _quote_tasks(books: Books, as_of: date) -> list[TodayRow]:
    """Calls and messages a quote's follow-up put on the list, until they are logged."""
    return [TodayRow(kind="quote", customer_id=t.customer_id, customer_name=t.customer_name,
                     invoice_ids=(), numbers=t.number, stage=t.step, amount=t.total,
                     currency=t.currency, days_late=(as_of - t.since).days,
                     **({"detail": t.note, "said": t.said} if t.note else _noted(
                         N_("quote valid until {day}"), day=t.valid_until)),
                     channel=t.channel, quote_id=t.quote_id)
            for t in quote_followup.open_tasks(books)]


def _credit_reviews(books: Books, as_of: date) -> list[TodayRow]:
    """Credit decisions come up for review a year on (seed 003): references and statements
    again, then a new decision."""
    return [TodayRow(
        kind="credit_review", customer_id=t.customer_id, customer_name=t.customer_name,
        invoice_ids=(), numbers="", stage="credit_review", amount=Decimal(0), currency="",
        days_late=(as_of - t.review_on).days, **_review_note(t))
        for t in credit_applications.review_tasks(books, as_of)]


def _review_note(task: credit_applications.ReviewTask) -> dict[str, Any]:
    day, review = task.decided_on, task.review_on
    if task.state == "refused":
        return _noted(N_("credit refused on {day}; to be reviewed from {review}"), day=day,
                      review=review)
    if task.limit is None:
        return _noted(N_("credit approved on {day}; to be reviewed from {review}"), day=day,
                      review=review)
    return _noted(N_("credit approved on {day} with a limit of {limit}; to be reviewed from "
                     "{review}"), day=day, limit=Amount(task.limit, task.currency),
                  review=review)


def _promises_due(books: Books, as_of: date) -> list[TodayRow]:
    """Open promises whose day is near or just passed: check whether the money came."""
    with books.db.read() as session:
        rows = session.execute(
            select(Promise, Invoice.number, Invoice.currency, INVOICE_OPEN_MINOR, Customer.id,
                   Customer.name)
            .join(Invoice, Invoice.id == Promise.invoice_id)
            .join(Customer, Customer.id == Invoice.customer_id)
            .where(Promise.status == "open", OPEN_INVOICE,
                   Promise.promised_for <= as_of + timedelta(days=PROMISE_HORIZON_DAYS),
                   Promise.promised_for >= as_of - timedelta(days=PROMISE_GRACE_DAYS))
            .order_by(Promise.promised_for)).all()
        return [TodayRow(
            kind="promise", customer_id=cid, customer_name=name, invoice_ids=(p.invoice_id,),
            numbers=number or "", stage="promise",
            amount=from_minor(p.amount_minor if p.amount_minor is not None else owed,
                              currency),
            currency=currency, days_late=(as_of - p.promised_for).days,
            **(_noted(N_("promised for {day} by {who}"), day=p.promised_for,
                      who=p.promised_by) if p.promised_by
               else _noted(N_("promised for {day}"), day=p.promised_for)),
            promised_for=p.promised_for, promise_id=p.id)
            for p, number, currency, owed, cid, name in rows]


def _decisions(books: Books, plan: list[PlannedAction], as_of: date) -> list[TodayRow]:
    """Mail that may or may not have arrived, mail the server refused, broken promises
    nobody has looked at, items not worth the next step, and transfers the bank import could
    not place."""
    with books.db.read() as session:
        names = dict(session.execute(select(Customer.id, Customer.name)).all())
        broken = [
            (p.id, p.invoice_id, p.promised_for, number, cid, name)
            for p, number, cid, name in session.execute(
                select(Promise, Invoice.number, Customer.id, Customer.name)
                .join(Invoice, Invoice.id == Promise.invoice_id)
                .join(Customer, Customer.id == Invoice.customer_id)
                .where(Promise.status == "broken", Promise.reviewed_on.is_(None)))]
    rows = [
        TodayRow(kind=kind, customer_id=message.customer_id or 0,
                 customer_name=names.get(message.customer_id or 0, ""), invoice_ids=(),
                 numbers="", stage="", amount=Decimal(0), currency="", days_late=0,
                 detail=f"{message.subject}: {message.last_error}", outbox_id=message.id)
        for state, kind in (("unknown", "unknown_mail"), ("failed", "failed_mail"))
        for message in outbox.list_outbox(books, [state])]
    rows += [
        TodayRow(kind="broken_promise", customer_id=cid, customer_name=name,
                 invoice_ids=(invoice_id,), numbers=number or "", stage="promise",
                 amount=Decimal(0), currency="", days_late=0,
                 **_noted(N_("promised for {day}; the customer is on cash only"),
                          day=promised_for),
                 promised_for=promised_for, promise_id=promise_id)
        for promise_id, invoice_id, promised_for, number, cid, name in broken]
    rows += [
        TodayRow(kind="write_off", customer_id=a.customer_id, customer_name=a.customer_name,
                 invoice_ids=(a.invoice_id,), numbers=a.number, stage=a.stage,
                 amount=a.amount_due, currency=a.currency, days_late=a.days_late,
                 **_noted(N_("the next step would cost more than it can bring: write the "
                             "balance off, or take the step all the same")),
                 installment_ids=(a.installment_id,))
        for a in plan if a.suggest_write_off]
    return rows + _transfers(books, as_of)


def _transfers(books: Books, as_of: date) -> list[TodayRow]:
    """Money received that the import could not place: before a reminder goes to someone
    who may have paid, a person decides."""
    waiting = bank.count_waiting(books)
    if not waiting:
        return []
    rows = []
    for tx in bank.list_transactions(books, waiting=True, limit=BANK_ROWS):
        first = tx.suggestion[0] if tx.suggestion else None
        rows.append(TodayRow(
            kind="bank_transfer", customer_id=first.customer_id if first else 0,
            customer_name=tx.counterparty or (first.customer_name if first else ""),
            invoice_ids=tuple(p.invoice_id for p in tx.suggestion),
            numbers=", ".join(p.invoice_number for p in tx.suggestion), stage="",
            amount=tx.amount, currency=tx.currency,
            days_late=max((as_of - tx.date).days, 0), detail=tx.reason, said=tx.said,
            bank_transaction_id=tx.id))
    if waiting > BANK_ROWS:
        rows.append(TodayRow(
            kind="bank_transfer", customer_id=0, customer_name="", invoice_ids=(),
            numbers="", stage="", amount=Decimal(0), currency="", days_late=0,
            **_noted(N_("{count} more transfers wait on the Bank page"),
                     count=waiting - BANK_ROWS)))
    return rows

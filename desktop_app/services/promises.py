"""Promises to pay: a promise names its date and is written down; look at the broken ones."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy.orm import Session

from desktop_app.domain.errors import NotFound, RuleViolation, ValidationError
from desktop_app.domain.followup import promise_word
from desktop_app.domain.money import from_minor, parse_amount, to_minor
from desktop_app.domain.parties import EXCUSES, check_choice
from desktop_app.domain.status import Lifecycle
from desktop_app.messages import N_, Amount, Word
from desktop_app.services import activity
from desktop_app.services.books import Books, audit
from desktop_app.services.changes import OpChanges, states
from desktop_app.services.invoice_lookup import balance_minor, require_invoice
from desktop_app.services.records import PromiseView
from desktop_app.storage.models import Customer, Promise


@dataclass(frozen=True)
class PromiseInput:
    invoice_id: int
    promised_for: date
    made_on: date
    amount: str | Decimal | None = None
    excuse: str = "other"
    note: str = ""
    promised_by: str = ""


@states(OpChanges.INVOICES | OpChanges.FOLLOWUP)
def add_promise(books: Books, promise: PromiseInput) -> PromiseView:
    with books.db.write() as session:
        return record_promise(session, books, promise)


def record_promise(session: Session, books: Books, promise: PromiseInput) -> PromiseView:
    """In the caller's transaction (a call logged with a promise is one step)."""
    check_choice(promise.excuse, "excuse", EXCUSES)
    if len(promise.promised_by.strip()) > 200:
        raise ValidationError("by", N_("is longer than 200 characters"))
    if promise.promised_for < promise.made_on:
        raise ValidationError("date", N_("a promise to pay must name a day from today on"))
    inv = require_invoice(session, promise.invoice_id)
    if inv.state != Lifecycle.ISSUED or balance_minor(inv) <= 0:
        raise RuleViolation(N_("invoice {invoice} has nothing open to promise"),
                            invoice=str(inv.number or inv.id))
    amount = None
    if promise.amount not in (None, ""):
        amount = to_minor(parse_amount(promise.amount, "amount", inv.currency), inv.currency)
        if amount > balance_minor(inv):
            raise ValidationError("amount", N_("is more than the invoice's open balance"))
    row = Promise(
        invoice_id=inv.id, promised_for=promise.promised_for, amount_minor=amount,
        excuse=promise.excuse, note=promise.note.strip(),
        promised_by=promise.promised_by.strip(), created_on=promise.made_on,
        created_at=books.clock(),
    )
    session.add(row)
    session.flush()
    activity.log(session, books, customer_id=inv.customer_id, kind="promise",
                 message=_promise_message(amount is not None, bool(row.promised_by),
                                          bool(row.note)),
                 values={"amount": Amount(from_minor(amount or 0, inv.currency), inv.currency),
                         "who": row.promised_by, "day": promise.promised_for,
                         "excuse": Word(promise.excuse.replace("_", " ")), "note": row.note},
                 on=promise.made_on, invoice_id=inv.id)
    audit(session, books, "promise.add", "invoice", inv.id, {
        "promise_id": row.id, "date": promise.promised_for, "amount_minor": amount,
        "excuse": promise.excuse,
    })
    return PromiseView(row.id, inv.id, row.promised_for,
                       None if amount is None else from_minor(amount, inv.currency),
                       row.excuse, row.note)


@states(OpChanges.FOLLOWUP | OpChanges.CUSTOMERS)
def review_broken_promise(books: Books, promise_id: int, on: date, *,
                          lift_cash_only: bool) -> None:
    """A person looked at a broken promise: keep the customer on cash only, or lift it."""
    with books.db.write() as session:
        row = session.get(Promise, promise_id)
        if row is None:
            raise NotFound("promise", N_("no promise with id {id}"), id=str(promise_id))
        if row.status != "broken":
            raise RuleViolation(N_("promise {id} is {status}, not broken"), id=str(promise_id),
                                status=promise_word(row.status))
        row.reviewed_on = on
        inv = require_invoice(session, row.invoice_id)
        customer = session.get(Customer, inv.customer_id)
        assert customer is not None
        if lift_cash_only and customer.credit_status == "cash_only":
            customer.credit_status = "good"
            activity.log(session, books, customer_id=customer.id, kind="credit",
                         message=N_("Cash only lifted after the broken promise was reviewed"),
                         on=on, invoice_id=inv.id)
        audit(session, books, "promise.review", "invoice", inv.id,
              {"promise_id": promise_id, "lift_cash_only": lift_cash_only})


PROPOSED_WAIT_DAYS = 7  # a week: long enough to arrange a payment, short enough to hold to


def proposed_promise_day(as_of: date) -> date:
    """The day a form proposes for a promise to pay, before the customer names one."""
    return as_of + timedelta(days=PROPOSED_WAIT_DAYS)


def _promise_message(amount: bool, who: bool, note: bool) -> str:
    """Each variant a whole sentence, so that every language can say it its own way."""
    return {
        (True, True, True): N_("Promised ({who}) to pay {amount} by {day}; reason given: "
                               "{excuse}. {note}"),
        (True, True, False): N_("Promised ({who}) to pay {amount} by {day}; reason given: "
                                "{excuse}"),
        (True, False, True): N_("Promised to pay {amount} by {day}; reason given: {excuse}. "
                                "{note}"),
        (True, False, False): N_("Promised to pay {amount} by {day}; reason given: {excuse}"),
        (False, True, True): N_("Promised ({who}) to pay the open amount by {day}; reason "
                                "given: {excuse}. {note}"),
        (False, True, False): N_("Promised ({who}) to pay the open amount by {day}; reason "
                                 "given: {excuse}"),
        (False, False, True): N_("Promised to pay the open amount by {day}; reason given: "
                                 "{excuse}. {note}"),
        (False, False, False): N_("Promised to pay the open amount by {day}; reason given: "
                                  "{excuse}"),
    }[(amount, who, note)]

"""Phone calls: the outcome of a call task logged in one step, with a promise if one was
made: the call to the customer's accounts a week after the due date ends, where it can,
with a promise that names its date."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import select

from desktop_app.domain.errors import RuleViolation, ValidationError
from desktop_app.domain.parties import EXCUSES, check_choice
from desktop_app.messages import N_
from desktop_app.services import activity
from desktop_app.services.activity import ActivityView
from desktop_app.services.books import Books, audit
from desktop_app.services.changes import OpChanges, states
from desktop_app.services.followup import run as followup
from desktop_app.services.invoice_lookup import require_invoice
from desktop_app.services.promises import PromiseInput, record_promise
from desktop_app.storage.models import (
    CallTask,
    Customer,
    Installment,
    Invoice,
    InvoiceHold,
)
from desktop_app.storage.tables import OPEN_INSTALLMENT

OUTCOMES = ("reached", "no_answer")


@dataclass(frozen=True)
class CallInput:
    invoice_id: int
    outcome: str
    on: date
    note: str = ""
    next_step: str = ""
    promise_date: date | None = None
    promise_amount: str | Decimal | None = None
    excuse: str = "other"
    promised_by: str = ""


@dataclass(frozen=True)
class OpenTask:
    """A call or task waiting on the day's list for its outcome."""

    id: int
    channel: str
    stage: str
    customer_id: int
    customer_name: str
    invoice_id: int
    number: str
    created_on: date


def open_tasks(books: Books, customer_id: int | None = None) -> list[OpenTask]:
    """Calls and tasks still to do, for what is still owed: an item paid, written off,
    voided, held or exempted since takes its task off the list."""
    with books.db.read() as session:
        held = select(InvoiceHold.id).where(InvoiceHold.invoice_id == Invoice.id,
                                            InvoiceHold.released_on.is_(None)).exists()
        stmt = (select(CallTask, Invoice.id, Invoice.number, Invoice.customer_name)
                .join(Installment, Installment.id == CallTask.installment_id)
                .join(Invoice, Invoice.id == Installment.invoice_id)
                .join(Customer, Customer.id == CallTask.customer_id)
                .where(CallTask.outcome.is_(None), OPEN_INSTALLMENT, ~held,
                       Customer.exempt.is_(False))
                .order_by(CallTask.created_on, CallTask.id))
        if customer_id is not None:
            stmt = stmt.where(CallTask.customer_id == customer_id)
        return [OpenTask(task.id, task.channel, task.stage, task.customer_id, name, inv_id,
                         number or "", task.created_on)
                for task, inv_id, number, name in session.execute(stmt)]


@states(OpChanges.FOLLOWUP | OpChanges.INVOICES | OpChanges.CUSTOMERS)
def log_call(books: Books, call: CallInput) -> ActivityView:
    """Close the invoice's open call task (carrying out a call stage due today first, so a
    click on Today is one step); a call nobody planned is simply logged."""
    check_choice(call.outcome, "outcome", OUTCOMES)
    if call.promise_date is not None and call.outcome != "reached":
        raise ValidationError("promise-date", N_("a promise needs someone who was reached"))
    check_choice(call.excuse, "excuse", EXCUSES)
    with books.db.write() as session:
        inv = require_invoice(session, call.invoice_id)
        installments = [i.id for i in inv.installments]
        followup.carry_out(session, books, call.on, customer_id=inv.customer_id,
                           channels=("call",), installment_ids=installments)
        tasks = session.scalars(select(CallTask).where(
            CallTask.installment_id.in_(installments), CallTask.outcome.is_(None),
            CallTask.channel == "call")).all()
        for task in tasks:
            task.outcome, task.outcome_on = call.outcome, call.on
            task.note, task.next_step = call.note.strip(), call.next_step.strip()
        if call.promise_date is not None:
            record_promise(session, books, PromiseInput(
                invoice_id=inv.id, promised_for=call.promise_date, made_on=call.on,
                amount=call.promise_amount, excuse=call.excuse, note=call.note,
                promised_by=call.promised_by))
        note, next_step = call.note.strip(), call.next_step.strip()
        row = activity.log(session, books, customer_id=inv.customer_id, kind="call",
                           message=_call_message(call.outcome == "reached", bool(note),
                                                 bool(next_step)),
                           values={"number": inv.number or "", "note": note, "next": next_step},
                           on=call.on, invoice_id=inv.id)
        audit(session, books, "call.log", "invoice", inv.id,
              {"outcome": call.outcome, "tasks": [t.id for t in tasks]})
        return activity.view(row, inv.number)


@states(OpChanges.FOLLOWUP | OpChanges.CUSTOMERS)
def complete_task(books: Books, invoice_id: int, on: date, note: str = "") -> list[int]:
    """A task stage (a handover, say) done in one step from Today: carried out first when it
    is due today, then every open task of the invoice closed with the note. Returns the
    tasks closed."""
    with books.db.write() as session:
        inv = require_invoice(session, invoice_id)
        installments = [i.id for i in inv.installments]
        followup.carry_out(session, books, on, customer_id=inv.customer_id,
                           channels=("task",), installment_ids=installments)
        tasks = session.scalars(select(CallTask).where(
            CallTask.installment_id.in_(installments), CallTask.outcome.is_(None),
            CallTask.channel == "task")).all()
        if not tasks:
            raise RuleViolation(N_("invoice {invoice} has no task waiting"),
                                invoice=str(inv.number or inv.id))
        for task in tasks:
            task.outcome, task.outcome_on, task.note = "done", on, note.strip()
        activity.log(session, books, customer_id=inv.customer_id, kind="task",
                     message=N_("Task for invoice {number} done: {note}") if note.strip()
                     else N_("Task for invoice {number} done"),
                     values={"number": inv.number or "", "note": note.strip()},
                     on=on, invoice_id=inv.id)
        audit(session, books, "task.done", "invoice", inv.id, {"tasks": [t.id for t in tasks]})
        return [t.id for t in tasks]


def _call_message(reached: bool, note: bool, next_step: bool) -> str:
    """Each variant a whole sentence, so that every language can say it its own way."""
    return {
        (True, True, True): N_("Call about invoice {number}: reached; {note}; next step: "
                               "{next}"),
        (True, True, False): N_("Call about invoice {number}: reached; {note}"),
        (True, False, True): N_("Call about invoice {number}: reached; next step: {next}"),
        (True, False, False): N_("Call about invoice {number}: reached"),
        (False, True, True): N_("Call about invoice {number}: no answer; {note}; next step: "
                                "{next}"),
        (False, True, False): N_("Call about invoice {number}: no answer; {note}"),
        (False, False, True): N_("Call about invoice {number}: no answer; next step: {next}"),
        (False, False, False): N_("Call about invoice {number}: no answer"),
    }[(reached, note, next_step)]

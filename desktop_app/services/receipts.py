"""Confirm the invoice arrived (seed 003): the customer's word that it did, who gave it, on
which day and how, recorded once per invoice; and how each customer is asked (a read receipt
on the invoice's email, a call instead of an email). A recorded receipt stops the follow-up's
receipt question and answers "we never got it" in the dossier."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop_app.domain.errors import RuleViolation, ValidationError
from desktop_app.messages import N_, Word
from desktop_app.services import activity
from desktop_app.services.books import Books, audit, require_customer
from desktop_app.services.changes import OpChanges, states
from desktop_app.services.followup.policy_choice import named_policies
from desktop_app.services.invoice_lookup import require_invoice
from desktop_app.services.records import ReceiptView
from desktop_app.storage.models import (
    Customer,
    FollowupRecord,
    Installment,
    Invoice,
    InvoiceReceipt,
)
from desktop_app.storage.tables import INVOICE_OPEN_MINOR, OPEN_INVOICE

VIA = ("email", "phone", "letter")
MAX_NAME = 200


@dataclass(frozen=True)
class ReceiptAsking:
    """How a customer is asked: ``read_receipt`` None follows the mail account."""

    customer_id: int
    read_receipt: bool | None
    by_call: bool


def _view(row: InvoiceReceipt, number: str) -> ReceiptView:
    return ReceiptView(row.invoice_id, number, row.received_on, row.received_by, row.via)


def default_witness(customer: Customer) -> str:
    """Who confirms, when one click does not say: the billing contact, else the customer."""
    for contact in customer.contacts:
        if contact.role == "billing" and contact.name.strip():
            return contact.name.strip()
    return customer.name


@states(OpChanges.FOLLOWUP | OpChanges.INVOICES)
def record_receipt(books: Books, invoice_id: int, *, by: str = "", via: str = "email",
                   on: date | None = None) -> ReceiptView:
    """Record that the invoice arrived. ``by`` empty: the billing contact (one click on
    Today); ``on`` empty: the books' day. Once per invoice: a second word is refused."""
    day = books.today() if on is None else on
    name = " ".join(by.split())
    if via not in VIA:
        raise ValidationError("via", N_("'{via}' is not one of {ways}"), via=via,
                              ways=", ".join(VIA))
    if len(name) > MAX_NAME:
        raise ValidationError("by", N_("is longer than {limit} characters"), limit=MAX_NAME)
    if day > books.today():
        raise ValidationError("date", N_("cannot be after today"))
    with books.db.write() as session:
        inv = require_invoice(session, invoice_id)
        label = inv.number or str(inv.id)
        if inv.state == "draft" or inv.issue_date is None:
            raise RuleViolation(N_("invoice {invoice} is a draft: it has not been sent"),
                                invoice=label)
        if day < inv.issue_date:
            raise ValidationError("date", N_("is before invoice {invoice} was issued ({day})"),
                                  invoice=label, day=inv.issue_date)
        earlier = _receipt_row(session, inv.id)
        if earlier is not None:
            raise RuleViolation(
                N_("invoice {invoice} was already confirmed received on {day} by {name}"),
                invoice=label, day=earlier.received_on, name=str(earlier.received_by))
        customer = require_customer(session, inv.customer_id)
        name = name or default_witness(customer)
        row = InvoiceReceipt(invoice_id=inv.id, received_on=day, received_by=name, via=via,
                             recorded_at=books.clock(), actor=books.actor)
        session.add(row)
        session.flush()
        activity.log(session, books, customer_id=inv.customer_id, kind="note",
                     message=N_("Invoice {number} confirmed received by {name} ({via})"),
                     values={"number": label, "name": name, "via": Word(via)},
                     on=day, invoice_id=inv.id)
        audit(session, books, "invoice.receipt", "invoice", inv.id,
              {"received_on": day, "by": name, "via": via})
        return _view(row, inv.number or "")


def witness_of(books: Books, invoice_id: int) -> str:
    """Who is taken to confirm an invoice's receipt when nobody is named (the window's form
    starts from it): its customer's billing contact, else the customer."""
    with books.db.read() as session:
        inv = require_invoice(session, invoice_id)
        return default_witness(require_customer(session, inv.customer_id))


def _receipt_row(session: Session, invoice_id: int) -> InvoiceReceipt | None:
    return session.scalars(select(InvoiceReceipt).where(
        InvoiceReceipt.invoice_id == invoice_id)).first()


def receipt_of(books: Books, invoice_id: int) -> ReceiptView | None:
    """The recorded receipt of an invoice, if any."""
    with books.db.read() as session:
        inv = require_invoice(session, invoice_id)
        row = _receipt_row(session, inv.id)
        return None if row is None else _view(row, inv.number or "")


def receipt_in(session: Session, invoice_id: int) -> ReceiptView | None:
    """The same, in the caller's session (the dossier is made in one)."""
    row = _receipt_row(session, invoice_id)
    if row is None:
        return None
    inv = require_invoice(session, invoice_id)
    return _view(row, inv.number or "")


@states(OpChanges.CUSTOMERS | OpChanges.FOLLOWUP)
def set_asking(books: Books, customer_id: int, *, read_receipt: bool | None,
               by_call: bool) -> ReceiptAsking:
    """How this customer is asked whether an invoice arrived."""
    with books.db.write() as session:
        customer = require_customer(session, customer_id)
        customer.read_receipt = read_receipt
        customer.receipt_by_call = by_call
        audit(session, books, "customer.receipt_asking", "customer", customer.id,
              {"read_receipt": read_receipt, "by_call": by_call})
        return ReceiptAsking(customer.id, read_receipt, by_call)


def asking_of(books: Books, customer_id: int) -> ReceiptAsking:
    with books.db.read() as session:
        customer = require_customer(session, customer_id)
        return ReceiptAsking(customer.id, customer.read_receipt, bool(customer.receipt_by_call))



@dataclass(frozen=True)
class Awaiting:
    """An invoice whose customer was asked whether it arrived and has not said yet."""

    invoice_id: int
    number: str
    customer_id: int
    customer_name: str
    asked_on: date
    asked_by: str  # the channel the question went on: email or call
    due_date: date
    open_minor: int
    currency: str


def awaiting(books: Books, as_of: date) -> list[Awaiting]:
    """Asked, not confirmed, still open and not yet due: on Today with a one-click
    "Received" (once it is due the reminders speak for themselves)."""
    rec, inst, inv = FollowupRecord, Installment, Invoice
    with books.db.read() as session:
        asking = {p.on_receipt.name for p in named_policies(session).values()
                  if p.on_receipt is not None}
        if not asking:
            return []
        rows = session.execute(
            select(inv.id, inv.number, inv.customer_id, Customer.name, rec.recorded_on,
                   rec.channels, inv.due_date, INVOICE_OPEN_MINOR, inv.currency)
            .join(inst, inst.invoice_id == inv.id).join(rec, rec.installment_id == inst.id)
            .join(Customer, Customer.id == inv.customer_id)
            .where(rec.stage.in_(asking), rec.outcome == "done", OPEN_INVOICE,
                   inv.due_date >= as_of,
                   ~select(InvoiceReceipt.id).where(InvoiceReceipt.invoice_id == inv.id)
                   .exists())
            .order_by(rec.recorded_on, inv.id)).all()
    return [Awaiting(r[0], r[1] or "", r[2], r[3], r[4], r[5].split(",")[0] or "email",
                     r[6], int(r[7]), r[8]) for r in rows]


def via_of(asked_by: str) -> str:
    """How a yes to the question came: by email to an email, on the phone to a call."""
    return "phone" if asked_by == "call" else "email"

"""Disputes and manual pauses: one invoice held out of the follow-up until released."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop_app.domain.errors import RuleViolation
from desktop_app.domain.parties import check_choice, require_text
from desktop_app.domain.status import Lifecycle, lifecycle_word
from desktop_app.messages import N_
from desktop_app.services import activity
from desktop_app.services.books import Books, audit
from desktop_app.services.changes import OpChanges, states
from desktop_app.services.invoice_lookup import require_invoice
from desktop_app.services.invoices import invoice_view
from desktop_app.services.records import InvoiceView
from desktop_app.storage.models import InvoiceHold

KINDS = ("dispute", "pause")


def open_hold(session: Session, invoice_id: int) -> InvoiceHold | None:
    return session.scalars(select(InvoiceHold).where(
        InvoiceHold.invoice_id == invoice_id, InvoiceHold.released_on.is_(None))).first()


@states(OpChanges.INVOICES | OpChanges.FOLLOWUP | OpChanges.CUSTOMERS)
def hold(books: Books, invoice_id: int, reason: str, on: date, kind: str = "dispute"
         ) -> InvoiceView:
    """Nothing goes out for the invoice while it is held (DOMAIN: Dispute)."""
    check_choice(kind, "kind", KINDS)
    text = require_text(reason, "reason", max_len=2000)
    with books.db.write() as session:
        inv = require_invoice(session, invoice_id)
        if inv.state != Lifecycle.ISSUED:
            raise RuleViolation(N_("invoice {invoice} is {state}; only issued invoices are "
                                   "followed up"), invoice=str(inv.number or inv.id),
                                state=lifecycle_word(inv.state))
        current = open_hold(session, inv.id)
        if current is not None:
            raise RuleViolation(N_("invoice {number} is already held ({kind}: {reason})"),
                                number=str(inv.number), kind=current.kind,
                                reason=current.reason)
        session.add(InvoiceHold(invoice_id=inv.id, kind=kind, reason=text, opened_on=on,
                                resolution=""))
        activity.log(session, books, customer_id=inv.customer_id, kind="dispute",
                     message=N_("Disputed: {reason}") if kind == "dispute"
                     else N_("Paused: {reason}"), values={"reason": text},
                     on=on, invoice_id=inv.id)
        audit(session, books, f"{kind}.open", "invoice", inv.id, {"reason": text})
        return invoice_view(session, inv.id, books.today())


@states(OpChanges.INVOICES | OpChanges.FOLLOWUP | OpChanges.CUSTOMERS)
def release(books: Books, invoice_id: int, on: date, resolution: str = "") -> InvoiceView:
    with books.db.write() as session:
        inv = require_invoice(session, invoice_id)
        current = open_hold(session, inv.id)
        if current is None:
            raise RuleViolation(N_("invoice {invoice} is not held"),
                                invoice=str(inv.number or inv.id))
        current.released_on = on
        current.resolution = resolution.strip()
        activity.log(session, books, customer_id=inv.customer_id, kind="dispute",
                     message=_resolved_message(current.kind == "dispute",
                                               bool(current.resolution)),
                     values={"resolution": current.resolution},
                     on=on, invoice_id=inv.id)
        audit(session, books, f"{current.kind}.resolve", "invoice", inv.id,
              {"resolution": current.resolution})
        return invoice_view(session, inv.id, books.today())


def _resolved_message(dispute: bool, resolution: bool) -> str:
    return {
        (True, True): N_("Dispute resolved: {resolution}"),
        (True, False): N_("Dispute resolved"),
        (False, True): N_("Pause resolved: {resolution}"),
        (False, False): N_("Pause resolved"),
    }[(dispute, resolution)]

"""The customer's log: every email, letter, call, promise, payment and note, with its date
and, for documents, the stored copy: every step of a follow-up can be shown later, to the
customer or to a court."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop_app import messages
from desktop_app.domain.errors import ValidationError
from desktop_app.domain.parties import require_text
from desktop_app.messages import N_
from desktop_app.services.books import Books, audit, require_customer
from desktop_app.services.changes import OpChanges, states
from desktop_app.storage.models import Activity, Invoice, StoredDocument

KINDS = ("email", "letter", "call", "task", "visit", "note", "promise", "payment", "dispute",
         "plan", "write_off", "credit", "document")
MANUAL_KINDS = ("call", "visit", "note")
# Words from fixed lists that fill the messages (payment methods, excuses, stages, document
# kinds), marked for the catalogues: the window translates each where it shows an entry.
WORDS = (
    N_("bank transfer"), N_("card"), N_("cash"), N_("cheque"), N_("direct debit"),
    N_("other"), N_("cheque in mail"), N_("approval pending"), N_("cash tight"),
    N_("documents missing"), N_("email"), N_("phone"), N_("letter"),
    N_("financial statements"), N_("credit report"), N_("document"),
    N_("month"), N_("quarter"), N_("year"),
    N_("first reminder"), N_("second reminder"), N_("final notice"),
    N_("notice before handover"), N_("payment plan"), N_("reminder 1"), N_("reminder 2"),
    N_("handover"), N_("call"), N_("Handover"),
    N_("Upcoming payment"), N_("Payment due"), N_("Payment reminder"), N_("Second reminder"),
    N_("Final notice"), N_("Notice before handover"), N_("Deposit request"),
    N_("Payment plan agreement"),
)


@dataclass(frozen=True)
class ActivityView:
    id: int
    happened_on: date
    kind: str
    summary: str
    actor: str
    invoice_id: int | None
    invoice_number: str | None
    document_id: int | None
    message: str = ""  # the English template ("" for old entries and typed notes)
    values: Mapping[str, messages.Value] | None = None


def entry(books: Books, *, customer_id: int, kind: str, message: str,
          values: Mapping[str, messages.Value] | None = None, on: date,
          invoice_id: int | None = None, document_id: int | None = None) -> dict[str, Any]:
    """One entry's columns (a batch inserts thousands in one statement): ``message`` is an
    English template marked with ``N_`` and ``values`` fill its fields; the English summary
    is kept beside them."""
    if kind not in KINDS:
        raise ValidationError("kind", N_("'{kind}' is not one of {kinds}"), kind=kind,
                              kinds=", ".join(KINDS))
    said = dict(values or {})
    return _columns(books, customer_id=customer_id, kind=kind,
                    summary=messages.say(message, said), message=message,
                    params=messages.dump(said), on=on, invoice_id=invoice_id,
                    document_id=document_id)


def log(session: Session, books: Books, *, customer_id: int, kind: str, message: str,
        values: Mapping[str, messages.Value] | None = None, on: date,
        invoice_id: int | None = None, document_id: int | None = None) -> Activity:
    """Add one entry in the caller's transaction (see ``entry``)."""
    return _add(session, entry(books, customer_id=customer_id, kind=kind, message=message,
                               values=values, on=on, invoice_id=invoice_id,
                               document_id=document_id))


def _columns(books: Books, *, customer_id: int, kind: str, summary: str, message: str,
             params: str, on: date, invoice_id: int | None,
             document_id: int | None) -> dict[str, Any]:
    return {"customer_id": customer_id, "invoice_id": invoice_id, "happened_on": on,
            "at": books.clock(), "kind": kind, "summary": summary, "actor": books.actor,
            "document_id": document_id, "message": message, "params": params}


def _add(session: Session, columns: dict[str, Any]) -> Activity:
    row = Activity(**columns)
    session.add(row)
    session.flush()
    return row


@states(OpChanges.CUSTOMERS)
def add_note(books: Books, customer_id: int, kind: str, summary: str, on: date,
             invoice_id: int | None = None) -> ActivityView:
    """A call, visit or note the user writes down by hand."""
    if kind not in MANUAL_KINDS:
        raise ValidationError("kind", N_("'{kind}' is not one of {kinds}"), kind=kind,
                              kinds=", ".join(MANUAL_KINDS))
    text = require_text(summary, "note", max_len=4000)
    with books.db.write() as session:
        require_customer(session, customer_id)
        # what a person wrote is kept as written: it has no message to translate
        row = _add(session, _columns(books, customer_id=customer_id, kind=kind, summary=text,
                                     message="", params="", on=on, invoice_id=invoice_id,
                                     document_id=None))
        audit(session, books, f"activity.{kind}", "customer", customer_id,
              {"activity_id": row.id})
        return _view(row, None)


def timeline(books: Books, customer_id: int, limit: int = 500) -> list[ActivityView]:
    """Newest first."""
    with books.db.read() as session:
        require_customer(session, customer_id)
        rows = session.execute(
            select(Activity, Invoice.number).outerjoin(Invoice, Invoice.id == Activity.invoice_id)
            .where(Activity.customer_id == customer_id)
            .order_by(Activity.happened_on.desc(), Activity.id.desc()).limit(limit)
        ).all()
        return [_view(row, number) for row, number in rows]


def stored_pdf(books: Books, document_id: int) -> tuple[str, bytes]:
    """A stored document exactly as it went out: file name and bytes."""
    with books.db.read() as session:
        row = session.get(StoredDocument, document_id)
        if row is None:
            raise ValidationError("document", N_("no stored document with id {id}"),
                                  id=str(document_id))
        return row.filename, row.pdf


def _view(row: Activity, number: str | None) -> ActivityView:
    return view(row, number)


def view(row: Activity, number: str | None) -> ActivityView:
    """An entry as the faces read it, with its message and values when it has them."""
    return ActivityView(row.id, row.happened_on, row.kind, row.summary, row.actor,
                        row.invoice_id, number, row.document_id, row.message or "",
                        messages.load(row.params or "") if row.message else None)

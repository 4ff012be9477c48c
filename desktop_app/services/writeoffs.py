"""Writing off what costs more to chase than it can bring: the reason and the amount are
kept, the item leaves every list but the log. What is written off is the debt and the fees
and interest charged on it, so no charge stays open on a closed debt, as owed on the
write-off's day (services.settlement)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import select

from desktop_app.domain.errors import RuleViolation, ValidationError
from desktop_app.domain.money import from_minor, parse_amount, to_minor
from desktop_app.domain.parties import require_text
from desktop_app.domain.status import Lifecycle, lifecycle_word
from desktop_app.messages import N_, Amount, Said
from desktop_app.services import activity, settlement
from desktop_app.services.books import Books, audit
from desktop_app.services.changes import OpChanges, states
from desktop_app.services.invoice_lookup import balance_minor, require_invoice
from desktop_app.services.invoices import (
    OPEN_CHARGES,
    invoice_view,
)
from desktop_app.services.records import InvoiceView
from desktop_app.storage.models import Invoice, WriteOff


@states(OpChanges.INVOICES | OpChanges.CUSTOMERS | OpChanges.FOLLOWUP | OpChanges.PAYMENTS)
def write_off(books: Books, invoice_id: int, reason: str, on: date,
              amount: str | Decimal | None = None) -> InvoiceView:
    """Write off all that is open (the debt and its charges), or a part of it (the oldest
    installments first, then the charges)."""
    text = require_text(reason, "reason", max_len=2000)
    with books.db.write() as session:
        inv = require_invoice(session, invoice_id, lock=True)
        if inv.state != Lifecycle.ISSUED:
            raise RuleViolation(N_("invoice {invoice} is {state}; only an issued invoice can "
                                   "be written off"), invoice=str(inv.number or inv.id),
                                state=lifecycle_word(inv.state))
        charges = int(session.execute(
            select(OPEN_CHARGES).where(Invoice.id == inv.id)).scalar_one())
        open_minor = balance_minor(inv) + charges
        if open_minor <= 0:
            raise RuleViolation(N_("invoice {number} has nothing open to write off"),
                                number=str(inv.number))
        requested = None
        if amount not in (None, ""):
            requested = to_minor(parse_amount(amount, "amount", inv.currency), inv.currency)
            if requested > open_minor:
                raise ValidationError("amount", N_("is more than the open {balance}"),
                                      balance=str(from_minor(open_minor, inv.currency)))
        row = WriteOff(invoice_id=inv.id, written_on=on, amount_minor=0, reason=text,
                       requested_minor=requested)
        session.add(row)
        session.flush()
        cur = inv.currency
        settled = settlement.settle(session, books, inv.customer_id,
                                    why=Said(N_("a write-off dated {day} was entered"),
                                             {"day": on}))
        took = settled.ledger.written_off.get(row.id, 0)
        if took <= 0:
            raise RuleViolation(N_("invoice {number} had nothing open on {day} to write off"),
                                number=str(inv.number), day=on)
        activity.log(session, books, customer_id=inv.customer_id, kind="write_off",
                     message=N_("Written off {amount}: {reason}"),
                     values={"amount": Amount(from_minor(took, cur), cur), "reason": text}, on=on,
                     invoice_id=inv.id)
        audit(session, books, "invoice.write_off", "invoice", inv.id,
              {"amount_minor": took, "requested_minor": requested, "reason": text})
        settlement.lift_credit_status(session, books, [inv.customer_id],
                                      max(books.today(), on))
        return invoice_view(session, inv.id, books.today())

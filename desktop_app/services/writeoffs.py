"""Writing off what cannot be collected (seed 001: know when to quit): the reason and the
amount are kept, the item leaves every list but the log."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from desktop_app.domain.allocation import OpenItem, allocate
from desktop_app.domain.errors import RuleViolation, ValidationError
from desktop_app.domain.money import from_minor, parse_amount, to_minor
from desktop_app.domain.parties import require_text
from desktop_app.services import activity
from desktop_app.services.books import Books, audit
from desktop_app.services.invoices import balance_minor, invoice_view, require_invoice
from desktop_app.services.views import InvoiceView
from desktop_app.storage.models import WriteOff


def write_off(books: Books, invoice_id: int, reason: str, on: date,
              amount: str | Decimal | None = None) -> InvoiceView:
    """Write off the whole open balance, or a part of it (oldest installments first)."""
    text = require_text(reason, "reason", max_len=2000)
    with books.db.write() as session:
        inv = require_invoice(session, invoice_id, lock=True)
        if inv.state != "issued":
            raise RuleViolation(f"invoice {inv.number or inv.id} is {inv.state}; only an "
                                "issued invoice can be written off")
        open_minor = balance_minor(inv)
        if open_minor <= 0:
            raise RuleViolation(f"invoice {inv.number} has nothing open to write off")
        minor = open_minor
        if amount not in (None, ""):
            minor = to_minor(parse_amount(amount, "amount", inv.currency), inv.currency)
            if minor > open_minor:
                raise ValidationError("amount", f"is more than the open "
                                      f"{from_minor(open_minor, inv.currency)}")
        items = [OpenItem(i.id, i.due_date, i.open_minor) for i in inv.installments
                 if i.open_minor > 0]
        by_id = {i.id: i for i in inv.installments}
        for key, part in allocate(minor, items).applied:
            by_id[key].written_off_minor += part
        inv.written_off_minor += minor
        session.add(WriteOff(invoice_id=inv.id, written_on=on, amount_minor=minor, reason=text))
        activity.log(session, books, customer_id=inv.customer_id, kind="write_off",
                     summary=f"Written off {from_minor(minor, inv.currency)} "
                             f"{inv.currency}: {text}", on=on, invoice_id=inv.id)
        audit(session, books, "invoice.write_off", "invoice", inv.id,
              {"amount_minor": minor, "reason": text})
        return invoice_view(session, inv.id, books.today())

"""Promises to pay: pin the date, write it down (seed 002)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from desktop_app.domain.errors import RuleViolation, ValidationError
from desktop_app.domain.money import from_minor, parse_amount, to_minor
from desktop_app.domain.parties import EXCUSES, check_choice
from desktop_app.services.books import Books, audit
from desktop_app.services.invoices import balance_minor, require_invoice
from desktop_app.services.views import PromiseView
from desktop_app.storage.models import Promise


@dataclass(frozen=True)
class PromiseInput:
    invoice_id: int
    promised_for: date
    made_on: date
    amount: str | Decimal | None = None
    excuse: str = "other"
    note: str = ""
    promised_by: str = ""


def add_promise(books: Books, promise: PromiseInput) -> PromiseView:
    check_choice(promise.excuse, "excuse", EXCUSES)
    if promise.promised_for < promise.made_on:
        raise ValidationError("date", "a promise to pay must name a day from today on")
    with books.db.write() as session:
        inv = require_invoice(session, promise.invoice_id)
        if inv.state != "issued" or balance_minor(inv) <= 0:
            raise RuleViolation(f"invoice {inv.number or inv.id} has nothing open to promise")
        amount = None
        if promise.amount not in (None, ""):
            amount = to_minor(parse_amount(promise.amount, "amount", inv.currency), inv.currency)
            if amount > balance_minor(inv):
                raise ValidationError("amount", "is more than the invoice's open balance")
        row = Promise(
            invoice_id=inv.id, promised_for=promise.promised_for, amount_minor=amount,
            excuse=promise.excuse, note=promise.note.strip(),
            promised_by=promise.promised_by.strip(), created_on=promise.made_on,
            created_at=books.clock(),
        )
        session.add(row)
        session.flush()
        audit(session, books, "promise.add", "invoice", inv.id, {
            "promise_id": row.id, "date": promise.promised_for, "amount_minor": amount,
            "excuse": promise.excuse,
        })
        return PromiseView(row.id, inv.id, row.promised_for,
                           None if amount is None else from_minor(amount, inv.currency),
                           row.excuse, row.note)

"""Recording money received: it settles what was owed on its value date (late charges first,
configurable, then the oldest open installment), the rest is the customer's credit; the
customer's money is replayed in date order each time (services.settlement)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import Row, func, or_, select
from sqlalchemy.sql.elements import ColumnElement

from desktop_app.domain.errors import RuleViolation, ValidationError
from desktop_app.domain.money import from_minor, parse_amount, to_minor
from desktop_app.domain.parties import check_choice
from desktop_app.services import activity, settlement
from desktop_app.services.books import Books, audit
from desktop_app.services.invoices import ROWS_PER_QUERY, invoice_view, require_invoice
from desktop_app.services.settlement import ORDER_KEY, ORDERS, payment_order
from desktop_app.services.views import PaymentRow, PaymentView
from desktop_app.storage.models import Customer, Invoice, Payment, Setting

METHODS = ("bank_transfer", "card", "cash", "cheque", "direct_debit", "other")
MAX_REFERENCE = 200  # what the books keep of a bank reference


@dataclass(frozen=True)
class PaymentInput:
    invoice_id: int
    amount: str | Decimal
    paid_on: date
    method: str = "bank_transfer"
    reference: str = ""


def get_payment_order(books: Books) -> str:
    """What a payment settles first: ``charges_first`` (fees, interest, then the debt) or
    ``principal_first``."""
    with books.db.read() as session:
        return payment_order(session)


def set_payment_order(books: Books, order: str) -> str:
    check_choice(order, "order", ORDERS)
    with books.db.write() as session:
        row = session.get(Setting, ORDER_KEY)
        if row is None:
            session.add(Setting(key=ORDER_KEY, value=json.dumps(order)))
        else:
            row.value = json.dumps(order)
        audit(session, books, "payments.order", "settings", None, {"order": order})
    return order


def record_payment(books: Books, payment: PaymentInput) -> PaymentView:
    """Record money received and settle with it what was owed on its value date, as if it
    had been entered that day (a back-dated payment reverses the charges it makes moot)."""
    if payment.method not in METHODS:
        raise ValidationError("method", f"'{payment.method}' is not one of {', '.join(METHODS)}")
    if len(payment.reference.strip()) > MAX_REFERENCE:
        raise ValidationError("reference", f"is longer than {MAX_REFERENCE} characters")
    with books.db.write() as session:
        inv = require_invoice(session, payment.invoice_id, lock=True)
        amount = to_minor(parse_amount(payment.amount, "amount", inv.currency), inv.currency)
        if inv.state == "draft":
            raise RuleViolation(f"invoice {inv.id} is a draft; issue it before recording payments")
        if inv.state == "void":
            raise RuleViolation(f"invoice {inv.number} is void; no payment can be recorded on it")
        if inv.issue_date and payment.paid_on < inv.issue_date:
            raise ValidationError("date", "a payment cannot predate the invoice's issue date")
        today = books.today()
        row = Payment(
            customer_id=inv.customer_id, invoice_id=inv.id, paid_on=payment.paid_on,
            amount_minor=amount, currency=inv.currency, method=payment.method,
            reference=payment.reference.strip(), created_at=books.clock(),
            settles=payment_order(session),  # from now on; payments booked keep theirs
        )
        session.add(row)
        session.flush()
        cur = inv.currency
        settled = settlement.settle(
            session, books, inv.customer_id,
            why=f"a payment of {from_minor(amount, cur)} {cur} dated "
                f"{payment.paid_on.isoformat()} was entered")
        parts = settlement.settled_by_payment(settled.ledger, row.id)
        if parts["credit"] == amount:
            raise RuleViolation(
                f"invoice {inv.number} had nothing open on {payment.paid_on.isoformat()}; "
                "record the money as a payment on another invoice of the customer")
        how = payment.method.replace("_", " ") + (f", {row.reference}" if row.reference else "")
        activity.log(session, books, customer_id=inv.customer_id, kind="payment",
                     summary=f"Payment of {from_minor(amount, cur)} {cur} "
                             f"received ({how})", on=payment.paid_on, invoice_id=inv.id)
        audit(session, books, "payment.add", "invoice", inv.id, {
            "payment_id": row.id, "amount_minor": amount, "discount_minor": parts["discount"],
            "charges_minor": parts["charges"], "credit_minor": parts["credit"],
            "method": payment.method, "reversed": len(settled.reversed),
        })
        settlement.lift_credit_status(session, books, [inv.customer_id],
                                      max(today, payment.paid_on))
        session.flush()
        return PaymentView(row.id, inv.id, from_minor(amount, cur),
                           from_minor(parts["discount"], cur), from_minor(parts["credit"], cur),
                           invoice_view(session, inv.id, today),
                           charges=from_minor(parts["charges"], cur))


@dataclass(frozen=True)
class PaymentQuery:
    """Filters for the payments list, applied in SQL."""

    search: str = ""  # customer name, invoice number or the payment's reference
    customer_id: int | None = None
    invoice_id: int | None = None


SORT_KEYS: dict[str, Any] = {
    "paid_on": Payment.paid_on,
    "customer": Customer.name,
    "invoice": Invoice.number,
    "amount": Payment.amount_minor,  # by the integer, never the text
    "method": Payment.method,
    "reference": Payment.reference,
}


def _joined(columns: Sequence[Any], query: PaymentQuery) -> Any:
    stmt = (select(*columns).join(Customer, Customer.id == Payment.customer_id)
            .outerjoin(Invoice, Invoice.id == Payment.invoice_id))
    conditions: list[ColumnElement[bool]] = []
    if query.search.strip():
        term = f"%{query.search.strip()}%"
        conditions.append(or_(Customer.name.ilike(term), Invoice.number.ilike(term),
                              Payment.reference.ilike(term)))
    if query.customer_id is not None:
        conditions.append(Payment.customer_id == query.customer_id)
    if query.invoice_id is not None:
        conditions.append(Payment.invoice_id == query.invoice_id)
    return stmt.where(*conditions)


def payment_ids(books: Books, query: PaymentQuery | None = None, *, sort: str = "paid_on",
                descending: bool = True) -> list[int]:
    """Ids in list order (newest first by default); rows come a page at a time."""
    if sort not in SORT_KEYS:
        raise ValidationError("sort", f"'{sort}' is not one of {', '.join(SORT_KEYS)}")
    column = SORT_KEYS[sort]
    order = [column.desc(), Payment.id.desc()] if descending else [column.asc(),
                                                                   Payment.id.asc()]
    stmt = _joined([Payment.id], query or PaymentQuery()).order_by(*order)
    with books.db.read() as session:  # plain rows, as invoice_ids reads them
        return [row[0] for row in session.connection().execute(stmt).all()]


def _row(r: Row[Any]) -> PaymentRow:
    return PaymentRow(
        id=r.id, paid_on=r.paid_on, customer_id=r.customer_id, customer_name=r.customer_name,
        invoice_id=r.invoice_id, invoice_number=r.invoice_number,
        amount=from_minor(r.amount_minor, r.currency), currency=r.currency, method=r.method,
        reference=r.reference,
    )


_ROW_COLUMNS = (Payment.id, Payment.paid_on, Payment.customer_id,
                Customer.name.label("customer_name"), Payment.invoice_id,
                Invoice.number.label("invoice_number"), Payment.amount_minor, Payment.currency,
                Payment.method, Payment.reference)


def payment_rows(books: Books, ids: Sequence[int]) -> list[PaymentRow]:
    """Rows for the given ids in the order given."""
    found: dict[int, PaymentRow] = {}
    with books.db.read() as session:
        for start in range(0, len(ids), ROWS_PER_QUERY):
            chunk = list(ids[start:start + ROWS_PER_QUERY])
            stmt = _joined(_ROW_COLUMNS, PaymentQuery()).where(Payment.id.in_(chunk))
            for r in session.execute(stmt):
                found[r.id] = _row(r)
    return [found[i] for i in ids if i in found]


def list_payments(books: Books, query: PaymentQuery | None = None, *, limit: int | None = None,
                  offset: int = 0) -> list[PaymentRow]:
    """Newest first: what came in, for a page or a script."""
    stmt = (_joined(_ROW_COLUMNS, query or PaymentQuery())
            .order_by(Payment.paid_on.desc(), Payment.id.desc()).offset(offset))
    if limit is not None:
        stmt = stmt.limit(limit)
    with books.db.read() as session:
        return [_row(r) for r in session.execute(stmt)]


def count_payments(books: Books, query: PaymentQuery | None = None) -> int:
    with books.db.read() as session:
        return int(session.execute(
            _joined([func.count(Payment.id)], query or PaymentQuery())).scalar_one())

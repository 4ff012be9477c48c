"""Recording money received: allocated to the oldest open installment, the rest as credit."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import Row, func, or_, select
from sqlalchemy.sql.elements import ColumnElement

from desktop_app.domain.allocation import OpenItem, allocate, early_discount_minor
from desktop_app.domain.errors import RuleViolation, ValidationError
from desktop_app.domain.money import from_minor, parse_amount, to_minor
from desktop_app.services.books import Books, audit, the_company
from desktop_app.services.invoices import (
    ROWS_PER_QUERY,
    invoice_terms,
    invoice_view,
    require_invoice,
)
from desktop_app.services.views import PaymentRow, PaymentView
from desktop_app.storage.models import Allocation, Customer, CustomerCredit, Invoice, Payment

METHODS = ("bank_transfer", "card", "cash", "cheque", "direct_debit", "other")


@dataclass(frozen=True)
class PaymentInput:
    invoice_id: int
    amount: str | Decimal
    paid_on: date
    method: str = "bank_transfer"
    reference: str = ""


def record_payment(books: Books, payment: PaymentInput) -> PaymentView:
    if payment.method not in METHODS:
        raise ValidationError("method", f"'{payment.method}' is not one of {', '.join(METHODS)}")
    with books.db.write() as session:
        company = the_company(session)
        inv = require_invoice(session, payment.invoice_id)
        amount = to_minor(parse_amount(payment.amount, "amount", inv.currency), inv.currency)
        if inv.state == "draft":
            raise RuleViolation(f"invoice {inv.id} is a draft; issue it before recording payments")
        if inv.state == "void":
            raise RuleViolation(f"invoice {inv.number} is void; no payment can be recorded on it")
        if inv.paid_minor >= inv.total_minor:
            raise RuleViolation(
                f"invoice {inv.number} is paid in full; record the money as a payment on "
                "another invoice of the customer"
            )
        if inv.issue_date and payment.paid_on < inv.issue_date:
            raise ValidationError("date", "a payment cannot predate the invoice's issue date")
        terms = invoice_terms(session, company, inv)
        discount = early_discount_minor(
            discount_minor=terms.discount_minor(inv.total_minor, inv.currency),
            deadline=terms.discount_deadline(inv.issue_date) if inv.issue_date else None,
            paid_on=payment.paid_on, total_minor=inv.total_minor,
            paid_before_minor=inv.paid_minor, amount_minor=amount,
        )
        row = Payment(
            customer_id=inv.customer_id, invoice_id=inv.id, paid_on=payment.paid_on,
            amount_minor=amount, currency=inv.currency, method=payment.method,
            reference=payment.reference.strip(), created_at=books.clock(),
        )
        session.add(row)
        session.flush()
        items = [OpenItem(i.id, i.due_date, i.amount_minor - i.paid_minor)
                 for i in inv.installments]
        by_id = {i.id: i for i in inv.installments}
        # The discount settles what the payment leaves open, latest installments last.
        money = allocate(amount, items)
        applied = dict(money.applied)
        if discount:
            rest = [OpenItem(i.key, i.due_date, i.open_minor - applied.get(i.key, 0))
                    for i in items]
            granted = allocate(discount, rest)
            for key, minor in granted.applied:
                session.add(Allocation(payment_id=row.id, installment_id=key, kind="discount",
                                       amount_minor=minor))
                by_id[key].paid_minor += minor
        for key, minor in money.applied:
            session.add(Allocation(payment_id=row.id, installment_id=key, kind="payment",
                                   amount_minor=minor))
            by_id[key].paid_minor += minor
        inv.paid_minor += amount - money.credit_minor + discount
        inv.discount_minor += discount
        if money.credit_minor:
            session.add(CustomerCredit(customer_id=inv.customer_id, payment_id=row.id,
                                       amount_minor=money.credit_minor, currency=inv.currency,
                                       note=f"overpayment on {inv.number}"))
        audit(session, books, "payment.add", "invoice", inv.id, {
            "payment_id": row.id, "amount_minor": amount, "discount_minor": discount,
            "credit_minor": money.credit_minor, "method": payment.method,
        })
        session.flush()
        cur = inv.currency
        return PaymentView(row.id, inv.id, from_minor(amount, cur), from_minor(discount, cur),
                           from_minor(money.credit_minor, cur), invoice_view(session, inv.id))


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
    with books.db.read() as session:
        return list(session.scalars(_joined([Payment.id], query or PaymentQuery())
                                    .order_by(*order)))


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

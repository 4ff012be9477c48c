"""Recording money received: late charges first (configurable), then the oldest open
installment, the rest as the customer's credit."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import Row, case, func, or_, select
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from desktop_app.domain.allocation import OpenItem, allocate, early_discount_minor
from desktop_app.domain.errors import RuleViolation, ValidationError
from desktop_app.domain.money import from_minor, parse_amount, to_minor
from desktop_app.domain.parties import check_choice
from desktop_app.services import activity
from desktop_app.services.books import Books, audit, the_company
from desktop_app.services.invoices import (
    ROWS_PER_QUERY,
    invoice_terms,
    invoice_view,
    require_invoice,
)
from desktop_app.services.views import PaymentRow, PaymentView
from desktop_app.storage.models import (
    Allocation,
    Charge,
    Customer,
    CustomerCredit,
    Installment,
    Invoice,
    Payment,
    PaymentPlanRow,
    Setting,
)

METHODS = ("bank_transfer", "card", "cash", "cheque", "direct_debit", "other")
MAX_REFERENCE = 200  # what the books keep of a bank reference
# Costs, then interest, then the debt itself is the common legal order (e.g. BGB § 367);
# a business may choose to settle the debt first.
ORDERS = ("charges_first", "principal_first")
ORDER_KEY = "payments.order"


@dataclass(frozen=True)
class PaymentInput:
    invoice_id: int
    amount: str | Decimal
    paid_on: date
    method: str = "bank_transfer"
    reference: str = ""


def payment_order(session: Session) -> str:
    row = session.get(Setting, ORDER_KEY)
    return json.loads(row.value) if row else ORDERS[0]


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


def _on_plan(session: Session, invoice_id: int) -> bool:
    return session.scalars(select(PaymentPlanRow.id).where(
        PaymentPlanRow.invoice_id == invoice_id, PaymentPlanRow.status == "active")
    ).first() is not None


def _open_charges(session: Session, invoice_id: int) -> list[Charge]:
    """Fees before interest, oldest first."""
    return list(session.scalars(
        select(Charge).join(Installment, Installment.id == Charge.installment_id)
        .where(Installment.invoice_id == invoice_id, Charge.amount_minor > Charge.settled_minor)
        .order_by(case((Charge.kind == "fee", 0), else_=1), Charge.charged_on, Charge.id)))


def _settle_charges(session: Session, payment_id: int, charges: list[Charge], amount: int
                    ) -> int:
    """Apply up to ``amount`` to the charges in order; returns what was used."""
    used = 0
    for charge in charges:
        take = min(amount - used, charge.amount_minor - charge.settled_minor)
        if take <= 0:
            break
        charge.settled_minor += take
        session.add(Allocation(payment_id=payment_id, installment_id=charge.installment_id,
                               kind=charge.kind, amount_minor=take))
        used += take
    return used


def _settle_principal(session: Session, payment_id: int, inv: Invoice, amount: int,
                      discount: int) -> tuple[int, int]:
    """Oldest open installment first; a granted discount settles what the money leaves
    open (never more). Returns the money applied and the discount granted."""
    open_items = [i for i in inv.installments if i.open_minor > 0]
    items = [OpenItem(i.id, i.due_date, i.open_minor) for i in open_items]
    by_id = {i.id: i for i in open_items}
    money = allocate(amount, items)
    applied = dict(money.applied)
    granted = 0
    if discount:
        rest = [OpenItem(i.key, i.due_date, i.open_minor - applied.get(i.key, 0)) for i in items]
        for key, minor in allocate(discount, rest).applied:
            session.add(Allocation(payment_id=payment_id, installment_id=key, kind="discount",
                                   amount_minor=minor))
            by_id[key].paid_minor += minor
            granted += minor
    for key, minor in money.applied:
        session.add(Allocation(payment_id=payment_id, installment_id=key, kind="payment",
                               amount_minor=minor))
        by_id[key].paid_minor += minor
    return amount - money.credit_minor, granted


def _check_input(payment: PaymentInput) -> None:
    if payment.method not in METHODS:
        raise ValidationError("method", f"'{payment.method}' is not one of {', '.join(METHODS)}")
    if len(payment.reference.strip()) > MAX_REFERENCE:
        raise ValidationError("reference", f"is longer than {MAX_REFERENCE} characters")


@dataclass(frozen=True)
class Booked:
    """What one payment did, in minor units of the invoice's currency."""

    payment_id: int
    invoice_id: int
    currency: str
    amount_minor: int
    discount_minor: int
    charges_minor: int
    credit_minor: int


def record_payment(books: Books, payment: PaymentInput) -> PaymentView:
    _check_input(payment)
    with books.db.write() as session:
        done = book_payment(session, books, payment)
        cur = done.currency
        return PaymentView(done.payment_id, done.invoice_id, from_minor(done.amount_minor, cur),
                           from_minor(done.discount_minor, cur),
                           from_minor(done.credit_minor, cur),
                           invoice_view(session, done.invoice_id, books.today()),
                           charges=from_minor(done.charges_minor, cur))


def book_payment(session: Session, books: Books, payment: PaymentInput) -> Booked:
    """Record and allocate one payment in the caller's transaction: a bank statement books
    many payments, and its import holds or fails as a whole."""
    _check_input(payment)
    company = the_company(session)
    inv = require_invoice(session, payment.invoice_id, lock=True)
    amount = to_minor(parse_amount(payment.amount, "amount", inv.currency), inv.currency)
    if inv.state == "draft":
        raise RuleViolation(f"invoice {inv.id} is a draft; issue it before recording payments")
    if inv.state == "void":
        raise RuleViolation(f"invoice {inv.number} is void; no payment can be recorded on it")
    charges = _open_charges(session, inv.id)
    principal_open = inv.total_minor - inv.paid_minor - inv.written_off_minor
    if principal_open <= 0 and not charges:
        raise RuleViolation(
            f"invoice {inv.number} is settled; record the money as a payment on "
            "another invoice of the customer"
        )
    if inv.issue_date and payment.paid_on < inv.issue_date:
        raise ValidationError("date", "a payment cannot predate the invoice's issue date")
    terms = invoice_terms(session, company, inv)
    # An invoice partly written off was not paid in time in full: no early discount.
    discount = 0 if inv.written_off_minor else early_discount_minor(
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
    # Under a payment plan the customer pays the agreed installments: those first.
    order = "principal_first" if _on_plan(session, inv.id) else payment_order(session)
    charged = 0
    if order == "charges_first":
        charged = _settle_charges(session, row.id, charges, amount)
    principal, discount = _settle_principal(session, row.id, inv, amount - charged,
                                            discount)
    if order == "principal_first":
        charged = _settle_charges(session, row.id, charges, amount - principal)
    credit = amount - charged - principal
    inv.paid_minor += principal + discount
    inv.discount_minor += discount
    if credit:
        session.add(CustomerCredit(customer_id=inv.customer_id, payment_id=row.id,
                                   amount_minor=credit, currency=inv.currency,
                                   note=f"overpayment on {inv.number}"))
    how = payment.method.replace("_", " ") + (f", {row.reference}" if row.reference else "")
    activity.log(session, books, customer_id=inv.customer_id, kind="payment",
                 summary=f"Payment of {from_minor(amount, inv.currency)} {inv.currency} "
                         f"received ({how})", on=payment.paid_on, invoice_id=inv.id)
    audit(session, books, "payment.add", "invoice", inv.id, {
        "payment_id": row.id, "amount_minor": amount, "discount_minor": discount,
        "charges_minor": charged, "credit_minor": credit, "method": payment.method,
    })
    session.flush()
    return Booked(row.id, inv.id, inv.currency, amount, discount, charged, credit)


def reverse_payment(session: Session, books: Books, payment_id: int, reason: str,
                    on: date) -> Booked:
    """Undo one payment exactly as it was allocated (its allocation rows say how), in the
    caller's transaction: what it settled is open again, its credit is taken back, and the
    payment leaves the books; the log and the audit keep that it was there."""
    row = session.get(Payment, payment_id, with_for_update=True)
    if row is None:
        raise ValidationError("payment", f"no payment with id {payment_id}")
    inv = require_invoice(session, row.invoice_id, lock=True) if row.invoice_id else None
    allocations = list(session.scalars(select(Allocation).where(
        Allocation.payment_id == payment_id).order_by(Allocation.id.desc())))
    principal = discount = charged = 0
    for part in allocations:
        installment = session.get(Installment, part.installment_id)
        assert installment is not None
        if part.kind in ("payment", "discount"):
            installment.paid_minor -= part.amount_minor
            principal += part.amount_minor if part.kind == "payment" else 0
            discount += part.amount_minor if part.kind == "discount" else 0
        else:  # a fee or interest: the charges of that kind, last settled first
            left = part.amount_minor
            for charge in session.scalars(select(Charge).where(
                    Charge.installment_id == part.installment_id, Charge.kind == part.kind,
                    Charge.settled_minor > 0).order_by(Charge.charged_on.desc(),
                                                       Charge.id.desc())):
                take = min(left, charge.settled_minor)
                charge.settled_minor -= take
                left -= take
                if not left:
                    break
            charged += part.amount_minor
        session.delete(part)
    credits = list(session.scalars(select(CustomerCredit).where(
        CustomerCredit.payment_id == payment_id)))
    credit = sum(c.amount_minor for c in credits)
    for entry in credits:
        session.delete(entry)
    if inv is not None:
        inv.paid_minor -= principal + discount
        inv.discount_minor -= discount
    cur = row.currency
    activity.log(session, books, customer_id=row.customer_id, kind="payment",
                 summary=f"Payment of {from_minor(row.amount_minor, cur)} {cur} of "
                         f"{row.paid_on.isoformat()} reversed: {reason}", on=on,
                 invoice_id=row.invoice_id)
    audit(session, books, "payment.reverse", "invoice", row.invoice_id, {
        "payment_id": row.id, "amount_minor": row.amount_minor, "reason": reason,
        "discount_minor": discount, "charges_minor": charged, "credit_minor": credit,
    })
    done = Booked(row.id, row.invoice_id or 0, cur, row.amount_minor, discount, charged, credit)
    session.delete(row)
    session.flush()
    return done


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

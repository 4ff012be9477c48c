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

from sqlalchemy import Row, delete, func, insert, or_, select
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from desktop_app.domain.errors import NotFound, PaidUpError, RuleViolation, ValidationError
from desktop_app.domain.money import from_minor, parse_amount, to_minor
from desktop_app.domain.parties import check_choice
from desktop_app.domain.status import Lifecycle
from desktop_app.messages import N_, Amount, Said, Word
from desktop_app.services import activity, settlement
from desktop_app.services.books import Books, audit, audit_entry
from desktop_app.services.changes import OpChanges, states
from desktop_app.services.invoice_lookup import require_invoice
from desktop_app.services.invoices import ROWS_PER_QUERY, invoice_view
from desktop_app.services.records import PaymentRow, PaymentView
from desktop_app.services.settlement import ORDER_KEY, ORDERS, payment_order
from desktop_app.storage import tables
from desktop_app.storage.models import (
    Allocation,
    Customer,
    CustomerCredit,
    Invoice,
    Payment,
    PaymentPlanRow,
    Setting,
)

t_inv, t_pay = tables.invoices, tables.payments
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


@states(OpChanges.SETTINGS)
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


def _check_input(payment: PaymentInput) -> None:
    if payment.method not in METHODS:
        raise ValidationError("method", N_("'{method}' is not one of {methods}"),
                              method=payment.method, methods=", ".join(METHODS))
    if len(payment.reference.strip()) > MAX_REFERENCE:
        raise ValidationError("reference", N_("is longer than {limit} characters"),
                              limit=MAX_REFERENCE)


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


@states(OpChanges.INVOICES | OpChanges.PAYMENTS | OpChanges.CUSTOMERS)
def record_payment(books: Books, payment: PaymentInput) -> PaymentView:
    """Record money received and settle with it what was owed on its value date, as if it
    had been entered that day (a back-dated payment reverses the charges it makes moot)."""
    _check_input(payment)
    with books.db.write() as session:
        done = book_payment(session, books, payment)
        cur = done.currency
        return PaymentView(done.payment_id, done.invoice_id, from_minor(done.amount_minor, cur),
                           from_minor(done.discount_minor, cur),
                           from_minor(done.credit_minor, cur),
                           invoice_view(session, done.invoice_id, books.today()),
                           charges=from_minor(done.charges_minor, cur))


@dataclass(frozen=True)
class PaymentPreview:
    """What a payment would do before it is recorded: how much of it settles what is owed
    (discount and charges included) and how much would be kept as the customer's credit."""

    amount: Decimal
    settles: Decimal
    credit: Decimal
    discount: Decimal
    currency: str
    invoice_number: str
    customer_name: str


def preview_payment(books: Books, payment: PaymentInput) -> PaymentPreview:
    """The payment booked and rolled back, so the answer is the one recording it would give
    (value date, discount window, charges and the payment order all count); both faces ask
    it before money beyond what is open becomes credit."""
    _check_input(payment)
    with books.db.read() as session:
        done = book_payment(session, books, payment)
        inv = require_invoice(session, done.invoice_id)
        number, name = inv.number or "", inv.customer_name
        session.rollback()
    cur = done.currency
    return PaymentPreview(from_minor(done.amount_minor, cur),
                          from_minor(done.amount_minor - done.credit_minor, cur),
                          from_minor(done.credit_minor, cur), from_minor(done.discount_minor, cur),
                          cur, number, name)


def book_payment(session: Session, books: Books, payment: PaymentInput) -> Booked:
    """Record one payment in the caller's transaction and replay the customer's money with
    it (services.settlement)."""
    [done] = book_payments(session, books, [[payment]])
    if isinstance(done, PaidUpError):
        raise done
    return done[0]


def refusal(invoice_id: int, number: str | None, state: str, issue_date: date | None,
            paid_on: date) -> PaidUpError | None:
    """Why no payment dated ``paid_on`` can be recorded on the invoice, if it cannot."""
    if state == Lifecycle.DRAFT:
        return RuleViolation(N_("invoice {invoice} is a draft; issue it before recording "
                                "payments"), invoice=str(invoice_id))
    if state == Lifecycle.VOID:
        return RuleViolation(N_("invoice {number} is void; no payment can be recorded on it"),
                             number=str(number))
    if issue_date and paid_on < issue_date:
        return ValidationError("date", N_("a payment cannot predate the invoice's issue date"))
    return None


def _nothing_open(inv: _Invoice, paid_on: date) -> RuleViolation:
    return RuleViolation(
        N_("invoice {number} had nothing open on {day}; record the money as a payment on "
           "another invoice of the customer"), number=inv.number or "", day=paid_on)


@dataclass(frozen=True)
class _NewPayment:
    """A payment as inserted (plain values: a statement's thousands go in with one
    statement, not through the unit of work)."""

    id: int
    customer_id: int
    invoice_id: int
    paid_on: date
    amount_minor: int
    currency: str
    method: str
    reference: str


def _why(made: Sequence[_NewPayment]) -> Said:
    if not made:
        return Said(N_("a payment that found nothing open was taken out again"), {})
    if len(made) == 1:
        row = made[0]
        return Said(N_("a payment of {amount} dated {day} was entered"),
                    {"amount": Amount(from_minor(row.amount_minor, row.currency), row.currency),
                     "day": row.paid_on})
    first, last = min(r.paid_on for r in made), max(r.paid_on for r in made)
    if first == last:
        return Said(N_("{count} payments dated {day} were entered"),
                    {"count": len(made), "day": first})
    return Said(N_("{count} payments dated {first} to {last} were entered"),
                {"count": len(made), "first": first, "last": last})


_Invoice = Row[*tuple[Any, ...]]  # of _LOCKED_COLUMNS
_Made = list[tuple[_NewPayment, _Invoice]]  # the payment, its invoice
_LOCKED_COLUMNS = (t_inv.c.id, t_inv.c.number, t_inv.c.state, t_inv.c.issue_date,
                   t_inv.c.customer_id, t_inv.c.currency)


def book_payments(session: Session, books: Books, groups: Sequence[Sequence[PaymentInput]]
                  ) -> list[list[Booked] | PaidUpError]:
    """Record groups of payments in the caller's transaction, each group whole or not at
    all, and replay each customer's money once for all of theirs. The replay gives the same
    books in any order of entry (domain.ledger), so a bank statement's thousands of payments
    cost one replay per customer instead of one per payment."""
    results: list[list[Booked] | PaidUpError] = [[] for _ in groups]
    order = payment_order(session)  # from now on; payments booked keep theirs
    invoices = _lock_invoices(session, [p.invoice_id for group in groups for p in group])
    values: list[dict[str, Any]] = []
    kept: dict[int, list[tuple[dict[str, Any], _Invoice]]] = {}
    for g, group in enumerate(groups):
        try:
            kept[g] = [(_values(payment, invoices, order, books), invoices[payment.invoice_id])
                       for payment in group]
        except PaidUpError as exc:
            results[g] = exc
            continue
        values += [v for v, _ in kept[g]]
    ids = iter(session.scalars(insert(t_pay).returning(t_pay.c.id,
                                                       sort_by_parameter_order=True),
                               values).all() if values else ())
    live = {g: [(_made(next(ids), v), inv) for v, inv in made] for g, made in kept.items()}
    settled = _settle_groups(session, books, live, results)
    _log_booked(session, books, live, settled, results)
    return results


def _values(payment: PaymentInput, invoices: dict[int, _Invoice], order: str, books: Books
            ) -> dict[str, Any]:
    """The payment's row, or the payment service's refusal of it."""
    _check_input(payment)
    inv = invoices.get(payment.invoice_id)
    if inv is None:
        raise NotFound("invoice", N_("no invoice with id {id}"), id=str(payment.invoice_id))
    cur = inv.currency
    amount = to_minor(parse_amount(payment.amount, "amount", cur), cur)
    problem = refusal(inv.id, inv.number, inv.state, inv.issue_date, payment.paid_on)
    if problem is not None:
        raise problem
    return {"customer_id": inv.customer_id, "invoice_id": inv.id, "paid_on": payment.paid_on,
            "amount_minor": amount, "currency": cur, "method": payment.method,
            "reference": payment.reference.strip(), "created_at": books.clock(),
            "settles": order}


def _made(payment_id: int, values: dict[str, Any]) -> _NewPayment:
    return _NewPayment(payment_id, values["customer_id"], values["invoice_id"],
                       values["paid_on"], values["amount_minor"], values["currency"],
                       values["method"], values["reference"])


def _lock_invoices(session: Session, ids: Sequence[int]) -> dict[int, _Invoice]:
    """The invoices payments are booked on, read afresh and held to the end of the
    transaction (as ``require_invoice(lock=True)`` does one by one)."""
    found: dict[int, _Invoice] = {}
    wanted = sorted(set(ids))
    for start in range(0, len(wanted), ROWS_PER_QUERY):
        found.update((inv.id, inv) for inv in session.execute(
            select(*_LOCKED_COLUMNS).where(t_inv.c.id.in_(wanted[start:start + ROWS_PER_QUERY]))
            .order_by(t_inv.c.id).with_for_update()))
    return found


def _settle_groups(session: Session, books: Books, live: dict[int, _Made],
                   results: list[list[Booked] | PaidUpError]
                   ) -> dict[int, settlement.Settled]:
    """Replay each customer concerned; a group with a payment that found nothing open is
    taken out whole and its customers replayed without it."""
    settled: dict[int, settlement.Settled] = {}
    todo = {inv.customer_id for made in live.values() for _, inv in made}
    touched = {inv.id for made in live.values() for _, inv in made}
    while todo:
        mine: dict[int, list[_NewPayment]] = {customer_id: [] for customer_id in todo}
        for made in live.values():
            for row, inv in made:
                if inv.customer_id in mine:
                    mine[inv.customer_id].append(row)
        settled.update(settlement.settle_customers(
            session, books, {c: _why(rows) for c, rows in mine.items()}, touched))
        todo = set()
        for g, made in list(live.items()):
            refused = next(((row, inv) for row, inv in made if settlement.settled_by_payment(
                settled[inv.customer_id].ledger, row.id)["credit"] == row.amount_minor), None)
            if refused is None:
                continue
            results[g] = _nothing_open(refused[1], refused[0].paid_on)
            ids = [row.id for row, _ in made]
            session.execute(delete(Allocation).where(Allocation.payment_id.in_(ids)))
            session.execute(delete(CustomerCredit).where(CustomerCredit.payment_id.in_(ids)))
            session.execute(delete(t_pay).where(t_pay.c.id.in_(ids)))
            todo.update(inv.customer_id for _, inv in made)
            del live[g]
    return settled


def _log_booked(session: Session, books: Books, live: dict[int, _Made],
                settled: dict[int, settlement.Settled],
                results: list[list[Booked] | PaidUpError]) -> None:
    today = books.today()
    lift: dict[int, list[date]] = {}
    logged: list[dict[str, Any]] = []
    audited: list[dict[str, Any]] = []
    for g, made in live.items():
        done = []
        for row, inv in made:
            cur = row.currency
            replayed = settled[inv.customer_id]
            parts = settlement.settled_by_payment(replayed.ledger, row.id)
            logged.append(activity.entry(
                books, customer_id=inv.customer_id, kind="payment",
                message=N_("Payment of {amount} received ({method}, {reference})")
                if row.reference else N_("Payment of {amount} received ({method})"),
                values={"amount": Amount(from_minor(row.amount_minor, cur), cur),
                        "method": Word(row.method.replace("_", " ")),
                        "reference": row.reference}, on=row.paid_on, invoice_id=inv.id))
            audited.append(audit_entry(books, "payment.add", "invoice", inv.id, {
                "payment_id": row.id, "amount_minor": row.amount_minor,
                "discount_minor": parts["discount"], "charges_minor": parts["charges"],
                "credit_minor": parts["credit"], "method": row.method,
                "reversed": len(replayed.reversed),
            }))
            lift.setdefault(inv.customer_id, []).append(max(today, row.paid_on))
            done.append(Booked(row.id, inv.id, cur, row.amount_minor, parts["discount"],
                               parts["charges"], parts["credit"]))
        results[g] = done
    for table, rows in ((tables.activities, logged), (tables.audit_log, audited)):
        if rows:  # one statement for a statement's thousands of payments
            session.execute(insert(table), rows)
    # Each customer's days in order (one lifted on its first day stays lifted); the
    # customers' first days together, then their second ones, and so on.
    rounds = [list(dict.fromkeys(days)) for days in lift.values()]
    for k in range(max(map(len, rounds), default=0)):
        on_day: dict[date, list[int]] = {}
        for customer_id, days in zip(lift, rounds, strict=True):
            if k < len(days):
                on_day.setdefault(days[k], []).append(customer_id)
        for day, customer_ids in on_day.items():
            settlement.lift_credit_status(session, books, customer_ids, day)
    session.flush()


def reverse_payment(session: Session, books: Books, payment_id: int, reason: str,
                    on: date) -> Booked:
    """Undo one payment in the caller's transaction: it leaves the books and the customer's
    money is replayed without it, so what it settled is open again, its credit is taken
    back, and a fee or interest it had made moot stands again (the log says so); the log and
    the audit keep that it was there."""
    row = session.get(Payment, payment_id, with_for_update=True)
    if row is None:
        raise ValidationError("payment", N_("no payment with id {id}"), id=str(payment_id))
    if row.invoice_id:
        inv = require_invoice(session, row.invoice_id, lock=True)
        plan = session.scalars(select(PaymentPlanRow).where(
            PaymentPlanRow.invoice_id == inv.id,
            PaymentPlanRow.last_payment_id >= payment_id)).first()
        if plan is not None:
            raise RuleViolation(N_("the payment plan agreed on {day} took over what {number} "
                                   "left open after this payment; it cannot be reversed now"),
                                day=plan.agreed_on, number=inv.number or "")
    parts: dict[str, int] = {"payment": 0, "discount": 0, "charges": 0}
    for part in session.scalars(select(Allocation).where(Allocation.payment_id == payment_id)):
        parts["payment" if part.kind == "payment" else "discount" if part.kind == "discount"
              else "charges"] += part.amount_minor
    credit = int(session.scalar(select(func.coalesce(func.sum(CustomerCredit.amount_minor), 0))
                                .where(CustomerCredit.payment_id == payment_id)) or 0)
    session.execute(delete(Allocation).where(Allocation.payment_id == payment_id))
    session.execute(delete(CustomerCredit).where(CustomerCredit.payment_id == payment_id))
    cur = row.currency
    done = Booked(row.id, row.invoice_id or 0, cur, row.amount_minor, parts["discount"],
                  parts["charges"], credit)
    customer_id, paid_on, amount = row.customer_id, row.paid_on, row.amount_minor
    session.delete(row)
    session.flush()
    settlement.settle(session, books, customer_id,
                      why=Said(N_("the payment of {amount} dated {day} was reversed"),
                               {"amount": Amount(from_minor(amount, cur), cur), "day": paid_on}))
    activity.log(session, books, customer_id=customer_id, kind="payment",
                 message=N_("Payment of {amount} of {day} reversed: {reason}"),
                 values={"amount": Amount(from_minor(amount, cur), cur), "day": paid_on,
                         "reason": reason}, on=on,
                 invoice_id=done.invoice_id or None)
    audit(session, books, "payment.reverse", "invoice", done.invoice_id or None, {
        "payment_id": done.payment_id, "amount_minor": amount, "reason": reason,
        "discount_minor": done.discount_minor, "charges_minor": done.charges_minor,
        "credit_minor": credit,
    })
    session.flush()
    return done


@dataclass(frozen=True)
class PaymentQuery:
    """Filters for the payments list, applied in SQL."""

    search: str = ""  # customer name, invoice number or the payment's reference
    customer_id: int | None = None
    invoice_id: int | None = None


SORT_KEYS: dict[str, tuple[Any, ...]] = {
    "paid_on": (Payment.paid_on,),
    # As people look names up, as the customer list (collation.name_key): the folded name,
    # then the name as written.
    "customer": (Customer.name_key, Customer.name),
    "invoice": (Invoice.number,),
    "amount": (Payment.amount_minor,),  # by the integer, never the text
    "method": (Payment.method,),
    "reference": (Payment.reference,),
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
        raise ValidationError("sort", N_("'{sort}' is not one of {keys}"), sort=sort,
                              keys=", ".join(SORT_KEYS))
    columns = (*SORT_KEYS[sort], Payment.id)
    order = [c.desc() for c in columns] if descending else [c.asc() for c in columns]
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

"""Recording money received: allocated to the oldest open installment, the rest as credit."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from desktop_app.domain.allocation import OpenItem, allocate, early_discount_minor
from desktop_app.domain.errors import RuleViolation, ValidationError
from desktop_app.domain.money import from_minor, parse_amount, to_minor
from desktop_app.services.books import Books, audit, the_company
from desktop_app.services.invoices import invoice_terms, invoice_view, require_invoice
from desktop_app.services.views import PaymentView
from desktop_app.storage.models import Allocation, CustomerCredit, Payment

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

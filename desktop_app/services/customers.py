"""Customers and their contacts."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from desktop_app.domain.errors import NotFound, ValidationError
from desktop_app.domain.money import from_minor, parse_amount, to_minor
from desktop_app.domain.parties import (
    CREDIT_STATUSES,
    LANGUAGES,
    check_choice,
    check_email,
    parse_contact,
    require_text,
)
from desktop_app.services.books import Books, audit, the_company
from desktop_app.services.terms import require_terms
from desktop_app.services.views import ContactView, CustomerView
from desktop_app.storage.models import (
    Contact,
    Customer,
    CustomerCredit,
    Invoice,
    PaymentTermsRow,
)


def add_customer(
    books: Books,
    *,
    name: str,
    email: str = "",
    address: str = "",
    phone: str = "",
    language: str = "en",
    terms: str | None = None,
    credit_limit: str | Decimal | None = None,
    contacts: list[str] | None = None,
    notes: str = "",
) -> CustomerView:
    clean_name = require_text(name, "name")
    clean_email = check_email(email)
    check_choice(language, "language", LANGUAGES)
    parsed_contacts = [parse_contact(spec, i) for i, spec in enumerate(contacts or [], 1)]
    with books.db.write() as session:
        company = the_company(session)
        terms_id = require_terms(session, company.id, terms).id if terms else None
        limit = None
        if credit_limit not in (None, ""):
            limit = to_minor(parse_amount(credit_limit, "credit-limit", company.currency,
                                          allow_zero=True), company.currency)
        customer = Customer(
            company_id=company.id, name=clean_name, email=clean_email, address=address.strip(),
            phone=phone.strip(), language=language, terms_id=terms_id,
            credit_limit_minor=limit, notes=notes.strip(), created_at=books.clock(),
        )
        if clean_email and not any(role == "billing" for role, _, _ in parsed_contacts):
            customer.contacts.append(Contact(role="billing", name=clean_name, email=clean_email))
        for role, contact_name, contact_email in parsed_contacts:
            customer.contacts.append(Contact(role=role, name=contact_name, email=contact_email))
        session.add(customer)
        session.flush()
        audit(session, books, "customer.add", "customer", customer.id, {"name": clean_name})
        return _view(session, customer, company.currency)


def set_credit_status(books: Books, customer_id: int, status: str) -> CustomerView:
    check_choice(status, "credit-status", CREDIT_STATUSES)
    with books.db.write() as session:
        company = the_company(session)
        customer = require_customer(session, customer_id)
        before = customer.credit_status
        customer.credit_status = status
        audit(session, books, "customer.credit_status", "customer", customer.id,
              {"from": before, "to": status})
        return _view(session, customer, company.currency)


def require_customer(session: Session, customer_id: int, field: str = "customer") -> Customer:
    customer = session.get(Customer, customer_id)
    if customer is None:
        raise NotFound(field, f"no customer with id {customer_id}")
    return customer


def _open_balances(session: Session, customer_ids: list[int] | None) -> dict[int, int]:
    query = (
        select(Invoice.customer_id, func.sum(Invoice.total_minor - Invoice.paid_minor
                                             - Invoice.written_off_minor))
        .where(Invoice.state == "issued")
        .group_by(Invoice.customer_id)
    )
    if customer_ids is not None:
        query = query.where(Invoice.customer_id.in_(customer_ids))
    return {cid: int(total or 0) for cid, total in session.execute(query)}


def _credits(session: Session, customer_ids: list[int] | None) -> dict[int, int]:
    query = select(CustomerCredit.customer_id, func.sum(CustomerCredit.amount_minor)).group_by(
        CustomerCredit.customer_id
    )
    if customer_ids is not None:
        query = query.where(CustomerCredit.customer_id.in_(customer_ids))
    return {cid: int(total or 0) for cid, total in session.execute(query)}


def _view(
    session: Session,
    customer: Customer,
    currency: str,
    balances: dict[int, int] | None = None,
    credits: dict[int, int] | None = None,
    with_contacts: bool = True,
) -> CustomerView:
    balances = balances if balances is not None else _open_balances(session, [customer.id])
    credits = credits if credits is not None else _credits(session, [customer.id])
    terms = session.get(PaymentTermsRow, customer.terms_id) if customer.terms_id else None
    return CustomerView(
        id=customer.id,
        name=customer.name,
        address=customer.address,
        email=customer.email,
        language=customer.language,
        terms=terms.name if terms else None,
        credit_status=customer.credit_status,
        credit_limit=None if customer.credit_limit_minor is None
        else from_minor(customer.credit_limit_minor, currency),
        currency=currency,
        balance=from_minor(balances.get(customer.id, 0), currency),
        credit=from_minor(credits.get(customer.id, 0), currency),
        contacts=tuple(ContactView(c.id, c.role, c.name, c.email) for c in customer.contacts)
        if with_contacts else (),
        notes=customer.notes,
    )


def show_customer(books: Books, customer_id: int) -> CustomerView:
    with books.db.read() as session:
        company = the_company(session)
        return _view(session, require_customer(session, customer_id), company.currency)


def list_customers(books: Books, search: str = "") -> list[CustomerView]:
    with books.db.read() as session:
        company = the_company(session)
        query = select(Customer).options(selectinload(Customer.contacts)).order_by(Customer.name)
        if search.strip():
            query = query.where(Customer.name.ilike(f"%{search.strip()}%"))
        customers = list(session.scalars(query))
        balances = _open_balances(session, None)
        credits = _credits(session, None)
        return [_view(session, c, company.currency, balances, credits) for c in customers]


def check_customer_id(value: str | int, field: str = "customer") -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise ValidationError(field, f"'{value}' is not a customer id") from None
    if number <= 0:
        raise ValidationError(field, f"'{value}' is not a customer id")
    return number

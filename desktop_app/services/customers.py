"""Customers and their contacts."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import partial

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from desktop_app.domain.collation import name_key
from desktop_app.domain.errors import Checks, ValidationError
from desktop_app.domain.money import from_minor, parse_amount, to_minor
from desktop_app.domain.parties import (
    CONTACT_ROLES,
    CREDIT_STATUSES,
    LANGUAGES,
    check_choice,
    check_country,
    check_email,
    check_vat_id,
    optional_text,
    parse_contact,
    require_text,
)
from desktop_app.domain.status import Lifecycle
from desktop_app.domain.vat import country_of_vat_id
from desktop_app.messages import N_, Word
from desktop_app.services import activity
from desktop_app.services.books import Books, audit, require_customer, the_company
from desktop_app.services.changes import OpChanges, states
from desktop_app.services.credit_rule import new_customer_rule
from desktop_app.services.einvoices import apply_einvoice, customer_format
from desktop_app.services.records import ContactView, CustomerChoice, CustomerView
from desktop_app.services.settlement import credit_release
from desktop_app.services.settlement import set_credit_release as store_credit_release
from desktop_app.services.terms import require_terms
from desktop_app.storage.models import (
    Contact,
    Customer,
    CustomerCredit,
    Invoice,
    PaymentTermsRow,
)
from desktop_app.storage.tables import INVOICE_OPEN_MINOR

ContactSpec = str | tuple[str, str, str]
"""A contact as the CLI gives it ('ROLE:NAME:EMAIL') or as a form gives it (role, name, email)."""


def check_contact(spec: ContactSpec, position: int) -> tuple[str, str, str]:
    if isinstance(spec, str):
        return parse_contact(spec, position)
    role, name, email = (part.strip() for part in spec)
    prefix = f"contact {position}"
    name = optional_text(name, f"{prefix} name", max_len=200)
    check_choice(role, f"{prefix} role", CONTACT_ROLES)
    email = check_email(email, f"{prefix} email")
    if not name and not email:
        raise ValidationError(prefix, N_("needs a name or an email"))
    return role, name, email


@dataclass(frozen=True)
class CustomerInput:
    """Everything the customer form holds; an edit replaces all of it, contacts included."""

    name: str
    email: str = ""
    address: str = ""
    phone: str = ""
    language: str = "en"
    terms: str | None = None
    credit_limit: str | Decimal | None = None
    contacts: Sequence[ContactSpec] = field(default_factory=tuple)
    notes: str = ""
    # The e-invoice channel; None leaves it as it is ("default": chosen from the customer).
    einvoice: str | None = None
    leitweg_id: str | None = None
    peppol_id: str | None = None
    vat_id: str = ""  # BT-48
    number: str = ""  # the customer number, printed as the statement's payment reference
    country: str = ""  # BT-55, ISO 3166
    consumer: bool = False


@dataclass(frozen=True)
class _Checked:
    name: str
    email: str
    contacts: list[tuple[str, str, str]]
    vat_id: str
    number: str
    country: str
    phone: str = ""
    address: str = ""
    notes: str = ""


def _check(data: CustomerInput) -> _Checked:
    """Every check that needs no database, each refusal kept, so that the form shows them
    all at once beside their fields."""
    checks = Checks()
    clean_name = checks.run(lambda: require_text(data.name, "name"))
    clean_email = checks.run(lambda: check_email(data.email))
    phone = checks.run(lambda: optional_text(data.phone, "phone", max_len=60))
    address = checks.run(lambda: optional_text(data.address, "address", multiline=True))
    notes = checks.run(lambda: optional_text(data.notes, "notes", multiline=True))
    checks.run(lambda: check_choice(data.language, "language", LANGUAGES))
    contacts = [checks.run(partial(check_contact, spec, i))
                for i, spec in enumerate(data.contacts, 1)]
    vat_id = checks.run(lambda: check_vat_id(data.vat_id))
    country = checks.run(lambda: check_country(data.country))
    number = data.number.strip()
    if len(number) > 64:
        checks.errors.append(ValidationError("number", N_("is longer than 64 characters")))
    checks.done()
    assert clean_name is not None and clean_email is not None and vat_id is not None
    return _Checked(clean_name, clean_email, [c for c in contacts if c is not None], vat_id,
                    number, country or (country_of_vat_id(vat_id) if vat_id else ""),
                    phone or "", address or "", notes or "")


def _check_number_free(session: Session, number: str, customer_id: int | None) -> None:
    if not number:
        return
    other = session.scalars(select(Customer.id).where(Customer.number == number)).first()
    if other is not None and other != customer_id:
        raise ValidationError("number", N_("customer {id} has the number {number} already"),
                              id=str(other), number=number)


def _credit_limit(value: str | Decimal | None, currency: str) -> int | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    return to_minor(parse_amount(value, "credit-limit", currency, allow_zero=True), currency)


@states(OpChanges.CUSTOMERS | OpChanges.INVOICES)
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
    contacts: Sequence[ContactSpec] | None = None,
    notes: str = "",
    einvoice: str | None = None,
    leitweg_id: str | None = None,
    peppol_id: str | None = None,
    vat_id: str = "",
    number: str = "",
    country: str = "",
    consumer: bool = False,
    credit_granted: bool = False,
) -> CustomerView:
    """A customer; a new one gets credit only when its credit application is approved, one
    known from before PaidUp (``credit_granted``) keeps the credit it had."""
    data = CustomerInput(name=name, email=email, address=address, phone=phone,
                         language=language, terms=terms, credit_limit=credit_limit,
                         contacts=tuple(contacts or ()), notes=notes, einvoice=einvoice,
                         leitweg_id=leitweg_id, peppol_id=peppol_id, vat_id=vat_id,
                         number=number, country=country, consumer=consumer)
    checked = _check(data)
    with books.db.write() as session:
        company = the_company(session)
        terms_id = require_terms(session, company.id, terms).id if terms else None
        _check_number_free(session, checked.number, None)
        customer = Customer(
            company_id=company.id, name=checked.name, email=checked.email,
            address=checked.address, phone=checked.phone, language=language, terms_id=terms_id,
            credit_limit_minor=_credit_limit(credit_limit, company.currency),
            notes=checked.notes, created_at=books.clock(), einvoice_format=None,
            leitweg_id="", peppol_id="", vat_id=checked.vat_id,
            number=checked.number, country=checked.country, consumer=consumer,
            credit_granted=credit_granted,
        )
        _set_contacts(customer, checked)
        _set_einvoice(customer, data)
        session.add(customer)
        session.flush()
        audit(session, books, "customer.add", "customer", customer.id,
              {"name": checked.name, "credit_granted": credit_granted})
        return _view(session, customer, company.currency)


def _set_contacts(customer: Customer, checked: _Checked) -> None:
    """The given contacts; a main email without a billing contact becomes the billing one."""
    contacts = [Contact(role=role, name=name, email=email)
                for role, name, email in checked.contacts]
    if checked.email and not any(role == "billing" for role, _, _ in checked.contacts):
        contacts.insert(0, Contact(role="billing", name=checked.name, email=checked.email))
    customer.contacts = contacts


def _set_einvoice(customer: Customer, data: CustomerInput) -> None:
    apply_einvoice(customer, fmt=data.einvoice, leitweg_id=data.leitweg_id,
                   peppol_id=data.peppol_id)


@states(OpChanges.CUSTOMERS | OpChanges.INVOICES)
def update_customer(books: Books, customer_id: int, data: CustomerInput) -> CustomerView:
    """Replace the customer's details and contacts; issued invoices keep their snapshot."""
    checked = _check(data)
    with books.db.write() as session:
        company = the_company(session)
        customer = require_customer(session, customer_id)
        terms_id = require_terms(session, company.id, data.terms).id if data.terms else None
        before = {"name": customer.name, "email": customer.email, "terms_id": customer.terms_id}
        _check_number_free(session, checked.number, customer.id)
        customer.vat_id, customer.number = checked.vat_id, checked.number
        customer.country, customer.consumer = checked.country, data.consumer
        customer.name, customer.email = checked.name, checked.email
        customer.address, customer.phone = checked.address, checked.phone
        customer.language, customer.terms_id = data.language, terms_id
        customer.credit_limit_minor = _credit_limit(data.credit_limit, company.currency)
        customer.notes = checked.notes
        _set_contacts(customer, checked)
        _set_einvoice(customer, data)
        session.flush()
        audit(session, books, "customer.edit", "customer", customer.id,
              {"before": before, "name": checked.name, "email": checked.email,
               "terms_id": terms_id, "contacts": len(customer.contacts)})
        return _view(session, customer, company.currency)


@states(OpChanges.CUSTOMERS)
def set_credit_status(books: Books, customer_id: int, status: str, note: str = ""
                      ) -> CustomerView:
    """The user decides a customer's credit (good, hold, cash only); the log says so."""
    check_choice(status, "credit-status", CREDIT_STATUSES)
    with books.db.write() as session:
        company = the_company(session)
        customer = require_customer(session, customer_id)
        before = customer.credit_status
        customer.credit_status = status
        if before != status:
            words = {"good": N_("good standing"), "hold": N_("hold"),
                     "cash_only": N_("cash only")}
            activity.log(session, books, customer_id=customer.id, kind="credit",
                         message=N_("Credit status set to {status} (was {before}): {note}")
                         if note.strip() else N_("Credit status set to {status} (was {before})"),
                         values={"status": Word(words[status]), "before": Word(words[before]),
                                 "note": note.strip()},
                         on=books.today())
        audit(session, books, "customer.credit_status", "customer", customer.id,
              {"from": before, "to": status, "note": note.strip()})
        return _view(session, customer, company.currency)


def get_credit_release(books: Books) -> dict[str, str]:
    """How hold and cash only lift: ``paid_up`` (by themselves once nothing is overdue) or
    ``by_hand`` (only when the user changes the status)."""
    with books.db.read() as session:
        return credit_release(session)


@states(OpChanges.SETTINGS | OpChanges.CUSTOMERS)
def set_credit_release(books: Books, *, hold: str | None = None, cash_only: str | None = None
                       ) -> dict[str, str]:
    with books.db.write() as session:
        rules = credit_release(session)
        for status, release in (("hold", hold), ("cash_only", cash_only)):
            if release is not None:
                rules = store_credit_release(session, status, release)
        audit(session, books, "credit.release", "settings", None, rules)
        return rules


def _open_balances(session: Session, customer_ids: list[int] | None) -> dict[int, int]:
    query = (
        select(Invoice.customer_id, func.sum(INVOICE_OPEN_MINOR))
        .where(Invoice.state == Lifecycle.ISSUED)
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
    terms_names: dict[int, str] | None = None,
) -> CustomerView:
    balances = balances if balances is not None else _open_balances(session, [customer.id])
    credits = credits if credits is not None else _credits(session, [customer.id])
    if terms_names is None:
        row = session.get(PaymentTermsRow, customer.terms_id) if customer.terms_id else None
        terms_names = {row.id: row.name} if row else {}
    return CustomerView(
        id=customer.id,
        name=customer.name,
        address=customer.address,
        email=customer.email,
        language=customer.language,
        terms=terms_names.get(customer.terms_id) if customer.terms_id else None,
        credit_status=customer.credit_status,
        credit_limit=None if customer.credit_limit_minor is None
        else from_minor(customer.credit_limit_minor, currency),
        currency=currency,
        balance=from_minor(balances.get(customer.id, 0), currency),
        credit=from_minor(credits.get(customer.id, 0), currency),
        contacts=tuple(ContactView(c.id, c.role, c.name, c.email) for c in customer.contacts)
        if with_contacts else (),
        notes=customer.notes,
        phone=customer.phone,
        policy=customer.policy_name,
        exempt=bool(customer.exempt),
        einvoice=customer_format(customer).value,
        einvoice_chosen=customer.einvoice_format or "",
        leitweg_id=customer.leitweg_id,
        peppol_id=customer.peppol_id,
        vat_id=customer.vat_id,
        number=customer.number,
        country=customer.country,
        consumer=bool(customer.consumer),
        credit_lifts=_lifts(session, customer.credit_status),
    )


def _lifts(session: Session, status: str) -> str:
    """How the customer's current credit status lifts ("" when it is good)."""
    return "" if status == "good" else credit_release(session).get(status, "by_hand")


def show_customer(books: Books, customer_id: int) -> CustomerView:
    with books.db.read() as session:
        company = the_company(session)
        return _view(session, require_customer(session, customer_id), company.currency)


def list_customers(books: Books, search: str = "", *, with_contacts: bool = True
                   ) -> list[CustomerView]:
    """Customers by name with balance and credit; a list that shows no contacts may skip them
    (thousands of customers, several contacts each)."""
    with books.db.read() as session:
        company = the_company(session)
        query = select(Customer).order_by(Customer.name)
        if with_contacts:
            query = query.options(selectinload(Customer.contacts))
        if search.strip():
            query = query.where(Customer.name.ilike(f"%{search.strip()}%"))
        customers = sorted(session.scalars(query), key=lambda c: name_key(c.name))
        balances = _open_balances(session, None)
        credits = _credits(session, None)
        names = dict(session.execute(select(PaymentTermsRow.id, PaymentTermsRow.name)).all())
        return [_view(session, c, company.currency, balances, credits, with_contacts, names)
                for c in customers]


def customer_choices(books: Books) -> list[CustomerChoice]:
    """Every customer's id, name and terms, for a chooser: one light query."""
    with books.db.read() as session:
        cash_only = new_customer_rule(session).rule == "cash_only"
        rows = session.execute(
            select(Customer.id, Customer.name, PaymentTermsRow.name, Customer.country,
                   Customer.vat_id, Customer.credit_granted)
            .outerjoin(PaymentTermsRow, PaymentTermsRow.id == Customer.terms_id)
            .order_by(Customer.name, Customer.id))
        return sorted((CustomerChoice(*row[:5], on_receipt=cash_only and not row[5])
                       for row in rows), key=lambda c: name_key(c.name))


def amend_customer(books: Books, customer_id: int, **changes: object) -> CustomerView:
    """Change only the given fields (the CLI's ``customer update``); the rest stays."""
    current = show_customer(books, customer_id)
    fields = {f: getattr(current, f) for f in ("name", "email", "address", "phone", "language",
                                               "terms", "notes", "vat_id", "number",
                                               "country", "consumer")}
    fields["credit_limit"] = current.credit_limit
    fields["contacts"] = tuple((c.role, c.name, c.email) for c in current.contacts)
    unknown = set(changes) - set(fields)
    if unknown:
        raise TypeError(f"amend_customer() got unexpected fields {sorted(unknown)}")
    fields.update({k: v for k, v in changes.items() if v is not None})
    return update_customer(books, customer_id, CustomerInput(**fields))

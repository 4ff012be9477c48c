"""What the demo books are made of: the company, its terms, the customers and the catalogue,
and how the set-up goes in; shared by the told story and the bulk-loaded big book."""

from __future__ import annotations

import random
from collections.abc import Callable
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop_app.domain.terms import PaymentTerms
from desktop_app.messages import N_
from desktop_app.services.books import Books
from desktop_app.storage.models import Company, Contact, Customer, PaymentTermsRow

COMPANY = {
    "name": "Lindenhof Werkstatt GmbH",
    "address": "Lindenstraße 12\n10969 Berlin\nGermany",
    "email": "billing@lindenhof.example",
    "phone": "+49 30 1234567",
    "tax_id": "37/123/45678",
    "vat_id": "DE136695976",
    "country": "DE",
    "register": "Amtsgericht Charlottenburg, HRB 123456 B, Sitz Berlin",
    "directors": "Helene Lindenhof",
    "signer_name": "Helene Lindenhof",
    "signer_title": "Geschäftsführerin",
    "iban": "DE89370400440532013000",
    "bic": "COBADEFFXXX",
    "bank_name": "Commerzbank Berlin",
    "currency": "EUR",
    "paper": "a4",
}
# The demo's words (its terms, items and notes) are data once written, shown as typed: they
# are written in the language of whoever asks for the demo, through ``Words``.
Words = Callable[[str], str]


def as_written(text: str) -> str:
    """The demo's words in English."""
    return text


TERMS = (
    PaymentTerms(N_("Net 30"), 30, late_fee_minor=500, interest_annual_percent=Decimal("8"),
                 grace_days=3),
    PaymentTerms(N_("Net 14"), 14, late_fee_minor=500),
    PaymentTerms(N_("2/10 net 30"), 30, discount_percent=Decimal("2"), discount_days=10),
    PaymentTerms(N_("Due on receipt"), 0),
)
INSTRUCTIONS = N_("Please quote the invoice number.")
# Name, language, address, country, VAT ID, the billing contact (empty: none known).
CUSTOMERS = (
    ("Müller & <Söhne> KG", "de", "Hauptstraße 5\n80331 München\nGermany", "DE",
     "DE810001005", "Eva Müller"),
    ("Acme Plumbing Ltd", "en", "14 Harbour Road\nBristol BS1 5TT\nUnited Kingdom", "GB", "",
     "Sarah Miller"),
    ("ООО «Северный ветер»", "ru", "ул. Ленина, д. 10\nСанкт-Петербург 190000\nRussia", "RU",
     "", "Иванова Мария Петровна"),
    ("上海明光贸易有限公司", "zh_CN", "上海市浦东新区世纪大道100号\n200120 上海\nChina", "CN",
     "", "王芳"),
    ("台北文創有限公司", "zh_TW", "台北市信義區松仁路100號\n110 台北\nTaiwan", "TW", "", "林美玲"),
    ("Bäckerei Sonnenschein", "de", "Am Markt 3\n04109 Leipzig\nGermany", "DE", "", ""),
    ("Northwind Traders", "en", "300 Pine Street\nSeattle, WA 98101\nUSA", "US", "",
     "Jim Carter"),
    ("Fischer Elektrotechnik e.K.", "de", "Industriestraße 44\n70565 Stuttgart\nGermany", "DE",
     "DE290005005", "Jonas Fischer"),
    ("Blue Harbor Café", "en", "2 Quay Street\nCork T12 X70A\nIreland", "IE", "IE6310000F",
     "Aoife Byrne"),
    ("Studio Kranich", "de", "Kastanienallee 77\n10435 Berlin\nGermany", "DE", "", ""),
)
CATALOG = (
    (N_("Consulting"), Decimal("95.00"), Decimal("19"), "HUR"),
    (N_("Installation work"), Decimal("68.50"), Decimal("19"), "HUR"),
    (N_("Copper pipe 15 mm"), Decimal("7.35"), Decimal("19"), "MTR"),
    (N_("Technical manual (print)"), Decimal("24.90"), Decimal("7"), "C62"),
    (N_("Travel allowance"), Decimal("0.30"), Decimal("19"), "KMT"),
    (N_("Maintenance contract"), Decimal("149.00"), Decimal("19"), "MON"),
    (N_("Spare parts kit"), Decimal("312.40"), Decimal("19"), "SET"),
)
# Besides the billing contact, each customer's: role, name, address.
OTHER_CONTACTS = (
    ("accounts_payable", N_("Payables"), "ap@{slug}.example"),
    ("executive", N_("Managing director"), "ceo@{slug}.example"),
    ("sales_rep", N_("Our sales"), "sales+{slug}@lindenhof.example"),
)
SCHEDULES = ("",) * 16 + ("30/30/40", "50/50", "monthly:3", "deposit:30,monthly:3")


def ensure_company(session: Session) -> Company:
    company = session.scalars(select(Company).limit(1)).first()
    if company is None:
        company = Company(**COMPANY)
        session.add(company)
        session.flush()
    return company


def ensure_terms(session: Session, company: Company, words: Words = as_written
                 ) -> list[PaymentTermsRow]:
    rows = []
    for t in TERMS:
        name = words(t.name)
        row = session.scalars(select(PaymentTermsRow).where(
            PaymentTermsRow.company_id == company.id, PaymentTermsRow.name == name)).first()
        if row is None:
            row = PaymentTermsRow(
                company_id=company.id, name=name, net_days=t.net_days,
                discount_percent=t.discount_percent, discount_days=t.discount_days,
                late_fee_minor=t.late_fee_minor, interest_annual_percent=t.interest_annual_percent,
                grace_days=t.grace_days, instructions=words(INSTRUCTIONS),
            )
            session.add(row)
        rows.append(row)
    session.flush()
    if company.default_terms_id is None:
        company.default_terms_id = rows[0].id
    return rows


def add_customers(books: Books, session: Session, company: Company, n: int,
                   terms: list[PaymentTermsRow], rnd: random.Random,
                   words: Words = as_written) -> list[Customer]:
    customers = []
    for i in range(n):
        name, lang, address, country, vat_id, person = CUSTOMERS[i % len(CUSTOMERS)]
        if i >= len(CUSTOMERS):
            name = f"{name} #{i // len(CUSTOMERS) + 1}"
            vat_id = ""  # a VAT ID belongs to one business
        slug = f"c{i + 1}"
        customer = Customer(
            company_id=company.id, name=name, address=address, language=lang,
            email=f"accounts@{slug}.example", terms_id=rnd.choice(terms).id,
            created_at=books.clock(), credit_limit_minor=rnd.choice((None, 500_000, 2_000_000)),
            country=country, vat_id=vat_id, number=f"K-{10001 + i}",
            credit_granted=True,  # long-standing customers, invoiced on terms for years
        )
        customer.contacts = [
            Contact(role="billing", name=person, email=f"accounts@{slug}.example"),
            *(Contact(role=role, name=words(who), email=address.format(slug=slug))
              for role, who, address in OTHER_CONTACTS),
        ]
        customers.append(customer)
    session.add_all(customers)
    session.flush()
    return customers


def fate(rnd: random.Random, age_days: int) -> str:
    """What became of an invoice of this age: old ones are mostly paid, as in life."""
    roll = rnd.random()
    if roll < 0.02:
        return "void"
    if age_days > 120:
        return "paid" if roll < 0.9 else ("partial" if roll < 0.95 else "open")
    if age_days > 30:
        return "paid" if roll < 0.55 else ("partial" if roll < 0.7 else "open")
    return "paid" if roll < 0.2 else ("partial" if roll < 0.3 else "open")

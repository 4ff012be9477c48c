"""A realistic demo book in every state, small for a first look or 100,000 invoices for bench.

Rows go in with set-based inserts (never one ORM object per row) so that a large book takes
seconds; every amount still comes from the domain rules used by the real services.
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import func, insert, select, text, update
from sqlalchemy.orm import Session

from desktop_app.domain.followup import DEFAULT_POLICY
from desktop_app.domain.lines import Line, line_tax_shares, totals
from desktop_app.domain.references import invoice_reference
from desktop_app.domain.schedule import build_schedule
from desktop_app.domain.status import InvoiceStatus, Lifecycle, invoice_status
from desktop_app.domain.terms import PaymentTerms
from desktop_app.domain.vat import VatCategory, propose_category
from desktop_app.services.books import Books, audit
from desktop_app.services.changes import OpChanges, states
from desktop_app.services.followup.policy_choice import default_policy
from desktop_app.services.followup.reached_stage import reached_stage
from desktop_app.services.records import DemoCounts
from desktop_app.storage.models import (
    Allocation,
    Company,
    Contact,
    CreditNote,
    Customer,
    FollowupRecord,
    Installment,
    Invoice,
    InvoiceLine,
    NumberCounter,
    Payment,
    PaymentTermsRow,
)
from desktop_app.storage.numbering import format_number

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
TERMS = (
    PaymentTerms("Net 30", 30, late_fee_minor=500, interest_annual_percent=Decimal("8"),
                 grace_days=3),
    PaymentTerms("Net 14", 14, late_fee_minor=500),
    PaymentTerms("2/10 net 30", 30, discount_percent=Decimal("2"), discount_days=10),
    PaymentTerms("Due on receipt", 0),
)
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
    ("Consulting", Decimal("95.00"), Decimal("19"), "HUR"),
    ("Installation work", Decimal("68.50"), Decimal("19"), "HUR"),
    ("Copper pipe 15 mm", Decimal("7.35"), Decimal("19"), "MTR"),
    ("Technical manual (print)", Decimal("24.90"), Decimal("7"), "C62"),
    ("Travel allowance", Decimal("0.30"), Decimal("19"), "KMT"),
    ("Maintenance contract", Decimal("149.00"), Decimal("19"), "MON"),
    ("Spare parts kit", Decimal("312.40"), Decimal("19"), "SET"),
)
SCHEDULES = ("",) * 16 + ("30/30/40", "50/50", "monthly:3", "deposit:30,monthly:3")
CHUNK = 20_000


@dataclass
class _Rows:
    invoices: list[dict[str, Any]] = field(default_factory=list)
    lines: list[dict[str, Any]] = field(default_factory=list)
    installments: list[dict[str, Any]] = field(default_factory=list)
    payments: list[dict[str, Any]] = field(default_factory=list)
    allocations: list[dict[str, Any]] = field(default_factory=list)
    credit_notes: list[dict[str, Any]] = field(default_factory=list)
    followup: list[dict[str, Any]] = field(default_factory=list)


def _past_follow_up(installment_id: int, issue: date, due: date, as_of: date,
                    now: datetime) -> list[dict[str, Any]]:
    """The stages the default ladder would have carried out before today, as if PaidUp had
    been used all along: the demo's Today shows one day's work, not years of it."""
    out = []
    for stage in DEFAULT_POLICY.stages:
        day = stage.day(issue=issue, due=due)
        if day >= as_of or (stage.courtesy and day <= issue):
            continue
        out.append({"installment_id": installment_id, "stage": stage.name, "outcome": "done",
                    "recorded_on": day, "at": now, "actor": "demo",
                    "channels": ",".join(stage.channels)})
    return out


def _next_id(session: Session, column: Any) -> int:
    return int(session.execute(select(func.coalesce(func.max(column), 0))).scalar_one()) + 1


def _ensure_company(session: Session) -> Company:
    company = session.scalars(select(Company).limit(1)).first()
    if company is None:
        company = Company(**COMPANY)
        session.add(company)
        session.flush()
    return company


def _ensure_terms(session: Session, company: Company) -> list[PaymentTermsRow]:
    rows = []
    for t in TERMS:
        row = session.scalars(select(PaymentTermsRow).where(
            PaymentTermsRow.company_id == company.id, PaymentTermsRow.name == t.name)).first()
        if row is None:
            row = PaymentTermsRow(
                company_id=company.id, name=t.name, net_days=t.net_days,
                discount_percent=t.discount_percent, discount_days=t.discount_days,
                late_fee_minor=t.late_fee_minor, interest_annual_percent=t.interest_annual_percent,
                grace_days=t.grace_days, instructions="Please quote the invoice number.",
            )
            session.add(row)
        rows.append(row)
    session.flush()
    if company.default_terms_id is None:
        company.default_terms_id = rows[0].id
    return rows


def _add_customers(books: Books, session: Session, company: Company, n: int,
                   terms: list[PaymentTermsRow], rnd: random.Random) -> list[Customer]:
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
            Contact(role="accounts_payable", name="Payables", email=f"ap@{slug}.example"),
            Contact(role="executive", name="Managing director", email=f"ceo@{slug}.example"),
            Contact(role="sales_rep", name="Our sales", email=f"sales+{slug}@lindenhof.example"),
        ]
        customers.append(customer)
    session.add_all(customers)
    session.flush()
    return customers


def _fate(rnd: random.Random, age_days: int) -> str:
    """What became of an invoice of this age: old ones are mostly paid, as in life."""
    roll = rnd.random()
    if roll < 0.02:
        return "void"
    if age_days > 120:
        return "paid" if roll < 0.9 else ("partial" if roll < 0.95 else "open")
    if age_days > 30:
        return "paid" if roll < 0.55 else ("partial" if roll < 0.7 else "open")
    return "paid" if roll < 0.2 else ("partial" if roll < 0.3 else "open")


@states(OpChanges.ALL)
def fill_demo(books: Books, *, as_of: date, invoices: int = 60, customers: int | None = None,
              seed: int = 2026) -> DemoCounts:
    rnd = random.Random(seed)
    n_customers = customers or max(len(CUSTOMERS), min(2000, invoices // 50))
    span = max(60, min(3650, invoices // 10))
    with books.db.write() as session:
        company = _ensure_company(session)
        terms = _ensure_terms(session, company)
        terms_by_id = {t.id: row_terms for t, row_terms in zip(terms, TERMS, strict=True)}
        people = _add_customers(books, session, company, n_customers, terms, rnd)
        default = default_policy(session)  # what the stage reached is ranked by
        rows = _Rows()
        ids = {name: _next_id(session, col) for name, col in (
            ("invoice", Invoice.id), ("line", InvoiceLine.id), ("inst", Installment.id),
            ("pay", Payment.id), ("cn", CreditNote.id))}
        issued: list[tuple[date, dict[str, Any]]] = []
        fates: Counter[str] = Counter()
        now = books.clock()
        for k in range(invoices):
            customer = rnd.choice(people)
            assert customer.terms_id is not None  # every demo customer is given terms
            t = terms_by_id[customer.terms_id]
            issue = as_of - timedelta(days=int(span * rnd.random() ** 1.6))
            category = propose_category(company.country, customer.country, customer.vat_id)
            lines = [Line(desc, Decimal(rnd.randint(1, 12)), price,
                          tax if category is VatCategory.STANDARD else Decimal(0), unit=unit,
                          category=category)
                     for desc, price, tax, unit in rnd.sample(CATALOG, rnd.randint(1, 4))]
            tot = totals(lines, company.currency)
            inv_id = ids["invoice"] + k
            draft = k >= invoices - max(1, invoices // 50)
            spec = "" if draft else rnd.choice(SCHEDULES)
            inv: dict[str, Any] = {  # an invoices row, inserted with the others at the end
                "id": inv_id, "company_id": company.id, "customer_id": customer.id,
                "state": "draft", "number": None, "payment_reference": None,
                "issue_date": None if draft else issue,
                "due_date": None, "currency": company.currency,
                "subtotal_minor": tot.subtotal_minor, "tax_minor": tot.tax_minor,
                "total_minor": tot.total_minor, "paid_minor": 0, "discount_minor": 0,
                "terms_id": customer.terms_id, "terms_name": t.name, "net_days": t.net_days,
                "discount_percent": t.discount_percent, "discount_days": t.discount_days,
                "late_fee_minor": t.late_fee_minor,
                "interest_annual_percent": t.interest_annual_percent,
                "grace_days": t.grace_days, "instructions": t.instructions,
                "customer_name": customer.name, "customer_address": customer.address,
                "customer_language": customer.language, "schedule_spec": spec,
                "customer_vat_id": customer.vat_id, "customer_number": customer.number,
                "customer_country": customer.country, "customer_consumer": False,
                "supply_date": None if draft else issue, "period_start": None,
                "period_end": None, "buyer_reference": "", "order_reference": "",
                "late_rule": "",
                "schedule_every": None, "created_at": now, "issued_at": None if draft else now,
                "voided_at": None, "void_reason": "",
            }
            rows.invoices.append(inv)
            for pos, (ln, line_tax) in enumerate(zip(lines, line_tax_shares(
                    lines, company.currency), strict=True), 1):
                rows.lines.append({
                    "id": ids["line"], "invoice_id": inv_id, "position": pos,
                    "description": ln.description, "quantity": ln.quantity,
                    "unit_price": ln.unit_price, "tax_percent": ln.tax_percent,
                    "discount_percent": ln.discount_percent,
                    "net_minor": ln.net_minor(company.currency),
                    "tax_minor": line_tax, "unit": ln.unit,
                    "vat_category": ln.category.value, "exemption_reason": "",
                    "period_start": None, "period_end": None,
                })
                ids["line"] += 1
            if draft:
                fates["draft"] += 1
                continue
            plan = build_schedule(tot.total_minor, spec, issue, t.net_days)
            inv["due_date"] = max(p.due_date for p in plan)
            fate = _fate(rnd, (as_of - issue).days)
            fates[fate] += 1
            for pos, p in enumerate(plan, 1):
                paid = 0
                pay_on = min(as_of, p.due_date + timedelta(days=rnd.randint(-5, 20)))
                if p.due_date <= as_of or fate == "paid":
                    if fate == "paid" or (fate == "partial" and pos == 1 and len(plan) > 1):
                        paid = p.amount_minor
                    elif fate == "partial" and pos == 1:
                        paid = p.amount_minor // 2
                if paid and pay_on >= issue:
                    rows.payments.append({
                        "id": ids["pay"], "customer_id": customer.id, "invoice_id": inv_id,
                        "paid_on": pay_on, "amount_minor": paid, "currency": company.currency,
                        "method": "bank_transfer", "reference": f"demo {inv_id}",
                        "created_at": now,
                    })
                    rows.allocations.append({"payment_id": ids["pay"], "kind": "payment",
                                             "installment_id": ids["inst"],
                                             "amount_minor": paid, "on_day": pay_on})
                    ids["pay"] += 1
                    inv["paid_minor"] += paid
                else:
                    paid = 0
                follow = _past_follow_up(ids["inst"], issue, p.due_date, as_of, now) if (
                    paid < p.amount_minor and fate != "void") else []
                rows.installments.append({
                    "id": ids["inst"], "invoice_id": inv_id, "position": pos, "label": p.label,
                    "due_date": p.due_date, "amount_minor": p.amount_minor, "paid_minor": paid,
                    "reached_stage": reached_stage(default, (r["stage"] for r in follow)),
                })
                rows.followup += follow
                ids["inst"] += 1
            if fate == "void" and inv["paid_minor"] < inv["total_minor"]:
                inv["voided_at"], inv["void_reason"] = now, "Order cancelled by the customer"
            issued.append((issue, inv))
        _number(session, company, issued, rows, ids["cn"])
        for table, data in ((Invoice, rows.invoices), (InvoiceLine, rows.lines),
                            (Installment, rows.installments), (Payment, rows.payments),
                            (Allocation, rows.allocations), (FollowupRecord, rows.followup)):
            for start in range(0, len(data), CHUNK):
                session.connection().execute(insert(table.__table__), data[start:start + CHUNK])
        # Lines and installments went in under drafts; now the invoices take their state.
        session.execute(update(Invoice).where(
            Invoice.id >= ids["invoice"], Invoice.number.is_not(None),
            Invoice.voided_at.is_(None)).values(state="issued"))
        session.execute(update(Invoice).where(
            Invoice.id >= ids["invoice"], Invoice.voided_at.is_not(None)).values(state="void"))
        for start in range(0, len(rows.credit_notes), CHUNK):
            session.connection().execute(insert(CreditNote.__table__),
                                         rows.credit_notes[start:start + CHUNK])
        by_status = Counter(
            invoice_status(Lifecycle("void" if inv["voided_at"] else
                                     ("draft" if inv["number"] is None else "issued")),
                           inv["total_minor"], inv["paid_minor"]).value
            for inv in rows.invoices)
        if session.get_bind().dialect.name == "postgresql":
            # The rows went in with their ids: the sequences move past them, or the next
            # installment a user adds (a payment plan's) would take an id already used.
            for name in ("invoices", "invoice_lines", "installments", "payments",
                         "credit_notes"):
                session.execute(text(f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "
                                     f"(SELECT max(id) FROM {name}))"))
        session.execute(text("ANALYZE"))  # statistics for the planner after a bulk load
        audit(session, books, "demo.fill", "database", None,
              {"invoices": invoices, "customers": n_customers})
        return DemoCounts(customers=n_customers, terms=len(terms), invoices=invoices,
                          payments=len(rows.payments),
                          by_status={s.value: by_status.get(s.value, 0) for s in InvoiceStatus})


def _number(session: Session, company: Company, issued: list[tuple[date, dict[str, Any]]],
            rows: _Rows, first_cn_id: int) -> None:
    """Gapless numbers in issue-date order, continuing each year's counter."""
    issued.sort(key=lambda pair: (pair[0], pair[1]["id"]))
    counters: dict[tuple[str, int], int] = {
        (c.kind, c.year): c.last_value
        for c in session.scalars(select(NumberCounter).where(
            NumberCounter.company_id == company.id))
    }
    cn_id = first_cn_id
    for issue, inv in issued:
        key = ("invoice", issue.year)
        counters[key] = counters.get(key, 0) + 1
        inv["number"] = format_number(company.number_format, issue.year, counters[key])
        inv["payment_reference"] = invoice_reference(inv["number"], inv["id"])
        if inv["voided_at"] is not None:
            cn_key = ("credit_note", issue.year)
            counters[cn_key] = counters.get(cn_key, 0) + 1
            rows.credit_notes.append({
                "id": cn_id, "company_id": company.id, "invoice_id": inv["id"],
                "number": format_number(company.credit_note_format, issue.year,
                                        counters[cn_key]),
                "issue_date": issue, "amount_minor": inv["total_minor"] - inv["paid_minor"],
                "currency": inv["currency"], "reason": inv["void_reason"],
            })
            cn_id += 1
    for (kind, year), last in counters.items():
        row = session.get(NumberCounter, (company.id, kind, year))
        if row is None:
            session.add(NumberCounter(company_id=company.id, kind=kind, year=year,
                                      last_value=last))
        else:
            row.last_value = last
    session.flush()

"""A realistic demo book in every state, small for a first look or 100,000 invoices for bench.

A small book's past is lived day by day through the same services as real work
(``demo_story``), so every reminder recorded has its letter, email and log entry. A big book
(the benchmark's) goes in with set-based inserts (never one ORM object per row) so that it
takes seconds: every amount still comes from the domain rules used by the real services, but
its past follow-up is written as stage records only.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Callable
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
from desktop_app.domain.vat import VatCategory, propose_category
from desktop_app.services import demo_story
from desktop_app.services.books import Books, audit
from desktop_app.services.changes import OpChanges, states
from desktop_app.services.demo_data import (
    CATALOG,
    CUSTOMERS,
    SCHEDULES,
    Words,
    add_customers,
    as_written,
    ensure_company,
    ensure_terms,
)
from desktop_app.services.demo_data import fate as fate_of
from desktop_app.services.followup.policy_choice import default_policy
from desktop_app.services.followup.reached_stage import reached_stage
from desktop_app.services.records import DemoCounts
from desktop_app.services.terms import row_to_terms
from desktop_app.storage.models import (
    Allocation,
    Company,
    CreditNote,
    FollowupRecord,
    Installment,
    Invoice,
    InvoiceLine,
    NumberCounter,
    Payment,
)
from desktop_app.storage.numbering import format_number

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


STORY_LIMIT = 100  # up to this many invoices, the demo's past is lived through the services


@states(OpChanges.ALL)
def fill_demo(books: Books, *, as_of: date, invoices: int = 60, customers: int | None = None,
              seed: int = 2026, words: Words = as_written,
              progress: Callable[[int, int], None] | None = None) -> DemoCounts:
    """The demo, its words (terms, items, notes) in the language ``words`` gives; a small
    one reports each day of its past to ``progress``, which may stop it by raising."""
    n_customers = customers or max(len(CUSTOMERS), min(2000, invoices // 50))
    span = max(60, min(3650, invoices // 10))
    if invoices <= STORY_LIMIT:
        return demo_story.tell(books, as_of=as_of, count=invoices, customers=n_customers,
                               span=span, seed=seed, words=words, progress=progress)
    return _fill_bulk(books, as_of=as_of, invoices=invoices, n_customers=n_customers,
                      span=span, seed=seed, words=words)


def _fill_bulk(books: Books, *, as_of: date, invoices: int, n_customers: int, span: int,
               seed: int, words: Words) -> DemoCounts:
    rnd = random.Random(seed)
    with books.db.write() as session:
        company = ensure_company(session)
        terms = ensure_terms(session, company, words)
        terms_by_id = {row.id: row_to_terms(row) for row in terms}
        people = add_customers(books, session, company, n_customers, terms, rnd, words)
        default = default_policy(session)  # what the stage reached is ranked by
        rows = _Rows()
        ids = {name: _next_id(session, col) for name, col in (
            ("invoice", Invoice.id), ("line", InvoiceLine.id), ("inst", Installment.id),
            ("pay", Payment.id), ("cn", CreditNote.id))}
        issued: list[tuple[date, dict[str, Any]]] = []
        fates: Counter[str] = Counter()
        now, cancelled = books.clock(), words(demo_story.CANCELLED)
        for k in range(invoices):
            customer = rnd.choice(people)
            assert customer.terms_id is not None  # every demo customer is given terms
            t = terms_by_id[customer.terms_id]
            issue = as_of - timedelta(days=int(span * rnd.random() ** 1.6))
            category = propose_category(company.country, customer.country, customer.vat_id)
            lines = [Line(words(desc), Decimal(rnd.randint(1, 12)), price,
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
            fate = fate_of(rnd, (as_of - issue).days)
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
                inv["voided_at"], inv["void_reason"] = now, cancelled
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

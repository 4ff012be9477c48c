"""The books as documents: fills the documents package's snapshots and keeps what was sent."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, selectinload

from desktop_app import documents as rendering  # the renderers load on first use
from desktop_app.documents import data as doc
from desktop_app.documents.i18n import Lang
from desktop_app.documents.templates import default_next_step
from desktop_app.domain.errors import RuleViolation, ValidationError
from desktop_app.domain.lines import Line, totals
from desktop_app.domain.schedule import build_schedule
from desktop_app.domain.terms import (
    PaymentTerms,
    accrued_interest_minor,
    first_interest_day,
    interest_per_stretch,
)
from desktop_app.services.books import Books, audit, the_company
from desktop_app.services.customers import require_customer
from desktop_app.services.followup_state import settlements
from desktop_app.services.invoices import invoice_terms, require_invoice
from desktop_app.storage.models import (
    Activity,
    Company,
    Customer,
    Installment,
    Invoice,
    StoredDocument,
)

FINAL_NOTICE_DAYS = 10  # a final notice gives this many days before the next step
LATE_STAGES = ("reminder_2", "final_notice", "handover")
LETTER_STAGES = doc.LETTER_STAGES


def company_doc(company: Company) -> doc.Company:
    return doc.Company(
        name=company.name,
        address=tuple(line for line in company.address.splitlines() if line.strip()),
        email=company.email, phone=company.phone, tax_id=company.tax_id,
        bank=doc.BankDetails(account_holder=company.name, iban=company.iban, bic=company.bic),
        logo=company.logo, currency=company.currency, paper=company.paper,  # type: ignore[arg-type]
        window_dx_mm=float(company.envelope_dx_mm), window_dy_mm=float(company.envelope_dy_mm),
    )


def _address(text: str) -> tuple[str, ...]:
    return tuple(line for line in text.splitlines() if line.strip())


def customer_doc(customer: Customer) -> doc.Customer:
    """The customer as a document names it now (issued invoices keep their own snapshot)."""
    return doc.Customer(name=customer.name, address=_address(customer.address),
                        language=customer.language)


def contact_doc(company: Company) -> doc.ContactPerson:
    return doc.ContactPerson(name=company.name, phone=company.phone, email=company.email)


def invoice_doc(session: Session, company: Company, inv: Invoice, as_of: date) -> doc.Invoice:
    """The invoice as printed; a draft shows what issuing it on ``as_of`` would give."""
    terms = invoice_terms(session, company, inv)
    lines = [Line(ln.description, ln.quantity, ln.unit_price, ln.tax_percent,
                  ln.discount_percent) for ln in inv.lines]
    if inv.state == "draft":
        customer = require_customer(session, inv.customer_id)
        name, address, language = customer.name, customer.address, customer.language
        issue = inv.issue_date or as_of
        plan = build_schedule(inv.total_minor, inv.schedule_spec, issue, terms.net_days,
                              inv.schedule_every)
        installments = tuple(doc.Installment(p.label, p.due_date, p.amount_minor) for p in plan)
        number, due = "DRAFT", max(p.due_date for p in plan)
    else:
        name, address, language = inv.customer_name, inv.customer_address, \
            inv.customer_language
        issue, due, number = inv.issue_date, inv.due_date, inv.number
        installments = tuple(doc.Installment(i.label, i.due_date, i.amount_minor, i.paid_minor)
                             for i in inv.installments if i.plan_id is None)
    assert issue is not None and due is not None and number is not None
    return doc.Invoice(
        company=company_doc(company),
        customer=doc.Customer(name=name, address=_address(address), language=language),
        number=number, issue_date=issue, due_date=due, currency=inv.currency,
        lines=tuple(doc.InvoiceLine.from_line(ln, inv.currency) for ln in lines),
        bands=totals(lines, inv.currency).bands, subtotal_minor=inv.subtotal_minor,
        tax_minor=inv.tax_minor, total_minor=inv.total_minor, terms=terms,
        installments=installments if len(installments) > 1 else (),
    )


def store_document(session: Session, books: Books, *, kind: str, customer_id: int,
                   invoice_id: int | None, on: date, filename: str, pdf: bytes,
                   stage: str = "") -> StoredDocument:
    """Keep the exact bytes and their SHA-256, with an audit entry that names the hash."""
    sha = rendering.sha256_hex(pdf)
    row = StoredDocument(kind=kind, customer_id=customer_id, invoice_id=invoice_id, stage=stage,
                         created_on=on, filename=filename, sha256=sha, pdf=pdf)
    session.add(row)
    session.flush()
    audit(session, books, f"document.{kind}", "invoice" if invoice_id else "customer",
          invoice_id or customer_id, {"document_id": row.id, "stage": stage,
                                      "filename": filename}, sha256=sha)
    return row


def store_issued_invoice(session: Session, books: Books, company: Company, inv: Invoice
                         ) -> StoredDocument:
    """Called in the issuing transaction: the PDF as issued is what the customer receives."""
    assert inv.issue_date is not None
    pdf = rendering.render_invoice(invoice_doc(session, company, inv, inv.issue_date))
    return store_document(session, books, kind="invoice", customer_id=inv.customer_id,
                          invoice_id=inv.id, on=inv.issue_date, filename=f"{inv.number}.pdf",
                          pdf=pdf)


def _stored_invoice(session: Session, invoice_id: int) -> bytes | None:
    return session.scalars(
        select(StoredDocument.pdf).where(StoredDocument.invoice_id == invoice_id,
                                         StoredDocument.kind == "invoice")
        .order_by(StoredDocument.id).limit(1)
    ).first()


def invoice_pdf(books: Books, invoice_id: int, as_of: date) -> bytes:
    """The stored copy of an issued invoice (exactly what was sent), else a fresh render."""
    with books.db.read() as session:
        company = the_company(session)
        inv = _load(session, invoice_id)
        if inv.state != "draft" and (stored := _stored_invoice(session, invoice_id)):
            return stored
        return rendering.render_invoice(invoice_doc(session, company, inv, as_of))


def _load(session: Session, invoice_id: int) -> Invoice:
    require_invoice(session, invoice_id)
    return session.scalars(
        select(Invoice).where(Invoice.id == invoice_id)
        .options(selectinload(Invoice.lines), selectinload(Invoice.installments))
    ).one()


@dataclass(frozen=True)
class LetterCharges:
    """What a letter asks beyond the principal; the follow-up engine decides it per stage."""

    fee_minor: int = 0
    with_interest: bool = False


def letter_items(inv: Invoice, terms: PaymentTerms, as_of: date, with_interest: bool,
                 installments: Sequence[Installment] | None = None,
                 settlements: Mapping[int, Sequence[tuple[date, int]]] | None = None
                 ) -> list[doc.LetterItem]:
    """``settlements``: what reduced each installment's debt, by day (interest is on each
    day's balance; without them, on what is open now)."""
    items = []
    for inst in installments if installments is not None else inv.installments:
        if inst.open_minor <= 0:
            continue
        interest = None
        if with_interest:
            paid = list((settlements or {}).get(inst.id, ()))
            principal = inst.open_minor + sum(minor for _, minor in paid)
            first = first_interest_day(inst.due_date, terms.grace_days)
            interest = interest_calc(
                terms.interest_annual_percent, principal, paid, first, as_of,
                accrued_interest_minor(principal, paid, terms.interest_annual_percent, first,
                                       as_of))
        assert inv.number is not None and inv.issue_date is not None
        items.append(doc.LetterItem(
            invoice_number=inv.number, issue_date=inv.issue_date, due_date=inst.due_date,
            open_minor=inst.open_minor,
            installment_label=inst.label if len(inv.installments) > 1 else "",
            interest=interest,
        ))
    return items


def letter_doc(company: Company, customer: Customer, stage: str, as_of: date,
               items: Sequence[doc.LetterItem], currency: str, fee_minor: int = 0,
               template: str | None = None, *, fee_terms: PaymentTerms | None = None,
               reminders: Sequence[doc.ReminderSent] = ()) -> doc.Letter:
    """``fee_terms``: the terms whose fee rule the letter repeats when it charges a fee;
    ``reminders``: what the customer actually received before."""
    final = stage in ("final_notice", "handover")
    return doc.Letter(
        stage=doc.Stage(stage), company=company_doc(company),
        customer=customer_doc(customer),
        letter_date=as_of, currency=currency, contact=contact_doc(company), items=tuple(items),
        fee_minor=fee_minor, deadline=as_of + timedelta(days=FINAL_NOTICE_DAYS) if final else None,
        next_step=default_next_step(customer.language) if final else "", template=template,
        fee_rule=fee_terms.fee_rule if fee_terms and fee_minor else "",
        fee_rate_minor=fee_terms.late_fee_minor if fee_terms and fee_minor else 0,
        reminders=tuple(reminders),
    )


def interest_calc(rate: Decimal, principal_minor: int, reductions: Sequence[tuple[date, int]],
                  first_day: date, as_of: date, amount_minor: int) -> doc.InterestCalc | None:
    """How the interest a letter asks for was computed: on each day's balance."""
    pieces = interest_per_stretch(principal_minor, reductions, rate, first_day, as_of)
    if not pieces or amount_minor <= 0:
        return None
    return doc.InterestCalc(
        rate, sum(s.days for s, _ in pieces), pieces[-1][0].balance_minor, amount_minor,
        tuple(doc.InterestStretch(s.days, s.balance_minor, share) for s, share in pieces))


def letter_pdf(books: Books, invoice_id: int, stage: str, as_of: date) -> bytes:
    """One letter for one invoice, for printing by hand (the follow-up run makes its own)."""
    if stage not in LETTER_STAGES:
        raise ValidationError("stage", f"'{stage}' is not one of {', '.join(LETTER_STAGES)}")
    with books.db.read() as session:
        company = the_company(session)
        inv = _load(session, invoice_id)
        if inv.state != "issued":
            raise RuleViolation(f"invoice {inv.number or inv.id} is {inv.state}; "
                                "letters are for issued invoices")
        terms = invoice_terms(session, company, inv)
        late = stage in LATE_STAGES
        overdue = [i for i in inv.installments if i.due_date < as_of]
        items = letter_items(inv, terms, as_of, late, overdue or None,
                             settlements(session, [i.id for i in inv.installments]))
        if not items:
            raise RuleViolation(f"invoice {inv.number} has nothing open to remind of")
        customer = require_customer(session, inv.customer_id)
        return rendering.render_letter(letter_doc(
            company, customer, stage, as_of, items, inv.currency,
            terms.late_fee_minor if late else 0, fee_terms=terms))


def deposit_request_pdf(books: Books, invoice_id: int, as_of: date) -> bytes:
    """A letter asking for the deposit before work starts (seed 000): the first installment
    of an issued invoice paid in several, while it is still open."""
    with books.db.read() as session:
        company = the_company(session)
        inv = _load(session, invoice_id)
        if inv.state != "issued":
            raise RuleViolation(f"invoice {inv.number or inv.id} is {inv.state}; a deposit "
                                "request is for an issued invoice")
        first = min(inv.installments, key=lambda i: (i.due_date, i.position))
        if len(inv.installments) < 2 or first.open_minor <= 0:
            raise RuleViolation(f"invoice {inv.number} has no open deposit: give it a "
                                "schedule with a deposit (such as 30/30/40)")
        assert inv.number is not None
        customer = require_customer(session, inv.customer_id)
        reader = customer_doc(customer)
        what = inv.lines[0].description if inv.lines else inv.number
        t = Lang(reader.language, reader.babel_locale)
        deposit = doc.DepositRequest(inv.number, f"{what} — {t.label(first.label)}",
                                     first.open_minor, first.due_date)
        return rendering.render_letter(doc.Letter(
            stage=doc.Stage.DEPOSIT_REQUEST, company=company_doc(company),
            customer=reader, letter_date=as_of, currency=inv.currency,
            contact=contact_doc(company), deposit=deposit))


def one_print_job(pdfs: Sequence[bytes], title: str = "Letters") -> bytes:
    """Several letters as one PDF, for one print job."""
    return pdfs[0] if len(pdfs) == 1 else rendering.merge_pdfs(pdfs, title=title)


def statement_doc(session: Session, company: Company, customer: Customer, as_of: date
                  ) -> doc.Statement:
    rows = session.scalars(
        select(Invoice).where(Invoice.customer_id == customer.id, Invoice.state == "issued",
                              Invoice.paid_minor + Invoice.written_off_minor
                              < Invoice.total_minor)
        .options(selectinload(Invoice.installments)).order_by(Invoice.issue_date, Invoice.id)
    )
    items = []
    for inv in rows:
        for inst in inv.installments:
            if inst.open_minor > 0:
                assert inv.number is not None and inv.issue_date is not None
                items.append(doc.StatementItem(inv.number, inv.issue_date, inst.due_date,
                                               inst.amount_minor, inst.open_minor))
    return doc.Statement(
        company=company_doc(company),
        customer=customer_doc(customer),
        as_of=as_of, currency=company.currency, items=tuple(items),
    )


def statement_pdf(books: Books, customer_id: int, as_of: date) -> bytes:
    with books.db.read() as session:
        company = the_company(session)
        customer = require_customer(session, customer_id)
        return rendering.render_statement(statement_doc(session, company, customer, as_of))


def dossier_doc(session: Session, company: Company, inv: Invoice, as_of: date) -> doc.Dossier:
    """The customer's open invoices with every document sent about them (exact copies, with
    their fingerprints), the log and a statement."""
    customer = require_customer(session, inv.customer_id)
    invoices = list(session.scalars(
        select(Invoice).where(Invoice.customer_id == customer.id, Invoice.state == "issued",
                              (Invoice.paid_minor + Invoice.written_off_minor
                               < Invoice.total_minor) | (Invoice.id == inv.id))
        .order_by(Invoice.issue_date, Invoice.id)))
    ids = [i.id for i in invoices]
    numbers = {i.id: i.number or "" for i in invoices}
    rows = session.execute(
        select(StoredDocument, Activity.invoice_id)
        .join(Activity, Activity.document_id == StoredDocument.id, isouter=True)
        .where(or_(StoredDocument.invoice_id.in_(ids), Activity.invoice_id.in_(ids)),
               StoredDocument.kind.in_(("invoice", "letter", "agreement")))
        .order_by(StoredDocument.created_on, StoredDocument.id)).all()
    stored_by_id: dict[int, StoredDocument] = {}
    concerns: dict[int, set[str]] = {}
    for stored, invoice_id in rows:
        stored_by_id[stored.id] = stored
        concerns.setdefault(stored.id, set()).update(
            numbers[i] for i in (stored.invoice_id, invoice_id) if i in numbers)
    copies = [doc.SentCopy(s.created_on, s.kind, s.stage, ", ".join(sorted(concerns[s.id])),
                           s.sha256, s.pdf) for s in stored_by_id.values()]
    activity = session.execute(
        select(Activity.happened_on, Activity.kind, Activity.summary)
        .where(Activity.customer_id == customer.id,
               or_(Activity.invoice_id.in_(ids), Activity.invoice_id.is_(None)))
        .order_by(Activity.happened_on, Activity.id)).all()
    return doc.Dossier(
        company=company_doc(company),
        customer=customer_doc(customer),
        as_of=as_of,
        invoices=tuple(doc.DossierInvoice(i.number or "", i.issue_date, i.due_date,
                                          i.total_minor, i.currency)
                       for i in invoices if i.issue_date and i.due_date),
        copies=tuple(copies),
        activity=tuple(doc.ActivityEntry(on, kind, summary) for on, kind, summary in activity),
        statement=statement_doc(session, company, customer, as_of),
    )


def dossier_pdf(books: Books, invoice_id: int, as_of: date) -> bytes:
    with books.db.read() as session:
        company = the_company(session)
        inv = require_invoice(session, invoice_id)
        if inv.state == "draft":
            raise RuleViolation(f"invoice {inv.id} is a draft; a dossier is for issued invoices")
        return rendering.render_dossier(dossier_doc(session, company, inv, as_of))

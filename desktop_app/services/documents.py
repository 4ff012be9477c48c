"""The books as documents: fills the documents package's snapshots and keeps what was sent."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session, selectinload

from desktop_app import documents as rendering  # the renderers load on first use
from desktop_app import files
from desktop_app.documents import data as doc
from desktop_app.documents.i18n import Lang
from desktop_app.documents.letter_templates import default_next_step
from desktop_app.domain import late_payment
from desktop_app.domain.errors import NotFound, RuleViolation, ValidationError
from desktop_app.domain.followup import Policy, reminders_before
from desktop_app.domain.interest import (
    InterestRate,
    accrued_interest_minor,
    first_interest_day,
    interest_per_stretch,
)
from desktop_app.domain.late_payment import LateCharges
from desktop_app.domain.lines import credit_bands
from desktop_app.domain.references import grouped
from desktop_app.domain.schedule import build_schedule
from desktop_app.domain.status import Lifecycle, lifecycle_word
from desktop_app.domain.terms import PaymentTerms
from desktop_app.messages import N_
from desktop_app.services.base_rates import base_rates, invoice_late_charges
from desktop_app.services.books import Books, audit, require_customer, the_company
from desktop_app.services.followup.policy_choice import policies_for
from desktop_app.services.followup.state import settlements
from desktop_app.services.invoice_lookup import (
    invoice_bands,
    invoice_terms,
    require_invoice,
    stored_lines,
)
from desktop_app.storage.models import (
    Activity,
    Allocation,
    Charge,
    Company,
    CreditApplication,
    CreditDocument,
    CreditNote,
    CreditReference,
    Customer,
    FollowupRecord,
    Installment,
    Invoice,
    InvoiceReceipt,
    Payment,
    PaymentPlanRow,
    StoredDocument,
    WriteOff,
)
from desktop_app.storage.tables import OPEN_INVOICE

FINAL_NOTICE_DAYS = 10  # a final notice gives this many days before the next step
LATE_STAGES = ("reminder_2", "final_notice", "handover")
LETTER_STAGES = doc.LETTER_STAGES


def company_doc(company: Company) -> doc.Company:
    return doc.Company(
        name=company.name,
        address=_address(company.address),
        email=company.email, phone=company.phone, tax_id=company.tax_id,
        bank=doc.BankDetails(
            account_holder=company.account_holder or company.name, bank_name=company.bank_name,
            iban=company.iban, bic=company.bic, account_number=company.account_number,
            routing_number=company.routing_number,
            correspondent_account=company.correspondent_account,
            checks_payable_to=company.checks_payable_to, remit_to=_address(company.remit_to)),
        logo=company.logo, currency=company.currency, paper=company.paper,  # type: ignore[arg-type]
        window_dx_mm=float(company.envelope_dx_mm), window_dy_mm=float(company.envelope_dy_mm),
        country=company.country, vat_id=company.vat_id, register=company.register,
        directors=company.directors, signer=doc.Signer(company.signer_name, company.signer_title),
        small_business=bool(company.small_business), kpp=company.kpp,
    )


def _address(text: str) -> tuple[str, ...]:
    return tuple(line for line in text.splitlines() if line.strip())


def billing_contact(customer: Customer) -> str:
    """The person a letter greets: the billing contact's name, when one is known."""
    for role in ("billing", "accounts_payable"):
        for contact in customer.contacts:
            if contact.role == role and contact.name.strip() and contact.name != customer.name:
                return contact.name.strip()
    return ""


def customer_doc(customer: Customer) -> doc.Customer:
    """The customer as a document names it now (issued invoices keep their own snapshot)."""
    return doc.Customer(name=customer.name, address=_address(customer.address),
                        language=customer.language, vat_id=customer.vat_id,
                        number=customer.number, country=customer.country,
                        contact=billing_contact(customer), consumer=bool(customer.consumer))


def contact_doc(company: Company) -> doc.ContactPerson:
    """Whom the customer may call: the person who signs, and the company's phone and mail."""
    return doc.ContactPerson(name=company.signer_name, phone=company.phone, email=company.email)


def late_interest_text(session: Session, t: Lang, late_rule: str, consumer: bool,
                       on: date) -> str:
    """Statutory late-payment terms in words, with the rate in force on ``on``."""
    statutory = late_payment.rule(late_rule)
    if statutory is None:
        return ""
    points = late_payment.points(statutory, consumer)
    try:
        rate = late_payment.annual_rate(statutory, base_rates(session), on, consumer=consumer)
        lines = [t("Late payment: interest at %(points)s percentage points above the base "
                   "rate (%(law)s), currently %(rate)s a year.", points=t.number(points),
                   law=statutory.law, rate=t.percent(rate))]
    except ValidationError:  # no published rate yet for that day: the rule without it
        lines = [t("Late payment: interest at %(points)s percentage points above the base "
                   "rate (%(law)s).", points=t.number(points), law=statutory.law)]
    if not consumer and statutory.flat_minor:
        lines.append(t("Late payment: a flat compensation of %(flat)s per invoice (%(law)s).",
                       flat=t.money(statutory.flat_minor, "EUR"), law=statutory.law))
    return "\n".join(lines)


def invoice_doc(session: Session, company: Company, inv: Invoice, as_of: date) -> doc.Invoice:
    """The invoice as printed; a draft shows what issuing it on ``as_of`` would give."""
    terms = invoice_terms(session, company, inv)
    cancelled_by = None
    if inv.state == Lifecycle.DRAFT:
        customer = customer_doc(require_customer(session, inv.customer_id))
        issue = inv.issue_date or as_of
        plan = build_schedule(inv.total_minor, inv.schedule_spec, issue, terms.net_days,
                              inv.schedule_every)
        installments = tuple(doc.Installment(p.label, p.due_date, p.amount_minor) for p in plan)
        number, due = "DRAFT", max(p.due_date for p in plan)
        late_rule, consumer = terms.late_rule, customer.consumer
    else:
        current = require_customer(session, inv.customer_id)
        customer = doc.Customer(name=inv.customer_name, address=_address(inv.customer_address),
                                language=inv.customer_language, vat_id=inv.customer_vat_id,
                                number=inv.customer_number, country=inv.customer_country,
                                contact=billing_contact(current),
                                consumer=bool(inv.customer_consumer))
        # issued or void: the number and the days were frozen at issue
        assert inv.issue_date is not None and inv.due_date is not None and inv.number
        issue, due, number = inv.issue_date, inv.due_date, inv.number
        installments = tuple(doc.Installment(i.label, i.due_date, i.amount_minor, i.paid_minor)
                             for i in inv.installments if i.plan_id is None)
        late_rule, consumer = inv.late_rule, bool(inv.customer_consumer)
        note = session.scalars(select(CreditNote).where(CreditNote.invoice_id == inv.id)
                               .order_by(CreditNote.id)).first()
        if inv.state == Lifecycle.VOID and note is not None:
            cancelled_by = doc.CreditNoteRef(note.number, note.issue_date)
    assert issue is not None and due is not None and number is not None
    t = Lang(customer.language, customer.babel_locale)
    supply = inv.supply_date if inv.state != Lifecycle.DRAFT or inv.period_start else (
        inv.supply_date or issue)
    return doc.Invoice(
        company=company_doc(company), customer=customer,
        number=number, issue_date=issue, due_date=due, currency=inv.currency,
        lines=tuple(doc.InvoiceLine.from_line(ln, inv.currency) for ln in stored_lines(inv)),
        bands=invoice_bands(inv), subtotal_minor=inv.subtotal_minor,
        tax_minor=inv.tax_minor, total_minor=inv.total_minor, terms=terms,
        installments=installments if len(installments) > 1 else (),
        payment_reference=grouped(inv.payment_reference) if inv.payment_reference else "",
        supply_date=supply, period_start=inv.period_start, period_end=inv.period_end,
        buyer_reference=inv.buyer_reference, order_reference=inv.order_reference,
        mark=doc.Mark.VOID if cancelled_by else doc.Mark.ORIGINAL, cancelled_by=cancelled_by,
        late_interest=late_interest_text(session, t, late_rule, consumer, due),
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


def stored_invoice_pdf(session: Session, invoice_id: int) -> bytes | None:
    return session.scalars(
        select(StoredDocument.pdf).where(StoredDocument.invoice_id == invoice_id,
                                         StoredDocument.kind == "invoice")
        .order_by(StoredDocument.id).limit(1)
    ).first()


def invoice_pdf(books: Books, invoice_id: int, as_of: date) -> bytes:
    """A draft as it would be issued; an issued invoice's stored original, exactly as
    issued, until PaidUp has sent it, and stamped as a copy after (a reprint is never a
    second original); a void invoice rendered again, saying which credit note cancelled it
    and asking for nothing."""
    with books.db.read() as session:
        company = the_company(session)
        inv = _load(session, invoice_id)
        if inv.state == Lifecycle.ISSUED and (stored := stored_invoice_pdf(session, invoice_id)):
            if not _went_out(session, inv):
                return stored
            t = Lang(inv.customer_language, inv.customer_language)
            assert inv.issue_date is not None
            return rendering.mark_as_copy(stored, t("COPY"), t(
                "Copy of the document issued on %(date)s", date=t.date(inv.issue_date)))
        return rendering.render_invoice(invoice_doc(session, company, inv, as_of))


def _went_out(session: Session, inv: Invoice) -> bool:
    """Whether the follow-up has sent the invoice itself (its policy's stage on issue)."""
    policy = policies_for(session, [inv.customer_id]).get(inv.customer_id)
    if policy is None or policy.on_issue is None:
        return False
    return session.scalar(
        select(FollowupRecord.id).join(Installment, Installment.id == FollowupRecord.installment_id)
        .where(Installment.invoice_id == inv.id, FollowupRecord.stage == policy.on_issue.name,
               FollowupRecord.outcome == "done").limit(1)) is not None


def original_invoice_pdf(books: Books, invoice_id: int) -> bytes | None:
    """Exactly the bytes the customer received when the invoice was issued."""
    with books.db.read() as session:
        return stored_invoice_pdf(session, invoice_id)


def credit_note_doc(session: Session, company: Company, note: CreditNote) -> doc.CreditNote:
    inv = _load(session, note.invoice_id)
    assert inv.number is not None and inv.issue_date is not None
    customer = doc.Customer(name=inv.customer_name, address=_address(inv.customer_address),
                            language=inv.customer_language, vat_id=inv.customer_vat_id,
                            number=inv.customer_number, country=inv.customer_country)
    return doc.CreditNote(company=company_doc(company), customer=customer, number=note.number,
                          issue_date=note.issue_date, invoice_number=inv.number,
                          invoice_date=inv.issue_date, currency=note.currency,
                          reason=note.reason,
                          bands=credit_bands(invoice_bands(inv), note.amount_minor),
                          supply_date=inv.supply_date, period_start=inv.period_start,
                          period_end=inv.period_end, buyer_reference=inv.buyer_reference,
                          order_reference=inv.order_reference)


def credit_note_filenames(number: str) -> tuple[str, ...]:
    """The name a credit note's PDF is kept under (made safe from the number, or as the
    number stood, for one kept before)."""
    return tuple(dict.fromkeys((files.file_name(number, ".pdf"), f"{number}.pdf")))


def credit_note_pdf(books: Books, credit_note_id: int) -> bytes:
    """The credit note as stored when the invoice was voided (rendered if it predates)."""
    with books.db.read() as session:
        note = session.get(CreditNote, credit_note_id)
        if note is None:
            raise NotFound("credit-note", N_("no credit note with id {id}"),
                           id=str(credit_note_id))
        stored = session.scalars(
            select(StoredDocument.pdf).where(StoredDocument.invoice_id == note.invoice_id,
                                             StoredDocument.kind == "credit_note",
                                             StoredDocument.filename.in_(
                                                 credit_note_filenames(note.number)))
            .limit(1)).first()
        if stored is not None:
            return stored
        return rendering.render_credit_note(credit_note_doc(session, the_company(session),
                                                            note))


def _load(session: Session, invoice_id: int) -> Invoice:
    require_invoice(session, invoice_id)
    return session.scalars(
        select(Invoice).where(Invoice.id == invoice_id)
        .options(selectinload(Invoice.lines), selectinload(Invoice.installments))
    ).one()


def letter_items(inv: Invoice, terms: PaymentTerms, as_of: date,
                 interest_rate: InterestRate | None,
                 installments: Sequence[Installment] | None = None,
                 settlements: Mapping[int, Sequence[tuple[date, int]]] | None = None
                 ) -> list[doc.LetterItem]:
    """``interest_rate``: the invoice's, when the letter asks for interest; ``settlements``:
    what reduced each installment's debt, by day (interest is on each day's balance;
    without them, on what is open now)."""
    items = []
    for inst in installments if installments is not None else inv.installments:
        if inst.open_minor <= 0:
            continue
        interest = None
        if interest_rate is not None:
            paid = list((settlements or {}).get(inst.id, ()))
            principal = inst.open_minor + sum(minor for _, minor in paid)
            first = first_interest_day(inst.due_date, terms.grace_days)
            interest = interest_calc(
                interest_rate, principal, paid, first, as_of,
                accrued_interest_minor(principal, paid, interest_rate, first, as_of))
        assert inv.number is not None and inv.issue_date is not None
        items.append(doc.LetterItem(
            invoice_number=inv.number, issue_date=inv.issue_date, due_date=inst.due_date,
            open_minor=inst.open_minor,
            installment_label=inst.label if len(inv.installments) > 1 else "",
            interest=interest,
        ))
    return items


REMINDER_DAYS = 10  # a second reminder names a real date to pay by, this many days ahead


def letter_doc(company: Company, customer: Customer, stage: str, as_of: date,
               items: Sequence[doc.LetterItem], currency: str, fee_minor: int = 0,
               template: str | None = None, *, late: LateCharges | None = None,
               reminders: Sequence[doc.ReminderSent] = (),
               enclosures: Sequence[bytes] = ()) -> doc.Letter:
    """``late``: the invoice's late charges: the letter repeats the fee rule when it charges
    a fee, and names the law of statutory terms; ``reminders``: what the customer actually
    received before."""
    final = stage in ("final_notice", "handover")
    deadline = as_of + timedelta(days=FINAL_NOTICE_DAYS) if final else (
        as_of + timedelta(days=REMINDER_DAYS) if stage == "reminder_2" else None)
    fee = late if late is not None and fee_minor > 0 else None
    return doc.Letter(
        stage=doc.Stage(stage), company=company_doc(company),
        customer=customer_doc(customer),
        letter_date=as_of, currency=currency, contact=contact_doc(company), items=tuple(items),
        fee_minor=fee_minor, deadline=deadline,
        next_step=default_next_step(customer.language) if final else "", template=template,
        enclosures=tuple(enclosures), reminders=tuple(reminders),
        fee_rule=fee.fee_rule if fee else "", fee_rate_minor=fee.fee_minor if fee else 0,
        late_law=late.law if late is not None else "",
    )


def reminders_received(session: Session, policy: Policy | None,
                       installment_ids: Sequence[int], stage: str) -> list[doc.ReminderSent]:
    """The written reminders the customer actually received about these installments before
    a letter of ``stage`` (none passed over), from the follow-up records."""
    if policy is None:
        return []
    records = session.execute(
        select(FollowupRecord.stage, FollowupRecord.recorded_on, FollowupRecord.channels)
        .where(FollowupRecord.installment_id.in_(list(installment_ids)),
               FollowupRecord.outcome == "done")).all()
    return [doc.ReminderSent(name, day) for name, day in reminders_before(
        policy, stage, ((name, day, tuple(channels.split(","))) for name, day, channels
                        in records))]


def invoice_copies(session: Session, invoice_ids: Sequence[int]) -> list[bytes]:
    """The invoices as issued, each stamped as a copy: what a letter encloses."""
    out = []
    for invoice_id in dict.fromkeys(invoice_ids):
        stored = stored_invoice_pdf(session, invoice_id)
        inv = session.get(Invoice, invoice_id)
        if stored is None or inv is None or inv.issue_date is None:
            continue
        t = Lang(inv.customer_language, inv.customer_language)
        out.append(rendering.mark_as_copy(stored, t("COPY"), t(
            "Copy of the document issued on %(date)s", date=t.date(inv.issue_date))))
    return out


def interest_calc(rate: Decimal | InterestRate, principal_minor: int,
                  reductions: Sequence[tuple[date, int]], first_day: date, as_of: date,
                  amount_minor: int) -> doc.InterestCalc | None:
    """How the interest a letter asks for was computed: on each day's balance, at each
    day's rate."""
    pieces = interest_per_stretch(principal_minor, reductions, rate, first_day, as_of)
    if not pieces or amount_minor <= 0:
        return None
    last = pieces[-1][0]
    return doc.InterestCalc(
        last.rate_percent or Decimal(0), sum(s.days for s, _ in pieces), last.balance_minor,
        amount_minor, tuple(doc.InterestStretch(s.days, s.balance_minor, share, s.rate_percent)
                            for s, share in pieces))


def letter_pdf(books: Books, invoice_id: int, stage: str, as_of: date) -> bytes:
    """One letter for one invoice, for printing by hand (the follow-up run makes its own)."""
    if stage not in LETTER_STAGES:
        raise ValidationError("stage", N_("'{stage}' is not one of {stages}"), stage=stage,
                              stages=", ".join(LETTER_STAGES))
    with books.db.read() as session:
        company = the_company(session)
        inv = _load(session, invoice_id)
        if inv.state != Lifecycle.ISSUED:
            raise RuleViolation(N_("invoice {invoice} is {state}; letters are for issued "
                                   "invoices"), invoice=str(inv.number or inv.id),
                                state=lifecycle_word(inv.state))
        terms = invoice_terms(session, company, inv)
        late = stage in LATE_STAGES
        charges = invoice_late_charges(inv, base_rates(session))
        overdue = [i for i in inv.installments if i.due_date < as_of]
        items = letter_items(inv, terms, as_of, charges.interest if late else None,
                             overdue or None,
                             settlements(session, [i.id for i in inv.installments]))
        if not items:
            raise RuleViolation(N_("invoice {number} has nothing open to remind of"),
                                number=str(inv.number))
        customer = require_customer(session, inv.customer_id)
        ids = [i.id for i in (overdue or inv.installments)]
        policy = policies_for(session, [customer.id]).get(customer.id)
        return rendering.render_letter(letter_doc(
            company, customer, stage, as_of, items, inv.currency,
            charges.fee_minor if late else 0, late=charges,
            reminders=reminders_received(session, policy, ids, stage),
            enclosures=invoice_copies(session, [inv.id]) if stage == "reminder_1" else ()))


def deposit_request_pdf(books: Books, invoice_id: int, as_of: date) -> bytes:
    """A letter asking for the deposit before work starts: the first installment
    of an issued invoice paid in several, while it is still open."""
    with books.db.read() as session:
        company = the_company(session)
        inv = _load(session, invoice_id)
        if inv.state != Lifecycle.ISSUED:
            raise RuleViolation(N_("invoice {invoice} is {state}; a deposit request is for an "
                                   "issued invoice"), invoice=str(inv.number or inv.id),
                                state=lifecycle_word(inv.state))
        first = min(inv.installments, key=lambda i: (i.due_date, i.position))
        if len(inv.installments) < 2 or first.open_minor <= 0:
            raise RuleViolation(N_("invoice {number} has no open deposit: give it a schedule "
                                   "with a deposit (such as 30/30/40)"), number=str(inv.number))
        assert inv.number is not None
        customer = require_customer(session, inv.customer_id)
        reader = customer_doc(customer)
        t = Lang(reader.language, reader.babel_locale)
        terms = invoice_terms(session, company, inv)
        # The order or quote it is for names the request; due as the terms say from the
        # letter's day, never before the schedule's date.
        order = inv.order_reference or inv.buyer_reference or inv.number
        due = max(first.due_date, as_of + timedelta(days=terms.net_days))
        # One line names what the deposit is for; several are named by the invoice.
        what = inv.lines[0].description if len(inv.lines) == 1 else t(
            "Invoice %(number)s", number=inv.number)
        deposit = doc.DepositRequest(order, f"{what} — {t.label(first.label)}",
                                     first.open_minor, due)
        return rendering.render_letter(doc.Letter(
            stage=doc.Stage.DEPOSIT_REQUEST, company=company_doc(company),
            customer=reader, letter_date=as_of, currency=inv.currency,
            contact=contact_doc(company), deposit=deposit, payment_reference=inv.number))


def agreement_pdf(books: Books, plan_id: int) -> bytes:
    """The payment plan's agreement as it was stored when the plan was made."""
    with books.db.read() as session:
        plan = session.get(PaymentPlanRow, plan_id)
        if plan is None:
            raise NotFound("plan", N_("no payment plan with id {id}"), id=str(plan_id))
        stored = session.scalars(
            select(StoredDocument.pdf).where(StoredDocument.invoice_id == plan.invoice_id,
                                             StoredDocument.kind == "agreement")
            .order_by(StoredDocument.id.desc()).limit(1)).first()
        if stored is None:
            raise NotFound("plan", N_("payment plan {id} has no stored agreement"),
                           id=str(plan_id))
        return stored


def one_print_job(pdfs: Sequence[bytes], title: str = "Letters") -> bytes:
    """Several letters as one PDF, for one print job."""
    return pdfs[0] if len(pdfs) == 1 else rendering.merge_pdfs(pdfs, title=title)


def statement_doc(session: Session, company: Company, customer: Customer, as_of: date,
                  start: date | None = None) -> doc.Statement:
    """Movements from ``start`` (1 January of the as-of year) with the balance brought
    forward, and the open installments, each labelled."""
    start = start or date(as_of.year, 1, 1)
    invoices = list(session.scalars(
        select(Invoice).where(Invoice.customer_id == customer.id, Invoice.state != Lifecycle.DRAFT,
                              Invoice.issue_date <= as_of)
        .options(selectinload(Invoice.installments)).order_by(Invoice.issue_date, Invoice.id)))
    items = []
    movements: list[doc.StatementEntry] = []
    for inv in invoices:
        assert inv.number is not None and inv.issue_date is not None
        movements.append(doc.StatementEntry(inv.issue_date, "invoice", inv.number,
                                            debit_minor=inv.total_minor))
        if inv.state != Lifecycle.ISSUED:
            continue
        several = len(inv.installments) > 1
        for inst in inv.installments:
            if inst.open_minor > 0:
                items.append(doc.StatementItem(inv.number, inv.issue_date, inst.due_date,
                                               inst.amount_minor, inst.open_minor,
                                               inst.label if several else ""))
    movements += _credits(session, customer.id, as_of)
    movements.sort(key=lambda e: (e.on, e.kind != "invoice"))
    opening = sum(e.debit_minor - e.credit_minor for e in movements if e.on < start)
    return doc.Statement(
        company=company_doc(company), customer=customer_doc(customer),
        as_of=as_of, currency=company.currency, items=tuple(items), period_start=start,
        opening_minor=opening, entries=tuple(e for e in movements if e.on >= start),
    )


def _credits(session: Session, customer_id: int, as_of: date) -> list[doc.StatementEntry]:
    """Payments, discounts, credit notes, write-offs (credits) and late charges (debits)."""
    out = [doc.StatementEntry(on, "payment", reference or "", credit_minor=amount)
           for on, reference, amount in session.execute(
               select(Payment.paid_on, Payment.reference, Payment.amount_minor)
               .where(Payment.customer_id == customer_id, Payment.paid_on <= as_of))]
    out += [doc.StatementEntry(on, "discount", number or "", credit_minor=int(amount))
            for on, number, amount in session.execute(
                select(Payment.paid_on, Invoice.number, func.sum(Allocation.amount_minor))
                .join(Allocation, Allocation.payment_id == Payment.id)
                .join(Installment, Installment.id == Allocation.installment_id)
                .join(Invoice, Invoice.id == Installment.invoice_id)
                .where(Payment.customer_id == customer_id, Allocation.kind == "discount",
                       Payment.paid_on <= as_of)
                .group_by(Payment.id, Payment.paid_on, Invoice.number))]
    out += [doc.StatementEntry(on, "credit_note", number, credit_minor=amount)
            for on, number, amount in session.execute(
                select(CreditNote.issue_date, CreditNote.number, CreditNote.amount_minor)
                .join(Invoice, Invoice.id == CreditNote.invoice_id)
                .where(Invoice.customer_id == customer_id, CreditNote.issue_date <= as_of))]
    out += [doc.StatementEntry(on, "write_off", number or "", credit_minor=amount)
            for on, number, amount in session.execute(
                select(WriteOff.written_on, Invoice.number, WriteOff.amount_minor)
                .join(Invoice, Invoice.id == WriteOff.invoice_id)
                .where(Invoice.customer_id == customer_id, WriteOff.written_on <= as_of))]
    out += [doc.StatementEntry(on, "charge", number or "", debit_minor=amount)
            for on, number, amount in session.execute(
                select(Charge.charged_on, Invoice.number, Charge.amount_minor)
                .join(Installment, Installment.id == Charge.installment_id)
                .join(Invoice, Invoice.id == Installment.invoice_id)
                .where(Invoice.customer_id == customer_id, Charge.charged_on <= as_of))]
    return out


def statement_pdf(books: Books, customer_id: int, as_of: date, start: date | None = None
                  ) -> bytes:
    if start is not None and start > as_of:
        raise ValidationError("from", N_("the period must start on or before its last day"))
    with books.db.read() as session:
        company = the_company(session)
        customer = require_customer(session, customer_id)
        return rendering.render_statement(statement_doc(session, company, customer, as_of,
                                                        start))


def dossier_doc(session: Session, company: Company, inv: Invoice, as_of: date) -> doc.Dossier:
    """The customer's open invoices with every document sent about them (exact copies, with
    their fingerprints), the log and a statement."""
    customer = require_customer(session, inv.customer_id)
    invoices = list(session.scalars(
        select(Invoice).where(Invoice.customer_id == customer.id,
                              OPEN_INVOICE | (Invoice.id == inv.id))
        .order_by(Invoice.issue_date, Invoice.id)))
    ids = [i.id for i in invoices]
    numbers = {i.id: i.number or "" for i in invoices}
    rows = session.execute(
        select(StoredDocument, Activity.invoice_id)
        .join(Activity, Activity.document_id == StoredDocument.id, isouter=True)
        .where(or_(StoredDocument.invoice_id.in_(ids), Activity.invoice_id.in_(ids)),
               StoredDocument.kind.in_(("invoice", "einvoice", "letter", "agreement",
                                        "credit_note")))
        .order_by(StoredDocument.created_on, StoredDocument.id)).all()
    stored_by_id: dict[int, StoredDocument] = {}
    concerns: dict[int, set[str]] = {}
    for stored, invoice_id in rows:
        stored_by_id[stored.id] = stored
        concerns.setdefault(stored.id, set()).update(
            numbers[i] for i in (stored.invoice_id, invoice_id) if i in numbers)
    copies = [doc.SentCopy(s.created_on, s.kind, s.stage, ", ".join(sorted(concerns[s.id])),
                           s.sha256, s.pdf, s.filename) for s in stored_by_id.values()]
    received = {r.invoice_id: r for r in session.scalars(
        select(InvoiceReceipt).where(InvoiceReceipt.invoice_id.in_(ids)))}
    activity = session.execute(
        select(Activity.happened_on, Activity.kind, Activity.summary)
        .where(Activity.customer_id == customer.id,
               or_(Activity.invoice_id.in_(ids), Activity.invoice_id.is_(None)))
        .order_by(Activity.happened_on, Activity.id)).all()
    return doc.Dossier(
        company=company_doc(company),
        customer=customer_doc(customer),
        as_of=as_of,
        invoices=tuple(_dossier_invoice(i, received.get(i.id))
                       for i in invoices if i.issue_date and i.due_date),
        copies=tuple(copies),
        activity=tuple(doc.ActivityEntry(on, kind, summary) for on, kind, summary in activity),
        statement=statement_doc(session, company, customer, as_of),
        credit=_credit_records(session, customer.id, company.currency),
    )


def _credit_records(session: Session, customer_id: int, currency: str
                    ) -> tuple[doc.CreditRecord, ...]:
    """The customer's credit applications, oldest first, each with the references called and
    the documents kept (their names and fingerprints; the files stay in the books)."""
    applications = list(session.scalars(select(CreditApplication).where(
        CreditApplication.customer_id == customer_id).order_by(CreditApplication.opened_on,
                                                                 CreditApplication.id)))
    if not applications:
        return ()
    ids = [a.id for a in applications]
    references: dict[int, list[doc.CreditReferenceCall]] = {}
    for ref in session.scalars(select(CreditReference).where(
            CreditReference.application_id.in_(ids)).order_by(CreditReference.called_on,
                                                               CreditReference.id)):
        references.setdefault(ref.application_id, []).append(doc.CreditReferenceCall(
            ref.called_on, ref.company, ref.person, ref.phone, ref.said))
    documents: dict[int, list[doc.CreditDocumentKept]] = {}
    for application_id, added_on, kind, filename, sha256 in session.execute(
            select(CreditDocument.application_id, CreditDocument.added_on, CreditDocument.kind,
                   CreditDocument.filename, CreditDocument.sha256)  # not the files themselves
            .where(CreditDocument.application_id.in_(ids))
            .order_by(CreditDocument.added_on, CreditDocument.id)):
        documents.setdefault(application_id, []).append(doc.CreditDocumentKept(
            added_on, kind, filename, sha256))
    return tuple(doc.CreditRecord(
        opened_on=a.opened_on, state=a.state, currency=currency, decided_on=a.decided_on,
        decided_by=a.decided_by, limit_minor=a.limit_minor, terms=a.terms_name,
        review_on=a.review_on, note=a.note, references=tuple(references.get(a.id, ())),
        documents=tuple(documents.get(a.id, ()))) for a in applications)


def _dossier_invoice(inv: Invoice, receipt: InvoiceReceipt | None) -> doc.DossierInvoice:
    assert inv.issue_date is not None and inv.due_date is not None
    if receipt is None:
        return doc.DossierInvoice(inv.number or "", inv.issue_date, inv.due_date,
                                  inv.total_minor, inv.currency)
    return doc.DossierInvoice(inv.number or "", inv.issue_date, inv.due_date,
                              inv.total_minor, inv.currency, receipt.received_on,
                              receipt.received_by, receipt.via)


def dossier_pdf(books: Books, invoice_id: int, as_of: date) -> bytes:
    with books.db.read() as session:
        company = the_company(session)
        inv = require_invoice(session, invoice_id)
        if inv.state == Lifecycle.DRAFT:
            raise RuleViolation(N_("invoice {invoice} is a draft; a dossier is for issued "
                                   "invoices"), invoice=str(inv.id))
        return rendering.render_dossier(dossier_doc(session, company, inv, as_of))

"""Quotes: made, sent, accepted into a draft invoice with its deposit request, declined with
the reason; and what became of them in value. Their follow-up is ``quote_followup``."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session, selectinload

from desktop_app import documents as rendering  # the renderers load on first use
from desktop_app import messages
from desktop_app.documents import data as doc
from desktop_app.documents import quote_data as quote_text
from desktop_app.documents.i18n import Lang
from desktop_app.domain import quotes as rules
from desktop_app.domain.errors import NotFound, RuleViolation, ValidationError, clause
from desktop_app.domain.lines import Line, line_tax_shares, totals
from desktop_app.domain.money import from_minor
from desktop_app.domain.schedule import build_schedule, shares_for
from desktop_app.domain.vat import VatCategory
from desktop_app.messages import N_, Amount, Said
from desktop_app.services import activity, credit_applications
from desktop_app.services.books import Books, audit, require_customer, the_company
from desktop_app.services.changes import OpChanges, states
from desktop_app.services.documents import (
    billing_contact,
    company_doc,
    contact_doc,
    customer_doc,
    store_document,
)
from desktop_app.services.invoice_lookup import customer_draft_terms, draft_terms
from desktop_app.services.invoices import (
    DraftInput,
    LineInput,
    add_draft,
    parse_lines,
    tax_context,
)
from desktop_app.storage.models import (
    Company,
    Customer,
    Invoice,
    Quote,
    QuoteLine,
    QuoteStep,
    Setting,
    StoredDocument,
)
from desktop_app.storage.numbering import check_pattern, format_number, next_value
from desktop_app.storage.tables import quotes as quotes_table

SETTINGS_KEY = "quotes"
STATUSES = tuple(s.value for s in rules.QuoteStatus)
SEND_BY = ("email", "hand")


# --- settings ---------------------------------------------------------------------------------

# A quote's changes reach its customer, the draft invoice accepting it makes and the day's list.
QUOTE_CHANGES = OpChanges.CUSTOMERS | OpChanges.INVOICES | OpChanges.FOLLOWUP


@dataclass(frozen=True)
class QuoteSettings:
    validity_days: int = rules.DEFAULT_VALIDITY_DAYS
    schedule: str = rules.DEFAULT_SCHEDULE
    number_format: str = rules.DEFAULT_NUMBER_FORMAT
    ladder: tuple[rules.Step, ...] = rules.DEFAULT_LADDER


def quote_settings(session: Session) -> QuoteSettings:
    row = session.get(Setting, SETTINGS_KEY)
    if row is None:
        return QuoteSettings()
    body = json.loads(row.value)
    ladder = body.get("ladder")
    return QuoteSettings(
        validity_days=int(body.get("validity_days", rules.DEFAULT_VALIDITY_DAYS)),
        schedule=str(body.get("schedule", rules.DEFAULT_SCHEDULE)),
        number_format=str(body.get("number_format", rules.DEFAULT_NUMBER_FORMAT)),
        ladder=rules.ladder_from_list(ladder) if ladder else rules.DEFAULT_LADDER)


def get_settings(books: Books) -> QuoteSettings:
    with books.db.read() as session:
        return quote_settings(session)


@states(OpChanges.SETTINGS)
def set_settings(books: Books, *, validity_days: int | None = None,
                 schedule: str | None = None, number_format: str | None = None,
                 ladder: Sequence[dict[str, Any]] | None = None) -> QuoteSettings:
    """Change what new quotes get: validity, the schedule asked on acceptance, the number
    pattern, the follow-up ladder."""
    with books.db.write() as session:
        now = quote_settings(session)
        if validity_days is not None:
            rules.check_validity(validity_days)
        if schedule is not None:
            shares_for(schedule, date(2000, 1, 1), 30)
        if number_format is not None:
            check_pattern(number_format)
        new = QuoteSettings(
            validity_days=now.validity_days if validity_days is None else validity_days,
            schedule=now.schedule if schedule is None else schedule.strip(),
            number_format=now.number_format if number_format is None else number_format,
            ladder=now.ladder if ladder is None else rules.ladder_from_list(ladder))
        body = json.dumps({"validity_days": new.validity_days, "schedule": new.schedule,
                           "number_format": new.number_format,
                           "ladder": rules.ladder_to_list(new.ladder)})
        row = session.get(Setting, SETTINGS_KEY)
        if row is None:
            session.add(Setting(key=SETTINGS_KEY, value=body))
        else:
            row.value = body
        audit(session, books, "quotes.settings", "settings", None, json.loads(body))
        return new


# --- views ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class QuoteLineInput:
    """A line as an invoice line, with its stock or lead-time note."""

    line: str | LineInput
    availability: str = ""


@dataclass(frozen=True)
class QuoteInput:
    customer_id: int
    lines: Sequence[str | QuoteLineInput]
    valid_days: int | None = None  # None: the setting
    schedule: str | None = None  # None: the setting; "" or "single": no deposit
    note: str = ""


@dataclass(frozen=True)
class QuoteLineView:
    description: str
    quantity: Decimal
    unit: str
    unit_price: Decimal
    tax_percent: Decimal
    net: Decimal
    availability: str


@dataclass(frozen=True)
class QuoteStepView:
    step: str
    outcome: str
    channel: str
    recorded_on: date
    closed_on: date | None
    note: str
    said: Said | None = field(default=None, compare=False, metadata={"window": True})


@dataclass(frozen=True)
class QuoteRow:
    id: int
    number: str
    customer_id: int
    customer_name: str
    quote_date: date
    valid_until: date
    status: str
    total: Decimal
    currency: str
    days_left: int


@dataclass(frozen=True)
class QuoteView:
    id: int
    number: str
    customer_id: int
    customer_name: str
    language: str
    quote_date: date
    valid_until: date
    status: str
    currency: str
    subtotal: Decimal
    tax: Decimal
    total: Decimal
    schedule: str
    deposit: Decimal
    sent_on: date | None
    closed_on: date | None
    decline_reason: str
    invoice_id: int | None
    note: str
    days_left: int
    allowed_actions: tuple[str, ...]
    lines: tuple[QuoteLineView, ...] = ()
    steps: tuple[QuoteStepView, ...] = ()
    # While undecided: what the invoice it becomes would meet for the customer's credit (no
    # credit decision, on hold, near or over the limit), in English and as a message.
    credit_flag: str = ""
    credit_said: Said | None = field(default=None, compare=False, metadata={"window": True})


@dataclass(frozen=True)
class AcceptedView:
    quote: QuoteView
    invoice_id: int
    deposit_letter_id: int | None  # the stored deposit request; None without a deposit
    letter: bytes = field(default=b"", repr=False)
    # Why the draft invoice cannot be issued as it is (the customer's credit), if it cannot.
    warning: str = ""
    warning_said: Said | None = field(default=None, compare=False, metadata={"window": True})


def require_quote(session: Session, quote_id: int, lock: bool = False) -> Quote:
    query = select(Quote).where(Quote.id == quote_id).options(selectinload(Quote.lines))
    if lock:
        query = query.with_for_update()
    quote = session.scalars(query).first()
    if quote is None:
        raise NotFound("quote", N_("no quote with id {id}"), id=str(quote_id))
    return quote


def _lines_of(quote: Quote) -> list[Line]:
    return [Line(ln.description, ln.quantity, ln.unit_price, ln.tax_percent,
                 ln.discount_percent, ln.unit, VatCategory(ln.vat_category),
                 ln.exemption_reason) for ln in quote.lines]


def _schedule(quote: Quote, start: date, net_days: int) -> list[quote_text.SchedulePart]:
    """Each share asked on acceptance: label, percent, amount and when it falls due."""
    shares = shares_for(quote.schedule_spec, start, net_days)
    plan = build_schedule(quote.total_minor, quote.schedule_spec, start, net_days)
    total = sum((s.weight for s in shares), Decimal(0))
    return [quote_text.SchedulePart(
                s.label, (s.weight * 100 / total).quantize(Decimal("0.01")).normalize(),
                p.amount_minor, s.when) for s, p in zip(shares, plan, strict=True)]


def _deposit_minor(quote: Quote) -> int:
    deposit = quote_text.deposit_of(_schedule(quote, quote.quote_date, 30))
    return deposit.amount_minor if deposit else 0


def _credit_warning(session: Session, company: Company, customer: Customer,
                    total_minor: int, schedule: str | None, day: date) -> Said | None:
    """What the invoice a quote becomes would meet for the customer's credit: the draft
    accepting it makes has the quote's schedule and the customer's terms."""
    terms = customer_draft_terms(session, company, customer, None)
    plan = build_schedule(total_minor, schedule, day, terms.net_days)
    return credit_applications.draft_warning(session, customer, total_minor, plan, day,
                                             company.currency, document="quote")


def quote_view(session: Session, quote: Quote, as_of: date) -> QuoteView:
    steps = session.scalars(select(QuoteStep).where(QuoteStep.quote_id == quote.id)
                            .order_by(QuoteStep.id))
    now = rules.status(quote.state, quote.valid_until, as_of)
    cur = quote.currency
    flag = None
    if now in (rules.QuoteStatus.OPEN, rules.QuoteStatus.SENT):  # still to be decided
        flag = _credit_warning(session, the_company(session),
                               require_customer(session, quote.customer_id), quote.total_minor,
                               quote.schedule_spec, as_of)
    return QuoteView(
        id=quote.id, number=quote.number, customer_id=quote.customer_id,
        customer_name=quote.customer_name, language=quote.customer_language,
        quote_date=quote.quote_date, valid_until=quote.valid_until, status=now.value,
        currency=cur, subtotal=from_minor(quote.subtotal_minor, cur),
        tax=from_minor(quote.tax_minor, cur), total=from_minor(quote.total_minor, cur),
        schedule=quote.schedule_spec, deposit=from_minor(_deposit_minor(quote), cur),
        sent_on=quote.sent_on, closed_on=quote.closed_on,
        decline_reason=quote.decline_reason, invoice_id=quote.invoice_id, note=quote.note,
        days_left=(quote.valid_until - as_of).days,
        allowed_actions=rules.allowed_actions(quote.state, quote.valid_until, as_of),
        lines=tuple(QuoteLineView(ln.description, ln.quantity, ln.unit, ln.unit_price,
                                  ln.tax_percent, from_minor(ln.net_minor, cur),
                                  ln.availability) for ln in quote.lines),
        steps=tuple(QuoteStepView(s.step, s.outcome, s.channel, s.recorded_on, s.closed_on,
                                  s.note, messages.stored(s.note_message, s.note_params))
                    for s in steps),
        credit_flag=messages.english(flag) if flag is not None else "", credit_said=flag)


# --- making a quote ---------------------------------------------------------------------------

def _split(spec: str | QuoteLineInput, position: int) -> tuple[str | LineInput, str]:
    """A CLI line may carry its availability as a seventh field:
    DESC|QTY|UNIT_PRICE|TAX_PERCENT|UNIT|CATEGORY|AVAILABILITY."""
    if isinstance(spec, QuoteLineInput):
        return spec.line, rules.availability(spec.availability, position)
    parts = spec.split("|")
    if len(parts) == 7:
        return "|".join(parts[:6]), rules.availability(parts[6], position)
    return spec, ""


def _given_lines(given: Sequence[str | QuoteLineInput]) -> list[tuple[str | LineInput, str]]:
    """The lines typed, blank ones left out, each with its availability note; a malformed
    line is refused before the books are opened."""
    split = [_split(spec, n) for n, spec in enumerate(given, 1)]
    split = [(line, note) for line, note in split
             if not (isinstance(line, LineInput) and line.is_blank)]
    parse_lines([line for line, _ in split])
    return split


@states(QUOTE_CHANGES)
def add_quote(books: Books, quote_in: QuoteInput) -> QuoteView:
    """A quote numbered in its own gapless series, dated the books' day and valid for the
    days given (the setting when none)."""
    split = _given_lines(quote_in.lines)
    note = quote_in.note.strip()
    if len(note) > 2000:
        raise ValidationError("note", N_("is longer than 2000 characters"))
    with books.db.write() as session:
        company = the_company(session)
        settings = quote_settings(session)
        customer = require_customer(session, quote_in.customer_id)
        lines = parse_lines([line for line, _ in split], tax_context(company, customer))
        today = books.today()
        days = settings.validity_days if quote_in.valid_days is None else quote_in.valid_days
        schedule = settings.schedule if quote_in.schedule is None else quote_in.schedule
        terms = draft_terms(session, company, customer.terms_id)
        shares_for(schedule, today, terms.net_days)
        seq = next_value(session, company.id, "quote", today.year)
        quote = Quote(
            company_id=company.id, customer_id=customer.id,
            number=format_number(settings.number_format, today.year, seq), quote_date=today,
            valid_until=rules.valid_until(today, days), currency=company.currency,
            schedule_spec=(schedule or "").strip(), state=rules.QuoteStatus.OPEN.value,
            decline_reason="", customer_name=customer.name,
            customer_address=customer.address, customer_language=customer.language,
            note=note, created_at=books.clock())
        _set_lines(quote, lines, [n for _, n in split])
        session.add(quote)
        session.flush()
        activity.log(session, books, customer_id=customer.id, kind="document",
                     message=N_("Quote {number} made: {amount}, valid until {day}"),
                     values={"number": quote.number, "day": quote.valid_until,
                             "amount": Amount(from_minor(quote.total_minor, quote.currency),
                                              quote.currency)},
                     on=today)
        audit(session, books, "quote.add", "quote", quote.id,
              {"number": quote.number, "total_minor": quote.total_minor})
        return quote_view(session, quote, today)


def credit_flag(books: Books, quote_in: QuoteInput) -> Said | None:
    """The credit warning for a quote being typed (the window's form asks as lines, customer
    and schedule change): as the quote would show it once made."""
    split = _given_lines(quote_in.lines)
    with books.db.read() as session:
        company = the_company(session)
        customer = require_customer(session, quote_in.customer_id)
        lines = parse_lines([line for line, _ in split], tax_context(company, customer))
        schedule = quote_settings(session).schedule if quote_in.schedule is None \
            else quote_in.schedule
        return _credit_warning(session, company, customer,
                               totals(lines, company.currency).total_minor, schedule,
                               books.today())


def _set_lines(quote: Quote, lines: list[Line], notes: list[str]) -> None:
    t = totals(lines, quote.currency)
    taxes = line_tax_shares(lines, quote.currency)
    quote.lines = [
        QuoteLine(position=i, description=ln.description, quantity=ln.quantity,
                  unit_price=ln.unit_price, tax_percent=ln.tax_percent,
                  discount_percent=ln.discount_percent, net_minor=ln.net_minor(quote.currency),
                  tax_minor=tax, unit=ln.unit, vat_category=ln.category.value,
                  exemption_reason=ln.exemption_reason, availability=note)
        for i, (ln, tax, note) in enumerate(zip(lines, taxes, notes, strict=True), 1)]
    quote.subtotal_minor, quote.tax_minor, quote.total_minor = (t.subtotal_minor, t.tax_minor,
                                                                t.total_minor)


def show_quote(books: Books, quote_id: int, as_of: date) -> QuoteView:
    with books.db.read() as session:
        return quote_view(session, require_quote(session, quote_id), as_of)


def _status_sql(as_of: date) -> Any:
    """The status as SQL: an undecided quote past its last day has expired."""
    q = quotes_table.c
    return case((q.state.in_(("open", "sent")) & (q.valid_until < as_of), "expired"),
                else_=q.state)


def list_quotes(books: Books, as_of: date, *, status: str | None = None,
                customer_id: int | None = None, limit: int = 1000) -> list[QuoteRow]:
    if status is not None and status not in STATUSES:
        raise ValidationError("status", N_("'{status}' is not one of {statuses}"),
                              status=status, statuses=", ".join(STATUSES))
    q = quotes_table.c
    derived = _status_sql(as_of)
    query = select(q.id, q.number, q.customer_id, q.customer_name, q.quote_date,
                   q.valid_until, derived, q.total_minor, q.currency)
    if status is not None:
        query = query.where(derived == status)
    if customer_id is not None:
        query = query.where(q.customer_id == customer_id)
    query = query.order_by(q.quote_date.desc(), q.id.desc()).limit(limit)
    with books.db.read() as session:
        return [QuoteRow(i, number, cid, name, day, valid, state,
                         from_minor(total, cur), cur, (valid - as_of).days)
                for i, number, cid, name, day, valid, state, total, cur
                in session.execute(query)]


# --- the document -----------------------------------------------------------------------------

def _customer_of(session: Session, quote: Quote) -> doc.Customer:
    """The customer as quoted (name, address, language), reached through today's contact."""
    current = require_customer(session, quote.customer_id)
    now = customer_doc(current)
    return doc.Customer(name=quote.customer_name,
                        address=tuple(x for x in quote.customer_address.splitlines()
                                      if x.strip()),
                        language=quote.customer_language, vat_id=now.vat_id,
                        number=now.number, country=now.country, contact=now.contact,
                        consumer=now.consumer)


def quote_doc(session: Session, company: Company, quote: Quote) -> quote_text.Quote:
    lines = _lines_of(quote)
    terms = draft_terms(session, company, require_customer(session, quote.customer_id).terms_id)
    return quote_text.Quote(
        company=company_doc(company), customer=_customer_of(session, quote),
        number=quote.number, quote_date=quote.quote_date, valid_until=quote.valid_until,
        currency=quote.currency,
        lines=tuple(quote_text.QuoteLine(doc.InvoiceLine.from_line(ln, quote.currency),
                                               row.availability)
                    for ln, row in zip(lines, quote.lines, strict=True)),
        bands=totals(lines, quote.currency).bands, subtotal_minor=quote.subtotal_minor,
        tax_minor=quote.tax_minor, total_minor=quote.total_minor,
        schedule=tuple(_schedule(quote, quote.quote_date, terms.net_days)),
        note=quote.note)


def filename(number: str) -> str:
    safe = "".join(ch if ch.isalnum() or ch in "-_." else "-" for ch in number)
    return f"quote-{safe}.pdf"


def quote_pdf(books: Books, quote_id: int) -> bytes:
    """The quote as it went out once sent (kept byte for byte), else as it would go out."""
    with books.db.read() as session:
        quote = require_quote(session, quote_id)
        if quote.document_id is not None:
            stored = session.get(StoredDocument, quote.document_id)
            if stored is not None:
                return stored.pdf
        return rendering.render_quote(quote_doc(session, the_company(session), quote))


# --- sending ----------------------------------------------------------------------------------

def _recipients(customer: Customer) -> list[str]:
    by_role = [c.email for c in customer.contacts if c.role == "billing" and c.email]
    return by_role or ([customer.email] if customer.email else [])


def queue_mail(session: Session, books: Books, quote: Quote, step: str,
                pdf: bytes | None) -> int:
    """Store the step's email before anything goes out; refused (nothing stored) when mail
    is not set up or the customer has no address."""
    # Loaded here: listing and showing quotes needs no mail code (start-up is most of what
    # a short command costs).
    from desktop_app.mail.message import Attachment, Mailbox
    from desktop_app.services import outbox
    from desktop_app.services.mail import NOT_SET_UP, load_account

    account = load_account(session)
    if account is None:
        raise RuleViolation(NOT_SET_UP)
    customer = require_customer(session, quote.customer_id)
    to = _recipients(customer)
    if not to:
        raise RuleViolation(N_("customer {name} has no email address; add one, or hand the "
                               "quote over yourself (send --by hand)"), name=customer.name)
    company = the_company(session)
    shown = quote_doc(session, company, quote)
    mail = quote_text.quote_mail(step, shown, billing_contact(customer), company.signer_name)
    # The message first: an address it cannot be sent to is refused before anything is kept.
    row = outbox.queue(session, books, account=account, customer_id=customer.id,
                       to=[Mailbox(a) for a in to], cc=[], subject=mail.subject,
                       body=mail.body,
                       attachments=[Attachment(filename(quote.number), pdf)] if pdf else [],
                       language=quote.customer_language, activity_id=None)
    entry = activity.log(session, books, customer_id=customer.id, kind="email",
                         message=N_("Email to {to}: {subject}"),
                         values={"to": ", ".join(to), "subject": mail.subject},
                         on=books.today(), document_id=quote.document_id if pdf else None)
    row.activity_id = entry.id
    return row.id


@states(QUOTE_CHANGES | OpChanges.OUTBOX)
def send_quote(books: Books, quote_id: int, *, by: str = "email") -> QuoteView:
    """Send the quote (queued by email with its PDF, or handed over by the user): the PDF
    is kept with its SHA-256 as the proof of what the customer got, and the ladder starts."""
    if by not in SEND_BY:
        raise ValidationError("by", N_("'{by}' is not one of {ways}"), by=by,
                              ways=", ".join(SEND_BY))
    with books.db.write() as session:
        quote = require_quote(session, quote_id, lock=True)
        today = books.today()
        rules.require_action("send", quote.number, quote.state, quote.valid_until, today)
        company = the_company(session)
        pdf = rendering.render_quote(quote_doc(session, company, quote))
        stored = store_document(session, books, kind="quote", customer_id=quote.customer_id,
                                invoice_id=None, on=today, filename=filename(quote.number),
                                pdf=pdf, stage="sent")
        quote.document_id = stored.id
        quote.state, quote.sent_on = rules.QuoteStatus.SENT.value, today
        if by == "email":
            queue_mail(session, books, quote, "sent", pdf)
        else:
            activity.log(session, books, customer_id=quote.customer_id, kind="document",
                         message=N_("Quote {number} handed over"),
                         values={"number": quote.number}, on=today,
                         document_id=stored.id)
        session.add(QuoteStep(quote_id=quote.id, step="sent", outcome="done", channel=by,
                              recorded_on=today, note=""))
        session.flush()
        audit(session, books, "quote.send", "quote", quote.id, {"by": by},
              sha256=stored.sha256)
        return quote_view(session, quote, today)


# --- the decision -----------------------------------------------------------------------------

@states(QUOTE_CHANGES)
def accept_quote(books: Books, quote_id: int) -> AcceptedView:
    """The customer said yes: a draft invoice with the quote's lines and schedule, and the
    letter asking for the deposit (kept with the draft), in one transaction."""
    with books.db.write() as session:
        quote = require_quote(session, quote_id, lock=True)
        today = books.today()
        rules.require_action("accept", quote.number, quote.state, quote.valid_until, today)
        company = the_company(session)
        lines = [LineInput(description=ln.description, quantity=ln.quantity,
                           unit_price=ln.unit_price, tax_percent=ln.tax_percent,
                           discount_percent=ln.discount_percent, unit=ln.unit,
                           category=ln.vat_category, exemption_reason=ln.exemption_reason)
                 for ln in quote.lines]
        invoice = add_draft(session, books, company, DraftInput(
            customer_id=quote.customer_id, lines=lines,
            schedule=quote.schedule_spec or None))
        warning = _issue_warning(session, company, quote, invoice, today)
        quote.state, quote.closed_on = rules.QuoteStatus.ACCEPTED.value, today
        quote.invoice_id = invoice.id
        close_open_steps(session, quote.id, today, "accepted")
        letter, letter_id = _deposit_letter(session, books, company, quote, invoice.id, today)
        activity.log(session, books, customer_id=quote.customer_id, kind="document",
                     message=N_("Quote {number} accepted: draft invoice {draft}"),
                     values={"number": quote.number, "draft": invoice.id},
                     on=today, invoice_id=invoice.id)
        audit(session, books, "quote.accept", "quote", quote.id,
              {"invoice_id": invoice.id, "deposit_letter": letter_id})
        return AcceptedView(quote_view(session, quote, today), invoice.id, letter_id, letter,
                            messages.english(warning) if warning is not None else "", warning)


def _issue_warning(session: Session, company: Company, quote: Quote, invoice: Invoice,
                   today: date) -> Said | None:
    """Whether the draft an accepted quote made could be issued today as it is, and if not,
    why and what to do: the customer said yes, so the quote is accepted all the same (a
    customer without credit may well be asked the deposit first), but nobody should find
    out only when issuing."""
    customer = require_customer(session, quote.customer_id)
    terms = customer_draft_terms(session, company, customer, invoice.terms_id)
    plan = build_schedule(invoice.total_minor, invoice.schedule_spec, today, terms.net_days)
    refused = credit_applications.issue_refusal(session, customer, plan, today,
                                                invoice.total_minor, invoice.currency)
    if refused is None:
        return None
    return Said(N_("Quote {number} is accepted, but draft invoice {draft} cannot be issued "
                   "as it is: {why}"),
                {"number": quote.number, "draft": invoice.id, "why": clause(refused)})


def _deposit_letter(session: Session, books: Books, company: Company, quote: Quote,
                    invoice_id: int, today: date) -> tuple[bytes, int | None]:
    """The deposit request for an accepted quote, when its schedule asks for one (a first
    share due on acceptance): due as the customer's terms say from today, for the quote as
    a whole, named by its number (not by one of its lines)."""
    customer = require_customer(session, quote.customer_id)
    terms = draft_terms(session, company, customer.terms_id)
    first = quote_text.deposit_of(_schedule(quote, today, terms.net_days))
    if first is None:
        return b"", None
    amount = first.amount_minor
    reader = _customer_of(session, quote)
    t = Lang(reader.language, reader.babel_locale)
    what = t("Quote %(number)s", number=quote.number)
    deposit = doc.DepositRequest(quote.number, f"{what} — {t.label(first.label)}", amount,
                                 today + timedelta(days=terms.net_days))
    pdf = rendering.render_letter(doc.Letter(
        stage=doc.Stage.DEPOSIT_REQUEST, company=company_doc(company), customer=reader,
        letter_date=today, currency=quote.currency, contact=contact_doc(company),
        deposit=deposit, payment_reference=quote.number))
    stored = store_document(session, books, kind="letter", customer_id=quote.customer_id,
                            invoice_id=invoice_id, on=today,
                            filename=f"deposit-request-{filename(quote.number)[6:]}",
                            pdf=pdf, stage="deposit_request")
    activity.log(session, books, customer_id=quote.customer_id, kind="letter",
                 message=N_("Deposit request for quote {number}: {amount}"),
                 values={"number": quote.number,
                         "amount": Amount(from_minor(amount, quote.currency), quote.currency)},
                 on=today, invoice_id=invoice_id, document_id=stored.id)
    return pdf, stored.id


@states(QUOTE_CHANGES)
def decline_quote(books: Books, quote_id: int, reason: str) -> QuoteView:
    """The customer said no: the reason is kept (price, lead time, another supplier)."""
    text = rules.check_reason(reason)
    with books.db.write() as session:
        quote = require_quote(session, quote_id, lock=True)
        today = books.today()
        rules.require_action("decline", quote.number, quote.state, quote.valid_until, today)
        quote.state, quote.closed_on = rules.QuoteStatus.DECLINED.value, today
        quote.decline_reason = text
        close_open_steps(session, quote.id, today, "declined")
        activity.log(session, books, customer_id=quote.customer_id, kind="note",
                     message=N_("Quote {number} declined: {reason}"),
                     values={"number": quote.number, "reason": text}, on=today)
        audit(session, books, "quote.decline", "quote", quote.id, {"reason": text})
        return quote_view(session, quote, today)


def close_open_steps(session: Session, quote_id: int, on: date, why: str) -> None:
    for step in session.scalars(select(QuoteStep).where(QuoteStep.quote_id == quote_id,
                                                        QuoteStep.outcome == "open")):
        step.outcome, step.closed_on, step.note = "done", on, step.note or f"quote {why}"


# --- the report -------------------------------------------------------------------------------

@dataclass(frozen=True)
class QuoteFigures:
    status: str  # open (undecided, still valid), won, lost, expired
    count: int
    value: Decimal
    currency: str


REPORT_NAMES = {"open": "open", "sent": "open", "accepted": "won", "declined": "lost",
                "expired": "expired"}


def report(books: Books, as_of: date, start: date | None = None,
           end: date | None = None) -> list[QuoteFigures]:
    """Quotes dated from ``start`` to ``end``, as they stand on ``as_of``: open, won, lost
    and expired, with the count and value of each (every status listed, zero included)."""
    if start and end and end < start:
        raise ValidationError("to", N_("the period ends before it starts"))
    q = quotes_table.c
    derived = _status_sql(as_of)
    query = (select(derived, q.currency, func.count(), func.sum(q.total_minor))
             .where(q.quote_date <= as_of).group_by(derived, q.currency))
    if start:
        query = query.where(q.quote_date >= start)
    if end:
        query = query.where(q.quote_date <= end)
    with books.db.read() as session:
        currency = the_company(session).currency
        sums: dict[tuple[str, str], tuple[int, int]] = {}
        for state, cur, count, total in session.execute(query):
            key = (REPORT_NAMES[state], cur)
            before = sums.get(key, (0, 0))
            sums[key] = (before[0] + count, before[1] + int(total or 0))
    currencies = sorted({cur for _, cur in sums} | {currency})
    return [QuoteFigures(name, *_figures(sums.get((name, cur), (0, 0)), cur), cur)
            for cur in currencies for name in ("open", "won", "lost", "expired")]


def _figures(counted: tuple[int, int], currency: str) -> tuple[int, Decimal]:
    return counted[0], from_minor(counted[1], currency)

"""E-invoices from the books: which format a customer gets and with which identifiers, and
the e-invoice of an invoice or credit note made once, when it is issued, from the same
frozen data as its PDF (``documents.einvoice.mapping``), and kept."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from desktop_app import files
from desktop_app.documents import data as doc
from desktop_app.documents.einvoice import model as ei
from desktop_app.documents.einvoice.formats import (
    EAS_CODES,
    XML_FORMATS,
    Format,
    parse_format,
    write_xml,
    xml_filename,
)
from desktop_app.documents.einvoice.mapping import Receiver, from_credit_note, from_invoice
from desktop_app.documents.i18n import Lang
from desktop_app.domain.errors import NotFound, RuleViolation, ValidationError
from desktop_app.domain.postal import split_address
from desktop_app.domain.status import Lifecycle
from desktop_app.messages import N_
from desktop_app.services.books import Books, audit, require_customer, the_company
from desktop_app.services.changes import OpChanges, states
from desktop_app.services.documents import (
    credit_note_doc,
    credit_note_filenames,
    invoice_doc,
    store_document,
    stored_invoice_pdf,
)
from desktop_app.services.invoice_lookup import require_invoice
from desktop_app.storage.models import Company, CreditNote, Customer, Invoice, StoredDocument

# Where a customer's format is not chosen, a country whose law asks for e-invoices gets one.
COUNTRY_FORMATS = {"DE": Format.FACTURX, "FR": Format.FACTURX, "BE": Format.PEPPOL}

LEITWEG_ID = re.compile(r"^\d{2,12}(-[0-9A-Z]{1,30})?-\d{2}$")
PEPPOL_ID = re.compile(r"^(?P<scheme>[0-9A-Z]{2,4}):(?P<id>\S{1,100})$")


# --- identifiers --------------------------------------------------------------------------
def check_leitweg_id(value: str) -> str:
    """A Leitweg-ID (KoSIT): coarse, optional fine part, two check digits ('991-12345-67')."""
    text = value.strip().upper()
    if text and not LEITWEG_ID.match(text):
        raise ValidationError("leitweg-id", N_("'{value}' is not a Leitweg-ID (such as "
                                               "04011000-1234512345-06)"), value=value)
    return text


def check_peppol_id(value: str, field: str = "peppol-id") -> str:
    """SCHEME:ID with the scheme from the CEF EAS code list ('0088:4035811991021')."""
    text = value.strip()
    if not text:
        return ""
    match = PEPPOL_ID.match(text)
    if not match or match["scheme"] not in EAS_CODES:
        raise ValidationError(field, N_("'{value}' must be SCHEME:ID with an EAS scheme such "
                                        "as 0088 (GLN), 0208 (Belgian enterprise number) or "
                                        "9930 (German VAT ID)"), value=value)
    return text


def default_format(country: str, *, leitweg_id: str = "", peppol_id: str = "",
                   business: bool = True) -> Format:
    """A public buyer with a Leitweg-ID gets XRechnung, one with a Peppol ID Peppol BIS; a
    business in a country that mandates e-invoices gets its usual form; a consumer none."""
    if leitweg_id:
        return Format.XRECHNUNG_CII
    if peppol_id:
        return Format.PEPPOL
    if not business:
        return Format.NONE
    return COUNTRY_FORMATS.get(country, Format.NONE)


def customer_country(customer: Customer) -> str:
    """The customer's country; for a customer saved before it was asked for, the one the
    last line of its address names (empty when it names none)."""
    return customer.country or split_address(customer.address.splitlines()).country


def customer_format(customer: Customer) -> Format:
    if customer.einvoice_format:
        return Format(customer.einvoice_format)
    return default_format(customer_country(customer), leitweg_id=customer.leitweg_id,
                          peppol_id=customer.peppol_id, business=not customer.consumer)


def required(customer: Customer) -> bool:
    """Whether the customer's format must be met or the invoice is refused: when chosen, or
    implied by an identifier the customer gave. A format guessed from the country alone
    gives way to the plain PDF when the books cannot fill it (no VAT ID of the seller, say),
    so that no invoice is refused for a format nobody asked for."""
    return bool(customer.einvoice_format or customer.leitweg_id or customer.peppol_id)


@dataclass(frozen=True)
class EInvoiceSettings:
    """What a customer form shows and edits."""

    format: str  # the chosen format, or "" for the default
    effective: str  # what the customer gets now
    leitweg_id: str
    peppol_id: str


def settings_of(customer: Customer) -> EInvoiceSettings:
    return EInvoiceSettings(customer.einvoice_format or "", customer_format(customer).value,
                            customer.leitweg_id, customer.peppol_id)


def apply_einvoice(customer: Customer, *, fmt: str | None = None,
                   leitweg_id: str | None = None, peppol_id: str | None = None) -> Format:
    """Set what is given (``fmt`` "default" or "" goes back to the default) and check that
    the format the customer then gets has the identifiers it needs."""
    chosen = None if fmt is None or fmt.strip() in ("", "default") else parse_format(fmt)
    leitweg = None if leitweg_id is None else check_leitweg_id(leitweg_id)
    peppol = None if peppol_id is None else check_peppol_id(peppol_id)
    if fmt is not None:
        customer.einvoice_format = chosen.value if chosen else None
    if leitweg is not None:
        customer.leitweg_id = leitweg
    if peppol is not None:
        customer.peppol_id = peppol
    effective = customer_format(customer)
    if effective in (Format.XRECHNUNG_CII, Format.XRECHNUNG_UBL) and not customer.leitweg_id:
        raise ValidationError("leitweg-id", N_("XRechnung goes to a public buyer: give its "
                                               "Leitweg-ID"))
    if effective is Format.PEPPOL and customer.einvoice_format and not customer.peppol_id:
        raise ValidationError("peppol-id", N_("Peppol needs the customer's endpoint as "
                                              "SCHEME:ID"))
    return effective


@states(OpChanges.CUSTOMERS)
def set_customer_einvoice(books: Books, customer_id: int, *, fmt: str | None = None,
                          leitweg_id: str | None = None, peppol_id: str | None = None
                          ) -> EInvoiceSettings:
    """Only the given values change; ``fmt`` "default" (or "") goes back to the default."""
    with books.db.write() as session:
        customer = require_customer(session, customer_id)
        effective = apply_einvoice(customer, fmt=fmt, leitweg_id=leitweg_id,
                                   peppol_id=peppol_id)
        session.flush()
        audit(session, books, "customer.einvoice", "customer", customer.id,
              {"format": customer.einvoice_format, "effective": effective.value,
               "leitweg_id": customer.leitweg_id, "peppol_id": customer.peppol_id})
        return settings_of(customer)


# --- made once at issue, kept, shown ----------------------------------------------------------
@dataclass(frozen=True)
class EInvoiceFile:
    format: str
    filename: str
    content: bytes  # the hybrid PDF or the XML
    xml: bytes  # the XML itself (inside the hybrid PDF for Factur-X)
    kept: bool = False  # the copy kept at issue (else made now from the frozen data)


def _instant(value: datetime | None, day: date) -> datetime:
    if value is None:
        return datetime.combine(day, time(), UTC)
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def make_file(einvoice: ei.EInvoice, fmt: Format, pdf: bytes, *, title: str, author: str,
              subject: str, language: str, created: datetime) -> EInvoiceFile:
    """The XML of ``fmt``; for Factur-X the document's PDF made a PDF/A-3 carrying it."""
    xml = write_xml(einvoice, fmt)
    if fmt is not Format.FACTURX:
        return EInvoiceFile(fmt.value, xml_filename(fmt, einvoice.number), xml, xml)
    from desktop_app.documents.einvoice.hybrid import HybridInfo, make_hybrid

    info = HybridInfo(title=title, author=author, subject=subject, created=created,
                      language=language.replace("_", "-"))
    return EInvoiceFile(fmt.value, files.file_name(einvoice.number, ".pdf"),
                        make_hybrid(pdf, xml, info), xml)


def invoice_file(invoice: doc.Invoice, fmt: Format, receiver: Receiver, pdf: bytes,
                 created: datetime, seller_peppol_id: str = "") -> EInvoiceFile:
    """The printed invoice ``pdf`` and its e-invoice in ``fmt``, saying the same."""
    t = Lang(invoice.customer.language, invoice.customer.babel_locale)
    title = f"{t('Invoice')} {invoice.number}"
    return make_file(from_invoice(invoice, fmt, receiver, seller_peppol_id), fmt, pdf,
                     title=title, author=invoice.company.name,
                     subject=f"{title}, {invoice.customer.name}",
                     language=invoice.customer.language, created=created)


def credit_note_file(note: doc.CreditNote, fmt: Format, receiver: Receiver, pdf: bytes,
                     created: datetime, seller_peppol_id: str = "", *,
                     invoice_reference: str = "") -> EInvoiceFile:
    t = Lang(note.customer.language, note.customer.babel_locale)
    title = f"{t('Credit note')} {note.number}"
    return make_file(from_credit_note(note, fmt, receiver, seller_peppol_id,
                                      invoice_reference=invoice_reference), fmt, pdf,
                     title=title, author=note.company.name,
                     subject=f"{title}, {note.customer.name}",
                     language=note.customer.language, created=created)


def receiver_of(customer: Customer) -> Receiver:
    billing = [c.email for c in customer.contacts if c.role == "billing" and c.email]
    return Receiver(billing[0] if billing else customer.email, customer.leitweg_id,
                    customer.peppol_id)


def einvoice_for(session: Session, company: Company, inv: Invoice, fmt: Format,
                 pdf: bytes) -> EInvoiceFile:
    """The e-invoice of an issued invoice in ``fmt``, from its frozen data."""
    assert inv.issue_date is not None
    printed = invoice_doc(session, company, inv, inv.issue_date)
    return invoice_file(printed, fmt, receiver_of(require_customer(session, inv.customer_id)),
                        pdf, _instant(inv.issued_at, inv.issue_date), company.peppol_id)


def store_issued(session: Session, books: Books, company: Company, inv: Invoice
                 ) -> StoredDocument:
    """Called in the issuing transaction: the invoice PDF, and the customer's e-invoice made
    from the same data. A hybrid PDF is the invoice PDF itself; an XML is kept beside it.
    An invoice that cannot be valid in its customer's format is refused here, the field
    named, and the transaction (number included) rolls back."""
    from desktop_app import documents as rendering
    assert inv.issue_date is not None and inv.number is not None
    pdf = rendering.render_invoice(invoice_doc(session, company, inv, inv.issue_date))
    customer = require_customer(session, inv.customer_id)
    fmt = customer_format(customer)
    made = None
    if fmt is not Format.NONE:
        try:
            made = einvoice_for(session, company, inv, fmt, pdf)
        except ValidationError:
            if required(customer):
                raise
            fmt = Format.NONE
    return _store_pair(session, books, inv, kind="invoice", on=inv.issue_date,
                       number=inv.number, pdf=pdf, made=made)


def _store_pair(session: Session, books: Books, inv: Invoice, *, kind: str, on: date,
                number: str, pdf: bytes, made: EInvoiceFile | None) -> StoredDocument:
    """The document as the customer receives it: the hybrid PDF, or the PDF with the XML
    kept beside it."""
    hybrid = made is not None and made.format == Format.FACTURX.value
    stored = store_document(session, books, kind=kind, customer_id=inv.customer_id,
                            invoice_id=inv.id, on=on, filename=files.file_name(number, ".pdf"),
                            pdf=made.content if made and hybrid else pdf,
                            stage=made.format if made and hybrid else "")
    if made is not None and not hybrid:
        store_document(session, books, kind="einvoice", customer_id=inv.customer_id,
                       invoice_id=inv.id, on=on, filename=made.filename, pdf=made.content,
                       stage=made.format)
    return stored


def issued_format(session: Session, invoice_id: int) -> Format:
    """The e-invoice format the invoice went out in (none: it went as a plain PDF)."""
    stages = session.scalars(select(StoredDocument.stage).where(
        StoredDocument.invoice_id == invoice_id,
        StoredDocument.kind.in_(("invoice", "einvoice")), StoredDocument.stage != "")
        .order_by(StoredDocument.id).limit(1)).first()
    return Format(stages) if stages else Format.NONE


def store_credit_note(session: Session, books: Books, company: Company, inv: Invoice,
                      note: CreditNote) -> StoredDocument:
    """Called in the voiding transaction: the credit note's PDF as the customer receives it,
    in the e-invoice format its invoice went out in (so it is valid whenever the invoice
    was): a Factur-X customer gets the credit note as a hybrid PDF, an XML customer the
    XML beside the PDF."""
    from desktop_app import documents as rendering
    printed = credit_note_doc(session, company, note)
    pdf = rendering.render_credit_note(printed)
    fmt = issued_format(session, inv.id)
    made = None
    if fmt is not Format.NONE:
        made = credit_note_file(
            printed, fmt, receiver_of(require_customer(session, inv.customer_id)), pdf,
            _instant(inv.voided_at, note.issue_date), company.peppol_id,
            invoice_reference=inv.payment_reference or "")
    return _store_pair(session, books, inv, kind="credit_note", on=note.issue_date,
                       number=note.number, pdf=pdf, made=made)


def _stored(session: Session, invoice_id: int, fmt: Format) -> StoredDocument | None:
    kind = "invoice" if fmt is Format.FACTURX else "einvoice"
    return session.scalars(select(StoredDocument).where(
        StoredDocument.invoice_id == invoice_id, StoredDocument.kind == kind,
        StoredDocument.stage == fmt.value).order_by(StoredDocument.id).limit(1)).first()


def _kept_file(kept: StoredDocument, fmt: Format) -> EInvoiceFile:
    xml = kept.pdf
    if kept.pdf.startswith(b"%PDF"):
        from desktop_app.documents.einvoice.hybrid import embedded_xml

        xml = embedded_xml(kept.pdf)
    return EInvoiceFile(fmt.value, kept.filename, kept.pdf, xml, kept=True)


def invoice_einvoice(books: Books, invoice_id: int, fmt: str | None = None) -> EInvoiceFile:
    """The e-invoice of an issued invoice: the one kept at issue when it is in that format,
    else made now from the invoice's frozen data. ``fmt`` None: the customer's format."""
    from desktop_app import documents as rendering
    with books.db.read() as session:
        company = the_company(session)
        inv = require_invoice(session, invoice_id)
        if inv.state == Lifecycle.DRAFT or inv.issue_date is None:
            raise RuleViolation(N_("invoice {invoice} is a draft; an e-invoice is made when "
                                   "it is issued"), invoice=str(inv.id))
        chosen = parse_format(fmt, "format") if fmt else customer_format(
            require_customer(session, inv.customer_id))
        if chosen is Format.NONE:
            raise ValidationError("format", N_("the customer receives no e-invoice; name one "
                                               "with --format"))
        if (kept := _stored(session, inv.id, chosen)) is not None:
            return _kept_file(kept, chosen)
        pdf = stored_invoice_pdf(session, inv.id) or rendering.render_invoice(
            invoice_doc(session, company, inv, inv.issue_date))
        if chosen is Format.FACTURX and pdf.find(b"/EmbeddedFiles") >= 0:
            raise RuleViolation(N_("invoice {number} was issued as another hybrid PDF"),
                                number=str(inv.number))
        return einvoice_for(session, company, inv, chosen, pdf)


def credit_note_einvoice_file(books: Books, credit_note_id: int) -> EInvoiceFile:
    """The credit note's e-invoice as kept when the invoice was voided."""
    with books.db.read() as session:
        note = session.get(CreditNote, credit_note_id)
        if note is None:
            raise NotFound("credit note", N_("no credit note with id {id}"),
                           id=str(credit_note_id))
        xml_names = [xml_filename(fmt, note.number) for fmt in XML_FORMATS]
        kept = session.scalars(select(StoredDocument).where(
            StoredDocument.invoice_id == note.invoice_id, StoredDocument.stage != "",
            or_(and_(StoredDocument.kind == "einvoice", StoredDocument.filename.in_(xml_names)),
                and_(StoredDocument.kind == "credit_note",
                     StoredDocument.filename.in_(credit_note_filenames(note.number)))))
            .limit(1)).first()
        if kept is None:
            raise RuleViolation(N_("credit note {number} went to a customer who receives no "
                                   "e-invoice"), number=note.number)
        return _kept_file(kept, Format(kept.stage))

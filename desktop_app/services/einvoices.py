"""E-invoices from the books: which format a customer gets, the mapping from the books' data
to an EN 16931 invoice, and the e-invoice made once at issue and kept.

The mapping lives here and only here: when the books learn more (VAT categories per line,
units, supply dates, VAT IDs and countries), the defaults below give way to that data and
nothing else changes. Each default is named and says what it stands in for.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from decimal import Decimal

from sqlalchemy import select
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
from desktop_app.documents.i18n import Lang
from desktop_app.domain.errors import NotFound, RuleViolation, ValidationError
from desktop_app.domain.money import from_minor, minor_digits, split_by_weights
from desktop_app.domain.postal import split_address
from desktop_app.services.books import Books, audit, the_company
from desktop_app.services.customers import require_customer
from desktop_app.storage.models import Company, CreditNote, Customer, Invoice, StoredDocument

# --- Defaults for what the books do not hold yet (each listed in the hand-over) -----------
DEFAULT_UNIT = "C62"  # UN/ECE Rec. 20 "one": no unit per line in the books yet
POSITIVE_RATE_CATEGORY = ei.VatCategory.STANDARD  # a line taxed above 0 %
ZERO_RATE_CATEGORY = ei.VatCategory.ZERO  # a 0 % line: no exemption reason is on file
# A single-currency country for a company whose address, VAT ID and IBAN name none.
CURRENCY_COUNTRY = {"USD": "US", "GBP": "GB", "CHF": "CH", "RUB": "RU", "CNY": "CN",
                    "TWD": "TW", "JPY": "JP", "PLN": "PL", "CZK": "CZ", "SEK": "SE",
                    "DKK": "DK", "NOK": "NO", "HUF": "HU", "CAD": "CA", "AUD": "AU"}
# EAS schemes for a VAT ID as a Peppol endpoint, when the company set no Peppol ID.
VAT_ENDPOINT_SCHEMES = {"AT": "9914", "BE": "9925", "DE": "9930", "ES": "9920", "FR": "9957",
                        "IE": "9935", "NL": "9944", "PL": "9945", "PT": "9946", "LU": "9938",
                        "HR": "9934", "HU": "9910", "GB": "9932"}
EU_VAT_PREFIXES = frozenset({
    "AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "EL", "ES", "FI", "FR", "HR", "HU", "IE",
    "IT", "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK", "XI", "GB", "CH",
    "NO"})
# Where a customer's format is not chosen, a country whose law asks for e-invoices gets one.
COUNTRY_FORMATS = {"DE": Format.FACTURX, "FR": Format.FACTURX, "BE": Format.PEPPOL}

LEITWEG_ID = re.compile(r"^\d{2,12}(-[0-9A-Z]{1,30})?-\d{2}$")
PEPPOL_ID = re.compile(r"^(?P<scheme>[0-9A-Z]{2,4}):(?P<id>\S{1,100})$")


# --- identifiers --------------------------------------------------------------------------
def check_leitweg_id(value: str) -> str:
    """A Leitweg-ID (KoSIT): coarse, optional fine part, two check digits ('991-12345-67')."""
    text = value.strip().upper()
    if text and not LEITWEG_ID.match(text):
        raise ValidationError("leitweg-id", f"'{value}' is not a Leitweg-ID (such as "
                              "04011000-1234512345-06)")
    return text


def check_peppol_id(value: str, field: str = "peppol-id") -> str:
    """SCHEME:ID with the scheme from the CEF EAS code list ('0088:4035811991021')."""
    text = value.strip()
    if not text:
        return ""
    match = PEPPOL_ID.match(text)
    if not match or match["scheme"] not in EAS_CODES:
        raise ValidationError(field, f"'{value}' must be SCHEME:ID with an EAS scheme such "
                              "as 0088 (GLN), 0208 (Belgian enterprise number) or 9930 "
                              "(German VAT ID)")
    return text


def endpoint_of(value: str) -> ei.Endpoint | None:
    if not value:
        return None
    scheme, _, identifier = value.partition(":")
    return ei.Endpoint(scheme, identifier)


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
    """The customer's country from the last line of its address; empty when it names none
    (the books have no country field yet)."""
    return split_address(customer.address.splitlines()).country


def customer_format(customer: Customer) -> Format:
    if customer.einvoice_format:
        return Format(customer.einvoice_format)
    return default_format(customer_country(customer), leitweg_id=customer.leitweg_id,
                          peppol_id=customer.peppol_id)


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
        raise ValidationError("leitweg-id", "XRechnung goes to a public buyer: give its "
                              "Leitweg-ID")
    if effective is Format.PEPPOL and customer.einvoice_format and not customer.peppol_id:
        raise ValidationError("peppol-id", "Peppol needs the customer's endpoint as "
                              "SCHEME:ID")
    return effective


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


def customer_einvoice(books: Books, customer_id: int) -> EInvoiceSettings:
    with books.db.read() as session:
        return settings_of(require_customer(session, customer_id))


# --- the mapping --------------------------------------------------------------------------
def _vat_id(tax_id: str) -> str:
    compact = "".join(tax_id.split()).upper()
    if len(compact) > 4 and compact[:2] in EU_VAT_PREFIXES and compact[2:].isalnum():
        return compact
    return ""


def seller_vat_id(company: doc.Company) -> str:
    """The seller's VAT ID (BT-31): the one on file, else a tax ID that is one (a German
    Steuernummer in the tax ID is the tax number, BT-32, not a VAT ID)."""
    return _vat_id(company.vat_id) or _vat_id(company.tax_id)


def company_country(company: doc.Company) -> str:
    parts = split_address(company.address)
    vat = seller_vat_id(company)
    iban = company.bank.iban_compact
    return (parts.country or (vat[:2].replace("EL", "GR") if vat else "")
            or (iban[:2] if len(iban) > 4 else "") or CURRENCY_COUNTRY.get(company.currency, ""))


def seller_party(company: doc.Company, peppol_id: str, fmt: Format) -> ei.Party:
    country = company_country(company)
    if not country:
        raise ValidationError("company address", "an e-invoice names the seller's country: "
                              "end the company's address with the country")
    parts = split_address(company.address)
    vat = seller_vat_id(company)
    endpoint = endpoint_of(peppol_id)
    if endpoint is None and vat and vat[:2] in VAT_ENDPOINT_SCHEMES and fmt is Format.PEPPOL:
        endpoint = ei.Endpoint(VAT_ENDPOINT_SCHEMES[vat[:2]], vat)
    if endpoint is None and company.email and fmt is not Format.PEPPOL:  # EM is no Peppol ID
        endpoint = ei.Endpoint("EM", company.email)
    return ei.Party(
        name=company.name,
        address=ei.Address(country, parts.lines, parts.city, parts.postcode, parts.region),
        vat_id=vat, tax_number="" if _vat_id(company.tax_id) else company.tax_id.strip(),
        endpoint=endpoint,
        # The seller's contact point (BT-41): the company itself until a signer is on file.
        contact=ei.Contact(company.name, company.phone, company.email),
    )


def buyer_party(customer: doc.Customer, *, seller_country: str, email: str, leitweg_id: str,
                peppol_id: str, fmt: Format) -> ei.Party:
    parts = split_address(customer.address)
    # The buyer's country: from its address, else the seller's (a domestic sale).
    country = parts.country or seller_country
    endpoint = endpoint_of(peppol_id)
    if endpoint is None and leitweg_id and fmt in (Format.XRECHNUNG_CII, Format.XRECHNUNG_UBL):
        endpoint = ei.Endpoint("0204", leitweg_id)
    if endpoint is None and email and fmt is not Format.PEPPOL:
        endpoint = ei.Endpoint("EM", email)
    return ei.Party(name=customer.name,
                    address=ei.Address(country, parts.lines, parts.city, parts.postcode,
                                       parts.region),
                    endpoint=endpoint)


def _category(rate: Decimal) -> tuple[ei.VatCategory, Decimal]:
    return (POSITIVE_RATE_CATEGORY if rate > 0 else ZERO_RATE_CATEGORY), rate.normalize()


def _terms_text(invoice: doc.Invoice, t: Lang) -> str:
    """The payment terms in the words the PDF prints, so both say the same."""
    terms, cur = invoice.terms, invoice.currency
    lines = [t("%(terms)s: please pay %(amount)s by %(date)s.", terms=terms.name,
               amount=t.money(invoice.total_minor, cur), date=t.date(invoice.due_date))]
    if terms.late_fee_minor:
        lines.append(t("Late payment: a reminder fee of %(fee)s per reminder.",
                       fee=t.money(terms.late_fee_minor, cur)))
    if terms.instructions.strip():
        lines.append(" ".join(terms.instructions.split()))
    return "\n".join(lines)


def einvoice_from_document(invoice: doc.Invoice, fmt: Format, *, customer_email: str = "",
                           leitweg_id: str = "", peppol_id: str = "",
                           company_peppol_id: str = "") -> ei.EInvoice:
    """The printed invoice as an EN 16931 invoice: same lines, totals, tax and due dates."""
    cur = invoice.currency
    t = Lang(invoice.customer.language, invoice.customer.babel_locale)
    seller = seller_party(invoice.company, company_peppol_id, fmt)
    buyer = buyer_party(invoice.customer, seller_country=seller.address.country,
                        email=customer_email, leitweg_id=leitweg_id, peppol_id=peppol_id,
                        fmt=fmt)
    lines = []
    for pos, line in enumerate(invoice.lines, start=1):
        category, rate = _category(line.tax_percent)
        net = from_minor(line.net_minor, cur)
        gross = ei.round_amount(line.quantity * line.unit_price, cur)
        allowance = gross - net if line.discount_percent else Decimal(0)
        lines.append(ei.Line(
            identifier=str(pos), name=line.description.splitlines()[0][:200],
            description=line.description if "\n" in line.description else "",
            quantity=line.quantity, unit=DEFAULT_UNIT, price=line.unit_price,
            category=category, rate=rate, net_amount=net, allowance=allowance,
            allowance_reason=f"{t('Discount')} {t.percent(line.discount_percent)}"
            if allowance else ""))
    terms = invoice.terms
    deadline = terms.discount_deadline(invoice.issue_date)
    bank = invoice.company.bank
    payment = ei.Payment(
        means_code="58" if bank.iban else "1", remittance=invoice.reference,
        iban=bank.iban_compact, bic="".join(bank.bic.split()).upper(),
        account_name=bank.account_holder or invoice.company.name)
    return ei.EInvoice(
        kind=ei.DocumentKind.INVOICE, number=invoice.number, issue_date=invoice.issue_date,
        currency=cur, seller=seller, buyer=buyer, lines=tuple(lines),
        due_date=invoice.due_date, terms_text=_terms_text(invoice, t),
        installments=tuple(ei.Installment(t.label(i.label), i.due_date,
                                          from_minor(i.amount_minor, cur))
                           for i in invoice.installments),
        early_discount=ei.EarlyDiscount(terms.discount_percent, terms.discount_days, deadline)
        if deadline else None,
        payment=payment,
        # BT-10: the Leitweg-ID of a public buyer; Peppol asks for a buyer reference, and
        # until the books keep the buyer's order or reference the invoice number stands in.
        buyer_reference=leitweg_id or (invoice.number if fmt is Format.PEPPOL else ""),
        frozen_tax=tuple((*_category(b.rate), from_minor(b.tax_minor, cur))
                         for b in invoice.bands),
    )


def credit_note_einvoice(original: ei.EInvoice, number: str, issue_date: date,
                         amount_minor: int, reason: str) -> ei.EInvoice:
    """A credit note (381) for ``amount_minor`` of the invoice, gross: the whole invoice
    mirrored when it credits all of it, else one line per VAT rate, split by the rates'
    shares of the gross total (no cent lost: the remainder goes to the last)."""
    cur = original.currency
    unit = Decimal(1).scaleb(-min(2, minor_digits(cur)))
    bands = original.breakdown
    total = original.tax_inclusive
    common = {"kind": ei.DocumentKind.CREDIT_NOTE, "number": number,
              "issue_date": issue_date, "currency": cur, "seller": original.seller,
              "buyer": original.buyer, "payment": original.payment, "due_date": None,
              "buyer_reference": original.buyer_reference,
              "preceding": (ei.PrecedingInvoice(original.number, original.issue_date),),
              "notes": (reason,) if reason.strip() else ()}
    if Decimal(amount_minor) * unit == total:
        return ei.EInvoice(lines=original.lines, frozen_tax=tuple(
            (b.category, b.rate, b.tax) for b in bands), **common)  # type: ignore[arg-type]
    weights = [(b.taxable + b.tax) / unit for b in bands]
    shares = split_by_weights(amount_minor, weights)
    lines, frozen = [], []
    for pos, (band, share) in enumerate(zip(bands, shares, strict=True), start=1):
        gross = Decimal(share) * unit
        rate = band.rate or Decimal(0)
        net = ei.round_amount(gross * 100 / (100 + rate), cur)
        rate_text = f" ({ei.decimal_text(rate)} %)" if band.rate is not None else ""
        lines.append(ei.Line(str(pos), f"Credit for invoice {original.number}{rate_text}",
                             Decimal(1), DEFAULT_UNIT, net, band.category, band.rate, net))
        frozen.append((band.category, band.rate, gross - net))
    return ei.EInvoice(lines=tuple(lines), frozen_tax=tuple(frozen),
                       **common)  # type: ignore[arg-type]


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


def render(invoice: doc.Invoice, einvoice: ei.EInvoice, fmt: Format, pdf: bytes,
           created: datetime) -> EInvoiceFile:
    xml = write_xml(einvoice, fmt)
    if fmt is not Format.FACTURX:
        return EInvoiceFile(fmt.value, xml_filename(fmt, einvoice.number), xml, xml)
    from desktop_app.documents.einvoice.hybrid import HybridInfo, make_hybrid

    info = HybridInfo(title=f"Invoice {invoice.number}", author=invoice.company.name,
                      subject=f"Invoice {invoice.number} for {invoice.customer.name}",
                      created=created, language=invoice.customer.language.replace("_", "-"))
    return EInvoiceFile(fmt.value, f"{invoice.number}.pdf", make_hybrid(pdf, xml, info), xml)


def _identifiers(customer: Customer) -> dict[str, str]:
    return {"customer_email": _billing_email(customer), "leitweg_id": customer.leitweg_id,
            "peppol_id": customer.peppol_id}


def _billing_email(customer: Customer) -> str:
    billing = [c.email for c in customer.contacts if c.role == "billing" and c.email]
    return billing[0] if billing else customer.email


def einvoice_for(session: Session, company: Company, inv: Invoice, fmt: Format,
                 pdf: bytes) -> EInvoiceFile:
    """The e-invoice of an issued invoice in ``fmt``, from its frozen data."""
    from desktop_app.services.documents import invoice_doc

    assert inv.issue_date is not None
    customer = require_customer(session, inv.customer_id)
    printed = invoice_doc(session, company, inv, inv.issue_date)
    einvoice = einvoice_from_document(printed, fmt, company_peppol_id=company.peppol_id,
                                      **_identifiers(customer))
    return render(printed, einvoice, fmt, pdf, _instant(inv.issued_at, inv.issue_date))


def store_issued(session: Session, books: Books, company: Company, inv: Invoice
                 ) -> StoredDocument:
    """Called in the issuing transaction: the invoice PDF, and the customer's e-invoice made
    from the same data. A hybrid PDF is the invoice PDF itself; an XML is kept beside it.
    An invoice that cannot be valid in its customer's format is refused here, the field
    named, and the transaction (number included) rolls back."""
    from desktop_app import documents as rendering
    from desktop_app.services.documents import invoice_doc, store_document

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
    stored = store_document(
        session, books, kind="invoice", customer_id=inv.customer_id, invoice_id=inv.id,
        on=inv.issue_date, filename=files.file_name(inv.number, ".pdf"),
        pdf=made.content if made and fmt is Format.FACTURX else pdf,
        stage=Format.FACTURX.value if made and fmt is Format.FACTURX else "")
    if made and fmt in XML_FORMATS:
        store_document(session, books, kind="einvoice", customer_id=inv.customer_id,
                       invoice_id=inv.id, on=inv.issue_date, filename=made.filename,
                       pdf=made.content, stage=fmt.value)
    return stored


def issued_format(session: Session, invoice_id: int) -> Format:
    """The e-invoice format the invoice went out in (none: it went as a plain PDF)."""
    stages = session.scalars(select(StoredDocument.stage).where(
        StoredDocument.invoice_id == invoice_id,
        StoredDocument.kind.in_(("invoice", "einvoice")), StoredDocument.stage != "")
        .order_by(StoredDocument.id).limit(1)).first()
    return Format(stages) if stages else Format.NONE


def store_credit_note_einvoice(session: Session, books: Books, company: Company, inv: Invoice,
                               note: CreditNote) -> StoredDocument | None:
    """The credit note as an e-invoice, in the format its invoice went out in (so it is
    valid whenever the invoice was). A Factur-X customer gets the Factur-X CII on its own:
    the hybrid needs a credit-note page, which the books do not print yet."""
    from desktop_app.services.documents import invoice_doc, store_document

    fmt = issued_format(session, inv.id)
    if fmt is Format.NONE:
        return None
    assert inv.issue_date is not None
    customer = require_customer(session, inv.customer_id)
    original = einvoice_from_document(invoice_doc(session, company, inv, inv.issue_date), fmt,
                                      company_peppol_id=company.peppol_id,
                                      **_identifiers(customer))
    credit = credit_note_einvoice(original, note.number, note.issue_date, note.amount_minor,
                                  note.reason)
    return store_document(session, books, kind="einvoice", customer_id=inv.customer_id,
                          invoice_id=inv.id, on=note.issue_date,
                          filename=xml_filename(fmt, note.number),
                          pdf=write_xml(credit, fmt), stage=fmt.value)


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
    from desktop_app.services.documents import invoice_doc, stored_invoice_pdf
    from desktop_app.services.invoices import require_invoice

    with books.db.read() as session:
        company = the_company(session)
        inv = require_invoice(session, invoice_id)
        if inv.state == "draft" or inv.issue_date is None:
            raise RuleViolation(f"invoice {inv.id} is a draft; an e-invoice is made when it "
                                "is issued")
        chosen = parse_format(fmt, "format") if fmt else customer_format(
            require_customer(session, inv.customer_id))
        if chosen is Format.NONE:
            raise ValidationError("format", "the customer receives no e-invoice; name one "
                                  "with --format")
        if (kept := _stored(session, inv.id, chosen)) is not None:
            return _kept_file(kept, chosen)
        pdf = stored_invoice_pdf(session, inv.id) or rendering.render_invoice(
            invoice_doc(session, company, inv, inv.issue_date))
        if chosen is Format.FACTURX and pdf.find(b"/EmbeddedFiles") >= 0:
            raise RuleViolation(f"invoice {inv.number} was issued as another hybrid PDF")
        return einvoice_for(session, company, inv, chosen, pdf)


def credit_note_einvoice_file(books: Books, credit_note_id: int) -> EInvoiceFile:
    with books.db.read() as session:
        note = session.get(CreditNote, credit_note_id)
        if note is None:
            raise NotFound("credit note", f"no credit note with id {credit_note_id}")
        kept = session.scalars(select(StoredDocument).where(
            StoredDocument.invoice_id == note.invoice_id, StoredDocument.kind == "einvoice",
            StoredDocument.filename.startswith(note.number))).first()
        if kept is None:
            raise RuleViolation(f"credit note {note.number} went to a customer who receives "
                                "no e-invoice")
        return _kept_file(kept, Format(kept.stage))

"""The printed invoice and credit note as EN 16931 documents, from the same frozen data the
PDF is made of: the same lines, units, categories, supply date, references, words and
figures (the VAT per category and rate as the books froze it, never computed again).

Nothing here reads the books. What an invoice does not print but its receiver needs (the
customer's electronic address, a public buyer's Leitweg-ID) comes in a ``Receiver``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from desktop_app.documents import data as doc
from desktop_app.documents.einvoice import model as ei
from desktop_app.documents.einvoice.formats import Format
from desktop_app.documents.i18n import Lang
from desktop_app.documents.legal import band_label, category_notes, tax_id_label
from desktop_app.documents.terms_text import terms_sentences
from desktop_app.domain.errors import ValidationError
from desktop_app.domain.lines import TaxBand
from desktop_app.domain.money import from_minor
from desktop_app.domain.parties import check_country
from desktop_app.domain.postal import split_address
from desktop_app.domain.units import DEFAULT_UNIT
from desktop_app.domain.vat import VatCategory, country_of_vat_id
from desktop_app.messages import N_

# EAS schemes for a VAT ID as a Peppol endpoint, when the company set no Peppol ID.
VAT_ENDPOINT_SCHEMES = {"AT": "9914", "BE": "9925", "DE": "9930", "ES": "9920", "FR": "9957",
                        "IE": "9935", "NL": "9944", "PL": "9945", "PT": "9946", "LU": "9938",
                        "HR": "9934", "HU": "9910", "GB": "9932"}
XRECHNUNG = (Format.XRECHNUNG_CII, Format.XRECHNUNG_UBL)
# The categories whose breakdown says why no VAT is charged (BR-E-10, BR-AE-10, BR-IC-10,
# BR-G-10, BR-O-10); S and Z must not (BR-S-10, BR-Z-10).
STATES_A_REASON = frozenset({VatCategory.EXEMPT, *ei.VATEX_CODES})


@dataclass(frozen=True, slots=True)
class Receiver:
    """How the customer is reached (BT-49) and what a public buyer is referred to by (BT-10)
    when the invoice names no reference of its own."""

    email: str = ""
    leitweg_id: str = ""
    peppol_id: str = ""


def endpoint_of(value: str) -> ei.Endpoint | None:
    """A Peppol ID as typed (SCHEME:ID, checked when it was saved)."""
    if not value:
        return None
    scheme, _, identifier = value.partition(":")
    return ei.Endpoint(scheme, identifier)


def compact(text: str) -> str:
    return "".join(text.split()).upper()


def has_country_prefix(vat_id: str) -> bool:
    """BR-CO-09: a VAT ID starts with the ISO code of its country (Greece: EL); another
    country's tax number typed as a VAT ID (a US EIN) cannot stand as one."""
    prefix = vat_id[:2].upper()
    if len(vat_id) < 4 or not prefix.isalpha():
        return False
    if prefix in ("EL", "XI"):
        return True
    try:
        return bool(check_country(prefix))
    except ValidationError:
        return False


def seller_vat_id(company: doc.Company) -> str:
    """BT-31: the company's VAT ID. Books from before it had a field of its own kept it as
    the tax ID, which the invoice's footer then calls a VAT ID: so does the e-invoice."""
    vat = compact(company.vat_id)
    if not vat and tax_id_label(company.tax_id, company.country) == "VAT ID":
        vat = compact(company.tax_id)
    return vat if has_country_prefix(vat) else ""


def seller_tax_number(company: doc.Company, vat_id: str) -> str:
    """BT-32: the national tax number (Steuernummer, EIN, INN ...), or a VAT ID without the
    country prefix that BT-31 needs."""
    for candidate in (company.tax_id, company.vat_id):
        if candidate.strip() and compact(candidate) != vat_id:
            return candidate.strip()
    return ""


def seller_country(company: doc.Company) -> str:
    """BT-40: the company's country; books from before it was asked for fall back on the
    address's last line, then the VAT ID's prefix, then the IBAN's."""
    country = company.country or split_address(company.address).country
    if not country and (vat := seller_vat_id(company)):
        country = country_of_vat_id(vat)
    if not country and len(iban := company.bank.iban_compact) > 4:
        country = iban[:2]
    if not country:
        raise ValidationError("company country", N_("an e-invoice names the seller's country: "
                                                    "set it (company set --country DE)"))
    return country


def seller_party(company: doc.Company, t: Lang, fmt: Format, peppol_id: str, *,
                 outside_scope: bool) -> ei.Party:
    country = seller_country(company)
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
        # BR-O-02: an invoice outside the scope of VAT names no VAT ID.
        vat_id="" if outside_scope else vat,
        tax_number=seller_tax_number(company, vat),
        legal_id=company.register,
        legal_info=f"{t('Managing directors')}: {company.directors}" if company.directors
        else "",
        endpoint=endpoint,
        # BT-41: the person who signs, else the company (BR-DE-5 asks for a contact point).
        contact=ei.Contact(company.signer.name or company.name, company.phone, company.email),
    )


def buyer_party(customer: doc.Customer, seller_country: str, receiver: Receiver,
                fmt: Format, *, outside_scope: bool) -> ei.Party:
    parts = split_address(customer.address)
    # The frozen country; old invoices had none: the address's, else a domestic sale.
    country = customer.country or parts.country or seller_country
    endpoint = endpoint_of(receiver.peppol_id)
    if endpoint is None and receiver.leitweg_id and fmt in XRECHNUNG:
        endpoint = ei.Endpoint("0204", receiver.leitweg_id)
    if endpoint is None and receiver.email and fmt is not Format.PEPPOL:
        endpoint = ei.Endpoint("EM", receiver.email)
    vat = customer.vat_id.strip()
    return ei.Party(name=customer.name,
                    address=ei.Address(country, parts.lines, parts.city, parts.postcode,
                                       parts.region),
                    vat_id=vat if has_country_prefix(vat) and not outside_scope else "",
                    identifier=customer.number, endpoint=endpoint)


def remittance(reference: str) -> str:
    """BT-83 as a bank reads it: an RF creditor reference without the print's spaces."""
    return compact(reference) if compact(reference).startswith("RF") else reference


def payment_of(company: doc.Company, t: Lang, currency: str, reference: str) -> ei.Payment:
    """BG-16 from the account the invoice prints: a SEPA transfer to an IBAN in euros,
    another credit transfer to an IBAN or a domestic account (the routing number or BIK
    as the bank's identifier; the bank and a correspondent account, which EN 16931 has no
    field for, in words), a cheque, or, with no way to pay on file, a means not defined."""
    bank = company.bank
    holder = bank.account_holder or company.name
    pay_to = remittance(reference)
    if bank.iban_compact:  # the IBAN and BIC say which bank
        return ei.Payment("58" if currency == "EUR" else "30", pay_to, iban=bank.iban_compact,
                          bic=compact(bank.bic), account_name=holder)
    words = [bank.bank_name, f"{t('Correspondent account')}: {bank.correspondent_account}"
             if bank.correspondent_account else ""]
    text = "; ".join(w for w in words if w)
    if bank.account_number:
        return ei.Payment("30", pay_to, account_number=compact(bank.account_number),
                          bic=compact(bank.routing_number or bank.bic), account_name=holder,
                          means_text=text)
    if bank.checks_payable_to:
        cheque = [f"{t('Make checks payable to')}: {bank.checks_payable_to}",
                  f"{t('Remit to')}: {', '.join(bank.remit_to)}" if bank.remit_to else ""]
        return ei.Payment("20", pay_to, means_text="; ".join(c for c in cheque if c))
    return ei.Payment("1", pay_to)


def _rate(category: VatCategory, rate: Decimal) -> Decimal | None:
    """O has no rate at all (BR-O-05); the books keep 0 for it."""
    return None if category is VatCategory.OUTSIDE_SCOPE else rate.normalize()


def exemption_reasons(t: Lang, company: doc.Company,
                      pairs: Iterable[tuple[VatCategory, str]]
                      ) -> tuple[tuple[VatCategory, str, str], ...]:
    """BT-120 per category: the exempt lines' reasons as typed, and for the other
    categories (and small-business mode) the legal sentence the document prints; the VATEX
    code (BT-121) is added by the model."""
    texts: dict[VatCategory, list[str]] = {}
    for category, reason in pairs:
        if category not in STATES_A_REASON:
            continue
        if category is VatCategory.EXEMPT and not company.small_business:
            text = reason.strip()
        else:
            (text,) = category_notes(t, company, [(category, reason)])
        if text and text not in texts.setdefault(category, []):
            texts[category].append(text)
    return tuple((category, "; ".join(words), "") for category, words in texts.items())


def frozen_tax(bands: Iterable[TaxBand], currency: str
               ) -> tuple[tuple[VatCategory, Decimal | None, Decimal], ...]:
    return tuple((b.category, _rate(b.category, b.rate), from_minor(b.tax_minor, currency))
                 for b in bands)


def _period(start: date | None, end: date | None) -> tuple[date, date] | None:
    return (start, end) if start and end else None


def _line(position: int, line: doc.InvoiceLine, currency: str, t: Lang) -> ei.Line:
    net = from_minor(line.net_minor, currency)
    gross = ei.round_amount(line.quantity * line.unit_price, currency)
    allowance = gross - net if line.discount_percent else Decimal(0)
    name, _, more = line.description.partition("\n")
    return ei.Line(
        identifier=str(position), name=name[:200], description=line.description if more else "",
        quantity=line.quantity, unit=line.unit, price=line.unit_price,
        category=line.category, rate=_rate(line.category, line.tax_percent), net_amount=net,
        allowance=allowance,
        allowance_reason=f"{t('Discount')} {t.percent(line.discount_percent)}"
        if allowance else "",
        period=_period(line.period_start, line.period_end))


def _buyer_reference(own: str, receiver: Receiver, fmt: Format) -> str:
    """BT-10: the invoice's own; for XRechnung the public buyer's Leitweg-ID otherwise."""
    return own or (receiver.leitweg_id if fmt in XRECHNUNG else "")


def _agreeing(einvoice: ei.EInvoice, net_minor: int, tax_minor: int, currency: str
              ) -> ei.EInvoice:
    """The e-invoice states the figures the document prints, or it is not written."""
    if (einvoice.tax_exclusive, einvoice.tax_total) != (from_minor(net_minor, currency),
                                                        from_minor(tax_minor, currency)):
        raise ValueError(f"the e-invoice of {einvoice.number} would not state its frozen "
                         "totals")
    return einvoice


def from_invoice(invoice: doc.Invoice, fmt: Format, receiver: Receiver,
                 seller_peppol_id: str = "") -> ei.EInvoice:
    """The invoice as printed, as an EN 16931 invoice."""
    cur = invoice.currency
    t = Lang(invoice.customer.language, invoice.customer.babel_locale)
    outside = any(line.category is VatCategory.OUTSIDE_SCOPE for line in invoice.lines)
    seller = seller_party(invoice.company, t, fmt, seller_peppol_id, outside_scope=outside)
    buyer = buyer_party(invoice.customer, seller.address.country, receiver, fmt,
                        outside_scope=outside)
    categories = [(line.category, line.exemption_reason) for line in invoice.lines]
    terms = invoice.terms
    deadline = terms.discount_deadline(invoice.issue_date)
    return _agreeing(ei.EInvoice(
        kind=ei.DocumentKind.INVOICE, number=invoice.number, issue_date=invoice.issue_date,
        currency=cur, seller=seller, buyer=buyer,
        lines=tuple(_line(pos, line, cur, t) for pos, line in enumerate(invoice.lines, 1)),
        due_date=invoice.due_date, terms_text="\n".join(terms_sentences(invoice, t)),
        installments=tuple(ei.Installment(t.label(i.label), i.due_date,
                                          from_minor(i.amount_minor, cur))
                           for i in invoice.installments),
        early_discount=ei.EarlyDiscount(terms.discount_percent, terms.discount_days)
        if deadline else None,
        payment=payment_of(invoice.company, t, cur, invoice.reference),
        buyer_reference=_buyer_reference(invoice.buyer_reference, receiver, fmt),
        order_reference=invoice.order_reference,
        supply_date=None if invoice.period_start else invoice.supply_date,
        period=_period(invoice.period_start, invoice.period_end),
        notes=tuple(category_notes(t, invoice.company, categories)),
        frozen_tax=frozen_tax(invoice.bands, cur),
        exemption_reasons=exemption_reasons(t, invoice.company, categories),
    ), invoice.subtotal_minor, invoice.tax_minor, cur)


def from_credit_note(note: doc.CreditNote, fmt: Format, receiver: Receiver,
                     seller_peppol_id: str = "", *, invoice_reference: str = ""
                     ) -> ei.EInvoice:
    """The credit note as printed, as an EN 16931 credit note (381) of the invoice it
    corrects: a line per VAT band it credits, named as the PDF's rows, set off against the
    invoice (nothing to pay)."""
    cur = note.currency
    t = Lang(note.customer.language, note.customer.babel_locale)
    outside = any(band.category is VatCategory.OUTSIDE_SCOPE for band in note.bands)
    seller = seller_party(note.company, t, fmt, seller_peppol_id, outside_scope=outside)
    buyer = buyer_party(note.customer, seller.address.country, receiver, fmt,
                        outside_scope=outside)
    lines = []
    for pos, band in enumerate(note.bands, 1):
        net = from_minor(band.net_minor, cur)
        lines.append(ei.Line(str(pos), band_label(t, band.category, t.percent(band.rate),
                                                  t.money(band.net_minor, cur)),
                             Decimal(1), DEFAULT_UNIT, net, band.category,
                             _rate(band.category, band.rate), net))
    categories = [(band.category, band.exemption_reason) for band in note.bands]
    said = [t("This credit note cancels the open amount of invoice %(number)s of %(date)s.",
              number=note.invoice_number, date=t.date(note.invoice_date)),
            t("Reason: %(reason)s", reason=note.reason)]
    return _agreeing(ei.EInvoice(
        kind=ei.DocumentKind.CREDIT_NOTE, number=note.number, issue_date=note.issue_date,
        currency=cur, seller=seller, buyer=buyer, lines=tuple(lines),
        terms_text=t("Nothing is to be paid on this credit note."),
        # UNTDID 4461 97: set off against the invoice it corrects.
        payment=ei.Payment("97", remittance(invoice_reference or note.invoice_number)),
        buyer_reference=_buyer_reference(note.buyer_reference, receiver, fmt),
        order_reference=note.order_reference,
        preceding=(ei.PrecedingInvoice(note.invoice_number, note.invoice_date),),
        supply_date=None if note.period_start else note.supply_date,
        period=_period(note.period_start, note.period_end),
        notes=(*said, *category_notes(t, note.company, categories)),
        frozen_tax=frozen_tax(note.bands, cur),
        exemption_reasons=exemption_reasons(t, note.company, categories),
    ), note.net_minor, note.tax_minor, cur)

"""The e-invoice formats PaidUp writes, what each needs before it can be valid, and the bytes.

A format is refused with the missing field named (``ValidationError``) before anything is
written, so that an invoice is never issued or sent in a form its receiver will reject.
"""

from __future__ import annotations

from enum import StrEnum

from desktop_app import files
from desktop_app.documents.einvoice.model import EInvoice, VatCategory
from desktop_app.domain.errors import ValidationError
from desktop_app.messages import N_


class Format(StrEnum):
    NONE = "none"
    FACTURX = "facturx"  # hybrid PDF/A-3 with CII, Factur-X / ZUGFeRD profile EN 16931
    XRECHNUNG_CII = "xrechnung-cii"
    XRECHNUNG_UBL = "xrechnung-ubl"
    PEPPOL = "peppol"  # Peppol BIS Billing 3.0 UBL


FORMATS = tuple(f.value for f in Format)
XML_FORMATS = (Format.XRECHNUNG_CII, Format.XRECHNUNG_UBL, Format.PEPPOL)

EN16931 = "urn:cen.eu:en16931:2017"
XRECHNUNG = f"{EN16931}#compliant#urn:xeinkauf.de:kosit:xrechnung_3.0"
PEPPOL_BIS = f"{EN16931}#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0"
PEPPOL_PROCESS = "urn:fdc:peppol.eu:2017:poacc:billing:01:1.0"

# CEF Electronic Address Scheme codes (BR-CL-25), as the published rules list them.
EAS_CODES = frozenset({
    "0002", "0007", "0009", "0037", "0060", "0088", "0096", "0097", "0106", "0130", "0135",
    "0142", "0147", "0151", "0154", "0158", "0170", "0177", "0183", "0184", "0188", "0190",
    "0191", "0192", "0193", "0194", "0195", "0196", "0198", "0199", "0200", "0201", "0202",
    "0203", "0204", "0205", "0208", "0209", "0210", "0211", "0212", "0213", "0215", "0216",
    "0217", "0218", "0219", "0220", "0221", "0225", "0230", "0235", "0240", "0244", "0242",
    "0245", "0246", "0248", "9910", "9913", "9914", "9915", "9918", "9919", "9920", "9922",
    "9923", "9924", "9925", "9926", "9927", "9928", "9929", "9930", "9931", "9932", "9933",
    "9934", "9935", "9936", "9937", "9938", "9939", "9940", "9941", "9942", "9943", "9944",
    "9945", "9946", "9947", "9948", "9949", "9950", "9951", "9952", "9953", "9957", "9959",
    "AN", "AQ", "AS", "AU", "EM",
})


def parse_format(value: str, field: str = "einvoice") -> Format:
    try:
        return Format(value.strip().lower())
    except ValueError:
        raise ValidationError(field, N_("'{value}' is not one of {formats}"), value=value,
                              formats=", ".join(FORMATS)) from None


def is_german(fmt: Format, invoice: EInvoice) -> bool:
    """German receivers read the discount as #SKONTO# lines (XRechnung, ZUGFeRD)."""
    return fmt in (Format.XRECHNUNG_CII, Format.XRECHNUNG_UBL) or (
        invoice.buyer.address.country == "DE")


def write_xml(invoice: EInvoice, fmt: Format) -> bytes:
    """The XML of ``fmt`` (for the hybrid PDF: the CII that goes inside it)."""
    from desktop_app.documents.einvoice.cii import write_cii  # lxml: only when writing
    from desktop_app.documents.einvoice.ubl import write_ubl

    check(invoice, fmt)
    skonto = is_german(fmt, invoice)
    if fmt is Format.FACTURX:
        return write_cii(invoice, guideline=EN16931, skonto=skonto)
    if fmt is Format.XRECHNUNG_CII:
        return write_cii(invoice, guideline=XRECHNUNG, business_process=PEPPOL_PROCESS,
                         skonto=True, rate_always=True)
    if fmt is Format.XRECHNUNG_UBL:
        return write_ubl(invoice, customization=XRECHNUNG, profile=PEPPOL_PROCESS,
                         skonto=True, rate_always=True)
    if fmt is Format.PEPPOL:
        return write_ubl(invoice, customization=PEPPOL_BIS, profile=PEPPOL_PROCESS,
                         skonto=False)
    raise ValidationError("einvoice", N_("the customer receives no e-invoice"))


def xml_filename(fmt: Format, number: str) -> str:
    """A file name for the XML on its own: the number and the format, safe on every disk."""
    return files.file_name(f"{number}-{'factur-x' if fmt is Format.FACTURX else fmt.value}",
                           ".xml")


def check(invoice: EInvoice, fmt: Format) -> None:
    """What the rules of ``fmt`` need and the data lacks, named by its field.

    Covers the rules a missing piece of data breaks (EN 16931 BR-*, the German CIUS
    BR-DE-*, Peppol's endpoint rules); the arithmetic is right by construction.
    """
    seller, buyer = invoice.seller, invoice.buyer
    categories = {line.category for line in invoice.lines} | {
        a.category for a in invoice.allowances_charges}
    taxed = categories - {VatCategory.OUTSIDE_SCOPE}
    if VatCategory.OUTSIDE_SCOPE in categories and (seller.vat_id or buyer.vat_id):
        raise ValidationError("VAT category", N_("an invoice outside the scope of VAT names no "
                                                 "VAT ID (BR-O-02)"))
    if not (seller.vat_id or seller.legal_id or seller.identifier):
        if VatCategory.OUTSIDE_SCOPE in categories:
            raise ValidationError("company register", N_("an invoice outside the scope of VAT "
                                                         "names no VAT ID (BR-O-02), so it "
                                                         "identifies the seller by its trade "
                                                         "register (BR-CO-26): set the company's "
                                                         "register"))
        raise ValidationError("seller VAT ID", N_("an e-invoice identifies the seller by its "
                                                  "VAT ID or its trade register number "
                                                  "(BR-CO-26)"))
    if taxed and not (seller.vat_id or seller.tax_number):
        raise ValidationError("seller VAT ID", N_("an invoice with VAT needs the seller's VAT ID "
                                                  "or tax number (BR-S-02, BR-CO-26)"))
    if categories & {VatCategory.REVERSE_CHARGE, VatCategory.INTRA_EU, VatCategory.EXPORT} \
            and not seller.vat_id:
        raise ValidationError("seller VAT ID", N_("reverse charge, intra-EU supply and export need "
                                                  "the seller's VAT ID (BR-AE-02, BR-IC-02, "
                                                  "BR-G-02)"))
    if categories & {VatCategory.REVERSE_CHARGE, VatCategory.INTRA_EU} and not (
            buyer.vat_id or buyer.legal_id):
        raise ValidationError("customer VAT ID", N_("reverse charge and intra-EU supply need the "
                                                    "customer's VAT ID (BR-AE-02, BR-IC-02)"))
    if VatCategory.INTRA_EU in categories and not (invoice.supply_date or invoice.period):
        raise ValidationError("supply date", N_("an intra-EU supply needs its delivery date or "
                                                "period (BR-IC-11)"))
    reasons = {c for c, text, code in invoice.exemption_reasons if text or code}
    if VatCategory.EXEMPT in categories and VatCategory.EXEMPT not in reasons:
        raise ValidationError("exemption reason", N_("a VAT-exempt line needs the reason for the "
                                                     "exemption (BR-E-10)"))
    if seller.endpoint and seller.endpoint.scheme not in EAS_CODES:
        raise ValidationError("seller electronic address",
                              N_("'{scheme}' is not an EAS scheme (BR-CL-25)"),
                              scheme=seller.endpoint.scheme)
    if buyer.endpoint and buyer.endpoint.scheme not in EAS_CODES:
        raise ValidationError("customer Peppol ID",
                              N_("'{scheme}' is not an EAS scheme (BR-CL-25)"),
                              scheme=buyer.endpoint.scheme)
    if invoice.payment and invoice.payment.means_code == "58" and not invoice.payment.iban:
        raise ValidationError("iban", N_("a SEPA credit transfer needs the IBAN (BR-61)"))
    if fmt in (Format.XRECHNUNG_CII, Format.XRECHNUNG_UBL):
        _check_xrechnung(invoice)
    if fmt is Format.PEPPOL:
        if buyer.endpoint is None:
            raise ValidationError("customer Peppol ID", N_("Peppol needs the customer's endpoint "
                                                           "as SCHEME:ID (PEPPOL-EN16931-R010)"))
        if seller.endpoint is None:
            raise ValidationError("company Peppol ID", N_("Peppol needs the seller's endpoint "
                                                          "(PEPPOL-EN16931-R020): set the "
                                                          "company's Peppol ID or VAT ID"))
        if not (invoice.buyer_reference or invoice.order_reference):
            raise ValidationError("buyer reference", N_("Peppol needs the buyer's reference or "
                                                        "order number (PEPPOL-EN16931-R003): give "
                                                        "the invoice one (--buyer-reference or "
                                                        "--order-reference)"))


def _check_xrechnung(invoice: EInvoice) -> None:
    seller, buyer = invoice.seller, invoice.buyer
    if not invoice.buyer_reference:
        raise ValidationError("leitweg-id", N_("XRechnung needs the buyer reference, for a public "
                                               "buyer its Leitweg-ID (BR-DE-15)"))
    contact = seller.contact
    if contact is None or not contact.name:
        raise ValidationError("seller contact", N_("XRechnung names a contact person at the seller "
                                                   "(BR-DE-2, BR-DE-5)"))
    if sum(ch.isdigit() for ch in contact.phone) < 3:
        raise ValidationError("company phone", N_("XRechnung needs the seller's phone number "
                                                  "(BR-DE-6)"))
    if "@" not in contact.email:
        raise ValidationError("company email", N_("XRechnung needs the seller's email (BR-DE-7)"))
    for who, party in (("company", seller), ("customer", buyer)):
        if not party.address.city:
            raise ValidationError(f"{who} address", N_("XRechnung needs the city (BR-DE-3, "
                                                       "BR-DE-8): end the address with "
                                                       "'POSTCODE CITY'"))
        if not party.address.postcode:
            raise ValidationError(f"{who} address", N_("XRechnung needs the post code (BR-DE-4, "
                                                       "BR-DE-9): end the address with "
                                                       "'POSTCODE CITY'"))
    if seller.endpoint is None:
        raise ValidationError("company email", N_("XRechnung needs the seller's electronic address "
                                                  "(BT-34)"))
    if buyer.endpoint is None:
        raise ValidationError("customer email", N_("XRechnung needs the buyer's electronic address "
                                                   "(BT-49)"))
    if invoice.payment is None:
        raise ValidationError("payment", N_("XRechnung needs payment instructions (BR-DE-1)"))

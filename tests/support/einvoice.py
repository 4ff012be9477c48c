"""The official e-invoice rules (../shared/validation: CEN EN 16931 and the KoSIT XRechnung
CIUS as XSLT), compiled once per test session with Saxon and run on XML or hybrid PDFs.

``validate.py`` in that folder compiles the stylesheets on every call (seconds each); the
tests compile each one once and keep it, so a file costs a transform only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from io import BytesIO
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
RULES_DIR = ROOT.parent / "shared" / "validation"
STYLESHEETS = {
    ("cii", False): RULES_DIR / "en16931" / "EN16931-CII-validation.xslt",
    ("ubl", False): RULES_DIR / "en16931" / "EN16931-UBL-validation.xslt",
    ("cii", True): RULES_DIR / "xrechnung" / "XRechnung-CII-validation.xsl",
    ("ubl", True): RULES_DIR / "xrechnung" / "XRechnung-UBL-validation.xsl",
}
_FAILED = re.compile(r"<svrl:failed-assert\b([^>]*)>(.*?)</svrl:failed-assert>", re.S)


def syntax_of(xml: bytes) -> str:
    head = xml[:2000].decode("utf-8", "replace")
    return "cii" if "CrossIndustryInvoice" in head else "ubl"


def embedded_xml(pdf: bytes) -> bytes:
    """The factur-x.xml inside a hybrid PDF, read with pikepdf."""
    import pikepdf

    with pikepdf.open(BytesIO(pdf)) as doc:
        return bytes(doc.attachments["factur-x.xml"].get_file().read_bytes())


@dataclass
class Rules:
    """Saxon with the compiled stylesheets; ``failures`` lists the fatal ones."""

    _proc: object = None
    _compiled: dict = field(default_factory=dict)

    def _executable(self, key: tuple[str, bool]):
        from saxonche import PySaxonProcessor

        if self._proc is None:
            self._proc = PySaxonProcessor(license=False)
        if key not in self._compiled:
            path = STYLESHEETS[key]
            assert path.exists(), f"the official rules are missing: {path}"
            self._compiled[key] = self._proc.new_xslt30_processor().compile_stylesheet(
                stylesheet_file=str(path))
        return self._compiled[key]

    def report(self, xml: bytes, *, xrechnung: bool = False) -> list[dict[str, str]]:
        syntax = syntax_of(xml)
        node = self._proc_parse(xml)
        found = []
        for key in [(syntax, False)] + ([(syntax, True)] if xrechnung else []):
            svrl = self._executable(key).transform_to_string(xdm_node=node)
            for m in _FAILED.finditer(svrl):
                attrs = dict(re.findall(r'(\w+)="([^"]*)"', m.group(1)))
                text = " ".join(re.sub(r"<[^>]+>", "", m.group(2)).split())
                found.append({"id": attrs.get("id", "?"), "flag": attrs.get("flag", "fatal"),
                              "text": text})
        return found

    def _proc_parse(self, xml: bytes):
        self._executable((syntax_of(xml), False))
        return self._proc.parse_xml(xml_text=xml.decode("utf-8"))  # type: ignore[union-attr]

    def failures(self, document: bytes, *, xrechnung: bool = False) -> list[str]:
        """Fatal and error failures as 'ID: text' (an empty list: the file is valid)."""
        xml = embedded_xml(document) if document.startswith(b"%PDF") else document
        return [f"{f['id']}: {f['text']}" for f in self.report(xml, xrechnung=xrechnung)
                if f["flag"] in ("fatal", "error")]


# --- an e-invoice read back, to compare with the PDF it goes with -------------------------
@dataclass(frozen=True)
class XmlLine:
    identifier: str
    name: str
    quantity: Decimal
    unit: str
    price: Decimal
    category: str
    rate: Decimal | None
    net: Decimal
    period: tuple[date, date] | None


@dataclass(frozen=True)
class XmlBand:
    category: str
    rate: Decimal | None
    base: Decimal
    tax: Decimal
    reason: str
    reason_code: str


@dataclass(frozen=True)
class XmlParty:
    name: str
    country: str
    vat_id: str = ""
    tax_number: str = ""
    legal_id: str = ""  # BT-30 / BT-47
    legal_info: str = ""  # BT-33
    identifier: str = ""  # BT-29 / BT-46
    contact: str = ""  # BT-41 / BT-56


@dataclass(frozen=True)
class XmlInvoice:
    """What an EN 16931 invoice or credit note says, from CII or UBL alike."""

    type_code: str
    number: str
    lines: tuple[XmlLine, ...]
    bands: tuple[XmlBand, ...]
    line_total: Decimal
    tax_total: Decimal
    grand_total: Decimal
    payable: Decimal
    seller: XmlParty
    buyer: XmlParty
    due_date: date | None
    supply_date: date | None
    period: tuple[date, date] | None
    buyer_reference: str
    order_reference: str
    notes: tuple[str, ...]
    terms: str
    means_code: str
    account: str  # BT-84
    bank_id: str  # BT-86
    remittance: str  # BT-83
    means_text: str  # BT-82


def _text(node, path: str) -> str:
    found = node.find(path) if node is not None else None
    return (found.text or "").strip() if found is not None else ""


def _dec(node, path: str) -> Decimal | None:
    text = _text(node, path)
    return Decimal(text) if text else None


def _day(text: str) -> date | None:
    if not text:
        return None
    return date.fromisoformat(text if "-" in text else f"{text[:4]}-{text[4:6]}-{text[6:]}")


def _span(node, start: str, end: str) -> tuple[date, date] | None:
    first, last = _day(_text(node, start)), _day(_text(node, end))
    return (first, last) if first and last else None


def read_xml(document: bytes) -> XmlInvoice:
    """The business terms of a CII or UBL file (or of the XML inside a hybrid PDF)."""
    from lxml import etree

    xml = embedded_xml(document) if document.startswith(b"%PDF") else document
    root = etree.fromstring(xml)
    return _read_cii(root) if syntax_of(xml) == "cii" else _read_ubl(root)


def _cii_party(node) -> XmlParty:
    ids = {el.get("schemeID"): (el.text or "").strip()
           for el in node.findall("{*}SpecifiedTaxRegistration/{*}ID")}
    return XmlParty(_text(node, "{*}Name"), _text(node, "{*}PostalTradeAddress/{*}CountryID"),
                    ids.get("VA", ""), ids.get("FC", ""),
                    _text(node, "{*}SpecifiedLegalOrganization/{*}ID"),
                    _text(node, "{*}Description"), _text(node, "{*}ID"),
                    _text(node, "{*}DefinedTradeContact/{*}PersonName"))


def _read_cii(root) -> XmlInvoice:
    dt = "{*}DateTimeString"
    lines = []
    for item in root.iter("{*}IncludedSupplyChainTradeLineItem"):
        quantity = item.find("{*}SpecifiedLineTradeDelivery/{*}BilledQuantity")
        settle = item.find("{*}SpecifiedLineTradeSettlement")
        lines.append(XmlLine(
            _text(item, "{*}AssociatedDocumentLineDocument/{*}LineID"),
            _text(item, "{*}SpecifiedTradeProduct/{*}Name"), Decimal(quantity.text),
            quantity.get("unitCode"),
            _dec(item, ".//{*}NetPriceProductTradePrice/{*}ChargeAmount"),
            _text(settle, "{*}ApplicableTradeTax/{*}CategoryCode"),
            _dec(settle, "{*}ApplicableTradeTax/{*}RateApplicablePercent"),
            _dec(settle, ".//{*}LineTotalAmount"),
            _span(settle, f"{{*}}BillingSpecifiedPeriod/{{*}}StartDateTime/{dt}",
                  f"{{*}}BillingSpecifiedPeriod/{{*}}EndDateTime/{dt}")))
    settle = root.find(".//{*}ApplicableHeaderTradeSettlement")
    bands = tuple(XmlBand(_text(tax, "{*}CategoryCode"),
                          _dec(tax, "{*}RateApplicablePercent"), _dec(tax, "{*}BasisAmount"),
                          _dec(tax, "{*}CalculatedAmount"), _text(tax, "{*}ExemptionReason"),
                          _text(tax, "{*}ExemptionReasonCode"))
                  for tax in settle.findall("{*}ApplicableTradeTax"))
    sums = settle.find("{*}SpecifiedTradeSettlementHeaderMonetarySummation")
    agreement = root.find(".//{*}ApplicableHeaderTradeAgreement")
    means = settle.find("{*}SpecifiedTradeSettlementPaymentMeans")
    account = means.find("{*}PayeePartyCreditorFinancialAccount") if means is not None else None
    return XmlInvoice(
        _text(root, ".//{*}ExchangedDocument/{*}TypeCode"),
        _text(root, ".//{*}ExchangedDocument/{*}ID"), tuple(lines), bands,
        _dec(sums, "{*}LineTotalAmount"), _dec(sums, "{*}TaxTotalAmount"),
        _dec(sums, "{*}GrandTotalAmount"), _dec(sums, "{*}DuePayableAmount"),
        _cii_party(agreement.find("{*}SellerTradeParty")),
        _cii_party(agreement.find("{*}BuyerTradeParty")),
        _day(_text(settle, f"{{*}}SpecifiedTradePaymentTerms/{{*}}DueDateDateTime/{dt}")),
        _day(_text(root, f".//{{*}}ActualDeliverySupplyChainEvent//{dt}")),
        _span(settle, f"{{*}}BillingSpecifiedPeriod/{{*}}StartDateTime/{dt}",
              f"{{*}}BillingSpecifiedPeriod/{{*}}EndDateTime/{dt}"),
        _text(agreement, "{*}BuyerReference"),
        _text(agreement, "{*}BuyerOrderReferencedDocument/{*}IssuerAssignedID"),
        tuple((n.text or "") for n in root.iterfind(".//{*}IncludedNote/{*}Content")),
        _text(settle, "{*}SpecifiedTradePaymentTerms/{*}Description"),
        _text(means, "{*}TypeCode"),
        _text(account, "{*}IBANID") or _text(account, "{*}ProprietaryID"),
        _text(means, "{*}PayeeSpecifiedCreditorFinancialInstitution/{*}BICID"),
        _text(settle, "{*}PaymentReference"), _text(means, "{*}Information"))


def _ubl_party(node) -> XmlParty:
    ids = {_text(s, "{*}TaxScheme/{*}ID"): _text(s, "{*}CompanyID")
           for s in node.findall("{*}PartyTaxScheme")}
    return XmlParty(_text(node, "{*}PartyLegalEntity/{*}RegistrationName"),
                    _text(node, "{*}PostalAddress/{*}Country/{*}IdentificationCode"),
                    ids.get("VAT", ""), ids.get("FC", ""),
                    _text(node, "{*}PartyLegalEntity/{*}CompanyID"),
                    _text(node, "{*}PartyLegalEntity/{*}CompanyLegalForm"),
                    _text(node, "{*}PartyIdentification/{*}ID"),
                    _text(node, "{*}Contact/{*}Name"))


def _read_ubl(root) -> XmlInvoice:
    lines = []
    for item in [*root.findall("{*}InvoiceLine"), *root.findall("{*}CreditNoteLine")]:
        quantity = item.find("{*}InvoicedQuantity")
        if quantity is None:
            quantity = item.find("{*}CreditedQuantity")
        tax = item.find("{*}Item/{*}ClassifiedTaxCategory")
        lines.append(XmlLine(
            _text(item, "{*}ID"), _text(item, "{*}Item/{*}Name"), Decimal(quantity.text),
            quantity.get("unitCode"), _dec(item, "{*}Price/{*}PriceAmount"),
            _text(tax, "{*}ID"), _dec(tax, "{*}Percent"), _dec(item, "{*}LineExtensionAmount"),
            _span(item, "{*}InvoicePeriod/{*}StartDate", "{*}InvoicePeriod/{*}EndDate")))
    totals = root.find("{*}LegalMonetaryTotal")
    means = root.find("{*}PaymentMeans")
    return XmlInvoice(
        _text(root, "{*}InvoiceTypeCode") or _text(root, "{*}CreditNoteTypeCode"),
        _text(root, "{*}ID"), tuple(lines),
        tuple(XmlBand(_text(sub, "{*}TaxCategory/{*}ID"), _dec(sub, "{*}TaxCategory/{*}Percent"),
                      _dec(sub, "{*}TaxableAmount"), _dec(sub, "{*}TaxAmount"),
                      _text(sub, "{*}TaxCategory/{*}TaxExemptionReason"),
                      _text(sub, "{*}TaxCategory/{*}TaxExemptionReasonCode"))
              for sub in root.findall("{*}TaxTotal/{*}TaxSubtotal")),
        _dec(totals, "{*}LineExtensionAmount"), _dec(root, "{*}TaxTotal/{*}TaxAmount"),
        _dec(totals, "{*}TaxInclusiveAmount"), _dec(totals, "{*}PayableAmount"),
        _ubl_party(root.find("{*}AccountingSupplierParty/{*}Party")),
        _ubl_party(root.find("{*}AccountingCustomerParty/{*}Party")),
        _day(_text(root, "{*}DueDate") or _text(means, "{*}PaymentDueDate")),
        _day(_text(root, "{*}Delivery/{*}ActualDeliveryDate")),
        _span(root, "{*}InvoicePeriod/{*}StartDate", "{*}InvoicePeriod/{*}EndDate"),
        _text(root, "{*}BuyerReference"), _text(root, "{*}OrderReference/{*}ID"),
        tuple((n.text or "") for n in root.findall("{*}Note")),
        _text(root, "{*}PaymentTerms/{*}Note"), _text(means, "{*}PaymentMeansCode"),
        _text(means, "{*}PayeeFinancialAccount/{*}ID"),
        _text(means, "{*}PayeeFinancialAccount/{*}FinancialInstitutionBranch/{*}ID"),
        _text(means, "{*}PaymentID"),
        means.find("{*}PaymentMeansCode").get("name", "") if means is not None else "")


# --- ... and compared with what the PDF prints ---------------------------------------------
def nospace(text: str) -> str:
    """Text as read back with every space, no-break space and line break taken out, so that
    a wrapped note or a Chinese line broken anywhere compares whole."""
    return "".join(text.split())


def minor(amount: Decimal, currency: str) -> int:
    from desktop_app.domain.money import minor_digits

    return int(amount.scaleb(minor_digits(currency)))


def info_text(pdf: bytes) -> str:
    """The first page's right half, where the document's details stand beside the window
    address (read whole, a detail's wrapped value is interleaved with address lines)."""
    import pdfplumber

    with pdfplumber.open(BytesIO(pdf)) as doc:
        page = doc.pages[0]
        return page.crop((page.width / 2, 0, page.width, page.height)).extract_text() or ""


def disagreements(xml: XmlInvoice, pdf: bytes, language: str, currency: str) -> list[str]:
    """What the e-invoice says that the PDF (an invoice or a credit note) does not print in
    the reader's words: every line with its quantity, unit, price, rate and net, every VAT
    band with its category, base and tax, the totals, the supply date or period, the
    buyer's references, the due date and every legal note. Empty: they agree."""
    import re

    from desktop_app.documents.i18n import Lang
    from desktop_app.documents.invoice import unit_name
    from desktop_app.documents.legal import band_label
    from desktop_app.domain.vat import VatCategory
    from tests.support.pdf import Pdf

    t = Lang(language, language)
    printed, details = nospace(Pdf(pdf).text), nospace(info_text(pdf))
    money = lambda amount: t.money(minor(amount, currency), currency)  # noqa: E731
    missing: list[str] = []

    def expect(what: str, *parts: str, among: str = "") -> None:
        if nospace("".join(parts)) not in (among or printed):
            missing.append(f"{what}: {' '.join(parts)!r}")

    def detail(what: str, label: str, value: str) -> None:
        """A row of the details beside the address: a long label or value wraps over
        lines, read interleaved with the other column's."""
        for word in f"{label} {value}".split():
            expect(what, word, among=details)

    credit = xml.type_code == "381"
    for line in xml.lines:
        if credit:  # a row per VAT band: its label, net and tax
            expect(f"line {line.identifier}", line.name, money(line.net))
            continue
        row = re.escape(nospace(f"{line.identifier}{line.name}{t.number(line.quantity)}"
                                f"{unit_name(t, line.unit)}{t.price(line.price, currency)}"
                                f"{t.percent(line.rate or Decimal(0))}"))
        if not re.search(row + r"(?:[\d.,]+%)?" + re.escape(nospace(money(line.net))),
                         printed):
            missing.append(f"line {line.identifier} {line.name} {line.quantity} {line.unit} "
                           f"{line.price} {line.category} {line.rate} {line.net}")
        if line.period:
            expect(f"line {line.identifier} period", t(
                "%(start)s to %(end)s", start=t.date(line.period[0]),
                end=t.date(line.period[1])))
    for band in xml.bands:
        category = VatCategory(band.category)
        label = band_label(t, category, t.percent(band.rate or Decimal(0)), money(band.base))
        expect(f"VAT {band.category} {band.rate}", label, *(() if credit else (
            money(band.tax),)))
    if credit:
        expect("net credited", t("Credited net"), money(xml.line_total))
        expect("total credited", t("Total credited"), money(xml.grand_total))
    else:
        expect("subtotal", t("Subtotal"), money(xml.line_total))
        expect("total", t("Total"), money(xml.grand_total))
        if xml.due_date:
            detail("due date", t("Due date"), t.date(xml.due_date))
    if xml.period:
        detail("supply period", t("Service period"), t(
            "%(start)s to %(end)s", start=t.date(xml.period[0]), end=t.date(xml.period[1])))
    elif xml.supply_date:
        detail("supply date", t("Delivery date"), t.date(xml.supply_date))
    else:
        missing.append("neither a supply date nor a period")
    if xml.order_reference:
        detail("order", t("Your order"), xml.order_reference)
    if xml.buyer_reference:
        detail("buyer reference", t("Your reference"), xml.buyer_reference)
    if xml.buyer.identifier:
        detail("customer number", t("Customer number"), xml.buyer.identifier)
    if xml.buyer.vat_id:
        detail("customer VAT ID", t("Your VAT ID"), xml.buyer.vat_id)
    for note in xml.notes:
        expect("note", note)
    return missing

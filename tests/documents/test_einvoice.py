"""E-invoices against the official rules: every format, every VAT category, allowances and
charges, installments with an early discount, credit notes, a currency without decimals,
Cyrillic and Chinese names; the Factur-X XSD; the hybrid PDF read back as PDF/A-3b."""

from __future__ import annotations

import dataclasses
import hashlib
from datetime import UTC, date, datetime
from decimal import Decimal as D
from io import BytesIO
from pathlib import Path

import pikepdf
import pytest
from lxml import etree

from desktop_app.documents import render_invoice
from desktop_app.documents.einvoice.formats import Format, check, write_xml
from desktop_app.documents.einvoice.hybrid import HybridInfo, make_hybrid
from desktop_app.documents.einvoice.model import (
    Address,
    AllowanceCharge,
    Contact,
    DocumentKind,
    EarlyDiscount,
    EInvoice,
    Endpoint,
    Installment,
    Line,
    Party,
    Payment,
    PrecedingInvoice,
    VatCategory,
)
from desktop_app.documents.samples import sample_customer, sample_invoice
from desktop_app.domain.errors import ValidationError
from tests.support.einvoice import embedded_xml
from tests.support.pdf import fonts_without_file

S, Z, E, AE, K, G = (VatCategory.STANDARD, VatCategory.ZERO_RATED, VatCategory.EXEMPT,
                     VatCategory.REVERSE_CHARGE, VatCategory.INTRA_EU, VatCategory.EXPORT)
OUT = VatCategory.OUTSIDE_SCOPE
ALL_FORMATS = (Format.FACTURX, Format.XRECHNUNG_CII, Format.XRECHNUNG_UBL, Format.PEPPOL)
XRECHNUNG = (Format.XRECHNUNG_CII, Format.XRECHNUNG_UBL)

SELLER = Party(
    "Lindenhof GmbH", Address("DE", ("Hauptstraße 5",), "Berlin", "10115"),
    vat_id="DE123456789", endpoint=Endpoint("9930", "DE123456789"),
    contact=Contact("Anna Weber", "+49 30 1234567", "rechnung@lindenhof.example"))
BUYER = Party("Stadt Musterhausen", Address("DE", ("Rathausplatz 1",), "Musterhausen", "12345"),
              vat_id="DE987654321", endpoint=Endpoint("0204", "991-12345-67"))
PAY = Payment("58", remittance="RF18539007547034", iban="DE89370400440532013000",
              bic="COBADEFFXXX", account_name="Lindenhof GmbH")


def line(n: int, amount: str, category: VatCategory = S, rate: str | None = "19", *,
         qty: str = "1", allowance: str = "0") -> Line:
    net = D(amount)
    return Line(str(n), f"Item {n}", D(qty), "C62", (net + D(allowance)) / D(qty), category,
                None if rate is None else D(rate), net, allowance=D(allowance),
                allowance_reason="Discount" if allowance != "0" else "")


def invoice(*lines: Line, **changes) -> EInvoice:
    base = EInvoice(
        kind=DocumentKind.INVOICE, number="RE-2026-0042", issue_date=date(2026, 3, 2),
        currency="EUR", seller=SELLER, buyer=BUYER, lines=lines or (line(1, "100.00"),),
        due_date=date(2026, 4, 1), terms_text="Zahlbar bis 01.04.2026.", payment=PAY,
        buyer_reference="991-12345-67", supply_date=date(2026, 2, 27))
    return dataclasses.replace(base, **changes)


def assert_valid(rules, fmt: Format, doc: EInvoice) -> bytes:
    xml = write_xml(doc, fmt)
    assert rules.failures(xml, xrechnung=fmt in XRECHNUNG) == [], xml.decode()
    return xml


# --- each VAT category ------------------------------------------------------------------------
OUTSIDE_BUYER = dataclasses.replace(BUYER, vat_id="")
CATEGORY_CASES = {
    "S two rates and a line discount": dict(lines=(
        line(1, "950.00", qty="10"), line(2, "67.23", rate="7", qty="3", allowance="7.47"))),
    "Z zero rated": dict(lines=(line(1, "100.00"), line(2, "40.00", Z, "0"))),
    "E exempt with its reason": dict(lines=(line(1, "500.00", E, "0"),),
                                     exemption_reasons=((E, "Steuerfrei nach § 4 Nr. 21 UStG",
                                                         "VATEX-EU-132-1I"),)),
    "AE reverse charge": dict(lines=(line(1, "1200.00", AE, "0"),)),
    "K intra-EU supply": dict(lines=(line(1, "800.00", K, "0"),),
                              buyer=dataclasses.replace(BUYER, vat_id="FR40303265045",
                                                        address=Address("FR", ("1 rue X",),
                                                                        "Paris", "75001"))),
    "G export": dict(lines=(line(1, "300.00", G, "0"),),
                     buyer=dataclasses.replace(BUYER, vat_id="", address=Address(
                         "US", ("1 Main St",), "Springfield", "62704", "IL"))),
    "O outside the scope": dict(lines=(line(1, "250.00", OUT, None),),
                                seller=dataclasses.replace(SELLER, vat_id="",
                                                           tax_number="201/113/40209",
                                                           legal_id="HRB 12345",
                                                           endpoint=Endpoint("EM", "a@b.de")),
                                buyer=OUTSIDE_BUYER),
}


@pytest.mark.parametrize("fmt", [Format.FACTURX, Format.PEPPOL])
@pytest.mark.parametrize("case", CATEGORY_CASES)
def test_each_vat_category_passes_the_rules(einvoice_rules, case, fmt):
    doc = invoice(**CATEGORY_CASES[case])
    xml = assert_valid(einvoice_rules, fmt, doc)
    categories = {ln.category.value for ln in doc.lines}
    for category in categories:
        assert f">{category}<".encode() in xml


def test_the_breakdown_adds_up_and_rounds_once_per_rate():
    doc = invoice(line(1, "0.05", qty="1"), line(2, "0.05"), line(3, "672.30", rate="7"))
    bands = {b.rate: b for b in doc.breakdown}
    assert bands[D("19")].taxable == D("0.10") and bands[D("19")].tax == D("0.02")
    assert bands[D("7")].tax == D("47.06")  # 672.30 x 7 % = 47.061, rounded once
    assert doc.payable == doc.line_total + doc.tax_total == D("719.48")


# --- every format: allowances and charges, installments, credit note, JPY, scripts ----------
def with_allowance_and_charge() -> EInvoice:
    return invoice(line(1, "1000.00"), line(2, "200.00", rate="7"), allowances_charges=(
        AllowanceCharge(False, D("50.00"), S, D("19"), "Loyalty discount", "95"),
        AllowanceCharge(True, D("15.00"), S, D("19"), "Freight", "FC"),
        AllowanceCharge(False, D("10.00"), S, D("7"), "Early order", "95")))


def with_installments() -> EInvoice:
    base = invoice(line(1, "1000.00"))
    total = base.payable  # 1190.00
    return dataclasses.replace(
        base, installments=(Installment("Deposit 30 %", date(2026, 3, 2), D("357.00")),
                            Installment("Balance", date(2026, 4, 1), total - D("357.00"))),
        early_discount=EarlyDiscount(D("2"), 10))


def credit_note() -> EInvoice:
    return invoice(line(1, "100.00"), line(2, "50.00", rate="7"), kind=DocumentKind.CREDIT_NOTE,
                   number="GS-2026-0003", due_date=None,
                   preceding=(PrecedingInvoice("RE-2026-0042", date(2026, 3, 2)),),
                   notes=("Order cancelled",))


def in_yen() -> EInvoice:
    return invoice(Line("1", "Consulting", D("3"), "HUR", D("12500"), S, D("10"), D("37500")),
                   currency="JPY", payment=dataclasses.replace(PAY, means_code="30", iban="",
                                                               account_number="1234567"))


def in_other_scripts() -> EInvoice:
    return invoice(Line("1", "Монтаж оборудования", D("2"), "HUR", D("80"), S, D("19"),
                        D("160.00")),
                   Line("2", "技术咨询服务", D("1"), "C62", D("90"), S, D("19"), D("90.00")),
                   buyer=dataclasses.replace(BUYER, name="ООО «Ромашка» 北京科技有限公司"))


EVERY_FORMAT_CASES = {"allowances and charges": with_allowance_and_charge,
                      "installments and Skonto": with_installments,
                      "credit note": credit_note, "JPY": in_yen,
                      "Cyrillic and Chinese": in_other_scripts}


@pytest.mark.parametrize("fmt", ALL_FORMATS)
@pytest.mark.parametrize("case", EVERY_FORMAT_CASES)
def test_every_format_passes_the_rules(einvoice_rules, case, fmt):
    xml = assert_valid(einvoice_rules, fmt, EVERY_FORMAT_CASES[case]())
    if case == "credit note":
        assert b">381<" in xml and b"RE-2026-0042" in xml
        if fmt in (Format.XRECHNUNG_UBL, Format.PEPPOL):
            assert b"<CreditNote" in xml and b"CreditNoteLine" in xml
    if case == "JPY":
        assert b">37500<" in xml and b"37500.00" not in xml


def test_skonto_is_written_as_the_german_rules_ask_and_only_in_the_invoices_words_elsewhere():
    doc = dataclasses.replace(with_installments(), terms_text=(
        "Net 30: please pay in 2 installments.\nIf paid by 12 Mar 2026, you may deduct 2 %."))
    german = write_xml(doc, Format.XRECHNUNG_CII).decode()
    assert "#SKONTO#TAGE=10#PROZENT=2.00#\n</ram:Description>" in german
    assert "Deposit 30 %: 357.00 EUR 2026-03-02" in german
    other = write_xml(dataclasses.replace(doc, buyer=dataclasses.replace(
        BUYER, address=Address("BE", (), "Brussel", "1000"))), Format.PEPPOL).decode()
    assert "#SKONTO#" not in other and "If paid by 12 Mar 2026, you may deduct 2 %." in other
    assert other.count("2 %") == 1  # the invoice's words, not a second English sentence


def from_the_books(fmt: Format, credit: bool = False) -> EInvoice:
    """The sample invoice (register, directors, signer, customer number, order number,
    supply date) or its credit note, mapped as the books map them."""
    from desktop_app.documents.data import CreditNote
    from desktop_app.documents.einvoice.mapping import Receiver, from_credit_note, from_invoice
    from desktop_app.domain.lines import credit_bands

    printed = sample_invoice(customer=dataclasses.replace(sample_customer("de"),
                                                          vat_id="DE811907980"))
    receiver = Receiver("ap@mueller.example", "991-12345-67", "")
    if not credit:
        return from_invoice(printed, fmt, receiver)
    note = CreditNote(printed.company, printed.customer, "GS-2025-0007", date(2025, 3, 20),
                      printed.number, printed.issue_date, "EUR", "Auftrag storniert",
                      credit_bands(printed.bands, 100_000), supply_date=printed.supply_date,
                      order_reference=printed.order_reference)
    return from_credit_note(note, fmt, receiver)


def test_cii_passes_the_factur_x_xsd_for_the_en16931_profile():
    from facturx import xml_check_xsd

    for make in (*EVERY_FORMAT_CASES.values(), lambda: invoice(**CATEGORY_CASES["E exempt "
                                                                               "with its reason"])):
        for fmt in (Format.FACTURX, Format.XRECHNUNG_CII):
            assert xml_check_xsd(etree.fromstring(write_xml(make(), fmt)), flavor="factur-x",
                                 level="en16931")
    for fmt in (Format.FACTURX, Format.XRECHNUNG_CII):  # with the seller's legal data
        for credit in (False, True):
            xml = write_xml(from_the_books(fmt, credit), fmt)
            assert b"<ram:Description>" in xml and b"HRB 123456" in xml
            assert xml_check_xsd(etree.fromstring(xml), flavor="factur-x", level="en16931")


# --- refused before anything is written ------------------------------------------------------
@pytest.mark.parametrize(("fmt", "doc", "field"), [
    (Format.XRECHNUNG_CII, invoice(buyer_reference=""), "leitweg-id"),
    (Format.XRECHNUNG_UBL, invoice(seller=dataclasses.replace(SELLER, contact=Contact(
        "Anna", "", "a@b.de"))), "company phone"),
    (Format.XRECHNUNG_CII, invoice(buyer=dataclasses.replace(BUYER, address=Address("DE"))),
     "customer address"),
    (Format.FACTURX, invoice(seller=dataclasses.replace(SELLER, vat_id="")), "seller VAT ID"),
    (Format.FACTURX, invoice(line(1, "10.00", E, "0")), "exemption reason"),
    (Format.FACTURX, invoice(line(1, "10.00", AE, "0"), buyer=dataclasses.replace(
        BUYER, vat_id="")), "customer VAT ID"),
    (Format.PEPPOL, invoice(buyer=dataclasses.replace(BUYER, endpoint=None)),
     "customer Peppol ID"),
    (Format.PEPPOL, invoice(buyer=dataclasses.replace(BUYER, endpoint=Endpoint("12", "x"))),
     "customer Peppol ID"),
])
def test_an_invoice_that_cannot_be_valid_is_refused_with_the_field_named(fmt, doc, field):
    with pytest.raises(ValidationError) as refused:
        check(doc, fmt)
    assert refused.value.field == field


def test_the_model_refuses_what_no_syntax_can_say():
    with pytest.raises(ValidationError, match="BR-S-05"):
        invoice(line(1, "10.00", S, "0"))
    with pytest.raises(ValidationError, match="BR-O-11"):
        invoice(line(1, "10.00", OUT, None), line(2, "5.00"))
    with pytest.raises(ValidationError, match="installments"):
        invoice(installments=(Installment("All", date(2026, 4, 1), D("1.00")),))


# --- the hybrid PDF/A-3b ------------------------------------------------------------------------
def hybrid(doc: EInvoice | None = None) -> tuple[bytes, bytes]:
    xml = write_xml(doc or invoice(), Format.FACTURX)
    info = HybridInfo("Rechnung RE-2026-0042", "Lindenhof GmbH", "Rechnung für Musterhausen",
                      datetime(2026, 3, 2, 9, 30, tzinfo=UTC), "de")
    pdf = render_invoice(sample_invoice(customer=sample_customer("de")))
    return make_hybrid(pdf, xml, info), xml


def test_the_hybrid_pdf_reads_back_as_pdf_a_3b_with_its_xml(einvoice_rules):
    data, xml = hybrid()
    assert einvoice_rules.failures(data) == []
    with pikepdf.open(BytesIO(data)) as pdf:
        assert not pdf.is_encrypted
        meta = pdf.open_metadata()
        assert meta["pdfaid:part"] == "3" and meta["pdfaid:conformance"] == "B"
        assert meta["dc:title"] == str(pdf.docinfo.Title) == "Rechnung RE-2026-0042"
        assert meta["pdf:Producer"] == str(pdf.docinfo.Producer)
        assert str(pdf.docinfo.CreationDate) == "D:20260302093000+00'00'"
        assert meta["xmp:CreateDate"].startswith("2026-03-02T09:30:00")
        assert "/Filter" not in pdf.Root.Metadata  # the XMP is readable without decoding
        xmp = pdf.Root.Metadata.read_bytes().decode()
        assert "urn:factur-x:pdfa:CrossIndustryDocument:invoice:1p0#" in xmp
        assert "<fx:ConformanceLevel>EN 16931</fx:ConformanceLevel>" in xmp
        assert "<pdfaSchema:prefix>fx</pdfaSchema:prefix>" in xmp
        (intent,) = pdf.Root.OutputIntents
        assert intent.S == "/GTS_PDFA1" and intent.DestOutputProfile.N == 3
        icc = intent.DestOutputProfile.read_bytes()
        assert icc[36:40] == b"acsp" and icc[16:20] == b"RGB " and icc[8] <= 4
        assert fonts_without_file(pdf) == []
        (spec,) = pdf.Root.AF
        assert spec.AFRelationship == "/Alternative" and str(spec.UF) == "factur-x.xml"
        assert spec.EF.F.Subtype == "/text/xml" and "/ModDate" in spec.EF.F.Params
        assert embedded_xml(data) == xml
        assert pdf.pdf_version == "1.7"


def test_the_hybrid_is_the_same_bytes_when_made_again_in_any_process():
    import subprocess
    import sys

    code = ("import hashlib, tests.documents.test_einvoice as t; "
            "print(hashlib.sha256(t.hybrid()[0]).hexdigest())")
    other = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                           check=True, cwd=str(Path(__file__).parents[2])).stdout.strip()
    assert hybrid()[0] == hybrid()[0]
    assert hashlib.sha256(hybrid()[0]).hexdigest() == other


def test_paidups_own_pdfs_name_no_font_they_do_not_embed():
    from desktop_app.documents import render_calibration, render_letter
    from desktop_app.documents.samples import sample_company, sample_letter

    for data in (render_invoice(sample_invoice(customer=sample_customer("zh_CN"))),
                 render_letter(sample_letter()), render_calibration(sample_company())):
        with pikepdf.open(BytesIO(data)) as pdf:
            # Before the fix: Helvetica, named by the canvas preamble and by table cells.
            assert fonts_without_file(pdf) == []


def test_a_cmyk_logo_is_drawn_in_rgb():
    from PIL import Image

    from desktop_app.documents.samples import sample_company

    picture = BytesIO()
    Image.new("CMYK", (40, 20), (0, 200, 200, 0)).save(picture, format="JPEG")
    company = dataclasses.replace(sample_company(), logo=picture.getvalue())
    data = render_invoice(dataclasses.replace(sample_invoice(), company=company))
    with pikepdf.open(BytesIO(data)) as pdf:
        images = [x for form in pdf.pages[0].Resources.XObject.values()
                  for x in [form, *(form.get("/Resources", {}).get("/XObject", {}) or {})
                            .values()] if x.get("/Subtype") == "/Image"]
        assert images and all(x.ColorSpace in ("/DeviceRGB", "/DeviceGray") for x in images)


# --- how to pay, from the account the invoice prints -----------------------------------------
def _paying(currency: str, country: str, **bank) -> tuple:
    from desktop_app.documents.data import BankDetails
    from desktop_app.documents.samples import sample_company

    company = dataclasses.replace(sample_company(currency=currency), country=country,
                                  bank=BankDetails(account_holder="Nordlicht", **bank))
    return sample_invoice(company=company, customer=sample_customer("de"),
                          installments=False), company


@pytest.mark.parametrize(("currency", "country", "bank", "expected"), [
    ("EUR", "DE", dict(iban="DE89 3704 0044 0532 0130 00", bic="COBADEFFXXX",
                       bank_name="Hamburger Bank"),
     ("58", "DE89370400440532013000", "COBADEFFXXX", "")),
    ("CHF", "CH", dict(iban="CH93 0076 2011 6238 5295 7", bic="POFICHBEXXX"),
     ("30", "CH9300762011623852957", "POFICHBEXXX", "")),
    ("USD", "US", dict(account_number="000123456789", routing_number="026009593",
                       bank_name="Bank of America"),
     ("30", "000123456789", "026009593", "Bank of America")),
    ("RUB", "RU", dict(account_number="40702810900000012345", bic="044525225",
                       correspondent_account="30101810400000000225",
                       bank_name="ПАО Сбербанк"),
     ("30", "40702810900000012345", "044525225",
      "ПАО Сбербанк; Korrespondenzkonto: 30101810400000000225")),
    ("CNY", "CN", dict(account_number="0200 0045 0901 2345 678",
                       bank_name="中国工商银行北京分行"),
     ("30", "0200004509012345678", "", "中国工商银行北京分行")),
    ("USD", "US", dict(checks_payable_to="Nordlicht Woodworks LLC",
                       remit_to=("PO Box 1", "Springfield, IL 62704")),
     ("20", "", "", "Scheck zahlbar an: Nordlicht Woodworks LLC; Zahlungsanschrift: PO Box 1, "
                    "Springfield, IL 62704")),
])
def test_the_payment_means_are_the_account_the_invoice_prints(einvoice_rules, currency,
                                                              country, bank, expected):
    from desktop_app.documents.einvoice.mapping import Receiver, from_invoice
    from tests.support.einvoice import read_xml

    printed, _ = _paying(currency, country, **bank)
    for fmt in (Format.FACTURX, Format.PEPPOL):
        xml = write_xml(from_invoice(printed, fmt, Receiver(peppol_id="0088:4035811991021"),
                                     "0088:4035811991022"), fmt)
        assert einvoice_rules.failures(xml) == [], xml.decode()
        read = read_xml(xml)
        assert (read.means_code, read.account, read.bank_id, read.means_text) == expected
        assert read.remittance == printed.reference  # the reference the PDF asks to quote


def test_a_seller_whose_country_nothing_names_is_asked_for_it():
    from desktop_app.documents.einvoice.mapping import Receiver, from_invoice

    printed, _ = _paying("USD", "", account_number="000123456789", routing_number="026009593")
    company = dataclasses.replace(printed.company, address=("1 Main St", "Springfield"),
                                  vat_id="")
    with pytest.raises(ValidationError) as refused:
        from_invoice(dataclasses.replace(printed, company=company), Format.FACTURX,
                     Receiver())
    assert refused.value.field == "company country"


def test_the_xml_states_the_vat_the_invoice_was_issued_with_never_a_recomputed_one(
        einvoice_rules):
    """An invoice issued before VAT was computed once per rate kept its per-line figures
    (3 x 15.69 = 47.07 where 7 % of 672.30 rounds to 47.06): its e-invoice, made later,
    states what it printed."""
    from desktop_app.documents.data import InvoiceLine
    from desktop_app.documents.einvoice.mapping import Receiver, from_invoice
    from desktop_app.domain.lines import Line, TaxBand
    from tests.support.einvoice import read_xml

    base = sample_invoice(customer=sample_customer("de"), installments=False)
    line = Line("Pflegeset", D(3), D("224.10"), D(7))
    printed = dataclasses.replace(
        base, lines=(InvoiceLine.from_line(line, "EUR"),),
        bands=(TaxBand(D(7), 67230, 4707),), subtotal_minor=67230, tax_minor=4707,
        total_minor=71937)
    xml = write_xml(from_invoice(printed, Format.FACTURX, Receiver()), Format.FACTURX)
    assert einvoice_rules.failures(xml) == []
    read = read_xml(xml)
    assert [b.tax for b in read.bands] == [D("47.07")]
    assert (read.tax_total, read.grand_total) == (D("47.07"), D("719.37"))

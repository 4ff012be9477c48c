"""E-invoices from books set up the way real users keep them, on the command line: a German
company with its VAT ID, register and signer invoicing a German business (two rates, a
supply period, an order number), a French business by reverse charge, an exempt line, a
public buyer in XRechnung CII and UBL, a Belgian Peppol customer, an export and a service
outside the scope of VAT, and the same company as a small business; each invoice voided by
a credit note in the same format. Every file passes the official rules, and what the XML
says (lines, units, categories, supply date, references, totals, legal notes) is what the
PDF it goes with prints."""

from __future__ import annotations

from decimal import Decimal
from io import BytesIO

import pikepdf
import pytest

from tests.support.einvoice import disagreements, read_xml
from tests.support.pdf import fonts_without_file

SELLER_VAT = "DE136695976"
ISSUED = "2026-11-02"
REGISTER = "Amtsgericht Hamburg, HRB 123456"


def seller(cli, *extra: str) -> None:
    cli("company", "set", "--name", "Nordlicht Tischlerei GmbH", "--currency", "EUR",
        "--country", "DE", "--vat-id", SELLER_VAT, "--tax-id", "21/815/08150",
        "--address", "Hafenstraße 12\n20457 Hamburg", "--phone", "+49 40 1234567",
        "--email", "rechnung@nordlicht.example", "--iban", "DE89 3704 0044 0532 0130 00",
        "--bic", "COBADEFFXXX", "--bank-name", "Hamburger Bank", "--register", REGISTER,
        "--directors", "Anna Schmidt, Jens Petersen",
        "--signer", "Anna Schmidt|Geschäftsführerin", *extra)
    cli("terms", "add", "2/10 net 30", "--net-days", "30", "--discount-percent", "2",
        "--discount-days", "10", "--default")


def customer(cli, name: str, *options: str) -> int:
    return cli.js("customer", "add", "--credit-granted", "--name", name, *options)["id"]


def issue(cli, customer_id: int, *lines: str, options: tuple[str, ...] = ()) -> int:
    args = [arg for line in lines for arg in ("--line", line)]
    invoice = cli.js("invoice", "add", "--customer", str(customer_id), *args, *options)["id"]
    cli("--as-of", ISSUED, "invoice", "issue", str(invoice))
    return invoice


def files_of(cli, tmp_path, invoice: int, fmt: str) -> tuple[bytes, bytes]:
    """The e-invoice kept at issue and the PDF that went with it (for a hybrid, itself)."""
    out = tmp_path / f"{invoice}.einvoice"
    assert cli.js("invoice", "einvoice", str(invoice), "-o", str(out))["format"] == fmt
    if fmt == "facturx":
        return out.read_bytes(), out.read_bytes()
    pdf = tmp_path / f"{invoice}.pdf"
    cli("--as-of", ISSUED, "invoice", "pdf", str(invoice), "-o", str(pdf))
    return out.read_bytes(), pdf.read_bytes()


def credit_note_files(cli, tmp_path, invoice: int) -> tuple[bytes, bytes]:
    note = cli.js("--as-of", "2026-11-20", "invoice", "void", str(invoice), "--reason",
                  "Auftrag storniert")["id"]
    out, pdf = tmp_path / f"cn{note}.einvoice", tmp_path / f"cn{note}.pdf"
    cli("invoice", "einvoice", str(note), "--credit-note", "-o", str(out))
    cli("invoice", "pdf", str(note), "--credit-note", "-o", str(pdf))
    return out.read_bytes(), pdf.read_bytes()


def check(rules, einvoice: bytes, pdf: bytes, language: str, *, xrechnung: bool = False):
    assert rules.failures(einvoice, xrechnung=xrechnung) == []
    xml = read_xml(einvoice)
    assert disagreements(xml, pdf, language, "EUR") == []
    return xml


def test_a_german_business_gets_factur_x_saying_what_the_invoice_prints(
        cli, tmp_path, einvoice_rules):
    seller(cli)
    buyer = customer(cli, "Müller Bau KG", "--language", "de", "--country", "DE",
                     "--address", "Lindenallee 7\n50667 Köln", "--number", "K-1001",
                     "--vat-id", "DE811907980", "--email", "buchhaltung@mueller.example")
    invoice = issue(cli, buyer, "Montage|12|65.00|19|HUR", "Pflegeset|3|224.10|7|C62",
                    options=("--supply-period", "2026-10-01..2026-10-31",
                             "--order-reference", "PO-4711"))
    hybrid, _ = files_of(cli, tmp_path, invoice, "facturx")
    xml = check(einvoice_rules, hybrid, hybrid, "de")
    assert [(ln.unit, ln.category, ln.rate, ln.net) for ln in xml.lines] == [
        ("HUR", "S", Decimal(19), Decimal("780.00")), ("C62", "S", Decimal(7),
                                                       Decimal("672.30"))]
    assert [(b.rate, b.base, b.tax) for b in xml.bands] == [  # the PDF's order
        (Decimal(7), Decimal("672.30"), Decimal("47.06")),  # once per rate (BR-CO-17)
        (Decimal(19), Decimal("780.00"), Decimal("148.20"))]
    assert (xml.tax_total, xml.grand_total) == (Decimal("195.26"), Decimal("1647.56"))
    shown = cli.js("invoice", "show", str(invoice))
    assert (shown["tax"], shown["total"]) == ("195.26", "1647.56")
    assert xml.period is not None and xml.period[0].isoformat() == "2026-10-01"
    assert (xml.order_reference, xml.buyer.identifier, xml.buyer.vat_id) == (
        "PO-4711", "K-1001", "DE811907980")
    assert (xml.seller.vat_id, xml.seller.tax_number, xml.seller.legal_id,
            xml.seller.contact) == (SELLER_VAT, "21/815/08150", REGISTER, "Anna Schmidt")
    assert xml.seller.legal_info == "Geschäftsführung: Anna Schmidt, Jens Petersen"
    assert (xml.seller.country, xml.buyer.country) == ("DE", "DE")
    assert (xml.means_code, xml.account, xml.bank_id) == (
        "58", "DE89370400440532013000", "COBADEFFXXX")
    assert xml.remittance.startswith("RF") and " " not in xml.remittance
    assert "#SKONTO#TAGE=10#PROZENT=2.00#" in xml.terms  # a German receiver reads Skonto

    note, pdf = credit_note_files(cli, tmp_path, invoice)
    assert note == pdf and note.startswith(b"%PDF")  # the credit note is a hybrid too
    with pikepdf.open(BytesIO(note)) as hybrid_note:
        meta = hybrid_note.open_metadata()
        assert (meta["pdfaid:part"], meta["dc:title"]) == ("3", "Gutschrift CN-2026-0001")
        assert str(hybrid_note.docinfo.Title) == "Gutschrift CN-2026-0001"
        (spec,) = hybrid_note.Root.AF
        assert spec.AFRelationship == "/Alternative" and str(hybrid_note.Root.Lang) == "de"
        assert fonts_without_file(hybrid_note) == []
    credit = check(einvoice_rules, note, pdf, "de")
    assert (credit.type_code, credit.grand_total) == ("381", Decimal("1647.56"))
    assert [(b.category, b.rate, b.tax) for b in credit.bands] == [
        ("S", Decimal(7), Decimal("47.06")), ("S", Decimal(19), Decimal("148.20"))]
    assert credit.period == xml.period and credit.order_reference == "PO-4711"
    assert credit.means_code == "97"  # set off against the invoice: nothing to pay


def test_a_french_business_by_reverse_charge_with_both_vat_ids(cli, tmp_path,
                                                              einvoice_rules):
    seller(cli)
    buyer = customer(cli, "Atelier Dupont SARL", "--language", "en",
                     "--address", "12 rue de la Paix\n75002 Paris\nFrance",
                     "--vat-id", "FR40303265045", "--number", "K-2002")
    invoice = issue(cli, buyer, "Beratung|8|120.00|0|HUR")  # AE proposed by the VAT ID
    hybrid, _ = files_of(cli, tmp_path, invoice, "facturx")
    xml = check(einvoice_rules, hybrid, hybrid, "en")
    assert [(ln.category, ln.rate) for ln in xml.lines] == [("AE", Decimal(0))]
    (band,) = xml.bands
    assert (band.category, band.reason_code, band.tax) == ("AE", "VATEX-EU-AE", Decimal(0))
    assert band.reason in xml.notes and "Reverse charge" in band.reason
    assert (xml.seller.vat_id, xml.buyer.vat_id, xml.buyer.country) == (
        SELLER_VAT, "FR40303265045", "FR")
    assert "#SKONTO#" not in xml.terms and "early-payment discount" in xml.terms

    note, pdf = credit_note_files(cli, tmp_path, invoice)
    credit = check(einvoice_rules, note, pdf, "en")
    assert [(b.category, b.reason_code) for b in credit.bands] == [("AE", "VATEX-EU-AE")]


def test_an_exempt_line_states_its_reason(cli, tmp_path, einvoice_rules):
    seller(cli)
    buyer = customer(cli, "Müller Bau KG", "--language", "de", "--country", "DE",
                     "--address", "Lindenallee 7\n50667 Köln")
    invoice = issue(cli, buyer, "Beratung|10|95.00|19|HUR",
                    "Schulung|1|480|0|LS|E:Steuerfrei nach § 4 Nr. 21 UStG")
    hybrid, _ = files_of(cli, tmp_path, invoice, "facturx")
    xml = check(einvoice_rules, hybrid, hybrid, "de")
    assert [(ln.unit, ln.category) for ln in xml.lines] == [("HUR", "S"), ("LS", "E")]
    exempt = [b for b in xml.bands if b.category == "E"]
    assert [(b.reason, b.base) for b in exempt] == [
        ("Steuerfrei nach § 4 Nr. 21 UStG", Decimal("480.00"))]
    assert xml.supply_date is not None and xml.supply_date.isoformat() == ISSUED

    note, pdf = credit_note_files(cli, tmp_path, invoice)
    credit = check(einvoice_rules, note, pdf, "de")
    assert {b.category for b in credit.bands} == {"S", "E"}


def test_a_small_business_charges_no_vat_and_says_why(cli, tmp_path, einvoice_rules):
    seller(cli, "--small-business")
    buyer = customer(cli, "Müller Bau KG", "--language", "de", "--country", "DE",
                     "--address", "Lindenallee 7\n50667 Köln")
    invoice = issue(cli, buyer, "Regal nach Maß|1|890.00|0|C62",
                    "Montage|3|45.00|0|HUR")
    hybrid, _ = files_of(cli, tmp_path, invoice, "facturx")
    xml = check(einvoice_rules, hybrid, hybrid, "de")
    assert {ln.category for ln in xml.lines} == {"E"} and xml.tax_total == 0
    (band,) = xml.bands
    assert "§ 19 UStG" in band.reason and band.reason in xml.notes

    note, pdf = credit_note_files(cli, tmp_path, invoice)
    check(einvoice_rules, note, pdf, "de")


def test_an_export_outside_the_eu_and_a_service_outside_the_scope_of_vat(
        cli, tmp_path, einvoice_rules):
    seller(cli, "--peppol-id", "9930:DE136695976")
    swiss = customer(cli, "Holzbau Keller AG", "--language", "de", "--country", "CH",
                     "--address", "Bahnhofstrasse 1\n8001 Zürich\nSchweiz",
                     "--vat-id", "CHE-123.456.788 MWST", "--einvoice", "facturx")
    export = issue(cli, swiss, "Werkbank Eiche|2|1200.00|0|C62|G")
    hybrid, _ = files_of(cli, tmp_path, export, "facturx")
    xml = check(einvoice_rules, hybrid, hybrid, "de")
    assert [(b.category, b.reason_code) for b in xml.bands] == [("G", "VATEX-EU-G")]
    assert (xml.buyer.country, xml.seller.vat_id) == ("CH", SELLER_VAT)

    norwegian = customer(cli, "Fjord Design AS", "--language", "en", "--country", "NO",
                         "--address", "Karl Johans gate 1\n0154 Oslo\nNorway",
                         "--peppol-id", "0192:987654325")
    service = issue(cli, norwegian, "Design consulting|6|110.00|0|HUR",  # O proposed
                    options=("--order-reference", "PO-NO-77"))
    xml_file, pdf = files_of(cli, tmp_path, service, "peppol")
    xml = check(einvoice_rules, xml_file, pdf, "en")
    (band,) = xml.bands
    assert (band.category, band.rate, band.reason_code) == ("O", None, "VATEX-EU-O")
    # BR-O-02: no VAT ID on either side; the seller is known by its register (BR-CO-26).
    assert (xml.seller.vat_id, xml.buyer.vat_id, xml.seller.legal_id) == ("", "", REGISTER)

    for invoice in (export, service):
        note, pdf = credit_note_files(cli, tmp_path, invoice)
        check(einvoice_rules, note, pdf, "de" if invoice == export else "en")


@pytest.mark.parametrize("fmt", ["xrechnung-cii", "xrechnung-ubl"])
def test_a_public_buyer_gets_xrechnung_under_its_leitweg_id(cli, tmp_path, einvoice_rules,
                                                            fmt):
    seller(cli)
    buyer = customer(cli, "Stadt Musterhausen", "--language", "de", "--country", "DE",
                     "--address", "Rathausplatz 1\n12345 Musterhausen",
                     "--email", "rechnung@musterhausen.example", "--leitweg-id",
                     "991-12345-67", "--einvoice", fmt, "--number", "K-3003")
    invoice = issue(cli, buyer, "Spielplatzbank|4|385.00|19|C62",
                    options=("--supply-date", "2026-10-28", "--order-reference", "B-2026-17"))
    # Issued without a reference of its own, the invoice is frozen with the Leitweg-ID.
    xml_file, pdf = files_of(cli, tmp_path, invoice, fmt)
    xml = check(einvoice_rules, xml_file, pdf, "de", xrechnung=True)
    assert (xml.buyer_reference, xml.order_reference) == ("991-12345-67", "B-2026-17")
    assert xml.supply_date is not None and xml.supply_date.isoformat() == "2026-10-28"
    assert xml.seller.contact == "Anna Schmidt"

    note, pdf = credit_note_files(cli, tmp_path, invoice)
    assert not note.startswith(b"%PDF")
    credit = check(einvoice_rules, note, pdf, "de", xrechnung=True)
    assert credit.buyer_reference == "991-12345-67"


def test_a_belgian_business_on_peppol(cli, tmp_path, einvoice_rules):
    seller(cli)
    buyer = customer(cli, "Brouwerij De Kroon BV", "--language", "en",
                     "--address", "Markt 1\n1000 Brussel\nBelgium",
                     "--vat-id", "BE0123456749", "--peppol-id", "0208:0123456749")
    # The counter is goods sent to Belgium (an intra-EU supply, K); fitting it a service
    # whose customer owes the VAT (reverse charge, AE, proposed by the VAT ID).
    invoice = issue(cli, buyer, "Bar counter, oak|1|4800.00|0|C62|K",
                    "Installation|16|65.00|0|HUR", options=("--order-reference", "PO-88"))
    xml_file, pdf = files_of(cli, tmp_path, invoice, "peppol")
    xml = check(einvoice_rules, xml_file, pdf, "en")
    assert [ln.category for ln in xml.lines] == ["K", "AE"]
    assert [(b.category, b.reason_code) for b in xml.bands] == [
        ("AE", "VATEX-EU-AE"), ("K", "VATEX-EU-IC")]
    assert (xml.buyer.vat_id, xml.buyer.country) == ("BE0123456749", "BE")
    assert b'schemeID="0208">0123456749<' in xml_file and b'schemeID="9930"' in xml_file

    note, pdf = credit_note_files(cli, tmp_path, invoice)
    assert b"<CreditNote" in note
    check(einvoice_rules, note, pdf, "en")


def test_peppol_without_a_reference_is_refused_at_issue_with_the_field_named(cli):
    seller(cli)
    buyer = customer(cli, "Brouwerij De Kroon BV", "--address", "Markt 1\n1000 Brussel",
                     "--country", "BE", "--vat-id", "BE0123456749",
                     "--peppol-id", "0208:0123456749")
    invoice = cli.js("invoice", "add", "--customer", str(buyer), "--line",
                     "Bar counter|1|4800.00|0|C62")["id"]
    refused = cli("--as-of", ISSUED, "invoice", "issue", str(invoice), ok=False)
    assert refused.returncode == 1 and "buyer reference" in refused.stderr
    assert refused.stderr.strip().count("\n") == 0
    assert cli.js("invoice", "show", str(invoice))["status"] == "draft"

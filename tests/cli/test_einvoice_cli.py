"""paidup-cli for e-invoices: a customer's channel, the file of an issued invoice, and clear
one-line refusals."""

from __future__ import annotations

from desktop_app.documents.einvoice.formats import FORMATS


def set_up(cli) -> None:
    cli("company", "set", "--name", "Lindenhof GmbH", "--currency", "EUR",
        "--email", "rechnung@lindenhof.example", "--phone", "+49 30 1234567",
        "--country", "DE", "--vat-id", "DE136695976", "--iban", "DE89370400440532013000",
        "--address", "Lindenstr. 1\n10969 Berlin", "--peppol-id", "9930:DE136695976")
    cli("customer", "add", "--credit-granted",
        "--name", "Brouwerij De Kroon BV", "--email", "ap@kroon.example",
        "--address", "Markt 1\n1000 Brussel\nBelgium")
    cli("invoice", "add", "--customer", "1", "--line", "Consulting|10|95.00|21",
        "--order-reference", "PO-88")


def test_a_customer_set_to_peppol_gets_its_file_written(cli, tmp_path, einvoice_rules):
    set_up(cli)
    shown = cli.js("customer", "update", "1", "--peppol-id", "0208:0123456749")
    assert shown["einvoice"] == "peppol" and shown["einvoice_chosen"] == ""
    assert cli.js("company", "show")["peppol_id"] == "9930:DE136695976"
    cli("invoice", "issue", "1", "--date", "2026-03-02")
    out = tmp_path / "inv.xml"
    assert cli.js("invoice", "einvoice", "1", "--out", str(out)) == {
        "path": str(out), "format": "peppol"}
    data = out.read_bytes()
    assert einvoice_rules.failures(data) == []
    assert b'schemeID="0208">0123456749<' in data and b'schemeID="9930"' in data
    pdf = tmp_path / "inv.pdf"
    assert cli.js("invoice", "einvoice", "1", "--format", "facturx", "-o",
                  str(pdf))["format"] == "facturx"
    assert einvoice_rules.failures(pdf.read_bytes()) == []


def test_refusals_name_the_field_in_one_line(cli, tmp_path):
    set_up(cli)
    bad = cli("customer", "update", "1", "--leitweg-id", "abc", ok=False)
    assert bad.returncode == 1 and bad.stderr.strip().count("\n") == 0
    assert "leitweg-id" in bad.stderr
    bad = cli("customer", "update", "1", "--einvoice", "xrechnung-ubl", ok=False)
    assert bad.returncode == 1 and "leitweg-id" in bad.stderr
    bad = cli("invoice", "einvoice", "1", "-o", str(tmp_path / "x.xml"), ok=False)
    assert bad.returncode == 1 and "draft" in bad.stderr
    # A Belgian business gets Peppol by default; without its endpoint the invoice goes out
    # as the plain PDF, and asking for its Peppol file names what is missing.
    assert cli.js("customer", "show", "1")["einvoice"] == "peppol"
    cli("invoice", "issue", "1", "--date", "2026-03-02")
    bad = cli("invoice", "einvoice", "1", "-o", str(tmp_path / "x.xml"), ok=False)
    assert bad.returncode == 1 and "customer Peppol ID" in bad.stderr
    bad = cli("customer", "update", "1", "--einvoice", "peppol", ok=False)
    assert bad.returncode == 1 and "peppol-id" in bad.stderr
    cli("customer", "update", "1", "--einvoice", "none")
    bad = cli("invoice", "einvoice", "1", "-o", str(tmp_path / "x.xml"), ok=False)
    assert bad.returncode == 1 and "--format" in bad.stderr  # the customer gets none
    usage = cli("invoice", "einvoice", "1", "--format", "pdf", "-o", "x", ok=False)
    assert usage.returncode == 2
    assert set(FORMATS) == {"none", "facturx", "xrechnung-cii", "xrechnung-ubl", "peppol"}

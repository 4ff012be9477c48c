"""E-invoices from the books: the customer's format and identifiers, the e-invoice made once
at issue and kept (its SHA-256 in the audit log), refusal at issue with the field named,
credit notes, the dossier; and for random invoices, the rules pass and the XML's totals are
the visible PDF's."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree
from sqlalchemy import select

from desktop_app.documents import data as doc
from desktop_app.documents import render_invoice
from desktop_app.documents.einvoice.formats import Format
from desktop_app.documents.samples import sample_company, sample_customer, sample_terms
from desktop_app.domain.errors import RuleViolation, ValidationError
from desktop_app.domain.lines import Line, totals
from desktop_app.domain.postal import split_address
from desktop_app.services import company, customers, documents, einvoices, invoices
from desktop_app.storage.models import AuditEntry, StoredDocument
from tests.support.books import ISSUE, draft
from tests.support.einvoice import embedded_xml
from tests.support.pdf import Pdf

RAM = "{urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100}"


def seller_data(books) -> None:
    company.set_company(books, address="Lindenstr. 1\n10969 Berlin", phone="+49 30 1234567",
                        email="rechnung@lindenhof.example", tax_id="DE123456789",
                        bic="COBADEFFXXX")


def public_buyer(books) -> None:
    customers.update_customer(books, 1, customers.CustomerInput(
        name="Stadt Musterhausen", email="rechnung@musterhausen.example", language="de",
        address="Rathausplatz 1\n12345 Musterhausen", terms="2/10 net 30"))
    einvoices.set_customer_einvoice(books, 1, leitweg_id="991-12345-67")


def stored(books, invoice_id: int, kind: str) -> list[StoredDocument]:
    with books.db.read() as session:
        rows = session.scalars(select(StoredDocument).where(
            StoredDocument.invoice_id == invoice_id, StoredDocument.kind == kind)).all()
        session.expunge_all()
        return list(rows)


def test_a_public_buyer_gets_xrechnung_made_once_at_issue_and_kept(ready, einvoice_rules):
    seller_data(ready)
    public_buyer(ready)
    assert customers.show_customer(ready, 1).einvoice == "xrechnung-cii"
    inv = draft(ready, "Beratung|10|95.00|19", "Handbuch|3|24.90|7")
    invoices.issue_invoice(ready, inv, ISSUE)
    (xml,) = stored(ready, inv, "einvoice")
    assert xml.filename == "INV-2026-0001-xrechnung-cii.xml" and xml.stage == "xrechnung-cii"
    assert einvoice_rules.failures(xml.pdf, xrechnung=True) == []
    assert b"991-12345-67" in xml.pdf and b"#SKONTO#TAGE=10#PROZENT=2.00#" in xml.pdf
    with ready.db.read() as session:
        audited = session.scalars(select(AuditEntry.sha256).where(
            AuditEntry.action == "document.einvoice")).all()
    assert audited == [xml.sha256] and documents.rendering.sha256_hex(xml.pdf) == xml.sha256
    again = einvoices.invoice_einvoice(ready, inv)
    assert again.content == xml.pdf  # frozen: the kept bytes, not a new rendering
    ubl = einvoices.invoice_einvoice(ready, inv, "xrechnung-ubl")
    assert einvoice_rules.failures(ubl.content, xrechnung=True) == []


def test_an_invoice_that_cannot_be_valid_is_refused_at_issue_and_nothing_changes(ready):
    public_buyer(ready)  # the company has no phone, no VAT ID
    inv = draft(ready, "Beratung|10|95.00|19")
    with pytest.raises(ValidationError) as refused:
        invoices.issue_invoice(ready, inv, ISSUE)
    assert refused.value.field == "seller VAT ID"
    company.set_company(ready, tax_id="DE123456789")
    with pytest.raises(ValidationError, match="company phone"):
        invoices.issue_invoice(ready, inv, ISSUE)
    view = invoices.show_invoice(ready, inv)
    assert (view.status, view.number) == ("draft", None)
    assert stored(ready, inv, "invoice") == []
    company.set_company(ready, phone="+49 30 1234567", email="a@lindenhof.example",
                        address="Lindenstr. 1\n10969 Berlin")
    assert invoices.issue_invoice(ready, inv, ISSUE).number == "INV-2026-0001"  # no gap


def test_a_facturx_customer_gets_the_hybrid_pdf_as_its_invoice(ready, einvoice_rules):
    seller_data(ready)
    einvoices.set_customer_einvoice(ready, 1, fmt="facturx")
    inv = draft(ready, "Beratung|10|95.00|19", "Handbuch|3|24.90|7")
    invoices.issue_invoice(ready, inv, ISSUE)
    (pdf,) = stored(ready, inv, "invoice")
    assert pdf.stage == "facturx" and pdf.filename == "INV-2026-0001.pdf"
    assert einvoice_rules.failures(pdf.pdf) == []
    assert documents.original_invoice_pdf(ready, inv) == pdf.pdf  # a reprint is a marked copy
    assert stored(ready, inv, "einvoice") == []


def test_a_voided_invoice_gets_its_credit_note_in_the_same_format(ready, einvoice_rules):
    seller_data(ready)
    public_buyer(ready)
    inv = draft(ready, "Beratung|10|95.00|19", "Handbuch|3|24.90|7")
    invoices.issue_invoice(ready, inv, ISSUE)
    note = invoices.void_invoice(ready, inv, "Order cancelled", ISSUE)
    made = einvoices.credit_note_einvoice_file(ready, note.id)
    assert made.format == "xrechnung-cii" and made.filename.startswith(note.number)
    assert einvoice_rules.failures(made.content, xrechnung=True) == []
    assert b">381<" in made.content and b"INV-2026-0001" in made.content


def test_a_partial_credit_note_splits_the_open_amount_by_rate_without_losing_a_cent(
        ready, einvoice_rules):
    seller_data(ready)
    einvoices.set_customer_einvoice(ready, 1, fmt="facturx")
    inv = draft(ready, "Beratung|10|95.00|19", "Handbuch|3|24.90|7")
    invoices.issue_invoice(ready, inv, ISSUE)
    from desktop_app.services import payments

    payments.record_payment(ready, payments.PaymentInput(inv, "333.33", ISSUE))
    note = invoices.void_invoice(ready, inv, "Rest cancelled", ISSUE)
    made = einvoices.credit_note_einvoice_file(ready, note.id)
    assert einvoice_rules.failures(made.content) == []
    grand = etree.fromstring(made.content).find(f".//{RAM}GrandTotalAmount").text
    assert Decimal(grand) == note.amount


def test_customer_identifiers_are_checked_and_the_default_follows_them(ready):
    with pytest.raises(ValidationError, match="leitweg-id"):
        einvoices.set_customer_einvoice(ready, 1, leitweg_id="not an id")
    with pytest.raises(ValidationError, match="peppol-id"):
        einvoices.set_customer_einvoice(ready, 1, peppol_id="12:345")
    with pytest.raises(ValidationError, match="peppol-id"):
        einvoices.set_customer_einvoice(ready, 1, fmt="peppol")
    assert customers.show_customer(ready, 1).einvoice == "none"
    einvoices.set_customer_einvoice(ready, 1, peppol_id="0208:0123456749")
    assert customers.show_customer(ready, 1).einvoice == "peppol"
    einvoices.set_customer_einvoice(ready, 1, fmt="none")
    assert customers.show_customer(ready, 1).einvoice == "none"
    with pytest.raises(RuleViolation, match="draft"):
        einvoices.invoice_einvoice(ready, draft(ready, "X|1|1.00|19"), "peppol")


def test_the_dossier_carries_the_xml_with_its_fingerprint(ready):
    seller_data(ready)
    public_buyer(ready)
    inv = draft(ready, "Beratung|10|95.00|19")
    invoices.issue_invoice(ready, inv, ISSUE)
    (xml,) = stored(ready, inv, "einvoice")
    pdf = documents.dossier_pdf(ready, inv, date(2027, 1, 20))
    from io import BytesIO

    import pikepdf

    with pikepdf.open(BytesIO(pdf)) as dossier:
        attached = dossier.attachments[xml.filename].get_file().read_bytes()
    assert attached == xml.pdf
    assert xml.sha256[:8] in Pdf(pdf).text


@pytest.mark.parametrize(("lines", "country", "city", "postcode"), [
    (["Hauptstraße 5", "10115 Berlin", "Deutschland"], "DE", "Berlin", "10115"),
    (["1 Main St", "Springfield, IL 62704", "USA"], "US", "Springfield", "62704"),
    (["ул. Тверская, 7", "125009, Москва", "Россия"], "RU", "Москва", "125009"),
    (["14 Harbour Road", "Bristol BS1 4RN", "United Kingdom"], "GB", "Bristol", "BS1 4RN"),
    (["朝阳区建国路88号", "北京市 100022", "中国"], "CN", "北京市", "100022"),
    (["Lindenstr. 1", "Berlin"], "", "Berlin", ""),
])
def test_a_typed_address_is_split_into_what_an_e_invoice_names(lines, country, city,
                                                                  postcode):
    parts = split_address(lines)
    assert (parts.country, parts.city, parts.postcode) == (country, city, postcode)
    assert parts.lines == (lines[0],)


def test_the_sellers_vat_id_is_the_one_on_file_and_a_steuernummer_its_tax_number():
    """A German company keeps its Steuernummer as tax ID and its VAT ID apart: the e-invoice
    names the seller by the VAT ID (BT-31, BR-CO-26), the Steuernummer as BT-32."""
    seller = einvoices.seller_party(sample_company(), "", Format.XRECHNUNG_CII)
    assert (seller.vat_id, seller.tax_number) == ("DE136695976", "21/815/08150")


# --- for random invoices: the rules pass and the XML's totals are the PDF's -----------------
def squash(text: str) -> str:
    """Text as read back: the PDF's no-break spaces and line breaks as plain spaces."""
    return " ".join(text.replace("\xa0", " ").replace("\u202f", " ").split())


line_strategy = st.tuples(
    st.decimals(min_value=Decimal("0.5"), max_value=Decimal("40"), places=1),
    st.decimals(min_value=Decimal("0.01"), max_value=Decimal("2500"), places=2),
    st.sampled_from([Decimal(0), Decimal(7), Decimal(19), Decimal("8.5")]),
    st.sampled_from([Decimal(0), Decimal(0), Decimal(5), Decimal("12.5")]))


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(specs=st.lists(line_strategy, min_size=1, max_size=5),
       language=st.sampled_from(["en", "de", "ru", "zh_CN"]),
       fmt=st.sampled_from([Format.FACTURX, Format.PEPPOL, Format.XRECHNUNG_UBL]))
def test_random_invoices_pass_the_rules_and_the_xml_totals_are_the_pdfs(
        einvoice_rules, specs, language, fmt):
    cur = "EUR"
    lines = [Line(f"Item {i}", q, p, t, d) for i, (q, p, t, d) in enumerate(specs, 1)]
    total = totals(lines, cur)
    issued = date(2026, 3, 2)
    terms = sample_terms()
    invoice = doc.Invoice(sample_company(), sample_customer(language), "2026-0042", issued,
                          terms.due_date(issued), cur,
                          tuple(doc.InvoiceLine.from_line(ln, cur) for ln in lines),
                          total.bands, total.subtotal_minor, total.tax_minor,
                          total.total_minor, terms)
    if total.total_minor <= 0:
        return
    pdf = render_invoice(invoice)
    einvoice = einvoices.einvoice_from_document(
        invoice, fmt, customer_email="ap@example.com", leitweg_id="991-12345-67",
        peppol_id="0088:4035811991021")
    made = einvoices.render(invoice, einvoice, fmt, pdf,
                            einvoices._instant(None, issued))
    xml = embedded_xml(made.content) if fmt is Format.FACTURX else made.content
    assert einvoice_rules.failures(xml, xrechnung=fmt is Format.XRECHNUNG_UBL) == []
    visible = squash(Pdf(pdf if fmt is not Format.FACTURX else made.content).text)
    from desktop_app.documents.i18n import Lang
    t = Lang(language, language)
    assert squash(t.money(total.total_minor, cur)) in visible
    tree = etree.fromstring(xml)
    amounts = {el.tag.rpartition("}")[2]: Decimal(el.text) for el in tree.iter()
               if el.tag.rpartition("}")[2] in (
                   "GrandTotalAmount", "DuePayableAmount", "TaxTotalAmount",
                   "TaxBasisTotalAmount", "LineExtensionAmount", "TaxInclusiveAmount",
                   "PayableAmount", "TaxAmount") and el.getparent().tag.rpartition("}")[2] in (
                   "SpecifiedTradeSettlementHeaderMonetarySummation", "LegalMonetaryTotal",
                   "TaxTotal")}
    payable = amounts.get("DuePayableAmount", amounts.get("PayableAmount"))
    tax = amounts.get("TaxTotalAmount", amounts.get("TaxAmount"))
    assert payable == Decimal(total.total_minor) / 100
    assert tax == Decimal(total.tax_minor) / 100
    for band in total.bands:  # every rate's tax as the PDF prints it
        assert squash(t.money(band.tax_minor, cur)) in visible


def test_a_format_guessed_from_the_country_gives_way_when_the_books_cannot_fill_it(ready):
    """A German business gets Factur-X by default; without the seller's VAT ID the invoice
    still goes out as the plain PDF, while a chosen format is refused."""
    customers.update_customer(ready, 1, customers.CustomerInput(
        name="Müller KG", address="Hauptstraße 5\n80331 München\nDeutschland", language="de"))
    assert customers.show_customer(ready, 1).einvoice == "facturx"
    plain = draft(ready, "Beratung|1|100.00|19")
    invoices.issue_invoice(ready, plain, ISSUE)
    (pdf,) = stored(ready, plain, "invoice")
    assert pdf.stage == "" and b"/EmbeddedFiles" not in pdf.pdf
    einvoices.set_customer_einvoice(ready, 1, fmt="facturx")
    with pytest.raises(ValidationError, match="seller VAT ID"):
        invoices.issue_invoice(ready, draft(ready, "Beratung|1|100.00|19"), ISSUE)

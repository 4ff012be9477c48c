"""E-invoices from the books: the customer's format and identifiers, the e-invoice made once
at issue and kept (its SHA-256 in the audit log), refusal at issue with the field named,
credit notes, the dossier; and for random invoices, the rules pass and the XML's totals are
the visible PDF's."""

from __future__ import annotations

import dataclasses
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from desktop_app.documents import data as doc
from desktop_app.documents import render_invoice
from desktop_app.documents.einvoice.formats import Format
from desktop_app.documents.einvoice.mapping import Receiver
from desktop_app.documents.samples import sample_company, sample_customer, sample_terms
from desktop_app.domain.errors import RuleViolation, ValidationError
from desktop_app.domain.lines import Line, totals
from desktop_app.domain.postal import split_address
from desktop_app.domain.units import UNITS
from desktop_app.domain.vat import VatCategory
from desktop_app.services import company, customers, documents, einvoices, invoices
from desktop_app.storage.models import AuditEntry, StoredDocument
from tests.support.books import ISSUE, draft
from tests.support.einvoice import disagreements, embedded_xml, read_xml
from tests.support.pdf import Pdf


def seller_data(books) -> None:
    company.set_company(books, address="Lindenstr. 1\n10969 Berlin", phone="+49 30 1234567",
                        email="rechnung@lindenhof.example", country="DE",
                        vat_id="DE136695976", bic="COBADEFFXXX")


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
    public_buyer(ready)  # the company has no VAT ID, no phone
    inv = draft(ready, "Beratung|10|95.00|19")
    with pytest.raises(ValidationError) as refused:
        invoices.issue_invoice(ready, inv, ISSUE)
    assert refused.value.field == "seller VAT ID"
    company.set_company(ready, vat_id="DE136695976")
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
    assert made.content.startswith(b"%PDF") and embedded_xml(made.content) == made.xml
    assert einvoice_rules.failures(made.content) == []
    credit = read_xml(made.content)
    assert credit.grand_total == note.amount == sum(b.base + b.tax for b in credit.bands)
    assert disagreements(credit, documents.credit_note_pdf(ready, note.id), "de", "EUR") == []


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
    (["信義區松仁路100號", "110 臺北市", "臺灣"], "TW", "臺北市", "110"),  # 臺, not 台
    (["Lindenstr. 1", "Berlin"], "", "Berlin", ""),
])
def test_a_typed_address_is_split_into_what_an_e_invoice_names(lines, country, city,
                                                                  postcode):
    parts = split_address(lines)
    assert (parts.country, parts.city, parts.postcode) == (country, city, postcode)
    assert parts.lines == (lines[0],)


# --- for random invoices: the rules pass and the XML says what the PDF prints -------------
S, Z, E, AE, K, G, OUT = (VatCategory.STANDARD, VatCategory.ZERO_RATED, VatCategory.EXEMPT,
                        VatCategory.REVERSE_CHARGE, VatCategory.INTRA_EU, VatCategory.EXPORT,
                        VatCategory.OUTSIDE_SCOPE)
EXEMPTION = "Steuerfrei nach § 4 Nr. 21 UStG"
tax_strategy = st.sampled_from([(S, Decimal(19)), (S, Decimal(7)), (S, Decimal("8.5")),
                                (Z, Decimal(0)), (E, Decimal(0)), (AE, Decimal(0)),
                                (K, Decimal(0)), (G, Decimal(0))])
line_strategy = st.tuples(
    st.decimals(min_value=Decimal("0.5"), max_value=Decimal("40"), places=1),
    st.decimals(min_value=Decimal("0.01"), max_value=Decimal("2500"), places=2),
    tax_strategy, st.sampled_from([Decimal(0), Decimal(0), Decimal(5), Decimal("12.5")]),
    st.sampled_from(sorted(UNITS)), st.booleans())
PERIOD = (date(2026, 2, 1), date(2026, 2, 28))


@settings(max_examples=16, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(specs=st.lists(line_strategy, min_size=1, max_size=5), outside=st.booleans(),
       language=st.sampled_from(["en", "de", "ru", "zh_CN", "zh_TW"]),
       fmt=st.sampled_from([Format.FACTURX, Format.PEPPOL, Format.XRECHNUNG_UBL,
                            Format.XRECHNUNG_CII]),
       supply=st.sampled_from(["date", "period"]), order=st.sampled_from(["", "PO-4711"]))
def test_random_invoices_pass_the_rules_and_say_what_the_pdf_prints(
        einvoice_rules, specs, outside, language, fmt, supply, order):
    cur = "EUR"
    lines = [Line(f"Item {i}", q, p, Decimal(0) if outside else rate, d, unit,
                  OUT if outside else category, EXEMPTION if category is E else "",
                  *(PERIOD if with_period else (None, None)))
             for i, (q, p, (category, rate), d, unit, with_period) in enumerate(specs, 1)]
    total = totals(lines, cur)
    if total.total_minor <= 0:
        return
    issued = date(2026, 3, 2)
    terms = sample_terms()
    customer = dataclasses.replace(sample_customer(language), vat_id="FR40303265045",
                                   country="FR")
    invoice = doc.Invoice(sample_company(), customer, "2026-0042", issued,
                          terms.due_date(issued), cur,
                          tuple(doc.InvoiceLine.from_line(ln, cur) for ln in lines),
                          total.bands, total.subtotal_minor, total.tax_minor,
                          total.total_minor, terms, payment_reference="RF18 5390 0754 7034",
                          supply_date=issued if supply == "date" else None,
                          period_start=PERIOD[0] if supply == "period" else None,
                          period_end=PERIOD[1] if supply == "period" else None,
                          buyer_reference="991-12345-67" if fmt in (
                              Format.XRECHNUNG_CII, Format.XRECHNUNG_UBL) else "",
                          order_reference=order or ("" if fmt is not Format.PEPPOL else "P-1"))
    pdf = render_invoice(invoice)
    made = einvoices.invoice_file(
        invoice, fmt, Receiver("ap@example.com", "991-12345-67", "0088:4035811991021"), pdf,
        einvoices._instant(None, issued))
    assert einvoice_rules.failures(made.content, xrechnung=fmt.value.startswith(
        "xrechnung")) == []
    xml = read_xml(made.content)
    assert disagreements(xml, made.content if fmt is Format.FACTURX else pdf, language,
                         cur) == []
    assert [ln.unit for ln in xml.lines] == [ln.unit for ln in lines]
    assert [ln.category for ln in xml.lines] == [ln.category.value for ln in lines]
    assert (xml.payable, xml.tax_total) == (Decimal(total.total_minor) / 100,
                                            Decimal(total.tax_minor) / 100)
    assert [b.tax for b in xml.bands if b.category == "S"] == [
        Decimal(b.tax_minor) / 100 for b in total.bands if b.category is S]


def test_a_format_guessed_from_the_country_gives_way_when_the_books_cannot_fill_it(ready):
    """A German business gets Factur-X by default; without the seller's VAT ID the invoice
    still goes out as the plain PDF, while a chosen format is refused."""
    company.set_company(ready, country="DE")
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


def test_a_line_with_its_own_period_from_the_draft_editor(ready, einvoice_rules):
    seller_data(ready)
    customers.update_customer(ready, 1, customers.CustomerInput(
        name="Müller Bau KG", address="Lindenallee 7\n50667 Köln", language="de",
        country="DE", number="K-1001"))
    inv = invoices.create_draft(ready, invoices.DraftInput(customer_id=1, lines=[
        invoices.LineInput("Wartung", "3", "120.00", "19", unit="MON",
                           period=(date(2026, 8, 1), date(2026, 10, 31))),
        invoices.LineInput("Ersatzteil", "2", "35.50", "19", unit="C62")],
        period=(date(2026, 8, 1), date(2026, 10, 31)), order_reference="PO-9")).id
    invoices.issue_invoice(ready, inv, ISSUE)
    (pdf,) = stored(ready, inv, "invoice")
    assert pdf.stage == "facturx" and einvoice_rules.failures(pdf.pdf) == []
    xml = read_xml(pdf.pdf)
    assert [(ln.unit, ln.period) for ln in xml.lines] == [
        ("MON", (date(2026, 8, 1), date(2026, 10, 31))), ("C62", None)]
    assert xml.period == (date(2026, 8, 1), date(2026, 10, 31)) and xml.supply_date is None
    assert disagreements(xml, pdf.pdf, "de", "EUR") == []


def test_books_from_before_the_legal_data_still_name_the_seller(ready, einvoice_rules):
    """The company kept its VAT ID as the tax ID and has no country of its own: the
    e-invoice, like the PDF's footer, calls that ID the VAT ID, and the country comes from
    the address, else the IBAN."""
    company.set_company(ready, tax_id="DE136695976", phone="+49 30 1234567",
                        email="rechnung@lindenhof.example")
    einvoices.set_customer_einvoice(ready, 1, fmt="facturx")
    inv = draft(ready, "Beratung|10|95.00|19")
    invoices.issue_invoice(ready, inv, ISSUE)
    (pdf,) = stored(ready, inv, "invoice")
    assert einvoice_rules.failures(pdf.pdf) == []
    xml = read_xml(pdf.pdf)
    assert (xml.seller.vat_id, xml.seller.tax_number, xml.seller.country) == (
        "DE136695976", "", "DE")
    assert "DE136695976" in Pdf(pdf.pdf).text


def test_the_default_format_follows_the_customers_country_and_kind(ready):
    """The country field decides (the address names none here); a consumer gets none."""
    business = customers.CustomerInput(name="Atelier Dupont SARL", address="12 rue de la Paix",
                                       country="FR")
    customers.update_customer(ready, 1, business)
    assert customers.show_customer(ready, 1).einvoice == "facturx"
    customers.update_customer(ready, 1, dataclasses.replace(business, country="BE"))
    assert customers.show_customer(ready, 1).einvoice == "peppol"
    customers.update_customer(ready, 1, dataclasses.replace(business, country="FR",
                                                            consumer=True))
    assert customers.show_customer(ready, 1).einvoice == "none"

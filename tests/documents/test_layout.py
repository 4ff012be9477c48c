"""No two pieces of text overlap on any page of any document, in any language, on A4 and
Letter: the columns of every table are sized from what they hold."""

from __future__ import annotations

from datetime import date
from io import BytesIO
from itertools import pairwise

import pdfplumber
import pytest

from desktop_app.documents import (
    render_credit_note,
    render_dossier,
    render_invoice,
    render_letter,
    sha256_hex,
)
from desktop_app.documents.data import (
    LANGUAGES,
    ActivityEntry,
    CreditDocumentKept,
    CreditNote,
    CreditRecord,
    CreditReferenceCall,
    Dossier,
    DossierInvoice,
    SentCopy,
    Stage,
    Statement,
    StatementEntry,
    StatementItem,
)
from desktop_app.documents.samples import (
    sample_company,
    sample_customer,
    sample_invoice,
    sample_letter,
)
from desktop_app.documents.statement import render_statement


def overlaps(pdf: bytes) -> list[str]:
    found = []
    with pdfplumber.open(BytesIO(pdf)) as doc:
        for number, page in enumerate(doc.pages, 1):
            lines: dict[int, list[dict]] = {}
            for char in page.chars:
                if char["text"].strip():
                    lines.setdefault(round(char["top"]), []).append(char)
            for chars in lines.values():
                chars.sort(key=lambda c: c["x0"])
                for a, b in pairwise(chars):
                    if a["x1"] > b["x0"] + 0.3:
                        found.append(f"page {number}: {a['text']!r} over {b['text']!r}")
    return found


def _documents(paper: str, language: str):
    company = sample_company(paper)
    customer = sample_customer(language)
    invoice = sample_invoice(company=company, customer=customer)
    yield render_invoice(invoice)
    yield render_credit_note(CreditNote(company, customer, "CN-2025-0003", date(2025, 4, 1),
                                        invoice.number, invoice.issue_date, "EUR",
                                        "Order cancelled", invoice.bands))
    for stage in Stage:
        yield render_letter(sample_letter(stage, language, company))
    statement = Statement(
        company, customer, date(2025, 7, 1), "EUR",
        (StatementItem("2025-0042", date(2025, 3, 3), date(2025, 4, 2), 431064, 245000,
                       "Deposit"),
         StatementItem("2025-0051", date(2025, 3, 10), date(2025, 4, 9), 38990, 38990)),
        date(2025, 1, 1), 10000,
        (StatementEntry(date(2025, 3, 3), "invoice", "2025-0042", debit_minor=431064),
         StatementEntry(date(2025, 3, 20), "payment", "Überweisung", credit_minor=186064)))
    yield render_statement(statement)
    copy = render_letter(sample_letter(Stage.REMINDER_1, language, company))
    yield render_dossier(Dossier(
        company, customer, date(2025, 7, 1),
        (DossierInvoice(invoice.number, invoice.issue_date, invoice.due_date,
                        invoice.total_minor, "EUR"),),
        (SentCopy(date(2025, 4, 7), "letter", "reminder_1", invoice.number, sha256_hex(copy),
                  copy),),
        (ActivityEntry(date(2025, 4, 10), "call", "Versprach Zahlung bis 20.04."),),
        statement,
        (CreditRecord(date(2025, 1, 10), "approved", "EUR", date(2025, 1, 20),
                      "Anna Schmidt-Hohenberger", 1_500_000, "Net 30", date(2026, 1, 20),
                      "Zahlt pünktlich",
                      (CreditReferenceCall(date(2025, 1, 14), "Holzhandel Nordwest GmbH & Co. KG",
                                           "Eva Krause", "+49 40 555 0101",
                                           "Zahlt seit Jahren innerhalb von 30 Tagen, nie "
                                           "gemahnt"),),
                      (CreditDocumentKept(date(2025, 1, 12), "financial_statements",
                                          "Jahresabschluss 2024 mit Lagebericht und Anhang.pdf",
                                          "0123456789abcdef" * 4),
                       CreditDocumentKept(date(2025, 1, 13), "credit_report",
                                          "Creditreform.pdf", "fedcba9876543210" * 4))),)))


@pytest.mark.parametrize("paper", ["a4", "letter"])
@pytest.mark.parametrize("language", LANGUAGES)
def test_no_text_overlaps_on_any_document(paper, language):
    for pdf in _documents(paper, language):
        assert overlaps(pdf) == []


@pytest.mark.parametrize("paper", ["a4", "letter"])
@pytest.mark.parametrize("language", LANGUAGES)
def test_an_invoice_with_a_schedule_and_the_agreement_each_fit_one_page(read_pdf, paper,
                                                                         language):
    company = sample_company(paper)
    invoice = sample_invoice(company=company, customer=sample_customer(language))
    assert len(read_pdf(render_invoice(invoice)).pages) == 1
    agreement = read_pdf(render_letter(sample_letter(Stage.PAYMENT_PLAN, language, company)))
    assert len(agreement.pages) == 1


@pytest.mark.parametrize("stage", list(Stage))
def test_a_closing_never_stands_alone_on_a_page(read_pdf, stage):
    """Whatever page the signature falls on also carries the payment details or the text."""
    for language in LANGUAGES:
        pdf = read_pdf(render_letter(sample_letter(stage, language)))
        last = pdf.words[-1]
        body = [w for w in last if 75 < w["top"] < 690]
        assert len(body) > 12, (language, [w["text"] for w in body])


def test_long_invoices_carry_the_subtotal_from_page_to_page(read_pdf):
    pdf = read_pdf(render_invoice(sample_invoice(line_count=60)))
    carried = [n for n, page in enumerate(pdf.pages) if "Carried forward" in page]
    brought = [n for n, page in enumerate(pdf.pages) if "Brought forward" in page]
    assert carried and brought == [n + 1 for n in carried]
    # the totals come with at least two lines of the table
    last_lines = [line for line in pdf.pages[-1].splitlines() if "Care kit" in line
                  or "Oak dining" in line or "Matching bench" in line or "Delivery" in line]
    assert len(last_lines) >= 2 or "Total €" not in pdf.pages[-1]


def test_a_word_too_wide_for_its_column_breaks_after_a_stop_or_before_the_at():
    from desktop_app.documents.fonts import ensure_fonts
    from desktop_app.documents.typesetting import wrap

    ensure_fonts()
    lines = wrap("buero@nordlicht-tischlerei.example", 100, 6.5)
    assert "".join(lines) == "buero@nordlicht-tischlerei.example"
    assert lines[0].endswith((".", "-")) or lines[1].startswith("@")

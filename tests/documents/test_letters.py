from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from desktop_app.documents import (
    render_calibration,
    render_dossier,
    render_invoice,
    render_letter,
    render_letters,
    render_statement,
    sha256_hex,
)
from desktop_app.documents.data import (
    ActivityEntry,
    Dossier,
    DossierInvoice,
    SentCopy,
    Stage,
    Statement,
    StatementItem,
)
from desktop_app.documents.dossier import grouped
from desktop_app.documents.layout import geometry
from desktop_app.documents.samples import (
    sample_company,
    sample_customer,
    sample_invoice,
    sample_letter,
)


def test_reminder_shows_fee_and_interest_apart_with_the_calculation(read_pdf):
    text = read_pdf(render_letter(sample_letter(Stage.REMINDER_2))).text
    for expected in ("2025-0042", "2025-0051", "€2,450.00", "€389.90", "Reminder fee",
                     "€5.00", "€12.24", "Total due €2,857.14",
                     "Interest on €2,450.00 at 9.12% a year for 20 days: €12.24",
                     "IBAN", "Anna Schmidt", "please disregard this letter"):
        assert expected in text, expected


def test_final_notice_names_deadline_and_next_step(read_pdf):
    text = " ".join(read_pdf(render_letter(sample_letter(Stage.FINAL_NOTICE))).text.split())
    assert "May 16, 2025" in text and "collection agency" in text


def test_payment_plan_has_installments_and_signature_lines(read_pdf):
    text = read_pdf(render_letter(sample_letter(Stage.PAYMENT_PLAN, "de"))).text
    assert "Neue Raten" in text and "15.06.2025" in text and "2.839,90 €" in text
    assert text.count("Unterschrift") == 2


def test_batch_starts_each_letter_on_a_new_page_with_its_own_numbering(read_pdf):
    letters = [sample_letter(Stage.REMINDER_1, lang) for lang in ("en", "de", "ru", "zh_CN")]
    pdf = read_pdf(render_letters(letters))
    assert len(pdf.pages) == 4
    assert "Page 1 of 1" in pdf.pages[0] and "Seite 1 von 1" in pdf.pages[1]
    assert "Страница 1 из 1" in pdf.pages[2]
    assert "上海明日贸易有限公司" in pdf.pages[3].replace(" ", "")


def test_letter_address_in_window_on_letter_paper(read_pdf):
    company = sample_company("letter", "USD")
    pdf = read_pdf(render_letter(sample_letter(Stage.REMINDER_1, company=company)))
    win = geometry(company).window
    box = next(w for w in pdf.words[0] if w["text"] == "Bristol")
    assert win.x <= box["x0"] and box["x1"] <= win.right
    assert win.top <= box["top"] and box["bottom"] <= win.bottom


def test_many_letters_make_one_print_job_each_on_its_own_page(read_pdf):
    """Their speed (200 letters) is measured in the benchmarks, not here."""
    letters = [replace(sample_letter(Stage.REMINDER_1), letter_date=date(2025, 5, 2))] * 24
    pdf = read_pdf(render_letters(letters))
    assert len(pdf.pages) == 24
    assert all(page.startswith(pdf.pages[0][:40]) for page in pdf.pages)


def _statement() -> Statement:
    return Statement(sample_company(), sample_customer("en"), date(2025, 7, 1), "EUR", (
        StatementItem("2025-0042", date(2025, 3, 3), date(2025, 4, 2), 431064, 245000),
        StatementItem("2025-0051", date(2025, 3, 10), date(2025, 4, 9), 38990, 38990),
        StatementItem("2025-0070", date(2025, 6, 20), date(2025, 7, 20), 10000, 10000)))


def test_statement_ages_open_items(read_pdf):
    statement = _statement()
    assert statement.aging() == {"current": 10000, "1-30": 0, "31-60": 0, "61-90": 283990,
                                 "90+": 0}
    text = read_pdf(render_statement(statement)).text
    assert "Statement of account" in text and "61–90 days" in text and "€2,839.90" in text
    assert "€2,939.90" in text


def test_dossier_holds_cover_copies_as_sent_log_and_statement(read_pdf):
    letter_pdf = render_letter(sample_letter(Stage.REMINDER_1))
    invoice_pdf = render_invoice(sample_invoice())
    copies = (SentCopy(date(2025, 3, 3), "invoice", "", "2025-0042", sha256_hex(invoice_pdf),
                       invoice_pdf),
              SentCopy(date(2025, 4, 7), "letter", "reminder_1", "2025-0042",
                       sha256_hex(letter_pdf), letter_pdf))
    dossier = Dossier(sample_company(), sample_customer("en"), date(2025, 7, 1),
                      (DossierInvoice("2025-0042", date(2025, 3, 3), date(2025, 4, 2),
                                      294_000, "EUR"),), copies,
                      (ActivityEntry(date(2025, 4, 10), "call", "Promised to pay by 20 April"),),
                      _statement())
    pdf = read_pdf(render_dossier(dossier))
    cover = pdf.pages[0].split()
    assert "Collection dossier" in pdf.pages[0]
    for copy in copies:
        assert all(group in cover for group in grouped(copy.sha256).split())
    assert "Payment reminder (2025-0042)" in pdf.pages[0]
    # The copies follow page for page as they were sent.
    invoice_pages, letter_pages = read_pdf(invoice_pdf).pages, read_pdf(letter_pdf).pages
    start = 1
    assert pdf.pages[start:start + len(invoice_pages)] == invoice_pages
    start += len(invoice_pages)
    assert pdf.pages[start:start + len(letter_pages)] == letter_pages
    text = pdf.text
    for expected in ("Activity log", "Promised to pay by 20 April", "Statement of account"):
        assert expected in text, expected


def test_calibration_page_draws_window_at_offsets(read_pdf):
    company = replace(sample_company("a4"), window_dx_mm=2.0)
    text = read_pdf(render_calibration(company)).text
    assert "Window-envelope calibration" in text and "right +2.0 mm" in text


@pytest.mark.parametrize(("fee", "interest", "says"), [
    (500, True, "a reminder fee of €5.00 and interest of €12.24"),
    (500, False, "a reminder fee of €5.00."),
    (0, True, "we have added interest of €12.24"),
    (0, False, None),
])
def test_a_second_reminder_names_only_the_charges_it_has(read_pdf, fee, interest, says):
    letter = sample_letter(Stage.REMINDER_2)
    items = letter.items if interest else tuple(replace(i, interest=None) for i in letter.items)
    text = read_pdf(render_letter(replace(letter, fee_minor=fee, items=items))).text
    text = " ".join(text.split())
    if says:
        assert says in text
    else:
        assert "we have added" not in text and "€0.00" not in text

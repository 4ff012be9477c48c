from __future__ import annotations

from dataclasses import replace

import pytest

from desktop_app.documents import render_invoice, sha256_hex
from desktop_app.documents.i18n import Lang
from desktop_app.documents.layout import geometry
from desktop_app.documents.pdf import address_lines
from desktop_app.documents.samples import sample_company, sample_customer, sample_invoice
from desktop_app.domain.errors import ValidationError


def test_invoice_shows_every_field(read_pdf):
    pdf = read_pdf(render_invoice(sample_invoice()))
    text = pdf.text
    for expected in ("Nordlicht Tischlerei GmbH", "Hafenstraße 12", "+49 40 1234567",
                     "DE136695976", "21/815/08150", "Invoice 2025-0042", "Mar 3, 2025",
                     "Apr 2, 2025",
                     "Oak dining table", "Tax 19% on €3,600.00", "Tax 7% on €24.90",
                     "€4,310.64", "2/10 net 30", "early-payment discount of 2% (€86.21)",
                     "€4,224.43", "Mar 13, 2025", "reminder fee of €5.00",
                     "interest of 9.12% a year", "3 installments as scheduled below", "On delivery",
                     "DE89 3704 0044 0532 0130 00", "COBADEFFXXX", "Payment reference",
                     "Scan with your banking", "Page 1 of"):
        assert expected in text, expected


def test_markup_characters_print_literally(read_pdf):
    pdf = read_pdf(render_invoice(sample_invoice(customer=sample_customer("de"))))
    assert "Müller & <Söhne> KG" in pdf.text


@pytest.mark.parametrize("language,name", [("ru", "ООО «Северный ветер»"),
                                           ("zh_CN", "上海明日贸易有限公司"),
                                           ("zh_TW", "臺北晨光貿易股份有限公司")])
def test_other_scripts_extract_as_written(read_pdf, language, name):
    pdf = read_pdf(render_invoice(sample_invoice(customer=sample_customer(language))))
    assert name in pdf.pages[0].replace(" ", "") or name in pdf.pages[0]


@pytest.mark.parametrize("paper", ["a4", "letter"])
def test_address_lies_inside_the_window(read_pdf, paper):
    company = sample_company(paper)
    pdf = read_pdf(render_invoice(sample_invoice(company=company)))
    win = geometry(company).window
    wanted = {"Miller", "Harbour", "Bristol", "Kingdom"}
    boxes = [w for w in pdf.words[0] if w["text"] in wanted or w["text"].startswith("Miller")]
    assert {w["text"] for w in boxes} >= {"Harbour", "Bristol", "Kingdom"}
    for w in boxes:
        assert win.x <= w["x0"] and w["x1"] <= win.right, w
        assert win.top <= w["top"] and w["bottom"] <= win.bottom, w


def test_window_offsets_move_the_address(read_pdf):
    base = sample_company("a4")
    moved = replace(base, window_dx_mm=5.0, window_dy_mm=3.0)

    def bristol_box(company):
        pdf = read_pdf(render_invoice(sample_invoice(company=company)))
        return next(w for w in pdf.words[0] if w["text"] == "Bristol")

    a, b = bristol_box(base), bristol_box(moved)
    assert b["x0"] - a["x0"] == pytest.approx(5 * 72 / 25.4, abs=0.1)
    assert b["top"] - a["top"] == pytest.approx(3 * 72 / 25.4, abs=0.1)


def test_long_address_wraps_inside_the_window(read_pdf):
    customer = replace(sample_customer("en"), name="Internationale Spezialmaschinenbau- und "
                       "Verwaltungsgesellschaft für Holzverarbeitung mbH & Co. KG")
    company = sample_company("a4")
    size, lines = address_lines(company, customer, geometry(company))
    assert len(lines) > 5 and size < 10
    pdf = read_pdf(render_invoice(sample_invoice(company=company, customer=customer)))
    win = geometry(company).window
    for w in pdf.words[0]:
        if w["text"] in ("Verwaltungsgesellschaft", "Kingdom"):
            assert w["x1"] <= win.right and w["bottom"] <= win.bottom


def test_address_too_long_for_any_window_is_refused():
    customer = replace(sample_customer("en"), address=tuple(f"Line {i}" for i in range(20)))
    company = sample_company("a4")
    with pytest.raises(ValidationError, match="customer address"):
        address_lines(company, customer, geometry(company))


def test_sixty_lines_break_cleanly(read_pdf):
    pdf = read_pdf(render_invoice(sample_invoice(line_count=60)))
    assert len(pdf.pages) >= 3
    for page in pdf.pages[1:]:
        assert "Invoice 2025-0042 (continued)" in page
    for page in pdf.pages[:-1]:
        assert "Continued on the next page" in page
    table_pages = [p for p in pdf.pages if "Oak dining table" in p or "Care kit" in p]
    assert len(table_pages) >= 2
    assert all("Pos. Description Quantity" in p for p in table_pages)
    assert sum(p.count("Total €") for p in pdf.pages) == 1
    assert "Total €" in pdf.pages[-1] or "Total €" in pdf.pages[-2]
    assert f"Page {len(pdf.pages)} of {len(pdf.pages)}" in pdf.pages[-1]
    assert "60 Care kit" in pdf.text


def test_same_invoice_renders_byte_identical():
    first, second = render_invoice(sample_invoice()), render_invoice(sample_invoice())
    assert first == second
    assert sha256_hex(first) == sha256_hex(second)
    assert len(sha256_hex(first)) == 64


def test_letter_paper_in_us_dollars(read_pdf):
    company = replace(sample_company("letter", "USD"),
                      bank=replace(sample_company().bank, iban="", bic="",
                                   account_number="123456789", routing_number="021000021"))
    pdf = read_pdf(render_invoice(sample_invoice(company=company)))
    assert "$4,310.64" in pdf.text and "021000021" in pdf.text
    assert "Scan with your banking app" not in pdf.text


@pytest.mark.parametrize(("language", "words"), [
    ("de", ("Anzahlung", "Schlusszahlung", "On delivery")),
    ("ru", ("Окончательный платёж",)),
    ("zh_TW", ("尾款",)),
])
def test_schedule_labels_print_in_the_customers_language(read_pdf, language, words):
    """Labels the schedules make are translated; one the user typed prints as typed."""
    text = read_pdf(render_invoice(sample_invoice(customer=sample_customer(language)))).text
    for word in words:
        assert word in text
    assert "Final payment" not in text


def test_numbered_labels_keep_their_numbers():
    t = Lang("de", "de")
    assert t.label("Installment 2 of 6") == "Rate 2 von 6"
    assert t.label("Progress payment 1") == "Abschlagszahlung 1"
    assert t.label("Plan 3 of 3") == "Planrate 3 von 3"
    assert t.label("Kitchen, second part") == "Kitchen, second part"

"""Printing: the OS print dialog, the vector PDF written when printing to a file, and pages
drawn 1:1 at the printer's resolution so the address stays in the envelope window."""

from datetime import date
from io import BytesIO
from pathlib import Path

import pdfplumber
import pytest
from PIL import Image
from pypdf import PdfReader
from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QDialogButtonBox, QLineEdit, QPushButton

from desktop_app.services import customers, documents, invoices
from desktop_app.services.customers import CustomerInput
from desktop_app.ui import printing
from desktop_app.ui.dialogs.invoice_actions import LetterDialog
from desktop_app.ui.dialogs.pdf_preview import PdfPreview
from tests.support.books import ISSUE, draft
from tests.ui.conftest import find_dialog, trigger
from tests.ui.test_invoices_ui import select_invoice

ADDRESS = "Hauptstraße 5\n80331 München\nGermany"
MM = 72 / 25.4  # points per millimetre


@pytest.fixture
def letter_books(ready_books):
    customers.update_customer(ready_books, 1, CustomerInput(
        name="Müller & <Söhne>", email="ap@mueller.example", address=ADDRESS, language="de",
        terms="Net 30"))
    inv = draft(ready_books, "Work|1|100")
    invoices.issue_invoice(ready_books, inv, ISSUE)
    return ready_books, inv


def test_letter_printed_through_the_print_dialog_to_a_pdf_file_keeps_its_text(
        qtbot, open_window, letter_books, tmp_path):
    books, _ = letter_books
    window = open_window(books)
    select_invoice(qtbot, window, "INV-2026-0001")
    trigger(qtbot, window.pages["invoices"].act["letter"])
    chooser = find_dialog(qtbot, LetterDialog)
    chooser.stage.setCurrentIndex(chooser.stage.findData("reminder_1"))
    with qtbot.waitSignal(chooser.finished, timeout=10_000):
        qtbot.mouseClick(chooser.ok_button, Qt.MouseButton.LeftButton)
    preview = find_dialog(qtbot, PdfPreview)

    preview.print_action.trigger()
    dialog = find_dialog(qtbot, QPrintDialog)
    target = tmp_path / "letter.pdf"
    dialog.findChild(QLineEdit, "filename").setText(str(target))
    box = dialog.findChild(QDialogButtonBox)
    print_button = next(b for b in box.findChildren(QPushButton) if b.text() == "&Print")
    qtbot.mouseClick(print_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: preview.note.text() == "Saved as a PDF file.", timeout=20_000)

    assert target.read_bytes() == preview.pdf  # the original document, not a picture of it
    with pdfplumber.open(target) as pdf:
        text = pdf.pages[0].extract_text()
    assert "Zahlungserinnerung: Rechnung INV-2026-0001" in text
    for line in ADDRESS.splitlines():
        assert line in text


def gray(image: QImage) -> Image.Image:
    grey = image.convertToFormat(QImage.Format.Format_Grayscale8)
    return Image.frombuffer("L", (grey.width(), grey.height()), bytes(grey.constBits()),
                            "raw", "L", grey.bytesPerLine(), 1)


def ink_box(image: QImage, left: int, top: int, right: int, bottom: int
            ) -> tuple[int, int, int, int] | None:
    """The smallest box (inclusive, page pixels) around the dark pixels inside a region."""
    ink = gray(image).crop((left, top, right, bottom)).point(lambda v: 255 if v < 128 else 0)
    box = ink.getbbox()
    return None if box is None else (box[0] + left, box[1] + top, box[2] + left - 1,
                                     box[3] + top - 1)


def dark_rows(image: QImage, x: int) -> set[int]:
    column = gray(image).crop((x, 0, x + 1, image.height()))
    return {y for y, v in enumerate(column.tobytes()) if v < 100}


def page_image(pdf: bytes, dpi: int) -> QImage:
    opened = printing.OpenPdf(pdf)
    try:
        points = opened.document.pagePointSize(0)
        size = QSize(round(points.width() * dpi / 72), round(points.height() * dpi / 72))
        out = QImage(size, QImage.Format.Format_RGB32)
        out.fill(QColor("white"))
        painter = QPainter(out)
        painter.drawImage(0, 0, opened.document.render(0, size))
        painter.end()
        return out
    finally:
        opened.close()


def test_raster_print_puts_the_address_where_the_envelope_window_is(qapp, letter_books,
                                                                     tmp_path):
    books, inv = letter_books
    letter = documents.letter_pdf(books, inv, "reminder_1", date(2026, 12, 10))
    printer = printing.new_printer(printing.page_size_of(letter))
    printer.setResolution(150)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    printing.print_raster(printer, letter)
    printed = (tmp_path / "printed.pdf").read_bytes()

    reader = PdfReader(BytesIO(printed))
    # the letter, then the copy of the invoice it encloses
    assert len(reader.pages) == len(PdfReader(BytesIO(letter)).pages) == 2
    assert [round(float(v)) for v in reader.pages[0].mediabox] == [0, 0, 595, 842]  # A4
    with pdfplumber.open(BytesIO(printed)) as pdf:
        assert pdf.pages[0].extract_text() == ""  # pixels only: this is the paper path
    with pdfplumber.open(BytesIO(letter)) as pdf:
        words = pdf.pages[0].extract_words()
    street = next(w for w in words if w["text"] == "Hauptstraße")

    dpi = 150  # the printer's: each printed pixel read back once
    px = dpi / 72
    original, on_paper = page_image(letter, dpi), page_image(printed, dpi)
    # DIN 5008 form B: the window is 85 x 45 mm, 20 mm from the left, 45 mm from the top.
    window = (round(20 * MM * px), round(45 * MM * px), round(105 * MM * px),
              round(90 * MM * px))
    expected = ink_box(original, *window)
    got = ink_box(on_paper, *window)
    assert expected is not None and got is not None
    assert all(abs(a - b) <= 2 for a, b in zip(expected, got, strict=True)), (expected, got)
    # The street line of the address is ink on the printed page, where the PDF put it.
    street_box = (round(street["x0"] * px), round(street["top"] * px),
                  round(street["x1"] * px), round(street["bottom"] * px))
    assert ink_box(on_paper, *street_box) is not None
    assert window[0] <= street_box[0] and street_box[2] <= window[2]
    assert window[1] <= street_box[1] and street_box[3] <= window[3]


def test_bands_draw_the_same_page_as_one_render(qapp, letter_books):
    books, inv = letter_books
    letter = documents.letter_pdf(books, inv, "final_notice", date(2026, 12, 10))
    dpi = 150
    whole = page_image(letter, dpi)
    banded = QImage(whole.size(), QImage.Format.Format_RGB32)
    banded.fill(QColor("white"))
    opened = printing.OpenPdf(letter)
    painter = QPainter(banded)
    original_band = printing.BAND_PIXELS
    try:
        printing.BAND_PIXELS = 97  # many bands, one of them a thin remainder
        printing.draw_page(painter, opened.document, 0, dpi)
    finally:
        printing.BAND_PIXELS = original_band
        painter.end()
        opened.close()
    full = (0, 0, whole.width(), whole.height())
    # Within a pixel: rounding the page to whole pixels may tip a faint edge pixel.
    assert all(abs(a - b) <= 1 for a, b in zip(ink_box(banded, *full), ink_box(whole, *full),
                                                strict=True))
    for x in (round(30 * MM * dpi / 72), whole.width() // 2):
        dark_whole, dark_bands = dark_rows(whole, x), dark_rows(banded, x)
        assert dark_whole and all({y - 1, y, y + 1} & dark_bands for y in dark_whole)
        assert all({y - 1, y, y + 1} & dark_whole for y in dark_bands)


def test_printing_to_a_file_writes_the_vector_pdf(qapp, letter_books, tmp_path):
    books, inv = letter_books
    letter = documents.letter_pdf(books, inv, "due", date(2026, 12, 2))
    printer = printing.new_printer(printing.page_size_of(letter))
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "copy.pdf"))
    assert printing.print_pdf(printer, letter) == "file"
    assert Path(tmp_path / "copy.pdf").read_bytes() == letter

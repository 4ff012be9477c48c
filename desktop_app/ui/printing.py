"""Printing PDFs on paper so that the address lands in the envelope window.

On a printer, each page is rendered by QtPdf at the printer's own resolution and drawn 1:1
from the paper's corner (``setFullPage(True)``): no scaling, no margins added by the driver,
so a millimetre in the PDF is a millimetre on paper. Pages are rendered in horizontal bands
so that a 1200 dpi page does not need half a gigabyte.

When the user picks "print to PDF file", PaidUp writes the original PDF instead: it is
already the document, vector text that stays searchable and sharp; a rasterised copy would
lose both and gain nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QMarginsF, QPoint, QRect, QSize, QSizeF
from PySide6.QtGui import QPageLayout, QPageSize, QPainter
from PySide6.QtPdf import QPdfDocument, QPdfDocumentRenderOptions
from PySide6.QtPrintSupport import QAbstractPrintDialog, QPrintDialog, QPrinter
from PySide6.QtWidgets import QDialog, QWidget

from desktop_app.domain.errors import RuleViolation
from desktop_app.ui.ops import Progress

BAND_PIXELS = 512  # rows rendered at once


class OpenPdf:
    """A QPdfDocument over bytes in memory (the buffer must live as long as the document)."""

    def __init__(self, pdf: bytes) -> None:
        self.buffer = QBuffer()
        self.buffer.setData(QByteArray(pdf))
        self.buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self.document = QPdfDocument(None)
        self.document.load(self.buffer)
        if self.document.status() != QPdfDocument.Status.Ready:
            raise RuleViolation("print: the document could not be read for printing")

    def close(self) -> None:
        self.document.close()
        self.buffer.close()


def page_size_of(pdf: bytes) -> QSizeF:
    opened = OpenPdf(pdf)
    try:
        return opened.document.pagePointSize(0)
    finally:
        opened.close()


def new_printer(page_points: QSizeF) -> QPrinter:
    """A printer set to the document's paper, no margins, origin at the paper's corner."""
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setPageSize(QPageSize(page_points, QPageSize.Unit.Point, "",
                                  QPageSize.SizeMatchPolicy.FuzzyMatch))
    printer.setPageOrientation(QPageLayout.Orientation.Portrait)
    printer.setPageMargins(QMarginsF(0, 0, 0, 0), QPageLayout.Unit.Millimeter)
    printer.setFullPage(True)
    return printer


def ask_printer(parent: QWidget, pdf: bytes, title: str,
                on_chosen: Callable[[QPrinter], None]) -> QPrintDialog:
    """The system's print dialog; ``on_chosen`` gets the printer when the user confirms."""
    printer = new_printer(page_size_of(pdf))
    dialog = QPrintDialog(printer, parent)
    dialog.setWindowTitle(title)
    dialog.setOption(QAbstractPrintDialog.PrintDialogOption.PrintToFile, True)
    dialog.setOption(QAbstractPrintDialog.PrintDialogOption.PrintPageRange, True)

    def chosen(result: int) -> None:
        if result == QDialog.DialogCode.Accepted:
            on_chosen(printer)

    dialog.finished.connect(chosen)
    dialog.open()
    return dialog


def prints_to_pdf_file(printer: QPrinter) -> bool:
    return printer.outputFormat() == QPrinter.OutputFormat.PdfFormat \
        and bool(printer.outputFileName())


def print_pdf(printer: QPrinter, pdf: bytes, progress: Progress | None = None) -> str:
    """Print; returns 'file' when the original PDF was written, 'paper' when pages were drawn.

    Runs off the UI thread (QPainter may paint on a QPrinter in any thread).
    """
    if prints_to_pdf_file(printer):
        target = Path(printer.outputFileName())
        try:
            target.write_bytes(pdf)
        except OSError as exc:
            raise RuleViolation(f"print: cannot write {target}: {exc.strerror}") from None
        return "file"
    print_raster(printer, pdf, progress)
    return "paper"


def _pages(printer: QPrinter, count: int) -> list[int]:
    first, last = printer.fromPage(), printer.toPage()
    if first <= 0:
        return list(range(count))
    return list(range(first - 1, min(last or count, count)))


def print_raster(printer: QPrinter, pdf: bytes, progress: Progress | None = None) -> None:
    """Each page rendered at the printer's resolution and drawn 1:1 from the paper's corner."""
    opened = OpenPdf(pdf)
    try:
        document = opened.document
        pages = _pages(printer, document.pageCount())
        printer.setFullPage(True)
        dpi = printer.resolution()
        painter = QPainter()
        if not painter.begin(printer):
            raise RuleViolation(f"print: the printer '{printer.printerName() or 'file'}' "
                                "did not accept the job; check that it is on and connected")
        try:
            for n, index in enumerate(pages):
                if progress is not None:
                    progress.step(n, len(pages), f"page {n + 1} of {len(pages)}")
                if n:
                    printer.newPage()
                _draw_page(painter, document, index, dpi, progress)
        except BaseException:
            printer.abort()
            raise
        finally:
            painter.end()
        if progress is not None:
            progress.step(len(pages), len(pages))
    finally:
        opened.close()


def _draw_page(painter: QPainter, document: QPdfDocument, index: int, dpi: int,
               progress: Progress | None) -> None:
    points = document.pagePointSize(index)
    width, height = round(points.width() * dpi / 72), round(points.height() * dpi / 72)
    for top, rows in _bands(height):
        if progress is not None:
            progress.check()
        band = document.render(index, QSize(width, rows), _band_options(width, height, top, rows))
        painter.drawImage(QPoint(0, top), band)


def _bands(height: int) -> list[tuple[int, int]]:
    """(top, rows) of each band; none has a single row (see _band_options)."""
    bands = [(top, min(BAND_PIXELS, height - top)) for top in range(0, height, BAND_PIXELS)]
    if len(bands) > 1 and bands[-1][1] < 2:
        (top, rows), (_, extra) = bands[-2], bands.pop()
        bands[-1] = (top, rows + extra)
    return bands


def _band_options(width: int, height: int, top: int, rows: int) -> QPdfDocumentRenderOptions:
    """Render options for rows ``top`` to ``top + rows`` of a page ``width`` x ``height``.

    QtPdf scales a clipped render by (clip width - 1) / width and (clip height - 1) / height
    (it measures the clip with QRect.right() and bottom(), which are one short), so the
    scaled page size is enlarged by the inverse to draw at exactly ``dpi``; what rounding to
    whole pixels leaves is below half a pixel across the page.
    """
    options = QPdfDocumentRenderOptions()
    options.setScaledSize(QSize(round(width * width / (width - 1)),
                                round(height * rows / (rows - 1))))
    options.setScaledClipRect(QRect(0, top, width, rows))
    return options

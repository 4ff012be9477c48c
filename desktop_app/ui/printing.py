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

from collections.abc import Callable, Iterator
from pathlib import Path

from PySide6.QtCore import (
    QBuffer,
    QByteArray,
    QIODevice,
    QMarginsF,
    QObject,
    QPoint,
    QRect,
    QSize,
    QSizeF,
    QTimer,
    Signal,
)
from PySide6.QtGui import QPageLayout, QPageSize, QPainter
from PySide6.QtPdf import QPdfDocument, QPdfDocumentRenderOptions
from PySide6.QtPrintSupport import QAbstractPrintDialog, QPrintDialog, QPrinter
from PySide6.QtWidgets import QDialog, QWidget

from desktop_app import files
from desktop_app.domain.errors import PaidUpError, RuleViolation
from desktop_app.ui.ops import Cancelled, Ops
from desktop_app.ui.translate import _

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
            raise RuleViolation(_("The document could not be read for printing."))

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


def paper_points(paper: str) -> QSizeF:
    """The company's paper (``a4`` or ``letter``) in points, for a job not yet rendered."""
    size = QPageSize(QPageSize.PageSizeId.Letter if paper == "letter" else
                     QPageSize.PageSizeId.A4)
    return size.size(QPageSize.Unit.Point)


def ask_printer(parent: QWidget, pdf: bytes, title: str,
                on_chosen: Callable[[QPrinter], None]) -> QPrintDialog:
    """The system's print dialog; ``on_chosen`` gets the printer when the user confirms."""
    return ask_printer_for(parent, page_size_of(pdf), title, on_chosen)


def ask_printer_for(parent: QWidget, page_points: QSizeF, title: str,
                    on_chosen: Callable[[QPrinter], None]) -> QPrintDialog:
    """The print dialog for pages of this size, before the pages exist (a batch of letters
    is only made once the user has chosen the printer)."""
    printer = new_printer(page_points)
    dialog = QPrintDialog(printer, parent)
    dialog.setWindowTitle(title)
    dialog.setOption(QAbstractPrintDialog.PrintDialogOption.PrintToFile, True)
    dialog.setOption(QAbstractPrintDialog.PrintDialogOption.PrintPageRange, True)

    def chosen(result: int) -> None:
        if result == QDialog.DialogCode.Accepted:
            on_chosen(printer)

    dialog.finished.connect(chosen)
    QDialog.open(dialog)  # QPrintDialog.open() in Python wants a receiver; the plain one
    return dialog


def prints_to_pdf_file(printer: QPrinter) -> bool:
    return printer.outputFormat() == QPrinter.OutputFormat.PdfFormat \
        and bool(printer.outputFileName())


class PrintJob(QObject):
    """Prints a PDF on the UI thread one band at a time, so the window stays responsive.

    Qt paints on the UI thread here on purpose: PySide6 6.12.0 miscounts references when Qt
    is called from other threads (see ops.py). ``finished`` says 'file' when the original PDF
    was written, 'paper' when pages were drawn; ``failed`` carries the refusal.
    """

    finished = Signal(str)
    failed = Signal(object)
    cancelled = Signal()
    progressed = Signal(int, int, str)  # done, total, text

    def __init__(self, printer: QPrinter, pdf: bytes, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.printer, self.pdf = printer, pdf
        self._steps: Iterator[tuple[int, int, str]] | None = None
        self._stop = False
        self._timer = QTimer(self)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self._tick)

    def start(self) -> None:
        """Print in the background of the event loop."""
        if prints_to_pdf_file(self.printer):
            try:
                self._write_file()
            except RuleViolation as exc:
                self.failed.emit(exc)
            else:
                self.finished.emit("file")
            return
        try:
            self._steps = self._draw()
        except RuleViolation as exc:
            self.failed.emit(exc)
            return
        self._timer.start()

    def cancel(self) -> None:
        self._stop = True

    def run(self) -> str:
        """Print now, blocking (for a script or a test)."""
        if prints_to_pdf_file(self.printer):
            self._write_file()
            return "file"
        for _page in self._draw():
            pass
        return "paper"

    def _write_file(self) -> None:
        target = Path(self.printer.outputFileName())
        try:
            files.write_bytes(target, self.pdf)
        except OSError as exc:
            raise RuleViolation(_("Cannot write {target}: {reason}.").format(
                target=target, reason=exc.strerror)) from None

    def _tick(self) -> None:
        assert self._steps is not None
        try:
            if self._stop:
                self._steps.throw(Cancelled)
            done, total, text = next(self._steps)
        except StopIteration:
            self._timer.stop()
            self.finished.emit("paper")
        except Cancelled:
            self._timer.stop()
            self.cancelled.emit()
        except RuleViolation as exc:
            self._timer.stop()
            self.failed.emit(exc)
        else:
            self.progressed.emit(done, total, text)

    def _draw(self) -> Iterator[tuple[int, int, str]]:
        """Each page rendered at the printer's resolution and drawn 1:1 from the paper's
        corner; yields (bands done, bands in all, which page) after every band."""
        opened = OpenPdf(self.pdf)
        printer = self.printer
        try:
            document = opened.document
            pages = _pages(printer, document.pageCount())
            printer.setFullPage(True)
            dpi = printer.resolution()
            sizes = [_pixels(document, index, dpi) for index in pages]
            total = sum(len(_bands(height)) for _, height in sizes)
            painter = QPainter()
            if not painter.begin(printer):
                raise RuleViolation(_(
                    "The printer “{printer}” did not accept the job; check that it is on and "
                    "connected.").format(printer=printer.printerName() or _("file")))
            done = 0
            try:
                for n, (index, (width, height)) in enumerate(zip(pages, sizes, strict=True)):
                    if n:
                        printer.newPage()
                    for _band in _draw_bands(painter, document, index, width, height):
                        done += 1
                        yield done, total, _("page {value} of {value2}").format(
                                             value=n + 1, value2=len(pages))
            except (Cancelled, GeneratorExit):
                printer.abort()
                raise
            finally:
                painter.end()
        finally:
            opened.close()


def print_in_background(ops: Ops, printer: QPrinter, pdf: bytes, title: str,
                        on_done: Callable[[str], None],
                        on_failed: Callable[[PaidUpError], None],
                        on_cancelled: Callable[[], None] = lambda: None) -> PrintJob:
    """A print job with the status line's progress bar and Cancel button."""
    job = PrintJob(printer, pdf, parent=ops)
    op_id = ops.begin_ui_work(title, job.cancel)

    def end() -> None:
        ops.end_ui_work(op_id)
        job.deleteLater()

    job.progressed.connect(lambda done, total, text: ops.ui_progress(op_id, title, done,
                                                                      total, text))
    job.finished.connect(lambda how: (end(), on_done(how)))
    job.failed.connect(lambda exc: (end(), on_failed(exc)))
    job.cancelled.connect(lambda: (end(), on_cancelled()))
    job.start()
    return job


def print_pdf(printer: QPrinter, pdf: bytes) -> str:
    """Print at once (blocking): 'file' when the original PDF was written, else 'paper'."""
    return PrintJob(printer, pdf).run()


def print_raster(printer: QPrinter, pdf: bytes) -> None:
    """Draw the pages on the printer even when it writes a PDF file (used to check placement)."""
    job = PrintJob(printer, pdf)
    for _page in job._draw():
        pass


def _pages(printer: QPrinter, count: int) -> list[int]:
    first, last = printer.fromPage(), printer.toPage()
    if first <= 0:
        return list(range(count))
    return list(range(first - 1, min(last or count, count)))


def _pixels(document: QPdfDocument, index: int, dpi: int) -> tuple[int, int]:
    points = document.pagePointSize(index)
    return round(points.width() * dpi / 72), round(points.height() * dpi / 72)


def draw_page(painter: QPainter, document: QPdfDocument, index: int, dpi: int) -> None:
    """One page, band by band, at ``dpi`` from the painter's origin."""
    for _band in _draw_bands(painter, document, index, *_pixels(document, index, dpi)):
        pass


def _draw_bands(painter: QPainter, document: QPdfDocument, index: int, width: int,
                height: int) -> Iterator[None]:
    for top, rows in _bands(height):
        band = document.render(index, QSize(width, rows), _band_options(width, height, top, rows))
        painter.drawImage(QPoint(0, top), band)
        yield


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

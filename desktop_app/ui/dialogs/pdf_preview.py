"""A PDF shown inside the app (QtPdf), with Print and Save a copy."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QDialog, QFileDialog, QToolBar, QVBoxLayout, QWidget

from desktop_app import files
from desktop_app.ui import display, printing
from desktop_app.ui.actions import with_shortcut
from desktop_app.ui.ops import Ops
from desktop_app.ui.translate import _
from desktop_app.ui.widgets import ErrorLabel, NoteLabel, fit_to_screen


class PdfPane(QWidget):
    """A PDF inside another window (a message's attachment, a template's letter), fitted to
    the width; ``set_pdf`` swaps the document."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.opened: printing.OpenPdf | None = None
        self.pdf = b""
        self.view = QPdfView(self)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.view.setPageSpacing(8)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.view)

    def set_pdf(self, pdf: bytes) -> None:
        """Show ``pdf``; empty bytes close the document shown (the view keeps the closed,
        empty document: Qt has no use for a view without one)."""
        old = self.opened
        self.pdf = pdf
        if pdf:
            self.opened = printing.OpenPdf(pdf)
            self.view.setDocument(self.opened.document)
            if old is not None:
                old.close()
        elif old is not None:
            old.close()

    def text(self) -> str:
        """What the document says (for tests and accessibility)."""
        if self.opened is None or not self.pdf:
            return ""
        document = self.opened.document
        return "\n".join(document.getAllText(i).text() for i in range(document.pageCount()))

    def close_pdf(self) -> None:
        self.set_pdf(b"")


class PdfPreview(QDialog):
    """Non-modal: the user can keep it open beside the list while working."""

    def __init__(self, ops: Ops, pdf: bytes, title: str, filename: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.ops, self.pdf, self.filename = ops, pdf, filename
        self.opened = printing.OpenPdf(pdf)
        self.document = self.opened.document

        self.view = QPdfView(self)
        self.view.setDocument(self.document)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.view.setPageSpacing(12)

        bar = QToolBar(self)
        self.print_action = with_shortcut(QAction(_("Print…"), self),
                                          QKeySequence.StandardKey.Print,
                                          _("Print on paper or to a PDF file"))
        self.print_action.triggered.connect(self.print_)
        save = with_shortcut(QAction(_("Save a copy…"), self), QKeySequence.StandardKey.Save,
                             _("Save this PDF as a file"))
        save.triggered.connect(self.save_copy)
        fit = QAction(_("Fit width"), self)
        fit.triggered.connect(lambda: self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth))
        whole = QAction(_("Whole page"), self)
        whole.triggered.connect(lambda: self.view.setZoomMode(QPdfView.ZoomMode.FitInView))
        for action in (self.print_action, save, fit, whole):
            bar.addAction(action)
            self.addAction(action)

        self.note = NoteLabel()
        self.error = ErrorLabel()
        layout = QVBoxLayout(self)
        layout.addWidget(bar)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.error)
        layout.addWidget(self.note)
        fit_to_screen(self, 820, 980, parent)  # an A4 page at a readable size, if it fits

    def print_(self) -> None:
        printing.ask_printer(self, self.pdf, _("Print {windowTitle}").format(
                                               windowTitle=self.windowTitle()), self.print_on)

    def print_on(self, printer: QPrinter) -> None:
        """Print in the background; the window stays usable and the job can be cancelled."""
        self.error.say("")
        self.note.setText(_("Printing…"))
        printing.print_in_background(
            self.ops, printer, self.pdf, _("Printing {filename}").format(
                                           filename=self.filename), self._printed,
            lambda exc: self._failed(display.refusal(exc)),
            lambda: self.note.setText(_("Printing cancelled.")))

    def _printed(self, how: str) -> None:
        self.note.setText(_("Saved as a PDF file.") if how == "file" else _("Sent to the printer."))

    def _failed(self, message: str) -> None:
        self.note.setText("")
        self.error.say(message)

    def save_copy(self) -> None:
        path, _filter = QFileDialog.getSaveFileName(self, _("Save a copy"), self.filename,
                                                    _("PDF (*.pdf)"))
        if not path:
            return
        try:
            files.write_bytes(Path(path), self.pdf)
        except OSError as exc:
            self.error.say(_("Cannot save {path}: {strerror}.").format(
                             path=path, strerror=exc.strerror))
        else:
            self.note.setText(_("Saved {path}.").format(path=path))

    def done(self, result: int) -> None:
        self.opened.close()
        super().done(result)

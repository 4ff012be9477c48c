"""The e-invoice of an issued invoice, shown as its XML, in the customer's format or another,
with a button to save the file (the hybrid PDF, or the XML)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QPlainTextEdit,
    QVBoxLayout,
)

from desktop_app import files
from desktop_app.domain.errors import PaidUpError
from desktop_app.services import einvoices
from desktop_app.services.einvoices import EInvoiceFile
from desktop_app.ui import display
from desktop_app.ui.context import Context
from desktop_app.ui.dialogs.invoice_actions import choice_box
from desktop_app.ui.translate import _
from desktop_app.ui.widgets import ErrorLabel, NoteLabel, fit_to_screen

CUSTOMERS_FORMAT = "customer"


class EInvoiceView(QDialog):
    def __init__(self, ctx: Context, invoice_id: int, number: str, customer: str) -> None:
        super().__init__(ctx.window)
        self.ctx, self.invoice_id = ctx, invoice_id
        self.setWindowTitle(_("E-invoice {number} — {customer}").format(
                              number=number, customer=customer))
        self.made: EInvoiceFile | None = None
        formats = {CUSTOMERS_FORMAT: _("The customer's format")}
        formats |= {k: v for k, v in display.EINVOICE_FORMATS.items() if k != "none"}
        self.format = choice_box(formats, CUSTOMERS_FORMAT)
        self.format.currentIndexChanged.connect(lambda _index: self.load())
        self.xml = QPlainTextEdit()
        self.xml.setReadOnly(True)
        self.xml.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.xml.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.note = NoteLabel()
        self.error = ErrorLabel()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                        | QDialogButtonBox.StandardButton.Close)
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setText(_("Save as…"))
        self.save_button.setEnabled(False)
        self.save_button.clicked.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow(_("Format"), self.format)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.xml, 1)
        layout.addWidget(self.note)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        fit_to_screen(self, 900, 640, ctx.window)
        self.load()

    def load(self) -> None:
        chosen = self.format.currentData()
        fmt = None if chosen == CUSTOMERS_FORMAT else chosen
        invoice_id = self.invoice_id
        self.save_button.setEnabled(False)
        self.error.say("")
        self.ctx.ops.query(lambda books: einvoices.invoice_einvoice(books, invoice_id, fmt),
                           self._loaded, on_refused=self._refused, owner=self)

    def _loaded(self, made: EInvoiceFile) -> None:
        self.made = made
        self.xml.setPlainText(made.xml.decode("utf-8"))
        how = (_("as kept when it was issued") if made.kept
               else _("made now from the issued invoice"))
        self.note.setText(f"{display.EINVOICE_FORMATS[made.format]}: {made.filename}, {how}.")
        self.save_button.setEnabled(True)

    def _refused(self, exc: PaidUpError) -> None:
        self.made = None
        self.xml.clear()
        self.note.setText("")
        self.error.say(display.refusal(exc))

    def save(self) -> None:
        if self.made is None:
            return
        kind = _("PDF (*.pdf)") if self.made.filename.endswith(".pdf") else _("XML (*.xml)")
        path, _filter = QFileDialog.getSaveFileName(self, _("Save the e-invoice"),
                                                    self.made.filename,
                                              kind)
        if not path:
            return
        try:
            files.write_bytes(Path(path), self.made.content)
        except OSError as exc:
            self.error.say(_("Cannot save {path}: {strerror}.").format(
                             path=path, strerror=exc.strerror))
        else:
            self.note.setText(_("Saved {path}.").format(path=path))

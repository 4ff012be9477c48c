"""The Credit section of a customer's page: standing, the application with its references
and documents, the decision, and the buttons of the next step.

Which buttons work comes with the view from the service (``allowed_actions``).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop_app.domain.errors import PaidUpError
from desktop_app.services import credit_applications
from desktop_app.services.credit_applications import ApplicationView, CreditView, DocumentView
from desktop_app.ui import display
from desktop_app.ui.context import Context
from desktop_app.ui.dialogs.credit_forms import (
    DOCUMENT_WORDS,
    DecideForm,
    DocumentForm,
    ReferenceForm,
)
from desktop_app.ui.flow_layout import FlowLayout
from desktop_app.ui.translate import _, ngettext
from desktop_app.ui.widgets import ErrorLabel, NoteLabel, fit_to_screen


def standing_text(view: CreditView) -> str:
    """The customer's credit in one sentence a person reads."""
    if view.standing == "granted":
        return _("Invoiced on its terms: a customer from before credit applications.")
    percent = display.number(view.deposit_percent)
    cash = view.new_customer_rule == "cash_only"
    if view.standing == "undecided":
        return (_("No credit decision yet: until there is one, the customer pays on receipt.")
                if cash else
                _("No credit decision yet: until there is one, the customer pays a deposit of "
                  "at least {percent} % on issue.").format(percent=percent))
    if view.standing == "refused":
        return (_("Credit refused: the customer pays on receipt.") if cash else
                _("Credit refused: the customer pays a deposit of at least {percent} % on "
                  "issue.").format(percent=percent))
    limit = display.money(view.credit_limit, view.currency) if view.credit_limit is not None \
        else _("no limit")
    text = _("Credit approved: {terms}, limit {limit}.").format(
        terms=view.terms or _("the default terms"), limit=limit)
    if view.review_on is not None:
        text += " " + (_("Review due since {day}.") if view.review_due
                       else _("Review on {day}.")).format(day=display.day(view.review_on))
    return text


def size_text(size: int) -> str:
    if size < 1024:
        return ngettext("{n} byte", "{n} bytes", size).format(n=size)
    if size < 1024 * 1024:
        return f"{size / 1024:.0f} KB"
    return f"{size / 1024 / 1024:.1f} MB"


def application_text(app: ApplicationView | None, currency: str) -> str:
    if app is None:
        return ""
    if app.state == "open":
        references, documents = len(app.references), len(app.documents)
        return " ".join((
            _("Application opened on {day}.").format(day=display.day(app.opened_on)),
            ngettext("{n} reference called,", "{n} references called,", references).format(
                n=references),
            ngettext("{n} document kept.", "{n} documents kept.", documents).format(
                n=documents)))
    decided = (_("Approved on {day} by {person}.") if app.state == "approved"
               else _("Refused on {day} by {person}.")).format(
        day=display.day(app.decided_on), person=app.decided_by)
    parts = [decided]
    if app.terms:
        parts.append(_("Terms: {terms}.").format(terms=app.terms))
    if app.limit is not None:
        parts.append(_("Limit: {limit}.").format(limit=display.money(app.limit, currency)))
    if app.note:
        parts.append(app.note)
    return " ".join(parts)


def _table(headers: tuple[str, ...]) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(headers)
    table.horizontalHeader().setSectionResizeMode(len(headers) - 1,
                                                  QHeaderView.ResizeMode.Stretch)
    table.verticalHeader().setVisible(False)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    return table


def _fill(table: QTableWidget, rows: list[tuple[str, ...]]) -> None:
    table.setRowCount(len(rows))
    for r, cells in enumerate(rows):
        for c, word in enumerate(cells):
            item = QTableWidgetItem(word)
            item.setToolTip(word)
            table.setItem(r, c, item)
    table.setVisible(bool(rows))
    table.setFixedHeight(table.horizontalHeader().sizeHint().height()
                         + sum(table.rowHeight(r) for r in range(len(rows)))
                         + 2 * table.frameWidth())


class ImageView(QDialog):
    """A scanned document as it was kept."""

    def __init__(self, content: bytes, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        picture = QPixmap()
        picture.loadFromData(content)
        label = QLabel()
        label.setPixmap(picture)
        scroll = QScrollArea()
        scroll.setWidget(label)
        QVBoxLayout(self).addWidget(scroll)
        fit_to_screen(self, 800, 900, parent)


class CreditSection(QWidget):
    """One customer's credit; the page hands it the customer's credit view."""

    def __init__(self, ctx: Context, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.view: CreditView | None = None
        self.standing = NoteLabel()
        self.standing.setWordWrap(True)
        self.application = NoteLabel()
        self.application.setWordWrap(True)
        self.references = _table((_("Called on"), _("Company"), _("Person"), _("Phone"),
                                  _("What they said")))
        self.documents = _table((_("Added on"), _("Kind"), _("File"), _("Size"), "SHA-256"))
        self.documents.setToolTip(_("Double-click to open the document as it was kept"))
        self.documents.cellDoubleClicked.connect(self._open_document)
        self.error = ErrorLabel()
        self.apply = QPushButton(_("Start application"))
        self.apply.setToolTip(_("Open a credit application: references, documents, decision"))
        self.reference = QPushButton(_("Add reference…"))
        self.document = QPushButton(_("Add document…"))
        self.open_document = QPushButton(_("Open document"))
        self.decide = QPushButton(_("Decide…"))
        self.apply.clicked.connect(self.start)
        self.reference.clicked.connect(self.add_reference)
        self.document.clicked.connect(self.add_document)
        self.open_document.clicked.connect(
            lambda: self._open_document(self.documents.currentRow(), 0))
        self.decide.clicked.connect(self.decide_credit)
        buttons = FlowLayout()
        for button in (self.apply, self.reference, self.document, self.open_document,
                       self.decide):
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.standing)
        layout.addWidget(self.application)
        layout.addWidget(self.references)
        layout.addWidget(self.documents)
        layout.addWidget(self.error)
        layout.addLayout(buttons)
        self._update_buttons()

    def show_credit(self, view: CreditView) -> None:
        self.view = view
        self.error.say("")
        self.standing.setText(standing_text(view))
        app = view.application
        self.application.setText(application_text(app, view.currency))
        self.application.setVisible(app is not None)
        _fill(self.references, [
            (display.day(r.called_on), r.company, r.person, r.phone, r.said)
            for r in (app.references if app else ())])
        _fill(self.documents, [
            (display.day(d.added_on), DOCUMENT_WORDS.get(d.kind, d.kind), d.filename,
             size_text(d.size), d.sha256) for d in self._documents()])
        self._update_buttons()

    def _documents(self) -> tuple[DocumentView, ...]:
        app = self.view.application if self.view else None
        return app.documents if app else ()

    def _update_buttons(self) -> None:
        allowed = self.view.allowed_actions if self.view else ()
        self.apply.setEnabled("apply" in allowed)
        decided = self.view is not None and self.view.standing != "undecided"
        self.apply.setText(_("Start review") if decided else _("Start application"))
        self.reference.setEnabled("reference" in allowed)
        self.document.setEnabled("document" in allowed)
        self.decide.setEnabled("decide" in allowed)
        self.open_document.setEnabled(bool(self._documents()))
        self.open_document.setVisible(bool(self._documents()))

    def start(self) -> None:
        if self.view is None:
            return
        customer_id = self.view.customer_id
        self.ctx.ops.change(lambda books: credit_applications.apply(books, customer_id),
                            self._saved, on_refused=self._refused, owner=self)

    def add_reference(self) -> None:
        if self.view is not None:
            ReferenceForm(self.ctx, self.view.customer_id, self.view.customer_name,
                          self._saved).open()

    def add_document(self) -> None:
        if self.view is not None:
            DocumentForm(self.ctx, self.view.customer_id, self.view.customer_name,
                         self._saved).open()

    def decide_credit(self) -> None:
        if self.view is not None:
            DecideForm(self.ctx, self.view.customer_id, self.view.customer_name,
                       self.view.currency, self._saved).open()

    def _open_document(self, row: int, _column: int) -> None:
        documents = self._documents()
        if not 0 <= row < len(documents):
            return
        document_id = documents[row].id
        self.ctx.ops.query(lambda books: credit_applications.document_content(books,
                                                                              document_id),
                           self._show_document, on_refused=self._refused, owner=self)

    def _show_document(self, found: tuple[DocumentView, bytes]) -> None:
        document, content = found
        title = f"{DOCUMENT_WORDS.get(document.kind, document.kind)}: {document.filename}"
        if document.media_type == "application/pdf":
            self.ctx.show_pdf(content, title, document.filename)
        else:
            ImageView(content, title, self.ctx.window).show()

    def _saved(self, view: Any) -> None:
        self.show_credit(view)
        self.ctx.say(f"{view.customer_name}: {standing_text(view)}")

    def _refused(self, exc: PaidUpError) -> None:
        self.error.say(display.refusal(exc))

"""Add or edit a customer, contacts by role included."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEvent, QObject, QSignalBlocker, QSize
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QStyle,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop_app.domain.errors import PaidUpError, ValidationError
from desktop_app.services import activity, customers, receipts, terms
from desktop_app.services.books import Books
from desktop_app.services.customers import CustomerInput
from desktop_app.services.records import CustomerView, TermsView
from desktop_app.ui import column_fit, display
from desktop_app.ui.context import Context
from desktop_app.ui.dialogs.form import FormDialog
from desktop_app.ui.dialogs.invoice_actions import choice_box, date_edit, picked
from desktop_app.ui.translate import N_, Words, _
from desktop_app.ui.widgets import ErrorLabel, text_width

CONTACT_ERROR = re.compile(r"contact (\d+)")
ROLE, NAME, EMAIL = range(3)  # the contacts' columns
# A contact as long as most: a new form opens with room for it, and a narrow screen cuts a
# name or an email no shorter than this.
NAME_SAMPLE = "Hans-Peter Schneider"
EMAIL_SAMPLE = "accounts.payable@mueller-soehne.example"
READ_RECEIPT = Words({"account": N_("As the mail account says"),
                      "on": N_("Ask on invoice emails"), "off": N_("Do not ask")})


class ContactsEditor(QWidget):
    """Rows of role, name and email. Each column is as wide as its text and the email takes
    what is left; on a narrow screen the role gives way first (its list says it whole), then
    the name, then the email, each whole in its tooltip."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.table = QTableWidget(0, 3)
        self.table.setHorizontalHeaderLabels((_("Role"), _("Name"), _("Email")))
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.verticalHeader().setVisible(False)
        self.table.setWordWrap(False)  # one line, cut with "…" and whole in the tooltip
        self.table.setMinimumHeight(120)
        self.table.itemChanged.connect(lambda _item: self.fit())
        self.table.viewport().installEventFilter(self)
        self._fitting = False
        roles = choice_box(display.CONTACT_ROLES)  # as wide as its longest role
        metrics = roles.fontMetrics()
        words = [metrics.horizontalAdvance(word) for word in display.CONTACT_ROLES.values()]
        self._role = column_fit.Want(ROLE, roles.sizeHint().width(),
                                     roles.sizeHint().width() - max(words) + min(words))
        add = QPushButton(_("Add contact"))
        add.clicked.connect(lambda: self.add("accounts_payable", "", ""))
        remove = QPushButton(_("Remove contact"))
        remove.clicked.connect(self.remove)
        buttons = QHBoxLayout()
        buttons.addWidget(add)
        buttons.addWidget(remove)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table)
        layout.addLayout(buttons)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize:
            self.fit()
        return False

    def _wants(self) -> list[column_fit.Want]:
        """What each column needs whole, in the order they give way."""
        view, header = self.table, self.table.horizontalHeader()

        def want(column: int, sample: str) -> column_fit.Want:
            texts = [view.item(row, column).text() for row in range(view.rowCount())]
            width = max(header.sectionSizeHint(column),
                        *(text_width(view, text) for text in [*texts, sample]))
            return column_fit.Want(column, width, min(width, text_width(view, sample)))

        return [self._role, want(NAME, NAME_SAMPLE), want(EMAIL, EMAIL_SAMPLE)]

    def fit(self) -> None:
        """The columns for the table's width now, and a tooltip on each text they cut."""
        if self._fitting:
            return
        self._fitting = True  # a tooltip set below is an item changed
        try:
            view, header = self.table, self.table.horizontalHeader()
            widths = column_fit.fit(self._wants(), view.viewport().width(), stretch=EMAIL)
            for column, width in widths.items():
                header.resizeSection(column, width)
            for row in range(view.rowCount()):
                for column in (NAME, EMAIL):
                    item = view.item(row, column)
                    cut = text_width(view, item.text()) > widths[column]
                    item.setToolTip(item.text() if cut else "")
                role = view.cellWidget(row, ROLE)
                assert isinstance(role, QComboBox)
                role.setToolTip(role.currentText() if widths[ROLE] < self._role.width else "")
        finally:
            self._fitting = False

    def sizeHint(self) -> QSize:
        """Wide enough for every column whole beside a scroll bar: the form opens at this
        width if the screen has it."""
        view = self.table
        bar = view.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent)
        width = sum(want.width for want in self._wants()) + bar + 2 * view.frameWidth()
        hint = super().sizeHint()
        return QSize(max(hint.width(), width), hint.height())

    def add(self, role: str, name: str, email: str) -> None:
        row = self.table.rowCount()
        self.table.insertRow(row)
        roles = choice_box(display.CONTACT_ROLES, role)
        roles.currentIndexChanged.connect(lambda _index: self.fit())
        with QSignalBlocker(self.table):  # no fitting before the row is whole
            self.table.setCellWidget(row, ROLE, roles)
            self.table.setItem(row, NAME, QTableWidgetItem(name))
            self.table.setItem(row, EMAIL, QTableWidgetItem(email))
        self.fit()
        self.updateGeometry()  # a form opened on it is as wide as its text

    def remove(self) -> None:
        if self.table.currentRow() >= 0:
            self.table.removeRow(self.table.currentRow())
            self.fit()  # the longest name or email may have gone with it

    def rows(self) -> list[tuple[str, str, str]]:
        result = []
        for row in range(self.table.rowCount()):
            role = self.table.cellWidget(row, ROLE)
            assert isinstance(role, QComboBox)
            name, email = (self.table.item(row, c).text() for c in (NAME, EMAIL))
            result.append((role.currentData(), name, email))
        return result

    def point_at(self, position: int) -> None:
        if 0 < position <= self.table.rowCount():
            self.table.setCurrentCell(position - 1, EMAIL)
            self.table.setFocus()


class CustomerForm(FormDialog):

    def __init__(self, ctx: Context, customer: CustomerView | None = None,
                 on_saved: Callable[[CustomerView], None] | None = None) -> None:
        super().__init__(ctx, _("Edit customer") if customer else _("New customer"))
        self.customer, self.on_saved = customer, on_saved
        self.name = self.add_field(_("Name"), "name", QLineEdit())
        self.email = self.add_field(_("Main email"), "email", QLineEdit())
        self.email.setPlaceholderText(_("where invoices and reminders go"))
        self.phone = self.add_field(_("Phone"), "phone", QLineEdit())
        self.address = self.add_field(_("Postal address"), "address", QPlainTextEdit())
        self.address.setPlaceholderText(_("One line per line of the envelope"))
        self.address.setMaximumHeight(90)
        self.language = self.add_field(_("Language of letters"), "language",
                                 choice_box(display.LANGUAGES, "en"))
        self.number = self.add_field(_("Customer number"), "number", QLineEdit())
        self.number.setPlaceholderText(_("quoted on statements as the payment reference"))
        self.country = self.add_field(_("Country"), "country", QLineEdit())
        self.country.setMaxLength(2)
        self.country.setPlaceholderText(_("DE, FR, US …"))
        self.vat_id = self.add_field(_("VAT ID"), "vat-id", QLineEdit())
        self.vat_id.setToolTip(_("With a country, proposes the VAT category of new lines "
                               "(reverse charge for a business elsewhere in the EU)"))
        self.consumer = self.add_field("", "consumer", QCheckBox(
            _("A private person, not a business")))
        self.terms = self.add_field(_("Payment terms"), "terms", QComboBox())
        self.terms.addItem(_("The company's default terms"), None)
        self.credit_limit = self.add_field(_("Credit limit"), "credit-limit", QLineEdit())
        self.credit_limit.setPlaceholderText(_("none"))
        self.credit_granted = self.add_field("", "credit-granted", QCheckBox(
            _("Known from before: its credit was decided already")))
        self.credit_granted.setToolTip(_("Unticked, a new customer pays on receipt (or a "
                                         "deposit) until its credit application is decided"))
        self.credit_granted.parentWidget().setVisible(self.customer is None)  # new ones only
        self.einvoice = self.add_field(_("E-invoice"), "einvoice", choice_box(
            {"default": _("Automatic (from the country and the IDs below)"),
             **display.EINVOICE_FORMATS}, "default"))
        self.einvoice.setToolTip(_("The form in which this customer receives invoices: made "
                                 "once at issue and sent with the invoice email"))
        self.leitweg_id = self.add_field(_("Leitweg-ID"), "leitweg-id", QLineEdit())
        self.leitweg_id.setPlaceholderText(_("German public buyers only, e.g. 991-12345-67"))
        self.peppol_id = self.add_field(_("Peppol ID"), "peppol-id", QLineEdit())
        self.peppol_id.setPlaceholderText(_("SCHEME:ID, e.g. 0208:0123456749"))
        self.contacts = ContactsEditor()
        self.contact_error = ErrorLabel()
        self.errors.claim(lambda f: bool(CONTACT_ERROR.match(f)), self.contacts,
                          self.contact_error)
        box = QWidget()
        box_layout = QVBoxLayout(box)
        box_layout.setContentsMargins(0, 0, 0, 0)
        box_layout.addWidget(self.contacts)
        box_layout.addWidget(self.contact_error)
        self.form.addRow(_("Contacts"), box)
        self.read_receipt = self.add_field(_("Read receipt"), "read-receipt", choice_box(
            READ_RECEIPT, "account"))
        self.read_receipt.setToolTip(_("Whether the email that carries an invoice asks the "
                                       "customer's mail program to confirm it was read"))
        self.receipt_by_call = self.add_field("", "receipt-by-call", QCheckBox(
            _("Ask by phone, not by email, whether an invoice arrived")))
        self.notes = self.add_field(_("Notes"), "notes", QPlainTextEdit())
        self.notes.setMaximumHeight(70)
        if customer is not None:
            self._fill(customer)
            customer_id = customer.id
            ctx.ops.query(lambda books: receipts.asking_of(books, customer_id),
                          self._asking_loaded, owner=self, on_refused=self.errors.show)
        self.ok_button.setEnabled(False)
        ctx.ops.query(terms.list_terms, self._terms_loaded, owner=self,
                      on_refused=self.errors.show)

    def opening_size(self) -> QSize:
        """Wide enough for its contacts whole (a long email is common), if the screen is."""
        return QSize(max(640, self.sizeHint().width()), 800)

    def _fill(self, c: CustomerView) -> None:
        self.name.setText(c.name)
        self.email.setText(c.email)
        self.phone.setText(c.phone)
        self.address.setPlainText(c.address)
        self.language.setCurrentIndex(max(self.language.findData(c.language), 0))
        self.number.setText(c.number)
        self.country.setText(c.country)
        self.vat_id.setText(c.vat_id)
        self.consumer.setChecked(c.consumer)
        self.credit_limit.setText(display.number(c.credit_limit) if c.credit_limit is not None
                                  else "")
        for contact in c.contacts:
            self.contacts.add(contact.role, contact.name, contact.email)
        self.einvoice.setCurrentIndex(max(self.einvoice.findData(c.einvoice_chosen
                                                                 or "default"), 0))
        self.einvoice.setItemText(0, _("Automatic (now: {EINVOICE_FORMATS})").format(
                                       EINVOICE_FORMATS=display.EINVOICE_FORMATS[c.einvoice]))
        self.leitweg_id.setText(c.leitweg_id)
        self.peppol_id.setText(c.peppol_id)
        self.notes.setPlainText(c.notes)

    def _asking_loaded(self, asking: receipts.ReceiptAsking) -> None:
        key = {None: "account", True: "on", False: "off"}[asking.read_receipt]
        self.read_receipt.setCurrentIndex(max(self.read_receipt.findData(key), 0))
        self.receipt_by_call.setChecked(asking.by_call)

    def _terms_loaded(self, rows: list[TermsView]) -> None:
        for t in rows:
            self.terms.addItem(t.name, t.name)
        if self.customer is not None and self.customer.terms:
            self.terms.setCurrentIndex(max(self.terms.findData(self.customer.terms), 0))
        self.ok_button.setEnabled(True)

    def work(self) -> Callable[[Books], Any]:
        data = CustomerInput(
            name=self.name.text(), email=self.email.text(), address=self.address.toPlainText(),
            phone=self.phone.text(), language=self.language.currentData(),
            terms=self.terms.currentData(),
            credit_limit=display.plain_number(self.credit_limit.text(), "credit-limit") or None,
            contacts=tuple(self.contacts.rows()), notes=self.notes.toPlainText(),
            einvoice=self.einvoice.currentData(), leitweg_id=self.leitweg_id.text(),
            peppol_id=self.peppol_id.text(),
            vat_id=self.vat_id.text(), number=self.number.text(), country=self.country.text(),
            consumer=self.consumer.isChecked(),
        )
        read_receipt = {"account": None, "on": True, "off": False}[
            self.read_receipt.currentData()]
        by_call = self.receipt_by_call.isChecked()
        customer_id = self.customer.id if self.customer is not None else None
        granted = self.credit_granted.isChecked()

        def save(books: Books) -> CustomerView:
            view = customers.add_customer(
                books, name=data.name, email=data.email, address=data.address,
                phone=data.phone, language=data.language, terms=data.terms,
                credit_limit=data.credit_limit, contacts=data.contacts, notes=data.notes,
                einvoice=data.einvoice, leitweg_id=data.leitweg_id, peppol_id=data.peppol_id,
                vat_id=data.vat_id, number=data.number, country=data.country,
                consumer=data.consumer, credit_granted=granted) if customer_id is None else \
                customers.update_customer(books, customer_id, data)
            receipts.set_asking(books, view.id, read_receipt=read_receipt, by_call=by_call)
            return view

        return save

    def _refused(self, exc: PaidUpError) -> None:
        super()._refused(exc)
        if isinstance(exc, ValidationError) and (m := CONTACT_ERROR.match(exc.field)):
            self.contact_error.say(display.refusal(exc))
            self.contacts.point_at(int(m.group(1)))

    def succeeded(self, result: CustomerView) -> None:
        self.ctx.say(_("Customer {name} saved.").format(name=result.name))
        if self.on_saved is not None:
            self.on_saved(result)


NOTE_KINDS = Words({"note": N_("Note"), "call": N_("Call"), "visit": N_("Visit")})


class NoteDialog(FormDialog):
    """A call, visit or note written down by hand in the customer's log."""

    ok_text = N_("Add to the log")

    def __init__(self, ctx: Context, customer: CustomerView) -> None:
        super().__init__(ctx, _("Note — {name}").format(name=customer.name))
        self.customer = customer
        self.kind = self.add_field(_("What"), "kind", choice_box(NOTE_KINDS, "note"))
        self.date = self.add_field(_("On"), "date", date_edit(ctx.today()))
        self.note = self.add_field(_("Note"), "note", QPlainTextEdit())
        self.note.setPlaceholderText(_("e.g. Met the owner at the trade fair; payment expected "
                                     "after their next order"))
        self.note.setMinimumHeight(90)

    def work(self) -> Callable[[Books], Any]:
        customer_id, kind, summary, on = (self.customer.id, self.kind.currentData(),
                                          self.note.toPlainText(), picked(self.date))
        return lambda books: activity.add_note(books, customer_id, kind, summary, on)

    def succeeded(self, result: Any) -> None:
        self.ctx.say(_("Added to {name}'s log.").format(name=self.customer.name))

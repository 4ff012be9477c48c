"""Payments received, newest first, and the bank's statements: record a payment by hand, or
drop the statement and decide what it could not."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desktop_app.services import bank
from desktop_app.services.records import PaymentRow
from desktop_app.ui import display
from desktop_app.ui.context import Context
from desktop_app.ui.dialogs.invoice_actions import PaymentDialog
from desktop_app.ui.models.paged import ROW
from desktop_app.ui.models.payment_list import Column, PaymentListModel
from desktop_app.ui.ops import Changes
from desktop_app.ui.pages.bank import BankPanel
from desktop_app.ui.pages.base import Page
from desktop_app.ui.translate import _, ngettext, pgettext
from desktop_app.ui.widgets import (
    CUSTOMER_SAMPLE,
    NoteLabel,
    ReadableColumn,
    SearchField,
    list_view,
    text_width,
)


class PaymentsPage(Page):
    key = "payments"
    watches = Changes.PAYMENTS | Changes.CUSTOMERS | Changes.SETTINGS
    TABS = ("received", "bank")

    def __init__(self, ctx: Context, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.model = PaymentListModel(ctx.ops, self)
        self.model.ids_loaded.connect(self._counted)
        self.search = SearchField(_("Find by customer, invoice number or reference"))
        self.search.search.connect(self.model.set_search)
        self.record = QPushButton(_("Record payment…"))
        self.record.setToolTip(_("Record money received for an open invoice (Ctrl+R)"))
        self.record.clicked.connect(lambda: self.do("record_payment"))
        self.reverse = QPushButton(_("Reverse payment…"))
        self.reverse.setToolTip(_("Take back the selected payment: a reversing entry goes in the "
                                "customer's log and what it paid is open again"))
        self.reverse.setEnabled(False)
        self.reverse.clicked.connect(self.reverse_selected)
        self.view = list_view()
        self.view.setModel(self.model)
        self.view.selectionModel().selectionChanged.connect(
            lambda *_: self.reverse.setEnabled(self.selected() is not None))
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for column, sample in ((Column.DATE, display.day(date(2026, 12, 30))),
                               (Column.INVOICE, "INV-2026-00000"),
                               (Column.AMOUNT, "€000,000.00"),
                               (Column.METHOD, display.METHODS["bank_transfer"]),
                               (Column.REFERENCE, "RF18 5390 0754 7034")):
            header.resizeSection(column, text_width(self.view, sample))
        # A wide window gives a long reference ("INV-2026-0062 Acme Plumbing Ltd") its room
        # once names as long as most have theirs.
        self.customer_column = ReadableColumn(
            self.view, Column.CUSTOMER, text_width(self.view, CUSTOMER_SAMPLE),
            want=2 * text_width(self.view, CUSTOMER_SAMPLE), spare=Column.REFERENCE)
        header.setSortIndicator(Column.DATE, Qt.SortOrder.DescendingOrder)
        self.view.doubleClicked.connect(self._open_invoice)
        self.view.setToolTip(_("Double-click a payment to open its invoice"))
        self.count = NoteLabel()
        top = QHBoxLayout()
        top.addWidget(self.search, 1)
        top.addWidget(self.reverse)
        top.addWidget(self.record)
        received = QWidget()
        inner = QVBoxLayout(received)
        inner.addLayout(top)
        inner.addWidget(self.view, 1)
        inner.addWidget(self.count)
        self.bank = BankPanel(ctx)
        self.tabs = QTabWidget()
        self.tabs.addTab(received, pgettext("the tab of payments received", "Received"))
        self.tabs.addTab(self.bank, _("Bank statements"))
        self.tabs.currentChanged.connect(lambda _i: self.refresh())
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tabs)

    def refresh(self) -> None:
        if self.tabs.currentWidget() is self.bank:
            self.bank.refresh()
        else:
            self.model.reload()

    def show_item(self, **what: Any) -> None:
        """``tab="bank"``: the statements and what waits for a decision."""
        tab = what.get("tab")
        if tab in self.TABS:
            self.tabs.setCurrentIndex(self.TABS.index(tab))

    def _counted(self) -> None:
        n = self.model.rowCount()
        self.count.setText(_("No payments recorded yet.") if n == 0 and not self.model.query.search
                           else ngettext("{n} payment", "{n} payments", n).format(
                               n=display.number(n)))

    def _open_invoice(self, index: QModelIndex) -> None:
        row = self.model.data(index, ROW)
        if isinstance(row, PaymentRow) and row.invoice_id is not None:
            self.ctx.go("invoices", customer_id=row.customer_id, invoice_id=row.invoice_id)

    def selected(self) -> PaymentRow | None:
        rows = self.view.selectionModel().selectedRows()
        row = self.model.data(rows[0], ROW) if rows else None
        return row if isinstance(row, PaymentRow) else None

    def reverse_selected(self) -> None:
        """Asks why, then reverses: not a deletion, the log keeps the payment and says it was
        reversed, and the customer's money is replayed without it."""
        row = self.selected()
        if row is None:
            return
        self.asking = QInputDialog(self)
        self.asking.setWindowTitle(_("Reverse payment"))
        self.asking.setLabelText(
            _("Reverse the payment of {money} from {customer_name} ({day})? What it paid is open "
              "again; the customer's log keeps it with a reversing entry.\n\nWhy:").format(
              money=display.money(row.amount, row.currency), customer_name=row.customer_name,
              day=display.day(row.paid_on)))
        self.asking.setTextValue(_("recorded by mistake"))
        self.asking.setOkButtonText(_("Reverse payment"))
        self.asking.textValueSelected.connect(lambda why: self._reverse(row, why))
        self.asking.open()

    def _reverse(self, row: PaymentRow, why: str) -> None:
        self.ctx.ops.change(lambda books: bank.reverse_payment(books, row.id, why),
                            lambda _done: self.ctx.say(
                                _("The payment of {money} from {customer} was "
                                  "reversed.").format(
                                  money=display.money(row.amount, row.currency),
                                  customer=row.customer_name)), owner=self)

    def focus_search(self) -> bool:
        self.search.setFocus()
        self.search.selectAll()
        return True

    def can(self, action: str) -> bool:
        return action in ("record_payment", "new_invoice", "new_customer")

    def do(self, action: str) -> None:
        if action == "record_payment":
            PaymentDialog(self.ctx, None).open()
        elif action == "new_invoice":
            self.ctx.go("invoices", new_invoice_for=None)
        elif action == "new_customer":
            self.ctx.go("customers", new_customer=True)

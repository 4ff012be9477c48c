"""Invoices: the list (100,000 feel like 100), filters, the selected invoice and its actions."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from PySide6.QtCore import QItemSelection, QModelIndex, Qt
from PySide6.QtGui import QAction, QHideEvent, QKeySequence, QShowEvent
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desktop_app.domain.invoice_actions import InvoiceAction
from desktop_app.services import customers, documents, invoices
from desktop_app.services.invoices import InvoiceQuery
from desktop_app.services.records import CustomerChoice, InvoiceRow, InvoiceView
from desktop_app.ui import display, printing
from desktop_app.ui.actions import with_shortcut
from desktop_app.ui.context import Context
from desktop_app.ui.dialogs.draft_editor import DraftEditor
from desktop_app.ui.dialogs.invoice_actions import (
    DeleteDraftDialog,
    HoldDialog,
    IssueDialog,
    LetterDialog,
    PaymentDialog,
    PromiseDialog,
    ReceiptDialog,
    ReleaseDialog,
    VoidDialog,
    WriteOffDialog,
)
from desktop_app.ui.dialogs.payment_plan import PaymentPlanDialog
from desktop_app.ui.models.invoice_list import Column, InvoiceListModel
from desktop_app.ui.models.paged import ROW
from desktop_app.ui.ops import Changes
from desktop_app.ui.pages.base import Page
from desktop_app.ui.spilling_toolbar import SpillingToolBar
from desktop_app.ui.translate import N_, Words, _, ngettext, pgettext
from desktop_app.ui.widgets import (
    CUSTOMER_SAMPLE,
    EmptyState,
    NoteLabel,
    ReadableColumn,
    SearchField,
    heading,
    list_view,
    text_width,
)

STATUS_FILTERS = Words({
    "": N_("All invoices"),
    "draft": N_("Drafts"),
    "open": N_("Open (issued, not yet paid)"),
    "issued": N_("Issued, nothing paid"),
    "partially_paid": N_("Partly paid"),
    "paid": N_("Paid"),
    "written_off": N_("Written off"),
    "void": N_("Void"),
})
RECEIPT_HOW = Words({"email": N_("by email"), "phone": N_("by phone"),
                    "letter": N_("by letter")})
# Always in the toolbar's More menu; and the toolbar's actions that join them, in this order,
# when a narrow window or a long language leaves no room (double-click edits a draft too).
MORE = ("record_receipt", "void", "delete_draft", "hold", "release", "plan", "write_off",
        "einvoice", "dossier")
GIVES_WAY = ("letter", "promise", "edit_draft", "preview")
LONG_CUSTOMER = "Fischer Elektrotechnik e.K."  # a name the list keeps whole if it can


def _cell(value: str, right: bool = False) -> QTableWidgetItem:
    item = QTableWidgetItem(value)
    if right:
        item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    return item


def _small_table(headers: tuple[str, ...]) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(headers)
    table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
    table.verticalHeader().setVisible(False)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
    table.setAlternatingRowColors(True)
    table.setWordWrap(False)
    return table


class InvoiceDetail(QWidget):
    """The selected invoice: who, when, how much, its installments and lines."""

    def __init__(self) -> None:
        super().__init__()
        self.view: InvoiceView | None = None
        self.title = heading("")
        self.subtitle = NoteLabel()
        self.facts = QFormLayout()
        self.issued, self.due, self.terms, self.schedule = (QLabel() for _ in range(4))
        self.received = QLabel()
        self.received.setWordWrap(True)
        self.facts.addRow(_("Issued"), self.issued)
        self.facts.addRow(_("Due"), self.due)
        self.facts.addRow(_("Terms"), self.terms)
        self.facts.addRow(_("Received"), self.received)
        self.totals = QGridLayout()
        self.installments = _small_table((_("Installment"), _("Due"), _("Amount"), _("Paid"),
                                          _("Status")))
        self.lines = _small_table((_("Line"), _("Quantity"), _("Unit price"), _("Tax %"), _("Net")))
        left = QVBoxLayout()
        left.addWidget(self.title)
        left.addWidget(self.subtitle)
        left.addLayout(self.facts)
        left.addLayout(self.totals)
        left.addStretch(1)
        # Schedule and lines as tabs, each as wide as both side by side would be: on a
        # 1024-pixel screen two narrow tables cut every description and date short.
        self.tabs = QTabWidget()
        self.tabs.addTab(self.installments, _("Schedule"))
        self.tabs.addTab(self.lines, _("Lines"))
        layout = QHBoxLayout(self)
        layout.addLayout(left, 2)
        layout.addWidget(self.tabs, 5)

    def show_view(self, view: InvoiceView) -> None:
        self.view = view
        cur = view.currency
        self.title.setText(_("{number} — {customer}").format(
            number=view.number or _("Draft"), customer=view.customer_name))
        status = display.INVOICE_STATUS.get(view.status, view.status)
        facts = [status, display.money(view.total, cur)]
        if view.due and view.status != "draft":
            facts.append(_("{money} open").format(money=display.money(view.due, cur)))
        if view.hold:
            facts.append(_("disputed: no reminders") if view.hold == "dispute"
                         else _("paused: no reminders"))
        if view.plan == "active":
            facts.append(_("on a payment plan"))
        elif view.plan == "broken":
            facts.append(_("payment plan broken"))
        elif view.plan == "kept":
            facts.append(_("payment plan kept"))
        if view.written_off:
            facts.append(_("{money} written off").format(
                           money=display.money(view.written_off, cur)))
        self.subtitle.setText(" · ".join(facts))
        self.issued.setText(display.day(view.issue_date) or _("not yet"))
        self.due.setText(display.day(view.due_date) or _("when issued"))
        self.terms.setText(view.terms)
        self.facts.setRowVisible(self.received, view.status != "draft")
        receipt = view.receipt
        self.received.setText(_("Not confirmed yet") if receipt is None else
                              _("{day}, confirmed by {name} ({how})").format(
                                  day=display.day(receipt.received_on),
                                  name=receipt.received_by,
                                  how=RECEIPT_HOW.get(receipt.via, receipt.via)))
        while self.totals.count():
            item = self.totals.takeAt(0)
            if item.widget() is not None:
                item.widget().deleteLater()
        rows = [(_("Subtotal"), view.subtotal)]
        rows += [(_("Tax {number} %").format(
                    number=display.number(b.rate)), b.tax) for b in view.taxes]
        rows += [(_("Total"), view.total)]
        if view.status != "draft":
            rows += [(_("Paid"), view.paid)]
            if view.discount:
                rows += [(_("Discount granted"), view.discount)]
            if view.charges:
                rows += [(_("Fees and interest"), view.charges)]
            rows += [(pgettext("an amount still to be paid", "Open"), view.due)]
            if view.interest_accrued:
                # The creditor's claim keeps growing (after the hand-over too); it is
                # charged when a letter or the dossier asks for it.
                rows += [(_("Interest accrued since, not yet charged"), view.interest_accrued)]
        for r, (label, amount) in enumerate(rows):
            value = QLabel(display.money(amount, cur))
            value.setAlignment(Qt.AlignmentFlag.AlignRight)
            self.totals.addWidget(QLabel(label), r, 0)
            self.totals.addWidget(value, r, 1)
        self.installments.setRowCount(len(view.installments))
        for r, inst in enumerate(view.installments):
            for c, item in enumerate((
                    _cell(display.installment(inst.label)), _cell(display.day(inst.due_date)),
                    _cell(display.money(inst.amount, cur), True),
                    _cell(display.money(inst.paid, cur) if inst.paid else "", True),
                    _cell(display.INVOICE_STATUS.get(inst.status, inst.status.title())))):
                self.installments.setItem(r, c, item)
        self.tabs.setTabText(0, _("Schedule ({count})").format(count=len(view.installments)))
        self.tabs.setTabText(1, _("Lines ({count})").format(count=len(view.lines)))
        self.lines.setRowCount(len(view.lines))
        for r, line in enumerate(view.lines):
            described = _cell(line.description)
            described.setToolTip(line.description)  # whole, where the column cuts it short
            for c, item in enumerate((
                    described, _cell(display.number(line.quantity), True),
                    _cell(display.money(line.unit_price, cur), True),
                    _cell(display.number(line.tax_percent), True),
                    _cell(display.money(line.net, cur), True))):
                self.lines.setItem(r, c, item)
        for table in (self.installments, self.lines):
            table.resizeColumnsToContents()
            table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)


class InvoicesPage(Page):
    key = "invoices"
    watches = Changes.INVOICES | Changes.CUSTOMERS | Changes.PAYMENTS | Changes.COMPANY

    def __init__(self, ctx: Context, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.model = InvoiceListModel(ctx.ops, self)
        self.model.ids_loaded.connect(self._ids_loaded)
        self.model.rows_loaded.connect(lambda _page: self._update_actions())
        self._want_id: int | None = None
        self._customers_loaded = False

        self.search = SearchField(_("Find by invoice number or customer"))
        self.search.search.connect(lambda term: self.model.set_query(search=term))
        self.status = QComboBox()
        for key, label in STATUS_FILTERS.items():
            self.status.addItem(label, key)
        self.status.currentIndexChanged.connect(self._filters_changed)
        self.overdue = QCheckBox(_("Overdue only"))
        self.overdue.toggled.connect(self._filters_changed)
        self.customer = QComboBox()
        self.customer.setEditable(True)
        self.customer.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.customer.completer().setFilterMode(Qt.MatchFlag.MatchContains)
        self.customer.addItem(_("All customers"), None)
        self.customer.setMinimumContentsLength(18)
        self.customer.activated.connect(self._filters_changed)
        filters = QHBoxLayout()
        filters.addWidget(self.search, 3)
        filters.addWidget(self.status, 2)
        filters.addWidget(self.customer, 2)
        filters.addWidget(self.overdue)

        self.toolbar = SpillingToolBar(
            _("More"), _("Record that it arrived, void, delete a draft, dispute, payment plan, "
                         "write-off, dossier"))
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.act: dict[str, QAction] = {}
        # Shortcuts the window owns (new, print, record payment) are only named here: one
        # key sequence must belong to one action or Qt fires neither.
        for key, label, shortcut, owned, tip, handler in (
            ("new_invoice", _("New invoice…"), QKeySequence.StandardKey.New, False,
             _("Start a draft invoice"), self.new_invoice),
            ("edit_draft", _("Edit draft…"), "Ctrl+E", True, _("Change the selected draft"),
             self.edit_draft),
            ("issue", _("Issue…"), "Ctrl+I", True, _("Give the draft its number and freeze it"),
             self.issue),
            ("preview", _("Preview PDF"), "Ctrl+O", True,
             _("Show the invoice as the customer gets it"), self.preview),
            ("print", _("Print…"), QKeySequence.StandardKey.Print, False, _("Print the invoice"),
             self.print_invoice),
            ("record_payment", _("Record payment…"), "Ctrl+R", False,
             _("Record money received for this invoice"), self.record_payment),
            ("promise", _("Promise to pay…"), "Ctrl+Shift+R", True,
             _("Write down when the customer promised to pay"), self.promise),
            ("record_receipt", _("Record receipt…"), None, True,
             _("The customer confirmed the invoice arrived: when, who, how"),
             self.record_receipt),
            ("letter", _("Reminder letter…"), "Ctrl+L", True, _("A letter for a window envelope"),
             self.letter),
            ("void", _("Credit note (void)…"), None, True,
             _("Correct an issued invoice: a numbered credit note cancels what is open"),
             self.void),
            ("delete_draft", _("Delete draft…"), QKeySequence.StandardKey.Delete, True,
             _("Delete the selected draft"), self.delete_draft),
            ("hold", _("Dispute or pause…"), None, True,
             _("Hold the reminders for this invoice until you release it"), self.hold),
            ("release", _("Release…"), None, True, _("End the dispute or pause; reminders resume"),
             self.release),
            ("plan", _("Payment plan…"), None, True,
             _("Split what is open into new installments, with an agreement letter"), self.plan),
            ("write_off", _("Write off…"), None, True, _("Write off what cannot be collected"),
             self.write_off),
            ("einvoice", _("E-invoice…"), None, True,
             _("The invoice as XRechnung, ZUGFeRD / Factur-X or Peppol: see its XML, save it"),
             self.einvoice),
            ("dossier", _("Dossier"), None, True,
             _("Every document sent, the log and a statement as one PDF (for a lawyer or an "
             "agency)"), self.dossier),
        ):
            action = with_shortcut(QAction(label, self), shortcut, tip)
            if not owned:
                action.setShortcut(QKeySequence())
            action.triggered.connect(lambda _checked=False, run=handler: run())
            self.act[key] = action
            if key in MORE:
                self.toolbar.keep_in_menu(action)
            else:
                self.toolbar.add(action, gap_after=key == "print")
        self.toolbar.give_way(*(self.act[key] for key in GIVES_WAY))

        self.view = list_view()
        self.view.setModel(self.model)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        # Each column as wide as what it usually shows; the customer takes the rest, never
        # less than a name's worth (a narrow window scrolls sideways instead).
        longest_day = display.day(date(2026, 12, 30))
        late_sample = _("{status}, {days} late").format(  # as long in every language
            status=display.INVOICE_STATUS["issued"], days=display.days(30))
        for column, sample in ((Column.NUMBER, "INV-2026-00000"), (Column.ISSUED, longest_day),
                               (Column.DUE, longest_day), (Column.STATUS, late_sample),
                               (Column.TOTAL, "€000,000.00"), (Column.BALANCE, "€000,000.00")):
            header.resizeSection(column, text_width(self.view, sample))
        # A lateness gives way before a name does: the status word stays, its tooltip whole.
        least_status = max(text_width(self.view, display.INVOICE_STATUS[status])
                           for status in ("issued", "partially_paid", "paid", "void"))
        self.customer_column = ReadableColumn(self.view, Column.CUSTOMER,
                                              text_width(self.view, CUSTOMER_SAMPLE),
                                              yields=(Column.STATUS, least_status),
                                              want=text_width(self.view, LONG_CUSTOMER))
        header.setSortIndicator(Column.ISSUED, Qt.SortOrder.DescendingOrder)
        self.view.selectionModel().selectionChanged.connect(self._selected)
        self.view.doubleClicked.connect(self._double_clicked)
        self.count = NoteLabel()

        self.detail = InvoiceDetail()
        self.placeholder = EmptyState(_("No invoice selected"),
                                      _("Choose an invoice above to see its schedule and lines."))
        below = QWidget()
        below_layout = QVBoxLayout(below)
        below_layout.setContentsMargins(0, 0, 0, 0)
        below_layout.addWidget(self.placeholder)
        below_layout.addWidget(self.detail)
        self.detail.setVisible(False)
        above = QWidget()
        above_layout = QVBoxLayout(above)
        above_layout.setContentsMargins(0, 0, 0, 0)
        above_layout.addWidget(self.view, 1)
        above_layout.addWidget(self.count)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(above)
        splitter.addWidget(below)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setSizes([420, 260])

        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(self.toolbar)
        layout.addWidget(splitter, 1)
        self._update_actions()

    # -- loading -----------------------------------------------------------------------------

    def refresh(self) -> None:
        self.model.reload()
        self._load_customers()

    def _load_customers(self) -> None:
        self.ctx.ops.query(customers.customer_choices, self._customers_in, owner=self)

    def _customers_in(self, rows: list[CustomerChoice]) -> None:
        chosen = self.customer.currentData()
        self.customer.blockSignals(True)
        self.customer.clear()
        self.customer.addItem(_("All customers"), None)
        for c in rows:
            self.customer.addItem(c.name, c.id)
        self.customer.setCurrentIndex(max(self.customer.findData(chosen), 0))
        self.customer.blockSignals(False)
        self._customers_loaded = True

    def _filters_changed(self, *_: Any) -> None:
        status = self.status.currentData()
        customer_id = self.customer.currentData() if self.customer.currentIndex() > 0 else None
        self.model.set_query(
            status=status if status not in ("", "open") else None,
            open_only=status == "open",
            overdue_on=self.ctx.today() if self.overdue.isChecked() else None,
            customer_id=customer_id)

    def _ids_loaded(self) -> None:
        n = self.model.rowCount()
        self.count.setText(_("No invoices match.") if n == 0 else
                           ngettext("{n} invoice", "{n} invoices", n).format(
                               n=display.number(n)))
        want = self._want_id if self._want_id is not None else (
            self.detail.view.id if self.detail.view and self.detail.isVisible() else None)
        row = self.model.row_of(want) if want is not None else None
        if row is not None:
            self.view.selectRow(row)
            self.view.scrollTo(self.model.index(row, 0),
                               QAbstractItemView.ScrollHint.PositionAtCenter)
        else:
            self._show_detail(None)
        self._want_id = None
        self._update_actions()

    def _selected(self, _new: QItemSelection, _old: QItemSelection) -> None:
        invoice_id = self.selected_id()
        if invoice_id is not None:
            self._load_detail(invoice_id)
        self._update_actions()

    def _load_detail(self, invoice_id: int) -> None:
        self.ctx.ops.query(lambda books: invoices.show_invoice(books, invoice_id),
                           self._detail_in, owner=self, on_refused=lambda _: None)

    def _detail_in(self, view: InvoiceView) -> None:
        if view.id == self.selected_id():
            self._show_detail(view)

    def _show_detail(self, view: InvoiceView | None) -> None:
        self.placeholder.setVisible(view is None)
        self.detail.setVisible(view is not None)
        if view is not None:
            self.detail.show_view(view)
        else:
            self.detail.view = None
        self._update_actions()

    # -- selection and actions ---------------------------------------------------------------

    def selected_id(self) -> int | None:
        rows = self.view.selectionModel().selectedRows()
        return self.model.id_at(rows[0].row()) if rows else None

    def selected(self) -> InvoiceRow | None:
        rows = self.view.selectionModel().selectedRows()
        if not rows:
            return None
        row = self.model.data(rows[0], ROW)
        return row if isinstance(row, InvoiceRow) else None

    def _actions(self) -> frozenset[InvoiceAction]:
        """What the selected invoice allows: its view's answer once loaded, else its row's."""
        row = self.selected()
        if row is None:
            return frozenset()
        view = self.detail.view
        return view.actions if view is not None and view.id == row.id else row.actions

    def _allows(self, action: InvoiceAction) -> InvoiceRow | None:
        """The selected row if it allows ``action``."""
        row = self.selected()
        return row if row is not None and action in self._actions() else None

    def _update_actions(self) -> None:
        allowed = self._actions()
        enabled = {key: key == "new_invoice" or InvoiceAction(key) in allowed for key in self.act}
        shown = self.isVisible()
        for key, action in self.act.items():
            action.setEnabled(enabled[key] and (shown or key == "new_invoice"))
        self.actions_changed.emit()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._update_actions()

    def hideEvent(self, event: QHideEvent) -> None:
        super().hideEvent(event)
        self._update_actions()

    def can(self, action: str) -> bool:
        if action in ("new_invoice", "new_customer", "record_payment"):
            return True  # without a selection the payment dialog lets the user pick
        return action in self.act and self.act[action].isEnabled()

    def do(self, action: str) -> None:
        if action == "new_customer":
            self.ctx.go("customers", new_customer=True)
        elif action == "record_payment":
            self.record_payment()
        elif action in self.act:
            self.act[action].trigger()

    def focus_search(self) -> bool:
        self.search.setFocus()
        self.search.selectAll()
        return True

    def show_item(self, **what: Any) -> None:
        if "invoice_id" in what:
            self._want_id = what["invoice_id"]
        if "customer_id" in what:
            self.status.setCurrentIndex(0)
            self.overdue.setChecked(False)
            self.search.clear()
            if not self._customers_loaded:
                self.customer.addItem(_("Customer {what}").format(
                                        what=what['customer_id']), what["customer_id"])
            self.customer.setCurrentIndex(max(self.customer.findData(what["customer_id"]), 0))
            self.model.query = InvoiceQuery()
            self._filters_changed()
        if "new_invoice_for" in what:
            self.new_invoice(customer_id=what["new_invoice_for"])

    def _double_clicked(self, index: QModelIndex) -> None:
        row = self.model.data(index, ROW)
        if isinstance(row, InvoiceRow):
            (self.edit_draft if InvoiceAction.EDIT_DRAFT in row.actions else self.preview)()

    def _select_after(self, invoice_id: int) -> None:
        self._want_id = invoice_id

    def new_invoice(self, customer_id: int | None = None) -> None:
        DraftEditor(self.ctx, None, customer_id,
                    on_saved=lambda view: self._select_after(view.id)).open()

    def edit_draft(self) -> None:
        row = self._allows(InvoiceAction.EDIT_DRAFT)
        if row is not None:
            DraftEditor(self.ctx, row.id, on_saved=lambda view: self._select_after(view.id)
                        ).open()

    def issue(self) -> None:
        row = self._allows(InvoiceAction.ISSUE)
        if row is not None:
            IssueDialog(self.ctx, row, lambda issued: self._select_after(issued.id)).open()

    def _with_pdf(self, then: Callable[[bytes, InvoiceRow], None]) -> None:
        row = self.selected()
        if row is None:
            return
        on = self.ctx.today()
        self.ctx.ops.query(lambda books: documents.invoice_pdf(books, row.id, on),
                           lambda pdf: then(pdf, row), owner=self)

    def preview(self) -> None:
        self._with_pdf(lambda pdf, row: self.ctx.show_pdf(
            pdf, _("Invoice {value} — {customer_name}").format(
                   value=row.number or _("(draft)"), customer_name=row.customer_name),
            f"{row.number or 'draft-' + str(row.id)}.pdf"))

    def print_invoice(self) -> None:
        def ask(pdf: bytes, row: InvoiceRow) -> None:
            printing.ask_printer(self, pdf, _("Print {value}").format(value=row.number or 'draft'),
                                 lambda printer: self._print_on(printer, pdf, row))
        self._with_pdf(ask)

    def _print_on(self, printer: QPrinter, pdf: bytes, row: InvoiceRow) -> None:
        name = row.number or "draft"
        printing.print_in_background(
            self.ctx.ops, printer, pdf, _("Printing {name}").format(name=name),
            lambda how: self.ctx.say(_("{name} saved as a PDF file.").format(
                                       name=name) if how == "file"
                                     else _("{name} sent to the printer.").format(name=name)),
            lambda exc: self.ctx.ops.show_refusal(exc, self),
            lambda: self.ctx.say(_("Printing cancelled.")))

    def record_payment(self) -> None:
        PaymentDialog(self.ctx, self._allows(InvoiceAction.RECORD_PAYMENT),
                      on_recorded=lambda result: self._select_after(result.invoice_id)).open()

    def record_receipt(self) -> None:
        row = self._allows(InvoiceAction.RECORD_RECEIPT)
        if row is not None:
            ReceiptDialog(self.ctx, row).open()

    def promise(self) -> None:
        row = self._allows(InvoiceAction.PROMISE)
        if row is not None:
            PromiseDialog(self.ctx, row).open()

    def letter(self) -> None:
        row = self._allows(InvoiceAction.LETTER)
        if row is not None:
            LetterDialog(self.ctx, row).open()

    def void(self) -> None:
        row = self._allows(InvoiceAction.VOID)
        if row is not None:
            VoidDialog(self.ctx, row).open()

    def hold(self) -> None:
        row = self._allows(InvoiceAction.HOLD)
        if row is not None:
            HoldDialog(self.ctx, row).open()

    def release(self) -> None:
        row, view = self._allows(InvoiceAction.RELEASE), self.detail.view
        if row is not None and view is not None and view.id == row.id:
            ReleaseDialog(self.ctx, row, view.hold).open()

    def plan(self) -> None:
        row, view = self._allows(InvoiceAction.PLAN), self.detail.view
        if row is not None and view is not None and view.id == row.id:
            PaymentPlanDialog(self.ctx, view).open()

    def write_off(self) -> None:
        row = self._allows(InvoiceAction.WRITE_OFF)
        if row is not None:
            WriteOffDialog(self.ctx, row.id, row.number or "", row.customer_name, row.balance,
                           row.currency).open()

    def einvoice(self) -> None:
        row = self._allows(InvoiceAction.EINVOICE)
        if row is not None:
            from desktop_app.ui.dialogs.einvoice_view import EInvoiceView

            EInvoiceView(self.ctx, row.id, row.number or "", row.customer_name).open()

    def dossier(self) -> None:
        row = self._allows(InvoiceAction.DOSSIER)
        if row is None:
            return
        on, invoice_id = self.ctx.today(), row.id
        self.ctx.ops.query(lambda books: documents.dossier_pdf(books, invoice_id, on),
                           lambda pdf: self.ctx.show_pdf(
                               pdf, _("Dossier — {number} — {customer_name}").format(
                                      number=row.number, customer_name=row.customer_name),
                               f"dossier-{row.number}.pdf"), owner=self)

    def delete_draft(self) -> None:
        row = self._allows(InvoiceAction.DELETE_DRAFT)
        if row is not None:
            DeleteDraftDialog(self.ctx, row).open()


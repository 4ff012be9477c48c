"""Customers: a searchable list with balances and credit status, and one customer in detail."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QItemSelection, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    QSplitter,
    QStyle,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop_app.services import (
    activity,
    credit_applications,
    customers,
    documents,
    invoices,
    retainers,
)
from desktop_app.services.activity import ActivityView
from desktop_app.services.books import Books
from desktop_app.services.credit_applications import CreditView
from desktop_app.services.followup import policies
from desktop_app.services.invoices import InvoiceQuery
from desktop_app.services.records import CustomerView, InvoiceRow
from desktop_app.services.retainers import RetainerView
from desktop_app.ui import display
from desktop_app.ui.context import Context
from desktop_app.ui.dialogs.customer_form import CustomerForm, NoteDialog
from desktop_app.ui.dialogs.invoice_actions import PaymentDialog
from desktop_app.ui.flow_layout import FlowLayout
from desktop_app.ui.models.customer_list import Column, CustomerListModel
from desktop_app.ui.ops import Changes
from desktop_app.ui.pages.base import Page
from desktop_app.ui.pages.customer_credit import CreditSection
from desktop_app.ui.pages.customer_retainers import RetainersSection
from desktop_app.ui.translate import N_, Words, _, pgettext
from desktop_app.ui.widgets import (
    CUSTOMER_SAMPLE,
    EmptyState,
    ErrorLabel,
    NoteLabel,
    SearchField,
    heading,
    list_view,
    text_width,
)

NAME_SLACK = 80  # pixels beyond "Bäckerei Sonnenschein" that a name keeps whole in the list
TIMELINE_ROWS = 12  # shown at once; the table scrolls for more
KIND_WORDS = Words({
    "email": N_("Email"), "letter": N_("Letter"), "call": N_("Call"), "task": N_("Task"),
    "visit": N_("Visit"),
    "note": N_("Note"), "promise": N_("Promise"), "payment": N_("Payment"),
    "dispute": N_("Dispute"),
    "plan": N_("Payment plan"), "write_off": N_("Write-off"), "credit": N_("Credit"),
    "document": N_("Document"),
})


@dataclass(frozen=True)
class CustomerDetailData:
    customer: CustomerView
    open_invoices: list[InvoiceRow]
    activity: list[ActivityView] = field(default_factory=list)
    policies: list[str] = field(default_factory=list)
    default_policy: str = ""
    retainers: list[RetainerView] = field(default_factory=list)
    credit: CreditView | None = None


def _detail(customer_id: int) -> Callable[[Books], CustomerDetailData]:
    def load(books: Books) -> CustomerDetailData:
        known = policies.list_policies(books)
        return CustomerDetailData(
            customers.show_customer(books, customer_id),
            invoices.list_invoices(books, InvoiceQuery(customer_id=customer_id,
                                                       open_only=True),
                                   sort="due_date", descending=False),
            activity.timeline(books, customer_id, limit=200),
            [p.name for p in known],
            next((p.name for p in known if p.is_default), ""),
            retainers.list_retainers(books, customer_id),
            credit_applications.show(books, customer_id))
    return load


def _value(label: str = "") -> QLabel:
    widget = QLabel(label)
    widget.setWordWrap(True)
    widget.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return widget


class CustomerDetail(QWidget):
    """One customer: contact, contacts by role, terms and credit, open invoices, notes."""

    def __init__(self, page: CustomersPage) -> None:
        super().__init__()
        self.page = page
        self.data: CustomerDetailData | None = None
        self.name = heading("", factor=1.5)
        self.summary = NoteLabel()
        self.edit = QPushButton(_("Edit…"))
        self.statement = QPushButton(_("Statement…"))
        self.statement.setToolTip(_("The statement of account as a PDF, ready to print or save"))
        self.new_invoice = QPushButton(_("New invoice…"))
        self.all_invoices = QPushButton(_("All invoices"))
        buttons = FlowLayout()
        for button in (self.edit, self.statement, self.new_invoice, self.all_invoices):
            buttons.addWidget(button)

        self.contact = QFormLayout()
        self.address, self.email, self.phone, self.language = (_value() for _ in range(4))
        self.contact.addRow(_("Address"), self.address)
        self.contact.addRow(_("Email"), self.email)
        self.contact.addRow(_("Phone"), self.phone)
        self.contact.addRow(_("Letters in"), self.language)
        self.people = QGridLayout()
        self.people.setColumnStretch(1, 1)

        self.credit = QComboBox()
        self.credit.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        for key, word in display.CREDIT_STATUS.items():
            self.credit.addItem(word, key)
        self.credit.activated.connect(self._credit_chosen)
        self.credit_help = NoteLabel()
        self.credit_error = ErrorLabel()
        self.terms, self.limit, self.balance = _value(), _value(), _value()
        money = QFormLayout()
        money.addRow(_("Payment terms"), self.terms)
        money.addRow(_("Credit limit"), self.limit)
        money.addRow(_("Open balance"), self.balance)
        credit_row = QHBoxLayout()
        credit_row.addWidget(self.credit)
        credit_row.addStretch(1)
        money.addRow(_("Credit status"), credit_row)
        money.addRow("", self.credit_help)
        money.addRow("", self.credit_error)

        self.open = QTableWidget(0, 3)
        self.open.setHorizontalHeaderLabels((_("Invoice"), _("Due"),
                                             pgettext("an amount still to be paid", "Open")))
        self.open.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents)  # days and amounts whole
        self.open.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.open.verticalHeader().setVisible(False)
        self.open.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.open.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.open.setToolTip(_("Double-click an invoice to open it"))
        self.open.cellDoubleClicked.connect(self._open_invoice)
        self.no_open = NoteLabel(_("Nothing open."))
        self.retainers = RetainersSection(page.ctx)
        self.credit_application = CreditSection(page.ctx)
        self.notes = _value()

        self.policy = QComboBox()
        self.policy.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.policy.setToolTip(_("Which ladder of reminders this customer gets (Settings › "
                               "Follow-up policy)"))
        self.policy.activated.connect(lambda _index: self._policy_chosen())
        self.exempt = QCheckBox(_("Never send this customer reminders"))
        self.exempt.clicked.connect(lambda _checked: self._policy_chosen())
        self.policy_error = ErrorLabel()
        follow = QFormLayout()
        follow.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)  # a long label: above
        policy_row = QHBoxLayout()
        policy_row.addWidget(self.policy)
        policy_row.addStretch(1)
        follow.addRow(_("Follow-up policy"), policy_row)
        follow.addRow("", self.exempt)
        follow.addRow("", self.policy_error)

        self.add_note = QPushButton(_("Add a note…"))
        self.add_note.setToolTip(_("Write down a call, a visit or anything worth remembering"))
        self.timeline = QTableWidget(0, 4)
        self.timeline.setHorizontalHeaderLabels((_("Date"), _("What"), "", _("Entry")))
        header = self.timeline.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        self.timeline.verticalHeader().setVisible(False)
        self.timeline.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.timeline.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.timeline.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.timeline.setWordWrap(False)
        self.timeline.setToolTip(_("Double-click an entry marked PDF to see the document as it "
                                 "was sent"))
        self.timeline.cellDoubleClicked.connect(lambda row, _col: self._open_entry(row))
        self.no_activity = NoteLabel(_("Nothing written down yet."))
        activity_head = QHBoxLayout()
        activity_head.addWidget(heading(_("Activity"), factor=1.1))
        activity_head.addStretch(1)
        activity_head.addWidget(self.add_note)

        compact = self.fontMetrics().height() + 8
        for table in (self.open, self.timeline):
            table.verticalHeader().setDefaultSectionSize(compact)
        layout = QVBoxLayout(self)
        # What a collector looks at first: what is open and what happened; then who and how.
        layout.addWidget(self.name)
        layout.addWidget(self.summary)
        layout.addLayout(buttons)
        layout.addWidget(heading(_("Open invoices"), factor=1.1))
        layout.addWidget(self.open)
        layout.addWidget(self.no_open)
        layout.addWidget(heading(_("Retainers"), factor=1.1))
        layout.addWidget(self.retainers)
        layout.addLayout(activity_head)
        layout.addWidget(self.timeline)
        layout.addWidget(self.no_activity)
        layout.addWidget(heading(_("Contact"), factor=1.1))
        layout.addLayout(self.contact)
        layout.addWidget(heading(_("Contacts by role"), factor=1.1))
        layout.addLayout(self.people)
        layout.addWidget(heading(_("Terms and credit"), factor=1.1))
        layout.addLayout(money)
        layout.addWidget(heading(_("Credit application"), factor=1.1))
        layout.addWidget(self.credit_application)
        layout.addWidget(heading(_("Follow-up"), factor=1.1))
        layout.addLayout(follow)
        layout.addWidget(heading(_("Notes"), factor=1.1))
        layout.addWidget(self.notes)
        layout.addStretch(1)

    def show_data(self, data: CustomerDetailData) -> None:
        self.data = data
        c = data.customer
        self.name.setText(c.name)
        owed = display.money(c.balance, c.currency) if c.balance else "nothing"
        extra = _("; {money} credit").format(
                  money=display.money(c.credit, c.currency)) if c.credit else ""
        credit = display.CREDIT_STATUS.get(c.credit_status, c.credit_status).lower()
        self.summary.setText(_("Owes {owed}{extra} · credit {credit}").format(
                               owed=owed, extra=extra, credit=credit))
        self.address.setText(c.address or "—")
        self.email.setText(c.email or "—")
        self.phone.setText(c.phone or "—")
        self.language.setText(display.LANGUAGES.get(c.language, c.language))
        self._show_people(c)
        self.terms.setText(c.terms or _("The company's default terms"))
        self.limit.setText(display.money(c.credit_limit, c.currency)
                           if c.credit_limit is not None else _("None"))
        self.balance.setText(display.money(c.balance, c.currency))
        self.credit.setCurrentIndex(max(self.credit.findData(c.credit_status), 0))
        self.credit_help.setText(display.CREDIT_HELP.get(c.credit_status, ""))
        self.credit_error.say("")
        self.open.setRowCount(len(data.open_invoices))
        for r, row in enumerate(data.open_invoices):
            amount = QTableWidgetItem(display.money(row.balance, row.currency))
            amount.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            for col, item in enumerate((QTableWidgetItem(row.number or ""),
                                        QTableWidgetItem(display.day(row.due_date)), amount)):
                self.open.setItem(r, col, item)
        self.open.setVisible(bool(data.open_invoices))
        shown = min(len(data.open_invoices), 8)
        self.open.setFixedHeight(self.open.horizontalHeader().sizeHint().height()
                                 + sum(self.open.rowHeight(r) for r in range(shown))
                                 + 2 * self.open.frameWidth())
        self.no_open.setVisible(not data.open_invoices)
        self.notes.setText(c.notes or "—")
        self.retainers.show_retainers(c.id, c.name, data.retainers)
        if data.credit is not None:
            self.credit_application.show_credit(data.credit)
        self._show_policy(data)
        self._show_timeline(data.activity)

    def _show_policy(self, data: CustomerDetailData) -> None:
        self.policy.clear()
        self.policy.addItem(_("The default ({default_policy})").format(
                              default_policy=data.default_policy), None)
        for name in data.policies:
            self.policy.addItem(name, name)
        chosen = self.policy.findData(data.customer.policy) if data.customer.policy else 0
        self.policy.setCurrentIndex(max(chosen, 0))
        self.exempt.setChecked(data.customer.exempt)
        self.policy.setEnabled(not data.customer.exempt)
        self.policy_error.say("")

    def _show_timeline(self, entries: list[ActivityView]) -> None:
        self.timeline.setRowCount(len(entries))
        link = self.palette().link().color()
        for r, entry in enumerate(entries):
            said = display.activity(entry.summary, entry.message, entry.values)
            cells = (display.day(entry.happened_on), KIND_WORDS.get(entry.kind, entry.kind),
                     _("PDF") if entry.document_id else "", said)
            for c, value in enumerate(cells):
                item = QTableWidgetItem(value)
                if c == 2 and value:
                    item.setForeground(link)
                    item.setToolTip(_("Double-click to see the document as it was sent"))
                if c == 3:
                    item.setToolTip(value)
                self.timeline.setItem(r, c, item)
        self.timeline.setVisible(bool(entries))
        self.no_activity.setVisible(not entries)
        shown = min(len(entries), TIMELINE_ROWS)
        self.timeline.setFixedHeight(self.timeline.horizontalHeader().sizeHint().height()
                                     + sum(self.timeline.rowHeight(r) for r in range(shown))
                                     + 2 * self.timeline.frameWidth())

    def _open_entry(self, row: int) -> None:
        if self.data is None or not 0 <= row < len(self.data.activity):
            return
        entry = self.data.activity[row]
        if entry.document_id is not None:
            document_id = entry.document_id
            title = display.activity(entry.summary, entry.message, entry.values)
            self.page.ctx.ops.query(
                lambda books: activity.stored_pdf(books, document_id),
                lambda found: self.page.ctx.show_pdf(found[1], title, found[0]),
                owner=self)
        elif entry.invoice_id is not None and self.data is not None:
            self.page.ctx.go("invoices", customer_id=self.data.customer.id,
                             invoice_id=entry.invoice_id)

    def _policy_chosen(self) -> None:
        if self.data is None:
            return
        customer_id = self.data.customer.id
        name, exempt = self.policy.currentData(), self.exempt.isChecked()
        self.policy.setEnabled(not exempt)
        self.page.ctx.ops.change(
            lambda books: policies.set_customer_policy(books, customer_id, policy=name,
                                                       exempt=exempt),
            lambda _none: self.page.ctx.say(
                (_("{customer}: no reminders.") if exempt
                 else _("{customer}: follow-up by {policy}.")).format(
                    customer=self.data.customer.name if self.data else _("The customer"),
                    policy=name or _("the default policy"))),
            on_refused=lambda exc: self.policy_error.say(display.refusal(exc)), owner=self)

    def _show_people(self, c: CustomerView) -> None:
        while self.people.count():
            item = self.people.takeAt(0)
            if item.widget() is not None:
                item.widget().deleteLater()
        order = list(display.CONTACT_ROLES)
        contacts = sorted(c.contacts, key=lambda p: order.index(p.role)
                          if p.role in order else len(order))
        if not contacts:
            self.people.addWidget(NoteLabel(_("No contacts yet.")), 0, 0, 1, 2)
        for r, person in enumerate(contacts):
            role = NoteLabel(display.CONTACT_ROLES.get(person.role, person.role))
            who = " · ".join(part for part in (person.name, person.email) if part)
            self.people.addWidget(role, r, 0)
            self.people.addWidget(_value(who), r, 1)

    def _credit_chosen(self, index: int) -> None:
        if self.data is None:
            return
        status = self.credit.itemData(index)
        customer = self.data.customer
        if status == customer.credit_status:
            return
        self.page.ctx.ops.change(
            lambda books: customers.set_credit_status(books, customer.id, status),
            lambda view: self.page.ctx.say(
                _("{name}: credit status now {CREDIT_STATUS}.").format(
                  name=view.name, CREDIT_STATUS=display.CREDIT_STATUS[view.credit_status])),
            on_refused=self._credit_refused, owner=self)

    def _credit_refused(self, exc: Any) -> None:
        if self.data is not None:
            self.credit.setCurrentIndex(self.credit.findData(self.data.customer.credit_status))
        self.credit_error.say(display.refusal(exc))

    def _open_invoice(self, row: int, _column: int) -> None:
        if self.data is not None and 0 <= row < len(self.data.open_invoices):
            invoice = self.data.open_invoices[row]
            self.page.ctx.go("invoices", customer_id=invoice.customer_id, invoice_id=invoice.id)


class CustomersPage(Page):
    key = "customers"
    # SETTINGS: the rule for customers without credit is part of the credit standing shown
    watches = (Changes.CUSTOMERS | Changes.INVOICES | Changes.PAYMENTS | Changes.TERMS
               | Changes.SETTINGS)

    def __init__(self, ctx: Context, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.search = SearchField(_("Find a customer by name"))
        self.search.search.connect(lambda _: self.refresh())
        self.add = QPushButton(_("New customer…"))
        self.add.clicked.connect(self.new_customer)
        self.count = NoteLabel()
        self.model = CustomerListModel()
        self.view = list_view()
        self.view.setModel(self.model)
        self.view.sortByColumn(Column.NAME, Qt.SortOrder.AscendingOrder)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(Column.NAME, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(Column.BALANCE, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(Column.CREDIT, QHeaderView.ResizeMode.ResizeToContents)
        self.view.selectionModel().selectionChanged.connect(self._selected)

        left = self.left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        top = QHBoxLayout()
        top.addWidget(self.search, 1)
        top.addWidget(self.add)
        left_layout.addLayout(top)
        left_layout.addWidget(self.view, 1)
        left_layout.addWidget(self.count)

        self.detail = CustomerDetail(self)
        self.detail.edit.clicked.connect(self.edit_customer)
        self.detail.statement.clicked.connect(self.statement)
        self.detail.add_note.clicked.connect(self.add_note)
        self.detail.new_invoice.clicked.connect(lambda: self.do("new_invoice"))
        self.detail.all_invoices.clicked.connect(self._all_invoices)
        self.placeholder = EmptyState(_("No customer selected"),
                                      _("Choose a customer on the left, or add one."))
        scroll = self.scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        holder = QWidget()
        holder_layout = QVBoxLayout(holder)
        holder_layout.addWidget(self.placeholder)
        holder_layout.addWidget(self.detail)
        self.detail.setVisible(False)
        scroll.setWidget(holder)

        splitter = self.splitter = QSplitter()
        splitter.addWidget(left)
        splitter.addWidget(scroll)
        splitter.setStretchFactor(0, 0)  # the list keeps what its columns need (_fit_list)
        splitter.setStretchFactor(1, 1)
        splitter.splitterMoved.connect(self._list_moved)
        self._list_placed = False  # by the person, who then keeps the width chosen
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)
        self._want_id: int | None = None

    def _fit_list(self) -> None:
        """The list keeps room for whole names beside the balance and credit, taken from the
        customer's page at its side (which scrolls): a long Russian credit word must not cut
        "Bäckerei Sonnenschein" to "Bäckerei S…". A name longer than most is cut short."""
        view, header = self.view, self.view.horizontalHeader()
        longest = max(view.sizeHintForColumn(Column.NAME), header.sectionSizeHint(Column.NAME))
        names = min(longest, text_width(view, CUSTOMER_SAMPLE) + NAME_SLACK)
        others = sum(max(view.sizeHintForColumn(c), header.sectionSizeHint(c))
                     for c in (Column.BALANCE, Column.CREDIT))
        bar = view.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent)
        least = names + others + bar + 2 * view.frameWidth()
        self.left.setMinimumWidth(least)
        if not self._list_placed:
            self.splitter.setSizes([least, max(sum(self.splitter.sizes()) - least, 1)])

    def _list_moved(self) -> None:
        self._list_placed = True

    # -- loading -----------------------------------------------------------------------------

    def refresh(self) -> None:
        search = self.search.text().strip()
        self.ctx.ops.query(lambda books: customers.list_customers(books, search,
                                                                 with_contacts=False),
                           self._loaded,
                           owner=self)

    def _loaded(self, rows: list[CustomerView]) -> None:
        keep = self._want_id if self._want_id is not None else self.selected_id()
        self.model.set_rows(rows)
        header = self.view.horizontalHeader()
        self.model.sort(header.sortIndicatorSection(), header.sortIndicatorOrder())
        self._fit_list()
        owed = sum(1 for r in rows if r.balance)
        self.count.setText(_("{value} customers, {owed} with an open balance").format(
                             value=len(rows), owed=owed)
                           if rows else _("No customers yet: add your first one."))
        row = self.model.row_of(keep) if keep is not None else None
        if row is None and rows and self.detail.data is None:
            row = 0
        if row is not None:
            self.view.selectRow(row)
            self.view.scrollTo(self.model.index(row, 0))
            self._load_detail(self.model.row_at(row).id)  # type: ignore[union-attr]
        elif not rows:
            self._show_detail(None)
        self._want_id = None

    def selected_id(self) -> int | None:
        rows = self.view.selectionModel().selectedRows()
        customer = self.model.row_at(rows[0].row()) if rows else None
        return customer.id if customer else None

    def _selected(self, _new: QItemSelection, _old: QItemSelection) -> None:
        customer_id = self.selected_id()
        if customer_id is not None and (self.detail.data is None
                                        or self.detail.data.customer.id != customer_id):
            self._load_detail(customer_id)
        self.actions_changed.emit()

    def _load_detail(self, customer_id: int) -> None:
        self.ctx.ops.query(_detail(customer_id), self._show_detail, owner=self)

    def _show_detail(self, data: CustomerDetailData | None) -> None:
        self.placeholder.setVisible(data is None)
        self.detail.setVisible(data is not None)
        if data is not None:
            self.detail.show_data(data)
        self.actions_changed.emit()

    # -- actions -----------------------------------------------------------------------------

    def focus_search(self) -> bool:
        self.search.setFocus()
        self.search.selectAll()
        return True

    def show_item(self, **what: Any) -> None:
        if what.get("new_customer"):
            self.new_customer()
        if "customer_id" in what:
            self._want_id = what["customer_id"]
            if not self._stale:
                self.refresh()

    def current(self) -> CustomerView | None:
        return self.detail.data.customer if self.detail.data and self.detail.isVisible() \
            else None

    def can(self, action: str) -> bool:
        if action in ("new_customer", "new_invoice", "record_payment"):
            return True
        return action in ("edit_customer", "print", "statement") and self.current() is not None

    def do(self, action: str) -> None:
        customer = self.current()
        if action == "new_customer":
            self.new_customer()
        elif action == "edit_customer":
            self.edit_customer()
        elif action in ("statement", "print"):
            self.statement()
        elif action == "new_invoice":
            self.ctx.go("invoices", new_invoice_for=customer.id if customer else None)
        elif action == "record_payment":
            rows = self.detail.data.open_invoices if self.detail.data else []
            picked = self.detail.open.currentRow()
            row = rows[picked] if 0 <= picked < len(rows) else (rows[0] if len(rows) == 1
                                                                 else None)
            PaymentDialog(self.ctx, row).open()

    def new_customer(self) -> None:
        CustomerForm(self.ctx, None, on_saved=self._saved).open()

    def edit_customer(self) -> None:
        customer = self.current()
        if customer is not None:
            CustomerForm(self.ctx, customer, on_saved=self._saved).open()

    def _saved(self, view: CustomerView) -> None:
        self._want_id = view.id
        self.detail.data = None

    def add_note(self) -> None:
        customer = self.current()
        if customer is not None:
            NoteDialog(self.ctx, customer).open()

    def statement(self) -> None:
        customer = self.current()
        if customer is None:
            return
        on = self.ctx.today()
        self.ctx.ops.query(
            lambda books: documents.statement_pdf(books, customer.id, on),
            lambda pdf: self.ctx.show_pdf(pdf, _("Statement — {name}").format(name=customer.name),
                                          f"statement-{customer.id}-{on.isoformat()}.pdf"),
            owner=self)

    def _all_invoices(self) -> None:
        customer = self.current()
        if customer is not None:
            self.ctx.go("invoices", customer_id=customer.id)

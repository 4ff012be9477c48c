"""The draft editor: customer, terms, lines with live totals and tax per rate, and the payment
schedule with a live preview of its dates and amounts.

The totals and the schedule come from ``services.invoices.preview_draft`` (the same rules
that issue the invoice), never from arithmetic in this widget.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from PySide6.QtCore import QDate, Qt, QTimer
from PySide6.QtGui import QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QCompleter,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSizePolicy,
    QSpinBox,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop_app.domain.errors import PaidUpError, ValidationError
from desktop_app.domain.lines import parse_period
from desktop_app.services import company, credit_applications, customers, invoices, terms
from desktop_app.services.books import Books
from desktop_app.services.invoices import DraftInput, LineInput
from desktop_app.services.records import (
    CompanyView,
    CustomerChoice,
    DraftPreview,
    InvoiceView,
    TermsView,
)
from desktop_app.ui import display
from desktop_app.ui.context import Context
from desktop_app.ui.dialogs.form import ask_to_save
from desktop_app.ui.translate import N_, Words, _
from desktop_app.ui.widgets import ErrorLabel, FormErrors, NoteLabel, fit_to_screen, heading

LINE_FIELDS = ("description", "quantity", "unit price", "tax percent", "discount percent",
               "unit", "category")
LINE_HEADERS = (N_("Description"), N_("Quantity"), N_("Unit price"), N_("Tax %"),
                N_("Discount %"), N_("Unit"), N_("VAT category"))
LINE_ERROR = re.compile(r"line (\d+)(?: (.+))?$")

# Schedule templates as the user sees them; the spec is what the services read.
SINGLE, THIRDS, HALVES, MONTHLY, DEPOSIT, CUSTOM = range(6)
TEMPLATES = Words({
    SINGLE: N_("One payment"),
    THIRDS: N_("30 % deposit, 30 %, 40 % on completion"),
    HALVES: N_("50 % now, 50 % later"),
    MONTHLY: N_("Monthly installments"),
    DEPOSIT: N_("Deposit, then monthly installments"),
    CUSTOM: N_("Custom installments"),
})


def _line_refusal(exc: ValidationError) -> str:
    """'Line 2, Quantity: …' with the column named as its header shows it."""
    match = LINE_ERROR.match(exc.field)
    assert match is not None
    column = match.group(2) or ""
    where = (_("Line {n}, {column}").format(n=match.group(1), column=_(
        LINE_HEADERS[LINE_FIELDS.index(column)]) if column in LINE_FIELDS else column)
        if column else _("Line {n}").format(n=match.group(1)))
    return display.sentence(f"{where}: {display.refused(exc)}")


@dataclass(frozen=True)
class EditorData:
    company: CompanyView
    customers: list[CustomerChoice]
    terms: list[TermsView]
    draft: InvoiceView | None


def _load(draft_id: int | None) -> Callable[[Books], EditorData]:
    def load(books: Books) -> EditorData:
        return EditorData(company.get_company(books), customers.customer_choices(books),
                          terms.list_terms(books),
                          invoices.show_invoice(books, draft_id) if draft_id else None)
    return load


class DraftEditor(QDialog):
    """Create a draft, or edit one (issued invoices are frozen and never open here)."""

    def __init__(self, ctx: Context, draft_id: int | None = None,
                 customer_id: int | None = None,
                 on_saved: Callable[[InvoiceView], None] | None = None) -> None:
        super().__init__(ctx.window)
        self.ctx, self.draft_id, self.on_saved = ctx, draft_id, on_saved
        self.setWindowTitle(_("Edit draft") if draft_id else _("New invoice"))
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.data: EditorData | None = None
        self.preview: DraftPreview | None = None
        self._wanted_customer = customer_id
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(120)
        self._timer.timeout.connect(self.update_preview)
        self.busy = False
        self.ask: QMessageBox | None = None  # save before closing?
        self._as_loaded: tuple[Any, ...] = ()

        self.banner = ErrorLabel()
        self.errors = FormErrors(self.banner)
        self.customer = QComboBox()
        self.customer.setEditable(True)
        self.customer.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.customer.completer().setFilterMode(Qt.MatchFlag.MatchContains)
        self.customer.completer().setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.terms = QComboBox()
        self.issue_date = QDateEdit(self._qdate(ctx.today()))
        self.issue_date.setCalendarPopup(True)
        self.issue_date.setDisplayFormat(display.date_entry_format())
        self.issue_date.setToolTip(_("The schedule preview counts from this day; the invoice "
                                   "gets its real date when you issue it."))

        self.supply = QLineEdit()
        self.supply.setPlaceholderText(_("the issue date, or YYYY-MM-DD, or "
                                         "YYYY-MM-DD..YYYY-MM-DD"))
        self.supply.setToolTip(_("When the goods or services were supplied: a day, or a period "
                               "(the law asks every invoice to say it)"))
        self.order_reference = QLineEdit()
        self.buyer_reference = QLineEdit()
        self.buyer_reference.setToolTip(_("The buyer's own reference; for a German public "
                                        "buyer, its Leitweg-ID"))

        head = QFormLayout()
        head.addRow(_("Customer"), self.errors.field("customer", self.customer))
        head.addRow(_("Payment terms"), self.errors.field("terms", self.terms))
        head.addRow(_("Preview as issued on"), self.issue_date)
        head.addRow(_("Supplied"), self.errors.field(("supply-date", "supply-period"),
                                                  self.supply))
        head.addRow(_("Their order number"), self.errors.field("order-reference",
                                                            self.order_reference))
        head.addRow(_("Their reference"), self.errors.field("buyer-reference",
                                                         self.buyer_reference))

        self.lines = QTableWidget(0, len(LINE_HEADERS))
        self.lines.setHorizontalHeaderLabels([_(h) for h in LINE_HEADERS])
        header = self.lines.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for col in range(1, len(LINE_HEADERS)):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        self.lines.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.lines.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.lines.setEditTriggers(QAbstractItemView.EditTrigger.AllEditTriggers)
        self.lines.itemChanged.connect(self._line_edited)
        self.line_error = ErrorLabel()
        self.errors.claim(lambda f: f == "line" or bool(LINE_ERROR.match(f)), None,
                          self.line_error)
        add_line = QPushButton(_("Add line"))
        add_line.clicked.connect(lambda: self.add_line())
        remove_line = QPushButton(_("Remove line"))
        remove_line.clicked.connect(self.remove_line)
        line_buttons = QHBoxLayout()
        line_buttons.addWidget(add_line)
        line_buttons.addWidget(remove_line)
        line_buttons.addStretch(1)

        schedule_box = self._schedule_box()
        preview_box = self._preview_box()

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setText(_("Save draft"))
        shortcut = QKeySequence(QKeySequence.StandardKey.Save).toString(
            QKeySequence.SequenceFormat.NativeText)
        self.save_button.setToolTip(_("Save the draft ({shortcut})").format(shortcut=shortcut))
        self.save_button.setEnabled(False)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)

        left = QVBoxLayout()
        left.addLayout(head)
        left.addWidget(heading(_("Lines"), factor=1.05))
        left.addWidget(self.lines, 1)
        left.addWidget(self.line_error)
        left.addLayout(line_buttons)
        left.addWidget(schedule_box)
        columns = QHBoxLayout()
        columns.addLayout(left, 3)
        columns.addWidget(preview_box, 2)
        layout = QVBoxLayout(self)
        layout.addLayout(columns, 1)
        layout.addWidget(self.banner)
        layout.addWidget(self.buttons)
        fit_to_screen(self, 1080, 700, ctx.window)

        for signal in (self.customer.currentIndexChanged, self.terms.currentIndexChanged,
                       self.issue_date.dateChanged):
            signal.connect(self._changed)
        self.setEnabled(False)
        ctx.ops.query(_load(draft_id), self._loaded, owner=self,
                      on_refused=self._load_refused)

    # -- building ----------------------------------------------------------------------------

    @staticmethod
    def _qdate(value: date) -> QDate:
        return QDate(value.year, value.month, value.day)

    def _schedule_box(self) -> QGroupBox:
        box = QGroupBox(_("Payment schedule"))
        self.template = QComboBox()
        for key, label in TEMPLATES.items():
            self.template.addItem(label, key)
        self.months = QSpinBox()
        self.months.setRange(1, 120)
        self.months.setValue(3)
        self.months.setSuffix(_(" months"))
        self.deposit = QSpinBox()
        self.deposit.setRange(1, 99)
        self.deposit.setValue(30)
        self.deposit.setSuffix(_(" % deposit"))
        self.months2 = QSpinBox()
        self.months2.setRange(1, 120)
        self.months2.setValue(3)
        self.months2.setPrefix(_("then "))
        self.months2.setSuffix(_(" monthly"))
        self.every = QSpinBox()
        self.every.setRange(0, 365)
        self.every.setSpecialValueText(_("as the terms' net days"))
        self.every.setPrefix(_("every "))
        self.every.setSuffix(_(" days"))
        self.custom = QTableWidget(0, 2)
        self.custom.setHorizontalHeaderLabels((_("Share %"), _("Due on (YYYY-MM-DD)")))
        self.custom.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.custom.setMaximumHeight(130)
        self.custom.itemChanged.connect(self._changed)
        add = QPushButton(_("Add installment"))
        add.clicked.connect(lambda: self._add_custom("", ""))
        custom_box = QWidget()
        custom_layout = QVBoxLayout(custom_box)
        custom_layout.setContentsMargins(0, 0, 0, 0)
        custom_layout.addWidget(self.custom)
        custom_layout.addWidget(add, 0, Qt.AlignmentFlag.AlignLeft)

        self.options = QStackedWidget()
        for page in (QWidget(), self._row(self.every), QWidget(), self._row(self.months),
                     self._row(self.deposit, self.months2), custom_box):
            self.options.addWidget(page)
        self.template.currentIndexChanged.connect(self._template_changed)
        self._template_changed(0)
        for spin in (self.months, self.deposit, self.every, self.months2):
            spin.valueChanged.connect(self._changed)
        self.schedule_error = ErrorLabel()
        self.errors.claim(("schedule", "every"), self.template, self.schedule_error)
        layout = QVBoxLayout(box)
        layout.addWidget(self.template)
        layout.addWidget(self.options)
        layout.addWidget(self.schedule_error)
        layout.addStretch(1)
        box.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        return box

    @staticmethod
    def _row(*widgets: QWidget) -> QWidget:
        box = QWidget()
        layout = QHBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        for widget in widgets:
            layout.addWidget(widget)
        layout.addStretch(1)
        return box

    def _preview_box(self) -> QGroupBox:
        box = QGroupBox(_("What the customer will see"))
        self.totals = QGridLayout()
        self.installments = QTableWidget(0, 3)
        self.installments.setHorizontalHeaderLabels((_("Installment"), _("Due"), _("Amount")))
        self.installments.horizontalHeader().setSectionResizeMode(
            0, QHeaderView.ResizeMode.Stretch)
        self.installments.verticalHeader().setVisible(False)
        self.installments.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.preview_note = NoteLabel(_("Add a line to see the totals."))
        self.credit_flag = ErrorLabel()  # no credit yet, on hold, near or over the limit
        self.credit_flag.setWordWrap(True)
        layout = QVBoxLayout(box)
        layout.addLayout(self.totals)
        layout.addWidget(self.preview_note)
        layout.addWidget(self.credit_flag)
        layout.addWidget(heading(_("Schedule"), factor=1.0))
        layout.addWidget(self.installments, 1)
        return box

    # -- loading -----------------------------------------------------------------------------

    def _load_refused(self, exc: PaidUpError) -> None:
        self.setEnabled(True)
        self.save_button.setEnabled(False)
        self.banner.say(display.refusal(exc))

    def _loaded(self, data: EditorData) -> None:
        self.data = data
        for c in data.customers:
            self.customer.addItem(c.name, c.id)
        self.customer.setCurrentIndex(-1)
        self.terms.addItem(_("The customer's terms"), None)
        for t in data.terms:
            self.terms.addItem(t.name, t.name)
        draft = data.draft
        if draft is not None:
            self._select(self.customer, draft.customer_id)
            chosen = self._chosen_terms_of(draft)
            self._select(self.terms, chosen)
            for line in draft.lines:
                category = line.category + (f":{line.exemption_reason}"
                                            if line.exemption_reason else "")
                self.add_line(line.description, display.number(line.quantity),
                              display.number(line.unit_price), display.number(line.tax_percent),
                              display.number(line.discount_percent), line.unit, category)
            if draft.period_start and draft.period_end:
                self.supply.setText(f"{draft.period_start}..{draft.period_end}")
            elif draft.supply_date:
                self.supply.setText(draft.supply_date.isoformat())
            self.order_reference.setText(draft.order_reference)
            self.buyer_reference.setText(draft.buyer_reference)
            self._show_schedule(draft.schedule)
        elif self._wanted_customer is not None:
            self._select(self.customer, self._wanted_customer)
        self.add_line()
        self.setEnabled(True)
        self.save_button.setEnabled(True)
        (self.customer if self.customer.currentIndex() < 0 else self.lines).setFocus()
        self._changed()
        self._as_loaded = self.typed()

    def typed(self) -> tuple[Any, ...]:
        """Everything the user can change, to tell whether closing would drop something (the
        preview day only moves the preview)."""
        def cells(table: QTableWidget) -> tuple[tuple[str, ...], ...]:
            return tuple(tuple(item.text() if (item := table.item(r, c)) else ""
                               for c in range(table.columnCount()))
                         for r in range(table.rowCount()))
        return (self.customer.currentIndex(), self.customer.currentText(),
                self.terms.currentIndex(), self.supply.text(), self.order_reference.text(),
                self.buyer_reference.text(), cells(self.lines), self.template.currentIndex(),
                self.months.value(), self.deposit.value(), self.months2.value(),
                self.every.value(), cells(self.custom))

    def reject(self) -> None:
        """Cancel, Escape or the close box: a changed draft is not dropped unasked."""
        if self.busy or self.data is None or self.typed() == self._as_loaded:
            super().reject()
            return

        def discard() -> None:
            self._as_loaded = self.typed()
            super(DraftEditor, self).reject()

        self.ask = ask_to_save(self, self.save_button.text(), self.save, discard)

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self.busy and self.data is not None and self.typed() != self._as_loaded:
            event.ignore()
            self.reject()
            return
        super().closeEvent(event)

    def _chosen_terms_of(self, draft: InvoiceView) -> str | None:
        """A draft shows the terms it resolves to; keep 'the customer's' when they match."""
        customer = self._customer_view(draft.customer_id)
        if customer is None:
            return draft.terms
        follows = customer.terms == draft.terms or (customer.on_receipt
                                                    and draft.terms == terms.ON_RECEIPT.name)
        return None if follows else draft.terms

    @staticmethod
    def _select(box: QComboBox, data: Any) -> None:
        index = box.findData(data)
        if index >= 0:
            box.setCurrentIndex(index)

    def _show_schedule(self, spec: str) -> None:
        text_ = (spec or "").strip().lower()
        if m := re.fullmatch(r"monthly:(\d+)", text_):
            self.months.setValue(int(m.group(1)))
            self.template.setCurrentIndex(MONTHLY)
        elif m := re.fullmatch(r"deposit:(\d+),monthly:(\d+)", text_):
            self.deposit.setValue(int(m.group(1)))
            self.months2.setValue(int(m.group(2)))
            self.template.setCurrentIndex(DEPOSIT)
        elif text_ == "30/30/40":
            self.template.setCurrentIndex(THIRDS)
        elif text_ == "50/50":
            self.template.setCurrentIndex(HALVES)
        elif text_.startswith("custom:"):
            for part in text_.removeprefix("custom:").split(","):
                share, _, when = part.partition("@")
                self._add_custom(share, when)
            self.template.setCurrentIndex(CUSTOM)

    # -- editing -----------------------------------------------------------------------------

    def add_line(self, *values: str) -> int:
        self.lines.blockSignals(True)
        row = self.lines.rowCount()
        self.lines.insertRow(row)
        defaults = (*values, *("",) * (len(LINE_HEADERS) - len(values)))
        for col, value in enumerate(defaults):
            item = QTableWidgetItem(value)
            if 0 < col < 5:
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.lines.setItem(row, col, item)
        self.lines.blockSignals(False)
        return row

    def remove_line(self) -> None:
        row = self.lines.currentRow()
        if row >= 0:
            self.lines.removeRow(row)
            if self.lines.rowCount() == 0:
                self.add_line()
            self._changed()

    def _line_edited(self, item: QTableWidgetItem) -> None:
        # Always a blank row at the end to type the next line into.
        last = self.lines.rowCount() - 1
        if item.row() == last and item.text().strip():
            self.add_line()
        self._changed()

    def _add_custom(self, share: str, when: str) -> None:
        self.custom.blockSignals(True)
        row = self.custom.rowCount()
        self.custom.insertRow(row)
        self.custom.setItem(row, 0, QTableWidgetItem(share))
        self.custom.setItem(row, 1, QTableWidgetItem(when))
        self.custom.blockSignals(False)
        self._changed()

    def _template_changed(self, index: int) -> None:
        chosen = self.template.itemData(index)
        # Only the shown options take room (a stacked widget is as tall as its tallest page).
        for n in range(self.options.count()):
            policy = QSizePolicy.Policy.Preferred if n == chosen else QSizePolicy.Policy.Ignored
            self.options.widget(n).setSizePolicy(policy, policy)
        self.options.setCurrentIndex(chosen)
        self.options.adjustSize()
        if self.template.itemData(index) == CUSTOM and self.custom.rowCount() == 0:
            self._add_custom("50", "")
            self._add_custom("50", "")
        self._changed()

    def _changed(self, *_: Any) -> None:
        self._timer.start()

    # -- reading the form --------------------------------------------------------------------

    def line_inputs(self) -> list[LineInput]:
        def cell(row: int, col: int) -> str:
            item = self.lines.item(row, col)
            return item.text() if item is not None else ""

        def number(row: int, col: int) -> str:
            return display.plain_number(cell(row, col), f"line {row + 1} {LINE_FIELDS[col]}")

        return [LineInput(cell(r, 0), number(r, 1), number(r, 2), number(r, 3) or "0",
                          number(r, 4) or "0", cell(r, 5).strip(), cell(r, 6).strip())
                for r in range(self.lines.rowCount())]

    def supplied(self) -> tuple[date | None, tuple[date, date] | None]:
        """The supply day or period as typed (ISO days); empty: the issue date."""
        typed = self.supply.text().strip()
        if not typed:
            return None, None
        if ".." in typed:
            return None, parse_period(typed, "supply-period")
        try:
            return date.fromisoformat(typed), None
        except ValueError:
            raise ValidationError("supply-date", _(
                "'{typed}' is not a day (YYYY-MM-DD) or a period (YYYY-MM-DD..YYYY-MM-DD)"
            ).format(typed=typed)) from None

    def schedule_spec(self) -> tuple[str | None, int | None]:
        """The schedule as the services read it, and the spacing for percentage templates."""
        template = self.template.currentData()
        every = self.every.value() or None
        if template == THIRDS:
            return "30/30/40", every
        if template == HALVES:
            return "50/50", every
        if template == MONTHLY:
            return f"monthly:{self.months.value()}", None
        if template == DEPOSIT:
            return f"deposit:{self.deposit.value()},monthly:{self.months2.value()}", None
        if template == CUSTOM:
            parts = []
            for row in range(self.custom.rowCount()):
                share = display.plain_number(self.custom.item(row, 0).text(), "schedule")
                when = self.custom.item(row, 1).text().strip()
                if share or when:
                    parts.append(f"{share}@{when}")
            return "custom:" + ",".join(parts), None
        return None, None

    def tax_context(self) -> invoices.TaxContext:
        """The facts that propose a line's VAT category: the preview shows what saving
        would give."""
        assert self.data is not None
        seller = self.data.company
        try:
            chosen = self._customer_view(self.customer_id())
        except ValidationError:
            chosen = None
        return invoices.TaxContext(seller.country, chosen.country if chosen else "",
                                   chosen.vat_id if chosen else "", seller.small_business)

    def _customer_view(self, customer_id: int | None) -> CustomerChoice | None:
        if self.data is None or customer_id is None:
            return None
        return next((c for c in self.data.customers if c.id == customer_id), None)

    def customer_id(self) -> int:
        index = self.customer.currentIndex()
        if index < 0 or self.customer.itemText(index) != self.customer.currentText():
            index = self.customer.findText(self.customer.currentText(),
                                           Qt.MatchFlag.MatchFixedString)
        if index < 0:
            raise ValidationError("customer", _("choose a customer from the list"))
        return int(self.customer.itemData(index))

    def net_days(self) -> int:
        """Net days of the terms the draft would use (the services decide which apply)."""
        assert self.data is not None
        customer = self._customer_view(self.customer.currentData())
        by_name = {t.name: t for t in self.data.terms}
        return terms.terms_that_apply(by_name.get, self.terms.currentData(),
                                      customer.terms if customer else None,
                                      self.data.company.default_terms,
                                      on_receipt=bool(customer and customer.on_receipt)
                                      ).net_days

    # -- preview and save --------------------------------------------------------------------

    def update_preview(self) -> None:
        if self.data is None:
            return
        self.line_error.say("")
        self.schedule_error.say("")
        try:
            schedule, every = self.schedule_spec()
            preview = invoices.preview_draft(
                self.data.company.currency, self.line_inputs(), net_days=self.net_days(),
                schedule=schedule, every=every, issue_date=self.issue_date.date().toPython(),
                context=self.tax_context())
        except ValidationError as exc:
            self._show_line_or_schedule(exc)
            self.preview_note.setText(_("The totals update as soon as the lines are complete."))
            return
        self.preview = preview
        self.preview_note.setText("")
        self._show_preview(preview)
        self._ask_credit(preview)

    def _ask_credit(self, preview: DraftPreview) -> None:
        """The customer's credit against this total, by the rule issuing will apply."""
        try:
            customer_id = self.customer_id()
        except ValidationError:
            self.credit_flag.say("")
            return
        issue_date = self.issue_date.date().toPython()
        schedule = [(i.due_date, i.amount) for i in preview.installments]
        self.ctx.ops.query(
            lambda books: credit_applications.credit_flag(books, customer_id, preview.total,
                                                          schedule, issue_date),
            lambda said: self.credit_flag.say(display.said(said)),
            on_refused=lambda _exc: self.credit_flag.say(""),
            owner=self)

    def _show_line_or_schedule(self, exc: ValidationError) -> None:
        if exc.field == "line":
            return  # nothing typed yet: no need to scold
        if LINE_ERROR.match(exc.field):
            self.line_error.say(_line_refusal(exc))
        elif exc.field in ("schedule", "every"):
            self.schedule_error.say(display.sentence(display.refused(exc)))

    def _show_preview(self, preview: DraftPreview) -> None:
        while self.totals.count():
            item = self.totals.takeAt(0)
            if item.widget() is not None:
                item.widget().deleteLater()
        cur = preview.currency
        rows = [(_("Subtotal"), display.money(preview.subtotal, cur))]
        rows += [(_("Tax {number} % on {money}").format(
                    number=display.number(band.rate), money=display.money(band.net, cur)),
                  display.money(band.tax, cur)) for band in preview.taxes]
        rows.append((_("Total"), display.money(preview.total, cur)))
        for n, (label, amount) in enumerate(rows):
            name, value = QLabel(label), QLabel(amount)
            value.setAlignment(Qt.AlignmentFlag.AlignRight)
            if n == len(rows) - 1:
                for widget in (name, value):
                    font = widget.font()
                    font.setBold(True)
                    widget.setFont(font)
            value.setObjectName(f"total-{n}")
            self.totals.addWidget(name, n, 0)
            self.totals.addWidget(value, n, 1)
        self.installments.setRowCount(len(preview.installments))
        for r, inst in enumerate(preview.installments):
            amount = QTableWidgetItem(display.money(inst.amount, cur))
            amount.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            for c, item in enumerate((QTableWidgetItem(display.installment(inst.label)),
                                      QTableWidgetItem(display.day(inst.due_date)), amount)):
                self.installments.setItem(r, c, item)
        self.installments.resizeColumnsToContents()
        self.installments.horizontalHeader().setSectionResizeMode(
            0, QHeaderView.ResizeMode.Stretch)

    def draft_input(self) -> DraftInput:
        schedule, every = self.schedule_spec()
        supply_date, period = self.supplied()
        return DraftInput(customer_id=self.customer_id(), lines=self.line_inputs(),
                          terms=self.terms.currentData(), schedule=schedule, every=every,
                          supply_date=supply_date, period=period,
                          order_reference=self.order_reference.text(),
                          buyer_reference=self.buyer_reference.text())

    def save(self) -> None:
        if self.busy or self.data is None:
            return
        self.errors.clear()
        try:
            draft = self.draft_input()
        except ValidationError as exc:
            self.show_refusal(exc)
            return
        draft_id = self.draft_id
        if draft_id is None:
            def call(books: Books) -> InvoiceView:
                return invoices.create_draft(books, draft)
        else:
            def call(books: Books) -> InvoiceView:
                return invoices.update_draft(books, draft_id, draft)
        self.busy = True
        self.save_button.setEnabled(False)
        self.ctx.ops.change(call, self._saved,
                            on_refused=self._refused, owner=self)

    def show_refusal(self, exc: PaidUpError) -> None:
        self.errors.show(exc)
        if isinstance(exc, ValidationError) and (match := LINE_ERROR.match(exc.field)):
            row = int(match.group(1)) - 1
            column = LINE_FIELDS.index(match.group(2)) if match.group(2) in LINE_FIELDS else 0
            self.lines.setCurrentCell(row, column)
            self.lines.setFocus()
            self.line_error.say(_line_refusal(exc))

    def _refused(self, exc: PaidUpError) -> None:
        self.busy = False
        self.save_button.setEnabled(True)
        self.show_refusal(exc)

    def _saved(self, view: InvoiceView) -> None:
        self.busy = False
        self.ctx.say(_("Draft for {customer_name} saved ({money}).").format(
                       customer_name=view.customer_name, money=display.money(view.total,
                                                                             view.currency)))
        if self.on_saved is not None:
            self.on_saved(view)
        self.accept()

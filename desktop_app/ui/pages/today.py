"""Today: the day's follow-up work, grouped, each row with its one-click action; Send all and
Print all in the background with a progress bar and Cancel."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QModelIndex, QPoint, Qt, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QMenu,
    QPushButton,
    QScrollArea,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop_app.domain.errors import PaidUpError, RuleViolation
from desktop_app.domain.invoice_actions import InvoiceAction
from desktop_app.services import company, invoices, outbox, quote_followup, receipts
from desktop_app.services.books import Books
from desktop_app.services.first_steps import FirstSteps
from desktop_app.services.followup import batches as followup_batches
from desktop_app.services.followup import run as followup
from desktop_app.services.followup import today
from desktop_app.services.followup.batches import BatchResult
from desktop_app.services.followup.run import RunReport
from desktop_app.services.followup.today import TodayRow, TodayView
from desktop_app.services.outbox import SendReport
from desktop_app.services.records import InvoiceRow
from desktop_app.ui import column_fit, display, printing
from desktop_app.ui.context import Context
from desktop_app.ui.dialogs.invoice_actions import PaymentDialog, WriteOffDialog
from desktop_app.ui.dialogs.message import BatchPreviewDialog, MessageDialog, describe_send
from desktop_app.ui.dialogs.quote_forms import LogStepDialog
from desktop_app.ui.dialogs.today_actions import BrokenPromiseDialog, CallDialog, TaskDialog
from desktop_app.ui.mail_view import from_preview
from desktop_app.ui.models.paged import ROW
from desktop_app.ui.models.today_list import HEADERS, ActionDelegate, Column, TodayModel
from desktop_app.ui.ops import Changes
from desktop_app.ui.pages.base import Page
from desktop_app.ui.translate import N_, _, ngettext
from desktop_app.ui.widgets import EmptyState, NoteLabel, heading, list_view

PREVIEW_KEY = "today/preview"
NO_ACCOUNT = (N_("Set up your mail account first (Settings › Mail): the emails stay on Today "
              "until then."))
MAX_VISIBLE_ROWS = 12  # a longer group scrolls inside its own table
CELL_PADDING = 16  # a cell's margins around its text, in pixels
BUTTON_PADDING = 34  # an action button's frame and margins around its word
BUTTON_LEAST = 96
CUSTOMER_MOST = 320  # a longer name is cut short, whole in its tooltip
NOTE_MOST = 260  # a longer note gets what room is left over after the other columns
NOTE_USEFUL = 60  # a narrower note would show little more than "…": it is left out
GROUPS = (
    ("emails", N_("Emails to send"), N_("One message per customer, with the PDFs it needs.")),
    ("letters", N_("Letters to print"), N_("For window envelopes; all of a customer's invoices in "
                                    "one letter.")),
    ("calls", N_("Calls and tasks"), N_("Ask for a date and an amount, and write them down.")),
    ("promises", N_("Promises falling due"), N_("Has the money come? Record it, or wait for the "
                                         "promised day.")),
    ("decisions", N_("Waiting for your decision"), N_("PaidUp will not guess about these.")),
    ("receipts", N_("Did the invoice arrive?"), N_("You asked the customer; when they say yes, "
                                                   "click Received.")),
)


class Group(QWidget):
    """One group of the day: a heading with its count, a table, and maybe a batch button."""

    resized = Signal()  # the page fits the columns of all its groups together

    def __init__(self, key: str, title: str, hint: str, batch: str = "") -> None:
        super().__init__()
        self.key, self.title = key, title
        self.heading = heading(title, factor=1.1)
        self.hint = NoteLabel(hint)
        self.batch = QPushButton(batch) if batch else None
        top = QHBoxLayout()
        top.addWidget(self.heading)
        top.addWidget(self.hint, 1)
        if self.batch is not None:
            top.addWidget(self.batch)
        self.model = TodayModel()
        self.view: QTableView = list_view()
        self.view.setSortingEnabled(False)
        self.view.setModel(self.model)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.view.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.delegate = ActionDelegate(self.view)
        self.view.setItemDelegateForColumn(Column.ACTION, self.delegate)
        self.view.setMouseTracking(True)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        header.setMinimumSectionSize(1)
        self.view.verticalHeader().setDefaultSectionSize(self.view.fontMetrics().height() + 11)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 4)
        layout.setSpacing(4)
        layout.addLayout(top)
        layout.addWidget(self.view)

    def set_rows(self, rows: tuple[TodayRow, ...], with_header: bool = True) -> None:
        """``with_header``: the column names (the groups below the first share its columns
        and leave them out)."""
        self.model.set_rows(rows)
        self.heading.setText(f"{self.title} ({len(rows)})")
        self.view.horizontalHeader().setVisible(with_header)
        self._fit_height()
        self.setVisible(bool(rows))

    def _fit_height(self) -> None:
        """Tall enough for its rows (up to a few), and for the scroll bar a narrow window
        adds below them, so that no row is half hidden behind it."""
        view = self.view
        header = view.horizontalHeader()
        wide = header.length() > view.viewport().width()
        view.setFixedHeight((header.sizeHint().height() if header.isVisibleTo(view) else 0)
                            + min(self.model.rowCount(), MAX_VISIBLE_ROWS)
                            * view.verticalHeader().defaultSectionSize()
                            + (view.horizontalScrollBar().sizeHint().height() if wide else 0)
                            + 2 * view.frameWidth())

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.resized.emit()
        self._fit_height()

    def selected(self) -> TodayRow | None:
        rows = self.view.selectionModel().selectedRows()
        return self.model.row_at(rows[0].row()) if rows else None


class MailBanner(QFrame):
    """Emails wait for a mail account: the line says so and its button opens Settings › Mail."""

    def __init__(self, open_mail: Callable[[], None]) -> None:
        super().__init__()
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.text = NoteLabel(_(NO_ACCOUNT))
        self.button = QPushButton(_("Set up mail…"))
        self.button.setToolTip(_("Open Settings › Mail"))
        self.button.clicked.connect(open_mail)
        layout = QHBoxLayout(self)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.button)
        self.setVisible(False)


FIRST_STEPS = {
    "company": (N_("Set up your company…"),
                N_("Your name, address and bank details for invoices")),
    "customer": (N_("Add a customer…"), N_("Who you invoice")),
    "invoice": (N_("Make an invoice…"), N_("A draft you can issue and send")),
    "mail": (N_("Set up mail…"), N_("Your own mail account, to send invoices and reminders")),
}


class FirstStepsPanel(QWidget):
    """A new book's first steps, each a button, instead of "Nothing to do today"."""

    def __init__(self, run: Callable[[str], None]) -> None:
        super().__init__()
        self.title = heading(_("Welcome to your new books"), factor=1.4)
        self.body = NoteLabel()
        self.body.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.buttons: dict[str, QPushButton] = {}
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        layout.addWidget(self.title, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addWidget(self.body, 0, Qt.AlignmentFlag.AlignHCenter)
        for step, (label, tip) in FIRST_STEPS.items():
            button = QPushButton(_(label))
            button.setToolTip(_(tip))
            button.setMinimumWidth(260)
            button.clicked.connect(lambda _checked=False, s=step: run(s))
            self.buttons[step] = button
            layout.addWidget(button, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(2)
        self.setVisible(False)

    def show_steps(self, setup: FirstSteps) -> None:
        to_do = setup.to_do
        if not setup.has_company:
            self.title.setText(_("Your books have no company yet"))
            self.body.setText(_("Set up your company first: its name, address and bank details "
                              "go on every invoice and letter."))
        else:
            self.title.setText(_("Welcome to your new books"))
            self.body.setText(_("Follow-up work appears here as invoices fall due. To begin:"))
        # Wrapped text in a centred row gets no height for its width: give it both.
        width = min(520, max(self.body.fontMetrics().averageCharWidth() * 70, 320))
        self.body.setFixedWidth(width)
        self.body.setMinimumHeight(self.body.heightForWidth(width))
        for step, button in self.buttons.items():
            button.setVisible(step in to_do and (setup.has_company or step == "company"))


class TodayPage(Page):
    key = "today"
    watches = (Changes.FOLLOWUP | Changes.INVOICES | Changes.PAYMENTS | Changes.OUTBOX
               | Changes.CUSTOMERS | Changes.SETTINGS | Changes.COMPANY)

    def __init__(self, ctx: Context, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.day: TodayView | None = None
        self.title_label = heading(_("Today"), factor=1.5)
        self.date_label = NoteLabel()
        self.date_label.setWordWrap(False)
        self.summary = NoteLabel()
        self.preview = QCheckBox(_("Show each email and letter before it goes"))
        self.preview.setToolTip(_("Or hold Shift when you click Send or Print"))
        self.preview.setChecked(ctx.settings.value(PREVIEW_KEY, False, type=bool))
        self.preview.toggled.connect(lambda on: ctx.settings.setValue(PREVIEW_KEY, on))
        top = QHBoxLayout()
        top.addWidget(self.title_label)
        top.addWidget(self.date_label)
        top.addStretch(1)
        top.addWidget(self.preview)

        self.groups: dict[str, Group] = {}
        content = QWidget()
        content_layout = QVBoxLayout(content)
        content_layout.setContentsMargins(0, 0, 8, 0)
        for key, title, hint in GROUPS:
            batch = {"emails": _("Send all"), "letters": _("Print all…")}.get(key, "")
            group = Group(key, _(title), _(hint), batch)
            group.setVisible(False)
            group.delegate.clicked.connect(self._clicked)
            group.view.doubleClicked.connect(lambda index, g=group: self._double_clicked(g,
                                                                                        index))
            group.view.customContextMenuRequested.connect(
                lambda pos, g=group: self._context_menu(g, pos))
            group.view.selectionModel().selectionChanged.connect(
                lambda _new, _old, g=group: self._selected(g))
            group.resized.connect(self._fit_columns)
            self.groups[key] = group
            content_layout.addWidget(group)
        content_layout.addStretch(1)
        send_all = self.groups["emails"].batch
        print_all = self.groups["letters"].batch
        assert send_all is not None and print_all is not None
        send_all.setToolTip(_("Send every email of the day in the background"))
        send_all.clicked.connect(self.send_all)
        print_all.setToolTip(_("Print every letter of the day as one job"))
        print_all.clicked.connect(self.print_all)
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        self.scroll.setWidget(content)
        self.loading = NoteLabel(_("Looking at the day's follow-up…"))
        self.empty = EmptyState(
            _("Nothing to do today"),
            _("No reminders, letters or calls are due, no promise falls due and nothing waits "
            "for your decision. New work appears here as invoices fall due."))
        self.empty.setVisible(False)
        self.mail_banner = MailBanner(self.open_mail_settings)
        self.first_steps = FirstStepsPanel(self.first_step)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.mail_banner)
        layout.addWidget(self.summary)
        layout.addWidget(self.loading)
        layout.addWidget(self.scroll, 1)
        layout.addWidget(self.empty, 1)
        layout.addWidget(self.first_steps, 1)
        self._batch_running = False

    # -- loading -----------------------------------------------------------------------------

    def refresh(self) -> None:
        as_of = self.ctx.today()

        def load(books: Books) -> TodayView:
            # The quotes' daily follow-up, as ``followup run`` does it: each step once, so
            # opening Today again changes nothing; its calls then show on the list.
            quote_followup.run_ladder(books, as_of)
            return today.today(books, as_of)

        self.ctx.ops.query(load, self._loaded, owner=self)

    def _loaded(self, view: TodayView) -> None:
        self.day = view
        self.loading.setVisible(False)
        self.date_label.setText(display.long_day(view.as_of))
        first = True
        for key, group in self.groups.items():
            rows = getattr(view, key)
            group.set_rows(rows, with_header=first)
            first = first and not rows
        self._fit_columns()
        starting = view.empty and (not view.setup.has_company or view.setup.new_book)
        self.scroll.setVisible(not view.empty)
        self.empty.setVisible(view.empty and not starting)
        self.first_steps.setVisible(starting)
        if starting:
            self.first_steps.show_steps(view.setup)
        self.mail_banner.setVisible(view.mail_waits)
        counts = [
            (len(view.emails), ngettext("{n} email to send", "{n} emails to send",
                                        len(view.emails))),
            (len(view.letters), ngettext("{n} letter to print", "{n} letters to print",
                                         len(view.letters))),
            (len(view.calls), ngettext("{n} call or task to do", "{n} calls and tasks to do",
                                       len(view.calls))),
            (len(view.promises), ngettext("{n} promise falling due", "{n} promises falling due",
                                          len(view.promises))),
            (len(view.decisions), ngettext("{n} item waiting for you",
                                           "{n} items waiting for you", len(view.decisions))),
            (len(view.receipts), ngettext("{n} invoice to confirm as received",
                                          "{n} invoices to confirm as received",
                                          len(view.receipts)))]
        self.summary.setText(" · ".join(words.format(n=display.number(n))
                                        for n, words in counts if n))
        self.summary.setVisible(not view.empty)
        self.actions_changed.emit()

    def _fit_columns(self) -> None:
        """The groups share one set of columns (only the first shows their names), as wide as
        the day's text in them. In a narrow window a list of invoice numbers and then the
        note give way (the list's and the stage's tooltips say them whole), so that names,
        stages, amounts, lateness and the buttons stay whole without scrolling sideways."""
        shown = [group for group in self.groups.values() if group.model.rowCount()]
        if not shown:
            return
        cells = shown[0].view.fontMetrics()
        titles = shown[0].view.horizontalHeader().fontMetrics()

        def texts(column: Column) -> list[str]:
            return [str(group.model.index(row, column).data() or "") for group in shown
                    for row in range(group.model.rowCount())]

        def need(column: Column, extra: int = CELL_PADDING) -> int:
            widest = max(map(cells.horizontalAdvance, texts(column)))
            return max(widest, titles.horizontalAdvance(HEADERS[column])) + extra

        numbers = max(cells.horizontalAdvance(number) for text in texts(Column.INVOICE)
                      for number in text.split(", ")) + CELL_PADDING
        wants = [column_fit.Want(Column.INVOICE, need(Column.INVOICE), numbers),
                 column_fit.Want(Column.NOTE, min(need(Column.NOTE), NOTE_MOST), 0)]
        wants += [column_fit.Want(column, width, width) for column, width in (
            (Column.CUSTOMER, min(need(Column.CUSTOMER), CUSTOMER_MOST)),
            (Column.STAGE, need(Column.STAGE)), (Column.AMOUNT, need(Column.AMOUNT)),
            (Column.LATE, need(Column.LATE)),
            (Column.ACTION, max(need(Column.ACTION, BUTTON_PADDING), BUTTON_LEAST)))]
        room = min(group.view.viewport().width() for group in shown)
        widths = column_fit.fit(wants, room, stretch=Column.NOTE)
        for group in self.groups.values():
            header = group.view.horizontalHeader()
            for column, width in widths.items():
                header.resizeSection(column, width)
            header.setSectionHidden(Column.NOTE, widths[Column.NOTE] < NOTE_USEFUL)

    def open_mail_settings(self) -> None:
        self.ctx.go("settings", section=_("Mail"))

    def first_step(self, step: str) -> None:
        if step == "company":
            from desktop_app.ui.dialogs.first_run import FirstRun

            FirstRun(self.ctx, lambda _view: self.ctx.go("today")).open()
        elif step == "customer":
            self.ctx.go("customers", new_customer=True)
        elif step == "invoice":
            self.ctx.go("invoices", new_invoice_for=None)
        else:
            self.open_mail_settings()

    def rows(self, key: str) -> list[TodayRow]:
        return self.groups[key].model.rows()

    # -- selection ---------------------------------------------------------------------------

    def _selected(self, chosen: Group) -> None:
        if chosen.selected() is not None:
            for group in self.groups.values():
                if group is not chosen:
                    group.view.selectionModel().clearSelection()
        self.actions_changed.emit()

    def selected(self) -> TodayRow | None:
        for group in self.groups.values():
            row = group.selected()
            if row is not None:
                return row
        return None

    def can(self, action: str) -> bool:
        row = self.selected()
        if action == "send":
            return (row is not None and row.kind == "email") or bool(self.rows("emails"))
        if action == "print":
            return (row is not None and row.kind == "letter") or bool(self.rows("letters"))
        return action in ("new_invoice", "new_customer", "record_payment")

    def do(self, action: str) -> None:
        row = self.selected()
        if action == "send":
            self.act(row) if row is not None and row.kind == "email" else self.send_all()
        elif action == "print":
            self.act(row) if row is not None and row.kind == "letter" else self.print_all()
        elif action == "record_payment":
            self._payment(row) if row is not None and row.invoice_ids \
                else PaymentDialog(self.ctx, None).open()
        elif action == "new_invoice":
            self.ctx.go("invoices", new_invoice_for=None)
        elif action == "new_customer":
            self.ctx.go("customers", new_customer=True)

    # -- one row -----------------------------------------------------------------------------

    def _clicked(self, row: TodayRow, modifiers: Qt.KeyboardModifier) -> None:
        self.act(row, see_first=bool(modifiers & Qt.KeyboardModifier.ShiftModifier))

    def act(self, row: TodayRow, see_first: bool = False) -> None:
        """The row's one-click action."""
        see_first = see_first or self.preview.isChecked()
        if row.kind == "email":
            self.send(row, see_first)
        elif row.kind == "letter":
            self.print_letter(row, see_first)
        elif row.kind == "call":
            CallDialog(self.ctx, row).open()
        elif row.kind == "task":
            TaskDialog(self.ctx, row).open()
        elif row.kind == "promise":
            self._payment(row)
        elif row.kind in ("unknown_mail", "failed_mail"):
            self._decide_mail(row)
        elif row.kind == "broken_promise":
            BrokenPromiseDialog(self.ctx, row).open()
        elif row.kind == "write_off":
            self._write_off(row)
        elif row.kind == "bank_transfer":
            self.ctx.go("payments", tab="bank")
        elif row.kind == "credit_review":
            self.ctx.go("customers", customer_id=row.customer_id)
        elif row.kind == "quote" and row.quote_id is not None:
            LogStepDialog(self.ctx, row.quote_id, row.numbers, row.customer_name).open()
        elif row.kind == "receipt":
            self.confirm_receipt(row)

    def confirm_receipt(self, row: TodayRow) -> None:
        """One click: received today, by the customer's billing contact, the way we asked."""
        self._busy(row, True)
        invoice_id, via = row.invoice_ids[0], receipts.via_of(row.channel)
        as_of = self.ctx.today()
        self.ctx.ops.change(
            lambda books: receipts.record_receipt(books, invoice_id, via=via, on=as_of),
            lambda view: self.ctx.say(_("Invoice {number} confirmed received by {who}.").format(
                number=view.number, who=view.received_by)),
            on_refused=lambda exc: self._row_refused(row, exc), owner=self)

    def _model_of(self, row: TodayRow) -> TodayModel | None:
        for group in self.groups.values():
            if row in group.model.rows():
                return group.model
        return None

    def _busy(self, row: TodayRow, busy: bool) -> None:
        model = self._model_of(row)
        if model is not None:
            model.set_busy(row, busy)

    def _row_refused(self, row: TodayRow, exc: PaidUpError) -> None:
        self._busy(row, False)
        self.ctx.ops.show_refusal(exc, self)

    def _preview(self, row: TodayRow, then: Callable[[Any], None]) -> None:
        as_of = self.ctx.today()
        self.ctx.ops.query(
            lambda books: followup.preview_batch(books, as_of, customer_id=row.customer_id,
                                                 channel=row.channel,
                                                 installment_ids=row.installment_ids),
            then, on_refused=lambda exc: self._row_refused(row, exc), owner=self)

    def send(self, row: TodayRow, see_first: bool = False) -> None:
        if not see_first:
            self._send(row)
            return

        def shown(preview: Any) -> None:
            BatchPreviewDialog(self.ctx, _("Email to {customer_name}").format(
                                           customer_name=row.customer_name),
                               from_preview(preview), _("Send"), lambda: self._send(row)).open()

        self._preview(row, shown)

    def _send(self, row: TodayRow) -> None:
        self._busy(row, True)
        as_of = self.ctx.today()
        self.ctx.ops.change(
            lambda books: followup.run_day(books, as_of, customer_id=row.customer_id,
                                           channels=["email"],
                                           installment_ids=row.installment_ids),
            lambda report: self._queued(row, report),
            on_refused=lambda exc: self._row_refused(row, exc), owner=self)

    def _queued(self, row: TodayRow, report: RunReport) -> None:
        """Stored in the outbox; the mail goes out beside the books, then the row says how."""
        if report.failed or followup_batches.mail_waits(report) or not report.emails_queued:
            self._sent(row, report, SendReport())
        else:
            self.ctx.send_mail(lambda sent: self._sent(row, report, sent), self)

    def _sent(self, row: TodayRow, report: RunReport, sent: SendReport) -> None:
        self._busy(row, False)
        if report.failed:  # the customer's part could not be carried out, and why
            self.ctx.ops.show_refusal(RuleViolation(report.failed_said[0].message,
                                                    **report.failed_said[0].values), self)
        elif followup_batches.mail_waits(report):
            self.ctx.ops.show_refusal(RuleViolation(_(NO_ACCOUNT)), self)
        elif set(report.emails_queued) & set(sent.sent):
            self.ctx.say(_("Sent to {customer_name} ({detail}).").format(
                           customer_name=row.customer_name, detail=row.detail))
        else:
            self.ctx.say(f"{row.customer_name}: {describe_send(sent)}")

    def print_letter(self, row: TodayRow, see_first: bool = False) -> None:
        """The letter as it will print; the printer chosen; only then recorded and printed,
        so a cancelled print dialog leaves the letter on Today."""
        self._busy(row, True)

        def ready(preview: Any) -> None:
            if see_first:
                self._busy(row, False)
                BatchPreviewDialog(self.ctx, _("Letter to {customer_name}").format(
                                               customer_name=row.customer_name),
                                   from_preview(preview), _("Print…"),
                                   lambda: self._ask_printer(row, preview.letter)).open()
            else:
                self._ask_printer(row, preview.letter)

        self._preview(row, ready)

    def _ask_printer(self, row: TodayRow, pdf: bytes) -> None:
        self._busy(row, True)
        dialog = printing.ask_printer(self, pdf, _("Print the letter to {customer_name}").format(
                                                   customer_name=row.customer_name),
                                      lambda printer: self._record_and_print(row, printer))
        dialog.rejected.connect(lambda: self._busy(row, False))

    def _record_and_print(self, row: TodayRow, printer: QPrinter) -> None:
        as_of = self.ctx.today()
        self.ctx.ops.change(
            lambda books: followup.run_day(books, as_of, customer_id=row.customer_id,
                                           channels=["letter"],
                                           installment_ids=row.installment_ids),
            lambda report: self._print_job(printer, report.print_job,
                                           _("the letter to {customer_name}").format(
                                             customer_name=row.customer_name)),
            on_refused=lambda exc: self._row_refused(row, exc), owner=self)

    def _print_job(self, printer: QPrinter, pdf: bytes, what: str) -> None:
        if not pdf:
            self.ctx.say(_("Nothing was left to print: the letters went out already."))
            return
        printing.print_in_background(
            self.ctx.ops, printer, pdf, _("Printing {what}").format(what=what),
            lambda how: self.ctx.say(_("{sentence} saved as a PDF file.").format(
                                       sentence=display.sentence(what))
                                     if how == "file" else
                                     _("{sentence} sent to the printer.").format(
                                       sentence=display.sentence(what))),
            lambda exc: self.ctx.ops.show_refusal(RuleViolation(
                _("{refusal} The letters are kept in each customer's activity; print them again "
                  "from there.").format(refusal=display.refusal(exc))), self),
            lambda: self.ctx.say(_("Printing cancelled. The letters are kept in each "
                                 "customer's activity; print them from there.")))

    def _payment(self, row: TodayRow) -> None:
        invoice_id = row.invoice_ids[0]
        self.ctx.ops.query(lambda books: invoices.invoice_rows(books, [invoice_id]),
                           self._pay, owner=self)

    def _pay(self, rows: list[InvoiceRow]) -> None:
        if rows:
            payable = InvoiceAction.RECORD_PAYMENT in rows[0].actions
            PaymentDialog(self.ctx, rows[0] if payable else None).open()

    def _write_off(self, row: TodayRow) -> None:
        invoice_id = row.invoice_ids[0]
        self.ctx.ops.query(lambda books: invoices.show_invoice(books, invoice_id),
                           lambda inv: WriteOffDialog(
                               self.ctx, inv.id, inv.number or "", inv.customer_name,
                               inv.balance, inv.currency, row.amount,
                               waiting_step=display.stage(row.stage).lower()).open(), owner=self)

    def _decide_mail(self, row: TodayRow) -> None:
        message_id = row.outbox_id
        assert message_id is not None

        def found(messages: list[outbox.OutboxView]) -> None:
            for message in messages:
                if message.id == message_id:
                    MessageDialog(self.ctx, message, lambda: self.ctx.go(
                        "settings", section=_("Mail"))).open()
                    return
            self.refresh()

        self.ctx.ops.query(lambda books: outbox.list_outbox(books, ["unknown", "failed"]),
                           found, owner=self)

    # -- the whole group ---------------------------------------------------------------------

    def _start_batch(self) -> bool:
        if self._batch_running:
            self.ctx.say(_("Wait until the current batch has finished, or cancel it."))
            return False
        return True

    def send_all(self) -> None:
        rows = self.rows("emails")
        if not rows or not self._start_batch():
            return
        self._batch_running = True
        as_of, items = self.ctx.today(), followup_batches.items_of(rows)
        self.ctx.ops.long(lambda books, progress: followup_batches.run_batches(
                              books, as_of, items, progress),
                          _("Sending the day's emails"), self._all_queued,
                          on_refused=self._batch_refused, owner=self)

    def _all_queued(self, result: BatchResult) -> None:
        """All stored in the outbox; they go out beside the books, then the line says how."""
        if result.mail_waits:
            self._all_sent(result, SendReport())
        else:
            self.ctx.send_mail(lambda sent: self._all_sent(result, sent), self)

    def _all_sent(self, result: BatchResult, merged: SendReport) -> None:
        self._batch_running = False
        if result.mail_waits:
            self.ctx.ops.show_refusal(RuleViolation(_(NO_ACCOUNT)), self)
            return
        report = result.report
        failed = [display.note(said, english)
                  for said, english in zip(report.failed_said, report.failed, strict=True)]
        stopped = _("Stopped after {done} of {total} customers. ").format(
                    done=result.done, total=result.total) \
            if result.cancelled else ""
        not_done = _(" Not done: {join}.").format(join='; '.join(failed)) if failed else ""
        self.ctx.say(stopped + describe_send(merged) + not_done)

    def _batch_refused(self, exc: PaidUpError) -> None:
        self._batch_running = False
        self.ctx.ops.show_refusal(exc, self)
        self.refresh()

    def print_all(self) -> None:
        rows = self.rows("letters")
        if not rows or not self._start_batch():
            return
        self.ctx.ops.query(company.get_company, lambda view: printing.ask_printer_for(
            self, printing.paper_points(view.paper), _("Print the day's letters"),
            lambda printer: self._print_all_on(printer, rows)), owner=self)

    def _print_all_on(self, printer: QPrinter, rows: list[TodayRow]) -> None:
        self._batch_running = True
        as_of, items = self.ctx.today(), followup_batches.items_of(rows)

        def made(result: BatchResult) -> None:
            self._batch_running = False
            if result.cancelled:
                self.ctx.say(_("Stopped after {done} of {total} letters; the others stay on "
                               "Today.").format(done=result.done, total=result.total))
            self._print_job(printer, result.report.print_job,
                            ngettext("{n} letter", "{n} letters", result.done).format(
                                n=result.done))

        self.ctx.ops.long(lambda books, progress: followup_batches.run_batches(
                              books, as_of, items, progress),
                          _("Preparing the day's letters"), made,
                          on_refused=self._batch_refused, owner=self)

    # -- opening what a row is about ---------------------------------------------------------

    def _double_clicked(self, group: Group, index: QModelIndex) -> None:
        row = group.model.data(index, ROW)
        if isinstance(row, TodayRow) and index.column() != Column.ACTION:
            self._open(row)

    def _open(self, row: TodayRow) -> None:
        if row.quote_id is not None:
            self.ctx.go("quotes", quote_id=row.quote_id)
        elif row.invoice_ids:
            self.ctx.go("invoices", customer_id=row.customer_id, invoice_id=row.invoice_ids[0])
        elif row.customer_id:
            self.ctx.go("customers", customer_id=row.customer_id)

    def _context_menu(self, group: Group, pos: QPoint) -> None:
        index = group.view.indexAt(pos)
        row = group.model.data(index, ROW) if index.isValid() else None
        if not isinstance(row, TodayRow):
            return
        menu = QMenu(self)
        primary = group.model.data(group.model.index(index.row(), Column.ACTION))
        menu.addAction(str(primary).rstrip("…"), lambda: self.act(row))
        if row.kind in ("email", "letter"):
            menu.addAction(_("See it first…"), lambda: self.act(row, see_first=True))
        menu.addSeparator()
        if row.invoice_ids:
            menu.addAction(_("Open the invoice"), lambda: self._open(row))
        if row.customer_id:
            menu.addAction(_("Open the customer"),
                           lambda: self.ctx.go("customers", customer_id=row.customer_id))
        menu.popup(group.view.viewport().mapToGlobal(pos))

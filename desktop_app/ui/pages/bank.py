"""The Bank tab of Payments: drop the bank's statement here, look at what it could not decide.

Importing runs in the background with a progress bar; the review list shows each waiting
transfer with the reason and what PaidUp proposes, and one click books every sure proposal.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import IntEnum
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QMimeData,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop_app.domain.bank_actions import TransactionAction
from desktop_app.domain.errors import PaidUpError, ValidationError
from desktop_app.services import bank, customers, invoices
from desktop_app.services.bank import ImportResult, TransactionView
from desktop_app.services.books import Books
from desktop_app.services.records import InvoiceRow
from desktop_app.ui import display
from desktop_app.ui.context import Context
from desktop_app.ui.dialogs.form import FormDialog
from desktop_app.ui.dialogs.invoice_actions import InvoicePicker
from desktop_app.ui.ops import Progress
from desktop_app.ui.translate import N_, Words, _, ngettext
from desktop_app.ui.widgets import NoteLabel, list_view

Index = QModelIndex | QPersistentModelIndex
STATUS_WORDS = Words({"booked": N_("Booked"), "waiting": N_("Waiting"),
                      "ignored": N_("Not a payment"),
                "outgoing": N_("Money out"), "returned": N_("Returned")})
FILTERS = Words({"waiting": N_("Waiting for your decision"), "all": N_("All transfers")})
ALL_ROWS = 2000  # the newest transfers the "all" list shows
STATEMENT_SUFFIXES = (".xml", ".zip", ".sta", ".mt940", ".940", ".txt", ".ofx", ".qfx", ".csv")
STATEMENT_PATTERNS = " ".join("*" + s for s in STATEMENT_SUFFIXES)


def dropped_statements(mime: QMimeData) -> list[Path]:
    """The dropped local files whose names say they are bank statements: what the window
    takes on any page (the Bank tab itself takes any file and lets the reader decide)."""
    if not mime.hasUrls():
        return []
    paths = (Path(u.toLocalFile()) for u in mime.urls() if u.isLocalFile())
    return [p for p in paths if p.suffix.lower() in STATEMENT_SUFFIXES]


class Column(IntEnum):
    DATE = 0
    FROM = 1
    AMOUNT = 2
    TEXT = 3
    STATUS = 4
    PROPOSAL = 5
    REASON = 6


HEADERS = Words({Column.DATE: N_("Date"), Column.FROM: N_("From"), Column.AMOUNT: N_("Amount"),
           Column.TEXT: N_("Remittance"), Column.STATUS: N_("Status"),
           Column.PROPOSAL: N_("Proposal"),
           Column.REASON: N_("Why")})


def reason(tx: TransactionView) -> str:
    """Why the transfer was booked, or what is proposed and why, in the window's language
    (a reason kept before reasons were messages, or a typed note, as it was written)."""
    return display.note(tx.said, tx.reason)


def proposal(tx: TransactionView) -> str:
    if not tx.suggestion:
        return ""
    parts = ", ".join(f"{p.invoice_number} {display.money(p.amount, tx.currency)}"
                      for p in tx.suggestion)
    return f"{'✓ ' if tx.sure else ''}{parts}"


class TransactionModel(QAbstractTableModel):
    """The transfers of one list, held whole (the review list is short; "all" is capped)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._rows: list[TransactionView] = []

    def set_rows(self, rows: list[TransactionView]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def rows(self) -> list[TransactionView]:
        return list(self._rows)

    def row_at(self, index: int) -> TransactionView | None:
        return self._rows[index] if 0 <= index < len(self._rows) else None

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(Column)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[Column(section)]
        return None

    def data(self, index: Index,
             role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        tx = self.row_at(index.row())
        if tx is None:
            return None
        column = Column(index.column())
        if role == Qt.ItemDataRole.DisplayRole:
            return {
                Column.DATE: display.day(tx.date), Column.FROM: tx.counterparty,
                Column.AMOUNT: display.money(tx.amount, tx.currency), Column.TEXT: tx.remittance,
                Column.STATUS: STATUS_WORDS.get(tx.status, tx.status),
                Column.PROPOSAL: proposal(tx), Column.REASON: reason(tx),
            }[column]
        if role == Qt.ItemDataRole.ToolTipRole and column in (Column.TEXT, Column.REASON,
                                                              Column.PROPOSAL):
            return f"{tx.remittance}\n\n{reason(tx)}".strip()
        if role == Qt.ItemDataRole.TextAlignmentRole and column == Column.AMOUNT:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


class BankPanel(QWidget):
    """Import, review, decide. Every decision is a service call in the background."""

    def __init__(self, ctx: Context, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setAcceptDrops(True)
        self.model = TransactionModel(self)
        self.importing = False
        self.import_button = QPushButton(_("Import statement…"))
        self.import_button.setToolTip(_("Read the bank's camt (XML or ZIP), MT940, OFX or CSV "
                                      "file; you can also drop it here"))
        self.import_button.clicked.connect(self.choose_file)
        self.filter = QComboBox()
        for key, words in FILTERS.items():
            self.filter.addItem(words, key)
        self.filter.currentIndexChanged.connect(self.refresh)
        self.accept_all = QPushButton(_("Accept all sure"))
        self.accept_all.setToolTip(_("Book every proposal marked ✓: the reference, number or "
                                   "the payer's known account leaves no doubt"))
        self.accept_all.clicked.connect(self.accept_sure)
        top = QHBoxLayout()
        top.addWidget(self.import_button)
        top.addWidget(self.filter)
        top.addStretch(1)
        top.addWidget(self.accept_all)

        self.view = list_view()
        self.view.setSortingEnabled(False)
        self.view.setModel(self.model)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(Column.REASON, QHeaderView.ResizeMode.Stretch)
        for column, width in ((Column.DATE, 95), (Column.FROM, 160), (Column.AMOUNT, 100),
                              (Column.TEXT, 170), (Column.STATUS, 95), (Column.PROPOSAL, 190)):
            header.resizeSection(column, width)
        self.view.selectionModel().selectionChanged.connect(self._selected)
        self.view.doubleClicked.connect(lambda _i: self.accept_selected())

        self.accept_one = QPushButton(_("Accept"))
        self.accept_one.setToolTip(_("Book this transfer as proposed"))
        self.accept_one.clicked.connect(self.accept_selected)
        self.book_on = QPushButton(_("Book on invoices…"))
        self.book_on.setToolTip(_("Choose the invoice, or split the money across several"))
        self.book_on.clicked.connect(self.book_on_invoices)
        self.assign = QPushButton(_("Assign to customer…"))
        self.assign.setToolTip(_("Book on the customer's oldest open invoices; the rest is "
                               "their credit"))
        self.assign.clicked.connect(self.assign_to_customer)
        self.ignore = QPushButton(_("Not a customer payment"))
        self.ignore.setToolTip(_("Rent, a refund, a transfer between your own accounts"))
        self.ignore.clicked.connect(self.ignore_selected)
        self.reverse = QPushButton(_("Reverse booking"))
        self.reverse.setToolTip(_("Undo the payments booked from this transfer; it waits again"))
        self.reverse.clicked.connect(self.reverse_selected)
        actions = QHBoxLayout()  # two groups, so that a small window still holds them
        for button in (self.accept_one, self.book_on, self.assign):
            actions.addWidget(button)
        actions.addStretch(1)
        other = QHBoxLayout()
        for button in (self.ignore, self.reverse):
            other.addWidget(button)
        other.addStretch(1)

        self.detail = NoteLabel()  # the selected transfer's text and reason, in full
        self.detail.setWordWrap(True)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.hint = NoteLabel()
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.detail)
        layout.addLayout(actions)
        layout.addLayout(other)
        layout.addWidget(self.hint)
        self._selected()

    # -- reading ------------------------------------------------------------------------------

    def refresh(self) -> None:
        waiting = self.filter.currentData() == "waiting"
        self.ctx.ops.query(lambda books: (
            bank.list_transactions(books, waiting=waiting, limit=None if waiting else ALL_ROWS),
            bank.count_waiting(books)), self._loaded, owner=self)

    def _loaded(self, result: tuple[list[TransactionView], int]) -> None:
        rows, waiting = result
        chosen = self.current()
        self.model.set_rows(rows)
        if chosen is not None:
            for i, tx in enumerate(rows):
                if tx.id == chosen.id:
                    self.view.selectRow(i)
        sure = sum(1 for tx in rows if tx.sure)
        self.accept_all.setText(_("Accept all sure ({sure})").format(
                                  sure=sure) if sure else _("Accept all sure"))
        self.accept_all.setEnabled(sure > 0 and not self.importing)
        self.hint.setText(
            ngettext("{n} transfer waits for your decision.",
                     "{n} transfers wait for your decision.", waiting).format(
                n=display.number(waiting)) if waiting
            else _("Nothing waits for a decision. Drop the bank's statement here (camt.053 or "
                   "its ZIP, MT940, OFX, CSV)."))
        self._selected()

    def current(self) -> TransactionView | None:
        indexes = self.view.selectionModel().selectedRows()
        return self.model.row_at(indexes[0].row()) if indexes else None

    def _selected(self, *_args: object) -> None:
        tx = self.current()
        allowed = tx.actions if tx is not None else frozenset()
        self.accept_one.setEnabled(TransactionAction.ACCEPT in allowed)
        self.book_on.setEnabled(TransactionAction.BOOK_ON in allowed)
        self.assign.setEnabled(TransactionAction.ASSIGN in allowed)
        self.ignore.setEnabled(TransactionAction.IGNORE in allowed)
        self.reverse.setEnabled(TransactionAction.REVERSE in allowed)
        self.detail.setText("" if tx is None else _described(tx))

    # -- importing ----------------------------------------------------------------------------

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls() and any(u.isLocalFile() for u in event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = [Path(u.toLocalFile()) for u in event.mimeData().urls() if u.isLocalFile()]
        event.acceptProposedAction()
        for path in paths:
            self.import_file(path)

    def choose_file(self) -> None:
        name, _filter = QFileDialog.getOpenFileName(
            self, _("Import a bank statement"), "",
            _("Bank statements ({patterns});;All files (*)").format(patterns=STATEMENT_PATTERNS))
        if name:
            self.import_file(Path(name))

    def import_file(self, path: Path, profile: str | None = None) -> None:
        """Read the file off the UI thread; a CSV without a profile asks for one first."""
        self._busy(True)

        def work(books: Books, progress: Progress) -> ImportResult | tuple[str, bytes]:
            data = path.read_bytes()
            chosen = profile
            if chosen is None and bank.is_csv(data):
                chosen = bank.profile_for(books, data)
                if chosen is None:
                    return ("csv", data)
            return bank.import_statement(books, data, path.name, chosen,
                                         lambda done, total: progress.step(done, total))

        def done(result: ImportResult | tuple[str, bytes]) -> None:
            self._busy(False)
            if isinstance(result, tuple):
                CsvProfileDialog(self.ctx, path, result[1],
                                 lambda name: self.import_file(path, name)).open()
                return
            self.ctx.say(_("{name}: {imported} new, {duplicates} already read, {booked} booked, "
                           "{waiting} waiting for you.").format(
                           name=path.name, imported=result.imported, duplicates=result.duplicates,
                           booked=result.booked, waiting=result.waiting))
            self.filter.setCurrentIndex(0)
            self.refresh()

        def refused(exc: PaidUpError) -> None:
            self._busy(False)
            self.ctx.ops.show_refusal(exc, self)

        self.ctx.ops.long(_with_os_errors(work, path), _("Importing {name}").format(
                                                         name=path.name), done,
                          on_refused=refused,
                          on_cancelled=lambda: self._busy(False), owner=self)

    def _busy(self, busy: bool) -> None:
        self.importing = busy
        self.import_button.setEnabled(not busy)
        self.accept_all.setEnabled(not busy and "(" in self.accept_all.text())

    # -- deciding -----------------------------------------------------------------------------

    def _change(self, call: Callable[[Books], Any], said: str) -> None:
        self.ctx.ops.change(call, lambda _r: (self.ctx.say(said), self.refresh()), owner=self)

    def accept_selected(self) -> None:
        tx = self.current()
        if tx is None or TransactionAction.ACCEPT not in tx.actions:
            return
        self._change(lambda books: bank.match_transaction(books, tx.id),
                     _("{money} from {counterparty} booked.").format(
                       money=display.money(tx.amount, tx.currency), counterparty=tx.counterparty))

    def accept_sure(self) -> None:
        def done(result: bank.AcceptResult) -> None:
            said = ngettext("{n} transfer booked.", "{n} transfers booked.",
                            result.accepted).format(n=display.number(result.accepted))
            if result.failed:  # why the first one stays, in the window's language
                tx_id, why = result.failed[0]
                said += " " + ngettext("{n} waits for you. Transfer {id}: {why}",
                                       "{n} wait for you. The first, transfer {id}: {why}",
                                       len(result.failed)).format(
                    n=display.number(len(result.failed)), id=tx_id, why=display.refusal(why))
            self.ctx.say(said)
            self.refresh()

        self.ctx.ops.long(lambda books, progress: bank.accept_sure(
            books, lambda done, total: progress.step(done, total)), _("Booking sure proposals"),
            done, owner=self)

    def book_on_invoices(self) -> None:
        tx = self.current()
        if tx is not None:
            SplitDialog(self.ctx, tx, self.refresh).open()

    def assign_to_customer(self) -> None:
        tx = self.current()
        if tx is not None:
            AssignDialog(self.ctx, tx, self.refresh).open()

    def ignore_selected(self) -> None:
        tx = self.current()
        if tx is not None:
            self._change(lambda books: bank.ignore_transaction(books, tx.id),
                         _("{value}: not a customer payment.").format(
                           value=tx.counterparty or _("The transfer")))

    def reverse_selected(self) -> None:
        tx = self.current()
        if tx is not None:
            self._change(lambda books: bank.reverse_transaction(books, tx.id),
                         _("The booking was reversed; the transfer waits for a decision."))


def _described(tx: TransactionView) -> str:
    payer = tx.counterparty or _("Unknown payer")
    if tx.counterparty_account:
        payer += f" ({tx.counterparty_account})"
    remittance = tx.remittance or _("no remittance text")
    return f"{payer}: {remittance}\n{display.sentence(reason(tx))}"


def _with_os_errors(work: Callable[[Books, Progress], Any], path: Path
                    ) -> Callable[[Books, Progress], Any]:
    def run(books: Books, progress: Progress) -> Any:
        try:
            return work(books, progress)
        except OSError as exc:
            raise ValidationError("file", _("cannot read {name}: {reason}").format(
                name=path.name, reason=exc.strerror)) from None
    return run


class SplitDialog(FormDialog):
    """Book a transfer on one invoice, or split it: an amount for each but the last."""

    ok_text = N_("Book")

    def __init__(self, ctx: Context, tx: TransactionView, on_done: Callable[[], None]) -> None:
        super().__init__(ctx, _("Book a transfer on invoices"))
        self.tx, self.on_done = tx, on_done
        self.say(_("{money} from {payer}: {remittance}. Leave the last amount empty for what is "
                   "left.").format(money=display.money(tx.amount, tx.currency),
                                   payer=tx.counterparty or _("unknown"),
                                   remittance=tx.remittance or _("no remittance text")))
        self.lines: list[tuple[InvoicePicker, QLineEdit]] = []
        for number in range(1, 4):
            picker = self.add_field(_("Invoice {number}").format(
                                      number=number), "invoice", InvoicePicker(ctx))
            amount = self.add_field(_("Amount"), "amount", QLineEdit())
            self.lines.append((picker, amount))
        proposed = [p.invoice_id for p in tx.suggestion[:len(self.lines)]]
        if proposed:
            ctx.ops.query(lambda books: invoices.invoice_rows(books, proposed), self._proposed,
                          owner=self)

    def _proposed(self, rows: list[InvoiceRow]) -> None:
        for (picker, amount), row, part in zip(self.lines, rows, self.tx.suggestion,
                                               strict=False):
            picker.set_row(row)
            if len(self.tx.suggestion) > 1:
                amount.setText(display.typed_money(part.amount, self.tx.currency))

    def work(self) -> Callable[[Books], Any]:
        parts = []
        for picker, amount in self.lines:
            if not picker.text().strip():
                continue
            typed = amount.text().strip()
            parts.append(bank.Part(picker.chosen().id,
                                   display.plain_number(typed, "amount") if typed else None))
        if not parts:
            raise ValidationError("invoice", _("choose the invoice the transfer pays"))
        tx_id = self.tx.id
        return lambda books: bank.match_transaction(books, tx_id, parts)

    def succeeded(self, result: TransactionView) -> None:
        self.ctx.say(_("{money} booked.").format(
            money=display.money(result.amount, result.currency)))
        self.on_done()


class AssignDialog(FormDialog):
    ok_text = N_("Book")

    def __init__(self, ctx: Context, tx: TransactionView, on_done: Callable[[], None]) -> None:
        super().__init__(ctx, _("Assign a transfer to a customer"))
        self.tx, self.on_done = tx, on_done
        self.say(_("{money} from {value} goes on the customer's oldest open invoices; what is "
                   "left over is their credit. The payer's account is remembered for them.").format(
                   money=display.money(tx.amount, tx.currency), value=tx.counterparty or 'unknown'))
        self.customer = self.add_field(_("Customer"), "customer", QComboBox())
        ctx.ops.query(customers.customer_choices, self._fill, owner=self)

    def _fill(self, choices: list[Any]) -> None:
        for choice in choices:
            self.customer.addItem(choice.name, choice.id)

    def work(self) -> Callable[[Books], Any]:
        customer_id = self.customer.currentData()
        if customer_id is None:
            raise ValidationError("customer", _("choose the customer who paid"))
        tx_id = self.tx.id
        return lambda books: bank.assign_to_customer(books, tx_id, customer_id)

    def succeeded(self, result: TransactionView) -> None:
        self.ctx.say(_("{money} booked.").format(
            money=display.money(result.amount, result.currency)))
        self.on_done()


class CsvProfileDialog(FormDialog):
    """A bank's CSV layout, proposed from its first file and kept for the next ones."""

    ok_text = N_("Save and import")
    ROLES = (("date", N_("Booking day")), ("value_date", N_("Value day")), ("amount", N_("Amount")),
             ("currency", N_("Currency")), ("counterparty", N_("Payer")),
             ("counterparty_account", N_("Payer's IBAN")), ("remittance", N_("Remittance text")),
             ("reference", N_("Bank's reference")))

    def __init__(self, ctx: Context, path: Path, data: bytes,
                 on_saved: Callable[[str], None]) -> None:
        super().__init__(ctx, _("A CSV profile for this bank"))
        self.on_saved = on_saved
        self.sniffed = bank.sniff_csv(data)
        guess = self.sniffed.proposal
        self.say(_("{name} is a CSV export. Say once which column holds what; PaidUp remembers "
                   "it for this bank's next files.").format(name=path.name))
        self.name = self.add_field(_("Bank"), "name", QLineEdit(path.stem[:40]))
        self.columns: dict[str, QComboBox] = {}
        for role, label in self.ROLES:
            box = QComboBox()
            box.addItem(_("(none)"), "")
            for column in self.sniffed.header:
                box.addItem(column, column)
            wanted = guess.get(role, "")
            wanted = wanted[0] if isinstance(wanted, tuple) else wanted
            box.setCurrentIndex(max(box.findData(wanted), 0))
            self.columns[role] = self.add_field(_(label), role, box)
        self.date_format = self.add_field(_("Date written as"), "date_format",
                                          QLineEdit(guess.get("date_format", "%d.%m.%Y")))
        self.decimal = self.add_field(_("Decimal mark"), "decimal", QComboBox())
        for mark, words in ((",", _("comma (1.234,56)")), (".", _("point (1,234.56)"))):
            self.decimal.addItem(words, mark)
        self.decimal.setCurrentIndex(self.decimal.findData(guess.get("decimal", ",")))
        self.sign = self.add_field(_("Money out is"), "sign", QComboBox())
        for sign, words in (("signed", "negative"), ("inverted", _("positive (money in "
                                                               "negative)"))):
            self.sign.addItem(words, sign)

    def work(self) -> Callable[[Books], Any]:
        body: dict[str, Any] = {
            "name": self.name.text().strip(), "date_format": self.date_format.text().strip(),
            "decimal": self.decimal.currentData(), "sign": self.sign.currentData(),
            "delimiter": self.sniffed.delimiter, "encoding": self.sniffed.encoding,
        }
        for role, box in self.columns.items():
            if box.currentData():
                body[role] = (box.currentData(),) if role == "remittance" else box.currentData()
        profile = bank.profile_from(body)
        return lambda books: bank.save_profile(books, profile)

    def succeeded(self, result: Any) -> None:
        self.on_saved(result.name)

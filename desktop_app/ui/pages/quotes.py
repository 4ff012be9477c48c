"""Quotes: what was offered, until when, and what became of it; make, send, accept, decline,
and log the follow-up calls. Which button applies is the quote's own ``allowed_actions``."""

from __future__ import annotations

from enum import IntEnum
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop_app.services import quotes
from desktop_app.services.books import Books
from desktop_app.services.quotes import (
    QUOTE_CHANGES,
    AcceptedView,
    QuoteFigures,
    QuoteRow,
    QuoteView,
)
from desktop_app.ui import display
from desktop_app.ui.context import Context
from desktop_app.ui.dialogs.quote_forms import (
    AcceptDialog,
    DeclineDialog,
    LogStepDialog,
    NewQuoteDialog,
)
from desktop_app.ui.ops import Changes
from desktop_app.ui.pages.base import Page
from desktop_app.ui.widgets import NoteLabel, heading, list_view

Index = QModelIndex | QPersistentModelIndex
STATUS_WORDS = {"open": "Not sent", "sent": "Sent", "accepted": "Won", "declined": "Lost",
                "expired": "Expired"}
FILTERS = {"": "All quotes", **{k: v for k, v in STATUS_WORDS.items()}}
STEP_WORDS = {"sent": "Sent", "check": "Friendly check", "call": "Call",
              "last_day": "Note before it expires", "expired": "Expired"}
OUTCOME_WORDS = {"done": "done", "skipped": "passed over", "open": "waiting on Today"}
CHANNEL_WORDS = {"email": "by email", "hand": "by hand", "call": "by phone",
                 "task": "by hand (no email could go)"}


class Column(IntEnum):
    NUMBER = 0
    CUSTOMER = 1
    DATE = 2
    VALID = 3
    STATUS = 4
    TOTAL = 5


HEADERS = {Column.NUMBER: "Number", Column.CUSTOMER: "Customer", Column.DATE: "Date",
           Column.VALID: "Valid until", Column.STATUS: "Status", Column.TOTAL: "Total"}


class QuoteListModel(QAbstractTableModel):
    """The quotes of one status, as the service listed them (a small book keeps few)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._rows: list[QuoteRow] = []

    def set_rows(self, rows: list[QuoteRow]) -> None:
        self.beginResetModel()
        self._rows = rows
        self.endResetModel()

    def row_at(self, row: int) -> QuoteRow | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def row_of(self, quote_id: int) -> int:
        return next((n for n, r in enumerate(self._rows) if r.id == quote_id), -1)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(Column)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[Column(section)]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        row = self.row_at(index.row())
        if row is None:
            return None
        column = Column(index.column())
        if role == Qt.ItemDataRole.TextAlignmentRole and column == Column.TOTAL:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if column == Column.NUMBER:
            return row.number
        if column == Column.CUSTOMER:
            return row.customer_name
        if column == Column.DATE:
            return display.day(row.quote_date)
        if column == Column.VALID:
            return display.day(row.valid_until)
        if column == Column.STATUS:
            return STATUS_WORDS.get(row.status, row.status)
        return display.money(row.total, row.currency)


def describe(quote: QuoteView) -> str:
    """The selected quote in a few lines: its lines with availability, the ask on
    acceptance, and its follow-up so far."""
    lines = [f"{ln.quantity} × {ln.description}" + (f" — {ln.availability}"
                                                    if ln.availability else "")
             for ln in quote.lines]
    ask = (f"Deposit asked on acceptance: {display.money(quote.deposit, quote.currency)} "
           f"({quote.schedule})" if quote.deposit else "No deposit asked on acceptance")
    steps = [f"{display.day(s.recorded_on)}: {STEP_WORDS.get(s.step, s.step)} "
             f"{CHANNEL_WORDS.get(s.channel, '')}, {OUTCOME_WORDS.get(s.outcome, s.outcome)}"
             .replace("  ", " ").replace(" ,", ",")
             + (f" — {s.note}" if s.note else "") for s in quote.steps]
    outcome = ""
    if quote.status == "declined":
        outcome = f"Declined on {display.day(quote.closed_on)}: {quote.decline_reason}"
    elif quote.status == "accepted":
        outcome = f"Accepted on {display.day(quote.closed_on)}; the draft invoice is ready"
    return "\n".join(x for x in (
        f"{quote.number} for {quote.customer_name}, "
        f"{display.money(quote.total, quote.currency)}, valid until "
        f"{display.day(quote.valid_until)}", *lines, ask, outcome, *steps) if x)


class QuotesPage(Page):
    key = "quotes"
    watches = QUOTE_CHANGES | Changes.SETTINGS

    def __init__(self, ctx: Context, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.model = QuoteListModel(self)
        self.filter = QComboBox()
        for key, word in FILTERS.items():
            self.filter.addItem(word, key)
        self.filter.currentIndexChanged.connect(lambda _i: self.refresh())
        self.new = QPushButton("New quote…")
        self.new.clicked.connect(lambda: NewQuoteDialog(self.ctx).open())
        self.summary = NoteLabel()
        self.view = list_view()
        self.view.setSortingEnabled(False)
        self.view.setModel(self.model)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(Column.CUSTOMER, QHeaderView.ResizeMode.Stretch)
        for column, width in ((Column.NUMBER, 130), (Column.DATE, 110), (Column.VALID, 110),
                              (Column.STATUS, 100), (Column.TOTAL, 130)):
            header.resizeSection(column, width)
        self.view.selectionModel().currentRowChanged.connect(self._row_chosen)
        self.detail = QLabel()
        self.detail.setWordWrap(True)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.buttons: dict[str, QPushButton] = {}
        actions = QHBoxLayout()
        for key, word, tip in (
                ("pdf", "PDF", "See the quote as the customer gets it"),
                ("send", "Send by email", "Email the quote with its PDF; its follow-up starts"),
                ("hand", "Handed over", "You gave or sent the quote yourself; its follow-up "
                                        "starts"),
                ("accept", "Accept…", "The customer said yes: a draft invoice and the deposit "
                                      "request"),
                ("decline", "Decline…", "The customer said no: keep the reason"),
                ("log", "Log call…", "Write down the follow-up call")):
            button = QPushButton(word)
            button.setToolTip(tip)
            button.setEnabled(False)
            button.clicked.connect(lambda _=False, k=key: self._act(k))
            actions.addWidget(button)
            self.buttons[key] = button
        actions.addStretch(1)
        self.current: QuoteView | None = None
        self._wanted: int | None = None
        top = QHBoxLayout()
        top.addWidget(heading("Quotes"))
        top.addStretch(1)
        top.addWidget(self.filter)
        top.addWidget(self.new)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.summary)
        layout.addWidget(self.view, 1)
        layout.addLayout(actions)
        layout.addWidget(self.detail)

    def refresh(self) -> None:
        status = self.filter.currentData() or None
        day = self.ctx.today()

        def load(books: Books) -> tuple[list[QuoteRow], list[QuoteFigures]]:
            return (quotes.list_quotes(books, day, status=status),
                    quotes.report(books, day))

        self.ctx.ops.query(load, self._loaded, owner=self)

    def _loaded(self, loaded: tuple[list[QuoteRow], list[QuoteFigures]]) -> None:
        rows, figures = loaded
        keep = self._wanted or (self.current.id if self.current else None)
        self.model.set_rows(rows)
        self.summary.setText("   ·   ".join(
            f"{f.status.capitalize()}: {f.count} ({display.money(f.value, f.currency)})"
            for f in figures))
        row = self.model.row_of(keep) if keep is not None else -1
        if row < 0 and rows:
            row = 0
        self._wanted = None
        if row >= 0:
            self.view.selectRow(row)
            self._show(self.model.row_at(row))
        else:
            self._shown(None)

    def _row_chosen(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self._show(self.model.row_at(current.row()))

    def _show(self, row: QuoteRow | None) -> None:
        if row is None:
            self._shown(None)
            return
        day = self.ctx.today()
        self.ctx.ops.query(lambda books: quotes.show_quote(books, row.id, day), self._shown,
                           owner=self)

    def _shown(self, quote: QuoteView | None) -> None:
        self.current = quote
        allowed = set(quote.allowed_actions) if quote else set()
        waiting = quote is not None and any(s.outcome == "open" for s in quote.steps)
        for key, button in self.buttons.items():
            wanted = "send" if key == "hand" else key
            button.setEnabled(waiting if key == "log" else wanted in allowed)
        self.detail.setText(describe(quote) if quote else
                            "No quotes yet. A written quote with a short validity makes the "
                            "customer decide: start one with New quote.")
        self.actions_changed.emit()

    def show_item(self, **what: Any) -> None:
        """``quote_id``: select that quote (from Today's row)."""
        if what.get("quote_id") is not None:
            self._wanted = int(what["quote_id"])
            self.filter.setCurrentIndex(0)
            self.refresh()

    def _act(self, key: str) -> None:
        quote = self.current
        if quote is None:
            return
        if key == "pdf":
            self.ctx.ops.query(lambda books: quotes.quote_pdf(books, quote.id),
                               lambda pdf: self.ctx.show_pdf(pdf, f"Quote {quote.number}",
                                                             quotes.filename(quote.number)),
                               owner=self)
        elif key in ("send", "hand"):
            by = "email" if key == "send" else "hand"
            self.ctx.ops.change(lambda books: quotes.send_quote(books, quote.id, by=by),
                                lambda sent: self.ctx.say(f"Quote {sent.number} sent."),
                                owner=self)
        elif key == "accept":
            AcceptDialog(self.ctx, quote, self._accepted).open()
        elif key == "decline":
            DeclineDialog(self.ctx, quote).open()
        elif key == "log":
            LogStepDialog(self.ctx, quote.id, quote.number, quote.customer_name).open()

    def _accepted(self, accepted: AcceptedView) -> None:
        if accepted.letter:
            self.ctx.show_pdf(accepted.letter, f"Deposit request for {accepted.quote.number}",
                              f"deposit-request-{quotes.filename(accepted.quote.number)[6:]}")

    def can(self, action: str) -> bool:
        return action in ("new_customer", "new_invoice")

    def do(self, action: str) -> None:
        if action == "new_invoice":
            self.ctx.go("invoices", new_invoice_for=None)
        elif action == "new_customer":
            self.ctx.go("customers", new_customer=True)

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
    QuoteStepView,
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
from desktop_app.ui.translate import N_, Words, _
from desktop_app.ui.widgets import ErrorLabel, NoteLabel, heading, list_view

Index = QModelIndex | QPersistentModelIndex
STATUS_WORDS = Words({"open": N_("Not sent"), "sent": N_("Sent"), "accepted": N_("Won"),
                      "declined": N_("Lost"),
                "expired": N_("Expired")})
FILTERS = Words({"": N_("All quotes"), **{k: STATUS_WORDS.msgid(k) for k in STATUS_WORDS}})
FIGURE_WORDS = Words({"open": N_("Undecided"), "won": N_("Won"), "lost": N_("Lost"),
                     "expired": N_("Expired")})
STEP_WORDS = Words({"sent": N_("Sent"), "check": N_("Friendly check"), "call": N_("Call"),
              "last_day": N_("Note before it expires"), "expired": N_("Expired")})
OUTCOME_WORDS = Words({"done": N_("done"), "skipped": N_("passed over"),
                       "open": N_("waiting on Today")})
CHANNEL_WORDS = Words({"email": N_("by email"), "hand": N_("by hand"), "call": N_("by phone"),
                 "task": N_("by hand (no email could go)")})


class Column(IntEnum):
    NUMBER = 0
    CUSTOMER = 1
    DATE = 2
    VALID = 3
    STATUS = 4
    TOTAL = 5


HEADERS = Words({Column.NUMBER: N_("Number"), Column.CUSTOMER: N_("Customer"),
                 Column.DATE: N_("Date"),
           Column.VALID: N_("Valid until"), Column.STATUS: N_("Status"), Column.TOTAL: N_("Total")})


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


def _step_line(step: QuoteStepView) -> str:
    """One step of the quote's follow-up as a line in the window's language."""
    values = {"day": display.day(step.recorded_on), "step": STEP_WORDS.get(step.step, step.step),
              "channel": CHANNEL_WORDS.get(step.channel, ""),
              "outcome": OUTCOME_WORDS.get(step.outcome, step.outcome)}
    # TRANSLATORS: a quote's follow-up step: "21.11.2026: Sent by hand, done"
    line = (_("{day}: {step} {channel}, {outcome}") if values["channel"] else
            _("{day}: {step}, {outcome}")).format(**values)
    if not step.note:
        return line
    # TRANSLATORS: a quote's follow-up step and the note kept with it
    return _("{line} — {note}").format(line=line, note=display.note(step.said, step.note))


def describe(quote: QuoteView) -> str:
    """The selected quote in a few lines: its lines with availability, the ask on
    acceptance, and its follow-up so far."""
    lines = [f"{ln.quantity} × {ln.description}" + (f" — {ln.availability}"
                                                    if ln.availability else "")
             for ln in quote.lines]
    ask = (_("Deposit asked on acceptance: {money} ({schedule})").format(
             money=display.money(quote.deposit, quote.currency),
             schedule=quote.schedule) if quote.deposit else _("No deposit asked on acceptance"))
    steps = [_step_line(s) for s in quote.steps]
    outcome = ""
    if quote.status == "declined":
        outcome = _("Declined on {day}: {decline_reason}").format(
                    day=display.day(quote.closed_on), decline_reason=quote.decline_reason)
    elif quote.status == "accepted":
        outcome = _("Accepted on {day}; the draft invoice is ready").format(
                    day=display.day(quote.closed_on))
    return "\n".join(x for x in (
        _("{number} for {customer}, {money}, valid until {day}").format(
            number=quote.number, customer=quote.customer_name,
            money=display.money(quote.total, quote.currency),
            day=display.day(quote.valid_until)), *lines, ask, outcome, *steps) if x)


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
        self.new = QPushButton(_("New quote…"))
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
        # An undecided quote's credit flag; an accepted one's draft that cannot be issued.
        self.flag = ErrorLabel()
        self.flag.setWordWrap(True)
        self._warnings: dict[int, str] = {}  # quote id: why its draft cannot be issued
        self.buttons: dict[str, QPushButton] = {}
        actions = QHBoxLayout()
        for key, word, tip in (
                ("pdf", _("PDF"), _("See the quote as the customer gets it")),
                ("send", _("Send by email"),
                 _("Email the quote with its PDF; its follow-up starts")),
                ("hand", _("Handed over"), _("You gave or sent the quote yourself; its follow-up "
                                        "starts")),
                ("accept", _("Accept…"), _("The customer said yes: a draft invoice and the deposit "
                                      "request")),
                ("decline", _("Decline…"), _("The customer said no: keep the reason")),
                ("log", _("Log call…"), _("Write down the follow-up call"))):
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
        top.addWidget(heading(_("Quotes")))
        top.addStretch(1)
        top.addWidget(self.filter)
        top.addWidget(self.new)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.summary)
        layout.addWidget(self.view, 1)
        layout.addLayout(actions)
        layout.addWidget(self.flag)
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
            f"{FIGURE_WORDS.get(f.status, f.status)}: {display.number(f.count)} "
            f"({display.money(f.value, f.currency)})"
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
        self.flag.say(self._warnings.get(quote.id, "") or display.said(quote.credit_said)
                      if quote else "")
        self.detail.setText(describe(quote) if quote else
                            _("No quotes yet. A written quote with a short validity makes the "
                            "customer decide: start one with New quote."))
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
                               lambda pdf: self.ctx.show_pdf(pdf, _("Quote {number}").format(
                                                                    number=quote.number),
                                                             quotes.filename(quote.number)),
                               owner=self)
        elif key in ("send", "hand"):
            by = "email" if key == "send" else "hand"
            self.ctx.ops.change(lambda books: quotes.send_quote(books, quote.id, by=by),
                                lambda sent: self.ctx.say(_("Quote {number} sent.").format(
                                                            number=sent.number)),
                                owner=self)
        elif key == "accept":
            AcceptDialog(self.ctx, quote, self._accepted).open()
        elif key == "decline":
            DeclineDialog(self.ctx, quote).open()
        elif key == "log":
            LogStepDialog(self.ctx, quote.id, quote.number, quote.customer_name).open()

    def _accepted(self, accepted: AcceptedView) -> None:
        if accepted.warning_said is not None:
            self._warnings[accepted.quote.id] = display.said(accepted.warning_said)
            if self.current is not None and self.current.id == accepted.quote.id:
                self.flag.say(self._warnings[accepted.quote.id])
        if accepted.letter:
            self.ctx.show_pdf(accepted.letter, _("Deposit request for {number}").format(
                                                 number=accepted.quote.number),
                              f"deposit-request-{quotes.filename(accepted.quote.number)[6:]}")

    def can(self, action: str) -> bool:
        return action in ("new_customer", "new_invoice")

    def do(self, action: str) -> None:
        if action == "new_invoice":
            self.ctx.go("invoices", new_invoice_for=None)
        elif action == "new_customer":
            self.ctx.go("customers", new_customer=True)

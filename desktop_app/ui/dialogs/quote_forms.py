"""The dialogs of the Quotes page: a new quote, accepting, declining, logging a call."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import (
    QComboBox,
    QHeaderView,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
)

from desktop_app.domain.errors import ValidationError
from desktop_app.services import customers, quote_followup, quotes
from desktop_app.services.books import Books
from desktop_app.services.invoices import LineInput
from desktop_app.services.quotes import QuoteInput, QuoteLineInput, QuoteSettings, QuoteView
from desktop_app.services.records import CustomerChoice
from desktop_app.ui import display
from desktop_app.ui.context import Context
from desktop_app.ui.dialogs.form import FormDialog
from desktop_app.ui.translate import N_, _
from desktop_app.ui.widgets import ErrorLabel

LINE_COLUMNS = (N_("Description"), N_("Quantity"), N_("Unit price"), N_("Tax %"),
                N_("Availability"))
START_ROWS = 3


class NewQuoteDialog(FormDialog):
    """Customer, lines with their availability, validity and what is asked on acceptance;
    the defaults are the Quotes settings."""

    ok_text = N_("Make quote")

    def __init__(self, ctx: Context, customer_id: int | None = None) -> None:
        super().__init__(ctx, _("New quote"))
        self.say(_("A written quote, dated today, with a short validity: the shorter the better."))
        self.customer = QComboBox()
        self.add_field(_("Customer"), "customer", self.customer)
        self.lines = QTableWidget(START_ROWS, len(LINE_COLUMNS))
        self.lines.setHorizontalHeaderLabels([_(c) for c in LINE_COLUMNS])
        header = self.lines.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        self.lines.setMinimumHeight(150)
        names = tuple(f"line {n}" for n in range(1, 51))
        self.add_field(_("Lines"), ("line", *names, *(f"{n} {part}" for n in names for part in (
            "description", "quantity", "unit price", "tax percent", "availability"))),
            self.lines)
        more = QPushButton(_("Add line"))
        more.clicked.connect(lambda: self.lines.insertRow(self.lines.rowCount()))
        self.form.addRow("", more)
        self.valid_days = QSpinBox()
        self.valid_days.setRange(1, 365)
        self.valid_days.setSuffix(_(" days"))
        self.add_field(_("Valid for"), "valid-days", self.valid_days)
        self.schedule = QLineEdit()
        self.schedule.setPlaceholderText(_("30/30/40 (a 30 % deposit), 50/50, or single"))
        self.add_field(_("Asked on acceptance"), "schedule", self.schedule)
        self.note = QLineEdit()
        self.note.setPlaceholderText(_("Optional, printed under the lines"))
        self.add_field(_("Note"), "note", self.note)
        # No credit decision yet, on hold, near or over the limit: as for an invoice's draft.
        self.credit_flag = ErrorLabel()
        self.credit_flag.setWordWrap(True)
        self.body.insertWidget(self.body.indexOf(self.banner), self.credit_flag)
        self.customer.currentIndexChanged.connect(lambda _index: self.ask_credit())
        self.lines.cellChanged.connect(lambda _row, _column: self.ask_credit())
        self.schedule.textChanged.connect(lambda _text: self.ask_credit())
        self.resize(760, 460)
        self._wanted = customer_id
        ctx.ops.query(lambda books: (customers.customer_choices(books),
                                     quotes.get_settings(books)), self._loaded, owner=self)

    def _loaded(self, loaded: tuple[list[CustomerChoice], QuoteSettings]) -> None:
        choices, settings = loaded
        for choice in choices:
            self.customer.addItem(choice.name, choice.id)
        index = self.customer.findData(self._wanted) if self._wanted is not None else -1
        self.customer.setCurrentIndex(index)
        self.valid_days.setValue(settings.validity_days)
        self.schedule.setText(settings.schedule)
        self.ask_credit()

    def set_line(self, row: int, *values: str) -> None:
        """Fill one row of the lines (the user types; tests call this)."""
        while self.lines.rowCount() <= row:
            self.lines.insertRow(self.lines.rowCount())
        for column, value in enumerate(values):
            self.lines.setItem(row, column, QTableWidgetItem(value))

    def _cell(self, row: int, column: int) -> str:
        item = self.lines.item(row, column)
        return item.text().strip() if item is not None else ""

    def _typed(self, customer_id: int) -> QuoteInput:
        rows = [QuoteLineInput(LineInput(description=self._cell(r, 0),
                                         quantity=self._cell(r, 1),
                                         unit_price=self._cell(r, 2),
                                         tax_percent=self._cell(r, 3) or "0"),
                               self._cell(r, 4))
                for r in range(self.lines.rowCount())]
        return QuoteInput(customer_id=customer_id, lines=rows,
                          valid_days=self.valid_days.value(),
                          schedule=self.schedule.text().strip(), note=self.note.text())

    def ask_credit(self) -> None:
        """The customer's credit against the quote as typed, by the rule issuing its invoice
        will apply; nothing while the customer or the lines are not complete."""
        customer_id = self.customer.currentData()
        if customer_id is None:
            self.credit_flag.say("")
            return
        data = self._typed(int(customer_id))
        self.ctx.ops.query(lambda books: quotes.credit_flag(books, data),
                           lambda said: self.credit_flag.say(display.said(said)),
                           on_refused=lambda _exc: self.credit_flag.say(""), owner=self)

    def work(self) -> Callable[[Books], Any]:
        customer_id = self.customer.currentData()
        if customer_id is None:
            raise ValidationError("customer", _("choose the customer the quote is for"))
        data = self._typed(int(customer_id))
        return lambda books: quotes.add_quote(books, data)

    def succeeded(self, result: QuoteView) -> None:
        self.ctx.say(_("Quote {number} made, valid until {day}.").format(
                       number=result.number, day=display.day(result.valid_until)))


class AcceptDialog(FormDialog):
    """Accepting turns the quote into a draft invoice and asks for the deposit."""

    ok_text = N_("Accept")

    def __init__(self, ctx: Context, quote: QuoteView,
                 then: Callable[[quotes.AcceptedView], None]) -> None:
        super().__init__(ctx, _("Accept quote {number}").format(number=quote.number))
        self.quote, self.then = quote, then
        said = (_("{customer} accepted {number} ({money}). PaidUp makes a draft invoice with "
                  "the same lines and schedule and a letter asking for the deposit of "
                  "{deposit}.") if quote.deposit else
                _("{customer} accepted {number} ({money}). PaidUp makes a draft invoice with "
                  "the same lines and schedule."))
        self.say(said.format(customer=quote.customer_name, number=quote.number,
                             money=display.money(quote.total, quote.currency),
                             deposit=display.money(quote.deposit, quote.currency)))
        self.credit_flag = ErrorLabel()  # what the draft invoice will meet, known before
        self.credit_flag.setWordWrap(True)
        self.credit_flag.say(display.said(quote.credit_said))
        self.body.insertWidget(self.body.indexOf(self.banner), self.credit_flag)

    def work(self) -> Callable[[Books], Any]:
        quote_id = self.quote.id
        return lambda books: quotes.accept_quote(books, quote_id)

    def succeeded(self, result: quotes.AcceptedView) -> None:
        self.ctx.say(_("Quote {number} accepted: the draft invoice is ready.").format(
                       number=result.quote.number) if result.warning_said is None else
                     _("Quote {number} accepted; its draft invoice cannot be issued as it "
                       "is.").format(number=result.quote.number))
        self.then(result)


class DeclineDialog(FormDialog):
    ok_text = N_("Decline")

    def __init__(self, ctx: Context, quote: QuoteView) -> None:
        super().__init__(ctx, _("Quote {number} declined").format(number=quote.number))
        self.quote = quote
        self.say(_("{customer} declined {number}. Why? Knowing it helps the next "
                   "quote.").format(customer=quote.customer_name, number=quote.number))
        self.reason = self.add_field(_("Reason"), "reason", QLineEdit())
        self.reason.setPlaceholderText(_("e.g. Price too high, lead time too long"))

    def work(self) -> Callable[[Books], Any]:
        quote_id, reason = self.quote.id, self.reason.text()
        return lambda books: quotes.decline_quote(books, quote_id, reason)

    def succeeded(self, result: QuoteView) -> None:
        self.ctx.say(_("Quote {number} declined: {decline_reason}").format(
                       number=result.number, decline_reason=result.decline_reason))


class LogStepDialog(FormDialog):
    """The call (or the message written by hand) a quote's follow-up asked for."""

    ok_text = N_("Done")

    def __init__(self, ctx: Context, quote_id: int, number: str, customer: str) -> None:
        super().__init__(ctx, _("Follow-up of quote {number}").format(number=number))
        self.quote_id, self.number = quote_id, number
        self.say(_("{customer} · {number}. Is the price right, and when would they order?").format(
                   customer=customer, number=number))
        self.note = self.add_field(_("What they said"), "note", QPlainTextEdit())
        self.note.setMaximumHeight(80)

    def work(self) -> Callable[[Books], Any]:
        quote_id, note = self.quote_id, self.note.toPlainText()
        return lambda books: quote_followup.log_step(books, quote_id, note)

    def succeeded(self, result: QuoteView) -> None:
        self.ctx.say(_("Follow-up of quote {number} written down.").format(number=self.number))

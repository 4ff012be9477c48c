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

LINE_COLUMNS = ("Description", "Quantity", "Unit price", "Tax %", "Availability")
START_ROWS = 3


class NewQuoteDialog(FormDialog):
    """Customer, lines with their availability, validity and what is asked on acceptance;
    the defaults are the Quotes settings."""

    ok_text = "Make quote"

    def __init__(self, ctx: Context, customer_id: int | None = None) -> None:
        super().__init__(ctx, "New quote")
        self.say("A written quote, dated today, with a short validity: the shorter the better.")
        self.customer = QComboBox()
        self.add_field("Customer", "customer", self.customer)
        self.lines = QTableWidget(START_ROWS, len(LINE_COLUMNS))
        self.lines.setHorizontalHeaderLabels(list(LINE_COLUMNS))
        header = self.lines.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        self.lines.setMinimumHeight(150)
        names = tuple(f"line {n}" for n in range(1, 51))
        self.add_field("Lines", ("line", *names, *(f"{n} {part}" for n in names for part in (
            "description", "quantity", "unit price", "tax percent", "availability"))),
            self.lines)
        more = QPushButton("Add line")
        more.clicked.connect(lambda: self.lines.insertRow(self.lines.rowCount()))
        self.form.addRow("", more)
        self.valid_days = QSpinBox()
        self.valid_days.setRange(1, 365)
        self.valid_days.setSuffix(" days")
        self.add_field("Valid for", "valid-days", self.valid_days)
        self.schedule = QLineEdit()
        self.schedule.setPlaceholderText("30/30/40 (a 30 % deposit), 50/50, or single")
        self.add_field("Asked on acceptance", "schedule", self.schedule)
        self.note = QLineEdit()
        self.note.setPlaceholderText("Optional, printed under the lines")
        self.add_field("Note", "note", self.note)
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

    def set_line(self, row: int, *values: str) -> None:
        """Fill one row of the lines (the user types; tests call this)."""
        while self.lines.rowCount() <= row:
            self.lines.insertRow(self.lines.rowCount())
        for column, value in enumerate(values):
            self.lines.setItem(row, column, QTableWidgetItem(value))

    def _cell(self, row: int, column: int) -> str:
        item = self.lines.item(row, column)
        return item.text().strip() if item is not None else ""

    def work(self) -> Callable[[Books], Any]:
        customer_id = self.customer.currentData()
        if customer_id is None:
            raise ValidationError("customer", "choose the customer the quote is for")
        rows = [QuoteLineInput(LineInput(description=self._cell(r, 0),
                                         quantity=self._cell(r, 1),
                                         unit_price=self._cell(r, 2),
                                         tax_percent=self._cell(r, 3) or "0"),
                               self._cell(r, 4))
                for r in range(self.lines.rowCount())]
        data = QuoteInput(customer_id=int(customer_id), lines=rows,
                          valid_days=self.valid_days.value(),
                          schedule=self.schedule.text().strip(), note=self.note.text())
        return lambda books: quotes.add_quote(books, data)

    def succeeded(self, result: QuoteView) -> None:
        self.ctx.say(f"Quote {result.number} made, valid until "
                     f"{display.day(result.valid_until)}.")


class AcceptDialog(FormDialog):
    """Accepting turns the quote into a draft invoice and asks for the deposit."""

    ok_text = "Accept"

    def __init__(self, ctx: Context, quote: QuoteView,
                 then: Callable[[quotes.AcceptedView], None]) -> None:
        super().__init__(ctx, f"Accept quote {quote.number}")
        self.quote, self.then = quote, then
        deposit = (f" and a letter asking for the deposit of "
                   f"{display.money(quote.deposit, quote.currency)}" if quote.deposit else "")
        self.say(f"{quote.customer_name} accepted {quote.number} "
                 f"({display.money(quote.total, quote.currency)}). PaidUp makes a draft "
                 f"invoice with the same lines and schedule{deposit}.")

    def work(self) -> Callable[[Books], Any]:
        quote_id = self.quote.id
        return lambda books: quotes.accept_quote(books, quote_id)

    def succeeded(self, result: quotes.AcceptedView) -> None:
        self.ctx.say(f"Quote {result.quote.number} accepted: the draft invoice is ready.")
        self.then(result)


class DeclineDialog(FormDialog):
    ok_text = "Decline"

    def __init__(self, ctx: Context, quote: QuoteView) -> None:
        super().__init__(ctx, f"Quote {quote.number} declined")
        self.quote = quote
        self.say(f"{quote.customer_name} declined {quote.number}. Why? Knowing it helps the "
                 "next quote.")
        self.reason = self.add_field("Reason", "reason", QLineEdit())
        self.reason.setPlaceholderText("e.g. Price too high, lead time too long")

    def work(self) -> Callable[[Books], Any]:
        quote_id, reason = self.quote.id, self.reason.text()
        return lambda books: quotes.decline_quote(books, quote_id, reason)

    def succeeded(self, result: QuoteView) -> None:
        self.ctx.say(f"Quote {result.number} declined: {result.decline_reason}")


class LogStepDialog(FormDialog):
    """The call (or the message written by hand) a quote's follow-up asked for."""

    ok_text = "Done"

    def __init__(self, ctx: Context, quote_id: int, number: str, customer: str) -> None:
        super().__init__(ctx, f"Follow-up of quote {number}")
        self.quote_id, self.number = quote_id, number
        self.say(f"{customer} · {number}. Is the price right, and when would they order?")
        self.note = self.add_field("What they said", "note", QPlainTextEdit())
        self.note.setMaximumHeight(80)

    def work(self) -> Callable[[Books], Any]:
        quote_id, note = self.quote_id, self.note.toPlainText()
        return lambda books: quote_followup.log_step(books, quote_id, note)

    def succeeded(self, result: QuoteView) -> None:
        self.ctx.say(f"Follow-up of quote {self.number} written down.")

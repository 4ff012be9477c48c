"""The invoice list: ids from one query, rows a page at a time, sorted and filtered in SQL."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from enum import IntEnum
from typing import Any

from PySide6.QtCore import QObject, Qt

from desktop_app.services import invoices
from desktop_app.services.books import Books
from desktop_app.services.invoices import InvoiceQuery
from desktop_app.services.records import InvoiceRow
from desktop_app.ui import display, theme
from desktop_app.ui.models.paged import PagedTableModel
from desktop_app.ui.ops import Ops
from desktop_app.ui.translate import N_, NC_, Words, _


class Column(IntEnum):
    NUMBER = 0
    CUSTOMER = 1
    ISSUED = 2
    DUE = 3
    STATUS = 4
    TOTAL = 5
    BALANCE = 6


HEADERS = Words({
    Column.NUMBER: N_("Number"),
    Column.CUSTOMER: N_("Customer"),
    Column.ISSUED: N_("Issued"),
    Column.DUE: N_("Due"),
    Column.STATUS: N_("Status"),
    Column.TOTAL: N_("Total"),
    Column.BALANCE: NC_("an amount still to be paid", "Open"),
})
SORT_KEYS = {
    Column.NUMBER: "number",
    Column.CUSTOMER: "customer",
    Column.ISSUED: "issue_date",
    Column.DUE: "due_date",
    Column.STATUS: "status",
    Column.TOTAL: "total",
    Column.BALANCE: "balance",
}


class InvoiceListModel(PagedTableModel[InvoiceRow]):
    columns = Column
    headers = HEADERS
    sort_keys = SORT_KEYS
    right_aligned = frozenset({Column.TOTAL, Column.BALANCE})

    def __init__(self, ops: Ops, parent: QObject | None = None) -> None:
        super().__init__(ops, sort="issue_date", descending=True, parent=parent)
        self.query = InvoiceQuery()

    def set_query(self, **changes: Any) -> None:
        query = replace(self.query, **changes)
        if query != self.query:
            self.query = query
            self.reload()

    def fetch_ids(self) -> Callable[[Books], list[int]]:
        query, sort, descending = self.query, self.sort_key, self.descending
        return lambda books: invoices.invoice_ids(books, query, sort=sort, descending=descending)

    def fetch_rows(self, ids: Sequence[int]) -> Callable[[Books], list[InvoiceRow]]:
        return lambda books: invoices.invoice_rows(books, ids)

    def cell(self, row: InvoiceRow, column: Column, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, column)
        if role == Qt.ItemDataRole.ForegroundRole and column == Column.STATUS \
                and row.days_late > 0:
            return theme.error_color()
        if role == Qt.ItemDataRole.ToolTipRole and column in (Column.CUSTOMER, Column.STATUS):
            return self._display(row, column)
        return None

    def _display(self, row: InvoiceRow, column: Column) -> str:
        match column:
            case Column.NUMBER:
                return row.number or _("Draft")
            case Column.CUSTOMER:
                return row.customer_name
            case Column.ISSUED:
                return display.day(row.issue_date)
            case Column.DUE:
                return display.day(row.due_date)
            case Column.STATUS:
                late = row.days_late
                word = display.INVOICE_STATUS.get(row.status, row.status)
                return _("{status}, {days} late").format(status=word, days=display.days(late)) \
                    if late else word
            case Column.TOTAL:
                return display.money(row.total, row.currency)
            case Column.BALANCE:
                return display.money(row.balance, row.currency) if row.balance else ""

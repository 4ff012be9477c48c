"""Payments received, newest first, paged like the invoice list."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from enum import IntEnum
from typing import Any

from PySide6.QtCore import QObject, Qt

from desktop_app.services import payments
from desktop_app.services.books import Books
from desktop_app.services.payments import PaymentQuery
from desktop_app.services.records import PaymentRow
from desktop_app.ui import display
from desktop_app.ui.models.paged import PagedTableModel
from desktop_app.ui.ops import Ops
from desktop_app.ui.translate import N_, Words


class Column(IntEnum):
    DATE = 0
    CUSTOMER = 1
    INVOICE = 2
    AMOUNT = 3
    METHOD = 4
    REFERENCE = 5


HEADERS = Words({
    Column.DATE: N_("Received"),
    Column.CUSTOMER: N_("Customer"),
    Column.INVOICE: N_("Invoice"),
    Column.AMOUNT: N_("Amount"),
    Column.METHOD: N_("Method"),
    Column.REFERENCE: N_("Reference"),
})
SORT_KEYS = {
    Column.DATE: "paid_on",
    Column.CUSTOMER: "customer",
    Column.INVOICE: "invoice",
    Column.AMOUNT: "amount",
    Column.METHOD: "method",
    Column.REFERENCE: "reference",
}


class PaymentListModel(PagedTableModel[PaymentRow]):
    columns = Column
    headers = HEADERS
    sort_keys = SORT_KEYS
    right_aligned = frozenset({Column.AMOUNT})

    def __init__(self, ops: Ops, parent: QObject | None = None) -> None:
        super().__init__(ops, sort="paid_on", descending=True, parent=parent)
        self.query = PaymentQuery()

    def set_search(self, search: str) -> None:
        if search != self.query.search:
            self.query = PaymentQuery(search=search)
            self.reload()

    def fetch_ids(self) -> Callable[[Books], list[int]]:
        query, sort, descending = self.query, self.sort_key, self.descending
        return lambda books: payments.payment_ids(books, query, sort=sort, descending=descending)

    def fetch_rows(self, ids: Sequence[int]) -> Callable[[Books], list[PaymentRow]]:
        return lambda books: payments.payment_rows(books, ids)

    def cell(self, row: PaymentRow, column: Column, role: int) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        match column:
            case Column.DATE:
                return display.day(row.paid_on)
            case Column.CUSTOMER:
                return row.customer_name
            case Column.INVOICE:
                return row.invoice_number or ""
            case Column.AMOUNT:
                return display.money(row.amount, row.currency)
            case Column.METHOD:
                return display.METHODS.get(row.method, row.method)
            case Column.REFERENCE:
                return row.reference

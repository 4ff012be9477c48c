"""Customers with their balance and credit status (a few thousand at most: held whole)."""

from __future__ import annotations

from enum import IntEnum
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from desktop_app.domain.collation import name_key
from desktop_app.services.records import CustomerView
from desktop_app.ui import display, theme
from desktop_app.ui.models.paged import ROW
from desktop_app.ui.translate import N_, NC_, Words

Index = QModelIndex | QPersistentModelIndex


class Column(IntEnum):
    NAME = 0
    BALANCE = 1
    CREDIT = 2


HEADERS = Words({Column.NAME: N_("Customer"), Column.BALANCE: N_("Open balance"),
                 Column.CREDIT: NC_("a customer's credit standing", "Credit")})


class CustomerListModel(QAbstractTableModel):
    def __init__(self) -> None:
        super().__init__()
        self._rows: list[CustomerView] = []

    def set_rows(self, rows: list[CustomerView]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def row_at(self, row: int) -> CustomerView | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def row_of(self, customer_id: int) -> int | None:
        return next((i for i, c in enumerate(self._rows) if c.id == customer_id), None)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(Column)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[Column(section)]
        if (orientation == Qt.Orientation.Horizontal and role ==
                Qt.ItemDataRole.TextAlignmentRole and section == Column.BALANCE):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        customer = self.row_at(index.row()) if index.isValid() else None
        if customer is None:
            return None
        column = Column(index.column())
        if role == ROW:
            return customer
        if role == Qt.ItemDataRole.DisplayRole:
            if column == Column.NAME:
                return customer.name
            if column == Column.BALANCE:
                return display.money(customer.balance, customer.currency) if customer.balance \
                    else ""
            return display.CREDIT_STATUS.get(customer.credit_status, customer.credit_status)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            horizontal = Qt.AlignmentFlag.AlignRight if column == Column.BALANCE \
                else Qt.AlignmentFlag.AlignLeft
            return int(horizontal | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole and column == Column.CREDIT \
                and customer.credit_status != "good":
            return theme.error_color()
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sorting what is already loaded: balance by its amount, names as people look them up
        (the order of the invoice list)."""
        keys = {
            Column.NAME: lambda c: name_key(c.name),
            Column.BALANCE: lambda c: c.balance,
            Column.CREDIT: lambda c: c.credit_status,
        }
        self.layoutAboutToBeChanged.emit()
        kept = self.persistentIndexList()
        kept_ids = [self._rows[i.row()].id for i in kept]
        self._rows.sort(key=keys[Column(column)],
                        reverse=order == Qt.SortOrder.DescendingOrder)
        where = {c.id: i for i, c in enumerate(self._rows)}
        self.changePersistentIndexList(
            kept, [self.index(where[cid], i.column()) for cid, i in zip(kept_ids, kept,
                                                                         strict=True)])
        self.layoutChanged.emit()

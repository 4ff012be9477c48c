"""A table model for lists of any length (Anki's browser table): it holds the row ids of one
SQL query (filtered and sorted in the database) and fetches rows a page at a time, in the
background, as the view shows them. 100,000 invoices cost 100,000 integers, not objects.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Sequence
from enum import IntEnum
from typing import Any, Generic, Protocol, TypeVar

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)

from desktop_app.domain.errors import PaidUpError
from desktop_app.services.books import Books
from desktop_app.ui.ops import Ops

ROW = Qt.ItemDataRole.UserRole  # the row's dataclass
# The roles a cell answers. Qt asks about a dozen per cell each time it paints (font,
# decoration, check state, size hint…); the others are turned away before any lookup.
ANSWERED_ROLES = frozenset(int(role) for role in (
    Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.TextAlignmentRole,
    Qt.ItemDataRole.ForegroundRole, Qt.ItemDataRole.ToolTipRole, ROW))
_ALIGNMENT = int(Qt.ItemDataRole.TextAlignmentRole)
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
_LEFT = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
_ROW = int(ROW)


class HasId(Protocol):
    id: int


R = TypeVar("R", bound=HasId)
Index = QModelIndex | QPersistentModelIndex


class PagedTableModel(QAbstractTableModel, Generic[R]):
    """Subclasses name the columns, how to get ids and rows, and how a cell reads."""

    columns: type[IntEnum]
    headers: dict[Any, str]
    sort_keys: dict[Any, str]  # column -> the service's sort key; absent = not sortable
    right_aligned: frozenset[Any] = frozenset()

    PAGE = 100
    MAX_PAGES = 60  # rows kept in memory: enough for many screens, bounded for 100,000

    ids_loaded = Signal()  # a new list of ids is in (after a reset)
    rows_loaded = Signal(int)  # a page of rows arrived

    def __init__(self, ops: Ops, sort: str, descending: bool = True,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.ops = ops
        self._column_at = {int(column): column for column in self.columns}
        self.sort_key = sort
        self.descending = descending
        self._ids: list[int] = []
        self._pages: OrderedDict[int, dict[int, R]] = OrderedDict()
        self._asked: set[int] = set()
        self._generation = 0
        self.loading = False

    # -- what subclasses provide -----------------------------------------------------------

    def fetch_ids(self) -> Callable[[Books], list[int]]:
        """A call that returns the ids for the current filters and sort (runs on the worker)."""
        raise NotImplementedError

    def fetch_rows(self, ids: Sequence[int]) -> Callable[[Books], list[R]]:
        raise NotImplementedError

    def cell(self, row: R, column: Any, role: int) -> Any:
        raise NotImplementedError

    # -- loading ---------------------------------------------------------------------------

    def reload(self) -> None:
        """Ask for the ids again (filters, sort or the books changed)."""
        self._generation += 1
        generation = self._generation
        self.loading = True
        self.ops.query(self.fetch_ids(), lambda ids: self._set_ids(generation, ids), owner=self,
                       on_refused=lambda exc: self._failed(generation, exc))

    def _failed(self, generation: int, exc: PaidUpError) -> None:
        if generation == self._generation:
            self.loading = False
            self.ops.show_refusal(exc, None)

    def _set_ids(self, generation: int, ids: list[int]) -> None:
        if generation != self._generation:
            return  # an older query finished after a newer one started
        self.beginResetModel()
        self._ids = ids
        self._pages.clear()
        self._asked.clear()
        self.endResetModel()
        self.loading = False
        self.ids_loaded.emit()

    def _ask(self, page: int) -> None:
        if page in self._asked:
            return
        self._asked.add(page)
        generation = self._generation
        ids = self._ids[page * self.PAGE:(page + 1) * self.PAGE]
        self.ops.query(self.fetch_rows(ids),
                       lambda rows: self._fill(generation, page, rows), owner=self)

    def _fill(self, generation: int, page: int, rows: list[R]) -> None:
        if generation != self._generation:
            return
        self._pages[page] = {r.id: r for r in rows}
        while len(self._pages) > self.MAX_PAGES:
            dropped, _ = self._pages.popitem(last=False)
            self._asked.discard(dropped)
        first = page * self.PAGE
        last = min(first + self.PAGE, len(self._ids)) - 1
        if last >= first:
            self.dataChanged.emit(self.index(first, 0),
                                  self.index(last, self.columnCount() - 1))
        self.rows_loaded.emit(page)

    # -- access ----------------------------------------------------------------------------

    def row_at(self, row: int) -> R | None:
        """The row's data if it is loaded (asking for its page if not)."""
        if not 0 <= row < len(self._ids):
            return None
        page = row // self.PAGE
        rows = self._pages.get(page)
        if rows is None:
            self._ask(page)
            return None
        self._pages.move_to_end(page)
        return rows.get(self._ids[row])

    def id_at(self, row: int) -> int | None:
        return self._ids[row] if 0 <= row < len(self._ids) else None

    def row_of(self, item_id: int) -> int | None:
        try:
            return self._ids.index(item_id)
        except ValueError:
            return None

    @property
    def ids(self) -> list[int]:
        return self._ids

    # -- Qt's model interface ----------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal:
            column = self.columns(section)
            if role == Qt.ItemDataRole.DisplayRole:
                return self.headers[column]
            if role == Qt.ItemDataRole.TextAlignmentRole and column in self.right_aligned:
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        role = int(role)
        if role not in ANSWERED_ROLES or not index.isValid():
            return None
        column = self._column_at[index.column()]
        if role == _ALIGNMENT:
            return _RIGHT if column in self.right_aligned else _LEFT
        row = self.row_at(index.row())
        if row is None:
            return None
        if role == _ROW:
            return row
        return self.cell(row, column, role)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        key = self.sort_keys.get(self.columns(column))
        if key is None:
            return
        descending = order == Qt.SortOrder.DescendingOrder
        if (key, descending) != (self.sort_key, self.descending):
            self.sort_key, self.descending = key, descending
            self.reload()

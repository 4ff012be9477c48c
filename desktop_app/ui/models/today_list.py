"""One group of Today (emails, letters, calls, promises, decisions) as a table whose last
column is the row's one-click action, drawn as a button."""

from __future__ import annotations

from enum import IntEnum
from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QAbstractTableModel,
    QEvent,
    QModelIndex,
    QPersistentModelIndex,
    QRect,
    Qt,
    Signal,
)
from PySide6.QtGui import QMouseEvent, QPainter
from PySide6.QtWidgets import (
    QApplication,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionButton,
    QStyleOptionViewItem,
    QWidget,
)

from desktop_app.services.followup.today import TodayRow
from desktop_app.ui import display, theme
from desktop_app.ui.models.paged import ROW
from desktop_app.ui.translate import N_, NC_, Words, _

Index = QModelIndex | QPersistentModelIndex


class Column(IntEnum):
    CUSTOMER = 0
    INVOICE = 1
    STAGE = 2
    AMOUNT = 3
    LATE = 4
    NOTE = 5
    ACTION = 6


HEADERS = Words({Column.CUSTOMER: N_("Customer"), Column.INVOICE: N_("Invoice"),
                 Column.STAGE: N_("Stage"),
           Column.AMOUNT: N_("Amount"), Column.LATE: N_("Late"), Column.NOTE: "",
           Column.ACTION: ""})
ACTIONS = Words({
    "email": N_("Send"),
    "letter": N_("Print…"),
    "call": N_("Log call…"),
    "task": N_("Done…"),
    "promise": N_("Payment…"),
    "unknown_mail": N_("Decide…"),
    "failed_mail": N_("Decide…"),
    "broken_promise": N_("Review…"),
    "write_off": N_("Write off…"),
    "bank_transfer": N_("Decide…"),
    "quote": N_("Log…"),
    "receipt": NC_("the customer says the invoice arrived", "Received"),
    "credit_review": N_("Review…"),
})
BUSY = Words({"email": N_("Sending…"), "letter": N_("Printing…")})
KIND_WORDS = Words({
    "unknown_mail": N_("Did it arrive?"),
    "failed_mail": N_("Mail refused"),
    "broken_promise": N_("Broken promise"),
    "write_off": N_("Not worth the next step"),
    "bank_transfer": N_("Money received"),
    "task": N_("Task"),
    "receipt": N_("Asked if it arrived"),
    "credit_review": N_("Credit review"),
})
QUOTE_STEPS = Words({"check": N_("Quote: is the price right?"), "call": N_("Quote: call"),
                    "last_day": N_("Quote: note before it runs out")})


def _late(row: TodayRow) -> str:
    if row.kind == "promise":
        if row.days_late < 0:
            return _("due in {days}").format(days=display.days(-row.days_late))
        return _("due today") if row.days_late == 0 else _("{days} ago").format(
            days=display.days(row.days_late))
    if row.kind in ("unknown_mail", "failed_mail", "broken_promise", "bank_transfer",
                    "receipt"):
        return ""
    if row.kind == "credit_review":
        return _("due {days} ago").format(days=display.days(row.days_late)) \
            if row.days_late else _("due today")
    if row.kind == "quote" or (row.kind == "task" and row.task_id is not None):
        return _("waiting {days}").format(
            days=display.days(row.days_late)) if row.days_late else _("since today")
    if row.stage == "invoice":
        return ""
    return display.lateness(row.days_late)


class TodayModel(QAbstractTableModel):
    """The rows of one group, held whole (a day's work is hundreds of rows at most)."""

    def __init__(self) -> None:
        super().__init__()
        self._rows: list[TodayRow] = []
        self._busy: set[TodayRow] = set()

    def set_rows(self, rows: tuple[TodayRow, ...]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self._busy &= set(rows)
        self.endResetModel()

    def rows(self) -> list[TodayRow]:
        return list(self._rows)

    def row_at(self, row: int) -> TodayRow | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def set_busy(self, row: TodayRow, busy: bool) -> None:
        """While a row's action runs its button says so and cannot be pressed twice."""
        (self._busy.add if busy else self._busy.discard)(row)
        if row in self._rows:
            index = self.index(self._rows.index(row), Column.ACTION)
            self.dataChanged.emit(index, index)

    def is_busy(self, row: TodayRow) -> bool:
        return row in self._busy

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(Column)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[Column(section)]
        if role == Qt.ItemDataRole.TextAlignmentRole and section in (Column.AMOUNT,
                                                                      Column.LATE):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        row = self.row_at(index.row()) if index.isValid() else None
        if row is None:
            return None
        column = Column(index.column())
        if role == ROW:
            return row
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(row, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            if column in (Column.NOTE, Column.STAGE) and row.detail:
                return display.note(row.said, row.detail)
            if column == Column.INVOICE and "," in row.numbers:
                return row.numbers
            if column == Column.CUSTOMER:
                return row.customer_name or None
            if column == Column.ACTION:
                return self.action_tip(row)
            return None
        if role == Qt.ItemDataRole.TextAlignmentRole:
            right = column in (Column.AMOUNT, Column.LATE)
            return int((Qt.AlignmentFlag.AlignRight if right else Qt.AlignmentFlag.AlignLeft)
                       | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole:
            if column == Column.LATE and row.days_late > 0 and row.kind != "promise":
                return theme.error_color()
            if column == Column.NOTE:
                return theme.muted_color()
        return None

    def _text(self, row: TodayRow, column: Column) -> str:
        if column == Column.CUSTOMER:
            return row.customer_name or "—"
        if column == Column.INVOICE:
            return row.numbers
        if column == Column.STAGE:
            if row.kind == "quote":
                return QUOTE_STEPS.get(row.stage, _("Quote follow-up"))
            return KIND_WORDS.get(row.kind) or display.stage(row.stage)
        if column == Column.AMOUNT:
            return display.money(row.amount, row.currency) if row.amount else ""
        if column == Column.LATE:
            return _late(row)
        if column == Column.NOTE:
            return display.note(row.said, row.detail)
        return BUSY.get(row.kind, _("Working…")) if row in self._busy else ACTIONS.get(row.kind,
                                                                                    _("Open…"))

    @staticmethod
    def action_tip(row: TodayRow) -> str:
        return {
            "email": _("Send this reminder now (Shift+click: see it first)"),
            "letter": _("Print this letter (Shift+click: see it first)"),
            "call": _("Write down how the call went, and any promise"),
            "task": _("Mark the task as done, with a note"),
            "promise": _("Record the payment that was promised"),
            "unknown_mail": _("Decide whether the message arrived"),
            "failed_mail": _("See why the server refused it, and what to do"),
            "broken_promise": _("Keep the customer on cash only, or lift it"),
            "write_off": _("Write off what is not worth chasing"),
            "bank_transfer": _("Book it, split it, assign it, or mark it as no customer payment"),
            "quote": _("Write down what the customer said about the quote"),
            "receipt": _("The customer confirmed the invoice arrived: record it (today, by "
                         "the billing contact)"),
            "credit_review": _("Open the customer's credit application: references, "
                               "documents and a new decision"),
        }.get(row.kind, "")


class ActionDelegate(QStyledItemDelegate):
    """Draws the action column as a push button; a click on it emits ``clicked``."""

    clicked = Signal(object, object)  # TodayRow, Qt.KeyboardModifiers
    MARGIN = 3

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._pressed: QPersistentModelIndex | None = None

    def _button(self, option: QStyleOptionViewItem, index: Index) -> QStyleOptionButton:
        button = QStyleOptionButton()
        button.rect = option.rect.adjusted(self.MARGIN, self.MARGIN - 1, -self.MARGIN,
                                           -self.MARGIN + 1)
        button.text = str(index.data(Qt.ItemDataRole.DisplayRole) or "")
        model = index.model()
        row = index.data(ROW)
        busy = isinstance(model, TodayModel) and row is not None and model.is_busy(row)
        button.state = QStyle.StateFlag.State_Raised
        if not busy:
            button.state |= QStyle.StateFlag.State_Enabled
        if self._pressed is not None and QModelIndex(self._pressed) == index:
            button.state |= QStyle.StateFlag.State_Sunken
        button.palette = option.palette
        button.fontMetrics = option.fontMetrics
        return button

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        widget = option.widget  # type: ignore[attr-defined]
        style = widget.style() if widget is not None else QApplication.style()
        if option.state & QStyle.StateFlag.State_Selected:  # type: ignore[attr-defined]
            painter.fillRect(option.rect, option.palette.highlight())  # type: ignore[attr-defined]
        style.drawControl(QStyle.ControlElement.CE_PushButton, self._button(option, index),
                          painter, widget)

    def editorEvent(self, event: QEvent, model: QAbstractItemModel,
                    option: QStyleOptionViewItem, index: Index) -> bool:
        if not isinstance(event, QMouseEvent) or event.button() != Qt.MouseButton.LeftButton:
            return False
        button = self._button(option, index)
        rect = QRect(button.rect)  # a copy: the option's own rect dies with the option
        inside = rect.contains(event.position().toPoint())
        if event.type() == QEvent.Type.MouseButtonPress and inside:
            self._pressed = QPersistentModelIndex(index)
            return True
        if event.type() == QEvent.Type.MouseButtonRelease:
            was = self._pressed
            self._pressed = None
            if was is not None and QModelIndex(was) == index and inside:
                row = index.data(ROW)
                if isinstance(model, TodayModel) and row is not None \
                        and not model.is_busy(row):
                    self.clicked.emit(row, event.modifiers())
                return True
        return False

"""The Retainers section of a customer's page: what recurs, what is coming, and its buttons.

What a retainer allows (price, pause, resume, end) comes with it from the service.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop_app.domain.errors import PaidUpError
from desktop_app.services import retainers
from desktop_app.services.retainers import RetainerView
from desktop_app.ui import display
from desktop_app.ui.context import Context
from desktop_app.ui.dialogs.retainer_form import (
    EndRetainerForm,
    PriceRetainerForm,
    RetainerForm,
)
from desktop_app.ui.flow_layout import FlowLayout
from desktop_app.ui.translate import N_, Words, _
from desktop_app.ui.widgets import ErrorLabel, NoteLabel

EVERY = Words({"month": N_("Monthly"), "quarter": N_("Quarterly"), "year": N_("Yearly")})
STATUS = Words({"active": N_("Active"), "paused": N_("Paused"), "ended": N_("Ended")})


def period_name(every: str, start: date) -> str:
    """March 2026, Q2 2026, 2027: a period as people name it."""
    if every == "month":
        return display.month(start)
    if every == "quarter":
        return _("Q{value} {year}").format(value=(start.month - 1) // 3 + 1, year=start.year)
    return str(start.year)


def coming_text(view: RetainerView) -> str:
    """The next invoices as one line a person reads: which period, when, how much."""
    if not view.coming:
        return {"paused": _("{title}: paused; nothing is invoiced until it is resumed.").format(
                            title=view.title),
                "ended": _("{title}: ended; nothing more is invoiced.").format(
                           title=view.title)}.get(view.status, "")
    parts = [_("{period_name} on {day}, {money}").format(
               period_name=period_name(view.every,
                                       p.period_start), day=display.day(p.issue_on),
                                       money=display.money(p.total,
                                                           view.currency)) for p in view.coming]
    return _("{title}, coming: ").format(title=view.title) + "; ".join(parts) + "."


class RetainersSection(QWidget):
    """One customer's retainers; the page hands it the customer and the retainers."""

    def __init__(self, ctx: Context, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.customer: tuple[int, str] | None = None
        self.rows: list[RetainerView] = []
        self.table = QTableWidget(0, 5)
        self.table.setHorizontalHeaderLabels((_("Retainer"), _("Every"), _("Next invoice"),
                                              _("Amount"),
                                              _("Status")))
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.none = NoteLabel(_("No retainers: add one to invoice the same amount every month, "
                              "quarter or year."))
        self.coming = NoteLabel()
        self.coming.setWordWrap(True)
        self.error = ErrorLabel()
        self.add = QPushButton(_("New retainer…"))
        self.price = QPushButton(_("Price…"))
        self.price.setToolTip(_("A new price from a day on; what was invoiced keeps its price"))
        self.pause = QPushButton(_("Pause"))
        self.pause.setToolTip(_("No invoice for the periods whose day falls in the pause"))
        self.resume = QPushButton(_("Resume"))
        self.end = QPushButton(_("End…"))
        self.add.clicked.connect(self.new_retainer)
        self.price.clicked.connect(self.price_retainer)
        self.pause.clicked.connect(lambda: self._act("pause"))
        self.resume.clicked.connect(lambda: self._act("resume"))
        self.end.clicked.connect(self.end_retainer)
        buttons = FlowLayout()
        for button in (self.add, self.price, self.pause, self.resume, self.end):
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table)
        layout.addWidget(self.none)
        layout.addWidget(self.coming)
        layout.addWidget(self.error)
        layout.addLayout(buttons)
        self._update_buttons()

    def show_retainers(self, customer_id: int, customer_name: str,
                       rows: list[RetainerView]) -> None:
        keep = self.selected()
        self.customer = (customer_id, customer_name)
        self.rows = rows
        self.error.say("")
        self.table.setRowCount(len(rows))
        for r, view in enumerate(rows):
            nxt = view.coming[0] if view.coming else None
            amount = QTableWidgetItem(display.money(nxt.total, view.currency) if nxt else "—")
            amount.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            cells = (view.title, EVERY.get(view.every, view.every),
                     display.day(nxt.issue_on) if nxt else "—", None,
                     STATUS.get(view.status, view.status))
            for col, word in enumerate(cells):
                self.table.setItem(r, col, amount if word is None else QTableWidgetItem(word))
        self.table.setVisible(bool(rows))
        self.table.setFixedHeight(self.table.horizontalHeader().sizeHint().height()
                                  + sum(self.table.rowHeight(r) for r in range(len(rows)))
                                  + 2 * self.table.frameWidth())
        self.none.setVisible(not rows)
        self.coming.setText("\n".join(t for t in (coming_text(v) for v in rows) if t))
        self.coming.setVisible(bool(rows))
        index = next((i for i, v in enumerate(rows) if keep and v.id == keep.id),
                     0 if rows else None)
        if index is not None:
            self.table.selectRow(index)
        self._update_buttons()

    def selected(self) -> RetainerView | None:
        picked = self.table.selectionModel().selectedRows() if self.rows else []
        return self.rows[picked[0].row()] if picked else None

    def _update_buttons(self) -> None:
        view = self.selected()
        allowed = view.allowed_actions if view else ()
        self.add.setEnabled(self.customer is not None)
        self.price.setEnabled("price" in allowed)
        self.pause.setEnabled("pause" in allowed)
        self.resume.setEnabled("resume" in allowed)
        self.end.setEnabled("end" in allowed)

    def new_retainer(self) -> None:
        if self.customer is not None:
            RetainerForm(self.ctx, *self.customer, self._saved).open()

    def price_retainer(self) -> None:
        view = self.selected()
        if view is not None:
            PriceRetainerForm(self.ctx, view, self._priced).open()

    def _priced(self, view: RetainerView) -> None:
        nxt = view.coming[0] if view.coming else None
        self.ctx.say(_("Retainer “{title}”: the next invoice, on {day}, is {money}.").format(
                       title=view.title, day=display.day(nxt.issue_on),
                       money=display.money(nxt.total, view.currency)) if nxt else
                     _("Retainer “{title}”: new price set.").format(title=view.title))

    def end_retainer(self) -> None:
        view = self.selected()
        if view is not None:
            EndRetainerForm(self.ctx, view.id, view.title, self._saved).open()

    def _act(self, action: str) -> None:
        view = self.selected()
        if view is None:
            return
        do = {"pause": retainers.pause_retainer, "resume": retainers.resume_retainer}[action]
        retainer_id, day = view.id, self.ctx.today()
        self.ctx.ops.change(lambda books: do(books, retainer_id, day), self._saved,
                            on_refused=self._refused, owner=self)

    def _saved(self, view: Any) -> None:
        self.ctx.say(_("Retainer “{title}”: {lower}").format(
                       title=view.title, lower=STATUS.get(view.status, view.status).lower()))

    def _refused(self, exc: PaidUpError) -> None:
        self.error.say(display.refusal(exc))

"""The outbox: what waits to go out, what the server refused, what may not have arrived, and
what was sent; each message opens with its choices."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from desktop_app.services import outbox
from desktop_app.services.outbox import OutboxView
from desktop_app.ui import display, theme
from desktop_app.ui.context import Context
from desktop_app.ui.dialogs.message import MessageDialog
from desktop_app.ui.ops import Changes
from desktop_app.ui.translate import N_, Words, _
from desktop_app.ui.widgets import NoteLabel, fit_to_screen

WAITING = ("queued", "retrying", "sending", "failed", "unknown")
STATES = Words({
    "queued": N_("Waiting"),
    "retrying": N_("Waiting (offline)"),
    "sending": N_("Sending"),
    "failed": N_("Refused"),
    "unknown": N_("Did it arrive?"),
    "sent": N_("Sent"),
})


class OutboxDialog(QDialog):
    def __init__(self, ctx: Context, send_now: Callable[[], None],
                 open_mail_settings: Callable[[], None]) -> None:
        super().__init__(ctx.window)
        self.ctx, self.open_mail_settings = ctx, open_mail_settings
        self.setWindowTitle(_("Outbox"))
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.messages: list[OutboxView] = []
        self.intro = NoteLabel(_("Mail goes out from here. What cannot reach the server waits and "
                               "goes out by itself when the connection is back."))
        self.show_sent = QCheckBox(_("Show sent mail too"))
        self.show_sent.toggled.connect(lambda _on: self.refresh())
        self.table = QTableWidget(0, 5)
        self.table.setHorizontalHeaderLabels((_("State"), _("Subject"), _("To"), _("Tries"),
                                              _("Last word")))
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        for column, width in ((0, 130), (2, 200), (3, 50), (4, 260)):
            header.resizeSection(column, width)
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.cellDoubleClicked.connect(lambda row, _col: self.open_message(row))
        self.empty = NoteLabel("")
        self.open_button = QPushButton(_("Open…"))
        self.open_button.clicked.connect(lambda: self.open_message(self.table.currentRow()))
        self.send = QPushButton(_("Send what waits now"))
        self.send.setToolTip(_("Try the mail server now instead of waiting for the next round"))
        self.send.clicked.connect(send_now)
        close = QPushButton(_("Close"))
        close.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.show_sent)
        buttons.addStretch(1)
        buttons.addWidget(self.open_button)
        buttons.addWidget(self.send)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty, 1, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(buttons)
        fit_to_screen(self, 900, 480, ctx.window)
        ctx.ops.changed.connect(self._changed)
        self.refresh()

    def _changed(self, changes: Changes) -> None:
        if changes & (Changes.OUTBOX | Changes.FOLLOWUP):
            self.refresh()

    def refresh(self) -> None:
        states = None if self.show_sent.isChecked() else list(WAITING)
        self.ctx.ops.query(lambda books: outbox.list_outbox(books, states), self._show,
                           owner=self)

    def _show(self, messages: list[OutboxView]) -> None:
        self.messages = messages
        self.table.setRowCount(len(messages))
        for r, m in enumerate(messages):
            last = m.last_error if m.state != "sent" else (
                _("sent {day}").format(day=display.day(m.sent_at.date())) if m.sent_at
                else _("sent"))
            cells = (STATES.get(m.state, m.state), m.subject, ", ".join(m.recipients),
                     str(m.attempts), last)
            for c, value in enumerate(cells):
                item = QTableWidgetItem(value)
                if c == 4 and value:
                    item.setToolTip(value)
                if c == 0 and m.state in ("failed", "unknown"):
                    item.setForeground(theme.error_color())
                self.table.setItem(r, c, item)
        self.table.setVisible(bool(messages))
        self.empty.setVisible(not messages)
        if not messages:
            self.ctx.ops.query(outbox.counts, self._say_empty, owner=self)
        self.open_button.setEnabled(bool(messages))
        self.send.setEnabled(any(m.state in ("queued", "retrying") for m in messages))

    def _say_empty(self, counts: dict[str, int]) -> None:
        self.empty.setText(_("The outbox is empty: everything went out.") if counts.get("sent")
                           else _("Nothing has been sent yet. Emails you send from Today or "
                                "from an invoice appear here until they have gone out."))

    def open_message(self, row: int) -> None:
        if 0 <= row < len(self.messages):
            MessageDialog(self.ctx, self.messages[row], self.open_mail_settings).open()

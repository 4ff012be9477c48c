"""Asking the user what to do when another computer has the books open, and telling them
when another computer takes the books over while this window is open."""

from __future__ import annotations

import queue
from pathlib import Path

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtWidgets import QMessageBox, QWidget

from desktop_app.services.books_lock import BooksInUse, BooksLock, Holder, lock_books
from desktop_app.ui.translate import N_, _

TITLE = N_("PaidUp: books open on another computer")
POLL_MS = 2000  # how often the window looks at what the lock's heartbeat saw


def ask_to_take_over(refusal: BooksInUse, parent: QWidget | None = None) -> bool:
    """The who/where/since of the other opening, and the user's choice: True to open anyway."""
    holder = refusal.holder
    since = holder.since.astimezone().strftime("%Y-%m-%d %H:%M")
    seen = holder.heartbeat.astimezone().strftime("%H:%M")
    box = QMessageBox(
        QMessageBox.Icon.Warning, _(TITLE),
        _("These books are open on the computer “{host}” by {user}, since {since} (last seen at "
          "{seen}).").format(host=holder.host, user=holder.user, since=since, seen=seen),
        parent=parent,
    )
    box.setInformativeText(
        _("{location}\n\nWorking on the books from two computers at once can damage them. Close "
          "PaidUp on that computer first if you can. Open them here anyway only if nobody is "
          "working on them there (for example, that computer was switched off with PaidUp "
          "open).").format(location=refusal.location)
    )
    open_anyway = box.addButton(_("Open here anyway"), QMessageBox.ButtonRole.DestructiveRole)
    leave = box.addButton(_("Quit"), QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(leave)
    box.setEscapeButton(leave)
    box.exec()
    return box.clickedButton() is open_anyway


def claim_books(target: str | Path | None, parent: QWidget | None = None) -> BooksLock | None:
    """The lock on the books, or None when the user chose to leave them to the other computer."""
    try:
        return lock_books(target)
    except BooksInUse as refusal:
        if not ask_to_take_over(refusal, parent):
            return None
        return lock_books(target, take_over=True)


class TakeOverWatch(QObject):
    """Renews the lock and warns, on the window's thread, if another computer took over.

    The heartbeat thread makes no Qt call (PySide6 6.12 miscounts references when Qt is
    called from other threads, see ``ui/ops.py``): it leaves what it saw in a queue that a
    timer on the window's thread looks at.
    """

    def __init__(self, lock: BooksLock, window: QWidget) -> None:
        super().__init__(window)
        self._window = window
        self._seen: queue.SimpleQueue[Holder] = queue.SimpleQueue()
        self._timer = QTimer(self)
        self._timer.setInterval(POLL_MS)
        self._timer.timeout.connect(self._look)
        self._timer.start()
        lock.keep_alive(self._seen.put)

    def _look(self) -> None:
        try:
            holder = self._seen.get_nowait()
        except queue.Empty:
            return
        self._timer.stop()
        self._warn(_("{user} on the computer {host!r}").format(user=holder.user, host=holder.host))

    def _warn(self, who: str) -> None:
        box = QMessageBox(
            QMessageBox.Icon.Warning, _(TITLE),
            _("{who} has taken these books over. Close PaidUp here now: what you change from two "
              "computers at once can damage the books.").format(who=who),
            parent=self._window,
        )
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()  # not exec(): the window keeps running while the warning is up

"""What every page gets from the window, and what the window expects of a page."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from PySide6.QtCore import QSettings, Signal
from PySide6.QtWidgets import QWidget

from desktop_app.ui.ops import Changes, Ops


@dataclass
class Context:
    """The parts of the window a page may use (TagStudio: pass only what is needed)."""

    ops: Ops
    today: Callable[[], date]
    window: QWidget  # parent for dialogs
    show_pdf: Callable[[bytes, str, str], None]  # pdf, title, file name
    go: Callable[..., None]  # go(page_key, **what_to_show)
    say: Callable[[str], None]  # a line in the status bar
    settings: QSettings  # the window's own preferences (never a secret)
    # send what the outbox holds now; the callback gets the round's SendReport, unless the
    # widget given is gone by then
    send_mail: Callable[[Callable[[Any], None], QWidget | None], None]


class Page(QWidget):
    """A sidebar page. It loads when first shown and again when a change concerns it."""

    key = ""
    watches = Changes.NONE
    actions_changed = Signal()  # selection moved: the window re-checks which actions apply

    def __init__(self, ctx: Context, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._stale = True

    def shown(self) -> None:
        """The page became the current one."""
        if self._stale:
            self._stale = False
            self.refresh()

    def on_changed(self, changes: Changes) -> None:
        if changes & self.watches:
            self._stale = True
            if self.isVisible():
                self.shown()

    def refresh(self) -> None:
        """Load (again) what the page shows."""

    def focus_search(self) -> bool:
        return False

    def show_item(self, **what: Any) -> None:
        """Show a particular item (the window's go(page, ...))."""

    def can(self, action: str) -> bool:
        """Whether a window-level action (new_invoice, record_payment, print, ...) applies."""
        return False

    def do(self, action: str) -> None:
        """Carry out a window-level action for what is selected on this page."""

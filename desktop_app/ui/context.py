"""What every page and dialog gets from the window."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QWidget

from desktop_app.ui.ops import Ops


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
    # the last action, if Edit › Undo can take it back (services.undo.Undoable)
    offer_undo: Callable[[Any], None] = lambda _undoable: None

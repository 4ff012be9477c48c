"""The log file, and what the user sees when something unexpected breaks: a short apology and
where the details are, never a traceback."""

from __future__ import annotations

import logging
import sys
import threading
import traceback
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox

from desktop_app import paths
from desktop_app.logs import log_to
from desktop_app.ui.translate import _

log = logging.getLogger("paidup")
LOG_NAME = "paidup.log"


def setup_logging() -> Path:
    """Log to a rotating file in the user's log folder; returns its path."""
    return log_to(paths.log_dir() / LOG_NAME)


def log_path() -> Path:
    return paths.log_dir() / LOG_NAME


class CrashReporter:
    """Logs an unexpected exception and tells the user once, politely, where the log is."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._showing = False
        self._box: QMessageBox | None = None

    def __call__(self, exc: BaseException) -> None:
        trace = getattr(exc, "__paidup_trace__", None) or "".join(
            traceback.format_exception(type(exc), exc, exc.__traceback__))
        log.error("Unexpected error:\n%s", trace)
        self.apologise()

    def excepthook(self, exc_type: type[BaseException], exc: BaseException,
                   tb: TracebackType | None) -> None:
        if issubclass(exc_type, KeyboardInterrupt):
            sys.__excepthook__(exc_type, exc, tb)
            return
        log.error("Unexpected error:\n%s",
                  "".join(traceback.format_exception(exc_type, exc, tb)))
        self.apologise()

    def thread_hook(self, args: threading.ExceptHookArgs) -> None:
        """Another thread may only log: widgets belong to the UI thread. (Work started through
        ops.Ops never gets here; it reports its failures to the UI thread itself.)"""
        if args.exc_value is not None:
            log.error("Unexpected error in thread %s:\n%s",
                      args.thread.name if args.thread else "?",
                      "".join(traceback.format_exception(args.exc_type, args.exc_value,
                                                         args.exc_traceback)))

    def apologise(self) -> None:
        if self._showing or QApplication.instance() is None:
            return
        self._showing = True
        box = QMessageBox(QMessageBox.Icon.Warning, "PaidUp",
                          _("Sorry, something went wrong that PaidUp did not expect."))
        box.setInformativeText(
            _("Your books are safe: every change is saved whole or not at all. The details were "
              "written to:\n{path}\n\nPlease send that file to whoever supports PaidUp for "
              "you.").format(path=self.path))
        box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        box.finished.connect(self._closed)
        self._box = box  # a parentless box lives as long as something holds it
        box.open()

    def _closed(self) -> None:
        self._showing = False
        self._box = None

    def install(self) -> None:
        sys.excepthook = self.excepthook
        threading.excepthook = self.thread_hook

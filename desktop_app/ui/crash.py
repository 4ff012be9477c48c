"""The log file, and what the user sees when something unexpected breaks: a short apology,
where the details are and a diagnostics file to save and pass on, never a traceback. Python's
fault handler and Qt's own warnings write to the same log; nothing is ever sent by itself."""

from __future__ import annotations

import logging
import sys
import threading
import traceback
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import (
    QMessageLogContext,
    QStandardPaths,
    Qt,
    QtMsgType,
    qInstallMessageHandler,
)
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox

from desktop_app import paths
from desktop_app.clock import system_today
from desktop_app.logs import log_to, trace_faults_to
from desktop_app.ui.translate import _

log = logging.getLogger("paidup")
qt_log = logging.getLogger("paidup.qt")
LOG_NAME = "paidup.log"
QT_LEVELS = {QtMsgType.QtDebugMsg: logging.DEBUG, QtMsgType.QtInfoMsg: logging.INFO,
             QtMsgType.QtWarningMsg: logging.WARNING, QtMsgType.QtCriticalMsg: logging.ERROR,
             QtMsgType.QtFatalMsg: logging.CRITICAL}


def qt_message(kind: QtMsgType, context: QMessageLogContext, message: str) -> None:
    """Qt's warnings (a missing platform plugin, a font it cannot load) go to the log, where
    support looks, instead of a console the Windows and macOS programs do not have."""
    where = f" ({context.category})" if context.category and context.category != "default" \
        else ""
    qt_log.log(QT_LEVELS.get(kind, logging.WARNING), "%s%s", message, where)


def setup_logging() -> Path:
    """Log to a rotating file in the user's log folder, with Python's fault handler and Qt's
    messages; returns its path."""
    path = log_to(paths.log_dir() / LOG_NAME)
    trace_faults_to(path)
    qInstallMessageHandler(qt_message)
    return path


def log_path() -> Path:
    return paths.log_dir() / LOG_NAME


class CrashReporter:
    """Logs an unexpected exception and tells the user once, politely, where the log is."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._showing = False
        self._box: QMessageBox | None = None
        self._note: QMessageBox | None = None

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
              "written to:\n{path}\n\nTo get help, save a diagnostics file and pass it on to "
              "whoever supports PaidUp for you. It holds no password, and PaidUp sends nothing "
              "by itself.").format(path=self.path))
        box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.save_button = box.addButton(_("Save diagnostics…"),
                                         QMessageBox.ButtonRole.ActionRole)
        self.save_button.clicked.connect(self.ask_and_save)
        box.addButton(QMessageBox.StandardButton.Close)
        box.finished.connect(self._closed)
        self._box = box  # a parentless box lives as long as something holds it
        box.open()

    def ask_and_save(self) -> None:
        folder = QStandardPaths.writableLocation(
            QStandardPaths.StandardLocation.DocumentsLocation)
        suggested = str(Path(folder) / f"PaidUp-diagnostics-{system_today().isoformat()}.txt")
        target, _filter = QFileDialog.getSaveFileName(None, _("Save diagnostics"), suggested,
                                                      _("Text files (*.txt)"))
        if not target:
            return
        from desktop_app.ui.diagnose import write_diagnostics_file  # the keyring: only now

        try:
            saved = write_diagnostics_file(target, self.path)
        except OSError as exc:
            self._tell(QMessageBox.Icon.Warning, _("The file could not be saved: {reason}").format(
                reason=exc.strerror))
            return
        log.info("Diagnostics saved to %s", saved)
        self._tell(QMessageBox.Icon.Information, _(
            "Saved to {path}. Nothing was sent: pass the file on to whoever supports PaidUp "
            "for you.").format(path=saved))

    def _tell(self, icon: QMessageBox.Icon, text: str) -> None:
        box = QMessageBox(icon, "PaidUp", text)
        box.finished.connect(lambda _result: setattr(self, "_note", None))
        self._note = box
        box.open()

    def _closed(self) -> None:
        self._showing = False
        self._box = None

    def install(self) -> None:
        sys.excepthook = self.excepthook
        threading.excepthook = self.thread_hook

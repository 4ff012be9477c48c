"""A crash leaves a trace: Python's fault handler and Qt's warnings in the log, and a
diagnostics file the user saves from the crash dialog, with no secret in it."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from pathlib import Path

from PySide6.QtCore import qWarning
from PySide6.QtWidgets import QFileDialog, QMessageBox

from desktop_app.services import mail
from desktop_app.ui.crash import CrashReporter, log_path, setup_logging
from tests.ui.conftest import find_dialog

ROOT = Path(__file__).resolve().parents[2]
SECRET = "Tr0ub4dor&3-never-shown"
CRASH = """
import faulthandler
from desktop_app.ui.crash import setup_logging
setup_logging()
faulthandler._sigsegv()
"""


def flushed_log() -> str:
    for handler in logging.getLogger().handlers:
        handler.flush()
    return log_path().read_text(encoding="utf-8")


def test_a_hard_crash_leaves_the_python_stack_in_the_log():
    done = subprocess.run([sys.executable, "-c", CRASH], cwd=ROOT, capture_output=True,
                          env={**os.environ, "QT_QPA_PLATFORM": "offscreen"}, timeout=60,
                          check=False)
    assert done.returncode != 0
    logged = log_path().read_text(encoding="utf-8")
    assert "Fatal Python error: Segmentation fault" in logged
    assert 'File "<string>", line 5 in <module>' in logged


def test_qt_warnings_go_to_the_log(qapp):
    setup_logging()
    qWarning("QFont: the probe font could not be loaded")
    assert "WARNING paidup.qt: QFont: the probe font could not be loaded" in flushed_log()


def test_the_crash_dialog_saves_one_diagnostics_file_without_secrets(
        qtbot, window, ready_books, memory_keyring, tmp_path, monkeypatch):
    setup_logging()
    mail.set_account(ready_books, password=SECRET, preset="gmx",
                     from_address="billing@lindenhof.example")
    logging.getLogger("paidup").info(
        "opened postgresql://paidup:%s@db.lindenhof.example/books", SECRET)
    target = tmp_path / "for-support.txt"
    asked: list[str] = []

    def save_as(_parent, _title, suggested, _filter):
        asked.append(suggested)
        return str(target), ""

    monkeypatch.setattr(QFileDialog, "getSaveFileName", save_as)
    reporter = CrashReporter(log_path())
    try:
        raise KeyError("a bug, not a refusal")
    except KeyError as exc:
        reporter(exc)
    box = find_dialog(qtbot, QMessageBox)
    save = next(b for b in box.buttons() if b.text() == "Save diagnostics…")
    assert "sends nothing" in box.informativeText()
    save.click()
    qtbot.waitUntil(target.exists, timeout=5_000)
    assert asked and asked[0].endswith(".txt") and "PaidUp-diagnostics-" in asked[0]
    saved = target.read_text(encoding="utf-8")
    assert "KeyError: 'a bug, not a refusal'" in saved  # the log's end
    assert "keyring:" in saved and "qt:" in saved  # what --diagnose tells
    assert "postgresql://paidup:***@db.lindenhof.example" in saved
    assert list(memory_keyring.entries.values()) == [SECRET]
    assert SECRET not in saved
    assert oct(target.stat().st_mode & 0o777) == "0o600"
    note = qtbot.waitUntil(lambda: reporter._note is not None, timeout=5_000) or reporter._note
    assert "Nothing was sent" in note.text()
    note.close()

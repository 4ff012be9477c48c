"""What the user sees when another computer has the books open, driven through the dialog."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from desktop_app.services import books_lock
from desktop_app.services.books_lock import Here, lock_books
from desktop_app.storage import lock_file
from desktop_app.ui.books_in_use import TakeOverWatch, claim_books

OTHER = Here(host="front-desk", user="carla", pid=31)


def answer_with(button_text: str, seen: list[str]) -> None:
    """When the dialog is up, note its text and press the named button."""
    def press() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(20, press)
            return
        seen.append(f"{box.text()}\n{box.informativeText()}")
        next(b for b in box.buttons() if b.text() == button_text).click()

    QTimer.singleShot(0, press)


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "books.sqlite3"
    lock_books(path, here=OTHER)
    return path


def holder_host(db) -> str:
    return json.loads(lock_file.lock_path(db).read_text("utf-8"))["host"]


def test_quit_leaves_the_books_to_the_other_computer(qtbot, db):
    seen: list[str] = []
    answer_with("Quit", seen)
    assert claim_books(db) is None
    assert "computer \u201cfront-desk\u201d by carla" in seen[0] and str(db) in seen[0]
    assert holder_host(db) == "front-desk"


def test_open_anyway_takes_the_books_over(qtbot, db):
    seen: list[str] = []
    answer_with("Open here anyway", seen)
    lock = claim_books(db)
    assert lock is not None and len(seen) == 1
    assert holder_host(db) == Here().host
    lock.release()


def test_no_question_when_nobody_else_has_them(qtbot, tmp_path):
    lock = claim_books(tmp_path / "fresh.sqlite3")
    assert lock is not None
    assert QApplication.activeModalWidget() is None
    lock.release()


def test_the_window_warns_when_another_computer_takes_over(qtbot, tmp_path, monkeypatch):
    monkeypatch.setattr(books_lock, "HEARTBEAT", timedelta(milliseconds=20))
    db = tmp_path / "books.sqlite3"
    window = QWidget()
    qtbot.addWidget(window)
    lock = lock_books(db)
    TakeOverWatch(lock, window)
    lock_books(db, here=OTHER, take_over=True)

    def warned() -> bool:
        boxes = [w for w in QApplication.topLevelWidgets()
                 if isinstance(w, QMessageBox) and w.isVisible()]
        return any("carla on the computer 'front-desk'" in box.text() for box in boxes)

    try:
        qtbot.waitUntil(warned, timeout=30_000)
    finally:
        lock.release()

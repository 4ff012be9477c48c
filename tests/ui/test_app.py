"""Starting the window: which books it opens, and opening other books without a restart."""

import argparse
from pathlib import Path

import shiboken6
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from desktop_app.services import backups, company, customers
from desktop_app.services.books import open_books
from desktop_app.services.books_lock import lock_books
from desktop_app.storage.lock_file import lock_path
from desktop_app.ui.app import Reopener, books_target, open_or_explain, parse_args
from desktop_app.ui.main_window import MainWindow
from desktop_app.ui.window_state import DB_TARGET_KEY, window_settings
from tests.support.books import fixed_clock, make_ready
from tests.support.damage import damage
from tests.ui.conftest import settle


def test_db_argument_then_environment_then_settings(monkeypatch):
    settings = window_settings()
    settings.setValue(DB_TARGET_KEY, "/books/from-settings.sqlite3")
    assert books_target(parse_args([]), settings) == "/books/from-settings.sqlite3"
    monkeypatch.setenv("PAIDUP_DB", "/books/from-env.sqlite3")
    assert books_target(parse_args([]), settings) == "/books/from-env.sqlite3"
    assert books_target(parse_args(["--db", "/books/given.sqlite3"]), settings) \
        == "/books/given.sqlite3"
    settings.remove(DB_TARGET_KEY)
    monkeypatch.delenv("PAIDUP_DB")
    assert books_target(argparse.Namespace(db=None), settings) is None


def test_screenshot_arguments():
    args = parse_args(["--screenshot", "out.png", "--page", "payments"])
    assert (str(args.screenshot), args.page) == ("out.png", "payments")


def test_open_other_books_now(qtbot, ready_books, tmp_path, crashes):
    # Not through the window fixture: the window that gives way is deleted.
    window = MainWindow(ready_books, window_settings(), on_crash=crashes.append,
                        first_run=False)
    window.show()
    settle(window)
    other = tmp_path / "other.sqlite3"
    books = open_books(other, actor="tester", clock=fixed_clock)
    make_ready(books)
    company.set_company(books, name="Other Books Ltd")
    books.close()
    first_lock = lock_books(ready_books.location)
    reopener = Reopener(window, crashes.append, first_lock)
    window.go("settings", section="The books")
    section = window.pages["settings"].database
    section.local.setChecked(True)
    section.file.setText(str(other))
    section.open_now()
    qtbot.waitUntil(lambda: reopener.window is not window, timeout=20_000)
    new = reopener.window
    qtbot.addWidget(new)
    settle(new)
    assert new.books_label.text() == f"Books: {other.stem}"
    qtbot.waitUntil(lambda: not shiboken6.isValid(window), timeout=10_000)
    assert window_settings().value(DB_TARGET_KEY) == str(other)
    # The lock went along: on the books now open, no longer on the others.
    assert lock_path(other).exists()
    assert not lock_path(Path(ready_books.location)).exists()
    new.go("settings", section="Company")
    qtbot.waitUntil(lambda: new.pages["settings"].company.name.text() == "Other Books Ltd",
                    timeout=10_000)
    new.close()
    QApplication.processEvents()


def test_damaged_books_offer_their_newest_good_backup(qtbot, tmp_path, monkeypatch):
    """At start the window cannot open damaged books; it says so and restores the newest
    good automatic copy with one click, keeping the damaged file aside."""
    book = tmp_path / "books.sqlite3"
    books = make_ready(open_books(book, actor="tester", clock=fixed_clock))
    backups.backup_now(books)
    books.close()
    damage(book)
    answers = []

    def answer() -> None:
        box = next(w for w in QApplication.topLevelWidgets()
                   if isinstance(w, QMessageBox) and w.isVisible())
        answers.append(box.informativeText() or box.text())
        restore = [b for b in box.buttons() if b.text().startswith("Restore the backup")]
        (restore[0] if restore else box.buttons()[0]).click()
        if len(answers) < 2:
            QTimer.singleShot(200, answer)

    QTimer.singleShot(200, answer)
    opened = open_or_explain(str(book), window_settings())
    assert opened is not None
    assert "are damaged" in answers[0]
    assert "restored from books-" in answers[1]
    assert [c.name for c in customers.list_customers(opened)] == ["Müller & <Söhne>"]
    opened.close()
    assert list(tmp_path.glob("books.sqlite3.damaged-*"))

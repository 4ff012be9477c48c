"""The frame: pages, remembered state, shortcuts in tooltips, status line, screenshots,
refusals with no field, unexpected errors and cancellable long work."""

import gc
import logging
import shutil
import sqlite3
import subprocess
import sys
import threading
import time

import pytest
from PIL import Image
from PySide6.QtCore import QSettings
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QMessageBox

from desktop_app.domain.errors import RuleViolation
from desktop_app.services import customers
from desktop_app.services.books import open_books
from desktop_app.services.outbox import OutboxStatus
from desktop_app.storage import database
from desktop_app.ui.crash import CrashReporter, log_path, setup_logging
from desktop_app.ui.main_window import PAGE_TITLES, PAGES
from desktop_app.ui.ops import Progress
from desktop_app.ui.window_state import window_settings
from tests.support.books import fixed_clock, make_ready
from tests.ui.conftest import TODAY, find_dialog, settle


def distinct_colours(image: QImage) -> int:
    grey = image.convertToFormat(QImage.Format.Format_RGB888)
    picture = Image.frombuffer("RGB", (grey.width(), grey.height()), bytes(grey.constBits()),
                               "raw", "RGB", grey.bytesPerLine(), 1)
    return len(picture.getcolors(maxcolors=1 << 20) or [])


def test_every_page_renders_something_to_see(qtbot, open_window, demo_books):
    window = open_window(demo_books)
    window.resize(1280, 800)
    for key in PAGES:
        window.go(key)
        settle(window)
        image = window.grab().toImage()
        assert (image.width(), image.height()) == (1280, 800)
        # Text, lines and a selection: far more than the few colours of an empty frame.
        assert distinct_colours(image) > 40, key


def test_paidup_screenshot_renders_a_page_and_exits(demo_file, books_file, tmp_path):
    shutil.copyfile(demo_file, books_file)
    target = tmp_path / "window-invoices.png"
    done = subprocess.run(
        [sys.executable, "-m", "desktop_app.ui.app", "--db", str(books_file),
         "--as-of", TODAY.isoformat(), "--screenshot", str(target), "--page", "invoices"],
        capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    image = QImage(str(target))
    assert (image.width(), image.height()) == (1280, 800)
    assert distinct_colours(image) > 40


def test_size_position_and_last_page_are_remembered(qtbot, open_window, ready_books,
                                                    books_file):
    first = open_window(ready_books)
    first.resize(760, 540)  # the offscreen screen is 800 x 600
    first.go("payments")
    settle(first)
    first.close()
    again = open_window(open_books(books_file, actor="tester", clock=fixed_clock))
    assert again.current_page().key == "payments"
    assert (again.width(), again.height()) == (760, 540)
    stored = QSettings(window_settings().fileName(), QSettings.Format.IniFormat)
    assert stored.value("window/page") == "payments"


def test_shortcuts_are_shown_and_work(qtbot, window):
    assert window.common["new_invoice"].toolTip() == "Start a draft invoice (Ctrl+N)"
    assert window.common["record_payment"].toolTip() == "Record money received (Ctrl+R)"
    assert window.common["print"].toolTip() == "Print what is selected (Ctrl+P)"
    assert window.find.toolTip() == "Search the current list (Ctrl+F)"
    window.go("invoices")
    settle(window)
    window.find.trigger()
    assert window.pages["invoices"].search.hasFocus()
    tips = {a.text(): a.toolTip() for a in window.pages["invoices"].act.values()}
    assert tips["Issue…"] == "Give the draft its number and freeze it (Ctrl+I)"


def test_status_line_names_the_books(window, books_file):
    assert window.books_label.text() == f"Books: {books_file.stem}"  # not its full path
    assert str(books_file) in window.books_label.toolTip()
    assert not window.outbox.isVisible()
    window.outbox.show_status(OutboxStatus(queued=1, retrying=1, failed=1, unknown=0,
                                           offline=True, last_error="connection refused"))
    assert window.outbox.text() == "Outbox: 2 to send, 1 needs a decision, offline"
    assert "connection refused" in window.outbox.toolTip()


def test_a_refusal_without_a_field_shows_above_the_page(qtbot, window):
    window.ops.query(lambda _books: (_ for _ in ()).throw(RuleViolation(
        "invoice INV-1 is void already")))
    qtbot.waitUntil(window.message.isVisible, timeout=5_000)
    assert window.message.label.text() == "Invoice INV-1 is void already."


def test_long_work_shows_progress_and_can_be_cancelled(qtbot, window):
    seen = []

    def slow(_books, progress: Progress) -> str:
        for step in range(10_000):
            progress.step(step, 10_000, f"item {step}")
            time.sleep(0.001)  # no Qt on a worker thread
        return "finished"

    window.ops.long(slow, "Working", seen.append, on_cancelled=lambda: seen.append("cancelled"))
    qtbot.waitUntil(lambda: window.progress.isVisible() and window.progress.bar.value() > 0,
                    timeout=5_000)
    assert window.progress.bar.maximum() == 10_000
    window.progress.cancel.click()
    qtbot.waitUntil(lambda: seen == ["cancelled"], timeout=5_000)
    assert not window.progress.isVisible()


def test_an_unexpected_error_is_logged_and_apologised_for(qtbot, window):
    setup_logging()
    reporter = CrashReporter(log_path())
    try:
        raise ZeroDivisionError("a bug, not a refusal")
    except ZeroDivisionError as exc:
        reporter(exc)
    box = find_dialog(qtbot, QMessageBox)
    assert box.text() == "Sorry, something went wrong that PaidUp did not expect."
    assert str(log_path()) in box.informativeText()
    assert "Traceback" not in box.informativeText() + box.text()
    for handler in logging.getLogger().handlers:
        handler.flush()
    logged = log_path().read_text(encoding="utf-8")
    assert "ZeroDivisionError: a bug, not a refusal" in logged and "Traceback" in logged
    box.close()


def test_a_crash_in_background_work_reaches_the_reporter(qtbot, open_window, ready_books,
                                                         crashes):
    window = open_window(ready_books)
    window.ops.query(lambda _books: 1 / 0)
    qtbot.waitUntil(lambda: len(crashes) == 1, timeout=5_000)
    assert isinstance(crashes.pop(), ZeroDivisionError)


def test_thousands_of_operations_leave_none_and_true_alone(window):
    """PySide6 6.12.0 loses a reference to None or True for each Qt call made on another
    thread; the worker makes none, so the interpreter never runs out of them."""
    gc.collect()
    before = sys.getrefcount(None), sys.getrefcount(True)
    results = []
    for n in range(3000):
        window.ops.query(lambda _books, n=n: None if n % 2 else True, results.append)
    assert window.ops.wait_idle()
    assert len(results) == 3000
    results.clear()
    gc.collect()
    after = sys.getrefcount(None), sys.getrefcount(True)
    assert after[0] >= before[0] - 100 and after[1] >= before[1] - 100, (before, after)


@pytest.mark.parametrize("page", PAGES)
def test_go_shortcuts(window, page):
    action = next(a for a in window.actions() if a.toolTip().startswith(
        f"Go to {PAGE_TITLES[page]} ("))
    action.trigger()
    assert window.current_page().key == page


def _hold_the_books(path, seconds: float) -> threading.Thread:
    """Another program saving to the books for a while."""
    held = threading.Event()

    def hold() -> None:
        conn = sqlite3.connect(path, isolation_level=None)
        conn.execute("BEGIN IMMEDIATE")
        held.set()
        time.sleep(seconds)
        conn.execute("ROLLBACK")
        conn.close()

    holder = threading.Thread(target=hold)
    holder.start()
    held.wait(10)
    return holder


def test_a_change_that_meets_busy_books_waits_in_the_background(qtbot, open_window,
                                                                books_file, monkeypatch):
    monkeypatch.setattr(database, "BUSY_TIMEOUT_MS", 100)  # SQLite's own wait runs out
    window = open_window(make_ready(open_books(books_file, actor="tester", clock=fixed_clock)))
    window.ops.wait_idle()
    holder = _hold_the_books(books_file, 1.5)
    added = []
    window.ops.change(lambda books: customers.add_customer(books, credit_granted=True,
                                                           name="Acme").id,
                      added.append)
    qtbot.waitUntil(lambda: added != [], timeout=20_000)
    holder.join()
    assert not window.message.isVisible()
    assert "Acme" in [c.name for c in customers.list_customers(window.ops.books)]


def test_books_busy_for_too_long_are_told_not_apologised_for(qtbot, open_window, books_file,
                                                            monkeypatch):
    monkeypatch.setattr(database, "BUSY_TIMEOUT_MS", 100)
    monkeypatch.setattr(database, "WRITE_PATIENCE_S", 0.3)
    window = open_window(make_ready(open_books(books_file, actor="tester", clock=fixed_clock)))
    window.ops.wait_idle()
    holder = _hold_the_books(books_file, 2)
    window.ops.change(lambda books: customers.add_customer(books, credit_granted=True, name="Acme"))
    qtbot.waitUntil(window.message.isVisible, timeout=10_000)
    holder.join()
    assert "are busy: another PaidUp is saving to them" in window.message.label.text()

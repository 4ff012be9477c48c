"""The real window, offscreen, on books built through the services."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox, QWidget

from desktop_app.services import demo
from desktop_app.services.books import Books, open_books
from desktop_app.ui.main_window import MainWindow
from desktop_app.ui.window_state import window_settings
from tests.support.books import fixed_clock, make_ready

TODAY = date(2026, 11, 22)  # the fixed clock's day


class Crashes(list):
    """Unexpected exceptions the window reported; a test fails if there are any."""


@pytest.fixture
def crashes() -> Iterator[Crashes]:
    seen = Crashes()
    yield seen
    assert not seen, f"the window reported unexpected errors: {seen!r}"


@pytest.fixture
def books_file(tmp_path: Path, migrated_sqlite: Path) -> Path:
    """Empty books at the newest schema (a copy: see db_url)."""
    path = tmp_path / "books.sqlite3"
    shutil.copyfile(migrated_sqlite, path)
    return path


@pytest.fixture(scope="session")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The 60-invoice demo on the test day, built once a session (its past is lived day by
    day through the services, which takes seconds); each test opens its own copy."""
    base = tmp_path_factory.mktemp("demo")
    path = base / "demo.sqlite3"
    with pytest.MonkeyPatch.context() as patch:  # as _isolated_app_folders does per test
        for name in ("DATA", "CONFIG", "LOG"):
            patch.setenv(f"PAIDUP_{name}_DIR", str(base / name.lower()))
        books = open_books(path, actor="tester", clock=fixed_clock)
        try:
            demo.fill_demo(books, as_of=TODAY, invoices=60)
        finally:
            books.close()
    return path


@pytest.fixture
def demo_books(demo_file: Path, books_file: Path) -> Books:
    """A copy of the session's demo books, open on the fixed clock."""
    shutil.copyfile(demo_file, books_file)
    return open_books(books_file, actor="tester", clock=fixed_clock)


@pytest.fixture
def ready_books(books_file: Path) -> Books:
    return make_ready(open_books(books_file, actor="tester", clock=fixed_clock))


@pytest.fixture
def open_window(qtbot, crashes) -> Iterator[Callable[..., MainWindow]]:
    """Opens a window on given books; every window is closed (and its books) at the end."""
    windows: list[MainWindow] = []

    def opener(books: Books, first_run: bool = False,
               today: date | Callable[[], date] = TODAY) -> MainWindow:
        """``today`` may be a callable, for a test that lets days pass."""
        day = today if callable(today) else (lambda: today)
        window = MainWindow(books, window_settings(), today=day, on_crash=crashes.append,
                            first_run=first_run)
        qtbot.addWidget(window)
        with qtbot.waitExposed(window):
            window.show()
        windows.append(window)
        return window

    yield opener
    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, QDialog | QMessageBox) and widget.isVisible():
            widget.close()
    for window in windows:
        window.close()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


@pytest.fixture
def window(open_window, ready_books: Books) -> MainWindow:
    win = open_window(ready_books)
    win.ops.wait_idle()
    return win


def find_dialog(qtbot, kind: type[QWidget], timeout: int = 10_000) -> QWidget:
    """The visible top-level window of this class, once it has appeared."""
    found: list[QWidget] = []

    def shown() -> bool:
        found[:] = [w for w in QApplication.topLevelWidgets()
                    if isinstance(w, kind) and w.isVisible()]
        return bool(found)

    qtbot.waitUntil(shown, timeout=timeout)
    return found[-1]


def trigger(qtbot, action: QAction, timeout: int = 10_000) -> None:
    """Trigger an action as a click would, once it is enabled: after a change the list
    reloads, and while its rows are read the invoice actions are briefly off."""
    qtbot.waitUntil(action.isEnabled, timeout=timeout)
    action.trigger()


def settle(window: MainWindow) -> None:
    assert window.ops.wait_idle(), "background work did not finish"

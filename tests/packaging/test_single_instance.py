"""One window per user and books, with real second launches of `paidup` in their own processes."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtNetwork import QLocalSocket
from PySide6.QtWidgets import QMainWindow

from desktop_app.services.books_lock import books_identity
from desktop_app.ui.single_instance import SingleInstance, bring_to_front, instance_key

ROOT = Path(__file__).resolve().parents[2]
LAUNCH_TIMEOUT = 60


def launch(db: Path) -> subprocess.Popen[str]:
    """`paidup --db DB` as the user would start it (offscreen here)."""
    return subprocess.Popen([sys.executable, "-m", "desktop_app.ui.app", "--db", str(db)],
                            cwd=ROOT, env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def key_for(db: Path) -> str:
    return instance_key(books_identity(db))


def wait_until_listening(qtbot, key: str, app: subprocess.Popen[str]) -> None:
    def listening() -> bool:
        assert app.poll() is None, app.communicate()
        probe = QLocalSocket()
        probe.connectToServer(key)
        ok = probe.waitForConnected(200)
        probe.abort()
        return ok

    qtbot.waitUntil(listening, timeout=LAUNCH_TIMEOUT * 1000)


@pytest.fixture
def running() -> Iterator[list[subprocess.Popen[str]]]:
    apps: list[subprocess.Popen[str]] = []
    yield apps
    for app in apps:
        if app.poll() is None:
            app.kill()
        app.communicate()


def test_keys_differ_by_user_and_books():
    assert instance_key("/books/a.sqlite3", "anna") == instance_key("/books/a.sqlite3", "anna")
    assert instance_key("/books/a.sqlite3", "anna") != instance_key("/books/a.sqlite3", "ben")
    assert instance_key("/books/a.sqlite3", "anna") != instance_key("/books/b.sqlite3", "anna")


def test_a_second_launch_wakes_the_running_window_and_exits(qtbot, tmp_path):
    db = tmp_path / "books.sqlite3"
    first = SingleInstance(key_for(db))
    assert first.claim()
    try:
        with qtbot.waitSignal(first.activated, timeout=LAUNCH_TIMEOUT * 1000):
            second = launch(db)
        _out, err = second.communicate(timeout=LAUNCH_TIMEOUT)
        assert second.returncode == 0, err
        assert not db.exists()  # the second launch left the books alone
    finally:
        first.release()


def test_the_running_app_keeps_its_books_and_another_launch_leaves(qtbot, tmp_path, running):
    db = tmp_path / "books.sqlite3"
    running.append(first := launch(db))
    wait_until_listening(qtbot, key_for(db), first)
    second = launch(db)
    running.append(second)
    second.communicate(timeout=LAUNCH_TIMEOUT)
    assert second.returncode == 0
    assert first.poll() is None
    # It listens only for this user and these books: other books get their own window.
    other = SingleInstance(key_for(tmp_path / "other.sqlite3"))
    assert other.claim()
    other.release()
    # And asked from here, it answers as the one already running.
    asking = SingleInstance(key_for(db))
    assert not asking.claim()


def test_a_crashed_window_does_not_block_the_next_launch(qtbot, tmp_path, running):
    db = tmp_path / "books.sqlite3"
    running.append(crashed := launch(db))
    wait_until_listening(qtbot, key_for(db), crashed)
    crashed.send_signal(signal.SIGKILL)
    crashed.communicate()
    after = SingleInstance(key_for(db))
    assert after.claim()  # its lock file and socket were left behind, and are taken over
    try:
        with qtbot.waitSignal(after.activated, timeout=LAUNCH_TIMEOUT * 1000):
            running.append(launch(db))
    finally:
        after.release()


def test_bring_to_front_restores_a_minimised_window(qtbot):
    window = QMainWindow()
    qtbot.addWidget(window)
    window.showMinimized()
    bring_to_front(window)
    assert window.isVisible()
    assert not window.isMinimized()

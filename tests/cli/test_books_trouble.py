"""The books' own troubles told plainly by the command line, and what it writes kept private."""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import stat
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from desktop_app import paths
from desktop_app.services.books import open_books
from desktop_app.services.books_lock import Here, lock_books
from desktop_app.storage import database, lock_file
from desktop_app.storage.lock_file import Holder, lock_path
from tests.support.cli import runner
from tests.support.damage import damage
from tests.support.small_disk import small_disk

ROOT = Path(__file__).resolve().parents[2]
UNEXPECTED = "did not expect"


@pytest.fixture
def book(tmp_path: Path, capsys, monkeypatch):
    path = tmp_path / "books.sqlite3"
    monkeypatch.setenv("PAIDUP_DB", str(path))
    cli = runner(capsys)
    cli("company", "set", "--name", "Lindenhof GmbH", "--currency", "EUR",
        "--iban", "DE89 3704 0044 0532 0130 00")
    cli("customer", "add", "--credit-granted", "--name", "Müller")
    cli("invoice", "add", "--customer", "1", "--line", "Beratung|1|1000.00|19")
    cli("invoice", "issue", "1", "--date", "2026-10-01", "--as-of", "2026-10-01")
    return path, cli


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_busy_books_are_waited_for_then_told_plainly(book, monkeypatch):
    path, cli = book
    monkeypatch.setattr(database, "BUSY_TIMEOUT_MS", 200)
    monkeypatch.setattr(database, "WRITE_PATIENCE_S", 0.5)
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another program is saving and does not let go
    try:
        refused = cli("payment", "add", "--invoice", "1", "--amount", "10.00", ok=False)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert refused.returncode == 1
    assert "are busy: another PaidUp is saving to them. Nothing was changed" in refused.stderr
    assert UNEXPECTED not in refused.stderr
    assert cli.js("invoice", "show", "1")["paid"] == "0.00"


def test_a_writer_queues_behind_a_long_one_and_gets_in(book, monkeypatch):
    path, cli = book
    monkeypatch.setattr(database, "BUSY_TIMEOUT_MS", 100)  # SQLite's own wait runs out ...
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sqlite3, sys, time\n"
         "c = sqlite3.connect(sys.argv[1], isolation_level=None)\n"
         "c.execute('BEGIN IMMEDIATE'); print('holding', flush=True); time.sleep(1.5)\n"
         "c.execute('ROLLBACK')", str(path)], stdout=subprocess.PIPE, text=True)
    assert holder.stdout is not None and holder.stdout.readline().strip() == "holding"
    done = cli("payment", "add", "--invoice", "1", "--amount", "10.00")  # ... it queues on
    holder.wait(timeout=30)
    assert done.returncode == 0
    assert cli.js("invoice", "show", "1")["paid"] == "10.00"


def test_a_full_disk_is_told_as_such_and_changes_nothing(book, tmp_path, monkeypatch):
    path, cli = book
    with small_disk(tmp_path / "usb-stick", 700) as stick:
        shutil.copy(path, stick / "books.sqlite3")
        monkeypatch.setenv("PAIDUP_DB", str(stick / "books.sqlite3"))
        refused = cli("demo", "--invoices", "200", ok=False)
        assert refused.returncode == 1, refused.stderr
        assert "is full. Nothing was changed; free some space" in refused.stderr
        assert UNEXPECTED not in refused.stderr
        assert [c["name"] for c in cli.js("customer", "list")] == ["Müller"]


def test_read_only_books_are_told_as_such(book, monkeypatch):
    path, cli = book
    url = f"sqlite+pysqlite:///file:{path}?mode=ro&uri=true"
    monkeypatch.setenv("PAIDUP_DB", url)
    refused = cli("customer", "add", "--name", "Acme", ok=False)
    assert refused.returncode == 1
    assert "may only be read here" in refused.stderr and UNEXPECTED not in refused.stderr


def test_damaged_books_name_the_newest_good_backup_and_restore_puts_it_back(book):
    path, cli = book
    good = cli.js("backup")["path"]
    cli("customer", "add", "--credit-granted", "--name", "After the backup")
    damage(path)
    refused = cli("customer", "list", ok=False)
    assert refused.returncode == 1 and UNEXPECTED not in refused.stderr
    assert "are damaged and cannot be read safely" in refused.stderr
    assert good in refused.stderr

    restored = cli.js("restore", good)
    aside = Path(restored["damaged_books_set_aside"])
    assert aside.exists() and aside.parent == path.parent
    assert [c["name"] for c in cli.js("customer", "list")] == ["Müller"]
    assert cli.js("invoice", "show", "1")["total"] == "1190.00"


def test_books_backups_and_logs_are_the_owners_alone(book):
    path, cli = book
    backup = Path(cli.js("backup")["path"])
    with open_books(path) as books, books.db.engine.connect():  # the WAL exists while open
        for file in (path, Path(f"{path}-wal"), backup, paths.log_dir() / "paidup-cli.log"):
            assert _mode(file) == 0o600, file
    for folder in (paths.data_dir(), paths.backup_dir(), paths.log_dir()):
        assert _mode(folder) == 0o700, folder


def test_books_in_the_data_folder_made_readable_become_private_again(capsys, monkeypatch):
    monkeypatch.delenv("PAIDUP_DB", raising=False)
    cli = runner(capsys)
    cli("company", "set", "--name", "Lindenhof")
    book = paths.default_database()
    book.chmod(0o644)
    cli("company", "show")
    assert _mode(book) == 0o600


def test_a_lock_stamped_hours_ahead_by_a_dead_program_does_not_block(book):
    path, cli = book
    ahead = datetime.now(UTC) + timedelta(hours=6)  # noqa: TID251 - another computer's clock
    lock_file.create(lock_path(path), Holder("office-pc", "anna", 4242, ahead, ahead, "t",
                                             "PaidUp 0.1.0"))
    old = (datetime.now(UTC) - timedelta(hours=1)).timestamp()  # noqa: TID251
    os.utime(lock_path(path), (old, old))  # written an hour ago, never renewed
    assert cli.js("customer", "list")[0]["name"] == "Müller"


def test_take_over_after_being_told_who_has_the_books(book):
    path, cli = book
    other = lock_books(path, here=Here(host="office-pc", user="anna", pid=4242))
    try:
        refused = cli("customer", "list", ok=False)
        assert refused.returncode == 1
        assert "'office-pc' by anna" in refused.stderr and "--take-over" in refused.stderr
        assert cli.js("--take-over", "customer", "list")[0]["name"] == "Müller"
        assert lock_file.read(lock_path(path)) is None or \
            lock_file.read(lock_path(path)).host != "office-pc"
    finally:
        other.release()


def test_sigkill_in_the_middle_leaves_books_that_open(book):
    """The books stay consistent whatever moment a command dies at."""
    path, cli = book
    proc = subprocess.Popen([sys.executable, "-m", "desktop_app.cli", "--db", str(path),
                             "demo", "--invoices", "400"], cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        proc.wait(timeout=1.5)
    except subprocess.TimeoutExpired:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert cli.js("invoice", "show", "1")["total"] == "1190.00"

"""Backups whole or absent, per book; restores that accept only PaidUp's own books and work
when the live book is damaged."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from desktop_app import paths
from desktop_app.domain.errors import RuleViolation
from desktop_app.services import backups, company, customers
from desktop_app.services.books import open_books
from desktop_app.storage import backup
from desktop_app.storage.trouble import Trouble
from tests.support.books import fixed_clock
from tests.support.damage import damage

ROOT = Path(__file__).resolve().parents[2]
LOGO = b"\x89PNG\r\n\x1a\n" + os.urandom(1_900_000)  # padding: a copy takes a moment


def _book(path: Path, name: str = "Lindenhof") -> None:
    books = open_books(path, clock=fixed_clock)
    company.set_company(books, name=name)
    customers.add_customer(books, name="First")
    books.close()


def _copies(name: str) -> list[Path]:
    return [p for _stamp, p in backup.copies_of(paths.backup_dir(), name)]


BACK_UP_AND_WAIT = """
import sys
from pathlib import Path
from desktop_app.services import backups
from desktop_app.services.books import open_books
books = open_books(Path(sys.argv[1]))
print("open", flush=True)
sys.stdin.readline()
backups.backup_now(books)
print("done", flush=True)
"""


def test_a_backup_killed_midway_leaves_no_copy_under_its_name(tmp_path: Path) -> None:
    """kill -9 at the moment the copy is being written, several times: never a half copy
    that would count as the day's; the next automatic copy is made as usual."""
    book = tmp_path / "books.sqlite3"
    _book(book)
    with open_books(book) as books:
        company.set_company(books, logo=str(_logo(tmp_path)))
    folder = paths.backup_dir()
    caught = 0
    for _ in range(6):
        proc = subprocess.Popen([sys.executable, "-c", BACK_UP_AND_WAIT, str(book)],
                                cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                text=True)
        assert proc.stdout is not None and proc.stdin is not None
        assert proc.stdout.readline().strip() == "open"
        proc.stdin.write("\n")
        proc.stdin.flush()
        before = set(folder.iterdir()) if folder.exists() else set()
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and proc.poll() is None:
            if folder.exists() and set(folder.iterdir()) - before:  # the copy is under way
                proc.send_signal(signal.SIGKILL)
                caught += 1
                break
        proc.wait(timeout=60)
        for copy in _copies("books"):  # whatever got its name is a whole, sound copy
            assert backup.check_backup_file(copy)
    assert caught >= 1, "the copy was never caught in the act; the test proves nothing"
    with open_books(book) as books:
        made = backups.backup_now(books)
    assert backup.check_backup_file(made)


def _logo(folder: Path) -> Path:
    path = folder / "logo.png"
    path.write_bytes(LOGO)
    return path


FILL_THE_DISK = """
import resource, signal, sys
from pathlib import Path
from desktop_app.services import backups
from desktop_app.services.books import open_books
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # writes past the limit fail, as on a full disk
books = open_books(Path(sys.argv[1]))
resource.setrlimit(resource.RLIMIT_FSIZE, (500_000, 500_000))
try:
    backups.backup_now(books)
except Exception as exc:
    print("refused:", type(exc).__name__)
"""


def test_a_backup_on_a_full_disk_leaves_nothing_behind(tmp_path: Path) -> None:
    book = tmp_path / "books.sqlite3"
    _book(book)
    with open_books(book) as books:
        company.set_company(books, logo=str(_logo(tmp_path)))
    done = subprocess.run([sys.executable, "-c", FILL_THE_DISK, str(book)], cwd=ROOT,
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.stdout.startswith("refused:"), done.stdout + done.stderr
    assert list(paths.backup_dir().iterdir()) == []


def test_each_book_keeps_its_own_daily_copy_and_rotation(tmp_path: Path) -> None:
    now = [datetime(2026, 11, 23, 7, 30, tzinfo=UTC)]
    shop, office = tmp_path / "shop.sqlite3", tmp_path / "shop-office.sqlite3"
    _book(shop, "Shop")
    _book(office, "Office")
    with open_books(shop, clock=lambda: now[0]) as books:
        assert backups.backup_if_due(books) is not None
    with open_books(office, clock=lambda: now[0]) as books:
        assert backups.backup_if_due(books) is not None  # the shop's copy is not its own
        for _ in range(backup.KEEP + 2):
            now[0] += timedelta(seconds=1)
            backups.backup_now(books)
    assert len(_copies("shop")) == 1
    assert len(_copies("shop-office")) == backup.KEEP


def test_a_backup_never_overwrites_a_file(tmp_path: Path) -> None:
    book, other = tmp_path / "books.sqlite3", tmp_path / "other.sqlite3"
    _book(book)
    _book(other, "Other books")
    with open_books(book) as books, pytest.raises(RuleViolation, match="exists already"):
        backups.backup_now(books, other)
    with open_books(other) as books:
        assert company.get_company(books).name == "Other books"


def test_restore_refuses_a_book_with_a_trigger_slipped_in(tmp_path: Path) -> None:
    book = tmp_path / "books.sqlite3"
    _book(book)
    with open_books(book) as books:
        crafted = backups.backup_now(books, tmp_path / "crafted.sqlite3")
    conn = sqlite3.connect(crafted)
    conn.execute("CREATE TRIGGER rewrite AFTER INSERT ON payments BEGIN "
                 "UPDATE payments SET reference = 'elsewhere' WHERE id = NEW.id; END")
    conn.commit()
    conn.close()
    with pytest.raises(RuleViolation, match=r"not a book as PaidUp writes it.*trigger rewrite"):
        backup.check_backup_file(crafted)
    with open_books(book) as books, pytest.raises(RuleViolation, match="trigger rewrite"):
        backups.restore(books, crafted)


def test_a_damaged_book_is_named_with_its_newest_good_backup(tmp_path: Path) -> None:
    book = tmp_path / "books.sqlite3"
    _book(book)
    with open_books(book) as books:
        good = backups.backup_now(books)
    damage(book)
    with pytest.raises(RuleViolation) as refused, open_books(book) as books:
        customers.list_customers(books)
    assert getattr(refused.value, "trouble", None) is Trouble.DAMAGED
    assert "are damaged" in str(refused.value) and str(good) in str(refused.value)


def test_restore_replaces_a_damaged_book_and_keeps_it_aside(tmp_path: Path) -> None:
    book = tmp_path / "books.sqlite3"
    _book(book)
    with open_books(book) as books:
        good = backups.backup_now(books, tmp_path / "good.sqlite3")
    damage(book)
    done = backups.restore_file(book, good, clock=fixed_clock)
    assert done.damaged and Path(done.previous).exists()
    assert Path(done.previous).read_bytes() != good.read_bytes()
    with open_books(book) as books:
        assert [c.name for c in customers.list_customers(books)] == ["First"]

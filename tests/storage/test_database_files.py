"""Opening, refusing, backing up and restoring the SQLite books."""

import sqlite3
from datetime import UTC, datetime, timedelta

import pytest

from desktop_app import paths
from desktop_app.domain.errors import RuleViolation
from desktop_app.services import backups, company, customers
from desktop_app.services.books import open_books
from desktop_app.storage import backup
from desktop_app.storage.backup import KEEP


def test_new_file_is_created_with_wal_and_foreign_keys(tmp_path):
    books = open_books(tmp_path / "new.sqlite3")
    with books.db.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
    books.close()


def test_not_a_database_is_refused_and_left_alone(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("shopping list")
    with pytest.raises(RuleViolation, match="not a PaidUp database"):
        open_books(path)
    assert path.read_text() == "shopping list"


def test_foreign_sqlite_database_is_refused(tmp_path):
    path = tmp_path / "other.sqlite3"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE recipes (id INTEGER)")
    with pytest.raises(RuleViolation, match="other data"):
        open_books(path)


def test_newer_schema_is_refused(tmp_path):
    path = tmp_path / "books.sqlite3"
    open_books(path).close()
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999'")
    with pytest.raises(RuleViolation, match="newer PaidUp"):
        open_books(path)


def test_backup_and_restore_round_trip(tmp_path):
    books = open_books(tmp_path / "books.sqlite3")
    company.set_company(books, name="Lindenhof")
    customers.add_customer(books, name="First")
    copy = backups.backup_now(books, tmp_path / "copy.sqlite3")
    customers.add_customer(books, name="Second")
    safety = backups.restore(books, copy)
    assert [c.name for c in customers.list_customers(books)] == ["First"]
    assert safety.exists()  # the books as they were before the restore
    books.close()


def test_restore_refuses_a_broken_file_and_changes_nothing(tmp_path):
    books = open_books(tmp_path / "books.sqlite3")
    company.set_company(books, name="Lindenhof")
    bad = tmp_path / "bad.sqlite3"
    bad.write_bytes(b"SQLite format 3\x00" + b"\x00" * 200)
    with pytest.raises(RuleViolation, match="restore"):
        backups.restore(books, bad)
    assert company.get_company(books).name == "Lindenhof"
    books.close()


def test_automatic_backups_rotate(tmp_path):
    books = open_books(tmp_path / "books.sqlite3")
    for _ in range(KEEP + 3):
        backups.backup_now(books)
    assert len(list(paths.backup_dir().glob("books-*.sqlite3"))) == KEEP
    books.close()


def test_one_automatic_copy_a_day(tmp_path):
    now = [datetime(2026, 11, 23, 7, 30, tzinfo=UTC)]
    books = open_books(tmp_path / "books.sqlite3", clock=lambda: now[0])
    company.set_company(books, name="Lindenhof")
    first = backups.backup_if_due(books)
    assert first is not None and backup.check_backup_file(first)
    now[0] += timedelta(hours=9)
    assert backups.backup_if_due(books) is None  # the same day: the morning's copy stands
    now[0] += timedelta(days=1)
    assert backups.backup_if_due(books) not in (None, first)
    books.close()

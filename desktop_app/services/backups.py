"""Backups the user can make and restore; automatic ones happen daily and before every
migration."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from desktop_app import paths
from desktop_app.domain.errors import RuleViolation
from desktop_app.messages import N_
from desktop_app.services.books import Books, audit, open_books, resolve_target
from desktop_app.services.changes import OpChanges, states
from desktop_app.storage import backup, database
from desktop_app.storage.trouble import Trouble


@states(OpChanges.NONE)
def backup_now(books: Books, target: Path | None = None) -> Path:
    path = backup.backup(books.db, paths.backup_dir(), books.clock(), target)
    with books.db.write() as session:
        audit(session, books, "backup", "database", None, {"path": str(path)})
    return path


@states(OpChanges.NONE)
def backup_if_due(books: Books) -> Path | None:
    """One automatic copy a day of a local file (the first start or run of the day makes
    it, rotated with the book's others); a shared server keeps its own backups."""
    if not books.db.is_sqlite:
        return None
    newest = backup.newest_stamp(paths.backup_dir(), backup.book_name(books.db))
    if newest is not None and newest.date() >= books.clock().date():
        return None
    return backup_now(books)


def good_copy_for_damaged(target: str | Path | None, refusal: Exception) -> Path | None:
    """The newest good backup to offer when opening ``target`` was refused because the
    books are damaged; None for any other refusal or books on a server."""
    if getattr(refusal, "trouble", None) is not Trouble.DAMAGED:
        return None
    url = database.to_url(resolve_target(target))
    if url.get_backend_name() != "sqlite":
        return None
    return backup.newest_good_copy(paths.backup_dir(), Path(str(url.database)).stem)


def made_on(copy: Path) -> str:
    """When an automatic copy was made, for a person (from its name)."""
    stamp = copy.stem.rsplit("-", 3)[-3:]
    try:
        made = datetime.strptime("-".join(stamp), backup.STAMP).replace(tzinfo=UTC)
    except ValueError:
        return copy.name
    return made.astimezone().strftime("%Y-%m-%d %H:%M")


def _checked(source: Path) -> str:
    revision = backup.check_backup_file(source)
    if revision not in database.known_revisions():
        raise RuleViolation(
            N_("restore: {path} was written by a newer PaidUp (schema {revision}); install the "
               "newer version to restore it"), path=str(source), revision=str(revision))
    return revision


@states(OpChanges.ALL)
def restore(books: Books, source: Path) -> Path:
    """Check the file, keep a copy of the current books, then put the backup in place."""
    if not books.db.is_sqlite:
        raise RuleViolation(
            N_("restore: a shared PostgreSQL database is restored by its administrator "
               "(pg_restore)"))
    revision = _checked(source)
    safety = backup.backup(books.db, paths.backup_dir(), books.clock())
    backup.restore_into(books.db, source)
    if revision != database.head_revision(books.db):
        database.upgrade(books.db)
    with books.db.write() as session:
        audit(session, books, "restore", "database", None,
              {"from": str(source), "previous_copy": str(safety)})
    return safety


@dataclass(frozen=True)
class Restored:
    """What a restore did: where the books are and where their previous state went."""

    books: str
    source: str
    previous: str
    damaged: bool  # the previous books could not be read and were set aside as they were


@states(OpChanges.ALL)
def restore_file(target: str | Path | None, source: Path, *, actor: str | None = None,
                 clock: Callable[[], datetime]) -> Restored:
    """Restore the SQLite books at ``target`` from ``source`` without relying on reading the
    books first: a sound book is copied to the backups and overwritten in place; a damaged
    one (the case a restore is most needed for) is set aside untouched and the copy put in
    its place."""
    url = database.to_url(resolve_target(target))
    if url.get_backend_name() != "sqlite":
        raise RuleViolation(
            N_("restore: a shared PostgreSQL database is restored by its administrator "
               "(pg_restore)"))
    book = Path(str(url.database))
    _checked(source)
    if not book.exists() or _is_sound(book):
        books = open_books(book, actor=actor, clock=clock)
        try:
            safety = restore(books, source)
        finally:
            books.close()
        return Restored(str(book), str(source), str(safety), damaged=False)
    aside = backup.set_aside(book, clock())
    backup.put_in_place(source, book)
    books = open_books(book, actor=actor, clock=clock)  # migrates an older copy
    try:
        with books.db.write() as session:
            audit(session, books, "restore", "database", None,
                  {"from": str(source), "damaged_books_set_aside": str(aside)})
    finally:
        books.close()
    return Restored(str(book), str(source), str(aside), damaged=True)


def _is_sound(book: Path) -> bool:
    """SQLite's quick check of every page: a damaged book says so here, not midway through
    a restore."""
    try:
        conn = sqlite3.connect(f"file:{book}?mode=ro", uri=True)
        try:
            return bool(conn.execute("PRAGMA quick_check(1)").fetchone()[0] == "ok")
        finally:
            conn.close()
    except sqlite3.DatabaseError:
        return False

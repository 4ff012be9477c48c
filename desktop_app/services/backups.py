"""Backups the user can make and restore; automatic ones happen before every migration."""

from __future__ import annotations

from pathlib import Path

from desktop_app import paths
from desktop_app.domain.errors import RuleViolation
from desktop_app.services.books import Books, audit
from desktop_app.storage import backup, database


def backup_now(books: Books, target: Path | None = None) -> Path:
    path = backup.backup(books.db, paths.backup_dir(), books.clock(), target)
    with books.db.write() as session:
        audit(session, books, "backup", "database", None, {"path": str(path)})
    return path


def backup_if_due(books: Books) -> Path | None:
    """One automatic copy a day of a local file (the first start or run of the day makes
    it, rotated with the others); a shared server keeps its own backups."""
    if not books.db.is_sqlite:
        return None
    newest = backup.newest_stamp(paths.backup_dir())
    if newest is not None and newest.date() >= books.clock().date():
        return None
    return backup_now(books)


def restore(books: Books, source: Path) -> Path:
    """Check the file, keep a copy of the current books, then put the backup in place."""
    if not books.db.is_sqlite:
        raise RuleViolation(
            "restore: a shared PostgreSQL database is restored by its administrator (pg_restore)"
        )
    revision = backup.check_backup_file(source)
    head = database.head_revision(books.db)
    if revision not in database.known_revisions():
        raise RuleViolation(
            f"restore: {source} was written by a newer PaidUp (schema {revision}); "
            "install the newer version to restore it"
        )
    safety = backup.backup(books.db, paths.backup_dir(), books.clock())
    backup.restore_into(books.db, source)
    if revision != head:
        database.upgrade(books.db)
    with books.db.write() as session:
        audit(session, books, "restore", "database", None,
              {"from": str(source), "previous_copy": str(safety)})
    return safety


"""Consistent copies of the books: SQLite's online backup API, rotated; pg_dump on a server.

A copy appears under its name only when it is whole (written to a temporary name beside
it, fsynced, renamed), so a crash or a full disk never leaves half a copy that would count
as the day's and take a rotation slot. Automatic copies are named after their book
(``shop-20261204-071500-000000.sqlite3`` for ``shop.sqlite3``), so two books in one folder
each keep their own daily copy and their own rotation.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
import subprocess
import tempfile
from datetime import datetime, timedelta
from functools import cache
from pathlib import Path

from desktop_app import files
from desktop_app.domain.errors import RuleViolation
from desktop_app.messages import N_
from desktop_app.storage import database
from desktop_app.storage.database import Database

KEEP = 20
LEFTOVER_AGE = timedelta(minutes=30)  # a temporary copy this old was cut off, not in progress
STAMP = "%Y%m%d-%H%M%S-%f"
SQLITE_HEADER = b"SQLite format 3\x00"


def book_name(db: Database) -> str:
    """What a book's automatic copies are called after: its file's stem, or the server's
    database name."""
    if db.is_sqlite:
        return Path(str(db.url.database)).stem
    return str(db.url.database)


def copy_path(folder: Path, name: str, now: datetime, suffix: str = ".sqlite3") -> Path:
    return folder / f"{name}-{now.strftime(STAMP)}{suffix}"


def copies_of(folder: Path, name: str, suffix: str = ".sqlite3") -> list[tuple[datetime, Path]]:
    """The automatic copies of the book ``name`` in ``folder``, oldest first. Only names
    that are exactly the book's plus a stamp count: ``shop-x-<stamp>`` is not ``shop``'s."""
    found = []
    for path in folder.glob(f"{name}-*{suffix}"):
        stamp = path.name[len(name) + 1:-len(suffix)]
        try:
            found.append((datetime.strptime(stamp, STAMP), path))
        except ValueError:
            continue
    return sorted(found)


SIDE_FILES = ("-journal", "-wal", "-shm")


def sqlite_copy(source: Path, target: Path) -> None:
    """Page-by-page copy that is consistent even while another process writes; the target
    appears only once complete."""
    temporary = files.temporary_beside(target)
    try:
        src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
        try:
            dst = sqlite3.connect(temporary)
            try:
                src.backup(dst)
                # A self-contained file: no WAL beside it that a copy by hand could forget.
                dst.execute("PRAGMA journal_mode=DELETE")
            finally:
                dst.close()
        finally:
            src.close()
        files.commit_temporary(temporary, target)
    except BaseException:
        # SQLite may have opened a journal beside the copy (a full disk while it switches
        # the copy's journal mode): it goes with the copy.
        for leftover in (temporary, *(Path(f"{temporary}{side}") for side in SIDE_FILES)):
            files.discard(leftover)
        raise


def backup(db: Database, folder: Path, now: datetime, target: Path | None = None) -> Path:
    """Write a backup; an automatic one (no ``target``) keeps the newest KEEP of its book.

    A chosen ``target`` must be a new file: a backup never overwrites another file, which
    might be another book or the only good copy."""
    if target is not None and target.exists():
        raise RuleViolation(
            N_("backup: {path} exists already; choose a new file name (a backup never "
               "overwrites a file)"), path=str(target))
    name = book_name(db)
    if db.is_sqlite:
        files.private_folder(folder)
        if target is None:
            files.remove_leftovers(folder, f"{name}-", older_than=LEFTOVER_AGE)
        path = target or copy_path(folder, name, now)
        sqlite_copy(Path(str(db.url.database)), path)
        if target is None:
            rotate(folder, name)
        return path
    return _pg_dump(db, target or copy_path(files.private_folder(folder), name, now, ".dump"))


def newest_stamp(folder: Path, name: str) -> datetime | None:
    """When the newest automatic copy of the book ``name`` was made (from its file name)."""
    copies = copies_of(folder, name)
    return copies[-1][0] if copies else None


def rotate(folder: Path, name: str, keep: int = KEEP) -> None:
    copies = copies_of(folder, name)
    for _stamp, old in copies[:-keep]:
        old.unlink(missing_ok=True)


def _pg_dump(db: Database, target: Path) -> Path:
    exe = shutil.which("pg_dump")
    if exe is None:
        raise RuleViolation(
            N_("backup: pg_dump is not installed here; the PostgreSQL server's own backups apply "
               "(install the postgresql-client package to make copies from this computer)")
        )
    url = db.url
    env = {"PGPASSWORD": url.password or ""}
    temporary = files.temporary_beside(target)
    args = [exe, "--format=custom", f"--file={temporary}", "--no-password",
            f"--host={url.host or 'localhost'}", f"--port={url.port or 5432}",
            f"--username={url.username or ''}", str(url.database)]
    try:
        result = subprocess.run(args, env=env, capture_output=True, text=True, check=False)
        if result.returncode != 0:
            said = result.stderr.strip().splitlines()
            if not said:
                raise RuleViolation(N_("backup: pg_dump failed: no reason given"))
            raise RuleViolation(N_("backup: pg_dump failed: {reason}"), reason=said[-1])
        return files.commit_temporary(temporary, target)
    finally:
        files.discard(temporary)


def schema_of(conn: sqlite3.Connection) -> set[tuple[str, str, str]]:
    """What a book's schema consists of: every table, index, trigger and view with its
    definition (whitespace aside); SQLite's own bookkeeping tables are left out."""
    rows = conn.execute(
        "SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'")
    return {(kind, name, " ".join((sql or "").split())) for kind, name, sql in rows}


CHECKED_COPIES = 5  # how many of the newest copies a damaged book's message looks through


def newest_good_copy(folder: Path, name: str) -> Path | None:
    """The newest automatic copy of the book ``name`` in ``folder`` that passes the restore
    checks."""
    for _stamp, path in reversed(copies_of(folder, name)[-CHECKED_COPIES:]):
        with contextlib.suppress(RuleViolation):
            check_backup_file(path)
            return path
    return None


def check_backup_file(path: Path) -> str:
    """A restore candidate must be an intact PaidUp database; returns its schema revision.

    A file of a revision this PaidUp knows must hold exactly the schema PaidUp's migrations
    build for it: a trigger or table slipped into a crafted file is refused before it could
    run on the user's books. (A newer revision is refused by the caller.)
    """
    if not path.is_file():
        raise RuleViolation(N_("restore: {path} does not exist"), path=str(path))
    with path.open("rb") as fh:
        if fh.read(16) != SQLITE_HEADER:
            raise RuleViolation(N_("restore: {path} is not a PaidUp backup (not an SQLite "
                                   "file)"), path=str(path))
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        status = conn.execute("PRAGMA integrity_check").fetchone()[0]
        if status != "ok":
            raise RuleViolation(N_("restore: {path} is damaged ({status})"), path=str(path),
                                status=str(status))
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if not {"alembic_version", "invoices", "companies"} <= tables:
            raise RuleViolation(N_("restore: {path} is not a PaidUp database"),
                                path=str(path))
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        found = schema_of(conn)
    except sqlite3.DatabaseError as exc:
        raise RuleViolation(N_("restore: {path} cannot be read ({error})"), path=str(path),
                            error=str(exc)) from None
    finally:
        conn.close()
    if row is None:
        raise RuleViolation(N_("restore: {path} has no schema version"), path=str(path))
    revision = str(row[0])
    if revision in database.known_revisions() and found != schema_at(revision):
        extra = sorted(f"{kind} {name}" for kind, name, _sql in found - schema_at(revision))
        if not extra:
            raise RuleViolation(
                N_("restore: {path} is not a book as PaidUp writes it (schema {schema} with "
                   "parts missing or changed); it was not restored"),
                path=str(path), schema=revision)
        raise RuleViolation(
            N_("restore: {path} is not a book as PaidUp writes it (schema {schema} with "
               "{extra}); it was not restored"),
            path=str(path), schema=revision, extra=", ".join(extra))
    return revision


def restore_into(db: Database, source: Path) -> None:
    """Copy a checked backup over the live books through the backup API (WAL stays sound)."""
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    try:
        with db.engine.connect() as conn:
            raw = conn.connection.dbapi_connection
            src.backup(raw)  # type: ignore[arg-type]
    finally:
        src.close()


def set_aside(book: Path, now: datetime) -> Path:
    """Move a damaged book (with its WAL and shared-memory files, which belong to it and
    must not be applied to another) out of the way; returns where it went."""
    aside = book.with_name(f"{book.name}.damaged-{now.strftime(STAMP)}")
    for part in ("", "-wal", "-shm"):
        moving = Path(f"{book}{part}")
        if moving.exists():
            os.replace(moving, Path(f"{aside}{part}"))
    return aside


def put_in_place(source: Path, book: Path) -> None:
    """Copy a checked backup to where the books live, whole or not at all."""
    sqlite_copy(source, book)


@cache
def schema_at(revision: str) -> frozenset[tuple[str, str, str]]:
    """The schema PaidUp's own migrations build for ``revision``, in a scratch book."""
    with tempfile.TemporaryDirectory(prefix="paidup-schema-") as folder:
        scratch = database.connect(Path(folder) / "scratch.sqlite3")
        try:
            database.upgrade(scratch, revision)
        finally:
            scratch.close()
        conn = sqlite3.connect(Path(folder) / "scratch.sqlite3")
        try:
            return frozenset(schema_of(conn))
        finally:
            conn.close()

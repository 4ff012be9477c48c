"""Consistent copies of the books: SQLite's online backup API, rotated; pg_dump on a server."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
from datetime import datetime
from pathlib import Path

from desktop_app.domain.errors import RuleViolation
from desktop_app.storage.database import Database

KEEP = 20
PREFIX = "paidup-"


def _stamp(now: datetime) -> str:
    return now.strftime("%Y%m%d-%H%M%S-%f")


def sqlite_copy(source: Path, target: Path) -> None:
    """Page-by-page copy that is consistent even while another process writes."""
    target.parent.mkdir(parents=True, exist_ok=True)
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    try:
        dst = sqlite3.connect(target)
        try:
            src.backup(dst)
        finally:
            dst.close()
    finally:
        src.close()


def backup(db: Database, folder: Path, now: datetime, target: Path | None = None) -> Path:
    """Write a backup and keep the newest KEEP automatic ones in ``folder``."""
    if db.is_sqlite:
        path = target or folder / f"{PREFIX}{_stamp(now)}.sqlite3"
        sqlite_copy(Path(str(db.url.database)), path)
        if target is None:
            rotate(folder)
        return path
    return _pg_dump(db, target or folder / f"{PREFIX}{_stamp(now)}.dump")


def newest_stamp(folder: Path) -> datetime | None:
    """When the newest automatic copy in ``folder`` was made (from its name)."""
    stamps = []
    for path in folder.glob(f"{PREFIX}*.sqlite3"):
        try:
            stamps.append(datetime.strptime(path.stem.removeprefix(PREFIX),
                                            "%Y%m%d-%H%M%S-%f"))
        except ValueError:
            continue
    return max(stamps, default=None)


def rotate(folder: Path, keep: int = KEEP) -> None:
    copies = sorted(folder.glob(f"{PREFIX}*.sqlite3"))
    for old in copies[:-keep]:
        old.unlink(missing_ok=True)


def _pg_dump(db: Database, target: Path) -> Path:
    exe = shutil.which("pg_dump")
    if exe is None:
        raise RuleViolation(
            "backup: pg_dump is not installed here; the PostgreSQL server's own backups apply "
            "(install the postgresql-client package to make copies from this computer)"
        )
    url = db.url
    env = {"PGPASSWORD": url.password or ""}
    args = [exe, "--format=custom", f"--file={target}", "--no-password",
            f"--host={url.host or 'localhost'}", f"--port={url.port or 5432}",
            f"--username={url.username or ''}", str(url.database)]
    target.parent.mkdir(parents=True, exist_ok=True)
    result = subprocess.run(args, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        reason = (result.stderr.strip().splitlines() or ["no reason given"])[-1]
        raise RuleViolation(f"backup: pg_dump failed: {reason}")
    return target


def check_backup_file(path: Path) -> str:
    """A restore candidate must be an intact PaidUp database; returns its schema revision."""
    if not path.is_file():
        raise RuleViolation(f"restore: {path} does not exist")
    with path.open("rb") as fh:
        if fh.read(16) != b"SQLite format 3\x00":
            raise RuleViolation(f"restore: {path} is not a PaidUp backup (not an SQLite file)")
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        status = conn.execute("PRAGMA integrity_check").fetchone()[0]
        if status != "ok":
            raise RuleViolation(f"restore: {path} is damaged ({status})")
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if not {"alembic_version", "invoices", "companies"} <= tables:
            raise RuleViolation(f"restore: {path} is not a PaidUp database")
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.DatabaseError as exc:
        raise RuleViolation(f"restore: {path} cannot be read ({exc})") from None
    finally:
        conn.close()
    if row is None:
        raise RuleViolation(f"restore: {path} has no schema version")
    return str(row[0])


def restore_into(db: Database, source: Path) -> None:
    """Copy a checked backup over the live books through the backup API (WAL stays sound)."""
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    try:
        with db.engine.connect() as conn:
            raw = conn.connection.dbapi_connection
            src.backup(raw)  # type: ignore[arg-type]
    finally:
        src.close()

"""The lock file beside an SQLite book: who has it open, on which computer, since when.

SQLite keeps the processes of one computer apart, but not two computers sharing the file
from a network folder: SMB and NFS locks are unreliable, and WAL mode needs shared memory
that only one computer has. This file is how a second computer learns of the first. It is
only read and written here; the rules (when a lock is stale, who may share it) live in
``desktop_app.services.books_lock``.

The file is small JSON, written whole: a new lock is created exclusively (two computers
cannot both create it), an update is written beside it and moved over it in one step.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

from desktop_app import files

SUFFIX = ".lock"


@dataclass(frozen=True)
class Holder:
    """Who holds the lock; ``token`` tells one opening of the books from another."""

    host: str
    user: str
    pid: int
    since: datetime
    heartbeat: datetime
    token: str
    app: str

    def to_json(self) -> str:
        data = asdict(self)
        data["since"] = self.since.isoformat()
        data["heartbeat"] = self.heartbeat.isoformat()
        return json.dumps(data, ensure_ascii=False, indent=1)

    @classmethod
    def from_json(cls, text: str) -> Holder:
        data = json.loads(text)
        return cls(
            host=str(data["host"]),
            user=str(data["user"]),
            pid=int(data["pid"]),
            since=datetime.fromisoformat(data["since"]),
            heartbeat=datetime.fromisoformat(data["heartbeat"]),
            token=str(data["token"]),
            app=str(data.get("app", "")),
        )


def lock_path(database_file: Path) -> Path:
    return database_file.with_name(database_file.name + SUFFIX)


def read(path: Path) -> Holder | None:
    """The holder, or None when there is no lock or only an unreadable remnant of one."""
    try:
        return Holder.from_json(path.read_text(encoding="utf-8"))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def create(path: Path, holder: Holder) -> bool:
    """Write a new lock; False (and nothing written) when one already exists."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, files.FILE_MODE)
    except FileExistsError:
        return False
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(holder.to_json())
        handle.flush()
        os.fsync(handle.fileno())
    return True


def replace(path: Path, holder: Holder) -> None:
    """Put this holder in the lock in one step: readers see the old content or the new."""
    files.write_text(path, holder.to_json())


def modified(path: Path) -> datetime | None:
    """When the lock was last written, by the clock of the disk that holds it."""
    try:
        return datetime.fromtimestamp(path.stat().st_mtime, UTC)
    except OSError:
        return None


def remove(path: Path, token: str) -> None:
    """Delete the lock if it is still this opening's; another's lock is left alone."""
    holder = read(path)
    if holder is not None and holder.token == token:
        path.unlink(missing_ok=True)

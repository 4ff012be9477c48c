"""The one way PaidUp writes a file: whole or not at all, and readable by its owner only.

A file appears under its final name only once every byte is on disk: it is written to a
temporary name in the same folder, flushed and fsynced, then renamed over the target (an
atomic step on every system PaidUp runs on). A full disk, a size limit or a crash leaves the
previous file as it was and no half-written one behind. Books, backups, logs, letters and
exports hold customers' data, so files are 0600 and the folders PaidUp makes are 0700.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import IO, Any

from desktop_app.clock import system_now

FILE_MODE = 0o600
FOLDER_MODE = 0o700
TEMP_SUFFIX = ".partial"


def private_folder(path: Path) -> Path:
    """Make ``path`` (and missing parents) owner-only; an existing folder keeps its mode
    unless PaidUp made it, so a user's own Documents folder is never changed."""
    path = Path(path)
    missing = []
    probe = path
    while not probe.exists():
        missing.append(probe)
        if probe.parent == probe:
            break
        probe = probe.parent
    path.mkdir(parents=True, exist_ok=True)
    for made in missing:
        with contextlib.suppress(OSError):
            made.chmod(FOLDER_MODE)
    return path


def make_private(path: Path) -> None:
    """Owner-only for a file PaidUp did not write itself (the SQLite books and their WAL)."""
    with contextlib.suppress(FileNotFoundError):
        Path(path).chmod(FILE_MODE)


@contextlib.contextmanager
def replacing(path: Path, mode: str = "wb", *, encoding: str | None = None,
              newline: str | None = None) -> Iterator[IO[Any]]:
    """Open a temporary file beside ``path``; on leaving the block it becomes ``path``.

    On any error inside the block (or while flushing) the temporary file is removed and
    ``path`` is untouched.
    """
    if "w" not in mode:
        raise ValueError(f"replacing() writes; mode {mode!r} does not")
    path = Path(path)
    folder = path.parent
    folder.mkdir(parents=True, exist_ok=True)
    # mkstemp makes the file 0600, and the rename keeps that mode.
    fd, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=TEMP_SUFFIX, dir=folder)
    try:
        with os.fdopen(fd, mode, encoding=encoding, newline=newline) as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise
    _sync_folder(folder)


def write_bytes(path: Path, data: bytes) -> Path:
    with replacing(path, "wb") as handle:
        handle.write(data)
    return Path(path)


def write_text(path: Path, text: str, *, encoding: str = "utf-8",
               newline: str | None = None) -> Path:
    with replacing(path, "w", encoding=encoding, newline=newline) as handle:
        handle.write(text)
    return Path(path)


def temporary_beside(path: Path) -> Path:
    """A fresh name in ``path``'s folder for a writer that needs a path, not a handle
    (SQLite's backup API); pair it with ``commit_temporary`` or ``discard``."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=TEMP_SUFFIX,
                                     dir=path.parent)
    os.close(fd)
    return Path(temporary)


def commit_temporary(temporary: Path, path: Path) -> Path:
    """fsync the finished temporary file, then rename it into place."""
    fd = os.open(temporary, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
    os.replace(temporary, path)
    _sync_folder(Path(path).parent)
    return Path(path)


def discard(temporary: Path) -> None:
    with contextlib.suppress(FileNotFoundError):
        Path(temporary).unlink()


def remove_leftovers(folder: Path, prefix: str, *, older_than: timedelta) -> list[Path]:
    """Temporary files of writes that were cut off (a crash, kill -9) beside ``prefix``'s
    files, old enough that no running write owns them."""
    limit = (system_now() - older_than).timestamp()
    removed = []
    for leftover in folder.glob(f".{prefix}*{TEMP_SUFFIX}"):
        with contextlib.suppress(OSError):
            if leftover.stat().st_mtime < limit:
                leftover.unlink()
                removed.append(leftover)
    return removed


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable (POSIX); Windows has no folder handles to sync."""
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


# Characters no file name may hold on Windows, macOS or Linux, and that a mail program
# would take apart (path separators, quotes).
_UNSAFE_IN_NAMES = frozenset('<>:"/\\|?*')
MAX_NAME = 120


def file_name(stem: str, suffix: str) -> str:
    """A file name from any text (an invoice number made by a pattern like ``FV/{year}/
    {seq}``, a list of numbers): unsafe characters become '-', and a long stem is cut so
    that the name fits every system and the books' 200-character column."""
    cleaned = "".join("-" if ch in _UNSAFE_IN_NAMES or ord(ch) < 32 or ch == "\x7f" else ch
                      for ch in stem).strip(" .")
    cleaned = cleaned[:MAX_NAME - len(suffix)].rstrip(" .-") or "document"
    return cleaned + suffix

"""The database's own errors told as what happened and what to do, in one sentence each.

A busy book, a full disk, a read-only or damaged file are not bugs: the faces show these
sentences instead of the apology for the unexpected. A transaction that failed left nothing
behind, so each says that nothing was changed.
"""

from __future__ import annotations

import errno
from pathlib import Path

from sqlalchemy.engine import URL

from desktop_app import paths
from desktop_app.domain.errors import RuleViolation
from desktop_app.storage import backup, database
from desktop_app.storage.trouble import Trouble, trouble_of

RESTORE_HOW = "Settings › Backups › Restore, or paidup-cli restore FILE"


class BooksTrouble(RuleViolation):
    """The books could not be read or written for a reason outside PaidUp."""

    def __init__(self, trouble: Trouble, message: str) -> None:
        self.trouble = trouble
        super().__init__(message)


def explain(exc: BaseException, target: str | Path | URL) -> BooksTrouble | None:
    """The sentence for a database error on the books at ``target``; None for anything
    that is not trouble with the books (a bug, to be logged and apologised for)."""
    trouble = trouble_of(exc)
    if trouble is None:
        return None
    url = target if isinstance(target, URL) else database.to_url(target)
    where = database.describe(url)
    is_file = url.get_backend_name() == "sqlite"
    if trouble is Trouble.BUSY:
        text = (f"the books ({where}) are busy: another PaidUp is saving to them. Nothing "
                "was changed; try again in a moment")
    elif trouble is Trouble.FULL:
        place = f"the disk that holds {where}" if is_file else f"the server at {where}"
        text = (f"{place} is full. Nothing was changed; free some space there and try again")
    elif trouble is Trouble.READ_ONLY:
        text = (f"the books ({where}) may only be read here: the file or its folder is "
                "read-only. Nothing was changed; check the permissions of the file and its "
                "folder" if is_file else
                f"the server at {where} accepts no changes now (read-only). Nothing was "
                "changed; ask its administrator")
    elif trouble is Trouble.DAMAGED:
        text = f"the books ({where}) are damaged and cannot be read safely. Nothing was " + (
            _restore_advice(Path(str(url.database))) if is_file else
            "changed; ask the server's administrator to restore them")
    elif trouble is Trouble.UNREADABLE:
        text = (f"the disk reported an error reading or writing the books ({where}). "
                "Nothing was changed; check that the disk or network folder is there and "
                "try again")
    else:
        text = (f"the PostgreSQL server at {where} stopped answering. Nothing was changed; "
                "check the network and try again")
    return BooksTrouble(trouble, text)


def _restore_advice(book: Path) -> str:
    good = backup.newest_good_copy(paths.backup_dir(), book.stem)
    if good is None:
        return ("changed, and no good automatic backup of them was found; restore a copy "
                f"you made ({RESTORE_HOW})")
    return f"changed; restore the newest good backup, {good} ({RESTORE_HOW})"


def explain_file_error(exc: OSError, what: str) -> RuleViolation | None:
    """A file PaidUp was writing (a PDF, a CSV, a backup) that the system refused."""
    path = exc.filename or what
    reasons = {
        errno.ENOSPC: "the disk is full; free some space and try again",
        errno.EDQUOT: "your disk quota is used up; free some space and try again",
        errno.EFBIG: "the file would be larger than this system allows",
        errno.EACCES: "you may not write there; choose another folder",
        errno.EPERM: "you may not write there; choose another folder",
        errno.EROFS: "that disk is read-only; choose another folder",
        errno.ENOENT: "that folder does not exist",
        errno.EISDIR: "that is a folder; give a file name",
        errno.ENOTDIR: "a part of that path is a file, not a folder",
        errno.EIO: "the disk reported an error; check it and try again",
    }
    reason = reasons.get(exc.errno or 0)
    if reason is None:
        return None
    return RuleViolation(f"{what}: cannot write {path}: {reason}; nothing was written there")

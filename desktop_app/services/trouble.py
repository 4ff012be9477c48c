"""The database's own errors told as what happened and what to do, in one sentence each.

A busy book, a full disk, a read-only or damaged file are not bugs: the faces show these
sentences instead of the apology for the unexpected. A transaction that failed left nothing
behind, so each says that nothing was changed.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.engine import URL

from desktop_app import paths
from desktop_app.domain.errors import RuleViolation
from desktop_app.messages import N_, Value, Way
from desktop_app.storage import backup, database
from desktop_app.storage.trouble import Trouble, trouble_of

# Where a backup is restored: the command line names both ways, the window its own.
RESTORE = Way("Settings › Backups › Restore, or paidup-cli restore FILE",
              N_("Settings › Backups › Restore from a backup…"))


class BooksTrouble(RuleViolation):
    """The books could not be read or written for a reason outside PaidUp."""

    def __init__(self, trouble: Trouble, template: str, /, **values: Value) -> None:
        self.trouble = trouble
        super().__init__(template, **values)


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
        return BooksTrouble(trouble, N_("the books ({where}) are busy: another PaidUp is saving "
                                        "to them. Nothing was changed; try again in a moment"),
                            where=where)
    if trouble is Trouble.FULL:
        return BooksTrouble(trouble, N_("the disk that holds {where} is full. Nothing was "
                                        "changed; free some space there and try again")
                            if is_file else
                            N_("the server at {where} is full. Nothing was changed; free some "
                               "space there and try again"), where=where)
    if trouble is Trouble.READ_ONLY:
        return BooksTrouble(trouble, N_("the books ({where}) may only be read here: the file or "
                                        "its folder is read-only. Nothing was changed; check "
                                        "the permissions of the file and its folder")
                            if is_file else
                            N_("the server at {where} accepts no changes now (read-only). "
                               "Nothing was changed; ask its administrator"), where=where)
    if trouble is Trouble.DAMAGED:
        if is_file:
            return _damaged_file(trouble, where, Path(str(url.database)))
        return BooksTrouble(trouble, N_("the books ({where}) are damaged and cannot be read "
                                        "safely. Nothing was changed; ask the server's "
                                        "administrator to restore them"), where=where)
    if trouble is Trouble.UNREADABLE:
        return BooksTrouble(trouble, N_("the disk reported an error reading or writing the "
                                        "books ({where}). Nothing was changed; check that the "
                                        "disk or network folder is there and try again"),
                            where=where)
    return BooksTrouble(trouble, N_("the PostgreSQL server at {where} stopped answering. "
                                    "Nothing was changed; check the network and try again"),
                        where=where)


def _damaged_file(trouble: Trouble, where: str, book: Path) -> BooksTrouble:
    """Damaged books in a file, and the newest good backup to restore if there is one."""
    good = backup.newest_good_copy(paths.backup_dir(), book.stem)
    if good is None:
        return BooksTrouble(trouble, N_("the books ({where}) are damaged and cannot be read "
                                        "safely. Nothing was changed, and no good automatic "
                                        "backup of them was found; restore a copy you made "
                                        "({restore})"), where=where, restore=RESTORE)
    return BooksTrouble(trouble, N_("the books ({where}) are damaged and cannot be read safely. "
                                    "Nothing was changed; restore the newest good backup, "
                                    "{backup} ({restore})"), where=where, backup=str(good),
                        restore=RESTORE)

"""What went wrong with the database file or server, told from the driver's own error.

SQLite and PostgreSQL report a busy book, a full disk, a read-only file or a damaged one as
driver errors; the services turn each kind into a sentence a person can act on. The kind
comes from the error code, not from matching message text.
"""

from __future__ import annotations

import sqlite3
from enum import Enum

from sqlalchemy.exc import DBAPIError


class Trouble(Enum):
    BUSY = "busy"  # another writer holds the books past the wait (or a deadlock)
    FULL = "full"  # no space left for the books (or the file-size limit)
    READ_ONLY = "read_only"  # the file or its folder may not be written
    DAMAGED = "damaged"  # the file is not (or no longer) a sound SQLite database
    UNREADABLE = "unreadable"  # the disk failed a read or write, or the file cannot be opened
    UNREACHABLE = "unreachable"  # the PostgreSQL server went away


# SQLite's primary result codes (the low byte of an extended code).
_SQLITE = {
    5: Trouble.BUSY,  # SQLITE_BUSY
    6: Trouble.BUSY,  # SQLITE_LOCKED
    8: Trouble.READ_ONLY,  # SQLITE_READONLY
    10: Trouble.UNREADABLE,  # SQLITE_IOERR
    11: Trouble.DAMAGED,  # SQLITE_CORRUPT
    13: Trouble.FULL,  # SQLITE_FULL
    14: Trouble.UNREADABLE,  # SQLITE_CANTOPEN
    23: Trouble.READ_ONLY,  # SQLITE_AUTH
    26: Trouble.DAMAGED,  # SQLITE_NOTADB
}
# PostgreSQL SQLSTATE classes and codes.
_POSTGRES = {
    "40001": Trouble.BUSY,  # serialization_failure
    "40P01": Trouble.BUSY,  # deadlock_detected
    "55P03": Trouble.BUSY,  # lock_not_available
    "53100": Trouble.FULL,  # disk_full
    "25006": Trouble.READ_ONLY,  # read_only_sql_transaction
    "XX001": Trouble.DAMAGED,  # data_corrupted
    "XX002": Trouble.DAMAGED,  # index_corrupted
}


def trouble_of(exc: BaseException) -> Trouble | None:
    """The kind of database trouble behind ``exc``, or None for anything else (a bug)."""
    if isinstance(exc, DBAPIError):
        if exc.connection_invalidated:
            return Trouble.UNREACHABLE
        exc = exc.orig if exc.orig is not None else exc
    if isinstance(exc, sqlite3.Error):
        code = getattr(exc, "sqlite_errorcode", None)
        if code is None:
            return None
        return _SQLITE.get(code & 0xFF)
    sqlstate = getattr(exc, "sqlstate", None)
    if isinstance(sqlstate, str):
        if sqlstate in _POSTGRES:
            return _POSTGRES[sqlstate]
        if sqlstate.startswith("08"):  # connection_exception
            return Trouble.UNREACHABLE
    return None

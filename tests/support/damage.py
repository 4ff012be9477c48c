"""Books damaged as a failing disk damages them: every page after the first overwritten."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path


def damage(book: Path) -> None:
    """The write-ahead log is folded in first, so the damage is in the file itself."""
    with sqlite3.connect(book) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    with book.open("r+b") as handle:
        for page in range(1, book.stat().st_size // 4096):
            handle.seek(page * 4096)
            handle.write(os.urandom(4096))

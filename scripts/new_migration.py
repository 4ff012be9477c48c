"""Autogenerate the next Alembic migration from the models: new_migration.py REV "message"."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from alembic import command

from desktop_app.storage import database


def main() -> None:
    rev_id, message = sys.argv[1], sys.argv[2]
    with tempfile.TemporaryDirectory() as tmp:
        db = database.connect(Path(tmp) / "scratch.sqlite3")
        database.upgrade(db)
        cfg = database.alembic_config()
        with db.engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.revision(cfg, message=message, autogenerate=True, rev_id=rev_id)


if __name__ == "__main__":
    main()

"""An open set of books with who is working on it and what time it is."""

from __future__ import annotations

import getpass
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop_app import paths
from desktop_app.domain.errors import RuleViolation
from desktop_app.storage import backup, database
from desktop_app.storage.database import Database
from desktop_app.storage.models import AuditEntry, Company


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass
class Books:
    db: Database
    actor: str = field(default_factory=getpass.getuser)
    clock: Callable[[], datetime] = utc_now

    @property
    def location(self) -> str:
        return self.db.location

    def close(self) -> None:
        self.db.close()


def resolve_target(target: str | Path | None) -> str | Path:
    """Explicit target, else the default file in the user's data folder."""
    return target if target else paths.default_database()


def open_books(
    target: str | Path | None = None,
    *,
    actor: str | None = None,
    clock: Callable[[], datetime] = utc_now,
) -> Books:
    """Open (creating or migrating as needed) the books; a backup precedes any migration."""
    db = database.connect(resolve_target(target))
    try:
        database.check_schema(db)
        current = database.current_revision(db)
        if current != database.head_revision(db):
            if current is not None and db.is_sqlite:
                backup.backup(db, paths.backup_dir(), clock())
            database.upgrade(db)
    except Exception:
        db.close()
        raise
    return Books(db, actor or getpass.getuser(), clock)


def audit(
    session: Session,
    books: Books,
    action: str,
    entity: str,
    entity_id: int | None,
    detail: dict[str, Any] | None = None,
    sha256: str | None = None,
) -> None:
    session.add(
        AuditEntry(
            at=books.clock(),
            actor=books.actor,
            action=action,
            entity=entity,
            entity_id=entity_id,
            detail=json.dumps(detail or {}, default=str, ensure_ascii=False, sort_keys=True),
            sha256=sha256,
        )
    )


def the_company(session: Session) -> Company:
    company = session.scalars(select(Company).order_by(Company.id).limit(1)).first()
    if company is None:
        raise RuleViolation(
            "company: set up your company first (name, address, currency) in Settings "
            "or with 'paidup-cli company set --name ...'"
        )
    return company

"""An open set of books with who is working on it and what time it is.

Light to import: the ORM classes load with the first service that writes or reads objects
(``audit``, ``the_company``); a read of plain rows, such as a report, never loads them.
"""

from __future__ import annotations

import getpass
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, select
from sqlalchemy.exc import DBAPIError

from desktop_app import files, paths
from desktop_app.clock import system_now, system_today
from desktop_app.domain.errors import NotFound, RuleViolation
from desktop_app.messages import N_
from desktop_app.storage import backup, database, tables
from desktop_app.storage.database import Database

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from desktop_app.storage.models import Company, Customer

NO_COMPANY = N_("company: set up your company first (name, address, currency) in Settings "
                "or with 'paidup-cli company set --name ...'")


utc_now = system_now


@dataclass
class Books:
    db: Database
    actor: str = field(default_factory=getpass.getuser)
    clock: Callable[[], datetime] = utc_now
    # The books' day for rules that need one and were not handed it (a draft's preview).
    today: Callable[[], date] = system_today

    @property
    def location(self) -> str:
        return self.db.location

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Books:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()


def resolve_target(target: str | Path | None) -> str | Path:
    """Explicit target, else the default file in the user's data folder."""
    return target if target else paths.default_database()


def open_books(
    target: str | Path | None = None,
    *,
    actor: str | None = None,
    clock: Callable[[], datetime] = utc_now,
    today: Callable[[], date] = system_today,
) -> Books:
    """Open (creating or migrating as needed) the books; a backup precedes any migration."""
    where = resolve_target(target)
    try:
        db = database.connect(where)
    except DBAPIError as exc:
        raise _explained(exc, where) from None
    try:
        database.check_schema(db)
        current = database.current_revision(db)
        if current != database.head_revision(db):
            if current is not None and db.is_sqlite:
                backup.backup(db, paths.backup_dir(), clock())
            database.upgrade(db)
    except DBAPIError as exc:
        db.close()
        raise _explained(exc, where) from None
    except Exception:
        db.close()
        raise
    _keep_private(db)
    return Books(db, actor or getpass.getuser(), clock, today)


def _keep_private(db: Database) -> None:
    """Books in PaidUp's own data folder made readable by others (by an older version, or
    a copy by hand) become the owner's alone again; elsewhere the user chose the mode."""
    if not db.is_sqlite:
        return
    book = Path(str(db.url.database))
    if book.parent.resolve() != paths.data_dir().resolve():
        return
    for part in ("", "-wal", "-shm"):
        files.make_private(Path(f"{book}{part}"))


def _explained(exc: DBAPIError, where: str | Path) -> Exception:
    from desktop_app.services.trouble import explain

    return explain(exc, where) or exc


def audit(
    session: Session,
    books: Books,
    action: str,
    entity: str,
    entity_id: int | None,
    detail: dict[str, Any] | None = None,
    sha256: str | None = None,
) -> None:
    from desktop_app.storage.models import AuditEntry

    session.add(AuditEntry(**audit_entry(books, action, entity, entity_id, detail, sha256)))


def audit_entry(books: Books, action: str, entity: str, entity_id: int | None,
                detail: dict[str, Any] | None = None, sha256: str | None = None
                ) -> dict[str, Any]:
    """One audit entry's columns (a batch inserts thousands in one statement)."""
    return {"at": books.clock(), "actor": books.actor, "action": action, "entity": entity,
            "entity_id": entity_id, "sha256": sha256,
            "detail": json.dumps(detail or {}, default=str, ensure_ascii=False,
                                 sort_keys=True)}


def the_company(session: Session) -> Company:
    from desktop_app.storage.models import Company

    company = session.scalars(select(Company).order_by(Company.id).limit(1)).first()
    if company is None:
        raise RuleViolation(NO_COMPANY)
    return company


def require_customer(session: Session, customer_id: int, field: str = "customer") -> Customer:
    from desktop_app.storage.models import Customer

    customer = session.get(Customer, customer_id)
    if customer is None:
        raise NotFound(field, N_("no customer with id {id}"), id=str(customer_id))
    return customer


def schema_revision(books: Books) -> str | None:
    """The schema revision Alembic recorded in the books (None: never migrated)."""
    return database.current_revision(books.db)


def books_currency(conn: Connection) -> str:
    """The company's currency, for reads of plain rows (``Database.read_rows``)."""
    company = tables.companies
    currency = conn.scalar(select(company.c.currency).order_by(company.c.id).limit(1))
    if currency is None:
        raise RuleViolation(NO_COMPANY)
    return str(currency)

"""Opening the books: engine setup for SQLite and PostgreSQL, checks, migrations.

Opening books that are up to date needs no Alembic: the current revision is read with one
query and the shipped ones from the migration files' names (``0003_....py`` is revision
0003; a migration test holds Alembic to the same list). Alembic, slow to import, is
loaded only when a migration runs, and SQLAlchemy's ORM when a session is first opened:
reads of plain rows (``read_rows``) never need it.
"""

from __future__ import annotations

import os
import random
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection, Engine, create_engine, event, inspect, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import DBAPIError, OperationalError

from desktop_app import files
from desktop_app.domain.errors import RuleViolation
from desktop_app.messages import N_
from desktop_app.storage.trouble import Trouble, trouble_of

if TYPE_CHECKING:
    from alembic.config import Config
    from sqlalchemy.orm import Session, sessionmaker

MIGRATIONS = Path(__file__).with_name("migrations")
VERSIONS = MIGRATIONS / "versions"
BUSY_TIMEOUT_MS = 15_000
WRITE_PATIENCE_S = 120.0  # how long a writer queues for a busy SQLite book in all
ROOMY_CACHE_KIB = 32 * 1024  # SQLite's page cache for a write through much of a big book


def to_url(target: str | Path) -> URL:
    """A plain path means SQLite; anything with '://' is a SQLAlchemy URL."""
    text = str(target)
    if "://" in text:
        url = make_url(text)
        if url.drivername in ("postgresql", "postgres"):
            url = url.set(drivername="postgresql+psycopg")
        return url
    return URL.create("sqlite+pysqlite", database=str(Path(text).expanduser().absolute()))


def describe(url: URL) -> str:
    """Where the books are, for a person (never the password)."""
    if url.get_backend_name() == "sqlite":
        return str(url.database)
    return url.render_as_string(hide_password=True)


def _sqlite_engine(url: URL) -> Engine:
    engine = create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: sqlite3.Connection, _record: object) -> None:
        # Transactions are ours (BEGIN below), not the driver's guesswork.
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=FULL")  # a crash never loses a committed payment
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: object) -> None:
        # Writers take the lock up front so two writers queue instead of deadlocking.
        conn.exec_driver_sql(conn.get_execution_options().get("sqlite_begin", "BEGIN"))  # type: ignore[attr-defined]

    return engine


def _postgres_engine(url: URL) -> Engine:
    return create_engine(url, pool_pre_ping=True, connect_args={"connect_timeout": 5})


def _release_what_is_rolled_back(engine: Engine) -> None:
    """ROLLBACK TO SAVEPOINT leaves the savepoint open (on SQLite and PostgreSQL alike), so in
    a long transaction (``one_transaction``) every read and every refused write would nest
    all later work one level deeper, each level a subtransaction on PostgreSQL: a demo piled
    up 281. Released at once, the savepoints stay one deep. SQLAlchemy never goes back to a
    savepoint it rolled back to."""
    dialect = engine.dialect
    rollback_to = dialect.do_rollback_to_savepoint

    def rollback_and_release(connection: Connection, name: str) -> None:
        rollback_to(connection, name)
        dialect.do_release_savepoint(connection, name)

    dialect.do_rollback_to_savepoint = rollback_and_release  # type: ignore[method-assign]


def _begin_patiently(begin: Callable[[], object], abandon: Callable[[], None]) -> None:
    """Begin a write; on a busy SQLite book, queue again for up to ``WRITE_PATIENCE_S``.

    SQLite's own busy wait favours no one, and with many writers one of them can miss its
    turn for longer than that wait; waiting at the door, before any work, is safe."""
    deadline = time.monotonic() + WRITE_PATIENCE_S
    while True:
        try:
            begin()
            return
        except OperationalError as exc:
            abandon()
            if trouble_of(exc) is not Trouble.BUSY or time.monotonic() >= deadline:
                raise
            time.sleep(random.uniform(0.01, 0.2))


@dataclass
class Database:
    """An open set of books: one engine, sessions for reads and for writes."""

    url: URL
    engine: Engine
    # The connection of a ``one_transaction`` running in this thread, which every read and
    # write of the thread joins.
    _joined: threading.local = field(default_factory=threading.local, repr=False,
                                     compare=False)

    @property
    def is_sqlite(self) -> bool:
        return self.url.get_backend_name() == "sqlite"

    @property
    def location(self) -> str:
        return describe(self.url)

    @contextmanager
    def write(self) -> Iterator[Session]:
        """One transaction that commits on success and leaves nothing behind on failure
        (inside ``one_transaction``, a savepoint of it). On SQLite the write lock is taken
        before the work starts (BEGIN IMMEDIATE), so a busy book is met at the door."""
        from sqlalchemy.orm import Session

        joined = self._joined_connection()
        with (Session(joined, expire_on_commit=False, join_transaction_mode="create_savepoint")
              if joined is not None else Session(self._writer(), expire_on_commit=False)
              ) as session:
            if joined is None:
                _begin_patiently(lambda: (session.begin(), session.connection()),
                                 session.rollback)  # BEGIN (IMMEDIATE) runs at connection()
            try:
                yield session
            except BaseException:
                session.rollback()
                raise
            session.commit()

    @contextmanager
    def one_transaction(self) -> Iterator[None]:
        """Many services' work as one transaction: every ``write`` and ``read`` of this
        thread inside joins it (a write commits to a savepoint), and it commits at the end
        or leaves nothing at all, as a single write would. Already inside one, it joins."""
        if self._joined_connection() is not None:
            yield
            return
        with self._writer().connect() as conn:
            _begin_patiently(conn.begin, conn.rollback)
            self._joined.connection = conn
            try:
                yield
            except BaseException:
                conn.rollback()
                raise
            finally:
                self._joined.connection = None
            conn.commit()

    def _joined_connection(self) -> Connection | None:
        return getattr(self._joined, "connection", None)

    def _writer(self) -> Engine:
        """On SQLite the write lock is taken at BEGIN, before the work starts."""
        return self.engine.execution_options(sqlite_begin="BEGIN IMMEDIATE") if self.is_sqlite \
            else self.engine

    @contextmanager
    def roomy_cache(self, session: Session) -> Iterator[None]:
        """For a write that goes through much of a big book (a bank statement's import), a
        page cache of 32 MB on SQLite instead of its 2 MB: the pages of the invoices,
        installments and allocations it reads again, batch after batch, and of the indexes
        it writes, stay in the process instead of being read from the file again. The
        connection's own size comes back after (it returns to the pool)."""
        if not self.is_sqlite:
            yield
            return
        raw = session.connection().connection.driver_connection
        before = raw.execute("PRAGMA cache_size").fetchone()[0]
        raw.execute(f"PRAGMA cache_size=-{ROOMY_CACHE_KIB}")
        try:
            yield
        finally:
            raw.execute(f"PRAGMA cache_size={before}")

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A consistent view that writes nothing: whatever happens inside is rolled back."""
        from sqlalchemy.orm import Session

        joined = self._joined_connection()
        with (Session(joined, join_transaction_mode="create_savepoint") if joined is not None
              else Session(self.engine)) as session:
            session.begin()
            try:
                yield session
            finally:
                session.rollback()

    @contextmanager
    def read_rows(self) -> Iterator[Connection]:
        """``read`` for queries of plain rows (SQLAlchemy Core over ``storage.tables``): the
        same consistent view, rolled back at the end, without loading the ORM."""
        joined = self._joined_connection()
        if joined is not None:
            savepoint = joined.begin_nested()
            try:
                yield joined
            finally:
                savepoint.rollback()
            return
        with self.engine.connect() as conn:
            conn.begin()
            try:
                yield conn
            finally:
                conn.rollback()

    def sessionmaker(self) -> sessionmaker[Session]:
        from sqlalchemy.orm import sessionmaker

        return sessionmaker(self.engine, expire_on_commit=False)

    def close(self) -> None:
        if self.is_sqlite:
            self.optimize()
        self.engine.dispose()

    def optimize(self) -> None:
        """Refresh the query planner's statistics where they are stale (SQLite's advice for
        a long-lived database: without them a big book may be read in a slow order)."""
        if not self.is_sqlite:
            return
        try:
            with self.engine.connect() as conn:
                conn.exec_driver_sql("PRAGMA optimize")
        except DBAPIError:  # a read-only or busy file: statistics can wait for next time
            pass


def connect(target: str | Path) -> Database:
    """Engine for the target; refuses unreadable files and unreachable servers plainly."""
    url = to_url(target)
    backend = url.get_backend_name()
    if backend == "sqlite":
        path = Path(str(url.database))
        if path.exists():
            _check_sqlite_file(path)
        else:
            _create_private(path)
        engine = _sqlite_engine(url)
    elif backend == "postgresql":
        engine = _postgres_engine(url)
    else:
        raise RuleViolation(N_("database: '{backend}' is not supported; use a file or "
                               "PostgreSQL"), backend=backend)
    _release_what_is_rolled_back(engine)
    db = Database(url, engine)
    try:
        with engine.connect():
            pass
    except OperationalError as exc:
        engine.dispose()
        if _is_reachability(exc):
            raise _unreachable(db, exc) from None
        raise  # a damaged, read-only or busy file: the services say so in their words
    return db


def _is_reachability(exc: DBAPIError) -> bool:
    return trouble_of(exc) in (None, Trouble.UNREACHABLE, Trouble.UNREADABLE)


def _unreachable(db: Database, exc: DBAPIError) -> RuleViolation:
    if not exc.orig:
        return RuleViolation(
            N_("database: cannot open {location}: no answer") if db.is_sqlite
            else N_("database: cannot reach the PostgreSQL server at {location}: no answer"),
            location=db.location)
    return RuleViolation(
        N_("database: cannot open {location}: {reason}") if db.is_sqlite
        else N_("database: cannot reach the PostgreSQL server at {location}: {reason}"),
        location=db.location, reason=str(exc.orig).strip().splitlines()[0])


def _create_private(path: Path) -> None:
    """A new book is the owner's alone; SQLite gives its WAL and shared-memory files the
    book's own mode."""
    files.private_folder(path.parent)
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, files.FILE_MODE))
    except FileExistsError:  # another program made it a moment ago
        pass
    except OSError as exc:
        raise RuleViolation(N_("database: cannot create {path}: {reason}"), path=str(path),
                            reason=str(exc.strerror)) from None


def _check_sqlite_file(path: Path) -> None:
    if path.is_dir():
        raise RuleViolation(N_("database: {path} is a folder, not a PaidUp database file"),
                            path=str(path))
    try:
        with path.open("rb") as fh:
            header = fh.read(16)
    except OSError as exc:
        raise RuleViolation(N_("database: cannot read {path}: {reason}"), path=str(path),
                            reason=str(exc.strerror)) from None
    if header and header != b"SQLite format 3\x00":
        raise RuleViolation(N_("database: {path} is not a PaidUp database (not an SQLite "
                               "file)"), path=str(path))


def alembic_config() -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return cfg


def known_revisions() -> set[str]:
    """The revisions this PaidUp ships, from the migration files' names."""
    return {path.name.partition("_")[0] for path in VERSIONS.glob("[0-9]*_*.py")}


def head_revision(db: Database) -> str:
    return max(known_revisions())


def current_revision(db: Database) -> str | None:
    """What Alembic recorded in the books (None: never migrated)."""
    try:
        with db.engine.connect() as conn:
            if not inspect(conn).has_table("alembic_version"):
                return None
            return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
    except DBAPIError as exc:
        if _is_reachability(exc):
            raise _unreachable(db, exc) from None
        raise


def check_schema(db: Database) -> None:
    """Refuse a database written by a newer PaidUp, or a foreign one, before touching it."""
    current = current_revision(db)
    if current is None:
        with db.engine.connect() as conn:
            tables = set(inspect(conn).get_table_names())
        if tables:
            raise RuleViolation(
                N_("database: {location} holds other data, not a PaidUp database"),
                location=db.location,
            )
        return
    if current not in known_revisions():
        raise RuleViolation(
            N_("database: {location} was written by a newer PaidUp (schema {schema}); "
               "install the newer version to open it"),
            location=db.location, schema=current,
        )


def upgrade(db: Database, revision: str = "head") -> None:
    from alembic import command

    cfg = alembic_config()
    with db.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)


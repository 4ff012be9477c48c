"""Suite-wide setup: isolated app folders, offscreen Qt, and the PostgreSQL test server.

Fixtures here:
    pg_server_url    (session)  SQLAlchemy URL of a running server's 'postgres' database:
                                $PAIDUP_TEST_PG_URL if set, else a private server started
                                for this pytest run and stopped at its end.
    pg_database_url  (function) a fresh, empty database on that server, dropped afterwards.
    db_url           (function) parametrized 'sqlite' (a file path in tmp_path) and
                                'postgres' (a database on that server, marked `postgres`):
                                empty books at the newest schema, each a copy of books
                                migrated once a session (migrating takes 0.15 s on SQLite
                                and 0.25 s on PostgreSQL, a copy a few milliseconds; the
                                migrations themselves are tested in tests/storage)
    books            (function) books opened on db_url with a fixed clock and actor.
    ready            (function) those books with a company, terms and one customer.
    read_pdf         (function) Pdf: a PDF's text and word boxes, to assert on.
    cli              (function) paidup-cli in this process on db_url (tests/support/cli.py).
    einvoice_rules   (session)  the official EN 16931 / XRechnung rules, compiled once
                                (tests/support/einvoice.py).
    memory_keyring, test_ca, server_tls, ca_file   (tests/support/mail_fixtures.py)

A test marked `postgres` fails when PostgreSQL is not installed (install the Debian package
'postgresql'), unless PAIDUP_SKIP_PG=1, which skips it instead.

PAIDUP_TEST_SHARD="I/N" keeps the tests whose id falls to part I of N (0-based): the
faketime tier spreads its tests over its days, each test run on one of them.
"""

from __future__ import annotations

import itertools
import os
import secrets
import shutil
import sys
import zlib
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # so `tests.support` imports however pytest was started
    sys.path.insert(0, str(ROOT))

from desktop_app.services.books import Books, open_books  # noqa: E402
from tests.support import postgres  # noqa: E402
from tests.support.books import fixed_clock, fixed_day, make_ready  # noqa: E402
from tests.support.cli import runner  # noqa: E402
from tests.support.patient_qtbot import PatientQtBot  # noqa: E402
from tests.support.pdf import Pdf  # noqa: E402

pytest_plugins = ("tests.support.mail_fixtures",)  # keyring and TLS for mail and window

# Before anything creates a QApplication; a developer may still choose another platform.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

_database_numbers = itertools.count(1)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    shard = os.environ.get("PAIDUP_TEST_SHARD")
    if not shard:
        return
    part, parts = (int(n) for n in shard.split("/"))
    kept = [item for item in items if zlib.crc32(item.nodeid.encode()) % parts == part]
    dropped = [item for item in items if zlib.crc32(item.nodeid.encode()) % parts != part]
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept


@pytest.fixture(autouse=True)
def _isolated_app_folders(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every test gets its own data, config and log folders; none touches the real ones."""
    base = tmp_path_factory.mktemp("paidup-env")
    monkeypatch.setenv("PAIDUP_DATA_DIR", str(base / "data"))
    monkeypatch.setenv("PAIDUP_CONFIG_DIR", str(base / "config"))
    monkeypatch.setenv("PAIDUP_LOG_DIR", str(base / "logs"))
    monkeypatch.delenv("PAIDUP_BACKUP_DIR", raising=False)
    monkeypatch.delenv("PAIDUP_DB", raising=False)


@pytest.fixture(autouse=True)
def _postgres_marker(request: pytest.FixtureRequest) -> None:
    """A `postgres`-marked test gets the server (or its failure/skip) even if it asks for none."""
    if request.node.get_closest_marker("postgres") is not None:
        request.getfixturevalue("pg_server_url")


@pytest.fixture(scope="session")
def pg_server_url() -> Iterator[str]:
    url = os.environ.get(postgres.URL_ENV)
    if url:
        yield url
        return
    bindir = postgres.find_bindir()
    if bindir is None:
        if os.environ.get(postgres.SKIP_ENV) == "1":
            pytest.skip(f"PostgreSQL is not installed and {postgres.SKIP_ENV}=1")
        pytest.fail(postgres.MISSING_MESSAGE, pytrace=False)
    server = postgres.PostgresServer.start(bindir)
    # Programs the tests start (CLI runs, ...) find the same server.
    os.environ[postgres.URL_ENV] = server.url
    try:
        yield server.url
    finally:
        os.environ.pop(postgres.URL_ENV, None)
        server.stop()


@pytest.fixture
def pg_database_url(pg_server_url: str) -> Iterator[str]:
    """A new empty database for this test alone (SQLAlchemy URL, psycopg driver)."""
    name = f"paidup_test_{os.getpid()}_{next(_database_numbers)}_{secrets.token_hex(3)}"
    url = postgres.create_database(pg_server_url, name)
    try:
        yield url
    finally:
        postgres.drop_database(pg_server_url, name)


@pytest.fixture(scope="session")
def migrated_sqlite(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Empty books at the newest schema, to copy."""
    path = tmp_path_factory.mktemp("migrated") / "books.sqlite3"
    with pytest.MonkeyPatch.context() as patch:  # as _isolated_app_folders does per test
        for folder in ("DATA", "CONFIG", "LOG"):
            patch.setenv(f"PAIDUP_{folder}_DIR", str(path.parent / folder.lower()))
        open_books(path, actor="tester", clock=fixed_clock).close()
    return path


@pytest.fixture(scope="session")
def migrated_postgres(pg_server_url: str) -> Iterator[str]:
    """The name of an empty database at the newest schema, to copy (CREATE DATABASE ...
    TEMPLATE): nothing stays connected to it."""
    name = f"paidup_migrated_{os.getpid()}_{secrets.token_hex(3)}"
    open_books(postgres.create_database(pg_server_url, name), actor="tester",
               clock=fixed_clock).close()
    try:
        yield name
    finally:
        postgres.drop_database(pg_server_url, name)


@pytest.fixture(
    params=[
        pytest.param("sqlite", id="sqlite"),
        pytest.param("postgres", id="postgres", marks=pytest.mark.postgres),
    ]
)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """Where to open the books: a SQLite file path, or a PostgreSQL database URL; empty
    books at the newest schema either way."""
    if request.param == "sqlite":
        path = tmp_path / "books.sqlite3"
        shutil.copyfile(request.getfixturevalue("migrated_sqlite"), path)
        yield str(path)
        return
    server = request.getfixturevalue("pg_server_url")
    name = f"paidup_test_{os.getpid()}_{next(_database_numbers)}_{secrets.token_hex(3)}"
    url = postgres.create_database(server, name,
                                   template=request.getfixturevalue("migrated_postgres"))
    try:
        yield url
    finally:
        postgres.drop_database(server, name)


@pytest.fixture
def books(db_url: str) -> Iterator[Books]:
    opened = open_books(db_url, actor="tester", clock=fixed_clock, today=fixed_day)
    yield opened
    opened.close()


@pytest.fixture
def ready(books: Books) -> Books:
    return make_ready(books)


@pytest.fixture
def qtbot(qtbot) -> PatientQtBot:
    """pytest-qt's bot, patient with a busy machine (see tests/support/patient_qtbot.py)."""
    return PatientQtBot(qtbot)


@pytest.fixture
def read_pdf() -> type[Pdf]:
    return Pdf


@pytest.fixture
def cli(db_url: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("PAIDUP_DB", str(db_url))
    return runner(capsys)


@pytest.fixture(scope="session")
def einvoice_rules():
    """The official EN 16931 and XRechnung rules, each stylesheet compiled once a session
    (tests/support/einvoice.py)."""
    from tests.support.einvoice import Rules

    return Rules()

"""The test suite's own plumbing: folders, the PostgreSQL server, the db_url parametrization."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import make_url

from desktop_app.storage import database

ROOT = Path(__file__).resolve().parent.parent

_databases_seen: list[str] = []


def test_app_folders_are_private_to_the_test() -> None:
    home = Path.home().resolve()
    for name in ("PAIDUP_DATA_DIR", "PAIDUP_CONFIG_DIR", "PAIDUP_LOG_DIR"):
        folder = Path(os.environ[name]).resolve()
        assert not folder.is_relative_to(home / ".local")
        assert not folder.is_relative_to(home / ".config")
    assert "PAIDUP_DB" not in os.environ
    assert os.environ["QT_QPA_PLATFORM"]


@pytest.mark.postgres
def test_postgres_database_keeps_what_is_written(pg_database_url: str) -> None:
    url = make_url(pg_database_url)
    assert url.drivername == "postgresql+psycopg"
    engine = create_engine(url)
    try:
        with engine.begin() as conn:
            conn.execute(text("CREATE TABLE note (id integer PRIMARY KEY, body text NOT NULL)"))
            conn.execute(text("INSERT INTO note VALUES (1, 'Zahlung erhalten — merci')"))
        with engine.connect() as conn:
            assert conn.execute(text("SELECT body FROM note")).scalar_one() == (
                "Zahlung erhalten — merci"
            )
            assert conn.execute(text("SHOW server_encoding")).scalar_one() == "UTF8"
            assert conn.execute(text("SELECT current_database()")).scalar_one() == url.database
    finally:
        engine.dispose()


@pytest.mark.postgres
@pytest.mark.parametrize("turn", [1, 2])
def test_each_test_gets_its_own_empty_database(pg_database_url: str, turn: int) -> None:
    name = make_url(pg_database_url).database
    assert name not in _databases_seen
    engine = create_engine(pg_database_url)
    try:
        with engine.begin() as conn:
            assert inspect(conn).get_table_names() == []
            conn.execute(text("CREATE TABLE left_behind (id integer)"))
            existing = set(conn.execute(text("SELECT datname FROM pg_database")).scalars())
    finally:
        engine.dispose()
    assert name in existing
    assert not existing.intersection(_databases_seen), "an earlier test's database was kept"
    _databases_seen.append(name)


def test_db_url_gives_a_place_for_the_books(
    db_url: str, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    kind = request.node.callspec.id
    marked = request.node.get_closest_marker("postgres") is not None
    if kind == "sqlite":
        assert Path(db_url) == tmp_path / "books.sqlite3"
        assert not marked
    else:
        assert kind == "postgres"
        assert make_url(db_url).get_backend_name() == "postgresql"
        assert marked
    db = database.connect(db_url)  # empty books at the newest schema, ready to open
    try:
        assert database.current_revision(db) == database.head_revision(db)
        with db.read_rows() as conn:
            assert conn.scalar(text("SELECT count(*) FROM companies")) == 0
    finally:
        db.close()


def test_db_url_runs_each_test_on_both_backends() -> None:
    target = f"{Path(__file__).relative_to(ROOT)}::test_db_url_gives_a_place_for_the_books"
    env = {k: v for k, v in os.environ.items() if k != "PYTEST_ADDOPTS"}
    listing = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider",
         "-m", "postgres", target],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert listing.returncode == 0, listing.stdout + listing.stderr
    assert f"{target}[postgres]" in listing.stdout
    assert f"{target}[sqlite]" not in listing.stdout  # collected, then deselected by -m
    assert "1/2 tests collected (1 deselected)" in listing.stdout

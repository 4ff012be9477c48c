"""A throwaway PostgreSQL server for the test suite.

The session fixture in tests/conftest.py starts one per pytest run when it is needed.
A script that runs pytest several times can share one server instead:

    eval "$(python -m tests.support.postgres start)"   # exports PAIDUP_TEST_PG_URL/_DATA
    python -m pytest ...                                 # the fixture uses that server
    python -m tests.support.postgres stop               # reads PAIDUP_TEST_PG_DATA

initdb and postgres refuse to run as root, so as root every server command runs as the
'postgres' system user (created by the Debian package) through runuser.
"""

from __future__ import annotations

import argparse
import os
import pwd
import re
import shlex
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import NoReturn

DEBIAN_PACKAGE = "postgresql"
URL_ENV = "PAIDUP_TEST_PG_URL"  # a running server's SQLAlchemy URL (its 'postgres' database)
DATA_ENV = "PAIDUP_TEST_PG_DATA"  # the folder of a server started by `start`
SKIP_ENV = "PAIDUP_SKIP_PG"  # "1": skip the PostgreSQL tests when no server can be had
BINDIR_ENV = "PAIDUP_PG_BINDIR"  # optional: where initdb and pg_ctl live
SERVER_USER = "postgres"

MISSING_MESSAGE = (
    "PostgreSQL server programs (initdb, pg_ctl) were not found on PATH nor in "
    f"/usr/lib/postgresql/*/bin. Install the Debian package '{DEBIAN_PACKAGE}' "
    f"(`make deps`, or `apt-get install {DEBIAN_PACKAGE}`), or point {URL_ENV} at a running "
    f"server, or set {SKIP_ENV}=1 to skip the PostgreSQL tests."
)


class PostgresError(RuntimeError):
    """The test server could not be set up."""


def find_bindir() -> Path | None:
    """The folder holding initdb and pg_ctl: $PAIDUP_PG_BINDIR, PATH, or the newest Debian one."""
    candidates: list[Path] = []
    if os.environ.get(BINDIR_ENV):
        candidates.append(Path(os.environ[BINDIR_ENV]))
    on_path = shutil.which("initdb")
    if on_path:
        candidates.append(Path(on_path).resolve().parent)

    def version(path: Path) -> tuple[int, ...]:
        return tuple(int(part) for part in re.findall(r"\d+", path.parent.name)) or (0,)

    candidates += sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=version, reverse=True)
    for folder in candidates:
        if (folder / "initdb").is_file() and (folder / "pg_ctl").is_file():
            return folder
    return None


def _server_locale() -> str:
    """C.UTF-8 when the C library has it (Debian 12 does), else plain C."""
    try:
        listing = subprocess.run(
            ["locale", "-a"], capture_output=True, text=True, check=False
        ).stdout
    except OSError:
        return "C"
    names = {line.strip().lower().replace("-", "") for line in listing.splitlines()}
    return "C.UTF-8" if "c.utf8" in names else "C"


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _as_root() -> bool:
    return os.geteuid() == 0


def _server_account() -> pwd.struct_passwd:
    try:
        return pwd.getpwnam(SERVER_USER)
    except KeyError:
        raise PostgresError(
            f"running as root, but there is no '{SERVER_USER}' user to run the server as "
            f"(the Debian package '{DEBIAN_PACKAGE}' creates it)"
        ) from None


def _clean_env() -> dict[str, str]:
    """Our environment minus libpq's PG* variables, which would redirect the tools."""
    return {k: v for k, v in os.environ.items() if not k.startswith("PG")}


def _run(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run a server program, as the 'postgres' user when we are root."""
    if _as_root():
        runuser = shutil.which("runuser")
        if runuser:
            args = [runuser, "-u", SERVER_USER, "--", *args]
        else:
            args = ["su", SERVER_USER, "-s", "/bin/sh", "-c", shlex.join(args)]
    return subprocess.run(
        args, cwd=cwd, env=_clean_env(), capture_output=True, text=True, check=False
    )


def _fail(what: str, result: subprocess.CompletedProcess[str], log: Path | None = None) -> NoReturn:
    details = (result.stdout + result.stderr).strip()
    if log is not None and log.exists():
        details += "\n--- server log (last lines) ---\n" + "\n".join(
            log.read_text(errors="replace").splitlines()[-20:]
        )
    raise PostgresError(f"{what} failed (exit {result.returncode}):\n{details}")


@dataclass
class PostgresServer:
    """One private server: data, socket and log all under `root`, listening on 127.0.0.1."""

    bindir: Path
    root: Path
    port: int = 0

    @property
    def data(self) -> Path:
        return self.root / "data"

    @property
    def log(self) -> Path:
        return self.root / "server.log"

    @property
    def url(self) -> str:
        return f"postgresql+psycopg://{SERVER_USER}@127.0.0.1:{self.port}/postgres"

    @classmethod
    def start(cls, bindir: Path | None = None, base_dir: str | None = None) -> PostgresServer:
        bindir = bindir or find_bindir()
        if bindir is None:
            raise PostgresError(MISSING_MESSAGE)
        root = Path(tempfile.mkdtemp(prefix="paidup-pg-", dir=base_dir))
        server = cls(bindir=bindir, root=root)
        try:
            server._init()
            server._launch()
        except BaseException:
            server.stop()
            raise
        return server

    def _init(self) -> None:
        sockets = self.root / "sock"
        sockets.mkdir()
        if _as_root():
            account = _server_account()
            for path in (self.root, sockets):
                os.chown(path, account.pw_uid, account.pw_gid)
        result = _run(
            [
                str(self.bindir / "initdb"),
                "-D", str(self.data),
                "--auth=trust",
                "-U", SERVER_USER,
                "--encoding=UTF8",
                f"--locale={_server_locale()}",
                "--no-sync",
                "--no-instructions",
            ],
            cwd=self.root,
        )  # fmt: skip
        if result.returncode != 0:
            _fail("initdb", result)
        settings = {
            "listen_addresses": "'127.0.0.1'",
            "unix_socket_directories": f"'{sockets}'",
            "fsync": "off",
            "synchronous_commit": "off",
            "full_page_writes": "off",
            "max_connections": "200",
        }
        with (self.data / "postgresql.conf").open("a") as conf:
            conf.write("\n# PaidUp test server\n")
            conf.writelines(f"{key} = {value}\n" for key, value in settings.items())

    def _launch(self) -> None:
        for attempt in range(3):
            self.port = _free_port()
            result = _run(
                [
                    str(self.bindir / "pg_ctl"),
                    "-D", str(self.data),
                    "-l", str(self.log),
                    "-o", f"-p {self.port}",
                    "-w", "-t", "60", "-s",
                    "start",
                ],
                cwd=self.root,
            )  # fmt: skip
            if result.returncode == 0:
                self._wait_until_accepting()
                return
            log = self.log.read_text(errors="replace") if self.log.exists() else ""
            if "could not bind" not in log or attempt == 2:
                _fail("pg_ctl start", result, self.log)

    def _wait_until_accepting(self, timeout: float = 30.0) -> None:
        import psycopg

        deadline = time.monotonic() + timeout
        while True:
            try:
                with psycopg.connect(admin_conninfo(self.url), connect_timeout=5):
                    return
            except psycopg.OperationalError as exc:
                if time.monotonic() > deadline:
                    raise PostgresError(f"server at {self.url} never accepted: {exc}") from exc
                time.sleep(0.1)

    def stop(self) -> None:
        """Stop the server (immediately: its data is throwaway) and remove its folder."""
        if (self.data / "postmaster.pid").exists():
            _run(
                [str(self.bindir / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "-s",
                 "stop"],
                cwd=self.root,
            )  # fmt: skip
        shutil.rmtree(self.root, ignore_errors=True)


def admin_conninfo(url: str) -> str:
    """A libpq URI for psycopg from a SQLAlchemy URL ('postgresql+psycopg://...')."""
    from sqlalchemy.engine import make_url

    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def create_database(server_url: str, name: str, template: str | None = None) -> str:
    """Create a database on the server, empty or a copy of ``template``; returns its
    SQLAlchemy URL."""
    import psycopg
    from sqlalchemy.engine import make_url

    copy = f" TEMPLATE {_quote(template)}" if template else ""
    with psycopg.connect(admin_conninfo(server_url), autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {_quote(name)}{copy}")  # type: ignore[arg-type]
    return make_url(server_url).set(database=name).render_as_string(hide_password=False)


def drop_database(server_url: str, name: str) -> None:
    """Drop a database, cutting off any connection a test left open."""
    import psycopg

    with psycopg.connect(admin_conninfo(server_url), autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {_quote(name)} WITH (FORCE)")  # type: ignore[arg-type]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m tests.support.postgres",
        description="Start or stop a throwaway PostgreSQL server for the tests.",
    )
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("start", help="start a server; prints shell `export` lines for eval")
    stop = sub.add_parser("stop", help="stop a server started by `start`")
    stop.add_argument("folder", nargs="?", help=f"the server's folder (default: ${DATA_ENV})")
    args = parser.parse_args(argv)

    if args.command == "start":
        started = time.monotonic()
        try:
            server = PostgresServer.start()
        except PostgresError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2
        print(f"export {URL_ENV}={shlex.quote(server.url)}")
        print(f"export {DATA_ENV}={shlex.quote(str(server.root))}")
        print(
            f"PostgreSQL test server up at {server.url} ({time.monotonic() - started:.1f}s)",
            file=sys.stderr,
        )
        return 0

    folder = args.folder or os.environ.get(DATA_ENV)
    if not folder:
        parser.error(f"no folder given and ${DATA_ENV} is not set")
    root = Path(folder)
    if not (root / "data").is_dir():
        print(f"error: {root} does not hold a test server", file=sys.stderr)
        return 2
    bindir = find_bindir()
    if bindir is None:
        print(f"error: {MISSING_MESSAGE}", file=sys.stderr)
        return 2
    PostgresServer(bindir=bindir, root=root).stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""SQLite books are open on one computer at a time; that computer's programs may share them.

Two computers writing one SQLite file from a network folder can corrupt it, so the window
claims a lock file beside the books (``storage.lock_file``) and renews its heartbeat while
it runs. Another computer that finds a fresh lock is told who has the books open, where and
since when, and its user chooses: leave, or take the books over. A lock whose heartbeat has
stopped (a crash, a computer switched off) is stale and taken over without asking. On the
same computer SQLite keeps processes apart itself, so a second program (the command line,
another user's window) shares the books without a question. PostgreSQL books need no lock:
the server keeps computers apart.

Times in the lock are each writer's clock; a lock stamped a little in the future counts as
fresh, one stamped hours ahead is judged by when its file was last written.
"""

from __future__ import annotations

import getpass
import logging
import os
import secrets
import socket
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from desktop_app import __version__
from desktop_app.domain.errors import RuleViolation
from desktop_app.messages import N_
from desktop_app.services.books import resolve_target, utc_now
from desktop_app.storage import database, lock_file
from desktop_app.storage.lock_file import Holder

__all__ = ["BooksInUse", "BooksLock", "Here", "Holder", "books_identity", "lock_books"]

log = logging.getLogger(__name__)

HEARTBEAT = timedelta(seconds=60)
STALE_AFTER = timedelta(minutes=5)
"""Five missed heartbeats: long enough for a busy network folder, short after a crash."""


@dataclass(frozen=True)
class Here:
    """This program as a lock names it; tests pass another to play a second computer."""

    host: str = field(default_factory=socket.gethostname)
    user: str = field(default_factory=getpass.getuser)
    pid: int = field(default_factory=os.getpid)


def _local(moment: datetime) -> str:
    return moment.astimezone().strftime("%Y-%m-%d %H:%M")


class BooksInUse(RuleViolation):
    """Another computer has these books open; ``holder`` says who, where and since when."""

    def __init__(self, location: str, holder: Holder) -> None:
        self.location = location
        self.holder = holder
        super().__init__(
            N_("{location} is open on the computer {host} by {user} since {since} (last seen "
               "{seen}); working on it from two computers at once can damage the books"),
            location=location, host=repr(holder.host), user=holder.user,
            since=_local(holder.since), seen=_local(holder.heartbeat))


def is_stale(holder: Holder, now: datetime, written: datetime | None = None) -> bool:
    """Five missed heartbeats. A heartbeat further in the future than that is a clock gone
    wrong, not a sign of life: then the lock's age is judged by when its file was last
    written (a live holder rewrites it every minute)."""
    heartbeat = holder.heartbeat
    if heartbeat - now > STALE_AFTER:
        if written is None:
            return True
        heartbeat = written
    return now - heartbeat > STALE_AFTER


def books_identity(target: str | Path | None) -> str:
    """One name per set of books, however the user spelled its path (no password in it)."""
    url = database.to_url(resolve_target(target))
    if url.get_backend_name() == "sqlite":
        return os.path.normcase(str(Path(str(url.database)).resolve()))
    return database.describe(url)


class BooksLock:
    """This program's claim on a set of books: renewed by ``refresh``, ended by ``release``."""

    def __init__(self, path: Path | None, location: str, here: Here,
                 clock: Callable[[], datetime]) -> None:
        self.path = path
        self.location = location
        self.here = here
        self._clock = clock
        self._token = secrets.token_hex(8)
        self._since = clock()
        self._stop = threading.Event()

    def _holder(self, now: datetime) -> Holder:
        return Holder(host=self.here.host, user=self.here.user, pid=self.here.pid,
                      since=self._since, heartbeat=now, token=self._token,
                      app=f"PaidUp {__version__}")

    def _write(self, now: datetime, current: Holder | None) -> None:
        """Make the lock ours, then read it back: of two computers writing, one wins."""
        assert self.path is not None
        if current is not None or not lock_file.create(self.path, self._holder(now)):
            lock_file.replace(self.path, self._holder(now))
        landed = lock_file.read(self.path)
        if landed is not None and landed.token != self._token and landed.host != self.here.host:
            raise BooksInUse(self.location, landed)

    def claim(self, *, take_over: bool) -> None:
        if self.path is None:
            return
        now = self._clock()
        current = lock_file.read(self.path)
        if current is None and lock_file.create(self.path, self._holder(now)):
            return
        current = current or lock_file.read(self.path)
        if current is None or is_stale(current, now, lock_file.modified(self.path)):
            self._write(now, current)
        elif current.host == self.here.host:
            log.info("sharing %s with %s's program %d on this computer",
                     self.location, current.user, current.pid)
        elif take_over:
            log.warning("taking %s over from %s on %s", self.location, current.user,
                        current.host)
            self._write(now, current)
        else:
            raise BooksInUse(self.location, current)

    def refresh(self) -> Holder | None:
        """Renew the heartbeat; returns the other computer's holder if it took the books."""
        if self.path is None:
            return None
        now = self._clock()
        current = lock_file.read(self.path)
        if current is not None and current.token == self._token:
            lock_file.replace(self.path, self._holder(now))
        elif current is None or is_stale(current, now, lock_file.modified(self.path)):
            try:
                self._write(now, current)
            except BooksInUse as lost:
                return lost.holder
        elif current.host != self.here.host:
            return current
        return None

    def keep_alive(self, on_taken_over: Callable[[Holder], None]) -> None:
        """Refresh every HEARTBEAT on a thread of its own (a network folder may be slow).

        ``on_taken_over`` is called once, on that thread, if another computer took over.
        """
        if self.path is None:
            return

        def beat() -> None:
            while not self._stop.wait(HEARTBEAT.total_seconds()):
                try:
                    taken = self.refresh()
                except OSError as exc:
                    log.warning("could not renew the lock on %s: %s", self.location, exc)
                    continue
                if taken is not None:
                    on_taken_over(taken)
                    return

        threading.Thread(target=beat, name="books-lock-heartbeat", daemon=True).start()

    def release(self) -> None:
        self._stop.set()
        if self.path is not None:
            lock_file.remove(self.path, self._token)


def lock_books(
    target: str | Path | None,
    *,
    take_over: bool = False,
    here: Here | None = None,
    clock: Callable[[], datetime] = utc_now,
) -> BooksLock:
    """Claim the books for this program, or raise BooksInUse naming who has them open."""
    url = database.to_url(resolve_target(target))
    path = None
    if url.get_backend_name() == "sqlite":
        path = lock_file.lock_path(Path(str(url.database)))
    lock = BooksLock(path, database.describe(url), here or Here(), clock)
    try:
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
        lock.claim(take_over=take_over)
    except OSError as exc:
        # A folder PaidUp cannot write to: opening the books will say so in its own words;
        # a missing lock must not be what stops the user.
        log.warning("no lock beside %s: %s", lock.location, exc)
        lock.path = None
    return lock

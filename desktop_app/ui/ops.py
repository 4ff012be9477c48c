"""Background work for the window, after Anki's CollectionOp/QueryOp.

Every service call runs on one worker thread that owns the books (a single-thread pool: one
writer, no races; each service opens its own session). Results, refusals and crashes come
back to the UI thread through queued signals, so the UI thread never waits on the database,
ReportLab or SMTP. A change names what it touched (:class:`Changes`) so that only the
affected pages reload. Work that does not touch the books (rasterising pages for a printer)
runs on a second thread so that it never holds up a list that is loading.
"""

from __future__ import annotations

import itertools
import logging
import threading
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from enum import Flag, auto
from typing import Any

import shiboken6
from PySide6.QtCore import QDeadlineTimer, QEventLoop, QObject, QRunnable, QThreadPool, Signal, Slot
from PySide6.QtWidgets import QApplication

from desktop_app.domain.errors import PaidUpError
from desktop_app.services.books import Books

log = logging.getLogger(__name__)


class Changes(Flag):
    """What an operation changed in the books; pages reload only for what concerns them."""

    NONE = 0
    COMPANY = auto()
    TERMS = auto()
    CUSTOMERS = auto()
    INVOICES = auto()
    PAYMENTS = auto()
    FOLLOWUP = auto()
    ALL = COMPANY | TERMS | CUSTOMERS | INVOICES | PAYMENTS | FOLLOWUP


class Cancelled(Exception):
    """Raised inside long work when the user pressed Cancel."""


class Progress:
    """Handed to long work: report how far it got and learn whether the user cancelled."""

    def __init__(self, report: Callable[[int, int, str], None]) -> None:
        self._report = report
        self._cancel = threading.Event()

    def step(self, done: int, total: int, text: str = "") -> None:
        self.check()
        self._report(done, total, text)

    def cancel(self) -> None:
        self._cancel.set()

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def check(self) -> None:
        if self._cancel.is_set():
            raise Cancelled


class _Relay(QObject):
    """Lives on the UI thread; the worker emits, the UI thread receives (queued)."""

    done = Signal(int, object)
    refused = Signal(int, object)
    cancelled = Signal(int)
    crashed = Signal(int, object)
    progress = Signal(int, int, int, str)


class _Task(QRunnable):
    def __init__(self, op_id: int, work: Callable[[], Any], relay: _Relay) -> None:
        super().__init__()
        self.setAutoDelete(True)
        self._id, self._work, self._relay = op_id, work, relay

    def run(self) -> None:
        try:
            result = self._work()
        except Cancelled:
            self._relay.cancelled.emit(self._id)
        except PaidUpError as exc:
            self._relay.refused.emit(self._id, exc)
        except Exception as exc:  # any other failure is a bug: logged and apologised for
            exc.__paidup_trace__ = traceback.format_exc()  # type: ignore[attr-defined]
            self._relay.crashed.emit(self._id, exc)
        else:
            self._relay.done.emit(self._id, result)


@dataclass
class _Pending:
    on_done: Callable[[Any], None] | None
    on_refused: Callable[[PaidUpError], None] | None
    owner: QObject | None
    changes: Changes
    progress: Progress | None = None
    title: str = ""
    on_cancelled: Callable[[], None] | None = None


@dataclass(frozen=True)
class LongWork:
    """What the status bar shows for a long operation."""

    op_id: int
    title: str
    done: int = 0
    total: int = 0
    text: str = ""


class Ops(QObject):
    """The window's only door to the services."""

    changed = Signal(object)  # Changes, after a change succeeded
    long_work = Signal(object)  # LongWork while it runs, None when it ends
    idle = Signal()

    def __init__(self, books: Books, on_crash: Callable[[BaseException], None],
                 on_refused: Callable[[PaidUpError, QObject | None], None]) -> None:
        super().__init__()
        self.books = books
        self._on_crash = on_crash
        self.show_refusal = on_refused  # where a refusal goes when no form claims it
        self._books_pool = QThreadPool(self)
        self._books_pool.setMaxThreadCount(1)
        self._side_pool = QThreadPool(self)
        self._side_pool.setMaxThreadCount(1)
        self._ids = itertools.count(1)
        self._pending: dict[int, _Pending] = {}
        self._relay = _Relay()
        self._relay.done.connect(self._done)
        self._relay.refused.connect(self._refused)
        self._relay.cancelled.connect(self._cancelled)
        self._relay.crashed.connect(self._crashed)
        self._relay.progress.connect(self._progress)
        self._closed = False

    # -- starting work ------------------------------------------------------------------------

    def query(self, fn: Callable[[Books], Any], on_done: Callable[[Any], None] | None = None,
              *, on_refused: Callable[[PaidUpError], None] | None = None,
              owner: QObject | None = None) -> int:
        """Read the books; ``on_done`` gets the plain result on the UI thread."""
        return self._start(self._books_pool, lambda: fn(self.books),
                           _Pending(on_done, on_refused, owner, Changes.NONE))

    def change(self, fn: Callable[[Books], Any], changes: Changes,
               on_done: Callable[[Any], None] | None = None, *,
               on_refused: Callable[[PaidUpError], None] | None = None,
               owner: QObject | None = None) -> int:
        """Change the books; on success the pages that show ``changes`` reload."""
        return self._start(self._books_pool, lambda: fn(self.books),
                           _Pending(on_done, on_refused, owner, changes))

    def long(self, fn: Callable[[Books, Progress], Any], title: str,
             on_done: Callable[[Any], None] | None = None, *, changes: Changes = Changes.NONE,
             on_refused: Callable[[PaidUpError], None] | None = None,
             on_cancelled: Callable[[], None] | None = None,
             owner: QObject | None = None, books: bool = True) -> int:
        """Long work with a progress bar and a Cancel button in the status line.

        ``books=False`` runs it beside the books' thread (printing, rendering): such work
        must not call a service.
        """
        op_id = next(self._ids)
        progress = Progress(lambda done, total, text: self._relay.progress.emit(
            op_id, done, total, text))
        pending = _Pending(on_done, on_refused, owner, changes, progress, title, on_cancelled)
        pool = self._books_pool if books else self._side_pool
        self._start(pool, lambda: fn(self.books, progress), pending, op_id)
        self.long_work.emit(LongWork(op_id, title))
        return op_id

    def cancel(self, op_id: int) -> None:
        pending = self._pending.get(op_id)
        if pending is not None and pending.progress is not None:
            pending.progress.cancel()

    def _start(self, pool: QThreadPool, work: Callable[[], Any], pending: _Pending,
               op_id: int | None = None) -> int:
        if self._closed:  # a late timer after the window closed: nothing to do
            log.debug("operation dropped: the books are closed")
            return -1
        op_id = op_id if op_id is not None else next(self._ids)
        self._pending[op_id] = pending
        pool.start(_Task(op_id, work, self._relay))
        return op_id

    # -- results on the UI thread -----------------------------------------------------------

    def _finish(self, op_id: int) -> _Pending | None:
        pending = self._pending.pop(op_id, None)
        if pending is not None and pending.progress is not None:
            self.long_work.emit(None)
        return pending

    def _alive(self, pending: _Pending) -> bool:
        return pending.owner is None or shiboken6.isValid(pending.owner)

    def _after(self) -> None:
        if not self._pending:
            self.idle.emit()

    @Slot(int, object)
    def _done(self, op_id: int, result: Any) -> None:
        pending = self._finish(op_id)
        if pending is None:
            return
        try:
            if pending.changes:
                self.changed.emit(pending.changes)
            if pending.on_done is not None and self._alive(pending):
                pending.on_done(result)
        finally:
            self._after()

    @Slot(int, object)
    def _refused(self, op_id: int, exc: PaidUpError) -> None:
        pending = self._finish(op_id)
        if pending is None:
            return
        try:
            if not self._alive(pending):
                return
            if pending.on_refused is not None:
                pending.on_refused(exc)
            else:
                self.show_refusal(exc, pending.owner)
        finally:
            self._after()

    @Slot(int)
    def _cancelled(self, op_id: int) -> None:
        pending = self._finish(op_id)
        try:
            if pending is not None and pending.on_cancelled and self._alive(pending):
                pending.on_cancelled()
        finally:
            self._after()

    @Slot(int, object)
    def _crashed(self, op_id: int, exc: BaseException) -> None:
        self._finish(op_id)
        try:
            self._on_crash(exc)
        finally:
            self._after()

    @Slot(int, int, int, str)
    def _progress(self, op_id: int, done: int, total: int, text: str) -> None:
        pending = self._pending.get(op_id)
        if pending is not None:
            self.long_work.emit(LongWork(op_id, pending.title, done, total, text))

    # -- state ------------------------------------------------------------------------------

    @property
    def busy(self) -> bool:
        return bool(self._pending)

    def wait_idle(self, timeout_ms: int = 60_000) -> bool:
        """Spin the event loop until no operation is pending (screenshots, tests)."""
        deadline = QDeadlineTimer(timeout_ms)
        app = QApplication.instance()
        quiet_rounds = 0
        while not deadline.hasExpired():
            assert app is not None
            app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
            # A finished load may start the next one (ids, then the visible rows).
            quiet_rounds = quiet_rounds + 1 if not self._pending else 0
            if quiet_rounds >= 3:
                return True
            if self._pending:
                self._books_pool.waitForDone(20)
        return False

    def shutdown(self) -> None:
        """Let running work finish (a write is never cut off), then close the books."""
        if self._closed:
            return
        self._closed = True
        for pending in self._pending.values():
            if pending.progress is not None:
                pending.progress.cancel()
        self._side_pool.waitForDone()
        self._books_pool.waitForDone()
        self._pending.clear()
        self.books.close()

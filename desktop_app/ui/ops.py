"""Background work for the window, after Anki's CollectionOp/QueryOp.

Every service call runs on one worker thread that owns the books (a single-thread executor:
one writer, no races; each service opens its own session). Results, refusals and crashes come
back to the UI thread, so the UI thread never waits on the database, ReportLab or SMTP. The
services say what a change touched (:class:`~desktop_app.services.changes.OpChanges`), and
only the pages that show it reload.

The worker threads are plain Python threads that make no Qt call at all: they put what they
produced in a queue and write one byte to a socket pair, whose other end a QSocketNotifier
watches on the UI thread, so a result is taken up as soon as it is there (a search is two
results in a row: the ids, then the rows). PySide6 6.12.0 miscounts references to None and
True when Qt is called from a non-Qt-main thread (a QRunnable's run(), a signal emitted, a
void method called there): after a few thousand operations the interpreter aborts. Keeping
Qt on the UI thread sidesteps that entirely; a socket write is no Qt call.
"""

from __future__ import annotations

import contextlib
import itertools
import logging
import queue
import socket
import threading
import time
import traceback
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, TypeVar

import shiboken6
from PySide6.QtCore import QDeadlineTimer, QEventLoop, QObject, QSocketNotifier, Signal
from PySide6.QtWidgets import QApplication

from desktop_app.domain.errors import PaidUpError
from desktop_app.services.books import Books
from desktop_app.services.changes import OpChanges as Changes
from desktop_app.services.changes import run_op
from desktop_app.services.trouble import explain
from desktop_app.ui.gui_thread_gc import GuiThreadCollector

__all__ = ["Cancelled", "Changes", "LongWork", "Ops", "Progress"]
log = logging.getLogger(__name__)
T = TypeVar("T")


class Cancelled(Exception):
    """Raised inside long work when the user pressed Cancel."""


class Progress:
    """Handed to long work: report how far it got and learn whether the user cancelled.

    Thread-safe and free of Qt: the worker calls it, the UI thread reads the queue.
    """

    def __init__(self, report: Callable[[int, int, str], None]) -> None:
        self._report = report
        self._cancel = threading.Event()

    def step(self, done: int, total: int, text: str = "") -> None:
        self.check()
        self._report(done, total, text)

    def tell(self, done: int, total: int, text: str = "") -> None:
        """Report without stopping: for work that ends cleanly on ``cancelled`` itself (and
        hands back what it finished)."""
        self._report(done, total, text)

    def cancel(self) -> None:
        self._cancel.set()

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def check(self) -> None:
        if self._cancel.is_set():
            raise Cancelled


@dataclass
class _Pending:
    on_done: Callable[[Any], None] | None
    on_refused: Callable[[PaidUpError], None] | None
    owner: QObject | None
    changes: bool  # a change: the pages showing what the services say it changed reload
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


# What a worker puts in the inbox: (op id, kind, value); kind is done, refused, cancelled,
# crashed or progress.
_Message = tuple[int, str, Any]


class _Inbox:
    """Where the worker threads leave what they produced, with a byte on a socket pair to
    wake the UI thread. Plain Python: all that the worker threads touch besides the books."""

    def __init__(self) -> None:
        self._queue: queue.SimpleQueue[_Message] = queue.SimpleQueue()
        self.reader, self._writer = socket.socketpair()
        self.reader.setblocking(False)
        self._writer.setblocking(False)

    def put(self, message: _Message) -> None:
        """On any thread: the message first, then the wake-up, so that none is missed."""
        self._queue.put(message)
        # OSError: the buffer is full (a wake-up is pending already) or the window closed.
        with contextlib.suppress(OSError):
            self._writer.send(b"\0")

    def woken(self) -> None:
        """On the UI thread, before the messages are read: the wake-ups are read."""
        with contextlib.suppress(OSError):  # BlockingIOError: nothing more to read
            while self.reader.recv(4096):
                pass

    def next(self) -> _Message | None:
        """On the UI thread: the oldest message, if one is in. One at a time, so that a
        callback that runs a dialog's own event loop leaves the later ones in order."""
        try:
            return self._queue.get_nowait()
        except queue.Empty:
            return None

    def close(self) -> None:
        self._writer.close()
        self.reader.close()


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
        self._collector = GuiThreadCollector(self)  # before any work thread starts
        self._collector.hold()
        self._books_thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="books")
        self._side_thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="side")
        # Talking to a server (SMTP) happens here, so a slow one never holds up the books.
        self._network_thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="network")
        self._inbox = _Inbox()
        self._ids = itertools.count(1)
        self._pending: dict[int, _Pending] = {}
        self._ui_work: dict[int, Callable[[], None]] = {}  # long work on the UI thread
        self._wake = QSocketNotifier(self._inbox.reader.fileno(), QSocketNotifier.Type.Read,
                                     self)
        self._wake.activated.connect(self._collect)
        self._closed = False

    # -- starting work ------------------------------------------------------------------------

    def query(self, fn: Callable[[Books], T], on_done: Callable[[T], None] | None = None,
              *, on_refused: Callable[[PaidUpError], None] | None = None,
              owner: QObject | None = None) -> int:
        """Read the books; ``on_done`` gets the plain result on the UI thread."""
        return self._start(self._books_thread, lambda: fn(self.books),
                           _Pending(on_done, on_refused, owner, False))

    def change(self, fn: Callable[[Books], T], on_done: Callable[[T], None] | None = None, *,
               on_refused: Callable[[PaidUpError], None] | None = None,
               owner: QObject | None = None) -> int:
        """Change the books; on success the pages that show what the services say changed
        reload, then ``on_done`` gets the result."""
        return self._start(self._books_thread, lambda: fn(self.books),
                           _Pending(on_done, on_refused, owner, True))

    def long(self, fn: Callable[[Books, Progress], T], title: str,
             on_done: Callable[[T], None] | None = None, *,
             on_refused: Callable[[PaidUpError], None] | None = None,
             on_cancelled: Callable[[], None] | None = None,
             owner: QObject | None = None, books: bool = True) -> int:
        """Long work with a progress bar and a Cancel button in the status line.

        ``books=False`` runs it beside the books' thread (opening other books, say): such
        work must not call a service of these books, nor Qt. What the services called say
        they changed reloads its pages, as for :meth:`change`.
        """
        op_id = next(self._ids)
        progress = Progress(lambda done, total, text: self._inbox.put(
            (op_id, "progress", (done, total, text))))
        pending = _Pending(on_done, on_refused, owner, True, progress, title, on_cancelled)
        executor = self._books_thread if books else self._side_thread
        started = self._start(executor, lambda: fn(self.books, progress), pending, op_id)
        if started > 0:
            self.long_work.emit(LongWork(op_id, title))
        return started

    def beside(self, claim: Callable[[Books], Any], talk: Callable[[Any], Any],
               record: Callable[[Books, Any, Any], Any],
               on_done: Callable[[Any], None] | None = None, *,
               on_refused: Callable[[PaidUpError], None] | None = None,
               owner: QObject | None = None) -> int:
        """Work that talks to a server: ``claim`` and ``record`` are short steps on the books'
        thread, ``talk`` runs between them on a network thread, so that the books answer
        paging and search meanwhile. ``talk`` gets what ``claim`` returned (never the books,
        never Qt); ``record`` gets the books, the claim and what ``talk`` heard, or None when
        ``talk`` could not start because the window was closing. A claim of None ends the work
        there (``on_done`` gets None). Once claimed, the outcome is always recorded: closing
        the window waits for the talk and then for the record."""
        op_id = next(self._ids)

        def claimed(value: Any) -> bool:
            if value is None:
                return False
            try:
                self._network_thread.submit(self._run, op_id, lambda: talk(value),
                                            lambda heard: heard_back(value, heard))
            except RuntimeError:  # the window is closing: the network thread takes no more
                self._run(op_id, lambda: record(self.books, value, None))
            return True

        def heard_back(value: Any, heard: Any) -> bool:
            self._books_thread.submit(self._run, op_id, lambda: record(self.books, value, heard))
            return True

        return self._start(self._books_thread, lambda: claim(self.books),
                           _Pending(on_done, on_refused, owner, True), op_id, claimed)

    def _start(self, executor: ThreadPoolExecutor, work: Callable[[], Any], pending: _Pending,
               op_id: int | None = None,
               then: Callable[[Any], bool] | None = None) -> int:
        if self._closed:  # a late timer after the window closed: nothing to do
            log.debug("operation dropped: the books are closed")
            return -1
        op_id = op_id if op_id is not None else next(self._ids)
        self._pending[op_id] = pending
        executor.submit(self._run, op_id, work, then)
        return op_id

    def _run(self, op_id: int, work: Callable[[], Any],
             then: Callable[[Any], bool] | None = None) -> None:
        """On a worker thread: no Qt here, only the queue. ``then`` may carry the result on to
        the next step (and return True) instead of handing it to the UI thread."""
        try:
            done = run_op(work)
            if then is not None and then(done.result):
                return
        except Cancelled:
            self._inbox.put((op_id, "cancelled", None))
        except PaidUpError as exc:
            self._inbox.put((op_id, "refused", exc))
        except Exception as exc:
            # A busy, full, read-only or damaged book is told as such (a write met a busy
            # book and queued in the background for minutes before this); any other
            # failure is a bug: logged and apologised for.
            explained = explain(exc, self.books.db.url)
            if explained is not None:
                log.warning("%s (%s)", explained, exc)
                self._inbox.put((op_id, "refused", explained))
                return
            exc.__paidup_trace__ = traceback.format_exc()  # type: ignore[attr-defined]
            self._inbox.put((op_id, "crashed", exc))
        else:
            self._inbox.put((op_id, "done", done))

    # -- long work that must stay on the UI thread (printing: Qt paints there) ----------------

    def begin_ui_work(self, title: str, cancel: Callable[[], None]) -> int:
        op_id = next(self._ids)
        self._ui_work[op_id] = cancel
        self.long_work.emit(LongWork(op_id, title))
        return op_id

    def ui_progress(self, op_id: int, title: str, done: int, total: int, text: str = "") -> None:
        if op_id in self._ui_work:
            self.long_work.emit(LongWork(op_id, title, done, total, text))

    def end_ui_work(self, op_id: int) -> None:
        if self._ui_work.pop(op_id, None) is not None:
            self.long_work.emit(None)
            if not self.busy:
                self.idle.emit()

    def cancel(self, op_id: int) -> None:
        pending = self._pending.get(op_id)
        if pending is not None and pending.progress is not None:
            pending.progress.cancel()
        elif op_id in self._ui_work:
            self._ui_work[op_id]()

    # -- results on the UI thread -----------------------------------------------------------

    def _collect(self) -> None:
        self._inbox.woken()
        delivered = False
        while (message := self._inbox.next()) is not None:
            delivered = True
            try:
                self._deliver(*message)
            except Exception as exc:  # a bug in a callback must not stop the delivery
                self._on_crash(exc)
        if delivered and not self._pending:
            self.idle.emit()

    def _deliver(self, op_id: int, kind: str, value: Any) -> None:
        if kind == "progress":
            pending = self._pending.get(op_id)
            if pending is not None:
                self.long_work.emit(LongWork(op_id, pending.title, *value))
            return
        pending = self._pending.pop(op_id, None)
        if pending is None:
            return
        if pending.progress is not None:
            self.long_work.emit(None)
        alive = pending.owner is None or shiboken6.isValid(pending.owner)
        if kind == "done":
            if pending.changes and value.changes:
                self.changed.emit(value.changes)
            if pending.on_done is not None and alive:
                pending.on_done(value.result)
        elif kind == "refused":
            if not alive:
                return
            if pending.on_refused is not None:
                pending.on_refused(value)
            else:
                self.show_refusal(value, pending.owner)
        elif kind == "cancelled":
            if pending.on_cancelled is not None and alive:
                pending.on_cancelled()
        else:
            self._on_crash(value)

    # -- state ------------------------------------------------------------------------------

    @property
    def busy(self) -> bool:
        return bool(self._pending) or bool(self._ui_work)

    def wait_idle(self, timeout_ms: int = 60_000) -> bool:
        """Spin the event loop until no operation is pending (screenshots, tests)."""
        deadline = QDeadlineTimer(timeout_ms)
        app = QApplication.instance()
        assert app is not None
        quiet_rounds = 0
        while not deadline.hasExpired():
            app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 20)
            # A finished load may start the next one (ids, then the visible rows).
            quiet_rounds = quiet_rounds + 1 if not self.busy else 0
            if quiet_rounds >= 3:
                return True
            if self.busy:
                time.sleep(0.005)
        return False

    def shutdown(self) -> None:
        """Let running work finish (a write is never cut off), then close the books."""
        if self._closed:
            return
        self._closed = True
        for pending in self._pending.values():
            if pending.progress is not None:
                pending.progress.cancel()
        for cancel in list(self._ui_work.values()):
            cancel()
        self._side_thread.shutdown(wait=True)
        # The network first: what it hears is then recorded on the books' thread.
        self._network_thread.shutdown(wait=True)
        self._books_thread.shutdown(wait=True)
        self._collector.release()
        self._wake.setEnabled(False)
        self._inbox.close()
        self._pending.clear()
        self.books.close()

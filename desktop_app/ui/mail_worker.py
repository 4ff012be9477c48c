"""Mail in the background: what the outbox holds goes out by itself, at start-up, every few
minutes and when asked, so that mail written offline leaves once the server is reachable.
Each message is claimed and its outcome recorded on the books' thread; the SMTP conversation
runs beside it (``Ops.beside``), so a slow server never holds up paging or search. This
object only keeps time on the UI thread and tells the status line how the outbox stands."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from pathlib import Path

import shiboken6
from PySide6.QtCore import QObject, QTimer, Signal

from desktop_app.domain.errors import PaidUpError
from desktop_app.services import backups, outbox
from desktop_app.services.books import Books
from desktop_app.services.outbox import OutboxStatus, SendReport
from desktop_app.ui import display
from desktop_app.ui.ops import Changes, Ops

log = logging.getLogger(__name__)
INTERVAL_MS = 5 * 60_000
_Asked = tuple[Callable[[SendReport], None], QObject | None]


def start_up(books: Books) -> tuple[list[int], Path | None]:
    """What a crash left half-sent becomes 'did it arrive?'; the day's first backup."""
    return outbox.recover_interrupted(books), backups.backup_if_due(books)


class MailWorker(QObject):
    status_changed = Signal(object)  # OutboxStatus
    sending_changed = Signal(bool)

    def __init__(self, ops: Ops, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.ops = ops
        self.sending = False
        self.last_report: SendReport | None = None
        self.timer = QTimer(self)
        self.timer.setInterval(INTERVAL_MS)
        self.timer.timeout.connect(self.round)
        self._stop = threading.Event()  # set when the window closes: no next message
        self._asked: list[_Asked] = []  # who waits for the next round's report
        self._again = False  # asked to send while a round ran: one more round after it
        ops.changed.connect(self._changed)

    def start(self) -> None:
        self.ops.change(start_up, self._started, on_refused=self._quiet,
                        owner=self)
        self.timer.start()

    def _started(self, result: tuple[list[int], Path | None]) -> None:
        recovered, backup = result
        if recovered:
            log.warning("%d message(s) were interrupted while sending; they wait for a "
                        "decision", len(recovered))
        if backup is not None:
            log.info("Daily backup written to %s", backup)
        self.round()

    def round(self) -> None:
        """Look at the outbox; send if anything waits."""
        if not self.sending:
            self.ops.query(outbox.status, self._looked, on_refused=self._quiet, owner=self)

    def _looked(self, status: OutboxStatus) -> None:
        self.status_changed.emit(status)
        if status.queued or status.retrying:
            self.send_now()

    def send_now(self) -> None:
        """Send what waits (a button, a menu, the timer)."""
        self.send_and_tell(None)

    def send_and_tell(self, then: Callable[[SendReport], None] | None,
                      owner: QObject | None = None) -> None:
        """Send what waits; ``then`` gets the report of a round that started after this call
        (a message queued just before is in it), unless ``owner`` is gone by then."""
        if self._stop.is_set():
            return
        if then is not None:
            self._asked.append((then, owner))
        if self.sending:
            self._again = True
            return
        self._begin()

    def _begin(self) -> None:
        self.sending, self._again = True, False
        waiting, self._asked = self._asked, []
        self.sending_changed.emit(True)
        self.ops.change(outbox.begin_round,
                        lambda report: self._next(report, waiting),
                        on_refused=lambda exc: self._not_sent(exc, waiting), owner=self)

    def _next(self, report: SendReport, waiting: list[_Asked]) -> None:
        """One message per step, so that each hop through the UI thread can stop the round.
        The steps run one after another, so ``report`` is only ever in one thread's hands."""
        if report.error or self._stop.is_set():
            self._done(report, waiting)
            return
        self.ops.beside(
            lambda books: outbox.claim_next(books, report), outbox.deliver_claim,
            lambda books, claim, delivery: outbox.record(books, claim, delivery, report),
            lambda state: self._next(report, waiting) if state is not None
            else self._done(report, waiting),
            on_refused=lambda exc: self._not_sent(exc, waiting, report), owner=self)

    def stop(self) -> None:
        """The window is closing: the message on its way finishes, no other one starts."""
        self._stop.set()
        self.timer.stop()

    def _not_sent(self, exc: PaidUpError, waiting: list[_Asked],
                  report: SendReport | None = None) -> None:
        log.warning("Mail not sent: %s", exc)
        report = report or SendReport()
        report.error = report.error or display.refusal(exc)
        self._done(report, waiting)

    def _done(self, report: SendReport, waiting: list[_Asked]) -> None:
        self.last_report = report
        self.sending = False
        self.sending_changed.emit(False)
        self.refresh_status()
        for then, owner in waiting:
            if owner is None or shiboken6.isValid(owner):
                then(report)
        if (self._again or self._asked) and not self._stop.is_set():
            self._begin()

    def refresh_status(self) -> None:
        self.ops.query(outbox.status, self.status_changed.emit, on_refused=self._quiet,
                       owner=self)

    def _changed(self, changes: Changes) -> None:
        if changes & (Changes.FOLLOWUP | Changes.OUTBOX | Changes.SETTINGS) and not self.sending:
            self.refresh_status()

    @staticmethod
    def _quiet(exc: PaidUpError) -> None:
        log.info("Outbox not looked at: %s", exc)

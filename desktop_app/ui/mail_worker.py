"""Mail in the background: what the outbox holds goes out by itself, at start-up, every few
minutes and when asked, so that mail written offline leaves once the server is reachable.
Everything runs through ops (on the books' thread); this object only keeps time on the UI
thread and tells the status line how the outbox stands."""

from __future__ import annotations

import logging
import threading
from pathlib import Path

from PySide6.QtCore import QObject, QTimer, Signal

from desktop_app.domain.errors import PaidUpError
from desktop_app.services import backups, outbox
from desktop_app.services.books import Books
from desktop_app.services.outbox import OutboxStatus, SendReport
from desktop_app.ui.ops import Changes, Ops

log = logging.getLogger(__name__)
INTERVAL_MS = 5 * 60_000


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
        if self.sending:
            return
        self.sending = True
        self.sending_changed.emit(True)
        stop = self._stop
        self.ops.change(lambda books: outbox.send_due(books, cancelled=stop.is_set),
                        self._sent, on_refused=self._not_sent, owner=self)

    def stop(self) -> None:
        """The window is closing: the message on its way finishes, no other one starts."""
        self._stop.set()
        self.timer.stop()

    def _sent(self, report: SendReport) -> None:
        self.last_report = report
        self._done()

    def _not_sent(self, exc: PaidUpError) -> None:
        log.warning("Mail not sent: %s", exc)
        self._done()

    def _done(self) -> None:
        self.sending = False
        self.sending_changed.emit(False)
        self.refresh_status()

    def refresh_status(self) -> None:
        self.ops.query(outbox.status, self.status_changed.emit, on_refused=self._quiet,
                       owner=self)

    def _changed(self, changes: Changes) -> None:
        if changes & (Changes.FOLLOWUP | Changes.OUTBOX | Changes.SETTINGS) and not self.sending:
            self.refresh_status()

    @staticmethod
    def _quiet(exc: PaidUpError) -> None:
        log.info("Outbox not looked at: %s", exc)

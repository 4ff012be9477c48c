"""Python's cyclic garbage collector runs in whichever thread happens to allocate. When it
runs in one of the window's worker threads and frees a cycle that holds a Qt object (a closed
dialog, a page's slot), Qt destroys that object off its own thread and the process dies
with a segmentation fault. While a window's work threads run, automatic collection is
therefore off and the same collection runs on the UI thread, from a timer, when the
allocation counts call for it."""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer

INTERVAL_MS = 250
_holders = 0  # windows open whose threads must never collect
_was_enabled = True


class GuiThreadCollector(QObject):
    """Held by the window's operations while their threads may run."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._thresholds = gc.get_threshold()
        self._timer = QTimer(self)
        self._timer.timeout.connect(self.collect)
        self._held = False

    def hold(self) -> None:
        global _holders, _was_enabled
        if self._held:
            return
        self._held = True
        if _holders == 0:
            _was_enabled = gc.isenabled()
        _holders += 1
        gc.disable()
        self._timer.start(INTERVAL_MS)

    def release(self) -> None:
        """After the threads stopped: the collector may run anywhere again."""
        global _holders
        if not self._held:
            return
        self._held = False
        self._timer.stop()
        _holders -= 1
        if _holders == 0 and _was_enabled:
            gc.enable()

    def collect(self) -> None:
        """What the automatic collector would have done since the last tick, here."""
        young, middle, old = gc.get_count()
        first, second, third = self._thresholds
        if old > third:
            gc.collect(2)
        elif middle > second:
            gc.collect(1)
        elif young > first:
            gc.collect(0)

"""While a window's threads run, Python's cyclic collector never runs in them: the window
collects on the UI thread instead, and gives the collector back when it closes."""

from __future__ import annotations

import gc
import threading
import weakref

from PySide6.QtWidgets import QWidget

from desktop_app.ui.gui_thread_gc import GuiThreadCollector


class _Cycle(QWidget):
    def __init__(self) -> None:
        super().__init__()
        self.me = self  # a cycle only the cyclic collector can free


def test_cycles_are_freed_on_the_ui_thread_while_held(qtbot):
    was = gc.isenabled()
    collector = GuiThreadCollector()
    collector.hold()
    try:
        assert not gc.isenabled()
        freed_in: list[str] = []
        cycle = _Cycle()
        weakref.finalize(cycle, lambda: freed_in.append(threading.current_thread().name))
        del cycle
        junk = [[n] for n in range(20_000)]  # allocations enough to call for a collection
        worker = threading.Thread(target=lambda: [[n] for n in range(20_000)], name="worker")
        worker.start()
        worker.join()
        assert freed_in == []  # the worker's allocations collected nothing
        qtbot.waitUntil(lambda: freed_in != [], timeout=10_000)
        assert freed_in == [threading.current_thread().name]
        del junk
    finally:
        collector.release()
    assert gc.isenabled() == was


def test_two_windows_hold_it_until_both_are_gone(qtbot):
    first, second = GuiThreadCollector(), GuiThreadCollector()
    first.hold()
    second.hold()
    first.release()
    assert not gc.isenabled()
    second.release()
    assert gc.isenabled()

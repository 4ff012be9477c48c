"""PySide6 6.12.0 loses a reference to True on every signal emitted from Python; the window
gives it back, so thousands of emits leave True's count where it was."""

import gc
import sys

from PySide6.QtCore import QObject, QStringListModel, Signal

import desktop_app.ui  # noqa: F401  (applies the fix)
from desktop_app.ui import pyside_fixes


class Emitter(QObject):
    changed = Signal(object)


def test_emits_no_longer_cost_a_reference():
    assert not pyside_fixes.emit_loses_a_reference()
    emitter, model = Emitter(), QStringListModel(["a", "b"])
    received = []
    emitter.changed.connect(received.append)
    gc.collect()
    before = sys.getrefcount(True)
    for n in range(5000):
        emitter.changed.emit(n)
        model.dataChanged.emit(model.index(0, 0), model.index(1, 0))
    gc.collect()
    assert len(received) == 5000
    assert sys.getrefcount(True) >= before - 50


def test_the_fix_is_applied_once():
    assert pyside_fixes.apply() is False

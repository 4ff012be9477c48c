"""A workaround for a reference-counting bug in PySide6 6.12.0, applied only when present.

``SignalInstance.emit()`` returns ``True`` without taking a reference to it, so every signal
emitted from Python takes one reference from ``True`` for good. A window emits thousands (each
page of rows that arrives in a list is one); once the count reaches zero the interpreter
aborts with "bool_dealloc: deallocating True or False". The probe below detects the bug and,
only then, gives back the missing reference after each emit. On a fixed PySide (or a Python
whose True is immortal) it changes nothing.

(The same release also miscounts None and True when Qt is called from other threads; the
window therefore calls Qt on the UI thread only, see ops.py.)
"""

from __future__ import annotations

import ctypes
import sys
from typing import Any

from PySide6.QtCore import QObject, Signal, SignalInstance

PROBE_EMITS = 32


class _Probe(QObject):
    ping = Signal()


def emit_loses_a_reference() -> bool:
    probe = _Probe()
    before = sys.getrefcount(True)
    for _ in range(PROBE_EMITS):
        probe.ping.emit()
    return before - sys.getrefcount(True) >= PROBE_EMITS


def apply() -> bool:
    """Patch ``SignalInstance.emit`` if this PySide needs it; returns whether it did."""
    if getattr(SignalInstance.emit, "_paidup_fixed", False) or not emit_loses_a_reference():
        return False
    original = SignalInstance.emit

    def emit(self: SignalInstance, *args: Any) -> Any:
        result = original(self, *args)
        ctypes.pythonapi.Py_IncRef(ctypes.py_object(result))  # the reference emit forgot
        return result

    emit._paidup_fixed = True  # type: ignore[attr-defined]
    SignalInstance.emit = emit  # type: ignore[method-assign]
    return True

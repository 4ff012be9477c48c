"""pytest-qt's bot with waits long enough for a machine busy with other work.

A wait ends as soon as its condition holds, so a long limit costs nothing when all is well;
pytest-qt's five seconds were too short with both cores running other test tiers (a payment
dialog that took six seconds to close failed a test that was right).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pytestqt.qtbot import QtBot

PATIENCE_MS = 120_000


def _patient(timeout: int) -> int:
    return max(timeout, PATIENCE_MS)


class PatientQtBot:
    """Forwards to pytest-qt's bot; every wait's limit is at least PATIENCE_MS."""

    def __init__(self, bot: QtBot) -> None:
        self._bot = bot

    def __getattr__(self, name: str) -> Any:
        return getattr(self._bot, name)

    def waitUntil(self, callback: Callable[[], bool | None], *, timeout: int = 0) -> None:
        self._bot.waitUntil(callback, timeout=_patient(timeout))

    def waitSignal(self, signal: Any = None, *, timeout: int = 0, **options: Any) -> Any:
        return self._bot.waitSignal(signal, timeout=_patient(timeout), **options)

    def waitSignals(self, signals: Any = None, *, timeout: int = 0, **options: Any) -> Any:
        return self._bot.waitSignals(signals, timeout=_patient(timeout), **options)

    def waitExposed(self, widget: Any, *, timeout: int = 0) -> Any:
        return self._bot.waitExposed(widget, timeout=_patient(timeout))

"""Actions with their keyboard shortcut shown in the tooltip, as menus show it."""

from __future__ import annotations

from PySide6.QtGui import QAction, QKeySequence


def with_shortcut(action: QAction, key: QKeySequence | QKeySequence.StandardKey | str | None,
                  tip: str = "") -> QAction:
    if key is not None:
        sequence = key if isinstance(key, QKeySequence) else QKeySequence(key)
        action.setShortcut(sequence)
        shown = sequence.toString(QKeySequence.SequenceFormat.NativeText)
    else:
        shown = ""
    base = tip or action.text().replace("…", "").replace("&", "")
    action.setToolTip(f"{base} ({shown})" if shown else base)
    action.setStatusTip(base)
    return action

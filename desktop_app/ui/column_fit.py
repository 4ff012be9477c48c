"""Column widths for a table that is narrower than its text: which columns give way, and how
far, so that a narrow window keeps what matters whole instead of scrolling sideways."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Want:
    """What a column's text needs whole (``width``) and the least it can show with a tooltip
    beside it (``least``; equal to ``width`` for a column that must stay whole)."""

    column: int
    width: int
    least: int


def fit(wants: Sequence[Want], room: int, stretch: int) -> dict[int, int]:
    """Each column's width for ``room`` pixels. When the text does not fit, the columns give
    way in the order of ``wants``, each down to its least, until it does (or none can give
    more: then the table scrolls sideways); room left over goes to ``stretch``."""
    widths = {want.column: want.width for want in wants}
    over = sum(widths.values()) - room
    for want in wants:
        if over <= 0:
            break
        give = min(over, want.width - want.least)
        widths[want.column] -= give
        over -= give
    if over < 0:
        widths[stretch] += -over
    return widths

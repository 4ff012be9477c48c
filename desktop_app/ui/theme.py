"""Colours derived from the system palette, so light and dark mode both read well.

Nothing here is a fixed colour on a fixed background: each accent is chosen for the
lightness of the window colour the system gives us.
"""

from __future__ import annotations

from PySide6.QtGui import QColor, QFont, QGuiApplication, QPalette


def palette() -> QPalette:
    return QGuiApplication.palette()


def is_dark(pal: QPalette | None = None) -> bool:
    pal = pal or palette()
    return pal.color(QPalette.ColorRole.Window).lightness() < 128


def error_color(pal: QPalette | None = None) -> QColor:
    """Red with at least 4.5:1 contrast on the window colour (WCAG AA)."""
    return QColor("#ff8a80") if is_dark(pal) else QColor("#b3261e")


def muted_color(pal: QPalette | None = None) -> QColor:
    pal = pal or palette()
    return pal.color(QPalette.ColorGroup.Active, QPalette.ColorRole.PlaceholderText)


def scaled_font(base: QFont, factor: float, bold: bool = False) -> QFont:
    font = QFont(base)
    if font.pointSizeF() > 0:
        font.setPointSizeF(font.pointSizeF() * factor)
    else:
        font.setPixelSize(round(font.pixelSize() * factor))
    font.setBold(bold)
    return font

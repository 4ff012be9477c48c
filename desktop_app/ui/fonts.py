"""The fonts shipped for the PDFs also serve the window, so that customer names in any script
show on a computer that has no font for them (Chinese names on a fresh Linux, say)."""

from __future__ import annotations

from functools import cache

from PySide6.QtGui import QFontDatabase

from desktop_app import resources

FONTS = resources.FONTS
SHIPPED = ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf", "DroidSansFallbackFull.ttf")


@cache
def register() -> tuple[str, ...]:
    """Add the shipped fonts to the application once; returns the families added."""
    families: list[str] = []
    for name in SHIPPED:
        font_id = QFontDatabase.addApplicationFont(str(FONTS / name))
        if font_id >= 0:
            families += QFontDatabase.applicationFontFamilies(font_id)
    return tuple(families)

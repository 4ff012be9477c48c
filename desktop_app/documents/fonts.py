"""Embedded fonts, registered once per process, and the split of text into font runs.

DejaVu Sans draws Latin and Cyrillic; Droid Sans Fallback draws CJK but has no Latin, so a
string is cut into runs and each run is set in the font that has its glyphs.
"""

from __future__ import annotations

from functools import cache
from xml.sax.saxutils import escape

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from desktop_app.documents.paths import FONTS

SANS = "PaidUp-Sans"
SANS_BOLD = "PaidUp-Sans-Bold"
CJK = "PaidUp-CJK"


@cache
def _cmaps() -> tuple[frozenset[int], frozenset[int]]:
    """Register the fonts (once: parsing the CJK font takes a third of a second)."""
    sans = TTFont(SANS, str(FONTS / "DejaVuSans.ttf"))
    bold = TTFont(SANS_BOLD, str(FONTS / "DejaVuSans-Bold.ttf"))
    cjk = TTFont(CJK, str(FONTS / "DroidSansFallbackFull.ttf"))
    for font in (sans, bold, cjk):
        pdfmetrics.registerFont(font)
    for bold_flag, italic in ((0, 0), (0, 1), (1, 0), (1, 1)):
        addMapping(SANS, bold_flag, italic, SANS_BOLD if bold_flag else SANS)
        addMapping(CJK, bold_flag, italic, CJK)
    return frozenset(sans.face.charToGlyph), frozenset(cjk.face.charToGlyph)


def ensure_fonts() -> None:
    _cmaps()


@cache
def _font_for(char: str) -> str:
    sans, cjk = _cmaps()
    code = ord(char)
    if code in sans or char.isspace() or code not in cjk:
        return SANS
    return CJK


def runs(text: str, base: str = SANS) -> list[tuple[str, str]]:
    """(font, text) pieces; ``base`` (regular or bold Latin font) where DejaVu has the glyph."""
    pieces: list[tuple[str, str]] = []
    for char in text:
        font = base if _font_for(char) == SANS else CJK
        if pieces and pieces[-1][0] == font:
            pieces[-1] = (font, pieces[-1][1] + char)
        else:
            pieces.append((font, char))
    return pieces


def markup(text: str) -> str:
    """User text made safe for Paragraph markup: escaped, CJK runs in the CJK font,
    line breaks kept. ``Müller & <Söhne>`` prints exactly so."""
    out = []
    for font, piece in runs(text):
        safe = escape(piece).replace("\n", "<br/>")
        out.append(safe if font == SANS else f'<font name="{CJK}">{safe}</font>')
    return "".join(out)


def string_width(text: str, size: float, bold: bool = False) -> float:
    base = SANS_BOLD if bold else SANS
    return sum(pdfmetrics.stringWidth(p, f, size) for f, p in runs(text, base))

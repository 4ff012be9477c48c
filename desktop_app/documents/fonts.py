"""Embedded fonts, registered once per process, and the split of text into font runs.

DejaVu Sans draws Latin and Cyrillic; Droid Sans Fallback draws CJK but has no Latin, so a
string is cut into runs and each run is set in the font that has its glyphs.
"""

from __future__ import annotations

import re
from functools import cache
from xml.sax.saxutils import escape

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus.tables import CellStyle

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
    # A table sets its cells' font even where a cell holds a paragraph with its own; left at
    # ReportLab's Helvetica, every table would name a font that is not embedded (PDF/A).
    CellStyle.fontname = SANS
    return frozenset(sans.face.charToGlyph), frozenset(cjk.face.charToGlyph)


def ensure_fonts() -> None:
    _cmaps()


@cache
def _cjk_run() -> re.Pattern[str]:
    """Characters only the CJK font has (not white space), as a character class of ranges:
    the split is then done by the regular expression engine, not character by character."""
    sans, cjk = _cmaps()
    codes = sorted(c for c in cjk - sans if not chr(c).isspace())
    ranges: list[list[int]] = []
    for code in codes:
        if ranges and ranges[-1][1] == code - 1:
            ranges[-1][1] = code
        else:
            ranges.append([code, code])
    members = "".join(re.escape(chr(a)) if a == b else f"{re.escape(chr(a))}-{re.escape(chr(b))}"
                      for a, b in ranges)
    return re.compile(f"[{members}]+")


def runs(text: str, base: str = SANS) -> list[tuple[str, str]]:
    """(font, text) pieces; ``base`` (regular or bold Latin font) where DejaVu has the glyph
    or neither font has it, the CJK font where only it has."""
    pieces: list[tuple[str, str]] = []
    done = 0
    for run in _cjk_run().finditer(text):
        if run.start() > done:
            pieces.append((base, text[done:run.start()]))
        pieces.append((CJK, run.group()))
        done = run.end()
    if done < len(text):
        pieces.append((base, text[done:]))
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

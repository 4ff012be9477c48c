"""Text pieces shared by every document: styles, wrapped canvas text, table cells."""

from __future__ import annotations

import re
from functools import cache

from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph

from desktop_app.documents.fonts import CJK, SANS, SANS_BOLD, markup, runs, string_width

GREY = colors.Color(0.35, 0.35, 0.35)
RULE = colors.Color(0.75, 0.75, 0.75)
SHADE = colors.Color(0.93, 0.93, 0.93)

_TOKEN = re.compile(r"[\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef]\s*|\s+|"
                    r"[^\s\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef]+\s*")


@cache
def style(name: str, cjk: bool = False) -> ParagraphStyle:
    """The few paragraph styles, made once per process; ``cjk``: lines may break between
    any two Chinese characters (ReportLab's CJK wrap), not only at spaces."""
    if cjk:
        return ParagraphStyle(f"{name}_cjk", style(name), wordWrap="CJK")
    base = ParagraphStyle("body", fontName=SANS, fontSize=9.5, leading=13.5)
    styles = {
        "body": base,
        "title": ParagraphStyle("title", base, fontName=SANS_BOLD, fontSize=14, leading=17,
                                spaceAfter=4),
        "heading": ParagraphStyle("heading", base, fontName=SANS_BOLD, fontSize=10.5,
                                  leading=14, spaceBefore=6, spaceAfter=2),
        "cell": ParagraphStyle("cell", base, fontSize=8.5, leading=10.5),
        "cell_right": ParagraphStyle("cell_right", base, fontSize=8.5, leading=10.5,
                                     alignment=TA_RIGHT),
        "small": ParagraphStyle("small", base, fontSize=8, leading=10, textColor=GREY),
        "note": ParagraphStyle("note", base, fontSize=8.5, leading=11),
        "head_cell": ParagraphStyle("head_cell", base, fontName=SANS_BOLD, fontSize=8.5,
                                    leading=10.5),
        "head_cell_right": ParagraphStyle("head_cell_right", base, fontName=SANS_BOLD,
                                          fontSize=8.5, leading=10.5, alignment=TA_RIGHT),
    }
    return styles[name]


BOLD_STYLES = frozenset({"title", "heading", "head_cell", "head_cell_right"})


def has_cjk(text: str) -> bool:
    return any(font == CJK for font, _ in runs(text))


class _Strong(Paragraph):
    """A bold paragraph with Chinese in it: the CJK face has no bold, so its glyphs are
    filled and stroked (PDF text render mode 2) to print as heavy as the Latin bold."""

    def draw(self) -> None:
        canv = self.canv
        canv.saveState()
        canv.setLineWidth(0.32)
        canv._code.append("2 Tr")  # type: ignore[attr-defined]
        super().draw()
        canv._code.append("0 Tr")  # type: ignore[attr-defined]
        canv.restoreState()


def para(text: str, name: str = "body", *, bold: bool = False) -> Paragraph:
    """A paragraph of user or translated text: always escaped, never interpreted. Chinese
    wraps between characters; bold Chinese is stroked."""
    body = markup(text)
    cjk = has_cjk(text)
    strong = bold or name in BOLD_STYLES
    kind = _Strong if cjk and strong else Paragraph
    return kind(f"<b>{body}</b>" if bold else body, style(name, cjk))


def plain_ok(text: str) -> bool:
    return all(font == SANS for font, _ in runs(text))


def cell(text: str, *, right: bool = False, bold: bool = False) -> str | Paragraph:
    """A table cell: a plain string when the Latin font draws it (fast), else a Paragraph
    aligned as its column is."""
    if plain_ok(text) and "\n" not in text and not bold:
        return text
    return para(text, "cell_right" if right else "cell", bold=bold)


def head(text: str, *, right: bool = False) -> Paragraph:
    """A header cell: bold, aligned with the column below it, wrapping at spaces when the
    column is narrower than the words."""
    return para(text, "head_cell_right" if right else "head_cell")


def aligned_numbers(values: list[str]) -> list[str]:
    """Numbers padded after their last digit so that right-aligned they line up on the
    decimal separator: a missing fraction becomes a punctuation space and figure spaces,
    which DejaVu draws as wide as the separator and the digits."""
    def fraction(text: str) -> int:
        digits = re.search(r"[.,](\d+)\D*$", text)
        return len(digits.group(1)) if digits else 0
    widest = max((fraction(v) for v in values), default=0)
    out = []
    for value in values:
        missing = widest - fraction(value)
        if missing and widest:
            pad = "\u2007" * missing if fraction(value) else "\u2008" + "\u2007" * widest
            value += pad
        out.append(value)
    return out


def wrap(text: str, width: float, size: float, *, bold: bool = False) -> list[str]:
    """Lines no wider than ``width``: break at spaces, between CJK characters, and inside a
    word only when the word alone is too wide, then after its last "@", "." or "-" that
    fits (an email address breaks as a person would read it)."""
    lines: list[str] = []
    for raw in text.split("\n"):
        line = ""
        for token in _TOKEN.findall(raw):
            if string_width((line + token).rstrip(), size, bold) <= width:
                line += token
                continue
            if line.strip():
                lines.append(line.rstrip())
            line = token.lstrip()
            while string_width(line.rstrip(), size, bold) > width and len(line) > 1:
                cut = len(line) - 1
                while cut > 1 and string_width(line[:cut], size, bold) > width:
                    cut -= 1
                mark = max(line.rfind(ch, 1, cut) for ch in "@.-/")
                if mark > 0 and line[mark] == "@":
                    cut = mark  # the "@" starts the next line
                elif mark > 0:
                    cut = mark + 1
                lines.append(line[:cut])
                line = line[cut:]
        lines.append(line.rstrip())
    return lines


def draw(canv: Canvas, x: float, y: float, text: str, size: float, *, bold: bool = False,
         align: str = "left", color: colors.Color = colors.black) -> None:
    """One line of text at a PDF baseline, switching font per run (Latin/Cyrillic vs CJK)."""
    if align == "right":
        x -= string_width(text, size, bold)
    canv.setFillColor(color)
    for font, piece in runs(text, SANS_BOLD if bold else SANS):
        canv.setFont(font, size)
        if bold and font == CJK:  # no bold CJK face: fill and stroke the glyphs
            text_object = canv.beginText(x, y)
            text_object.setTextRenderMode(2)
            canv.saveState()
            canv.setLineWidth(size * 0.035)
            canv.setStrokeColor(color)
            text_object.setFont(font, size)
            text_object.textOut(piece)
            canv.drawText(text_object)
            canv.restoreState()
        else:
            canv.drawString(x, y, piece)
        x += canv.stringWidth(piece, font, size)
    canv.setFillColor(colors.black)

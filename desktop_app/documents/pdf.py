"""The page machinery every document shares: letterhead, envelope window, fold marks,
footer, "Page x of y" per document part, and byte-deterministic output.

A PDF is a sequence of parts (an invoice, a letter, a statement ...); each part starts on a
new page and numbers its own pages, so that a day's letters print as one job.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from io import BytesIO
from pathlib import Path

from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
)

from desktop_app.documents.data import Company, Customer
from desktop_app.documents.fonts import SANS, ensure_fonts, string_width
from desktop_app.documents.i18n import Lang
from desktop_app.documents.images import srgb_image
from desktop_app.documents.layout import Geometry, geometry
from desktop_app.documents.legal import tax_id_label
from desktop_app.documents.payment import grouped_iban
from desktop_app.documents.typesetting import GREY, RULE, draw, wrap
from desktop_app.domain.errors import ValidationError
from desktop_app.messages import N_

ADDRESS_SIZES = (10.0, 9.0, 8.0, 7.0)  # shrink a long address before it could overflow


@dataclass(eq=False)
class Part:
    """One document inside a PDF: its first page carries the letterhead and the window."""

    company: Company
    lang: Lang
    title: str  # repeated on continuation pages
    story: list[Flowable]
    recipient: Customer | None = None
    info: tuple[tuple[str, str], ...] = ()
    note: str = ""  # a line above the letterhead, e.g. "copy of the letter sent on ..."
    geo: Geometry = field(init=False)

    def __post_init__(self) -> None:
        self.geo = geometry(self.company)


def sha256_hex(pdf: bytes) -> str:
    """Fingerprint kept with a sent document: the same data renders the same bytes."""
    return hashlib.sha256(pdf).hexdigest()


class _PartStart(Flowable):
    """Invisible marker: tells the canvas which part the current page belongs to."""

    def __init__(self, part: Part) -> None:
        super().__init__()
        self.part = part
        self.width = self.height = 0

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:
        self.canv._part = self.part  # type: ignore[attr-defined]


class _Canvas(Canvas):
    """Holds pages back until the end, when each part's page count is known."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        # An embedded font from the first operator on: ReportLab's default would name an
        # unembedded Helvetica on every page, which PDF/A forbids.
        kwargs["initialFontName"] = kwargs.get("initialFontName") or SANS
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self._states: list[dict] = []
        self._forms: dict[object, str] = {}

    def showPage(self) -> None:
        self._states.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        totals = Counter(id(state["_part"]) for state in self._states)
        seen: Counter[int] = Counter()
        for state in self._states:
            self.__dict__.update(state)
            part: Part = state["_part"]
            seen[id(part)] += 1
            _page_number(self, part, seen[id(part)], totals[id(part)])
            super().showPage()
        super().save()


def _page_number(canv: Canvas, part: Part, page: int, pages: int) -> None:
    geo, t = part.geo, part.lang
    y = geo.bottom - 9 * mm
    draw(canv, geo.width - geo.right, y, t("Page %(page)s of %(pages)s", page=page,
                                           pages=pages), 8, align="right", color=GREY)
    if page < pages:
        draw(canv, geo.left, y, t("Continued on the next page"), 8, color=GREY)


def _form(canv: _Canvas, key: object, paint: object) -> None:
    """Draw repeated artwork (letterhead, footer) once per PDF as a form, then reuse it."""
    name = canv._forms.get(key)
    if name is None:
        name = canv._forms[key] = f"F{len(canv._forms)}"
        canv.beginForm(name)
        paint(canv)  # type: ignore[operator]
        canv.endForm()
    canv.doForm(name)


def _first_page(canv: _Canvas, doc: BaseDocTemplate) -> None:
    part: Part = canv._part  # type: ignore[attr-defined]
    geo = part.geo
    _form(canv, ("head", part.company), lambda c: _letterhead(c, part.company, geo))
    _form(canv, ("foot", part.company, part.lang.language),
          lambda c: _footer(c, part.company, part.lang, geo))
    _marks(canv, geo)
    if part.recipient is not None:
        _address(canv, part.company, part.recipient, geo)
    _info(canv, part, geo)
    if part.note:
        draw(canv, geo.left, geo.height - 6 * mm, part.note, 7, color=GREY)


def _later_page(canv: _Canvas, doc: BaseDocTemplate) -> None:
    part: Part = canv._part  # type: ignore[attr-defined]
    geo = part.geo
    _form(canv, ("foot", part.company, part.lang.language),
          lambda c: _footer(c, part.company, part.lang, geo))
    _marks(canv, geo)
    y = geo.height - geo.later_top + 8 * mm
    draw(canv, geo.left, y, part.company.name, 8, color=GREY)
    draw(canv, geo.width - geo.right, y, part.lang("%(title)s (continued)", title=part.title),
         9, bold=True, align="right")


def _letterhead(canv: Canvas, company: Company, geo: Geometry) -> None:
    top = geo.height - geo.letterhead_top
    text_width = geo.frame_width
    if company.logo is not None:
        logo = srgb_image(company.logo if isinstance(company.logo, bytes)
                          else Path(company.logo).read_bytes())
        iw, ih = logo.getSize()
        scale = min(50 * mm / iw, 20 * mm / ih)
        w, h = iw * scale, ih * scale
        canv.drawImage(logo, geo.width - geo.right - w, top - h, w, h, mask="auto")
        text_width -= w + 6 * mm
    y = top - 14
    for line in wrap(company.name, text_width, 15, bold=True)[:2]:
        draw(canv, geo.left, y, line, 15, bold=True)
        y -= 17
    details = [" · ".join(company.address),
               " · ".join(x for x in (company.phone, company.email, company.website) if x)]
    for text in details:
        for line in wrap(text, text_width, 8)[:2]:
            y -= 2
            draw(canv, geo.left, y, line, 8, color=GREY)
            y -= 9


def _footer(canv: Canvas, company: Company, t: Lang, geo: Geometry) -> None:
    """The seller's name, contact, tax IDs, register (GmbHG § 35a: court, number, managing
    directors) and bank, in up to four columns; a column with nothing in it is left out."""
    bank = company.bank
    columns = [
        [company.name, *company.address],
        [f"{t('Phone')}: {company.phone}" if company.phone else "",
         company.email, company.website,
         f"{t('VAT ID')}: {company.vat_id}" if company.vat_id else "",
         f"{t(tax_id_label(company.tax_id, company.country))}: {company.tax_id}"
         if company.tax_id and company.tax_id != company.vat_id else ""],
        [company.register,
         f"{t('Managing directors')}: {company.directors}" if company.directors else ""],
        [bank.bank_name,
         f"{t('IBAN')}: {grouped_iban(bank.iban)}" if bank.iban else "",
         f"{t('BIC')}: {bank.bic}" if bank.bic and bank.iban else "",
         f"{t('Account number')}: {bank.account_number}" if bank.account_number else "",
         f"{t('Routing number')}: {bank.routing_number}" if bank.routing_number else ""],
    ]
    filled = [column for column in columns if any(column)]
    top = geo.bottom - 12 * mm
    canv.setStrokeColor(RULE)
    canv.setLineWidth(0.5)
    canv.line(geo.left, top + 8, geo.width - geo.right, top + 8)
    x = geo.left
    for column, width in zip(filled, _footer_widths(filled, geo.frame_width), strict=True):
        lines = [piece for text in column if text for piece in wrap(text, width - 6, 6.5)]
        for row, line in enumerate(lines[:6]):
            draw(canv, x, top - row * 8, line, 6.5, color=GREY)
        x += width


def _footer_widths(columns: list[list[str]], total: float) -> list[float]:
    """Each column as wide as its longest line when they fit (an email address stays whole),
    the room left shared out; else shares of the page in proportion to those widths."""
    natural = [max(string_width(text, 6.5) for text in column if text) + 8
               for column in columns]
    if sum(natural) <= total:
        extra = (total - sum(natural)) / len(natural)
        return [w + extra for w in natural]
    return [total * w / sum(natural) for w in natural]


def _marks(canv: Canvas, geo: Geometry) -> None:
    """Fold marks (to fold for the window) and the hole-punch mark, at the left edge."""
    canv.setStrokeColor(GREY)
    canv.setLineWidth(0.4)
    for fold in geo.folds:
        canv.line(3 * mm, geo.height - fold, 8 * mm, geo.height - fold)
    canv.line(3 * mm, geo.height - geo.hole, 10 * mm, geo.height - geo.hole)


def address_lines(company: Company, customer: Customer, geo: Geometry
                  ) -> tuple[float, list[str]]:
    """The recipient's lines wrapped to the window, in the largest size that fits in it."""
    width = geo.window.width - geo.address_inset - 3 * mm
    height = geo.window.bottom - geo.address_top - 1 * mm
    text = "\n".join([customer.name, *customer.address])
    for size in ADDRESS_SIZES:
        lines = wrap(text, width, size)
        if len(lines) * size * 1.2 <= height:
            return size, lines
    raise ValidationError("customer address", N_("is too long for the envelope window"))


def _address(canv: Canvas, company: Company, customer: Customer, geo: Geometry) -> None:
    win = geo.window
    x = win.x + geo.address_inset
    if geo.return_line:
        sender = " · ".join([company.name, *company.address])
        size = 6.5
        while string_width(sender, size) > win.width - geo.address_inset - 2 * mm and size > 5:
            size -= 0.5
        line = wrap(sender, win.width - geo.address_inset - 2 * mm, size)[0]
        baseline = geo.height - geo.address_top + 5
        draw(canv, x, baseline, line, size, color=GREY)
        canv.setStrokeColor(GREY)
        canv.setLineWidth(0.3)
        canv.line(x, baseline - 1.5, x + string_width(line, size), baseline - 1.5)
    size, lines = address_lines(company, customer, geo)
    y = geo.height - geo.address_top - size
    for line in lines:
        draw(canv, x, y, line, size)
        y -= size * 1.2


def _info(canv: Canvas, part: Part, geo: Geometry) -> None:
    """Number, dates and reference beside the window (DIN 5008 information block)."""
    box = geo.info
    widest = max((string_width(label, 8) for label, _ in part.info), default=0)
    label_width = min(widest + 3 * mm, box.width * 0.5)
    y = geo.height - box.top - 8
    for label, value in part.info:
        labels = wrap(label, label_width - 2 * mm, 8)  # a long label wraps, never overlaps
        values = wrap(value, box.width - label_width, 8.5)
        for row in range(max(len(labels), len(values))):
            if row < len(labels):
                draw(canv, box.x, y, labels[row], 8, color=GREY)
            if row < len(values):
                draw(canv, box.x + label_width, y, values[row], 8.5)
            y -= 11


def build(parts: Sequence[Part], *, title: str) -> bytes:
    """Render parts into one PDF; invariant mode makes equal data give equal bytes."""
    ensure_fonts()
    geo = parts[0].geo
    buffer = BytesIO()
    doc = BaseDocTemplate(
        buffer, pagesize=geo.size, invariant=1, title=title, author=parts[0].company.name,
        creator="PaidUp", producer="PaidUp", subject="", keywords=[],
        leftMargin=geo.left, rightMargin=geo.right, topMargin=geo.later_top,
        bottomMargin=geo.bottom)
    first = Frame(geo.left, geo.bottom, geo.frame_width, geo.height - geo.first_top - geo.bottom,
                  id="first", leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
    later = Frame(geo.left, geo.bottom, geo.frame_width, geo.height - geo.later_top - geo.bottom,
                  id="later", leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
    doc.addPageTemplates([
        PageTemplate("first", [first], onPageEnd=_first_page, autoNextPageTemplate="later"),
        PageTemplate("later", [later], onPageEnd=_later_page),
    ])
    story: list[Flowable] = []
    for index, part in enumerate(parts):
        if index:
            story += [NextPageTemplate("first"), PageBreak()]
        story += [_PartStart(part), *part.story]
    doc.build(story, canvasmaker=_Canvas)
    return buffer.getvalue()


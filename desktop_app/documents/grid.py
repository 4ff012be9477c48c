"""Tables sized from their content, split across pages with their subtotal carried.

Every table of every document is a ``Grid``: each column is as wide as its widest entry
(a header wraps at its spaces rather than run into its neighbour), one flexible column
takes what is left, numbers are right-aligned under right-aligned headers and quantities
line up on their decimal separator. On a page break the page ends with the subtotal so far
("carried forward") and the next one starts with it; the closing rows (totals) always
come with at least two rows of the table, never alone on a page.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from reportlab.platypus import Flowable, Table, TableStyle

from desktop_app.documents.fonts import SANS, SANS_BOLD, string_width
from desktop_app.documents.typesetting import (
    GREY,
    RULE,
    SHADE,
    aligned_numbers,
    cell,
    head,
    para,
)

PAD = 3.0
SIZE = 8.5
MIN_FLEX = 110.0  # points: a description column narrower than this reads badly


@dataclass(frozen=True)
class Column:
    header: str
    numeric: bool = False  # right-aligned, never wrapped
    flex: bool = False  # takes the width left and wraps
    decimal: bool = False  # numbers lined up on their decimal separator


@dataclass(frozen=True)
class Carry:
    """A running subtotal of one column, printed at each page break."""

    amounts: Sequence[int]  # one per body row
    carried: str  # "Carried forward"
    brought: str  # "Brought forward"
    money: Callable[[int], str]


@dataclass(frozen=True)
class Foot:
    """A closing row: a label over all columns but the last, the amount in the last."""

    label: str
    amount: str
    bold: bool = False


@dataclass(eq=False)
class Grid(Flowable):
    columns: Sequence[Column]
    body: Sequence[Sequence[str]]
    foot: Sequence[Foot] = ()
    carry: Carry | None = None
    brought: int | None = None  # subtotal brought from the previous page
    widths: list[float] | None = None
    keep_rows: int = 2
    _table: Table | None = field(default=None, init=False)
    _table_width: float = field(default=0.0, init=False)

    def __post_init__(self) -> None:
        Flowable.__init__(self)
        for index, column in enumerate(self.columns):
            if column.decimal:
                values = aligned_numbers([row[index] for row in self.body])
                self.body = [[*row[:index], value, *row[index + 1:]]
                             for row, value in zip(self.body, values, strict=True)]

    # --- sizing ---------------------------------------------------------------------------

    def _widths(self, avail: float) -> list[float]:
        if self.widths is not None:
            return self.widths
        content = []
        header_full = []
        header_word = []
        for index, column in enumerate(self.columns):
            texts = [row[index] for row in self.body]
            widest = max((max(string_width(line, SIZE) for line in text.split("\n"))
                          for text in texts if text), default=0.0)
            if index == len(self.columns) - 1:
                widest = max([widest, *(string_width(f.amount, SIZE, f.bold)
                                        for f in self.foot)])
            content.append(widest + 2 * PAD)
            header_full.append(string_width(column.header, SIZE, True) + 2 * PAD + 1)
            header_word.append(max(string_width(w, SIZE, True) for w in
                                   (column.header.split() or [""])) + 2 * PAD + 1)
        flex = [i for i, c in enumerate(self.columns) if c.flex]
        widths = [max(c, h) for c, h in zip(content, header_full, strict=True)]
        fixed = [i for i in range(len(widths)) if i not in flex]
        room = avail - (MIN_FLEX if flex else 0)
        if sum(widths[i] for i in fixed) > room:
            for i in fixed:  # let headers wrap before anything else gives way
                widths[i] = max(content[i], header_word[i])
        if flex:  # the flexible columns share what is left, each after what it holds
            rest = max(avail - sum(widths[i] for i in fixed), MIN_FLEX / 2)
            natural = sum(widths[i] for i in flex)
            for i in flex:
                widths[i] = rest * widths[i] / natural
        self.widths = widths
        return widths

    # --- building -------------------------------------------------------------------------

    def _rows(self, carried_out: int | None) -> tuple[list[list], TableStyle]:
        n = len(self.columns)
        last = n - 1
        rows: list[list] = [[head(c.header, right=c.numeric) for c in self.columns]]
        commands: list[tuple] = [
            ("FONTNAME", (0, 0), (-1, -1), SANS), ("FONTSIZE", (0, 0), (-1, -1), SIZE),
            ("LEADING", (0, 0), (-1, -1), 10.5), ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), PAD), ("RIGHTPADDING", (0, 0), (-1, -1), PAD),
            ("TOPPADDING", (0, 0), (-1, -1), 2), ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
            ("BACKGROUND", (0, 0), (-1, 0), SHADE), ("LINEBELOW", (0, 0), (-1, 0), 0.6, GREY),
        ]
        for index, column in enumerate(self.columns):
            if column.numeric:
                commands.append(("ALIGN", (index, 0), (index, -1), "RIGHT"))

        def spanned(label: str, amount: str, bold: bool = False, grey: bool = False) -> None:
            row = len(rows)
            rows.append([para(label, "cell_right", bold=bold), *[""] * (n - 2),
                         cell(amount, right=True, bold=bold)])
            commands.append(("SPAN", (0, row), (last - 1, row)))
            if grey:
                commands.append(("TEXTCOLOR", (0, row), (-1, row), GREY))

        if self.brought is not None and self.carry is not None:
            spanned(self.carry.brought, self.carry.money(self.brought), grey=True)
        first_body = len(rows)
        for row in self.body:
            rows.append([para(text, "cell") if column.flex else cell(text, right=column.numeric)
                         for column, text in zip(self.columns, row, strict=True)])
        if len(rows) > first_body:
            commands.append(("LINEBELOW", (0, first_body), (-1, len(rows) - 1), 0.25, RULE))
        if carried_out is not None and self.carry is not None:
            spanned(self.carry.carried, self.carry.money(carried_out), grey=True)
        if self.foot:
            commands.append(("LINEABOVE", (0, len(rows)), (-1, len(rows)), 0.6, GREY))
            for foot in self.foot:
                if foot.bold:
                    commands.append(("FONTNAME", (0, len(rows)), (-1, len(rows)), SANS_BOLD))
                spanned(foot.label, foot.amount, foot.bold)
        return rows, TableStyle(commands)

    def _build(self, avail: float, carried_out: int | None = None) -> Table:
        rows, table_style = self._rows(carried_out)
        table = Table(rows, colWidths=self._widths(avail), hAlign="LEFT")
        table.setStyle(table_style)
        return table

    # --- the Flowable protocol -------------------------------------------------------------

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        if self._table is None or self._table_width != avail_width:  # wrapped again and again
            self._table, self._table_width = self._build(avail_width), avail_width
        return self._table.wrap(avail_width, avail_height)

    def draw(self) -> None:
        assert self._table is not None
        self._table.drawOn(self.canv, 0, 0)

    def _part(self, body: Sequence[Sequence[str]], foot: Sequence[Foot],
              brought: int | None, amounts: Sequence[int] | None) -> Grid:
        carry = Carry(amounts, self.carry.carried, self.carry.brought, self.carry.money) \
            if self.carry is not None and amounts is not None else None
        return Grid(self.columns, body, foot, carry, brought, self.widths, self.keep_rows)

    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        """As many rows as fit with the carried subtotal below them; the rest (with the
        closing rows and at least ``keep_rows`` rows before them) on the next page."""
        self.wrap(avail_width, avail_height)  # the rows' heights, measured once
        assert self._table is not None
        heights = self._table._rowHeights
        offset = 1 + (self.brought is not None and self.carry is not None)
        # the carried row is one line, as high as the shortest row of the table
        carry_height = min(heights[offset:offset + len(self.body)] or [0]) if self.carry else 0
        used = sum(heights[:offset]) + carry_height
        fits = 0
        for k in range(len(self.body)):
            used += heights[offset + k]
            if used > avail_height:
                break
            fits = k + 1
        if self.foot:
            fits = min(fits, len(self.body) - self.keep_rows)
        if fits < 1 or fits >= len(self.body):
            return []
        amounts = list(self.carry.amounts) if self.carry else None
        subtotal = None
        if amounts is not None:
            subtotal = (self.brought or 0) + sum(amounts[:fits])
        first = self._part(self.body[:fits], (), self.brought,
                           amounts[:fits] if amounts is not None else None)
        rest = self._part(self.body[fits:], self.foot, subtotal,
                          amounts[fits:] if amounts is not None else None)
        return [_Closed(first, subtotal), rest]


class _Closed(Flowable):
    """The first part of a split grid, ending with the subtotal carried forward."""

    def __init__(self, grid: Grid, carried: int | None) -> None:
        super().__init__()
        self.grid = grid
        self.carried = carried
        self._table: Table | None = None

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self._table = self.grid._build(avail_width, self.carried)
        return self._table.wrap(avail_width, avail_height)

    def draw(self) -> None:
        assert self._table is not None
        self._table.drawOn(self.canv, 0, 0)

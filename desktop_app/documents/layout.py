"""Where things sit on the page: envelope windows, fold and hole marks, margins.

A4 follows DIN 5008 form B; Letter follows the US #10 window envelope. The company's
calibration offsets move the window (and the address in it) only.
"""

from __future__ import annotations

from dataclasses import dataclass

from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.units import inch, mm

from desktop_app.documents.data import Company


@dataclass(frozen=True, slots=True)
class Rect:
    """A box measured in points from the page's top-left corner."""

    x: float
    top: float
    width: float
    height: float

    @property
    def right(self) -> float:
        return self.x + self.width

    @property
    def bottom(self) -> float:
        return self.top + self.height


@dataclass(frozen=True, slots=True)
class Geometry:
    size: tuple[float, float]
    window: Rect
    address_top: float  # first address line's top, below the return-address zone on A4
    address_inset: float
    return_line: bool
    folds: tuple[float, ...]
    hole: float
    info: Rect
    left: float
    right: float
    letterhead_top: float
    first_top: float
    later_top: float
    bottom: float

    @property
    def width(self) -> float:
        return self.size[0]

    @property
    def height(self) -> float:
        return self.size[1]

    @property
    def frame_width(self) -> float:
        return self.width - self.left - self.right


def geometry(company: Company) -> Geometry:
    dx, dy = company.window_dx_mm * mm, company.window_dy_mm * mm
    if company.paper == "letter":
        # US #10 window envelope: window 4.5 x 1.125 in, 7/8 in from the left edge, the
        # address about 2 in from the top of a letter folded in three.
        window = Rect(0.875 * inch + dx, 1.95 * inch + dy, 4.5 * inch, 1.125 * inch)
        return Geometry(
            size=LETTER, window=window, address_top=window.top + 0.08 * inch,
            address_inset=0.15 * inch, return_line=False,
            folds=(11 * inch / 3, 22 * inch / 3), hole=5.5 * inch,
            info=Rect(5.35 * inch, 1.95 * inch, 2.4 * inch, 1.3 * inch),
            left=1.0 * inch, right=0.75 * inch, letterhead_top=0.55 * inch,
            first_top=3.45 * inch, later_top=0.95 * inch, bottom=1.25 * inch)
    # DIN 5008 form B: address field 85 x 45 mm at 20 mm from the left and 45 mm from the
    # top; its upper 17.7 mm hold the return address, the address proper starts below.
    window = Rect(20 * mm + dx, 45 * mm + dy, 85 * mm, 45 * mm)
    return Geometry(
        size=A4, window=window, address_top=window.top + 17.7 * mm, address_inset=5 * mm,
        return_line=True, folds=(105 * mm, 210 * mm), hole=148.5 * mm,
        info=Rect(125 * mm, 50 * mm, 65 * mm, 40 * mm),
        left=25 * mm, right=20 * mm, letterhead_top=12 * mm,
        first_top=98.46 * mm, later_top=24 * mm, bottom=34 * mm)

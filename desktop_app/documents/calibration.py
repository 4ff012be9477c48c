"""A test page for window envelopes: print it, fold it, hold it behind the envelope."""

from __future__ import annotations

from io import BytesIO

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from desktop_app.documents.data import Company
from desktop_app.documents.fonts import SANS, ensure_fonts
from desktop_app.documents.layout import geometry
from desktop_app.documents.typesetting import GREY, draw

STEPS = (
    "Window-envelope calibration",
    "1. Print this page at 100 % (no 'fit to page').",
    "2. Fold it at the marks on the left edge and put it in a window envelope.",
    "3. The framed box must show fully in the window. If it does not, measure how far off",
    "   it is and change the window offsets in the settings (right/down in mm).",
)


def render_calibration(company: Company) -> bytes:
    """Window rectangle, address zone and fold marks at the configured offsets."""
    ensure_fonts()
    geo = geometry(company)
    buffer = BytesIO()
    canv = Canvas(buffer, pagesize=geo.size, invariant=1, initialFontName=SANS)
    canv.setTitle("Window-envelope calibration")
    h = geo.height
    win = geo.window
    canv.setStrokeColor(colors.black)
    canv.setLineWidth(0.8)
    canv.rect(win.x, h - win.bottom, win.width, win.height)
    canv.setDash(2, 2)
    canv.setStrokeColor(GREY)
    canv.line(win.x, h - geo.address_top, win.right, h - geo.address_top)
    canv.setDash()
    draw(canv, win.x + geo.address_inset, h - geo.address_top - 12, "Address appears here", 10)
    offsets = f"Offsets: right {company.window_dx_mm:+.1f} mm, down {company.window_dy_mm:+.1f} mm"
    draw(canv, win.x + geo.address_inset, h - geo.address_top - 26, offsets, 8, color=GREY)
    canv.setStrokeColor(colors.black)
    canv.setLineWidth(0.4)
    for fold in geo.folds:
        canv.line(3 * mm, h - fold, 8 * mm, h - fold)
        canv.setDash(1, 3)
        canv.line(12 * mm, h - fold, geo.width - 12 * mm, h - fold)
        canv.setDash()
    canv.line(3 * mm, h - geo.hole, 10 * mm, h - geo.hole)
    y = h - geo.first_top - 20 * mm
    for index, step in enumerate(STEPS):
        draw(canv, geo.left, y, step, 13 if index == 0 else 10, bold=index == 0)
        y -= 20 if index == 0 else 14
    canv.showPage()
    canv.save()
    return buffer.getvalue()

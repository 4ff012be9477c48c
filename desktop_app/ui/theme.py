"""Colours derived from the system palette, so light and dark mode both read well.

Nothing here is a fixed colour on a fixed background: each accent is chosen for the
lightness of the window colour the system gives us.
"""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QGuiApplication, QIcon, QPainter, QPalette, QPixmap

from desktop_app import resources

PAGE_ICONS = resources.ICONS / "pages"


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


def page_icon(key: str, size: int = 20, ratio: float = 1.0, pal: QPalette | None = None
              ) -> QIcon:
    """The sidebar's drawing for a page, in the palette's text colour (and its highlighted
    text colour when the page is the one chosen), so that it reads in light and dark mode."""
    from PySide6.QtSvg import QSvgRenderer  # with the window, not with every dialog

    pal = pal or palette()
    svg = (PAGE_ICONS / f"{key}.svg").read_text(encoding="utf-8")
    icon = QIcon()
    for mode, role in ((QIcon.Mode.Normal, QPalette.ColorRole.WindowText),
                       (QIcon.Mode.Selected, QPalette.ColorRole.HighlightedText)):
        coloured = svg.replace("currentColor", pal.color(role).name())
        renderer = QSvgRenderer(QByteArray(coloured.encode()))
        pixels = round(size * ratio)
        pixmap = QPixmap(QSize(pixels, pixels))
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        renderer.render(painter, QRectF(0, 0, pixels, pixels))
        painter.end()
        pixmap.setDevicePixelRatio(ratio)
        icon.addPixmap(pixmap, mode)
    return icon


def dark_palette() -> QPalette:
    """A dark palette for when the system asks for dark mode but its Qt style stays light
    (Fusion on some Linux desktops, older Windows styles)."""
    pal = QPalette()
    colours = {
        QPalette.ColorRole.Window: "#2b2b2b", QPalette.ColorRole.WindowText: "#e8e8e8",
        QPalette.ColorRole.Base: "#1f1f1f", QPalette.ColorRole.AlternateBase: "#333333",
        QPalette.ColorRole.Text: "#e8e8e8", QPalette.ColorRole.Button: "#353535",
        QPalette.ColorRole.ButtonText: "#e8e8e8", QPalette.ColorRole.BrightText: "#ffffff",
        QPalette.ColorRole.Highlight: "#3d7bd6", QPalette.ColorRole.HighlightedText: "#ffffff",
        QPalette.ColorRole.ToolTipBase: "#3a3a3a", QPalette.ColorRole.ToolTipText: "#e8e8e8",
        QPalette.ColorRole.PlaceholderText: "#a0a0a0", QPalette.ColorRole.Link: "#8ab4f8",
        QPalette.ColorRole.Light: "#4a4a4a", QPalette.ColorRole.Midlight: "#3f3f3f",
        QPalette.ColorRole.Mid: "#2f2f2f", QPalette.ColorRole.Dark: "#1a1a1a",
        QPalette.ColorRole.Shadow: "#0d0d0d",
    }
    for role, colour in colours.items():
        pal.setColor(role, QColor(colour))
    for role in (QPalette.ColorRole.WindowText, QPalette.ColorRole.Text,
                 QPalette.ColorRole.ButtonText):
        pal.setColor(QPalette.ColorGroup.Disabled, role, QColor("#7a7a7a"))
    return pal


def apply_color_scheme(app: QGuiApplication, scheme: Qt.ColorScheme) -> None:
    """Where the platform already gives a palette that matches the scheme nothing is
    touched; otherwise the dark palette above is set, or the platform's given back."""
    dark = scheme == Qt.ColorScheme.Dark
    if scheme == Qt.ColorScheme.Unknown or dark == is_dark(app.palette()):
        return
    app.setPalette(dark_palette() if dark else QPalette())


def follow_color_scheme(app: QGuiApplication) -> None:
    """Light or dark as the system says (Qt 6.5+ reports it), now and whenever it changes."""
    app.styleHints().colorSchemeChanged.connect(
        lambda scheme: apply_color_scheme(app, scheme))
    apply_color_scheme(app, app.styleHints().colorScheme())

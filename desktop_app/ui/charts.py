"""Small charts drawn with QPainter (no chart library): stacked bars, across for customers,
upright for weeks. Colours follow the system palette; amounts arrive as text and as numbers
used only for lengths on screen (money itself stays Decimal in the reports)."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QEvent, QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFontMetrics, QHelpEvent, QPainter, QPaintEvent, QPalette, QPen
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from desktop_app.ui import theme
from desktop_app.ui.translate import _


@dataclass(frozen=True)
class Series:
    name: str
    color: QColor


@dataclass(frozen=True)
class Bar:
    label: str  # the category: a customer, a week
    values: tuple[float, ...]  # one per series, for lengths only
    total_text: str  # the amount as the user reads it
    tip: str = ""  # shown when the pointer rests on the bar


def aging_colors() -> list[QColor]:
    """Current to over 90 days: calm to alarming, readable on light and dark windows."""
    if theme.is_dark():
        names = ("#6fbf8e", "#e8c25a", "#f0955a", "#ef6f7f", "#c9527a")
    else:
        names = ("#3f8f62", "#d4a82a", "#d9702e", "#c63d4f", "#7f2446")
    return [QColor(n) for n in names]


def nice_step(rough: float) -> float:
    """A round step for a scale (1, 2 or 5 times a power of ten) near ``rough``."""
    if rough <= 0:
        return 1.0
    power = 10 ** math.floor(math.log10(rough))
    return next(m * power for m in (1, 2, 5, 10) if m * power >= rough)


class BarChart(QWidget):
    """Stacked bars with a legend; ``across`` lays bars left to right from a label column
    (customers), otherwise bars stand on a baseline (weeks)."""

    def __init__(self, across: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.across = across
        self.series: list[Series] = []
        self.bars: list[Bar] = []
        self.empty_text = _("Nothing to show.")
        self.scale: Callable[[float], str] = lambda value: f"{value:,.0f}"
        self._hits: list[tuple[QRectF, Bar]] = []
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.setMinimumHeight(220)

    def set_data(self, series: list[Series], bars: list[Bar], empty_text: str = "") -> None:
        self.series, self.bars = series, bars
        if empty_text:
            self.empty_text = empty_text
        self.setAccessibleDescription("; ".join(f"{b.label}: {b.total_text}" for b in bars))
        self.updateGeometry()
        self.update()

    def sizeHint(self) -> QSize:
        line = self.fontMetrics().height()
        if self.across:
            return QSize(480, line * 2 + max(len(self.bars), 3) * (line + 10) + 16)
        return QSize(480, 260)

    # -- painting -----------------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        pal = self.palette()
        text_pen = QPen(pal.color(QPalette.ColorRole.WindowText))
        metrics = QFontMetrics(self.font())
        area = QRectF(self.rect()).adjusted(4, 4, -4, -4)
        self._hits = []
        if not any(sum(b.values) for b in self.bars):
            painter.setPen(QPen(theme.muted_color()))
            painter.drawText(area, Qt.AlignmentFlag.AlignCenter, self.empty_text)
            return
        top = self._legend(painter, area, metrics, text_pen)
        plot = QRectF(area.left(), top + 6, area.width(), area.bottom() - top - 6)
        if self.across:
            self._across(painter, plot, metrics, text_pen)
        else:
            self._upright(painter, plot, metrics, text_pen)

    def _legend(self, painter: QPainter, area: QRectF, metrics: QFontMetrics,
                pen: QPen) -> float:
        x, y, h = area.left(), area.top(), metrics.height()
        for s in self.series:
            width = h + 4 + metrics.horizontalAdvance(s.name) + 14
            if x + width > area.right() and x > area.left():
                x, y = area.left(), y + h + 4
            painter.fillRect(QRectF(x, y + 2, h - 4, h - 4), s.color)
            painter.setPen(pen)
            painter.drawText(QPointF(x + h, y + metrics.ascent()), s.name)
            x += width
        return y + h

    def _across(self, painter: QPainter, plot: QRectF, metrics: QFontMetrics,
                pen: QPen) -> None:
        label_width = min(max(metrics.horizontalAdvance(b.label) for b in self.bars) + 12,
                          plot.width() * 0.4)  # names whole where they can be
        value_width = max(metrics.horizontalAdvance(b.total_text) for b in self.bars) + 10
        bar_left = plot.left() + label_width
        span = max(plot.right() - value_width - bar_left, 10)
        biggest = max(sum(b.values) for b in self.bars) or 1.0
        row = min((plot.height()) / max(len(self.bars), 1), metrics.height() + 14)
        for n, bar in enumerate(self.bars):
            y = plot.top() + n * row
            thickness = row - 6
            painter.setPen(pen)
            label = metrics.elidedText(bar.label, Qt.TextElideMode.ElideRight,
                                       int(label_width - 12))
            painter.drawText(QRectF(plot.left(), y, label_width - 8, row),
                             int(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft),
                             label)
            x = bar_left
            for s, value in zip(self.series, bar.values, strict=True):
                length = span * value / biggest
                if length > 0:
                    painter.fillRect(QRectF(x, y + 3, length, thickness), s.color)
                x += length
            self._hits.append((QRectF(plot.left(), y, plot.width(), row), bar))
            painter.setPen(pen)
            painter.drawText(QRectF(x + 6, y, value_width, row),
                             int(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft),
                             bar.total_text)

    def _upright(self, painter: QPainter, plot: QRectF, metrics: QFontMetrics,
                 pen: QPen) -> None:
        label_h = metrics.height() + 4
        biggest = max(sum(b.values) for b in self.bars) or 1.0
        step = nice_step(biggest / 3)
        top_value = step * math.ceil(biggest / step)
        ticks = [step * k for k in range(round(top_value / step) + 1)]
        axis_w = max(metrics.horizontalAdvance(self.scale(t)) for t in ticks) + 8
        left = plot.left() + axis_w
        base = plot.bottom() - label_h
        height = max(base - plot.top() - metrics.height() / 2, 10)
        grid = QPen(self.palette().color(QPalette.ColorRole.Mid))
        grid.setWidthF(0.6)
        for tick in ticks:
            y = base - height * tick / top_value
            painter.setPen(grid)
            painter.drawLine(QPointF(left, y), QPointF(plot.right(), y))
            painter.setPen(QPen(theme.muted_color()))
            painter.drawText(QRectF(plot.left(), y - metrics.height() / 2, axis_w - 6,
                                    metrics.height()),
                             int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter),
                             self.scale(tick))
        slot = (plot.right() - left) / max(len(self.bars), 1)
        width = max(slot * 0.62, 4)
        widest = max((metrics.horizontalAdvance(bar.label) for bar in self.bars), default=0)
        show_every = max(1, math.ceil(widest * 1.3 / slot))  # labels in any language
        for n, bar in enumerate(self.bars):
            x = left + n * slot + (slot - width) / 2
            y = base
            for s, value in zip(self.series, bar.values, strict=True):
                length = height * value / top_value
                if length > 0:
                    painter.fillRect(QRectF(x, y - length, width, length), s.color)
                y -= length
            self._hits.append((QRectF(left + n * slot, plot.top(), slot, plot.height()), bar))
            if n % show_every == 0:
                painter.setPen(pen)
                wide = metrics.horizontalAdvance(bar.label) + 2
                centred = left + n * slot + slot / 2 - wide / 2
                start = max(plot.left(), min(centred, plot.right() - wide))  # never cut off
                painter.drawText(QRectF(start, base + 2, wide, label_h),
                                 int(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop),
                                 bar.label)

    # -- tooltips -----------------------------------------------------------------------------

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            for rect, bar in self._hits:
                if rect.contains(QPointF(event.pos())):
                    QToolTip.showText(event.globalPos(), bar.tip or f"{bar.label}: "
                                      f"{bar.total_text}", self)
                    return True
            QToolTip.hideText()
            event.ignore()
            return True
        return super().event(event)

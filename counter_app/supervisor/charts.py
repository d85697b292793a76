"""Small chart widgets painted with QPainter: bars and a heat map.

QtCharts is deprecated since Qt 6.10 and QtGraphs needs Qt Quick / OpenGL, which a hall's
office PCs (and the offscreen test platform) do not reliably have; these few hundred
lines draw exactly what the supervisor needs with the bundled CJK font (docs/supervisor.md).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPaintEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

from shared.reports import chart_data

SERIES_COLORS = tuple(QColor(c) for c in chart_data.SERIES_COLORS)  # the PDF's palette
AXIS = QColor("#5F6B7A")
GRID = QColor("#E3E7EE")
@dataclass(frozen=True)
class Series:
    name: str
    values: list[float]


class _Chart(QWidget):
    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._title = title
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(QSize(320, 220))

    def set_title(self, title: str) -> None:
        self._title = title
        self.update()

    def _begin(self) -> tuple[QPainter, QRectF]:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), QColor("white"))
        title_font = QFont(self.font())
        title_font.setPointSizeF(self.font().pointSizeF() * 1.1)
        title_font.setBold(True)
        painter.setFont(title_font)
        painter.setPen(QColor("#1F2933"))
        height = painter.fontMetrics().height()
        painter.drawText(QRectF(8, 4, self.width() - 16, height), Qt.AlignmentFlag.AlignLeft,
                         self._title)
        painter.setFont(self.font())
        return painter, QRectF(8, height + 12, self.width() - 16, self.height() - height - 16)

    def _empty(self, painter: QPainter, area: QRectF) -> None:
        painter.setPen(AXIS)
        painter.drawText(area, Qt.AlignmentFlag.AlignCenter, self.tr("暂无数据"))


def nice_ticks(value: float, count: int = 4) -> list[float]:
    """``count + 1`` evenly spaced axis ticks from 0 to a round number at or above
    ``value``; the step is 1, 2, 2.5 or 5 times a power of ten (whole numbers for counts)."""
    if value <= 0:
        return [float(i) for i in range(count + 1)]
    raw = value / count
    power = 10 ** math.floor(math.log10(raw))
    step = next(f * power for f in (1, 2, 2.5, 5, 10) if f * power >= raw)
    if value >= count and step < 1:
        step = 1
    return [step * i for i in range(count + 1)]


def tick_label(value: float) -> str:
    return f"{value:g}"


class BarChart(_Chart):
    """Vertical bars per category; one or more series side by side, with a legend."""

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(title, parent)
        self._categories: list[str] = []
        self._series: list[Series] = []

    def set_data(self, categories: list[str], series: list[Series]) -> None:
        self._categories, self._series = categories, series
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter, area = self._begin()
        values = [v for s in self._series for v in s.values]
        if not self._categories or not any(values):
            self._empty(painter, area)
            painter.end()
            return
        metrics = painter.fontMetrics()
        ticks = nice_ticks(max(values))
        top = ticks[-1]
        label_w = max(metrics.horizontalAdvance(tick_label(t)) for t in ticks) + 8
        legend_h = metrics.height() + 4 if len(self._series) > 1 else 0
        plot = QRectF(area.left() + label_w, area.top() + legend_h, area.width() - label_w,
                      area.height() - legend_h - metrics.height() - 6)
        for tick in ticks:  # grid lines and value labels
            y = plot.bottom() - plot.height() * tick / top
            painter.setPen(GRID)
            painter.drawLine(int(plot.left()), int(y), int(plot.right()), int(y))
            painter.setPen(AXIS)
            painter.drawText(QRectF(area.left(), y - metrics.height() / 2, label_w - 4,
                                    metrics.height()),
                             Qt.AlignmentFlag.AlignRight, tick_label(tick))
        slot = plot.width() / len(self._categories)
        bar_w = max(2.0, slot * 0.8 / len(self._series))
        step = max(1, int(metrics.horizontalAdvance("00000") / slot) + 1)
        for c, name in enumerate(self._categories):
            for s, series in enumerate(self._series):
                value = series.values[c] if c < len(series.values) else 0
                height = plot.height() * value / top
                x = plot.left() + c * slot + slot * 0.1 + s * bar_w
                painter.fillRect(QRectF(x, plot.bottom() - height, bar_w - 1, height),
                                 SERIES_COLORS[s % len(SERIES_COLORS)])
            if c % step == 0:
                painter.setPen(AXIS)
                painter.drawText(QRectF(plot.left() + c * slot - slot, plot.bottom() + 3,
                                        slot * 3, metrics.height()),
                                 Qt.AlignmentFlag.AlignHCenter, name)
        self._legend(painter, area)
        painter.end()

    def _legend(self, painter: QPainter, area: QRectF) -> None:
        if len(self._series) < 2:
            return
        metrics = painter.fontMetrics()
        x = area.right()
        for s, series in reversed(list(enumerate(self._series))):
            x -= metrics.horizontalAdvance(series.name) + 24
            painter.fillRect(QRectF(x, area.top() + 3, 12, metrics.height() - 6),
                             SERIES_COLORS[s % len(SERIES_COLORS)])
            painter.setPen(AXIS)
            painter.drawText(QRectF(x + 16, area.top(), metrics.horizontalAdvance(series.name)
                                    + 4, metrics.height()), Qt.AlignmentFlag.AlignLeft,
                             series.name)


class HorizontalBarChart(_Chart):
    """Bars per labelled row (services, levels), longest scale on the right: one bar a
    row in its own colour (:meth:`set_rows`), or one bar per series stacked in the row in
    the series' colours (:meth:`set_series`: a service's mean and P90 wait)."""

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(title, parent)
        self._rows: list[tuple[str, list[float], list[QColor]]] = []
        self._suffix = ""

    def set_rows(self, rows: list[tuple[str, float, QColor | None]], suffix: str = "") -> None:
        self._rows = [(label, [value], [color or SERIES_COLORS[0]])
                      for label, value, color in rows]
        self._suffix = suffix
        self.update()

    def set_series(self, labels: list[str], series: list[Series], suffix: str = "") -> None:
        colors = [SERIES_COLORS[s % len(SERIES_COLORS)] for s in range(len(series))]
        self._rows = [(label, [s.values[r] for s in series], colors)
                      for r, label in enumerate(labels)]
        self._suffix = suffix
        self.update()

    def _figure(self, value: float) -> str:
        if isinstance(value, float) and not value.is_integer():
            return f"{value:.1f}{self._suffix}"
        return f"{value:g}{self._suffix}"

    def values(self) -> list[tuple[str, list[float]]]:
        """What the chart shows: each row's label and values."""
        return [(label, values) for label, values, _ in self._rows]

    def paintEvent(self, event: QPaintEvent) -> None:
        painter, area = self._begin()
        if not self._rows or not any(v for _, values, _ in self._rows for v in values):
            self._empty(painter, area)
            painter.end()
            return
        metrics = painter.fontMetrics()
        label_w = min(area.width() * 0.4,
                      max(metrics.horizontalAdvance(label) for label, _, _ in self._rows) + 10)
        value_w = max(metrics.horizontalAdvance(" / ".join(self._figure(v) for v in values))
                      for _, values, _ in self._rows) + 6
        row_h = min(28.0, area.height() / len(self._rows))
        top = max(v for _, values, _ in self._rows for v in values) or 1
        space = area.width() - label_w - value_w
        for i, (label, values, colors) in enumerate(self._rows):
            y = area.top() + i * row_h
            painter.setPen(AXIS)
            painter.drawText(QRectF(area.left(), y, label_w - 6, row_h),
                             Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                             metrics.elidedText(label, Qt.TextElideMode.ElideRight,
                                                int(label_w - 6)))
            bar_h = row_h * 0.6 / len(values)
            widths = [space * value / top for value in values]
            for b, (width, color) in enumerate(zip(widths, colors, strict=True)):
                painter.fillRect(QRectF(area.left() + label_w, y + row_h * 0.2 + b * bar_h,
                                        width, bar_h), color)
            # The figures after the longest bar, in the series' order ("9.4 / 20").
            painter.drawText(QRectF(area.left() + label_w + max(widths) + 4, y, value_w, row_h),
                             Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                             " / ".join(self._figure(value) for value in values))
        painter.end()


class HeatMap(_Chart):
    """Rows × columns of counts; darker blue = more (the hour × weekday load)."""

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(title, parent)
        self._rows: list[str] = []
        self._columns: list[str] = []
        self._values: list[list[int]] = []

    def set_data(self, rows: list[str], columns: list[str], values: list[list[int]]) -> None:
        self._rows, self._columns, self._values = rows, columns, values
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter, area = self._begin()
        peak = max((max(r) for r in self._values if r), default=0)
        if not self._columns or peak == 0:
            self._empty(painter, area)
            painter.end()
            return
        metrics = painter.fontMetrics()
        label_w = max(metrics.horizontalAdvance(r) for r in self._rows) + 8
        cell_w = (area.width() - label_w) / len(self._columns)
        cell_h = (area.height() - metrics.height() - 4) / len(self._rows)
        small = QFont(self.font())
        small.setPointSizeF(max(6.0, self.font().pointSizeF() * 0.75))
        for r, label in enumerate(self._rows):
            y = area.top() + r * cell_h
            painter.setPen(AXIS)
            painter.setFont(self.font())
            painter.drawText(QRectF(area.left(), y, label_w - 6, cell_h),
                             Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, label)
            painter.setFont(small)
            for c in range(len(self._columns)):
                value = self._values[r][c]
                fill = chart_data.heat_fill(value / peak)
                color = QColor.fromRgbF(*fill)
                cell = QRectF(area.left() + label_w + c * cell_w, y, cell_w - 1, cell_h - 1)
                painter.fillRect(cell, color)
                if value and cell_w > metrics.horizontalAdvance("000"):
                    painter.setPen(QColor(chart_data.text_on(fill)))
                    painter.drawText(cell, Qt.AlignmentFlag.AlignCenter, str(value))
        painter.setFont(self.font())
        painter.setPen(AXIS)
        for c, name in enumerate(self._columns):
            painter.drawText(QRectF(area.left() + label_w + c * cell_w,
                                    area.top() + len(self._rows) * cell_h + 2, cell_w,
                                    metrics.height()), Qt.AlignmentFlag.AlignHCenter, name)
        painter.end()

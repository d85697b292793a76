"""Charts for the PDF report, drawn with reportlab's own graphics (no image files)."""

from __future__ import annotations

from reportlab.graphics.charts.barcharts import HorizontalBarChart, VerticalBarChart
from reportlab.graphics.shapes import Drawing, Rect, String
from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import stringWidth

from shared.reports.text import CHINESE, ReportText
from shared.stats.views import Statistics

BLUE = colors.HexColor("#2F6DB5")
ORANGE = colors.HexColor("#E08A2E")
LEVEL_COLORS = ["#2E7D32", "#7CB342", "#FBC02D", "#EF6C00", "#C62828"]


def _style_axis_labels(chart: VerticalBarChart | HorizontalBarChart, font: str) -> None:
    chart.categoryAxis.labels.fontName = font
    chart.categoryAxis.labels.fontSize = 7
    chart.valueAxis.labels.fontName = font
    chart.valueAxis.labels.fontSize = 7
    chart.valueAxis.forceZero = True


def _title(drawing: Drawing, title: str, font: str) -> None:
    drawing.add(String(0, drawing.height - 12, title, fontName=font, fontSize=10))


def hourly_arrivals_chart(stats: Statistics, font: str, width: float,
                          text: ReportText = CHINESE) -> Drawing:
    """Tickets issued per local hour (bars) over the whole range."""
    hours = [h for h in range(24) if any(stats.heatmap[d][h] for d in range(7))] or [8, 17]
    values = [sum(stats.heatmap[d][h] for d in range(7)) for h in hours]
    drawing = Drawing(width, 170)
    _title(drawing, text.chart_hourly, font)
    chart = VerticalBarChart()
    chart.x, chart.y, chart.width, chart.height = 35, 20, width - 50, 120
    chart.data = [values]
    chart.categoryAxis.categoryNames = [f"{h:02d}" for h in hours]
    chart.bars[0].fillColor = BLUE
    chart.bars[0].strokeColor = None
    _style_axis_labels(chart, font)
    drawing.add(chart)
    return drawing


def service_wait_chart(stats: Statistics, font: str, width: float,
                       text: ReportText = CHINESE) -> Drawing:
    """Mean and 90th-percentile wait per service, in minutes (horizontal bars)."""
    rows = [r for r in stats.breakdowns["service"] if r.wait.count][:14]
    height = 60 + 16 * max(1, len(rows))
    drawing = Drawing(width, height)
    _title(drawing, text.chart_service_wait, font)
    if not rows:
        drawing.add(String(0, 20, text.chart_no_waits, fontName=font, fontSize=9))
        return drawing
    chart = HorizontalBarChart()
    chart.x, chart.y = 110, 15
    chart.width, chart.height = width - 130, height - 40
    chart.data = [[r.wait.mean_minutes or 0 for r in rows],
                  [r.wait.minutes(r.wait.p90_us) or 0 for r in rows]]
    chart.categoryAxis.categoryNames = [r.label[:10] for r in rows]
    chart.categoryAxis.reverseDirection = True
    chart.bars[0].fillColor, chart.bars[1].fillColor = BLUE, ORANGE
    chart.bars.strokeColor = None
    _style_axis_labels(chart, font)
    drawing.add(chart)
    return drawing


def heatmap_chart(stats: Statistics, font: str, width: float,
                  text: ReportText = CHINESE) -> Drawing:
    """Weekday × hour grid of tickets issued, darker = busier."""
    hours = [h for h in range(24) if any(stats.heatmap[d][h] for d in range(7))] or [8, 17]
    peak = max((max(row) for row in stats.heatmap), default=0) or 1
    cell_w = min(26.0, (width - 50) / len(hours))
    cell_h = 16.0
    drawing = Drawing(width, 40 + 7 * cell_h + 14)
    _title(drawing, text.chart_heatmap, font)
    top = drawing.height - 22
    for d in range(7):
        y = top - (d + 1) * cell_h
        drawing.add(String(0, y + 4, text.weekdays[d], fontName=font, fontSize=8))
        for i, h in enumerate(hours):
            value = stats.heatmap[d][h]
            shade = value / peak
            fill = colors.Color(1 - 0.8 * shade, 1 - 0.55 * shade, 1 - 0.2 * shade)
            drawing.add(Rect(40 + i * cell_w, y, cell_w - 1, cell_h - 1, fillColor=fill,
                             strokeColor=None))
            if value:
                drawing.add(String(40 + i * cell_w + cell_w / 2, y + 4, str(value),
                                   fontName=font, fontSize=5.5, textAnchor="middle",
                                   fillColor=colors.white if shade > 0.6 else colors.black))
    for i, h in enumerate(hours):
        drawing.add(String(40 + i * cell_w + cell_w / 2, top - 7 * cell_h - 10, f"{h:02d}",
                           fontName=font, fontSize=7, textAnchor="middle"))
    return drawing


def satisfaction_chart(stats: Statistics, font: str, width: float,
                       text: ReportText = CHINESE) -> Drawing:
    """Ratings per level as horizontal bars in the levels' traffic-light colours."""
    s = stats.satisfaction
    counts = [s.levels.get(level, 0) for level in range(1, 6)]
    peak = max(counts) or 1
    drawing = Drawing(width, 130)
    _title(drawing, text.chart_levels, font)
    left = max([70.0] + [stringWidth(text.levels[level], font, 8) + 8 for level in range(1, 6)])
    bar_space = width - left - 90
    for i, (level, count) in enumerate(zip(range(1, 6), counts, strict=True)):
        y = 95 - i * 18
        drawing.add(String(0, y + 3, text.levels[level], fontName=font, fontSize=8))
        drawing.add(Rect(left, y, max(1.0, bar_space * count / peak), 12,
                         fillColor=colors.HexColor(LEVEL_COLORS[i]), strokeColor=None))
        drawing.add(String(left + 5 + bar_space * count / peak, y + 3, str(count),
                           fontName=font, fontSize=8))
    return drawing

"""Charts for the PDF report, drawn with reportlab's own graphics (no image files), from
the chart data and palette the supervisor's charts use too (chart_data.py)."""

from __future__ import annotations

from reportlab.graphics.charts.barcharts import HorizontalBarChart, VerticalBarChart
from reportlab.graphics.shapes import Drawing, Rect, String
from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import stringWidth

from shared.reports.chart_data import MEAN_COLOR, P90_COLOR, chart_data, heat_fill, text_on
from shared.reports.text import CHINESE, ReportText
from shared.stats.views import Statistics

BLUE = colors.HexColor(MEAN_COLOR)
ORANGE = colors.HexColor(P90_COLOR)
EMPTY_HOURS = (8, 17)  # the hours an empty period's charts span


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
    data = chart_data(stats)
    hours = list(data.hours or EMPTY_HOURS)
    values = list(data.hourly or (0,) * len(hours))
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


LABEL_FONT_SIZE = 7.0
LABEL_LINES = 2  # a long service name wraps onto a second line before it is shortened
ELLIPSIS = "…"


def wrap_label(label: str, font: str, max_width: float) -> tuple[str, bool]:
    """The label in at most ``LABEL_LINES`` lines of ``max_width`` points, joined by
    newlines, and whether it had to be shortened (marked with "…"). Chinese breaks
    between any two characters, other text between words where it can."""
    lines: list[str] = []
    rest = label
    while rest and len(lines) < LABEL_LINES:
        if stringWidth(rest, font, LABEL_FONT_SIZE) <= max_width:
            lines.append(rest)
            rest = ""
            break
        cut = len(rest)
        while cut > 1 and stringWidth(rest[:cut], font, LABEL_FONT_SIZE) > max_width:
            cut -= 1
        space = rest.rfind(" ", 0, cut + 1)
        if space > 0 and not any(_is_cjk(ch) for ch in rest[:cut]):
            cut = space
        lines.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    if not rest:
        return "\n".join(lines), False
    last = lines[-1]
    while last and stringWidth(last + ELLIPSIS, font, LABEL_FONT_SIZE) > max_width:
        last = last[:-1]
    lines[-1] = last + ELLIPSIS
    return "\n".join(lines), True


def _is_cjk(ch: str) -> bool:
    return "\u2e80" <= ch <= "\u9fff" or "\uff00" <= ch <= "\uffef"


def service_wait_charts(stats: Statistics, font: str, width: float, max_height: float,
                        text: ReportText = CHINESE) -> list[Drawing]:
    """Mean and 90th-percentile wait of every service with waits, in minutes (horizontal
    bars), in as many charts of at most ``max_height`` points as the services need.
    Names wrap onto two lines; a name still too long is shortened with "…" and the chart
    says so under it (the full names are in the service table)."""
    rows = chart_data(stats).service_waits
    if not rows:
        drawing = Drawing(width, 40)
        _title(drawing, text.chart_service_wait, font)
        drawing.add(String(0, 10, text.chart_no_waits, fontName=font, fontSize=9))
        return [drawing]
    label_width = min(width * 0.3, max(stringWidth(r.label, font, LABEL_FONT_SIZE)
                                       for r in rows) + 2)
    labels = [wrap_label(r.label, font, label_width) for r in rows]
    shortened = any(cut for _label, cut in labels)
    lines = max(label.count("\n") + 1 for label, _cut in labels)
    row_height = max(16, 6 + 8 * lines)  # two bars, and every line of the name
    frame = 40 + (14 if shortened else 0)  # title, axis, the note about shortened names
    per_chart = max(1, int((max_height - frame) // row_height))
    starts = range(0, len(rows), per_chart)
    drawings = []
    for number, start in enumerate(starts):
        chunk = rows[start:start + per_chart]
        chunk_labels = labels[start:start + per_chart]
        height = frame + row_height * len(chunk)
        foot = frame - 40
        drawing = Drawing(width, height)
        title = text.chart_service_wait
        if len(starts) > 1:
            title += text.chart_part.format(part=number + 1, parts=len(starts))
        _title(drawing, title, font)
        chart = HorizontalBarChart()
        chart.x, chart.y = label_width + 10, 15 + foot
        chart.width, chart.height = width - label_width - 30, height - frame
        chart.data = [[r.mean_minutes for r in chunk], [r.p90_minutes for r in chunk]]
        chart.categoryAxis.categoryNames = [label for label, _cut in chunk_labels]
        chart.categoryAxis.reverseDirection = True
        chart.bars[0].fillColor, chart.bars[1].fillColor = BLUE, ORANGE
        chart.bars.strokeColor = None
        _style_axis_labels(chart, font)
        chart.categoryAxis.labels.leading = 8
        drawing.add(chart)
        if any(cut for _label, cut in chunk_labels):
            drawing.add(String(0, 2, text.chart_labels_shortened, fontName=font, fontSize=7))
        drawings.append(drawing)
    return drawings


def heatmap_chart(stats: Statistics, font: str, width: float,
                  text: ReportText = CHINESE) -> Drawing:
    """Weekday × hour grid of tickets issued, darker = busier."""
    data = chart_data(stats)
    hours = list(data.hours or EMPTY_HOURS)
    grid = data.heatmap if data.hours else tuple((0,) * len(hours) for _ in range(7))
    peak = max((max(row) for row in grid), default=0) or 1
    cell_w = min(26.0, (width - 50) / len(hours))
    cell_h = 16.0
    drawing = Drawing(width, 40 + 7 * cell_h + 14)
    _title(drawing, text.chart_heatmap, font)
    top = drawing.height - 22
    for d in range(7):
        y = top - (d + 1) * cell_h
        drawing.add(String(0, y + 4, text.weekdays[d], fontName=font, fontSize=8))
        for i, value in enumerate(grid[d]):
            fill = heat_fill(value / peak)
            drawing.add(Rect(40 + i * cell_w, y, cell_w - 1, cell_h - 1,
                             fillColor=colors.Color(*fill), strokeColor=None))
            if value:
                drawing.add(String(40 + i * cell_w + cell_w / 2, y + 4, str(value),
                                   fontName=font, fontSize=5.5, textAnchor="middle",
                                   fillColor=colors.HexColor(text_on(fill))))
    for i, h in enumerate(hours):
        drawing.add(String(40 + i * cell_w + cell_w / 2, top - 7 * cell_h - 10, f"{h:02d}",
                           fontName=font, fontSize=7, textAnchor="middle"))
    return drawing


def satisfaction_chart(stats: Statistics, font: str, width: float,
                       text: ReportText = CHINESE) -> Drawing:
    """Ratings per level as horizontal bars in the levels' traffic-light colours."""
    levels = chart_data(stats).levels
    peak = max(count for _level, count, _color in levels) or 1
    drawing = Drawing(width, 130)
    _title(drawing, text.chart_levels, font)
    left = max([70.0] + [stringWidth(text.levels[level], font, 8) + 8 for level in range(1, 6)])
    bar_space = width - left - 90
    for i, (level, count, color) in enumerate(levels):
        y = 95 - i * 18
        drawing.add(String(0, y + 3, text.levels[level], fontName=font, fontSize=8))
        drawing.add(Rect(left, y, max(1.0, bar_space * count / peak), 12,
                         fillColor=colors.HexColor(color), strokeColor=None))
        drawing.add(String(left + 5 + bar_space * count / peak, y + 3, str(count),
                           fontName=font, fontSize=8))
    return drawing

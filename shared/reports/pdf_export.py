"""PDF report with reportlab: A4, Chinese in the bundled font, the filters on the first
page, then the totals, charts and every breakdown table."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    KeepTogether,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    TableStyle,
)
from reportlab.platypus import Table as PdfTable

from shared.fonts import register_reportlab_font
from shared.reports import pdf_charts
from shared.reports.tables import (
    TEXT,
    Table,
    filter_lines,
    format_cell,
    report_tables,
)
from shared.stats.views import Statistics

PAGE = landscape(A4)
MARGIN = 14 * mm
GRID = colors.HexColor("#B0B7C3")
HEAD_FILL = colors.HexColor("#DCE6F1")


class _Styles:
    def __init__(self, font: str) -> None:
        self.font = font
        self.title = ParagraphStyle("title", fontName=font, fontSize=20, leading=26,
                                    spaceAfter=10)
        self.heading = ParagraphStyle("heading", fontName=font, fontSize=13, leading=18,
                                      spaceBefore=8, spaceAfter=6)
        self.body = ParagraphStyle("body", fontName=font, fontSize=9, leading=13,
                                   wordWrap="CJK")
        self.cell = ParagraphStyle("cell", fontName=font, fontSize=7.5, leading=9.5,
                                   wordWrap="CJK")


def write_pdf(stats: Statistics, path: Path) -> Path:
    """Write the report to ``path`` (A4 landscape, so wide tables stay legible)."""
    font = register_reportlab_font()
    styles = _Styles(font)
    width = PAGE[0] - 2 * MARGIN
    doc = SimpleDocTemplate(str(path), pagesize=PAGE, leftMargin=MARGIN, rightMargin=MARGIN,
                            topMargin=MARGIN, bottomMargin=MARGIN + 4 * mm,
                            title="HallQueue 统计报表", author="HallQueue")
    tables = report_tables(stats)
    story: list[Any] = [Paragraph("排队叫号统计报表", styles.title),
                        _filters_table(stats, styles),
                        Spacer(1, 6 * mm)]
    story += [Paragraph("说明：等候时间自进入队列起至引致办理的那次叫号；转办的每一段分别计算；"
                        "百分位数采用最近秩法；定义详见 docs/metrics.md。", styles.body),
              Spacer(1, 4 * mm)]
    for table in tables[:3]:
        story.append(KeepTogether([Paragraph(table.title, styles.heading),
                                   _table(table, styles, width)]))
    story.append(PageBreak())
    story.append(Paragraph("图表", styles.heading))
    half = width / 2 - 6
    story.append(PdfTable([[pdf_charts.hourly_arrivals_chart(stats, font, half),
                            pdf_charts.satisfaction_chart(stats, font, half)]],
                          colWidths=[half + 6, half + 6]))
    story.append(Spacer(1, 4 * mm))
    story.append(PdfTable([[pdf_charts.service_wait_chart(stats, font, half),
                            pdf_charts.heatmap_chart(stats, font, half)]],
                          colWidths=[half + 6, half + 6]))
    story.append(PageBreak())
    for table in tables[3:]:
        story.append(Paragraph(table.title, styles.heading))
        story.append(_table(table, styles, width) if table.rows else
                     Paragraph("本期无数据", styles.body))
    doc.build(story, onFirstPage=_footer(font), onLaterPages=_footer(font))
    return path


def _filters_table(stats: Statistics, styles: _Styles) -> PdfTable:
    rows = [[Paragraph(label, styles.body), Paragraph(value, styles.body)]
            for label, value in filter_lines(stats)]
    table = PdfTable(rows, colWidths=[30 * mm, 120 * mm], hAlign="LEFT")
    table.setStyle(TableStyle([
        ("GRID", (0, 0), (-1, -1), 0.5, GRID),
        ("BACKGROUND", (0, 0), (0, -1), HEAD_FILL),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
    ]))
    return table


def _table(table: Table, styles: _Styles, width: float) -> PdfTable:
    header = [Paragraph(c.title, styles.cell) for c in table.columns]
    body = [[Paragraph(format_cell(value, col.kind), styles.cell) if col.kind == TEXT
             else format_cell(value, col.kind)
             for value, col in zip(row, table.columns, strict=True)] for row in table.rows]
    first = 38 * mm if len(table.columns) > 4 else 60 * mm
    rest = (width - first) / max(1, len(table.columns) - 1)
    if len(table.columns) <= 6:
        rest = min(rest, 28 * mm)
    pdf_table = PdfTable([header, *body], colWidths=[first] + [rest] * (len(table.columns) - 1),
                         repeatRows=1, hAlign="LEFT")
    pdf_table.setStyle(TableStyle([
        ("FONTNAME", (0, 0), (-1, -1), styles.font),
        ("FONTSIZE", (0, 0), (-1, -1), 7.5),
        ("GRID", (0, 0), (-1, -1), 0.4, GRID),
        ("BACKGROUND", (0, 0), (-1, 0), HEAD_FILL),
        ("ALIGN", (1, 1), (-1, -1), "RIGHT"),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, colors.HexColor("#F5F7FA")]),
    ]))
    return pdf_table


def _footer(font: str) -> Any:
    def draw(canvas: Canvas, doc: SimpleDocTemplate) -> None:
        canvas.saveState()
        canvas.setFont(font, 8)
        canvas.drawRightString(PAGE[0] - MARGIN, MARGIN / 2, f"第 {doc.page} 页")
        canvas.drawString(MARGIN, MARGIN / 2, "HallQueue 排队叫号系统")
        canvas.restoreState()

    return draw

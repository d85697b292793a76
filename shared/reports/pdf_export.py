"""PDF report with reportlab: A4, Chinese in the bundled font, the filters on the first
page, then the totals, charts and every breakdown table."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

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
from shared.reports.text import CHINESE, ReportText
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
        self.body = ParagraphStyle("body", fontName=font, fontSize=9, leading=13)
        self.cell = ParagraphStyle("cell", fontName=font, fontSize=7.5, leading=9.5)
        self._cjk = {style.name: ParagraphStyle(f"{style.name}-cjk", parent=style,
                                                wordWrap="CJK")
                     for style in (self.title, self.heading, self.body, self.cell)}

    def paragraph(self, text: str, style: ParagraphStyle) -> Paragraph:
        """Chinese wraps between any two characters, other text only between words; a
        Chinese service name in an English report still wraps."""
        if any(_is_cjk(ch) for ch in text):
            style = self._cjk[style.name]
        return Paragraph(escape(text), style)


def _is_cjk(ch: str) -> bool:
    return "\u2e80" <= ch <= "\u9fff" or "\uff00" <= ch <= "\uffef"


def write_pdf(stats: Statistics, path: Path, text: ReportText = CHINESE) -> Path:
    """Write the report to ``path`` (A4 landscape, so wide tables stay legible)."""
    font = register_reportlab_font()
    styles = _Styles(font)
    width = PAGE[0] - 2 * MARGIN
    doc = SimpleDocTemplate(str(path), pagesize=PAGE, leftMargin=MARGIN, rightMargin=MARGIN,
                            topMargin=MARGIN, bottomMargin=MARGIN + 4 * mm,
                            title=text.title, author="HallQueue")
    tables = report_tables(stats, text)
    para = styles.paragraph
    story: list[Any] = [para(text.heading, styles.title),
                        _filters_table(stats, styles, text),
                        Spacer(1, 6 * mm)]
    story += [para(text.definitions, styles.body), Spacer(1, 4 * mm)]
    for table in tables[:3]:
        story.append(KeepTogether([para(table.title, styles.heading),
                                   _table(table, styles, width)]))
    story.append(PageBreak())
    story.append(para(text.charts, styles.heading))
    half = width / 2 - 6
    story.append(PdfTable([[pdf_charts.hourly_arrivals_chart(stats, font, half, text),
                            pdf_charts.satisfaction_chart(stats, font, half, text)]],
                          colWidths=[half + 6, half + 6]))
    story.append(Spacer(1, 4 * mm))
    story.append(pdf_charts.heatmap_chart(stats, font, half, text))
    frame_width, frame_height = width - 12, PAGE[1] - 2 * MARGIN - 4 * mm - 12 - 4 * mm
    for chart in pdf_charts.service_wait_charts(stats, font, frame_width, frame_height, text):
        story += [Spacer(1, 4 * mm), chart]  # every service, over as many charts as it takes
    story.append(PageBreak())
    for table in tables[3:]:  # a heading never stays behind at the foot of a page
        story.append(KeepTogether([para(table.title, styles.heading),
                                   _table(table, styles, width) if table.rows else
                                   para(text.no_data, styles.body)]))
    footer = _footer(font, text)
    doc.build(story, onFirstPage=footer, onLaterPages=footer)
    return path


def _filters_table(stats: Statistics, styles: _Styles, text: ReportText) -> PdfTable:
    rows = [[styles.paragraph(label, styles.body), styles.paragraph(value, styles.body)]
            for label, value in filter_lines(stats, text)]
    table = PdfTable(rows, colWidths=[30 * mm, 120 * mm], hAlign="LEFT")
    table.setStyle(TableStyle([
        ("GRID", (0, 0), (-1, -1), 0.5, GRID),
        ("BACKGROUND", (0, 0), (0, -1), HEAD_FILL),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
    ]))
    return table


def _table(table: Table, styles: _Styles, width: float) -> PdfTable:
    header = [styles.paragraph(c.title, styles.cell) for c in table.columns]
    body = [[styles.paragraph(format_cell(value, col.kind), styles.cell) if col.kind == TEXT
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
        # narrow padding: a 14-column breakdown keeps English heads (Transferred) whole
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, colors.HexColor("#F5F7FA")]),
    ]))
    return pdf_table


def _footer(font: str, text: ReportText) -> Any:
    def draw(canvas: Canvas, doc: SimpleDocTemplate) -> None:
        canvas.saveState()
        canvas.setFont(font, 8)
        canvas.drawRightString(PAGE[0] - MARGIN, MARGIN / 2, text.page.format(page=doc.page))
        canvas.drawString(MARGIN, MARGIN / 2, text.footer)
        canvas.restoreState()

    return draw

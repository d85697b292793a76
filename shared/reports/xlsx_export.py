"""XLSX export with openpyxl: the filters on the first sheet, one sheet per table, real
numbers with number formats (so the supervisor can sort and sum in Excel)."""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from shared.reports.tables import (
    MINUTES,
    PERCENT,
    SECONDS,
    TEXT,
    Table,
    filter_lines,
    report_tables,
)
from shared.reports.text import CHINESE, ReportText
from shared.stats.views import Statistics

HEADER_FILL = PatternFill("solid", fgColor="DCE6F1")
NUMBER_FORMATS = {MINUTES: "0.0", SECONDS: "0.0", PERCENT: "0.0%"}
SHEET_NAME_LIMIT = 31  # Excel's limit


def write_xlsx(stats: Statistics, path: Path, text: ReportText = CHINESE) -> Path:
    workbook = Workbook()
    first = workbook.active
    assert first is not None
    first.title = sheet_name(text.about_sheet)
    first.append([text.title])
    first["A1"].font = Font(bold=True, size=14)
    for label, value in filter_lines(stats, text):
        first.append([label, value])
    first.append([])
    first.append([text.definitions])
    first.column_dimensions["A"].width = 14
    first.column_dimensions["B"].width = 40
    for table in report_tables(stats, text, full=True):
        _sheet(workbook.create_sheet(sheet_name(table.title)), table)
    workbook.save(path)
    return path


def sheet_name(title: str) -> str:
    """A table title as Excel allows a sheet name: no ``[]:*?/\\``, at most 31 characters."""
    name = title.replace("×", "x")
    for bad in "[]:*?/\\":
        name = name.replace(bad, " ")
    return name[:SHEET_NAME_LIMIT].strip()


def _sheet(sheet: Worksheet, table: Table) -> None:
    sheet.append([c.title for c in table.columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(horizontal="center")
    for row in table.rows:  # durations as exact minutes (the heads and titles say minutes)
        sheet.append([value / 60 if column.kind == SECONDS and value is not None else value
                      for value, column in zip(row, table.columns, strict=True)])
    for index, column in enumerate(table.columns, start=1):
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = 22 if column.kind == TEXT else 11
        number_format = NUMBER_FORMATS.get(column.kind)
        if number_format:
            for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
                cell.number_format = number_format
    sheet.freeze_panes = "B2"

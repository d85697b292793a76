"""CSV export: every report table one after another, UTF-8 with a byte-order mark so
Excel on a Chinese Windows PC opens it without mangling the characters."""

from __future__ import annotations

import csv
from pathlib import Path

from shared.reports.tables import SECONDS, TEXT, filter_lines, format_cell, report_tables
from shared.reports.text import CHINESE, ReportText
from shared.stats.views import Statistics


def write_csv(stats: Statistics, path: Path, text: ReportText = CHINESE) -> Path:
    """Write the report as sections: a title line, a header line, rows, a blank line.

    Counts stay plain integers; durations are seconds with every digit the database
    measured (microseconds), their heads say so; shares are fractions (0.853), so a
    spreadsheet can compute with them. Breakdowns carry every figure of their rows.
    """
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow([text.title])
        for label, value in filter_lines(stats, text):
            writer.writerow([label, value])
        for table in report_tables(stats, text, full=True):
            title = text.durations_title_seconds if table.name == "durations" else table.title
            writer.writerow([])
            writer.writerow([f"# {title}"])
            writer.writerow([text.seconds_head.format(title=c.title) if c.kind == SECONDS
                             else c.title for c in table.columns])
            for row in table.rows:
                writer.writerow([_cell(value, col.kind) for value, col in
                                 zip(row, table.columns, strict=True)])
    return path


def _cell(value: object, kind: str) -> object:
    if value is None:
        return ""
    if kind == TEXT or isinstance(value, int):
        return value
    if kind == SECONDS:
        return repr(float(value))  # microseconds / 1e6: the shortest exact decimal
    if isinstance(value, float):
        return round(value, 4) if kind != "minutes" else round(value, 1)
    return format_cell(value, kind)

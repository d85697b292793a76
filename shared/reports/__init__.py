"""Report exports of the statistics: PDF (reportlab), XLSX (openpyxl) and CSV.

All three render the same tables (:mod:`shared.reports.tables`). No Qt here: the
supervisor app and ``hallq-admin report`` both call :func:`write_report`; the command line
writes Chinese, the supervisor passes the words of its UI language
(:class:`~shared.reports.text.ReportText`).
"""

from __future__ import annotations

from pathlib import Path

from shared.errors import UsageError
from shared.reports.csv_export import write_csv
from shared.reports.pdf_export import write_pdf
from shared.reports.text import CHINESE, ReportText
from shared.reports.xlsx_export import write_xlsx
from shared.stats.views import Statistics

FORMATS = ("pdf", "xlsx", "csv")


def write_report(stats: Statistics, fmt: str, path: Path, text: ReportText = CHINESE
                 ) -> Path:
    """Write ``stats`` as ``fmt`` (pdf, xlsx or csv) to ``path`` in the words of ``text``;
    raise UsageError on a wrong format or an unwritable place, naming it."""
    writers = {"pdf": write_pdf, "xlsx": write_xlsx, "csv": write_csv}
    if fmt not in writers:
        raise UsageError(f"报表格式无效 (invalid report format {fmt!r}: {', '.join(FORMATS)})")
    if not path.parent.exists():
        raise UsageError(f"目录不存在 (the folder {path.parent} does not exist)")
    try:
        return writers[fmt](stats, path, text)
    except OSError as exc:  # no permission, a folder, /proc, a full disk...
        raise UsageError(f"无法写入文件 {path} (cannot write {path}: {exc.strerror or exc})") from exc


__all__ = ["CHINESE", "FORMATS", "ReportText", "write_csv", "write_pdf", "write_report",
           "write_xlsx"]

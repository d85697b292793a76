"""Report exports: the PDF renders to non-blank A4 pages with Chinese text, the XLSX and
CSV hold the same numbers under the same headings."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import itertools
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from openpyxl import load_workbook
from PIL import Image

from shared.errors import UsageError
from shared.followups import FollowUpFigures
from shared.reports import write_report
from shared.reports.tables import filter_lines, format_cell, generated_text, report_tables
from shared.reports.text import CHINESE
from shared.stats.views import (
    BreakdownRow,
    Durations,
    Satisfaction,
    Statistics,
    StatsFilter,
)

S = 1_000_000


def sample_statistics() -> Statistics:
    """A hand-made result: two services, a two-hour heat map, a few ratings."""
    wait = Durations(count=4, total_us=2400 * S, median_us=500 * S, p90_us=1200 * S,
                     max_us=1300 * S)
    service = Durations(count=4, total_us=1200 * S, median_us=280 * S, p90_us=500 * S,
                        max_us=520 * S)
    total = BreakdownRow("", "合计", issued=5, served=4, no_show=1, wait=wait, within_target=3,
                         service=service, outcomes={"completed": 3, "accepted": 1}, rated=3,
                         satisfied=2, evaluable=4)
    by_service = [
        BreakdownRow("RE-REG", "不动产登记", issued=3, served=2, wait=wait, service=service,
                     within_target=2, outcomes={"completed": 2}, rated=2, satisfied=2),
        BreakdownRow("SI", "社会保险", issued=2, served=2, no_show=1,
                     outcomes={"completed": 1, "accepted": 1}, rated=1),
    ]
    breakdowns = {name: [] for name in ("department", "window", "clerk", "hour", "weekday")}
    breakdowns["service"] = by_service
    heatmap = [[0] * 24 for _ in range(7)]
    heatmap[0][9], heatmap[0][10], heatmap[2][9] = 3, 1, 1
    return Statistics(
        filters=StatsFilter(dt.date(2026, 3, 2), dt.date(2026, 3, 8), site="chunan"),
        site_name="淳安县行政服务中心", timezone="Asia/Shanghai",
        generated_at=dt.datetime(2026, 3, 9, 1, 0, tzinfo=dt.UTC), total=total,
        breakdowns=breakdowns, heatmap=heatmap,
        satisfaction=Satisfaction({1: 1, 2: 1, 4: 1}, not_rated=1, served=4,
                                  follow_ups_open=1, follow_ups_closed=0, evaluable=4))


@pytest.mark.skipif(not shutil.which("pdftoppm") or not shutil.which("pdftotext"),
                    reason="poppler-utils (pdftoppm, pdftotext) not installed")
def test_pdf_pages_are_drawn_and_hold_the_chinese_text(tmp_path: Path) -> None:
    """Every page renders with ink on it; the filters and headings come out as Chinese."""
    pdf = write_report(sample_statistics(), "pdf", tmp_path / "report.pdf")
    subprocess.run(["pdftoppm", "-r", "40", "-png", str(pdf), str(tmp_path / "page")],
                   check=True)
    pages = sorted(tmp_path.glob("page-*.png"))
    assert len(pages) >= 3
    for page in pages:
        with Image.open(page) as image:
            gray = image.convert("L")
            width, height = gray.size
            assert width > height  # A4 landscape
            histogram = gray.histogram()  # 256 bins of pixel counts
            dark = sum(histogram[:200])
            assert dark > 500, f"{page.name} looks blank"
    text = subprocess.run(["pdftotext", str(pdf), "-"], check=True, capture_output=True,
                          text=True).stdout
    for expected in ("排队叫号统计报表", "淳安县行政服务中心", "2026-03-02 至 2026-03-08",
                     "不动产登记", "各时段取号量", "评价分布", "一次办结率", "75.0%"):
        assert expected in text


def test_xlsx_has_a_filter_sheet_and_numeric_cells(tmp_path: Path) -> None:
    """The first sheet names the filters; breakdown sheets keep numbers as numbers."""
    path = write_report(sample_statistics(), "xlsx", tmp_path / "report.xlsx")
    book = load_workbook(path)
    first = book.worksheets[0]
    assert first.title == "报表说明"
    values = {row[0]: row[1] for row in first.iter_rows(min_row=2, max_col=2, values_only=True)
              if row[0]}
    assert values["站点"] == "淳安县行政服务中心（chunan）"
    assert values["日期范围"] == "2026-03-02 至 2026-03-08"
    sheet = book["按业务"]
    header = [cell.value for cell in sheet[1]]
    assert header[:3] == ["业务", "取号", "转入"]
    row = [cell.value for cell in sheet[2]]
    assert row[0] == "不动产登记" and row[1] == 3
    assert row[header.index("平均等候")] == pytest.approx(10.0)
    assert sheet.cell(2, header.index("服务水平") + 1).number_format == "0.0%"


def test_csv_sections_match_the_tables(tmp_path: Path) -> None:
    """CSV is UTF-8 with BOM; every table appears as a titled section with its rows."""
    stats = sample_statistics()
    path = write_report(stats, "csv", tmp_path / "report.csv")
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    titles = [r[0][2:] for r in rows if r and r[0].startswith("# ")]
    assert titles == [t.title.replace("（分钟）", "（秒）") for t in report_tables(stats)]
    start = rows.index(["# 按业务"])
    head = rows[start + 1]
    assert rows[start + 2][:3] == ["不动产登记", "3", "0"]
    assert rows[start + 2][head.index("平均等候（秒）")] == "600.0"  # seconds, not minutes
    assert rows[start + 2][head.index("最长办理（秒）")] == "520.0"
    assert "过期未办" in head and "办理人次" in head  # every figure of the row


def test_tables_take_their_words_from_the_report_text(tmp_path: Path) -> None:
    """Titles, heads and labels (weekdays, ticket kinds) come from the ReportText passed
    in; without one the report is Chinese, as hallq-admin report writes it."""
    stats = dataclasses.replace(
        sample_statistics(),
        filters=StatsFilter(dt.date(2026, 3, 2), dt.date(2026, 3, 8), site="chunan",
                            kinds=("green",)),
        breakdowns={**sample_statistics().breakdowns,
                    "weekday": [BreakdownRow("3", "周三", issued=1)]})
    english = dataclasses.replace(
        CHINESE, weekdays=("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"),
        kinds={"normal": "Normal", "green": "Green channel", "appointment": "Appointment"},
        dimension_titles={**CHINESE.dimension_titles, "weekday": "By weekday"},
        kind="Ticket kind")
    chinese = {t.name: t for t in report_tables(stats)}
    translated = {t.name: t for t in report_tables(stats, english)}
    assert (chinese["weekday"].title, chinese["weekday"].rows[0][0]) == ("按星期", "周三")
    assert (translated["weekday"].title, translated["weekday"].rows[0][0]) == ("By weekday",
                                                                                "Wed")
    assert ("票类型", "绿色通道") in filter_lines(stats)
    assert ("Ticket kind", "Green channel") in filter_lines(stats, english)
    path = write_report(stats, "csv", tmp_path / "report.csv", english)
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert ["# By weekday"] in rows and ["# 按星期"] not in rows


def test_cells_are_formatted_for_people() -> None:
    """Minutes get one decimal, shares a percent sign, missing values a dash."""
    assert format_cell(12.345, "minutes") == "12.3"
    assert format_cell(0.8534, "percent") == "85.3%"
    assert format_cell(None, "percent") == "—"


def test_bad_format_or_folder_is_a_usage_error(tmp_path: Path) -> None:
    """An unknown format or a missing folder is refused with the reason."""
    with pytest.raises(UsageError, match="docx"):
        write_report(sample_statistics(), "docx", tmp_path / "x.docx")
    with pytest.raises(UsageError, match="does not exist"):
        write_report(sample_statistics(), "csv", tmp_path / "missing" / "x.csv")


def many_services(count: int, *long_names: str) -> Statistics:
    """The sample with ``count`` services that all have waits, the last ones named
    ``long_names`` (Chun'an offers 17)."""
    base = sample_statistics()
    wait = base.total.wait
    rows = [BreakdownRow(f"S{i:02d}", f"业务{i:02d}号", issued=2, served=2, wait=dataclasses.replace(
        wait, total_us=(i + 1) * 600 * S)) for i in range(1, count + 1 - len(long_names))]
    rows += [BreakdownRow(f"LONG{i}", name, issued=1, served=1, wait=wait)
             for i, name in enumerate(long_names)]
    return dataclasses.replace(base, breakdowns={**base.breakdowns, "service": rows})


def pdf_pages_text(pdf: Path) -> list[str]:
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True,
                          capture_output=True, text=True).stdout
    return text.split("\f")


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils not installed")
def test_pdf_wait_chart_shows_every_service_and_says_when_a_name_is_shortened(
        tmp_path: Path) -> None:
    """17 services (Chun'an's count) all appear on the wait chart, not the first 14; a long
    name wraps onto a second line whole; one too long for two lines is shortened with "…"
    and a note under the chart says so."""
    wrapped = "公安出入境与交通违法及城管违章处理综合受理便民服务窗口（周末照常办理）"
    long_name = "不动产登记与税费缴纳及水电气网过户联动办理" * 4
    pdf = write_report(many_services(17, wrapped, long_name), "pdf", tmp_path / "report.pdf")
    chart_pages = [page for page in pdf_pages_text(pdf) if "各业务等候时间" in page]
    assert len(chart_pages) == 1
    chart = chart_pages[0]
    for i in range(1, 16):
        assert f"业务{i:02d}号" in chart
    flat = re.sub(r"\s+", "", chart)
    assert wrapped in flat
    assert long_name not in flat and long_name[:30] in flat
    assert "…" in chart
    assert "注：过长的业务名称在图中以“…”截短，全名见“按业务”表。" in chart


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils not installed")
def test_pdf_wait_chart_continues_over_several_charts(tmp_path: Path) -> None:
    """60 services: the chart continues over parts (1/N … N/N), every service on one of
    them; names that fit are whole and no note about shortening appears."""
    pdf = write_report(many_services(60, "业务60号"), "pdf", tmp_path / "report.pdf")
    text = "\n".join(page for page in pdf_pages_text(pdf) if "各业务等候时间" in page)
    parts = re.findall(r"（(\d)/(\d)）", text)
    count = int(parts[0][1])
    assert count >= 2 and parts == [(str(i), str(count)) for i in range(1, count + 1)]
    for i in range(1, 61):
        assert f"业务{i:02d}号" in text
    assert "截短" not in text


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils not installed")
def test_pdf_states_local_time_and_its_own_definitions(tmp_path: Path) -> None:
    """生成时间 in the site's time (01:00 UTC = 09:00 in Shanghai); the definitions are
    printed in the report, not a path into the source repository."""
    pdf = write_report(sample_statistics(), "pdf", tmp_path / "report.pdf")
    first = pdf_pages_text(pdf)[0]
    assert re.search(r"生成时间\s+2026-03-09 09:00", first)
    assert "UTC" not in first
    text = "".join(pdf_pages_text(pdf))
    assert "docs/" not in text and "metrics.md" not in text
    flat = re.sub(r"\s+", "", first)
    assert "统计口径：取号为发出的号数；已办理为办理结束的人次（不论结果），办结是办理结果之一" in flat


def test_generated_time_per_zone_when_sites_differ() -> None:
    """All sites in one zone: one local time; in several zones: each zone's."""
    stats = sample_statistics()
    assert generated_text(stats) == "2026-03-09 09:00"
    both = dataclasses.replace(stats, timezone="Asia/Shanghai, Asia/Urumqi")
    assert generated_text(both) == "2026-03-09 09:00 Asia/Shanghai、2026-03-09 07:00 Asia/Urumqi"


def with_follow_ups(due: int, contacted: int, rectified: int) -> Statistics:
    stats = sample_statistics()
    figures = FollowUpFigures(due=due, contacted=contacted, rectified=rectified,
                              opinions={})
    return dataclasses.replace(stats, satisfaction=dataclasses.replace(
        stats.satisfaction, follow_up=figures))


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils not installed")
def test_reports_give_the_return_visit_and_rectification_rates(tmp_path: Path) -> None:
    """回访率 3/4 and 整改率 1/4 with the counts they divide, and their definitions: in the
    PDF's text, as numbers in the XLSX, and as "—" when no follow-up was due."""
    stats = with_follow_ups(due=4, contacted=3, rectified=1)
    flat = re.sub(r"\s+", "", "".join(pdf_pages_text(
        write_report(stats, "pdf", tmp_path / "r.pdf"))))
    assert "回访率75.0%" in flat and "整改率25.0%" in flat
    assert "应回访差评（未申诉）4" in flat and "已回访3" in flat and "已整改1" in flat
    assert "回访率=已回访的差评÷应回访的差评（未申诉的不满意、非常不满意）" in flat
    assert "整改率=已整改的差评÷应回访的差评" in flat
    book = load_workbook(write_report(stats, "xlsx", tmp_path / "r.xlsx"))
    cells = {row[0]: row[1] for sheet in book.worksheets
             for row in sheet.iter_rows(max_col=2, values_only=True) if row[0]}
    assert (cells["回访率"], cells["整改率"]) == (0.75, 0.25)
    assert (cells["应回访差评（未申诉）"], cells["已回访"], cells["已整改"]) == (4, 3, 1)
    nothing_due = load_workbook(write_report(with_follow_ups(0, 0, 0), "xlsx",
                                             tmp_path / "none.xlsx"))
    cells = {row[0]: row[1] for sheet in nothing_due.worksheets
             for row in sheet.iter_rows(max_col=2, values_only=True) if row[0]}
    assert cells["回访率"] is None and cells["整改率"] is None


def test_heat_map_numbers_stand_out_on_every_cell_in_the_pdf() -> None:
    # White on the mid-blue cells read at 2.4:1; each number now takes whichever of
    # black and white stands out more, which is at least 4.5:1 (WCAG AA) on every shade.
    from reportlab.graphics.shapes import Rect, String

    from shared.reports.chart_data import contrast, heat_fill
    from shared.reports.pdf_charts import heatmap_chart

    stats = sample_statistics()
    stats.heatmap[1] = [value for value in range(24)]  # every shade from white to the peak
    drawing = heatmap_chart(stats, "Helvetica", 480)
    shapes = drawing.contents
    checked = 0
    for cell, label in itertools.pairwise(shapes):
        if isinstance(cell, Rect) and isinstance(label, String) and label.y == cell.y + 4:
            fill = (cell.fillColor.red, cell.fillColor.green, cell.fillColor.blue)
            text = (label.fillColor.red, label.fillColor.green, label.fillColor.blue)
            assert contrast(fill, text) >= 4.5, (label.text, fill, text)
            checked += 1
    assert checked == sum(1 for row in stats.heatmap for value in row if value)
    assert min(max(contrast(heat_fill(s / 100), (c, c, c)) for c in (0.0, 1.0))
               for s in range(101)) >= 4.5

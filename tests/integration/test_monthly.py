"""The monthly bulletin (月度通报) and the figures every breakdown row carries, against a
hand-computed month on SQLite, PostgreSQL and MariaDB (docs/metrics.md).

February 2026 (the month before): windows 2 and 3 tie at the bottom. March 2026:

| ticket | window/clerk | stay | result |
| --- | --- | --- | --- |
| M1 | 1 c1 | SA 09:00 → 09:10:00.25, 09:10:30–09:20:30 | 办结, 非常满意 |
| M2 | 1 c1 | SB 09:30 → 09:32, 09:32–09:40 | 办结, 满意 |
| M3 | 2 c2 | SA 10:00 → 10:30, 10:30–10:40 | 受理, 非常不满意, follow-up all steps 18:00 (on time) |
| M4 | 2 c2 | SA 10:05 → 10:45, 10:45–10:50 | 材料不全, 不满意, follow-up open |
| M5 | 2 c2 | SA 11:00 → 11:05, no-show, closed at end of day | no-show |
| M12 | 2 c2 | SA 11:10 → 11:20, 11:20–11:30 | 受理, 不满意, follow-up all steps 2 days later (late) |
| M6 | 3 c1 | SC 13:00 → 13:05, 13:05–13:15 | 办结, 基本满意 |
| M7 | 3 c1 → 4 c2 | SB 13:20 → 13:22, 13:23–13:30, transferred; SD 13:30 → 13:40, 13:41–13:50 | 办结, 满意 |
| M8 | 4 c2 | SD 15:00 → 15:02, 15:02–15:12 | 咨询, never rated |
| M9 | 4 c2 | SD 15:20 → 15:21, 15:21–15:25 | 办结, evaluated without a level |
| M10 | — | SC 16:00, cancelled 16:10 | cancelled |
| M11 | — | SA 03-31 16:00, closed at end of day | expired |

April 1st holds a ticket at window 1 rated 非常不满意 that March must not count.

"On time" (按时回访整改) means contacted within 1 working day and rectified within 5
working days of the rated case's business day (the default [followup] rules), each by the
end of its last working day in the site's calendar.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import subprocess
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import select
from sqlalchemy.orm import Session

from shared.cli import main as cli_main
from shared.db import Database
from shared.errors import UsageError
from shared.followups import FollowUpRules
from shared.models import Site
from shared.reports.monthly import write_monthly
from shared.stats import StatsFilter, compute_statistics
from shared.stats.monthly import monthly_bulletin, parse_month
from shared.stats.views import BreakdownRow
from tests.integration.stats_history import Case, Stay, add_cases, add_clerks

S = 1_000_000
FEB, MAR, APR = dt.date(2026, 2, 10), dt.date(2026, 3, 2), dt.date(2026, 4, 1)
MAR_LAST = dt.date(2026, 3, 31)


def two_months() -> list[Case]:
    def served(service: str, times: tuple[str, str, str, str], window: int, clerk: str | None,
               outcome: str) -> Stay:
        return Stay(service, *times, window, clerk, "finished", outcome)

    usual = ("09:00", "09:10", "09:10", "09:20")
    return [
        # February: window 1 best; windows 2 and 3 equal in every figure, both bottom.
        Case(FEB, [served("SA", usual, 1, "c1", "completed")], rated=True, level=1),
        Case(FEB, [served("SA", usual, 2, "c2", "completed")], rated=True, level=4,
             follow_up="closed"),
        Case(FEB, [served("SB", usual, 3, "c1", "completed")], rated=True, level=5,
             follow_up="open"),
        # March
        Case(MAR, [served("SA", ("09:00", "09:10:00.250", "09:10:30", "09:20:30"), 1, "c1",
                          "completed")], rated=True, level=1),
        Case(MAR, [served("SB", ("09:30", "09:32", "09:32", "09:40"), 1, "c1", "completed")],
             rated=True, level=2),
        Case(MAR, [served("SA", ("10:00", "10:30", "10:30", "10:40"), 2, "c2", "accepted")],
             rated=True, level=5, follow_up="closed", contacted="2026-03-02 18:00",
             rectified="2026-03-02 18:00"),
        Case(MAR, [served("SA", ("10:05", "10:45", "10:45", "10:50"), 2, "c2",
                          "materials-missing")], rated=True, level=4, follow_up="open"),
        Case(MAR, [Stay("SA", "11:00", "11:05", None, "23:00", 2, "c2", "expired")],
             expired_after_no_show=True),
        Case(MAR, [served("SA", ("11:10", "11:20", "11:20", "11:30"), 2, "c2", "accepted")],
             rated=True, level=4, follow_up="closed", closed_after_days=2,
             contacted="2026-03-04 18:00", rectified="2026-03-04 18:00"),
        Case(MAR, [served("SC", ("13:00", "13:05", "13:05", "13:15"), 3, "c1", "completed")],
             rated=True, level=3),
        Case(MAR, [Stay("SB", "13:20", "13:22", "13:23", "13:30", 3, "c1", "transferred"),
                   served("SD", ("13:30", "13:40", "13:41", "13:50"), 4, "c2", "completed")],
             rated=True, level=2),
        Case(MAR, [served("SD", ("15:00", "15:02", "15:02", "15:12"), 4, "c2",
                          "consultation")]),
        Case(MAR, [served("SD", ("15:20", "15:21", "15:21", "15:25"), 4, "c2", "completed")],
             rated=True, level=None),
        Case(MAR, [Stay("SC", "16:00", None, None, "16:10", None, None, "cancelled")]),
        Case(MAR_LAST, [Stay("SA", "16:00", None, None, "23:00", None, None, "expired")]),
        # April: outside March
        Case(APR, [served("SA", usual, 1, "c1", "completed")], rated=True, level=5,
             follow_up="open"),
    ]


@pytest.fixture
def months(db: Database) -> Database:
    add_clerks(db)
    add_cases(db, two_months())
    return db


def march(db: Database) -> dict[str, dict[str, BreakdownRow]]:
    stats = compute_statistics(db, StatsFilter(dt.date(2026, 3, 1), MAR_LAST, site="hall"))
    return {"total": {"": stats.total},
            **{name: {r.key: r for r in rows} for name, rows in stats.breakdowns.items()}}


@pytest.mark.all_backends
def test_breakdown_rows_carry_every_figure(months: Database) -> None:
    """Per-level counts, not rated (saved empty) and never rated, coverage and follow-ups
    (open, closed, on time) on the total and on every breakdown row."""
    figures = march(months)
    total = figures["total"][""]
    assert (total.issued, total.served, total.no_show, total.cancelled, total.expired,
            total.transferred_out) == (12, 9, 1, 1, 1, 1)
    assert total.levels == {1: 1, 2: 2, 3: 1, 4: 2, 5: 1}
    assert (total.rated, total.satisfied, total.not_rated, total.never_rated) == (7, 3, 1, 1)
    assert total.coverage == pytest.approx(7 / 9)
    assert (total.follow_ups_open, total.follow_ups_closed,
            total.follow_ups_on_time) == (1, 2, 1)
    w2, w4 = figures["window"]["2"], figures["window"]["4"]
    assert w2.levels == {1: 0, 2: 0, 3: 0, 4: 2, 5: 1}
    assert (w2.bad_ratings, w2.follow_ups, w2.follow_ups_on_time,
            w2.follow_ups_open) == (3, 3, 1, 1)
    assert (w4.rated, w4.not_rated, w4.never_rated, w4.follow_ups) == (1, 1, 1, 0)
    assert w4.coverage == pytest.approx(1 / 3)
    c2 = figures["clerk"]["c2"]
    assert (c2.served, c2.rated, c2.satisfied, c2.never_rated) == (6, 4, 1, 1)
    dep1, dep2 = figures["department"]["dep1"], figures["department"]["dep2"]
    assert (dep1.served, dep1.bad_ratings, dep1.follow_ups_closed) == (5, 3, 2)
    assert (dep2.served, dep2.bad_ratings, dep2.not_rated) == (4, 0, 1)
    sat = compute_statistics(months, StatsFilter(dt.date(2026, 3, 1), MAR_LAST,
                                                 site="hall")).satisfaction
    assert (sat.never_rated, sat.not_rated, sat.follow_ups_on_time) == (1, 1, 1)


@pytest.mark.all_backends
def test_monthly_bulletin_ranks_windows_and_calls_in_two_months_at_the_bottom(
        months: Database) -> None:
    """March ranks 1, 4, 3, 2 (satisfaction rate, then one-visit share); window 2 was in
    the bottom group in February too (a tie with window 3): 约谈. Window 3 was bottom in
    February only: no talk."""
    bulletin = monthly_bulletin(months, parse_month("2026-03"), site="hall")
    ranking = [(w.row.key, w.rank, w.bottom, w.bottom_last_month, w.talk)
               for w in bulletin.windows]
    assert ranking == [("1", 1, False, False, False), ("4", 2, False, False, False),
                       ("3", 3, False, True, False), ("2", 4, True, True, True)]
    assert [w.row.key for w in bulletin.talks] == ["2"]
    w1 = bulletin.windows[0].row
    assert (w1.wait.count, w1.wait.total_us, w1.wait.median_us, w1.wait.max_us) == \
        (2, 720 * S + 250_000, 120 * S, 600 * S + 250_000)
    w2 = bulletin.windows[3].row
    assert (w2.served, w2.no_show, w2.outcomes["materials-missing"]) == (3, 1, 1)
    assert (w2.wait.mean_seconds, w2.wait.median_us) == (1600.0, 1800 * S)
    assert (w2.service.mean_seconds, w2.service.median_us, w2.service.max_us) == \
        (500.0, 600 * S, 600 * S)
    assert w2.one_visit_share == 0.0 and w2.follow_up_on_time_share == pytest.approx(1 / 3)
    assert bulletin.stats.total.one_visit_share == pytest.approx(5 / 9)
    february = monthly_bulletin(months, dt.date(2026, 2, 1), site="hall")
    assert [(w.row.key, w.rank, w.bottom) for w in february.windows] == \
        [("1", 1, False), ("2", 2, True), ("3", 2, True)]


QINGMING = ["2026-04-04", "2026-04-05", "2026-04-06"]  # Saturday to Monday


def around_qingming() -> list[Case]:
    """Bad ratings at window 3 on Friday 3 April 2026, before a weekend and the Qingming
    holiday on Monday 6 April. Counted by hand in working days: the contact is due by the
    end of Tuesday 7 April (the 1st working day after), the rectification by the end of
    Monday 13 April (7, 8, 9, 10, 13)."""
    def bad(contacted: str | None, rectified: str | None, status: str) -> Case:
        return Case(dt.date(2026, 4, 3), [Stay("SB", "09:00", "09:10", "09:10", "09:20", 3,
                                               "c1", "finished", "completed")],
                    rated=True, level=4, follow_up=status, contacted=contacted,
                    rectified=rectified)

    return [
        bad("2026-04-07 23:59:59", "2026-04-10 18:00", "rectified"),  # contact just inside
        bad("2026-04-08 00:00:00", "2026-04-10 18:00", "rectified"),  # contact just outside
        bad("2026-04-07 10:00", "2026-04-13 23:59:59", "rectified"),  # rectified just inside
        bad("2026-04-07 10:00", "2026-04-14 00:00:00", "rectified"),  # rectified just outside
        bad("2026-04-07 10:00", None, "contacted"),  # not rectified yet
    ]


@pytest.mark.all_backends
def test_follow_ups_on_time_count_working_days_across_a_weekend_and_a_holiday(
        months: Database) -> None:
    """Per row, a follow-up is on time when contacted and rectified within the working-day
    deadlines: 2 of window 3's 5 in April. With [followup] contact_days = 2 (due by the end
    of Wednesday 8 April) the second is on time too. With the Qingming Monday a working
    day the contact is due by the end of Monday 6 April: every one is late."""
    def op(session: Session) -> None:
        site = session.scalar(select(Site).where(Site.code == "hall"))
        assert site is not None
        site.calendar = {**(site.calendar or {}), "holidays": QINGMING}

    months.write(op, name="test_calendar")
    add_cases(months, around_qingming())

    def window_3(rules: FollowUpRules | None = None) -> tuple[int, int, int]:
        bulletin = monthly_bulletin(months, parse_month("2026-04"), site="hall", rules=rules)
        row = next(w.row for w in bulletin.windows if w.row.key == "3")
        return row.follow_ups, row.follow_ups_on_time, bulletin.stats.total.follow_ups_on_time

    assert window_3() == (5, 2, 2)  # April 1st's open follow-up at window 1 is late
    assert window_3(FollowUpRules(contact_days=2, rectify_days=5)) == (5, 3, 3)

    def no_holiday(session: Session) -> None:
        site = session.scalar(select(Site).where(Site.code == "hall"))
        assert site is not None
        site.calendar = {**(site.calendar or {}), "holidays": []}

    months.write(no_holiday, name="test_calendar")
    assert window_3() == (5, 0, 0)


def test_monthly_bulletin_files_hold_the_figures(months: Database, tmp_path: Path) -> None:
    """The XLSX has the ranking with the 约谈 mark and the indicator sheets with minutes;
    the PDF's text holds the heading, the ranking and the talk."""
    bulletin = monthly_bulletin(months, parse_month("2026-03"), site="hall")
    book = load_workbook(write_monthly(bulletin, "xlsx", tmp_path / "m.xlsx"))
    ranking = [[c.value for c in row] for row in book["窗口排名"].iter_rows()]
    assert ranking[0][:2] == ["名次", "窗口"] and ranking[0][-1] == "约谈"
    assert [r[0] for r in ranking[1:]] == [1, 2, 3, 4]
    assert ranking[4][1] == "2号 甲业务" and ranking[4][-1] == "约谈"
    efficiency = [[c.value for c in row] for row in book["办事效率（按窗口）"].iter_rows()]
    head = efficiency[0]
    w2 = next(r for r in efficiency if r[0] == "2号 甲业务")
    assert w2[head.index("平均等候（分）")] == pytest.approx(1600 / 60)
    assert w2[head.index("一次办结率")] == 0.0
    complaints = [[c.value for c in row] for row in book["投诉处理（按部门）"].iter_rows()]
    assert complaints[1][:5] == ["一号部门", 3, 3, 1, pytest.approx(1 / 3)]
    assert complaints[-1][0] == "合计"
    pdf = write_monthly(bulletin, "pdf", tmp_path / "m.pdf")
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True,
                          capture_output=True, text=True).stdout
    assert "测试服务中心政务服务月度通报（2026年3月）" in text
    assert "约谈窗口" in text and "窗口排名" in text and "异常办理（按工作人员）" in text
    with pytest.raises(UsageError, match="csv"):
        write_monthly(bulletin, "csv", tmp_path / "m.csv")


def test_report_monthly_command(months: Database, empty_db_url: str, tmp_path: Path,
                                capsys: pytest.CaptureFixture[str]) -> None:
    """report monthly writes the file; a bad month, a CSV or a range is refused with 2."""
    base = ["--database", empty_db_url]
    out = tmp_path / "bulletin.xlsx"
    assert cli_main.main(["report", "monthly", "--month", "2026-03", "--site", "hall",
                          "--format", "xlsx", "--out", str(out), *base]) == 0
    assert load_workbook(out)["窗口排名"]["J5"].value == "约谈"
    capsys.readouterr()
    for argv, word in ((["--month", "2026-13", "--format", "pdf"], "2026-13"),
                       (["--month", "2026-03", "--format", "csv"], "csv"),
                       (["--month", "2026-03", "--from", "2026-03-01", "--format", "pdf"],
                        "--from"),
                       (["--format", "pdf"], "--month")):
        assert cli_main.main(["report", "monthly", *argv, "--out", str(out), *base]) == 2
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and word in err, err
    assert cli_main.main(["report", "--format", "pdf", "--out", str(out), *base]) == 2
    assert "--from" in capsys.readouterr().err


def test_stats_json_and_csv_give_seconds_with_full_precision(
        months: Database, empty_db_url: str, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    """JSON durations are seconds, every digit kept (window 1 waited 600.25 s and 120 s);
    the CSV breakdowns have every figure, durations in seconds."""
    base = ["--database", empty_db_url, "--site", "hall", "--from", "2026-03-01",
            "--to", "2026-03-31"]
    assert cli_main.main(["stats", *base, "--json"]) == 0
    payload = json.loads(capsys.readouterr().out)["statistics"]
    w1 = next(r for r in payload["breakdowns"]["window"] if r["key"] == "1")
    assert w1["wait"] == {"count": 2, "total_seconds": 720.25, "mean_seconds": 360.125,
                          "median_seconds": 120.0, "p90_seconds": 600.0,
                          "max_seconds": 600.25}
    assert (w1["levels"], w1["coverage"], w1["never_rated"]) == \
        ({"1": 1, "2": 1, "3": 0, "4": 0, "5": 0}, 1.0, 0)
    assert payload["satisfaction"]["never_rated"] == 1
    assert cli_main.main(["stats", *base]) == 0
    assert "已评价 7  未评价（未选等级） 1  未参评（办理后无评价） 1" in capsys.readouterr().out
    out = tmp_path / "r.csv"
    assert cli_main.main(["report", *base, "--format", "csv", "--out", str(out)]) == 0
    with out.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    start = rows.index(["# 按窗口"])
    head, first = rows[start + 1], rows[start + 2]
    assert first[0] == "1号 综合窗口"
    assert first[head.index("平均等候（秒）")] == "360.125"
    assert first[head.index("最长等候（秒）")] == "600.25"
    assert first[head.index("办理中位（秒）")] == "480.0"
    for column in ("过期未办", "进行中", "等候人次", "办理人次", "未参评", "回访未结"):
        assert column in head

"""``hallq-admin plan``: the staffing plan of a week, as lines and as JSON."""

from __future__ import annotations

import datetime as dt
import json
import os
import stat
from pathlib import Path

import pytest
from openpyxl import load_workbook

from shared.db import Database
from tests.cli.conftest import Run
from tests.integration.test_staffing import PLAN_WEEK, build_history


@pytest.mark.all_backends
def test_plan_as_json_lines_and_workbook(db: Database, admin: Run, tmp_path: Path) -> None:
    build_history(db)
    workbook = tmp_path / "plan.xlsx"
    result = admin("plan", "--week", PLAN_WEEK.isoformat(), "--site", "hall", "--json",
                   "--xlsx", str(workbook))
    assert result.code == 0, result.err
    plan = json.loads(result.out)
    assert plan["week"] == PLAN_WEEK.isoformat() and plan["shortfalls"] == 1
    morning = [c for c in plan["cells"] if c["service"] == "SD" and c["slot"] == "09:00-09:30"]
    assert morning[0]["windows"] == 2 and morning[0]["short"] is True
    lines = admin("plan", "--week", PLAN_WEEK.isoformat(), "--site", "hall")
    assert lines.code == 0
    assert "09:00-09:30 SD: 2 个窗口" in lines.out and "← 窗口不足" in lines.out
    assert f"09:00-09:30 开放 {len(plan['half_hours'][0]['windows'])} 个窗口" in lines.out
    book = load_workbook(workbook)
    rows = list(book["排班建议"].iter_rows(values_only=True))
    assert rows[1][:5] == ("日期", "星期", "时段", "业务", "业务名称")
    sd = [r for r in rows[2:] if r[2] == "09:00-09:30" and r[3] == "SD"]
    # Both verdicts, each labelled: Erlang C calls SD short, the simulation (the red rows
    # of the supervisor's tab) finds window 4 enough.
    assert rows[1][11:] == ("Erlang C 估算窗口不足", "模拟服务水平", "模拟：现有窗口不足")
    assert sd == [("2026-03-02", "周一", "09:00-09:30", "SD", "丁业务", 8, sd[0][6], 2,
                   sd[0][8], sd[0][9], 1, "是", morning[0]["simulated_level"],
                   "是" if morning[0]["simulated_short"] else None)]
    assert morning[0]["simulated_short"] is False
    # Service levels are percentages in Excel, not 0.995 as a plain number.
    sd_row = next(r for r in book["排班建议"].iter_rows(min_row=3)
                  if r[2].value == "09:00-09:30" and r[3].value == "SD")
    assert sd_row[8].number_format == sd_row[12].number_format == "0.0%"
    assert sd_row[8].value == pytest.approx(morning[0]["service_level"], abs=1e-3)
    # Printable: A4 landscape one page wide, the header row on every page.
    for name, header in (("排班建议", "$2:$2"), ("每半小时合计", "$1:$1")):
        sheet = book[name]
        assert sheet.print_title_rows == header
        setup = sheet.page_setup
        assert (setup.orientation, int(setup.paperSize), setup.fitToWidth, setup.fitToHeight) \
            == ("landscape", int(sheet.PAPERSIZE_A4), 1, 0)
        assert sheet.sheet_properties.pageSetUpPr.fitToPage
    totals = list(book["每半小时合计"].iter_rows(values_only=True))
    half_hour = next(h for h in plan["half_hours"] if h["slot"] == "09:00-09:30")
    opened = len(half_hour["windows"])
    assert opened >= 2  # SA's window and SD's
    assert totals[1][:5] == ("2026-03-02", "09:00-09:30", opened, half_hour["extra_windows"], 4)
    assert "4" in totals[1][5]  # window 4, the only one serving SD


def test_plan_refuses_a_day_that_is_not_a_monday(db: Database, admin: Run) -> None:
    result = admin("plan", "--week", "2026-03-03", "--site", "hall", "--lang", "en")
    assert result.code == 2
    assert "not a Monday" in result.err
    assert admin("plan", "--week", "2026-03-02", "--site", "hall", "--goal", "1.5").code == 2
    bad_runs = admin("plan", "--week", "2026-03-02", "--site", "hall", "--runs", "-1")
    assert bad_runs.code == 2 and "--runs" in bad_runs.err


@pytest.mark.all_backends
def test_overflow_list_shows_the_recorded_suggestions(db: Database, admin: Run) -> None:
    import datetime as dt

    from sqlalchemy import select

    from shared.models import OverflowSuggestion, Service, Site

    with db.read() as session:
        site_id = session.scalar(select(Site.id).where(Site.code == "hall"))
        sd = session.scalar(select(Service.id).where(Service.code == "SD"))
    # 2026-03-02 01:10 UTC is 09:10 in the hall (Asia/Shanghai).
    at = dt.datetime(2026, 3, 2, 1, 10, tzinfo=dt.UTC)
    db.write(lambda s: s.add_all([
        OverflowSuggestion(site_id=site_id, service_id=sd, at=at, waiting=6,
                           predicted_minutes=36, target_minutes=15, windows=[3, 2]),
        OverflowSuggestion(site_id=site_id, service_id=sd, at=at + dt.timedelta(days=1),
                           waiting=4, predicted_minutes=28, target_minutes=15, windows=[])]),
        name="test")
    result = admin("overflow", "list", "--site", "hall", "--json")
    assert result.code == 0, result.err
    listed = json.loads(result.out)["suggestions"]
    assert [(s["local_time"], s["service"], s["predicted_minutes"], s["windows"])
            for s in listed] == [("2026-03-03T09:10:00", "SD", 28, []),
                                 ("2026-03-02T09:10:00", "SD", 36, [3, 2])]
    lines = admin("overflow", "list", "--site", "hall", "--from", "2026-03-02", "--to",
                  "2026-03-02")
    assert lines.code == 0
    assert "2026-03-02 09:10 SD 丁业务：预计等候 36 分钟（目标 15 分钟），6 人等候，可协助窗口 3、2" \
        in lines.out
    assert "2026-03-03" not in lines.out and "共 1 条" in lines.out
    none = admin("overflow", "list", "--site", "hall", "--service", "SA")
    assert none.code == 0 and "没有记录的潮汐窗口建议" in none.out
    bad = admin("overflow", "list", "--site", "hall", "--from", "2026-03-05", "--to",
                "2026-03-01", "--lang", "en")
    assert bad.code == 2 and "before the first" in bad.err
    assert admin("overflow", "list", "--site", "hall", "--service", "NOPE").code == 2


@pytest.mark.parametrize("where", ["missing/plan.xlsx", "folder", "/proc/nope.xlsx"])
def test_plan_refuses_an_xlsx_path_it_cannot_write(db: Database, admin: Run, tmp_path: Path,
                                                   where: str) -> None:
    build_history(db)
    (tmp_path / "folder").mkdir()
    target = Path(where) if where.startswith("/") else tmp_path / where
    result = admin("plan", "--week", PLAN_WEEK.isoformat(), "--site", "hall", "--xlsx",
                   str(target))
    assert result.code == 2, result.err
    assert len(result.err_lines) == 1 and "--xlsx" in result.err
    assert result.out == ""
    # Nothing written: no workbook, no part file, no folder made.
    assert not [p for p in tmp_path.rglob("*") if ".xlsx" in p.name]
    assert not (tmp_path / "missing").exists() and not list((tmp_path / "folder").iterdir())


@pytest.mark.parametrize(("args", "option"), [
    (("--week", "0001-01-01"), "--week"), (("--week", "9999-12-27"), "--week"),
    (("--week", "2026-03-02", "--weeks", "10000000"), "--weeks"),
    (("--week", "2026-03-02", "--weeks", "0"), "--weeks"),
    (("--week", "2026-03-02", "--runs", "100000"), "--runs"),
    (("--week", "2026-03-02", "--goal", "1.5"), "--goal")])
def test_plan_refuses_values_out_of_range_naming_the_option(
        db: Database, admin: Run, tmp_path: Path, args: tuple[str, ...], option: str) -> None:
    workbook = tmp_path / "plan.xlsx"
    result = admin("plan", *args, "--site", "hall", "--xlsx", str(workbook))
    assert result.code == 2, result.err
    assert len(result.err_lines) == 1 and option in result.err and "Traceback" not in result.err
    assert not workbook.exists()


@pytest.mark.all_backends
def test_plan_of_weeks_without_history_says_so_and_writes_nothing(
        db: Database, admin: Run, tmp_path: Path) -> None:
    build_history(db)  # the Monday 2026-02-23 only
    workbook = tmp_path / "plan.xlsx"
    for extra in ((), ("--json",)):
        result = admin("plan", "--week", "2026-06-01", "--site", "hall", "--xlsx",
                       str(workbook), *extra)
        assert result.code == 3, result.err
        assert result.out == ""
        assert len(result.err_lines) == 1
        assert "2026-05-04" in result.err and "2026-05-31" in result.err  # the weeks chosen
        assert "没有取号记录" in result.err
        assert not workbook.exists()


def _refused_path(tmp_path: Path, kind: str) -> Path:
    """A path in ``tmp_path`` that exists and is not a regular file."""
    if kind == "fifo":
        os.mkfifo(tmp_path / "plan.xlsx")
    elif kind == "symlink":
        (tmp_path / "real.xlsx").write_bytes(b"keep me")
        (tmp_path / "plan.xlsx").symlink_to(tmp_path / "real.xlsx")
    else:  # a link to nowhere: writing through it would create a file elsewhere
        (tmp_path / "plan.xlsx").symlink_to(tmp_path / "elsewhere.xlsx")
    return tmp_path / "plan.xlsx"


@pytest.mark.parametrize("kind", ["fifo", "symlink", "dangling-symlink"])
def test_plan_refuses_an_xlsx_path_that_is_not_a_regular_file(
        db: Database, admin: Run, tmp_path: Path, kind: str) -> None:
    build_history(db)
    target = _refused_path(tmp_path, kind)
    before = os.lstat(target)
    result = admin("plan", "--week", PLAN_WEEK.isoformat(), "--site", "hall", "--runs", "1",
                   "--xlsx", str(target))
    assert result.code == 2, result.err
    assert len(result.err_lines) == 1 and "--xlsx" in result.err
    assert "不是普通文件" in result.err and result.out == ""
    # Left as it was: same kind of file, nothing written through a link, no part file.
    after = os.lstat(target)
    assert stat.S_IFMT(after.st_mode) == stat.S_IFMT(before.st_mode)
    assert after.st_ino == before.st_ino
    if kind == "symlink":
        assert (tmp_path / "real.xlsx").read_bytes() == b"keep me"
    assert not (tmp_path / "elsewhere.xlsx").exists()
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".part")]


def test_the_writer_itself_never_replaces_what_is_not_a_regular_file(
        db: Database, tmp_path: Path) -> None:
    from shared.staffing import staffing_plan, write_plan_xlsx

    build_history(db)
    plan = staffing_plan(db, PLAN_WEEK, site="hall", runs=0)
    for kind in ("fifo", "symlink"):
        for old in tmp_path.iterdir():
            old.unlink()
        target = _refused_path(tmp_path, kind)
        with pytest.raises(OSError, match="not a regular file"):
            write_plan_xlsx(plan, target)
        assert target.is_symlink() if kind == "symlink" else stat.S_ISFIFO(
            os.lstat(target).st_mode)
        assert not [p for p in tmp_path.iterdir() if p.name.endswith(".part")]


@pytest.mark.parametrize("umask", [0o022, 0o027])
def test_the_workbook_gets_the_mode_of_a_new_file(db: Database, admin: Run, tmp_path: Path,
                                                  umask: int) -> None:
    build_history(db)
    workbook = tmp_path / "plan.xlsx"
    workbook.write_bytes(b"an older plan")  # a regular file may be replaced
    workbook.chmod(0o600)
    old_umask = os.umask(umask)
    try:
        result = admin("plan", "--week", PLAN_WEEK.isoformat(), "--site", "hall", "--runs",
                       "1", "--xlsx", str(workbook))
    finally:
        os.umask(old_umask)
    assert result.code == 0, result.err
    assert stat.S_ISREG(os.lstat(workbook).st_mode)
    assert stat.S_IMODE(workbook.stat().st_mode) == 0o666 & ~umask
    assert load_workbook(workbook)["排班建议"]["A2"].value == "日期"


@pytest.mark.all_backends
def test_plan_of_a_week_of_holidays_says_the_week_is_closed(
        db: Database, admin: Run, tmp_path: Path) -> None:
    from sqlalchemy import update

    from shared.models import Service, Site

    build_history(db)  # history on the Monday before
    with db.engine.begin() as conn:
        conn.execute(update(Site).where(Site.code == "hall").values(calendar={
            "holidays": [(PLAN_WEEK + dt.timedelta(days=d)).isoformat() for d in range(7)]}))
        conn.execute(update(Service).values(holiday=False))
    workbook = tmp_path / "plan.xlsx"
    for extra in ((), ("--json",)):
        result = admin("plan", "--week", PLAN_WEEK.isoformat(), "--site", "hall", "--xlsx",
                       str(workbook), *extra)
        assert result.code == 3, result.err
        assert result.out == "" and len(result.err_lines) == 1
        assert "不办公" in result.err and "没有取号记录" not in result.err
        assert not workbook.exists()
    # One working day in it: planned as usual.
    with db.engine.begin() as conn:
        conn.execute(update(Site).where(Site.code == "hall").values(calendar={
            "holidays": [(PLAN_WEEK + dt.timedelta(days=d)).isoformat() for d in range(1, 7)]}))
    assert admin("plan", "--week", PLAN_WEEK.isoformat(), "--site", "hall", "--runs",
                 "0").code == 0


def test_plan_without_the_check_says_so_and_counts_the_sites_windows(
        db: Database, admin: Run, tmp_path: Path) -> None:
    build_history(db)
    workbook = tmp_path / "plan.xlsx"
    result = admin("plan", "--week", PLAN_WEEK.isoformat(), "--site", "hall", "--runs", "0",
                   "--xlsx", str(workbook))
    assert result.code == 0, result.err
    assert "未经模拟检验" in result.out
    assert "09:00-09:30 开放" in result.out  # the windows to open, as the sheet has them
    book = load_workbook(workbook)
    assert "未经模拟检验" in book["排班建议"]["A1"].value
    cells = list(book["排班建议"].iter_rows(min_row=3, values_only=True))
    assert cells and {row[13] for row in cells} == {"未模拟"}
    assert {row[12] for row in cells} == {None}
    totals = list(book["每半小时合计"].iter_rows(values_only=True))
    rows, note = totals[1:-1], totals[-1]
    assert "未经模拟检验" in note[0]
    assert rows
    for _day, _slot, opened, extra, site_windows, listed in rows:
        # The count is the windows listed: the site's (at most its 4) plus extra staff.
        numbers = listed.split(" 及增派")[0].split("、") if listed.split(" 及增派")[0] else []
        assert site_windows == 4 and len(numbers) <= 4
        assert opened == len(numbers) + extra
        assert (f" 及增派 {extra} 人" in listed) == bool(extra)
    # The lines' total is the windows listed, as the sheet counts them.
    assert f"合计 {sum(r[2] for r in rows) / 2:.1f} 窗口小时" in result.out
    # SD needs 2 windows at 09:00 and only window 4 serves it: extra staff (the sheet
    # once said 0 extra, counting Erlang C's windows of each service as the site's).
    morning = next(r for r in rows if r[1] == "09:00-09:30")
    assert "4" in morning[5].split(" 及增派")[0].split("、") and morning[3] >= 1

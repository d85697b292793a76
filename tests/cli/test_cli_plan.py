"""``hallq-admin plan``: the staffing plan of a week, as lines and as JSON."""

from __future__ import annotations

import json
from pathlib import Path

from openpyxl import load_workbook

from shared.db import Database
from tests.cli.conftest import Run
from tests.integration.test_staffing import PLAN_WEEK, build_history


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
    assert rows[1][:4] == ("日期", "星期", "时段", "业务")
    sd = [r for r in rows[2:] if r[2] == "09:00-09:30" and r[3] == "SD"]
    assert sd == [("2026-03-02", "周一", "09:00-09:30", "SD", 8, sd[0][5], 2, sd[0][7],
                   sd[0][8], 1, "是", morning[0]["simulated_level"])]
    totals = list(book["每半小时合计"].iter_rows(values_only=True))
    half_hour = next(h for h in plan["half_hours"] if h["slot"] == "09:00-09:30")
    opened = len(half_hour["windows"])
    assert opened >= 2  # SA's window and SD's
    assert totals[1][:5] == ("2026-03-02", "09:00-09:30", opened, half_hour["extra_windows"], 4)
    assert "4" in totals[1][5]  # window 4, the only one serving SD


def test_plan_refuses_a_day_that_is_not_a_monday(db: Database, admin: Run) -> None:
    result = admin("plan", "--week", "2026-03-03", "--site", "hall")
    assert result.code == 2
    assert "not a Monday" in result.err
    assert admin("plan", "--week", "2026-03-02", "--site", "hall", "--goal", "1.5").code == 2
    bad_runs = admin("plan", "--week", "2026-03-02", "--site", "hall", "--runs", "-1")
    assert bad_runs.code == 2 and "--runs" in bad_runs.err

"""``hallq-admin plan``: the staffing plan of a week, as lines and as JSON."""

from __future__ import annotations

import json

from shared.db import Database
from tests.cli.conftest import Run
from tests.integration.test_staffing import PLAN_WEEK, build_history


def test_plan_as_json_and_as_lines(db: Database, admin: Run) -> None:
    build_history(db)
    result = admin("plan", "--week", PLAN_WEEK.isoformat(), "--site", "hall", "--json")
    assert result.code == 0, result.err
    plan = json.loads(result.out)
    assert plan["week"] == PLAN_WEEK.isoformat() and plan["shortfalls"] == 1
    morning = [c for c in plan["cells"] if c["service"] == "SD" and c["slot"] == "09:00-09:30"]
    assert morning[0]["windows"] == 2 and morning[0]["short"] is True
    lines = admin("plan", "--week", PLAN_WEEK.isoformat(), "--site", "hall")
    assert lines.code == 0
    assert "09:00-09:30 SD: 2 个窗口" in lines.out and "← 窗口不足" in lines.out


def test_plan_refuses_a_day_that_is_not_a_monday(db: Database, admin: Run) -> None:
    result = admin("plan", "--week", "2026-03-03", "--site", "hall")
    assert result.code == 2
    assert "not a Monday" in result.err
    assert admin("plan", "--week", "2026-03-02", "--site", "hall", "--goal", "1.5").code == 2

"""The supervisor's 排班建议 tab offscreen: the plan of a week from the history, a chart
per day, the cells that fall short, the Excel export; screenshot into docs/screenshots."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import QDate, Qt
from pytestqt.qtbot import QtBot

from counter_app.supervisor.main import open_supervisor
from counter_app.supervisor.window import SupervisorWindow
from shared.clerks import ClerkView
from shared.db import Database
from tests.integration.test_staffing import PLAN_WEEK, build_history

BOSS = ClerkView("boss", "王主任", "supervisor", True)


@pytest.fixture
def window(db: Database, qtbot: QtBot) -> Iterator[SupervisorWindow]:
    opened = open_supervisor(db, "hall", BOSS)
    qtbot.addWidget(opened)
    opened.resize(1400, 760)
    yield opened
    opened.close()


def test_staffing_tab_plans_a_week_and_exports_it(db: Database, qtbot: QtBot,
                                                  window: SupervisorWindow, tmp_path: Path,
                                                  screenshot: Callable[..., Path]) -> None:
    build_history(db)
    panel = window.staffing
    index = window.tabs.indexOf(panel)
    assert window.tabs.tabText(index) == "排班建议"
    bar = window.tabs.tabBar()
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(index).center())
    # Opening the tab plans next week, which has no history before it here.
    qtbot.waitUntil(lambda: panel.plan is not None, timeout=30_000)
    assert panel.summary.text() == "所选周之前没有取号记录，无法排班"
    assert not panel.export.isEnabled()
    panel.week.setDate(QDate(PLAN_WEEK.year, PLAN_WEEK.month, PLAN_WEEK.day))
    qtbot.mouseClick(panel.make, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.plan is not None and panel.plan.week == PLAN_WEEK,
                    timeout=30_000)
    assert panel.day.count() == 1 and panel.day.currentText() == "周一 2026-03-02"
    rows = [[panel.table.item(r, c).text() for c in range(panel.table.columnCount())]
            for r in range(panel.table.rowCount())]
    assert rows[[r[1] for r in rows].index("SD")][:4] == ["09:00-09:30", "SD", "8.0", "2"]
    short = [r for r in range(panel.table.rowCount())
             if panel.table.item(r, 1).text() == "SD" and panel.table.item(r, 0).text()
             == "09:00-09:30"]
    assert panel.table.item(short[0], 0).toolTip() == "需要的窗口多于办理该业务的窗口"
    assert "1 个时段窗口不足" in panel.summary.text()
    plan = panel.plan
    assert f"建议开放 {plan.window_hours():.1f} 窗口小时" in panel.summary.text()
    # The last column: the simulated service level over the proposed windows.
    level = next(c for c in plan.cells if c.service == "SD" and c.slot == 18)
    assert rows[[r[1] for r in rows].index("SD")][7] == f"{level.simulated_level:.0%}"
    # The chart: the proposed windows of each half-hour of the day.
    assert panel.chart._series[0].values == [float(plan.totals()[(PLAN_WEEK, s)])
                                            for s in sorted({c.slot for c in plan.cells})]
    screenshot(window, "supervisor-staffing")
    target = tmp_path / "plan.xlsx"
    window.export_staffing(target)
    qtbot.waitUntil(lambda: target.exists() and window.runner.idle, timeout=30_000)
    sheet = load_workbook(target)["排班建议"]
    assert any(row[3] == "SD" and row[6] == 2 for row in sheet.iter_rows(values_only=True))

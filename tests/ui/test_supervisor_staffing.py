"""The supervisor's 排班建议 tab offscreen: the plan of a week from the history, a chart
per day, the cells that fall short, the Excel export; screenshot into docs/screenshots."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QApplication, QDateTimeEdit, QMessageBox, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import select, update

from counter_app.supervisor.main import open_supervisor
from counter_app.supervisor.staffing_panel import SHORT
from counter_app.supervisor.window import SupervisorWindow
from shared.clerks import ClerkView
from shared.db import Database
from shared.models import Service, Site, WindowService
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
                                                  window: SupervisorWindow, tmp_path: Path
                                                  ) -> None:
    build_history(db)
    panel = window.staffing
    index = window.tabs.indexOf(panel)
    assert window.tabs.tabText(index) == "排班建议"
    bar = window.tabs.tabBar()
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(index).center())
    # Opening the tab plans next week, which has no history before it here.
    qtbot.waitUntil(lambda: panel.plan is not None, timeout=30_000)
    first, last = panel.plan.history
    assert panel.summary.text() == f"{first} 至 {last} 没有取号记录，无法排班"
    assert not panel.export.isEnabled()
    panel.week.setDate(QDate(PLAN_WEEK.year, PLAN_WEEK.month, PLAN_WEEK.day))
    qtbot.mouseClick(panel.make, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.plan is not None and panel.plan.week == PLAN_WEEK,
                    timeout=30_000)
    assert panel.day.count() == 1 and panel.day.currentText() == "周一 2026-03-02"
    rows = [[panel.table.item(r, c).text() for c in range(panel.table.columnCount())]
            for r in range(panel.table.rowCount())]
    assert rows[[r[1] for r in rows].index("SD 丁业务")][:4] == ["09:00-09:30", "SD 丁业务",
                                                              "8.0", "2"]
    short = [r for r in range(panel.table.rowCount())
             if panel.table.item(r, 1).text() == "SD 丁业务" and panel.table.item(r, 0).text()
             == "09:00-09:30"]
    # Erlang C finds one window short for SD at 09:00, the simulation of the proposed
    # windows (the real calling rules) finds window 4 enough: no red mark, both named.
    assert panel.table.item(short[0], 0).toolTip().startswith("Erlang C 估算窗口不足")
    assert panel.table.item(short[0], 0).background().color() != SHORT
    assert "按模拟 0 个时段现有窗口不足（按 Erlang C 1 个）" in panel.summary.text()
    plan = panel.plan
    assert f"建议开放 {plan.window_hours():.1f} 窗口小时" in panel.summary.text()
    # The last column: the simulated service level over the proposed windows.
    level = next(c for c in plan.cells if c.service == "SD" and c.slot == 18)
    assert rows[[r[1] for r in rows].index("SD 丁业务")][7] == f"{level.simulated_level:.0%}"
    # The chart: the proposed windows of each half-hour of the day.
    assert panel.chart._series[0].values == [float(plan.totals()[(PLAN_WEEK, s)])
                                            for s in sorted({c.slot for c in plan.cells})]
    target = tmp_path / "plan.xlsx"
    window.export_staffing(target)
    qtbot.waitUntil(lambda: target.exists() and window.runner.idle, timeout=30_000)
    sheet = load_workbook(target)["排班建议"]
    assert any(row[3] == "SD" and row[4] == "丁业务" and row[7] == 2
               for row in sheet.iter_rows(values_only=True))


def _error_dialogs() -> list[QWidget]:
    return [w for w in QApplication.topLevelWidgets()
            if isinstance(w, QMessageBox) and w.isVisible()]


def _open_tab(qtbot: QtBot, window: SupervisorWindow) -> None:
    bar = window.tabs.tabBar()
    index = window.tabs.indexOf(window.staffing)
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(index).center())
    qtbot.waitUntil(lambda: window.staffing.plan is not None and window.runner.idle,
                    timeout=30_000)


def test_a_day_other_than_monday_is_moved_to_its_monday(db: Database, qtbot: QtBot,
                                                        window: SupervisorWindow) -> None:
    build_history(db)
    panel = window.staffing
    _open_tab(qtbot, window)
    # Typed as a clerk would: the day of 2026-03-09 (a Monday) changed to 03, a Tuesday.
    next_week = PLAN_WEEK + dt.timedelta(weeks=1)
    panel.week.setDate(QDate(next_week.year, next_week.month, next_week.day))
    window.activateWindow()
    panel.week.setFocus()
    panel.week.setSelectedSection(QDateTimeEdit.Section.DaySection)
    qtbot.keyClicks(panel.week, "03")
    assert panel.week.date().toPython() == PLAN_WEEK + dt.timedelta(days=1)
    qtbot.mouseClick(panel.make, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.plan is not None and panel.plan.week == PLAN_WEEK
                    and window.runner.idle, timeout=30_000)
    assert panel.week.date().toPython() == PLAN_WEEK
    assert panel.snapped.isVisible()
    assert panel.snapped.text() == "2026-03-03 不是周一：已改为所在周的周一 2026-03-02"
    assert not _error_dialogs()
    assert panel.day.currentText() == "周一 2026-03-02"
    # Another date chosen: the note goes; asked for again, no note for a Monday.
    panel.week.setDate(QDate(next_week.year, next_week.month, next_week.day))
    assert not panel.snapped.isVisible()
    qtbot.mouseClick(panel.make, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.plan is not None and panel.plan.week == next_week
                    and window.runner.idle, timeout=30_000)
    assert not panel.snapped.isVisible() and not _error_dialogs()


def test_an_older_slow_plan_does_not_replace_a_newer_one(db: Database, qtbot: QtBot,
                                                         window: SupervisorWindow) -> None:
    build_history(db)
    panel = window.staffing
    _open_tab(qtbot, window)
    # The week with history takes a while (the simulation); the later request, a week
    # with nothing before it, answers at once. The screen must show the later one.
    panel.week.setDate(QDate(PLAN_WEEK.year, PLAN_WEEK.month, PLAN_WEEK.day))
    qtbot.mouseClick(panel.make, Qt.MouseButton.LeftButton)
    later = PLAN_WEEK + dt.timedelta(weeks=10)
    panel.week.setDate(QDate(later.year, later.month, later.day))
    qtbot.mouseClick(panel.make, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.runner.idle, timeout=30_000)
    qtbot.wait(50)
    assert panel.plan is not None and panel.plan.week == later
    assert panel.table.rowCount() == 0 and "没有取号记录" in panel.summary.text()


def test_the_red_mark_is_the_simulations_verdict(db: Database, qtbot: QtBot,
                                                 window: SupervisorWindow) -> None:
    build_history(db)
    # Window 4 no longer serves SD: no window of the site does, the proposal needs staff
    # beyond them for SD, and the simulation says so.
    with db.engine.begin() as conn:
        sd = conn.execute(select(Service.id).where(Service.code == "SD")).scalar_one()
        conn.execute(update(WindowService).where(WindowService.service_id == sd)
                     .values(active=False))
    panel = window.staffing
    _open_tab(qtbot, window)
    panel.week.setDate(QDate(PLAN_WEEK.year, PLAN_WEEK.month, PLAN_WEEK.day))
    qtbot.mouseClick(panel.make, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.plan is not None and panel.plan.week == PLAN_WEEK
                    and window.runner.idle, timeout=30_000)
    marks = {(panel.table.item(r, 0).text(), panel.table.item(r, 1).text().split()[0]):
             (panel.table.item(r, 0).background().color() == SHORT,
              panel.table.item(r, 0).toolTip()) for r in range(panel.table.rowCount())}
    assert marks[("09:00-09:30", "SD")] == (True, "模拟：现有窗口不足，需增派人员")
    assert marks[("14:30-15:00", "SD")] == (True, "模拟：现有窗口不足，需增派人员")
    assert marks[("09:00-09:30", "SA")] == (False, "")
    assert "按模拟 2 个时段现有窗口不足" in panel.summary.text()


def _plan_the_week(qtbot: QtBot, window: SupervisorWindow) -> None:
    panel = window.staffing
    _open_tab(qtbot, window)
    panel.week.setDate(QDate(PLAN_WEEK.year, PLAN_WEEK.month, PLAN_WEEK.day))
    qtbot.mouseClick(panel.make, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.plan is not None and panel.plan.week == PLAN_WEEK
                    and window.runner.idle, timeout=30_000)


def _export_refused(qtbot: QtBot, window: SupervisorWindow, target: Path) -> str:
    """Export to ``target``, wait for the answer, return the dialog's text (closed by
    its OK button)."""
    window.export_staffing(target)
    qtbot.waitUntil(lambda: window.runner.idle and bool(_error_dialogs()), timeout=30_000)
    [box] = _error_dialogs()
    assert isinstance(box, QMessageBox)
    text = box.text()
    qtbot.mouseClick(box.button(QMessageBox.StandardButton.Ok), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not _error_dialogs())
    return text


def test_export_to_a_path_it_cannot_write_says_why(db: Database, qtbot: QtBot,
                                                   window: SupervisorWindow, tmp_path: Path
                                                   ) -> None:
    import os
    import stat

    build_history(db)
    _plan_the_week(qtbot, window)
    good = tmp_path / "plan.xlsx"
    window.export_staffing(good)
    qtbot.waitUntil(lambda: good.exists() and window.runner.idle, timeout=30_000)
    assert window.statusBar().currentMessage().startswith("已导出")
    missing = tmp_path / "missing" / "plan.xlsx"
    text = _export_refused(qtbot, window, missing)
    # Said plainly, not the unexpected-error dialog; the status bar no longer says 已导出.
    assert text == f"{missing} 所在的文件夹不存在。请另选保存位置。"
    assert "意外错误" not in text and "Error" not in text
    assert window.statusBar().currentMessage() == f"未能导出：{missing}"
    assert not (tmp_path / "missing").exists()
    fifo = tmp_path / "fifo.xlsx"
    os.mkfifo(fifo)
    text = _export_refused(qtbot, window, fifo)
    assert text == f"{fifo} 不是普通文件（链接、设备等），导出不能替换它。请另选一个文件名。"
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert "已导出" not in window.statusBar().currentMessage()
    assert _export_refused(qtbot, window, tmp_path) == f"{tmp_path} 是一个文件夹。请另选一个文件名。"
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".part")]


def test_export_refused_in_english(db: Database, qtbot: QtBot, english: None,
                                   window: SupervisorWindow, tmp_path: Path) -> None:
    build_history(db)
    _plan_the_week(qtbot, window)
    missing = tmp_path / "missing" / "plan.xlsx"
    text = _export_refused(qtbot, window, missing)
    assert text == (f"The folder of {missing} does not exist. Choose another place to "
                    "save it.")
    assert window.statusBar().currentMessage() == f"Not exported: {missing}"


def test_a_week_of_holidays_is_said_to_be_closed(db: Database, qtbot: QtBot,
                                                 window: SupervisorWindow) -> None:
    build_history(db)
    with db.engine.begin() as conn:
        conn.execute(update(Site).where(Site.code == "hall").values(calendar={
            "holidays": [(PLAN_WEEK + dt.timedelta(days=d)).isoformat() for d in range(7)]}))
        conn.execute(update(Service).values(holiday=False))
    _plan_the_week(qtbot, window)
    panel = window.staffing
    assert panel.summary.text() == "2026-03-02 起一周本站点不办公（节假日），无需排班"
    assert panel.table.rowCount() == 0 and not panel.export.isEnabled()
    assert not _error_dialogs()


# A week of the test hall as a county hall has it: 08:30-12:00 and 13:30-17:00 on
# workdays, SA and SB also on Saturday and Sunday mornings; arrivals per workday with a
# morning and an afternoon peak, Monday busiest.
DAILY = {"SA": 45, "SB": 30, "SC": 14, "SD": 30}
MINUTES = {"SA": 7.0, "SB": 5.0, "SC": 10.0, "SD": 4.0}
WINDOWS = {"SA": (2, 1), "SB": (3, 1), "SC": (3,), "SD": (4,)}
SHAPE = {17: 3, 18: 7, 19: 9, 20: 9, 21: 8, 22: 6, 23: 3, 27: 3, 28: 6, 29: 8, 30: 7,
         31: 6, 32: 4, 33: 2}  # half-hour of the day -> weight
WEEKEND_SHAPE = {18: 3, 19: 4, 20: 4, 21: 3, 22: 2, 23: 1}
WEEKDAY_FACTOR = (1.25, 1.05, 1.0, 0.95, 0.9, 0.3, 0.25)


def realistic_week(db: Database) -> None:
    import random

    from tests.integration.stats_history import Case, Stay, add_cases

    with db.engine.begin() as conn:
        conn.execute(update(Site).where(Site.code == "hall").values(calendar={
            "workday_hours": ["08:30-12:00", "13:30-17:00"], "weekend_hours": ["09:00-12:00"],
            "issue_cutoff_minutes": 30}))
        conn.execute(update(Service).where(Service.code.in_(("SC", "SD")))
                     .values(weekend=False))
    rng = random.Random(18)
    cases = []
    for offset in range(7, 0, -1):
        day = PLAN_WEEK - dt.timedelta(days=offset)
        weekend = day.weekday() >= 5
        shape = WEEKEND_SHAPE if weekend else SHAPE
        for service, daily in DAILY.items():
            if weekend and service in ("SC", "SD"):
                continue
            count = round(daily * WEEKDAY_FACTOR[day.weekday()])
            for slot in rng.choices(list(shape), weights=list(shape.values()), k=count):
                queued = slot * 30 + rng.uniform(0, 30)
                called = queued + rng.expovariate(1 / 6)
                started = called + rng.uniform(0.3, 1.5)
                ended = started + rng.lognormvariate(0, 0.5) * MINUTES[service] * 0.9

                def clock(minutes: float) -> str:
                    seconds = int(minutes * 60)
                    return f"{seconds // 3600:02d}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"

                window = rng.choice(WINDOWS[service])
                if rng.random() < 0.05:
                    stay = Stay(service, clock(queued), clock(called), window=window,
                                result="no_show")
                else:
                    stay = Stay(service, clock(queued), clock(called), clock(started),
                                clock(ended), window=window, result="finished",
                                outcome="completed")
                cases.append(Case(day, [stay], kind="green" if rng.random() < 0.03
                                  else "normal"))
    add_cases(db, cases)


def test_staffing_tab_on_a_realistic_week_fits_1366x768(
        db: Database, qtbot: QtBot, window: SupervisorWindow,
        screenshot: Callable[..., Path]) -> None:
    realistic_week(db)
    window.resize(1366, 768)
    panel = window.staffing
    _open_tab(qtbot, window)
    panel.week.setDate(QDate(PLAN_WEEK.year, PLAN_WEEK.month, PLAN_WEEK.day))
    qtbot.mouseClick(panel.make, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.plan is not None and panel.plan.week == PLAN_WEEK
                    and window.runner.idle, timeout=120_000)
    plan = panel.plan
    assert plan is not None
    assert panel.day.count() == 7 and panel.day.currentText() == "周一 2026-03-02"
    # Closed then: no windows for SC and SD at the weekend, nobody planned at lunch.
    assert not [c for c in plan.cells if c.day.weekday() >= 5 and c.service in ("SC", "SD")]
    assert not [c for c in plan.cells if 24 <= c.slot <= 26]
    assert panel.table.rowCount() > 40
    # Every heading shows whole, the table needs no sideways scrolling.
    header = panel.table.horizontalHeader()
    metrics = header.fontMetrics()
    for column in range(panel.table.columnCount()):
        text = panel.table.horizontalHeaderItem(column).text()
        widest = max(metrics.horizontalAdvance(line) for line in text.split("\n"))
        assert header.sectionSize(column) >= widest + 4, text
    assert panel.table.horizontalScrollBar().maximum() == 0
    screenshot(window, "supervisor-staffing")

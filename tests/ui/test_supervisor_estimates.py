"""The supervisor's 预计等候准确度 tab offscreen: the accuracy of the wait estimates
shown at issue, per day and service, as shared/stats/estimates.py computes it;
screenshot into docs/screenshots."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QDate, Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import select, update

from counter_app.supervisor.main import open_supervisor
from counter_app.supervisor.window import SupervisorWindow
from shared import issuing, queue
from shared.clerks import ClerkView
from shared.db import Database
from shared.models import Segment, Ticket

SITE = "hall"
BOSS = ClerkView("boss", "王主任", "supervisor", True)


@pytest.fixture
def window(db: Database, qtbot: QtBot) -> Iterator[SupervisorWindow]:
    opened = open_supervisor(db, SITE, BOSS)
    qtbot.addWidget(opened)
    opened.resize(1300, 700)
    yield opened
    opened.close()


def _served_with_known_waits(db: Database) -> None:
    """SD: two served tickets, shown 0–5 (waited 4 min) and 5–15 (waited 20 min);
    SA: one, shown 5–10 (waited 7 min); one SD ticket still waiting (left out)."""
    for code in ("SD", "SD", "SA", "SD"):
        issuing.issue_ticket(db, code, site=SITE)
    for window in (4, 4, 2):
        ticket = queue.call_next(db, window, site=SITE).ticket
        assert ticket is not None
        queue.start(db, ticket.number, site=SITE)
    known = {"D001": (4, 3, 0, 5), "D002": (20, 10, 5, 15), "A001": (7, 8, 5, 10)}
    with db.engine.begin() as conn:
        for number, (wait, point, low, high) in known.items():
            ticket_id = conn.execute(select(Ticket.id).where(Ticket.number == number)).scalar_one()
            conn.execute(update(Ticket).where(Ticket.id == ticket_id).values(
                estimate_minutes=point, estimate_low_minutes=low, estimate_high_minutes=high))
            conn.execute(update(Segment).where(Segment.ticket_id == ticket_id).values(
                wait_us=wait * 60_000_000))


def test_accuracy_tab_shows_each_day_and_service(db: Database, qtbot: QtBot,
                                                 window: SupervisorWindow,
                                                 screenshot: Callable[..., Path]) -> None:
    _served_with_known_waits(db)
    panel = window.estimates
    # The test PC's date may be a day behind the site's (Asia/Shanghai).
    panel.start.setDate(QDate.currentDate().addDays(-1))
    panel.end.setDate(QDate.currentDate().addDays(1))
    bar = window.tabs.tabBar()
    index = window.tabs.indexOf(window.estimates)
    assert window.tabs.tabText(index) == "预计等候准确度"
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(index).center())
    qtbot.waitUntil(lambda: bool(panel.rows), timeout=30_000)
    table = panel.table
    cells = [[table.item(r, c).text() for c in range(table.columnCount())]
             for r in range(table.rowCount())]
    by_service = {row[1]: row for row in cells}
    assert by_service["甲业务"][2:] == ["1", "1.0", "100%", "5.0"]
    assert by_service["丁业务"][2:] == ["2", "5.5", "50%", "7.5"]  # |4-3|, |20-10|
    assert by_service["全部业务"][2] == "3"
    assert "共 3 个号" in panel.summary.text() and "67%" in panel.summary.text()
    screenshot(window, "supervisor-estimates")

    # A range without any shown estimate says so.
    panel.start.setDate(QDate.currentDate().addDays(-30))
    panel.end.setDate(QDate.currentDate().addDays(-20))
    qtbot.mouseClick(panel.query, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.table.rowCount() == 0, timeout=30_000)
    assert panel.summary.text() == "所选日期内没有可统计的预计等候"

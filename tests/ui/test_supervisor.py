"""The supervisor app offscreen: live view with alerts, statistics with charts and exports,
the follow-up list, the offline state and the login; screenshots into docs/screenshots."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import update

from counter_app.supervisor.charts import nice_ticks
from counter_app.supervisor.main import LoginDialog, open_supervisor
from counter_app.supervisor.window import SupervisorWindow
from shared import clerks, evaluations, issuing, queue
from shared.clerks import ClerkView
from shared.config import Config
from shared.db import Database
from shared.errors import LoginRefused
from shared.models import Window
from tests.integration.test_stats_history import (
    MONDAY,
    TUESDAY,
    add_cases,
    add_clerks,
    standard_history,
)

SITE = "hall"
BOSS = ClerkView("boss", "王主任", "supervisor", True)


@pytest.fixture
def open_window(qtbot: QtBot) -> Iterator[Callable[[Database], SupervisorWindow]]:
    opened: list[SupervisorWindow] = []

    def make(db: Database) -> SupervisorWindow:
        window = open_supervisor(db, SITE, BOSS)
        qtbot.addWidget(window)
        opened.append(window)
        window.resize(1500, 900)
        return window

    yield make
    for window in opened:
        window.close()


def wait_idle(qtbot: QtBot, window: SupervisorWindow) -> None:
    qtbot.waitUntil(lambda: window.runner.idle, timeout=30_000)


def busy_hall(db: Database) -> None:
    """A morning in progress: 22 waiting for SA, window 1 serving, window 4 paused 40 min."""
    add_clerks(db)
    for _ in range(23):
        issuing.issue_ticket(db, "SA", site=SITE)
    issuing.issue_ticket(db, "SB", site=SITE)
    clerks.login_at_window(db, "c1", "password1", 1, site=SITE)
    called = queue.call_next(db, 1, site=SITE, clerk="c1").ticket
    assert called is not None
    queue.start(db, called.id, site=SITE)
    queue.pause_window(db, 4, "会议", site=SITE)
    since = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=40)
    db.write(lambda s: s.execute(update(Window).where(Window.number == 4)
                                 .values(paused_at=since)))


def test_live_view_shows_queues_windows_and_alerts(db: Database, qtbot: QtBot,
                                                   open_window: Callable[..., SupervisorWindow],
                                                   screenshot: Callable[..., Path]) -> None:
    """A queue over 20 and a window paused over 30 minutes stand out as alerts."""
    busy_hall(db)
    window = open_window(db)
    qtbot.waitUntil(lambda: window.live.view is not None, timeout=30_000)
    view = window.live.view
    assert view is not None and view.waiting == 23
    alerts = window.live.alerts.text()
    assert "甲业务：等候 22 人，超过 20 人" in alerts
    assert "4 号窗口暂停超过 30 分钟（会议）" in alerts
    statuses = {w.number: w.status for w in view.windows}
    assert statuses == {1: "serving", 2: "closed", 3: "closed", 4: "paused"}
    assert window.live.cards["waiting"].value.text() == "23"
    screenshot(window, "supervisor-live")


def test_live_view_follows_the_change_feed(db: Database, qtbot: QtBot,
                                           open_window: Callable[..., SupervisorWindow]) -> None:
    """A ticket issued elsewhere appears without anyone pressing refresh."""
    window = open_window(db)
    qtbot.waitUntil(lambda: window.live.view is not None and window.feed is not None,
                    timeout=30_000)
    issuing.issue_ticket(db, "SB", site=SITE)
    qtbot.waitUntil(lambda: window.live.view is not None and window.live.view.waiting == 1,
                    timeout=30_000)


def test_statistics_tab_shows_numbers_charts_and_exports(
        db: Database, qtbot: QtBot, tmp_path: Path,
        open_window: Callable[..., SupervisorWindow], screenshot: Callable[..., Path]) -> None:
    """Querying a range fills the headline numbers and tables; the exports write files."""
    add_clerks(db)
    add_cases(db, standard_history())
    window = open_window(db)
    window.tabs.setCurrentWidget(window.stats)
    wait_idle(qtbot, window)
    window.stats.filters.set_range(MONDAY, TUESDAY)
    qtbot.mouseClick(window.stats.filters.run, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.stats.stats is not None, timeout=30_000)
    assert window.stats.cards["issued"].value.text() == "9"
    assert window.stats.cards["rate"].value.text() == "50.0%"
    assert window.stats.tabs.count() == 9
    screenshot(window, "supervisor-stats")
    for fmt in ("pdf", "xlsx", "csv"):
        window.export(fmt, tmp_path / f"report.{fmt}")
    wait_idle(qtbot, window)
    assert all((tmp_path / f"report.{fmt}").stat().st_size > 0 for fmt in ("pdf", "xlsx", "csv"))


def test_follow_up_is_closed_with_who_and_when(db: Database, qtbot: QtBot,
                                               open_window: Callable[..., SupervisorWindow],
                                               screenshot: Callable[..., Path]) -> None:
    """Saving with 'close' records the result, the note and the supervisor who closed it."""
    add_clerks(db)
    add_cases(db, standard_history())
    window = open_window(db)
    window.tabs.setCurrentWidget(window.followups)
    qtbot.waitUntil(lambda: len(window.followups.items) == 1, timeout=30_000)
    panel = window.followups
    panel.table.selectRow(0)
    panel.contact.setText("已电话联系，群众表示理解")
    panel.note.setPlainText("窗口已整改")
    panel.close_box.setChecked(True)
    screenshot(window, "supervisor-followups")
    qtbot.mouseClick(panel.save, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not panel.items, timeout=30_000)
    closed = evaluations.list_follow_ups(db, site=SITE, status="closed")
    mine = [f for f in closed if f.contact_result == "已电话联系，群众表示理解"]
    assert len(mine) == 1 and mine[0].closed_by == "王主任" and mine[0].note == "窗口已整改"


def test_offline_state_is_visible_and_disables_actions(
        db: Database, qtbot: QtBot, open_window: Callable[..., SupervisorWindow]) -> None:
    """When the feed reports the database lost, a banner shows and queries are disabled."""
    window = open_window(db)
    wait_idle(qtbot, window)
    window.set_online(False)
    assert window.offline.isVisibleTo(window)
    assert not window.stats.filters.run.isEnabled()
    window.set_online(True)
    assert not window.offline.isVisibleTo(window)
    assert window.stats.filters.run.isEnabled()


def test_login_accepts_supervisors_and_refuses_clerks(db: Database, qtbot: QtBot,
                                                      empty_db_url: str) -> None:
    """Only the roles supervisor and admin may open the supervisor view."""
    add_clerks(db)
    dialog = LoginDialog(Config(database_url=empty_db_url))
    qtbot.addWidget(dialog)
    dialog.login.setText("c1")
    dialog.password.setText("password1")
    dialog.submit()
    qtbot.waitUntil(lambda: dialog.runner.idle, timeout=30_000)
    assert dialog.clerk is None and "不是主管" in dialog.message.text()
    dialog.login.setText("boss")
    dialog.password.setText("password1")
    dialog.submit()
    qtbot.waitUntil(lambda: dialog.runner.idle, timeout=30_000)
    assert dialog.clerk is not None and dialog.clerk.role == "supervisor"
    assert dialog.db is not None
    dialog.db.dispose()
    with pytest.raises(LoginRefused):
        open_supervisor(db, SITE, ClerkView("c1", "张一", "clerk", True))


def test_chart_axis_ticks_are_round_numbers() -> None:
    """Axis ticks run from 0 to a round number at or above the largest value, in whole
    steps for counts."""
    assert nice_ticks(3) == [0, 1, 2, 3, 4]
    assert nice_ticks(37) == [0, 10, 20, 30, 40]
    assert nice_ticks(0.7) == pytest.approx([0, 0.2, 0.4, 0.6, 0.8])
    assert nice_ticks(0) == [0, 1, 2, 3, 4]


def test_english_translation_is_complete_and_loads(
        db: Database, qtbot: QtBot, open_window: Callable[..., SupervisorWindow],
        screenshot: Callable[..., Path]) -> None:
    """--lang en shows the supervisor view in English from supervisor_en.qm."""
    from PySide6.QtCore import QCoreApplication, QTranslator

    from resources import resource_path

    ts = resource_path("translations", "supervisor_en.ts").read_text(encoding="utf-8")
    assert 'type="unfinished"' not in ts
    translator = QTranslator()
    assert translator.load(str(resource_path("translations", "supervisor_en.qm")))
    QCoreApplication.installTranslator(translator)
    try:
        busy_hall(db)
        window = open_window(db)
        qtbot.waitUntil(lambda: window.live.view is not None, timeout=30_000)
        assert window.tabs.tabText(0) == "Live"
        assert "more than 20" in window.live.alerts.text()
        screenshot(window, "supervisor-live-en")
    finally:
        QCoreApplication.removeTranslator(translator)

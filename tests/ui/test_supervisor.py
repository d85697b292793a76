"""The supervisor app offscreen: live view with alerts, statistics with filters, charts and
exports (in Chinese and in English), the follow-up list, the offline state and the login;
screenshots into docs/screenshots."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import re
import shutil
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import QCoreApplication, Qt, QTranslator
from PySide6.QtWidgets import QApplication, QComboBox
from pytestqt.qtbot import QtBot
from sqlalchemy import update

from counter_app.supervisor.charts import nice_ticks
from counter_app.supervisor.main import LoginDialog, open_supervisor
from counter_app.supervisor.report_text import report_text
from counter_app.supervisor.window import SupervisorWindow
from resources import resource_path
from shared import clerks, evaluations, issuing, queue
from shared.clerks import ClerkView
from shared.config import Config
from shared.db import Database
from shared.errors import LoginRefused
from shared.models import Window
from shared.qt.fonts import install_app_font
from shared.reports.tables import format_cell
from shared.reports.text import CHINESE
from shared.stats import Statistics, StatsFilter, compute_statistics
from shared.stats.choices import filter_choices
from tests.integration.test_stats_history import (
    MONDAY,
    TUESDAY,
    add_cases,
    add_clerks,
    standard_history,
)

SITE = "hall"
BOSS = ClerkView("boss", "王主任", "supervisor", True)
CJK = re.compile(r"[\u2e80-\u9fff\uff00-\uffef]")


@pytest.fixture(scope="module", autouse=True)
def bundled_font(qapp: QApplication) -> None:
    """The screenshots show Chinese in the bundled font, as on a hall PC."""
    install_app_font(qapp)


@pytest.fixture
def english() -> Iterator[None]:
    """The supervisor's English (--lang en) for the length of a test."""
    translator = QTranslator()
    assert translator.load(str(resource_path("translations", "supervisor_en.qm")))
    QCoreApplication.installTranslator(translator)
    yield
    QCoreApplication.removeTranslator(translator)


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


def statistics_tab(db: Database, qtbot: QtBot, open_window: Callable[..., SupervisorWindow]
                   ) -> SupervisorWindow:
    """The supervisor open on its statistics tab over the standard two days of history."""
    add_clerks(db)
    add_cases(db, standard_history())
    window = open_window(db)
    window.tabs.setCurrentWidget(window.stats)
    wait_idle(qtbot, window)
    return window


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
    window = statistics_tab(db, qtbot, open_window)
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


def choose(combo: QComboBox, data: object) -> None:
    """Pick the entry of ``combo`` that carries ``data``, as a click in the list would."""
    index = combo.findData(data)
    assert index >= 0, f"{data!r} is not in the list"
    combo.setCurrentIndex(index)


def run_query(qtbot: QtBot, window: SupervisorWindow, wanted: StatsFilter) -> Statistics:
    """Press 查询 with the filter bar showing ``wanted``; return what the panel shows."""
    assert window.stats.filters.current_filter() == wanted
    qtbot.mouseClick(window.stats.filters.run, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.stats.stats is not None
                    and window.stats.stats.filters == wanted, timeout=30_000)
    assert window.stats.stats is not None
    return window.stats.stats


def shown_cards(window: SupervisorWindow) -> dict[str, str]:
    return {key: card.value.text() for key, card in window.stats.cards.items()}


def expected_cards(stats: Statistics) -> dict[str, str]:
    """The headline numbers of ``stats`` as the cards write them."""
    t = stats.total
    return {"issued": str(t.issued), "served": str(t.served), "no_show": str(t.no_show),
            "wait": format_cell(t.wait.mean_minutes, "minutes"),
            "p90": format_cell(t.wait.minutes(t.wait.p90_us), "minutes"),
            "level": format_cell(t.service_level, "percent"),
            "one_visit": format_cell(t.one_visit_share, "percent"),
            "rate": format_cell(stats.satisfaction.rate, "percent")}


def test_window_and_clerk_filters_narrow_the_statistics(
        db: Database, qtbot: QtBot, open_window: Callable[..., SupervisorWindow],
        screenshot: Callable[..., Path]) -> None:
    """A chosen window or clerk shows exactly what compute_statistics answers for that
    filter; the window list follows the site and is off while every site is chosen."""
    window = statistics_tab(db, qtbot, open_window)
    bar = window.stats.filters
    bar.set_range(MONDAY, TUESDAY)
    hall_windows = [number for number, _name in filter_choices(db).windows[SITE]]
    assert 1 in hall_windows and 2 in hall_windows
    assert [bar.window.itemData(i) for i in range(bar.window.count())] == [None, *hall_windows]
    assert bar.window.itemText(0) == "全部窗口" and bar.clerk.itemText(0) == "全部工作人员"
    assert bar.clerk.itemText(bar.clerk.findData("c2")) == "李二（c2）"

    choose(bar.site, None)
    assert not bar.window.isEnabled() and bar.window.count() == 1
    assert "先选择一个站点" in bar.window.toolTip()
    choose(bar.site, SITE)
    assert bar.window.isEnabled() and bar.window.count() == len(hall_windows) + 1

    everything = StatsFilter(MONDAY, TUESDAY, site=SITE)
    unfiltered = expected_cards(compute_statistics(db, everything))
    for field, combo, value in (("windows", bar.window, 1), ("clerks", bar.clerk, "c2")):
        choose(combo, value)
        wanted = dataclasses.replace(everything, **{field: (value,)})
        shown = run_query(qtbot, window, wanted)
        expected = compute_statistics(db, wanted)
        assert (shown.total, shown.breakdowns) == (expected.total, expected.breakdowns)
        assert shown_cards(window) == expected_cards(expected)
        assert shown_cards(window) != unfiltered, f"the {field} filter changed nothing"
        if field == "windows":
            screenshot(window, "supervisor-stats-window")
        choose(combo, None)
    run_query(qtbot, window, everything)
    assert shown_cards(window) == unfiltered


def test_choosing_every_site_drops_the_window_filter(
        db: Database, qtbot: QtBot, open_window: Callable[..., SupervisorWindow]) -> None:
    """A window chosen at one site is forgotten when the site changes: window numbers
    mean another window at another site."""
    window = open_window(db)
    wait_idle(qtbot, window)
    bar = window.stats.filters
    choose(bar.window, 2)
    choose(bar.site, None)
    assert bar.current_filter().windows == ()
    choose(bar.site, SITE)
    assert bar.window.currentData() is None and bar.current_filter().windows == ()


def test_report_words_without_a_translator_are_the_domain_chinese() -> None:
    """The supervisor's report words equal hallq-admin report's Chinese when no
    translation is loaded, so the two lists cannot drift apart."""
    assert report_text() == CHINESE


def _strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [v for item in value.values() for v in _strings(item)]
    if isinstance(value, tuple):
        return [v for item in value for v in _strings(item)]
    return []


def test_english_mode_shows_and_exports_the_reports_in_english(
        db: Database, qtbot: QtBot, tmp_path: Path, english: None,
        open_window: Callable[..., SupervisorWindow], screenshot: Callable[..., Path]) -> None:
    """With the English translation loaded, the statistics tables and every export speak
    English; only names from the catalog (services, windows, clerks) stay Chinese."""
    text = report_text()
    untranslated = [w for f in dataclasses.fields(text) for w in _strings(getattr(text, f.name))
                    if CJK.search(w)]
    assert untranslated == []
    window = statistics_tab(db, qtbot, open_window)
    window.stats.filters.set_range(MONDAY, TUESDAY)
    assert window.stats.filters.window.itemText(0) == "All windows"
    run_query(qtbot, window, StatsFilter(MONDAY, TUESDAY, site=SITE))
    tabs = window.stats.tabs
    titles = [tabs.tabText(i) for i in range(tabs.count())]
    assert titles[1:] == ["By service", "By department", "By window", "By clerk",
                          "By hour (of issue)", "By weekday", "Outcomes (Service)",
                          "Outcomes (Department)"]
    weekdays = tabs.widget(titles.index("By weekday"))
    assert weekdays.horizontalHeaderItem(0).text() == "Weekday"
    assert weekdays.horizontalHeaderItem(7).text() == "Mean wait"
    assert {weekdays.item(r, 0).text() for r in range(weekdays.rowCount())} == {"Mon", "Tue"}
    tabs.setCurrentIndex(titles.index("By service"))
    screenshot(window, "supervisor-stats-en")
    tabs.setCurrentIndex(0)

    for fmt in ("pdf", "xlsx", "csv"):
        window.export(fmt, tmp_path / f"report.{fmt}")
    wait_idle(qtbot, window)
    with (tmp_path / "report.csv").open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == ["HallQueue statistics report"]
    assert ["Date range", "2026-03-02 to 2026-03-03"] in rows
    assert ["Ticket kind", "All"] in rows
    start = rows.index(["# By service"])
    assert rows[start + 1][:4] == ["Service", "Issued", "Transferred in", "Served"]
    sections = [i for i, row in enumerate(rows) if row and row[0].startswith("# ")]
    assert len(sections) == 13
    for i in sections:  # titles and column heads: no Chinese left
        assert not CJK.search(rows[i][0] + "".join(rows[i + 1])), rows[i:i + 2]
    outcomes = rows.index(["# Outcomes (Service)"])
    assert rows[outcomes + 1][2:6] == ["Completed", "Accepted", "Materials missing",
                                       "Consultation"]
    book = load_workbook(tmp_path / "report.xlsx")
    assert book.sheetnames[0] == "About this report"
    assert "By service" in book.sheetnames and "Wait and service (minutes)" in book.sheetnames
    if shutil.which("pdftotext"):
        pdf = subprocess.run(["pdftotext", str(tmp_path / "report.pdf"), "-"], check=True,
                             capture_output=True, text=True).stdout
        for expected in ("Queue statistics report", "2026-03-02 to 2026-03-03", "By service",
                         "Mean wait", "Tickets issued per hour", "Very satisfied", "Page 1",
                         "One-visit share"):
            assert expected in pdf, expected
        assert "排队叫号统计报表" not in pdf and "按业务" not in pdf


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
        db: Database, qtbot: QtBot, english: None, open_window: Callable[..., SupervisorWindow],
        screenshot: Callable[..., Path]) -> None:
    """--lang en shows the supervisor view in English from supervisor_en.qm."""
    ts = resource_path("translations", "supervisor_en.ts").read_text(encoding="utf-8")
    assert 'type="unfinished"' not in ts
    busy_hall(db)
    window = open_window(db)
    qtbot.waitUntil(lambda: window.live.view is not None, timeout=30_000)
    assert window.tabs.tabText(0) == "Live"
    assert "more than 20" in window.live.alerts.text()
    screenshot(window, "supervisor-live-en")

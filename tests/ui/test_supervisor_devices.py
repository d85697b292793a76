"""The supervisor's 设备 tab and the live view's device alerts, driven by clicks over
heartbeats written through shared.heartbeats.record (one aged to be silent)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from counter_app.supervisor import devices_panel
from counter_app.supervisor.live_panel import ALERT_FILL
from counter_app.supervisor.window import DEVICES_REFRESH_MS, SupervisorWindow
from shared import heartbeats
from shared.db import Database
from shared.heartbeats import Heartbeat
from tests.integration.test_heartbeats import _age
from tests.ui.screen_audit import audit
from tests.ui.supervisor_support import SITE, click_tab, table_texts

pytest_plugins = ["tests.ui.supervisor_support"]
pytestmark = pytest.mark.usefixtures("own_settings")


def hall_terminals(db: Database) -> None:
    """Five terminals at the hall, three needing a look, and one at another site."""
    heartbeats.record(db, Heartbeat("kiosk", "1号取号机", site=SITE, printer="paper_out",
                                    audio="ok", first=True,
                                    last_error="shared.ticket_print: ticket A001 (id 1): "
                                               "cannot mark for reprint: timed out"))
    heartbeats.record(db, Heartbeat("kiosk", "2号取号机", site=SITE, printer="ready",
                                    audio="ok", first=True))
    heartbeats.record(db, Heartbeat("display", "大厅屏", site=SITE, audio="none", first=True))
    heartbeats.record(db, Heartbeat("counter", "PC-3/3号窗口", site=SITE, first=True))
    heartbeats.record(db, Heartbeat("supervisor", "审管办-PC", site=SITE, first=True))
    heartbeats.record(db, Heartbeat("kiosk", "镇上取号机", site="town", printer="paper_out"))
    _age(db, "2号取号机", 125)


def layout_problems(window: SupervisorWindow) -> list[str]:
    """The screen audit's problems but text size: the supervisor is an office screen read
    at a desk, not a citizen-facing one (the 适老化 sizes are for those)."""
    return [str(p) for p in audit(window, touch=False) if p.kind != "size"]


def rows_by_name(window: SupervisorWindow) -> dict[str, dict[str, str]]:
    return {row["名称"]: row for row in table_texts(window.devices.table)}


def row_filled(window: SupervisorWindow, row: int) -> bool:
    table = window.devices.table
    return all(table.item(row, c).background().color() == ALERT_FILL
               for c in range(table.columnCount()))


def test_devices_tab_and_live_alerts_show_terminals_that_need_a_look(
        db: Database, qtbot: QtBot,
        open_window: Callable[..., SupervisorWindow],
        screenshot: Callable[..., Path]) -> None:
    hall_terminals(db)
    window = open_window(db)
    qtbot.waitUntil(lambda: window.live.view is not None, timeout=30_000)

    # the live view: one line per terminal with alerts, none for the healthy ones
    live = window.live.device_alerts
    assert live.isVisibleTo(window)
    lines = live.text().splitlines()
    assert sorted(lines) == sorted([
        "● 设备 取号机 1号取号机：打印机：缺纸",
        "● 设备 取号机 2号取号机：已失联 2 分钟",
        "● 设备 叫号屏 大厅屏：没有声音输出，无法语音叫号"])
    assert layout_problems(window) == []
    screenshot(window, "supervisor-live-device-alerts")

    # the tab, opened by a click, reads the terminals then
    assert window.devices.table.rowCount() == 0
    click_tab(qtbot, window.tabs, window.devices)
    qtbot.waitUntil(lambda: window.devices.table.rowCount() == 5, timeout=30_000)
    rows = rows_by_name(window)
    assert "镇上取号机" not in rows  # another site's
    paper = rows["1号取号机"]
    assert (paper["类型"], paper["站点"], paper["打印机"], paper["声音"]) == \
        ("取号机", "hall", "缺纸", "有声音")
    assert paper["提醒"] == "打印机：缺纸"
    # which part failed, in Chinese; the program's English detail is for IT (the log, --json)
    assert paper["最近错误"] == "打印出错"
    table = window.devices.table
    (row,) = [r for r in range(table.rowCount()) if table.item(r, 1).text() == "1号取号机"]
    error_cell = table.item(row, devices_panel.DevicesPanel.COLUMNS.index("error"))
    assert "cannot" not in error_cell.toolTip() and "日志" in error_cell.toolTip()
    assert paper["版本"] == heartbeats.app_version() and paper["主机"]
    assert paper["最后心跳"].endswith(" 秒前")
    silent = rows["2号取号机"]
    assert silent["最后心跳"] == "2 分钟前" and silent["提醒"] == "已失联 2 分钟"
    assert silent["打印机"] == "正常"
    mute = rows["大厅屏"]
    assert (mute["类型"], mute["声音"], mute["打印机"]) == ("叫号屏", "无声音", "—")
    assert mute["提醒"] == "没有声音输出，无法语音叫号"
    assert rows["PC-3/3号窗口"]["类型"] == "窗口" and rows["PC-3/3号窗口"]["提醒"] == "正常"
    assert rows["审管办-PC"]["类型"] == "审管办"
    # alert rows first and highlighted, the others not
    names = [window.devices.table.item(r, 1).text() for r in range(5)]
    assert set(names[:3]) == {"1号取号机", "2号取号机", "大厅屏"}
    assert [row_filled(window, r) for r in range(5)] == [True, True, True, False, False]
    assert window.devices.summary.text() == "共 5 台终端，3 台需要处理"
    assert layout_problems(window) == []  # nothing cut off, overlapping or unreadable
    screenshot(window, "supervisor-devices")

    # the tab refreshes by time while shown (heartbeats are outside the change feed)
    assert window._devices_timer.isActive()
    assert window._devices_timer.interval() == DEVICES_REFRESH_MS == 15_000
    heartbeats.record(db, Heartbeat("kiosk", "1号取号机", site=SITE, printer="ready",
                                    audio="ok"))
    qtbot.waitUntil(lambda: rows_by_name(window)["1号取号机"]["提醒"] == "正常",
                    timeout=30_000)
    assert window.devices.summary.text() == "共 5 台终端，2 台需要处理"

    # the 刷新 button reads again at once
    heartbeats.record(db, Heartbeat("kiosk", "2号取号机", site=SITE, printer="cover_open",
                                    audio="ok"))
    qtbot.mouseClick(window.devices.refresh_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: rows_by_name(window)["2号取号机"]["提醒"] == "打印机：机盖打开",
                    timeout=10_000)

    # leaving the tab stops its timer; the live view follows on its next refresh
    click_tab(qtbot, window.tabs, window.tabs.widget(0))
    assert not window._devices_timer.isActive()
    window.refresh_live()
    qtbot.waitUntil(lambda: sorted(live.text().splitlines()) == sorted([
        "● 设备 取号机 2号取号机：打印机：机盖打开",
        "● 设备 叫号屏 大厅屏：没有声音输出，无法语音叫号"]), timeout=30_000)


def test_a_hall_where_every_terminal_is_fine_shows_no_device_line(
        db: Database, qtbot: QtBot,
        open_window: Callable[..., SupervisorWindow]) -> None:
    heartbeats.record(db, Heartbeat("kiosk", "1号取号机", site=SITE, printer="ready",
                                    audio="ok"))
    heartbeats.record(db, Heartbeat("display", "PC-3/3号窗口屏", site=SITE, audio="none"))
    window = open_window(db)
    qtbot.waitUntil(lambda: window.live.view is not None, timeout=30_000)
    assert not window.live.device_alerts.isVisibleTo(window)
    click_tab(qtbot, window.tabs, window.devices)
    qtbot.waitUntil(lambda: window.devices.table.rowCount() == 2, timeout=30_000)
    assert not any(row_filled(window, r) for r in range(2))
    assert {row["提醒"] for row in table_texts(window.devices.table)} == {"正常"}


def test_the_tabs_words_without_a_translator_are_the_domains_chinese() -> None:
    """The tab says what `hallq-admin terminal list` says (shared.heartbeats)."""
    for state, text in heartbeats.PRINTER_TEXT.items():
        assert devices_panel.printer_label(state) == text
    now = dt.datetime.now(dt.UTC)
    terminal = heartbeats.TerminalStatus(
        kind="kiosk", name="K", site=SITE, host="pc", version="0.0.9", schema_revision="0004",
        printer="unreachable", audio="none", last_error=None, started_at=now, seen_at=now,
        silent_seconds=185, alerts=("silent", "printer", "sound", "version"))
    for alert in terminal.alerts:
        assert devices_panel.alert_text(terminal, alert) == \
            heartbeats.describe_alert(terminal, alert)
    assert devices_panel.seen_text(12) == "12 秒前"
    assert devices_panel.seen_text(7300) == "2 小时前"
    fresh = dataclasses.replace(terminal, silent_seconds=5)
    assert devices_panel.alert_text(fresh, "silent") == "已失联 1 分钟"


def test_devices_tab_in_english(db: Database, qtbot: QtBot, english: None,
                                open_window: Callable[..., SupervisorWindow],
                                screenshot: Callable[..., Path]) -> None:
    hall_terminals(db)
    window = open_window(db)
    qtbot.waitUntil(lambda: window.live.view is not None, timeout=30_000)
    assert "Kiosk 1号取号机: printer: out of paper" in window.live.device_alerts.text()
    click_tab(qtbot, window.tabs, window.devices)
    assert window.tabs.tabText(window.tabs.indexOf(window.devices)) == "Devices"
    qtbot.waitUntil(lambda: window.devices.table.rowCount() == 5, timeout=30_000)
    table = window.devices.table
    heads = [table.horizontalHeaderItem(c).text() for c in range(table.columnCount())]
    rows = {row["Name"]: row for row in table_texts(table)}
    assert heads[0] == "Kind" and rows["大厅屏"]["Kind"] == "Hall display"
    assert rows["大厅屏"]["Alerts"] == "no sound output: cannot speak the calls"
    assert rows["2号取号机"]["Last seen"] == "2 min ago"
    assert rows["2号取号机"]["Alerts"] == "silent for 2 min"
    assert layout_problems(window) == []
    screenshot(window, "supervisor-devices-en")

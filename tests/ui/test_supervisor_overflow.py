"""The supervisor's live overflow line (潮汐窗口) offscreen: a long SD queue gets the
suggestion with the windows that could help, a larger margin clears it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from counter_app.supervisor.main import open_supervisor
from counter_app.supervisor.window import SupervisorWindow
from shared import issuing, queue
from shared.catalog import load_catalog
from shared.clerks import ClerkView
from shared.db import Database
from tests.integration.conftest import (
    TEST_CATALOG_TEXT,
    noon_zone,
    with_timezone,
    write_catalog,
)

BOSS = ClerkView("boss", "王主任", "supervisor", True)


@pytest.fixture
def window(db: Database, qtbot: QtBot, tmp_path: Path) -> Iterator[SupervisorWindow]:
    # The hall in a zone where it is about noon, far from its closing time.
    load_catalog(db, write_catalog(tmp_path, with_timezone(TEST_CATALOG_TEXT, noon_zone())))
    noon_db = db
    for _ in range(5):
        issuing.issue_ticket(noon_db, "SD", site="hall")
    assert queue.call_next(noon_db, 4, site="hall").ticket is not None
    opened = open_supervisor(noon_db, "hall", BOSS)
    qtbot.addWidget(opened)
    opened.resize(1400, 760)
    yield opened
    opened.close()


def test_overflow_line_suggests_a_window_and_follows_the_margin(
        window: SupervisorWindow, qtbot: QtBot, screenshot: Callable[..., Path]) -> None:
    bar = window.overflow
    bar.margin.setValue(10)
    qtbot.waitUntil(lambda: bool(bar.items), timeout=30_000)
    assert bar.items[0].service == "SD" and bar.items[0].predicted_minutes == 30
    assert bar.text.text().startswith("潮汐窗口建议：丁业务预计等候 30 分钟（目标 15 分钟，4 人等候）")
    assert "可由 1、3、2 号窗口协助" in bar.text.text()  # idle, several services first
    screenshot(window, "supervisor-live-overflow")
    bar.margin.selectAll()
    qtbot.keyClicks(bar.margin, "20")
    qtbot.keyClick(bar.margin, Qt.Key.Key_Enter)
    qtbot.waitUntil(lambda: not bar.items, timeout=30_000)
    assert bar.text.text() == "潮汐窗口：目前无需增开"


@pytest.mark.all_backends
def test_recorded_suggestions_are_listed_in_a_dialog(
        window: SupervisorWindow, qtbot: QtBot, screenshot: Callable[..., Path]) -> None:
    bar = window.overflow
    bar.margin.setValue(10)
    qtbot.waitUntil(lambda: bool(bar.items), timeout=30_000)
    # The live view recorded it (once: later refreshes within 30 minutes do not).
    qtbot.mouseClick(bar.log, Qt.MouseButton.LeftButton)
    dialog = window.overflow_log
    assert dialog is not None
    qtbot.waitUntil(lambda: dialog.isVisible() and bool(dialog.items), timeout=30_000)
    assert [(i.service, i.waiting, i.predicted_minutes, i.target_minutes)
            for i in dialog.items] == [("SD", 4, 30, 15)]
    table = dialog.table
    assert table.rowCount() == 1
    assert [table.item(0, c).text() for c in range(1, 6)] == [
        "丁业务", "4", "30", "15", "、".join(str(n) for n in bar.items[0].windows)]
    assert dialog.summary.text() == "近 30 天共 1 条潮汐窗口建议（最新的在前）"
    screenshot(dialog, "supervisor-overflow-log")
    dialog.close()

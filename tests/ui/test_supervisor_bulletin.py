"""The supervisor's monthly bulletin (月度通报) buttons: a click and the save dialog write
the same file as ``hallq-admin report monthly``; the PDF's first page is rendered to a
picture (docs/screenshots/monthly-bulletin.png when regenerated on purpose)."""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import QDate, Qt
from pytestqt.qtbot import QtBot

from counter_app.supervisor.window import SupervisorWindow
from shared.db import Database
from tests.integration.stats_history import add_cases, add_clerks
from tests.integration.test_monthly import two_months
from tests.ui.supervisor_support import answer_save_dialog, wait_idle

pytest_plugins = ["tests.ui.supervisor_support"]
pytestmark = pytest.mark.usefixtures("bundled_font", "own_settings")


def bulletin_tab(db: Database, qtbot: QtBot,
                 open_window: Callable[..., SupervisorWindow]
                 ) -> SupervisorWindow:
    add_clerks(db)
    add_cases(db, two_months())
    window = open_window(db)
    window.tabs.setCurrentWidget(window.stats)
    wait_idle(qtbot, window)
    window.stats.month.setDate(QDate(2026, 3, 1))
    return window


def click_and_save(qtbot: QtBot, window: SupervisorWindow, fmt: str, target: Path) -> None:
    answer_save_dialog(qtbot, target)
    qtbot.mouseClick(window.stats.monthly_buttons[fmt], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: target.exists() and target.stat().st_size > 0, timeout=30_000)
    wait_idle(qtbot, window)


def test_monthly_bulletin_button_writes_the_ranking_and_the_talk(
        db: Database, qtbot: QtBot, tmp_path: Path, screenshot_dir: Path,
        open_window: Callable[..., SupervisorWindow],
        screenshot: Callable[..., Path]) -> None:
    """March 2026 at the hall: window 2 last two months in a row, 约谈, in the XLSX and in
    the PDF, whose first page is drawn and saved as a picture."""
    window = bulletin_tab(db, qtbot, open_window)
    assert window.stats.bulletin_month().isoformat() == "2026-03-01"
    screenshot(window, "supervisor-bulletin")
    xlsx = tmp_path / "bulletin.xlsx"
    click_and_save(qtbot, window, "xlsx", xlsx)
    ranking = [[c.value for c in row] for row in load_workbook(xlsx)["窗口排名"].iter_rows()]
    assert [(r[0], r[1], r[-1]) for r in ranking[1:]] == [
        (1, "1号 综合窗口", None), (2, "4号 丁业务", None), (3, "3号 乙丙业务", None),
        (4, "2号 甲业务", "约谈")]
    pdf = tmp_path / "bulletin.pdf"
    click_and_save(qtbot, window, "pdf", pdf)
    assert "已导出" in window.statusBar().currentMessage()
    text = subprocess.run(["pdftotext", "-layout", "-f", "1", "-l", "1", str(pdf), "-"],
                          check=True, capture_output=True, text=True).stdout
    assert "政务服务月度通报（2026年3月）" in text and "约谈窗口" in text
    assert "2号 甲业务" in text
    subprocess.run(["pdftoppm", "-png", "-r", "80", "-f", "1", "-l", "1", "-singlefile",
                    str(pdf), str(screenshot_dir / "monthly-bulletin")], check=True)
    assert (screenshot_dir / "monthly-bulletin.png").stat().st_size > 10_000


def test_monthly_bulletin_buttons_speak_the_ui_language(
        db: Database, qtbot: QtBot, english: None,
        open_window: Callable[..., SupervisorWindow]) -> None:
    """In English the buttons are English (the bulletin itself is a Chinese document)."""
    window = open_window(db)
    wait_idle(qtbot, window)
    labels = [b.text() for b in window.stats.monthly_buttons.values()]
    assert labels == ["Monthly bulletin (PDF)", "Monthly bulletin (Excel)"]

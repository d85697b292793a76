"""Helpers for the supervisor's tests (no tests here; the test modules load it with
``pytest_plugins`` and ask for ``own_settings`` with ``pytestmark``): the window opened as a
supervisor of the test site, its settings kept in a temporary folder, and the clicks the
tests share (a tab, the save dialog) and a table read back as text.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import shiboken6
from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtWidgets import (
    QApplication,
    QDialogButtonBox,
    QFileDialog,
    QLineEdit,
    QTableWidget,
    QTabWidget,
    QWidget,
)
from pytestqt.qtbot import QtBot

from counter_app.supervisor.main import open_supervisor
from counter_app.supervisor.window import SupervisorWindow
from shared.clerks import ClerkView
from shared.db import Database

SITE = "hall"
BOSS = ClerkView("boss", "王主任", "supervisor", True)


@pytest.fixture
def own_settings(tmp_path: Path) -> Iterator[None]:
    """The window remembers its thresholds with QSettings: in a temporary folder here,
    never in the real user's settings. Not autouse: a plugin's autouse fixture would
    reach every test of the session."""
    QSettings.setPath(QSettings.Format.NativeFormat, QSettings.Scope.UserScope,
                      str(tmp_path / "settings"))
    yield
    QSettings.setPath(QSettings.Format.NativeFormat, QSettings.Scope.UserScope,
                      os.environ.get("XDG_CONFIG_HOME", str(Path.home() / ".config")))


@pytest.fixture
def open_window(qtbot: QtBot, own_settings: None
                ) -> Iterator[Callable[[Database], SupervisorWindow]]:
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


def answer_save_dialog(qtbot: QtBot, path: Path) -> None:
    """When the save dialog opens, put ``path`` in the file name field and click Save.
    (Typed key by key, the field's completer races the keys with its suggestions.)"""

    deadline = time.monotonic() + 30

    def answer() -> None:
        dialogs = [w for w in QApplication.topLevelWidgets()
                   if isinstance(w, QFileDialog) and w.isVisible()]
        if not dialogs:
            if time.monotonic() < deadline:  # not open yet; the test fails if it never opens
                QTimer.singleShot(50, answer)
            return
        dialog = dialogs[0]
        name = dialog.findChild(QLineEdit, "fileNameEdit")
        buttons = dialog.findChild(QDialogButtonBox, "buttonBox")
        assert name is not None and buttons is not None, "not the save dialog expected"
        name.setText(str(path))  # pasted: typing races the completer's suggestions
        save = buttons.button(QDialogButtonBox.StandardButton.Save) or \
            buttons.button(QDialogButtonBox.StandardButton.Open)
        assert save is not None
        qtbot.mouseClick(save, Qt.MouseButton.LeftButton)
        QTimer.singleShot(500, lambda: shiboken6.isValid(dialog) and dialog.isVisible()
                          and answer())  # the click was lost: again

    QTimer.singleShot(50, answer)


def click_tab(qtbot: QtBot, tabs: QTabWidget, page: QWidget) -> None:
    """Click a tab's title, as the supervisor does."""
    bar = tabs.tabBar()
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton,
                     pos=bar.tabRect(tabs.indexOf(page)).center())
    assert tabs.currentWidget() is page


def table_texts(table: QTableWidget) -> list[dict[str, str]]:
    heads = [table.horizontalHeaderItem(c).text() for c in range(table.columnCount())]
    return [{heads[c]: table.item(r, c).text() for c in range(table.columnCount())}
            for r in range(table.rowCount())]

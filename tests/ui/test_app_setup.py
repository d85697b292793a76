"""The shared Qt start-up (shared/qt/app.py, shared/qt/startup_errors.py): Qt's own
dialogs in Chinese, and errors before the first window shown in a dialog as well as on
stderr (a kiosk or counter started from a desktop shortcut has no visible stderr)."""

from __future__ import annotations

import gc
import sys
import threading
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QMessageBox

from counter_app import main as counter_main
from shared.qt import app as qt_app
from shared.qt import startup_errors
from shared.qt.startup_errors import show_startup_error


def answer_next_message_box(seen: list[tuple[str, str]]) -> None:
    """Like a person: read the modal box that comes up, then press OK (Enter)."""

    def press_ok() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(20, press_ok)
            return
        seen.append((box.windowTitle(), box.text()))
        box.button(QMessageBox.StandardButton.Ok).click()

    QTimer.singleShot(20, press_ok)


def test_qt_own_texts_are_chinese_in_the_chinese_ui(qapp: QApplication) -> None:
    """With the Chinese UI, Qt's standard buttons (and file/print dialogs) speak Chinese."""
    translators = qt_app.install_translation(qapp, "zh_CN")
    try:
        assert translators, "qtbase_zh_CN.qm was not loaded"
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        texts = {buttons.button(QDialogButtonBox.StandardButton.Ok).text(),
                 buttons.button(QDialogButtonBox.StandardButton.Cancel).text()}
        assert texts == {"确定", "取消"}, texts
    finally:
        for translator in translators:
            qapp.removeTranslator(translator)


def test_startup_error_goes_to_stderr_and_a_dialog(qapp: QApplication,
                                                   monkeypatch: pytest.MonkeyPatch,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    """On a real screen the error waits in a modal box until OK; it is on stderr too."""
    monkeypatch.setattr(startup_errors, "HEADLESS_PLATFORMS", frozenset())
    seen: list[tuple[str, str]] = []
    answer_next_message_box(seen)
    show_startup_error("hallq-kiosk: 配置有误", "kiosk.print_mode 只能是 raster 或 text")
    assert seen == [("hallq-kiosk: 配置有误", "kiosk.print_mode 只能是 raster 或 text")]
    assert "hallq-kiosk: 配置有误: kiosk.print_mode" in capsys.readouterr().err


def test_startup_error_without_a_screen_only_prints(qapp: QApplication,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    """Headless (offscreen, as here) nothing would ever close a modal box: stderr only."""
    show_startup_error("hallq-counter: 启动参数有误", "窗口号须为正整数")
    assert "窗口号须为正整数" in capsys.readouterr().err
    assert QApplication.activeModalWidget() is None


def test_counter_config_error_is_shown_in_a_dialog(qapp: QApplication, tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    """hallq-counter with a wrong config file: the error in a dialog, then exit code 2."""
    monkeypatch.setattr(startup_errors, "HEADLESS_PLATFORMS", frozenset())
    monkeypatch.setattr(qt_app, "setup_logging", lambda *_args, **_kw: tmp_path / "log")
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # start_app installs its own
    monkeypatch.setattr(threading, "excepthook", threading.excepthook)
    config = tmp_path / "hallqueue.toml"
    config.write_text('[counter]\nprint_mode = "colour"\n', encoding="utf-8")
    seen: list[tuple[str, str]] = []
    answer_next_message_box(seen)
    with pytest.raises(SystemExit) as exit_info:
        counter_main.main(["--config", str(config)])
    assert exit_info.value.code == 2
    assert len(seen) == 1 and seen[0][0].startswith("hallq-counter: 配置有误")
    assert "print_mode" in seen[0][1]
    assert "print_mode" in capsys.readouterr().err


def test_the_event_loop_runs_with_start_up_frozen_out_of_the_collector(
        qapp: QApplication) -> None:
    """What start-up built lives as long as the app: the loop runs with it frozen, so the
    collector's full passes do not walk it again in the middle of a clerk's call."""
    assert gc.get_freeze_count() == 0
    QTimer.singleShot(0, lambda: qapp.exit(3))
    try:
        assert qt_app.run_event_loop(qapp) == 3
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()

"""A GUI app started with a broken config says so in a dialog (a kiosk started from a
desktop shortcut has no terminal to read stderr in), prints it to stderr too, and exits
with the config error's code."""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMessageBox

from counter_app.main import main as counter_main
from counter_app.supervisor.main import main as supervisor_main
from kiosk_app.display.main import main as display_main
from kiosk_app.main import main as kiosk_main
from shared.errors import ConfigError
from shared.qt import startup_errors

APPS: dict[str, Callable[[list[str]], int]] = {
    "hallq-kiosk": kiosk_main, "hallq-display": display_main,
    "hallq-supervisor": supervisor_main, "hallq-counter": counter_main,
}


@pytest.fixture
def isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, qapp: QApplication) -> Iterator[None]:
    """Logs, config and data in tmp; the app name and excepthooks restored afterwards."""
    for variable in ("XDG_STATE_HOME", "XDG_CONFIG_HOME", "XDG_DATA_HOME"):
        monkeypatch.setenv(variable, str(tmp_path / variable.lower()))
    monkeypatch.delenv("HALLQ_CONFIG", raising=False)
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    monkeypatch.setattr(threading, "excepthook", threading.excepthook)
    # The offscreen platform counts as headless (nobody could close a box there); here a
    # test closes it, as the person at the screen would.
    monkeypatch.setattr(startup_errors, "HEADLESS_PLATFORMS", frozenset())
    name = qapp.applicationName()
    yield
    qapp.setApplicationName(name)


def close_the_next_dialog(seen: list[tuple[str, str, bool]]) -> None:
    """Like a person: when the message box comes up, read it and press OK."""

    def close() -> None:
        boxes = [w for w in QApplication.topLevelWidgets()
                 if isinstance(w, QMessageBox) and w.isVisible()]
        if not boxes:
            QTimer.singleShot(50, close)
            return
        box = boxes[0]
        seen.append((box.windowTitle(), box.text(), box.isModal()))
        QTest.mouseClick(box.button(QMessageBox.StandardButton.Ok), Qt.MouseButton.LeftButton)

    QTimer.singleShot(50, close)


@pytest.mark.parametrize("app_name", sorted(APPS))
def test_a_broken_config_is_shown_in_a_dialog(app_name: str, tmp_path: Path, isolated: None,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    """The dialog speaks the UI's language only (Chinese by default); stderr and the log
    carry the whole "中文 (English)" message for IT."""
    config = tmp_path / "hallqueue.toml"
    config.write_text('poll_interval_ms = 5\n[kiosk]\nprinter = "tcp://10.0.0.9:9100"\n',
                      encoding="utf-8")
    seen: list[tuple[str, str, bool]] = []
    close_the_next_dialog(seen)
    with pytest.raises(SystemExit) as exited:
        APPS[app_name](["--config", str(config), "--windowed"])
    assert exited.value.code == ConfigError.exit_code != 0
    assert len(seen) == 1, "no dialog was shown"
    title, text, modal = seen[0]
    assert app_name in title and "配置有误" in title and modal
    assert f"{config}: poll_interval_ms: 须在 20 到 10000 之间" == text
    err = capsys.readouterr().err
    assert "须在 20 到 10000 之间" in err and "poll_interval_ms: must be between 20 and 10000" in err


def test_a_broken_config_is_shown_in_english_with_lang_en(
        tmp_path: Path, isolated: None, qapp: QApplication) -> None:
    """--lang en: the start-up dialog is English through and through."""
    from shared.qt.app import use_language

    config = tmp_path / "hallqueue.toml"
    config.write_text("poll_interval_ms = 5\n", encoding="utf-8")
    seen: list[tuple[str, str, bool]] = []
    close_the_next_dialog(seen)
    try:
        with pytest.raises(SystemExit):
            APPS["hallq-kiosk"](["--config", str(config), "--windowed", "--lang", "en"])
    finally:
        use_language(qapp, "zh_CN")
    assert seen == [("hallq-kiosk: configuration error",
                     f"{config}: poll_interval_ms: must be between 20 and 10000", True)]

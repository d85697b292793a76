"""Support for the kiosk UI tests (no tests here): a real kiosk window on a test
database, tapped like a citizen would."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QPushButton, QWidget
from pytestqt.qtbot import QtBot

from kiosk_app.main import build_kiosk
from kiosk_app.presenter import KioskPresenter, Screen
from kiosk_app.window import KioskWindow
from shared.config import Config
from shared.pins import hash_pin
from shared.qt.app import install_translation
from shared.qt.ops import OperationRunner

PORTRAIT = (1080, 1920)
LANDSCAPE = (1920, 1080)


class Kiosk:
    """A running kiosk window with its presenter and runner."""

    def __init__(self, qtbot: QtBot, window: KioskWindow, presenter: KioskPresenter,
                 runner: OperationRunner) -> None:
        self.qtbot = qtbot
        self.window = window
        self.presenter = presenter
        self.runner = runner

    def wait_screen(self, screen: Screen, timeout: int = 10_000) -> None:
        self.qtbot.waitUntil(lambda: self.presenter.screen is screen and self.runner.idle,
                             timeout=timeout)

    def wait_idle(self) -> None:
        self.qtbot.waitUntil(lambda: self.runner.idle, timeout=10_000)

    def tap(self, button: QWidget) -> None:
        assert button.isVisible(), f"{button.objectName() or button} is not visible"
        self.qtbot.mouseClick(button, Qt.MouseButton.LeftButton)

    def card(self, prop: str, value: Any) -> QPushButton:
        """The visible button of the current screen whose property ``prop`` is ``value``
        (new cards are shown by Qt on the next turn of the event loop)."""
        found: list[QPushButton] = []

        def visible() -> bool:
            screen = self.window.stack.currentWidget()
            found[:] = [b for b in screen.findChildren(QPushButton)
                        if b.property(prop) == value and b.isVisible()]
            return bool(found)

        self.qtbot.waitUntil(visible, timeout=5000)
        return found[0]

    def type_keys(self, digits: str, *, pin: bool = False) -> None:
        screen = self.window.pin_screen if pin else self.window.check_in_screen
        for digit in digits:
            self.tap(screen.keypad.buttons[digit])
        self.tap(screen.ok_button)

    def resize(self, size: tuple[int, int]) -> None:
        self.window.resize(*size)
        self.qtbot.waitUntil(lambda: self.window.size().toTuple() == size, timeout=2000)
        self.qtbot.wait(100)  # let the scroll areas settle before a screenshot


def kiosk_config(url: str, *, printer: str = "", mode: str = "text", **kiosk: Any) -> Config:
    config = Config(database_url=url, site="hall", poll_interval_ms=50)
    config.kiosk.printer = printer
    config.kiosk.print_mode = mode
    config.kiosk.fullscreen = False
    # The PINs the tests type (a hall sets its own with `hallq-admin pin hash`).
    config.kiosk.staff_pin_hash = hash_pin("2468")
    config.kiosk.admin_pin_hash = hash_pin("13579")
    for key, value in kiosk.items():
        setattr(config.kiosk, key, value)
    return config


@contextmanager
def running_kiosk(qtbot: QtBot, config: Config, size: tuple[int, int] = PORTRAIT, *,
                  language: str = "zh_CN") -> Iterator[Kiosk]:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    # As start_app does (Chinese dates on the clock); translators go again at the end.
    translators = install_translation(app, language)
    window, presenter, runner = build_kiosk(config)
    qtbot.addWidget(window)
    window.resize(*size)
    window.show()
    kiosk = Kiosk(qtbot, window, presenter, runner)
    presenter.start()
    try:
        kiosk.wait_screen(Screen.START)
        yield kiosk
    finally:
        window.shutdown()
        runner.wait_done()
        kiosk.qtbot.waitUntil(lambda: runner.idle, timeout=10_000)
        if presenter.backend is not None:
            presenter.backend.db.dispose()
        for translator in translators:
            app.removeTranslator(translator)
        install_translation(app, "zh_CN")

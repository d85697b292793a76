"""The hall display on real screen sizes: screenshots, scaling, and choosing the screen."""

from __future__ import annotations

import random
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QLocale, QRectF
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from kiosk_app.display.announcer import Announcement, Reading
from kiosk_app.display.controller import DisplayController
from kiosk_app.display.panels import NAME_SHARE, best_grid, split_name, split_tile
from kiosk_app.display.screens import ScreenKeeper, find_screen
from kiosk_app.display.window import DisplayWindow
from shared import issuing, queue
from shared.db import Database
from shared.demo import prepare_demo_database
from shared.hall import hall_site
from shared.qt.fonts import install_app_font
from shared.qt.widgets.fitted_label import fitted_pixel_size

SITE = "chunan"
RESOLUTIONS = {"1080p": (1920, 1080), "4k": (3840, 2160)}
NOTICE = "欢迎来到淳安县行政服务中心，请按叫号顺序到窗口办理业务；过号的市民请到导服台重新取号。"


class InstantEngine:
    """Reports each reading ended at once."""

    def start(self, announcement: Announcement, reading: Reading, on_done: Callable[[], None]
              ) -> None:
        on_done()

    def stop(self) -> None:
        return None


def morning(db: Database) -> None:
    """A busy morning at the Chun'an center: many tickets, calls at several windows."""
    rng = random.Random(20)
    services = ["RE-REG", "RE-REG", "RE-QUERY", "SI", "SI", "MI", "EXIT", "ID", "TRAFFIC", "TAX",
                "BIZ-REG", "FUND", "CARD", "UNION-MED", "CONSULT"]
    for _ in range(48):
        issuing.issue_ticket(db, rng.choice(services), site=SITE)
    for window in (12, 6, 9, 1, 5, 2, 4):
        queue.call_next(db, window, site=SITE)


@pytest.fixture(scope="module")
def morning_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The morning's database, built once for the module (the queue operations are slow)."""
    path = tmp_path_factory.mktemp("chunan") / "chunan.db"
    db = prepare_demo_database(path)
    morning(db)
    db.dispose()
    return path


@pytest.fixture
def display(qtbot: QtBot, morning_file: Path, tmp_path: Path
            ) -> Iterator[tuple[DisplayWindow, str]]:
    """The display showing the morning, right after window 3 called its next number."""
    # Chinese dates, as start_app sets for the default language.
    QLocale.setDefault(QLocale(QLocale.Language.Chinese, QLocale.Country.China))
    shutil.copy(morning_file, tmp_path / "chunan.db")
    db = Database(f"sqlite:///{tmp_path / 'chunan.db'}")
    install_app_font()
    window = DisplayWindow(notice=NOTICE, highlight_seconds=8)
    qtbot.addWidget(window)
    controller = DisplayController(window, InstantEngine(), lambda: (db, hall_site(db, SITE)),
                                   poll_interval_ms=20, highlight_seconds=8)
    controller.start()
    qtbot.waitUntil(lambda: controller.presenter.loaded, timeout=5000)
    called = queue.call_next(db, 3, site=SITE).ticket
    assert called is not None
    qtbot.waitUntil(lambda: window.board.number() == called.number, timeout=5000)
    qtbot.waitUntil(lambda: controller.idle, timeout=5000)
    yield window, called.number
    controller.stop()
    db.dispose()
    QLocale.setDefault(QLocale.c())


@pytest.mark.parametrize("name", list(RESOLUTIONS))
def test_screenshot(display: tuple[DisplayWindow, str],
                    screenshot: Callable[[QWidget, str], Path], name: str) -> None:
    """The display at 1920×1080 and 3840×2160 shows the call, history, waiting and notice."""
    window, last = display
    window.resize(*RESOLUTIONS[name])
    window.show()
    QApplication.processEvents()
    assert window.board.number() == last and window.board.is_highlighted()
    assert "3" in window.board.caption()
    window.ticker.set_text(NOTICE)  # the notice starting its run, as at each restart
    assert len(window.history.calls()) == 6 and window.history.calls()[0].window == 4
    path = screenshot(window, f"display-{name}")
    assert path.stat().st_size > 0


def test_layout_scales_with_the_screen(display: tuple[DisplayWindow, str]) -> None:
    """On a 4K screen every part is twice as tall as on 1080p: sizes follow the screen, not pixels."""
    display, _ = display
    heights = {}
    for name, size in RESOLUTIONS.items():
        display.resize(*size)
        display.show()
        QApplication.processEvents()
        heights[name] = [w.height() for w in (display.board, display.history, display.waiting,
                                              display.ticker, display.site_label)]
    for small, large in zip(heights["1080p"], heights["4k"], strict=True):
        assert large == pytest.approx(2 * small, rel=0.03)


@pytest.mark.parametrize("name", list(RESOLUTIONS))
def test_every_service_name_fits_its_tile(display: tuple[DisplayWindow, str], name: str) -> None:
    """No service name of the real catalog is clipped: on one line or two, it fits its tile."""
    display, _ = display
    display.resize(*RESOLUTIONS[name])
    display.show()
    QApplication.processEvents()
    names = [q.name for q in display.waiting.queues()]
    body = QRectF(display.waiting.rect()).adjusted(0, display.waiting.height() * 0.25, 0, 0)
    columns, rows, size = best_grid(display.font(), names, body)
    assert columns * rows >= len(names)
    name_box = split_tile(QRectF(0, 0, body.width() / columns * 0.9, body.height() / rows * 0.9))[0]
    # Readable across a hall: names at least 2.5 % of the screen height.
    assert size >= RESOLUTIONS[name][1] * 0.025
    for service in names:
        one_line = fitted_pixel_size(QFont(display.font()), service, name_box, NAME_SHARE)
        two_lines = min(fitted_pixel_size(QFont(display.font()), part,
                                          QRectF(0, 0, name_box.width(), name_box.height() / 2), 0.95)
                        for part in split_name(service))
        assert max(one_line, two_lines) >= size * 0.5, service


@pytest.mark.parametrize(("name", "lines"), [
    ("“零土地”技改项目备案", ["“零土地”", "技改项目备案"]),
    ("职工医疗互助报销", ["职工医疗", "互助报销"]),
    ("交通违法·城管违章处理", ["交通违法·", "城管违章处理"]),
])
def test_long_names_break_at_a_natural_place(name: str, lines: list[str]) -> None:
    """A two-line service name breaks after a closing quote or separator near the middle."""
    assert split_name(name) == lines


class FakeScreen:
    def __init__(self, name: str) -> None:
        self._name = name

    def name(self) -> str:
        return self._name


@pytest.mark.parametrize(("wanted", "found"), [
    ("", None), ("0", "eDP-1"), ("1", "HDMI-1"), ("2", None), ("HDMI-1", "HDMI-1"),
    ("hdmi-1", "HDMI-1"), (" HDMI-1 ", "HDMI-1"), ("DP-3", None),
])
def test_screen_by_index_or_name(wanted: str, found: str | None) -> None:
    """display.screen is an index or a name; a screen that is not connected is not found."""
    screens = [FakeScreen("eDP-1"), FakeScreen("HDMI-1")]
    result = find_screen(screens, wanted)
    assert (result.name() if result else None) == found


def test_missing_screen_falls_back_to_primary(qtbot: QtBot) -> None:
    """A configured screen that is unplugged leaves the display on the primary screen."""
    window = QWidget()
    qtbot.addWidget(window)
    keeper = ScreenKeeper(window, "5", fullscreen=False)
    keeper.place()
    assert keeper.target is QApplication.primaryScreen()
    assert window.isVisible() and not keeper.on_wanted_screen


def test_full_screen_fills_the_chosen_screen(qtbot: QtBot) -> None:
    """Full screen, the display covers the whole of its screen."""
    window = QWidget()
    qtbot.addWidget(window)
    keeper = ScreenKeeper(window, "0", fullscreen=True)
    keeper.place()
    screen = QApplication.primaryScreen()
    assert keeper.on_wanted_screen and window.isFullScreen()
    qtbot.waitUntil(lambda: window.geometry() == screen.geometry(), timeout=2000)

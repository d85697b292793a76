"""The hall display on real screen sizes: screenshots, scaling, and choosing the screen."""

from __future__ import annotations

import gc
import random
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import shiboken6
from PySide6.QtCore import QCoreApplication, QLocale, QRectF, QTranslator
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from kiosk_app.display.announcer import Announcement, Reading
from kiosk_app.display.controller import DisplayController
from kiosk_app.display.panels import NAME_SHARE, best_grid, split_name, split_tile
from kiosk_app.display.screens import ScreenKeeper, find_screen
from kiosk_app.display.window import DisplayWindow
from resources import resource_path
from shared import issuing, queue
from shared.db import Database
from shared.demo import prepare_demo_database
from shared.errors import DatabaseUnavailable
from shared.qt.fonts import install_app_font
from shared.qt.widgets.fitted_label import fitted_pixel_size
from shared.read.site import SiteInfo, site_info
from tests.ui.opening import opens_in
from tests.ui.screen_audit import SIZES, audit

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


class OpenDisplay:
    """A hall display running on a copy of a database, as ``hallq-display`` runs it."""

    def __init__(self, qtbot: QtBot, path: Path, *, highlight_seconds: float = 8,
                 reachable: bool = True) -> None:
        # Chinese dates, as start_app sets for the default language.
        QLocale.setDefault(QLocale(QLocale.Language.Chinese, QLocale.Country.China))
        install_app_font()
        self.db = Database(f"sqlite:///{path}")
        self.window = DisplayWindow(notice=NOTICE, highlight_seconds=highlight_seconds)
        qtbot.addWidget(self.window)

        def connect() -> tuple[Database, SiteInfo]:
            if not reachable:
                raise DatabaseUnavailable("数据库无法连接 (test: server down)")
            return self.db, site_info(self.db, SITE)

        self.controller = DisplayController(self.window, InstantEngine(), connect,
                                            poll_interval_ms=20,
                                            highlight_seconds=highlight_seconds)
        self.qtbot = qtbot
        self.controller.start()
        if reachable:
            qtbot.waitUntil(lambda: self.controller.presenter.loaded, timeout=5000)
            self.settle()
        else:
            qtbot.waitUntil(lambda: not self.window.is_online(), timeout=5000)

    def settle(self) -> None:
        self.qtbot.waitUntil(lambda: self.controller.idle, timeout=5000)

    def call(self, window: int) -> str:
        called = queue.call_next(self.db, window, site=SITE).ticket
        assert called is not None
        self.qtbot.waitUntil(lambda: self.window.board.number() == called.number, timeout=5000)
        self.settle()
        return called.number

    def close(self) -> None:
        self.controller.stop()
        # Deleted now, on this thread, rather than by a later garbage collection in the
        # middle of another test while that test's worker threads run (a PySide crash).
        self.window.close()
        shiboken6.delete(self.controller)
        shiboken6.delete(self.window)
        gc.collect()
        self.db.dispose()
        QLocale.setDefault(QLocale.c())


@pytest.fixture
def opened(qtbot: QtBot, tmp_path: Path) -> Iterator[Callable[..., OpenDisplay]]:
    """Opens displays on copies of a database file; closes them at the end."""
    displays: list[OpenDisplay] = []

    def open_display(source: Path, **options: object) -> OpenDisplay:
        copy = tmp_path / f"hall{len(displays)}.db"
        shutil.copy(source, copy)
        display = OpenDisplay(qtbot, copy, **options)  # type: ignore[arg-type]
        displays.append(display)
        return display

    yield open_display
    for display in displays:
        display.close()


@pytest.fixture(scope="module")
def fresh_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The Chun'an center before its first call: a few tickets, nobody called yet."""
    path = tmp_path_factory.mktemp("fresh") / "chunan.db"
    db = prepare_demo_database(path)
    for service in ("RE-REG", "SI", "SI", "TAX"):
        issuing.issue_ticket(db, service, site=SITE)
    db.dispose()
    return path


@pytest.fixture
def display(opened: Callable[..., OpenDisplay], morning_file: Path) -> tuple[DisplayWindow, str]:
    """The display showing the morning, right after window 3 called its next number."""
    shown = opened(morning_file)
    return shown.window, shown.call(3)


#: The sizes a hall display is bought in (the 1024×600 of evaluation pads is not one).
DISPLAY_SIZES = ["1920x1080", "1080x1920", "1366x768", "1280x1024", "3840x2160"]


def _state(state: str, opened: Callable[..., OpenDisplay], morning_file: Path, fresh_file: Path
           ) -> DisplayWindow:
    """The display in one of its states, reached as it is in a hall."""
    if state == "calling":  # a call just made: the board highlighted
        shown = opened(morning_file)
        shown.call(3)
        assert shown.window.board.is_highlighted()
    elif state == "serving":  # the highlight has faded; the number stays on the board
        shown = opened(morning_file, highlight_seconds=0.2)
        shown.call(3)
        shown.qtbot.waitUntil(lambda: not shown.window.board.is_highlighted(), timeout=5000)
    elif state == "idle":  # opened, tickets waiting, nobody called yet
        shown = opened(fresh_file)
        assert shown.window.board.number() == ""
    elif state == "closed":  # before opening: every service 暂停取号
        source = fresh_file.parent / "closed.db"
        shutil.copy(fresh_file, source)
        db = Database(f"sqlite:///{source}")
        opens_in(db, SITE, 30)
        db.dispose()
        shown = opened(source)
        assert shown.window.waiting.queues()
        assert not any(q.open_now for q in shown.window.waiting.queues())
    elif state == "offline":  # the database cannot be reached
        shown = opened(morning_file, reachable=False)
        assert shown.window.status_label.text()
    else:
        raise AssertionError(f"unknown state {state}")
    return shown.window


@pytest.mark.parametrize("state", ["calling", "serving", "idle", "closed", "offline"])
def test_every_state_passes_the_audit_at_every_size(
        opened: Callable[..., OpenDisplay], morning_file: Path, fresh_file: Path,
        screenshot: Callable[[QWidget, str], Path], state: str) -> None:
    """适老化 on the hall display: at every size a hall display comes in, in every state,
    all text fits, nothing overlaps, the number called is ≥ 30 px and every other text
    ≥ 18 px, contrast and line spacing are enough (tests/ui/screen_audit.py)."""
    window = _state(state, opened, morning_file, fresh_file)
    window.ticker.set_text(NOTICE)  # the notice starting its run, as at each restart
    failures = []
    for size in DISPLAY_SIZES:
        window.resize(*SIZES[size])
        window.show()
        QApplication.processEvents()
        failures += [f"{size}: {p}" for p in audit(window, touch=False)]
        screenshot(window, f"display-{state}-{size}")
    assert not failures, "\n".join(failures)


def test_the_calling_screen_shows_the_call_history_waiting_and_notice(
        display: tuple[DisplayWindow, str]) -> None:
    """The display at 1920×1080 shows the call, the history, waiting counts and the notice."""
    window, last = display
    window.resize(1920, 1080)
    window.show()
    QApplication.processEvents()
    assert window.board.number() == last and window.board.is_highlighted()
    assert "3" in window.board.caption()
    assert len(window.history.calls()) == 6 and window.history.calls()[0].window == 4
    assert window.history.columns() == 1
    window.resize(1080, 1920)
    QApplication.processEvents()
    assert window.history.columns() == 2  # portrait: the history under the board, two columns
    assert window.history.geometry().top() > window.board.geometry().bottom()


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


def test_the_english_display_passes_the_audit_at_every_size(
        opened: Callable[..., OpenDisplay], morning_file: Path,
        screenshot: Callable[[QWidget, str], Path]) -> None:
    """With the display's English translation (``--lang en``) the longer texts still fit."""
    translator = QTranslator()
    assert translator.load(str(resource_path("translations", "display_en.qm")))
    QCoreApplication.installTranslator(translator)
    try:
        shown = opened(morning_file)
        QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedStates))
        shown.call(3)
        window = shown.window
        assert window.board.caption() == "Please go to window 3"
        shown.qtbot.waitUntil(lambda: "年" not in window.date_label.text(), timeout=3000)
        failures = []
        for size in DISPLAY_SIZES:
            window.resize(*SIZES[size])
            window.show()
            QApplication.processEvents()
            failures += [f"{size}: {p}" for p in audit(window, touch=False)]
            screenshot(window, f"display-calling-en-{size}")
        assert not failures, "\n".join(failures)
    finally:
        QCoreApplication.removeTranslator(translator)

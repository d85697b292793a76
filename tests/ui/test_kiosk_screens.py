"""Every kiosk screen at every size a hall buys, with the Chun'an catalog (12
departments): everything shows, nothing is clipped, every target is large enough."""

from __future__ import annotations

from collections.abc import Iterator
from itertools import pairwise
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QRect
from PySide6.QtWidgets import QAbstractButton, QLabel, QScrollArea, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import select, update

from kiosk_app.presenter import Screen
from shared import issuing
from shared.catalog import load_catalog
from shared.db import Database
from shared.models import Service, Site
from shared.qt.widgets.fitted_label import FittedLabel
from testkit.fake_printer import FakePrinter
from tests.ui.kiosk_support import Kiosk, kiosk_config, running_kiosk
from tests.ui.opening import opens_in
from tests.ui.screen_audit import audit, drawn_texts, format_problems

CHUNAN = Path(__file__).resolve().parents[2] / "resources" / "catalog" / "chunan.toml"
SIZES = [(1920, 1080), (1080, 1920), (1366, 768), (1280, 1024)]


def open_all_day(db: Database) -> None:
    """Every Chun'an service takes numbers now, whatever the day and hour of the test."""
    with db.engine.begin() as conn:
        conn.execute(update(Service).values(weekend=True, holiday=True, hours={}))
        conn.execute(update(Site).where(Site.code == "chunan").values(calendar={
            "workday_hours": ["00:00-24:00"], "weekend_hours": ["00:00-24:00"],
            "issue_cutoff_minutes": 0}))


@pytest.fixture
def chunan(empty_db: Database) -> Database:
    load_catalog(empty_db, CHUNAN)
    open_all_day(empty_db)
    return empty_db


def _scroll_area_of(widget: QWidget) -> QScrollArea | None:
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, QScrollArea):
            return parent
        parent = parent.parentWidget()
    return None


def layout_problems(root: QWidget) -> list[str]:
    """What the screen audit (tests/ui/screen_audit.py, which checks text fit, sizes,
    targets, contrast and spacing) does not look at: widgets squeezed under their minimum
    size (keys overlapping), widgets cut off at the side of a scroll area (which scrolls
    only up and down), and a ticket number left a sliver of the screen."""
    problems = []
    for widget in root.findChildren(QWidget):
        if not widget.isVisible() or widget.window() is not root.window():
            continue
        name = widget.objectName() or type(widget).__name__
        if isinstance(widget, QAbstractButton | QLabel) and (
                widget.height() < widget.minimumHeight()
                or widget.width() < widget.minimumWidth()):
            problems.append(f"{name} {widget.text()!r}: squeezed to {widget.width()}x"
                            f"{widget.height()} under its minimum")
        area = _scroll_area_of(widget)
        if area is not None and isinstance(widget, QAbstractButton | QLabel):
            left = widget.mapTo(area.viewport(), widget.rect().topLeft()).x()
            if left < 0 or left + widget.width() > area.viewport().width() + 1:
                problems.append(f"{name} {widget.text()!r}: cut off at the side")
        if isinstance(widget, FittedLabel) and widget.text() and widget.height() < 100:
            problems.append(f"{name} {widget.text()!r}: number only {widget.height()} px")
    # Buttons lying over one another (a layout given less than its minimum), or off the
    # window; those inside a scroll area are compared where they are on screen.
    buttons = [b for b in root.findChildren(QAbstractButton)
               if b.isVisible() and b.window() is root.window()]
    shown = {id(b): _visible_rect(b, root) for b in buttons}
    for i, first in enumerate(buttons):
        if not root.rect().contains(shown[id(first)]) and not shown[id(first)].isEmpty():
            problems.append(f"{first.text()!r}: outside the window at {shown[id(first)]}")
        for second in buttons[i + 1:]:
            overlap = shown[id(first)].intersected(shown[id(second)])
            if overlap.width() > 1 and overlap.height() > 1:
                problems.append(f"{first.text()!r} and {second.text()!r} overlap")
    return problems


def _visible_rect(widget: QWidget, root: QWidget) -> QRect:
    """The part of ``widget`` on screen, in ``root``'s coordinates."""
    rect = QRect(widget.mapTo(root, QPoint(0, 0)), widget.size())
    area = _scroll_area_of(widget)
    if area is not None:
        viewport = area.viewport()
        rect = rect.intersected(QRect(viewport.mapTo(root, QPoint(0, 0)), viewport.size()))
    return rect


def check_screen(kiosk: Kiosk, screenshot, name: str) -> None:
    kiosk.qtbot.wait(50)
    size = kiosk.window.size()
    screenshot(kiosk.window, f"kiosk-{name}-{size.width()}x{size.height()}")
    problems = layout_problems(kiosk.window)
    assert not problems, f"{name} at {size.width()}x{size.height()}:\n" + "\n".join(problems)
    audited = audit(kiosk.window, touch=True)
    assert not audited, f"{name} at {size.width()}x{size.height()}:\n" + format_problems(audited)


@pytest.fixture
def printer() -> Iterator[FakePrinter]:
    with FakePrinter() as fake:
        yield fake


@pytest.mark.parametrize("size", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
def test_every_screen_fits(qtbot: QtBot, chunan: Database, empty_db_url: str,
                           printer: FakePrinter, size: tuple[int, int], screenshot) -> None:
    """Start (all 12 departments without scrolling), department, guide (windows line in
    view), result (number whole), keypad, staff mode with a help request, the help notice."""
    issuing.issue_ticket(chunan, "RE-REG", site="chunan")
    config = kiosk_config(empty_db_url, printer=printer.url)
    config.site = "chunan"
    with running_kiosk(qtbot, config, size) as kiosk:
        kiosk.resize(size)
        start = kiosk.window.start_screen
        assert len(start.cards) == 12
        check_screen(kiosk, screenshot, "start")
        assert start.scroll.verticalScrollBar().maximum() == 0, "departments need scrolling"
        kiosk.tap(kiosk.card("department", "不动产登记"))
        kiosk.wait_screen(Screen.DEPARTMENT)
        check_screen(kiosk, screenshot, "department")
        kiosk.tap(kiosk.card("service", "RE-REG"))
        kiosk.wait_screen(Screen.GUIDE)
        guide = kiosk.window.guide_screen
        assert guide.windows.isVisible() and "1、2 号窗口" in guide.windows.text()
        assert kiosk.window.countdown.isVisible()
        check_screen(kiosk, screenshot, "guide")
        kiosk.tap(guide.take_button)
        kiosk.wait_screen(Screen.RESULT)
        assert kiosk.window.result_screen.number.text() == "A002"
        check_screen(kiosk, screenshot, "result")
        kiosk.tap(kiosk.window.result_screen.done_button)
        kiosk.wait_screen(Screen.START)
        kiosk.tap(start.check_in_button)
        kiosk.wait_screen(Screen.CHECK_IN)
        check_screen(kiosk, screenshot, "check-in")
        kiosk.tap(kiosk.window.check_in_screen.back_button)
        kiosk.wait_screen(Screen.START)
        kiosk.tap(kiosk.window.header.help_button)
        kiosk.wait_screen(Screen.NOTICE)
        check_screen(kiosk, screenshot, "help-called")
        kiosk.tap(kiosk.window.notice_screen.back_button)
        kiosk.wait_screen(Screen.START)
        kiosk.window.close()  # closing asks for the admin PIN
        kiosk.wait_screen(Screen.PIN)
        check_screen(kiosk, screenshot, "pin-admin")
        kiosk.tap(kiosk.window.pin_screen.back_button)
        kiosk.wait_screen(Screen.START)
        kiosk.tap(start.staff_button)
        kiosk.wait_screen(Screen.PIN)
        check_screen(kiosk, screenshot, "pin")
        kiosk.type_keys("2468", pin=True)
        kiosk.wait_screen(Screen.STAFF)
        qtbot.waitUntil(lambda: bool(kiosk.presenter.help_requests), timeout=5000)
        assert kiosk.presenter.help_requests is not None
        kiosk.card("help_request", kiosk.presenter.help_requests[0].id)
        check_screen(kiosk, screenshot, "staff")


@pytest.mark.parametrize("size", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
def test_the_paused_screen_fits(qtbot: QtBot, tmp_path: Path, size: tuple[int, int],
                                screenshot) -> None:
    """暂停取号 with the note for staff (a database without schema) passes the audit."""
    from kiosk_app.main import build_kiosk

    window, presenter, runner = build_kiosk(kiosk_config(f"sqlite:///{tmp_path / 'blank.db'}"))
    qtbot.addWidget(window)
    window.resize(*size)
    window.show()
    presenter.start()
    try:
        qtbot.waitUntil(lambda: window.paused_screen.staff_note.isVisible(), timeout=10_000)
        qtbot.waitUntil(lambda: window.size().toTuple() == size, timeout=2000)
        qtbot.wait(50)
        screenshot(window, f"kiosk-paused-schema-{size[0]}x{size[1]}")
        problems = audit(window, touch=True)
        assert not problems, format_problems(problems)
    finally:
        window.shutdown()
        runner.wait_done()


@pytest.mark.parametrize("size", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
def test_english_screens_fit(qtbot: QtBot, chunan: Database, empty_db_url: str,
                             size: tuple[int, int], screenshot) -> None:
    """English words are longer than Chinese: the same screens pass the audit in English."""
    config = kiosk_config(empty_db_url)
    config.site = "chunan"
    with running_kiosk(qtbot, config, size, language="en") as kiosk:
        kiosk.resize(size)
        check_screen(kiosk, screenshot, "start-en")
        kiosk.tap(kiosk.card("department", "不动产登记"))
        kiosk.wait_screen(Screen.DEPARTMENT)
        check_screen(kiosk, screenshot, "department-en")
        kiosk.tap(kiosk.card("service", "RE-REG"))
        kiosk.wait_screen(Screen.GUIDE)
        check_screen(kiosk, screenshot, "guide-en")
        kiosk.tap(kiosk.window.guide_screen.take_button)
        kiosk.wait_screen(Screen.RESULT)
        check_screen(kiosk, screenshot, "result-en")
        kiosk.tap(kiosk.window.header.help_button)
        kiosk.wait_screen(Screen.NOTICE)
        check_screen(kiosk, screenshot, "help-called-en")


def test_full_screen_fills_the_screen_without_a_window_manager(
        qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The locked-down kiosk runs with no window manager (docs/deployment.md): nothing
    honours the full-screen state there, so the window must take the screen's geometry
    itself, as the hall display does. Here showFullScreen changes no geometry, as on a
    bare X server (the offscreen platform still draws a window frame around it, which a
    bare X server does not: the window's frame starts at the screen's corner)."""
    from PySide6.QtWidgets import QApplication

    from kiosk_app.main import build_kiosk

    window, _presenter, runner = build_kiosk(kiosk_config(f"sqlite:///{tmp_path / 'k.db'}"))
    qtbot.addWidget(window)
    monkeypatch.setattr(window, "showFullScreen", window.show)
    window.resize(910, 512)
    try:
        window.set_fullscreen(True)
        screen = QApplication.primaryScreen()
        assert window.isVisible() and window.screen() is screen
        qtbot.waitUntil(lambda: window.size() == screen.size(), timeout=2000)
        assert window.frameGeometry().topLeft() == screen.geometry().topLeft()
        window.set_fullscreen(False)  # 退出全屏 in staff mode: a window inside the screen
        qtbot.waitUntil(lambda: window.geometry() != screen.geometry(), timeout=2000)
        assert screen.availableGeometry().contains(window.geometry())
    finally:
        window.shutdown()
        runner.wait_done()


@pytest.fixture
def unplugged() -> Iterator[str]:
    """The URL of a printer that is not there (nothing listens on its port)."""
    printer = FakePrinter().start()
    url = printer.url
    printer.stop()
    yield url


@pytest.mark.parametrize("size", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
@pytest.mark.parametrize("state", ["printer-down", "before-opening-today",
                                   "before-opening-tomorrow"])
def test_start_screen_states_fit(qtbot: QtBot, chunan: Database, empty_db_url: str,
                                 unplugged: str, printer: FakePrinter, size: tuple[int, int],
                                 state: str, screenshot) -> None:
    """The start and department pages with the printer down (the banner, 暂停取号 on every
    card) and before opening (今天/明天 08:30 开始取号 on every card): all twelve
    departments without scrolling, every card's texts on one line."""
    config = kiosk_config(empty_db_url, printer=unplugged if state == "printer-down"
                          else printer.url)
    config.site = "chunan"
    if state == "before-opening-today":
        opens_in(chunan, "chunan", 30)
    elif state == "before-opening-tomorrow":
        opens_in(chunan, "chunan", 0)  # local noon; then the hours end before now
        with chunan.engine.begin() as conn:
            site = conn.execute(select(Site.calendar).where(Site.code == "chunan")).scalar_one()
            hours = ["08:30-09:00"]
            conn.execute(update(Site).where(Site.code == "chunan").values(
                calendar={**site, "workday_hours": hours, "weekend_hours": hours}))
    with running_kiosk(qtbot, config, size) as kiosk:
        kiosk.resize(size)
        window = kiosk.window
        start = window.start_screen
        if state == "printer-down":
            qtbot.waitUntil(lambda: start.printer_banner.isVisible(), timeout=10_000)
            expected = "暂停取号"
        else:
            expected = "今天" if state.endswith("today") else "明天 08:30 开始取号"
        qtbot.waitUntil(lambda: all(expected in c.status.text() for c in start.cards),
                        timeout=10_000)
        kiosk.qtbot.wait(100)
        check_screen(kiosk, screenshot, f"start-{state}")
        assert start.scroll.verticalScrollBar().maximum() == 0, "departments need scrolling"
        kiosk.tap(kiosk.card("department", "不动产登记"))
        kiosk.wait_screen(Screen.DEPARTMENT)
        check_screen(kiosk, screenshot, f"department-{state}")


def words_broken(widget: QLabel) -> list[str]:
    """Line breaks of ``widget``'s drawn text inside a word or a number's phrase ("办/理",
    "13/号窗口"); a break after punctuation is fine."""
    lines: dict[int, list[tuple[float, str]]] = {}
    for drawn in drawn_texts(widget):
        text = drawn.text.replace("\u2060", "").replace("\u00a0", " ").strip()
        if text:
            lines.setdefault(round(drawn.baseline), []).append((drawn.rect.x(), text))
    joined = ["".join(t for _x, t in sorted(runs)) for _b, runs in sorted(lines.items())]
    return [f"{first}/{second}" for first, second in pairwise(joined)
            if first[-1:].isalnum() and second[:1].isalnum()]


@pytest.mark.parametrize("size", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
def test_the_result_lines_break_between_phrases(qtbot: QtBot, chunan: Database,
                                                empty_db_url: str, size: tuple[int, int],
                                                screenshot) -> None:
    """社会保险 (windows 3, 4 and 13) without a printer: the windows line and the hint
    wrap at punctuation and spaces, never inside a word ("办/理", "语/音叫号")."""
    for _ in range(3):
        issuing.issue_ticket(chunan, "SI", site="chunan")
    config = kiosk_config(empty_db_url)
    config.site = "chunan"
    with running_kiosk(qtbot, config, size) as kiosk:
        kiosk.resize(size)
        kiosk.tap(kiosk.card("department", "社保医保"))
        kiosk.wait_screen(Screen.DEPARTMENT)
        kiosk.tap(kiosk.card("service", "SI"))
        kiosk.wait_screen(Screen.GUIDE)
        kiosk.tap(kiosk.window.guide_screen.take_button)
        kiosk.wait_screen(Screen.RESULT)
        result = kiosk.window.result_screen
        assert "3、4、13 号窗口办理" in result.windows.text()
        assert result.wait.text().startswith("前面还有 3 人")
        check_screen(kiosk, screenshot, "result-windows")
        broken = [b for line in (result.windows, result.wait, result.printing)
                  for b in words_broken(line)]
        assert not broken, broken

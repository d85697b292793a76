"""A whole counter PC wired together (database, presenter, screen, change feed, evaluation
pad, window display), the stand-alone window display, reprints and the command line."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import shiboken6
from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from counter_app.core import CounterCore, PrinterSettings
from counter_app.dialogs import ReinstateDialog
from counter_app.terminal import CounterTerminal, DisplayTerminal, TerminalOptions
from shared import clerks, issuing, queue
from shared.config import Config
from shared.db import Database
from shared.models import SiteState
from shared.read import hall_state
from shared.read.counter_view import NoShowTicket
from testkit.fake_printer import FakePrinter
from tests.ui.counter_support import PASSWORD, SITE, issue, logged_in, settle

pytest_plugins = ["tests.ui.counter_support"]
ROOT = Path(__file__).resolve().parents[2]


def fits_on_screen(widget: QWidget) -> bool:
    """The window is no larger than the screen's area left by the task bar, unless it
    cannot be made smaller (the offscreen test screen is 800x800, smaller than the apps'
    default window sizes)."""
    screen = QGuiApplication.primaryScreen()
    assert screen is not None
    available, smallest = screen.availableGeometry(), widget.minimumSizeHint()
    return (widget.width() <= max(available.width(), smallest.width())
            and widget.height() <= max(available.height(), smallest.height()))


def test_windowed_counter_and_its_window_display_fit_the_screen(
        qtbot: QtBot, hall: Database, terminal: CounterTerminal) -> None:
    """--windowed (as the demo starts it): the counter, the pad and the window display open
    as windows no larger than the screen."""
    qtbot.waitUntil(lambda: terminal.display is not None, timeout=15_000)
    assert terminal.display is not None
    for widget in (terminal.screen, terminal.pad, terminal.display):
        assert fits_on_screen(widget), widget


@pytest.fixture
def terminal(qtbot: QtBot, hall: Database, empty_db_url: str,
             monkeypatch: pytest.MonkeyPatch) -> Iterator[CounterTerminal]:
    monkeypatch.setenv("HALLQ_AUTOLOGIN", f"wang:{PASSWORD}")
    config = Config(database_url=empty_db_url, site=SITE)
    config.counter.evaluation_timeout_seconds = 60
    counter = CounterTerminal(config, TerminalOptions(window=1, windowed=True,
                                                      display_screen=0))
    for widget in (counter.screen, counter.pad):
        qtbot.addWidget(widget)
    counter.start()
    yield counter
    counter.shutdown()
    if counter.display is not None:
        counter.display.close()
    shiboken6.delete(counter)


def test_demo_autologin_and_the_change_feed_drive_every_screen(
        qtbot: QtBot, hall: Database, terminal: CounterTerminal) -> None:
    """With HALLQ_AUTOLOGIN the counter logs in by itself; a ticket issued at the kiosk
    appears through the change feed; the window display and the evaluation pad follow."""
    qtbot.waitUntil(lambda: terminal.presenter is not None and terminal.presenter.logged_in
                    and terminal.presenter.snapshot is not None, timeout=15_000)
    presenter = terminal.presenter
    assert presenter is not None and terminal.display is not None
    assert terminal.screen.stack.currentWidget() is terminal.screen.main_page
    assert "王芳" in terminal.pad.welcome_detail.text()
    assert not terminal.screen.main_page.supervisor.isVisible()

    issuing.issue_ticket(hall, "SA", site=SITE)  # at the kiosk, another PC
    qtbot.waitUntil(lambda: presenter.snapshot is not None
                    and presenter.snapshot.waiting == 1, timeout=10_000)
    presenter.call_next()
    qtbot.waitUntil(lambda: terminal.display is not None
                    and terminal.display.board.number() != "", timeout=10_000)
    assert terminal.display.clerk.text() == "工作人员：王芳"
    presenter.start()
    settle(qtbot, terminal.runner)
    presenter.finish("completed")
    qtbot.waitUntil(lambda: terminal.pad.pages.currentIndex() == 1, timeout=10_000)
    terminal.pad.level_buttons[1].click()
    qtbot.waitUntil(lambda: terminal.runner.idle and terminal.display is not None
                    and terminal.display.board.number() == "", timeout=10_000)

    terminal.shutdown()  # quitting logs the clerk out
    assert hall_state.get_window(hall, 1, site=SITE).clerk is None


def test_a_burst_of_changes_elsewhere_is_read_once_a_second(
        qtbot: QtBot, hall: Database, terminal: CounterTerminal) -> None:
    """Tickets issued one after another at the kiosk (a busy hall) are shown together,
    at most once per ``refresh_ms`` (1 s) after the first, and none is left unshown."""
    qtbot.waitUntil(lambda: terminal.presenter is not None and terminal.presenter.logged_in
                    and terminal.presenter.snapshot is not None, timeout=15_000)
    presenter = terminal.presenter
    assert presenter is not None
    settle(qtbot, terminal.runner)
    time.sleep(1.1)  # past the interval of the start-up reads
    qtbot.wait(300)
    reads: list[float] = []
    presenter.reading.connect(lambda: reads.append(time.monotonic()))
    started = time.monotonic()
    for _ in range(8):  # one every 0.15 s; the feed polls every 0.25 s
        issuing.issue_ticket(hall, "SA", site=SITE)
        qtbot.wait(150)
    issued = time.monotonic()
    qtbot.waitUntil(lambda: presenter.snapshot is not None
                    and presenter.snapshot.waiting == 8, timeout=10_000)
    shown = time.monotonic()
    qtbot.wait(1200)  # nothing more is held back
    assert presenter.snapshot is not None and presenter.snapshot.waiting == 8
    # Unpaced, each poll that found a ticket would re-read (about 5 reads here).
    assert 1 <= len(reads) <= 2 + int(issued - started), (reads, issued - started)
    assert shown - issued < 1.5


def test_a_supervisor_at_a_counter_opens_the_supervisor_view(
        qtbot: QtBot, hall: Database, empty_db_url: str,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A supervisor logged in at a counter gets the 主管视图 button, which opens the
    supervisor window; an ordinary clerk does not."""
    clerks.add_clerk(hall, "chen", "陈主任", PASSWORD, role="supervisor")
    monkeypatch.setenv("HALLQ_AUTOLOGIN", f"chen:{PASSWORD}")
    counter = CounterTerminal(Config(database_url=empty_db_url, site=SITE),
                              TerminalOptions(window=2, windowed=True))
    qtbot.addWidget(counter.screen)
    qtbot.addWidget(counter.pad)
    counter.start()
    try:
        button = counter.screen.main_page.supervisor
        qtbot.waitUntil(lambda: counter.presenter is not None and counter.presenter.logged_in,
                        timeout=15_000)
        assert button.isVisible()
        button.click()
        window = counter.supervisor_window
        assert window is not None and window.isVisible()
        assert fits_on_screen(window)  # 1400x860 by default: too big for a 1366x768 laptop
        smallest = window.minimumSizeHint()  # and on such a laptop it can fit
        assert smallest.width() <= 1366 and smallest.height() <= 768 - 40  # the task bar
        # Its change feed starts after its first read; close it once that is running.
        qtbot.waitUntil(lambda: getattr(window, "feed", None) is not None, timeout=15_000)
        window.close()
        shiboken6.delete(window)
        counter.supervisor_window = None
    finally:
        counter.shutdown()
        shiboken6.delete(counter)


@pytest.fixture
def pc_in_new_york(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """This PC's own time zone is set wrongly (New York) for the length of a test."""
    monkeypatch.setenv("TZ", "America/New_York")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def test_the_counter_shows_the_sites_time_not_the_pcs(
        qtbot: QtBot, hall: Database, terminal: CounterTerminal, pc_in_new_york: None) -> None:
    """The header clock and the times in the dialogs read the site's zone (Asia/Shanghai),
    as the kiosk and the hall display do, whatever zone the PC is set to."""
    qtbot.waitUntil(lambda: terminal.presenter is not None and terminal.presenter.logged_in
                    and terminal.presenter.snapshot is not None, timeout=15_000)
    nine_utc = dt.datetime(2026, 3, 2, 9, 0, 5, tzinfo=dt.UTC)
    assert nine_utc.astimezone().strftime("%H:%M") == "04:00"  # what the PC would say
    terminal.screen.show_clock(nine_utc)
    assert terminal.screen.main_page.clock.text() == "17:00:05"
    ticket = NoShowTicket(1, "A001", "甲业务", "normal", nine_utc)
    dialog = ReinstateDialog([ticket], terminal.screen.zone)
    qtbot.addWidget(dialog)
    assert "叫号于 17:00" in dialog.list.item(0).text()


def test_unreachable_database_keeps_the_login_screen_waiting(qtbot: QtBot) -> None:
    """Without a database the login is disabled and the reason is shown while it retries."""
    config = Config(database_url="postgresql+psycopg://nobody@127.0.0.1:1/none", site=SITE)
    counter = CounterTerminal(config, TerminalOptions(window=1, windowed=True))
    qtbot.addWidget(counter.screen)
    qtbot.addWidget(counter.pad)
    counter.start()
    page = counter.screen.login_page
    qtbot.waitUntil(lambda: "自动重试" in page.message.text(), timeout=15_000)
    assert not page.submit.isEnabled()
    counter.connector._retry.stop()
    counter.shutdown()
    shiboken6.delete(counter)


def test_an_unexpected_connection_failure_shows_no_english(qtbot: QtBot) -> None:
    """A failure that is no refusal of the core: the login page says so in its own words,
    the exception's English stays in the log."""
    config = Config(database_url="postgresql+psycopg://nobody@127.0.0.1:1/none", site=SITE)
    counter = CounterTerminal(config, TerminalOptions(window=1, windowed=True))
    qtbot.addWidget(counter.screen)
    qtbot.addWidget(counter.pad)
    counter._not_connected(RuntimeError("socket vanished"))
    text = counter.screen.login_page.message.text()
    assert "意外错误" in text and "socket" not in text and "RuntimeError" not in text, text
    counter.shutdown()
    shiboken6.delete(counter)


def test_a_counter_shut_down_before_it_connected_starts_nothing(
        qtbot: QtBot, hall: Database, empty_db_url: str,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The connection is opened off the GUI thread and its result starts the change feed,
    the heartbeat and the demo auto-login. Quit first, the counter used to start them on
    that late result: a clerk logged in at a closed counter, and deleting the terminal
    destroyed a running QThread, which Qt answers with abort()."""
    monkeypatch.setenv("HALLQ_AUTOLOGIN", f"wang:{PASSWORD}")
    counter = CounterTerminal(Config(database_url=empty_db_url, site=SITE),
                              TerminalOptions(window=1, windowed=True))
    qtbot.addWidget(counter.screen)
    qtbot.addWidget(counter.pad)
    counter.start()
    counter.shutdown()  # waits for the connection; its result is still to be delivered
    try:
        qtbot.wait(1500)  # the late result is delivered meanwhile
        settle(qtbot, counter.runner)
        assert (counter.feed, counter.heartbeat, counter.presenter) == (None, None, None)
        assert hall_state.get_window(hall, 1, site=SITE).clerk is None
    finally:
        if counter.feed is not None:  # the old behaviour: end it before deleting
            counter.feed.stop()
        shiboken6.delete(counter)


def test_a_window_display_shut_down_before_it_connected_starts_nothing(
        qtbot: QtBot, hall: Database, empty_db_url: str) -> None:
    display = DisplayTerminal(Config(database_url=empty_db_url, site=SITE), 2, windowed=True)
    qtbot.addWidget(display.display)
    display.start()
    display.shutdown()
    try:
        qtbot.wait(1500)
        assert (display.feed, display.heartbeat) == (None, None)
    finally:
        if display.feed is not None:
            display.feed.stop()
        shiboken6.delete(display)


def test_standalone_window_display_follows_the_window(
        qtbot: QtBot, hall: Database, empty_db_url: str) -> None:
    """--window-display shows the window's state from the change feed alone."""
    config = Config(database_url=empty_db_url, site=SITE)
    display = DisplayTerminal(config, 2, windowed=True)
    qtbot.addWidget(display.display)
    display.start()
    try:
        qtbot.waitUntil(lambda: display.display.content is not None, timeout=15_000)
        assert display.display.content is not None and display.display.content.paused
        queue.pause_window(hall, 2, "会议", site=SITE)
        qtbot.waitUntil(lambda: display.display.reason.text() == "会议", timeout=10_000)
    finally:
        display.shutdown()
        shiboken6.delete(display)


def test_window_display_drops_the_clerk_when_the_lease_ends(
        qtbot: QtBot, hall: Database, empty_db_url: str,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A counter that is killed stops renewing its lease; the window display stops showing
    its clerk when the lease ends, though nothing changed in the database to tell it."""
    monkeypatch.setattr(clerks, "LEASE_SECONDS", 3)
    config = Config(database_url=empty_db_url, site=SITE)
    display = DisplayTerminal(config, 2, windowed=True)
    qtbot.addWidget(display.display)
    display.start()
    try:
        qtbot.waitUntil(lambda: display.display.content is not None, timeout=15_000)
        clerks.login_at_window(hall, "wang", PASSWORD, 2, site=SITE)
        qtbot.waitUntil(lambda: display.display.clerk.text() == "工作人员：王芳",
                        timeout=10_000)
        assert display.display.content is not None and not display.display.content.paused
        with hall.read() as session:
            version = session.scalar(select(func.max(SiteState.version)))
        qtbot.waitUntil(lambda: display.display.clerk.text() == "", timeout=10_000)
        content = display.display.content
        assert content is not None and content.paused and content.reason == "本窗口暂无工作人员"
        with hall.read() as session:  # the display learnt it from the lease alone
            assert session.scalar(select(func.max(SiteState.version))) == version
    finally:
        display.shutdown()
        shiboken6.delete(display)


def test_reprint_sends_the_ticket_to_the_printer(
        qtbot: QtBot, hall: Database, owner: QObject) -> None:
    """Reprinting a number prints that ticket's slip on the counter's printer."""
    (ticket,) = issue(hall, "SA")
    with FakePrinter() as printer:
        settings = PrinterSettings(printer.url, "text", 80, "请留意叫号")
        presenter, view, runner = logged_in(qtbot, hall, owner, "wang", 1,
                                            core=CounterCore(hall, SITE, settings))
        assert presenter.can_print
        presenter.reprint(ticket.number.lower())
        settle(qtbot, runner)
        printer.wait_idle()
        assert view.last_status == f"已补打 {ticket.number}"
        assert ticket.number.encode() in printer.received


def test_a_failed_reprint_is_marked_for_another_try(
        qtbot: QtBot, hall: Database, owner: QObject) -> None:
    """When the printer is out of paper the clerk is told and the ticket stays marked."""
    (ticket,) = issue(hall, "SA")
    with FakePrinter.out_of_paper() as printer:
        settings = PrinterSettings(printer.url, "text", 80, "请留意叫号")
        presenter, view, runner = logged_in(qtbot, hall, owner, "wang", 1,
                                            core=CounterCore(hall, SITE, settings))
        presenter.reprint(ticket.number)
        settle(qtbot, runner)
    assert "未能打印" in view.last_status and view.statuses[-1][1]
    assert hall_state.get_ticket(hall, ticket.id).print_pending


def test_without_a_printer_there_is_no_reprint(qtbot: QtBot, hall: Database,
                                               owner: QObject) -> None:
    """A counter without a ticket printer never offers the reprint action."""
    presenter, view, _ = logged_in(qtbot, hall, owner, "wang", 1)
    assert not presenter.can_print
    presenter.reprint("A001")
    assert "当前状态下不能“补打小票…”" in view.last_status
    assert PrinterSettings.from_config(Config()) is None
    chosen = PrinterSettings.from_config(Config(), "tcp://10.0.0.9:9100")
    assert chosen is not None and (chosen.mode, chosen.paper_width_mm) == ("raster", 80)


@pytest.mark.parametrize(("args", "message"), [
    (["--window-display"], "--window-display needs the window number"),
    (["--window", "0"], "--window must be a positive window number"),
])
def test_command_line_refuses_bad_arguments(args: list[str], message: str,
                                            tmp_path: Path) -> None:
    """hallq-counter names what is wrong with its arguments and exits with 2."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen",
           "HALLQ_DATABASE_URL": f"sqlite:///{tmp_path / 'none.db'}"}
    result = subprocess.run([sys.executable, "-m", "counter_app.main", *args],
                            capture_output=True, text=True, cwd=ROOT, env=env, timeout=120)
    assert result.returncode == 2
    assert message in result.stderr


def test_the_counter_keeps_the_keyboard_when_the_pad_is_a_separate_window(
        qtbot: QtBot, hall: Database, empty_db_url: str) -> None:
    """One screen, no evaluation screen configured: the 服务评价 pad opens as a window of
    its own but the counter keeps the keyboard, so a clerk typing login<Tab>password
    types into the login form, not into the pad."""
    config = Config(database_url=empty_db_url, site=SITE)
    assert config.counter.evaluation_screen == -1
    counter = CounterTerminal(config, TerminalOptions(window=4, windowed=False))
    qtbot.addWidget(counter.screen)
    qtbot.addWidget(counter.pad)
    counter.start()
    try:
        page = counter.screen.login_page
        qtbot.waitUntil(lambda: counter.presenter is not None and page.submit.isEnabled(),
                        timeout=15_000)
        qtbot.waitUntil(counter.pad.isVisible, timeout=5_000)
        assert fits_on_screen(counter.pad)
        assert QApplication.activeWindow() is counter.screen
        assert QApplication.focusWidget() is page.login
        window = QGuiApplication.focusWindow()  # where the keyboard's keys go
        assert window is not None
        for key in "WANG":
            QTest.keyClick(window, Qt.Key(ord(key)))
        QTest.keyClick(window, Qt.Key.Key_Tab)
        for key in "SECRET":
            QTest.keyClick(window, Qt.Key(ord(key)))
        assert page.login.text() == "wang"
        assert page.password.text() == "secret"
    finally:
        counter.shutdown()
        shiboken6.delete(counter)

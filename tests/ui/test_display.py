"""The hall display offscreen, driven by real calls through the queue core."""

from __future__ import annotations

import datetime as dt
import gc
import itertools
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import shiboken6
from PySide6.QtCore import QCoreApplication, QTranslator
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from kiosk_app.display import controller as controller_module
from kiosk_app.display.announcer import Announcement, Reading
from kiosk_app.display.controller import DisplayController
from kiosk_app.display.window import DisplayWindow
from resources import resource_path
from shared import issuing, queue
from shared.db import Database
from shared.errors import DatabaseUnavailable
from shared.feed import DISPLAY_COUNTS_REFRESH_S
from shared.models import Site, SiteState
from shared.operation import Actor
from shared.qt.clock import MinuteClock
from shared.qt.fonts import install_app_font
from shared.read import hall_state
from shared.read.display_view import RecentCall
from shared.read.site import SiteInfo, site_info
from shared.views import ServiceQueue
from tests.ui.opening import opens_in

WAIT_MS = 5000


class HeldEngine:
    """A voice engine that plays until the test says the reading ended."""

    def __init__(self) -> None:
        self.played: list[tuple[str, int, Reading]] = []
        self._done: Callable[[], None] | None = None

    def start(self, announcement: Announcement, reading: Reading, on_done: Callable[[], None]
              ) -> None:
        assert self._done is None, "two readings overlap"
        self.played.append((announcement.number, announcement.window, reading))
        self._done = on_done

    @property
    def playing(self) -> bool:
        return self._done is not None

    def finish(self) -> None:
        done, self._done = self._done, None
        assert done is not None
        done()

    def finish_all(self) -> None:
        while self.playing:
            self.finish()

    def first_readings(self) -> list[str]:
        return [number for number, _, reading in self.played if reading is Reading.FIRST]

    def stop(self) -> None:
        self._done = None


class Hall:
    """An offscreen display of site "hall" with its engine, controller and database."""

    def __init__(self, qtbot: QtBot, db: Database, connect: Callable[[], tuple[Database, SiteInfo]],
                 clock: MinuteClock | None = None) -> None:
        self.db = db
        self.qtbot = qtbot
        self.window = DisplayWindow(notice="请按叫号顺序办理", highlight_seconds=8)
        qtbot.addWidget(self.window)
        self.window.resize(1280, 720)
        self.window.show()
        self.engine = HeldEngine()
        self.controller = DisplayController(self.window, self.engine, connect,
                                            poll_interval_ms=20, highlight_seconds=8, clock=clock)

    def start(self) -> None:
        self.controller.start()
        self.qtbot.waitUntil(lambda: self.controller.presenter.loaded, timeout=WAIT_MS)
        self.wait_settled()

    def wait_settled(self) -> None:
        self.qtbot.waitUntil(lambda: self.controller.idle, timeout=WAIT_MS)

    def wait_board(self, number: str) -> None:
        self.qtbot.waitUntil(lambda: self.window.board.number() == number, timeout=WAIT_MS)

    def issue(self, service: str, site: str = "hall") -> str:
        return issuing.issue_ticket(self.db, service, site=site).ticket.number

    def call(self, window: int, site: str = "hall") -> str:
        ticket = queue.call_next(self.db, window, site=site).ticket
        assert ticket is not None
        return ticket.number


@pytest.fixture
def hall(qtbot: QtBot, db: Database) -> Iterator[Hall]:
    install_app_font()
    display = Hall(qtbot, db, lambda: (db, site_info(db, "hall")))
    display.start()
    yield display
    display.controller.stop()
    # Deleted now rather than by a garbage collection during a later test (see
    # test_display_screens.OpenDisplay.close).
    display.window.close()
    shiboken6.delete(display.controller)
    shiboken6.delete(display.window)
    gc.collect()


def test_a_display_stopped_before_it_connected_starts_nothing(
        qtbot: QtBot, db: Database) -> None:
    """The connection's answer arrives after stop() (the display quit while the database
    was slow): it starts no change feed, whose deletion while running Qt answers with
    abort(), and no heartbeat (started on ``connected``)."""
    display = Hall(qtbot, db, lambda: (db, site_info(db, "hall")))
    connected: list[object] = []
    display.controller.connected.connect(lambda *args: connected.append(args))
    display.controller.start()
    display.controller.stop()  # waits for the connection; its answer is still queued
    qtbot.waitUntil(lambda: display.controller.runner.idle, timeout=WAIT_MS)
    assert display.controller._feed is None and connected == []
    shiboken6.delete(display.controller)


def test_a_call_appears_highlighted_and_is_announced(hall: Hall) -> None:
    """A counter's call shows on the big board, highlighted with its window, and is announced."""
    hall.issue("SA")
    number = hall.call(2)

    hall.wait_board(number)
    assert hall.window.board.is_highlighted()
    assert "2" in hall.window.board.caption()
    hall.qtbot.waitUntil(lambda: hall.engine.played == [("A001", 2, Reading.FIRST)], timeout=WAIT_MS)
    hall.engine.finish()
    assert hall.engine.played[-1] == ("A001", 2, Reading.REPEAT)


def test_a_recall_is_announced_again(hall: Hall) -> None:
    """Recalling a number announces it again, after the first announcement ended."""
    hall.issue("SA")
    hall.call(2)
    hall.qtbot.waitUntil(lambda: hall.engine.playing, timeout=WAIT_MS)
    hall.engine.finish_all()
    queue.recall(hall.db, "A001", site="hall", actor=Actor(window=2))

    hall.qtbot.waitUntil(lambda: hall.engine.first_readings() == ["A001", "A001"], timeout=WAIT_MS)


def test_quick_calls_each_spoken_once_newest_shown_at_once(hall: Hall) -> None:
    """Calls faster than speech: the newest is on the board at once, each queued call is read once."""
    for service in ("SA", "SA", "SB"):
        hall.issue(service)
    calls = [hall.call(2), hall.call(1), hall.call(3)]
    assert calls == ["A001", "A002", "B001"]

    hall.wait_board("B001")  # while A001 is still being announced
    assert hall.engine.first_readings() == ["A001"]
    hall.qtbot.waitUntil(lambda: len(hall.controller.announcer.waiting) == 2, timeout=WAIT_MS)
    hall.engine.finish_all()

    assert [(n, r) for n, _, r in hall.engine.played] == [
        ("A001", Reading.FIRST), ("A002", Reading.FIRST), ("B001", Reading.FIRST),
        ("B001", Reading.REPEAT)]
    assert [c.number for c in hall.window.history.calls()] == ["A002", "A001"]


def test_calls_at_another_site_are_neither_shown_nor_spoken(hall: Hall) -> None:
    """Two sites share the database; the display shows only its own site's calls."""
    hall.issue("SA", site="town")
    hall.call(1, site="town")
    hall.issue("SA")  # a change at the display's own site makes it re-read
    hall.qtbot.waitUntil(
        lambda: any(q.service == "SA" and q.waiting == 1 for q in hall.window.waiting.queues()),
        timeout=WAIT_MS)
    hall.wait_settled()

    assert hall.window.board.number() == "" and hall.engine.played == []


def test_waiting_per_service_is_shown(hall: Hall) -> None:
    """The waiting panel counts the tickets waiting for each service of the site."""
    for service in ("SA", "SA", "SB"):
        hall.issue(service)
    hall.qtbot.waitUntil(lambda: {q.service: q.waiting for q in hall.window.waiting.queues()}
                         == {"SA": 2, "SB": 1, "SC": 0, "SD": 0}, timeout=WAIT_MS)


def test_calls_show_at_once_and_the_counts_at_most_once_a_second(
        hall: Hall, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each call is shown as it comes; the waiting counts, which come with the wait
    prediction, are read at most once per DISPLAY_COUNTS_REFRESH_S, and in the end show
    the last change (the counts held back are read when the second has passed)."""
    reads: list[float] = []
    overview = hall_state.queue_overview

    def counted(db: Database, *, site: str | None = None) -> list[ServiceQueue]:
        reads.append(time.monotonic())
        return overview(db, site=site)

    monkeypatch.setattr(hall_state, "queue_overview", counted)
    for _ in range(4):
        hall.issue("SA")
        hall.issue("SB")
        number = hall.call(1)
        hall.wait_board(number)
        queue.start(hall.db, number, site="hall")
        queue.finish(hall.db, number, site="hall")
    hall.wait_settled()
    assert len(reads) >= 2
    # The times are taken on the worker thread, which may start a read a little late.
    assert all(later - earlier >= DISPLAY_COUNTS_REFRESH_S - 0.1
               for earlier, later in itertools.pairwise(reads))
    shown = {q.service: q.waiting for q in hall.window.waiting.queues()}
    assert shown == {q.service: q.waiting for q in overview(hall.db, site="hall")}
    assert sum(shown.values()) > 0


def test_calls_made_before_start_are_not_announced(qtbot: QtBot, db: Database) -> None:
    """A display started mid-morning shows the last call but does not announce old calls."""
    issuing.issue_ticket(db, "SA", site="hall")
    queue.call_next(db, 2, site="hall")
    display = Hall(qtbot, db, lambda: (db, site_info(db, "hall")))
    display.start()
    try:
        display.wait_board("A001")
        assert display.engine.played == []
    finally:
        display.controller.stop()


def test_unreachable_database_shows_offline_and_retries(qtbot: QtBot, db: Database,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """Without a database the display says it is reconnecting, and connects when it can."""
    monkeypatch.setattr(controller_module, "CONNECT_RETRY_MS", 50)
    attempts: list[int] = []

    def connect() -> tuple[Database, SiteInfo]:
        attempts.append(1)
        if len(attempts) < 3:
            raise DatabaseUnavailable("数据库无法连接 (test)")
        return db, site_info(db, "hall")

    display = Hall(qtbot, db, connect)
    display.controller.start()
    try:
        qtbot.waitUntil(lambda: display.window.status_label.text() != "", timeout=WAIT_MS)
        qtbot.waitUntil(lambda: display.controller.site is not None, timeout=WAIT_MS)
        qtbot.waitUntil(lambda: display.window.status_label.text() == "", timeout=WAIT_MS)
        assert len(attempts) == 3
    finally:
        display.controller.stop()


def test_the_notice_is_shown(hall: Hall) -> None:
    """The configured notice runs in the ticker."""
    assert hall.window.ticker.text() == "请按叫号顺序办理"


def test_quit_leaves_no_feed_thread_running(qtbot: QtBot, db: Database, tmp_path: Path) -> None:
    """Stopping the controller stops its change-feed thread."""
    display = Hall(qtbot, db, lambda: (db, site_info(db, "hall")))
    display.start()
    feed = display.controller._feed
    assert feed is not None and feed.isRunning()
    display.controller.stop()
    assert not feed.isRunning()


def test_english_comes_through_qt_translation(qtbot: QtBot) -> None:
    """With the display's English translation installed, the screen's texts are English."""
    translator = QTranslator()
    assert translator.load(str(resource_path("translations", "display_en.qm")))
    QCoreApplication.installTranslator(translator)
    try:
        window = DisplayWindow(notice="", highlight_seconds=8)
        qtbot.addWidget(window)
        call = RecentCall(event_id=1, ticket_id=1, number="A017", window=3, service_name="甲业务",
                          recall=False, at=dt.datetime.now(dt.UTC), age_seconds=0.0)
        window.show_call(call, highlight=True)
        window.show_online(False)
        assert window.board.caption() == "Please go to window 3"
        assert window.status_label.text() == "Network down, reconnecting…"
        assert window.now_label.text() == "Now calling"
    finally:
        QCoreApplication.removeTranslator(translator)


def _site_version(db: Database) -> int:
    with db.read() as session:
        return session.scalars(select(SiteState.version).join(Site, Site.id == SiteState.site_id)
                               .where(Site.code == "hall")).one()


def test_services_open_on_the_clock_without_any_ticket(qtbot: QtBot, db: Database) -> None:
    """Defect 5: at the opening time the waiting panel switches the services to open by
    itself — nothing is written to the database, no ticket is issued, the change feed
    stays silent; the minute clock makes the display re-read."""
    minute = 1_800_000_000.0  # a minute boundary (divisible by 60)
    now = [minute + 5.0]  # well into a minute: the next tick is 56 s away
    clock = MinuteClock(now=lambda: now[0])
    opens_in(db, "hall", 30)
    display = Hall(qtbot, db, lambda: (db, site_info(db, "hall")), clock=clock)
    display.start()
    try:
        queues = display.window.waiting.queues()
        assert queues and not any(q.open_now for q in queues)
        assert clock.milliseconds_to_next() == 56_000
        version = _site_version(db)

        opens_in(db, "hall", 0)  # the clock has reached the opening time...
        qtbot.wait(300)  # ...and the change feed (polling every 20 ms) has nothing to say
        assert not any(q.open_now for q in display.window.waiting.queues())

        now[0] = minute + 60 - 0.1  # the PC's clock just before the next minute
        clock.start()  # what the running timer does each minute, re-armed from that time
        assert clock.milliseconds_to_next() == 1_100
        qtbot.waitUntil(lambda: all(q.open_now for q in display.window.waiting.queues()),
                        timeout=WAIT_MS)
        assert _site_version(db) == version  # nothing was written: the clock did it
    finally:
        display.controller.stop()


@pytest.mark.parametrize(("offset", "expected_ms"), [
    (0.0, 1_000), (0.5, 500), (0.999, 1), (1.0, 60_000), (1.25, 59_750), (59.9, 1_100)])
def test_the_minute_clock_fires_just_after_each_minute_begins(
        qtbot: QtBot, offset: float, expected_ms: int) -> None:
    """The clock fires one second into each minute of the wall clock, whatever the time
    it was started at."""
    clock = MinuteClock(now=lambda: 1_800_000_000.0 + offset)
    assert clock.milliseconds_to_next() == expected_ms


def test_the_minute_clock_keeps_firing(qtbot: QtBot) -> None:
    """Each firing re-arms the clock for the next minute."""
    now = [1_800_000_000.0 + 0.95]
    clock = MinuteClock(now=lambda: now[0])
    fired: list[int] = []
    clock.minute.connect(lambda: fired.append(1))
    clock.start()
    with qtbot.waitSignal(clock.minute, timeout=2000):
        pass
    assert clock.is_active() and fired == [1]
    clock.stop()
    assert not clock.is_active()

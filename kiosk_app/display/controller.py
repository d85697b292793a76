"""Wires the hall display to the database: change feed in, presenter and voice out.

The :class:`~shared.qt.feed.FeedThread` says *that* the site changed (LISTEN/NOTIFY on
PostgreSQL, polling elsewhere); the controller then reads the recent calls off the GUI
thread and hands them to the presenter, and afterwards the waiting counts, those at most
once per DISPLAY_COUNTS_REFRESH_S (a timer reads them when the second has passed: calls
come up to four times a second, and the counts come with the wait prediction, the
dearer read). Reads are never stacked: a change that arrives during a read triggers
exactly one more read.
An unreachable database at start-up is retried every few seconds while the screen shows
its offline state. Opening hours change what is shown without any change in the
database (a service opens at 09:00): a :class:`~shared.qt.clock.MinuteClock` re-reads at
the start of every minute, as the kiosk does.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable

from PySide6.QtCore import QObject, Qt, QTimer, Signal

from kiosk_app.display.announcer import Announcer, VoiceEngine
from kiosk_app.display.presenter import READ_LIMIT, HallPresenter
from kiosk_app.display.window import DisplayWindow
from shared.db import Database
from shared.feed import (
    DISPLAY_COUNTS_REFRESH_S,
    DISPLAY_REFRESH_MAX_S,
    REFRESH_INTERVAL_S,
    Change,
    RefreshPacer,
    Throttle,
)
from shared.qt.clock import MinuteClock
from shared.qt.feed import FeedThread
from shared.qt.ops import OperationRunner
from shared.read import hall_state
from shared.read.display_view import (
    COUNTS_ONLY,
    RecentCall,
    concerns_calls,
    concerns_display,
    recent_calls,
)
from shared.read.site import SiteInfo
from shared.views import ServiceQueue

log = logging.getLogger(__name__)

#: Seconds between attempts to reach the database at start-up.
CONNECT_RETRY_MS = 3000

Connect = Callable[[], tuple[Database, SiteInfo]]


class DisplayController(QObject):
    """Runs one hall display: ``start()`` once, ``stop()`` before quitting."""

    #: Emitted with the event id each time a new call is put on the big board.
    call_shown = Signal(int)
    #: Emitted after each reading of the recent calls has been presented.
    calls_refreshed = Signal()
    #: Emitted once connected, with the database and the site shown (the heartbeat starts).
    connected = Signal(object, object)

    def __init__(self, window: DisplayWindow, engine: VoiceEngine, connect: Connect, *,
                 poll_interval_ms: int, highlight_seconds: float,
                 refresh_ms: int = int(REFRESH_INTERVAL_S * 1000),
                 clock: MinuteClock | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.window = window
        self.announcer = Announcer(engine)
        self.presenter = HallPresenter(window, self.announcer, highlight_seconds=highlight_seconds)
        self.runner = OperationRunner(self)
        self._connect_fn = connect
        self._poll_interval_ms = poll_interval_ms
        self._refresh_s = min(refresh_ms / 1000, DISPLAY_REFRESH_MAX_S)
        self._db: Database | None = None
        self._site: SiteInfo | None = None
        self._feed: FeedThread | None = None
        self._reading = False
        self._read_again = False
        self._calls_again = False
        self._stopped = False
        self._counts_throttle = Throttle(DISPLAY_COUNTS_REFRESH_S)
        self._counts_timer = QTimer(self)  # the counts held back by the throttle
        self._counts_timer.setSingleShot(True)
        self._counts_timer.setTimerType(Qt.TimerType.PreciseTimer)  # not a little early
        self._counts_timer.timeout.connect(lambda: self.refresh(COUNTS_ONLY))
        self.clock = clock or MinuteClock(self)
        self.clock.minute.connect(self.refresh)

    @property
    def site(self) -> SiteInfo | None:
        return self._site

    @property
    def idle(self) -> bool:
        """No read in flight or pending (tests wait for this)."""
        return (not self._reading and not self._read_again and self.runner.idle
                and not self._counts_timer.isActive())

    def start(self) -> None:
        self.runner.run(self._connect_fn, on_success=self._connected, on_failure=self._not_connected)

    def stop(self) -> None:
        self._stopped = True
        self.clock.stop()
        self._counts_timer.stop()
        if self._feed is not None:
            self._feed.stop()
            self._feed = None
        self.announcer.stop()
        self.runner.wait_done(5000)

    # --- connecting ------------------------------------------------------------------------
    def _connected(self, result: tuple[Database, SiteInfo]) -> None:
        if self._stopped:
            return
        self._db, self._site = result
        log.info("showing site %s (%s)", self._site.code, self._site.name)
        self.window.set_site(self._site.name, self._site.timezone)
        feed = FeedThread(self._db, self._site.id, poll_interval=self._poll_interval_ms / 1000,
                          concerns=concerns_display, pacer=RefreshPacer(self._refresh_s),
                          parent=self)
        feed.changed.connect(self.refresh)
        feed.online_changed.connect(self.presenter.online_changed)
        self._feed = feed
        feed.start()
        self.clock.start()
        self.connected.emit(self._db, self._site)

    def _not_connected(self, exc: BaseException) -> None:
        log.warning("cannot reach the database (%s); retrying", exc)
        self.presenter.online_changed(False)
        if not self._stopped:
            QTimer.singleShot(CONNECT_RETRY_MS, self.start)

    # --- reading ---------------------------------------------------------------------------
    def refresh(self, change: Change | None = None) -> None:
        """Re-read the recent calls, then the waiting counts (coalescing overlapping calls;
        the counts at most once per DISPLAY_COUNTS_REFRESH_S, see :meth:`_read_counts`).
        A change that made no call (a number issued, a ticket cancelled) re-reads only the
        counts. Two reads, not one snapshot: a call is shown without waiting for the wait
        prediction the counts come with."""
        if self._db is None or self._site is None or self._stopped:
            return
        calls = change is None or concerns_calls(change)
        if self._reading:
            self._read_again = True
            self._calls_again = self._calls_again or calls
            return
        self._reading = True
        self._read_again = self._calls_again = False
        db, code = self._db, self._site.code
        if not calls:
            self._read_counts()
            return
        self.runner.run(lambda: recent_calls(db, code, READ_LIMIT),
                        on_success=self._calls_read, on_failure=self._read_failed)

    def _calls_read(self, calls: list[RecentCall]) -> None:
        if self._stopped:
            return
        before = self.presenter.shown_event
        self.presenter.calls_loaded(calls)
        if self.presenter.shown_event != before and self.presenter.shown_event is not None:
            self.call_shown.emit(self.presenter.shown_event)
        self.calls_refreshed.emit()
        self._read_counts()

    def _read_counts(self) -> None:
        """Read the waiting counts, or if they were read less than a throttle's interval
        ago, have the timer read them when it has passed (this read ends here)."""
        wait = self._counts_throttle.start_in()
        if wait > 0:
            if not self._counts_timer.isActive():
                self._counts_timer.start(math.ceil(wait * 1000))
            self._read_done()
            return
        db, code = self._db, self._site.code if self._site else None
        assert db is not None
        self.runner.run(lambda: hall_state.queue_overview(db, site=code),
                        on_success=self._queues_read, on_failure=self._read_failed)

    def _queues_read(self, queues: list[ServiceQueue]) -> None:
        if not self._stopped:
            self.presenter.queues_loaded(queues)
        self._read_done()

    def _read_failed(self, exc: BaseException) -> None:
        # The feed notices a lost database by itself and shows the offline state.
        log.warning("reading the hall's calls failed: %s", exc)
        self._read_done()

    def _read_done(self) -> None:
        self._reading = False
        if self._read_again:
            self.refresh(None if self._calls_again else COUNTS_ONLY)

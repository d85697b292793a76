"""The change feed's events (shared/feed.py) on every backend: each change says its kinds
and the tickets, windows and services involved (NOTIFY payload on PostgreSQL, the event
log past the last id seen elsewhere), and each terminal's rule (shared/read) picks the
changes that concern it.

Test catalog: window 1 serves SA and SB, window 2 SA, window 3 SB and SC, window 4 SD.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator

import pytest
import shiboken6
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from shared import clerks, feed, issuing, queue
from shared.db import Database
from shared.feed import Change, ChangeWatcher
from shared.models import Service, Window
from shared.qt import feed as qt_feed
from shared.qt.feed import FeedThread
from shared.read.counter_view import concerns_counter
from shared.read.display_view import concerns_calls, concerns_display
from shared.read.kiosk_view import concerns_kiosk
from shared.read.site import site_info
from tests.integration.conftest import collect

pytestmark = pytest.mark.all_backends


@pytest.fixture
def watcher(db: Database) -> Iterator[ChangeWatcher]:
    w = ChangeWatcher(db, site_info(db, "hall").id, poll_interval=0.02)
    first = w.changes(timeout=2.0)
    assert [c.everything for c in first] == [True]  # the first look: refresh everything
    yield w
    w.close()


def ids(db: Database) -> tuple[dict[int, int], dict[str, int]]:
    with db.read() as session:
        windows = dict(session.execute(select(Window.number, Window.id)).all())
        services = dict(session.execute(select(Service.code, Service.id)).all())
    return {int(k): int(v) for k, v in windows.items()}, {str(k): int(v)
                                                          for k, v in services.items()}


def with_kind(kind: str) -> Callable[[list[Change]], bool]:
    return lambda seen: any(kind in c.kinds for c in seen)


def test_changes_name_kind_ticket_window_and_service(db: Database,
                                                     watcher: ChangeWatcher) -> None:
    windows, services = ids(db)
    issued = issuing.issue_ticket(db, "SB", site="hall").ticket
    change = next(c for c in collect(watcher, with_kind("issue")) if "issue" in c.kinds)
    assert change.tickets == {issued.id} and change.services == {services["SB"]}
    assert not change.everything
    called = queue.call_next(db, 3, site="hall").ticket
    assert called is not None and called.id == issued.id
    change = next(c for c in collect(watcher, with_kind("call")) if "call" in c.kinds)
    assert change.kinds == {"call"} and change.tickets == {issued.id}
    assert change.windows == {windows[3]} and change.services == {services["SB"]}
    # Window 3's counter and the hall display care; window 4's counter (SD) does not.
    assert concerns_counter(change, windows[3], frozenset({services["SB"], services["SC"]}))
    assert not concerns_counter(change, windows[4], frozenset({services["SD"]}))
    assert concerns_display(change) and concerns_calls(change) and concerns_kiosk(change)
    queue.start(db, issued.number, site="hall")
    change = next(c for c in collect(watcher, with_kind("start")) if "start" in c.kinds)
    # Service starting changes no call and no count.
    assert not concerns_display(change) and not concerns_kiosk(change)
    assert not concerns_counter(change, windows[1], frozenset({services["SA"]}))


def test_each_change_once_in_commit_order(db: Database, watcher: ChangeWatcher) -> None:
    tickets = [issuing.issue_ticket(db, "SA", site="hall").ticket.id for _ in range(5)]
    seen = collect(watcher, lambda s: {t for c in s for t in c.tickets} >= set(tickets))
    issues = [t for c in seen if "issue" in c.kinds for t in c.tickets]
    assert sorted(issues) == tickets  # none twice
    assert not any(c.everything for c in seen)
    assert watcher.changes(timeout=0.3) == []  # nothing more


class CountingWatcher(ChangeWatcher):
    """Counts the feed's looks at the database: each wake-up for a notification
    (PostgreSQL) or poll of the change marker (MariaDB, SQLite)."""

    looks = 0

    def _wait_notify(self, timeout: float) -> None:
        self.looks += 1
        super()._wait_notify(timeout)

    def _poll_changes(self) -> list[Change]:
        self.looks += 1
        return super()._poll_changes()


def merge(changes: list[Change]) -> Change | None:
    merged: Change | None = None
    for change in changes:
        merged = change if merged is None else merged.merged(change)
    return merged


def test_a_paced_feed_rests_while_it_holds_a_change(db: Database) -> None:
    """While the pacer holds a change, the changes arriving meanwhile only merge into it:
    the watcher rests until the held one is due and takes them all in at one look, none
    lost, rather than waking for each (PostgreSQL) or polling all along (the others)."""
    w = CountingWatcher(db, site_info(db, "hall").id, poll_interval=0.02)
    pacer = feed.RefreshPacer(1.0)
    try:
        w.changes(timeout=2.0)  # the first look
        issuing.issue_ticket(db, "SA", site="hall")
        first = pacer.pace(merge(w.paced_changes(pacer, 2.0)))
        assert first is not None  # the first change after a quiet interval: at once
        issuing.issue_ticket(db, "SB", site="hall")
        held = pacer.pace(merge(w.paced_changes(pacer, 2.0)))
        assert held is None and pacer.wait_time() is not None  # held: within the interval
        numbers: list[int] = []

        def issue_meanwhile() -> None:  # another kiosk, while the change is held
            for _ in range(6):
                numbers.append(issuing.issue_ticket(db, "SB", site="hall").ticket.id)
                time.sleep(0.04)

        kiosk = threading.Thread(target=issue_meanwhile)
        w.looks = 0
        kiosk.start()
        taken: list[Change] = []
        started = time.monotonic()
        while kiosk.is_alive() or not set(numbers) <= {t for c in taken for t in c.tickets}:
            assert time.monotonic() - started < 5, taken
            taken += w.paced_changes(pacer, 0.2)
        kiosk.join()
        assert w.looks <= 3, w.looks  # when due (and for any issued just after)
        assert set(numbers) <= {t for c in taken for t in c.tickets}  # none lost
    finally:
        w.close()


def test_transfer_concerns_the_counter_it_goes_to(db: Database, watcher: ChangeWatcher) -> None:
    windows, services = ids(db)
    ticket = issuing.issue_ticket(db, "SD", site="hall").ticket
    queue.transfer(db, ticket.number, to_service="SC", site="hall")
    change = next(c for c in collect(watcher, with_kind("transfer")) if "transfer" in c.kinds)
    assert concerns_counter(change, windows[3], frozenset({services["SB"], services["SC"]}))


def test_presence_and_other_writes(db: Database, watcher: ChangeWatcher) -> None:
    """Logging in concerns the window and the kiosks (who serves changes the wait);
    a write whose extent a watcher cannot tell is a change of everything."""
    windows, _ = ids(db)
    clerks.add_clerk(db, "wangf", "王芳", "wangf-password")
    clerks.login_at_window(db, "wangf", "wangf-password", 2, site="hall")
    seen = collect(watcher, lambda s: any("login" in c.kinds or c.everything for c in s))
    change = next(c for c in seen if "login" in c.kinds or c.everything)
    assert change.everything or change.windows == {windows[2]}
    assert concerns_kiosk(change) and concerns_counter(change, windows[2], frozenset())
    queue.pause_window(db, 2, "午休", site="hall", clerk="wangf")
    collect(watcher, lambda s: any("pause" in c.kinds for c in s))
    # A change without events (a remote ticket is one) is reported, whatever the backend.
    before = feed.current_version(db, site_info(db, "hall").id)
    db.write(lambda session: feed.touch(session, site_info(db, "hall").id), name="test")
    seen = collect(watcher, lambda s: len(s) > 0)
    assert any(c.everything for c in seen)
    assert feed.current_version(db, site_info(db, "hall").id) == before + 1


def test_feed_thread_passes_on_only_what_concerns_its_screen(qtbot: QtBot, db: Database) -> None:
    """The Qt apps' one feed object: a counter at window 3 (SB, SC) hears of a call at
    its window, not of one at window 4 (SD)."""
    windows, services = ids(db)
    mine = frozenset({services["SB"], services["SC"]})
    thread = FeedThread(db, site_info(db, "hall").id, poll_interval=0.02,
                        concerns=lambda c: concerns_counter(c, windows[3], mine))
    heard: list[Change] = []
    thread.changed.connect(heard.append)
    thread.start()
    try:
        qtbot.waitUntil(lambda: len(heard) == 1, timeout=5000)  # the first: everything
        issuing.issue_ticket(db, "SD", site="hall")
        queue.call_next(db, 4, site="hall")
        qtbot.waitUntil(lambda: thread.received >= 3, timeout=5000)
        assert len(heard) == 1
        issuing.issue_ticket(db, "SC", site="hall")
        qtbot.waitUntil(lambda: len(heard) == 2, timeout=5000)
        assert heard[1].services == {services["SC"]} and not heard[1].everything
    finally:
        thread.stop()


def test_a_screen_closing_while_its_feed_is_inside_a_database_call_does_not_abort(
        db: Database, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> None:
    """A screen closes while its feed waits on a slow LAN: Qt aborts the whole process when
    a running QThread is destroyed, so the feed outlives the screen and ends on its own."""
    entered, release = threading.Event(), threading.Event()
    real_changes = ChangeWatcher.changes

    def slow_changes(self: ChangeWatcher, timeout: float = 1.0) -> list[Change]:
        found = real_changes(self, timeout=0.05)
        entered.set()
        release.wait(10)  # a query the server answers late: no interrupt reaches it
        return found

    monkeypatch.setattr(ChangeWatcher, "changes", slow_changes)
    screen = QWidget()
    thread = FeedThread(db, site_info(db, "hall").id, poll_interval=0.02, parent=screen)
    thread.start()
    assert entered.wait(10)
    assert thread.stop(wait_ms=100) is False  # still inside the call
    assert thread.parent() is None
    shiboken6.delete(screen)  # the screen is gone, the thread still runs
    release.set()
    qtbot.waitUntil(thread.isFinished, timeout=10_000)
    qtbot.waitUntil(lambda: thread not in qt_feed._outliving, timeout=5000)

"""The hall display's announcement queue and presenter, on a fake engine and a fake view."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest

from kiosk_app.display.announcer import SEEN_MEMORY, Announcement, Announcer, Reading
from kiosk_app.display.presenter import STALE_CALL_SECONDS, HallPresenter, earlier_calls
from shared.read.display_view import RecentCall
from shared.views import ServiceQueue


class FakeEngine:
    """Records each reading it is asked to play; the test decides when it ends."""

    def __init__(self, *, finish_at_once: bool = False, fail: bool = False) -> None:
        self.played: list[tuple[str, int, Reading]] = []
        self._done: Callable[[], None] | None = None
        self.finish_at_once = finish_at_once
        self.fail = fail
        self.stopped = False

    def start(self, announcement: Announcement, reading: Reading, on_done: Callable[[], None]
              ) -> None:
        self.played.append((announcement.number, announcement.window, reading))
        if self.fail:
            raise RuntimeError("no sound card")
        assert self._done is None, "a reading started while another was playing"
        if self.finish_at_once:
            on_done()
        else:
            self._done = on_done

    def finish(self) -> None:
        done, self._done = self._done, None
        assert done is not None, "nothing is playing"
        done()

    @property
    def playing(self) -> bool:
        return self._done is not None

    def stop(self) -> None:
        self.stopped = True
        self._done = None


def call(event_id: int, number: str = "A001", window: int = 1) -> Announcement:
    return Announcement(event_id, number, window)


FIRST, REPEAT = Reading.FIRST, Reading.REPEAT


def test_a_lone_call_is_spoken_twice() -> None:
    """With nothing else waiting, a call gets the chime and two readings, one after the other."""
    engine = FakeEngine()
    announcer = Announcer(engine)
    announcer.announce(call(1, "A017", 3))
    assert engine.played == [("A017", 3, FIRST)]
    engine.finish()
    assert engine.played == [("A017", 3, FIRST), ("A017", 3, REPEAT)]
    engine.finish()
    assert not engine.playing and announcer.speaking is None


def test_calls_queue_up_and_are_never_dropped() -> None:
    """Calls arriving while one is spoken wait their turn, in order, and all are spoken."""
    engine = FakeEngine()
    announcer = Announcer(engine)
    for event_id, number in enumerate(["A001", "A002", "A003"], start=1):
        announcer.announce(call(event_id, number))
    while engine.playing:
        engine.finish()
    assert [n for n, _, reading in engine.played if reading is FIRST] == ["A001", "A002", "A003"]


def test_in_a_rush_each_call_is_spoken_once() -> None:
    """While others wait, a call is read once; the last one, with nobody behind, twice."""
    engine = FakeEngine()
    announcer = Announcer(engine)
    for event_id, number in enumerate(["A001", "A002", "A003"], start=1):
        announcer.announce(call(event_id, number))
    while engine.playing:
        engine.finish()
    assert [(n, r) for n, _, r in engine.played] == [
        ("A001", FIRST), ("A002", FIRST), ("A003", FIRST), ("A003", REPEAT)]


def test_a_call_arriving_mid_announcement_skips_the_second_reading() -> None:
    """A call made during the first reading cuts the current call's repeat, not its first reading."""
    engine = FakeEngine()
    announcer = Announcer(engine)
    announcer.announce(call(1, "A001"))
    announcer.announce(call(2, "B001"))
    assert engine.played == [("A001", 1, FIRST)]  # no overlap: B waits
    engine.finish()
    assert engine.played[-1] == ("B001", 1, FIRST)


def test_the_same_event_is_announced_once() -> None:
    """Re-reading the recent calls hands the same event again; it is not spoken again."""
    engine = FakeEngine(finish_at_once=True)
    announcer = Announcer(engine)
    assert announcer.announce(call(7)) is True
    assert announcer.announce(call(7)) is False
    assert len(engine.played) == 2


def test_a_recall_is_announced_again() -> None:
    """A recall is a new event for the same number: it is announced again."""
    engine = FakeEngine(finish_at_once=True)
    announcer = Announcer(engine)
    announcer.announce(call(1, "A017", 3))
    announcer.announce(call(2, "A017", 3))
    assert [r for _, _, r in engine.played] == [FIRST, REPEAT, FIRST, REPEAT]


def test_a_recall_of_a_call_still_waiting_is_not_queued_twice() -> None:
    """The same number to the same window, still waiting to be spoken, is queued once."""
    engine = FakeEngine()
    announcer = Announcer(engine)
    announcer.announce(call(1, "A001"))
    announcer.announce(call(2, "B005", 3))
    assert announcer.announce(call(3, "B005", 3)) is False
    assert [a.number for a in announcer.waiting] == ["B005"]


def test_marked_events_are_not_announced() -> None:
    """Calls made before the display started are remembered as seen and stay silent."""
    engine = FakeEngine()
    announcer = Announcer(engine)
    announcer.mark_seen([1, 2])
    assert announcer.announce(call(2)) is False
    assert engine.played == []


def test_a_failing_engine_does_not_stall_the_queue() -> None:
    """An engine that raises is logged and the next call still gets its turn."""
    engine = FakeEngine(fail=True)
    announcer = Announcer(engine)
    announcer.announce(call(1, "A001"))
    announcer.announce(call(2, "A002"))
    assert [n for n, _, r in engine.played if r is FIRST] == ["A001", "A002"]
    assert announcer.speaking is None and announcer.waiting == []


def test_a_late_second_done_report_is_ignored() -> None:
    """An engine reporting the end twice (watchdog and backend) does not skip a reading."""
    engine = FakeEngine()
    announcer = Announcer(engine)
    announcer.announce(call(1, "A001"))
    first_done = engine._done
    engine.finish()
    assert first_done is not None
    first_done()  # the stale report
    assert engine.played == [("A001", 1, FIRST), ("A001", 1, REPEAT)] and engine.playing


def test_stop_clears_the_queue() -> None:
    """Closing the display stops the engine and forgets what was still waiting."""
    engine = FakeEngine()
    announcer = Announcer(engine)
    announcer.announce(call(1))
    announcer.announce(call(2, "A002"))
    announcer.stop()
    assert engine.stopped and announcer.waiting == [] and announcer.speaking is None


def test_seen_memory_is_bounded() -> None:
    """The memory of handled events keeps only the newest, so a long day cannot grow it."""
    announcer = Announcer(FakeEngine())
    announcer.mark_seen(range(SEEN_MEMORY + 10))
    assert not announcer.has_seen(0) and announcer.has_seen(SEEN_MEMORY + 9)


# --------------------------------------------------------------------------- presenter


class FakeView:
    def __init__(self) -> None:
        self.call: RecentCall | None = None
        self.highlight: bool | None = None
        self.history: list[RecentCall] = []
        self.queues: list[ServiceQueue] = []
        self.online = True
        self.calls_shown = 0

    def show_call(self, call: RecentCall | None, *, highlight: bool) -> None:
        self.call, self.highlight = call, highlight
        self.calls_shown += 1

    def show_history(self, calls: list[RecentCall]) -> None:
        self.history = calls

    def show_waiting(self, queues: list[ServiceQueue]) -> None:
        self.queues = queues

    def show_online(self, online: bool) -> None:
        self.online = online


def recent(event_id: int, number: str, window: int, *, ticket_id: int | None = None,
           age: float = 1.0, recall: bool = False) -> RecentCall:
    return RecentCall(event_id=event_id, ticket_id=ticket_id or event_id, number=number,
                      window=window, service_name="甲业务", recall=recall,
                      at=dt.datetime(2024, 9, 26, 9, 0, tzinfo=dt.UTC), age_seconds=age)


def presenter() -> tuple[HallPresenter, FakeView, FakeEngine]:
    view, engine = FakeView(), FakeEngine(finish_at_once=True)
    return HallPresenter(view, Announcer(engine), highlight_seconds=8), view, engine


def test_calls_before_start_are_shown_not_announced() -> None:
    """At start-up the newest call is shown, but nothing made before is announced."""
    hall, view, engine = presenter()
    hall.calls_loaded([recent(2, "A002", 2, age=60), recent(1, "A001", 1, age=90)])
    assert view.call is not None and view.call.number == "A002"
    assert view.highlight is False  # a minute old: no longer "just called"
    assert engine.played == []


def test_new_calls_are_shown_highlighted_and_announced_oldest_first() -> None:
    """Calls new since the last reading are announced in call order; the newest is on the board."""
    hall, view, engine = presenter()
    hall.calls_loaded([])
    announced = hall.calls_loaded([recent(3, "A003", 1), recent(2, "B001", 3)])
    assert [c.number for c in announced] == ["B001", "A003"]
    assert view.call is not None and view.call.number == "A003" and view.highlight is True
    assert [n for n, _, r in engine.played if r is FIRST] == ["B001", "A003"]


def test_rereading_the_same_calls_changes_nothing() -> None:
    """A change elsewhere at the site (a ticket issued) neither re-announces nor re-highlights."""
    hall, view, engine = presenter()
    hall.calls_loaded([])
    hall.calls_loaded([recent(1, "A001", 1)])
    played, shown = list(engine.played), view.calls_shown
    hall.calls_loaded([recent(1, "A001", 1)])
    assert engine.played == played and view.calls_shown == shown


def test_after_an_outage_only_fresh_calls_are_announced() -> None:
    """Calls missed during an outage are shown, but only those younger than the stale limit are spoken."""
    hall, view, engine = presenter()
    hall.calls_loaded([])
    hall.calls_loaded([recent(2, "A002", 1, age=5), recent(1, "A001", 1, age=STALE_CALL_SECONDS + 1)])
    assert [n for n, _, r in engine.played if r is FIRST] == ["A002"]
    assert view.call is not None and [c.number for c in view.history] == ["A001"]


def test_history_lists_each_earlier_ticket_once() -> None:
    """The history leaves out the ticket on the board and shows a recalled ticket once."""
    calls = [recent(5, "A003", 1, ticket_id=3), recent(4, "A002", 2, ticket_id=2, recall=True),
             recent(3, "A003", 1, ticket_id=3), recent(2, "A002", 2, ticket_id=2),
             recent(1, "A001", 1, ticket_id=1)]
    assert [c.number for c in earlier_calls(calls, 6)] == ["A002", "A001"]
    assert [c.number for c in earlier_calls(calls, 1)] == ["A002"]
    assert earlier_calls([], 6) == []


@pytest.mark.parametrize("online", [False, True])
def test_online_state_reaches_the_view(online: bool) -> None:
    """The feed's online state is shown as is."""
    hall, view, _ = presenter()
    hall.online_changed(online)
    assert view.online is online

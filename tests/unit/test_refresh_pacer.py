"""The pacing of screen re-reads (shared.feed.RefreshPacer) and the throttle of the
display's counts (shared.feed.Throttle), on a clock the test moves."""

from __future__ import annotations

import pytest

from shared.feed import Change, RefreshPacer, Throttle, everything


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def change(ticket: int, window: int = 1) -> Change:
    return Change(1, frozenset({"issue"}), frozenset({ticket}), frozenset({window}))


def test_first_change_passes_at_once_then_a_burst_is_held_and_merged() -> None:
    clock = Clock()
    pacer = RefreshPacer(1.0, clock=clock)
    assert pacer.offer(change(1)) == change(1)
    clock.now += 0.1
    assert pacer.offer(change(2)) is None
    clock.now += 0.2
    assert pacer.offer(change(3, window=2)) is None
    assert pacer.wait_time() == pytest.approx(0.7)
    assert pacer.due() is None  # not yet
    clock.now += 0.7
    due = pacer.due()
    assert due is not None and due.tickets == {2, 3} and due.windows == {1, 2}
    assert pacer.due() is None and pacer.wait_time() is None  # given once
    clock.now += 0.5  # within the interval of that read: held again
    assert pacer.offer(change(4)) is None
    clock.now += 0.5
    assert pacer.offer(change(5)) == change(4).merged(change(5))


def test_everything_passes_at_once_with_what_was_held() -> None:
    clock = Clock()
    pacer = RefreshPacer(1.0, clock=clock)
    pacer.offer(change(1))
    clock.now += 0.1
    assert pacer.offer(change(2)) is None
    passed = pacer.offer(everything(1))
    assert passed is not None and passed.everything and 2 in passed.tickets
    assert pacer.wait_time() is None


def test_a_read_of_the_screens_own_drops_what_it_shows() -> None:
    clock = Clock()
    pacer = RefreshPacer(1.0, clock=clock)
    pacer.offer(change(1))
    clock.now += 0.1
    assert pacer.offer(change(2)) is None
    clock.now += 0.1
    pacer.read_started()  # e.g. after the clerk's call: it reads change 2 as well
    assert pacer.wait_time() is None
    clock.now += 0.5
    assert pacer.offer(change(3)) is None  # the interval counts from that read
    assert pacer.wait_time() == pytest.approx(0.5)
    # A read that began before a held change arrived does not show it.
    pacer.read_started(at=clock.now - 0.1)
    assert pacer.wait_time() == pytest.approx(0.9)  # and the interval counts from it
    clock.now += 0.9
    assert pacer.due() == change(3)


def test_a_feed_waits_no_longer_than_a_held_change_takes_to_fall_due() -> None:
    clock = Clock()
    pacer = RefreshPacer(1.0, clock=clock)
    assert pacer.timeout(0.5) == 0.5  # nothing held
    assert pacer.pace(change(1)) == change(1)
    clock.now += 0.8
    assert pacer.pace(change(2)) is None
    assert pacer.timeout(0.5) == pytest.approx(0.2)
    assert pacer.pace(None) is None  # a look that found nothing: not yet due
    clock.now += 0.2
    assert pacer.pace(None) == change(2)


def test_interval_zero_passes_every_change() -> None:
    pacer = RefreshPacer(0.0, clock=Clock())
    assert [pacer.offer(change(n)) for n in range(3)] == [change(0), change(1), change(2)]


def test_a_negative_interval_is_refused() -> None:
    with pytest.raises(ValueError, match="negative"):
        RefreshPacer(-1.0)


def test_the_throttle_lets_a_read_start_once_per_interval() -> None:
    clock = Clock()
    throttle = Throttle(1.0, clock=clock)
    assert throttle.start_in() == 0.0  # the first read at once
    clock.now += 0.3
    assert throttle.start_in() == pytest.approx(0.7)
    clock.now += 0.5
    assert throttle.start_in() == pytest.approx(0.2)  # asking did not restart the interval
    clock.now += 0.2
    assert throttle.start_in() == 0.0
    assert throttle.start_in() == pytest.approx(1.0)  # that read restarted it
    clock.now += 5.0
    assert throttle.start_in() == 0.0
    with pytest.raises(ValueError, match="negative"):
        Throttle(-1.0)

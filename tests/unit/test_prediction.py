"""The wait predictor's arithmetic and its replay on hand-built hall states (no
database): ranges, service-time mixing, pauses per hour, lunch and closing, the
weighted interleave, the accuracy definition and the printed and shown texts."""

from __future__ import annotations

import datetime as dt

import pytest

from shared.models import Site
from shared.prediction import (
    FIXED_SPREAD_MINUTES,
    NO_SHOW_MINUTES,
    RANGE_Z,
    ROUND_MINUTES,
    HallState,
    Profile,
    ServiceTime,
    _mixed,
    _Waiting,
    _Window,
    estimate_new_ticket,
    estimate_waiting_ticket,
    naive_wait_minutes,
    range_text,
    rounded_range,
    spread_pauses,
)
from shared.printing.layout import wait_text
from shared.routing import RoutingRules
from shared.stats.estimates import EstimateSample, accuracy_of

NOW = dt.datetime(2026, 3, 2, 2, 0, tzinfo=dt.UTC)  # 10:00 in Asia/Shanghai
SA, SB = 1, 2


def _state(windows: list[_Window], waiting: list[_Waiting], *, minutes: float = 10.0,
           spans: list[tuple[dt.datetime, dt.datetime]] | None = None,
           profile: Profile | None = None) -> HallState:
    site = Site(code="hall", name="测试", timezone="Asia/Shanghai", calendar={}, routing={})
    if profile is None:
        profile = Profile()
        for sid in (SA, SB):
            profile.durations[(sid, None)] = ServiceTime(minutes * 60, 0.0)
    day_spans = spans or [(NOW - dt.timedelta(hours=2), NOW + dt.timedelta(hours=7))]
    return HallState(site, RoutingRules(), NOW, NOW.date(), windows, False, waiting, profile,
                     {SA: day_spans, SB: day_spans})


def _window(wid: int, weights: dict[int, int], free_in: float = 0.0) -> _Window:
    return _Window(wid, dict(weights), dict.fromkeys(weights, 0),
                   NOW + dt.timedelta(minutes=free_in), 0.0)


def _ticket(tid: int, service: int, pos: int, kind: str = "normal") -> _Waiting:
    return _Waiting(tid, service, kind, False, None, pos, None, NOW)


def test_range_is_rounded_outwards_and_never_empty() -> None:
    assert rounded_range(0.0, FIXED_SPREAD_MINUTES) == (0, ROUND_MINUTES)
    low, high = rounded_range(30.0, 4.0)
    assert low % ROUND_MINUTES == 0 and high % ROUND_MINUTES == 0
    assert low <= 30 - RANGE_Z * 4 and high >= 30 + RANGE_Z * 4
    assert rounded_range(30.0, 0.0) == (30, 35)  # a point on a step still gets a range
    assert range_text(10, 20) == "约 10–20 分钟"
    assert range_text(0, 5) == "约 5 分钟内"
    assert range_text(0, 0) == "无需等候"


def test_a_call_mixes_service_walk_and_no_shows() -> None:
    # Service 300 s or 420 s (mean 360, mean square 129600 + 3600), a 30 s walk,
    # one call in ten a no-show.
    got = _mixed(360.0, 133200.0, 30.0, 0.1)
    gone = NO_SHOW_MINUTES * 60
    mean = 0.9 * 390 + 0.1 * gone
    assert got.mean == pytest.approx(mean)
    square = 0.9 * (133200 + 2 * 30 * 360 + 900) + 0.1 * gone ** 2
    assert got.variance == pytest.approx(square - mean ** 2)
    assert _mixed(360.0, 129600.0, 0.0, 0.0) == ServiceTime(360.0, 0.0)


def test_pauses_spread_over_the_hours_they_cover() -> None:
    profile = Profile()
    # Half the windows pause at 11:xx for 40 minutes: from 11:30 to 12:10.
    spread_pauses(profile, {11: 0.5}, 40 * 60)
    assert profile.paused_share[11] == pytest.approx(0.5 * 30 / 60)
    assert profile.paused_share[12] == pytest.approx(0.5 * 10 / 60)
    assert 13 not in profile.paused_share
    profile.durations[(SA, None)] = ServiceTime(600.0, 100.0)
    stretched = profile.duration(SA, 11)
    assert stretched.mean == pytest.approx(600.0 / 0.75)
    assert profile.duration(SA, 10).mean == 600.0


def test_new_ticket_waits_for_the_queue_over_the_windows() -> None:
    waiting = [_ticket(i, SA, i) for i in range(1, 7)]
    one = estimate_new_ticket(_state([_window(1, {SA: 1})], waiting), SA)
    two = estimate_new_ticket(_state([_window(1, {SA: 1}), _window(2, {SA: 1})], waiting), SA)
    assert (one.minutes, one.people_ahead, one.windows) == (60, 6, 1)
    assert (two.minutes, two.windows) == (30, 2)
    assert one.low <= 60 <= one.high and two.low <= 30 <= two.high


def test_the_weighted_interleave_decides_who_goes_first() -> None:
    # One window, SA weight 2, SB weight 1: calls go A, B, A, A, B, A.
    waiting = [_ticket(i, SA, i) for i in range(1, 5)] + [_ticket(10 + i, SB, 10 + i)
                                                         for i in range(1, 3)]
    state = _state([_window(1, {SA: 2, SB: 1})], waiting)
    minutes = {t.id: estimate_waiting_ticket(state, t.id).minutes  # type: ignore[union-attr]
               for t in waiting}
    order = sorted(minutes, key=lambda tid: minutes[tid])
    assert order == [1, 11, 2, 3, 12, 4]


def test_green_channel_goes_first_and_is_counted_ahead() -> None:
    waiting = [_ticket(1, SA, 1), _ticket(2, SA, 2), _ticket(3, SA, 3, kind="green")]
    state = _state([_window(1, {SA: 1})], waiting)
    green = estimate_waiting_ticket(state, 3)
    first = estimate_waiting_ticket(state, 1)
    assert green is not None and first is not None
    assert (green.minutes, green.people_ahead) == (0, 0)
    assert (first.minutes, first.people_ahead) == (10, 1)
    assert estimate_waiting_ticket(state, 99) is None


def test_nobody_is_called_in_a_break_or_after_closing() -> None:
    lunch_from, lunch_to = NOW + dt.timedelta(minutes=15), NOW + dt.timedelta(minutes=75)
    spans = [(NOW - dt.timedelta(hours=2), lunch_from), (lunch_to, NOW + dt.timedelta(hours=5))]
    waiting = [_ticket(i, SA, i) for i in range(1, 4)]
    state = _state([_window(1, {SA: 1})], waiting, spans=spans)
    # Calls at 0 and 10 min; the next window time (20 min) is in the break: at 75 min.
    third = estimate_waiting_ticket(state, 3)
    assert third is not None and third.minutes == 75
    closing = [(NOW - dt.timedelta(hours=2), NOW + dt.timedelta(minutes=25))]
    late = estimate_new_ticket(_state([_window(1, {SA: 1})], waiting, spans=closing), SA)
    assert late.after_closing and late.minutes == 25


def test_a_busy_window_is_free_later() -> None:
    state = _state([_window(1, {SA: 1}, free_in=7.0)], [_ticket(1, SA, 1)])
    assert estimate_waiting_ticket(state, 1).minutes == 7  # type: ignore[union-attr]


def test_no_window_for_the_service() -> None:
    state = _state([_window(1, {SB: 1})], [])
    estimate = estimate_new_ticket(state, SA)
    assert estimate.windows == 0 and estimate.after_closing


def test_naive_rule_and_accuracy_definition() -> None:
    assert naive_wait_minutes(6, 10.0, 2) == 30.0
    with pytest.raises(ValueError, match="open_windows"):
        naive_wait_minutes(6, 10.0, 0)
    samples = [EstimateSample(4, 3, 0, 5), EstimateSample(14.5, 6, 5, 15),
               EstimateSample(2, 6, 5, 10), EstimateSample(30, 12, 5, 20)]
    count, mae, coverage, width = accuracy_of(samples)
    assert (count, coverage) == (4, 0.5)
    assert mae == pytest.approx((1 + 8.5 + 4 + 18) / 4)
    assert width == pytest.approx((5 + 10 + 5 + 15) / 4)
    assert accuracy_of([]) == (0, None, None, None)


def test_the_ticket_prints_the_range() -> None:
    assert wait_text(3, 15, (10, 20)) == "前面还有 3 人，预计等候约 10–20 分钟"
    assert wait_text(1, 3, (0, 5)) == "前面还有 1 人，预计等候约 5 分钟内"
    assert wait_text(3, 15) == "前面还有 3 人，预计等候约 15 分钟"
    assert wait_text(0, 0, (0, 5)) == "前面还有 0 人"
    assert wait_text(2, None, None) == "前面还有 2 人"


def test_a_very_long_queue_is_replayed_in_part_and_extrapolated(monkeypatch: pytest.MonkeyPatch
                                                                 ) -> None:
    # 3 windows share SA (weight 2) and SB (weight 1), 1,200 tickets: the exact replay
    # and the one cut short after MAX_REPLAY_CALLS calls give the same wait within 2 %.
    import shared.prediction as prediction

    waiting = [_ticket(i, SA if i % 3 else SB, i) for i in range(1, 1201)]
    windows = [_window(w, {SA: 2, SB: 1}) for w in (1, 2, 3)]
    day = [(NOW - dt.timedelta(hours=2), NOW + dt.timedelta(days=3))]
    cut = estimate_new_ticket(_state(windows, waiting, spans=day), SA)
    monkeypatch.setattr(prediction, "MAX_REPLAY_CALLS", 10**6)
    exact = estimate_new_ticket(_state([_window(w, {SA: 2, SB: 1}) for w in (1, 2, 3)],
                                       waiting, spans=day), SA)
    assert exact.minutes > 2000 and not exact.after_closing
    assert abs(cut.minutes - exact.minutes) <= 0.02 * exact.minutes
    # Before closing it is extrapolated too: a queue that closing cuts off is said to be so.
    short_day = [(NOW - dt.timedelta(hours=2), NOW + dt.timedelta(hours=8))]
    monkeypatch.setattr(prediction, "MAX_REPLAY_CALLS", 300)
    late = estimate_new_ticket(_state([_window(w, {SA: 2, SB: 1}) for w in (1, 2, 3)],
                                      waiting, spans=short_day), SA)
    assert late.after_closing


def test_a_ticket_issued_after_the_hours_waits_for_the_queue_ahead() -> None:
    # Extended service (延时服务, issuing with --after-hours): the hours ended an hour ago
    # (or the service is closed all day), 43 tickets wait, three windows staffed at
    # 10 minutes a call: the 44th is called in the 15th round, at 140 minutes, not 0.
    waiting = [_ticket(i, SA, i) for i in range(1, 44)]
    windows = [_window(w, {SA: 1}) for w in (1, 2, 3)]
    ended = [(NOW - dt.timedelta(hours=9), NOW - dt.timedelta(hours=1))]
    for spans in (ended, []):
        state = _state([_window(w, {SA: 1}) for w in (1, 2, 3)], waiting, spans=spans)
        if not spans:
            state.spans_of = {SA: [], SB: []}
        estimate = estimate_new_ticket(state, SA)
        assert (estimate.minutes, estimate.people_ahead, estimate.windows) == (140, 43, 3)
        assert estimate.extended_hours and not estimate.after_closing
        assert estimate.low <= 140 <= estimate.high
    # Within the hours nothing changes: the same queue, the same answer, not flagged.
    open_now = estimate_new_ticket(_state(windows, waiting), SA)
    assert open_now.minutes == 140 and not open_now.extended_hours


def _busy_hall() -> HallState:
    """Three services over four windows with every kind of ticket, and arrivals
    expected: green channel, a due appointment, a booking joining later, transfers, a
    ticket handed to a window, a window busy for a while."""
    sc = 3
    waiting = [_ticket(i, (SA, SB, sc)[i % 3], i) for i in range(1, 40)]
    waiting += [_ticket(40, SB, 40, kind="green"),
                _Waiting(41, SA, "appointment", False, NOW + dt.timedelta(minutes=5), 41,
                         None, NOW),
                _Waiting(-7, sc, "appointment", False, NOW + dt.timedelta(minutes=50), 60,
                         None, NOW + dt.timedelta(minutes=40)),
                _Waiting(42, sc, "normal", True, None, 42, None, NOW),
                _Waiting(43, SB, "normal", True, None, 43, 2, NOW)]
    windows = [_window(1, {SA: 2, SB: 1}), _window(2, {SB: 1}, free_in=12),
               _window(3, {SB: 1, sc: 2}), _window(4, {sc: 1})]
    profile = Profile()
    for sid in (SA, SB, sc):
        profile.durations[(sid, None)] = ServiceTime((6 + 2 * sid) * 60, 90_000.0)
        for hour in range(8, 18):
            profile.arrivals_per_hour[(sid, hour, "normal")] = 4.0 + sid
            profile.arrivals_per_hour[(sid, hour, "green")] = 0.6
        profile.arrivals_per_hour[(sid, 11, "transfer")] = 1.5
    state = _state(windows, waiting, profile=profile)
    state.spans_of[sc] = [(NOW - dt.timedelta(hours=2), NOW + dt.timedelta(hours=3))]
    return state


@pytest.mark.parametrize("order", [[0, 1, 2, 3, 4, 5, 6], [6, 5, 4, 3, 2, 1, 0],
                                   [3, 0, 5, 1, 6, 2, 4]])
def test_estimates_from_one_state_are_those_of_a_state_each(order: list[int]) -> None:
    # The kiosk's list estimates every service from one state, which files the waiting
    # tickets and expected arrivals once for all its replays: no replay may change what
    # the next one starts from, whatever came before it.
    asked = [lambda s: estimate_new_ticket(s, SA), lambda s: estimate_new_ticket(s, SB),
             lambda s: estimate_new_ticket(s, 3), lambda s: estimate_waiting_ticket(s, 43),
             lambda s: estimate_waiting_ticket(s, 30),
             lambda s: estimate_new_ticket(s, SB, kind="green"),
             lambda s: estimate_new_ticket(s, 3, kind="appointment",
                                           appointment_slot=NOW + dt.timedelta(minutes=20))]
    alone = [ask(_busy_hall()) for ask in asked]
    assert len({e.minutes for e in alone if e is not None}) > 3  # they differ
    shared = _busy_hall()
    assert [asked[i](shared) for i in order] == [alone[i] for i in order]

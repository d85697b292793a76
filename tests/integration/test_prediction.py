"""The wait predictor on a real database (shared/prediction.py), on every backend: the
estimates issuing records, the replay of the real routing, pauses, the history
aggregates, and the accuracy statistics (shared/stats/estimates.py).

Test catalog: window 1 serves SA (weight 2) and SB (weight 1), window 2 serves SA,
window 3 serves SB and SC, window 4 serves SD; open around the clock. With no history,
every service takes the default DEFAULT_SERVICE_MINUTES.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import event, select, update

from shared import issuing, prediction, queue
from shared.db import Database, server_now
from shared.models import Segment, Site, Ticket, Window
from shared.prediction import (
    DEFAULT_SERVICE_MINUTES,
    MIN_SAMPLES,
    NO_SHOW_MINUTES,
    PAUSE_MINUTES,
    class_rank,
    estimate_new_ticket,
    load_profile,
    load_state,
    service_waits,
    ticket_wait,
)
from shared.routing import RoutingRules, class_rank_expr, rank_params
from shared.stats.estimates import EstimateSample, accuracy_of, estimate_accuracy
from tests.integration.conftest import Scenario, local_now, noon_zone

pytestmark = pytest.mark.all_backends
DEFAULT = DEFAULT_SERVICE_MINUTES


def _recorded(db: Database) -> list[tuple[str, int | None, int | None, int | None]]:
    with db.read() as session:
        return [tuple(row) for row in session.execute(
            select(Ticket.number, Ticket.estimate_minutes, Ticket.estimate_low_minutes,
                   Ticket.estimate_high_minutes).order_by(Ticket.id)).all()]


def test_issuing_records_estimates_that_grow_with_the_queue(noon_db: Database) -> None:
    issued = [issuing.issue_ticket(noon_db, "SD", site="hall") for _ in range(5)]
    # Window 4 alone serves SD and nobody is at work yet: all windows are assumed to
    # open now, and each ticket ahead takes the default service time.
    points = [i.estimated_wait_minutes for i in issued]
    assert points == [round(k * DEFAULT) for k in range(5)]
    for i in issued:
        assert i.wait_low_minutes is not None and i.wait_high_minutes is not None
        assert i.wait_low_minutes <= (i.estimated_wait_minutes or 0) <= i.wait_high_minutes
        assert i.wait_low_minutes % 5 == 0 and i.wait_high_minutes % 5 == 0
    assert issued[0].wait_low_minutes == 0 and issued[0].wait_high_minutes == 5
    assert _recorded(noon_db) == [
        (i.ticket.number, i.estimated_wait_minutes, i.wait_low_minutes, i.wait_high_minutes)
        for i in issued]



def test_issuing_reads_the_hall_in_few_statements_and_writes_the_estimate_once(
        noon_db: Database) -> None:
    """What an issue costs the database with tickets waiting: the hall for the estimate
    in three statements (windows with their links, held tickets, last calls and
    services' hours; queue heads; bookings), which also name the windows serving the
    service (no statement of its own), people ahead in one, and the estimate written
    with the ticket's INSERT, no UPDATE of the ticket after it."""
    scenario = Scenario(noon_db, noon_zone())
    scenario.issue_all(["SA", "SB", "SA:green", "SB>SA", "SA>w2", "SA:appt-5"])
    assert queue.call_next(noon_db, 1, site="hall").ticket is not None
    statements: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        statements.append(" ".join(statement.split()).lower())

    load = prediction.load_state
    reads: list[int] = []

    def counted_load(*args: Any, **kwargs: Any) -> prediction.HallState:
        before = len(statements)
        try:
            return load(*args, **kwargs)
        finally:
            reads.append(len(statements) - before)

    event.listen(noon_db.engine, "before_cursor_execute", record)
    try:
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(prediction, "load_state", counted_load)
            issued = issuing.issue_ticket(noon_db, "SA", site="hall")
    finally:
        event.remove(noon_db.engine, "before_cursor_execute", record)
    assert reads == [3]
    assert not [s for s in statements if s.startswith('select "window".number from')]
    assert issued.windows == issuing.labels_of([1, 2])  # SA: windows 1 and 2
    assert not [s for s in statements if s.startswith("update ticket ")]
    inserts = [s for s in statements if s.startswith("insert into ticket ")]
    assert len(inserts) == 1 and "estimate_minutes" in inserts[0]
    assert len([s for s in statements if s.startswith("select count(*)")]) == 1  # people ahead
    assert _recorded(noon_db)[-1] == (issued.ticket.number, issued.estimated_wait_minutes,
                                      issued.wait_low_minutes, issued.wait_high_minutes)

@pytest.mark.parametrize("steps", [
    ["SA", "SA", "SA", "SA", "SB", "SB"],
    ["SA", "SB>SA", "SA:appt-5", "SA:green", "SB", "SA"],
    ["SB", "SB", "SB", "SA", "SA:green", "SA", "SA"],
], ids=["weighted-interleave", "all-four-classes", "green-among-weighted"])
def test_the_replay_predicts_the_real_call_order(noon_db: Database, steps: list[str]) -> None:
    scenario = Scenario(noon_db, noon_zone())
    scenario.issue("SA")
    first = queue.call_next(noon_db, 1, site="hall").ticket
    assert first is not None  # window 1 is now the only window at work
    numbers = scenario.issue_all(steps)
    waits = {n: ticket_wait(noon_db, n, site="hall") for n in numbers}
    assert all(w is not None and w.windows == 1 for w in waits.values())
    predicted = sorted(numbers, key=lambda n: waits[n].minutes)  # type: ignore[union-attr]
    assert len({w.minutes for w in waits.values() if w}) == len(numbers)  # no ties
    queue.start(noon_db, first.number, site="hall")
    assert scenario.call_order(1) == predicted


def test_a_paused_window_is_expected_back_after_a_pause(noon_db: Database) -> None:
    for _ in range(2):
        issuing.issue_ticket(noon_db, "SD", site="hall")
    called = queue.call_next(noon_db, 4, site="hall").ticket
    assert called is not None
    queue.start(noon_db, called.number, site="hall")
    queue.finish(noon_db, called.number, site="hall")
    before = service_waits(noon_db, site="hall")["SD"]
    queue.pause_window(noon_db, 4, "会议", site="hall")
    after = service_waits(noon_db, site="hall")["SD"]
    assert before.people_ahead == after.people_ahead == 1
    assert before.minutes <= DEFAULT + 1
    assert after.minutes >= before.minutes + PAUSE_MINUTES - 1
    assert after.low <= after.minutes <= after.high


def test_a_window_that_called_lately_counts_as_staffed(noon_db: Database) -> None:
    """With nobody logged in, a window that called within STAFFED_RECENT_MINUTES and
    holds nothing now is at work (each window's last call read per window, migration
    0019); once its last call is older, no window is staffed and all are assumed open."""
    issuing.issue_ticket(noon_db, "SC", site="hall")
    called = queue.call_next(noon_db, 3, site="hall").ticket
    assert called is not None
    queue.start(noon_db, called.number, site="hall")
    queue.finish(noon_db, called.number, site="hall")

    def staffed() -> tuple[bool, list[int]]:
        with noon_db.read() as session:
            site = session.scalar(select(Site).where(Site.code == "hall"))
            assert site is not None
            now = server_now(session)
            state = load_state(session, site, now, called.business_day,
                               RoutingRules.from_mapping(site.routing))
            numbers = dict(session.execute(select(Window.id, Window.number)).all())
            return state.assumed_open, sorted(numbers[w.id] for w in state.windows)

    assert staffed() == (False, [3])
    with noon_db.engine.begin() as conn:
        at = conn.scalar(select(Segment.called_at).where(Segment.ticket_id == called.id))
        assert at is not None
        earlier = at - dt.timedelta(minutes=prediction.STAFFED_RECENT_MINUTES + 1)
        conn.execute(update(Segment).where(Segment.ticket_id == called.id)
                     .values(called_at=earlier))
    assert staffed() == (True, [1, 2, 3, 4])


def test_class_rank_agrees_with_the_sql_routing(noon_db: Database) -> None:
    scenario = Scenario(noon_db, noon_zone())
    scenario.issue_all(["SA", "SA:green", "SA:appt+5", "SA:appt+30", "SA:appt-30", "SB>SA",
                        "SA:appt-5"])
    with noon_db.read() as session:
        site = session.scalar(select(Site).where(Site.code == "hall"))
        assert site is not None
        for rules in (RoutingRules.from_mapping(site.routing),
                      RoutingRules.from_mapping({"transfer_rule": "back",
                                                 "class_order": ["appointment", "green",
                                                                 "normal", "transfer"]})):
            now = server_now(session)
            rows = session.execute(
                select(Ticket.kind, Ticket.transferred, Ticket.appointment_slot,
                       class_rank_expr(rules)), rank_params(rules, now)).all()
            assert len(rows) == 7
            for kind, transferred, slot, sql_rank in rows:
                assert class_rank(rules, kind, bool(transferred), slot, now) == int(sql_rank)


def test_profile_aggregates_service_times_and_no_shows(noon_db: Database) -> None:
    scenario = Scenario(noon_db, noon_zone())
    numbers = scenario.issue_all(["SD"] * (MIN_SAMPLES + 1))
    for number in numbers:
        ticket = queue.call_next(noon_db, 4, site="hall").ticket
        assert ticket is not None and ticket.number == number
        if number == numbers[-1]:
            queue.no_show(noon_db, number, site="hall")
        else:
            queue.start(noon_db, number, site="hall")
            queue.finish(noon_db, number, site="hall")
    # Known durations: a 30 s walk to the window, then 300 s or 420 s of service.
    base = dt.datetime(2026, 3, 2, 2, 0, tzinfo=dt.UTC)
    with noon_db.engine.begin() as conn:
        ids = [r[0] for r in conn.execute(select(Segment.id).where(Segment.started_at.is_not(None))
                                          .order_by(Segment.id))]
        for i, segment_id in enumerate(ids):
            conn.execute(update(Segment).where(Segment.id == segment_id).values(
                called_at=base, started_at=base + dt.timedelta(seconds=30),
                service_us=(300 if i % 2 else 420) * 1_000_000))
        conn.execute(update(Segment).values(local_hour=10))
    with noon_db.read() as session:
        site_id = session.scalar(select(Site.id).where(Site.code == "hall"))
        profile = load_profile(session, site_id, local_now(noon_zone()).date(), False)
    service = next(iter({sid for sid, _ in profile.durations}))
    got = profile.duration(service, 10)
    share = 1 / (MIN_SAMPLES + 1)
    served_mean = 360 + 30
    served_square = (300 ** 2 + 420 ** 2) / 2 + 2 * 30 * 360 + 30 ** 2
    gone = NO_SHOW_MINUTES * 60
    mean = (1 - share) * served_mean + share * gone
    assert got.mean == pytest.approx(mean, rel=1e-6)
    assert got.variance == pytest.approx(
        (1 - share) * served_square + share * gone ** 2 - mean ** 2, rel=1e-6)
    # Another hour falls back to the whole day, pooled with MIN_SAMPLES stays of the
    # default (the same mean here, 6 min, but its wider spread).
    pooled = profile.duration(service, 15)
    assert pooled.mean == pytest.approx(got.mean)
    assert pooled.variance > got.variance


def test_accuracy_in_sql_matches_its_definition(noon_db: Database) -> None:
    scenario = Scenario(noon_db, noon_zone())
    numbers = scenario.issue_all(["SD"] * 4 + ["SA"] * 3)
    for window in (4, 4, 2, 2):
        ticket = queue.call_next(noon_db, window, site="hall").ticket
        assert ticket is not None
        queue.start(noon_db, ticket.number, site="hall")
    queue.cancel(noon_db, numbers[-1], site="hall")  # never called: left out
    # Give the called tickets known waits and estimates.
    known = {numbers[0]: (4.0, 3, 0, 5), numbers[1]: (14.5, 6, 5, 15),
             numbers[4]: (2.0, 6, 5, 10), numbers[5]: (30.0, 12, 5, 20)}
    samples = []
    with noon_db.engine.begin() as conn:
        for number, (actual, point, low, high) in known.items():
            ticket_id = conn.execute(select(Ticket.id).where(Ticket.number == number)).scalar_one()
            conn.execute(update(Ticket).where(Ticket.id == ticket_id).values(
                estimate_minutes=point, estimate_low_minutes=low, estimate_high_minutes=high))
            conn.execute(update(Segment).where(Segment.ticket_id == ticket_id).values(
                wait_us=int(actual * 60_000_000)))
            samples.append(EstimateSample(actual, point, low, high))
    day = local_now(noon_zone()).date()
    rows = estimate_accuracy(noon_db, day, day, site="hall")
    overall = rows[-1]
    assert overall.day is None and overall.service is None
    count, mae, coverage, width = accuracy_of(samples)
    assert (overall.tickets, overall.mae_minutes, overall.coverage,
            overall.mean_width_minutes) == (count, pytest.approx(mae), pytest.approx(coverage),
                                            pytest.approx(width))
    assert count == 4 and coverage == 0.5  # 4 in [0, 5], 14.5 in [5, 15]; 2 and 30 outside
    by_service = {r.service: r for r in rows if r.day == day and r.service}
    assert set(by_service) == {"SA", "SD"}
    assert by_service["SD"].tickets == 2 and by_service["SD"].coverage == pytest.approx(1.0)
    assert by_service["SA"].mae_minutes == pytest.approx((4 + 18) / 2)
    with pytest.raises(ValueError, match="before it starts"):
        estimate_accuracy(noon_db, day, day - dt.timedelta(days=1), site="hall")


def test_a_new_tickets_estimate_from_the_queue_heads_equals_the_whole_queues(
        noon_db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    """Issuing reads only the first MAX_REPLAY_CALLS + 1 plain tickets of each queue and
    counts the rest (the replay stops after that many calls): its estimate for every
    service and class must be the one the whole queue gives."""
    monkeypatch.setattr(prediction, "MAX_REPLAY_CALLS", 3)
    scenario = Scenario(noon_db, noon_zone())
    scenario.issue_all(["SA"] * 9 + ["SB"] * 7 + ["SA:green", "SB>SA"] + ["SA>w2"] * 6
                       + ["SC", "SA:appt-5", "SA:appt+40"] + ["SA"] * 3)
    called = queue.call_next(noon_db, 1, site="hall").ticket
    assert called is not None  # window 1 at work: it alone is staffed
    # Five of those handed to window 2 as plain tickets (not transferred): a plain queue
    # of its own, cut like a service's.
    with noon_db.engine.begin() as conn:
        handed = conn.scalars(select(Ticket.id).where(Ticket.target_window_id.is_not(None))
                              .order_by(Ticket.id).limit(5)).all()
        conn.execute(update(Ticket).where(Ticket.id.in_(handed))
                     .values(transferred=False))
        conn.execute(update(Segment).where(Segment.ticket_id.in_(handed))
                     .values(transferred=False))
    with noon_db.read() as session:
        site = session.scalar(select(Site).where(Site.code == "hall"))
        assert site is not None
        now, rules = server_now(session), RoutingRules.from_mapping(site.routing)
        day = local_now(noon_zone()).date()
        whole = load_state(session, site, now, day, rules)
        heads = load_state(session, site, now, day, rules, heads_only=True)
        assert len(heads.waiting) < len(whole.waiting) and heads.hidden
        # Each plain queue (a service's, or the tickets handed to a window) is cut after
        # its first MAX_REPLAY_CALLS + 1, the rest counted.
        plain: dict[tuple[int, int | None], list[int]] = {}
        for t in sorted(whole.waiting, key=lambda t: t.queue_pos):
            if t.id > 0 and t.kind == "normal" and not t.transferred:
                plain.setdefault((t.service_id, t.target_window), []).append(t.id)
        assert heads.hidden == {key: len(ids) - 4 for key, ids in plain.items() if len(ids) > 4}
        assert any(window is not None for _, window in heads.hidden)
        kept = {i for ids in plain.values() for i in ids[:4]}
        assert sorted(t.id for t in heads.waiting) == sorted(
            t.id for t in whole.waiting if t.id in kept or t.id < 0 or t.kind != "normal"
            or t.transferred)
        for sid in {t.service_id for t in whole.waiting}:
            for kind in ("normal", "green"):
                expected = estimate_new_ticket(whole, sid, kind=kind)
                assert estimate_new_ticket(heads, sid, kind=kind) == expected, (sid, kind)
        with pytest.raises(ValueError, match="whole queue"):
            prediction.estimate_waiting_ticket(heads, whole.waiting[0].id)


@pytest.mark.all_backends
def test_a_number_issued_after_the_hours_is_not_told_zero_minutes(noon_db: Database) -> None:
    # It is about 12:30 in the hall, whose hours ended at 10:00: staff issue numbers
    # for extended service (延时服务, after_hours). 43 wait for SD, which window 4 alone
    # serves, at the default 6 minutes a call: the 44th waits about 43 × 6 minutes.
    from shared.prediction import DEFAULT_SERVICE_MINUTES

    with noon_db.engine.begin() as conn:
        conn.execute(update(Site).where(Site.code == "hall").values(calendar={
            "workday_hours": ["08:00-10:00"], "weekend_hours": ["08:00-10:00"],
            "issue_cutoff_minutes": 0}))
    for _ in range(43):
        issuing.issue_ticket(noon_db, "SD", site="hall", after_hours=True)
    issued = issuing.issue_ticket(noon_db, "SD", site="hall", after_hours=True)
    assert issued.people_ahead == 43
    expected = 43 * DEFAULT_SERVICE_MINUTES
    assert issued.estimated_wait_minutes is not None
    assert abs(issued.estimated_wait_minutes - expected) <= 0.05 * expected
    assert issued.wait_low_minutes is not None and issued.wait_high_minutes is not None
    assert issued.wait_low_minutes <= expected <= issued.wait_high_minutes

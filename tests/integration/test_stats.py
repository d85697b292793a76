"""Statistics against hand-computed expectations, the same on SQLite, PostgreSQL and
MariaDB (the worked example of docs/metrics.md)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from shared import clerks, evaluations, followups, hcp, issuing, queue
from shared.db import Database, server_now
from shared.errors import NotFound, UsageError
from shared.hours import business_day
from shared.models import Segment
from shared.states import Outcome
from shared.stats import StatsFilter, compute_statistics
from shared.stats.monthly import monthly_bulletin
from testkit.invariants import check_measures
from tests.integration.stats_history import (
    MONDAY,
    TUESDAY,
    add_cases,
    add_clerks,
    standard_history,
)

S = 1_000_000  # microseconds per second


@pytest.fixture
def hall(db: Database) -> Database:
    add_clerks(db)
    add_cases(db, standard_history())
    return db


def two_days(**kwargs: object) -> StatsFilter:
    return StatsFilter(MONDAY, TUESDAY, site="hall", **kwargs)  # type: ignore[arg-type]


@pytest.mark.all_backends
def test_totals_count_each_stay_by_how_it_ended(hall: Database) -> None:
    """Issued, served, transferred, no-show (also when later expired), cancelled, expired
    and open stays are counted as docs/metrics.md defines them."""
    t = compute_statistics(hall, two_days()).total
    assert (t.issued, t.transferred_in, t.served, t.transferred_out) == (9, 1, 5, 1)
    assert (t.no_show, t.cancelled, t.expired, t.in_progress) == (1, 1, 1, 1)


@pytest.mark.all_backends
def test_waits_use_the_call_that_led_to_service_with_nearest_rank_percentiles(
        hall: Database) -> None:
    """Waits 120, 200, 300.5, 420, 1200, 1800 s: exact sum, median = 3rd, P90 = 6th value
    (whole seconds), max exact; the reinstated no-show waits until its later call."""
    wait = compute_statistics(hall, two_days()).total.wait
    assert wait.count == 6
    assert wait.total_us == 4040 * S + 500_000
    assert (wait.median_us, wait.p90_us, wait.max_us) == (300 * S, 1800 * S, 1800 * S)


@pytest.mark.all_backends
def test_service_times_and_service_level(hall: Database) -> None:
    """Service times 240..600 s give median 360 s, P90 600 s; four of six calls came
    within the 15-minute target."""
    total = compute_statistics(hall, two_days()).total
    service = total.service
    assert (service.count, service.total_us) == (6, 2520 * S)
    assert (service.median_us, service.p90_us, service.max_us) == (360 * S, 600 * S, 600 * S)
    assert total.within_target == 4
    assert total.service_level == pytest.approx(4 / 6)


@pytest.mark.all_backends
def test_outcomes_satisfaction_and_follow_ups(hall: Database) -> None:
    """Outcomes of finished stays, one-visit share = 办结 / finished, satisfaction rate =
    (非常满意 + 满意) / rated, coverage = rated / finished, follow-ups by status."""
    stats = compute_statistics(hall, two_days())
    total, sat = stats.total, stats.satisfaction
    assert total.outcomes == {"completed": 2, "accepted": 1, "materials-missing": 1,
                              "consultation": 1}
    assert total.one_visit_share == pytest.approx(2 / 5)
    assert sat.levels == {1: 1, 2: 1, 4: 1, 5: 1}
    assert (sat.not_rated, sat.rated, sat.satisfied) == (1, 4, 2)
    assert sat.rate == pytest.approx(0.5)
    assert sat.coverage == pytest.approx(4 / 5)
    assert (sat.follow_ups_open, sat.follow_ups_closed) == (1, 1)


@pytest.mark.all_backends
def test_breakdown_by_service_and_department(hall: Database) -> None:
    """A handed-over case counts in both services: out of SB, into SD."""
    stats = compute_statistics(hall, two_days())
    by_service = {r.key: r for r in stats.breakdowns["service"]}
    assert sorted(by_service) == ["SA", "SB", "SC", "SD"]
    sa, sb, sd = by_service["SA"], by_service["SB"], by_service["SD"]
    assert (sa.issued, sa.served, sa.no_show, sa.in_progress) == (5, 3, 1, 1)
    assert (sa.wait.median_us, sa.wait.p90_us) == (300 * S, 1200 * S)
    assert (sb.issued, sb.transferred_out, sb.served) == (2, 1, 1)
    assert (sb.wait.median_us, sb.wait.p90_us) == (120 * S, 1800 * S)
    assert (sd.issued, sd.transferred_in, sd.served, sd.expired) == (1, 1, 1, 1)
    assert by_service["SC"].cancelled == 1
    by_department = {r.key: r for r in stats.breakdowns["department"]}
    assert (by_department["dep1"].issued, by_department["dep2"].issued) == (7, 2)
    assert by_department["dep2"].one_visit_share == pytest.approx(1.0)


@pytest.mark.all_backends
def test_breakdown_by_window_and_clerk_uses_the_window_that_called(hall: Database) -> None:
    """Stays never called are left out; a reinstated no-show belongs to its later window."""
    stats = compute_statistics(hall, two_days())
    windows = {r.key: r for r in stats.breakdowns["window"]}
    assert sorted(windows) == ["1", "2", "4"]
    assert windows["1"].wait.count == 3 and windows["1"].wait.max_us == 1800 * S
    assert (windows["2"].served, windows["2"].no_show) == (2, 1)
    assert windows["1"].label == "1号 综合窗口"
    clerks = {r.key: r for r in stats.breakdowns["clerk"]}
    assert sorted(clerks) == ["c1", "c2"]
    assert clerks["c2"].satisfaction_rate == pytest.approx(0.0)
    assert clerks["c1"].rated == 1


@pytest.mark.all_backends
def test_hour_weekday_and_heat_map_in_site_time(hall: Database) -> None:
    """Hours are the site's local hours (UTC+8); weekdays come from the business day."""
    stats = compute_statistics(hall, two_days())
    hours = {r.key: r.arrivals for r in stats.breakdowns["hour"]}
    assert hours == {"09": 4, "10": 2, "11": 1, "14": 2, "16": 1}
    weekdays = {r.label: r.arrivals for r in stats.breakdowns["weekday"]}
    assert weekdays == {"周一": 7, "周二": 3}
    grid = stats.heatmap
    assert (grid[0][9], grid[0][10], grid[0][11], grid[1][14], grid[1][16]) == (3, 2, 1, 2, 1)
    assert sum(map(sum, grid)) == 9


@pytest.mark.all_backends
def test_filters_narrow_the_stays(hall: Database) -> None:
    """Service, department, window, clerk and kind filters keep only matching stays."""
    assert compute_statistics(hall, two_days(services=("SB",))).total.issued == 2
    assert compute_statistics(hall, two_days(departments=("dep2",))).total.transferred_in == 1
    assert compute_statistics(hall, two_days(windows=(2,))).total.served == 2
    assert compute_statistics(hall, two_days(clerks=("c1",))).total.wait.count == 3
    green = compute_statistics(hall, two_days(kinds=("green",))).total
    assert (green.issued, green.in_progress) == (1, 1)
    monday = compute_statistics(hall, StatsFilter(MONDAY, MONDAY, site="hall")).total
    assert monday.issued == 6


def test_every_site_and_an_empty_range(hall: Database) -> None:
    """Without a site all sites count; an empty range has zeros and no shares."""
    assert compute_statistics(hall, StatsFilter(MONDAY, TUESDAY)).total.issued == 9
    empty = compute_statistics(hall, StatsFilter(TUESDAY.replace(year=2025),
                                                 TUESDAY.replace(year=2025), site="hall"))
    assert empty.total.issued == 0 and empty.total.service_level is None
    assert empty.total.wait.median_us is None
    assert all(not rows for rows in empty.breakdowns.values())


def test_bad_filters_are_refused_with_the_reason(hall: Database) -> None:
    """Reversed dates, unknown codes and window numbers without a site are usage errors."""
    with pytest.raises(UsageError, match="before"):
        StatsFilter(TUESDAY, MONDAY)
    with pytest.raises(UsageError, match="--site"):
        StatsFilter(MONDAY, TUESDAY, windows=(1,))
    with pytest.raises(NotFound, match="XX"):
        compute_statistics(hall, two_days(services=("XX",)))
    with pytest.raises(NotFound, match="nowhere"):
        compute_statistics(hall, StatsFilter(MONDAY, TUESDAY, site="nowhere"))
    with pytest.raises(NotFound, match="9"):
        compute_statistics(hall, two_days(windows=(9,)))


@pytest.mark.all_backends
def test_real_operations_no_show_reinstate_and_end_of_day(db: Database) -> None:
    """Through the queue operations: a reinstated no-show is served (one wait, from the
    later call); a no-show left at end of day counts once as a no-show, not as expired."""
    first = issuing.issue_ticket(db, "SA", site="hall").ticket
    second = issuing.issue_ticket(db, "SA", site="hall").ticket
    assert queue.call_next(db, 2, site="hall").ticket.id == first.id  # type: ignore[union-attr]
    queue.no_show(db, first.id, site="hall")
    queue.reinstate(db, first.id, site="hall")
    assert queue.call_next(db, 2, site="hall").ticket.id == second.id  # type: ignore[union-attr]
    queue.no_show(db, second.id, site="hall")
    assert queue.call_next(db, 2, site="hall").ticket.id == first.id  # type: ignore[union-attr]
    queue.start(db, first.id, site="hall")
    queue.finish(db, first.id, site="hall")
    queue.close_day(db, site="hall")
    with db.read() as session:
        today = business_day(server_now(session), "Asia/Shanghai")
    total = compute_statistics(db, StatsFilter(today, today, site="hall")).total
    assert (total.issued, total.served, total.no_show, total.expired) == (2, 1, 1, 0)
    assert total.wait.count == 1 and total.service.count == 1
    assert check_measures(db) == []


@pytest.mark.all_backends
def test_operations_keep_the_measures_the_history_fill_computes(db: Database) -> None:
    """Transfers, a rating, a cancel and an expired stay through the real operations: the
    measures kept on each stay equal what migration 0003 computes from the timestamps."""
    tickets = [issuing.issue_ticket(db, "SA", site="hall").ticket for _ in range(4)]
    served = queue.call_next(db, 1, site="hall").ticket
    assert served is not None
    queue.start(db, served.id, site="hall")
    queue.transfer(db, served.id, to_service="SB", site="hall")  # service time, then a new stay
    handed = queue.call_next(db, 2, site="hall").ticket
    assert handed is not None
    queue.transfer(db, handed.id, to_window=3, site="hall")  # called, not started: a wait
    queue.cancel(db, tickets[3].id, site="hall")
    finished = queue.call_next(db, 3, site="hall").ticket
    assert finished is not None
    queue.start(db, finished.id, site="hall")
    queue.finish(db, finished.id, site="hall", outcome=Outcome.ACCEPTED.value)
    evaluations.record_evaluation(db, finished.id, 4, "等太久")
    queue.close_day(db, site="hall")
    assert check_measures(db) == []
    with db.read() as session:
        today = business_day(server_now(session), "Asia/Shanghai")
    stats = compute_statistics(db, StatsFilter(today, today, site="hall"))
    assert stats.satisfaction.levels == {4: 1}
    assert stats.total.transferred_out == 2 and stats.total.cancelled == 1


@pytest.mark.all_backends
def test_ranking_over_the_range_or_the_history_agree(hall: Database) -> None:
    """Ranking durations over the range's own indexes or the history's indexes gives the
    same medians and P90s in every group."""
    sorted_ = compute_statistics(hall, two_days(), ranking="range")
    indexed = compute_statistics(hall, two_days(), ranking="history")
    assert indexed.total == sorted_.total
    assert indexed.breakdowns == sorted_.breakdowns
    assert sorted_.total.wait.median_us is not None
    with pytest.raises(UsageError, match="one site"):
        compute_statistics(hall, two_days(services=("SA",)), ranking="history")


@pytest.mark.all_backends
def test_a_stay_that_ended_two_cases_counts_one_rating_per_case(db: Database) -> None:
    """一次一评: the satisfaction figures count ratings, one per case (docs/metrics.md).
    A: two cases rated 非常满意 and 不满意; B: two cases, the first rated 基本满意, the
    second never asked; C: no case, rated 满意; D: no case, saved without a level.
    Hand-counted: 6 ratings called for (2 + 2 + 1 + 1) on 4 served stays, levels 1, 2,
    3, 4 once each (one stay, one worst rating would give 2, 3, 4), not rated 1, never
    rated 1, coverage 4/6, satisfaction 2/4; the bad rating is the one follow-up, and the
    four ratings with a level are the four records of the provincial export. Appealing
    A's bad rating takes out that rating only, not A's other case."""
    add_clerks(db)
    clerks.login_at_window(db, "c2", "password1", 2, site="hall")

    def served(cases: list[str]) -> int:
        ticket = issuing.issue_ticket(db, "SA", site="hall").ticket
        queue.call_number(db, ticket.number, 2, site="hall", clerk="c2")
        queue.start(db, ticket.id, site="hall")
        queue.finish(db, ticket.id, site="hall", cases=cases)
        return ticket.id

    a, b = served(["BJ0001", "BJ0002"]), served(["BJ0003", "BJ0004"])
    c, d = served([]), served([])
    evaluations.record_evaluation(db, a, 1, case_no="BJ0001")
    follow_up = evaluations.record_evaluation(db, a, 4, case_no="BJ0002")
    evaluations.record_evaluation(db, b, 3, case_no="BJ0003")
    evaluations.record_evaluation(db, c, 2)
    evaluations.record_evaluation(db, d, None)
    with db.read() as session:
        today = business_day(server_now(session), "Asia/Shanghai")
    day = StatsFilter(today, today, site="hall")

    stats = compute_statistics(db, day)
    window_2 = next(r for r in stats.breakdowns["window"] if r.key == "2")
    for row in (stats.total, window_2):
        assert (row.served, row.evaluable, row.rated, row.not_rated, row.never_rated) == \
            (4, 6, 4, 1, 1)
        assert row.levels == {1: 1, 2: 1, 3: 1, 4: 1, 5: 0}
        assert (row.satisfied, row.bad_ratings, row.follow_ups) == (2, 1, 1)
        assert row.coverage == pytest.approx(4 / 6)
    sat = stats.satisfaction
    assert (sat.rated, sat.evaluable, sat.never_rated, sat.not_rated) == (4, 6, 1, 1)
    assert sat.levels == {1: 1, 2: 1, 3: 1, 4: 1} and sat.rate == pytest.approx(2 / 4)
    records = hcp.export_records(db, today, today, site="hall")
    assert sorted((r["case_no"], r["level"]) for r in records) == [
        ("", 4), ("BJ0001", 5), ("BJ0002", 2), ("BJ0003", 3)]  # the province's 5 best .. 1

    bulletin = monthly_bulletin(db, today.replace(day=1), site="hall")
    (row,) = [w.row for w in bulletin.windows if w.row.key == "2"]
    assert (row.evaluable, row.rated, row.satisfied, row.bad_ratings) == (6, 4, 2, 1)

    assert follow_up is not None
    followups.appeal(db, follow_up, by="boss", kind="mistaken", reason="群众按错评价键")
    after = compute_statistics(db, day)
    assert after.total.levels == {1: 1, 2: 1, 3: 1, 4: 0, 5: 0}
    assert (after.total.rated, after.total.appealed, after.total.evaluable) == (3, 1, 6)
    assert (after.satisfaction.appealed, after.satisfaction.rate) == (1, pytest.approx(2 / 3))
    # A's other case (BJ0001, 非常满意) still counts everywhere: rated, its level, coverage
    # 3/6 (4 rated before, less the appealed one), satisfied 2 of 3 (A's and C's), in every
    # group of the stay and in the bulletin; the appealed bad rating has no follow-up due.
    window_2 = next(r for r in after.breakdowns["window"] if r.key == "2")
    clerk_2 = next(r for r in after.breakdowns["clerk"] if r.key == "c2")
    for row in (after.total, window_2, clerk_2):
        assert (row.rated, row.appealed, row.evaluable, row.satisfied, row.bad_ratings,
                row.follow_ups) == (3, 1, 6, 2, 0, 0)
        assert row.levels == {1: 1, 2: 1, 3: 1, 4: 0, 5: 0}
        assert row.coverage == pytest.approx(3 / 6)
    assert (after.satisfaction.rated, after.satisfaction.levels) == (3, {1: 1, 2: 1, 3: 1})
    with db.read() as session:  # only the rating is marked, not A's stay as a whole
        assert session.scalars(select(Segment.rating_appealed)
                               .where(Segment.ticket_id == a)).all() == [False]
    bulletin = monthly_bulletin(db, today.replace(day=1), site="hall")
    (row,) = [w.row for w in bulletin.windows if w.row.key == "2"]
    assert (row.evaluable, row.rated, row.satisfied, row.bad_ratings, row.appealed) == \
        (6, 3, 2, 0, 1)
    # The province still gets every rating; the statistics count the appealed one apart.
    assert len(hcp.export_records(db, today, today, site="hall")) == \
        after.total.rated + after.total.appealed

"""Statistics against hand-computed expectations, the same on SQLite, PostgreSQL and
MariaDB (the worked example of docs/metrics.md)."""

from __future__ import annotations

import pytest

from shared import evaluations, issuing, queue
from shared.db import Database, server_now
from shared.errors import NotFound, UsageError
from shared.hours import business_day
from shared.states import Outcome
from shared.stats import StatsFilter, compute_statistics
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

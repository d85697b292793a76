"""The business day: numbers, quotas and queues belong to the site's day; leftovers of an
earlier day are never called and are closed by end of day or by the next day's first
operation. Also: every timestamp is aware UTC with sub-second precision."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import select

from shared import issuing, queue
from shared.catalog import load_catalog
from shared.db import Database
from shared.errors import IllegalTransition, QuotaReached
from shared.models import Segment, Site, SiteState, Ticket, TicketEvent, Window
from shared.operation import Actor
from shared.read.hall_state import get_ticket, get_window, list_tickets
from shared.stats import StatsFilter, compute_statistics
from testkit.invariants import check_all
from tests.integration.conftest import (
    TEST_CATALOG_TEXT,
    execute_sql,
    local_now,
    move_to_yesterday,
    raises_and_writes_nothing,
    replace_once,
    snapshot,
    write_catalog,
)

SITE = "hall"


def states_by_id(db: Database) -> dict[int, str]:
    with db.read() as session:
        return {i: s for i, s in session.execute(select(Ticket.id, Ticket.state))}


def leave_tickets_in_every_state(db: Database) -> dict[str, int]:
    """Window 1 serving A001, window 2 holding A002 called, A003 no-show, A004 and B001
    waiting, A005 finished: returns ticket ids by label."""
    ids = {n: issuing.issue_ticket(db, s, site=SITE).ticket.id
           for n, s in (("serving", "SA"), ("called", "SA"), ("no_show", "SA"),
                        ("waiting", "SA"), ("finished", "SA"), ("waiting_b", "SB"))}
    queue.call_number(db, "A005", 2, site=SITE)
    queue.start(db, "A005", site=SITE)
    queue.finish(db, "A005", site=SITE)
    queue.call_number(db, "A003", 2, site=SITE)
    queue.no_show(db, "A003", site=SITE)
    queue.call_number(db, "A001", 1, site=SITE)
    queue.start(db, "A001", site=SITE)
    queue.call_number(db, "A002", 2, site=SITE)
    return ids


def assert_leftovers_expired(db: Database, ids: dict[str, int], serving: str = "serving"
                             ) -> None:
    """Waiting, called and no-show leftovers expired and their windows freed; the case
    being served is in state ``serving`` (still held by window 1) or as its clerk left it."""
    states = states_by_id(db)
    assert {label: states[i] for label, i in ids.items()} == {
        "serving": serving, "called": "expired", "no_show": "expired",
        "waiting": "expired", "finished": "finished", "waiting_b": "expired"}
    with db.read() as session:
        holds = dict(session.execute(
            select(Window.number, Window.current_ticket_id).join(Site, Site.id == Window.site_id)
            .where(Site.code == SITE)).all())
        reasons = session.scalars(select(TicketEvent.detail).where(
            TicketEvent.action == "expire")).all()
    held = ids["serving"] if serving == "serving" else None
    assert holds == {number: held if number == 1 else None for number in holds}
    assert len(reasons) == 4 and all(r == {"reason": "end_of_day"} for r in reasons)


@pytest.mark.all_backends
def test_close_day_expires_every_leftover_and_frees_the_windows(db: Database) -> None:
    """End of day closes waiting, called and no-show tickets; finished ones stay, and the
    case being served stays with its window for the clerk to finish."""
    ids = leave_tickets_in_every_state(db)
    assert queue.close_day(db, site=SITE) == 4
    assert_leftovers_expired(db, ids)
    assert queue.close_day(db, site=SITE) == 0  # running it twice changes nothing more


def test_close_day_keeps_history_and_only_touches_its_site(db: Database) -> None:
    """End of day at one site leaves the other site's queue alone; history stays listed."""
    issuing.issue_ticket(db, "SA", site=SITE)
    issuing.issue_ticket(db, "SA", site="town")
    queue.close_day(db, site=SITE)
    assert [t.state for t in list_tickets(db, site=SITE)] == ["expired"]
    assert [t.state for t in list_tickets(db, site="town")] == ["waiting"]


FIRST_OPERATIONS: list[object] = [
    pytest.param(lambda db: issuing.issue_ticket(db, "SD", site=SITE), "serving", id="issue"),
    # Window 1 is serving yesterday's A001: call-next finishes it, as on any day.
    pytest.param(lambda db: queue.call_next(db, 1, site=SITE), "finished",
                 id="call-next-at-a-window-serving-one"),
    pytest.param(lambda db: queue.call_next(db, 2, site=SITE), "serving",
                 id="call-next-at-a-window-it-called"),
    pytest.param(lambda db: queue.pause_window(db, 4, "晨会", site=SITE), "serving",
                 id="pause"),
    pytest.param(lambda db: queue.close_day(db, site=SITE), "serving", id="close-day"),
]


def site_version(db: Database) -> int:
    with db.read() as session:
        return int(session.scalar(select(SiteState.version).join(
            Site, Site.id == SiteState.site_id).where(Site.code == SITE)) or 0)


@pytest.mark.all_backends
@pytest.mark.parametrize(("first_operation", "serving"), FIRST_OPERATIONS)
def test_first_operation_of_a_new_day_expires_leftovers(
        db: Database, first_operation: Callable[[Database], object], serving: str) -> None:
    """If end of day did not run, the first operation of the next business day closes
    yesterday's waiting, called and no-show leftovers, frees their windows and tells the
    terminals (change marker)."""
    ids = leave_tickets_in_every_state(db)
    move_to_yesterday(db, SITE)
    version = site_version(db)
    first_operation(db)
    assert_leftovers_expired(db, ids, serving)
    with db.read() as session:
        open_day = session.scalar(select(SiteState.open_day).join(
            Site, Site.id == SiteState.site_id).where(Site.code == SITE))
    assert open_day == local_now("Asia/Shanghai").date()
    assert site_version(db) > version, "terminals learn that the leftovers closed"


@pytest.mark.all_backends
@pytest.mark.parametrize("end_of_day", ["roll-over", "close-day"])
def test_case_served_across_midnight_is_finished_by_its_clerk(db: Database,
                                                              end_of_day: str) -> None:
    """A ticket being served when the day ends is not expired: its clerk finishes it after
    midnight, with its outcome and service time, and it counts as served on the day it
    began (not today)."""
    ids = leave_tickets_in_every_state(db)
    yesterday = move_to_yesterday(db, SITE)
    if end_of_day == "close-day":
        queue.close_day(db, site=SITE)
    else:
        issuing.issue_ticket(db, "SD", site=SITE)  # the day's first operation
    assert get_window(db, 1, site=SITE).current_ticket.id == ids["serving"]  # type: ignore[union-attr]
    done = queue.finish(db, ids["serving"], outcome="accepted", site=SITE, actor=Actor(1))
    assert (done.state, done.outcome, done.business_day) == ("finished", "accepted", yesterday)
    assert get_window(db, 1, site=SITE).current_ticket is None
    with db.read() as session:
        stay = session.execute(select(Segment.business_day, Segment.result, Segment.service_us)
                               .where(Segment.ticket_id == ids["serving"])).one()
    assert stay.business_day == yesterday and stay.result == "finished"
    assert stay.service_us is not None and stay.service_us > 0
    today = local_now("Asia/Shanghai").date()
    on_that_day = compute_statistics(db, StatsFilter(yesterday, yesterday, site=SITE)).total
    on_today = compute_statistics(db, StatsFilter(today, today, site=SITE)).total
    assert (on_that_day.served, on_that_day.expired, on_that_day.no_show,
            on_that_day.service.count) == (2, 3, 1, 2)
    assert on_today.served == 0
    report = check_all(db)
    assert report.total == 0, report.describe()


def test_idle_call_next_writes_nothing(db: Database) -> None:
    """Call-next with nobody waiting changes nothing, not even the change marker."""
    issuing.issue_ticket(db, "SA", site=SITE)
    before = snapshot(db)
    assert queue.call_next(db, 4, site=SITE) == queue.CallResult(None, None)
    assert snapshot(db) == before


@pytest.mark.all_backends
def test_numbers_restart_on_a_new_business_day(db: Database) -> None:
    """The next business day starts again at 001 for every prefix; history is kept."""
    for service in ("SA", "SA", "SB"):
        issuing.issue_ticket(db, service, site=SITE)
    yesterday = move_to_yesterday(db, SITE)
    assert issuing.issue_ticket(db, "SA", site=SITE).ticket.number == "A001"
    assert issuing.issue_ticket(db, "SB", site=SITE).ticket.number == "B001"
    old = list_tickets(db, site=SITE, day=yesterday)
    assert [(t.number, t.state) for t in old] == [
        ("A001", "expired"), ("A002", "expired"), ("B001", "expired")]
    assert [t.number for t in list_tickets(db, site=SITE)] == ["A001", "B001"]


def test_waiting_ticket_of_an_earlier_day_is_never_called(db: Database) -> None:
    """Even left waiting past the roll-over, yesterday's ticket is not called today."""
    old_id = issuing.issue_ticket(db, "SA", site=SITE).ticket.id
    move_to_yesterday(db, SITE)
    issuing.issue_ticket(db, "SA", site=SITE)  # rolls the hall over to today
    # Put yesterday's ticket back to waiting, as if the roll-over had missed it.
    execute_sql(db, "UPDATE ticket SET state = 'waiting' WHERE id = :id", id=old_id)
    today = queue.call_next(db, 2, site=SITE).ticket
    assert today is not None and today.id != old_id and today.number == "A001"
    queue.start(db, today.id, site=SITE)
    assert queue.call_next(db, 2, site=SITE).ticket is None
    assert queue.call_next(db, 1, site=SITE).ticket is None
    assert get_ticket(db, old_id).state == "waiting"


def test_yesterdays_ticket_cannot_be_reinstated_or_called_today(db: Database) -> None:
    """A no-show of an earlier day cannot be reinstated or called by id today."""
    issuing.issue_ticket(db, "SA", site=SITE)
    old_id = queue.call_next(db, 2, site=SITE).ticket.id  # type: ignore[union-attr]
    queue.no_show(db, old_id, site=SITE)
    move_to_yesterday(db, SITE)
    queue.close_day(db, site=SITE)
    # As if the roll-over had missed it: the rules must still refuse.
    execute_sql(db, "UPDATE ticket SET state = 'no_show' WHERE id = :id", id=old_id)
    raises_and_writes_nothing(db, IllegalTransition,
                              lambda: queue.reinstate(db, old_id, site=SITE))
    execute_sql(db, "UPDATE ticket SET state = 'waiting' WHERE id = :id", id=old_id)
    raises_and_writes_nothing(db, IllegalTransition,
                              lambda: queue.call_number(db, str(old_id), 2, site=SITE))


def _quota_at_both_sites(tmp_path: Path) -> Path:
    content = replace_once(TEST_CATALOG_TEXT, "services = { SA = 1, SD = 1 }",
                           "services = { SA = 1, SD = 1, SC = 1 }")
    return write_catalog(tmp_path, content, "quota.toml")


@pytest.mark.all_backends
def test_quota_counts_per_service_and_site(db: Database, tmp_path: Path) -> None:
    """SC's daily quota of 3 is counted separately at each site."""
    load_catalog(db, _quota_at_both_sites(tmp_path))
    for _ in range(3):
        issuing.issue_ticket(db, "SC", site=SITE)
    raises_and_writes_nothing(db, QuotaReached, lambda: issuing.issue_ticket(db, "SC", site=SITE))
    assert [issuing.issue_ticket(db, "SC", site="town").ticket.number for _ in range(3)] == [
        "C001", "C002", "C003"]
    assert issuing.issue_ticket(db, "SB", site=SITE).ticket.number == "B001"


def test_quota_restarts_on_a_new_business_day(db: Database) -> None:
    """Yesterday's numbers do not count against today's quota."""
    for _ in range(3):
        issuing.issue_ticket(db, "SC", site=SITE)
    move_to_yesterday(db, SITE)
    assert issuing.issue_ticket(db, "SC", site=SITE).ticket.number == "C001"


def test_transfers_into_a_service_do_not_use_its_quota(db: Database) -> None:
    """The quota counts numbers issued for the service, not cases handed over to it."""
    issuing.issue_ticket(db, "SB", site=SITE)
    queue.transfer(db, "B001", to_service="SC", site=SITE)
    numbers = [issuing.issue_ticket(db, "SC", site=SITE).ticket.number for _ in range(3)]
    assert numbers == ["C001", "C002", "C003"]


def test_after_hours_does_not_lift_the_quota(db: Database) -> None:
    """--after-hours lifts the opening hours, not the daily quota."""
    for _ in range(3):
        issuing.issue_ticket(db, "SC", site=SITE)
    raises_and_writes_nothing(
        db, QuotaReached, lambda: issuing.issue_ticket(db, "SC", site=SITE, after_hours=True))


# --------------------------------------------------------------------------- timestamps


@pytest.mark.all_backends
def test_timestamps_are_aware_utc_with_sub_second_precision(db: Database) -> None:
    """Every timestamp is timezone-aware UTC from the server clock, with fractions kept."""
    before = dt.datetime.now(dt.UTC)
    first = issuing.issue_ticket(db, "SA", site=SITE).ticket
    second = issuing.issue_ticket(db, "SA", site=SITE).ticket
    queue.call_next(db, 2, site=SITE)
    queue.start(db, "A001", site=SITE)
    done = queue.finish(db, "A001", site=SITE)
    stored = [get_ticket(db, first.id), get_ticket(db, second.id), done]
    stamps = [first.issued_at, second.issued_at, done.called_at, done.started_at,
              done.finished_at] + [t.issued_at for t in stored]
    for stamp in stamps:
        assert stamp is not None and stamp.utcoffset() == dt.timedelta(0)
        assert abs(stamp - before) < dt.timedelta(minutes=1), "server clock in UTC"
    assert first.issued_at < second.issued_at, "two fast operations, distinct times"
    assert done.issued_at < done.called_at < done.started_at < done.finished_at  # type: ignore[operator]
    read_back = [t.issued_at for t in stored[:2]]
    assert read_back == [first.issued_at, second.issued_at], "fractions survive a round trip"
    assert any(s.microsecond for s in stamps if s is not None), "sub-second precision"


@pytest.mark.all_backends
def test_event_times_keep_fractions(db: Database) -> None:
    """Event log times keep fractions of a second and follow the order of the operations."""
    issuing.issue_ticket(db, "SA", site=SITE)
    queue.call_next(db, 2, site=SITE)
    queue.recall(db, "A001", site=SITE)
    with db.read() as session:
        times = session.scalars(select(TicketEvent.at).order_by(TicketEvent.id)).all()
    assert len(times) == 3 and times == sorted(times) and len(set(times)) == 3
    assert any(t.microsecond for t in times)


def test_window_shows_today_only(db: Database) -> None:
    """After the roll-over a window holds nothing from yesterday."""
    issuing.issue_ticket(db, "SA", site=SITE)
    queue.call_next(db, 2, site=SITE)
    move_to_yesterday(db, SITE)
    issuing.issue_ticket(db, "SB", site=SITE)
    assert get_window(db, 2, site=SITE).current_ticket is None

"""The counter's read-only queries (shared/read/counter_view.py) on every backend."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from shared import clerks, issuing, queue
from shared.db import Database
from shared.errors import NotFound
from shared.models import Segment, Ticket
from shared.operation import Actor
from shared.read import counter_view
from shared.read.site import site_info
from shared.stats import StatsFilter, compute_statistics

SITE = "hall"


@pytest.fixture
def clerk(db: Database) -> str:
    clerks.add_clerk(db, "wang", "王芳", "secret123")
    clerks.login_at_window(db, "wang", "secret123", 1, site=SITE)
    return "wang"


def serve(db: Database, window: int, clerk: str | None, outcome: str = "completed",
          seconds: float | None = None) -> int:
    """Call, start and finish the next ticket at ``window``; with ``seconds``, its start
    moved that long before now, so that finishing it measures that service time."""
    called = queue.call_next(db, window, site=SITE, clerk=clerk).ticket
    assert called is not None
    actor = Actor(window, clerk)
    queue.start(db, called.id, site=SITE, actor=actor)
    if seconds is not None:
        start_earlier(db, called.id, seconds)
    queue.finish(db, called.id, outcome=outcome, site=SITE, actor=actor)
    return called.id


def start_earlier(db: Database, ticket_id: int, seconds: float) -> None:
    """Move the started ticket's start (and its open stay's) ``seconds`` back."""
    back = dt.timedelta(seconds=seconds)

    def op(session: Session) -> None:
        ticket = session.get(Ticket, ticket_id)
        segment = session.scalars(select(Segment).where(Segment.ticket_id == ticket_id)).one()
        assert ticket is not None and ticket.started_at is not None
        session.execute(update(Ticket).where(Ticket.id == ticket_id)
                        .values(started_at=ticket.started_at - back))
        session.execute(update(Segment).where(Segment.id == segment.id)
                        .values(started_at=ticket.started_at - back))

    db.write(op)


@pytest.mark.all_backends
def test_clerk_day_stats_counts_finished_tickets_and_averages_service_time(
        db: Database, clerk: str) -> None:
    """The clerk's count is the tickets they finished today; the average is the service
    time the statistics measure (one definition: shared/stats/measures.service_seconds),
    so the counter's figure and the clerk's statistics of the day agree."""
    assert counter_view.clerk_day_stats(db, clerk, site=SITE) == \
        counter_view.ClerkDayStats(0, None)
    for _ in range(3):
        issuing.issue_ticket(db, "SA", site=SITE)
    first = serve(db, 1, clerk, seconds=120.0)
    serve(db, 1, clerk, outcome="consultation", seconds=300.5)
    # A no-show and someone else's ticket do not count.
    no_show = queue.call_next(db, 1, site=SITE, clerk=clerk).ticket
    assert no_show is not None
    queue.no_show(db, no_show.id, site=SITE, actor=Actor(1, clerk))
    issuing.issue_ticket(db, "SA", site=SITE)
    serve(db, 2, None, seconds=1000.0)

    stats = counter_view.clerk_day_stats(db, clerk, site=SITE)
    assert stats.served == 2
    assert stats.average_service_seconds == pytest.approx(210.25, abs=1.0)
    with db.read() as session:
        day = session.scalars(select(Segment.business_day)
                              .where(Segment.ticket_id == first)).one()
    figures = compute_statistics(db, StatsFilter(day, day, site=SITE, clerks=(clerk,)))
    assert figures.total.served == 2
    mean_minutes = figures.total.service.mean_minutes
    assert mean_minutes is not None
    assert stats.average_service_seconds == pytest.approx(mean_minutes * 60, abs=1e-3)


@pytest.mark.all_backends
def test_the_counter_reads_the_stored_service_time_not_the_timestamps(
        db: Database, clerk: str) -> None:
    """A stay whose timestamps were edited after it ended keeps the service time its
    end measured, on the counter as in the statistics."""
    issuing.issue_ticket(db, "SA", site=SITE)
    ticket = serve(db, 1, clerk, seconds=60.0)

    def stretch(session: Session) -> None:
        segment = session.scalars(select(Segment).where(Segment.ticket_id == ticket)).one()
        assert segment.ended_at is not None
        session.execute(update(Segment).where(Segment.id == segment.id)
                        .values(ended_at=segment.ended_at + dt.timedelta(hours=1)))

    db.write(stretch)
    stats = counter_view.clerk_day_stats(db, clerk, site=SITE)
    assert stats.average_service_seconds == pytest.approx(60.0, abs=1.0)


@pytest.mark.all_backends
def test_no_shows_for_window_lists_only_its_services_today(db: Database) -> None:
    """A window may reinstate today's no-shows of the services it serves, latest first."""
    a1 = issuing.issue_ticket(db, "SA", site=SITE).ticket
    d1 = issuing.issue_ticket(db, "SD", site=SITE).ticket
    a2 = issuing.issue_ticket(db, "SA", site=SITE).ticket
    for ticket, window in ((a1, 2), (d1, 4), (a2, 2)):
        called = queue.call_next(db, window, site=SITE).ticket
        assert called is not None and called.id == ticket.id
        queue.no_show(db, ticket.id, site=SITE, actor=Actor(window))

    at_window_1 = counter_view.no_shows_for_window(db, 1, site=SITE)
    assert [t.number for t in at_window_1] == [a2.number, a1.number]
    assert at_window_1[0].service_name == "甲业务"
    assert [t.number for t in counter_view.no_shows_for_window(db, 4, site=SITE)] == \
        [d1.number]
    queue.reinstate(db, a1.id, site=SITE)
    assert [t.number for t in counter_view.no_shows_for_window(db, 1, site=SITE)] == \
        [a2.number]


def test_window_services_and_transfer_targets_follow_the_catalog(db: Database) -> None:
    """A window's services and the hand-over targets come from the loaded catalog."""
    assert [s.code for s in counter_view.window_services(db, 3, site=SITE)] == ["SB", "SC"]
    targets = counter_view.transfer_targets(db, site=SITE)
    assert [s.code for s in targets.services] == ["SA", "SB", "SC", "SD"]
    assert [(w.number, w.name) for w in targets.windows][:2] == [(1, "综合窗口"), (2, "甲业务")]
    town = counter_view.transfer_targets(db, site="town")
    assert [s.code for s in town.services] == ["SA", "SD"]


def test_resolve_site_and_server_time(db: Database) -> None:
    """The site resolves to its id for the change feed and its zone for the clock; the
    server clock is timezone-aware."""
    site = site_info(db, SITE)
    assert (site.code, site.name, site.timezone) == ("hall", "测试服务中心", "Asia/Shanghai")
    assert counter_view.server_time(db).tzinfo is not None
    with pytest.raises(NotFound, match="nowhere"):
        site_info(db, "nowhere")

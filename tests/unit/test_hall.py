"""The hall display's read-only queries: its site and the calls just made."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import update
from sqlalchemy.orm import Session

from shared import issuing, queue
from shared.db import Database
from shared.errors import NotFound, UsageError
from shared.models import Ticket, TicketEvent
from shared.operation import Actor
from shared.read.display_view import MAX_RECENT_CALLS, recent_calls
from shared.read.site import site_info


def issue(db: Database, service: str, site: str = "hall") -> str:
    return issuing.issue_ticket(db, service, site=site).ticket.number


@pytest.mark.all_backends
def test_calls_and_recalls_newest_first(db: Database) -> None:
    """Calls and recalls come newest first, each with its own event id, number and window."""
    issue(db, "SA")
    issue(db, "SB")
    first = queue.call_next(db, 2, site="hall").ticket
    second = queue.call_next(db, 3, site="hall").ticket
    assert first is not None and second is not None
    queue.recall(db, first.id, site="hall", actor=Actor(window=2))

    calls = recent_calls(db, "hall")

    assert [(c.number, c.window, c.recall) for c in calls] == [
        ("A001", 2, True), ("B001", 3, False), ("A001", 2, False)]
    assert len({c.event_id for c in calls}) == 3
    assert calls[0].text == "请 A001 号到 2 号窗口办理"
    assert calls[1].service_name == "乙业务"
    assert all(c.age_seconds >= 0 for c in calls)


def test_other_actions_are_not_calls(db: Database) -> None:
    """Issuing, starting and finishing a ticket add no entry; only call and recall do."""
    issue(db, "SA")
    called = queue.call_next(db, 2, site="hall").ticket
    assert called is not None
    queue.start(db, called.id, site="hall", actor=Actor(window=2))
    queue.finish(db, called.id, site="hall", actor=Actor(window=2))
    issue(db, "SA")

    assert [c.number for c in recent_calls(db, "hall")] == ["A001"]


def test_only_the_displays_own_site(db: Database) -> None:
    """A call at another site sharing the database never reaches this site's display."""
    issue(db, "SA", site="town")
    queue.call_next(db, 1, site="town")
    issue(db, "SA")
    queue.call_next(db, 2, site="hall")

    assert [(c.number, c.window) for c in recent_calls(db, "hall")] == [("A001", 2)]
    assert [(c.number, c.window) for c in recent_calls(db, "town")] == [("A001", 1)]


def test_limit_keeps_the_newest(db: Database) -> None:
    """With more calls than the limit, the newest ones are returned."""
    for _ in range(3):
        issue(db, "SA")
    for _ in range(3):
        ticket = queue.call_next(db, 2, site="hall").ticket
        assert ticket is not None
        queue.start(db, ticket.id, site="hall", actor=Actor(window=2))

    assert [c.number for c in recent_calls(db, "hall", limit=2)] == ["A003", "A002"]


def test_yesterdays_calls_are_left_out(db: Database) -> None:
    """Numbers restart every business day, so a call from yesterday is not shown."""
    issue(db, "SA")
    called = queue.call_next(db, 2, site="hall").ticket
    assert called is not None
    yesterday = dt.timedelta(days=1)

    def move_to_yesterday(session: Session) -> None:
        ticket = session.get(Ticket, called.id)
        assert ticket is not None
        session.execute(update(Ticket).where(Ticket.id == called.id)
                        .values(business_day=ticket.business_day - yesterday))
        for event in session.query(TicketEvent).filter(TicketEvent.ticket_id == called.id):
            event.at = event.at - yesterday

    db.write(move_to_yesterday)

    assert recent_calls(db, "hall") == []


@pytest.mark.parametrize("limit", [0, -1, MAX_RECENT_CALLS + 1, True, "5"])
def test_bad_limit_is_refused(db: Database, limit: object) -> None:
    """A limit outside 1..MAX_RECENT_CALLS is refused with a message naming it."""
    with pytest.raises(UsageError, match="limit"):
        recent_calls(db, "hall", limit=limit)  # type: ignore[arg-type]


def test_hall_site_by_code(db: Database) -> None:
    """The display finds its site's id, name and zone from the configured code."""
    site = site_info(db, "town")
    assert (site.code, site.name, site.timezone) == ("town", "测试派出所", "Asia/Shanghai")
    with pytest.raises(NotFound):
        site_info(db, "nowhere")

"""Build a small hall history with exact timestamps for the statistics tests.

Rows are written as the queue operations leave them (a ticket, one segment per stay,
its events, evaluations and follow-ups), so each expectation can be computed by hand;
the measures on the stays are then filled in as migration 0003 fills history.
Times are site-local (Asia/Shanghai) wall-clock strings, stored as UTC.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from shared import clerks
from shared.db import Database
from shared.models import (
    Clerk,
    Evaluation,
    FollowUp,
    Segment,
    Service,
    Site,
    Ticket,
    TicketEvent,
    Window,
)
from shared.stats.measures import backfill_measures

ZONE = ZoneInfo("Asia/Shanghai")
MONDAY = dt.date(2026, 3, 2)
TUESDAY = MONDAY + dt.timedelta(days=1)


def at(day: dt.date, clock: str, zone: ZoneInfo = ZONE) -> dt.datetime:
    """A site-local wall-clock time ("09:05:00.250") on ``day`` as aware UTC."""
    return dt.datetime.combine(day, dt.time.fromisoformat(clock), zone).astimezone(dt.UTC)


@dataclass
class Stay:
    service: str
    queued: str
    called: str | None = None
    started: str | None = None
    ended: str | None = None
    window: int | None = None
    clerk: str | None = None
    result: str | None = None  # finished / transferred / no_show / cancelled / expired
    outcome: str | None = None


@dataclass
class Case:
    day: dt.date
    stays: list[Stay]
    kind: str = "normal"
    level: int | None = None
    rated: bool = False  # an evaluation row (level None: the citizen did not rate)
    comment: str = ""
    follow_up: str | None = None  # open / closed
    closed_after_days: int = 0  # a closed follow-up: closed at 18:00 this many days later
    # The follow-up's first contact and rectification, site-local "YYYY-MM-DD HH:MM[:SS]";
    # a closed one without them was contacted and rectified when it was closed.
    contacted: str | None = None
    rectified: str | None = None
    expired_after_no_show: bool = False  # end of day closed a no-show
    extra_events: list[tuple[str, str, str]] = field(default_factory=list)


def add_clerks(db: Database) -> None:
    for login, name in (("c1", "张一"), ("c2", "李二"), ("boss", "王主任")):
        clerks.add_clerk(db, login, name, "password1",
                         role="supervisor" if login == "boss" else "clerk")


def add_cases(db: Database, cases: list[Case], site: str = "hall") -> None:
    def op(session: Session) -> None:
        site_row = session.scalar(select(Site).where(Site.code == site))
        assert site_row is not None
        for n, case in enumerate(cases, start=1):
            _add_case(session, site_row, case, n)
        session.flush()
        backfill_measures(session, [site_row.id])

    db.write(op, name="test_history")


def _id(session: Session, model: type, column: object, value: object) -> int:
    found = session.scalar(select(model.id).where(column == value))  # type: ignore[attr-defined]
    assert found is not None, f"no {model.__name__} {value!r}"
    return int(found)


def _add_case(session: Session, site: Site, case: Case, n: int) -> None:
    first, last = case.stays[0], case.stays[-1]
    service_id = {s.service: _id(session, Service, Service.code, s.service) for s in case.stays}
    window_ids = {s.window: session.scalar(select(Window.id).where(
        Window.site_id == site.id, Window.number == s.window)) for s in case.stays if s.window}
    clerk_ids = {s.clerk: _id(session, Clerk, Clerk.login, s.clerk) for s in case.stays
                 if s.clerk}
    state = {"finished": "finished", "no_show": "no_show", "cancelled": "cancelled",
             "expired": "expired", None: "waiting"}[last.result]
    if case.expired_after_no_show:
        state = "expired"

    zone = ZoneInfo(site.timezone)

    def when(clock: str | None) -> dt.datetime | None:
        return at(case.day, clock, zone) if clock else None

    ticket = Ticket(
        site_id=site.id, business_day=case.day, prefix="T", seq=n, number=f"T{n:03d}",
        service_id=service_id[last.service], issued_service_id=service_id[first.service],
        kind=case.kind, transferred=len(case.stays) > 1, state=state, queue_pos=n << 20,
        issued_at=when(first.queued), queued_at=when(last.queued), called_at=when(last.called),
        started_at=when(last.started), finished_at=when(last.ended) if state == "finished" else None,
        window_id=window_ids.get(last.window), clerk_id=clerk_ids.get(last.clerk),
        outcome=last.outcome, call_count=1 if last.called else 0)
    session.add(ticket)
    session.flush()
    for index, stay in enumerate(case.stays):
        session.add(Segment(
            ticket_id=ticket.id, site_id=site.id, business_day=case.day,
            service_id=service_id[stay.service], kind=case.kind, transferred=index > 0,
            queued_at=when(stay.queued), called_at=when(stay.called),
            started_at=when(stay.started), ended_at=when(stay.ended),
            window_id=window_ids.get(stay.window), clerk_id=clerk_ids.get(stay.clerk),
            result=stay.result, outcome=stay.outcome))
    events = [("issue", None, "waiting", first.queued)] + [
        (action, before, after, clock) for action, before, after, clock in
        ((a, b, c, None) for a, b, c in case.extra_events)]
    if case.expired_after_no_show:
        events.append(("expire", "no_show", "expired", "23:00"))
    for action, before, after, clock in events:
        session.add(TicketEvent(site_id=site.id, ticket_id=ticket.id, action=action,
                                from_state=before, to_state=after,
                                service_id=service_id[last.service],
                                at=when(clock or first.queued), detail={}))
    if case.rated:
        evaluation = Evaluation(ticket_id=ticket.id, site_id=site.id,
                                window_id=window_ids.get(last.window),
                                clerk_id=clerk_ids.get(last.clerk), level=case.level,
                                comment=case.comment, at=when(last.ended))
        session.add(evaluation)
        session.flush()
        if case.follow_up:
            closed = case.follow_up == "closed"

            def local(stamp: str | None) -> dt.datetime | None:
                return (dt.datetime.fromisoformat(stamp).replace(tzinfo=zone).astimezone(dt.UTC)
                        if stamp else None)

            closed_at = at(case.day + dt.timedelta(days=case.closed_after_days), "18:00",
                           zone) if closed else None
            session.add(FollowUp(
                evaluation_id=evaluation.id, status=case.follow_up,
                contact_result="已回访" if closed or case.contacted else "",
                created_at=when(last.ended), contacted_at=local(case.contacted) or closed_at,
                rectified_at=local(case.rectified) or closed_at, closed_at=closed_at,
                closed_by_id=clerk_ids.get("boss") or _id(session, Clerk, Clerk.login, "boss")
                if closed else None))


def standard_history() -> list[Case]:
    """The data set of docs/metrics.md's worked example (see test_stats.py)."""
    return [
        # T1: served at window 1; a wait of 300.5 s, service 420 s, rated 非常满意.
        Case(MONDAY, [Stay("SA", "09:00:00.250", "09:05:00.750", "09:05:30", "09:12:30", 1,
                           "c1", "finished", "completed")], rated=True, level=1),
        # T2: waited 20 min (beyond the 15 min target), rated 不满意: follow-up open.
        Case(MONDAY, [Stay("SA", "09:10", "09:30", "09:31", "09:41", 2, "c2", "finished",
                           "accepted")], rated=True, level=4, follow_up="open",
             comment="等了二十分钟，窗口人员少"),
        # T3: served at window 1 for SB, handed over to SD, served at window 4.
        Case(MONDAY, [Stay("SB", "09:20", "09:22", "09:23", "09:33", 1, "c1", "transferred"),
                      Stay("SD", "09:33", "09:40", "09:41", "09:46", 4, None, "finished",
                           "completed")], rated=True, level=2),
        # T4: no-show at window 3, reinstated, called again at window 1: the later call counts.
        Case(MONDAY, [Stay("SB", "10:00", "10:30", "10:31", "10:35", 1, "c1", "finished",
                           "consultation")], rated=True, level=None,
             extra_events=[("no_show", "called", "no_show"), ("reinstate", "no_show", "waiting")]),
        # T5: no-show at window 2, never came back; end of day closed it as expired.
        Case(MONDAY, [Stay("SA", "10:05", "10:20", None, "23:00", 2, "c2", "expired")],
             expired_after_no_show=True),
        # T6: left before being called.
        Case(MONDAY, [Stay("SC", "11:00", None, None, "11:30", None, None, "cancelled")]),
        # T7: Tuesday, served, rated 非常不满意: follow-up closed.
        Case(TUESDAY, [Stay("SA", "14:00", "14:03:20", "14:04", "14:10", 2, "c2", "finished",
                            "materials-missing")], rated=True, level=5, follow_up="closed",
             comment="材料要求没有一次说清"),
        # T8: Tuesday, green channel, still waiting (an open stay).
        Case(TUESDAY, [Stay("SA", "14:05")], kind="green"),
        # T9: Tuesday, still waiting when the day was closed: expired, not a no-show.
        Case(TUESDAY, [Stay("SD", "16:00", None, None, "23:00", None, None, "expired")]),
    ]

"""What the public pages show of one site, read in one go after each change.

Thousands of phones may watch one hall. Rather than one query per phone per change, the
web service reads a :class:`SiteSnapshot` once per change of the site (the change feed
says when) and every page takes its ticket's line from it. A waiting ticket's people
ahead is the count the kiosk prints (:func:`shared.routing.people_ahead`: the waiting
tickets the same windows call first), for every waiting ticket at once
(:func:`shared.routing.people_ahead_of_each`; tests/integration/test_web.py compares the
two). A waiting ticket's estimated wait and its range are the predictor's, as on the
kiosk and the slip (:func:`shared.prediction.estimate_waiting_ticket`), from one reading
of the hall's state per snapshot (:func:`shared.prediction.load_state`); the pages show
the range. The hall page's lines are those of :func:`shared.read.hall_state.queue_overview`,
the predictor's per-service waits included (the same test compares them).

Nothing here names a person: a snapshot holds ticket numbers, services and windows.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select

from shared.db import Database, server_now
from shared.hours import business_day
from shared.issuing import labels_of
from shared.lookup import site_by_code
from shared.models import Service, Ticket, Window, WindowService
from shared.prediction import estimate_waiting_ticket, load_state
from shared.read.display_view import recent_calls
from shared.read.hall_state import queue_overview
from shared.routing import (
    RoutingRules,
    WaitingTicket,
    class_rank_expr,
    people_ahead_of_each,
    rank_params,
)
from shared.states import TicketState
from shared.web.remote import RemoteStatus, remote_settings, remote_statuses

RECENT_CALLS_SHOWN = 8


@dataclass(frozen=True)
class TicketStatus:
    """One ticket as its web page shows it."""

    id: int
    number: str
    service: str
    service_name: str
    state: str
    people_ahead: int  # 0 unless waiting
    estimated_wait_minutes: int | None  # the predictor's point value, while waiting
    window: int | None  # the window it is called to, while called or serving
    windows: list[str]
    materials: list[str]
    wait_range: str | None = None  # the predictor's range ("约 10–20 分钟"), while waiting

    def to_json(self) -> dict[str, Any]:
        return {"number": self.number, "service": self.service,
                "service_name": self.service_name, "state": self.state,
                "people_ahead": self.people_ahead,
                "estimated_wait_minutes": self.estimated_wait_minutes,
                "wait_range": self.wait_range, "window": self.window,
                "windows": self.windows, "materials": self.materials}


@dataclass(frozen=True)
class SiteSnapshot:
    version: int
    site_id: int
    site_code: str
    site_name: str
    day: dt.date
    taken_at: dt.datetime  # server clock, UTC
    services: list[dict[str, Any]]
    recent_calls: list[dict[str, Any]]
    tickets: dict[int, TicketStatus] = field(repr=False)
    remote: dict[int, RemoteStatus] = field(default_factory=dict, repr=False)
    remote_enabled: bool = False

    def service(self, code: str) -> dict[str, Any] | None:
        return next((s for s in self.services if s["service"] == code), None)

    def hall_json(self) -> dict[str, Any]:
        return {"site": self.site_code, "name": self.site_name, "day": self.day.isoformat(),
                "services": self.services, "recent_calls": self.recent_calls,
                "remote_tickets": self.remote_enabled}


def build_snapshot(db: Database, site_code: str, version: int) -> SiteSnapshot:
    """One site's pages as of now, in a dozen round trips whatever the number of
    services and tickets (a busy hall's database is shared with every counter)."""
    calls = recent_calls(db, site_code, RECENT_CALLS_SHOWN)
    with db.read() as session:
        site = site_by_code(session, site_code)
        now = server_now(session)
        day = business_day(now, site.timezone)
        rules = RoutingRules.from_mapping(site.routing)
        rank = class_rank_expr(rules)
        rows = session.execute(
            select(Ticket.id, Ticket.number, Ticket.state, Ticket.service_id, Ticket.window_id,
                   Ticket.target_window_id, Ticket.queue_pos, rank.label("rank"))
            .where(Ticket.site_id == site.id, Ticket.business_day == day),
            rank_params(rules, now)).all()
        window_numbers = dict(session.execute(
            select(Window.id, Window.number).where(Window.site_id == site.id)).all())
        serving: dict[int, list[int]] = defaultdict(list)
        serving_ids: dict[int, list[int]] = defaultdict(list)
        for service_id, window_id, number in session.execute(
                select(WindowService.service_id, Window.id, Window.number)
                .join(Window, Window.id == WindowService.window_id)
                .where(Window.site_id == site.id, Window.active.is_(True),
                       WindowService.active.is_(True))
                .order_by(Window.number)):
            serving[service_id].append(number)
            serving_ids[service_id].append(window_id)
        # The services today's tickets belong to, and those some active window serves.
        service_ids = {row.service_id for row in rows} | set(serving)
        services = session.execute(
            select(Service.id, Service.code, Service.name, Service.materials)
            .where(Service.id.in_(service_ids or {-1}))).all()
        # The predictor's estimate of every waiting ticket, from one reading of the hall.
        hall_state = load_state(session, site, now, day, rules)
        estimates = {row.id: estimate_waiting_ticket(hall_state, row.id) for row in rows
                     if row.state == TicketState.WAITING.value}
        remote = remote_statuses(session, site.id, day)
        remote_enabled = remote_settings(site.web)[0]
        site_id, site_code, site_name = site.id, site.code, site.name
        service_info = {sid: (code, name, [str(m) for m in materials])
                        for sid, code, name, materials in services}

    queues: dict[int, list[Any]] = defaultdict(list)
    for row in rows:
        if row.state == TicketState.WAITING.value:
            queues[row.service_id].append(row)
    ahead = people_ahead_of_each(
        [WaitingTicket(r.id, r.service_id, r.target_window_id, r.rank, r.queue_pos)
         for waiting in queues.values() for r in waiting],
        [(w, s) for s, windows in serving_ids.items() for w in windows])
    labels = {sid: labels_of(numbers) for sid, numbers in serving.items()}
    tickets = {}
    for row in rows:
        code, name, materials = service_info[row.service_id]
        waiting_ahead = ahead.get(row.id, 0)
        called = row.state in (TicketState.CALLED.value, TicketState.SERVING.value)
        estimate = estimates.get(row.id)
        tickets[row.id] = TicketStatus(
            id=row.id, number=row.number, service=code, service_name=name,
            state=row.state, people_ahead=waiting_ahead,
            estimated_wait_minutes=estimate.minutes if estimate is not None else None,
            window=window_numbers.get(row.window_id) if called and row.window_id else None,
            windows=labels.get(row.service_id, []), materials=materials,
            wait_range=estimate.range_text() if estimate is not None else None)
    # The hall page's lines are the kiosk's own (queue_overview: open or closed now, and
    # the predicted wait of a number taken now, shared.prediction).
    hall_services = [{
        "service": q.service, "name": q.name, "department": q.department,
        "waiting": q.waiting, "estimated_wait_minutes": q.estimated_wait_minutes,
        "open": q.open_now, "closed_reason": q.closed_reason}
        for q in queue_overview(db, site=site_code)]
    return SiteSnapshot(
        version=version, site_id=site_id, site_code=site_code, site_name=site_name, day=day,
        taken_at=now, services=hall_services,
        recent_calls=[{"number": c.number, "window": c.window, "service_name": c.service_name,
                       "text": c.text} for c in calls],
        tickets=tickets, remote=remote, remote_enabled=remote_enabled)

"""The live hall view for supervisors: queues, windows and alerts at one site, now.

A handful of small grouped queries on today's rows (the ``ix_ticket_queue`` and
``ix_segment_site_day`` indexes), so a refresh stays well under 200 ms on a year of
history. "Now" is the database server's clock; the day is the site's business day.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import bindparam, case, func, select
from sqlalchemy.orm import Session

from shared.db import Database
from shared.hours import business_day
from shared.issuing import quota_used
from shared.models import (
    Clerk,
    Department,
    Segment,
    Service,
    Site,
    Ticket,
    Window,
    WindowService,
)
from shared.presence import lease_live
from shared.read.hall_state import service_availability
from shared.read.site import site_and_clock
from shared.states import TicketState
from shared.stats.sql import NotForIndexing
from shared.views import iso


@dataclass(frozen=True)
class LiveThresholds:
    """When the live view raises an alert; the supervisor app lets people change them."""

    queue_length: int = 20  # more than this many waiting for one service
    pause_minutes: int = 30  # a window paused longer than this
    use_service_target: bool = True  # oldest wait beyond the service's target_minutes

    def __post_init__(self) -> None:
        if self.queue_length < 1 or self.pause_minutes < 1:
            raise ValueError("alert thresholds must be at least 1 "
                             f"(queue_length={self.queue_length}, "
                             f"pause_minutes={self.pause_minutes})")


@dataclass(frozen=True)
class LiveService:
    code: str
    name: str
    department: str
    waiting: int
    oldest_queued_at: dt.datetime | None
    longest_wait_seconds: int
    at_windows: int  # called or being served now
    served_today: int
    target_minutes: int
    queue_alert: bool
    wait_alert: bool
    # Whether the service issues numbers now, as the kiosk decides it; if not, why (one of
    # shared.hours.CLOSED_CAUSES) and when it opens next (site-local, if within 2 weeks).
    open_now: bool = True
    closed_cause: str = ""
    opens_at: dt.datetime | None = None

    def to_json(self) -> dict[str, Any]:
        return {"service": self.code, "name": self.name, "department": self.department,
                "waiting": self.waiting, "oldest_queued_at": iso(self.oldest_queued_at),
                "longest_wait_seconds": self.longest_wait_seconds,
                "at_windows": self.at_windows, "served_today": self.served_today,
                "target_minutes": self.target_minutes, "queue_alert": self.queue_alert,
                "wait_alert": self.wait_alert, "open_now": self.open_now,
                "closed_cause": self.closed_cause or None, "opens_at": iso(self.opens_at)}


@dataclass(frozen=True)
class LiveWindow:
    number: int
    name: str
    status: str  # serving | called | paused | idle | closed (no clerk)
    clerk: str | None
    ticket: str | None
    since: dt.datetime | None  # called/started/paused at
    pause_reason: str | None
    served_today: int
    pause_alert: bool

    def to_json(self) -> dict[str, Any]:
        return {"number": self.number, "name": self.name, "status": self.status,
                "clerk": self.clerk, "ticket": self.ticket, "since": iso(self.since),
                "pause_reason": self.pause_reason, "served_today": self.served_today,
                "pause_alert": self.pause_alert}


@dataclass(frozen=True)
class LiveView:
    site_id: int
    site: str
    site_name: str
    timezone: str
    day: dt.date
    now: dt.datetime
    thresholds: LiveThresholds
    services: list[LiveService]
    windows: list[LiveWindow]
    alerts: list[str] = field(default_factory=list)  # Chinese, for the supervisor

    @property
    def waiting(self) -> int:
        return sum(s.waiting for s in self.services)

    @property
    def served_today(self) -> int:
        return sum(w.served_today for w in self.windows)

    def count_windows(self, status: str) -> int:
        return sum(1 for w in self.windows if w.status == status)

    @property
    def open_windows(self) -> int:
        return sum(1 for w in self.windows if w.status != "closed")

    def to_json(self) -> dict[str, Any]:
        return {"site": self.site, "site_name": self.site_name, "timezone": self.timezone,
                "day": self.day.isoformat(),
                "now": self.now.isoformat(), "waiting": self.waiting,
                "served_today": self.served_today, "windows_open": self.open_windows,
                "windows_serving": self.count_windows("serving") + self.count_windows("called"),
                "windows_paused": self.count_windows("paused"),
                "windows_idle": self.count_windows("idle"),
                "services": [s.to_json() for s in self.services],
                "windows": [w.to_json() for w in self.windows], "alerts": self.alerts}


def live_view(db: Database, *, site: str | None = None,
              thresholds: LiveThresholds = LiveThresholds()) -> LiveView:
    """The site's queues and windows now, with the alerts ``thresholds`` raise, read in
    one transaction (:meth:`Database.snapshot`)."""
    with db.snapshot() as session:
        site_row, now = site_and_clock(session, site)
        day = business_day(now, site_row.timezone)
        served = _served(session, site_row.id, day)
        services = _services(session, site_row, day, now, thresholds, served)
        windows = _windows(session, site_row.id, now, thresholds, served)
        return LiveView(site_id=site_row.id, site=site_row.code, site_name=site_row.name,
                        timezone=site_row.timezone, day=day, now=now,
                        thresholds=thresholds, services=services, windows=windows,
                        alerts=_alerts(services, windows, thresholds))


# The stays finished today per service and window, counted by the database, summed per
# service and per window here (one statement for both).
_SERVED = (
    select(Segment.service_id, Segment.window_id, func.count().label("n"))
    .where(Segment.site_id == bindparam("site_id"), Segment.business_day == bindparam("day"),
           Segment.result == "finished")
    # read today by the day index
    .group_by(NotForIndexing(Segment.service_id), NotForIndexing(Segment.window_id)))


@dataclass(frozen=True)
class _Served:
    by_service: dict[int, int]
    by_window: dict[int, int]


def _served(session: Session, site_id: int, day: dt.date) -> _Served:
    served = _Served({}, {})
    for service_id, window_id, n in session.execute(_SERVED, {"site_id": site_id, "day": day}):
        served.by_service[service_id] = served.by_service.get(service_id, 0) + int(n)
        if window_id is not None:
            served.by_window[window_id] = served.by_window.get(window_id, 0) + int(n)
    return served


_WAITING = TicketState.WAITING.value
# Per service today: how many wait, how many are present (waiting, called or served) and
# the oldest queue time of those waiting.
_QUEUES = (
    select(Ticket.service_id,
           func.sum(case((Ticket.state == _WAITING, 1), else_=0)).label("waiting"),
           func.count().label("present"),
           func.min(case((Ticket.state == _WAITING, Ticket.queued_at))).label("oldest"))
    .where(Ticket.site_id == bindparam("site_id"), Ticket.business_day == bindparam("day"),
           Ticket.state.in_((_WAITING, TicketState.CALLED.value, TicketState.SERVING.value)))
    .group_by(Ticket.service_id)
    .subquery("queues"))
# The services some active window of the site serves, in catalog order, with their queue.
_OFFERED = (
    select(Service, Department.name.label("department"), _QUEUES.c.waiting,
           _QUEUES.c.present, _QUEUES.c.oldest)
    .join(Department, Department.id == Service.department_id)
    .outerjoin(_QUEUES, _QUEUES.c.service_id == Service.id)
    .where(Service.active.is_(True), Service.id.in_(
        select(WindowService.service_id).join(Window, Window.id == WindowService.window_id)
        .where(Window.site_id == bindparam("site_id"), Window.active.is_(True),
               WindowService.active.is_(True))))
    .order_by(Department.sort_order, Service.sort_order, Service.code))


def _services(session: Session, site: Site, day: dt.date, now: dt.datetime,
              limits: LiveThresholds, served: _Served) -> list[LiveService]:
    site_id = site.id
    offered = session.execute(_OFFERED, {"site_id": site_id, "day": day}).all()
    used = quota_used(session, site_id, day)
    local_now = now.astimezone(ZoneInfo(site.timezone))
    result = []
    for s, department, waiting_n, present, oldest in offered:
        avail = service_availability(site, s, local_now, used)
        waiting = int(waiting_n or 0)  # 0 also where nobody is present (no queue row)
        longest = max(0, int((now - oldest).total_seconds())) if oldest else 0
        result.append(LiveService(
            code=s.code, name=s.name, department=department, waiting=waiting,
            oldest_queued_at=oldest, longest_wait_seconds=longest,
            at_windows=(int(present) - waiting) if present is not None else 0,
            served_today=served.by_service.get(s.id, 0), target_minutes=s.target_minutes,
            queue_alert=waiting > limits.queue_length,
            wait_alert=limits.use_service_target and longest > s.target_minutes * 60,
            open_now=avail.open, closed_cause=avail.cause, opens_at=avail.opens_at,
        ))
    return result


# The site's active windows with their clerk's name and the ticket each holds.
_WINDOWS = (
    select(Window.id, Window.number, Window.name, Window.paused, Window.paused_at,
           Window.pause_reason, Window.clerk_id, Window.lease_expires_at,
           Clerk.display_name, Ticket.number.label("ticket"), Ticket.state,
           Ticket.called_at, Ticket.started_at)
    .outerjoin(Clerk, Clerk.id == Window.clerk_id)
    .outerjoin(Ticket, Ticket.id == Window.current_ticket_id)
    .where(Window.site_id == bindparam("site_id"), Window.active.is_(True))
    .order_by(Window.number))


def _windows(session: Session, site_id: int, now: dt.datetime, limits: LiveThresholds,
             served: _Served) -> list[LiveWindow]:
    result = []
    for win in session.execute(_WINDOWS, {"site_id": site_id}):
        # shared.presence.present_clerk_id, on the row
        present = win.clerk_id is not None and lease_live(win.lease_expires_at, now)
        number = win.ticket
        since: dt.datetime | None = None
        if win.paused:
            status, since = "paused", win.paused_at
        elif number is not None:
            status = "serving" if win.state == TicketState.SERVING.value else "called"
            since = win.started_at if status == "serving" else win.called_at
        else:
            status = "idle" if present else "closed"
        paused_for = (now - win.paused_at).total_seconds() if win.paused and win.paused_at else 0
        result.append(LiveWindow(
            number=win.number, name=win.name, status=status,
            clerk=win.display_name if present else None, ticket=number, since=since,
            pause_reason=win.pause_reason if win.paused else None,
            served_today=served.by_window.get(win.id, 0),
            pause_alert=paused_for > limits.pause_minutes * 60,
        ))
    return result


def _alerts(services: list[LiveService], windows: list[LiveWindow],
            limits: LiveThresholds) -> list[str]:
    alerts = []
    for s in services:
        if s.queue_alert:
            alerts.append(f"{s.name}：等候 {s.waiting} 人，超过 {limits.queue_length} 人")
        if s.wait_alert:
            alerts.append(f"{s.name}：最长已等 {s.longest_wait_seconds // 60} 分钟，"
                          f"超过目标 {s.target_minutes} 分钟")
    for w in windows:
        if w.pause_alert:
            alerts.append(f"{w.number}号窗口暂停超过 {limits.pause_minutes} 分钟"
                          f"（{w.pause_reason or ''}）")
    return alerts

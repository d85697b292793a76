"""Read-only questions about tickets and windows (no transaction of their own to commit)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from sqlalchemy import bindparam, case, func, select
from sqlalchemy.orm import Session

from shared.db import Database, server_now
from shared.hours import Availability, availability, business_day
from shared.issuing import quota_used
from shared.lookup import (
    ascii_id,
    find_ticket,
    site_by_code,
    ticket_view,
    window_by_number,
    window_queue,
    window_view,
)
from shared.models import (
    Department,
    Service,
    Site,
    Ticket,
    Window,
    WindowService,
)
from shared.prediction import estimate_wait
from shared.read.site import site_and_clock
from shared.routing import (
    RoutingRules,
    people_ahead_of_new,
)
from shared.states import TicketKind, TicketState
from shared.views import NewTicketOutlook, ServiceQueue, TicketView, WindowView


def get_ticket(db: Database, ref: str | int, *, site: str | None = None,
               day: dt.date | None = None) -> TicketView:
    with db.read() as session:
        site_row = site_by_code(session, site) if not ascii_id(ref) else None
        if site_row is not None and day is None:
            day = business_day(server_now(session), site_row.timezone)
        return ticket_view(session, find_ticket(session, site_row, ref, day))


def list_tickets(db: Database, *, site: str | None = None, day: dt.date | None = None
                 ) -> list[TicketView]:
    """A site's tickets of one business day (today by default), in issue order."""
    with db.read() as session:
        site_row = site_by_code(session, site)
        if day is None:
            day = business_day(server_now(session), site_row.timezone)
        tickets = session.scalars(
            select(Ticket).where(Ticket.site_id == site_row.id, Ticket.business_day == day)
            .order_by(Ticket.id)  # ids follow the site's issue order
        ).all()
        return [ticket_view(session, t) for t in tickets]


def get_window(db: Database, window: int, *, site: str | None = None) -> WindowView:
    with db.read() as session:
        return window_view(session, window_by_number(session, site_by_code(session, site), window),
                           server_now(session))


def list_windows(db: Database, *, site: str | None = None) -> list[WindowView]:
    with db.read() as session:
        site_row = site_by_code(session, site)
        windows = session.scalars(select(Window).where(Window.site_id == site_row.id)
                                  .order_by(Window.number)).all()
        now = server_now(session)
        return [window_view(session, w, now) for w in windows]


def waiting_for_window(db: Database, window: int, *, site: str | None = None
                       ) -> list[TicketView]:
    """The tickets this window could call, in class and queue order (for the counter)."""
    with db.read() as session:
        site_row = site_by_code(session, site)
        now = server_now(session)
        win = window_by_number(session, site_row, window)
        return waiting_at(session, site_row, win, now)


def waiting_at(session: Session, site: Site, win: Window, now: dt.datetime
               ) -> list[TicketView]:
    """:func:`waiting_for_window` inside a caller's read (a terminal's snapshot)."""
    day = business_day(now, site.timezone)
    service_ids = session.scalars(
        select(WindowService.service_id).where(WindowService.window_id == win.id,
                                               WindowService.active.is_(True))
    ).all()
    return [view for view, _ in window_queue(session, site, day, win.id, service_ids, now)]


def service_availability(site: Site, service: Service, local_now: dt.datetime,
                         quota_used_today: dict[int, int]) -> Availability:
    """Whether a service issues numbers now: its hours in the site's calendar, then its
    daily quota (``quota_used_today`` from :func:`shared.issuing.quota_used`)."""
    avail = availability(site.calendar, service.hours, service.weekend, service.holiday,
                         local_now)
    if avail.open and service.daily_quota is not None and \
            quota_used_today.get(service.id, 0) >= service.daily_quota:
        return Availability(False, "今日号源已取完，请明天再来", cause="quota_full")
    return avail


def queue_overview(db: Database, *, site: str | None = None) -> list[ServiceQueue]:
    """Every service offered at a site with its live queue, estimated wait for a new
    ticket and whether it issues numbers now (kiosk, display, counter, supervisor)."""
    with db.snapshot() as session:
        return overview_at(session, *site_and_clock(session, site))


def overview_at(session: Session, site_row: Site, now: dt.datetime) -> list[ServiceQueue]:
    """:func:`queue_overview` inside a caller's read transaction."""
    return overview_parts(session, site_row, now)[0]


# The services some active window of the site serves, in catalog order.
_OFFERED = (
    select(Service, Department.name)
    .join(Department, Department.id == Service.department_id)
    .where(Service.active.is_(True), Service.id.in_(
        select(WindowService.service_id).join(Window, Window.id == WindowService.window_id)
        .where(Window.site_id == bindparam("site_id"), Window.active.is_(True),
               WindowService.active.is_(True))))
    .order_by(Department.sort_order, Service.sort_order))
# Per service, who waits today: all, green channel, appointments, the oldest queue time.
_WAITING_COUNTS = (
    select(Ticket.service_id, func.count().label("n"),
           func.sum(case((Ticket.kind == TicketKind.GREEN.value, 1), else_=0)).label("green"),
           func.sum(case((Ticket.kind == TicketKind.APPOINTMENT.value, 1), else_=0))
           .label("appointment"),
           func.min(Ticket.queued_at).label("oldest"))
    .where(Ticket.site_id == bindparam("site_id"), Ticket.business_day == bindparam("day"),
           Ticket.state == TicketState.WAITING.value)
    .group_by(Ticket.service_id))


def overview_parts(session: Session, site_row: Site, now: dt.datetime
                   ) -> tuple[list[ServiceQueue], list[Service], dict[int, int]]:
    """:func:`overview_at` with what it read on the way, for a caller that needs them
    too: the services offered (their rows, in the same order) and the numbers counted
    against their daily quotas today (:func:`shared.issuing.quota_used`)."""
    day = business_day(now, site_row.timezone)
    local_now = now.astimezone(ZoneInfo(site_row.timezone))
    params = {"site_id": site_row.id, "day": day}
    offered = session.execute(_OFFERED, params).all()
    waiting = {row.service_id: row for row in session.execute(_WAITING_COUNTS, params)}
    used = quota_used(session, site_row.id, day)
    waits = estimate_wait(session, site_row, now, day,
                          RoutingRules.from_mapping(site_row.routing),
                          service_ids=[service.id for service, _ in offered])
    result = []
    for service, department in offered:
        row = waiting.get(service.id)
        count = int(row.n) if row else 0
        avail = service_availability(site_row, service, local_now, used)
        result.append(ServiceQueue(
            service=service.code, name=service.name, department=department,
            prefix=service.prefix, waiting=count,
            green_waiting=int(row.green or 0) if row else 0,
            appointment_waiting=int(row.appointment or 0) if row else 0,
            oldest_queued_at=row.oldest if row else None,
            estimated_wait_minutes=waits[service.id].minutes,
            open_now=avail.open, closed_reason=avail.reason,
            wait_low_minutes=waits[service.id].low,
            wait_high_minutes=waits[service.id].high,
            opens_at=avail.opens_at if not avail.open else None,
        ))
    return result, [service for service, _ in offered], used


def new_ticket_outlook(db: Database, *, site: str | None = None) -> dict[str, NewTicketOutlook]:
    """Per service code: the people a new ordinary ticket would have ahead
    (:func:`shared.routing.people_ahead_of_new`, the rule of the number then taken), as
    the slip will say (the kiosk's service list and guide page)."""
    with db.snapshot() as session:
        return outlook_at(session, *site_and_clock(session, site))


def outlook_at(session: Session, site_row: Site, now: dt.datetime
               ) -> dict[str, NewTicketOutlook]:
    """:func:`new_ticket_outlook` inside a caller's read transaction."""
    day = business_day(now, site_row.timezone)
    rules = RoutingRules.from_mapping(site_row.routing)
    ahead = people_ahead_of_new(session, site_row.id, day, rules, now)
    codes = dict(session.execute(
        select(Service.id, Service.code).where(Service.id.in_(list(ahead) or [-1]))).all())
    return {codes[service_id]: NewTicketOutlook(people_ahead=count)
            for service_id, count in ahead.items()}

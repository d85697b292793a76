"""Read-only questions the counter terminal asks besides :mod:`shared.read.hall_state`: the site
it belongs to, the server clock, the clerk's own figures today, today's no-shows a window
may reinstate and where a case can be handed over to. A service's materials list comes
from :func:`shared.read.kiosk_view.service_guides`, as on the kiosk.

Every figure is a SQL aggregate; nothing here writes.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import and_, bindparam, func, select
from sqlalchemy.orm import Session

from shared.db import Database, server_now
from shared.feed import Change
from shared.hours import business_day
from shared.lookup import (
    clerk_by_login,
    site_by_code,
    ticket_view,
    window_by_number,
    window_view,
)
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
from shared.read import hall_state
from shared.states import Action, TicketKind, TicketState
from shared.stats.measures import service_seconds
from shared.views import TicketView, WindowView


@dataclass(frozen=True)
class ServiceRef:
    code: str
    name: str
    prefix: str
    id: int | None = None  # the database id, where a change event may name it


@dataclass(frozen=True)
class WindowRef:
    number: int
    name: str


@dataclass(frozen=True)
class ClerkDayStats:
    """What a clerk finished today: how many citizens and the mean time from start to
    finish (None before the first one)."""

    served: int
    average_service_seconds: float | None


@dataclass(frozen=True)
class NoShowTicket:
    id: int
    number: str
    service_name: str
    kind: str
    called_at: dt.datetime | None


@dataclass(frozen=True)
class TransferTargets:
    services: list[ServiceRef]
    windows: list[WindowRef]


def server_time(db: Database) -> dt.datetime:
    """The database server's clock: the counter times waits by it, not by its own."""
    with db.read() as session:
        return server_now(session)


def _today(session: Session, site: Site) -> dt.date:
    return business_day(server_now(session), site.timezone)


def clerk_day_stats(db: Database, clerk: str, *, site: str | None = None) -> ClerkDayStats:
    """How many tickets the clerk finished today at the site and their mean service time."""
    with db.read() as session:
        site_row = site_by_code(session, site)
        return _clerk_day(session, site_row, _today(session, site_row),
                          clerk_by_login(session, clerk).id)


_CLERK_DAY = (
    select(func.count(Segment.id), func.avg(service_seconds()))
    .where(Segment.site_id == bindparam("site_id"), Segment.business_day == bindparam("day"),
           Segment.clerk_id == bindparam("clerk_id"), Segment.result == "finished",
           Segment.service_us.is_not(None)))


def _clerk_day(session: Session, site: Site, day: dt.date, clerk_id: int) -> ClerkDayStats:
    served, average = session.execute(
        _CLERK_DAY, {"site_id": site.id, "day": day, "clerk_id": clerk_id}).one()
    return ClerkDayStats(int(served or 0), float(average) if average is not None else None)


def window_services(db: Database, window: int, *, site: str | None = None) -> list[ServiceRef]:
    """The services a window calls, in catalog order."""
    with db.read() as session:
        return _window_services(session, window_by_number(session, site_by_code(session, site),
                                                          window).id)


_WINDOW_SERVICES = (
    select(Service.code, Service.name, Service.prefix, Service.id)
    .join(WindowService, WindowService.service_id == Service.id)
    .join(Department, Department.id == Service.department_id)
    .where(WindowService.window_id == bindparam("window_id"), WindowService.active.is_(True),
           Service.active.is_(True))
    .order_by(Department.sort_order, Service.sort_order, Service.code))


def _window_services(session: Session, window_id: int) -> list[ServiceRef]:
    return [ServiceRef(r.code, r.name, r.prefix, r.id)
            for r in session.execute(_WINDOW_SERVICES, {"window_id": window_id})]


def no_shows_for_window(db: Database, window: int, *, site: str | None = None
                        ) -> list[NoShowTicket]:
    """Today's no-show tickets of the services this window serves, latest call first:
    the ones a citizen who came back may be reinstated from."""
    with db.read() as session:
        site_row = site_by_code(session, site)
        win = window_by_number(session, site_row, window)
        served = select(WindowService.service_id).where(WindowService.window_id == win.id,
                                                        WindowService.active.is_(True))
        rows = session.execute(
            select(Ticket.id, Ticket.number, Service.name, Ticket.kind, Ticket.called_at)
            .join(Service, Service.id == Ticket.service_id)
            .where(Ticket.site_id == site_row.id,
                   Ticket.business_day == _today(session, site_row),
                   Ticket.state == TicketState.NO_SHOW.value,
                   Ticket.service_id.in_(served))
            .order_by(Ticket.called_at.desc(), Ticket.id.desc())
        ).all()
        return [NoShowTicket(r.id, r.number, r.name, r.kind, r.called_at) for r in rows]


def transfer_targets(db: Database, *, site: str | None = None) -> TransferTargets:
    """Where a case can be handed over to: the active services some active window of the
    site serves, and the site's active windows."""
    with db.read() as session:
        site_row = site_by_code(session, site)
        offered = select(WindowService.service_id).join(
            Window, and_(Window.id == WindowService.window_id, Window.active.is_(True),
                         Window.site_id == site_row.id)
        ).where(WindowService.active.is_(True))
        services = session.execute(
            select(Service.code, Service.name, Service.prefix)
            .join(Department, Department.id == Service.department_id)
            .where(Service.active.is_(True), Service.id.in_(offered))
            .order_by(Department.sort_order, Service.sort_order, Service.code)
        ).all()
        windows = session.execute(
            select(Window.number, Window.name)
            .where(Window.site_id == site_row.id, Window.active.is_(True))
            .order_by(Window.number)
        ).all()
        return TransferTargets([ServiceRef(r.code, r.name, r.prefix) for r in services],
                               [WindowRef(r.number, r.name) for r in windows])


# --------------------------------------------------------------------------- the snapshot


@dataclass(frozen=True)
class ServiceLine:
    """One of the window's services: who waits for it at this window."""

    code: str
    name: str
    waiting: int
    green: int
    appointment: int
    oldest_queued_at: dt.datetime | None


@dataclass(frozen=True)
class CounterSnapshot:
    """Everything the counter's main screen shows, read in one transaction."""

    window: WindowView
    waiting: list[TicketView]  # every ticket the window may call, in class and queue order
    # The next calls of 叫下一位 (if no other window calls first), from a dry run of
    # call-next itself: the weighted interleave of a comprehensive window included.
    upcoming: list[TicketView]
    services: list[ServiceLine]
    stats: ClerkDayStats
    held_materials: list[str]  # the held ticket's service materials (材料不全 notice)
    server_now: dt.datetime
    # The ids of the services the window serves, for the change feed (concerns_counter).
    service_ids: frozenset[int] = frozenset()
    # The held ticket's service needs a case number (办件编号) for 办结 and 受理.
    held_case_required: bool = False

    @property
    def held(self) -> TicketView | None:
        return self.window.current_ticket


def summarize_queue(services: list[ServiceRef], waiting: list[TicketView]) -> list[ServiceLine]:
    """Per service of the window: waiting count, green-channel and appointment counts and
    the longest-waiting ticket's queue time. Services the window does not serve but that
    reach it by a hand-over to the window are listed after its own."""
    names = {s.code: s.name for s in services}
    order = [s.code for s in services]
    for ticket in waiting:
        if ticket.service not in names:
            names[ticket.service] = ticket.service_name
            order.append(ticket.service)
    lines = []
    for code in order:
        mine = [t for t in waiting if t.service == code]
        lines.append(ServiceLine(
            code=code, name=names[code], waiting=len(mine),
            green=sum(1 for t in mine if t.kind == TicketKind.GREEN.value),
            appointment=sum(1 for t in mine if t.kind == TicketKind.APPOINTMENT.value),
            oldest_queued_at=min((t.queued_at for t in mine), default=None),
        ))
    return lines


UPCOMING_SHOWN = 12  # how many of the next calls the counter lists


def counter_snapshot(db: Database, window: int, clerk: str, *, site: str | None
                     ) -> CounterSnapshot:
    """The window, its queue, its next calls and the clerk's day, in ONE read transaction
    (:meth:`Database.snapshot`): one consistent moment on PostgreSQL and SQLite."""
    from shared.operation import open_context
    from shared.queue import preview_at

    with db.snapshot() as session:
        ctx = open_context(session, site)  # the site and the server's clock together
        # The site's windows and the catalog's services, loaded once and held here so
        # the views built below find them in the session (its identity map keeps only
        # what something references) instead of reading each again.
        windows = session.scalars(select(Window).where(Window.site_id == ctx.site.id)).all()
        catalog = session.scalars(select(Service)).all()
        win = next((w for w in windows if w.number == window and w.active), None)
        if win is None:
            win = window_by_number(session, ctx.site, window)  # raises, naming it
        view = window_view(session, win, ctx.now)
        waiting = hall_state.waiting_at(session, ctx.site, win, ctx.now)
        upcoming = ([ticket_view(session, t) for t in
                     preview_at(ctx, win, min(UPCOMING_SHOWN, len(waiting)))]
                    if waiting else [])
        services = _window_services(session, win.id)
        clerk_id = session.scalar(select(Clerk.id).where(Clerk.login == clerk))
        if clerk_id is None:
            clerk_id = clerk_by_login(session, clerk).id  # raises, naming the login
        stats = _clerk_day(session, ctx.site, ctx.day, clerk_id)
        held = view.current_ticket
        held_service = next((s for s in catalog if held is not None and s.code == held.service),
                            None)
        materials = [str(m) for m in held_service.materials] if held_service else []
        return CounterSnapshot(view, waiting, upcoming, summarize_queue(services, waiting),
                               stats, materials, ctx.now,
                               frozenset(s.id for s in services if s.id is not None),
                               bool(held_service and held_service.case_required))


def concerns_counter(change: Change, window_id: int, service_ids: frozenset[int]) -> bool:
    """Whether a counter shows something ``change`` changed: its own window, a service
    it serves, or a transfer (the event log names a transferred ticket's old service and
    the acting window, not the window or service it went to)."""
    return (change.everything or window_id in change.windows
            or not change.services.isdisjoint(service_ids)
            or Action.TRANSFER.value in change.kinds)


def concerns_window(change: Change, window_id: int) -> bool:
    """Whether a window's own display (its call, clerk, pause) shows something ``change``
    changed: every operation at a window names it."""
    return change.everything or window_id in change.windows

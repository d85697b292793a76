"""Read-only questions the counter terminal asks besides :mod:`shared.read.hall_state`: the site
it belongs to, the server clock, the clerk's own figures today, today's no-shows a window
may reinstate and where a case can be handed over to. A service's materials list comes
from :func:`shared.read.kiosk_view.service_guides`, as on the kiosk.

Every figure is a SQL aggregate; nothing here writes.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, and_, bindparam, case, func, select
from sqlalchemy.orm import Session, aliased

from shared.db import Database, as_server_time, server_clock, server_now
from shared.errors import UsageError
from shared.feed import Change
from shared.hours import business_day
from shared.lookup import (
    choose_site,
    clerk_by_login,
    site_by_code,
    site_query,
    ticket_view_of,
    ticket_views_query,
    window_by_number,
    window_queue_heads,
    window_view_of,
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
from shared.presence import present_clerk_id
from shared.routing import WINDOW_FILTER, RoutingRules, window_filter_params
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
    # The next calls of 叫下一位 (if no other window calls first), from a dry run of
    # call-next itself: the weighted interleave of a comprehensive window included.
    upcoming: list[TicketView]
    services: list[ServiceLine]  # who waits for each service, counted by the database
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

    @property
    def waiting(self) -> int:
        """Every ticket the window may call."""
        return sum(line.waiting for line in self.services)


# Per service, the tickets a window may call (routing.WINDOW_FILTER): how many, how many
# green-channel and appointment tickets, and since when the longest has queued.
_QUEUE_LINES = (
    select(Service.code, Service.name, func.count(Ticket.id).label("waiting"),
           func.count(case((Ticket.kind == TicketKind.GREEN.value, Ticket.id))).label("green"),
           func.count(case((Ticket.kind == TicketKind.APPOINTMENT.value, Ticket.id)))
           .label("appointment"),
           func.min(Ticket.queued_at).label("oldest"))
    .join(Service, Service.id == Ticket.service_id)
    .where(WINDOW_FILTER)
    .group_by(Service.code, Service.name))


def queue_lines(session: Session, site_id: int, day: dt.date, window_id: int,
                services: list[ServiceRef]) -> list[ServiceLine]:
    """Per service of the window (``services``, in their order): waiting count, green-channel
    and appointment counts and the longest-waiting ticket's queue time, counted in SQL.
    Services the window does not serve but that reach it by a hand-over to the window
    follow its own, the longest-waiting first."""
    rows = {row.code: row for row in session.execute(_QUEUE_LINES, window_filter_params(
        site_id, day, window_id, [s.id for s in services if s.id is not None]))}
    names = {s.code: s.name for s in services}
    handed = sorted((row for code, row in rows.items() if code not in names),
                    key=lambda row: (row.oldest, row.code))
    lines = []
    for code, name in [*names.items(), *((row.code, row.name) for row in handed)]:
        row = rows.get(code)
        lines.append(ServiceLine(
            code=code, name=name, waiting=int(row.waiting) if row else 0,
            green=int(row.green) if row else 0,
            appointment=int(row.appointment) if row else 0,
            oldest_queued_at=row.oldest if row else None,
        ))
    return lines


UPCOMING_SHOWN = 12  # how many of the next calls the counter lists


# The snapshot's first statement: the site, the server's clock, the window by number
# with its clerk's names (shown only while the lease runs), and the acting clerk's id.
_WINDOW_CLERK = aliased(Clerk, name="window_clerk")
_CLERK_ID = select(Clerk.id).where(Clerk.login == bindparam("login")).scalar_subquery()


@functools.cache
def _opening(dialect: str, by_code: bool) -> Select[*tuple[Any, ...]]:
    return (site_query(bindparam("code") if by_code else None)
            .add_columns(server_clock(dialect), Window, _WINDOW_CLERK.login,
                         _WINDOW_CLERK.display_name, _CLERK_ID.label("clerk_id"))
            .outerjoin(Window, and_(Window.site_id == Site.id,
                                    Window.number == bindparam("number")))
            .outerjoin(_WINDOW_CLERK, _WINDOW_CLERK.id == Window.clerk_id))


# The window's active services, in the order the counter lists them (department, service,
# code), with what else each use needs: the window's own view lists them by service and
# code (``view_order``), the dry run of call-next takes the active ones' weights and
# credits, the queue the ids of all.
_WINDOW_LINES = (
    select(Service.id, Service.code, Service.name, Service.prefix, Service.active,
           WindowService.weight, WindowService.credit,
           func.row_number().over(order_by=(Service.sort_order, Service.code))
           .label("view_order"))
    .join(WindowService, WindowService.service_id == Service.id)
    .join(Department, Department.id == Service.department_id)
    .where(WindowService.window_id == bindparam("window_id"), WindowService.active.is_(True))
    .order_by(Department.sort_order, Service.sort_order, Service.code))

# The ticket held at the window, with its service's materials and whether it needs a
# case number.
_HELD = ticket_views_query(Service.materials, Service.case_required).where(
    Ticket.id == bindparam("ticket_id"))


def counter_snapshot(db: Database, window: int, clerk: str, *, site: str | None
                     ) -> CounterSnapshot:
    """The window, its queue, its next calls and the clerk's day, in ONE read transaction
    (:meth:`Database.snapshot`): one consistent moment on PostgreSQL and SQLite. Six
    statements (five with no ticket held): the site, clock, window and clerk; the
    window's services; the heads of its queue's lines; its queue counted per service; the
    held ticket; the clerk's day. The next calls are a dry run of call-next over the
    heads, so a long queue costs the counter no more than a short one."""
    from shared.operation import OpContext
    from shared.queue import preview_at

    with db.snapshot() as session:
        rows = session.execute(_opening(session.get_bind().dialect.name, site is not None),
                               {"code": site, "number": window, "login": clerk}).all()
        site_row = choose_site([row[0] for row in rows], site)
        _, clock, win, clerk_login, clerk_name, clerk_id = next(
            row for row in rows if row[0] is site_row)
        if not site_row.active:
            raise UsageError(f"站点 {site_row.code} 已停用 (site {site_row.code} is disabled)")
        if win is None or not win.active:
            win = window_by_number(session, site_row, window)  # raises, naming it
        if clerk_id is None:
            clerk_id = clerk_by_login(session, clerk).id  # raises, naming the login
        now = as_server_time(clock)
        ctx = OpContext(session, site_row, now, business_day(now, site_row.timezone),
                        RoutingRules.from_mapping(site_row.routing))
        lines = session.execute(_WINDOW_LINES, {"window_id": win.id}).all()
        services = [ServiceRef(r.code, r.name, r.prefix, r.id) for r in lines if r.active]
        service_ids = [s.id for s in services if s.id is not None]
        heads = window_queue_heads(session, site_row, ctx.day, win.id, service_ids, now,
                                   UPCOMING_SHOWN)
        queue_counts = queue_lines(session, site_row.id, ctx.day, win.id, services)
        held_row = (session.execute(_HELD, {"ticket_id": win.current_ticket_id}).first()
                    if win.current_ticket_id is not None else None)
        stats = _clerk_day(session, site_row, ctx.day, clerk_id)
        present = present_clerk_id(win, now) is not None and clerk_login is not None
        view = window_view_of(
            win, site_row.code, (clerk_login, clerk_name) if present else None,
            ticket_view_of(held_row) if held_row is not None else None,
            [(r.code, r.weight) for r in sorted(lines, key=lambda r: r.view_order)], now)
        by_id = {ticket.id: ticket for ticket, _ in heads}
        upcoming = [by_id[c.id] for c in preview_at(
            ctx, win, [c for _, c in heads], UPCOMING_SHOWN,
            {r.id: (r.weight, r.credit) for r in lines if r.active})]
        materials = [str(m) for m in held_row.materials] if held_row is not None else []
        return CounterSnapshot(view, upcoming, queue_counts, stats, materials, now,
                               frozenset(service_ids),
                               bool(held_row is not None and held_row.case_required))


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

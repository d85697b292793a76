"""Read-only questions the counter terminal asks besides :mod:`shared.read.hall_state`: the site
it belongs to, the server clock, the clerk's own figures today, today's no-shows a window
may reinstate and where a case can be handed over to. A service's materials list comes
from :func:`shared.ticket_print.service_guides`, as on the kiosk.

Every figure is a SQL aggregate; nothing here writes.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Float, and_, func, select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement

from shared.db import Database, server_now
from shared.hours import business_day
from shared.lookup import clerk_by_login, site_by_code, window_by_number
from shared.models import Department, Segment, Service, Site, Ticket, Window, WindowService
from shared.states import TicketState


class SecondsBetween(FunctionElement[float]):
    """Seconds from the first timestamp to the second, in the backend's own SQL."""

    type = Float()
    inherit_cache = True
    name = "seconds_between"


@compiles(SecondsBetween)
def _seconds_postgres(element: SecondsBetween, compiler: SQLCompiler, **kw: Any) -> str:
    start, end = list(element.clauses)
    return (f"EXTRACT(EPOCH FROM ({compiler.process(end, **kw)} - "
            f"{compiler.process(start, **kw)}))")


@compiles(SecondsBetween, "sqlite")
def _seconds_sqlite(element: SecondsBetween, compiler: SQLCompiler, **kw: Any) -> str:
    start, end = list(element.clauses)
    return (f"((julianday({compiler.process(end, **kw)}) - "
            f"julianday({compiler.process(start, **kw)})) * 86400.0)")


@compiles(SecondsBetween, "mysql")
@compiles(SecondsBetween, "mariadb")
def _seconds_mysql(element: SecondsBetween, compiler: SQLCompiler, **kw: Any) -> str:
    start, end = list(element.clauses)
    return (f"(TIMESTAMPDIFF(MICROSECOND, {compiler.process(start, **kw)}, "
            f"{compiler.process(end, **kw)}) / 1000000.0)")


@dataclass(frozen=True)
class ServiceRef:
    code: str
    name: str
    prefix: str


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
        clerk_id = clerk_by_login(session, clerk).id
        served, average = session.execute(
            select(func.count(Segment.id),
                   func.avg(SecondsBetween(Segment.started_at, Segment.ended_at)))
            .where(Segment.site_id == site_row.id,
                   Segment.business_day == _today(session, site_row),
                   Segment.clerk_id == clerk_id, Segment.result == "finished",
                   Segment.started_at.is_not(None), Segment.ended_at.is_not(None))
        ).one()
        return ClerkDayStats(int(served or 0),
                             float(average) if average is not None else None)


def window_services(db: Database, window: int, *, site: str | None = None) -> list[ServiceRef]:
    """The services a window calls, in catalog order."""
    with db.read() as session:
        win = window_by_number(session, site_by_code(session, site), window)
        rows = session.execute(
            select(Service.code, Service.name, Service.prefix)
            .join(WindowService, WindowService.service_id == Service.id)
            .join(Department, Department.id == Service.department_id)
            .where(WindowService.window_id == win.id, WindowService.active.is_(True),
                   Service.active.is_(True))
            .order_by(Department.sort_order, Service.sort_order, Service.code)
        ).all()
        return [ServiceRef(r.code, r.name, r.prefix) for r in rows]


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

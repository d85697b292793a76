"""Read-only questions about tickets and windows (no transaction of their own to commit)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from shared.db import Database, server_now
from shared.hours import business_day
from shared.lookup import (
    find_ticket,
    site_by_code,
    ticket_view,
    window_by_number,
    window_view,
)
from shared.models import (
    Ticket,
    Window,
    WindowService,
)
from shared.routing import (
    RoutingRules,
    class_rank_expr,
    window_filter,
)
from shared.views import TicketView, WindowView


def get_ticket(db: Database, ref: str | int, *, site: str | None = None,
               day: dt.date | None = None) -> TicketView:
    with db.read() as session:
        site_row = site_by_code(session, site) if not str(ref).strip().isdigit() else None
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
            .order_by(Ticket.issued_at, Ticket.id)
        ).all()
        return [ticket_view(session, t) for t in tickets]


def get_window(db: Database, window: int, *, site: str | None = None) -> WindowView:
    with db.read() as session:
        return window_view(session, window_by_number(session, site_by_code(session, site), window))


def list_windows(db: Database, *, site: str | None = None) -> list[WindowView]:
    with db.read() as session:
        site_row = site_by_code(session, site)
        windows = session.scalars(select(Window).where(Window.site_id == site_row.id)
                                  .order_by(Window.number)).all()
        return [window_view(session, w) for w in windows]


def waiting_for_window(db: Database, window: int, *, site: str | None = None
                       ) -> list[TicketView]:
    """The tickets this window could call, in class and queue order (for the counter)."""
    with db.read() as session:
        site_row = site_by_code(session, site)
        now = server_now(session)
        day = business_day(now, site_row.timezone)
        win = window_by_number(session, site_row, window)
        service_ids = session.scalars(
            select(WindowService.service_id).where(WindowService.window_id == win.id,
                                                   WindowService.active.is_(True))
        ).all()
        rank = class_rank_expr(RoutingRules.from_mapping(site_row.routing), now)
        tickets = session.scalars(
            select(Ticket).where(window_filter(site_row.id, day, win.id, service_ids))
            .order_by(rank, Ticket.queue_pos, Ticket.id)
        ).all()
        return [ticket_view(session, t) for t in tickets]

"""Finding sites, windows, services, clerks and tickets inside an operation's session,
and turning rows into the detached views the apps receive."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Sequence
from typing import Any, NamedTuple

from sqlalchemy import Row, Select, bindparam, case, func, select
from sqlalchemy.orm import Session, aliased, defer
from sqlalchemy.sql.elements import BindParameter

from shared.db import locking
from shared.errors import NotFound, UsageError
from shared.models import Clerk, Service, Site, Ticket, Window, WindowService
from shared.presence import present_clerk_id
from shared.routing import (
    WINDOW_FILTER,
    Candidate,
    RoutingRules,
    class_rank_expr,
    rank_params,
    window_filter_params,
)
from shared.views import TicketView, WindowView


def site_query(code: str | BindParameter[str] | None) -> Select[Site]:
    """The site with this code, or every active site when ``code`` is None; pass the rows
    to :func:`choose_site`."""
    if code is None:
        return select(Site).where(Site.active.is_(True))
    return select(Site).where(Site.code == code)


def choose_site(sites: Sequence[Site], code: str | None) -> Site:
    """The site :func:`site_query` found, or the only active one when ``code`` is None."""
    if code is not None:
        if not sites:
            raise NotFound(f"没有站点 {code} (no site with code {code!r})")
        return sites[0]
    if len(sites) == 1:
        return sites[0]
    if not sites:
        raise NotFound("尚未配置任何站点，请先加载目录 (no site configured: run "
                       "'hallq-admin catalog load FILE')")
    codes = ", ".join(s.code for s in sites)
    raise UsageError(f"有多个站点（{codes}），请用 --site 指定 (several sites, choose one with "
                     f"--site: {codes})")


def site_by_code(session: Session, code: str | None) -> Site:
    """The site with this code, or the only active site when ``code`` is None."""
    return choose_site(session.scalars(site_query(code)).all(), code)


# Built once: the queue operations run these on every call.
_WINDOW = select(Window).where(Window.site_id == bindparam("site_id"),
                               Window.number == bindparam("number"))
_TICKET_BY_ID = select(Ticket).where(Ticket.id == bindparam("ticket_id"))
_TICKET_BY_NUMBER = select(Ticket).where(Ticket.site_id == bindparam("site_id"),
                                         Ticket.business_day == bindparam("day"),
                                         Ticket.number == bindparam("number"))
_LOCKED = {query: locking(query) for query in (_WINDOW, _TICKET_BY_ID, _TICKET_BY_NUMBER)}
# The ticket locked with its service read in the same statement (for the ticket's view;
# only the ticket row is locked).
_LOCKED_WITH_SERVICE = {
    query: locking(query.add_columns(Service).join(Service, Service.id == Ticket.service_id),
                   of=Ticket)
    for query in (_TICKET_BY_ID, _TICKET_BY_NUMBER)}
# The window a ticket is at, locked (the ticket itself is only read).
_HOLDING_WINDOW = {
    query: locking(select(Window).where(
        Window.id == query.with_only_columns(Ticket.window_id).scalar_subquery()))
    for query in (_TICKET_BY_ID, _TICKET_BY_NUMBER)}


def window_by_number(session: Session, site: Site, number: int, *, lock: bool = False) -> Window:
    window = session.scalar(_LOCKED[_WINDOW] if lock else _WINDOW,
                            {"site_id": site.id, "number": number})
    if window is None or not window.active:
        raise NotFound(f"站点 {site.code} 没有 {number} 号窗口 (no active window {number} at {site.code})")
    return window


_SERVICE_BY_CODE = select(Service).where(Service.code == bindparam("code"))
# Without the guide text (办事指南, pages long; loaded on access if something reads it).
_SERVICE_BY_CODE_NO_GUIDE = _SERVICE_BY_CODE.options(defer(Service.guide))
_SERVING_WINDOWS = (
    select(Window.number).join(WindowService, WindowService.window_id == Window.id)
    .where(WindowService.service_id == bindparam("service_id"), WindowService.active.is_(True),
           Window.site_id == bindparam("site_id"), Window.active.is_(True))
    .order_by(Window.number)
)


def serving_windows(session: Session, site_id: int, service_id: int) -> list[int]:
    """The numbers of the active windows of a site that serve a service."""
    return list(session.scalars(_SERVING_WINDOWS, {"service_id": service_id, "site_id": site_id}))


def service_by_code(session: Session, code: str, *, guide: bool = True) -> Service:
    """The service with this code; ``guide=False``: its guide text is not read (issuing
    a number does not show it)."""
    service = session.scalar(_SERVICE_BY_CODE if guide else _SERVICE_BY_CODE_NO_GUIDE,
                             {"code": code})
    if service is None:
        raise NotFound(f"没有业务 {code} (no service with code {code!r})")
    return service


def clerk_by_login(session: Session, login: str) -> Clerk:
    clerk = session.scalar(select(Clerk).where(Clerk.login == login))
    if clerk is None:
        raise NotFound(f"没有工作人员 {login} (no clerk with login {login!r})")
    # Its names are read now: the views of the tickets it calls need not ask again.
    session.info.setdefault(_CLERK_NAMES_READ, {})[clerk.id] = (clerk.login, clerk.display_name)
    return clerk


# Ticket ids are 32-bit integer columns on PostgreSQL and MariaDB; a larger id cannot exist
# (and would make those drivers fail instead of finding nothing).
MAX_ID = 2**31 - 1


def ascii_id(ref: str | int) -> bool:
    """Whether ``ref`` names a ticket by id: ASCII digits only."""
    text = str(ref).strip()
    return text.isascii() and text.isdigit()


def find_ticket(session: Session, site: Site | None, ref: str | int, day: dt.date | None,
                *, lock: bool = False) -> Ticket:
    """A ticket by numeric id, or by displayed number (A017) on ``day`` at ``site``."""
    query, params = _ticket_query(site, ref, day)
    ticket = session.scalar(_LOCKED[query] if lock else query, params)
    if ticket is None:
        raise NotFound(f"没有票号 {str(ref).strip()} (no ticket {str(ref).strip()!r})")
    return ticket


def lock_ticket_with_service(session: Session, site: Site | None, ref: str | int,
                             day: dt.date | None) -> tuple[Ticket, Service | None]:
    """:func:`find_ticket` locking the ticket, with its service read in the same statement
    for the ticket's view (:func:`ticket_view`'s ``service``). MariaDB cannot lock only
    the ticket's row of a join (it would lock the service, shared by every window): there
    the service is left to the view (None)."""
    if session.get_bind().dialect.name not in ("postgresql", "sqlite"):
        return find_ticket(session, site, ref, day, lock=True), None
    query, params = _ticket_query(site, ref, day)
    row = session.execute(_LOCKED_WITH_SERVICE[query], params).first()
    if row is None:
        raise NotFound(f"没有票号 {str(ref).strip()} (no ticket {str(ref).strip()!r})")
    return row[0], row[1]


def lock_holding_window(session: Session, site: Site | None, ref: str | int,
                        day: dt.date | None) -> Window | None:
    """Lock the window the ticket (found as by :func:`find_ticket`) is at; None if none."""
    query, params = _ticket_query(site, ref, day)
    return session.scalar(_HOLDING_WINDOW[query], params)


def _ticket_query(site: Site | None, ref: str | int, day: dt.date | None
                  ) -> tuple[Select[Ticket], dict[str, object]]:
    text = str(ref).strip()
    if not text.isascii():
        # ² and １ pass str.isdigit() (and int('１') is 1): refuse rather than guess.
        raise UsageError(f"票号只能用半角字母和数字 (ticket {text!r}: use an id or a number "
                         f"such as A017 in ASCII letters and digits 0-9)")
    if text.isdigit():
        ticket_id = int(text)
        if ticket_id > MAX_ID:  # no such row, and too large for the column on any backend
            raise NotFound(f"没有票号 {text} (no ticket {text!r})")
        return _TICKET_BY_ID, {"ticket_id": ticket_id}
    if site is None or day is None:
        raise UsageError(f"按票号查找需要站点和日期 (ticket number {text!r} needs a site and day)")
    return _TICKET_BY_NUMBER, {"site_id": site.id, "day": day, "number": text.upper()}


class ServiceSummary(NamedTuple):
    """What the operations at a window need of a service (read without the whole row):
    its view's names, and what finishing a case checks and records."""

    id: int
    code: str
    name: str
    case_required: bool
    item_code: str


def ticket_view(session: Session, ticket: Ticket,
                service: Service | ServiceSummary | None = None) -> TicketView:
    """The ticket's view; ``service``: its service, when the caller holds it already."""
    if service is None or service.id != ticket.service_id:
        service = session.get(Service, ticket.service_id)
    site = session.get(Site, ticket.site_id)
    window = session.get(Window, ticket.window_id) if ticket.window_id else None
    target = session.get(Window, ticket.target_window_id) if ticket.target_window_id else None
    # Only the login: the terminals that list tickets (kiosk, display) may not read the
    # rest of a clerk's row (shared/db_roles.py).
    clerk = _clerk_names(session, ticket.clerk_id)
    assert service is not None and site is not None
    return TicketView(
        id=ticket.id, number=ticket.number, site=site.code, business_day=ticket.business_day,
        service=service.code, service_name=service.name, kind=ticket.kind,
        transferred=ticket.transferred, state=ticket.state,
        window=window.number if window else None, clerk=clerk[0] if clerk else None,
        outcome=ticket.outcome, issued_at=ticket.issued_at, queued_at=ticket.queued_at,
        called_at=ticket.called_at, started_at=ticket.started_at,
        finished_at=ticket.finished_at, target_window=target.number if target else None,
        print_pending=ticket.print_pending, call_count=ticket.call_count, note=ticket.note,
    )


_CLERK_NAMES = select(Clerk.login, Clerk.display_name).where(Clerk.id == bindparam("clerk_id"))


_CLERK_NAMES_READ = "hallq_clerk_names"  # session info: the names read in the session


def _clerk_names(session: Session, clerk_id: int | None) -> tuple[str, str] | None:
    """A clerk's login and display name (never the whole row), read once per session
    (call-next's two views, a list of tickets, name the same clerk again and again)."""
    if clerk_id is None:
        return None
    known: dict[int, tuple[str, str] | None] = session.info.setdefault(_CLERK_NAMES_READ, {})
    if clerk_id not in known:
        # The operation's pending changes do not touch clerks: no flush for this read (an
        # operation on PostgreSQL sends them with its last writes, shared.operation.done).
        with session.no_autoflush:
            row = session.execute(_CLERK_NAMES, {"clerk_id": clerk_id}).first()
        known[clerk_id] = (row.login, row.display_name) if row else None
    return known[clerk_id]


def window_view(session: Session, window: Window, now: dt.datetime) -> WindowView:
    """The window as shown at server time ``now``: its clerk only while the lease runs
    (shared.presence)."""
    site = session.get(Site, window.site_id)
    assert site is not None
    clerk = _clerk_names(session, present_clerk_id(window, now))
    current = session.get(Ticket, window.current_ticket_id) if window.current_ticket_id else None
    rows = session.execute(
        select(Service.code, WindowService.weight)
        .join(Service, Service.id == WindowService.service_id)
        .where(WindowService.window_id == window.id, WindowService.active.is_(True))
        .order_by(Service.sort_order, Service.code)
    ).all()
    return window_view_of(window, site.code, clerk,
                          ticket_view(session, current) if current else None,
                          [(code, weight) for code, weight in rows], now)


def window_view_of(window: Window, site_code: str, clerk: tuple[str, str] | None,
                   current: TicketView | None, services: list[tuple[str, int]],
                   now: dt.datetime) -> WindowView:
    """:func:`window_view` from what a caller read: the present clerk's login and name
    (None when nobody is present), the current ticket's view and the window's active
    services (code, weight) in catalog order (sort order, code)."""
    return WindowView(
        id=window.id, site=site_code, number=window.number, name=window.name,
        comprehensive=window.comprehensive, active=window.active, paused=window.paused,
        pause_reason=window.pause_reason, paused_at=window.paused_at,
        clerk=clerk[0] if clerk else None, clerk_name=clerk[1] if clerk else None,
        current_ticket=current, services=services,
        presence_ends_in=(window.lease_expires_at - now
                          if clerk is not None and window.lease_expires_at else None),
    )


# Ticket views read as plain rows, their names joined in (one statement for a list,
# instead of a ticket entity and a look-up or two per ticket).
_AT_WINDOW = aliased(Window, name="at_window")
_TARGET_WINDOW = aliased(Window, name="target_window")
# Only the login: the terminals that list tickets may read no more of a clerk's row.
_TICKET_CLERK = aliased(Clerk, name="ticket_clerk")


def ticket_views_query(*columns: Any) -> Select[*tuple[Any, ...]]:
    """The columns :func:`ticket_view_of` reads, then ``columns``; add the conditions."""
    return (select(Ticket.id, Ticket.number, Site.code.label("site_code"), Ticket.business_day,
                   Service.code.label("service_code"), Service.name.label("service_name"),
                   Ticket.kind, Ticket.transferred, Ticket.state,
                   _AT_WINDOW.number.label("window_number"),
                   _TICKET_CLERK.login.label("clerk_login"), Ticket.outcome, Ticket.issued_at,
                   Ticket.queued_at, Ticket.called_at, Ticket.started_at, Ticket.finished_at,
                   _TARGET_WINDOW.number.label("target_number"), Ticket.print_pending,
                   Ticket.call_count, Ticket.note, *columns)
            .select_from(Ticket)
            .join(Site, Site.id == Ticket.site_id)
            .join(Service, Service.id == Ticket.service_id)
            .outerjoin(_AT_WINDOW, _AT_WINDOW.id == Ticket.window_id)
            .outerjoin(_TICKET_CLERK, _TICKET_CLERK.id == Ticket.clerk_id)
            .outerjoin(_TARGET_WINDOW, _TARGET_WINDOW.id == Ticket.target_window_id))


def ticket_view_of(row: Row[Any]) -> TicketView:
    """:func:`ticket_view` of a row of :func:`ticket_views_query`."""
    return TicketView(
        id=row.id, number=row.number, site=row.site_code, business_day=row.business_day,
        service=row.service_code, service_name=row.service_name, kind=row.kind,
        transferred=row.transferred, state=row.state, window=row.window_number,
        clerk=row.clerk_login, outcome=row.outcome, issued_at=row.issued_at,
        queued_at=row.queued_at, called_at=row.called_at, started_at=row.started_at,
        finished_at=row.finished_at, target_window=row.target_number,
        print_pending=row.print_pending, call_count=row.call_count, note=row.note,
    )


@functools.cache
def _window_queue_query(rules: RoutingRules) -> Select[*tuple[Any, ...]]:
    rank = class_rank_expr(rules)
    return (ticket_views_query(Ticket.service_id, Ticket.target_window_id, rank.label("rank"))
            .where(WINDOW_FILTER).order_by(rank, Ticket.queue_pos, Ticket.id))


@functools.cache
def _window_heads_query(rules: RoutingRules) -> Select[*tuple[Any, ...]]:
    rank = class_rank_expr(rules)
    normal = rules.rank("normal")
    # The lines of call-next's routing (see shared.queue._DryRun): every class before
    # ordinary tickets in one line, every class after them in another, the ordinary
    # tickets one line per service.
    line = case((rank < normal, -1), (rank > normal, -2), else_=Ticket.service_id)
    place = func.row_number().over(partition_by=line,
                                   order_by=(rank, Ticket.queue_pos, Ticket.id))
    ranked = (ticket_views_query(Ticket.service_id, Ticket.target_window_id, Ticket.queue_pos,
                                 rank.label("rank"), place.label("place"))
              .where(WINDOW_FILTER).subquery("ranked"))
    return (select(ranked).where(ranked.c.place <= bindparam("heads"))
            .order_by(ranked.c.rank, ranked.c.queue_pos, ranked.c.id))


def window_queue_heads(session: Session, site: Site, day: dt.date, window_id: int,
                       service_ids: Sequence[int], now: dt.datetime, heads: int
                       ) -> list[tuple[TicketView, Candidate]]:
    """:func:`window_queue` cut to the first ``heads`` tickets of each line call-next's
    routing takes from (the classes before ordinary tickets, the ordinary tickets of
    each service, the classes after): the first ``heads`` calls of a dry run over them
    are those over the whole queue, since a call takes one ticket from the head of one
    line. The counter reads this instead of a long morning queue's every ticket."""
    rules = RoutingRules.from_mapping(site.routing)
    rows = session.execute(_window_heads_query(rules),
                           window_filter_params(site.id, day, window_id, service_ids)
                           | rank_params(rules, now) | {"heads": heads})
    return [(ticket_view_of(row),
             Candidate(row.id, row.service_id, row.target_window_id, int(row.rank)))
            for row in rows]


def window_queue(session: Session, site: Site, day: dt.date, window_id: int,
                 service_ids: Sequence[int], now: dt.datetime
                 ) -> list[tuple[TicketView, Candidate]]:
    """The tickets a window may call (:data:`~shared.routing.WINDOW_FILTER` with
    ``service_ids``) in class and queue order at server time ``now``, each as a view and
    as call-next's dry run needs it, in one statement."""
    rules = RoutingRules.from_mapping(site.routing)
    rows = session.execute(_window_queue_query(rules),
                           window_filter_params(site.id, day, window_id, service_ids)
                           | rank_params(rules, now))
    return [(ticket_view_of(row),
             Candidate(row.id, row.service_id, row.target_window_id, int(row.rank)))
            for row in rows]

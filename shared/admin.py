"""Administration between catalog loads: sites and windows, and the event-log export.

The catalog (:mod:`shared.catalog`) owns sites, services and windows; these functions are
for changes between two loads (a new window, a township station opening before the
catalog file is edited). The next catalog load disables whatever the file does not list.
Each function is one database transaction, like the queue operations.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from dataclasses import dataclass
from typing import Any, TextIO
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import and_, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, aliased

from shared import feed
from shared.catalog import CODE_RE
from shared.db import Database, server_now
from shared.errors import (
    IllegalTransition,
    NotFound,
    ServiceClosed,
    UsageError,
    WindowBusy,
    refuse_bad_name,
)
from shared.hours import DEFAULT_CALENDAR
from shared.lookup import service_by_code, site_by_code, window_view
from shared.models import Clerk, Service, Site, SiteState, Ticket, TicketEvent, Window, WindowService
from shared.views import WindowView

MAX_WEIGHT = 100


@dataclass(frozen=True)
class SiteView:
    code: str
    name: str
    timezone: str
    active: bool
    windows: int  # active windows

    def to_json(self) -> dict[str, Any]:
        return {"code": self.code, "name": self.name, "timezone": self.timezone,
                "active": self.active, "windows": self.windows}


def _site_view(session: Session, site: Site) -> SiteView:
    windows = session.scalar(select(func.count()).select_from(Window).where(
        Window.site_id == site.id, Window.active.is_(True))) or 0
    return SiteView(site.code, site.name, site.timezone, site.active, int(windows))


# --------------------------------------------------------------------------- sites


def list_sites(db: Database) -> list[SiteView]:
    with db.read() as session:
        return [_site_view(session, s) for s in session.scalars(select(Site).order_by(Site.code))]


def add_site(db: Database, code: str, name: str, *, timezone: str = "Asia/Shanghai") -> SiteView:
    """Create a site with the default calendar (08:30-17:00 workdays) and routing rules."""
    if not CODE_RE.match(code):
        raise UsageError(f"站点代码无效 (site code {code!r} must be 1-32 letters, digits, - or _)")
    name = refuse_bad_name(name, "the site's name", "站点名称")
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise UsageError(f"时区无效 (unknown time zone {timezone!r})") from None

    def op(session: Session) -> SiteView:
        if session.scalar(select(Site).where(Site.code == code)) is not None:
            raise UsageError(f"站点 {code} 已存在 (site {code!r} exists)")
        site = Site(code=code, name=name, timezone=timezone, active=True,
                    calendar=dict(DEFAULT_CALENDAR), routing={})
        session.add(site)
        try:
            session.flush()
        except IntegrityError:  # created by another terminal a moment ago
            raise UsageError(f"站点 {code} 已存在 (site {code!r} exists)") from None
        session.add(SiteState(site_id=site.id, version=0, open_day=None))
        session.flush()
        feed.touch(session, site.id)
        return _site_view(session, site)

    return db.write(op, name="add_site")


def disable_site(db: Database, code: str) -> SiteView:
    """Stop a site: no more numbers or calls there; its history stays."""

    def op(session: Session) -> SiteView:
        site = site_by_code(session, code)
        if not site.active:
            raise IllegalTransition(f"站点 {code} 已停用 (site {code} is already disabled)")
        site.active = False
        feed.touch(session, site.id)
        return _site_view(session, site)

    return db.write(op, name="disable_site")


# --------------------------------------------------------------------------- windows


def add_window(db: Database, number: int, name: str, services: dict[str, int], *,
               site: str | None = None, comprehensive: bool | None = None) -> WindowView:
    """Open a window serving ``services`` (code -> weight in the call-next interleave).

    A disabled window with the same number is enabled again with the new name and
    services, so its history stays attached to one row.
    """
    if not 1 <= number <= 999:
        raise UsageError(f"窗口号须在 1-999 之间 (window number {number} must be 1-999)")
    name = refuse_bad_name(name, "the window's name", "窗口名称")
    if not services:
        raise UsageError("窗口至少办理一项业务 (a window must serve at least one service)")
    for code, weight in services.items():
        if not 1 <= weight <= MAX_WEIGHT:
            raise UsageError(f"业务 {code} 的权重须在 1-{MAX_WEIGHT} 之间 (weight {weight} of "
                             f"{code} must be 1-{MAX_WEIGHT})")

    def op(session: Session) -> WindowView:
        site_row = site_by_code(session, site)
        service_ids = {}
        for code, weight in services.items():
            service = service_by_code(session, code)
            if not service.active:
                raise ServiceClosed(f"{service.name} 已停办 (service {code} is disabled)")
            service_ids[service.id] = weight
        window = session.scalar(select(Window).where(
            Window.site_id == site_row.id, Window.number == number).with_for_update())
        if window is not None and window.active:
            raise UsageError(f"站点 {site_row.code} 已有 {number} 号窗口 (window {number} exists "
                             f"at {site_row.code}; disable it first or edit the catalog)")
        if window is None:
            window = Window(site_id=site_row.id, number=number, name="", paused=False)
            session.add(window)
        window.name = name
        window.active = True
        window.comprehensive = len(services) > 1 if comprehensive is None else comprehensive
        links = {link.service_id: link for link in window.services}
        for service_id, link in links.items():
            link.active = service_id in service_ids
        for service_id, weight in service_ids.items():
            if service_id in links:
                links[service_id].weight = weight
            else:
                window.services.append(WindowService(service_id=service_id, weight=weight,
                                                     credit=0, active=True))
        try:
            session.flush()
        except IntegrityError:  # the same number added by another terminal a moment ago
            raise UsageError(f"站点 {site_row.code} 已有 {number} 号窗口 (window {number} "
                             f"exists at {site_row.code})") from None
        feed.touch(session, site_row.id)
        return window_view(session, window, server_now(session))

    return db.write(op, name="add_window")


def disable_window(db: Database, number: int, *, site: str | None = None) -> WindowView:
    """Close a window for good (until re-added); refused while it holds a ticket."""

    def op(session: Session) -> WindowView:
        site_row = site_by_code(session, site)
        window = session.scalar(select(Window).where(
            Window.site_id == site_row.id, Window.number == number).with_for_update())
        if window is None:
            raise NotFound(f"站点 {site_row.code} 没有 {number} 号窗口 (no window {number} at "
                           f"{site_row.code})")
        if not window.active:
            raise IllegalTransition(f"{number} 号窗口已停用 (window {number} is already disabled)")
        if window.current_ticket_id is not None:
            held = session.get(Ticket, window.current_ticket_id)
            raise WindowBusy(f"{number} 号窗口正在办理 {held.number if held else ''}，请先办理完成或转出 "
                             f"(window {number} holds a ticket: finish or transfer it first)")
        window.active = False
        window.clerk_id = None
        window.lease_expires_at = None
        feed.touch(session, site_row.id)
        return window_view(session, window, server_now(session))

    return db.write(op, name="disable_window")


# --------------------------------------------------------------------------- event export

EVENT_COLUMNS = ("event_id", "server_time", "local_time", "site", "action", "from_state",
                 "to_state", "ticket_id", "ticket_number", "business_day", "service",
                 "window", "clerk", "detail")


def export_events(db: Database, out: TextIO, *, first_day: dt.date, last_day: dt.date,
                  site: str | None = None) -> int:
    """Write every event of the site-local days ``first_day``..``last_day`` (inclusive) as
    CSV to ``out``, oldest first; all sites unless ``site`` is given. Returns the count.

    One joined query, streamed in batches, so a year of events never sits in memory.
    """
    if last_day < first_day:
        raise UsageError(f"结束日期早于开始日期 (--to {last_day} is before --from {first_day})")
    writer = csv.writer(out)
    writer.writerow(EVENT_COLUMNS)
    with db.read_streaming() as session:
        sites = [site_by_code(session, site)] if site else list(session.scalars(select(Site)))
        if not sites:
            return 0
        zones = {s.id: ZoneInfo(s.timezone) for s in sites}
        query = _events_query(sites, first_day, last_day).execution_options(yield_per=500)
        count = 0
        for row in session.execute(query):
            writer.writerow(_event_row(row, zones[row.site_id]))
            count += 1
        return count


def _events_query(sites: list[Site], first_day: dt.date, last_day: dt.date) -> Any:
    # Each site's days are measured in its own time zone.
    ranges = []
    for site in sites:
        zone = ZoneInfo(site.timezone)
        start = dt.datetime.combine(first_day, dt.time(), tzinfo=zone)
        end = dt.datetime.combine(last_day + dt.timedelta(days=1), dt.time(), tzinfo=zone)
        ranges.append(and_(TicketEvent.site_id == site.id, TicketEvent.at >= start,
                           TicketEvent.at < end))
    event_site = aliased(Site)
    return (
        select(TicketEvent.id, TicketEvent.at, TicketEvent.site_id, event_site.code.label("site"),
               TicketEvent.action, TicketEvent.from_state, TicketEvent.to_state,
               TicketEvent.ticket_id, Ticket.number, Ticket.business_day,
               Service.code.label("service"), Window.number.label("window"),
               Clerk.login.label("clerk"), TicketEvent.detail)
        .join(event_site, event_site.id == TicketEvent.site_id)
        .outerjoin(Ticket, Ticket.id == TicketEvent.ticket_id)
        .outerjoin(Service, Service.id == TicketEvent.service_id)
        .outerjoin(Window, Window.id == TicketEvent.window_id)
        .outerjoin(Clerk, Clerk.id == TicketEvent.clerk_id)
        .where(or_(*ranges))
        .order_by(TicketEvent.at, TicketEvent.id)
    )


def _event_row(row: Any, zone: ZoneInfo) -> list[Any]:
    return [
        row.id, row.at.isoformat(), row.at.astimezone(zone).isoformat(), row.site, row.action,
        row.from_state or "", row.to_state or "", row.ticket_id or "", row.number or "",
        row.business_day.isoformat() if row.business_day else "", row.service or "",
        row.window if row.window is not None else "", row.clerk or "",
        json.dumps(row.detail, ensure_ascii=False, sort_keys=True) if row.detail else "",
    ]

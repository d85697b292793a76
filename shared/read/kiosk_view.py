"""What a kiosk shows: every service it offers with its live queue, opening state,
quota left, guide (一次性告知: materials, windows) and the people a number taken now
would have ahead, read in one transaction (:func:`kiosk_services`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Sequence
from dataclasses import dataclass

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from shared import feed
from shared.db import Database, server_now
from shared.feed import Change
from shared.hours import business_day
from shared.issuing import labels_of, quota_used
from shared.lookup import service_by_code, site_by_code
from shared.materials import often_missing
from shared.models import Service, Site, Window, WindowService
from shared.read.hall_state import overview_parts
from shared.read.site import site_and_clock
from shared.routing import RoutingRules, people_ahead_of_new
from shared.states import Action
from shared.views import NewTicketOutlook, ServiceQueue


@dataclass(frozen=True)
class ServiceGuide:
    """What the citizen is told about a service before taking a number (一次性告知)."""

    code: str
    name: str
    materials: list[str]
    guide: str
    windows: list[str]
    daily_quota: int | None
    quota_left: int | None  # None: no daily quota
    # The materials citizens most often lacked lately, marked "常缺" (shared/materials.py).
    often_missing: tuple[str, ...] = ()


def service_guides(db: Database, *, site: str | None = None,
                   services: Collection[str] | None = None) -> dict[str, ServiceGuide]:
    """Services' guides at a site with the windows serving them and today's remaining
    quota, by code.

    Without ``services``: every active service some window of the site serves (what the
    kiosk offers). With ``services``: exactly those, active or not (the counter shows the
    materials of a held ticket's service even if it was withdrawn since); an unknown code
    raises NotFound.
    """
    with db.read() as session:
        site_row = site_by_code(session, site)
        return guides_at(session, site_row, server_now(session), services)


# The active windows of a site serving each of some services, by number.
_SERVING = (select(WindowService.service_id, Window.number)
            .join(Window, Window.id == WindowService.window_id)
            .where(Window.site_id == bindparam("site_id"), Window.active.is_(True),
                   WindowService.active.is_(True),
                   WindowService.service_id.in_(bindparam("ids", expanding=True)))
            .order_by(Window.number))


def guides_at(session: Session, site_row: Site, now: dt.datetime,
              services: Collection[str] | None = None, *,
              offered: Sequence[Service] | None = None,
              used: dict[int, int] | None = None) -> dict[str, ServiceGuide]:
    """:func:`service_guides` inside a caller's read transaction. A caller that read
    them already passes the ``offered`` services' rows (with ``services`` None) and
    today's ``used`` quotas (:func:`shared.issuing.quota_used`)."""
    day = business_day(now, site_row.timezone)
    if offered is not None:
        rows = list(offered)
    elif services is None:
        rows = list(session.scalars(select(Service).where(Service.active.is_(True))))
    else:
        rows = [service_by_code(session, code) for code in services]
    ids = [service.id for service in rows]
    serving: dict[int, list[int]] = {}
    for service_id, number in session.execute(
            _SERVING, {"site_id": site_row.id, "ids": ids or [-1]}):
        serving.setdefault(service_id, []).append(number)
    if used is None:
        used = (quota_used(session, site_row.id, day)
                if any(service.daily_quota is not None for service in rows) else {})
    # The 常缺 marks only for the kiosk's whole list (the counter's snapshot asks for one
    # service on every refresh and shows no marks).
    often = often_missing(session, site_row.id, day) if services is None else {}
    guides = {}
    for service in rows:
        windows = labels_of(serving.get(service.id, []))
        if services is None and not windows:
            continue  # not offered at this site
        left = None
        if service.daily_quota is not None:
            left = max(0, service.daily_quota - used.get(service.id, 0))
        guides[service.code] = ServiceGuide(
            code=service.code, name=service.name,
            materials=[str(m) for m in service.materials], guide=service.guide,
            windows=windows, daily_quota=service.daily_quota, quota_left=left,
            often_missing=tuple(m for m in often.get(service.id, ()) if m in service.materials))
    return guides


@dataclass(frozen=True)
class KioskService:
    """One service as the kiosk lists it."""

    queue: ServiceQueue
    guide: ServiceGuide | None
    outlook: NewTicketOutlook


def kiosk_services(db: Database, *, site: str | None = None) -> list[KioskService]:
    """The kiosk's list, in catalog order: queues and hours (:func:`~shared.read.
    hall_state.queue_overview`), guides and the people ahead of a new number, in ONE
    read transaction (:meth:`Database.snapshot`)."""
    with db.snapshot() as session:
        site_row, now = site_and_clock(session, site)
        queues, offered, used = overview_parts(session, site_row, now)
        # The services offered are those the kiosk guides to (active, some active window
        # of the site serves them) and that a new number has people ahead for.
        guides = guides_at(session, site_row, now, offered=offered, used=used)
        code_of = {service.id: service.code for service in offered}
        ahead = people_ahead_of_new(session, site_row.id, business_day(now, site_row.timezone),
                                    RoutingRules.from_mapping(site_row.routing), now)
        outlooks = {code_of[sid]: NewTicketOutlook(people_ahead=n)
                    for sid, n in ahead.items() if sid in code_of}
        return [KioskService(q, guides.get(q.service), outlooks[q.service]) for q in queues]


# What changes a kiosk's counts (people waiting, ahead, quotas left) or whether a service
# issues numbers now (its windows staffed, the catalog: a change of everything).
KIOSK_KINDS = frozenset({*(a.value for a in (
    Action.ISSUE, Action.CALL, Action.NO_SHOW, Action.REINSTATE, Action.TRANSFER,
    Action.CANCEL, Action.EXPIRE, Action.PAUSE, Action.RESUME, Action.LOGIN, Action.LOGOUT)),
    feed.CLERK, feed.REMOTE})


def concerns_kiosk(change: Change) -> bool:
    """Whether a kiosk shows something ``change`` changed: counts and open state."""
    return change.everything or not change.kinds.isdisjoint(KIOSK_KINDS)


# Staff mode lists the slips waiting for a reprint and the open help requests too.
STAFF_MODE_KINDS = KIOSK_KINDS | {Action.REPRINT.value, feed.HELP}


def concerns_kiosk_staff(change: Change) -> bool:
    """:func:`concerns_kiosk` for a kiosk in staff mode: a slip that failed to print and
    a help request (at any kiosk of the site) change its lists."""
    return change.everything or not change.kinds.isdisjoint(STAFF_MODE_KINDS)

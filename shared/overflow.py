"""The live overflow alert (潮汐窗口): when a number taken now for a service would wait
longer than the service's target plus a margin (by the predictor, shared/prediction.py),
the supervisor's live view suggests opening an overflow window for it, names the windows
that could take it, and the suggestion is recorded (``overflow_suggestion``) so the
office can see afterwards when the hall ran short. A service is recorded again only
after RECORD_EVERY_MINUTES, so a long peak is one row per half-hour, not one per refresh.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from shared.db import Database, server_now
from shared.hours import business_day
from shared.lookup import site_by_code
from shared.models import OverflowSuggestion, Service, Ticket, Window, WindowService
from shared.prediction import estimate_wait
from shared.routing import RoutingRules
from shared.states import TicketState

DEFAULT_MARGIN_MINUTES = 10
RECORD_EVERY_MINUTES = 30


@dataclass(frozen=True)
class Overflow:
    """One service that needs an overflow window now."""

    service: str
    service_name: str
    waiting: int
    predicted_minutes: int  # a number taken now
    target_minutes: int
    windows: list[int]  # windows that could take it: idle first, then comprehensive
    recorded: bool  # a new suggestion row was written now


def overflow_suggestions(db: Database, *, site: str | None = None,
                         margin_minutes: int = DEFAULT_MARGIN_MINUTES) -> list[Overflow]:
    """The services whose predicted wait passes their target by ``margin_minutes``, with
    the windows that could take them; records the new ones."""
    if margin_minutes < 0:
        raise ValueError(f"the margin must not be negative, got {margin_minutes}")
    with db.read() as session:
        site_row = site_by_code(session, site)
        now = server_now(session)
        day = business_day(now, site_row.timezone)
        waiting = dict(session.execute(
            select(Ticket.service_id, func.count()).where(
                Ticket.site_id == site_row.id, Ticket.business_day == day,
                Ticket.state == TicketState.WAITING.value).group_by(Ticket.service_id)).all())
        if not waiting:
            return []
        services = {s.id: s for s in session.scalars(
            select(Service).where(Service.id.in_(list(waiting))))}
        waits = estimate_wait(session, site_row, now, day,
                              RoutingRules.from_mapping(site_row.routing),
                              service_ids=list(services))
        windows = session.execute(
            select(Window.id, Window.number, Window.comprehensive, Window.current_ticket_id)
            .where(Window.site_id == site_row.id, Window.active.is_(True),
                   Window.paused.is_(False))).all()
        serving = {(row.window_id, row.service_id) for row in session.execute(
            select(WindowService.window_id, WindowService.service_id)
            .where(WindowService.active.is_(True)))}
        recent = set(session.scalars(select(OverflowSuggestion.service_id).where(
            OverflowSuggestion.site_id == site_row.id,
            OverflowSuggestion.at > now - dt.timedelta(minutes=RECORD_EVERY_MINUTES))))
        site_id = site_row.id
        found: list[tuple[int, Overflow]] = []
        for service_id, estimate in waits.items():
            service = services[service_id]
            if estimate.minutes < service.target_minutes + margin_minutes:
                continue
            candidates = sorted(
                (w for w in windows if (w.id, service_id) not in serving),
                key=lambda w: (w.current_ticket_id is not None, not w.comprehensive, w.number))
            found.append((service_id, Overflow(
                service.code, service.name, int(waiting[service_id]), estimate.minutes,
                service.target_minutes, [w.number for w in candidates],
                service_id not in recent)))
    new = [(sid, o) for sid, o in found if o.recorded]
    if new:
        def record(session: Session) -> None:
            # Again inside the write: two live views refreshing at once record it once.
            again = set(session.scalars(select(OverflowSuggestion.service_id).where(
                OverflowSuggestion.site_id == site_id,
                OverflowSuggestion.at > now - dt.timedelta(minutes=RECORD_EVERY_MINUTES))))
            session.add_all([OverflowSuggestion(
                site_id=site_id, service_id=sid, at=now, waiting=o.waiting,
                predicted_minutes=o.predicted_minutes, target_minutes=o.target_minutes,
                windows=o.windows) for sid, o in new if sid not in again])

        db.write(record, name="overflow_suggestion")
    return sorted((o for _, o in found), key=lambda o: o.predicted_minutes - o.target_minutes,
                  reverse=True)


@dataclass(frozen=True)
class RecordedOverflow:
    """One recorded suggestion, as the office reviews them afterwards."""

    at: dt.datetime  # UTC
    local_at: dt.datetime  # the site's local time, naive
    service: str
    service_name: str
    waiting: int
    predicted_minutes: int
    target_minutes: int
    windows: list[int]

    def to_json(self) -> dict[str, object]:
        return {"at": self.at.isoformat(), "local_time": self.local_at.isoformat(),
                "service": self.service, "service_name": self.service_name,
                "waiting": self.waiting, "predicted_minutes": self.predicted_minutes,
                "target_minutes": self.target_minutes, "windows": list(self.windows)}


MAX_LISTED = 5000  # a list longer than this is cut (newest first)


def recorded_suggestions(db: Database, *, site: str | None = None,
                         first_day: dt.date | None = None, last_day: dt.date | None = None,
                         service: str | None = None, limit: int = MAX_LISTED
                         ) -> list[RecordedOverflow]:
    """The overflow suggestions recorded at a site, newest first: those of the local days
    ``first_day`` to ``last_day`` (inclusive; either may be left open), of one service
    if ``service`` is given (its code)."""
    from zoneinfo import ZoneInfo

    if first_day is not None and last_day is not None and last_day < first_day:
        raise ValueError(f"the last day ({last_day}) is before the first ({first_day})")
    if limit < 1:
        raise ValueError(f"the limit must be at least 1, got {limit}")
    with db.read() as session:
        site_row = site_by_code(session, site)
        zone = ZoneInfo(site_row.timezone)
        query = (select(OverflowSuggestion, Service.code, Service.name)
                 .join(Service, Service.id == OverflowSuggestion.service_id)
                 .where(OverflowSuggestion.site_id == site_row.id))
        if first_day is not None:
            start = dt.datetime.combine(first_day, dt.time(), zone).astimezone(dt.UTC)
            query = query.where(OverflowSuggestion.at >= start)
        if last_day is not None:
            end = dt.datetime.combine(last_day + dt.timedelta(days=1), dt.time(), zone)
            query = query.where(OverflowSuggestion.at < end.astimezone(dt.UTC))
        if service is not None:
            if session.scalar(select(Service.id).where(Service.code == service)) is None:
                raise ValueError(f"no service with the code {service!r}")
            query = query.where(Service.code == service)
        rows = session.execute(query.order_by(OverflowSuggestion.at.desc(),
                                              OverflowSuggestion.id.desc()).limit(limit)).all()
        result = []
        for row, code, name in rows:
            at = row.at if row.at.tzinfo else row.at.replace(tzinfo=dt.UTC)
            result.append(RecordedOverflow(
                at, at.astimezone(zone).replace(tzinfo=None), code, name, row.waiting,
                row.predicted_minutes, row.target_minutes,
                [int(n) for n in (row.windows or [])]))
        return result

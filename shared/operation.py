"""The frame every queue operation runs in: its transaction context, the transition
helper, the event log, day counters and queue segments.

Each transition follows the same steps: lock what it changes (window row first, then the
ticket row), check the state against :data:`shared.states.TRANSITIONS`, change, append an
event, and bump the site's change marker as the last statement (see :mod:`shared.feed`).
The day also rolls over here: the first operation of a new business day closes what
earlier days left waiting, if end of day did not run.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from shared import feed
from shared.db import as_server_time, locking, server_clock
from shared.errors import (
    ServiceClosed,
    UsageError,
)
from shared.hours import business_day
from shared.lookup import (
    choose_site,
    clerk_by_login,
    site_query,
)
from shared.models import (
    DayCounter,
    Segment,
    Service,
    Site,
    SiteState,
    Ticket,
    TicketEvent,
    Window,
    WindowService,
)
from shared.routing import (
    RoutingRules,
)
from shared.states import Action, TicketState, next_state

# Queue positions are the site's issue order times this gap, leaving room to slot a
# reinstated no-show between two waiting tickets.
POSITION_GAP = 1 << 20
ORDER_KEY = "*"


@dataclass(frozen=True)
class Actor:
    """Who acts: a window (number) and/or a clerk (login); neither means the command line."""

    window: int | None = None
    clerk: str | None = None





@dataclass
class OpContext:
    """What every operation needs: the session, the site, the server time and the day."""

    session: Session
    site: Site
    now: dt.datetime
    day: dt.date
    rules: RoutingRules
    # The site's open business day as read when the operation began (None: not yet).
    open_day: dt.date | None = None

    @property
    def local_now(self) -> dt.datetime:
        return self.now.astimezone(ZoneInfo(self.site.timezone))


def open_context(session: Session, site_code: str | None) -> OpContext:
    """The site, its open day and the server's clock, read in one round trip."""
    rows = session.execute(
        site_query(site_code)
        .add_columns(SiteState.open_day, server_clock(session))
        .outerjoin(SiteState, SiteState.site_id == Site.id)
    ).all()
    site = choose_site([row[0] for row in rows], site_code)
    _, open_day, clock = next(row for row in rows if row[0] is site)
    if not site.active:
        raise UsageError(f"站点 {site.code} 已停用 (site {site.code} is disabled)")
    now = as_server_time(clock)
    return OpContext(session, site, now, business_day(now, site.timezone),
                     RoutingRules.from_mapping(site.routing), open_day)


def roll_over_day(ctx: OpContext) -> None:
    """Close what earlier business days left open, once, if end of day did not run.

    Claimed with a compare-and-set on ``site_state.open_day``, at the end of the
    operation like the change marker on the same row, so every write transaction takes
    that row last and two of them never wait on each other in opposite orders. Queue
    queries only ever look at today's tickets, so nothing from yesterday is called meanwhile.
    """
    if ctx.open_day is not None and ctx.open_day >= ctx.day:
        return  # already rolled over; a stale read here only costs the compare-and-set
    claimed = ctx.session.execute(
        update(SiteState)
        .where(SiteState.site_id == ctx.site.id,
               or_(SiteState.open_day.is_(None), SiteState.open_day < ctx.day))
        .values(open_day=ctx.day)
    )
    ctx.open_day = ctx.day  # by us or by another terminal: either way it is done
    if claimed.rowcount:  # type: ignore[attr-defined]
        expire_leftovers(ctx, before=ctx.day)


def expire_leftovers(ctx: OpContext, *, before: dt.date) -> int:
    leftovers = ctx.session.scalars(
        locking(select(Ticket)
        .where(
            Ticket.site_id == ctx.site.id,
            Ticket.business_day < before,
            Ticket.state.in_([s.value for s in (TicketState.WAITING, TicketState.CALLED,
                                                TicketState.SERVING, TicketState.NO_SHOW)]),
        )
        .order_by(Ticket.id))
    ).all()
    for ticket in leftovers:
        was_no_show = ticket.state == TicketState.NO_SHOW.value
        transition(ctx, ticket, Action.EXPIRE, actor_window=None, clerk_id=None,
                   detail={"reason": "end_of_day"})
        if not was_no_show:  # a no-show's segment was closed as such when it happened
            close_segment(ctx, ticket, "expired")
        if ticket.window_id is not None:
            ctx.session.execute(
                update(Window).where(Window.current_ticket_id == ticket.id)
                .values(current_ticket_id=None)
            )
    return len(leftovers)


def transition(ctx: OpContext, ticket: Ticket, action: Action, *, actor_window: Window | None,
                clerk_id: int | None, detail: dict[str, Any] | None = None) -> None:
    """Check the move against the transition table, apply the state, log the event."""
    before = ticket.state
    ticket.state = next_state(action, before, ticket.number).value
    record_event(ctx, action, ticket=ticket, from_state=before, window=actor_window,
           clerk_id=clerk_id, detail=detail)


def record_event(ctx: OpContext, action: Action, *, ticket: Ticket | None = None,
           from_state: str | None = None, window: Window | None = None,
           clerk_id: int | None = None, detail: dict[str, Any] | None = None) -> None:
    ctx.session.add(TicketEvent(
        site_id=ctx.site.id, ticket_id=ticket.id if ticket else None, action=action.value,
        from_state=from_state, to_state=ticket.state if ticket else None,
        window_id=window.id if window else None, clerk_id=clerk_id,
        service_id=ticket.service_id if ticket else None, at=ctx.now, detail=detail or {},
    ))


def done(ctx: OpContext) -> None:
    """The last step of every write operation: roll the day over if due, then mark the
    site changed (NOTIFY on PostgreSQL) so terminals refresh."""
    ctx.session.flush()
    roll_over_day(ctx)
    ctx.session.flush()
    feed.touch(ctx.session, ctx.site.id)


def acting_clerk_id(ctx: OpContext, actor: Actor, window: Window | None) -> int | None:
    if actor.clerk:
        return clerk_by_login(ctx.session, actor.clerk).id
    if window is not None and window.clerk_id and window.lease_expires_at and \
            window.lease_expires_at > ctx.now:
        return window.clerk_id
    return None


# --------------------------------------------------------------------------- numbering


def next_counter_value(ctx: OpContext, key: str) -> int:
    """Atomically increment the day counter ``key``; the row lock lasts until commit."""
    where = and_(DayCounter.site_id == ctx.site.id, DayCounter.business_day == ctx.day,
                 DayCounter.key == key)
    bumped = ctx.session.execute(update(DayCounter).where(where)
                                 .values(last=DayCounter.last + 1))
    if bumped.rowcount == 0:  # type: ignore[attr-defined]
        try:
            with ctx.session.begin_nested():
                ctx.session.add(DayCounter(site_id=ctx.site.id, business_day=ctx.day,
                                           key=key, last=1))
            return 1
        except IntegrityError:  # another terminal created it first
            ctx.session.execute(update(DayCounter).where(where)
                                .values(last=DayCounter.last + 1))
    return int(ctx.session.scalar(select(DayCounter.last).where(where)) or 0)


def format_number(prefix: str, seq: int) -> str:
    return f"{prefix}{seq:03d}"


def new_queue_position(ctx: OpContext) -> int:
    return next_counter_value(ctx, ORDER_KEY) * POSITION_GAP


# --------------------------------------------------------------------------- segments


def open_segment(ctx: OpContext, ticket: Ticket) -> None:
    service = ctx.session.get(Service, ticket.service_id)
    assert service is not None
    ctx.session.add(Segment(
        ticket_id=ticket.id, site_id=ticket.site_id, business_day=ticket.business_day,
        service_id=ticket.service_id, kind=ticket.kind, transferred=ticket.transferred,
        queued_at=ctx.now, local_hour=ctx.local_now.hour,
        weekday=ticket.business_day.weekday(), department_id=service.department_id,
    ))


def current_segment(ctx: OpContext, ticket: Ticket) -> Segment:
    segment = ctx.session.scalar(
        select(Segment).where(Segment.ticket_id == ticket.id).order_by(Segment.id.desc()).limit(1)
    )
    assert segment is not None, f"ticket {ticket.id} has no segment"
    return segment


def _wait_micros(segment: Segment) -> int:
    """Call time minus arrival in the queue, exactly, in microseconds."""
    assert segment.called_at is not None
    return (segment.called_at - segment.queued_at) // dt.timedelta(microseconds=1)


def start_segment(ctx: OpContext, ticket: Ticket) -> None:
    """Service begins: the wait of this stay is now known (its call led to service)."""
    segment = current_segment(ctx, ticket)
    segment.started_at = ctx.now
    segment.clerk_id = ticket.clerk_id
    segment.wait_us = _wait_micros(segment)


def close_segment(ctx: OpContext, ticket: Ticket, result: str, outcome: str | None = None) -> None:
    """End the stay, completing its measures (docs/metrics.md): a case handed on after
    its call waited until that call; a started stay that ended finished or transferred
    has a service time."""
    segment = current_segment(ctx, ticket)
    segment.ended_at = ctx.now
    segment.result = result
    segment.outcome = outcome
    if result == "transferred" and segment.called_at is not None and segment.wait_us is None:
        segment.wait_us = _wait_micros(segment)
    if result in ("finished", "transferred") and segment.started_at is not None:
        segment.service_us = (ctx.now - segment.started_at) // dt.timedelta(microseconds=1)


def check_offered(ctx: OpContext, service: Service) -> None:
    if not service.active:
        raise ServiceClosed(f"{service.name} 已停办 (service {service.code} is disabled)")
    offered = ctx.session.scalar(
        select(func.count()).select_from(WindowService)
        .join(Window, Window.id == WindowService.window_id)
        .where(WindowService.service_id == service.id, WindowService.active.is_(True),
               Window.site_id == ctx.site.id, Window.active.is_(True))
    )
    if not offered:
        raise ServiceClosed(f"本站点不办理 {service.name} (no window at {ctx.site.code} "
                            f"serves {service.code})")


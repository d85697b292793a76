"""The frame every queue operation runs in: its transaction context, the transition
helper, the event log, day counters and queue segments.

Each transition follows the same steps: lock what it changes (window row first, then the
ticket row), check the state against :data:`shared.states.TRANSITIONS`, change, append an
event, and mark the site changed at the end (see :mod:`shared.feed`).
The day also rolls over here: the first operation of a new business day closes what
earlier days left waiting, if end of day did not run.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Select, Table, and_, bindparam, func, insert, inspect, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.sql import Executable

from shared import audit, feed, request_keys
from shared.db import COMMITTED, as_server_time, locking, pipelined, server_clock
from shared.errors import (
    ServiceClosed,
    UsageError,
)
from shared.hours import business_day
from shared.lookup import (
    choose_site,
    clerk_by_login,
    serving_windows,
    site_query,
)
from shared.models import (
    AuditHead,
    DayCounter,
    Segment,
    Service,
    Site,
    SiteState,
    Ticket,
    TicketEvent,
    Window,
)
from shared.presence import present_clerk_id
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
    # Whether the site's audit chain has its head row yet (created at its first event).
    has_audit_head: bool = False
    # Event rows recorded so far; :func:`done` writes them in one statement.
    events: list[dict[str, Any]] = field(default_factory=list)
    # Writes nothing in the operation reads back (stays, credits), in order; :func:`done`
    # sends them with the events and the change marker (in one round trip on PostgreSQL).
    writes: list[tuple[Executable, Any]] = field(default_factory=list)

    def defer(self, statement: Executable, params: Any) -> None:
        self.writes.append((statement, params))

    @property
    def local_now(self) -> dt.datetime:
        return self.now.astimezone(ZoneInfo(self.site.timezone))


@functools.cache
def _context_query(dialect: str, by_code: bool) -> Select[Any]:
    return (site_query(bindparam("code") if by_code else None)
            .add_columns(SiteState.open_day, server_clock(dialect), AuditHead.site_id)
            .outerjoin(SiteState, SiteState.site_id == Site.id)
            .outerjoin(AuditHead, AuditHead.site_id == Site.id))


def open_context(session: Session, site_code: str | None) -> OpContext:
    """The site, its open day, whether its audit chain has a head and the server's
    clock, read in one round trip."""
    query = _context_query(session.get_bind().dialect.name, site_code is not None)
    rows = session.execute(query, {"code": site_code}).all()
    site = choose_site([row[0] for row in rows], site_code)
    _, open_day, clock, head_site = next(row for row in rows if row[0] is site)
    if not site.active:
        raise UsageError(f"站点 {site.code} 已停用 (site {site.code} is disabled)")
    now = as_server_time(clock)
    return OpContext(session, site, now, business_day(now, site.timezone),
                     RoutingRules.from_mapping(site.routing), open_day,
                     has_audit_head=head_site is not None)


def roll_over_day(ctx: OpContext) -> None:
    """Close what earlier business days left open, once, if end of day did not run.

    Claimed with a compare-and-set on ``site_state.open_day``, at the end of the
    operation, so a write transaction that takes that row takes it last and two of them
    never wait on each other in opposite orders. Queue
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
        ctx.defer(*request_keys.purge_statement(ctx.site.id, ctx.day))


# What the end of a business day expires. A ticket being served is not among them: the
# citizen is at the window, the clerk finishes the case after midnight as any other, and
# its stay counts on the day it began (docs/routing.md).
EXPIRING_STATES = (TicketState.WAITING.value, TicketState.CALLED.value,
                   TicketState.NO_SHOW.value)


def expire_leftovers(ctx: OpContext, *, before: dt.date) -> int:
    """Expire the site's tickets of days before ``before`` still waiting, called or
    no-show, freeing the windows that held them; returns how many."""
    leftovers = ctx.session.scalars(
        locking(select(Ticket)
        .where(
            Ticket.site_id == ctx.site.id,
            Ticket.business_day < before,
            Ticket.state.in_(EXPIRING_STATES),
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


_NEW_EVENT = insert(TicketEvent).inline()


def record_event(ctx: OpContext, action: Action, *, ticket: Ticket | None = None,
                 from_state: str | None = None, window: Window | None = None,
                 clerk_id: int | None = None, detail: dict[str, Any] | None = None) -> None:
    """Log an event; it is written with the operation's others by :func:`done`."""
    if (via := audit.VIA.get()) is not None:
        detail = {**(detail or {}), "via": via}
    ctx.events.append({
        "site_id": ctx.site.id, "ticket_id": ticket.id if ticket else None,
        "action": action.value, "from_state": from_state,
        "to_state": ticket.state if ticket else None, "window_id": window.id if window else None,
        "clerk_id": clerk_id, "service_id": ticket.service_id if ticket else None,
        "at": ctx.now, "detail": detail or {},
    })


def done(ctx: OpContext, result: Any = None) -> None:
    """The last step of every write operation: roll the day over if due, write the
    changes and the events, then mark the site changed (NOTIFY on PostgreSQL) so
    terminals refresh. ``result`` is what the operation returns, kept under its request
    key if it has one (:mod:`shared.request_keys`). On PostgreSQL it also commits, in
    the same round trip as the writes: the operation may return, but run nothing more."""
    on_server = ctx.has_audit_head and audit.chains_on_server(ctx.session)
    rolled_over = ctx.open_day is not None and ctx.open_day >= ctx.day
    if not (on_server and rolled_over and _defer_row_changes(ctx)):
        ctx.session.flush()
    head = None
    if not on_server and (ctx.events or ctx.open_day is None or ctx.open_day < ctx.day):
        # The audit chain's head, locked before the roll-over's claim on the site's row
        # (and before the change marker), in the same order by every write.
        head = audit.lock_head(ctx.session, ctx.site.id)
    roll_over_day(ctx)
    ctx.session.flush()
    key_row = request_keys.key_row(ctx.session, ctx.site.id, ctx.day, ctx.now, result)
    if ctx.events and on_server:
        # Locked last, in the pipeline: after the roll-over's claim, which only the day's
        # first operation makes, and which no holder of the head then waits for. The
        # request key goes in the same statement (one fewer to send).
        ctx.writes.extend(audit.chain_on_server(
            ctx.events, (request_keys.TABLE, key_row[1]) if key_row is not None else None))
        key_row = None
    elif ctx.events:
        assert head is not None
        move_head = audit.chain(head, ctx.events)
        ctx.defer(_NEW_EVENT, ctx.events)
        ctx.defer(*move_head)
    if key_row is not None:
        ctx.defer(*key_row)
    change = _change_of(ctx)
    writes, ctx.writes, ctx.events = ctx.writes, [], []
    connection = ctx.session.connection()
    with pipelined(connection, commit_session=ctx.session):
        for statement, params in writes:
            connection.execute(statement, params)
        feed.touch(ctx.session, ctx.site.id, change)
    ctx.session.info[COMMITTED] = True


@functools.cache
def _update_by_key(table: Table, columns: frozenset[str]) -> Executable:
    key = table.primary_key.columns[0]
    return (update(table).where(key == bindparam("_row_key", type_=key.type))
            .values({name: bindparam(name, type_=table.c[name].type) for name in columns}))


def _defer_row_changes(ctx: OpContext) -> bool:
    """Send the changes made to loaded rows (a ticket's state and times, a window's
    ticket) with the operation's other writes, in its final pipeline, instead of a flush
    of a round trip each; False (nothing done) when the session holds anything but
    changed columns of single-key rows, which a flush must write. The rows are locked
    by the operation, so each UPDATE finds its row (what a flush checks)."""
    session = ctx.session
    if session.new or session.deleted:
        return False
    updates = []
    states = [inspect(row) for row in session.dirty]
    for state in states:
        mapper = state.mapper
        table = mapper.local_table
        if not isinstance(table, Table) or len(table.primary_key.columns) != 1:
            return False
        changed = {}
        # Only the attributes set since the load (not every column's history).
        for key in state.committed_state:
            column = mapper.column_attrs.get(key)
            if column is None:
                return False  # a relationship changed: the flush knows how to write it
            added = state.attrs[key].history.added
            if added:
                changed[column.columns[0].name] = added[0]
        if changed:
            updates.append((state, table, changed))
    for state, table, changed in updates:
        assert state.identity is not None
        ctx.defer(_update_by_key(table, frozenset(changed)),
                  {"_row_key": state.identity[0], **changed})
    # Written with the others: what a flush does after writing, marking the rows clean
    # (so neither the session's nor done()'s flush goes through them again).
    for state in states:
        state._commit_all(state.dict, session.identity_map)
    return True


def _change_of(ctx: OpContext) -> feed.Change:
    """What the operation changed, for the feed: its events' actions, tickets, windows
    and services, plus where a transferred ticket now waits (its new service, the window
    it was handed to), which its event row does not name."""
    windows, services = set(), set()
    for event in ctx.events:
        if event["action"] == Action.TRANSFER.value and event["ticket_id"] is not None:
            ticket = ctx.session.get(Ticket, event["ticket_id"])  # loaded: no statement
            if ticket is not None:
                services.add(ticket.service_id)
                if ticket.target_window_id is not None:
                    windows.add(ticket.target_window_id)
    if not ctx.events:
        return feed.everything(ctx.site.id)
    return feed.of_events(ctx.site.id, ctx.events, windows, services)


def acting_clerk_id(ctx: OpContext, actor: Actor, window: Window | None) -> int | None:
    if actor.clerk:
        return clerk_by_login(ctx.session, actor.clerk).id
    return present_clerk_id(window, ctx.now) if window is not None else None


# --------------------------------------------------------------------------- numbering


_COUNTER = and_(DayCounter.site_id == bindparam("counter_site"),
                DayCounter.business_day == bindparam("counter_day"),
                DayCounter.key == bindparam("counter_key"))
_BUMP_COUNTER = update(DayCounter).where(_COUNTER).values(last=DayCounter.last + 1)
_BUMP_COUNTER_RETURNING = _BUMP_COUNTER.returning(DayCounter.last)
_READ_COUNTER = select(DayCounter.last).where(_COUNTER)


def next_counter_value(ctx: OpContext, key: str) -> int:
    """Atomically increment the day counter ``key``; the row lock lasts until commit."""
    params = {"counter_site": ctx.site.id, "counter_day": ctx.day, "counter_key": key}
    connection = ctx.session.connection()
    if connection.dialect.update_returning:  # PostgreSQL, SQLite: one round trip
        value = connection.execute(_BUMP_COUNTER_RETURNING, params).scalar()
        if value is not None:
            return int(value)
    elif connection.execute(_BUMP_COUNTER, params).rowcount:
        return int(connection.execute(_READ_COUNTER, params).scalar_one())
    try:  # the day's first number of this key
        with ctx.session.begin_nested():
            ctx.session.add(DayCounter(site_id=ctx.site.id, business_day=ctx.day, key=key,
                                       last=1))
        return 1
    except IntegrityError:  # another terminal created it first
        connection.execute(_BUMP_COUNTER, params)
        return int(connection.execute(_READ_COUNTER, params).scalar_one())


def new_queue_position(ctx: OpContext) -> int:
    return next_counter_value(ctx, ORDER_KEY) * POSITION_GAP


def counters_behind(ctx: OpContext) -> dict[str, int]:
    """Bring today's number counters of the site up to the highest number issued with
    their prefix, where they fell behind (a counter row rewound by hand: every number it
    then gives is taken, so issuing with that prefix would fail until someone mended
    it). Returns {prefix: the number it now continues after} for those it moved."""
    highest = dict(ctx.session.execute(
        select(Ticket.prefix, func.max(Ticket.seq))
        .where(Ticket.site_id == ctx.site.id, Ticket.business_day == ctx.day)
        .group_by(Ticket.prefix)).all())
    moved: dict[str, int] = {}
    for prefix, top in highest.items():
        params = {"counter_site": ctx.site.id, "counter_day": ctx.day, "counter_key": prefix}
        last = ctx.session.execute(_READ_COUNTER, params).scalar()
        if last is not None and last < top:
            ctx.session.execute(update(DayCounter).where(_COUNTER).values(last=top), params)
            moved[prefix] = int(top)
    return moved


# --------------------------------------------------------------------------- segments
#
# Segment rows are written with plain statements, never loaded: a ticket's open stay is
# its one segment with no end yet, and the times a stay's measures need are the ticket's
# own (its queued / called / started times always belong to its current stay).


# The SET clause of these updates is the columns of the values they are given.
_OPEN_SEGMENT = update(Segment).where(Segment.ticket_id == bindparam("of_ticket"),
                                      Segment.ended_at.is_(None))
_SEGMENT_BY_ID = update(Segment).where(Segment.id == bindparam("segment"))
_NEW_SEGMENT = insert(Segment).inline()  # inline: no RETURNING of the new id


def open_segment(ctx: OpContext, ticket: Ticket) -> None:
    service = ctx.session.get(Service, ticket.service_id)
    assert service is not None
    ctx.defer(_NEW_SEGMENT, {
        "ticket_id": ticket.id, "site_id": ticket.site_id, "business_day": ticket.business_day,
        "service_id": ticket.service_id, "kind": ticket.kind, "transferred": ticket.transferred,
        "queued_at": ctx.now, "local_hour": ctx.local_now.hour,
        "weekday": ticket.business_day.weekday(), "department_id": service.department_id,
    })


def update_open_segment(ctx: OpContext, ticket: Ticket, **values: Any) -> None:
    """Write ``values`` to the ticket's open stay (a waiting, called or serving ticket
    has exactly one: the test invariants check it after every sequence)."""
    ctx.defer(_OPEN_SEGMENT, {"of_ticket": ticket.id, **values})


def update_last_segment(ctx: OpContext, ticket: Ticket, **values: Any) -> None:
    """Write ``values`` to the ticket's latest stay, open or not (a no-show's stay was
    closed as such; reinstating reopens it, cancelling closes it as cancelled)."""
    last = ctx.session.scalar(select(func.max(Segment.id)).where(Segment.ticket_id == ticket.id))
    assert last is not None, f"ticket {ticket.id} has no segment"
    ctx.defer(_SEGMENT_BY_ID, {"segment": last, **values})


def _micros(span: dt.timedelta) -> int:
    return span // dt.timedelta(microseconds=1)


def _wait_micros(ticket: Ticket) -> int:
    """Call time minus arrival in the queue, exactly, in microseconds."""
    assert ticket.called_at is not None
    return _micros(ticket.called_at - ticket.queued_at)


def call_segment(ctx: OpContext, ticket: Ticket) -> None:
    """The stay's call (a reinstated no-show's later call replaces the first)."""
    update_open_segment(ctx, ticket, called_at=ticket.called_at, window_id=ticket.window_id,
                        clerk_id=ticket.clerk_id)


def start_segment(ctx: OpContext, ticket: Ticket) -> None:
    """Service begins: the wait of this stay is now known (its call led to service)."""
    update_open_segment(ctx, ticket, started_at=ctx.now, clerk_id=ticket.clerk_id,
                        wait_us=_wait_micros(ticket))


def close_segment(ctx: OpContext, ticket: Ticket, result: str, outcome: str | None = None) -> None:
    """End the open stay, completing its measures (docs/metrics.md): a case handed on
    while called waited until that call; a started stay that ended finished or
    transferred has a service time. Call it before the ticket's state and times change.

    A reinstated no-show keeps the ``called_at`` of the call it missed while it waits
    again, so "handed on after its call" is the ticket's state, not that time."""
    values: dict[str, Any] = {"ended_at": ctx.now, "result": result, "outcome": outcome}
    if result == "transferred" and ticket.state == TicketState.CALLED.value:
        values["wait_us"] = _wait_micros(ticket)
    if result in ("finished", "transferred") and ticket.started_at is not None:
        values["service_us"] = _micros(ctx.now - ticket.started_at)
    update_open_segment(ctx, ticket, **values)


def check_offered(ctx: OpContext, service: Service, serving: list[int] | None = None
                  ) -> list[int]:
    """The numbers of the site's windows serving ``service`` (``serving`` if the caller
    read them already, as :func:`shared.prediction.state_for_issue` does); ServiceClosed
    if none does."""
    if not service.active:
        raise ServiceClosed(f"{service.name} 已停办 (service {service.code} is disabled)")
    windows = serving if serving is not None else serving_windows(ctx.session, ctx.site.id,
                                                                  service.id)
    if not windows:
        raise ServiceClosed(f"本站点不办理 {service.name} (no window at {ctx.site.code} "
                            f"serves {service.code})")
    return windows

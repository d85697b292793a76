"""Every queue operation at the windows. Each public function is one database transaction.

Claiming a ticket is a row lock taken with ``FOR UPDATE SKIP LOCKED`` (PostgreSQL,
MariaDB) inside the transaction that marks it called; SQLite serialises writers with
BEGIN IMMEDIATE. Issuing lives in :mod:`shared.issuing`, reading in :mod:`shared.read.hall_state`.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections import deque
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any, NamedTuple, TypeVar

from sqlalchemy import (
    Select,
    and_,
    bindparam,
    or_,
    select,
    update,
)
from sqlalchemy.orm import Session

from shared import hcp, materials
from shared.db import Database, locking
from shared.errors import (
    IllegalTransition,
    NotFound,
    NotYourTicket,
    ServiceClosed,
    UsageError,
    WindowBusy,
    WindowPaused,
    refuse_control_characters,
)
from shared.lookup import (
    ServiceSummary,
    find_ticket,
    lock_holding_window,
    lock_ticket_with_service,
    service_by_code,
    ticket_view,
    window_by_number,
    window_queue,
    window_view,
)
from shared.models import (
    Service,
    Site,
    Ticket,
    Window,
    WindowService,
)
from shared.operation import (
    Actor,
    OpContext,
    acting_clerk_id,
    call_segment,
    check_offered,
    close_segment,
    done,
    expire_leftovers,
    new_queue_position,
    open_context,
    open_segment,
    record_event,
    roll_over_day,
    start_segment,
    transition,
    update_last_segment,
)
from shared.request_keys import run_once
from shared.routing import (
    IS_PLAIN,
    IS_SPECIAL,
    IS_WAITING,
    WINDOW_FILTER,
    Candidate,
    RoutingRules,
    class_rank_expr,
    rank_params,
    settle_credits,
    weighted_order,
    window_filter_params,
)
from shared.states import ACTIVE_AT_WINDOW, Action, Outcome, TicketState, window_may
from shared.views import TicketView, WindowView


@dataclass(frozen=True)
class CallResult:
    """What call-next did: the ticket called (None if nobody waits) and the ticket it
    finished first, when the window was still serving one."""

    ticket: TicketView | None
    finished: TicketView | None = None


# --------------------------------------------------------------------------- calling


def call_next(db: Database, window: int, *, site: str | None = None,
              clerk: str | None = None, finish_outcome: Outcome = Outcome.COMPLETED,
              request_key: str | None = None, finish_cases: Sequence[str] = (),
              finish_missing: Sequence[str] = ()) -> CallResult:
    """Call the next ticket for a window by the site's routing rules.

    A window still serving a ticket finishes it first (with ``finish_outcome``, its case
    numbers ``finish_cases`` and, for 材料不全, the ``finish_missing`` materials), in this
    same transaction; a window whose called ticket was never started is refused.
    """
    cases = hcp.check_case_numbers(finish_cases)

    def op(session: Session) -> CallResult:
        ctx = open_context(session, site)
        win, services, waiting = _window_and_services(ctx, window)
        _check_not_paused(win)
        clerk_id = acting_clerk_id(ctx, Actor(window, clerk), win)
        held_one = win.current_ticket_id is not None
        # One flush at the end writes the finish and the call together (the claim reads
        # only waiting tickets, which finishing does not change).
        with session.no_autoflush:
            finished = _finish_held_ticket(ctx, win, clerk_id, finish_outcome, cases,
                                           finish_missing, services)
            ticket = _claim_next(ctx, win, services, waiting)
        if ticket is None:
            result = CallResult(None, finished)
            if held_one:  # it finished that ticket or closed a leftover of an earlier day
                done(ctx, result)
            # else nothing was written: no change marker, so idle polling wakes nobody
            return result
        _mark_called(ctx, ticket, win, clerk_id)
        result = CallResult(ticket_view(session, ticket, _service_of(services, ticket)), finished)
        done(ctx, result)
        return result

    return run_once(db, "call_next", request_key,
                    {"window": window, "site": site, "clerk": clerk,
                     "finish_outcome": str(finish_outcome), "finish_cases": list(cases),
                     **({"finish_missing": list(finish_missing)} if finish_missing else {})},
                    op, CallResult)


def call_number(db: Database, number: str, window: int, *, site: str | None = None,
                clerk: str | None = None, finish_outcome: Outcome = Outcome.COMPLETED,
                request_key: str | None = None, finish_cases: Sequence[str] = (),
                finish_missing: Sequence[str] = ()
                ) -> TicketView:
    """Call a specific waiting number to this window (a citizen who asked at the window);
    a ticket still being served there is finished first with ``finish_outcome`` and its
    case numbers ``finish_cases``."""
    cases = hcp.check_case_numbers(finish_cases)

    def op(session: Session) -> TicketView:
        ctx = open_context(session, site)
        win = _usable_window(ctx, window)
        clerk_id = acting_clerk_id(ctx, Actor(window, clerk), win)
        _finish_held_ticket(ctx, win, clerk_id, finish_outcome, cases, finish_missing)
        ticket = find_ticket(session, ctx.site, number, ctx.day, lock=True)
        if ticket.business_day != ctx.day:
            raise IllegalTransition(f"票号 {ticket.number} 不是今天的 (ticket is from "
                                    f"{ticket.business_day})")
        if ticket.target_window_id not in (None, win.id):
            raise NotYourTicket(f"{ticket.number} 已转给其他窗口 (handed to another window)")
        _mark_called(ctx, ticket, win, clerk_id)
        view = ticket_view(session, ticket)
        done(ctx, view)
        return view

    return run_once(db, "call_number", request_key,
                    {"number": number, "window": window, "site": site, "clerk": clerk,
                     "finish_outcome": str(finish_outcome), "finish_cases": list(cases),
                     **({"finish_missing": list(finish_missing)} if finish_missing else {})},
                    op, TicketView)


def _usable_window(ctx: OpContext, number: int) -> Window:
    win = window_by_number(ctx.session, ctx.site, number, lock=True)
    _check_not_paused(win)
    return win


def _check_not_paused(win: Window) -> None:
    if win.paused:
        raise WindowPaused(f"{win.number} 号窗口已暂停（{win.pause_reason or ''}），请先恢复 "
                           f"(window {win.number} is paused)")


def _finish_held_ticket(ctx: OpContext, win: Window, clerk_id: int | None,
                        outcome: Outcome, cases: Sequence[str] = (),
                        missing: Sequence[str] = (),
                        services: dict[int, _WindowService] | None = None
                        ) -> TicketView | None:
    """Finish the ticket the window holds, if any (``services``: the window's, read with
    it, for the ticket's view)."""
    if win.current_ticket_id is None:
        return None
    held = find_ticket(ctx.session, None, win.current_ticket_id, None, lock=True)
    if held.business_day < ctx.day and held.state != TicketState.SERVING.value:
        roll_over_day(ctx)  # a leftover of an earlier day: close it, the window is free
        return None
    # (A case still being served from an earlier day is finished like today's.)
    if not window_may(Action.CALL, paused=win.paused, held=held.state):
        raise WindowBusy(f"{held.number} 已叫号但未开始办理：请开始办理或标记过号 "
                         f"(ticket {held.number} was called but not started: start it or "
                         f"mark it no-show)")
    service = _service_of(services or {}, held)
    _finish(ctx, held, win, clerk_id, outcome, cases, missing, service)
    return ticket_view(ctx.session, held, service)


@dataclass(frozen=True)
class _WindowService:
    # For the views of the tickets called: call-next reads only the label; a dry run
    # (None) builds no view from it.
    service: Service | ServiceSummary | None
    weight: int
    credit: int
    plain_waiting: bool = False  # its plain queue has a head (read with the window)


@dataclass(frozen=True)
class _WaitingHint:
    """Who waits for a window, read with the window itself (no query of its own): the
    services whose plain queue has a head, and whether any special ticket (another class,
    or one handed to a window) might be for it; only then is the special query run."""

    plain_services: frozenset[int]
    special: bool


def _waiting_columns(window_id: Any) -> tuple[Any, Any]:
    """The columns a window's query adds for :class:`_WaitingHint`, per service row
    (``window_id``: the window's id column or parameter). Each is one index probe."""
    today = (Ticket.site_id == bindparam("site_id"), Ticket.business_day == bindparam("day"),
             IS_WAITING)
    plain = (select(Ticket.id).where(*today, Ticket.service_id == Service.id, IS_PLAIN)
             .limit(1).scalar_subquery().is_not(None).label("plain_waiting"))
    # A superset of the special tickets the window may call (its inactive services'
    # too): a false "maybe" costs the special query, never a wrong call.
    special = (select(Ticket.id).where(*today, IS_SPECIAL, or_(
        Ticket.target_window_id == window_id,
        and_(Ticket.target_window_id.is_(None), Ticket.service_id.in_(
            select(WindowService.service_id).where(WindowService.window_id == window_id)
            .correlate_except(WindowService)))))
        .limit(1).scalar_subquery().is_not(None).label("special_waiting"))
    return plain, special


_WINDOW_SERVICES = (
    select(Service, WindowService.weight, WindowService.credit,
           *_waiting_columns(bindparam("window_id")))
    .join(WindowService, Service.id == WindowService.service_id)
    .where(WindowService.window_id == bindparam("window_id"), WindowService.active.is_(True),
           Service.active.is_(True))
)


# Call-next reads of each service only what the views show.
_SERVICE_LABEL = (Service.id, Service.code, Service.name, Service.case_required,
                  Service.item_code)
_WINDOW_SERVICE_LABELS = _WINDOW_SERVICES.with_only_columns(
    *_SERVICE_LABEL, WindowService.weight, WindowService.credit,
    *_waiting_columns(bindparam("window_id")))

# The window locked and its services read in one statement: only the window row is
# locked (FOR UPDATE OF; SQLite has no row locks).
_WINDOW_WITH_SERVICES = locking(
    select(Window, *_SERVICE_LABEL, WindowService.weight, WindowService.credit,
           *_waiting_columns(Window.id))
    .outerjoin(WindowService, and_(WindowService.window_id == Window.id,
                                   WindowService.active.is_(True)))
    .outerjoin(Service, and_(Service.id == WindowService.service_id, Service.active.is_(True)))
    .where(Window.site_id == bindparam("site_id"), Window.number == bindparam("number")),
    of=Window)


def _window_and_services(ctx: OpContext, number: int
                         ) -> tuple[Window, dict[int, _WindowService], _WaitingHint]:
    """The window, locked, with its active services (their labels for the views built
    later, weights and interleave credits), and who waits for it (:class:`_WaitingHint`).

    MariaDB cannot lock only some tables of a join (it would lock the services, shared
    by every window): there the window is locked first, then its services are read."""
    params = {"site_id": ctx.site.id, "day": ctx.day}
    if ctx.session.get_bind().dialect.name in ("mysql", "mariadb"):
        win = window_by_number(ctx.session, ctx.site, number, lock=True)
        rows = [(win, *row) for row in
                ctx.session.execute(_WINDOW_SERVICE_LABELS, params | {"window_id": win.id})]
    else:
        rows = [tuple(row) for row in
                ctx.session.execute(_WINDOW_WITH_SERVICES, params | {"number": number})]
        if not rows or not rows[0][0].active:
            window_by_number(ctx.session, ctx.site, number)  # raises, naming the window
    services = {row[1]: _WindowService(ServiceSummary(*row[1:6]), max(1, row[6]), row[7],
                                       bool(row[8]))
                for row in rows if row[1] is not None}
    hint = _WaitingHint(frozenset(sid for sid, ws in services.items() if ws.plain_waiting),
                        any(bool(row[9]) for row in rows))
    return rows[0][0], services, hint


def _service_of(services: dict[int, _WindowService], ticket: Ticket
              ) -> Service | ServiceSummary | None:
    """The ticket's service as read with the window (None: not one of the window's)."""
    entry = services.get(ticket.service_id)
    return entry.service if entry is not None else None


class _Pick:
    """One way of choosing the first waiting ticket: its conditions and order, with the
    statements built once (they run on every call). ``step`` names it for a dry run
    (:class:`_DryRun`), which takes the same ticket from the queue it read."""

    def __init__(self, step: str, *conditions: Any, order: tuple[Any, ...]) -> None:
        self.step = step
        self.peek = select(Ticket).where(*conditions).order_by(*order).limit(1)
        self.first = locking(self.peek, skip_locked=True)
        self.ids = select(Ticket.id).where(*conditions).order_by(*order)
        self.by_id = locking(select(Ticket).where(Ticket.id == bindparam("claim_id"),
                                                  *conditions), skip_locked=True)


@dataclass(frozen=True)
class _Picks:
    """The queries of call-next under one site's routing rules."""

    present: Select[int, int]  # the special tickets' classes
    before_normal: _Pick  # the classes called before ordinary tickets
    normal_of_service: _Pick  # an ordinary ticket of the service ``service_id``
    after_normal: _Pick  # the classes called after them


@functools.cache
def _picks(rules: RoutingRules) -> _Picks:
    rank = class_rank_expr(rules)
    normal = rules.rank("normal")
    by_class = (rank, Ticket.queue_pos, Ticket.id)
    # The classes of the few special tickets, without scanning the plain queues (a
    # morning's rush holds thousands); whether each plain queue has a head was read
    # with the window (_WaitingHint).
    present = select(rank.label("rank"), Ticket.service_id).where(
        WINDOW_FILTER, IS_SPECIAL).distinct()
    return _Picks(
        present=present,
        # Only a special ticket has a class other than "normal".
        before_normal=_Pick("before", WINDOW_FILTER, IS_SPECIAL, rank < normal,
                            order=by_class),
        normal_of_service=_Pick("normal", WINDOW_FILTER, rank == normal,
                                Ticket.service_id == bindparam("service_id"),
                                order=(Ticket.queue_pos, Ticket.id)),
        after_normal=_Pick("after", WINDOW_FILTER, IS_SPECIAL, rank > normal, order=by_class),
    )


# How a routing step takes the ticket it chose (call-next: locks it; a dry run: takes it
# from the queue it read) and records the interleave credits (call-next: writes them; a
# dry run: remembers them).
Claimed = TypeVar("Claimed", Ticket, Candidate)
Take = Callable[[OpContext, _Pick, dict[str, Any]], Claimed | None]
SettleCredits = Callable[[Window, dict[int, int]], None]


def _claim_next(ctx: OpContext, win: Window, services: dict[int, _WindowService],
                waiting: _WaitingHint) -> Ticket | None:
    """Claim the ticket the routing rules give this window (:func:`_route`). First it is
    known which classes and services have anyone waiting (``waiting``, read with the
    window, and the special tickets' classes if it says there may be some), so empty
    ones cost nothing."""
    picks = _picks(ctx.rules)
    params = _claim_params(ctx, win, services)
    present = [_Present(ctx.rules.rank("normal"), sid) for sid in waiting.plain_services]
    if waiting.special:
        present += [_Present(int(row.rank), int(row.service_id))
                    for row in ctx.session.execute(picks.present, params)]
    return _route(ctx, win, services, present, params, _claim_first, _write_credits(ctx))


def _claim_params(ctx: OpContext, win: Window, services: dict[int, _WindowService]
                  ) -> dict[str, Any]:
    return (window_filter_params(ctx.site.id, ctx.day, win.id, list(services))
            | rank_params(ctx.rules, ctx.now))


def _route(ctx: OpContext, win: Window, services: dict[int, _WindowService],
           present: list[_Present], params: dict[str, Any], take: Take[Claimed],
           settle: SettleCredits) -> Claimed | None:
    """The routing rules' choice among those ``present`` (class rank, service): the
    classes before ordinary tickets in their order, then ordinary tickets by the weighted
    interleave of the window's services, then the classes after them; call-next and its
    dry run (:func:`preview_at`) differ only in how they ``take`` and ``settle``."""
    picks = _picks(ctx.rules)
    normal = ctx.rules.rank("normal")
    ranks = {row.rank for row in present}
    ticket = None
    if any(r < normal for r in ranks):
        ticket = take(ctx, picks.before_normal, params)
    if ticket is None and normal in ranks:
        ordinary = sorted({row.service_id for row in present if row.rank == normal})
        ticket = _claim_weighted(ctx, win, services, ordinary, picks.normal_of_service, params,
                                 take, settle)
    if ticket is None and any(r > normal for r in ranks):
        ticket = take(ctx, picks.after_normal, params)
    return ticket


class _Present(NamedTuple):
    rank: int
    service_id: int


class _DryRun:
    """The state of a dry run of call-next: the window's services with the interleave
    credits as the calls so far would have left them, and the tickets not taken yet,
    per step of the routing (the classes before ordinary tickets, the ordinary ones per
    service, the classes after), each in the order its query sorts them. Call-next reads
    the first ticket of a step with that query; the dry run takes the first of the list,
    as its queue was read once in class and queue order (rank, position, id), and a
    subsequence of that order is each step's order."""

    def __init__(self, services: dict[int, _WindowService], queue: Sequence[Candidate],
                 normal: int) -> None:
        self.services = services
        self.normal = normal
        self.before: deque[Candidate] = deque(c for c in queue if c.rank < normal)
        self.after: deque[Candidate] = deque(c for c in queue if c.rank > normal)
        self.ordinary: dict[int, deque[Candidate]] = {}
        for c in queue:
            if c.rank == normal:
                self.ordinary.setdefault(c.service_id, deque()).append(c)

    def present(self) -> list[_Present]:
        return ([_Present(c.rank, c.service_id) for c in (*self.before, *self.after)]
                + [_Present(self.normal, sid) for sid, q in self.ordinary.items() if q])

    def peek(self, _ctx: OpContext, pick: _Pick, params: dict[str, Any]) -> Candidate | None:
        if pick.step == "normal":
            line = self.ordinary.get(params["service_id"])
        else:
            line = self.before if pick.step == "before" else self.after
        return line.popleft() if line else None

    def settle(self, _win: Window, credits: dict[int, int]) -> None:
        for service_id, credit in credits.items():
            self.services[service_id] = replace(self.services[service_id], credit=credit)


def preview_calls(db: Database, window: int, *, site: str | None = None,
                  count: int = 1) -> list[TicketView]:
    """The tickets call-next would call at ``window`` in its next ``count`` calls if no
    other window called meanwhile, in order (fewer when fewer wait).

    A dry run of call-next's own routing (:func:`_route`: the same classes and weighted
    interleave, the credits carried from step to step) over the window's queue read
    once, in a read transaction that locks and writes nothing: what the counter shows as
    "下一位" is what 叫下一位 then calls."""
    if count < 1:
        raise UsageError(f"预览数量须为正数 (count must be positive, got {count})")
    with db.read() as session:
        ctx = open_context(session, site)
        win = window_by_number(session, ctx.site, window)
        services = {row.service_id: (row.weight, row.credit)
                    for row in session.execute(_DRY_RUN_SERVICES, {"window_id": win.id})}
        queued = window_queue(session, ctx.site, ctx.day, win.id, list(services), ctx.now)
        views = {view.id: view for view, _ in queued}
        return [views[c.id]
                for c in preview_at(ctx, win, [c for _, c in queued], count, services)]


# The window's active services of the active catalog with their weights and credits.
_DRY_RUN_SERVICES = (
    select(WindowService.service_id, WindowService.weight, WindowService.credit)
    .join(Service, Service.id == WindowService.service_id)
    .where(WindowService.window_id == bindparam("window_id"), WindowService.active.is_(True),
           Service.active.is_(True)))


def preview_at(ctx: OpContext, win: Window, queue: Sequence[Candidate], count: int,
               services: Mapping[int, tuple[int, int]]) -> list[Candidate]:
    """:func:`preview_calls` inside a caller's read transaction (the counter's snapshot),
    over the ``queue`` it read (:func:`shared.lookup.window_queue`, a superset of the
    window's queue is fine) and ``services``, the window's active services of the active
    catalog as {id: (weight, credit)}: the tickets in the order call-next would call them."""
    run = _DryRun({sid: _WindowService(None, max(1, weight), credit)
                   for sid, (weight, credit) in services.items()},
                  [c for c in queue if c.target_window_id == win.id
                   or (c.target_window_id is None and c.service_id in services)],
                  ctx.rules.rank("normal"))
    params = _claim_params(ctx, win, run.services)
    taken: list[Candidate] = []
    for _ in range(count):
        ticket = _route(ctx, win, run.services, run.present(), params, run.peek, run.settle)
        if ticket is None:
            break
        taken.append(ticket)
    return taken


CLAIM_BATCH = 8


def _claim_first(ctx: OpContext, pick: _Pick, params: dict[str, Any]) -> Ticket | None:
    """Lock the first ticket of ``pick`` that no other window is claiming right now.

    PostgreSQL locks only the row the sorted, limited query returns, skipping rows other
    windows hold, so one statement does it (SQLite has one writer at a time anyway). On
    MariaDB, locking in the sorted query would make InnoDB lock every eligible row while
    sorting on the rank expression, so a concurrent call at another window would skip them
    all and find nobody waiting: there, candidate ids are read without locks, then each
    row is locked by primary key with SKIP LOCKED and re-checked.
    """
    if ctx.session.get_bind().dialect.name in ("postgresql", "sqlite"):
        return ctx.session.scalar(pick.first, params)
    offset = 0
    while True:
        ids = ctx.session.scalars(pick.ids.limit(CLAIM_BATCH).offset(offset), params).all()
        for ticket_id in ids:
            ticket = ctx.session.scalar(pick.by_id, params | {"claim_id": ticket_id})
            if ticket is not None:
                return ticket
        if len(ids) < CLAIM_BATCH:
            return None
        offset += CLAIM_BATCH


_SET_CREDIT = (update(WindowService)
               .where(WindowService.window_id == bindparam("w_id"),
                      WindowService.service_id == bindparam("s_id"))
               .values(credit=bindparam("new_credit")))


def _write_credits(ctx: OpContext) -> SettleCredits:
    def write(win: Window, changed: dict[int, int]) -> None:
        ctx.defer(_SET_CREDIT, [{"w_id": win.id, "s_id": sid, "new_credit": credit}
                                for sid, credit in changed.items()])
    return write


def _claim_weighted(ctx: OpContext, win: Window, services: dict[int, _WindowService],
                    waiting: list[int], pick: _Pick, params: dict[str, Any],
                    take: Take[Claimed], settle: SettleCredits) -> Claimed | None:
    """The head of the service the smooth weighted interleave picks among ``waiting``
    (the next service when another window just took that head), settling the credits."""
    weights = {sid: ws.weight for sid, ws in services.items()}
    credits = {sid: ws.credit for sid, ws in services.items()}
    order, _ = weighted_order(credits, weights, waiting)
    for service_id in order:
        ticket = take(ctx, pick, params | {"service_id": service_id})
        if ticket is not None:
            new = settle_credits(credits, weights, waiting, service_id)
            changed = {sid: credit for sid, credit in new.items()
                       if sid in services and credit != credits[sid]}
            if changed:
                settle(win, changed)
            return ticket
    return None


def _mark_called(ctx: OpContext, ticket: Ticket, win: Window, clerk_id: int | None) -> None:
    transition(ctx, ticket, Action.CALL, actor_window=win, clerk_id=clerk_id,
                detail={"window": win.number})
    ticket.window_id = win.id
    ticket.clerk_id = clerk_id
    ticket.called_at = ctx.now
    ticket.call_count = 1
    ticket.target_window_id = None
    win.current_ticket_id = ticket.id
    call_segment(ctx, ticket)


# --------------------------------------------------------------------------- at the window


def _held(ctx: OpContext, ref: str | int, actor: Actor
          ) -> tuple[Ticket, Window | None, Service | None]:
    """The ticket and the window that holds it, both locked (window first, as everywhere),
    and the ticket's service where it was read with it (for its view).

    The window is the one the ticket is at when the window lock is taken; if another
    terminal moved the ticket to a different window before our ticket lock, lock the
    window it is at now and re-check.
    """
    win = lock_holding_window(ctx.session, ctx.site, ref, ctx.day)
    for _attempt in range(3):
        ticket, service = lock_ticket_with_service(ctx.session, ctx.site, ref, ctx.day)
        if ticket.window_id == (win.id if win else None):
            break
        win = None if ticket.window_id is None else ctx.session.scalar(
            locking(select(Window).where(Window.id == ticket.window_id)))
    else:
        raise IllegalTransition(f"{ticket.number} 正在被其他窗口操作，请重试 (ticket {ticket.number} "
                                f"kept changing windows; try again)")
    if ticket.site_id != ctx.site.id:
        raise NotFound(f"票号 {ticket.number} 不属于站点 {ctx.site.code} (ticket {ticket.id} "
                       f"belongs to another site)")
    if actor.window is not None and ticket.state in ACTIVE_AT_WINDOW and not (
            win is not None and win.number == actor.window and win.active):
        acting = window_by_number(ctx.session, ctx.site, actor.window)
        if ticket.window_id != acting.id:
            raise NotYourTicket(f"{ticket.number} 由其他窗口办理 (ticket {ticket.number} is "
                                f"held by another window)")
    return ticket, win, service


def _ticket_op(db: Database, name: str, ref: str | int, site: str | None, actor: Actor,
               body: Any, request_key: str | None = None,
               arguments: dict[str, Any] | None = None) -> TicketView:
    """Run one action on one ticket; ``arguments`` beyond the ticket, site and actor are
    the action's own (part of what a request key stands for)."""

    def op(session: Session) -> TicketView:
        ctx = open_context(session, site)
        ticket, win, service = _held(ctx, ref, actor)
        clerk_id = acting_clerk_id(ctx, actor, win)
        body(ctx, ticket, win, clerk_id)
        view = ticket_view(session, ticket, service)
        done(ctx, view)
        return view

    return run_once(db, name, request_key, {"ticket": str(ref).strip(), "site": site,
                                            "actor": actor, **(arguments or {})},
                    op, TicketView)


def recall(db: Database, ref: str | int, *, site: str | None = None,
           actor: Actor = Actor(), request_key: str | None = None) -> TicketView:
    """Call the same number again (the display announces it again)."""

    def body(ctx: OpContext, t: Ticket, win: Window | None, clerk_id: int | None) -> None:
        transition(ctx, t, Action.RECALL, actor_window=win, clerk_id=clerk_id,
                    detail={"window": win.number if win else None})
        t.call_count += 1

    return _ticket_op(db, "recall", ref, site, actor, body, request_key)


def no_show(db: Database, ref: str | int, *, site: str | None = None,
            actor: Actor = Actor(), request_key: str | None = None) -> TicketView:
    """The citizen did not come (过号); the window is free again."""

    def body(ctx: OpContext, t: Ticket, win: Window | None, clerk_id: int | None) -> None:
        transition(ctx, t, Action.NO_SHOW, actor_window=win, clerk_id=clerk_id)
        _release(t, win)
        close_segment(ctx, t, "no_show")

    return _ticket_op(db, "no_show", ref, site, actor, body, request_key)


def reinstate(db: Database, ref: str | int, *, site: str | None = None,
              actor: Actor = Actor(), request_key: str | None = None) -> TicketView:
    """A no-show came back (过号重排): back in after the next few waiting tickets."""

    def body(ctx: OpContext, t: Ticket, win: Window | None, clerk_id: int | None) -> None:
        if t.business_day != ctx.day:
            raise IllegalTransition(f"{t.number} 不是今天的票 (ticket is from {t.business_day})")
        transition(ctx, t, Action.REINSTATE, actor_window=win, clerk_id=clerk_id)
        t.queue_pos = _reinstated_position(ctx, t)
        t.window_id = None
        t.clerk_id = None
        update_last_segment(ctx, t, result=None, ended_at=None)  # its wait runs on to the later call

    return _ticket_op(db, "reinstate", ref, site, actor, body, request_key)


def _reinstated_position(ctx: OpContext, ticket: Ticket) -> int:
    rank = class_rank_expr(ctx.rules)
    params = rank_params(ctx.rules, ctx.now)
    mine = ctx.session.scalar(select(rank).where(Ticket.id == ticket.id), params)
    ahead = ctx.session.scalars(
        select(Ticket.queue_pos).where(
            Ticket.site_id == ticket.site_id, Ticket.business_day == ticket.business_day,
            Ticket.state == TicketState.WAITING.value, Ticket.service_id == ticket.service_id,
            Ticket.id != ticket.id, rank == mine,
        ).order_by(Ticket.queue_pos, Ticket.id).limit(ctx.rules.reinstate_after + 1), params
    ).all()
    gap = ctx.rules.reinstate_after
    if gap == 0:
        return (ahead[0] - 1) if ahead else new_queue_position(ctx)
    if len(ahead) <= gap:
        return new_queue_position(ctx)  # fewer than that waiting: to the back
    low, high = ahead[gap - 1], ahead[gap]
    return (low + high) // 2 if high - low > 1 else low


def start(db: Database, ref: str | int, *, site: str | None = None,
          actor: Actor = Actor(), request_key: str | None = None) -> TicketView:
    """The citizen arrived at the window; service begins."""

    def body(ctx: OpContext, t: Ticket, win: Window | None, clerk_id: int | None) -> None:
        transition(ctx, t, Action.START, actor_window=win, clerk_id=clerk_id)
        t.started_at = ctx.now
        if clerk_id is not None:
            t.clerk_id = clerk_id
        start_segment(ctx, t)

    return _ticket_op(db, "start", ref, site, actor, body, request_key)


def finish(db: Database, ref: str | int, *, outcome: str = Outcome.COMPLETED.value,
           site: str | None = None, actor: Actor = Actor(),
           request_key: str | None = None, cases: Sequence[str] = (),
           missing: Sequence[str] = ()) -> TicketView:
    """Service ended, with the case outcome (办结, 受理, 材料不全, 咨询), the numbers of the
    cases (办件编号) it ended (each rated on its own; docs/evaluation.md) and, for 材料不全,
    the service's materials the citizen lacked (``missing``, shared/materials.py)."""
    case_numbers = hcp.check_case_numbers(cases)
    try:
        result = Outcome(outcome)
    except ValueError:
        raise UsageError(f"办理结果无效 (invalid outcome {outcome!r}: "
                         f"{', '.join(o.value for o in Outcome)})") from None

    if missing and result is not Outcome.MATERIALS_MISSING:
        raise UsageError(f"只有“材料不全”才能登记缺少的材料 (missing materials go with the outcome "
                         f"{Outcome.MATERIALS_MISSING.value}, not {result.value})")

    def body(ctx: OpContext, t: Ticket, win: Window | None, clerk_id: int | None) -> None:
        _finish(ctx, t, win, clerk_id, result, case_numbers, missing)

    return _ticket_op(db, "finish", ref, site, actor, body, request_key,
                      {"outcome": result.value, "cases": list(case_numbers),
                       **({"missing": list(missing)} if missing else {})})


def _finish(ctx: OpContext, t: Ticket, win: Window | None, clerk_id: int | None,
            result: Outcome, cases: Sequence[str] = (), missing: Sequence[str] = (),
            service: Service | ServiceSummary | None = None) -> None:
    hcp.record_cases(ctx, t, win, clerk_id, result, cases, service)
    lacking: list[str] = []
    if missing:  # (the service is read only then: finishing stays one statement fewer)
        service = ctx.session.get(Service, t.service_id)
        assert service is not None
        lacking = materials.check_missing(service, result, missing)
    detail: dict[str, Any] = {"outcome": result.value}
    if cases:
        detail["cases"] = list(cases)
    if lacking:
        detail["missing"] = lacking
    transition(ctx, t, Action.FINISH, actor_window=win, clerk_id=clerk_id, detail=detail)
    t.finished_at = ctx.now
    t.outcome = result.value
    _release(t, win)
    close_segment(ctx, t, "finished", result.value)
    materials.record_missing(ctx.session, t, lacking, ctx.now)


def _release(ticket: Ticket, win: Window | None) -> None:
    if win is not None and win.current_ticket_id == ticket.id:
        win.current_ticket_id = None


def transfer(db: Database, ref: str | int, *, to_service: str | None = None,
             to_window: int | None = None, note: str = "", site: str | None = None,
             actor: Actor = Actor(), request_key: str | None = None) -> TicketView:
    """Hand the case over (内部流转): the citizen keeps the number and joins the receiving
    queue by the site's transfer rule, without queueing again from the start."""
    if (to_service is None) == (to_window is None):
        raise UsageError("请指定转往的业务或窗口之一 (give exactly one of to_service / to_window)")
    refuse_control_characters(note, "note", "转办说明")

    def body(ctx: OpContext, t: Ticket, win: Window | None, clerk_id: int | None) -> None:
        target_window: Window | None = None
        if to_window is not None:
            target_window = window_by_number(ctx.session, ctx.site, to_window)
            if win is not None and target_window.id == win.id:
                raise UsageError("不能转给本窗口 (cannot transfer to the same window)")
        service = service_by_code(ctx.session, to_service) if to_service else None
        if service is not None:
            if not service.active:
                raise ServiceClosed(f"{service.name} 已停办 (service {service.code} is disabled)")
            check_offered(ctx, service)
        if t.business_day != ctx.day:
            raise IllegalTransition(f"{t.number} 不是今天的票 (ticket is from {t.business_day})")
        was_active = t.state in ACTIVE_AT_WINDOW
        if was_active or t.state == TicketState.WAITING.value:
            close_segment(ctx, t, "transferred")
        transition(ctx, t, Action.TRANSFER, actor_window=win, clerk_id=clerk_id, detail={
            "to_service": service.code if service else None,
            "to_window": target_window.number if target_window else None, "note": note,
        })
        _release(t, win)
        if service is not None:
            t.service_id = service.id
        t.target_window_id = target_window.id if target_window else None
        t.transferred = True
        t.window_id = None
        t.clerk_id = None
        t.called_at = t.started_at = None
        t.queued_at = ctx.now
        t.queue_pos = new_queue_position(ctx)
        if note:
            t.note = (t.note + " | " if t.note else "") + note[:200]
        open_segment(ctx, t)

    return _ticket_op(db, "transfer", ref, site, actor, body, request_key,
                      {"to_service": to_service, "to_window": to_window, "note": note})


def cancel(db: Database, ref: str | int, *, site: str | None = None,
           actor: Actor = Actor(), request_key: str | None = None) -> TicketView:
    """The citizen leaves without service (or staff withdraw the number)."""

    def body(ctx: OpContext, t: Ticket, win: Window | None, clerk_id: int | None) -> None:
        was_no_show = t.state == TicketState.NO_SHOW.value
        transition(ctx, t, Action.CANCEL, actor_window=win, clerk_id=clerk_id)
        _release(t, win)
        if was_no_show:  # its stay was closed as a no-show: now it ends cancelled
            update_last_segment(ctx, t, ended_at=ctx.now, result="cancelled", outcome=None)
        else:
            close_segment(ctx, t, "cancelled")

    return _ticket_op(db, "cancel", ref, site, actor, body, request_key)


def mark_print_failed(db: Database, ticket_id: int, reason: str) -> TicketView:
    """Record that the ticket's slip did not print, so staff can reprint it."""

    def op(session: Session) -> TicketView:
        ticket = find_ticket(session, None, ticket_id, None, lock=True)
        ctx = open_context(session, site_code_of(session, ticket))
        ticket.print_pending = True
        record_event(ctx, Action.REPRINT, ticket=ticket, detail={"failed": reason[:200]})
        view = ticket_view(session, ticket)
        done(ctx)
        return view

    return db.write(op, name="mark_print_failed")


def mark_printed(db: Database, ticket_id: int) -> TicketView:
    """A slip (first print or reprint) came out: clear the reprint mark."""

    def op(session: Session) -> TicketView:
        ticket = find_ticket(session, None, ticket_id, None, lock=True)
        ctx = open_context(session, site_code_of(session, ticket))
        if ticket.print_pending:
            ticket.print_pending = False
            record_event(ctx, Action.REPRINT, ticket=ticket, detail={"printed": True})
        view = ticket_view(session, ticket)
        done(ctx)
        return view

    return db.write(op, name="mark_printed")


def site_code_of(session: Session, ticket: Ticket) -> str:
    site = session.get(Site, ticket.site_id)
    assert site is not None
    return site.code


# --------------------------------------------------------------------------- windows


def pause_window(db: Database, window: int, reason: str, *, site: str | None = None,
                 clerk: str | None = None, request_key: str | None = None) -> WindowView:
    """Pause a window (break, meeting, consultation); it calls nobody until resumed."""
    refuse_control_characters(reason, "reason", "暂停原因")
    if not reason.strip():
        raise UsageError("请填写暂停原因 (a pause needs a reason)")

    def op(session: Session) -> WindowView:
        ctx = open_context(session, site)
        win = window_by_number(session, ctx.site, window, lock=True)
        if win.paused:
            raise IllegalTransition(f"{win.number} 号窗口已暂停 (window {win.number} is already paused)")
        held = session.get(Ticket, win.current_ticket_id) if win.current_ticket_id else None
        if not window_may(Action.PAUSE, paused=win.paused, held=held.state if held else None):
            raise WindowBusy(f"请先办理完成或转出 {held.number if held else ''} 再暂停 "
                             f"(finish or transfer the current ticket before pausing)")
        win.paused, win.pause_reason, win.paused_at = True, reason.strip()[:200], ctx.now
        record_event(ctx, Action.PAUSE, window=win, clerk_id=acting_clerk_id(ctx, Actor(window, clerk), win),
               detail={"reason": win.pause_reason})
        view = window_view(session, win, ctx.now)
        done(ctx, view)
        return view

    return run_once(db, "pause_window", request_key,
                    {"window": window, "reason": reason, "site": site, "clerk": clerk},
                    op, WindowView)


def resume_window(db: Database, window: int, *, site: str | None = None,
                  clerk: str | None = None, request_key: str | None = None) -> WindowView:
    def op(session: Session) -> WindowView:
        ctx = open_context(session, site)
        win = window_by_number(session, ctx.site, window, lock=True)
        if not win.paused:
            raise IllegalTransition(f"{win.number} 号窗口未暂停 (window {win.number} is not paused)")
        paused_for = (ctx.now - win.paused_at).total_seconds() if win.paused_at else None
        win.paused, win.pause_reason, win.paused_at = False, None, None
        record_event(ctx, Action.RESUME, window=win, clerk_id=acting_clerk_id(ctx, Actor(window, clerk), win),
               detail={"paused_seconds": paused_for})
        view = window_view(session, win, ctx.now)
        done(ctx, view)
        return view

    return run_once(db, "resume_window", request_key,
                    {"window": window, "site": site, "clerk": clerk}, op, WindowView)


# --------------------------------------------------------------------------- end of day


def close_day(db: Database, *, site: str | None = None) -> int:
    """End of day: whatever is left waiting, called or no-show is closed as expired, the
    windows holding them are freed; numbers restart with the next business day. A case
    being served stays with its clerk, who finishes it. Returns how many tickets were
    closed."""

    def op(session: Session) -> int:
        ctx = open_context(session, site)
        closed = expire_leftovers(ctx, before=ctx.day + dt.timedelta(days=1))
        done(ctx)
        return closed

    return db.write(op, name="close_day")


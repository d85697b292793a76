"""Which waiting ticket a window calls next.

Classes, in the default order: green channel (绿色通道), due appointments, transfers,
ordinary tickets. Inside a class, tickets go in queue order (derived from the site's issue
sequence, never from timestamps). Ordinary tickets of a window's several services are
interleaved by the services' weights with a smooth weighted round-robin whose credits
live in ``window_service.credit``: weights A=2, B=1 call A, B, A, A, B, A, ...
Everything is configurable per site (the catalog's ``[sites.routing]``); see docs/routing.md.
"""

from __future__ import annotations

import bisect
import datetime as dt
import functools
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy import (
    ColumnElement,
    Select,
    and_,
    bindparam,
    case,
    func,
    literal,
    literal_column,
    or_,
    select,
    text,
)
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import TextClause

from shared.models import SPECIAL_TICKETS, Ticket, Window, WindowService
from shared.states import TicketKind
from shared.timestamps import UTCDateTime

CLASSES = ("green", "appointment", "transfer", "normal")


@dataclass(frozen=True)
class RoutingRules:
    class_order: tuple[str, ...] = CLASSES
    appointment_early_minutes: int = 10  # an appointment is due from 10 min before its slot
    appointment_late_minutes: int = 15  # later than this at check-in: an ordinary ticket
    reinstate_after: int = 3  # 过号重排: back in after the next 3 waiting tickets
    transfer_rule: str = "priority"  # "priority": own class; "back": join as ordinary

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any] | None) -> RoutingRules:
        """Build rules from catalog data; raise ValueError naming the bad key."""
        data = dict(data or {})
        known = {f for f in cls.__dataclass_fields__}
        unknown = set(data) - known
        if unknown:
            raise ValueError(f"未知的分配规则项 {', '.join(sorted(unknown))} "
                             f"(unknown routing key(s): {', '.join(sorted(unknown))})")
        order = tuple(data.get("class_order", CLASSES))
        if sorted(order) != sorted(CLASSES):
            raise ValueError(
                f"class_order 须列出 {', '.join(CLASSES)} 各一次，现为 {list(order)} "
                f"(class_order must list each of {', '.join(CLASSES)} once, got {list(order)})"
            )
        rules = cls(
            class_order=order,
            appointment_early_minutes=int(data.get("appointment_early_minutes", 10)),
            appointment_late_minutes=int(data.get("appointment_late_minutes", 15)),
            reinstate_after=int(data.get("reinstate_after", 3)),
            transfer_rule=str(data.get("transfer_rule", "priority")),
        )
        if rules.transfer_rule not in ("priority", "back"):
            raise ValueError("transfer_rule 须为 'priority' 或 'back' "
                             "(transfer_rule must be 'priority' or 'back')")
        for name in ("appointment_early_minutes", "appointment_late_minutes", "reinstate_after"):
            if getattr(rules, name) < 0:
                raise ValueError(f"{name} 不能为负数 ({name} must not be negative)")
        return rules

    def rank(self, name: str) -> int:
        return self.class_order.index(name)


@dataclass(frozen=True)
class Candidate:
    """A ticket a window may call, as a dry run of call-next needs it (read with the
    window's queue, :func:`shared.lookup.window_queue`)."""

    id: int
    service_id: int
    target_window_id: int | None
    rank: int  # its class rank (class_rank_expr) when read


@functools.cache
def class_rank_expr(rules: RoutingRules) -> ColumnElement[int]:
    """SQL expression: the class rank of a waiting ticket (lower is called first). Built
    once per rules; execute it with :func:`rank_params` (whether an appointment is due
    depends on the time)."""
    whens: list[tuple[ColumnElement[bool], int]] = [
        (Ticket.kind == TicketKind.GREEN.value, rules.rank("green")),
        (
            and_(
                Ticket.kind == TicketKind.APPOINTMENT.value,
                Ticket.appointment_slot.is_not(None),
                Ticket.appointment_slot <= bindparam("due_before", type_=UTCDateTime()),
            ),
            rules.rank("appointment"),
        ),
    ]
    if rules.transfer_rule == "priority":
        whens.append((Ticket.transferred.is_(True), rules.rank("transfer")))
    return case(*whens, else_=literal(rules.rank("normal")))


def rank_params(rules: RoutingRules, now: dt.datetime) -> dict[str, Any]:
    """The parameters of :func:`class_rank_expr` at ``now``."""
    return {"due_before": now + dt.timedelta(minutes=rules.appointment_early_minutes)}


def class_rank(rules: RoutingRules, kind: str, transferred: bool,
               appointment_slot: dt.datetime | None, at: dt.datetime) -> int:
    """A waiting ticket's class rank at ``at``: the same rule as
    :func:`class_rank_expr` (a test checks they agree)."""
    if kind == TicketKind.GREEN.value:
        return rules.rank("green")
    if kind == TicketKind.APPOINTMENT.value and appointment_slot is not None and \
            appointment_slot <= at + dt.timedelta(minutes=rules.appointment_early_minutes):
        return rules.rank("appointment")
    if transferred and rules.transfer_rule == "priority":
        return rules.rank("transfer")
    return rules.rank("normal")


# Literal, not a parameter: the partial index of waiting tickets (ix_ticket_waiting) then
# serves prepared (generic) plans too.
IS_WAITING: ColumnElement[bool] = Ticket.state == literal_column("'waiting'")

# The waiting tickets outside the services' plain queues (shared.models.SPECIAL_TICKETS).
# Few at any time, so the classes called before or after the plain queues read only
# these, through their own partial index (ix_ticket_waiting_special, whose predicate is
# this same text: a literal, so generic plans use it too).
IS_SPECIAL: TextClause = text(f"({SPECIAL_TICKETS})")
# A ticket of a service's plain queue: the rest.
IS_PLAIN: ColumnElement[bool] = and_(Ticket.kind == literal_column("'normal'"),
                                     Ticket.transferred.is_(False),
                                     Ticket.target_window_id.is_(None))

# Waiting tickets a window may call: its services' queues, plus tickets handed over to
# this very window; a ticket handed to another window is that window's. Execute it with
# :func:`window_filter_params`.
WINDOW_FILTER: ColumnElement[bool] = and_(
    Ticket.site_id == bindparam("site_id"),
    Ticket.business_day == bindparam("day"),
    IS_WAITING,
    or_(
        and_(Ticket.service_id.in_(bindparam("service_ids", expanding=True)),
             Ticket.target_window_id.is_(None)),
        Ticket.target_window_id == bindparam("window_id"),
    ),
)


def window_filter_params(site_id: int, day: dt.date, window_id: int,
                         service_ids: Sequence[int]) -> dict[str, Any]:
    return {"site_id": site_id, "day": day, "window_id": window_id,
            "service_ids": list(service_ids) or [-1]}


# A queue's key: a service id in the hall, a service code in the staffing simulation.
QueueKey = TypeVar("QueueKey", int, str)


def weighted_order(credits: Mapping[QueueKey, int], weights: Mapping[QueueKey, int],
                   candidates: Sequence[QueueKey]) -> tuple[list[QueueKey], dict[QueueKey, int]]:
    """One smooth weighted round-robin step over the services that have waiting tickets.

    Returns the services in the order to try (best first) and the new credits assuming the
    first one is served. Ties go to the smaller service id, so the result is deterministic.
    """
    new = {s: credits.get(s, 0) + weights.get(s, 1) for s in candidates}
    order = sorted(candidates, key=lambda s: (-new[s], s))
    if order:
        new[order[0]] -= sum(weights.get(s, 1) for s in candidates)
    return order, new


def weighted_first(credits: Mapping[QueueKey, int], weights: Mapping[QueueKey, int],
                   candidates: Sequence[QueueKey]) -> tuple[QueueKey, dict[QueueKey, int]]:
    """:func:`weighted_order`'s first choice and new credits, without ordering the rest:
    the wait prediction's replay takes this step hundreds of times per estimate.
    ``candidates`` must not be empty."""
    new: dict[QueueKey, int] = {}
    total = 0
    chosen, most = candidates[0], None
    for s in candidates:
        weight = weights.get(s, 1)
        credit = new[s] = credits.get(s, 0) + weight
        total += weight
        if most is None or credit > most or (credit == most and s < chosen):
            chosen, most = s, credit
    new[chosen] -= total
    return chosen, new


def settle_credits(credits: Mapping[QueueKey, int], weights: Mapping[QueueKey, int],
                   candidates: Sequence[QueueKey], served: QueueKey) -> dict[QueueKey, int]:
    """Credits after serving ``served`` (which may differ from the first choice when its
    head ticket was just taken by another window)."""
    new = {s: credits.get(s, 0) + weights.get(s, 1) for s in candidates}
    new[served] -= sum(weights.get(s, 1) for s in candidates)
    return new


# The active windows of a site that serve a service.
SERVING_WINDOW_IDS = (
    select(WindowService.window_id)
    .join(Window, Window.id == WindowService.window_id)
    .where(Window.site_id == bindparam("site_id"), Window.active.is_(True),
           WindowService.active.is_(True), WindowService.service_id == bindparam("service_id"))
)


@functools.cache
def _ahead_query(rules: RoutingRules, handed_over: bool) -> Select[Any]:
    """How many waiting tickets the same windows call before a ticket of class rank
    ``own_rank`` (``handed_over``: the ticket waits for the one window it was handed to)."""
    rank = class_rank_expr(rules)
    if handed_over:
        window_ids: Any = select(Window.id).where(Window.id == bindparam("target_window_id"))
    else:
        window_ids = SERVING_WINDOW_IDS
    services = select(WindowService.service_id).where(
        WindowService.window_id.in_(window_ids), WindowService.active.is_(True))
    competing = or_(
        Ticket.target_window_id.in_(window_ids),
        and_(Ticket.target_window_id.is_(None),
             or_(Ticket.service_id == bindparam("service_id"), Ticket.service_id.in_(services))),
    )
    return select(func.count()).select_from(Ticket).where(
        Ticket.site_id == bindparam("site_id"), Ticket.business_day == bindparam("day"),
        IS_WAITING, Ticket.id != bindparam("ticket_id"), competing,
        or_(rank < bindparam("own_rank"),
            and_(rank == bindparam("own_rank"), Ticket.queue_pos < bindparam("queue_pos"))),
    )


def people_ahead(session: Session, ticket: Ticket, rules: RoutingRules, now: dt.datetime) -> int:
    """The waiting tickets the windows that will serve ``ticket`` call before it.

    Those windows are the one the ticket was handed to, or every active window serving
    its service. A ticket is ahead when one of those windows may call it (its service is
    served there and it was not handed to another window, or it was handed to one of
    them) and it ranks before: an earlier class, or the same class and an earlier queue
    position (positions follow the site's issue order across services). The weighted
    interleave of a comprehensive window's services is left out: it reorders, at most by
    a few places, the tickets counted here. Used by the kiosk, the slip and the CLI.
    """
    handed_over = ticket.target_window_id is not None
    mine = class_rank(rules, ticket.kind, ticket.transferred, ticket.appointment_slot, now)
    params = rank_params(rules, now) | {
        "ticket_id": ticket.id, "site_id": ticket.site_id, "day": ticket.business_day,
        "service_id": ticket.service_id, "own_rank": mine, "queue_pos": ticket.queue_pos}
    if handed_over:
        params["target_window_id"] = ticket.target_window_id
    return int(session.scalar(_ahead_query(rules, handed_over), params) or 0)


@dataclass(frozen=True)
class WaitingTicket:
    """What :func:`people_ahead_of_each` needs of one waiting ticket."""

    id: int
    service_id: int
    target_window_id: int | None
    rank: int  # its class rank (class_rank_expr)
    queue_pos: int


def people_ahead_of_each(waiting: Sequence[WaitingTicket],
                         window_services: Iterable[tuple[int, int]]) -> dict[int, int]:
    """:func:`people_ahead` for every waiting ticket of a site at once (the citizen's
    phone pages read all of them after each change), by the same rule: the tickets that
    the windows serving a ticket (or the one it was handed to) may call, ranking before
    it. ``window_services``: (window id, service id) of every active window's active
    services. One sorted list per set of windows, so a busy hall costs n log n."""
    services_of: dict[int, set[int]] = defaultdict(set)
    windows_of: dict[int, set[int]] = defaultdict(set)
    for window_id, service_id in window_services:
        services_of[window_id].add(service_id)
        windows_of[service_id].add(window_id)
    order: dict[tuple[frozenset[int], int], list[tuple[int, int]]] = {}
    counts = {}
    for ticket in waiting:
        windows = frozenset({ticket.target_window_id} if ticket.target_window_id is not None
                            else windows_of[ticket.service_id])
        key = (windows, ticket.service_id)
        if key not in order:
            services = {ticket.service_id}.union(*(services_of[w] for w in windows))
            order[key] = sorted(
                (other.rank, other.queue_pos) for other in waiting
                if other.target_window_id in windows
                or (other.target_window_id is None and other.service_id in services))
        counts[ticket.id] = bisect.bisect_left(order[key], (ticket.rank, ticket.queue_pos))
    return counts


@functools.cache
def _ahead_of_new_query(rules: RoutingRules) -> Select[Any]:
    """Per service of a site: the waiting tickets a new ordinary ticket would wait behind
    (an outer join, so a service nobody competes for counts 0)."""
    serving = (
        select(WindowService.service_id, WindowService.window_id)
        .join(Window, Window.id == WindowService.window_id)
        .where(Window.site_id == bindparam("site_id"), Window.active.is_(True),
               WindowService.active.is_(True))
        .subquery("serving")
    )
    # A waiting ticket competes for a window when it was handed to that window, or when
    # it was handed to none and its service is served there.
    served_there = select(WindowService.window_id).where(
        WindowService.window_id == serving.c.window_id,
        WindowService.service_id == Ticket.service_id, WindowService.active.is_(True),
    ).exists()
    competes = or_(Ticket.target_window_id == serving.c.window_id,
                   and_(Ticket.target_window_id.is_(None), served_there))
    return (
        select(serving.c.service_id, func.count(func.distinct(Ticket.id)))
        .select_from(serving)
        .join(Ticket, and_(
            Ticket.site_id == bindparam("site_id"), Ticket.business_day == bindparam("day"),
            IS_WAITING, competes,
            class_rank_expr(rules) <= rules.rank("normal")), isouter=True)
        .group_by(serving.c.service_id)
    )


def people_ahead_of_new(session: Session, site_id: int, day: dt.date, rules: RoutingRules,
                        now: dt.datetime) -> dict[int, int]:
    """For every service of a site with an active window: how many people a new
    ordinary ticket of it would have ahead (``{service_id: count}``), by the rule of
    :func:`people_ahead`. The new ticket comes last in queue order, so every waiting ticket
    the windows serving the service may call counts unless its class ranks after the
    ordinary one. What the kiosk shows before a number is taken; one query for the site."""
    params = rank_params(rules, now) | {"site_id": site_id, "day": day}
    return {service_id: int(n) for service_id, n in
            session.execute(_ahead_of_new_query(rules), params).all()}

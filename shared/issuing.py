"""Issuing numbers: at the kiosk, the guide desk (green channel), appointment check-in
and the command line; with the people-ahead count and the estimated wait."""

from __future__ import annotations

import datetime as dt
import logging
import math
from collections.abc import Callable
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import bindparam, func, select, union_all, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from shared.db import Database, locking
from shared.errors import (
    IllegalTransition,
    NotFound,
    QuotaReached,
    ServiceClosed,
    UsageError,
)
from shared.hours import availability
from shared.lookup import (
    clerk_by_login,
    service_by_code,
    serving_windows,
    ticket_view,
    window_by_number,
)
from shared.models import (
    Appointment,
    Segment,
    Service,
    Ticket,
)
from shared.operation import (
    Actor,
    OpContext,
    check_offered,
    counters_behind,
    done,
    new_queue_position,
    next_counter_value,
    open_context,
    open_segment,
    record_event,
)
from shared.prediction import WaitEstimate, estimate_new_ticket, state_for_issue
from shared.request_keys import run_once
from shared.routing import SERVING_WINDOW_IDS, people_ahead
from shared.states import (
    Action,
    AppointmentAction,
    AppointmentState,
    TicketKind,
    TicketState,
    next_appointment_state,
)
from shared.ticket_number import format_number
from shared.views import IssuedTicket

log = logging.getLogger(__name__)


def issue_ticket(db: Database, service_code: str, *, site: str | None = None,
                 kind: str = TicketKind.NORMAL.value, after_hours: bool = False,
                 actor: Actor = Actor(), print_pending: bool = False,
                 request_key: str | None = None) -> IssuedTicket:
    """Issue a number for a service (kiosk, guide desk or command line).

    ``print_pending``: the caller prints the slip next and clears the mark once it came
    out, so a ticket whose slip never printed (the answer lost, the kiosk died) is on the
    staff reprint list. ``request_key``: see :mod:`shared.request_keys`."""
    try:
        ticket_kind = TicketKind(kind)
    except ValueError:
        raise UsageError(f"票种无效 (invalid kind {kind!r}: normal, green or appointment)") from None

    def op(session: Session) -> IssuedTicket:
        ctx = open_context(session, site)
        service = service_by_code(session, service_code, guide=False)
        hall = state_for_issue(ctx.session, ctx.site, ctx.now, ctx.day, ctx.rules)
        windows = check_offered(ctx, service, hall.serving.get(service.id, []))
        if not after_hours:
            avail = availability(ctx.site.calendar, service.hours, service.weekend,
                                 service.holiday, ctx.local_now)
            if not avail.open:
                raise ServiceClosed(f"{service.name}：{avail.reason} (service {service.code} is not "
                                    f"issuing numbers now)")
        slot = ctx.now if ticket_kind is TicketKind.APPOINTMENT else None
        estimate = estimate_new_ticket(hall, service.id, kind=ticket_kind.value,
                                       appointment_slot=slot)
        ticket = _create_ticket(ctx, service, ticket_kind, after_hours=after_hours,
                                appointment_slot=slot, actor=actor, print_pending=print_pending,
                                estimate=estimate)
        return _issued(ctx, ticket, service, windows, estimate)

    return _mending_counters(db, site, lambda: run_once(db, "issue_ticket", request_key, {
        "service": service_code, "site": site, "kind": kind, "after_hours": after_hours,
        "actor": actor, "print_pending": print_pending}, op, IssuedTicket))


_CHECK_IN_COLUMNS = (Appointment.id, Appointment.code, Appointment.site_id,
                     Appointment.service_id, Appointment.day, Appointment.slot_start,
                     Appointment.state, Appointment.remote)


def check_in_appointment(db: Database, code: str, *, site: str | None = None,
                         actor: Actor = Actor(), print_pending: bool = False,
                         request_key: str | None = None) -> IssuedTicket:
    """Turn today's booking into an appointment ticket; more than the late limit after its
    slot, the citizen gets an ordinary ticket of the same service instead.
    ``print_pending`` and ``request_key`` as for :func:`issue_ticket`."""

    def op(session: Session) -> IssuedTicket:
        ctx = open_context(session, site)
        # Only the columns check-in compares: a kiosk's database login may not read the
        # citizen's name and phone (shared/db_roles.py).
        appt = session.execute(locking(select(*_CHECK_IN_COLUMNS).where(
            Appointment.code == code.strip()))).first()
        if appt is None or appt.site_id != ctx.site.id:
            raise NotFound(f"预约码 {code} 不存在 (no appointment {code!r} at this site)")
        checked_in = next_appointment_state(AppointmentAction.CHECK_IN, appt.state, code)
        if appt.day != ctx.day:
            raise IllegalTransition(f"预约日期为 {appt.day}，不是今天 (appointment {code} is for "
                                    f"{appt.day}, not today)")
        service = session.get(Service, appt.service_id)
        assert service is not None
        hall = state_for_issue(ctx.session, ctx.site, ctx.now, ctx.day, ctx.rules,
                               checking_in=appt.id)
        windows = check_offered(ctx, service, hall.serving.get(service.id, []))
        zone = ZoneInfo(ctx.site.timezone)
        slot_local = dt.datetime.combine(appt.day, dt.time.fromisoformat(appt.slot_start),
                                         tzinfo=zone)
        late = ctx.local_now - slot_local > dt.timedelta(minutes=ctx.rules.appointment_late_minutes)
        # A remote ticket (远程取号) joins the queue as an ordinary ticket when checked in.
        late = late or appt.remote
        kind = TicketKind.NORMAL if late else TicketKind.APPOINTMENT
        slot = None if late else slot_local
        estimate = estimate_new_ticket(hall, service.id, kind=kind.value, appointment_slot=slot)
        ticket = _create_ticket(ctx, service, kind, after_hours=False,
                                appointment_slot=slot, actor=actor,
                                quota_exempt=True, print_pending=print_pending,
                                detail={"appointment": appt.code, "late": late},
                                estimate=estimate)
        session.execute(update(Appointment).where(Appointment.id == appt.id)
                        .values(state=checked_in, ticket_id=ticket.id))
        return _issued(ctx, ticket, service, windows, estimate)

    return _mending_counters(db, site, lambda: run_once(
        db, "check_in_appointment", request_key, {
            "code": code.strip(), "site": site, "actor": actor,
            "print_pending": print_pending}, op, IssuedTicket))


# The ticket number's uniqueness, as each backend names it in its refusal.
_NUMBER_TAKEN = ("uq_ticket_site_id_business_day_prefix_seq",  # PostgreSQL, MariaDB
                 "ticket.site_id, ticket.business_day, ticket.prefix, ticket.seq")  # SQLite


def _mending_counters(db: Database, site: str | None,
                      issue: Callable[[], IssuedTicket]) -> IssuedTicket:
    """Issue; if the number drawn was already taken (the day's counter of its prefix set
    back, by hand or by anyone holding a terminal's login), bring the counters up to the
    numbers issued and issue again, rather than fail every number of that prefix for the
    rest of the day. Logged as an error: someone changed a row no program sets back."""
    try:
        return issue()
    except IntegrityError as exc:
        if not any(name in str(exc.orig) for name in _NUMBER_TAKEN):
            raise
        moved = db.write(lambda session: counters_behind(open_context(session, site)),
                         name="mend_day_counters")
        if not moved:
            raise
        log.error("the day's number counters were behind the numbers issued (set back "
                  "outside HallQueue?); moved on: %s", moved)
        return issue()


def _create_ticket(ctx: OpContext, service: Service, kind: TicketKind, *, after_hours: bool,
                   appointment_slot: dt.datetime | None, actor: Actor,
                   quota_exempt: bool = False, print_pending: bool = False,
                   detail: dict[str, Any] | None = None,
                   estimate: WaitEstimate | None = None) -> Ticket:
    # The prefix counter's row lock serialises issuing per prefix, so the quota count
    # below cannot be overtaken by another kiosk.
    seq = next_counter_value(ctx, service.prefix)
    if service.daily_quota is not None and not quota_exempt:
        issued = quota_used(ctx.session, ctx.site.id, ctx.day, service.id).get(service.id, 0)
        if issued >= service.daily_quota:
            raise QuotaReached(f"{service.name}今日号源已取完（每日 {service.daily_quota} 个），"
                               f"请明天再来 (daily quota {service.daily_quota} reached)")
    ticket = Ticket(
        site_id=ctx.site.id, business_day=ctx.day, prefix=service.prefix, seq=seq,
        number=format_number(service.prefix, seq), service_id=service.id,
        issued_service_id=service.id, kind=kind.value, transferred=False,
        state=TicketState.WAITING.value, queue_pos=new_queue_position(ctx), issued_at=ctx.now,
        queued_at=ctx.now, after_hours=after_hours, appointment_slot=appointment_slot,
        print_pending=print_pending,
    )
    if estimate is not None:  # kept on the ticket: the accuracy statistics compare it
        ticket.estimate_minutes = min(estimate.minutes, MAX_RECORDED_MINUTES)
        ticket.estimate_low_minutes = min(estimate.low, MAX_RECORDED_MINUTES)
        ticket.estimate_high_minutes = min(estimate.high, MAX_RECORDED_MINUTES)
    ctx.session.add(ticket)
    ctx.session.flush()
    open_segment(ctx, ticket)
    window = window_by_number(ctx.session, ctx.site, actor.window) if actor.window else None
    record_event(ctx, Action.ISSUE, ticket=ticket, window=window,
           clerk_id=clerk_by_login(ctx.session, actor.clerk).id if actor.clerk else None,
           detail={"kind": kind.value, "after_hours": after_hours, **(detail or {})})
    return ticket


# The two counts of quota_used (numbers issued, remote numbers booked) in one round trip.
_ISSUED_AGAINST_QUOTA = select(Ticket.issued_service_id, func.count()).where(
    Ticket.site_id == bindparam("site_id"), Ticket.business_day == bindparam("day"),
    Ticket.kind != TicketKind.APPOINTMENT.value,
    ~select(Appointment.id).where(Appointment.ticket_id == Ticket.id,
                                  Appointment.remote.is_(False)).exists())
_REMOTE_AGAINST_QUOTA = select(Appointment.service_id, func.count()).where(
    Appointment.site_id == bindparam("site_id"), Appointment.day == bindparam("day"),
    Appointment.remote.is_(True), Appointment.state == AppointmentState.BOOKED)
_QUOTA_USED = union_all(_ISSUED_AGAINST_QUOTA.group_by(Ticket.issued_service_id),
                        _REMOTE_AGAINST_QUOTA.group_by(Appointment.service_id))
_QUOTA_USED_BY_SERVICE = union_all(
    _ISSUED_AGAINST_QUOTA.where(Ticket.issued_service_id == bindparam("service_id"))
    .group_by(Ticket.issued_service_id),
    _REMOTE_AGAINST_QUOTA.where(Appointment.service_id == bindparam("service_id"))
    .group_by(Appointment.service_id))


def quota_used(session: Session, site_id: int, day: dt.date, service_id: int | None = None
               ) -> dict[int, int]:
    """Numbers counted against each service's daily quota at a site: every ticket issued
    for it that day except appointments (their capacity was booked ahead), plus the remote
    tickets (远程取号) taken for it that day, checked in or not yet."""
    params = {"site_id": site_id, "day": day}
    if service_id is None:
        query = _QUOTA_USED
    else:
        query, params = _QUOTA_USED_BY_SERVICE, params | {"service_id": service_id}
    # Both counts in one round trip, added up here.
    used: dict[int, int] = {}
    for sid, n in session.execute(query, params):
        used[sid] = used.get(sid, 0) + int(n)
    return used


def window_labels(session: Session, site_id: int, service_id: int) -> list[str]:
    """The windows serving a service at a site, as printed on tickets ("3号窗口")."""
    return labels_of(serving_windows(session, site_id, service_id))


def labels_of(windows: list[int]) -> list[str]:
    return [f"{n}号窗口" for n in windows]


MAX_RECORDED_MINUTES = 24 * 60  # the estimate columns are small integers


def _issued(ctx: OpContext, ticket: Ticket, service: Service, windows: list[int],
            estimate: WaitEstimate | None) -> IssuedTicket:
    ahead = people_ahead(ctx.session, ticket, ctx.rules, ctx.now)
    view = ticket_view(ctx.session, ticket)
    issued = IssuedTicket(ticket=view, people_ahead=ahead,
                          estimated_wait_minutes=estimate.minutes if estimate else None,
                          windows=labels_of(windows),
                          materials=[str(m) for m in service.materials],
                          wait_low_minutes=estimate.low if estimate else None,
                          wait_high_minutes=estimate.high if estimate else None)
    done(ctx, issued)
    return issued


_RECENT_CALLS = select(func.count(), func.min(Segment.called_at)).where(
    Segment.site_id == bindparam("site_id"), Segment.business_day == bindparam("day"),
    Segment.service_id == bindparam("service_id"),
    Segment.called_at >= bindparam("since", type_=Segment.called_at.type))
# The same, for every call of the windows serving the service (whatever the service).
_RECENT_CALLS_AT_WINDOWS = select(func.count(), func.min(Segment.called_at)).where(
    Segment.site_id == bindparam("site_id"), Segment.business_day == bindparam("day"),
    Segment.window_id.in_(SERVING_WINDOW_IDS),
    Segment.called_at >= bindparam("since", type_=Segment.called_at.type))


def estimate_wait_minutes(session: Session, site_id: int, day: dt.date, service_id: int,
                          ahead: int, now: dt.datetime, *, at_windows: bool = False
                          ) -> int | None:
    """The earlier estimate, from the recent service rate: calls in the last hour (or
    since the first call today, if sooner) of this service, or with ``at_windows`` of the
    windows serving it (for a count of people ahead, which takes in every service of
    those windows). None while there is no rate to go by yet. The apps show
    :mod:`shared.prediction` now; bench/wait_prediction.py keeps measuring this one to
    compare."""
    if ahead == 0:
        return 0
    query = _RECENT_CALLS_AT_WINDOWS if at_windows else _RECENT_CALLS
    calls, first = session.execute(query, {
        "site_id": site_id, "day": day, "service_id": service_id,
        "since": now - dt.timedelta(hours=1)}).one()
    if not calls or first is None:
        return None
    span_minutes = max((now - first).total_seconds() / 60.0, 10.0)
    return max(1, math.ceil(ahead * span_minutes / calls))

"""How long a citizen will wait: a point value and a range ("约 10–20 分钟").

The estimate replays the coming calls of the windows that can serve the ticket, by the
site's real routing rules (class order, the weighted interleave of a comprehensive
window's services with its current credits, tickets handed to a window, appointments that
become due), starting from what the database says now:

- the windows that are staffed (a clerk's lease, a ticket held or a call in the last
  half hour) and the one each holds, paused windows coming back after a typical pause;
- every waiting ticket of the day, booked appointments not yet checked in (they join
  when due), and the ordinary arrivals the hall's own history expects for the services
  that share those windows (a comprehensive window interleaves them with ours);
- service times per service and hour of day from the last four weeks (SQL aggregates:
  count, mean and mean square of the measured service times, and the no-show share);
- the day's shape: nobody is called during the lunch break, nobody after closing.

The replay is deterministic (each service takes its mean); the range around it comes
from the variance of the service times that lie ahead, pooled over the windows, plus a
relative and a fixed part for what the replay cannot know (green-channel arrivals,
transfers in, pauses that have not happened yet). docs/prediction.md explains the model
and bench/wait_prediction.py measures it.
"""

from __future__ import annotations

import datetime as dt
import functools
import heapq
import itertools
import math
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import (
    ColumnElement,
    Integer,
    Select,
    and_,
    bindparam,
    case,
    func,
    literal_column,
    null,
    select,
    true,
)
from sqlalchemy.orm import Session, aliased

from shared.hours import Span, day_type, service_spans
from shared.models import (
    Appointment,
    Segment,
    Service,
    Site,
    Ticket,
    TicketEvent,
    Window,
    WindowService,
)
from shared.routing import (
    IS_PLAIN,
    IS_SPECIAL,
    IS_WAITING,
    RoutingRules,
    class_rank,
    weighted_first,
)
from shared.states import Action, AppointmentState, TicketKind, TicketState
from shared.stats.sql import DurationMicros, HourAtOffset
from shared.stats.sql import seconds as sql_seconds

# Model parameters (docs/prediction.md says where each comes from).
HISTORY_DAYS = 28  # service times and arrival rates: the last four weeks
MIN_SAMPLES = 20  # fewer served stays than this in an hour: use the service's whole day
DEFAULT_SERVICE_MINUTES = 6.0  # a service nobody has timed yet
DEFAULT_CV = 0.6  # and its spread (coefficient of variation)
NO_SHOW_MINUTES = 2.0  # what a no-show costs a window: the call, a recall, the mark
MAX_SERVICE_HOURS = 4  # longer measured service times are left out of the history
PAUSE_MINUTES = 15.0  # a paused window is expected back this long after it paused
STAFFED_RECENT_MINUTES = 30  # a window that called within this is staffed
# The range: z standard deviations either side of the point, the deviation pooling the
# service-time variance ahead with a share of the wait and a fixed part (calibrated on
# the simulated days of bench/wait_prediction.py, see docs/prediction.md).
RANGE_Z = 1.25
RELATIVE_SPREAD = 0.2
FIXED_SPREAD_MINUTES = 2.0
ROUND_MINUTES = 5  # the shown range is rounded outwards to these steps
PROFILE_CACHE_SECONDS = 600  # the history aggregates change slowly: read them at most this often
# Calls replayed before the rest of the wait is extrapolated at the replayed pace: hours of
# a county hall's calls, and a bound on a kiosk's work when a queue is very long.
MAX_REPLAY_CALLS = 100


@dataclass(frozen=True)
class WaitEstimate:
    """A ticket's (or a new ticket's) estimated wait until its call, in whole minutes."""

    minutes: int  # point value
    low: int  # the shown range, rounded outwards to ROUND_MINUTES
    high: int
    people_ahead: int  # tickets of the same queue ranked before it
    windows: int  # windows that can call it (staffed now, or expected to open)
    after_closing: bool = False  # the replay does not reach it before closing time
    # Issued when its service has no opening left today (延时服务, staff issuing with
    # after_hours): the windows staffed now are taken to serve on past the hours.
    extended_hours: bool = False

    def range_text(self) -> str:
        """ "约 10–20 分钟", "约 5 分钟内", "无需等候" (Chinese; the apps translate)."""
        return range_text(self.low, self.high)


def range_text(low: int, high: int) -> str:
    if high <= 0:
        return "无需等候"
    if low <= 0:
        return f"约 {high} 分钟内"
    return f"约 {low}–{high} 分钟"


def rounded_range(point_minutes: float, sd_minutes: float) -> tuple[int, int]:
    """The shown range: point ± RANGE_Z deviations, rounded outwards to ROUND_MINUTES."""
    low = max(0.0, point_minutes - RANGE_Z * sd_minutes)
    high = max(point_minutes + RANGE_Z * sd_minutes, low + 1.0)
    step = ROUND_MINUTES
    return int(math.floor(low / step) * step), int(math.ceil(high / step) * step)


# --------------------------------------------------------------------------- history


@dataclass(frozen=True)
class ServiceTime:
    """One service's duration at a window per ticket called, in seconds: the mix of
    served stays and no-shows, as a mean and a variance."""

    mean: float
    variance: float


# The arrival classes the replay expects besides the tickets waiting now: ordinary
# tickets (they matter through the windows they share), green channel and transfers in
# (they are called before ordinary tickets, so they matter for every queue).
ARRIVAL_CLASSES = ("normal", "green", "transfer")
ARRIVAL_STEP = dt.timedelta(minutes=5)
_QUARTER = dt.timedelta(minutes=15)  # the expected arrivals are spread in such steps


@dataclass
class Profile:
    """The hall's history, aggregated: durations per (service, hour) and per service,
    arrivals per (service, hour, class) and the share of window time paused per hour, on
    days of the same kind."""

    durations: dict[tuple[int, int | None], ServiceTime] = field(default_factory=dict)
    arrivals_per_hour: dict[tuple[int, int, str], float] = field(default_factory=dict)
    paused_share: dict[int, float] = field(default_factory=dict)  # local hour -> 0..1

    def duration(self, service_id: int, hour: int) -> ServiceTime:
        found = (self.durations.get((service_id, hour))
                 or self.durations.get((service_id, None)))
        if found is None:
            mean = DEFAULT_SERVICE_MINUTES * 60
            found = ServiceTime(mean, (DEFAULT_CV * mean) ** 2)
        share = self.paused_share.get(hour, 0.0)
        if not share:
            return found
        # A window away for a share of the hour serves that much slower, on average.
        stretch = 1.0 / (1.0 - share)
        return ServiceTime(found.mean * stretch, found.variance * stretch * stretch)


def _mixed(mean: float, mean_square: float, delay: float, no_show_share: float
           ) -> ServiceTime:
    """A call's time at the window: served stays (the walk to the window ``delay``,
    then the service with its mean and mean square) mixed with no-shows of
    NO_SHOW_MINUTES."""
    gone = NO_SHOW_MINUTES * 60
    served_square = mean_square + 2 * delay * mean + delay * delay
    mixed_mean = (1 - no_show_share) * (mean + delay) + no_show_share * gone
    mixed_square = (1 - no_show_share) * served_square + no_show_share * gone * gone
    return ServiceTime(mixed_mean, max(0.0, mixed_square - mixed_mean ** 2))


def load_profile(session: Session, site_id: int, day: dt.date, weekend_like: bool,
                 utc_offset_minutes: int = 480) -> Profile:
    """Aggregate the last HISTORY_DAYS of the site's stays and pauses in SQL (a few rows
    per service and hour come back). ``utc_offset_minutes``: the site's offset, for the
    local hour of pauses."""
    since = day - dt.timedelta(days=HISTORY_DAYS)
    recent = and_(Segment.site_id == site_id, Segment.business_day >= since,
                  Segment.business_day <= day)
    # A case finished on a later day (a clerk finishing it the next morning) has a
    # service time of a night: not a service time to plan with.
    timed = and_(Segment.service_us.is_not(None),
                 Segment.service_us <= MAX_SERVICE_HOURS * 3_600_000_000)
    seconds = sql_seconds(case((timed, Segment.service_us)))
    called = Segment.called_at.is_not(None)
    no_show = and_(called, Segment.started_at.is_(None),
                   Segment.result.in_(("no_show", "expired", "cancelled")))
    delay = sql_seconds(DurationMicros(Segment.started_at, Segment.called_at))
    durations = session.execute(
        select(Segment.service_id, Segment.local_hour,
               func.count(seconds), func.avg(seconds), func.avg(seconds * seconds),
               func.avg(case((timed, delay))),
               func.sum(case((called, 1), else_=0)), func.sum(case((no_show, 1), else_=0)))
        .where(recent).group_by(Segment.service_id, Segment.local_hour)
    ).all()
    profile = Profile()
    per_service: dict[int, list[float]] = {}
    for service_id, hour, served, mean, mean_square, walk, calls, gone in durations:
        served, calls, gone = int(served or 0), int(calls or 0), int(gone or 0)
        share = gone / calls if calls else 0.0
        walk = float(walk or 0.0)
        if served >= MIN_SAMPLES and hour is not None:
            profile.durations[(service_id, int(hour))] = _mixed(
                float(mean), float(mean_square), walk, share)
        if served:  # pool the hours: sums weighted by counts
            acc = per_service.setdefault(service_id, [0.0] * 6)
            for i, value in enumerate((served, served * float(mean),
                                       served * float(mean_square), served * walk, calls, gone)):
                acc[i] += value
    # A service's whole day: its stays pooled with MIN_SAMPLES stays of the default
    # (mean DEFAULT_SERVICE_MINUTES, spread DEFAULT_CV), so a handful of stays early in
    # a hall's life do not decide every estimate.
    prior = DEFAULT_SERVICE_MINUTES * 60
    prior_square = prior * prior * (1 + DEFAULT_CV ** 2)
    for service_id, (served, total, total_square, walks, calls, gone) in per_service.items():
        weight = served + MIN_SAMPLES
        profile.durations[(service_id, None)] = _mixed(
            (total + MIN_SAMPLES * prior) / weight,
            (total_square + MIN_SAMPLES * prior_square) / weight,
            walks / served, gone / calls if calls else 0.0)

    # Arrivals per service, local hour and class, per day of the same kind (workdays or
    # weekends), over the days that had any.
    same_kind = (Segment.weekday >= 5) if weekend_like else (Segment.weekday < 5)
    before_today = and_(Segment.site_id == site_id, Segment.business_day >= since,
                        Segment.business_day < day, same_kind)
    days = session.scalar(select(func.count(func.distinct(Segment.business_day)))
                          .where(before_today)) or 0
    if not days:
        return profile
    arrival_class = case((Segment.transferred.is_(True), "transfer"),
                         (Segment.kind == TicketKind.GREEN.value, "green"), else_="normal")
    rows = session.execute(
        select(Segment.service_id, Segment.local_hour, arrival_class, func.count())
        .where(before_today, Segment.kind != TicketKind.APPOINTMENT.value)
        .group_by(Segment.service_id, Segment.local_hour, arrival_class)
    ).all()
    for service_id, hour, kind, count in rows:
        if hour is not None:
            profile.arrivals_per_hour[(service_id, int(hour), str(kind))] = int(count) / days

    # Pauses (breaks, lunch taken in turns): how many start per local hour, and how long
    # one lasts, over the window-days that had any call.
    window_days = session.scalar(select(func.count()).select_from(
        select(Segment.business_day, Segment.window_id).distinct()
        .where(before_today, Segment.window_id.is_not(None)).subquery())) or 0
    in_range = and_(TicketEvent.site_id == site_id,
                    TicketEvent.at >= dt.datetime.combine(since, dt.time(), tzinfo=dt.UTC),
                    TicketEvent.at < dt.datetime.combine(day, dt.time(), tzinfo=dt.UTC)
                    - dt.timedelta(minutes=utc_offset_minutes))
    hour = HourAtOffset(TicketEvent.at, utc_offset_minutes)
    starts = session.execute(
        select(hour, func.count()).where(in_range, TicketEvent.action == Action.PAUSE.value)
        .group_by(hour)).all()
    length = session.scalar(
        select(func.avg(TicketEvent.detail["paused_seconds"].as_float()))
        .where(in_range, TicketEvent.action == Action.RESUME.value))
    if window_days and starts and length:
        spread_pauses(profile, {int(h): int(n) / window_days for h, n in starts}, float(length))
    return profile


def spread_pauses(profile: Profile, starts_per_window_day: dict[int, float],
                  mean_seconds: float) -> None:
    """The share of each hour a window is away, from the pauses starting per hour (taken
    to start mid-hour) and their mean length."""
    for hour, rate in starts_per_window_day.items():
        begin, end = hour * 3600 + 1800, hour * 3600 + 1800 + mean_seconds
        for h in range(hour, 24):
            overlap = min(end, (h + 1) * 3600) - max(begin, h * 3600)
            if overlap <= 0:
                break
            profile.paused_share[h] = min(0.8, profile.paused_share.get(h, 0.0)
                                          + rate * overlap / 3600)


_profile_cache: dict[tuple[str, int, dt.date, bool], tuple[dt.datetime, Profile]] = {}
_profile_lock = threading.Lock()


def cached_profile(session: Session, site_id: int, zone: str, day: dt.date,
                   weekend_like: bool, now: dt.datetime) -> Profile:
    """:func:`load_profile`, re-read at most every PROFILE_CACHE_SECONDS of server time
    per database and site (the kiosk asks for every service on every refresh)."""
    key = (str(session.get_bind().engine.url), site_id, day, weekend_like)
    with _profile_lock:
        hit = _profile_cache.get(key)
    if hit is not None and dt.timedelta(0) <= now - hit[0] < dt.timedelta(
            seconds=PROFILE_CACHE_SECONDS):
        return hit[1]
    offset = now.astimezone(ZoneInfo(zone)).utcoffset() or dt.timedelta(0)
    profile = load_profile(session, site_id, day, weekend_like,
                           int(offset.total_seconds() // 60))
    with _profile_lock:
        _profile_cache[key] = (now, profile)
    return profile


# --------------------------------------------------------------------------- the hall now


@dataclass
class _Waiting:
    id: int
    service_id: int
    kind: str
    transferred: bool
    slot: dt.datetime | None
    queue_pos: int
    target_window: int | None
    available_at: dt.datetime  # when it can be called (now, or when it arrives)


@dataclass
class _Window:
    id: int
    weights: dict[int, int]
    credits: dict[int, int]
    free_at: dt.datetime
    remaining_variance: float  # of the ticket it holds or the pause it is in (s²)


@dataclass
class HallState:
    """What the replay starts from, read in a handful of queries."""

    site: Site
    rules: RoutingRules
    now: dt.datetime
    day: dt.date
    windows: list[_Window]
    assumed_open: bool  # no window staffed: all active windows assumed to open
    waiting: list[_Waiting]
    profile: Profile
    spans_of: dict[int, list[tuple[dt.datetime, dt.datetime]]]  # per service, UTC
    # Loaded with ``heads_only``: the plain tickets left out at the tail of each queue, by
    # (service, window handed to); and the highest queue position of the day's waiting.
    hidden: dict[tuple[int, int | None], int] = field(default_factory=dict)
    max_pos: int = 0
    # The numbers of the active windows serving each active service, staffed or not.
    serving: dict[int, list[int]] = field(default_factory=dict)

    _hours: dict[dt.datetime, int] = field(default_factory=dict, repr=False)
    # When the expected tickets of each (service, class) arrive until a given time: the
    # same for every estimate made from this state (see _expected_arrivals).
    _arrival_times: dict[tuple[int, str, dt.datetime], list[dt.datetime]] = field(
        default_factory=dict, repr=False)
    _arrival_steps: dict[dt.datetime, list[tuple[int, dt.datetime]]] = field(
        default_factory=dict, repr=False)
    _durations: dict[tuple[int, int], ServiceTime] = field(default_factory=dict, repr=False)
    # A call's duration with its mean as a step of the replay's clock, per (service,
    # local hour).
    _steps: dict[tuple[int, int], tuple[ServiceTime, dt.timedelta]] = field(
        default_factory=dict, repr=False)
    _last_quarter: tuple[dt.datetime, dt.datetime, int] | None = field(default=None, repr=False)
    # What every replay from this state shares (the kiosk's list replays once per
    # service): the waiting tickets and expected arrivals filed, by the time arrivals are
    # expected until (see _base_queues); each window's working hours; the highest queue
    # position and the tickets in each service's queue now. So ``waiting`` must not
    # change once an estimate was made from the state.
    _bases: dict[dt.datetime, _Base] = field(default_factory=dict, repr=False)
    _window_spans: dict[int, list[tuple[dt.datetime, dt.datetime]]] = field(
        default_factory=dict, repr=False)
    _last_pos: int = field(default=0, repr=False)
    _in_queue: dict[int, int] | None = field(default=None, repr=False)

    def step(self, service_id: int, at: dt.datetime) -> tuple[ServiceTime, dt.timedelta]:
        """:meth:`duration` with its mean as a timedelta (the replay asks for each call)."""
        last = self._last_quarter
        hour = last[2] if last is not None and last[0] <= at < last[1] else self.local_hour(at)
        found = self._steps.get((service_id, hour))
        if found is None:
            duration = self.duration(service_id, at)
            found = self._steps[(service_id, hour)] = (
                duration, dt.timedelta(seconds=duration.mean))
        return found

    def duration(self, service_id: int, at: dt.datetime) -> ServiceTime:
        """:meth:`Profile.duration` of a call at ``at`` (kept per service and hour)."""
        key = (service_id, self.local_hour(at))
        found = self._durations.get(key)
        if found is None:
            found = self._durations[key] = self.profile.duration(*key)
        return found

    def local_hour(self, at: dt.datetime) -> int:
        # Every zone's offset is a multiple of 15 minutes, so the local hour is constant
        # within each UTC quarter hour: the replay asks thousands of times per estimate,
        # mostly in the quarter it asked last.
        last = self._last_quarter
        if last is not None and last[0] <= at < last[1]:
            return last[2]
        quarter = at.replace(minute=at.minute - at.minute % 15, second=0, microsecond=0)
        hour = self._hours.get(quarter)
        if hour is None:
            hour = self._hours[quarter] = at.astimezone(ZoneInfo(self.site.timezone)).hour
        self._last_quarter = (quarter, quarter + _QUARTER, hour)
        return hour


# The site's active windows (their numbers) with their active services' links and those
# services' hours, each with the ticket it holds and its last call of the day: one
# statement. The last call is one probe of ix_segment_window_called per row (a window
# and a service it serves; migration 0019), not a grouping of the day's calls.
_LAST_CALL = (select(func.max(Segment.called_at))
              .where(Segment.window_id == Window.id, Segment.business_day == bindparam("day"))
              .correlate(Window).scalar_subquery())
_HELD = aliased(Ticket, name="held")
_LINKS = (
    select(Window.id, Window.number, Window.paused, Window.paused_at, Window.clerk_id,
           Window.lease_expires_at, Window.current_ticket_id,
           WindowService.service_id, WindowService.weight, WindowService.credit,
           Service.hours, Service.weekend, Service.holiday,
           _HELD.service_id.label("held_service_id"), _HELD.called_at.label("held_called_at"),
           _HELD.started_at.label("held_started_at"), _LAST_CALL.label("last_call"))
    .join(WindowService, and_(WindowService.window_id == Window.id,
                              WindowService.active.is_(True)))
    .join(Service, and_(Service.id == WindowService.service_id, Service.active.is_(True)))
    .outerjoin(_HELD, _HELD.id == Window.current_ticket_id)
    .where(Window.site_id == bindparam("site_id"), Window.active.is_(True))
)

_BOOKED = (select(Appointment.id, Appointment.service_id, Appointment.slot_start)
           .where(Appointment.site_id == bindparam("site_id"),
                  Appointment.day == bindparam("day"),
                  Appointment.state == AppointmentState.BOOKED))


def load_state(session: Session, site: Site, now: dt.datetime, day: dt.date,
               rules: RoutingRules, *, heads_only: bool = False) -> HallState:
    """The hall as the replay needs it, in three statements (windows with their links,
    held tickets, last calls and services' hours; waiting tickets; bookings).
    ``heads_only``: of each queue's plain tickets (normal, not transferred) only the
    first :data:`MAX_REPLAY_CALLS` + 1 by position, the rest counted: enough for a new
    ticket's estimate, since the replay stops after that many calls, and it spares
    reading and filing thousands of rows per issue."""
    zone = ZoneInfo(site.timezone)
    weekend_like = day_type(site.calendar, day) != "workday"
    profile = cached_profile(session, site.id, site.timezone, day, weekend_like, now)

    connection = session.connection()
    links = connection.execute(_LINKS, {"site_id": site.id, "day": day}).all()
    windows: dict[int, _Window] = {}
    staffed: set[int] = set()
    serving: dict[int, list[int]] = {}
    hours_of: dict[int, Any] = {}  # service id: one of its link rows
    for row in links:
        serving.setdefault(row.service_id, []).append(row.number)
        hours_of[row.service_id] = row
        win = windows.get(row.id)
        if win is None:
            free_at, variance = now, 0.0
            if row.paused:
                paused_at = row.paused_at or now
                back = paused_at + dt.timedelta(minutes=PAUSE_MINUTES)
                free_at = max(back, now + dt.timedelta(minutes=PAUSE_MINUTES / 3))
                variance = (PAUSE_MINUTES * 60 / 2) ** 2
            elif row.held_service_id is not None:
                spent = now - (row.held_started_at or row.held_called_at or now)
                expected = profile.duration(row.held_service_id, now.astimezone(zone).hour)
                left = max(expected.mean - spent.total_seconds(), 0.25 * expected.mean)
                free_at, variance = now + dt.timedelta(seconds=left), expected.variance / 2
            win = windows[row.id] = _Window(row.id, {}, {}, free_at, variance)
            last_call = row.last_call
            if (row.clerk_id is not None and row.lease_expires_at is not None
                    and row.lease_expires_at > now) or row.current_ticket_id is not None \
                    or row.paused or (last_call is not None and now - last_call <= dt.timedelta(
                        minutes=STAFFED_RECENT_MINUTES)):
                staffed.add(row.id)
        win.weights[row.service_id] = max(1, int(row.weight))
        win.credits[row.service_id] = int(row.credit)

    assumed_open = not staffed
    open_windows = [w for w in windows.values() if w.id in staffed or assumed_open]

    service_ids = {sid for w in open_windows for sid in w.weights}
    spans_of: dict[int, list[tuple[dt.datetime, dt.datetime]]] = {}
    for sid in service_ids:
        link = hours_of[sid]  # any link row of the service: they carry its hours
        spans_of[sid] = _utc_spans(service_spans(site.calendar, link.hours, link.weekend,
                                                 link.holiday, day), day, zone)
    if assumed_open:  # before anyone logged in: windows start at the day's opening
        for win in open_windows:
            starts = [spans[0][0] for sid in win.weights if (spans := spans_of.get(sid))]
            if starts:
                win.free_at = max(now, min(starts))

    waiting, hidden, max_pos = _load_waiting(session, site.id, day, now, heads_only)
    # Booked appointments of today join when they become due (queued after every ticket
    # issued so far).
    next_pos = max_pos + 1
    early = dt.timedelta(minutes=rules.appointment_early_minutes)
    for appt in connection.execute(_BOOKED, {"site_id": site.id, "day": day}).all():
        slot = dt.datetime.combine(day, dt.time.fromisoformat(appt.slot_start),
                                   tzinfo=zone).astimezone(dt.UTC)
        if slot + dt.timedelta(minutes=rules.appointment_late_minutes) < now:
            continue  # too late to come as an appointment
        waiting.append(_Waiting(-appt.id, appt.service_id, TicketKind.APPOINTMENT.value, False,
                                slot, next_pos, None, max(now, slot - early)))
        next_pos += 1
    return HallState(site, rules, now, day, open_windows, assumed_open, waiting, profile,
                     spans_of, hidden, next_pos - 1,
                     {sid: sorted(numbers) for sid, numbers in serving.items()})


# Read by position (see _load_waiting), first in every query of waiting tickets here.
_WAITING_COLUMNS = (Ticket.id, Ticket.service_id, Ticket.kind, Ticket.transferred,
                    Ticket.appointment_slot, Ticket.queue_pos, Ticket.target_window_id)
_WAITING_TODAY = (Ticket.site_id == bindparam("site_id"), Ticket.business_day == bindparam("day"),
                  IS_WAITING)


def _plain_flag(ticket: Any) -> ColumnElement[int]:
    """1 for a plain ticket (normal, not transferred), else 0: literals, so that the
    grouping by it is the same expression as the column on PostgreSQL."""
    normal = ticket.kind == literal_column(f"'{TicketKind.NORMAL.value}'")
    return case((and_(normal, ticket.transferred.is_(False)), literal_column("1", Integer)),
                else_=literal_column("0", Integer))


_ALL_WAITING = select(*_WAITING_COLUMNS).where(*_WAITING_TODAY)


@functools.cache
def _heads_query(dialect: str) -> Select[Any]:
    """The waiting tickets :func:`_load_waiting` reads with ``heads_only``: every one that
    is not plain, the first ``heads`` plain ones of each queue by position; each row with
    its queue's size (``in_queue``) and highest position (``top``)."""
    plain_flag = _plain_flag(Ticket)
    queue_of = (Ticket.service_id, Ticket.target_window_id, plain_flag)
    if dialect != "postgresql":
        # Window functions over the day's waiting tickets (SQLite and MariaDB have no
        # LATERAL join).
        ranked = select(
            *_WAITING_COLUMNS, plain_flag.label("plain"),
            func.row_number().over(partition_by=queue_of, order_by=Ticket.queue_pos)
            .label("place"),
            func.count().over(partition_by=queue_of).label("in_queue"),
            func.max(Ticket.queue_pos).over(partition_by=queue_of).label("top"),
        ).where(*_WAITING_TODAY).subquery()
        return select(ranked).where(
            (ranked.c.plain == 0) | (ranked.c.place <= bindparam("heads")))
    # PostgreSQL: the few tickets outside the plain queues through their own partial
    # index (ix_ticket_waiting_special), then per service the head of its plain queue in
    # position order from ix_ticket_waiting, with the count and highest position of all
    # its waiting tickets: no sorting or numbering of the day's thousands waiting.
    special = (select(*_WAITING_COLUMNS, null().label("in_service"), null().label("top"))
               .where(*_WAITING_TODAY, IS_SPECIAL))
    services = (select(Ticket.service_id, func.count().label("in_service"),
                       func.max(Ticket.queue_pos).label("top"))
                .where(*_WAITING_TODAY).group_by(Ticket.service_id).subquery("services"))
    head = (select(*_WAITING_COLUMNS)
            .where(*_WAITING_TODAY, Ticket.service_id == services.c.service_id, IS_PLAIN)
            .order_by(Ticket.queue_pos, Ticket.id)
            .limit(bindparam("heads", type_=Integer))
            .lateral("head"))
    plain = select(head, services.c.in_service, services.c.top).select_from(
        services.join(head, true()))
    return special.union_all(plain)  # type: ignore[return-value]


def _plain_heads(rows: Sequence[tuple[_Waiting, int | None]], heads: int
                 ) -> tuple[list[_Waiting], dict[tuple[int, int | None], int]]:
    """From the rows of the PostgreSQL heads query (every special ticket; each service's
    plain head with the size of its whole waiting queue), each as the ticket and that
    size (None for a special ticket): the same tickets and counts as the window functions
    give, per queue (service, window handed to, plain or not). A plain ticket handed to
    a window is special there, but its queue is cut here."""
    kept: list[_Waiting] = []
    special_of: dict[int, int] = {}
    handed: dict[tuple[int, int | None], list[_Waiting]] = {}
    hidden: dict[tuple[int, int | None], int] = {}
    in_service: dict[int, int] = {}
    for t, size in rows:
        if size is not None:  # a plain queue's head
            kept.append(t)
            in_service[t.service_id] = int(size)
            continue
        special_of[t.service_id] = special_of.get(t.service_id, 0) + 1
        if t.kind == TicketKind.NORMAL.value and not t.transferred:
            handed.setdefault((t.service_id, t.target_window), []).append(t)
        else:
            kept.append(t)
    for sid, size in in_service.items():
        if (left_out := size - special_of.get(sid, 0) - heads) > 0:
            hidden[(sid, None)] = left_out
    for key, queue in handed.items():
        queue.sort(key=lambda t: (t.queue_pos, t.id))
        kept += queue[:heads]
        if len(queue) > heads:
            hidden[key] = len(queue) - heads
    return kept, hidden


def _load_waiting(session: Session, site_id: int, day: dt.date, now: dt.datetime,
                  heads_only: bool
                  ) -> tuple[list[_Waiting], dict[tuple[int, int | None], int], int]:
    """The day's waiting tickets (see :func:`load_state`), the plain ones left out per
    (service, window handed to), and the highest queue position. The rows are read by
    position: by name, reading hundreds of rows' columns costs more than the rest."""
    connection = session.connection()
    params = {"site_id": site_id, "day": day}
    if not heads_only:
        waiting = [_Waiting(tid, sid, kind, bool(transferred), slot, int(pos), target, now)
                   for tid, sid, kind, transferred, slot, pos, target
                   in connection.execute(_ALL_WAITING, params)]
        return waiting, {}, max((t.queue_pos for t in waiting), default=0)
    heads = MAX_REPLAY_CALLS + 1
    result = connection.execute(_heads_query(connection.dialect.name),
                                params | {"heads": heads})
    column = {name: i for i, name in enumerate(result.keys())}
    rows = result.all()
    waiting = [_Waiting(tid, sid, kind, bool(transferred), slot, int(pos), target, now)
               for tid, sid, kind, transferred, slot, pos, target, *_ in rows]
    top = column["top"]
    max_pos = max((int(row[top]) if row[top] is not None else t.queue_pos
                   for t, row in zip(waiting, rows, strict=True)), default=0)
    hidden: dict[tuple[int, int | None], int] = {}
    if connection.dialect.name == "postgresql":
        in_service = column["in_service"]
        waiting, hidden = _plain_heads([(t, row[in_service]) for t, row
                                        in zip(waiting, rows, strict=True)], heads)
    else:
        plain, in_queue = column["plain"], column["in_queue"]
        for t, row in zip(waiting, rows, strict=True):
            if row[plain] and row[in_queue] > heads:
                hidden[(t.service_id, t.target_window)] = int(row[in_queue]) - heads
    return waiting, hidden, max_pos


def _utc_spans(spans: Sequence[Span], day: dt.date, zone: ZoneInfo
               ) -> list[tuple[dt.datetime, dt.datetime]]:
    return [(dt.datetime.combine(day, start, tzinfo=zone).astimezone(dt.UTC),
             dt.datetime.combine(day, end, tzinfo=zone).astimezone(dt.UTC))
            for start, end in spans]


# --------------------------------------------------------------------------- the replay


# The expected arrivals of each (service, class) take positions from their own block, in
# the order of services and classes (see _expected_arrivals); their ids lie far below
# any other ticket's (waiting: positive; bookings and new tickets: above -2**40).
_ARRIVAL_BLOCK = 10**9
_ARRIVAL_IDS = -(2**62)


def _expected_arrivals(state: HallState, service_ids: Iterable[int], first_pos: int,
                       until: dt.datetime) -> tuple[list[_Waiting], dict[int, frozenset[int]]]:
    """The tickets the history expects from now until ``until``, spread evenly (one
    arrives when the expected count passes each half): ordinary ones, green-channel
    tickets and transfers in of ``service_ids``; and by service the ids of its ordinary
    ones (a replay leaves out those of its target's service: they would queue behind it).
    Their queue positions, from ``first_pos`` on, follow service id, class and arrival
    time, the same whichever services are asked together."""
    rates = state.profile.arrivals_per_hour
    # Only the classes of the services that the history has anyone arrive in (the steps
    # below would add nothing for the others): a hall without such history skips them.
    arriving = {(sid, kind) for (sid, _hour, kind), rate in rates.items() if rate}
    arrivals: list[_Waiting] = []
    ordinary: dict[int, frozenset[int]] = {}
    for sid in sorted(service_ids):
        for index, kind in enumerate(ARRIVAL_CLASSES):
            if (sid, kind) not in arriving:
                continue
            times = _arrival_times(state, sid, kind, until)
            assert len(times) < _ARRIVAL_BLOCK, "each class's arrivals have their own block"
            pos = first_pos + (sid * len(ARRIVAL_CLASSES) + index) * _ARRIVAL_BLOCK
            tickets = [_Waiting(_ARRIVAL_IDS - (pos - first_pos) - n, sid,
                                TicketKind.GREEN.value if kind == "green" else TicketKind.NORMAL.value,
                                kind == "transfer", None, pos + n, None, at)
                       for n, at in enumerate(times)]
            arrivals += tickets
            if kind == "normal":
                ordinary[sid] = frozenset(t.id for t in tickets)
    return arrivals, ordinary


def _arrival_times(state: HallState, sid: int, kind: str, until: dt.datetime
                   ) -> list[dt.datetime]:
    """When the expected tickets of ``sid`` and ``kind`` arrive from now until ``until``:
    in 5-minute steps, one at the end of the step in which the expected count passes
    each half. Worked out once per state (every service's estimate asks)."""
    key = (sid, kind, until)
    times = state._arrival_times.get(key)
    if times is not None:
        return times
    times = state._arrival_times[key] = []
    steps = state._arrival_steps.get(until)
    if steps is None:
        steps = state._arrival_steps[until] = []  # (local hour at a step's start, its end)
        at = state.now
        while at < until:
            steps.append((state.local_hour(at), at + ARRIVAL_STEP))
            at += ARRIVAL_STEP
    share = ARRIVAL_STEP.total_seconds() / 3600
    rates = state.profile.arrivals_per_hour
    expected, issued = 0.0, 0
    for hour, end in steps:
        rate = rates.get((sid, hour, kind), 0.0)
        if not rate:
            continue  # adds nothing (and the count was caught up at the last step)
        expected += rate * share
        while expected >= issued + 0.5:
            issued += 1
            times.append(end)
    return times


def _open_at(spans: list[tuple[dt.datetime, dt.datetime]], at: dt.datetime) -> dt.datetime | None:
    """The first moment at or after ``at`` inside the service's hours (None: closed)."""
    for start, end in spans:
        if at < end:
            return max(at, start)
    return None


_GREEN = TicketKind.GREEN.value  # plain strings: the replay compares them very often
_APPOINTMENT = TicketKind.APPOINTMENT.value


# A bucket a window calls from: its key, its service (None: the tickets handed to the
# window), its class heaps, arriving and becoming-due heaps.
_Bucket = tuple[tuple[str, int], int | None, dict[str, list[tuple[int, int, "_Waiting"]]],
                list[tuple[dt.datetime, int, "_Waiting"]], list[tuple[dt.datetime, int, "_Waiting"]]]


class _Queues:
    """The replay's waiting tickets, indexed so that each call costs O(log n) instead of a
    scan of the whole queue (a hall's morning can hold a thousand waiting tickets).

    Tickets sit in buckets by who may call them: a service's queue, or the one window a
    ticket was handed to. Within a bucket, each class (green, due appointment, priority
    transfer, normal) is a heap by queue position; tickets not there yet wait in a heap by
    arrival time, and issued appointment tickets not yet due in a heap by due time. The
    replay's clock only moves forward, so buckets are brought up to date lazily.

    Tickets whose id is in ``absent`` are left out as if never filed (an expected arrival
    that queues behind the replay's target): they are dropped when they arrive."""

    def __init__(self, rules: RoutingRules, start: dt.datetime) -> None:
        self.rules = rules
        self.early = dt.timedelta(minutes=rules.appointment_early_minutes)
        self.priority_transfers = rules.transfer_rule == "priority"
        self.classes: dict[tuple[str, int], dict[str, list[tuple[int, int, _Waiting]]]] = {}
        self.arriving: dict[tuple[str, int], list[tuple[dt.datetime, int, _Waiting]]] = {}
        self.becoming_due: dict[tuple[str, int], list[tuple[dt.datetime, int, _Waiting]]] = {}
        self.class_of: dict[int, str] = {}  # a ticket's current class (others are stale)
        self.called: set[int] = set()
        self.absent: frozenset[int] = frozenset()
        self._keys: dict[int, list[tuple[str, int]]] = {}  # the buckets a window calls from
        self._plans: dict[int, list[_Bucket]] = {}  # and their heaps (see _plan)
        self.filed: dict[tuple[str, int], list[_Waiting]] = {}  # by file_all, by bucket
        self.added: list[_Waiting] = []  # by add
        self.rank = {name: rules.rank(name) for name in rules.class_order}
        self.clock = start

    def file_all(self, tickets: Iterable[_Waiting]) -> None:
        """File tickets in bulk at the current clock, then build each heap they went to
        at once."""
        start = self.clock
        keys = set()
        for ticket in tickets:
            key = self.bucket_of(ticket)
            keys.add(key)
            self.filed.setdefault(key, []).append(ticket)
            if ticket.available_at <= start:
                self._file(key, ticket, start, heapify_later=True)
            else:
                self.arriving.setdefault(key, []).append((ticket.available_at, ticket.id, ticket))
        for key in keys:
            for heap in self.classes.get(key, {}).values():
                heapq.heapify(heap)
            heapq.heapify(self.arriving.get(key, []))
            heapq.heapify(self.becoming_due.get(key, []))

    def copy(self, services: Iterable[int], absent: frozenset[int]) -> _Queues:
        """A copy with the queues of ``services`` only (this one stays as it is), leaving
        out ``absent``. Tickets handed to a window are to be added."""
        other = object.__new__(_Queues)
        other.rules, other.early = self.rules, self.early
        other.priority_transfers, other.rank = self.priority_transfers, self.rank
        keys = [key for sid in services if (key := ("service", sid)) in self.classes
                or key in self.arriving or key in self.becoming_due]
        other.classes = {key: {name: heap.copy() for name, heap in self.classes[key].items()}
                         for key in keys if key in self.classes}
        other.arriving = {key: self.arriving[key].copy() for key in keys if key in self.arriving}
        other.becoming_due = {key: self.becoming_due[key].copy() for key in keys
                              if key in self.becoming_due}
        other.class_of = self.class_of.copy()
        other.called = set(self.called)
        other.absent = absent
        other._keys = self._keys  # the same for a window whichever replay asks
        other._plans = {}
        other.filed = self.filed  # read only
        other.added = list(self.added)
        other.clock = self.clock
        return other

    def add(self, ticket: _Waiting) -> None:
        """File one more ticket at the current clock, as :meth:`file_all` would have."""
        self.added.append(ticket)
        key = self.bucket_of(ticket)
        if ticket.available_at <= self.clock:
            self._file(key, ticket, self.clock)
        else:
            heapq.heappush(self.arriving.setdefault(key, []),
                           (ticket.available_at, ticket.id, ticket))

    @staticmethod
    def bucket_of(ticket: _Waiting) -> tuple[str, int]:
        if ticket.target_window is not None:
            return ("window", ticket.target_window)
        return ("service", ticket.service_id)

    def _class_at(self, ticket: _Waiting, at: dt.datetime) -> str:
        """The same rule as :func:`class_rank`, by name."""
        if ticket.kind == _GREEN:
            return "green"
        if ticket.kind == _APPOINTMENT and ticket.slot is not None and \
                ticket.slot <= at + self.early:
            return "appointment"
        if ticket.transferred and self.priority_transfers:
            return "transfer"
        return "normal"

    def _file(self, key: tuple[str, int], ticket: _Waiting, at: dt.datetime, *,
              heapify_later: bool = False) -> None:
        add = list.append if heapify_later else heapq.heappush
        name = self._class_at(ticket, at)
        self.class_of[ticket.id] = name
        add(self.classes.setdefault(key, {}).setdefault(name, []),
            (ticket.queue_pos, ticket.id, ticket))
        if name != "appointment" and ticket.kind == _APPOINTMENT and ticket.slot is not None:
            add(self.becoming_due.setdefault(key, []), (ticket.slot - self.early, ticket.id, ticket))

    def _bring_up_to_date(self, key: tuple[str, int]) -> None:
        at = self.clock
        arriving = self.arriving.get(key)
        while arriving and arriving[0][0] <= at:
            ticket = heapq.heappop(arriving)[2]
            if ticket.id not in self.absent:
                self._file(key, ticket, at)
        due = self.becoming_due.get(key)
        while due and due[0][0] <= at:
            ticket = heapq.heappop(due)[2]
            if ticket.id in self.class_of:  # not called meanwhile
                self.class_of[ticket.id] = "appointment"
                heapq.heappush(self.classes[key].setdefault("appointment", []),
                               (ticket.queue_pos, ticket.id, ticket))

    def keys_of(self, win: _Window) -> list[tuple[str, int]]:
        """The buckets ``win`` calls from: tickets handed to it, then its services'."""
        keys = self._keys.get(win.id)
        if keys is None:
            keys = self._keys[win.id] = ([("window", win.id)]
                                         + [("service", sid) for sid in win.weights])
        return keys

    def _plan(self, win: _Window) -> list[_Bucket]:
        """The buckets ``win`` calls from with their heaps: made here if there are none
        yet (empty ones count as none), so that filing later fills the same."""
        plan = self._plans[win.id] = [
            (key, key[1] if key[0] == "service" else None, self.classes.setdefault(key, {}),
             self.arriving.setdefault(key, []), self.becoming_due.setdefault(key, []))
            for key in self.keys_of(win)]
        return plan

    def next_arrival(self, keys: Sequence[tuple[str, int]]) -> dt.datetime | None:
        times = []
        for key in keys:
            arriving = self.arriving.get(key)
            while arriving and arriving[0][1] in self.absent:
                heapq.heappop(arriving)
            if arriving:
                times.append(arriving[0][0])
        return min(times, default=None)

    def call(self, win: _Window, at: dt.datetime) -> _Waiting | None:
        """The ticket ``win`` calls at ``at`` by the routing rule (None: nobody callable),
        with the window's weighted-interleave credits settled."""
        assert at >= self.clock, "the replay's clock only moves forward"
        self.clock = at
        class_of, rank, heappop = self.class_of, self.rank, heapq.heappop
        plan = self._plans.get(win.id) or self._plan(win)
        # The heaps of the best class present in the window's buckets, each with a current
        # entry on top; an entry called already or moved to the appointment class is dropped.
        best_rank, best_name = len(rank), ""
        best: list[tuple[int | None, list[tuple[int, int, _Waiting]]]] = []  # (service, heap)
        for key, sid, heaps, arriving, due in plan:
            if (arriving and arriving[0][0] <= at) or (due and due[0][0] <= at):
                self._bring_up_to_date(key)
            for name, heap in heaps.items():
                while heap and class_of.get(heap[0][1]) != name:
                    heappop(heap)
                if heap:
                    if (r := rank[name]) < best_rank:
                        best_rank, best_name, best = r, name, [(sid, heap)]
                    elif r == best_rank:
                        best.append((sid, heap))
        if not best:
            return None
        if best_name != "normal":
            heap = min(best, key=lambda found: found[1][0][:2])[1]
            return self._take(heap)
        # Normal class: the window's weighted interleave picks the service. A ticket handed
        # to this window may be of a service it does not serve; few are, so scan them.
        handed: list[tuple[int, int, _Waiting]] = []
        queue_of: dict[int, list[tuple[int, int, _Waiting]]] = {}
        for sid, heap in best:
            if sid is None:
                handed = [entry for entry in heap if class_of.get(entry[1]) == "normal"]
            else:
                queue_of[sid] = heap
        services = list(queue_of.keys() | {entry[2].service_id for entry in handed}
                        if handed else queue_of)
        credits = win.credits
        if len(services) == 1:  # the interleave of one: it, its credit unchanged
            chosen = services[0]
            credits[chosen] = credits.get(chosen, 0)
        else:  # the credits returned are those after serving the choice
            chosen, settled = weighted_first(credits, win.weights, services)
            credits.update(settled)
        queue = queue_of.get(chosen) if chosen in win.weights else None
        if not handed:
            assert queue is not None
            ticket = heappop(queue)[2]
            del class_of[ticket.id]
            self.called.add(ticket.id)
            return ticket
        candidates = [entry for entry in handed if entry[2].service_id == chosen]
        if queue:
            candidates.append(queue[0])
        pick = min(candidates, key=lambda entry: entry[:2])[2]
        del self.class_of[pick.id]  # its heap entry is skipped from now on
        self.called.add(pick.id)
        return pick

    def _take(self, heap: list[tuple[int, int, _Waiting]]) -> _Waiting:
        ticket = heapq.heappop(heap)[2]
        del self.class_of[ticket.id]
        self.called.add(ticket.id)
        return ticket

    def ahead_of(self, target: _Waiting) -> int:
        """Tickets not called yet that the target's queue calls before it (now)."""
        key = self.bucket_of(target)
        in_bucket = [*self.filed.get(key, ()), *(t for t in self.added if self.bucket_of(t) == key)]
        at = self.clock
        rank = class_rank(self.rules, target.kind, target.transferred, target.slot, at)
        return sum(1 for t in in_bucket if t.id != target.id and t.id not in self.called
                   and t.id not in self.absent and (
                       (r := class_rank(self.rules, t.kind, t.transferred, t.slot, at)) < rank
                       or (r == rank and t.queue_pos < target.queue_pos)))


@dataclass
class _Base:
    """What the replays from one state share (see :func:`_base_queues`)."""

    queues: _Queues  # the services' waiting tickets and expected arrivals filed so far
    unfiled: dict[int, list[_Waiting]]  # by service, the waiting tickets of the others
    handed: list[_Waiting]  # the tickets handed to a window: each replay files its own
    waiting_ids: frozenset[int]
    arrivals_from: int  # the expected arrivals' queue positions start here
    ordinary_arrivals: dict[int, frozenset[int]] = field(default_factory=dict)  # by service
    services: set[int] = field(default_factory=set)  # filed


def _base_queues(state: HallState, arrivals_until: dt.datetime, services: Iterable[int]
                 ) -> _Base:
    """The state's waiting tickets and expected arrivals of ``services`` (and of those
    asked before), filed at the earliest a window is free, once per state for the
    replays that expect arrivals until the same time (a new ticket's of each service,
    mostly). A replay copies the queues of the services it involves: filed earlier, a
    ticket takes its class when a window first looks at its queue, as the replay's own
    filing would give."""
    base = state._bases.get(arrivals_until)
    if base is None:
        unfiled: dict[int, list[_Waiting]] = {}
        for t in state.waiting:
            if t.target_window is None:
                unfiled.setdefault(t.service_id, []).append(t)
        start = min([state.now, *(w.free_at for w in state.windows)])
        # After every ticket waiting and a new one (estimate_new_ticket's position).
        first_pos = max(max((t.queue_pos for t in state.waiting), default=0),
                        state.max_pos) + 2
        base = state._bases[arrivals_until] = _Base(
            _Queues(state.rules, start), unfiled,
            [t for t in state.waiting if t.target_window is not None],
            frozenset(t.id for t in state.waiting), first_pos)
    missing = sorted(set(services) - base.services)
    if missing:
        arrivals, ordinary = _expected_arrivals(state, missing, base.arrivals_from,
                                                arrivals_until)
        base.queues.file_all([*(t for sid in missing for t in base.unfiled.pop(sid, ())),
                              *arrivals])
        base.ordinary_arrivals.update(ordinary)
        base.services.update(missing)
    return base


def _replay(state: HallState, target: _Waiting, extended: bool = False
            ) -> tuple[dt.datetime | None, float, int]:
    """Replay the calls of the windows that can call ``target`` until they call it.

    ``extended``: outside the hours with no opening left today (延时服务): the windows
    work from now on without hours and no more arrivals are expected, so the queue
    ahead is what decides, not the closing time that has passed.
    Returns the predicted call time (None: not before closing), the variance of that
    time in seconds², and how many of those windows there are."""
    eligible = [w for w in state.windows
                if (target.target_window is None and target.service_id in w.weights)
                or target.target_window == w.id]
    if not eligible:
        return None, 0.0, 0
    # Other windows matter only through the tickets they take away; the windows serving
    # any service of the eligible ones all take part.
    involved = {sid for w in eligible for sid in w.weights}
    eligible_ids = {w.id for w in eligible}
    target_spans = state.spans_of.get(target.service_id, [])
    closing = target_spans[-1][1] if target_spans else state.now
    arrivals_until = closing
    if extended:
        closing, arrivals_until = state.now + dt.timedelta(days=1), state.now
    windows = [_Window(w.id, dict(w.weights), dict(w.credits), w.free_at, w.remaining_variance)
               for w in state.windows
               if not involved.isdisjoint(w.weights) or w.id == target.target_window]
    # The tickets of the involved services and those handed to a window that can call
    # the target; the expected ordinary arrivals of the target's service would queue
    # behind it.
    base = _base_queues(state, arrivals_until, involved)
    queues = base.queues.copy(involved, base.ordinary_arrivals.get(target.service_id,
                                                                   frozenset()))
    for ticket in base.handed:
        if ticket.service_id in involved or ticket.target_window in eligible_ids:
            queues.add(ticket)
    if target.id not in base.waiting_ids:
        assert target.queue_pos < base.arrivals_from, "the expected arrivals come after it"
        queues.add(target)
    if extended:
        spans_of_window = {w.id: [(state.now, closing)] for w in windows}
    else:
        spans_of_window = {w.id: _spans_of_window(state, w) for w in windows}

    # The windows in the order they are free, each with its hours and whether it can
    # call the target.
    heap = [(w.free_at, w.id, w, spans_of_window[w.id], w.id in eligible_ids) for w in windows]
    heapq.heapify(heap)
    heappop, heappush, call = heapq.heappop, heapq.heappush, queues.call
    variance = sum(w.remaining_variance for w in windows if w.id in eligible_ids)
    # The target's queue: tickets handed to its window, or its service's.
    target_window, target_service = target.target_window, target.service_id
    calls = own_queue_calls = 0
    while heap:
        at, window_id, win, spans, can_call = heappop(heap)
        for start, end in spans:  # the first moment at or after `at` in its hours
            if at < end:
                open_at = start if start > at else at
                break
        else:
            continue  # this window is done for the day
        if can_call and open_at >= closing:
            continue  # done for the target's service
        if open_at > at:  # closed now (lunch): back in line at its opening, in time order
            heappush(heap, (open_at, window_id, win, spans, can_call))
            continue
        pick = call(win, at)
        if pick is None:
            later = queues.next_arrival(queues.keys_of(win))
            if later is not None:
                heappush(heap, (later, window_id, win, spans, can_call))
            continue
        if pick.id == target.id:
            return at, variance, len(eligible)
        calls += 1
        if pick.target_window == target_window and (
                target_window is not None or pick.service_id == target_service):
            own_queue_calls += 1
        if calls >= MAX_REPLAY_CALLS:  # a very long queue: the rest at the pace so far
            if not own_queue_calls or at <= state.now:
                return None, variance, len(eligible)  # its queue is not moving today
            ahead = queues.ahead_of(target) + 1 + _hidden_ahead(state, target)
            per_call = (at - state.now) / own_queue_calls
            called = at + ahead * per_call
            variance *= (own_queue_calls + ahead) / own_queue_calls
            return (called if called < closing else None), variance, len(eligible)
        duration, step = state.step(pick.service_id, at)
        if can_call:
            variance += duration.variance
        heappush(heap, (at + step, window_id, win, spans, can_call))
    return None, variance, len(eligible)


def _hidden_ahead(state: HallState, target: _Waiting) -> int:
    """Plain tickets of the target's queue that :func:`load_state` left out, all ahead
    of a ticket issued after them."""
    if not state.hidden:
        return 0
    assert target.queue_pos > state.max_pos, "only a new ticket is estimated from heads"
    return state.hidden.get((target.service_id, target.target_window), 0)


def _spans_of_window(state: HallState, win: _Window) -> list[tuple[dt.datetime, dt.datetime]]:
    """A window works while any of its services is open (their union, in order); kept
    per state."""
    found = state._window_spans.get(win.id)
    if found is None:
        found = state._window_spans[win.id] = _merged_spans(state, win)
    return found


def _merged_spans(state: HallState, win: _Window) -> list[tuple[dt.datetime, dt.datetime]]:
    spans = sorted(span for sid in win.weights for span in state.spans_of.get(sid, []))
    merged: list[tuple[dt.datetime, dt.datetime]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def _estimate(state: HallState, target: _Waiting, ahead: int) -> WaitEstimate:
    spans = state.spans_of.get(target.service_id, [])
    # No opening left today: only extended service (延时服务) can call it, and it must
    # not read as "no wait" because the closing time has already passed.
    extended = _open_at(spans, state.now) is None
    called, variance, windows = _replay(state, target, extended)
    if windows == 0:
        return WaitEstimate(0, 0, 0, ahead, 0, after_closing=True)
    after_closing = called is None
    if called is None:  # not reached today: the wait runs at least to closing
        called = max(state.now, spans[-1][1] if spans else state.now)
    queued_for = max(0.0, (called - state.now).total_seconds())
    point = queued_for / 60
    sd = math.sqrt(variance / windows ** 2 / 3600 + (RELATIVE_SPREAD * point) ** 2
                   + FIXED_SPREAD_MINUTES ** 2)
    low, high = rounded_range(point, sd)
    return WaitEstimate(round(point), low, high, ahead, windows, after_closing, extended)


_new_ids = itertools.count(1)


def estimate_new_ticket(state: HallState, service_id: int, *,
                        kind: str = TicketKind.NORMAL.value,
                        appointment_slot: dt.datetime | None = None) -> WaitEstimate:
    """The wait of a ticket of ``service_id`` issued now (a normal one unless ``kind``
    says otherwise; an appointment ticket with its slot)."""
    if state._in_queue is None:  # worked out once for every service's estimate
        state._last_pos = max(max((t.queue_pos for t in state.waiting), default=0),
                              state.max_pos)
        state._in_queue = {}
        for t in state.waiting:
            if t.target_window is None and t.available_at <= state.now:
                state._in_queue[t.service_id] = state._in_queue.get(t.service_id, 0) + 1
    target = _Waiting(-2_000_000_000 - next(_new_ids), service_id, kind,
                      False, appointment_slot, state._last_pos + 1, None, state.now)
    ahead = state._in_queue.get(service_id, 0) + state.hidden.get((service_id, None), 0)
    return _estimate(state, target, ahead)


def estimate_waiting_ticket(state: HallState, ticket_id: int) -> WaitEstimate | None:
    """The remaining wait of a waiting ticket (None if it is not waiting now)."""
    if state.hidden:
        raise ValueError("a waiting ticket's estimate needs the whole queue (heads_only=False)")
    target = next((t for t in state.waiting if t.id == ticket_id), None)
    if target is None:
        return None
    rank = class_rank(state.rules, target.kind, target.transferred, target.slot, state.now)
    ahead = sum(1 for t in state.waiting if t.id != target.id and t.id > 0
                and t.service_id == target.service_id and (
                    (r := class_rank(state.rules, t.kind, t.transferred, t.slot, state.now)) < rank
                    or (r == rank and t.queue_pos < target.queue_pos)))
    return _estimate(state, target, ahead)


# --------------------------------------------------------------------------- entry points


def state_for_issue(session: Session, site: Site, now: dt.datetime, day: dt.date,
                    rules: RoutingRules, *, checking_in: int | None = None) -> HallState:
    """The hall as an issue or check-in sees it, read before the operation takes the day
    counters: the prediction reads the whole hall, and doing that while holding the
    counters would make every kiosk of the site wait for it. The operation takes the
    windows serving its service from it too (``serving``), then the new ticket's
    estimate (:func:`estimate_new_ticket`). ``checking_in``: the appointment being
    checked in, no longer a booking that is due."""
    state = load_state(session, site, now, day, rules, heads_only=True)
    if checking_in is not None:
        state.waiting = [t for t in state.waiting if t.id != -checking_in]
    return state


def estimate_wait(session: Session, site: Site, now: dt.datetime, day: dt.date,
                  rules: RoutingRules, *, service_ids: Sequence[int] = (),
                  ticket_id: int | None = None) -> dict[int, WaitEstimate]:
    """Estimated waits at ``now``: of a new normal ticket for each of ``service_ids``
    and, if ``ticket_id`` is given and waiting, of that ticket (keyed by its id with a
    minus sign, so it cannot collide with a service id). Inside the caller's session,
    read only. For the apps: :func:`service_waits` and :func:`ticket_wait`."""
    state = load_state(session, site, now, day, rules, heads_only=ticket_id is None)
    result = {sid: estimate_new_ticket(state, sid) for sid in service_ids}
    if ticket_id is not None:
        found = estimate_waiting_ticket(state, ticket_id)
        if found is not None:
            result[-ticket_id] = found
    return result


def service_waits(db: Any, *, site: str | None = None) -> dict[str, WaitEstimate]:
    """For each service offered at the site, the estimated wait of a number taken now,
    by service code (the kiosk, the display and the phone page read this)."""
    from shared.db import server_now
    from shared.hours import business_day
    from shared.lookup import site_by_code

    with db.read() as session:
        site_row = site_by_code(session, site)
        now = server_now(session)
        day = business_day(now, site_row.timezone)
        offered = dict(session.execute(
            select(Service.id, Service.code).where(Service.active.is_(True), Service.id.in_(
                select(WindowService.service_id).join(Window, Window.id == WindowService.window_id)
                .where(Window.site_id == site_row.id, Window.active.is_(True),
                       WindowService.active.is_(True))))).all())
        waits = estimate_wait(session, site_row, now, day,
                              RoutingRules.from_mapping(site_row.routing),
                              service_ids=list(offered))
        return {offered[sid]: estimate for sid, estimate in waits.items()}


def ticket_wait(db: Any, ref: str | int, *, site: str | None = None) -> WaitEstimate | None:
    """The remaining estimated wait of a ticket (by number today, or id); None when it
    is no longer waiting (the citizen's phone reads this)."""
    from shared.db import server_now
    from shared.hours import business_day
    from shared.lookup import ascii_id, find_ticket, site_by_code

    with db.read() as session:
        site_row = site_by_code(session, site) if not ascii_id(ref) else None
        now = server_now(session)
        day = business_day(now, site_row.timezone) if site_row is not None else None
        ticket = find_ticket(session, site_row, ref, day)
        if ticket.state != TicketState.WAITING.value:
            return None
        site_row = session.get(Site, ticket.site_id)
        assert site_row is not None
        waits = estimate_wait(session, site_row, now, ticket.business_day,
                              RoutingRules.from_mapping(site_row.routing), ticket_id=ticket.id)
        return waits.get(-ticket.id)


def naive_wait_minutes(people_ahead: int, mean_service_minutes: float, open_windows: int
                       ) -> float:
    """The naive rule the benchmark compares with: people ahead × mean service time ÷
    open windows."""
    if open_windows <= 0:
        raise ValueError("open_windows must be positive")
    return people_ahead * mean_service_minutes / open_windows

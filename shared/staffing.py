"""Staffing plan (排班建议) from the hall's own history: how many windows each service needs
in each half-hour of a coming week to meet its service level (docs/metrics.md: the share
of waits within the service's ``target_minutes``).

From the chosen weeks of history (SQL aggregates per service, weekday and local
half-hour): arrivals per day, the mean time a call takes at the window (walk to the
window and service) and the no-show share. For each service and half-hour the plan is
the smallest number of windows whose Erlang C service level reaches the goal; a no-show
still takes the window's time for a call (NO_SHOW_MINUTES). Then, per half-hour, the
plan is compared with the windows of the site that serve the service: a shortfall is a
half-hour where more windows are needed than serve it.

Erlang C assumes Poisson arrivals, exponential service times and one queue per service
with identical servers. In a hall arrivals bunch (a tour bus, the first hour), service
times are closer to log-normal, and comprehensive windows serve several queues by weight;
docs/staffing.md says what that means for the plan.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import and_, case, func, select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.types import Integer

from shared.db import Database
from shared.hours import service_spans
from shared.i18n import QT_TRANSLATE_NOOP
from shared.lookup import site_by_code
from shared.models import Appointment, Segment, Service, Window, WindowService
from shared.prediction import DEFAULT_SERVICE_MINUTES, NO_SHOW_MINUTES
from shared.routing import RoutingRules
from shared.states import AppointmentState, TicketKind
from shared.stats.measures import service_seconds
from shared.stats.sql import DurationMicros, SqlColumn, as_column
from shared.stats.sql import seconds as sql_seconds

SLOT_MINUTES = 30
DEFAULT_GOAL = 0.8  # share of waits within the service's target
MAX_WINDOWS = 60  # a plan asking for more is refused as nonsense input
DEFAULT_CHECK_RUNS = 20  # simulated runs of each day when checking the proposed windows
# The check asks each half-hour for the goal plus this margin on its simulated citizens,
# so that on citizens it did not see (another seed) the goal still holds: a plan cut to
# exactly the goal on one sample misses it on the next in about half the tight cells.
DEFAULT_MARGIN = 0.05
SERVICE_CV = 0.6  # spread of the simulated handle times (log-normal), as in the history
# What a plan request may ask for: a hall has no history before 2000, the week and the
# weeks before it must be real dates, and two years of history or 200 simulated runs of
# each day are already more than a plan gains from.
FIRST_WEEK = dt.date(2000, 1, 3)  # a Monday
LAST_WEEK = dt.date(9999, 12, 20)  # the last Monday whose week ends before 10000
MAX_HISTORY_WEEKS = 104
MAX_CHECK_RUNS = 200


# --------------------------------------------------------------------------- Erlang C


def erlang_c(load: float, servers: int) -> float:
    """Probability that an arrival waits (Erlang C) with ``load`` Erlangs offered to
    ``servers``; 1.0 when the servers cannot keep up (load >= servers). Computed through
    the Erlang B recursion, which never forms a factorial."""
    if load < 0 or servers < 0:
        raise ValueError(f"load ({load}) and servers ({servers}) must not be negative")
    if load == 0:
        return 0.0
    if servers <= load:
        return 1.0
    blocking = 1.0
    for n in range(1, servers + 1):
        blocking = load * blocking / (n + load * blocking)
    return servers * blocking / (servers - load * (1 - blocking))


def service_level(load: float, servers: int, target_seconds: float,
                  handle_seconds: float) -> float:
    """Share of arrivals that wait at most ``target_seconds`` (Erlang C)."""
    if servers <= load:
        return 0.0 if load > 0 else 1.0
    waits = erlang_c(load, servers)
    return 1.0 - waits * math.exp(-(servers - load) * target_seconds / handle_seconds)


def mean_wait(load: float, servers: int, handle_seconds: float) -> float:
    """Mean wait in seconds (the average speed of answer); infinite when overloaded."""
    if servers <= load:
        return math.inf if load > 0 else 0.0
    return erlang_c(load, servers) * handle_seconds / (servers - load)


def windows_needed(arrivals_per_hour: float, handle_seconds: float, target_seconds: float,
                   goal: float = DEFAULT_GOAL) -> int:
    """The fewest windows whose Erlang C service level reaches ``goal`` (0 with nobody
    arriving)."""
    if not 0 < goal < 1:
        raise ValueError(f"the service-level goal must be between 0 and 1, got {goal}")
    if arrivals_per_hour <= 0:
        return 0
    if handle_seconds <= 0:
        raise ValueError(f"the handle time must be positive, got {handle_seconds}")
    load = arrivals_per_hour * handle_seconds / 3600
    servers = max(1, math.floor(load) + 1)
    while service_level(load, servers, target_seconds, handle_seconds) < goal:
        servers += 1
        if servers > MAX_WINDOWS:
            raise ValueError(f"more than {MAX_WINDOWS} windows needed for {arrivals_per_hour:.0f} "
                             f"arrivals an hour: check the history")
    return servers


# --------------------------------------------------------------------------- history


class HalfHourAtOffset(ColumnElement[int]):
    """The local half-hour of the day (0-47) of a UTC timestamp shifted by ``minutes``."""

    inherit_cache = False  # the offset is rendered into the SQL text
    type = Integer()

    def __init__(self, timestamp: SqlColumn, minutes: int) -> None:
        self.timestamp = as_column(timestamp)
        self.minutes = int(minutes)


@compiles(HalfHourAtOffset, "postgresql")
def _half_hour_pg(element: HalfHourAtOffset, compiler: SQLCompiler, **kw: Any) -> str:
    ts = f"({compiler.process(element.timestamp, **kw)} + INTERVAL '{element.minutes} minutes')"
    return (f"CAST(FLOOR((date_part('hour', {ts}) * 60 + date_part('minute', {ts})) / "
            f"{SLOT_MINUTES}) AS INTEGER)")


@compiles(HalfHourAtOffset, "mysql")
@compiles(HalfHourAtOffset, "mariadb")
def _half_hour_mysql(element: HalfHourAtOffset, compiler: SQLCompiler, **kw: Any) -> str:
    ts = f"DATE_ADD({compiler.process(element.timestamp, **kw)}, INTERVAL {element.minutes} MINUTE)"
    return f"FLOOR((HOUR({ts}) * 60 + MINUTE({ts})) / {SLOT_MINUTES})"


@compiles(HalfHourAtOffset, "sqlite")
def _half_hour_sqlite(element: HalfHourAtOffset, compiler: SQLCompiler, **kw: Any) -> str:
    ts = compiler.process(element.timestamp, **kw)
    shift = f"'{element.minutes:+d} minutes'"
    return (f"((CAST(strftime('%H', {ts}, {shift}) AS INTEGER) * 60 + "
            f"CAST(strftime('%M', {ts}, {shift}) AS INTEGER)) / {SLOT_MINUTES})")


@dataclass(frozen=True)
class Demand:
    """One service in one half-hour of one weekday, averaged over the history weeks."""

    service: str
    weekday: int  # 0 = Monday
    slot: int  # half-hour of the day, 0-47 (17 = 08:30-09:00)
    arrivals: float  # per day
    handle_seconds: float | None  # walk + service, no-shows mixed in; None: nobody served
    no_show_share: float
    green_share: float = 0.0  # stays of green-channel tickets (绿色通道)
    transfer_share: float = 0.0  # stays that began with a transfer from another service
    appointment_share: float = 0.0  # stays of appointment tickets (预约), due at their slot


def slot_label(slot: int) -> str:
    start = slot * SLOT_MINUTES
    end = start + SLOT_MINUTES
    return f"{start // 60:02d}:{start % 60:02d}-{end // 60:02d}:{end % 60:02d}"


def history_demand(session: Session, site_id: int, first_day: dt.date, last_day: dt.date,
                   utc_offset_minutes: int) -> list[Demand]:
    """Arrivals, handle times and no-shows per service, weekday and local half-hour from
    ``first_day`` to ``last_day`` (inclusive), per day of that weekday in the range that
    had any stay. Aggregated in SQL."""
    if last_day < first_day:
        raise ValueError(f"the history ends ({last_day}) before it starts ({first_day})")
    scope = and_(Segment.site_id == site_id, Segment.business_day >= first_day,
                 Segment.business_day <= last_day)
    slot = HalfHourAtOffset(Segment.queued_at, utc_offset_minutes)
    seconds = service_seconds()
    walk = sql_seconds(DurationMicros(Segment.started_at, Segment.called_at))
    called = Segment.called_at.is_not(None)
    no_show = and_(called, Segment.started_at.is_(None),
                   Segment.result.in_(("no_show", "expired", "cancelled")))
    green = Segment.kind == TicketKind.GREEN.value
    booked = and_(Segment.kind == TicketKind.APPOINTMENT.value, Segment.transferred.is_(False))
    transferred = and_(Segment.transferred.is_(True), Segment.kind != TicketKind.GREEN.value)
    rows = session.execute(
        select(Service.code, Segment.weekday, slot.label("slot"), func.count(),
               func.avg(seconds), func.avg(case((Segment.service_us.is_not(None), walk))),
               func.sum(case((called, 1), else_=0)), func.sum(case((no_show, 1), else_=0)),
               func.sum(case((green, 1), else_=0)), func.sum(case((transferred, 1), else_=0)),
               func.sum(case((booked, 1), else_=0)))
        .join(Service, Service.id == Segment.service_id)
        .where(scope)
        .group_by(Service.code, Segment.weekday, slot)
    ).all()
    days = dict(session.execute(
        select(Segment.weekday, func.count(func.distinct(Segment.business_day)))
        .where(scope).group_by(Segment.weekday)).all())
    demand = []
    for (code, weekday, half_hour, count, service_mean, walk_mean, calls, gone, greens,
         transfers, appointments) in rows:
        if weekday is None or half_hour is None or not days.get(weekday):
            continue
        share = int(gone or 0) / int(calls) if calls else 0.0
        handle = None
        if service_mean is not None:
            served = float(service_mean) + float(walk_mean or 0)
            handle = (1 - share) * served + share * NO_SHOW_MINUTES * 60
        demand.append(Demand(code, int(weekday), int(half_hour), int(count) / days[weekday],
                             handle, share, int(greens or 0) / int(count),
                             int(transfers or 0) / int(count), int(appointments or 0) / int(count)))
    return sorted(demand, key=lambda d: (d.weekday, d.slot, d.service))


# --------------------------------------------------------------------------- the plan


@dataclass(frozen=True)
class PlanCell:
    """Windows needed for one service in one half-hour of the planned week."""

    day: dt.date
    slot: int
    service: str
    arrivals_per_hour: float
    handle_minutes: float
    windows: int
    service_level: float  # expected with that many windows (Erlang C)
    mean_wait_minutes: float
    serving_windows: int  # the site's windows that serve the service
    short: bool  # more windows needed than serve it
    target_minutes: int = 15  # the service's target (docs/metrics.md, service level)
    green_share: float = 0.0  # of its arrivals: green channel, called first
    transfer_share: float = 0.0  # transferred in from another service, called next
    # Appointments due (预约): of its arrivals, called in the appointment class; and the
    # bookings of the planned week in this half-hour (the arrivals count at least them).
    appointment_share: float = 0.0
    booked: int = 0
    # Over the proposed windows (StaffingPlan.opening), by simulation: the share called
    # within the target and the mean wait; None where not simulated.
    simulated_level: float | None = None
    simulated_wait_minutes: float | None = None
    # The simulation's verdict on the site's windows: the checked proposal needs staff
    # beyond them for this service in this half-hour, or still misses the goal there.
    # None where not simulated (then ``short``, Erlang C's verdict, is all there is).
    simulated_short: bool | None = None

    @property
    def verdict_short(self) -> bool:
        """Short by the plan's checked figure when it was simulated, else by Erlang C."""
        return self.short if self.simulated_short is None else self.simulated_short

    def to_json(self) -> dict[str, Any]:
        return {"day": self.day.isoformat(), "slot": slot_label(self.slot),
                "service": self.service, "arrivals_per_hour": round(self.arrivals_per_hour, 2),
                "handle_minutes": round(self.handle_minutes, 2), "windows": self.windows,
                "service_level": round(self.service_level, 3),
                "mean_wait_minutes": round(self.mean_wait_minutes, 2),
                "serving_windows": self.serving_windows, "short": self.short,
                "target_minutes": self.target_minutes,
                "green_share": round(self.green_share, 3),
                "transfer_share": round(self.transfer_share, 3),
                "appointment_share": round(self.appointment_share, 3), "booked": self.booked,
                "simulated_level": _rounded(self.simulated_level, 3),
                "simulated_wait_minutes": _rounded(self.simulated_wait_minutes, 2),
                "simulated_short": self.simulated_short}


def _rounded(value: float | None, digits: int) -> float | None:
    return None if value is None else round(value, digits)


# Per half-hour of the week, the windows to open: window number -> {service: weight}.
Opening = dict[tuple[dt.date, int], dict[int, dict[str, int]]]


@dataclass(frozen=True)
class StaffingPlan:
    site: str
    week: dt.date  # its Monday
    history: tuple[dt.date, dt.date]
    goal: float
    cells: list[PlanCell] = field(default_factory=list)
    site_windows: int = 0  # the site's active windows
    # The site's active windows: number -> {service code: weight}.
    windows: dict[int, dict[str, int]] = field(default_factory=dict)
    # The proposed windows per half-hour, checked by simulation (:func:`check_plan`);
    # numbers from EXTRA_WINDOW_BASE are staff beyond the site's windows, one service each.
    # Empty: not checked (then the plan is Erlang C's per-service windows).
    opening: Opening = field(default_factory=dict)
    runs: int = 0  # simulated runs of each day behind ``opening``
    unmet: int = 0  # cells still missing the goal over ``opening`` (the check gave up)
    margin: float = 0.0  # the check asked each half-hour for goal + margin
    service_names: dict[str, str] = field(default_factory=dict)  # code -> name
    # Why a plan can have no cells: no stay at all in the weeks of history, or none of the
    # site's services opens on any day of the planned week (every day a holiday).
    history_found: bool = True
    week_closed: bool = False

    def window_hours(self) -> float:
        """Window-hours of the week: of the proposed windows when checked, else the sum of
        the per-service Erlang C windows."""
        return sum(self.totals().values()) * SLOT_MINUTES / 60

    def erlang_window_hours(self) -> float:
        """The per-service Erlang C windows summed (shared windows counted per service)."""
        return sum(c.windows for c in self.cells) * SLOT_MINUTES / 60

    def totals(self) -> dict[tuple[dt.date, int], int]:
        """Windows needed per half-hour, all services together: the proposed windows when
        checked, else the per-service Erlang C windows summed."""
        if self.opening:
            return {key: len(opened) for key, opened in self.opening.items()}
        result: dict[tuple[dt.date, int], int] = {}
        for c in self.cells:
            result[(c.day, c.slot)] = result.get((c.day, c.slot), 0) + c.windows
        return result

    def groups(self) -> list[frozenset[str]]:
        """The services that share windows (directly or through another service)."""
        return service_groups(self.windows, {c.service for c in self.cells})

    def group_windows(self) -> dict[tuple[dt.date, int, frozenset[str]], int]:
        """The proposed windows per half-hour and service group."""
        group_of = {s: g for g in self.groups() for s in g}
        result: dict[tuple[dt.date, int, frozenset[str]], int] = {}
        for (day, slot), opened in self.opening.items():
            for weights in opened.values():
                key = (day, slot, group_of[next(iter(weights))])
                result[key] = result.get(key, 0) + 1
        return result

    def extra_window_hours(self) -> float:
        return sum(1 for opened in self.opening.values() for n in opened
                   if n >= EXTRA_WINDOW_BASE) * SLOT_MINUTES / 60

    def to_json(self) -> dict[str, Any]:
        return {"site": self.site, "week": self.week.isoformat(),
                "history": [d.isoformat() for d in self.history], "goal": self.goal,
                "window_hours": round(self.window_hours(), 1),
                "erlang_window_hours": round(self.erlang_window_hours(), 1),
                "extra_window_hours": round(self.extra_window_hours(), 1),
                "site_windows": self.site_windows,
                "shortfalls": sum(1 for c in self.cells if c.short),
                "simulated_shortfalls": sum(1 for c in self.cells if c.simulated_short),
                "simulated_runs": self.runs, "check_margin": self.margin,
                "unmet_cells": self.unmet,
                "cells": [c.to_json() for c in self.cells],
                "half_hours": [
                    {"day": day.isoformat(), "slot": slot_label(slot),
                     "windows": sorted(opened),
                     "extra_windows": sum(1 for n in opened if n >= EXTRA_WINDOW_BASE),
                     "groups": {"+".join(sorted(group)): count for (d, s, group), count
                                in sorted(self.group_windows().items(),
                                          key=lambda kv: sorted(kv[0][2]))
                                if d == day and s == slot}}
                    for (day, slot), opened in sorted(self.opening.items())]}


def check_request(week: dt.date, history_weeks: int, goal: float, runs: int) -> None:
    """Refuse a plan request outside what a plan can be made for, naming the value (as
    the ``hallq-admin plan`` option) and what is allowed."""
    if week.weekday() != 0:
        raise ValueError(f"--week {week} is not a Monday: a plan is made for a week from Monday")
    if not FIRST_WEEK <= week <= LAST_WEEK:
        raise ValueError(f"--week {week}: must be a Monday from {FIRST_WEEK} to {LAST_WEEK}")
    if not 1 <= history_weeks <= MAX_HISTORY_WEEKS:
        raise ValueError(f"--weeks {history_weeks}: must be 1 to {MAX_HISTORY_WEEKS} weeks of "
                         "history")
    if not 0 < goal < 1:
        raise ValueError(f"--goal {goal}: the service-level goal must be between 0 and 1")
    if not 0 <= runs <= MAX_CHECK_RUNS:
        raise ValueError(f"--runs {runs}: must be 0 (Erlang C only) to {MAX_CHECK_RUNS}")


def history_span(week: dt.date, history_weeks: int) -> tuple[dt.date, dt.date]:
    """The days of history a plan of ``week`` reads: the ``history_weeks`` weeks before."""
    return week - dt.timedelta(weeks=history_weeks), week - dt.timedelta(days=1)


def staffing_plan(db: Database, week: dt.date, *, site: str | None = None,
                  history_weeks: int = 4, goal: float = DEFAULT_GOAL,
                  runs: int = DEFAULT_CHECK_RUNS, seed: int = 1) -> StaffingPlan:
    """The plan for the week starting on Monday ``week``, from the ``history_weeks``
    weeks before it: Erlang C per service, then (``runs`` > 0) the proposed windows
    checked and corrected by simulating each day ``runs`` times (:func:`check_plan`)."""
    check_request(week, history_weeks, goal, runs)
    first, last = history_span(week, history_weeks)
    with db.read() as session:
        site_row = site_by_code(session, site)
        offset = ZoneInfo(site_row.timezone).utcoffset(dt.datetime.combine(week, dt.time(12)))
        minutes = int((offset or dt.timedelta(0)).total_seconds() // 60)
        demand = history_demand(session, site_row.id, first, last, minutes)
        services = {row.code: row for row in session.execute(
            select(Service.code, Service.name, Service.target_minutes, Service.hours,
                   Service.weekend, Service.holiday)).all()}
        targets = {c: row.target_minutes for c, row in services.items()}
        calendar = dict(site_row.calendar or {})
        serving = dict(session.execute(
            select(Service.code, func.count(func.distinct(Window.id)))
            .join(WindowService, WindowService.service_id == Service.id)
            .join(Window, Window.id == WindowService.window_id)
            .where(Window.site_id == site_row.id, Window.active.is_(True),
                   WindowService.active.is_(True))
            .group_by(Service.code)).all())
        code = site_row.code
        rules = RoutingRules.from_mapping(site_row.routing)
        site_windows = int(session.scalar(select(func.count()).select_from(Window).where(
            Window.site_id == site_row.id, Window.active.is_(True))) or 0)
        windows: dict[int, dict[str, int]] = {}
        for number, service_code, weight in session.execute(
                select(Window.number, Service.code, WindowService.weight)
                .join(WindowService, WindowService.window_id == Window.id)
                .join(Service, Service.id == WindowService.service_id)
                .where(Window.site_id == site_row.id, Window.active.is_(True),
                       WindowService.active.is_(True), Service.active.is_(True))):
            windows.setdefault(int(number), {})[service_code] = max(1, int(weight))
        bookings: dict[tuple[int, int, str], int] = {}
        for day, slot_start, service_code, count in session.execute(
                select(Appointment.day, Appointment.slot_start, Service.code, func.count())
                .join(Service, Service.id == Appointment.service_id)
                .where(Appointment.site_id == site_row.id, Appointment.day >= week,
                       Appointment.day <= week + dt.timedelta(days=6),
                       Appointment.state == AppointmentState.BOOKED.value)
                .group_by(Appointment.day, Appointment.slot_start, Service.code)):
            hour, minute = (int(p) for p in str(slot_start).split(":"))
            key = (day.weekday(), (hour * 60 + minute) // SLOT_MINUTES, service_code)
            bookings[key] = bookings.get(key, 0) + int(count)
    history_found = bool(demand)
    demand = _with_bookings(demand, bookings)
    week_closed = not any(
        service_spans(calendar, dict(row.hours or {}), bool(row.weekend), bool(row.holiday),
                      week + dt.timedelta(days=offset))
        for offset in range(7) for row in services.values())
    # A half-hour in which nobody was served takes the service's handle time over the
    # whole history (weighted by arrivals), or the predictor's default.
    pooled: dict[str, list[float]] = {}
    for d in demand:
        if d.handle_seconds is not None:
            acc = pooled.setdefault(d.service, [0.0, 0.0])
            acc[0] += d.arrivals * d.handle_seconds
            acc[1] += d.arrivals
    cells = []
    for d in demand:
        if not _open_in(calendar, services.get(d.service), week + dt.timedelta(days=d.weekday),
                        d.slot):
            continue  # closed then (weekend, holiday, outside its hours): no windows
        per_hour = d.arrivals * 60 / SLOT_MINUTES
        booked_here = bookings.get((d.weekday, d.slot, d.service), 0)
        target = int(targets.get(d.service, 15)) * 60
        handle = d.handle_seconds
        if handle is None:
            seconds, served = pooled.get(d.service, [0.0, 0.0])
            handle = seconds / served if served else DEFAULT_SERVICE_MINUTES * 60
        need = windows_needed(per_hour, handle, target, goal)
        load = per_hour * handle / 3600
        have = int(serving.get(d.service, 0))
        cells.append(PlanCell(
            week + dt.timedelta(days=d.weekday), d.slot, d.service, per_hour,
            handle / 60, need, service_level(load, need, target, handle),
            mean_wait(load, need, handle) / 60, have, need > have, target // 60,
            d.green_share, d.transfer_share, d.appointment_share, booked_here))
    plan = StaffingPlan(code, week, (first, last), goal, cells, site_windows, windows,
                        service_names={c: row.name for c, row in services.items()},
                        history_found=history_found, week_closed=week_closed)
    if runs <= 0:
        return plan
    return check_plan(plan, runs=runs, seed=seed, rules=rules)


def _with_bookings(demand: list[Demand], bookings: Mapping[tuple[int, int, str], int]
                   ) -> list[Demand]:
    """The history's demand with the planned week's bookings (预约) in: a half-hour's
    appointments are the more of the history's and the bookings already made (people
    still book until the day), the walk-ins as in the history; a half-hour with bookings
    and no history gets a demand of its own (handle time pooled later)."""
    result = []
    seen = set()
    for d in demand:
        key = (d.weekday, d.slot, d.service)
        seen.add(key)
        booked = bookings.get(key, 0)
        history = d.arrivals * d.appointment_share
        if booked <= history:
            result.append(d)
            continue
        arrivals = d.arrivals - history + booked
        result.append(replace(d, arrivals=arrivals,
                              green_share=d.green_share * d.arrivals / arrivals,
                              transfer_share=d.transfer_share * d.arrivals / arrivals,
                              appointment_share=booked / arrivals))
    for (weekday, slot, service), booked in sorted(bookings.items()):
        if (weekday, slot, service) not in seen and booked > 0:
            result.append(Demand(service, weekday, slot, float(booked), None, 0.0,
                                 appointment_share=1.0))
    return sorted(result, key=lambda d: (d.weekday, d.slot, d.service))


def _open_in(calendar: Mapping[str, Any], service: Any, day: dt.date, slot: int) -> bool:
    """Whether ``service`` (a row with hours, weekend, holiday) is open at any moment of
    half-hour ``slot`` of ``day`` by the site calendar and its own hours. History can
    hold stays when the service was closed (a transfer in on a Saturday, extended
    service after hours): those are no reason to staff a window then."""
    if service is None:
        return True
    start = dt.time(slot * SLOT_MINUTES // 60, slot * SLOT_MINUTES % 60)
    end_minutes = (slot + 1) * SLOT_MINUTES
    end = dt.time.max if end_minutes >= 24 * 60 else dt.time(end_minutes // 60,
                                                              end_minutes % 60)
    spans = service_spans(dict(calendar), dict(service.hours or {}), bool(service.weekend),
                          bool(service.holiday), day)
    return any(a < end and start < b for a, b in spans)


# --------------------------------------------------------------------------- checking it


@dataclass(frozen=True)
class SimulatedCell:
    """A plan cell as the simulation saw it: arrivals over every run, the share of them
    called within the target, and the mean wait."""

    cell: PlanCell
    arrivals: int
    service_level: float | None
    mean_wait_minutes: float | None

    def met(self, goal: float) -> bool:
        return self.service_level is None or self.service_level >= goal


def simulate_plan(plan: StaffingPlan, *, runs: int = 20, seed: int = 1,
                  service_cv: float = 0.6) -> list[SimulatedCell]:
    """Play the planned week ``runs`` times, event by event: Poisson arrivals at each
    cell's rate, log-normal handle times with its mean and ``service_cv``, and in each
    half-hour the planned windows of each service (a window leaving at the end of a
    half-hour finishes its citizen first; a queue left at the end of a half-hour carries
    over). Each planned window serves its one service in arrival order, so the weighted
    interleave of comprehensive windows is not part of this check (docs/staffing.md).
    Returns, per cell, the share of its arrivals called within the service's target."""
    import heapq
    import random

    cell: PlanCell | None
    if runs < 1:
        raise ValueError("runs must be at least 1")
    rng = random.Random(seed)
    by_day: dict[dt.date, list[PlanCell]] = {}
    for cell in plan.cells:
        by_day.setdefault(cell.day, []).append(cell)
    waits: dict[tuple[dt.date, int, str], list[float]] = {}
    for day, cells in by_day.items():
        plan_of = {(c.slot, c.service): c for c in cells}
        services = sorted({c.service for c in cells})
        slots = range(min(c.slot for c in cells), max(c.slot for c in cells) + 1)
        for _run in range(runs):
            # Arrivals: (time in minutes from midnight, service, arrival slot).
            arrivals: list[tuple[float, str, int]] = []
            for (slot, service), cell in plan_of.items():
                t = float(slot * SLOT_MINUTES)
                rate = cell.arrivals_per_hour / 60
                while rate > 0:
                    t += rng.expovariate(rate)
                    if t >= (slot + 1) * SLOT_MINUTES:
                        break
                    arrivals.append((t, service, slot))
            arrivals.sort()
            queues: dict[str, list[tuple[float, int]]] = {s: [] for s in services}
            busy: list[tuple[float, int, str]] = []  # (free at, window id, service)
            next_id = 0
            for slot in slots:
                start, end = slot * SLOT_MINUTES, (slot + 1) * SLOT_MINUTES
                # This half-hour's windows: those still busy keep going; new ones open.
                for service in services:
                    cell = plan_of.get((slot, service))
                    want = cell.windows if cell else 0
                    have = sum(1 for b in busy if b[2] == service)
                    for _ in range(max(0, want - have)):
                        heapq.heappush(busy, (float(start), next_id, service))
                        next_id += 1
                pending = [a for a in arrivals if start <= a[0] < end]
                while True:
                    # The earliest event: an arrival joining, or a window calling.
                    if pending and (not busy or pending[0][0] <= busy[0][0]):
                        t, service, arrived_slot = pending.pop(0)
                        queues[service].append((t, arrived_slot))
                        continue
                    if not busy or busy[0][0] >= end:
                        break
                    free, wid, service = heapq.heappop(busy)
                    cell = plan_of.get((slot, service))
                    if cell is None or sum(1 for b in busy if b[2] == service) >= cell.windows:
                        continue  # planned fewer windows now: this one closes
                    queue_ = queues[service]
                    if not queue_:
                        nxt = [a[0] for a in pending if a[1] == service]
                        heapq.heappush(busy, (min(nxt) if nxt else float(end), wid, service))
                        continue
                    arrived, arrived_slot = queue_.pop(0)
                    key = (day, arrived_slot, service)
                    waits.setdefault(key, []).append(free - arrived)
                    handle = plan_of.get((arrived_slot, service), cell).handle_minutes
                    sigma = math.sqrt(math.log(1 + service_cv ** 2))
                    mu = math.log(handle) - sigma * sigma / 2
                    heapq.heappush(busy, (free + rng.lognormvariate(mu, sigma), wid, service))
            # Citizens still waiting at the end of the day never met the target.
            for service, queue_ in queues.items():
                for _arrived, arrived_slot in queue_:
                    waits.setdefault((day, arrived_slot, service), []).append(math.inf)
    result = []
    for cell in plan.cells:
        seen = waits.get((cell.day, cell.slot, cell.service), [])
        target = cell.target_minutes
        if not seen:
            result.append(SimulatedCell(cell, 0, None, None))
            continue
        within = sum(1 for w in seen if w <= target) / len(seen)
        finite = [w for w in seen if math.isfinite(w)]
        result.append(SimulatedCell(cell, len(seen), within,
                                    sum(finite) / len(finite) if finite else None))
    return result


# --------------------------------------------------------------------------- export

XLSX_HEADERS = ("日期", "星期", "时段", "业务", "业务名称", "每小时到达（人）", "每人办理（分钟）",
                "建议窗口数", "预计服务水平", "预计平均等候（分钟）", "现有窗口数",
                "Erlang C 估算窗口不足", "模拟服务水平", "模拟：现有窗口不足")
XLSX_WIDTHS = (11, 6, 12, 8, 22, 9, 9, 8, 9, 10, 8, 9, 9, 9)  # characters, fits A4 landscape
TOTALS_HEADERS = ("日期", "时段", "建议开放窗口数", "其中需增派人员", "本站点窗口数", "开放的窗口")
TOTALS_WIDTHS = (11, 12, 10, 10, 10, 50)
WEEKDAY_NAMES = "一二三四五六日"
PERCENT = "0.0%"  # service levels: 0.995 shows as 99.5%
# Said on both sheets of a plan made without the simulation check (--runs 0), in Chinese;
# hallq-admin plan says it in its language (context Cli).
UNCHECKED_NOTE = QT_TRANSLATE_NOOP("Cli", "未经模拟检验（--runs 0）：各业务按 Erlang C 估算的窗口按权重"
                                          "折算为本站点窗口，不足时增派人员")

# Why a workbook cannot be written to a path (xlsx_target_problem): folder, not_a_file
# (a symlink, device, FIFO or socket: replacing it would destroy it), no_folder,
# cannot_write.
TargetProblem = tuple[str, str]


def xlsx_target_problem(path: Any) -> TargetProblem | None:
    """Why a workbook cannot be written to ``path``, as (reason, detail), or None: an
    existing path must be a regular file (it is replaced), not a symlink, device, FIFO or
    socket (``lstat``: the link itself); its folder must exist and take a new file. The
    same check for ``hallq-admin plan --xlsx`` and the supervisor's export."""
    import os
    import stat
    import tempfile
    from pathlib import Path

    target = Path(path)
    try:
        mode = os.lstat(target).st_mode
    except FileNotFoundError:
        mode = None
    except OSError as exc:
        return "cannot_write", str(exc.strerror or exc)
    if mode is not None and stat.S_ISDIR(mode):
        return "folder", ""
    if mode is not None and not stat.S_ISREG(mode):
        kind = ("symlink" if stat.S_ISLNK(mode) else "FIFO" if stat.S_ISFIFO(mode)
                else "socket" if stat.S_ISSOCK(mode) else "device")
        return "not_a_file", kind
    if not target.parent.is_dir():
        return "no_folder", str(target.parent)
    try:
        with tempfile.NamedTemporaryFile(dir=target.parent, prefix=f".{target.name}.",
                                         suffix=".part"):
            pass
    except OSError as exc:
        return "cannot_write", str(exc.strerror or exc)
    return None


def proposed_opening(plan: StaffingPlan) -> Opening:
    """The windows to open per half-hour: the checked ones, or for a plan made without
    the check Erlang C's windows as the site's windows (:func:`windows_to_open`, a
    comprehensive window counting by its weight share), extra staff where it has too few."""
    return plan.opening or _erlang_opening(plan)[0]


def write_plan_xlsx(plan: StaffingPlan, path: Any) -> Any:
    """The plan as an Excel workbook a hall office can print: one sheet of every cell
    (Erlang C's verdict and the simulation's side by side, labelled), one of the windows
    to open per half-hour of each day (the checked proposal, or Erlang C's on the site's
    windows when the check did not run, saying so: how many, how many of them staff
    beyond the site's windows, which of the site's). Each sheet prints on A4 landscape,
    one page wide, the header row repeated on every page. Written to a temporary file
    next to ``path`` and moved into place, so a failed write leaves nothing behind; the
    file gets a new file's mode (0666 less the umask). A ``path`` that exists and is not
    a regular file (symlink, device, FIFO) is never replaced: OSError, as for any
    failure (it names what went wrong)."""
    import errno
    import os
    import secrets
    import stat
    from pathlib import Path

    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.worksheet import Worksheet

    checked = bool(plan.opening)
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "排班建议"
    sheet.append([f"{plan.site} 排班建议 {plan.week} 起一周（依据 {plan.history[0]} 至 "
                  f"{plan.history[1]}，目标 {plan.goal:.0%} 在时限内叫号）"
                  + ("" if checked else f"；{UNCHECKED_NOTE}")])
    sheet["A1"].font = Font(bold=True)
    sheet.append(list(XLSX_HEADERS))
    for cell in plan.cells:
        sheet.append([cell.day.isoformat(), "周" + WEEKDAY_NAMES[cell.day.weekday()],
                      slot_label(cell.slot), cell.service,
                      plan.service_names.get(cell.service, cell.service),
                      round(cell.arrivals_per_hour, 1), round(cell.handle_minutes, 1),
                      cell.windows, round(cell.service_level, 3),
                      round(cell.mean_wait_minutes, 1), cell.serving_windows,
                      "是" if cell.short else "", _rounded(cell.simulated_level, 3),
                      "未模拟" if cell.simulated_short is None
                      else "是" if cell.simulated_short else ""])
        for column in (9, 13):  # the service levels, as percentages
            sheet.cell(row=sheet.max_row, column=column).number_format = PERCENT
    totals = book.create_sheet("每半小时合计")
    totals.append(list(TOTALS_HEADERS))
    opening = proposed_opening(plan)
    for (day, slot), opened_at in sorted(opening.items()):
        opened = sorted(opened_at)
        site_numbers = [str(n) for n in opened if n < EXTRA_WINDOW_BASE]
        extra = len(opened) - len(site_numbers)
        totals.append([day.isoformat(), slot_label(slot), len(opened), extra, plan.site_windows,
                       "、".join(site_numbers) + (f" 及增派 {extra} 人" if extra else "")])
    if not checked:
        totals.append([UNCHECKED_NOTE])

    def for_print(ws: Worksheet, header_row: int, widths: tuple[int, ...]) -> None:
        for column, width in enumerate(widths, start=1):
            ws.column_dimensions[get_column_letter(column)].width = width
        for head in ws[header_row]:
            head.font = Font(bold=True)
            head.alignment = Alignment(wrap_text=True, vertical="center")
        ws.print_title_rows = f"{header_row}:{header_row}"  # on every printed page
        ws.page_setup.orientation = "landscape"
        ws.page_setup.paperSize = ws.PAPERSIZE_A4
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0  # as many pages down as it takes
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.freeze_panes = ws.cell(row=header_row + 1, column=1)

    for_print(sheet, 2, XLSX_WIDTHS)
    for_print(totals, 1, TOTALS_WIDTHS)
    target = Path(path)

    def refuse_unless_regular() -> None:
        try:
            mode = os.lstat(target).st_mode
        except FileNotFoundError:
            return
        if not stat.S_ISREG(mode):
            raise OSError(errno.EEXIST, "exists and is not a regular file", str(target))

    refuse_unless_regular()
    # The part file made by os.open with 0o666, so the umask applies as to any new file
    # (mkstemp would leave it 0600); O_EXCL: never an existing file.
    while True:
        part = target.parent / f".{target.name}.{secrets.token_hex(4)}.part"
        try:
            os.close(os.open(part, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666))
            break
        except FileExistsError:
            continue
    try:
        book.save(part)
        refuse_unless_regular()  # replaced meanwhile by something that is not a file
        os.replace(part, target)
    except BaseException:
        part.unlink(missing_ok=True)
        raise
    return path


# --------------------------------------------------------------------------- real windows


EXTRA_WINDOW_BASE = 1000  # numbers of the windows a plan adds beyond the site's
MAX_CHECK_ROUNDS = 60  # rounds of adding windows before the check gives up on a day
# Passes of closing windows: a later closing can make an earlier-kept window unneeded
# (the weighted interleave is not monotone in the windows), so the pass is repeated.
MAX_CLOSING_PASSES = 3


def service_groups(windows: Mapping[int, Mapping[str, int]],
                   services: Iterable[str] = ()) -> list[frozenset[str]]:
    """The services that share windows, directly or through another service (the
    connected parts of the window-service graph); a service no window serves is a group
    of its own. Sorted by their smallest code."""
    parent: dict[str, str] = {}

    def root(s: str) -> str:
        parent.setdefault(s, s)
        while parent[s] != s:
            parent[s] = parent[parent[s]]
            s = parent[s]
        return s

    for s in services:
        root(s)
    for weights in windows.values():
        codes = sorted(weights)
        for other in codes[1:]:
            parent[root(other)] = root(codes[0])
        if codes:
            root(codes[0])
    groups: dict[str, set[str]] = {}
    for s in list(parent):
        groups.setdefault(root(s), set()).add(s)
    return sorted((frozenset(g) for g in groups.values()), key=min)


def windows_to_open(plan: StaffingPlan, day: dt.date, slot: int, *,
                    by_share: bool = True) -> dict[int, dict[str, int]]:
    """Erlang C's windows for a half-hour, as the site's windows with their services and
    weights: every service gets at least its planned number of windows' worth of
    capacity, a window serving several services counting for each by its weight share
    (weights 2:1:1 give the first service half a window). The site's windows first (the
    services needing most first, windows that serve fewer other services first), then,
    where the site has too few, extra windows for that service alone (numbered from
    EXTRA_WINDOW_BASE: the staff the plan asks for beyond today's). This is where
    :func:`check_plan` starts from, with ``by_share`` off: a window open for one
    service then counts as a whole window for each of its others too (a lean start the
    check adds to where it falls short)."""
    need = {c.service: c.windows for c in plan.cells if c.day == day and c.slot == slot}
    opened: dict[int, dict[str, int]] = {}
    extra = EXTRA_WINDOW_BASE

    def share(weights: dict[str, int], service: str) -> float:
        if not by_share:
            return 1.0 if service in weights else 0.0
        return weights.get(service, 0) / sum(weights.values())

    for service in sorted(need, key=lambda s: (-need[s], s)):
        have = sum(share(ws, service) for ws in opened.values())
        for number in sorted((n for n, ws in plan.windows.items()
                              if service in ws and n not in opened),
                             key=lambda n: (len(plan.windows[n]), n)):
            if have >= need[service] - 1e-9:
                break
            opened[number] = plan.windows[number]
            have += share(plan.windows[number], service)
        while have < need[service] - 1e-9:
            while extra in opened:
                extra += 1
            opened[extra] = {service: 1}
            have += 1
    return opened


# An arrival of the simulation: (minute of the day, service, arrival slot, class rank,
# handle minutes). Drawn once per day and run, so that two window sets are compared on
# the same citizens (common random numbers).
_Arrival = tuple[float, str, int, int, float]
# Per (arrival slot, service): [arrivals, called within the target, sum of waits, called].
_Stat = list[float]
_Stats = dict[tuple[int, str], _Stat]


@dataclass
class _Day:
    """One day of one service group, ready to play."""

    day: dt.date
    cells: dict[tuple[int, str], PlanCell]
    runs: list[list[_Arrival]]
    normal_rank: int
    arrivals: dict[tuple[int, str], int] = field(default_factory=dict)  # over all runs

    def __post_init__(self) -> None:
        self.arrivals = dict.fromkeys(self.cells, 0)
        for run in self.runs:
            for arrival in run:
                self.arrivals[(arrival[2], arrival[1])] += 1

    @property
    def slots(self) -> range:
        return range(min(s for s, _ in self.cells), max(s for s, _ in self.cells) + 1)

    def until(self) -> dict[int, float]:
        """Per half-hour, when its windows stop calling: at its end, or, before a break
        or closing (no citizens expected next), when the next citizens are expected
        (closing: never) — a hall serves those already waiting."""
        expected = sorted({s for s, _ in self.cells})
        result = {}
        for slot in self.slots:
            later = [s for s in expected if s > slot]
            if later and later[0] == slot + 1:
                result[slot] = (slot + 1) * float(SLOT_MINUTES)
            else:
                result[slot] = later[0] * float(SLOT_MINUTES) if later else math.inf
        return result


def _class_ranks(rules: RoutingRules) -> tuple[int, int, int]:
    """The call ranks of green-channel, transferred and ordinary stays (lower first)."""
    transfer = "transfer" if rules.transfer_rule == "priority" else "normal"
    return rules.rank("green"), rules.rank(transfer), rules.rank("normal")


def _draw_day(day: dt.date, cells: dict[tuple[int, str], PlanCell], runs: int, seed: int,
              rules: RoutingRules, service_cv: float) -> _Day:
    """Poisson arrivals at each cell's rate, each green (called first), transferred
    (called before ordinary tickets under the priority rule) or ordinary by the cell's
    shares, with a log-normal handle time of the cell's mean."""
    import random

    key = "|".join(sorted({s for _, s in cells}))
    rng = random.Random(f"{seed}:{day.isoformat()}:{key}")
    green, transfer, normal = _class_ranks(rules)
    appointment = rules.rank("appointment")
    sigma = math.sqrt(math.log(1 + service_cv ** 2))
    played = []
    for _run in range(runs):
        arrivals: list[_Arrival] = []
        for (slot, service), cell in sorted(cells.items()):
            rate = cell.arrivals_per_hour / 60
            t, end = slot * float(SLOT_MINUTES), (slot + 1) * float(SLOT_MINUTES)
            mu = math.log(max(cell.handle_minutes, 0.05)) - sigma * sigma / 2
            while rate > 0:
                t += rng.expovariate(rate)
                if t >= end:
                    break
                u = rng.random()
                booked = cell.green_share + cell.appointment_share
                rank = (green if u < cell.green_share else appointment if u < booked
                        else transfer if u < booked + cell.transfer_share else normal)
                arrivals.append((t, service, slot, rank, rng.lognormvariate(mu, sigma)))
        arrivals.sort()
        played.append(arrivals)
    return _Day(day, cells, played, normal)


_SlotOpening = Mapping[int, Mapping[int, Mapping[str, int]]]  # slot -> window -> weights
_Call = tuple[tuple[int, str], bool, float]  # (arrival slot, service), within target, wait
# A run's state at the start of a half-hour: next arrival, busy windows (free at, number),
# idle windows, the queues (service, class rank, waiting arrivals), the credits.
_State = tuple[int, tuple[tuple[float, int], ...], frozenset[int],
               tuple[tuple[str, int, tuple[_Arrival, ...]], ...],
               tuple[tuple[int, tuple[tuple[str, int], ...]], ...]]


class _Run:
    """One run of one day. Each window open in a half-hour calls by the routing rule: the
    best class waiting for any of its services (green channel, transfers), earliest
    first, else ordinary tickets by its weighted interleave (``shared.routing``). A
    window closing at the end of a half-hour finishes its citizen first; after the last
    half-hour the last windows keep calling until nobody is left, as a hall does."""

    def __init__(self, arrivals: list[_Arrival], targets: dict[str, int], normal_rank: int,
                 state: _State | None = None) -> None:
        from collections import deque

        self.arrivals = arrivals
        self.targets = targets
        self.normal_rank = normal_rank
        self.queues: dict[str, dict[int, Any]] = {s: {} for s in targets}
        self.credits: dict[int, dict[str, int]] = {}
        self.busy: list[tuple[float, int]] = []
        self.idle: set[int] = set()
        self.i = 0
        if state is not None:
            self.i, busy, idle, queues, credits = state
            self.busy = list(busy)  # sorted, so a heap
            self.idle = set(idle)
            for service, rank, waiting in queues:
                self.queues[service][rank] = deque(waiting)
            self.credits = {n: dict(c) for n, c in credits}

    def state(self) -> _State:
        return (self.i, tuple(sorted(self.busy)), frozenset(self.idle),
                tuple((s, r, tuple(q)) for s in sorted(self.queues)
                      for r, q in sorted(self.queues[s].items()) if q),
                tuple((n, tuple(sorted(c.items()))) for n, c in sorted(self.credits.items())))

    def _call(self, number: int, weights: Mapping[str, int], t: float,
              calls: list[_Call]) -> bool:
        import heapq

        from shared.routing import settle_credits, weighted_order

        best: tuple[int, float, str] | None = None
        for s in weights:
            for rank, q in self.queues.get(s, {}).items():
                if q and (best is None or (rank, q[0][0]) < best[:2]):
                    best = (rank, q[0][0], s)
        if best is None:
            return False
        rank, _first, service = best
        if rank == self.normal_rank:
            present = sorted(s for s in weights if self.queues.get(s, {}).get(rank))
            if len(present) > 1:
                mine = self.credits.setdefault(number, dict.fromkeys(weights, 0))
                order, _ = weighted_order(mine, weights, present)
                service = order[0]
                mine.update(settle_credits(mine, weights, present, service))
        arrived, code, slot, _rank, handle = self.queues[service][rank].popleft()
        wait = t - arrived
        calls.append(((slot, code), wait <= self.targets[code] + 1e-9, wait))
        heapq.heappush(self.busy, (t + handle, number))
        return True

    def play(self, slot: int, open_now: Mapping[int, Mapping[str, int]], end: float,
             calls: list[_Call]) -> None:
        """Play one half-hour until ``end`` (:meth:`_Day.until`), appending the calls."""
        import heapq
        from collections import deque

        start = slot * float(SLOT_MINUTES)
        busy_ids = {n for _t, n in self.busy}
        self.idle = {w for w in self.idle if w in open_now}
        self.idle |= {w for w in open_now if w not in busy_ids}
        for number in sorted(self.idle):
            if self._call(number, open_now[number], start, calls):
                self.idle.discard(number)
        arrivals, n, busy = self.arrivals, len(self.arrivals), self.busy
        while True:
            ta = arrivals[self.i][0] if self.i < n else math.inf
            tw = busy[0][0] if busy else math.inf
            if (ta >= end and tw >= end) or ta == tw == math.inf:
                break
            if ta <= tw:
                arrival = arrivals[self.i]
                self.i += 1
                self.queues[arrival[1]].setdefault(arrival[3], deque()).append(arrival)
                for number in sorted(self.idle):
                    if arrival[1] in open_now[number]:
                        self.idle.discard(number)
                        self._call(number, open_now[number], ta, calls)
                        break
                continue
            t, number = heapq.heappop(busy)
            if number in open_now and not self._call(number, open_now[number], t, calls):
                self.idle.add(number)
        # Anyone still waiting had no window serving their service at the end.


class _Played:
    """A day played over one opening, every run kept (its state at the start of each
    half-hour and the calls in it), so that a change from one half-hour on is replayed
    from there only, and only until each run is back where it was."""

    def __init__(self, day: _Day, opening: _SlotOpening, base: _Played | None = None,
                 first: int = 0) -> None:
        """Play ``opening``; with ``base`` (the same day over an opening that differs
        from half-hour index ``first`` on), keep its runs before ``first``."""
        self.day = day
        self.opening = opening
        self.slots = list(day.slots)
        self.until = day.until()
        self.targets = {s: c.target_minutes for (_slot, s), c in day.cells.items()}
        self.states: list[list[_State]] = []
        self.calls: list[list[list[_Call]]] = []
        for r, arrivals in enumerate(day.runs):
            if base is None or first == 0:
                run = _Run(arrivals, self.targets, day.normal_rank)
                states: list[_State] = []
                calls: list[list[_Call]] = []
            else:
                run = _Run(arrivals, self.targets, day.normal_rank, base.states[r][first])
                states, calls = base.states[r][:first], base.calls[r][:first]
            for slot in self.slots[len(states):]:
                states.append(run.state())
                calls.append([])
                run.play(slot, opening.get(slot, {}), self.until[slot], calls[-1])
            self.states.append(states)
            self.calls.append(calls)
        self.stats = self._stats(self.calls)

    def _stats(self, calls: list[list[list[_Call]]]) -> _Stats:
        stats: _Stats = {key: [float(n), 0, 0.0, 0] for key, n in self.day.arrivals.items()}
        for run in calls:
            for slot_calls in run:
                for key, within, wait in slot_calls:
                    st = stats[key]
                    st[1] += within
                    st[2] += wait
                    st[3] += 1
        return stats

    def change(self, slot: int, opened: Mapping[int, Mapping[str, int]]) -> _Stats:
        """The stats with half-hour ``slot`` opening ``opened`` instead (the rest as is),
        each run replayed from that half-hour until its state is the same as here."""
        first = self.slots.index(slot)
        stats = {key: list(st) for key, st in self.stats.items()}
        for r, arrivals in enumerate(self.day.runs):
            run = _Run(arrivals, self.targets, self.day.normal_rank, self.states[r][first])
            for k in range(first, len(self.slots)):
                if k > first and run.state() == self.states[r][k]:
                    break
                calls: list[_Call] = []
                run.play(self.slots[k], opened if k == first else
                         self.opening.get(self.slots[k], {}), self.until[self.slots[k]], calls)
                for key, within, wait in calls:
                    st = stats[key]
                    st[1] += within
                    st[2] += wait
                    st[3] += 1
                for key, within, wait in self.calls[r][k]:
                    st = stats[key]
                    st[1] -= within
                    st[2] -= wait
                    st[3] -= 1
        return stats


def _play(day: _Day, opening: _SlotOpening) -> _Stats:
    """Play every run of ``day`` over ``opening`` (slot -> window -> weights)."""
    return _Played(day, opening).stats


def _misses(stats: _Stats, goal: float) -> set[tuple[int, str]]:
    return {key for key, st in stats.items() if st[0] and st[1] / st[0] < goal}


def _days(plan: StaffingPlan, runs: int, seed: int, rules: RoutingRules,
          service_cv: float) -> list[tuple[_Day, frozenset[str]]]:
    """Each day of the plan, per service group, with its arrivals drawn."""
    group_of = {s: g for g in plan.groups() for s in g}
    parts: dict[tuple[dt.date, frozenset[str]], dict[tuple[int, str], PlanCell]] = {}
    for cell in plan.cells:
        parts.setdefault((cell.day, group_of[cell.service]), {})[(cell.slot, cell.service)] = cell
    return [(_draw_day(day, cells, runs, seed, rules, service_cv), group)
            for (day, group), cells in sorted(parts.items(), key=lambda kv: (kv[0][0],
                                                                            min(kv[0][1])))]


def _group_opening(plan: StaffingPlan, day: dt.date, group: frozenset[str],
                   opening: Opening) -> dict[int, dict[int, dict[str, int]]]:
    return {slot: {n: ws for n, ws in opened.items() if next(iter(ws)) in group}
            for (d, slot), opened in opening.items() if d == day}


def check_plan(plan: StaffingPlan, *, runs: int = DEFAULT_CHECK_RUNS, seed: int = 1,
               rules: RoutingRules | None = None, service_cv: float = SERVICE_CV,
               margin: float = DEFAULT_MARGIN) -> StaffingPlan:
    """Check Erlang C's windows by simulation and correct them: the plan's proposed
    windows per half-hour (:attr:`StaffingPlan.opening`).

    Per day and group of services sharing windows, starting from :func:`windows_to_open`
    and playing the day ``runs`` times on the same drawn citizens (:func:`_play_run`:
    the real call order, green channel and transfers included): while a half-hour of a
    service misses the goal, open one more window for it there (the site's window giving
    it the largest share first, else an extra window for it alone); then try closing
    each window in each half-hour, extra windows first and the latest half-hours first,
    and keep it closed when every half-hour still meets the goal, unless it is the only
    window serving a service expected in that half-hour (a citizen must find one);
    repeated while a pass closes any (at most MAX_CLOSING_PASSES). So
    every remaining window-half-hour is needed: closing it makes some half-hour of that
    day miss, or leaves a service nobody serves (:func:`necessity`).
    """
    rules = rules or RoutingRules()
    if runs < 1:
        raise ValueError("runs must be at least 1")
    if not 0 <= margin < 1 - plan.goal:
        raise ValueError(f"the margin must be at least 0 and leave the goal below 1, got {margin}")
    goal = plan.goal + margin
    opening, extra_number = _erlang_opening(plan, by_share=False)
    simulated: dict[tuple[dt.date, int, str], _Stat] = {}
    unmet = 0
    for drawn, group in _days(plan, runs, seed, rules, service_cv):
        own = _group_opening(plan, drawn.day, group, opening)
        stats = _play(drawn, own)
        for _round in range(MAX_CHECK_ROUNDS):
            missing = _misses(stats, goal)
            if not missing:
                break
            for slot, service in sorted(missing):
                _open_one_more(plan, own.setdefault(slot, {}), service, extra_number)
            stats = _play(drawn, own)
        played = _Played(drawn, own)
        failing = _misses(played.stats, goal)
        for _pass in range(MAX_CLOSING_PASSES):
            closed = 0
            candidates = sorted(((slot, n) for slot, opened in own.items() for n in opened),
                                key=lambda sn: (sn[1] < EXTRA_WINDOW_BASE, -sn[0], -sn[1]))
            for slot, number in candidates:
                fewer = {n: ws for n, ws in own[slot].items() if n != number}
                if not _serves_every_cell(drawn, slot, fewer):
                    continue
                if _misses(played.change(slot, fewer), goal) <= failing:
                    own = {**own, slot: fewer}
                    played = _Played(drawn, own, played, played.slots.index(slot))
                    closed += 1
            if not closed:
                break
        unmet += len(_misses(played.stats, goal))
        for slot in drawn.slots:
            key = (drawn.day, slot)
            others = {n: ws for n, ws in opening.get(key, {}).items()
                      if next(iter(ws)) not in group}
            opening[key] = others | own.get(slot, {})
        for (slot, service), st in played.stats.items():
            simulated[(drawn.day, slot, service)] = st
    cells = []
    for cell in plan.cells:
        measured = simulated.get((cell.day, cell.slot, cell.service))
        extra = any(n >= EXTRA_WINDOW_BASE and cell.service in ws
                    for n, ws in opening.get((cell.day, cell.slot), {}).items())
        level = measured[1] / measured[0] if measured and measured[0] else None
        cell = replace(cell, simulated_short=extra or (level is not None and level < plan.goal))
        if measured and measured[0]:
            cell = replace(cell, simulated_level=level,
                           simulated_wait_minutes=measured[2] / measured[3] if measured[3]
                           else None)
        cells.append(cell)
    opening = {key: opened for key, opened in opening.items() if opened}
    return replace(plan, cells=cells, opening=opening, runs=runs, unmet=unmet, margin=margin)


def _serves_every_cell(day: _Day, slot: int, opened: Mapping[int, Mapping[str, int]]) -> bool:
    """Whether every service expecting citizens in ``slot`` keeps a window serving it."""
    return all(any(service in ws for ws in opened.values())
               for s, service in day.cells if s == slot)


def _erlang_opening(plan: StaffingPlan, *, by_share: bool = True
                    ) -> tuple[Opening, Callable[[str, int], int]]:
    """:func:`windows_to_open` for every half-hour, the extra windows numbered once for
    the week (the k-th extra window of a service always has the same number), and the
    numbering function for more."""
    extras: dict[str, list[int]] = {}  # per service, its extra windows' numbers

    def extra_number(service: str, k: int) -> int:
        numbers = extras.setdefault(service, [])
        while len(numbers) <= k:
            numbers.append(EXTRA_WINDOW_BASE + sum(len(v) for v in extras.values()))
        return numbers[k]

    opening: Opening = {}
    for day, slot in sorted({(c.day, c.slot) for c in plan.cells}):
        opened: dict[int, dict[str, int]] = {}
        count: dict[str, int] = {}
        for number, weights in windows_to_open(plan, day, slot, by_share=by_share).items():
            if number >= EXTRA_WINDOW_BASE:
                service = next(iter(weights))
                number = extra_number(service, count.get(service, 0))
                count[service] = count.get(service, 0) + 1
            opened[number] = dict(weights)
        opening[(day, slot)] = opened
    return opening, extra_number


def _open_one_more(plan: StaffingPlan, opened: dict[int, dict[str, int]], service: str,
                   extra_number: Callable[[str, int], int]) -> None:
    """Open one more window for ``service`` in a half-hour: the site's closed window
    giving it the largest share (fewer other services first), else its next extra one."""
    closed = [n for n, ws in plan.windows.items() if service in ws and n not in opened]
    if closed:
        best = max(closed, key=lambda n: (plan.windows[n][service] / sum(plan.windows[n].values()),
                                          -len(plan.windows[n]), -n))
        opened[best] = dict(plan.windows[best])
        return
    k = 0
    while extra_number(service, k) in opened:
        k += 1
    opened[extra_number(service, k)] = {service: 1}


def necessity(plan: StaffingPlan, *, seed: int = 1, rules: RoutingRules | None = None,
              service_cv: float = SERVICE_CV) -> dict[tuple[dt.date, int, int], str | None]:
    """For every window open in every half-hour of a checked plan, what closing it there
    does, on the same simulated citizens the check used (same ``seed``, the plan's
    runs): "here" (a cell of that half-hour then misses the goal), "next" (the next
    half-hour's), "later", "only" (it is the only window serving a service expected
    then, kept whatever the simulation says) or None (nothing misses: not needed)."""
    if not plan.opening or plan.runs < 1:
        raise ValueError("the plan has no checked windows (made with runs=0)")
    rules = rules or RoutingRules()
    goal = plan.goal + plan.margin
    result: dict[tuple[dt.date, int, int], str | None] = {}
    for drawn, group in _days(plan, plan.runs, seed, rules, service_cv):
        own = _group_opening(plan, drawn.day, group, plan.opening)
        played = _Played(drawn, own)
        failing = _misses(played.stats, goal)
        for slot, opened in own.items():
            for number in opened:
                fewer = {n: ws for n, ws in opened.items() if n != number}
                if not _serves_every_cell(drawn, slot, fewer):
                    result[(drawn.day, slot, number)] = "only"
                    continue
                broken = {s for s, _ in _misses(played.change(slot, fewer), goal) - failing}
                result[(drawn.day, slot, number)] = (
                    None if not broken else "here" if slot in broken
                    else "next" if slot + 1 in broken else "later")
    return result


def simulate_windows(plan: StaffingPlan, *, runs: int = 20, seed: int = 1,
                     rules: RoutingRules | None = None,
                     service_cv: float = SERVICE_CV) -> list[SimulatedCell]:
    """Play the planned week over the proposed windows (the checked ``plan.opening``, or
    Erlang C's :func:`windows_to_open` when the plan was not checked) on citizens drawn
    from ``seed``: pass another seed than the check's for an independent test of the
    plan. Per cell, the share of its arrivals called within the target."""
    if runs < 1:
        raise ValueError("runs must be at least 1")
    rules = rules or RoutingRules()
    opening = plan.opening or _erlang_opening(plan)[0]
    waits: dict[tuple[dt.date, int, str], _Stat] = {}
    for played, group in _days(plan, runs, seed, rules, service_cv):
        own = _group_opening(plan, played.day, group, opening)
        for (slot, service), st in _play(played, own).items():
            waits[(played.day, slot, service)] = st
    result = []
    for cell in plan.cells:
        measured = waits.get((cell.day, cell.slot, cell.service))
        if not measured or not measured[0]:
            result.append(SimulatedCell(cell, 0, None, None))
            continue
        result.append(SimulatedCell(cell, int(measured[0]), measured[1] / measured[0],
                                    measured[2] / measured[3] if measured[3] else None))
    return result

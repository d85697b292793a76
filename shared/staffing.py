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
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Float, and_, case, cast, func, select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.types import Integer

from shared.db import Database
from shared.lookup import site_by_code
from shared.models import Segment, Service, Window, WindowService
from shared.prediction import DEFAULT_SERVICE_MINUTES, NO_SHOW_MINUTES
from shared.stats.sql import DurationMicros, SqlColumn, as_column

SLOT_MINUTES = 30
DEFAULT_GOAL = 0.8  # share of waits within the service's target
MAX_WINDOWS = 60  # a plan asking for more is refused as nonsense input


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
    seconds = cast(Segment.service_us, Float) / 1_000_000.0
    walk = cast(DurationMicros(Segment.started_at, Segment.called_at), Float) / 1_000_000.0
    called = Segment.called_at.is_not(None)
    no_show = and_(called, Segment.started_at.is_(None),
                   Segment.result.in_(("no_show", "expired", "cancelled")))
    rows = session.execute(
        select(Service.code, Segment.weekday, slot.label("slot"), func.count(),
               func.avg(seconds), func.avg(case((Segment.service_us.is_not(None), walk))),
               func.sum(case((called, 1), else_=0)), func.sum(case((no_show, 1), else_=0)))
        .join(Service, Service.id == Segment.service_id)
        .where(scope)
        .group_by(Service.code, Segment.weekday, slot)
    ).all()
    days = dict(session.execute(
        select(Segment.weekday, func.count(func.distinct(Segment.business_day)))
        .where(scope).group_by(Segment.weekday)).all())
    demand = []
    for code, weekday, half_hour, count, service_mean, walk_mean, calls, gone in rows:
        if weekday is None or half_hour is None or not days.get(weekday):
            continue
        share = int(gone or 0) / int(calls) if calls else 0.0
        handle = None
        if service_mean is not None:
            served = float(service_mean) + float(walk_mean or 0)
            handle = (1 - share) * served + share * NO_SHOW_MINUTES * 60
        demand.append(Demand(code, int(weekday), int(half_hour), int(count) / days[weekday],
                             handle, share))
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

    def to_json(self) -> dict[str, Any]:
        return {"day": self.day.isoformat(), "slot": slot_label(self.slot),
                "service": self.service, "arrivals_per_hour": round(self.arrivals_per_hour, 2),
                "handle_minutes": round(self.handle_minutes, 2), "windows": self.windows,
                "service_level": round(self.service_level, 3),
                "mean_wait_minutes": round(self.mean_wait_minutes, 2),
                "serving_windows": self.serving_windows, "short": self.short,
                "target_minutes": self.target_minutes}


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

    def window_hours(self) -> float:
        return sum(c.windows for c in self.cells) * SLOT_MINUTES / 60

    def totals(self) -> dict[tuple[dt.date, int], int]:
        """Windows needed per half-hour, all services together."""
        result: dict[tuple[dt.date, int], int] = {}
        for c in self.cells:
            result[(c.day, c.slot)] = result.get((c.day, c.slot), 0) + c.windows
        return result

    def to_json(self) -> dict[str, Any]:
        return {"site": self.site, "week": self.week.isoformat(),
                "history": [d.isoformat() for d in self.history], "goal": self.goal,
                "window_hours": round(self.window_hours(), 1),
                "site_windows": self.site_windows,
                "shortfalls": sum(1 for c in self.cells if c.short),
                "cells": [c.to_json() for c in self.cells]}


def staffing_plan(db: Database, week: dt.date, *, site: str | None = None,
                  history_weeks: int = 4, goal: float = DEFAULT_GOAL) -> StaffingPlan:
    """The plan for the week starting on Monday ``week``, from the ``history_weeks``
    weeks before it."""
    if week.weekday() != 0:
        raise ValueError(f"{week} is not a Monday: a plan is made for a week from Monday")
    if history_weeks < 1:
        raise ValueError("history_weeks must be at least 1")
    if not 0 < goal < 1:
        raise ValueError(f"the service-level goal must be between 0 and 1, got {goal}")
    first = week - dt.timedelta(weeks=history_weeks)
    last = week - dt.timedelta(days=1)
    with db.read() as session:
        site_row = site_by_code(session, site)
        offset = ZoneInfo(site_row.timezone).utcoffset(dt.datetime.combine(week, dt.time(12)))
        minutes = int((offset or dt.timedelta(0)).total_seconds() // 60)
        demand = history_demand(session, site_row.id, first, last, minutes)
        targets = dict(session.execute(select(Service.code, Service.target_minutes)).all())
        serving = dict(session.execute(
            select(Service.code, func.count(func.distinct(Window.id)))
            .join(WindowService, WindowService.service_id == Service.id)
            .join(Window, Window.id == WindowService.window_id)
            .where(Window.site_id == site_row.id, Window.active.is_(True),
                   WindowService.active.is_(True))
            .group_by(Service.code)).all())
        code = site_row.code
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
        per_hour = d.arrivals * 60 / SLOT_MINUTES
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
            mean_wait(load, need, handle) / 60, have, need > have, target // 60))
    return StaffingPlan(code, week, (first, last), goal, cells, site_windows, windows)


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

XLSX_HEADERS = ("日期", "星期", "时段", "业务", "每小时到达（人）", "每人办理（分钟）", "建议窗口数",
                "预计服务水平", "预计平均等候（分钟）", "现有窗口数", "窗口不足")
WEEKDAY_NAMES = "一二三四五六日"


def write_plan_xlsx(plan: StaffingPlan, path: Any) -> Any:
    """The plan as an Excel workbook a hall office can print: one sheet of every cell,
    one of the windows needed per half-hour of each day (all services together)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = "排班建议"
    sheet.append([f"{plan.site} 排班建议 {plan.week} 起一周（依据 {plan.history[0]} 至 "
                  f"{plan.history[1]}，目标 {plan.goal:.0%} 在时限内叫号）"])
    sheet["A1"].font = Font(bold=True)
    sheet.append(list(XLSX_HEADERS))
    for cell in plan.cells:
        sheet.append([cell.day.isoformat(), "周" + WEEKDAY_NAMES[cell.day.weekday()],
                      slot_label(cell.slot), cell.service, round(cell.arrivals_per_hour, 1),
                      round(cell.handle_minutes, 1), cell.windows,
                      round(cell.service_level, 3), round(cell.mean_wait_minutes, 1),
                      cell.serving_windows, "是" if cell.short else ""])
    totals = book.create_sheet("每半小时合计")
    totals.append(["日期", "时段", "建议窗口数（各业务合计）", "本站点窗口数"])
    for (day, slot), windows in sorted(plan.totals().items()):
        totals.append([day.isoformat(), slot_label(slot), windows, plan.site_windows])
    for ws in (sheet, totals):
        ws.page_setup.orientation = "landscape"
        ws.page_setup.fitToWidth = 1
        ws.sheet_properties.pageSetUpPr.fitToPage = True
    book.save(path)
    return path


# --------------------------------------------------------------------------- real windows


EXTRA_WINDOW_BASE = 1000  # numbers of the windows a plan adds beyond the site's


def windows_to_open(plan: StaffingPlan, day: dt.date, slot: int) -> dict[int, dict[str, int]]:
    """The windows to open in a half-hour, with their services and weights, so that every
    service has at least the planned number of windows' worth of capacity: a window
    serving several services counts for each by its weight share (weights 2:1:1 give the
    first service half a window). The site's windows first (the services needing most
    first, windows that serve fewer other services first), then, where the site has too
    few, extra windows for that service alone (numbered from EXTRA_WINDOW_BASE: the staff
    the plan asks for beyond today's)."""
    need = {c.service: c.windows for c in plan.cells if c.day == day and c.slot == slot}
    opened: dict[int, dict[str, int]] = {}
    extra = EXTRA_WINDOW_BASE
    def share(weights: dict[str, int], service: str) -> float:
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


def simulate_windows(plan: StaffingPlan, *, runs: int = 20, seed: int = 1,
                     service_cv: float = 0.6) -> list[SimulatedCell]:
    """Play the planned week over the proposed windows: in each half-hour the windows of
    :func:`windows_to_open` (the site's, plus extra ones where it has too few), each
    calling by the real routing (the weighted interleave
    of its services, ``shared.routing.weighted_order`` and ``settle_credits``, arrival
    order within a service), Poisson arrivals and log-normal handle times as in
    :func:`simulate_plan`. A comprehensive window counted for several services is shared
    by them here, so this is where a per-service plan meets the hall's windows."""
    import heapq
    import random

    from shared.routing import settle_credits, weighted_order

    cell: PlanCell | None
    if runs < 1:
        raise ValueError("runs must be at least 1")
    rng = random.Random(seed)
    sigma = math.sqrt(math.log(1 + service_cv ** 2))
    waits: dict[tuple[dt.date, int, str], list[float]] = {}
    by_day: dict[dt.date, dict[tuple[int, str], PlanCell]] = {}
    for cell in plan.cells:
        by_day.setdefault(cell.day, {})[(cell.slot, cell.service)] = cell
    codes = sorted({c.service for c in plan.cells} | {s for ws in plan.windows.values()
                                                       for s in ws})
    for day, cells in by_day.items():
        first = min(slot for slot, _ in cells)
        last = max(slot for slot, _ in cells)
        opening = {slot: windows_to_open(plan, day, slot) for slot in range(first, last + 1)}
        universe: dict[int, dict[str, int]] = {}
        for opened in opening.values():
            universe.update(opened)
        for _run in range(runs):
            arrivals: list[tuple[float, str, int]] = []
            for (slot, service), cell in cells.items():
                t, rate = float(slot * SLOT_MINUTES), cell.arrivals_per_hour / 60
                while rate > 0:
                    t += rng.expovariate(rate)
                    if t >= (slot + 1) * SLOT_MINUTES:
                        break
                    arrivals.append((t, service, slot))
            arrivals.sort()
            queues: dict[str, list[tuple[float, int]]] = {c: [] for c in codes}
            credits = {n: dict.fromkeys(ws, 0) for n, ws in universe.items()}
            events: list[tuple[float, int]] = [(float(first * SLOT_MINUTES), n)
                                               for n in universe]
            heapq.heapify(events)
            end_of_day = (last + 1) * SLOT_MINUTES
            i = 0
            while events:
                t, number = heapq.heappop(events)
                while i < len(arrivals) and arrivals[i][0] <= t:
                    queues[arrivals[i][1]].append((arrivals[i][0], arrivals[i][2]))
                    i += 1
                slot = int(t // SLOT_MINUTES)
                if t >= end_of_day:
                    continue
                if number not in opening.get(slot, {}):
                    heapq.heappush(events, ((slot + 1) * SLOT_MINUTES, number))
                    continue
                weights = universe[number]
                present = [s for s in sorted(weights) if queues[s]]
                if not present:
                    upcoming = [a[0] for a in arrivals[i:] if a[1] in weights]
                    heapq.heappush(events, (min(upcoming[0] if upcoming else end_of_day,
                                                (slot + 1) * SLOT_MINUTES), number))
                    continue
                order, _ = weighted_order(credits[number], weights, present)
                chosen = order[0]
                credits[number] = {**credits[number],
                                   **settle_credits(credits[number], weights, present, chosen)}
                arrived, arrived_slot = queues[chosen].pop(0)
                waits.setdefault((day, arrived_slot, chosen), []).append(t - arrived)
                cell = cells.get((arrived_slot, chosen)) or cells.get((slot, chosen))
                handle = cell.handle_minutes if cell else DEFAULT_SERVICE_MINUTES
                mu = math.log(handle) - sigma * sigma / 2
                heapq.heappush(events, (t + rng.lognormvariate(mu, sigma), number))
            # Still waiting at the end of the day (or arrived after the last call).
            for service, queue_ in queues.items():
                for _arrived, arrived_slot in queue_:
                    waits.setdefault((day, arrived_slot, service), []).append(math.inf)
            for _t, service, arrived_slot in arrivals[i:]:
                waits.setdefault((day, arrived_slot, service), []).append(math.inf)
    return _summarise(plan, waits)


def _summarise(plan: StaffingPlan, waits: dict[tuple[dt.date, int, str], list[float]]
               ) -> list[SimulatedCell]:
    result = []
    for cell in plan.cells:
        seen = waits.get((cell.day, cell.slot, cell.service), [])
        if not seen:
            result.append(SimulatedCell(cell, 0, None, None))
            continue
        within = sum(1 for w in seen if w <= cell.target_minutes) / len(seen)
        finite = [w for w in seen if math.isfinite(w)]
        result.append(SimulatedCell(cell, len(seen), within,
                                    sum(finite) / len(finite) if finite else None))
    return result

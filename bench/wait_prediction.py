"""Benchmark: how accurate the estimated wait is (shared/prediction.py), against the
earlier estimate and the naive rule.

1. History: weeks of the Chun'an center's past (the generator of bench/stats.py, with
   the arrival mix of the simulated days below), ending the day before the first
   simulated day, so the predictor learns service times and arrivals from it.
2. Simulated days with the real queue operations (issue, call next, start, finish,
   no-show, transfer, pause and resume) on SQLite, whose clock (``strftime(..., 'now')``,
   the server clock every operation reads) is replaced by the simulation's, so a day of
   08:30-17:00 replays in seconds. Citizens arrive by the history's hour shape; windows
   call as soon as they are free, take a staggered lunch pause (unknown to the
   predictor) and sometimes a short break; service times are drawn from the same
   distribution as the history's.
3. For every ticket issued, the estimate the kiosk showed (recorded on the ticket),
   the earlier rate estimate and the naive rule (people ahead × mean service time ÷
   windows open; "naive": the same service's tickets waiting before it, the classic
   count; "naive_windows": the people ahead the kiosk shows, every ticket the serving
   windows call first) are compared with the actual wait (docs/metrics.md: call − arrival of
   the ticket's first stay). Per service and overall: MAE of the point value, the
   share of actual waits inside the shown range, the range's mean width. The predictor's
   figures come from shared.stats.estimates.estimate_accuracy -- the supervisor's
   computation -- and are checked against the same definition in Python.

    python bench/wait_prediction.py [--quick] [--days N] [--history-days N] [--seed S]

Targets: MAE at most half the naive rule's, coverage >= 80 %. The last line printed is
one JSON object.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import heapq
import itertools
import json
import random
import sqlite3
import sys
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import emit, fresh_database, machine
from sqlalchemy import event, func, select
from sqlalchemy.orm import Session
from stats import HOUR_SHAPE, SITE, UTC_OFFSET, Generator, Hall, bulk_insert

from resources import resource_path
from shared import clerks
from shared.catalog import load_catalog
from shared.db import Database
from shared.errors import QueueRuleError
from shared.hours import day_type
from shared.issuing import estimate_wait_minutes, issue_ticket
from shared.models import Segment, Service, Site, Ticket, Window, WindowService
from shared.prediction import load_profile, naive_wait_minutes
from shared.queue import (
    call_next,
    close_day,
    finish,
    no_show,
    pause_window,
    resume_window,
    start,
    transfer,
)
from shared.stats.estimates import EstimateSample, accuracy_of, estimate_accuracy
from shared.stats.measures import backfill_measures

TARGETS = {"mae_vs_naive": 0.5, "coverage": 0.80}
LOAD = 0.8  # mean utilisation of the windows over the open hours
OPEN_MINUTES = 510  # 08:30-17:00
MEAN_SERVICE_MINUTES = 6.9  # the history's service-time mean (~6.0) plus the walk to the window
NO_SHOW_SHARE = 0.04
TRANSFER_SHARE = 0.04
GREEN_SHARE = 0.03


def pause_plan(rng: random.Random, index: int) -> list[tuple[float, float, str]]:
    """One window's pauses of a day: (local minute of the day, minutes, reason). Lunch
    is taken in turns (every other window at 11:30, the others at 12:20), and half the
    windows take a short break in the afternoon."""
    plan = [(11 * 60 + 30 + (index % 2) * 50 + rng.uniform(0, 10), rng.uniform(30, 45), "午休")]
    if rng.random() < 0.5:
        plan.append((14 * 60 + rng.uniform(0, 120), rng.uniform(8, 15), "临时离开"))
    return plan


# --------------------------------------------------------------------------- the clock


class SimClock:
    """The database's clock during the simulation: SQLite's ``strftime(fmt, 'now')``,
    which every operation reads as the server time, answers the simulated time."""

    def __init__(self, db: Database) -> None:
        if db.backend != "sqlite":
            raise SystemExit("the simulated clock needs SQLite")
        self.now = dt.datetime(2000, 1, 1)
        builtin = sqlite3.connect(":memory:", check_same_thread=False)

        def strftime(fmt: str, value: str) -> str | None:
            if value == "now":
                return self.now.strftime("%Y-%m-%d %H:%M:%S.%f")[:23]
            return builtin.execute("SELECT strftime(?, ?)", (fmt, value)).fetchone()[0]

        def install(connection: Any, _record: Any) -> None:
            connection.create_function("strftime", 2, strftime)

        # Writes and reads have their own engines on SQLite (shared.db): both read the
        # simulated clock; connections made before used the real one.
        for engine in {db.engine, getattr(db, "read_engine", db.engine)}:
            event.listen(engine, "connect", install)
            engine.dispose()

    def set(self, utc: dt.datetime) -> None:
        self.now = utc.replace(tzinfo=None)


# --------------------------------------------------------------------------- the hall


@dataclass
class HallModel:
    site_id: int
    windows: dict[int, list[int]]  # window number -> service ids
    service_code: dict[int, str]
    arrivals_per_day: dict[int, float]  # service id -> expected tickets on a workday
    calendar: dict[str, Any]


def hall_model(db: Database) -> HallModel:
    """The catalog's windows and an arrival mix the windows can carry at LOAD."""
    with db.read() as session:
        site = session.scalar(select(Site).where(Site.code == SITE))
        assert site is not None
        links = session.execute(
            select(Window.number, WindowService.service_id, WindowService.weight)
            .join(WindowService, WindowService.window_id == Window.id)
            .where(Window.site_id == site.id, Window.active.is_(True))).all()
        codes = dict(session.execute(select(Service.id, Service.code)).all())
        calendar = dict(site.calendar)
        site_id = site.id
    windows: dict[int, list[int]] = defaultdict(list)
    totals: dict[int, int] = defaultdict(int)
    for number, service_id, weight in links:
        windows[number].append(service_id)
        totals[number] += weight
    capacity: dict[int, float] = defaultdict(float)  # window-shares per service
    for number, service_id, weight in links:
        capacity[service_id] += weight / totals[number]
    per_window_day = OPEN_MINUTES / MEAN_SERVICE_MINUTES
    arrivals = {sid: LOAD * share * per_window_day for sid, share in capacity.items()}
    return HallModel(site_id, dict(windows), codes, arrivals, calendar)


def generate_history(db: Database, model: HallModel, first_sim_day: dt.date, days: int,
                     seed: int) -> int:
    """``days`` of history before ``first_sim_day``, with the simulated arrival mix."""
    for i in range(12):
        clerks.add_clerk(db, f"clerk{i + 1:02d}", f"工作人员{i + 1}", "bench-password")
    hall = Hall(db)
    total = sum(model.arrivals_per_day.values())
    hall.weights = {sid: model.arrivals_per_day.get(sid, 0.0) / total
                    for sid in hall.weekday_services}
    generator = Generator(hall, seed)
    from stats import WORKDAY_TICKETS
    scale = total / WORKDAY_TICKETS
    windows = sorted(hall.clerk_of)
    for offset in range(days, 0, -1):
        day = first_sim_day - dt.timedelta(days=offset)
        generator.day(day, scale)
        # The windows' pauses, as the staff take them on the simulated days.
        midnight = dt.datetime.combine(day, dt.time()) - UTC_OFFSET
        for index, window in enumerate(windows):
            for minute, minutes, reason in pause_plan(generator.rng, index):
                paused = midnight + dt.timedelta(minutes=minute)
                resumed = paused + dt.timedelta(minutes=minutes)
                for action, at, detail in (
                        ("pause", paused, {"reason": reason}),
                        ("resume", resumed, {"paused_seconds": minutes * 60})):
                    generator.rows["ticket_event"].append((
                        generator._id("ticket_event"), hall.site_id, None, action, None, None,
                        window, None, None, at, json.dumps(detail)))
    rows = generator.take()
    bulk_insert(db, rows)
    with db.engine.begin() as conn, Session(bind=conn) as session:
        backfill_measures(session)
    return len(rows["ticket"])


# --------------------------------------------------------------------------- one day


@dataclass
class Shown:
    ticket_id: int
    service_id: int
    point: int | None
    low: int | None
    high: int | None
    rate: int | None  # the earlier estimate
    naive: float | None
    issued_at: dt.datetime
    people_ahead: int  # at the serving windows, all their services (shared.routing)
    naive_windows: float  # the naive rule over that count


@dataclass(order=True)
class Event:
    at: dt.datetime
    seq: int
    kind: str = field(compare=False)
    data: Any = field(compare=False, default=None)


class Day:
    """One simulated business day at the hall."""

    def __init__(self, db: Database, clock: SimClock, model: HallModel, day: dt.date,
                 rng: random.Random) -> None:
        self.db, self.clock, self.model, self.day, self.rng = db, clock, model, day, rng
        self.events: list[Event] = []
        self.seq = itertools.count()
        self.idle: set[int] = set()
        self.paused: set[int] = set()
        self.shown: list[Shown] = []
        self.open_windows: set[int] = set()
        self.mean_service: dict[int, float] = {}
        self.pause_due: dict[int, list[tuple[dt.datetime, float, str]]] = {}
        self.operations = 0
        self.token: dict[int, int] = defaultdict(int)  # stale "free" events are ignored
        self.closed = False

    def free_at(self, number: int, at: dt.datetime) -> None:
        """The window looks for work at ``at`` (replacing any earlier plan of it)."""
        self.token[number] += 1
        self.push(at, "free", (number, self.token[number]))

    def local(self, hour: int, minute: float) -> dt.datetime:
        return (dt.datetime.combine(self.day, dt.time()) + dt.timedelta(hours=hour,
                minutes=minute) - UTC_OFFSET).replace(tzinfo=dt.UTC)

    def push(self, at: dt.datetime, kind: str, data: Any = None) -> None:
        heapq.heappush(self.events, Event(at, next(self.seq), kind, data))

    def plan(self, arrivals_until: int = 17) -> None:
        """Arrivals (until the local hour ``arrivals_until``), window starts and pauses."""
        rng = self.rng
        shape_total = sum(HOUR_SHAPE.values())
        services = list(self.model.arrivals_per_day)
        weights = [self.model.arrivals_per_day[s] for s in services]
        expected = sum(weights)
        for hour, share in HOUR_SHAPE.items():
            if hour >= arrivals_until:
                continue
            first, last = (30, 60) if hour == 8 else (0, 30) if hour == 16 else (0, 60)
            count = _poisson(rng, expected * share / shape_total)
            for _ in range(count):
                service = rng.choices(services, weights=weights)[0]
                self.push(self.local(hour, rng.uniform(first, last)), "arrive", service)
        for i, number in enumerate(sorted(self.model.windows)):
            self.free_at(number, self.local(8, 30 + rng.uniform(0, 3)))
            self.pause_due[number] = [(self.local(0, at), minutes, reason)
                                      for at, minutes, reason in pause_plan(rng, i)]
        self.push(self.local(17, 0), "close")

    def run(self) -> None:
        with self.db.read() as session:
            self.clock.set(self.local(8, 0))
            weekend = day_type(self.model.calendar, self.day) != "workday"
            profile = load_profile(session, self.model.site_id, self.day, weekend)
            profile.paused_share.clear()  # the naive rule's mean: the service alone
        self.mean_service = {sid: profile.duration(sid, 10).mean / 60
                             for sid in self.model.service_code}
        while self.events:
            ev = heapq.heappop(self.events)
            self.clock.set(ev.at)
            if ev.kind == "close":
                self.closed = True
                close_day(self.db, site=SITE)
                continue
            # After closing nobody is called, but a case being served is finished.
            if self.closed and ev.kind not in ("resume", "finish"):
                continue
            getattr(self, f"on_{ev.kind}")(ev)

    # ------------------------------------------------------------ citizens

    def on_arrive(self, ev: Event) -> None:
        service_id = ev.data
        code = self.model.service_code[service_id]
        kind = "green" if self.rng.random() < GREEN_SHARE else "normal"
        try:
            issued = issue_ticket(self.db, code, site=SITE, kind=kind)
        except QueueRuleError:
            return  # closed for issuing or quota reached: the citizen comes another day
        self.operations += 1
        serving = [n for n, sids in self.model.windows.items() if service_id in sids]
        open_now = len([n for n in serving if n in self.open_windows and n not in self.paused])
        with self.db.read() as session:
            # The classic count: tickets of the same service still waiting, issued before.
            same_queue = session.scalar(select(func.count()).select_from(Ticket).where(
                Ticket.business_day == self.day, Ticket.service_id == service_id,
                Ticket.state == "waiting", Ticket.id < issued.ticket.id)) or 0
            # As the kiosk computed it before shared.prediction (main's rate estimate:
            # the people ahead at the serving windows over those windows' call rate).
            rate = estimate_wait_minutes(session, self.model.site_id, self.day, service_id,
                                         issued.people_ahead, ev.at, at_windows=True)
        naive = naive_wait_minutes(same_queue, self.mean_service[service_id], max(1, open_now))
        naive_windows = naive_wait_minutes(issued.people_ahead, self.mean_service[service_id],
                                           max(1, open_now))
        self.shown.append(Shown(issued.ticket.id, service_id, issued.estimated_wait_minutes,
                                issued.wait_low_minutes, issued.wait_high_minutes, rate, naive,
                                ev.at, issued.people_ahead, naive_windows))
        self.wake(service_id, ev.at)

    def wake(self, service_id: int, at: dt.datetime) -> None:
        for number in sorted(self.idle):
            if service_id in self.model.windows[number] and number not in self.paused:
                self.idle.discard(number)
                self.free_at(number, at + dt.timedelta(seconds=self.rng.uniform(5, 20)))
                return

    # ------------------------------------------------------------ windows

    def on_free(self, ev: Event) -> None:
        number, token = ev.data
        if token != self.token[number]:
            return
        self.idle.discard(number)
        due = self.pause_due.get(number, [])
        if due and due[0][0] <= ev.at:
            _, minutes, reason = due.pop(0)
            pause_window(self.db, number, reason, site=SITE)
            self.paused.add(number)
            self.push(ev.at + dt.timedelta(minutes=minutes), "resume", number)
            return
        result = call_next(self.db, number, site=SITE)
        self.operations += 1
        self.open_windows.add(number)
        ticket = result.ticket
        if ticket is None:
            self.idle.add(number)  # an arrival wakes it, or its pause comes due
            if due:
                self.free_at(number, due[0][0])
            return
        rng = self.rng
        if rng.random() < NO_SHOW_SHARE:
            self.push(ev.at + dt.timedelta(minutes=2), "no_show", (number, ticket.id))
            return
        started = ev.at + dt.timedelta(seconds=rng.uniform(15, 90))
        self.push(started, "start", (number, ticket.id))

    def on_no_show(self, ev: Event) -> None:
        number, ticket_id = ev.data
        no_show(self.db, ticket_id, site=SITE)
        self.operations += 1
        self.free_at(number, ev.at)

    def on_start(self, ev: Event) -> None:
        number, ticket_id = ev.data
        start(self.db, ticket_id, site=SITE)
        self.operations += 1
        seconds = min(5400.0, self.rng.lognormvariate(5.7, 0.6))
        self.push(ev.at + dt.timedelta(seconds=seconds), "finish", (number, ticket_id))

    def on_finish(self, ev: Event) -> None:
        number, ticket_id = ev.data
        if self.closed:
            finish(self.db, ticket_id, site=SITE)
            self.operations += 1
            return
        if self.rng.random() < TRANSFER_SHARE:
            others = [s for s in self.model.arrivals_per_day
                      if s not in self.model.windows[number]]
            target = self.rng.choice(others)
            transfer(self.db, ticket_id, to_service=self.model.service_code[target], site=SITE)
            self.wake(target, ev.at)
        else:
            finish(self.db, ticket_id, site=SITE)
        self.operations += 1
        self.free_at(number, ev.at + dt.timedelta(seconds=self.rng.uniform(5, 30)))

    def on_resume(self, ev: Event) -> None:
        number = ev.data
        resume_window(self.db, number, site=SITE)
        self.paused.discard(number)
        self.free_at(number, ev.at)


def _poisson(rng: random.Random, mean: float) -> int:
    # Sum of exponential gaps: exact, and fast enough for a few hundred per hour.
    count, total = 0, rng.expovariate(1.0)
    while total < mean:
        count += 1
        total += rng.expovariate(1.0)
    return count


# --------------------------------------------------------------------------- figures


def actual_waits(db: Database, ticket_ids: list[int]) -> dict[int, float]:
    """The actual wait (minutes) of each ticket's first stay, where it was measured."""
    with db.read() as session:
        rows = session.execute(
            select(Segment.ticket_id, Segment.wait_us)
            .where(Segment.ticket_id.in_(ticket_ids), Segment.transferred.is_(False),
                   Segment.wait_us.is_not(None))).all()
    return {tid: wait / 60_000_000 for tid, wait in rows}


def figures(samples: list[EstimateSample]) -> dict[str, Any]:
    count, mae, coverage, width = accuracy_of(samples)
    return {"tickets": count, "mae_min": _r(mae), "coverage": _r(coverage, 3),
            "mean_width_min": _r(width)}


def _r(value: float | None, digits: int = 2) -> float | None:
    return round(value, digits) if value is not None else None


def report(db: Database, model: HallModel, shown: list[Shown], first: dt.date,
           last: dt.date) -> dict[str, Any]:
    waits = actual_waits(db, [s.ticket_id for s in shown])
    groups: dict[str, dict[str, list[EstimateSample]]] = defaultdict(lambda: defaultdict(list))
    no_rate = 0
    for s in shown:
        actual = waits.get(s.ticket_id)
        if actual is None:
            continue
        code = model.service_code[s.service_id]
        for key in (code, "overall"):
            if s.point is not None and s.low is not None and s.high is not None:
                groups[key]["predictor"].append(EstimateSample(actual, s.point, s.low, s.high))
            if s.rate is not None:
                groups[key]["rate"].append(EstimateSample(actual, s.rate, s.rate, s.rate))
            elif key == "overall":
                no_rate += 1
            if s.naive is not None:
                groups[key]["naive"].append(EstimateSample(actual, s.naive, s.naive, s.naive))
            groups[key]["naive_windows"].append(
                EstimateSample(actual, s.naive_windows, s.naive_windows, s.naive_windows))
    result: dict[str, Any] = {}
    for key, by_estimator in sorted(groups.items()):
        result[key] = {name: figures(samples) for name, samples in by_estimator.items()}
    # The predictor's figures as the supervisor computes them, in SQL.
    sql = next(row for row in estimate_accuracy(db, first, last, site=SITE)
               if row.day is None and row.service is None)
    python = result["overall"]["predictor"]
    agree = (sql.tickets == python["tickets"]
             and abs((sql.mae_minutes or 0) - python["mae_min"]) < 0.01
             and abs((sql.coverage or 0) - python["coverage"]) < 0.001)
    overall = result["overall"]
    return {"per_service": {k: v for k, v in result.items() if k != "overall"},
            "overall": overall, "no_rate_estimate": no_rate,
            "sql_matches_python": agree,
            "targets_met": {
                "mae_vs_naive": overall["predictor"]["mae_min"]
                <= TARGETS["mae_vs_naive"] * overall["naive"]["mae_min"],
                "coverage": overall["predictor"]["coverage"] >= TARGETS["coverage"]}}


def write_samples(path: Path, db: Database, model: HallModel, shown: list[Shown]) -> None:
    waits = actual_waits(db, [s.ticket_id for s in shown])
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(["ticket_id", "service", "issued_at_utc", "people_ahead", "actual_min",
                         "point_min", "low_min", "high_min", "rate_min", "naive_min"])
        for s in shown:
            actual = waits.get(s.ticket_id)
            writer.writerow([s.ticket_id, model.service_code[s.service_id],
                             s.issued_at.isoformat(), s.people_ahead,
                             "" if actual is None else round(actual, 2), s.point, s.low, s.high,
                             s.rate, "" if s.naive is None else round(s.naive, 2)])


def simulated_days(calendar: dict[str, Any], after: dt.date, count: int) -> list[dt.date]:
    days: list[dt.date] = []
    day = after
    while len(days) < count:
        day += dt.timedelta(days=1)
        if day_type(calendar, day) == "workday":
            days.append(day)
    return days


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true",
                        help="one simulated day whose citizens arrive until noon, 21 days "
                             "of history; < 60 s")
    parser.add_argument("--days", type=int, help="simulated workdays (default 5; quick 1)")
    parser.add_argument("--history-days", type=int,
                        help="days of history before them (default 28; quick 21)")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--samples", type=Path, metavar="CSV",
                        help="also write every ticket's estimates and actual wait here")
    args = parser.parse_args(argv)
    days = args.days or (1 if args.quick else 5)
    args.history_days = args.history_days or (21 if args.quick else 28)
    if days < 1 or args.history_days < 1:
        raise SystemExit("--days and --history-days must be at least 1")
    started = time.perf_counter()
    with fresh_database("sqlite") as url:
        db = Database(url)
        load_catalog(db, resource_path("catalog", "chunan.toml"))
        model = hall_model(db)
        today = (dt.datetime.now(dt.UTC) + UTC_OFFSET).date()
        sim_days = simulated_days(model.calendar, today, days)
        history = generate_history(db, model, sim_days[0], args.history_days, args.seed)
        print(f"history: {history} tickets in {time.perf_counter() - started:.1f} s",
              file=sys.stderr, flush=True)
        clock = SimClock(db)
        rng = random.Random(args.seed)
        shown: list[Shown] = []
        operations = 0
        for day in sim_days:
            sim = Day(db, clock, model, day, rng)
            sim.plan(12 if args.quick else 17)
            sim.run()
            shown += sim.shown
            operations += sim.operations
            print(f"{day}: {len(sim.shown)} tickets, {sim.operations} operations, "
                  f"{time.perf_counter() - started:.1f} s", file=sys.stderr, flush=True)
        figures_ = report(db, model, shown, sim_days[0], sim_days[-1])
        if args.samples:
            write_samples(args.samples, db, model, shown)
        with db.read() as session:
            recorded = session.scalar(select(Ticket.id).where(
                Ticket.business_day == sim_days[0], Ticket.estimate_minutes.is_not(None))
                .limit(1))
        db.dispose()
    emit({"benchmark": "wait_prediction", "quick": args.quick, "simulated_days":
          [d.isoformat() for d in sim_days], "history_days": args.history_days,
          "history_tickets": history, "operations": operations,
          "estimates_recorded": recorded is not None, "targets": TARGETS,
          "elapsed_s": round(time.perf_counter() - started, 1), "machine": machine(),
          **figures_})
    return 0


if __name__ == "__main__":
    sys.exit(main())

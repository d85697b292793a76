"""Queue operations under load: issue and call-next throughput and latency.

For each backend (SQLite, PostgreSQL, MariaDB over loopback) a fresh database gets one
site whose windows serve two services (weights 2 and 1). Then, for 1, 8 and 32
concurrent counters: the two measurements below, the queue invariants (duplicate or
missing numbers, broken event chains, double holds...: must be 0) and end of day, which
clears what is left for the next level. Finally one single-threaded call-next is
profiled: wall time, client CPU and SQL statements per call.

Every counter and every kiosk is its own OS process (multiprocessing, "spawn") with its
own ``Database`` and connection pool, like the separate PCs of a hall. The processes are
started once and kept for the whole run; before the first level of each backend every
one runs its operations once (unmeasured warm-up: the first operations of a process
compile the SQL statements, which a PC running all day did long ago). For each phase
every process gets its task, connects and waits at a barrier, so neither start-up nor
connecting is measured; the barrier releases them together and each sends its
latencies and errors back through a queue. A counter calls next and starts the ticket,
so its following call-next finishes it, as a hall caller does: every call-next latency
includes finishing the previous ticket. Every operation carries a fresh request key, as
the kiosk's and the counter's do (shared/request_keys.py).

1. **Saturation** -- the capacity of the system on this machine. The kiosks first issue
   a stock of tickets back to back (issue throughput and latency), then the counters
   call back to back, with no pause, for the phase's length (call-next throughput and
   latency). N clients that never pause always have N requests in the system, so by
   Little's law a counter's call-and-start takes N / throughput on average: 32 counters
   on a 2-vCPU machine, shared with the database server, mostly wait for each other.
   These latencies measure that queue, not what one clerk experiences; no target.
2. **Hall pace** -- what a clerk experiences; the call-next p99 target applies here.
   After call-next and start, each counter "serves" for a random exponential time (mean
   ``--pace``, 1 s: 32 counters then offer about 32 calls per second, still over 100
   times the busiest real hall, where a window calls about once a minute) before its
   next call; each starts at a random moment within its first second, so calls collide
   by chance, as in a hall. Meanwhile the 4 kiosks issue at a pace too (exponential,
   mean ``--kiosk-pace``, 0.25 s each). The stock covers the expected calls and four
   standard deviations more, so the queue does not run dry (calls that find nobody are
   counted as ``dry``). Latency is timed from the moment a call is sent; the next call
   follows the end of the previous one, as a clerk's does.

For each phase the share of the machine's CPU time that was busy is reported (Linux),
and the load averages for each backend: clients, database servers and anything else
running share the same CPUs here, while in a hall each counter is a separate PC.

    python bench/queue_ops.py [--quick] [--backends sqlite,postgres,mariadb]
                              [--postgres URL] [--mariadb URL] [--pace SECONDS]
                              [--kiosk-pace SECONDS] [--seed N] [--levels 1,8,32]

Full run: 10 s of saturation and 30 s of hall pace per level (several minutes in all);
``--quick``: 0.5 s of saturation, 2 s of hall pace at 32 counters and 1 s at 1 and 8
(under 60 s on an otherwise idle machine). Errors in the
worker processes are reported in the figures (``error_count``, ``errors``), never
swallowed. The last line of output is one JSON object with every figure; its
``target`` is the hall-pace PostgreSQL 32-counter call-next p99.
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import math
import multiprocessing
import os
import random
import tempfile
import threading
import time
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from multiprocessing.synchronize import Barrier
from pathlib import Path
from queue import Empty
from typing import Any

from common import (
    cpu_busy,
    cpu_times,
    emit,
    fresh_database,
    machine,
    percentiles,
    server_version,
)
from sqlalchemy import event, func, select, text

from shared import issuing, queue
from shared.catalog import load_catalog
from shared.db import Database
from shared.models import Ticket
from shared.request_keys import new_key
from shared.states import TicketState
from testkit.invariants import check_all

SITE = "bench"
SERVICES = (("S1", "A"), ("S2", "B"))
KIOSKS = 4
COUNTER_LEVELS = (1, 8, 32)
TARGET_COUNTERS = 32  # the target's level
TARGET_MS = 20
BARRIER_TIMEOUT_S = 180.0  # the first phase waits for every process to start and import
MAX_ERRORS = 5  # a worker ends its phase after this many failed operations
INITIAL_RATE = 100.0  # calls/s guessed for the first saturation stock; then measured


@dataclass(frozen=True)
class Plan:
    """Phase lengths and paces of one run."""

    saturation_s: float
    hall_s: float  # hall pace at the busiest level (the target's)
    hall_small_s: float  # hall pace at the other levels
    pace_s: float
    kiosk_pace_s: float
    profile_samples: int
    seed: int
    levels: tuple[int, ...] = COUNTER_LEVELS

    def hall_seconds(self, counters: int) -> float:
        return self.hall_s if counters == max(self.levels) else self.hall_small_s


# ----------------------------------------------------------------- the worker processes


@dataclass(frozen=True)
class Task:
    """What one worker process does in one phase; sent to it through its pipe."""

    role: str  # "counter", "kiosk" or "idle"
    url: str | None  # None: close the connection pool (the backend is done)
    paced: bool = False  # False: back to back; True: exponential pauses of mean ``pace``
    seconds: float = math.inf  # the phase ends this long after the release
    pace: float = 1.0
    window: int = 0  # counters: the window number
    quota: int | None = None  # at most this many calls (counters) or tickets (kiosks)
    seed: int = 0


@dataclass
class WorkerReport:
    """What one worker measured in one phase; sent back through the reports queue."""

    index: int
    role: str
    latencies: list[float] = field(default_factory=list)  # call-next or issue, seconds
    starts: list[float] = field(default_factory=list)  # counters: start, seconds
    dry: int = 0  # call-next calls that found nobody waiting
    cpu: float = 0.0  # client CPU seconds during the phase
    elapsed: float = 0.0  # from the release to the end of its last operation
    errors: list[str] = field(default_factory=list)
    error_count: int = 0

    def fail(self, exc: BaseException) -> None:
        self.error_count += 1
        if len(self.errors) < MAX_ERRORS:
            first_line = str(exc).strip().split("\n", 1)[0][:300]  # not the SQL text
            self.errors.append(f"{self.role} {self.index}: {type(exc).__name__}: {first_line}")


def worker(index: int, commands: Connection, reports: Any, barrier: Barrier) -> None:
    """One PC of the hall: runs the tasks it receives until it receives None."""
    logging.basicConfig(level=logging.ERROR)  # retried deadlocks are counted, not printed
    db: Database | None = None
    url: str | None = None
    while (task := commands.recv()) is not None:
        report = WorkerReport(index, task.role)
        try:
            if db is not None and url != task.url:
                db.dispose()
                db, url = None, None
            if db is None and task.url is not None:
                db, url = Database(task.url), task.url
            if db is not None and task.role != "idle":
                with db.read() as session:  # connect now, not after the release
                    session.execute(text("SELECT 1"))
        except Exception as exc:  # reported in the figures, never swallowed
            report.fail(exc)
        barrier.wait(timeout=BARRIER_TIMEOUT_S)
        released = time.perf_counter()
        if report.error_count == 0 and db is not None and task.role != "idle":
            cpu = time.process_time()
            run = run_counter if task.role == "counter" else run_kiosk
            try:
                run(task, db, report, released)
            except Exception as exc:  # reported in the figures, never swallowed
                report.fail(exc)
            report.cpu = time.process_time() - cpu
        reports.put(report)
    if db is not None:
        db.dispose()


def _pause(rng: random.Random, task: Task) -> float:
    return rng.expovariate(1.0 / task.pace) if task.paced else 0.0


def _offset(rng: random.Random, task: Task) -> float:
    """Paced workers start at a random moment within their first mean pause."""
    return rng.uniform(0.0, task.pace) if task.paced else 0.0


def _wait_until(moment: float) -> None:
    delay = moment - time.perf_counter()
    if delay > 0:
        time.sleep(delay)


def run_counter(task: Task, db: Database, report: WorkerReport, released: float) -> None:
    """Call next and start, back to back or with a "service" pause in between. Back to
    back, the counter stops when the queue is empty."""
    rng = random.Random(task.seed)
    deadline = released + task.seconds
    quota = math.inf if task.quota is None else task.quota
    next_at = released + _offset(rng, task)
    while next_at < deadline and len(report.latencies) < quota and \
            report.error_count < MAX_ERRORS:
        _wait_until(next_at)
        try:
            sent = time.perf_counter()
            ticket = queue.call_next(db, task.window, site=SITE,
                                     request_key=new_key()).ticket
            called = time.perf_counter()
            report.latencies.append(called - sent)
            if ticket is None:
                report.dry += 1
                if not task.paced:
                    report.elapsed = called - released
                    return  # the stock is used up (this call finished the last ticket)
            else:
                queue.start(db, ticket.id, site=SITE, request_key=new_key())
                report.starts.append(time.perf_counter() - called)
        except Exception as exc:  # reported in the figures, never swallowed
            report.fail(exc)
        report.elapsed = time.perf_counter() - released
        next_at = time.perf_counter() + _pause(rng, task)


def run_kiosk(task: Task, db: Database, report: WorkerReport, released: float) -> None:
    """Issue tickets (alternating the two services), back to back or at a pace, until the
    deadline or the quota."""
    rng = random.Random(task.seed)
    deadline = released + task.seconds
    quota = math.inf if task.quota is None else task.quota
    next_at = released + _offset(rng, task)
    n = report.index
    while next_at < deadline and len(report.latencies) < quota and \
            report.error_count < MAX_ERRORS:
        _wait_until(next_at)
        try:
            sent = time.perf_counter()
            issuing.issue_ticket(db, SERVICES[n % 2][0], site=SITE, request_key=new_key())
            report.latencies.append(time.perf_counter() - sent)
            n += 1
        except Exception as exc:  # reported in the figures, never swallowed
            report.fail(exc)
        report.elapsed = time.perf_counter() - released
        next_at = time.perf_counter() + _pause(rng, task)


# ----------------------------------------------------------------------------- the hall


class Hall:
    """The hall's PCs: one spawned process per counter and per kiosk, kept for the run.

    Workers 0..counters-1 are the counters (window = index + 1), the rest the kiosks.
    Every phase gives every worker a task (``idle`` for those not taking part), so one
    barrier of all the workers and this process releases each phase."""

    def __init__(self, counters: int, kiosks: int) -> None:
        context = multiprocessing.get_context("spawn")
        self.counters = counters
        self.kiosks = kiosks
        size = counters + kiosks
        self.barrier = context.Barrier(size + 1)
        self.reports = context.Queue()
        self.pipes: list[Connection] = []
        self.processes: list[Any] = []
        self.closed = False
        self.created = time.perf_counter()
        self.start_up_s: float | None = None  # until every process first reached the barrier
        for index in range(size):
            ours, theirs = context.Pipe()
            process = context.Process(target=worker, name=f"hallq-bench-{index}", daemon=True,
                                      args=(index, theirs, self.reports, self.barrier))
            process.start()
            theirs.close()
            self.pipes.append(ours)
            self.processes.append(process)

    def counter_index(self, number: int) -> int:
        return number

    def kiosk_index(self, number: int) -> int:
        return self.counters + number

    def run(self, tasks: dict[int, Task], url: str | None, timeout: float
            ) -> tuple[list[WorkerReport], float, float | None]:
        """Run one phase: every worker index in ``tasks`` gets its task, the others idle.
        Returns the reports of the workers that took part, the wall time from the
        release to the last report, and the machine's CPU busy share meanwhile."""
        try:
            for index, pipe in enumerate(self.pipes):
                pipe.send(tasks.get(index, Task("idle", url)))
        except OSError as exc:
            raise RuntimeError(f"a worker process is gone ({exc}): {self.dead()}") from None
        try:
            self.barrier.wait(timeout=BARRIER_TIMEOUT_S)
        except threading.BrokenBarrierError:
            raise RuntimeError(f"the worker processes did not all reach the barrier: "
                               f"{self.dead()}") from None
        cpu_before = cpu_times()
        released = time.perf_counter()
        if self.start_up_s is None:
            self.start_up_s = round(released - self.created, 1)
        reports: list[WorkerReport] = []
        limit = released + timeout + BARRIER_TIMEOUT_S
        while len(reports) < len(self.pipes):
            try:
                reports.append(self.reports.get(timeout=2.0))
            except Empty:
                if self.dead() or time.perf_counter() > limit:
                    raise RuntimeError(f"phase did not end: {len(reports)} of "
                                       f"{len(self.pipes)} reports; {self.dead()}") from None
        wall = time.perf_counter() - released
        busy = cpu_busy(cpu_before, cpu_times())
        return sorted((r for r in reports if r.index in tasks), key=lambda r: r.index), wall, busy

    def dead(self) -> str:
        gone = [f"{p.name} exit code {p.exitcode}" for p in self.processes if not p.is_alive()]
        return ", ".join(gone)

    def close(self) -> None:
        """Stop every worker (a second call does nothing)."""
        if self.closed:
            return
        self.closed = True
        for pipe in self.pipes:
            with contextlib.suppress(OSError):  # a worker already gone: dead() reports it
                pipe.send(None)
        for process in self.processes:
            process.join(timeout=10)
            if process.is_alive():
                process.terminate()
                process.join(timeout=5)


def load_average() -> list[float] | None:
    """The machine's 1, 5 and 15 minute load averages (other work running beside us)."""
    try:
        return [round(v, 2) for v in os.getloadavg()]
    except OSError:
        return None


# ------------------------------------------------------------------------------ figures


def figures(reports: list[WorkerReport], wall: float, *, starts: bool = False
            ) -> dict[str, Any]:
    """Throughput, latency percentiles and errors of one kind of operation in a phase.
    ``client_cpu_ms_per_op``: the workers' CPU time over their operations (a counter's
    includes the start that follows each call)."""
    latencies = [s for r in reports for s in r.latencies]
    # The phase ends when the last worker's last operation ends.
    elapsed = max((r.elapsed for r in reports), default=0.0) or wall
    operations = len(latencies)
    result: dict[str, Any] = {
        "processes": len(reports),
        "per_second": round(operations / elapsed, 1) if elapsed else None,
        **percentiles(latencies),
        "client_cpu_ms_per_op": round(sum(r.cpu for r in reports) / operations * 1000, 2)
        if operations else None,
        "error_count": sum(r.error_count for r in reports),
        "errors": [e for r in reports for e in r.errors][:MAX_ERRORS],
    }
    if starts:
        result["dry"] = sum(r.dry for r in reports)
        result["start"] = percentiles([s for r in reports for s in r.starts])
    return result


def catalog_text(windows: int) -> str:
    parts = ['[[departments]]\ncode = "d"\nname = "部门"\n']
    for code, prefix in SERVICES:
        parts.append(f'[[departments.services]]\ncode = "{code}"\nname = "业务{prefix}"\n'
                     f'prefix = "{prefix}"\nweekend = true\nholiday = true\n')
    parts.append(f'[[sites]]\ncode = "{SITE}"\nname = "基准大厅"\n\n[sites.calendar]\n'
                 'workday_hours = ["00:00-24:00"]\nweekend_hours = ["00:00-24:00"]\n'
                 "issue_cutoff_minutes = 0\n")
    for number in range(1, windows + 1):
        parts.append(f'[[sites.windows]]\nnumber = {number}\nname = "窗口{number}"\n'
                     "services = { S1 = 2, S2 = 1 }\n")
    return "\n".join(parts)


def load_bench_catalog(db: Database, windows: int) -> None:
    with tempfile.TemporaryDirectory(prefix="hallq-bench-catalog-") as directory:
        path = Path(directory) / "catalog.toml"
        path.write_text(catalog_text(windows), encoding="utf-8")
        load_catalog(db, path)


def waiting_tickets(db: Database) -> int:
    with db.read() as session:
        return int(session.scalar(select(func.count()).select_from(Ticket)
                                  .where(Ticket.state == TicketState.WAITING.value)) or 0)


# ------------------------------------------------------------------------------- phases


def issue_stock(hall: Hall, url: str, tickets: int) -> tuple[list[WorkerReport], float]:
    """The kiosks issue ``tickets`` back to back, shared out between them."""
    share = [tickets // hall.kiosks + (k < tickets % hall.kiosks) for k in range(hall.kiosks)]
    tasks = {hall.kiosk_index(k): Task("kiosk", url, quota=share[k])
             for k in range(hall.kiosks) if share[k]}
    if not tasks:
        return [], 0.0
    reports, wall, _ = hall.run(tasks, url, timeout=tickets)  # a second a ticket at worst
    return reports, wall


def hall_stock(counters: int, plan: Plan) -> int:
    """Waiting tickets needed so that paced counters never find the queue empty, not even
    counting the tickets the kiosks issue meanwhile: the expected calls plus four
    standard deviations (the calls are near Poisson) and a few."""
    expected = counters * plan.hall_seconds(counters) / plan.pace_s
    return math.ceil(expected + 4 * math.sqrt(expected)) + 3


def warm_up(hall: Hall, db: Database, url: str) -> dict[str, Any]:
    """Every worker runs its operations before anything is measured: the first ones in a
    process, on a new engine, connect, configure the mappers and compile the SQL
    statements (about 100 ms of CPU), which a counter or kiosk running all day did long
    ago. Each kiosk
    issues two tickets, each counter calls and starts one. End of day then clears the
    leftovers."""
    counters = hall.counters
    issued, issue_wall = issue_stock(hall, url, counters + 2 * hall.kiosks)
    tasks = {hall.counter_index(c): Task("counter", url, window=c + 1, quota=1)
             for c in range(counters)}
    called, call_wall, _ = hall.run(tasks, url, timeout=60.0)
    queue.close_day(db, site=SITE)
    failed = figures(issued + called, 0.0)
    return {"issue_s": round(issue_wall, 2), "call_s": round(call_wall, 2),
            "error_count": failed["error_count"], "errors": failed["errors"]}


def bench_level(hall: Hall, db: Database, url: str, counters: int, plan: Plan,
                rate: float) -> dict[str, Any]:
    """One load level: stock, saturation, top-up, hall pace, invariants, end of day.
    ``rate`` is the previous level's call-next throughput at saturation; the stock allows
    twice as much (more counters may call faster)."""
    seed = plan.seed * 1000 + counters * 100
    hall_s = plan.hall_seconds(counters)
    phases: dict[str, float] = {}
    clock = time.perf_counter()

    def lap(name: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        phases[name] = round(now - clock, 2)
        clock = now

    # Saturation: a stock issued back to back (for saturation and hall pace, so the top-up
    # is rarely needed), then the counters call back to back.
    need = hall_stock(counters, plan)
    issued, issue_wall = issue_stock(hall, url, math.ceil(rate * plan.saturation_s * 2)
                                     + need)
    lap("stock")
    tasks = {hall.counter_index(c): Task("counter", url, seconds=plan.saturation_s,
                                         window=c + 1) for c in range(counters)}
    called, call_wall, call_busy = hall.run(tasks, url, timeout=plan.saturation_s)
    saturation_call = figures(called, call_wall, starts=True)
    # A counter stops when the stock is used up (a dry call): the figures then cover less
    # than the phase; the next level's stock is sized on this level's throughput.
    saturation_call["ran_dry"] = saturation_call["dry"] > 0
    lap("saturation")

    # Hall pace: top the stock up (what saturation left counts), then paced counters and
    # kiosks together.
    top_up, _ = issue_stock(hall, url, max(0, need - waiting_tickets(db)))
    lap("top_up")
    tasks = {hall.counter_index(c): Task("counter", url, paced=True, seconds=hall_s,
                                         pace=plan.pace_s, window=c + 1, seed=seed + c)
             for c in range(counters)}
    tasks |= {hall.kiosk_index(k): Task("kiosk", url, paced=True, seconds=hall_s,
                                        pace=plan.kiosk_pace_s, seed=seed + 50 + k)
              for k in range(hall.kiosks)}
    paced, paced_wall, paced_busy = hall.run(tasks, url, timeout=hall_s)
    paced_counters = [r for r in paced if r.role == "counter"]
    paced_kiosks = [r for r in paced if r.role == "kiosk"]
    lap("hall_pace")

    report = check_all(db)
    queue.close_day(db, site=SITE)
    lap("check_and_close")
    topped = figures(top_up, 0.0)
    return {
        "counters": counters,
        "saturation": {
            "seconds": plan.saturation_s,
            "stock": sum(len(r.latencies) for r in issued),
            "issue": {"kiosks": hall.kiosks, **figures(issued, issue_wall)},
            "call_next": saturation_call,
            "cpu_busy": call_busy,
        },
        "hall_pace": {
            "seconds": hall_s, "pace_s": plan.pace_s, "kiosk_pace_s": plan.kiosk_pace_s,
            "offered_calls_per_second": round(counters / plan.pace_s, 1),
            "top_up": {"tickets": topped["count"], "error_count": topped["error_count"],
                       "errors": topped["errors"]},
            "call_next": figures(paced_counters, paced_wall, starts=True),
            "issue": {"kiosks": hall.kiosks, **figures(paced_kiosks, paced_wall)},
            "cpu_busy": paced_busy,
        },
        "invariant_violations": report.total,
        "violations_by_kind": report.summary(),
        "phase_s": phases,
    }


def profile_call_next(url: str, samples: int) -> dict[str, Any]:
    """Single-threaded call-next: wall and client CPU time, and SQL statements per call."""
    db = Database(url)
    statements = [0]

    @event.listens_for(db.engine, "before_cursor_execute")
    def count(*_: Any) -> None:
        statements[0] += 1

    try:
        for n in range(samples):
            issuing.issue_ticket(db, SERVICES[n % 2][0], site=SITE, request_key=new_key())
        walls, cpus, counts = [], [], []
        for _ in range(samples):
            statements[0] = 0
            wall, cpu = time.perf_counter(), time.process_time()
            ticket = queue.call_next(db, 1, site=SITE, request_key=new_key()).ticket
            walls.append(time.perf_counter() - wall)
            cpus.append(time.process_time() - cpu)
            counts.append(statements[0])
            assert ticket is not None
            queue.start(db, ticket.id, site=SITE, request_key=new_key())
        return {"wall": percentiles(walls), "client_cpu": percentiles(cpus),
                "sql_statements_per_call": round(sum(counts) / len(counts), 1)}
    finally:
        db.dispose()


def _ms(value: float | None) -> str:
    return "-" if value is None else f"{value:g}"


def print_level(backend: str, level: dict[str, Any]) -> None:
    sat, pace = level["saturation"], level["hall_pace"]
    print(f"{backend:8} {level['counters']:2} counters  saturation: call-next "
          f"{sat['call_next']['per_second']}/s p50/p99 {_ms(sat['call_next']['p50_ms'])}/"
          f"{_ms(sat['call_next']['p99_ms'])} ms, issue {sat['issue']['per_second']}/s "
          f"p99 {_ms(sat['issue']['p99_ms'])} ms, cpu busy {sat['cpu_busy']}", flush=True)
    print(f"{backend:8} {level['counters']:2} counters  hall pace:  call-next "
          f"{pace['call_next']['per_second']}/s p50/p95/p99 {_ms(pace['call_next']['p50_ms'])}/"
          f"{_ms(pace['call_next']['p95_ms'])}/{_ms(pace['call_next']['p99_ms'])} ms "
          f"(n={pace['call_next']['count']}, dry {pace['call_next']['dry']}), issue p50/p99 "
          f"{_ms(pace['issue']['p50_ms'])}/{_ms(pace['issue']['p99_ms'])} ms, cpu busy "
          f"{pace['cpu_busy']}; errors {level_errors(level)}, violations "
          f"{level['invariant_violations']}", flush=True)
    for part, op in (("saturation", "issue"), ("saturation", "call_next"),
                     ("hall_pace", "top_up"), ("hall_pace", "issue"), ("hall_pace", "call_next")):
        for error in level[part][op]["errors"]:
            print(f"{backend:8} {level['counters']:2} counters  {part} {op} error: {error}",
                  flush=True)


def bench_backend(hall: Hall, backend: str, server_url: str | None, plan: Plan
                  ) -> dict[str, Any]:
    levels = []
    rate = INITIAL_RATE
    started = time.perf_counter()
    load_before = load_average()
    with fresh_database(backend, server_url) as url:
        db = Database(url)
        try:
            load_bench_catalog(db, max(plan.levels))
            queue.close_day(db, site=SITE)  # opens the business day before the load starts
            warm = warm_up(hall, db, url)
            for error in warm["errors"]:
                print(f"{backend:8} warm-up error: {error}", flush=True)
            for counters in plan.levels:
                level = bench_level(hall, db, url, counters, plan, rate)
                levels.append(level)
                print_level(backend, level)
                rate = level["saturation"]["call_next"]["per_second"] or rate
            hall.run({}, None, timeout=0)  # every worker closes its pool before the drop
        except BaseException:
            hall.close()  # no worker may hold a connection while the database is dropped
            raise
        finally:
            db.dispose()
        profile = profile_call_next(url, plan.profile_samples)
        version = server_version(url)
    return {"server_version": version, "warm_up": warm, "levels": levels,
            "single_call_next": profile, "elapsed_s": round(time.perf_counter() - started, 1),
            "load_average": {"start": load_before, "end": load_average()}}


def level_errors(level: dict[str, Any]) -> int:
    sat, pace = level["saturation"], level["hall_pace"]
    return (sum(part[op]["error_count"] for part in (sat, pace) for op in ("issue", "call_next"))
            + pace["top_up"]["error_count"])


def target_entry(results: dict[str, Any]) -> dict[str, Any]:
    levels = results.get("postgres", {}).get("levels", [])
    level = next((lv for lv in levels if lv["counters"] == TARGET_COUNTERS), None)
    if level is None:
        return {"mode": "hall_pace", "postgres_32_counters_call_next_p99_ms": None,
                "limit_ms": TARGET_MS, "met": False}
    paced, saturated = level["hall_pace"]["call_next"], level["saturation"]["call_next"]
    p99 = paced["p99_ms"]
    return {
        "mode": "hall_pace", "pace_s": level["hall_pace"]["pace_s"],
        "postgres_32_counters_call_next_p99_ms": p99, "samples": paced["count"],
        "errors": paced["error_count"], "dry": paced["dry"], "limit_ms": TARGET_MS,
        "met": p99 is not None and p99 < TARGET_MS and paced["error_count"] == 0
        and paced["dry"] == 0,
        "saturation": {"call_next_per_second": saturated["per_second"],
                       "call_next_p50_ms": saturated["p50_ms"],
                       "call_next_p99_ms": saturated["p99_ms"]},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="finish everything in < 60 s")
    parser.add_argument("--backends", default="sqlite,postgres,mariadb")
    parser.add_argument("--postgres", help="server URL (default: the local test server)")
    parser.add_argument("--mariadb", help="server URL (default: the local test server)")
    parser.add_argument("--pace", type=float, default=1.0, metavar="SECONDS",
                        help="hall pace: mean service time between a counter's calls")
    parser.add_argument("--kiosk-pace", type=float, default=0.25, metavar="SECONDS",
                        help="hall pace: mean time between two tickets of one kiosk")
    parser.add_argument("--seed", type=int, default=1, help="seed of the random pauses")
    parser.add_argument("--levels", default=",".join(map(str, COUNTER_LEVELS)),
                        metavar="N,N,...", help="numbers of concurrent counters to measure")
    args = parser.parse_args()
    try:
        levels = tuple(sorted({int(n) for n in args.levels.split(",") if n.strip()}))
    except ValueError:
        parser.error(f"--levels must be numbers separated by commas, got {args.levels!r}")
    if not levels or levels[0] < 1:
        parser.error("--levels needs at least one level, each at least 1 counter")
    backends = [b.strip() for b in args.backends.split(",") if b.strip()]
    for backend in backends:
        if backend not in ("sqlite", "postgres", "mariadb"):
            parser.error(f"unknown backend {backend!r}: sqlite, postgres or mariadb")
    if args.pace <= 0 or args.kiosk_pace <= 0:
        parser.error("--pace and --kiosk-pace must be positive")
    logging.basicConfig(level=logging.ERROR)  # retried deadlocks are counted, not printed
    plan = Plan(saturation_s=0.5 if args.quick else 10.0, hall_s=2.0 if args.quick else 30.0,
                hall_small_s=1.0 if args.quick else 30.0,
                pace_s=args.pace, kiosk_pace_s=args.kiosk_pace,
                profile_samples=10 if args.quick else 100, seed=args.seed, levels=levels)
    servers = {"postgres": args.postgres, "mariadb": args.mariadb}
    started = time.perf_counter()
    load_before = load_average()
    results: dict[str, Any] = {}
    hall = Hall(max(plan.levels), KIOSKS)  # starts while the first database is created
    try:
        for backend in backends:
            results[backend] = bench_backend(hall, backend, servers.get(backend), plan)
    finally:
        hall.close()
    levels = [level for r in results.values() for level in r["levels"]]
    emit({"bench": "queue_ops", "quick": args.quick, "machine": machine(),
          "plan": {"saturation_s": plan.saturation_s, "hall_pace_s": plan.hall_s,
                   "hall_pace_small_levels_s": plan.hall_small_s,
                   "pace_s": plan.pace_s, "kiosk_pace_s": plan.kiosk_pace_s,
                   "kiosks": KIOSKS, "counter_levels": list(plan.levels),
                   "processes": "one per counter and kiosk (spawn)", "seed": plan.seed},
          "results": results, "process_start_up_s": hall.start_up_s,
          "invariant_violations": sum(level["invariant_violations"] for level in levels),
          "errors": sum(level_errors(level) for level in levels)
          + sum(r["warm_up"]["error_count"] for r in results.values()),
          "target": target_entry(results),
          "load_average": {"start": load_before, "end": load_average()},
          "elapsed_s": round(time.perf_counter() - started, 1)})


if __name__ == "__main__":
    main()

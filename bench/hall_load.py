"""The whole hall under load: the writes and every screen keeping current at once.

For each backend (SQLite, PostgreSQL, MariaDB over loopback) a fresh database gets one
site with 32 windows and 8 services; window ``i`` serves service ``i mod 8`` (weight 2)
and the next one (weight 1), so a change of one service concerns 8 of the 32 counters.
Then, as separate OS processes (like the PCs of a hall):

- 32 **counters**, each calling next and starting the ticket at hall pace (after each
  call a random exponential "service" of mean ``--pace``, 1 s, as bench/queue_ops.py
  defines hall pace), while keeping its screen current the way the counter does: it
  re-reads its snapshot (:func:`shared.read.counter_view.counter_snapshot`) after its
  own call-next (start's answer is shown without a read, as the counter does), and its
  change feed (:class:`shared.feed.ChangeWatcher`) wakes a
  re-read for the changes made elsewhere that concern it
  (:func:`~shared.read.counter_view.concerns_counter`), paced as the app paces them
  (:class:`shared.feed.RefreshPacer`, ``refresh_ms``: at most once a second), one
  re-read at a time, a change arriving meanwhile making one more;
- 4 **kiosks**, issuing at hall pace (exponential, mean ``--kiosk-pace``, 0.25 s) and
  keeping their service lists current (``kiosk_services`` on ``concerns_kiosk``);
- 2 **hall displays** (the recent calls on ``concerns_calls``, then the counts, as the
  display controller reads them, at most every 0.25 s) and 1 **supervisor live view**
  (``live_view`` on any change); every screen paced like the counters'.

Reported per backend: call-next and issue latency (p50/p95/p99), what the whole hall ran
per call-next (statements and transactions of every process, split into the operations,
the change feed and the screens' reads), the read transactions per terminal a change
concerned, and the display's commit-to-shown latency (from call-next returning in the
counter to the display having read that call; both clocks are this machine's).
Before the hall starts, ``alone`` gives the floor under those figures: call-next and
issue latency from one process with no other terminal running (100 rounds, ``--quick``
30), on the same database.
Transactions are counted as the server sees them: a statement of an autocommitting
session is one (PostgreSQL's plain reads), a session's BEGIN...COMMIT/ROLLBACK another.

The processes are forked from this one once every module is imported (so starting 39
of them costs no imports), each makes its own ``Database`` and connections. A stock of
tickets is issued first so the counters do not run dry (calls finding nobody are counted).

    python bench/hall_load.py [--quick] [--backends sqlite,postgres,mariadb]
                              [--postgres URL] [--mariadb URL] [--seconds S]
                              [--pace SECONDS] [--kiosk-pace SECONDS] [--seed N]

Full run: 32 counters, 30 s of load per backend; ``--quick``: 16 counters, 4 s (under
90 s in all on an otherwise idle 2-core machine). Each terminal holds up to three
PostgreSQL connections (its operations and reads, the feed's version read, LISTEN), so
32 counters and the 7 other terminals need ``max_connections`` of about 120 beside
whatever else uses the server (a test server's default 100 is not enough, hence 16 in
``--quick``); ``--counters N`` sets it. The last line of output is one JSON object with every figure;
``target`` is PostgreSQL's call-next and issue p99 against 20 ms.
"""

from __future__ import annotations

import argparse
import gc
import logging
import math
import multiprocessing
import random
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
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
    refresh_statistics,
    server_version,
)
from sqlalchemy import event

from shared import issuing, queue
from shared.catalog import load_catalog
from shared.db import Database
from shared.feed import (
    DISPLAY_COUNTS_REFRESH_S,
    DISPLAY_REFRESH_MAX_S,
    REFRESH_INTERVAL_S,
    Change,
    ChangeWatcher,
    RefreshPacer,
    Throttle,
)
from shared.read import hall_state
from shared.read.counter_view import concerns_counter, counter_snapshot
from shared.read.display_view import (
    COUNTS_ONLY,
    concerns_calls,
    concerns_display,
    recent_calls,
)
from shared.read.kiosk_view import concerns_kiosk, kiosk_services
from shared.read.site import site_info
from shared.read.supervisor_view import live_view
from shared.request_keys import new_key

SITE = "bench"
SERVICES = 8
COUNTERS, QUICK_COUNTERS = 32, 16  # a hall's (the full run's), and --quick's
KIOSKS, DISPLAYS, SUPERVISORS = 4, 2, 1
TARGET_MS = 20
BARRIER_TIMEOUT_S = 120.0
MAX_ERRORS = 5
FEED_POLL_S = 0.25  # the terminals' default poll interval (docs/config.md)


def catalog_text(counters: int) -> str:
    parts = ['[[departments]]\ncode = "d"\nname = "部门"\n']
    for s in range(SERVICES):
        parts.append(f'[[departments.services]]\ncode = "S{s}"\nname = "业务{s}"\n'
                     f'prefix = "{chr(65 + s)}"\nweekend = true\nholiday = true\n')
    parts.append(f'[[sites]]\ncode = "{SITE}"\nname = "基准大厅"\n\n[sites.calendar]\n'
                 'workday_hours = ["00:00-24:00"]\nweekend_hours = ["00:00-24:00"]\n'
                 "issue_cutoff_minutes = 0\n")
    for number in range(1, counters + 1):
        first, second = (number - 1) % SERVICES, number % SERVICES
        parts.append(f'[[sites.windows]]\nnumber = {number}\nname = "窗口{number}"\n'
                     f"services = {{ S{first} = 2, S{second} = 1 }}\n")
    return "\n".join(parts)


# ------------------------------------------------------------------------ counting SQL


class Tally:
    """Statements and transactions of this process, by what the thread doing them is
    (``op``: the operations; ``feed``: the change feed; ``read``: the screen's reads)."""

    def __init__(self, db: Database) -> None:
        self.statements: Counter[str] = Counter()
        self.transactions: Counter[str] = Counter()
        self.local = threading.local()
        for engine in {id(e): e for e in (db.engine, db.read_engine)}.values():
            event.listen(engine, "before_cursor_execute", self._statement)
            event.listen(engine, "begin", self._begin)

    def kind(self) -> str:
        return getattr(self.local, "kind", "op")

    def _statement(self, conn: Any, *_args: Any) -> None:
        kind = self.kind()
        self.statements[kind] += 1
        if _autocommit(conn):
            self.transactions[kind] += 1

    def _begin(self, conn: Any) -> None:
        if not _autocommit(conn):
            self.transactions[self.kind()] += 1

    def reset(self) -> None:
        self.statements.clear()
        self.transactions.clear()


def _autocommit(conn: Any) -> bool:
    return bool(conn.get_execution_options().get("isolation_level") == "AUTOCOMMIT")


# ---------------------------------------------------------------------------- workers


@dataclass
class Task:
    role: str
    url: str
    index: int
    seconds: float
    pace: float
    seed: int


@dataclass
class Report:
    role: str
    index: int
    latencies: list[float] = field(default_factory=list)
    dry: int = 0
    called: list[tuple[int, float]] = field(default_factory=list)  # ticket id, wall time
    shown: list[tuple[int, float]] = field(default_factory=list)  # display: id, wall time
    changes: int = 0  # changes the feed reported
    concerning: int = 0  # of them, those that concerned this terminal
    refreshes: int = 0  # snapshot reads made
    refresh_latencies: list[float] = field(default_factory=list)
    cpu_s: float = 0.0  # this process's CPU time during the load
    statements: dict[str, int] = field(default_factory=dict)
    transactions: dict[str, int] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)


class Screen:
    """A terminal's screen kept current as the apps' FeedThread keeps it: a feed thread
    marks it dirty for the changes that concern it, paced as the app paces them
    (:class:`shared.feed.RefreshPacer`: at most once per ``refresh_s``); the terminal's one
    worker thread (as the apps' runner, which also runs its operations) re-reads it when
    dirty, changes arriving meanwhile merged into one more read. A read may ask for
    another later (:meth:`request_later`, the display's counts timer). ``tells_pacer``:
    each read tells the pacer it began (``read_started``), as only the counter's
    presenter does (its reads after the clerk's actions)."""

    def __init__(self, db: Database, site_id: int, tally: Tally, report: Report,
                 concerns: Callable[[Change], bool], read: Callable[[Change | None], object],
                 refresh_s: float = REFRESH_INTERVAL_S, *, tells_pacer: bool = False
                 ) -> None:
        self.db, self.site_id, self.tally, self.report = db, site_id, tally, report
        self.concerns, self.read = concerns, read
        self.pacer = RefreshPacer(refresh_s)
        self.tells_pacer = tells_pacer
        self.dirty = threading.Event()
        self.pending: Change | None = None
        self.lock = threading.Lock()
        self.stop = threading.Event()
        self.listening = threading.Event()  # the feed's first look is done
        self.thread = threading.Thread(target=self._feed, daemon=True)
        self.timer: threading.Timer | None = None

    def start(self) -> None:
        self.thread.start()

    def _feed(self) -> None:
        self.tally.local.kind = "feed"
        watcher = ChangeWatcher(self.db, self.site_id, poll_interval=FEED_POLL_S)
        try:
            watcher.changes(timeout=0)  # the first look (everything): the start-up read's
            self.listening.set()
            while not self.stop.is_set():
                passed: Change | None = None
                for change in watcher.paced_changes(self.pacer, 0.2):
                    self.report.changes += 1
                    if change.everything or self.concerns(change):
                        self.report.concerning += 1
                        passed = change if passed is None else passed.merged(change)
                passed = self.pacer.pace(passed)
                if passed is not None:
                    self.request(passed)
        except Exception as exc:  # reported, never swallowed
            self.report.errors.append(f"feed: {exc!r}"[:300])
        finally:
            watcher.close()

    def request(self, change: Change) -> None:
        """Have the screen's thread re-read for ``change``, merged with what is pending."""
        with self.lock:
            merged = self.pending
            self.pending = change if merged is None else merged.merged(change)
        self.dirty.set()

    def request_later(self, delay: float, change: Change) -> None:
        """:meth:`request` ``change`` in ``delay`` seconds, unless one is timed already."""
        with self.lock:
            if self.timer is not None and self.timer.is_alive():
                return
            self.timer = threading.Timer(delay, self.request, (change,))
            self.timer.daemon = True
            self.timer.start()

    def refresh_if_dirty(self) -> None:
        if self.dirty.is_set():
            self.refresh()

    def refresh(self) -> None:
        """Re-read now (the counter after its own action, as its presenter does)."""
        self.dirty.clear()
        with self.lock:
            change, self.pending = self.pending, None
        if self.tells_pacer:
            self.pacer.read_started()
        self.tally.local.kind = "read"
        try:
            sent = time.perf_counter()
            self.read(change)
            self.report.refresh_latencies.append(time.perf_counter() - sent)
            self.report.refreshes += 1
        except Exception as exc:
            if len(self.report.errors) < MAX_ERRORS:
                self.report.errors.append(f"read: {exc!r}"[:300])
        finally:
            self.tally.local.kind = "op"

    def close(self) -> None:
        self.stop.set()
        with self.lock:
            if self.timer is not None:
                self.timer.cancel()
        self.thread.join(timeout=5)


def worker(task: Task, barrier: Barrier, reports: Any) -> None:
    logging.basicConfig(level=logging.ERROR)
    report = Report(task.role, task.index)
    db = Database(task.url)
    tally = Tally(db)
    rng = random.Random(task.seed)
    try:
        site = site_info(db, SITE)
        screen = _screen(task, db, site.id, tally, report)
        screen.read(None)  # the start-up read (and the warm-up of its statements)
        _warm_up(task, db)
        screen.start()
        if not screen.listening.wait(timeout=BARRIER_TIMEOUT_S):
            raise TimeoutError("the change feed did not start")
        gc.freeze()  # what start-up built, out of the collector's way, as the apps do
        barrier.wait(timeout=BARRIER_TIMEOUT_S)
        tally.reset()
        released, cpu_at_release = time.perf_counter(), time.process_time()
        _operate(task, db, screen, report, rng, released)
        screen.close()
        report.cpu_s = time.process_time() - cpu_at_release
    except Exception as exc:
        report.errors.append(f"{type(exc).__name__}: {exc}"[:300])
    report.statements = dict(tally.statements)
    report.transactions = dict(tally.transactions)
    db.dispose()
    reports.put(report)


def _warm_up(task: Task, db: Database) -> None:
    """One operation of each kind before the load, as a terminal that has run a while:
    the first use of a statement in a process compiles it (SQLAlchemy's cache is per
    engine) and its first uses on a connection are not yet prepared by the server."""
    if task.role == "counter":
        window, clerk = task.index + 1, f"c{task.index + 1}"
        ticket = queue.call_next(db, window, site=SITE, clerk=clerk,
                                 request_key=new_key()).ticket
        if ticket is not None:
            queue.start(db, ticket.id, site=SITE, request_key=new_key())
    elif task.role == "kiosk":
        issuing.issue_ticket(db, "S0", site=SITE, request_key=new_key())


def _screen(task: Task, db: Database, site_id: int, tally: Tally, report: Report) -> Screen:
    if task.role == "counter":
        window = task.index + 1
        state: dict[str, Any] = {}

        def read_counter(_change: Change | None) -> None:
            snap = counter_snapshot(db, window, f"c{window}", site=SITE)
            state["window"], state["services"] = snap.window.id, snap.service_ids

        def concerns(change: Change) -> bool:
            return "window" not in state or concerns_counter(change, state["window"],
                                                             state["services"])

        return Screen(db, site_id, tally, report, concerns, read_counter, tells_pacer=True)
    if task.role == "kiosk":
        return Screen(db, site_id, tally, report, concerns_kiosk,
                      lambda _change: kiosk_services(db, site=SITE))
    if task.role == "display":
        seen: set[int] = set()
        first = [True]
        counts = Throttle(DISPLAY_COUNTS_REFRESH_S)

        def read_display(change: Change | None) -> None:
            if change is None or concerns_calls(change):
                calls = recent_calls(db, SITE, 50)
                now = time.time()
                for call in calls:
                    if call.event_id not in seen:
                        seen.add(call.event_id)
                        if not first[0]:
                            report.shown.append((call.ticket_id, now))
                first[0] = False
            # The counts at most once per DISPLAY_COUNTS_REFRESH_S, the rest read when
            # it has passed (the display's controller, _read_counts).
            if (wait := counts.start_in()) > 0:
                display.request_later(wait, COUNTS_ONLY)
                return
            hall_state.queue_overview(db, site=SITE)

        display = Screen(db, site_id, tally, report, concerns_display, read_display,
                         DISPLAY_REFRESH_MAX_S)
        return display
    return Screen(db, site_id, tally, report, lambda _change: True,
                  lambda _change: live_view(db, site=SITE))


def _operate(task: Task, db: Database, screen: Screen, report: Report, rng: random.Random,
             released: float) -> None:
    """Refresh the screen when a change concerns it and, for a counter or a kiosk, call
    or issue at hall pace, all on one thread; one more second at the end lets the
    screens catch up with the last changes."""
    operates = task.role in ("counter", "kiosk")
    deadline = released + task.seconds
    end = deadline + 1.0
    next_at = released + rng.uniform(0.0, task.pace) if operates else math.inf
    while time.perf_counter() < end and len(report.errors) < MAX_ERRORS:
        screen.refresh_if_dirty()
        now = time.perf_counter()
        if next_at >= deadline or now < next_at:
            # Past the deadline only the screen is kept (till the end), never a spin.
            screen.dirty.wait(max(0.0, (end if next_at >= deadline else next_at) - now))
            continue
        try:
            sent = time.perf_counter()
            if task.role == "counter":
                ticket = queue.call_next(db, task.index + 1, site=SITE,
                                         clerk=f"c{task.index + 1}",
                                         request_key=new_key()).ticket
                report.latencies.append(time.perf_counter() - sent)
                screen.refresh()  # the presenter's read after an action
                if ticket is None:
                    report.dry += 1
                else:
                    report.called.append((ticket.id, time.time()))
                    # No read after it: start's answer is all it changes on the screen
                    # (counter_app.presenter.ANSWER_SHOWN).
                    queue.start(db, ticket.id, site=SITE, request_key=new_key())
            else:
                service = f"S{rng.randrange(SERVICES)}"
                issuing.issue_ticket(db, service, site=SITE, request_key=new_key())
                report.latencies.append(time.perf_counter() - sent)
        except Exception as exc:
            report.errors.append(f"{type(exc).__name__}: {exc}"[:300])
        next_at = time.perf_counter() + rng.expovariate(1.0 / task.pace)


# ---------------------------------------------------------------------------- a backend


def prepare(url: str, counters: int, stock: int, seed: int) -> None:
    """The catalog, a clerk per window, and a stock of waiting tickets. The clerks'
    passwords are hashed at a small scrypt cost (logging in is not what is measured)."""
    from shared import clerks

    clerks._N = 2**8
    db = Database(url)
    try:
        with tempfile.TemporaryDirectory(prefix="hallq-hall-load-") as directory:
            catalog = Path(directory) / "catalog.toml"
            catalog.write_text(catalog_text(counters), encoding="utf-8")
            load_catalog(db, catalog)
        for number in range(1, counters + 1):
            clerks.add_clerk(db, f"c{number}", f"职员{number}", "bench-password-1")
        rng = random.Random(seed)
        for _ in range(stock):
            issuing.issue_ticket(db, f"S{rng.randrange(SERVICES)}", site=SITE)
        refresh_statistics(db)
    finally:
        db.dispose()


def login_all(url: str, counters: int) -> None:
    from shared import clerks

    db = Database(url)
    try:
        for number in range(1, counters + 1):
            clerks.login_at_window(db, f"c{number}", "bench-password-1", number, site=SITE)
    finally:
        db.dispose()


ALONE_ROUNDS, QUICK_ALONE_ROUNDS = 100, 30


def alone(url: str, rounds: int) -> dict[str, Any]:
    """The floor under the hall's figures: call-next (then start) at window 1 and an
    issue, one after the other from this one process, with no other terminal running,
    on the database the hall then uses. Each round issues a ticket of the service it
    called, so the stock is left as it was, service by service."""
    db = Database(url)
    calls: list[float] = []
    issues: list[float] = []
    try:
        for number in range(rounds + 1):  # the first round warms up, as a worker does
            sent = time.perf_counter()
            ticket = queue.call_next(db, 1, site=SITE, clerk="c1",
                                     request_key=new_key()).ticket
            called = time.perf_counter()
            if ticket is not None:
                queue.start(db, ticket.id, site=SITE, request_key=new_key())
            before_issue = time.perf_counter()
            issuing.issue_ticket(db, ticket.service if ticket is not None else "S0",
                                 site=SITE, request_key=new_key())
            if number:
                calls.append(called - sent)
                issues.append(time.perf_counter() - before_issue)
    finally:
        db.dispose()  # before the workers fork: they must not share its connections
    return {"rounds": rounds, "call_next": percentiles(calls), "issue": percentiles(issues)}


def bench_backend(backend: str, server: str | None, counters: int, seconds: float,
                  pace: float, kiosk_pace: float, seed: int, alone_rounds: int
                  ) -> dict[str, Any]:
    started = time.perf_counter()
    with fresh_database(backend, server) as url:
        expected = counters * seconds / pace
        stock = math.ceil(expected + 4 * math.sqrt(expected)) + counters  # + warm-ups
        prepare(url, counters, stock, seed)
        login_all(url, counters)
        floor = alone(url, alone_rounds)
        context = multiprocessing.get_context("fork")
        roles = (["counter"] * counters + ["kiosk"] * KIOSKS + ["display"] * DISPLAYS
                 + ["supervisor"] * SUPERVISORS)
        barrier = context.Barrier(len(roles) + 1)
        reports_queue = context.Queue()
        numbered: Counter[str] = Counter()
        processes = []
        for n, role in enumerate(roles):
            index = numbered[role]
            numbered[role] += 1
            task = Task(role, url, index, seconds, pace if role == "counter" else kiosk_pace,
                        seed + n)
            process = context.Process(target=worker, args=(task, barrier, reports_queue),
                                      name=f"hall-{role}-{index}", daemon=True)
            process.start()
            processes.append(process)
        barrier.wait(timeout=BARRIER_TIMEOUT_S)
        cpu_before, busy = cpu_times(), None
        reports: list[Report] = []
        limit = time.perf_counter() + seconds + BARRIER_TIMEOUT_S
        while len(reports) < len(roles):
            try:
                reports.append(reports_queue.get(timeout=2.0))
            except Empty:
                if time.perf_counter() > limit:
                    break
            if len(reports) == 1:  # the first done: the load is over
                busy = cpu_busy(cpu_before, cpu_times())
        for process in processes:
            process.join(timeout=10)
            if process.is_alive():
                process.terminate()
        version = server_version(url)
    return summarize(reports, len(roles), version, time.perf_counter() - started, busy) | {
        "alone": floor}


def summarize(reports: list[Report], expected: int, version: str, wall: float,
              busy: float | None = None) -> dict[str, Any]:
    by_role: dict[str, list[Report]] = {}
    for r in reports:
        by_role.setdefault(r.role, []).append(r)
    counters, kiosks = by_role.get("counter", []), by_role.get("kiosk", [])
    calls = sum(len(r.latencies) for r in counters)
    statements: Counter[str] = Counter()
    transactions: Counter[str] = Counter()
    for r in reports:
        statements.update({f"{r.role}.{k}": v for k, v in r.statements.items()})
        transactions.update({f"{r.role}.{k}": v for k, v in r.transactions.items()})
    called_at = {ticket: at for r in counters for ticket, at in r.called}
    shown = [max(0.0, at - called_at[ticket]) for r in by_role.get("display", [])
             for ticket, at in r.shown if ticket in called_at]
    missed = sum(1 for r in by_role.get("display", []) for t in called_at
                 if t not in {ticket for ticket, _ in r.shown})

    def per_call(counts: Counter[str], prefix: str = "") -> float | None:
        total = sum(v for k, v in counts.items() if k.startswith(prefix))
        return round(total / calls, 1) if calls else None

    def reads_per_concerning(role: str) -> float | None:
        rs = by_role.get(role, [])
        concerning = sum(r.concerning for r in rs)
        reads = sum(v for r in rs for k, v in r.transactions.items() if k == "read")
        return round(reads / concerning, 2) if concerning else None

    return {
        "server": version, "wall_s": round(wall, 1),
        "processes": {"expected": expected, "reported": len(reports)},
        # The whole machine (the database server too) while the hall ran, and each kind
        # of terminal's own CPU seconds per call-next (operations, feed and reads).
        "machine_busy": busy,
        "cpu_ms_per_call": {role: round(1000 * sum(r.cpu_s for r in rs) / calls, 1)
                            for role, rs in by_role.items()} if calls else {},
        "call_next": percentiles([s for r in counters for s in r.latencies]),
        "issue": percentiles([s for r in kiosks for s in r.latencies]),
        "dry_calls": sum(r.dry for r in counters),
        "per_call": {
            "statements": per_call(statements), "transactions": per_call(transactions),
            "statements_by": {k: round(v / calls, 2) for k, v in sorted(statements.items())}
            if calls else {},
            "transactions_by": {k: round(v / calls, 2) for k, v in sorted(transactions.items())}
            if calls else {},
        },
        # Read transactions of the screens per change that concerned the terminal (a
        # refresh coalesces changes arriving while it reads, so this can be below 1).
        "read_tx_per_concerning_change": {role: reads_per_concerning(role)
                                          for role in ("counter", "kiosk", "display",
                                                       "supervisor")},
        "concerning_share": {role: round(sum(r.concerning for r in rs)
                                         / max(1, sum(r.changes for r in rs)), 2)
                             for role, rs in by_role.items()},
        "refresh": {role: percentiles([s for r in rs for s in r.refresh_latencies])
                    for role, rs in by_role.items()},
        "display_commit_to_shown": percentiles(shown), "display_calls_not_shown": missed,
        "error_count": sum(len(r.errors) for r in reports),
        "errors": [e for r in reports for e in r.errors][:10],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="4 s of load per backend")
    parser.add_argument("--backends", default="sqlite,postgres,mariadb")
    parser.add_argument("--postgres", help="server URL (default: the local test server)")
    parser.add_argument("--mariadb", help="server URL (default: the local test server)")
    parser.add_argument("--seconds", type=float, help="load per backend (default 30, quick 4)")
    parser.add_argument("--counters", type=int,
                        help="counter processes (default 32, quick 16: see the docstring)")
    parser.add_argument("--pace", type=float, default=1.0, metavar="SECONDS",
                        help="hall pace: mean service time between a counter's calls")
    parser.add_argument("--kiosk-pace", type=float, default=0.25, metavar="SECONDS",
                        help="hall pace: mean time between two tickets of one kiosk")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    backends = [b.strip() for b in args.backends.split(",") if b.strip()]
    for backend in backends:
        if backend not in ("sqlite", "postgres", "mariadb"):
            parser.error(f"unknown backend {backend!r}: sqlite, postgres or mariadb")
    seconds = args.seconds if args.seconds is not None else (4.0 if args.quick else 30.0)
    counters = args.counters if args.counters is not None else (QUICK_COUNTERS if args.quick else COUNTERS)
    if counters < 1:
        parser.error("--counters must be at least 1")
    if seconds <= 0 or args.pace <= 0 or args.kiosk_pace <= 0:
        parser.error("--seconds, --pace and --kiosk-pace must be positive")
    logging.basicConfig(level=logging.ERROR)
    started = time.perf_counter()
    servers = {"postgres": args.postgres, "mariadb": args.mariadb}
    rounds = QUICK_ALONE_ROUNDS if args.quick else ALONE_ROUNDS
    results = {backend: bench_backend(backend, servers.get(backend), counters, seconds,
                                      args.pace, args.kiosk_pace, args.seed, rounds)
               for backend in backends}
    pg = results.get("postgres")
    target = None
    if pg is not None:
        target = {"call_next_p99_ms": pg["call_next"]["p99_ms"],
                  "issue_p99_ms": pg["issue"]["p99_ms"], "limit_ms": TARGET_MS,
                  "met": bool(pg["call_next"]["p99_ms"] is not None
                              and pg["issue"]["p99_ms"] is not None
                              and pg["call_next"]["p99_ms"] < TARGET_MS
                              and pg["issue"]["p99_ms"] < TARGET_MS)}
    emit({"bench": "hall_load", "quick": args.quick, "seconds": seconds, "pace_s": args.pace,
          "kiosk_pace_s": args.kiosk_pace, "terminals": {
              "counters": counters, "kiosks": KIOSKS, "displays": DISPLAYS,
              "supervisors": SUPERVISORS},
          "machine": machine(), "results": results, "target": target,
          "total_s": round(time.perf_counter() - started, 1)})


if __name__ == "__main__":
    main()

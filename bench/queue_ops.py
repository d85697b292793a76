"""Queue operations under load: issue and call-next throughput and latency.

For each backend (SQLite, PostgreSQL, MariaDB over loopback) and each number of
concurrent counters (1, 8, 32), a fresh database gets a site with that many windows.
Four kiosk threads issue tickets ahead (measured: issue latency and throughput), then the
counters call next and start each ticket, so the following call finishes it, as a hall
caller does (measured: call-next latency and throughput). Every kiosk and counter is a
thread with its own Database object and connection pool, like separate PCs. Afterwards
the queue invariants are checked (duplicate numbers, double holds...: must be 0), and one
single-threaded call-next is profiled: SQL statements and client CPU per call.

    python bench/queue_ops.py [--quick] [--backends sqlite,postgres,mariadb]
                              [--postgres URL] [--mariadb URL]

The last line of output is one JSON object with every figure.
"""

from __future__ import annotations

import argparse
import logging
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from common import emit, fresh_database, machine, percentiles, server_version
from sqlalchemy import event

from shared import issuing, queue
from shared.catalog import load_catalog
from shared.db import Database
from tests.integration.invariants import check_all

SITE = "bench"
SERVICES = (("S1", "A"), ("S2", "B"))
KIOSKS = 4
COUNTER_LEVELS = (1, 8, 32)


@dataclass
class Phase:
    """Latencies and errors gathered by the threads of one phase."""

    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, seconds: float) -> None:
        with self.lock:
            self.latencies.append(seconds)

    def fail(self, exc: BaseException) -> None:
        with self.lock:
            self.errors.append(f"{type(exc).__name__}: {exc}")


def catalog_text(windows: int) -> str:
    parts = ['[[departments]]\ncode = "d"\nname = "部门"\n']
    for code, prefix in SERVICES:
        parts.append(f'[[departments.services]]\ncode = "{code}"\nname = "业务{prefix}"\n'
                     f'prefix = "{prefix}"\nweekend = true\nholiday = true\n')
    parts.append(f'[[sites]]\ncode = "{SITE}"\nname = "基准大厅"\n\n[sites.calendar]\n'
                 'workday_hours = ["00:00-23:59"]\nweekend_hours = ["00:00-23:59"]\n'
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


def run_threads(count: int, target: Any, seconds: float) -> float:
    """Run ``count`` threads of ``target(index, deadline)``; return the elapsed time."""
    start = time.perf_counter()
    deadline = start + seconds
    threads = [threading.Thread(target=target, args=(i, deadline)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.perf_counter() - start


def issue_phase(url: str, seconds: float, max_tickets: int) -> tuple[Phase, float]:
    phase = Phase()
    issued = [0]

    def kiosk(index: int, deadline: float) -> None:
        db = Database(url)
        try:
            n = 0
            while time.perf_counter() < deadline:
                with phase.lock:
                    if issued[0] >= max_tickets:
                        return
                    issued[0] += 1
                started = time.perf_counter()
                issuing.issue_ticket(db, SERVICES[n % 2][0], site=SITE)
                phase.add(time.perf_counter() - started)
                n += 1
        except Exception as exc:  # reported in the figures, never swallowed
            phase.fail(exc)
        finally:
            db.dispose()

    return phase, run_threads(KIOSKS, kiosk, seconds)


def call_phase(url: str, counters: int, seconds: float) -> tuple[Phase, float]:
    phase = Phase()

    def counter(index: int, deadline: float) -> None:
        db = Database(url)
        window = index + 1
        try:
            while time.perf_counter() < deadline:
                started = time.perf_counter()
                ticket = queue.call_next(db, window, site=SITE).ticket
                phase.add(time.perf_counter() - started)
                if ticket is None:
                    return  # the queue ran dry (the previous ticket was finished by this call)
                queue.start(db, ticket.id, site=SITE)
        except Exception as exc:  # reported in the figures, never swallowed
            phase.fail(exc)
        finally:
            db.dispose()

    return phase, run_threads(counters, counter, seconds)


def profile_call_next(url: str, samples: int) -> dict[str, Any]:
    """Single-threaded call-next: wall and client CPU time, and SQL statements per call."""
    db = Database(url)
    statements = [0]

    @event.listens_for(db.engine, "before_cursor_execute")
    def count(*_: Any) -> None:
        statements[0] += 1

    try:
        for n in range(samples):
            issuing.issue_ticket(db, SERVICES[n % 2][0], site=SITE)
        walls, cpus, counts = [], [], []
        for _ in range(samples):
            statements[0] = 0
            wall, cpu = time.perf_counter(), time.process_time()
            ticket = queue.call_next(db, 1, site=SITE).ticket
            walls.append(time.perf_counter() - wall)
            cpus.append(time.process_time() - cpu)
            counts.append(statements[0])
            assert ticket is not None
            queue.start(db, ticket.id, site=SITE)
        return {"wall": percentiles(walls), "client_cpu": percentiles(cpus),
                "sql_statements_per_call": round(sum(counts) / len(counts), 1)}
    finally:
        db.dispose()


def bench_level(url: str, counters: int, seconds: float, max_tickets: int) -> dict[str, Any]:
    """One load level on the shared bench database; end of day clears what is left."""
    issued, issue_elapsed = issue_phase(url, seconds, max_tickets)
    called, call_elapsed = call_phase(url, counters, seconds)
    db = Database(url)
    try:
        report = check_all(db)
        queue.close_day(db, site=SITE)
    finally:
        db.dispose()
    return {
        "counters": counters,
        "issue": {"kiosks": KIOSKS, "per_second": round(len(issued.latencies) / issue_elapsed, 1),
                  **percentiles(issued.latencies), "errors": issued.errors[:5]},
        "call_next": {"per_second": round(len(called.latencies) / call_elapsed, 1),
                      **percentiles(called.latencies), "errors": called.errors[:5]},
        "invariant_violations": report.total,
        "violations_by_kind": report.summary(),
    }


def bench_backend(backend: str, server_url: str | None, quick: bool) -> dict[str, Any]:
    seconds = 1.0 if quick else 15.0
    max_tickets = 300 if quick else 10000
    levels = []
    with fresh_database(backend, server_url) as url:
        db = Database(url)
        load_bench_catalog(db, max(COUNTER_LEVELS))
        queue.close_day(db, site=SITE)  # opens the business day before the load starts
        db.dispose()
        for counters in COUNTER_LEVELS:
            level = bench_level(url, counters, seconds, max_tickets)
            levels.append(level)
            print(f"{backend:8} {counters:2} counters: issue p99 {level['issue']['p99_ms']} ms, "
                  f"call-next p50/p99 {level['call_next']['p50_ms']}/"
                  f"{level['call_next']['p99_ms']} ms, {level['call_next']['per_second']}/s, "
                  f"violations {level['invariant_violations']}", flush=True)
        profile = profile_call_next(url, 15 if quick else 100)
        version = server_version(url)
    return {"server_version": version, "levels": levels, "single_call_next": profile}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="finish everything in < 60 s")
    parser.add_argument("--backends", default="sqlite,postgres,mariadb")
    parser.add_argument("--postgres", help="server URL (default: the local test server)")
    parser.add_argument("--mariadb", help="server URL (default: the local test server)")
    args = parser.parse_args()
    logging.basicConfig(level=logging.ERROR)  # retried deadlocks are counted, not printed
    servers = {"postgres": args.postgres, "mariadb": args.mariadb}
    started = time.perf_counter()
    results: dict[str, Any] = {}
    for backend in [b.strip() for b in args.backends.split(",") if b.strip()]:
        if backend not in ("sqlite", "postgres", "mariadb"):
            parser.error(f"unknown backend {backend!r}: sqlite, postgres or mariadb")
        results[backend] = bench_backend(backend, servers.get(backend), args.quick)
    violations = sum(level["invariant_violations"] for r in results.values()
                     for level in r["levels"])
    pg = results.get("postgres", {}).get("levels", [])
    target = next((lv["call_next"]["p99_ms"] for lv in pg if lv["counters"] == 32), None)
    emit({"bench": "queue_ops", "quick": args.quick, "machine": machine(), "results": results,
          "invariant_violations": violations,
          "target": {"postgres_32_counters_call_next_p99_ms": target, "limit_ms": 20,
                     "met": target is not None and target < 20},
          "elapsed_s": round(time.perf_counter() - started, 1)})


if __name__ == "__main__":
    main()

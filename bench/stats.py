"""Benchmark: the supervisor's live view and statistics on a year of one hall's history.

Generates a realistic history for the Chun'an center (resources/catalog/chunan.toml):
about 750,000 tickets a year with their queue segments, events, evaluations and
follow-ups, shaped like a service hall (morning and afternoon peaks, a lunch dip, busy
Mondays, quiet weekends with only the weekend services). Rows are bulk inserted
(executemany on SQLite, COPY on PostgreSQL), not played through the queue operations;
the measures the operations keep on each stay are then filled in as migration 0003 does.
Then it times the live view refresh and the statistics for one month and one year.

    python bench/stats.py [--quick] [--backends sqlite,postgres] [--days N] [--reuse URL]

PostgreSQL: the server of HALLQ_TEST_POSTGRES_URL (bench/common.py); the benchmark
creates (and drops) its own database beside the one named. Targets: live view < 200 ms,
one month < 1 s, one year < 5 s. The last line printed is one JSON object.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import emit, fresh_database, machine, refresh_statistics, server_version
from sqlalchemy import text
from sqlalchemy.orm import Session

from resources import resource_path
from shared import clerks
from shared.catalog import load_catalog
from shared.db import Database
from shared.read.supervisor_view import live_view
from shared.stats import StatsFilter, compute_statistics
from shared.stats.measures import backfill_measures

SITE = "chunan"
UTC_OFFSET = dt.timedelta(hours=8)  # Asia/Shanghai
TARGETS_MS = {"live": 200, "month": 1000, "year": 5000}
# Share of a workday's tickets per local hour (08:30-17:00, lunch dip at noon).
HOUR_SHAPE = {8: 6, 9: 14, 10: 15, 11: 11, 12: 4, 13: 8, 14: 13, 15: 12, 16: 7}
WEEKEND_HOURS = {9: 4, 10: 5, 11: 4, 12: 2, 13: 3, 14: 4, 15: 3}
WEEKDAY_SHAPE = (1.25, 1.05, 1.0, 0.95, 0.9, 0.28, 0.22)  # Monday busiest
WORKDAY_TICKETS = 2620  # with the weekday shape: about 750,000 a year
OUTCOME_WEIGHTS = {"completed": 70, "accepted": 19, "materials-missing": 6, "consultation": 5}
LEVEL_WEIGHTS = {1: 70, 2: 22, 3: 5, 4: 2, 5: 1}
TABLES = {
    "ticket": ("id", "site_id", "business_day", "prefix", "seq", "number", "service_id",
               "issued_service_id", "kind", "transferred", "state", "queue_pos", "issued_at",
               "queued_at", "called_at", "started_at", "finished_at", "window_id", "clerk_id",
               "outcome", "after_hours", "print_pending", "call_count", "note"),
    "segment": ("id", "ticket_id", "site_id", "business_day", "service_id", "kind",
                "transferred", "queued_at", "called_at", "started_at", "ended_at", "window_id",
                "clerk_id", "result", "outcome"),
    "ticket_event": ("id", "site_id", "ticket_id", "action", "from_state", "to_state",
                     "window_id", "clerk_id", "service_id", "at", "detail"),
    "evaluation": ("id", "ticket_id", "site_id", "window_id", "clerk_id", "level", "comment",
                   "at"),
    "follow_up": ("id", "evaluation_id", "status", "contact_result", "note", "created_at",
                  "closed_at", "closed_by_id"),
}


class Hall:
    """The site's services and windows as the generator needs them (ids from the DB)."""

    def __init__(self, db: Database) -> None:
        with db.engine.connect() as conn:
            self.site_id = conn.execute(text("SELECT id FROM site WHERE code = :c"),
                                        {"c": SITE}).scalar_one()
            services = conn.execute(text("SELECT id, prefix, weekend FROM service")).all()
            pairs = conn.execute(text(
                "SELECT ws.service_id, w.id FROM window_service ws JOIN \"window\" w "
                "ON w.id = ws.window_id WHERE w.site_id = :s"), {"s": self.site_id}).all()
            self.clerk_ids = [r[0] for r in conn.execute(text("SELECT id FROM clerk"))]
        self.windows_of: dict[int, list[int]] = {}
        for service_id, window_id in pairs:
            self.windows_of.setdefault(service_id, []).append(window_id)
        self.prefix = {s.id: s.prefix for s in services}
        offered = [s for s in services if s.id in self.windows_of]
        self.weekday_services = [s.id for s in offered]
        self.weekend_services = [s.id for s in offered if s.weekend]
        # Popular services first in the catalog get more tickets.
        self.weights = {sid: 1.0 / (1 + i * 0.35) for i, sid in enumerate(self.weekday_services)}
        windows = sorted({w for ws in self.windows_of.values() for w in ws})
        self.clerk_of = {w: self.clerk_ids[i % len(self.clerk_ids)] for i, w in enumerate(windows)}


class Generator:
    """Builds the rows of a history, day by day, with ids assigned here."""

    def __init__(self, hall: Hall, seed: int) -> None:
        self.hall = hall
        self.rng = random.Random(seed)
        self.next_id = {name: 1 for name in TABLES}
        self.rows: dict[str, list[tuple[Any, ...]]] = {name: [] for name in TABLES}

    def _id(self, table: str) -> int:
        value = self.next_id[table]
        self.next_id[table] += 1
        return value

    def day(self, day: dt.date, scale: float) -> None:
        weekend = day.weekday() >= 5
        hours = WEEKEND_HOURS if weekend else HOUR_SHAPE
        services = self.hall.weekend_services if weekend else self.hall.weekday_services
        weights = [self.hall.weights[s] for s in services]
        count = int(WORKDAY_TICKETS * scale * WEEKDAY_SHAPE[day.weekday()]
                    * self.rng.uniform(0.85, 1.15))
        start = dt.datetime.combine(day, dt.time()) - UTC_OFFSET
        peak = max(hours.values())
        arrivals = sorted(
            start + dt.timedelta(hours=h, minutes=self.rng.uniform(30 if h == 8 else 0, 60))
            for h in self.rng.choices(list(hours), weights=list(hours.values()), k=count))
        seqs: dict[str, int] = {}
        for n, issued in enumerate(arrivals):
            local_hour = (issued + UTC_OFFSET).hour
            load = hours.get(local_hour, 1) / peak
            service = self.rng.choices(services, weights=weights)[0]
            prefix = self.hall.prefix[service]
            seqs[prefix] = seqs.get(prefix, 0) + 1
            self._ticket(day, service, prefix, seqs[prefix], n + 1, issued, load)

    def _ticket(self, day: dt.date, service: int, prefix: str, seq: int, order: int,
                issued: dt.datetime, load: float) -> None:
        rng = self.rng
        tid = self._id("ticket")
        kind = "green" if rng.random() < 0.03 else ("appointment" if rng.random() < 0.05
                                                     else "normal")
        fate = rng.random()
        self._event(tid, "issue", None, "waiting", None, service, issued)
        if fate < 0.02:  # left before being called
            gone = issued + dt.timedelta(minutes=rng.uniform(2, 40))
            self._segment(tid, day, service, kind, False, issued, None, None, gone, None,
                          "cancelled", None)
            self._event(tid, "cancel", "waiting", "cancelled", None, service, gone)
            self._ticket_row(tid, day, service, service, prefix, seq, order, kind, False,
                             "cancelled", issued, issued, None, None, None, None, None)
            return
        window = rng.choice(self.hall.windows_of[service])
        called = issued + dt.timedelta(seconds=rng.expovariate(1 / (120 + 1100 * load)))
        if fate < 0.06:  # no-show, closed as expired at the end of the day
            self._event(tid, "call", "waiting", "called", window, service, called)
            gone = called + dt.timedelta(minutes=3)
            self._event(tid, "no_show", "called", "no_show", window, service, gone)
            closed = dt.datetime.combine(day, dt.time(10)) + dt.timedelta(hours=1)
            self._event(tid, "expire", "no_show", "expired", None, service, closed)
            self._segment(tid, day, service, kind, False, issued, called, None, closed,
                          window, "expired", None)
            self._ticket_row(tid, day, service, service, prefix, seq, order, kind, False,
                             "expired", issued, issued, called, None, None, window, None)
            return
        if fate < 0.07:  # a no-show who came back: one segment, the later call counts
            first = called
            called = first + dt.timedelta(minutes=rng.uniform(5, 20))
            self._event(tid, "call", "waiting", "called", window, service, first)
            self._event(tid, "no_show", "called", "no_show", window, service,
                        first + dt.timedelta(minutes=2))
            self._event(tid, "reinstate", "no_show", "waiting", None, service,
                        first + dt.timedelta(minutes=4))
        transferred_to = None
        if fate > 0.95:
            others = [s for s in self.hall.weekday_services if s != service]
            transferred_to = rng.choice(others)
        self._serve(tid, day, service, prefix, seq, order, kind, issued, issued, called,
                    window, transferred_to)

    def _serve(self, tid: int, day: dt.date, service: int, prefix: str, seq: int, order: int,
               kind: str, issued: dt.datetime, queued: dt.datetime, called: dt.datetime,
               window: int, transferred_to: int | None, first_service: int | None = None
               ) -> None:
        rng = self.rng
        clerk = self.hall.clerk_of[window]
        started = called + dt.timedelta(seconds=rng.uniform(15, 90))
        ended = started + dt.timedelta(seconds=min(5400, rng.lognormvariate(5.7, 0.6)))
        was_transferred = first_service is not None
        self._event(tid, "call", "waiting", "called", window, service, called)
        self._event(tid, "start", "called", "serving", window, service, started)
        if transferred_to is not None:
            self._segment(tid, day, service, kind, was_transferred, queued, called, started,
                          ended, window, "transferred", None)
            self._event(tid, "transfer", "serving", "waiting", window, service, ended)
            next_window = rng.choice(self.hall.windows_of[transferred_to])
            next_call = ended + dt.timedelta(seconds=rng.expovariate(1 / 240))
            self._serve(tid, day, transferred_to, prefix, seq, order, kind, issued, ended,
                        next_call, next_window, None, first_service or service)
            return
        outcome = rng.choices(list(OUTCOME_WEIGHTS), weights=list(OUTCOME_WEIGHTS.values()))[0]
        self._segment(tid, day, service, kind, was_transferred, queued, called, started, ended,
                      window, "finished", outcome)
        self._event(tid, "finish", "serving", "finished", window, service, ended)
        self._ticket_row(tid, day, service, first_service or service, prefix, seq, order, kind,
                         was_transferred, "finished", issued, queued, called, started, ended,
                         window, outcome, clerk)
        if rng.random() < 0.65:
            self._evaluation(tid, window, clerk, ended)

    def _evaluation(self, tid: int, window: int, clerk: int, at: dt.datetime) -> None:
        rng = self.rng
        level = None if rng.random() < 0.1 else \
            rng.choices(list(LEVEL_WEIGHTS), weights=list(LEVEL_WEIGHTS.values()))[0]
        eid = self._id("evaluation")
        rated_at = at + dt.timedelta(seconds=20)
        self.rows["evaluation"].append((eid, tid, self.hall.site_id, window, clerk, level, "",
                                        rated_at))
        if level is not None and level >= 4:
            closed = rng.random() < 0.8
            self.rows["follow_up"].append((
                self._id("follow_up"), eid, "closed" if closed else "open",
                "已回访，已解释" if closed else "", "",
                rated_at, rated_at + dt.timedelta(days=1) if closed else None,
                self.hall.clerk_ids[0] if closed else None))

    def _segment(self, tid: int, day: dt.date, service: int, kind: str, transferred: bool,
                 queued: dt.datetime, called: dt.datetime | None, started: dt.datetime | None,
                 ended: dt.datetime | None, window: int | None, result: str | None,
                 outcome: str | None) -> None:
        clerk = self.hall.clerk_of[window] if window else None
        self.rows["segment"].append((self._id("segment"), tid, self.hall.site_id, day, service,
                                     kind, transferred, queued, called, started, ended, window,
                                     clerk, result, outcome))

    def _event(self, tid: int, action: str, before: str | None, after: str | None,
               window: int | None, service: int, at: dt.datetime) -> None:
        clerk = self.hall.clerk_of[window] if window else None
        self.rows["ticket_event"].append((self._id("ticket_event"), self.hall.site_id, tid,
                                          action, before, after, window, clerk, service, at,
                                          "{}"))

    def _ticket_row(self, tid: int, day: dt.date, service: int, issued_service: int,
                    prefix: str, seq: int, order: int, kind: str, transferred: bool, state: str,
                    issued: dt.datetime, queued: dt.datetime, called: dt.datetime | None,
                    started: dt.datetime | None, finished: dt.datetime | None,
                    window: int | None, outcome: str | None, clerk: int | None = None) -> None:
        self.rows["ticket"].append((
            tid, self.hall.site_id, day, prefix, seq, f"{prefix}{seq:03d}", service,
            issued_service, kind, transferred, state, order << 20, issued, queued, called,
            started, finished, window, clerk, outcome, False, False, 1 if called else 0, ""))

    def take(self) -> dict[str, list[tuple[Any, ...]]]:
        rows, self.rows = self.rows, {name: [] for name in TABLES}
        return rows


# --------------------------------------------------------------------------- bulk insert


def _sqlite_value(value: Any) -> Any:
    if isinstance(value, dt.datetime):  # SQLAlchemy's SQLite storage format
        return value.isoformat(sep=" ", timespec="microseconds")
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def bulk_insert(db: Database, batch: dict[str, list[tuple[Any, ...]]]) -> None:
    """Insert generated rows: executemany on SQLite, COPY on PostgreSQL."""
    raw = db.engine.raw_connection()
    try:
        driver = raw.driver_connection
        if db.backend == "sqlite":
            driver.execute("BEGIN")
            for table, rows in batch.items():
                columns = TABLES[table]
                sql = (f'INSERT INTO "{table}" ({", ".join(columns)}) '
                       f'VALUES ({", ".join("?" * len(columns))})')
                driver.executemany(sql, ([_sqlite_value(v) for v in row] for row in rows))
            driver.execute("COMMIT")
        else:
            with driver.cursor() as cur:
                for table, rows in batch.items():
                    with cur.copy(f'COPY "{table}" ({", ".join(TABLES[table])}) FROM STDIN') as cp:
                        for row in rows:
                            cp.write_row(row)
            driver.commit()
    finally:
        raw.close()


def generate(db: Database, days: int, scale: float, seed: int = 2026) -> dict[str, int]:
    """Load the catalog and clerks, then insert ``days`` of history ending yesterday."""
    load_catalog(db, resource_path("catalog", "chunan.toml"))
    for i in range(12):
        clerks.add_clerk(db, f"clerk{i + 1:02d}", f"工作人员{i + 1}", "bench-password")
    hall = Hall(db)
    generator = Generator(hall, seed)
    today = (dt.datetime.now(dt.UTC) + UTC_OFFSET).date()
    first = today - dt.timedelta(days=days)
    for offset in range(days):
        generator.day(first + dt.timedelta(days=offset), scale)
        if offset % 20 == 19:
            bulk_insert(db, generator.take())
    bulk_insert(db, generator.take())
    _today(db, hall, generator, today)
    if db.backend == "postgresql":
        with db.engine.begin() as conn:
            for table in TABLES:
                conn.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                                  f"(SELECT MAX(id) FROM \"{table}\"))"))
    # The measures the queue operations keep on each stay, filled in set-wise as
    # migration 0003 does for older history.
    with db.engine.begin() as conn, Session(bind=conn) as session:
        backfill_measures(session)
    refresh_statistics(db)
    return {table: generator.next_id[table] - 1 for table in TABLES}


def _today(db: Database, hall: Hall, generator: Generator, today: dt.date) -> None:
    """This morning so far: served tickets, a queue, windows at work, one paused."""
    generator.day(today, 0.4)
    rows = generator.take()
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    # Whatever the generator placed in the future is still waiting now.
    waiting_ids = {r[0] for r in rows["ticket"] if r[12] > now - dt.timedelta(minutes=30)}
    rows["ticket"] = [(*r[:10], "waiting", *r[11:14], None, None, None, None, None, None, *r[20:])
                      if r[0] in waiting_ids else r for r in rows["ticket"]]
    rows["segment"] = [(*r[:8], None, None, None, None, None, None, None)
                       if r[1] in waiting_ids else r for r in rows["segment"]]
    bulk_insert(db, rows)
    windows = sorted(hall.clerk_of)
    with db.engine.begin() as conn:
        lease = now + dt.timedelta(hours=8)
        for window in windows:
            conn.execute(text("UPDATE \"window\" SET clerk_id = :c, lease_expires_at = :t WHERE id = :w"),
                         {"c": hall.clerk_of[window], "t": lease, "w": window})
        conn.execute(text("UPDATE \"window\" SET paused = :p, pause_reason = '会议', paused_at = :t "
                          "WHERE id = :w"), {"p": True, "t": now - dt.timedelta(minutes=40),
                                             "w": windows[-1]})


def existing_rows(db: Database) -> dict[str, int]:
    """The row counts of a history generated earlier (``--reuse``)."""
    with db.engine.connect() as conn:
        counts = {table: int(conn.execute(text(f'SELECT COUNT(*) FROM "{table}"')).scalar_one())
                  for table in TABLES}
    if not counts["segment"]:
        raise SystemExit(f"--reuse: {Database.redacted(str(db.url))} holds no history")
    return counts


# --------------------------------------------------------------------------- timing


def timed(fn: Callable[[], object], repeat: int) -> dict[str, float]:
    fn()  # warm the caches and the connection pool
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return {"median_ms": round(statistics.median(samples), 1), "max_ms": round(max(samples), 1)}


def run_backend(url: str, days: int, scale: float, repeat: int, *, reuse: bool = False
                ) -> dict[str, Any]:
    db = Database(url)
    started = time.perf_counter()
    counts = existing_rows(db) if reuse else generate(db, days, scale)
    generated_s = 0.0 if reuse else time.perf_counter() - started
    today = (dt.datetime.now(dt.UTC) + UTC_OFFSET).date()
    month = StatsFilter(today - dt.timedelta(days=30), today - dt.timedelta(days=1), site=SITE)
    year = StatsFilter(today - dt.timedelta(days=days), today - dt.timedelta(days=1), site=SITE)
    result = {
        "server": server_version(url), "rows": counts, "generate_s": round(generated_s, 1),
        "live": timed(lambda: live_view(db, site=SITE), repeat * 3),
        "month": timed(lambda: compute_statistics(db, month), repeat),
        "year": timed(lambda: compute_statistics(db, year), max(1, repeat // 2)),
    }
    result["targets_met"] = {k: result[k]["median_ms"] < TARGETS_MS[k] for k in TARGETS_MS}
    db.dispose()
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true",
                        help="ten days of history (the 'year' is then the whole history), < 60 s")
    parser.add_argument("--backends", default="sqlite,postgres",
                        help="comma-separated: sqlite, postgres (default both)")
    parser.add_argument("--days", type=int, help="days of history (default 365; quick 10)")
    parser.add_argument("--reuse", action="append", default=[], metavar="URL",
                        help="time a history generated earlier into this database instead "
                             "(repeatable; it must end yesterday, as generated today)")
    args = parser.parse_args(argv)
    days = args.days or (10 if args.quick else 365)
    repeat = 2 if args.quick else 5
    results: dict[str, Any] = {}
    for url in args.reuse:
        backend = {"postgresql": "postgres"}.get(Database(url).backend, Database(url).backend)
        results[backend] = run_backend(url, days, 1.0, repeat, reuse=True)
        print(f"{backend}: {json.dumps(results[backend])}", file=sys.stderr, flush=True)
    if args.reuse:
        args.backends = ""
    for backend in [b.strip() for b in args.backends.split(",") if b.strip()]:
        if backend not in ("sqlite", "postgres"):
            raise SystemExit(f"unknown backend {backend!r}: sqlite or postgres")
        print(f"{backend}: generating {days} days of history ...", file=sys.stderr, flush=True)
        with fresh_database(backend) as url:
            results[backend] = run_backend(url, days, 1.0, repeat)
        print(f"{backend}: {json.dumps(results[backend])}", file=sys.stderr, flush=True)
    emit({"benchmark": "stats", "quick": args.quick, "days": days, "machine": machine(),
          "targets_ms": TARGETS_MS, "results": results})
    return 0


if __name__ == "__main__":
    sys.exit(main())

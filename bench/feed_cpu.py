"""Benchmark: a terminal's change-feed thread, CPU per NOTIFY received (PostgreSQL).

Every terminal of a site receives every change's NOTIFY (tens a second in a busy hall),
so what its feed thread spends on one is paid by every PC of the hall for every change.
A child process runs the feed loop of ``bench/hall_load.py`` (``Screen._feed``: the
:class:`shared.feed.ChangeWatcher` waited on with the pacer's timeout, each change
checked with ``concerns_counter``, :class:`shared.feed.RefreshPacer`) with
``time.thread_time()`` around it; this process sends the payloads with ``pg_notify`` in
the format ``shared.feed.touch`` sends ("site:version:json", a call naming one ticket,
window and service), consecutive versions, so no gap. Two ways:

- **paced**: one NOTIFY every ``--gap-ms`` (10 ms): each wakes the feed on its own, as
  in a hall, where they come tens of milliseconds apart;
- **burst**: all in one transaction, delivered together at its commit: what parsing
  and delivering costs once the thread is awake.

    python bench/feed_cpu.py [--quick] [--postgres URL] [--paced N] [--burst N]
                             [--gap-ms MS] [--rounds R]

The server comes from ``--postgres``, HALLQ_BENCH_POSTGRES_URL or
HALLQ_TEST_POSTGRES_URL; the bench creates and drops its own database beside it.
Reported: the median over the rounds of the feed thread's CPU per notification (µs),
and the user/system split of that round. The last line printed is one JSON object.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import resource
import statistics
import sys
import time
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import psycopg
from common import emit, fresh_database, machine
from hall_load import SITE, prepare

from shared.db import Database
from shared.feed import CHANNEL, Change, ChangeWatcher, RefreshPacer, current_version
from shared.read.counter_view import concerns_counter
from shared.read.site import site_info

# The counter whose feed is measured: window 5, serving services 3 and 4 (a quarter of
# the payloads below concern it, as a quarter of a hall's changes concern a counter).
WINDOW, SERVICES = 5, frozenset({3, 4})


def feed(url: str, site_id: int, last_version: int, ready: Any, out: Connection) -> None:
    """The feed loop of hall_load's Screen, until the last version sent has arrived."""
    db = Database(url)
    watcher = ChangeWatcher(db, site_id)
    pacer = RefreshPacer()
    watcher.changes(timeout=0)  # the first look (everything), not measured
    ready.set()
    received = 0
    deadline = time.monotonic() + 300
    usage = resource.getrusage(resource.RUSAGE_THREAD)
    cpu = time.thread_time()
    while watcher.version < last_version and time.monotonic() < deadline:
        passed: Change | None = None
        for change in watcher.paced_changes(pacer, 0.2):
            received += 1
            if change.everything or concerns_counter(change, WINDOW, SERVICES):
                passed = change if passed is None else passed.merged(change)
        pacer.pace(passed)
    cpu = time.thread_time() - cpu
    end = resource.getrusage(resource.RUSAGE_THREAD)
    watcher.close()
    db.dispose()
    out.send((cpu, end.ru_utime - usage.ru_utime, end.ru_stime - usage.ru_stime, received))


def payloads(site_id: int, first_version: int, count: int) -> list[str]:
    texts = []
    for n in range(count):
        change = Change(site_id, frozenset({"call"}), frozenset({100_000 + n}),
                        frozenset({n % 32 + 1}), frozenset({n % 8 + 1}))
        texts.append(f"{site_id}:{first_version + n}:{change.payload()}")
    return texts


def one_round(url: str, site_id: int, count: int, paced: bool, gap_s: float) -> dict[str, Any]:
    db = Database(url)
    start = current_version(db, site_id)
    conninfo = db.url.set(drivername="postgresql").render_as_string(hide_password=False)
    db.dispose()
    context = multiprocessing.get_context("fork")
    ready = context.Event()
    theirs, ours = context.Pipe(duplex=False)
    child = context.Process(target=feed, args=(url, site_id, start + count, ready, ours))
    child.start()
    if not ready.wait(30):
        raise RuntimeError("the feed did not start")
    texts = payloads(site_id, start + 1, count)
    with psycopg.connect(conninfo, autocommit=True) as conn:
        if paced:
            for text in texts:
                conn.execute("SELECT pg_notify(%s, %s)", (CHANNEL, text))
                time.sleep(gap_s)
        else:
            with conn.transaction():
                for text in texts:
                    conn.execute("SELECT pg_notify(%s, %s)", (CHANNEL, text))
    if not theirs.poll(300):
        raise RuntimeError("the feed did not report")
    cpu, user, system, received = theirs.recv()
    child.join()
    if received != count:
        raise RuntimeError(f"the feed received {received} changes of {count}")
    return {"us_per_notify": round(1e6 * cpu / count, 1),
            "user_us": round(1e6 * user / count, 1), "system_us": round(1e6 * system / count, 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="300 paced, 2000 burst, 2 rounds")
    parser.add_argument("--postgres", default=os.environ.get(
        "HALLQ_BENCH_POSTGRES_URL", os.environ.get("HALLQ_TEST_POSTGRES_URL")))
    parser.add_argument("--paced", type=int, default=1000, help="notifications sent paced")
    parser.add_argument("--burst", type=int, default=5000, help="sent in one transaction")
    parser.add_argument("--gap-ms", type=float, default=10.0, help="between paced ones")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    if args.quick:
        args.paced, args.burst, args.rounds = 300, 2000, 2
    if not args.postgres:
        sys.exit("no PostgreSQL server: --postgres or HALLQ_TEST_POSTGRES_URL")
    began = time.monotonic()
    results: dict[str, Any] = {}
    with fresh_database("postgres", args.postgres) as url:
        prepare(url, 8, 0, 1)
        site_id = site_info(Database(url), SITE).id
        rounds: dict[str, list[dict[str, Any]]] = {"paced": [], "burst": []}
        for _ in range(args.rounds):
            rounds["paced"].append(one_round(url, site_id, args.paced, True, args.gap_ms / 1000))
            rounds["burst"].append(one_round(url, site_id, args.burst, False, 0))
        for way, runs in rounds.items():
            median = statistics.median(r["us_per_notify"] for r in runs)
            results[way] = {"notifications": args.paced if way == "paced" else args.burst,
                            "us_per_notify": median, "rounds": runs}
            print(f"{way}: {median} µs per notification (rounds: "
                  f"{', '.join(str(r['us_per_notify']) for r in runs)})", flush=True)
    emit({"bench": "feed_cpu", "gap_ms": args.gap_ms, "machine": machine(),
          "quick": args.quick, "results": results, "total_s": round(time.monotonic() - began, 1)})


if __name__ == "__main__":
    main()

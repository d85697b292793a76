"""Benchmark: from a counter's call committed to the call shown on the hall display.

A separate process plays the counter: it calls the next number (shared.queue.call_next)
at a steady pace and records the moment each call transaction committed (SQLAlchemy's
after_commit). This process runs the real display -- FeedThread, recent_calls, the
presenter and the window, offscreen -- and records when each number first appears on
the screen (board or history) and when its announcement starts (with an engine that
finishes at once, so this measures the path to the voice, not a queue behind speech).
Both processes read the same monotonic clock.

    python bench/display_latency.py [--quick] [--backends sqlite,postgres,mariadb]
                                    [--calls N] [--poll-ms MS]

PostgreSQL is woken by LISTEN/NOTIFY, SQLite and MariaDB poll every ``--poll-ms``
(default: the config default, 250 ms). Servers come from HALLQ_BENCH_POSTGRES_URL /
HALLQ_TEST_POSTGRES_URL and HALLQ_BENCH_MARIADB_URL / HALLQ_TEST_MARIADB_URL; the
benchmark creates and drops its own database beside the one named, and skips a backend
without a URL. Targets: p95 < 150 ms with NOTIFY, < 600 ms polling. The last line
printed is one JSON object.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import platform
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import event
from sqlalchemy.orm import Session

from shared import issuing, queue, schema
from shared.config import Config
from shared.db import Database
from shared.demo import load_chunan_around_the_clock
from shared.operation import Actor
from shared.scratch import scratch_database

SITE = "chunan"
# Social insurance: windows 3 and 4 serve it, so the counter alternates between them.
SERVICE, WINDOWS = "SI", (3, 4)
TARGET_P95_MS = {"notify": 150, "polling": 600}
SERVER_ENV = {"postgres": ("HALLQ_BENCH_POSTGRES_URL", "HALLQ_TEST_POSTGRES_URL"),
              "mariadb": ("HALLQ_BENCH_MARIADB_URL", "HALLQ_TEST_MARIADB_URL")}


# --------------------------------------------------------------------------- databases


def open_all_day(db: Database) -> None:
    """Schema and the Chun'an catalog, open around the clock so the bench runs at any hour."""
    schema.upgrade(db)
    load_chunan_around_the_clock(db, quotas=False)


@contextmanager
def database(backend: str) -> Iterator[str | None]:
    """A fresh database URL for ``backend`` (None when no server is configured)."""
    if backend == "sqlite":
        with tempfile.TemporaryDirectory() as folder:
            yield f"sqlite:///{folder}/display-bench.db"
        return
    base = next((os.environ[name] for name in SERVER_ENV[backend] if os.environ.get(name)), None)
    if base is None:
        yield None
        return
    with scratch_database(base, "hallq_bench_display") as url:
        yield url


# --------------------------------------------------------------------------- the counter


def counter_process(url: str, calls: int, spacing: tuple[float, float], start_at: float,
                    out: Connection) -> None:
    """Call ``calls`` numbers, alternating windows; send [(number, commit time)] at the end."""
    db = Database(url)
    commits: list[float] = []
    event.listen(Session, "after_commit", lambda _session: commits.append(time.perf_counter()))
    rng = random.Random(5)
    results: list[tuple[str, float]] = []
    called: dict[int, int] = {}  # window -> ticket called there and not yet started
    time.sleep(max(0.0, start_at - time.perf_counter()))
    for index in range(calls):
        window = WINDOWS[index % len(WINDOWS)]
        gap = rng.uniform(*spacing)
        time.sleep(gap / 2)
        if window in called:
            # The citizen has arrived: the clerk starts serving, as a window must before it
            # may call again. Done between calls, like at a real window.
            queue.start(db, called.pop(window), site=SITE, actor=Actor(window=window))
        time.sleep(gap / 2)
        ticket = queue.call_next(db, window, site=SITE).ticket
        assert ticket is not None, "the bench issued too few tickets"
        results.append((ticket.number, commits[-1]))
        called[window] = ticket.id
    out.send(results)
    out.close()
    db.dispose()


# --------------------------------------------------------------------------- the display


class StampingEngine:
    """Records when each number's first reading starts, and finishes at once."""

    def __init__(self) -> None:
        self.started: dict[str, float] = {}

    def start(self, announcement: Any, reading: Any, on_done: Callable[[], None]) -> None:
        self.started.setdefault(announcement.number, time.perf_counter())
        on_done()

    def stop(self) -> None:
        return None


def run_display(url: str, calls: int, poll_ms: int, spacing: tuple[float, float]
                ) -> dict[str, Any]:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from kiosk_app.display.controller import DisplayController
    from kiosk_app.display.window import DisplayWindow
    from shared.read.site import site_info

    app = QApplication.instance() or QApplication([sys.argv[0]])
    db = Database(url)
    for _ in range(calls):
        issuing.issue_ticket(db, SERVICE, site=SITE)
    window = DisplayWindow(notice="", highlight_seconds=8)
    window.resize(1920, 1080)
    window.show()
    engine = StampingEngine()
    controller = DisplayController(window, engine, lambda: (db, site_info(db, SITE)),
                                   poll_interval_ms=poll_ms, highlight_seconds=8)
    shown: dict[str, float] = {}

    def stamp_shown() -> None:
        now = time.perf_counter()
        for number in [window.board.number(), *(c.number for c in window.history.calls())]:
            shown.setdefault(number, now)

    controller.calls_refreshed.connect(stamp_shown)
    controller.start()
    while not controller.presenter.loaded:
        app.processEvents()
        time.sleep(0.005)

    receive, send = multiprocessing.Pipe(duplex=False)
    context = multiprocessing.get_context("spawn")
    counter = context.Process(target=counter_process,
                              args=(url, calls, spacing, time.perf_counter() + 1.5, send))
    counter.start()
    send.close()
    committed: list[tuple[str, float]] = []

    poller = QTimer()

    def collect() -> None:
        if receive.poll():
            poller.stop()
            committed.extend(receive.recv())
            # Leave the display a moment to show the last call.
            QTimer.singleShot(1000, app.quit)
        elif not counter.is_alive():
            poller.stop()
            app.quit()

    poller.timeout.connect(collect)
    poller.start(50)
    app.exec()
    poller.stop()
    counter.join(10)
    controller.stop()
    window.close()
    db.dispose()
    if not committed:
        raise SystemExit(f"the counter process failed (exit code {counter.exitcode})")
    return summarise(committed, shown, engine.started)


def summarise(committed: list[tuple[str, float]], shown: dict[str, float],
              announced: dict[str, float]) -> dict[str, Any]:
    def stats(seen: dict[str, float]) -> dict[str, Any]:
        delays = sorted((seen[number] - at) * 1000 for number, at in committed if number in seen)
        missing = [number for number, _ in committed if number not in seen]
        if not delays:
            return {"missing": missing}
        p95_index = min(len(delays) - 1, round(0.95 * (len(delays) - 1)))
        return {"p50_ms": round(statistics.median(delays), 1),
                "p95_ms": round(delays[p95_index], 1), "max_ms": round(delays[-1], 1),
                "missing": missing}

    return {"samples": len(committed), "shown": stats(shown), "announce_started": stats(announced)}


# --------------------------------------------------------------------------- main


def machine() -> dict[str, Any]:
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as info:
            cpu = next(line.split(":", 1)[1].strip() for line in info if "model name" in line)
    except (OSError, StopIteration):
        pass
    return {"python": platform.python_version(), "platform": platform.platform(),
            "cpu": cpu, "cpus": os.cpu_count()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer calls, < 60 s in all")
    parser.add_argument("--backends", default="postgres,sqlite,mariadb",
                        help="comma-separated: postgres, sqlite, mariadb")
    parser.add_argument("--calls", type=int, help="calls per backend (default 60; quick 12)")
    parser.add_argument("--poll-ms", type=int, default=Config().poll_interval_ms,
                        help="poll interval of SQLite and MariaDB displays "
                             "(default: the config default)")
    args = parser.parse_args(argv)
    calls = args.calls or (12 if args.quick else 60)
    # Calls further apart than the poll interval, so each is a sample of its own.
    spacing = (0.3, 0.5)
    results: dict[str, Any] = {}
    for backend in [b.strip() for b in args.backends.split(",") if b.strip()]:
        if backend not in ("sqlite", "postgres", "mariadb"):
            raise SystemExit(f"unknown backend {backend!r}: sqlite, postgres or mariadb")
        mode = "notify" if backend == "postgres" else "polling"
        began = time.perf_counter()
        with database(backend) as url:
            if url is None:
                print(f"{backend}: no server URL set; skipped", file=sys.stderr)
                continue
            setup = Database(url)
            open_all_day(setup)
            setup.dispose()
            print(f"{backend}: {calls} calls ...", file=sys.stderr, flush=True)
            result = run_display(url, calls, args.poll_ms, spacing)
        result.update(seconds=round(time.perf_counter() - began, 1), mode=mode,
                      poll_interval_ms=None if mode == "notify" else args.poll_ms,
                      target_p95_ms=TARGET_P95_MS[mode])
        shown = result["shown"]
        result["target_met"] = (not shown["missing"]
                                and shown.get("p95_ms", float("inf")) < TARGET_P95_MS[mode])
        results[backend] = result
        print(f"{backend}: {json.dumps(result)}", file=sys.stderr, flush=True)
    print(json.dumps({"benchmark": "display_latency", "quick": args.quick, "calls": calls,
                      "machine": machine(), "results": results}))
    return 0


if __name__ == "__main__":
    sys.exit(main())

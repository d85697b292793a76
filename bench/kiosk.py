"""Benchmark: the kiosk's tap-to-ticket-sent time and its cold start.

Tap to ticket sent: what the kiosk does after the citizen taps "take a number" -- check
the printer's status, issue the ticket in the database, render the slip and deliver it to
a loopback network printer, whose status reply after the ticket proves every byte
arrived. Timed on SQLite and, given a server, PostgreSQL, for both render modes.
Target p95 < 300 ms.

Cold start: a fresh Python process (QT_QPA_PLATFORM=offscreen) from launch to the first
screen with the services listed, through the same start-up as ``hallq-kiosk``.
Target < 3 s. Its CPU time is reported too: on a busy machine the wall time mostly
measures the wait for a CPU.

    python bench/kiosk.py [--quick] [--samples N]

PostgreSQL: a server URL in HALLQ_BENCH_POSTGRES_URL or HALLQ_TEST_POSTGRES_URL; the
benchmark creates (and drops) its own database beside the one named. The last line
printed is one JSON object.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kiosk_app.backend import KioskBackend  # noqa: E402
from shared import schema  # noqa: E402
from shared.config import KioskConfig  # noqa: E402
from shared.db import Database  # noqa: E402
from shared.demo import load_chunan_around_the_clock  # noqa: E402
from shared.scratch import scratch_database  # noqa: E402
from testkit.fake_printer import FakePrinter  # noqa: E402

SITE = "chunan"
SERVICES = ["RE-REG", "SI", "MI", "EXIT", "ID", "TAX", "FUND", "CARD"]
TARGET_TAP_P95_MS = 300
TARGET_COLD_START_S = 3.0


def open_all_day(db: Database) -> None:
    """The Chun'an catalog, open around the clock so the benchmark runs at any hour."""
    load_chunan_around_the_clock(db, quotas=False)


@contextmanager
def sqlite_database() -> Iterator[str]:
    with tempfile.TemporaryDirectory() as folder:
        yield f"sqlite:///{Path(folder) / 'kiosk.db'}"


@contextmanager
def postgres_database(server_url: str) -> Iterator[str]:
    with scratch_database(server_url, "hallq_bench") as url:
        yield url


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(p / 100 * len(ordered) + 0.5) - 1))
    return ordered[index]


def time_taps(url: str, mode: str, samples: int) -> dict[str, Any]:
    """Milliseconds from tap to ticket delivered, over ``samples`` tickets."""
    db = Database(url)
    schema.upgrade(db)
    open_all_day(db)
    times: list[float] = []
    with FakePrinter() as printer:
        settings = KioskConfig(printer=printer.url, print_mode=mode)
        backend = KioskBackend(db, settings, site=SITE)
        backend.load_site()
        backend.take_number(SERVICES[0])  # warm-up: connections, font, caches
        for i in range(samples):
            start = time.perf_counter()
            result = backend.take_number(SERVICES[i % len(SERVICES)])
            times.append((time.perf_counter() - start) * 1000)
            if result.print_result is None or not result.print_result.printed:
                raise SystemExit(f"ticket {i} did not print: {result.print_result}")
        printer.wait_idle()
        sent = len(printer.received)
    db.dispose()
    return {"samples": samples, "p50_ms": round(statistics.median(times), 1),
            "p95_ms": round(percentile(times, 95), 1), "max_ms": round(max(times), 1),
            "bytes_per_ticket": sent // (samples + 1),
            "ok": percentile(times, 95) < TARGET_TAP_P95_MS}


COLD_START_CHILD = """
import sys, time
from PySide6.QtCore import QTimer
from kiosk_app.main import APP_NAME, apply_overrides, build_kiosk, build_parser
from kiosk_app.presenter import Screen
from shared.qt.app import start_app
context = start_app(APP_NAME, build_parser(), sys.argv[1:])
apply_overrides(context.config, context.args)
window, presenter, runner = build_kiosk(context.config)
window.resize(1080, 1920)
window.show()
presenter.start()
def check():
    if presenter.screen is Screen.START and window.start_screen.cards:
        print("FIRST_SCREEN", flush=True)
        window.shutdown()
        context.app.exit(0)
timer = QTimer()
timer.timeout.connect(check)
timer.start(5)
context.app.exec()
"""


def children_cpu_seconds() -> float:
    """CPU time used by finished child processes (0 where the OS does not say)."""
    try:
        import resource
    except ImportError:  # Windows
        return 0.0
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def time_cold_start(url: str, runs: int) -> dict[str, Any]:
    """Seconds from launching a fresh interpreter to the first screen, ``runs`` times."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(ROOT))
    seconds, cpu = [], []
    for _ in range(runs):
        before = children_cpu_seconds()
        start = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-c", COLD_START_CHILD, "--database", url, "--site", SITE,
             "--windowed", "--printer", "none"],
            env=env, capture_output=True, text=True, timeout=60, check=False)
        elapsed = time.perf_counter() - start
        cpu.append(children_cpu_seconds() - before)
        if "FIRST_SCREEN" not in done.stdout:
            raise SystemExit(f"the kiosk did not reach its first screen:\n{done.stderr[-2000:]}")
        seconds.append(elapsed)
    return {"runs": runs, "median_s": round(statistics.median(seconds), 2),
            "max_s": round(max(seconds), 2), "cpu_median_s": round(statistics.median(cpu), 2),
            "ok": max(seconds) < TARGET_COLD_START_S}


def machine() -> dict[str, Any]:
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else None
    return {"load_average_1min": load,
            "python": platform.python_version(), "platform": platform.platform(),
            "cpu_count": os.cpu_count(), "processor": platform.processor() or platform.machine()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer samples (< 60 s in all)")
    parser.add_argument("--samples", type=int, help="tickets per backend and mode")
    args = parser.parse_args(argv)
    samples = args.samples or (40 if args.quick else 300)
    backends: dict[str, Any] = {"sqlite": sqlite_database}
    server = os.environ.get("HALLQ_BENCH_POSTGRES_URL") or os.environ.get(
        "HALLQ_TEST_POSTGRES_URL")
    if server:
        backends["postgres"] = lambda: postgres_database(server)
    else:
        print("no PostgreSQL server (HALLQ_BENCH_POSTGRES_URL): SQLite only", file=sys.stderr)
    results: dict[str, Any] = {"machine": machine(), "tap_to_ticket_sent": {}}
    for name, make in backends.items():
        for mode in ("raster", "text"):
            with make() as url:
                result = time_taps(url, mode, samples)
            results["tap_to_ticket_sent"][f"{name}/{mode}"] = result
            print(f"tap to ticket sent, {name}, {mode}: p50 {result['p50_ms']} ms, "
                  f"p95 {result['p95_ms']} ms ({samples} tickets)", file=sys.stderr)
    with sqlite_database() as url:
        db = Database(url)
        schema.upgrade(db)
        open_all_day(db)
        db.dispose()
        results["cold_start"] = time_cold_start(url, 2 if args.quick else 5)
    print(f"cold start to first screen: median {results['cold_start']['median_s']} s",
          file=sys.stderr)
    results["ok"] = results["cold_start"]["ok"] and all(
        r["ok"] for r in results["tap_to_ticket_sent"].values())
    print(json.dumps(results, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())

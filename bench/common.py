"""Helpers every bench script may reuse: a fresh database per backend, percentiles, a
description of the machine, and the one JSON line a bench script ends with.

Bench scripts run from a source checkout (``python bench/NAME.py``); this module puts the
repository root on ``sys.path`` so they can import ``shared`` and the test invariants.
"""

from __future__ import annotations

import json
import math
import os
import platform
import statistics
import sys
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine, text  # noqa: E402

from shared import schema  # noqa: E402
from shared.db import Database  # noqa: E402
from shared.scratch import scratch_database  # noqa: E402

DEFAULT_SERVERS = {
    "postgres": os.environ.get("HALLQ_TEST_POSTGRES_URL",
                               "postgresql+psycopg://postgres@127.0.0.1:5432/test"),
    "mariadb": os.environ.get("HALLQ_TEST_MARIADB_URL",
                              "mysql+pymysql://root@127.0.0.1:3306/test"),
}


@contextmanager
def fresh_database(backend: str, server_url: str | None = None) -> Iterator[str]:
    """Create a migrated, empty database on ``backend`` and drop it afterwards; yields
    its URL. ``server_url`` names a database on the server beside which to create ours."""
    if backend == "sqlite":
        with tempfile.TemporaryDirectory(prefix="hallq-bench-") as directory:
            url = f"sqlite:///{Path(directory) / 'bench.db'}"
            _migrate(url)
            yield url
        return
    with scratch_database(server_url or DEFAULT_SERVERS[backend], "hallq_bench") as url:
        _migrate(url)
        yield url


def refresh_statistics(db: Database) -> None:
    """PostgreSQL: what autovacuum keeps on a hall's server, filled over days, done now on
    a database a bench has just filled: the planner's statistics, and the visibility map
    that lets index-only scans skip the table (otherwise every table is planned as if
    empty). SQLite and MariaDB: nothing, as a hall's file has no planner statistics and
    InnoDB gathers its own (the queries must not need them)."""
    if db.backend == "postgresql":
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("VACUUM ANALYZE"))


def _migrate(url: str) -> None:
    db = Database(url)
    try:
        schema.upgrade(db)
    finally:
        db.dispose()


def percentiles(samples: Sequence[float]) -> dict[str, float | int | None]:
    """count, mean, p50, p95, p99 and max of latencies given in seconds, reported in ms."""
    if not samples:
        return {"count": 0, "mean_ms": None, "p50_ms": None, "p95_ms": None, "p99_ms": None,
                "max_ms": None}
    ordered = sorted(samples)

    def pick(q: float) -> float:
        # Nearest rank: the smallest sample with at least q of the samples at or below it.
        index = max(0, min(len(ordered) - 1, math.ceil(q * len(ordered)) - 1))
        return round(ordered[index] * 1000, 2)

    return {"count": len(ordered), "mean_ms": round(statistics.fmean(ordered) * 1000, 2),
            "p50_ms": pick(0.50), "p95_ms": pick(0.95), "p99_ms": pick(0.99),
            "max_ms": round(ordered[-1] * 1000, 2)}


def cpu_times() -> tuple[int, int] | None:
    """(busy, total) jiffies of the whole machine, from /proc/stat (Linux)."""
    try:
        with open("/proc/stat", encoding="ascii") as stat:
            values = [int(v) for v in stat.readline().split()[1:]]
    except (OSError, ValueError):
        return None
    idle = values[3] + (values[4] if len(values) > 4 else 0)  # idle + iowait
    total = sum(values[:8])  # guest time is counted in user already
    return total - idle, total


def cpu_busy(before: tuple[int, int] | None, after: tuple[int, int] | None) -> float | None:
    if before is None or after is None or after[1] == before[1]:
        return None
    return round((after[0] - before[0]) / (after[1] - before[1]), 2)


def server_version(url: str) -> str:
    """The database server's version string (SQLite: the library version)."""
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            query = "SELECT sqlite_version()" if engine.dialect.name == "sqlite" else \
                "SELECT version()"
            return str(conn.execute(text(query)).scalar_one())
    finally:
        engine.dispose()


def machine() -> dict[str, Any]:
    """What the figures were measured on."""
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        cpu = platform.processor() or "unknown"
    ram_gib: float | None = None
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                ram_gib = round(int(line.split()[1]) / 1024 / 1024, 1)
    except OSError:
        ram_gib = None
    os_name = platform.platform()
    try:
        for line in Path("/etc/os-release").read_text().splitlines():
            if line.startswith("PRETTY_NAME="):
                os_name = line.split("=", 1)[1].strip('"')
    except OSError:
        pass
    return {"nproc": os.cpu_count(), "cpu": cpu, "ram_gib": ram_gib, "os": os_name,
            "kernel": platform.release(), "python": platform.python_version()}


def emit(result: dict[str, Any]) -> None:
    """Print the figures as one JSON object on the last line of output."""
    sys.stdout.flush()
    print(json.dumps(result, ensure_ascii=False, sort_keys=True), flush=True)

"""Benchmark: thousands of phones watching one hall's ticket pages over server-sent events.

hallq-web runs as its own process (as deployed: one uvicorn process). This process opens
``--watchers`` event streams (``/api/t/<token>/events``, a minimal HTTP client on asyncio
sockets, so the client's own cost stays small), spread over ``--tickets`` waiting tickets
of the Chun'an county center. A separate process plays the counters: it calls the next
number (``shared.queue.call_next``) round the windows at hall pace, starts each called
ticket as a clerk would, and stamps each commit on the shared monotonic clock.

Commit-to-page latency: a watcher's ticket is FIFO in its service queue, so the j-th
call of its service during the run brings its people ahead from a0 to a0 - j; the
event showing that value (or a lower one) is matched with that call's commit, and the
event showing the ticket called with its own call. Server CPU (user + system over the
calling phase) and memory (resident now and peak) are read from /proc.

    python bench/web_watchers.py [--quick] [--backend postgres|sqlite|mariadb]
                                 [--watchers N] [--tickets N] [--seconds S] [--interval S]

Target: commit-to-page p95 < 1 s with 2,000 watchers. ``--quick`` (2,000 watchers on 600
tickets, 20 s of calls) ends within 60 s. The last line printed is one JSON object.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import os
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import emit, fresh_database, machine, percentiles, server_version
from shared import issuing, queue
from shared.catalog import apply_catalog, read_catalog
from shared.db import Database
from shared.errors import HallQueueError
from shared.read.hall_state import queue_overview
from shared.read.site import site_info

ROOT = Path(__file__).resolve().parents[1]
SITE = "chunan"
CLK_TCK = os.sysconf("SC_CLK_TCK")


def prepare(url: str, tickets: int) -> list[tuple[int, str, str]]:
    """Load the Chun'an catalog with a web base URL and issue the waiting tickets; each
    ticket's (id, service code, token)."""
    db = Database(url)
    try:
        data = read_catalog(ROOT / "resources" / "catalog" / "chunan.toml")
        for site in data["sites"]:
            if site["code"] == SITE:
                site["web"] = {"base_url": "http://bench.invalid", "remote_tickets": False,
                               "remote_daily_cap": 30}
        db.write(lambda session: apply_catalog(session, data), name="catalog_load")
        services = [s.service for s in queue_overview(db, site=SITE)]
        issued = []
        for i in range(tickets):
            service = services[i % len(services)]
            try:
                issued.append(issuing.issue_ticket(db, service, site=SITE, after_hours=True))
            except HallQueueError:  # a daily quota: the next service takes the ticket
                continue
        site = site_info(db, site=SITE, links=True)
        result = []
        for ticket in issued:
            link = site.ticket_url(ticket.ticket.id, ticket.ticket.business_day)
            assert link is not None
            result.append((ticket.ticket.id, ticket.ticket.service,
                           link.rsplit("/", 1)[1]))
        return result
    finally:
        db.dispose()


def counters(url: str, seconds: float, interval: float, start_at: float, out: Connection
             ) -> None:
    """Call round the windows at a steady pace; send back each call's commit time."""
    db = Database(url)
    from shared.lookup import site_by_code
    from shared.models import Window

    with db.read() as session:
        site = site_by_code(session, SITE)
        windows = [w.number for w in session.query(Window).filter_by(site_id=site.id,
                                                                     active=True)]
    calls: list[tuple[float, int, str]] = []
    while time.monotonic() < start_at:
        time.sleep(0.01)
    deadline = start_at + seconds
    turn = 0
    next_at = start_at
    while time.monotonic() < deadline:
        window = windows[turn % len(windows)]
        turn += 1
        try:
            called = queue.call_next(db, window, site=SITE).ticket
        except HallQueueError:
            continue
        committed = time.monotonic()
        if called is None:
            continue
        calls.append((committed, called.id, called.service))
        queue.start(db, called.id, site=SITE)  # the citizen arrives at the window
        next_at += interval
        time.sleep(max(0.0, next_at - time.monotonic()))
    out.send(calls)
    db.dispose()


class Watcher:
    def __init__(self, ticket_id: int, service: str, token: str) -> None:
        self.ticket_id = ticket_id
        self.service = service
        self.token = token
        self.events: list[tuple[float, dict[str, Any]]] = []
        self.connected = False


async def watch(host: str, port: int, watcher: Watcher, stop: asyncio.Event) -> None:
    reader, writer = await asyncio.open_connection(host, port)
    writer.write(f"GET /api/t/{watcher.token}/events HTTP/1.1\r\nHost: {host}\r\n"
                 f"Accept: text/event-stream\r\n\r\n".encode())
    await writer.drain()
    status = await reader.readline()
    if b" 200 " not in status:
        raise RuntimeError(f"watcher got {status!r}")
    while (await reader.readline()) not in (b"\r\n", b""):
        pass  # headers
    watcher.connected = True
    stop_task = asyncio.ensure_future(stop.wait())
    try:
        while not stop.is_set():
            read = asyncio.ensure_future(reader.readline())
            done, _ = await asyncio.wait({read, stop_task}, return_when=asyncio.FIRST_COMPLETED)
            if read not in done:
                read.cancel()
                break
            line = read.result()
            if not line:
                break
            # Chunked transfer: a data line is one line of a chunk.
            if line.startswith(b"data: "):
                watcher.events.append((time.monotonic(), json.loads(line[6:])))
    finally:
        stop_task.cancel()
        writer.close()


def proc_cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLK_TCK  # utime, stime


def proc_memory_mib(pid: int) -> dict[str, float]:
    values = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(("VmRSS:", "VmHWM:")):
            values[line.split(":")[0]] = round(int(line.split()[1]) / 1024, 1)
    return {"rss_mib": values.get("VmRSS", 0.0), "peak_rss_mib": values.get("VmHWM", 0.0)}


def latencies(watchers: list[Watcher], calls: list[tuple[float, int, str]]
              ) -> tuple[list[float], int]:
    """Commit-to-page latencies of every update a watcher saw; and how many expected
    updates never arrived."""
    by_service: dict[str, list[float]] = defaultdict(list)
    call_of_ticket: dict[int, float] = {}
    for committed, ticket_id, service in calls:
        by_service[service].append(committed)
        call_of_ticket[ticket_id] = committed
    samples: list[float] = []
    missing = 0
    for watcher in watchers:
        if not watcher.events:
            continue
        first_ahead = watcher.events[0][1]["people_ahead"]
        seen: dict[int, float] = {}
        called_at = None
        for arrival, payload in watcher.events[1:]:
            if payload["state"] == "waiting":
                seen.setdefault(first_ahead - payload["people_ahead"], arrival)
            elif payload["state"] in ("called", "serving") and called_at is None:
                called_at = arrival
        service_calls = by_service.get(watcher.service, [])
        for j in range(1, first_ahead + 1):
            if j > len(service_calls):
                break
            # The first event showing j or more calls done answers the j-th call.
            arrivals = [t for done, t in seen.items() if done >= j]
            if arrivals:
                samples.append(min(arrivals) - service_calls[j - 1])
            elif called_at is None:
                missing += 1
        if watcher.ticket_id in call_of_ticket:
            if called_at is None:
                missing += 1
            else:
                samples.append(called_at - call_of_ticket[watcher.ticket_id])
    return samples, missing


async def run_watchers(port: int, watchers: list[Watcher], calls_ready: Connection,
                       caller: multiprocessing.Process, pid: int, seconds: float,
                       start_at: float) -> dict[str, Any]:
    stop = asyncio.Event()
    tasks = []
    connect_started = time.monotonic()
    for index in range(0, len(watchers), 100):
        batch = watchers[index:index + 100]
        tasks += [asyncio.ensure_future(watch("127.0.0.1", port, w, stop)) for w in batch]
        await asyncio.sleep(0.05)
    while not all(w.connected and w.events for w in watchers):
        failed = [t for t in tasks if t.done() and t.exception()]
        if failed:
            raise RuntimeError(f"{len(failed)} watchers failed: {failed[0].exception()}")
        if time.monotonic() > start_at + seconds:
            raise RuntimeError("watchers did not all connect")
        await asyncio.sleep(0.05)
    connected_in = time.monotonic() - connect_started
    # Start calling once every watcher has its first event.
    cpu_before = proc_cpu_seconds(pid)
    wall_before = time.monotonic()
    calls_ready.send(time.monotonic() + 0.2)
    while caller.is_alive():
        await asyncio.sleep(0.2)
    await asyncio.sleep(1.5)  # the last call's updates
    cpu = proc_cpu_seconds(pid) - cpu_before
    wall = time.monotonic() - wall_before
    memory = proc_memory_mib(pid)
    stop.set()
    await asyncio.gather(*tasks, return_exceptions=True)
    return {"connect_s": round(connected_in, 2), "server_cpu_percent": round(100 * cpu / wall, 1),
            "server_cpu_seconds": round(cpu, 2), **memory}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--backend", default="postgres", choices=("postgres", "sqlite", "mariadb"))
    parser.add_argument("--watchers", type=int, default=2000)
    parser.add_argument("--tickets", type=int)
    parser.add_argument("--seconds", type=float)
    parser.add_argument("--interval", type=float, default=0.5,
                        help="seconds between calls, all windows together (default 0.5)")
    args = parser.parse_args()
    tickets = args.tickets or (600 if args.quick else 2000)
    seconds = args.seconds or (20.0 if args.quick else 120.0)
    started = time.monotonic()
    with fresh_database(args.backend) as url, tempfile.TemporaryDirectory() as home:
        issued = prepare(url, tickets)
        prepared_in = time.monotonic() - started
        watchers = [Watcher(*issued[i % len(issued)]) for i in range(args.watchers)]
        port = _free_port()
        env = {**os.environ, "HOME": home, "XDG_STATE_HOME": home, "XDG_CONFIG_HOME": home}
        env.pop("HALLQ_CONFIG", None)
        server = subprocess.Popen(
            [sys.executable, "-m", "shared.web.main", "--database", url, "--port", str(port),
             "--rate-limit", "0", "--max-watchers", str(args.watchers + 100)],
            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        try:
            _wait_for(port, server)
            receive, send = multiprocessing.Pipe(duplex=False)
            start_receive, start_send = multiprocessing.Pipe(duplex=False)
            caller = multiprocessing.Process(target=_caller_entry,
                                             args=(url, seconds, args.interval, start_receive,
                                                   send))
            caller.start()
            figures = asyncio.run(run_watchers(port, watchers, start_send, caller, server.pid,
                                               seconds, time.monotonic() + 120))
            calls = receive.recv()
            caller.join()
        finally:
            server.terminate()
            server.wait(15)
        samples, missing = latencies(watchers, calls)
    emit({"bench": "web_watchers", "backend": args.backend, "quick": args.quick,
          "watchers": args.watchers, "tickets": len(issued), "calls": len(calls),
          "call_interval_s": args.interval, "calling_seconds": seconds,
          "commit_to_page": percentiles(samples), "updates_missing": missing,
          "target_p95_ms": 1000, "met": bool(samples) and missing == 0 and
          (percentiles(samples)["p95_ms"] or 0) < 1000,
          **figures, "prepare_s": round(prepared_in, 1),
          "total_s": round(time.monotonic() - started, 1),
          "server": server_version_safe(args.backend), "machine": machine()})


def server_version_safe(backend: str) -> str:
    from bench.common import DEFAULT_SERVERS

    return "sqlite" if backend == "sqlite" else server_version(DEFAULT_SERVERS[backend])


def _caller_entry(url: str, seconds: float, interval: float, start: Connection,
                  out: Connection) -> None:
    counters(url, seconds, interval, start.recv(), out)


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_for(port: int, server: subprocess.Popen[bytes]) -> None:
    import urllib.request

    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"hallq-web exited: {server.stderr.read()!r}")  # type: ignore[union-attr]
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("hallq-web did not start")


if __name__ == "__main__":
    main()

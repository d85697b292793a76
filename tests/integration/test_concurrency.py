"""Counters and kiosks racing on one database, each with its own connection pool (like
separate PCs on the LAN); afterwards every queue invariant must hold.

16 counter threads call, start, finish, recall, mark no-shows, reinstate, hand over and
cancel while 4 kiosk threads issue. The ticket count per backend is in TICKETS, sized so
each backend runs in about a minute on a 2-core machine (SQLite serialises writers, so it
gets fewer); ``HALLQ_STRESS_TICKETS=2000`` runs the full 2,000-ticket race (several
minutes per backend there: every operation costs ~20 ms of client CPU, see
docs/benchmarks.md).
"""

from __future__ import annotations

import os
import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from sqlalchemy import select

import shared.queue as queue_module
from shared import issuing, queue
from shared.catalog import load_catalog
from shared.db import Database
from shared.models import Ticket
from shared.operation import Actor
from shared.read.hall_state import get_window
from testkit.invariants import check_all
from tests.integration.conftest import write_catalog

SITE = "hall"
COUNTERS = 16
KIOSKS = 4
TICKETS = {"sqlite": 200, "postgresql": 400, "mysql": 400, "mariadb": 400}
SERVICES = [("S1", "A", 3), ("S2", "B", 2), ("S3", "C", 1), ("S4", "D", 1)]


def stress_catalog(windows: int) -> str:
    """Four services open around the clock; windows serving one to three of them."""
    lines: list[str] = ['[[departments]]\ncode = "d"\nname = "部门"\n']
    for code, prefix, _ in SERVICES:
        lines.append(f'[[departments.services]]\ncode = "{code}"\nname = "业务{prefix}"\n'
                     f'prefix = "{prefix}"\nweekend = true\nholiday = true\n')
    lines.append(f'[[sites]]\ncode = "{SITE}"\nname = "压力测试大厅"\n\n[sites.calendar]\n'
                 'workday_hours = ["00:00-24:00"]\nweekend_hours = ["00:00-24:00"]\n'
                 "issue_cutoff_minutes = 0\n")
    for number in range(1, windows + 1):
        served = [SERVICES[(number + k) % len(SERVICES)] for k in range(1 + number % 3)]
        services = ", ".join(f"{code} = {weight}" for code, _, weight in served)
        lines.append(f'[[sites.windows]]\nnumber = {number}\nname = "窗口{number}"\n'
                     f"services = {{ {services} }}\n")
    return "\n".join(lines)


@dataclass
class Race:
    """Shared state of one run: errors seen by any thread and the kiosks' progress."""

    url: str
    tickets: int
    errors: list[str] = field(default_factory=list)
    kiosks_done: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def fail(self, who: str, exc: BaseException) -> None:
        with self.lock:
            self.errors.append(f"{who}: {type(exc).__name__}: {exc}")


def kiosk(race: Race, index: int, count: int) -> None:
    db = Database(race.url)
    rng = random.Random(1000 + index)
    try:
        for _ in range(count):
            service = rng.choice(SERVICES)[0]
            kind = "green" if rng.random() < 0.05 else "normal"
            issuing.issue_ticket(db, service, site=SITE, kind=kind)
    except Exception as exc:  # every failure is reported by the test, none is swallowed
        race.fail(f"kiosk {index}", exc)
    finally:
        db.dispose()


def serve_one(db: Database, window: int, number: str, rng: random.Random) -> None:
    """What a clerk does with a called ticket: mostly start (the next call finishes it)."""
    me = Actor(window=window)
    roll = rng.random()
    if roll < 0.05:
        queue.recall(db, number, site=SITE, actor=me)
        queue.start(db, number, site=SITE, actor=me)
    elif roll < 0.12:
        queue.no_show(db, number, site=SITE, actor=me)
        if rng.random() < 0.6:
            queue.reinstate(db, number, site=SITE, actor=me)
    elif roll < 0.17:
        queue.start(db, number, site=SITE, actor=me)
        if rng.random() < 0.5:
            queue.transfer(db, number, to_service=rng.choice(SERVICES)[0], site=SITE, actor=me)
        else:
            target = rng.choice([w for w in range(1, COUNTERS + 1) if w != window])
            queue.transfer(db, number, to_window=target, site=SITE, actor=me)
    elif roll < 0.19:
        queue.cancel(db, number, site=SITE, actor=me)
    elif roll < 0.25:
        queue.start(db, number, site=SITE, actor=me)
        queue.finish(db, number, site=SITE, actor=me, outcome=rng.choice(
            ["completed", "accepted", "materials-missing", "consultation"]))
    else:
        queue.start(db, number, site=SITE, actor=me)


def counter(race: Race, window: int) -> None:
    db = Database(race.url)
    rng = random.Random(window)
    idle = 0
    try:
        while idle < 3:
            ticket = queue.call_next(db, window, site=SITE).ticket
            if ticket is None:
                idle = idle + 1 if race.kiosks_done.is_set() else 0
                time.sleep(0.25)
                continue
            idle = 0
            serve_one(db, window, ticket.number, rng)
    except Exception as exc:  # every failure is reported by the test, none is swallowed
        race.fail(f"window {window}", exc)
    finally:
        db.dispose()


def drain(db: Database) -> int:
    """Call every window until a whole round calls nobody (hand-overs may bounce)."""
    drained = 0
    while True:
        called = 0
        for window in range(1, COUNTERS + 1):
            ticket = queue.call_next(db, window, site=SITE).ticket
            if ticket is not None:
                queue.start(db, ticket.number, site=SITE)
                called += 1
        for window in range(1, COUNTERS + 1):
            current = get_window(db, window, site=SITE).current_ticket
            if current is not None:
                queue.finish(db, current.number, site=SITE)
        drained += called
        if called == 0:
            return drained


def run_race(url: str, tickets: int) -> Race:
    race = Race(url, tickets)
    per_kiosk = [tickets // KIOSKS + (1 if i < tickets % KIOSKS else 0) for i in range(KIOSKS)]
    kiosks = [threading.Thread(target=kiosk, args=(race, i, n)) for i, n in enumerate(per_kiosk)]
    counters = [threading.Thread(target=counter, args=(race, w))
                for w in range(1, COUNTERS + 1)]
    for thread in kiosks + counters:
        thread.start()
    for thread in kiosks:
        thread.join()
    race.kiosks_done.set()
    for thread in counters:
        thread.join()
    return race


@pytest.mark.slow
@pytest.mark.all_backends
def test_counters_and_kiosks_racing_keep_every_invariant(empty_db: Database,
                                                         tmp_path: Path) -> None:
    """16 counters and 4 kiosks racing over many tickets break no queue invariant."""
    load_catalog(empty_db, write_catalog(tmp_path, stress_catalog(COUNTERS)))
    tickets = int(os.environ.get("HALLQ_STRESS_TICKETS") or TICKETS[empty_db.backend])
    race = run_race(empty_db.url.render_as_string(hide_password=False), tickets)
    assert race.errors == []
    drain(empty_db)
    report = check_all(empty_db)
    assert report.total == 0, report.describe()
    assert report.tickets == tickets
    with empty_db.read() as session:
        states = session.scalars(select(Ticket.state)).all()
    assert set(states) <= {"finished", "cancelled", "no_show"}, "the queue drained"
    assert states.count("finished") > tickets // 2


# --------------------------------------------------------------------------- a known race


def interleave_after_probe(monkeypatch: pytest.MonkeyPatch,
                           interloper: Callable[[], object]) -> None:
    """Run ``interloper`` on another connection right after an operation first reads its
    ticket (before it locks it): the window of time a concurrent terminal can use."""
    real = queue_module.find_ticket
    calls = {"n": 0}

    def find_then_interleave(*args: object, **kwargs: object) -> Ticket:
        result = real(*args, **kwargs)  # type: ignore[arg-type]
        calls["n"] += 1
        if calls["n"] == 1:
            thread = threading.Thread(target=interloper)
            thread.start()
            thread.join(timeout=60)
        return result

    monkeypatch.setattr(queue_module, "find_ticket", find_then_interleave)


@pytest.mark.all_backends
def test_cancel_racing_a_call_does_not_strand_the_window(db: Database,
                                                          monkeypatch: pytest.MonkeyPatch
                                                          ) -> None:
    """A waiting ticket cancelled while another terminal calls it must not leave that
    window pointing at a cancelled ticket."""
    if db.backend == "sqlite":
        pytest.skip("SQLite serialises writers: this race cannot happen there")
    other_pc = Database(db.url.render_as_string(hide_password=False))
    number = issuing.issue_ticket(db, "SA", site=SITE).ticket.number
    interleave_after_probe(monkeypatch, lambda: queue.call_next(other_pc, 2, site=SITE))
    try:
        queue.cancel(db, number, site=SITE)
    finally:
        monkeypatch.undo()
        other_pc.dispose()
    report = check_all(db)
    assert report.total == 0, report.describe()
    issuing.issue_ticket(db, "SA", site=SITE)
    assert queue.call_next(db, 2, site=SITE).ticket is not None

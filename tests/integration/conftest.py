"""Helpers for the queue-core integration tests.

- Catalog variants written into ``tmp_path`` (the test catalog with a few lines changed).
- A "noon" time zone: a fixed-offset zone in which it is now about 12:00, so tests about
  appointment slots and opening hours never depend on the hour the suite runs at.
- Snapshots of every table, to prove that a refused operation wrote nothing.
- A scenario runner that issues tickets from a compact notation and calls them.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select, text

from shared import appointments, issuing, queue
from shared.catalog import load_catalog
from shared.db import Database
from shared.feed import Change, ChangeWatcher
from shared.models import Base

TEST_CATALOG = Path(__file__).parents[1] / "data" / "test_catalog.toml"
TEST_CATALOG_TEXT = TEST_CATALOG.read_text(encoding="utf-8")
SITE_NAMES = {"hall": 'name = "测试服务中心"\n', "town": 'name = "测试派出所"\n'}


def noon_zone() -> str:
    """An Etc/GMT zone in which the local time is now between 12:00 and 12:59."""
    offset = 12 - dt.datetime.now(dt.UTC).hour  # hours east of UTC, -11 .. +12
    if offset == 0:
        return "Etc/UTC"
    return f"Etc/GMT{-offset:+d}"  # POSIX sign: Etc/GMT-8 is UTC+8


def local_now(zone: str) -> dt.datetime:
    return dt.datetime.now(ZoneInfo(zone))


def with_timezone(catalog: str, zone: str) -> str:
    """The catalog with every site in ``zone``."""
    for name_line in SITE_NAMES.values():
        catalog = catalog.replace(name_line, f'{name_line}timezone = "{zone}"\n', 1)
    return catalog


def replace_once(catalog: str, old: str, new: str) -> str:
    """Replace text that must occur in the catalog (fails loudly if the base changed)."""
    assert old in catalog, f"catalog variant: {old!r} not found in the test catalog"
    return catalog.replace(old, new, 1)


def write_catalog(directory: Path, content: str, name: str = "catalog.toml") -> Path:
    path = directory / name
    path.write_text(content, encoding="utf-8")
    return path


@pytest.fixture
def noon_db(db: Database, tmp_path: Path) -> Database:
    """The test database with both sites in a zone where it is about noon now."""
    load_catalog(db, write_catalog(tmp_path, with_timezone(TEST_CATALOG_TEXT, noon_zone())))
    return db


# --------------------------------------------------------------------------- snapshots


def snapshot(db: Database) -> dict[str, list[str]]:
    """Every row of every table, as sorted text: equal snapshots mean nothing was written."""
    result: dict[str, list[str]] = {}
    with db.read() as session:
        for table in Base.metadata.sorted_tables:
            rows = session.execute(select(table)).all()
            result[table.name] = sorted(repr(tuple(row)) for row in rows)
    return result


def execute_sql(db: Database, statement: str, **params: Any) -> None:
    """Direct SQL for test set-up only (for example moving rows to yesterday)."""
    with db.engine.begin() as conn:
        conn.execute(text(statement), params)


# --------------------------------------------------------------------------- scenarios


def slot_text(zone: str, minutes_from_now: int) -> str:
    """An appointment slot starting ``minutes_from_now`` minutes from now (site-local)."""
    start = (local_now(zone) + dt.timedelta(minutes=minutes_from_now)).replace(second=0,
                                                                              microsecond=0)
    end = start + dt.timedelta(minutes=30)
    assert start.date() == end.date() == local_now(zone).date(), "slot leaves the day"
    return f"{start:%H:%M}-{end:%H:%M}"


class Scenario:
    """Builds queues from a compact notation and records call order.

    Steps, in issue order:
      ``SA``         an ordinary ticket of service SA
      ``SA:green``   a green-channel ticket
      ``SA:appt+5``  an appointment checked in now, its slot starting in 5 minutes
                     (negative: the slot started that many minutes ago)
      ``SB>SA``      an SB ticket handed over to service SA while waiting
      ``SA>w1``      an SA ticket handed over to window 1 while waiting
    """

    def __init__(self, db: Database, zone: str, site: str = "hall") -> None:
        self.db = db
        self.zone = zone
        self.site = site
        self._appointments = 0

    def issue(self, step: str) -> str:
        service, _, rest = step.partition(":")
        if ">" in step:
            source, target = step.split(">")
            number = issuing.issue_ticket(self.db, source, site=self.site).ticket.number
            if target.startswith("w"):
                queue.transfer(self.db, number, to_window=int(target[1:]), site=self.site)
            else:
                queue.transfer(self.db, number, to_service=target, site=self.site)
            return number
        if rest == "green":
            return issuing.issue_ticket(self.db, service, site=self.site, kind="green").ticket.number
        if rest.startswith("appt"):
            return self.check_in(service, int(rest[len("appt"):]))
        assert not rest, f"unknown step {step!r}"
        return issuing.issue_ticket(self.db, service, site=self.site).ticket.number

    def check_in(self, service: str, minutes_from_now: int) -> str:
        self._appointments += 1
        code = f"T{self._appointments:04d}"
        appointments.add_appointment(
            self.db, code=code, service=service, site=self.site,
            day=local_now(self.zone).date(), slot=slot_text(self.zone, minutes_from_now))
        return issuing.check_in_appointment(self.db, code, site=self.site).ticket.number

    def issue_all(self, steps: list[str]) -> list[str]:
        return [self.issue(step) for step in steps]

    def call_order(self, window: int, count: int | None = None) -> list[str]:
        """Call next ``count`` times, or until nobody waits, starting each ticket called
        (so the next call finishes it); return the numbers called."""
        called: list[str] = []
        for _ in range(count or 100):
            ticket = queue.call_next(self.db, window, site=self.site).ticket
            if ticket is None:
                assert count is None, f"window {window} ran dry after {called}"
                return called
            called.append(ticket.number)
            queue.start(self.db, ticket.number, site=self.site)
        assert count is not None, f"window {window} kept calling: {called}"
        return called


@pytest.fixture
def scenario(noon_db: Database) -> Scenario:
    return Scenario(noon_db, noon_zone())


def raises_and_writes_nothing(db: Database, error: type[Exception],
                              action: Callable[[], object]) -> pytest.ExceptionInfo[Exception]:
    """Run ``action``; it must raise ``error`` and leave every table as it was."""
    before = snapshot(db)
    with pytest.raises(error) as info:
        action()
    assert snapshot(db) == before, f"{error.__name__} was raised but rows changed"
    return info


def move_to_yesterday(db: Database, site: str) -> dt.date:
    """Test set-up for a day roll-over: move a site's tickets, counters and open day to
    the previous business day, as if they had been left there overnight."""
    with db.read() as session:
        site_id, zone = session.execute(
            text("SELECT id, timezone FROM site WHERE code = :code"), {"code": site}).one()
    yesterday = local_now(zone).date() - dt.timedelta(days=1)
    for table in ("ticket", "segment", "day_counter"):
        execute_sql(db, f"UPDATE {table} SET business_day = :day WHERE site_id = :site",
                    day=yesterday, site=site_id)
    execute_sql(db, "UPDATE segment SET weekday = :weekday WHERE site_id = :site",
                weekday=yesterday.weekday(), site=site_id)  # kept with the business day
    execute_sql(db, "UPDATE site_state SET open_day = :day WHERE site_id = :site",
                day=yesterday, site=site_id)
    return yesterday


def collect(w: ChangeWatcher, until: Callable[[list[Change]], bool],
            timeout: float = 5.0) -> list[Change]:
    """The changes ``w`` takes in until ``until`` holds for them (failing after
    ``timeout`` seconds, naming what came)."""
    seen: list[Change] = []
    deadline = time.monotonic() + timeout
    while not until(seen):
        assert time.monotonic() < deadline, f"not there yet after {len(seen)} changes: {seen}"
        seen += w.changes(timeout=0.2)
    return seen

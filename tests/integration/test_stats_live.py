"""The live hall view: queues, windows and alerts now, built through the real queue
operations, the same on every backend."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import update

from shared import clerks, issuing, queue
from shared.catalog import load_catalog
from shared.db import Database
from shared.hours import WEEKDAY_KEYS
from shared.models import Ticket, Window
from shared.read.supervisor_view import LiveThresholds, live_view
from tests.integration.conftest import (
    TEST_CATALOG_TEXT,
    local_now,
    noon_zone,
    replace_once,
    with_timezone,
    write_catalog,
)
from tests.integration.stats_history import add_clerks

SITE = "hall"


def age(db: Database, model: type, column: str, number_column: str, value: object,
        minutes: int) -> None:
    """Move a timestamp back in time (tests cannot wait half an hour)."""
    since = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=minutes)
    table = model.__table__  # type: ignore[attr-defined]
    db.write(lambda s: s.execute(update(table).where(table.c[number_column] == value)
                                 .values({column: since})))


@pytest.mark.all_backends
def test_queues_windows_and_served_today(db: Database) -> None:
    """Waiting and at-window counts per service, window states and today's served."""
    add_clerks(db)
    first = issuing.issue_ticket(db, "SA", site=SITE).ticket
    for _ in range(2):
        issuing.issue_ticket(db, "SA", site=SITE)
    issuing.issue_ticket(db, "SD", site=SITE)
    clerks.login_at_window(db, "c1", "password1", 2, site=SITE)
    called = queue.call_next(db, 2, site=SITE).ticket
    assert called is not None and called.id == first.id
    queue.start(db, called.id, site=SITE)
    queue.finish(db, called.id, site=SITE)
    queue.call_next(db, 2, site=SITE)
    queue.pause_window(db, 4, "午休", site=SITE)
    view = live_view(db, site=SITE)
    services = {s.code: s for s in view.services}
    assert (services["SA"].waiting, services["SA"].at_windows, services["SA"].served_today) \
        == (1, 1, 1)
    assert services["SD"].waiting == 1 and services["SB"].waiting == 0
    windows = {w.number: w for w in view.windows}
    assert windows[2].status == "called" and windows[2].clerk == "张一"
    assert windows[2].served_today == 1 and windows[2].ticket == "A002"
    assert windows[4].status == "paused" and windows[4].pause_reason == "午休"
    assert windows[1].status == "closed"
    assert (view.waiting, view.served_today, view.open_windows) == (2, 1, 2)
    assert view.alerts == []


@pytest.mark.all_backends
def test_alerts_for_long_queues_old_waits_and_long_pauses(db: Database) -> None:
    """More waiting than the threshold, an oldest wait past the service target and a
    window paused too long each raise an alert; thresholds are parameters."""
    for _ in range(3):
        issuing.issue_ticket(db, "SB", site=SITE)
    oldest = issuing.issue_ticket(db, "SD", site=SITE).ticket
    age(db, Ticket, "queued_at", "id", oldest.id, 16)
    queue.pause_window(db, 3, "会议", site=SITE)
    age(db, Window, "paused_at", "number", 3, 31)
    view = live_view(db, site=SITE, thresholds=LiveThresholds(queue_length=2))
    services = {s.code: s for s in view.services}
    assert services["SB"].queue_alert and not services["SB"].wait_alert
    assert services["SD"].wait_alert and services["SD"].longest_wait_seconds >= 16 * 60
    assert {w.number for w in view.windows if w.pause_alert} == {3}
    assert view.alerts == ["乙业务：等候 3 人，超过 2 人", "丁业务：最长已等 16 分钟，超过目标 15 分钟",
                           "3号窗口暂停超过 30 分钟（会议）"]
    relaxed = live_view(db, site=SITE, thresholds=LiveThresholds(queue_length=5,
                                                                 pause_minutes=60))
    assert [a for a in relaxed.alerts if "乙业务" in a or "窗口" in a] == []


def test_thresholds_must_be_positive() -> None:
    """A zero threshold is refused, naming the value."""
    with pytest.raises(ValueError, match="queue_length=0"):
        LiveThresholds(queue_length=0)


@pytest.mark.all_backends
def test_services_closed_now_say_why_and_when_they_open(db: Database, tmp_path: Path) -> None:
    """At about noon local time: SB's site has a holiday today and SB does not open on
    holidays, SC's quota of 3 is used up, SD opens at 13:30; SA is open."""
    zone = noon_zone()
    today = local_now(zone).date()
    catalog = with_timezone(TEST_CATALOG_TEXT, zone)
    catalog = replace_once(catalog, 'prefix = "B"\nweekend = true\nholiday = true',
                           'prefix = "B"\nweekend = true\nholiday = false')
    catalog = replace_once(catalog, 'prefix = "D"\nweekend = true\nholiday = true',
                           'prefix = "D"\nweekend = true\nholiday = true\nhours = { '
                           + ", ".join(f'{day} = ["13:30-23:59"]' for day in WEEKDAY_KEYS)
                           + " }")
    catalog = replace_once(catalog, "issue_cutoff_minutes = 0\n",
                           f'issue_cutoff_minutes = 0\nholidays = ["{today.isoformat()}"]\n')
    load_catalog(db, write_catalog(tmp_path, catalog))
    for _ in range(3):
        issuing.issue_ticket(db, "SC", site=SITE)
    view = live_view(db, site=SITE)
    services = {s.code: s for s in view.services}
    assert (services["SA"].open_now, services["SA"].closed_cause) == (True, "")
    assert (services["SB"].open_now, services["SB"].closed_cause) == (False, "holiday")
    assert (services["SC"].open_now, services["SC"].closed_cause) == (False, "quota_full")
    assert (services["SD"].open_now, services["SD"].closed_cause) == (False, "before_opening")
    opens = services["SD"].opens_at
    assert opens is not None and opens.astimezone(ZoneInfo(zone)).replace(tzinfo=None) \
        == dt.datetime.combine(today, dt.time(13, 30))
    assert services["SB"].to_json()["closed_cause"] == "holiday"
    assert services["SA"].to_json()["closed_cause"] is None

"""The PostgreSQL change feed as it reads NOTIFY payloads (shared/feed.py,
ChangeWatcher): a burst drained at once is delivered whole and in order, other sites'
and malformed payloads are passed over, a gap in the versions is a change of everything,
and a lost LISTEN connection is replaced.

The payloads are sent by hand with pg_notify in the format touch() sends
("site:version:json"), so the versions and sites are the test's to choose."""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator

import psycopg
import pytest
from sqlalchemy import text

from shared import issuing
from shared.db import Database
from shared.feed import CHANNEL, Change, ChangeWatcher
from shared.read.site import site_info
from tests.integration.conftest import collect

pytestmark = pytest.mark.parametrize("empty_db_url", ["postgres"], indirect=True)

LOST = "lost its LISTEN connection"


@pytest.fixture
def watcher(db: Database) -> Iterator[ChangeWatcher]:
    w = ChangeWatcher(db, site_info(db, "hall").id, poll_interval=0.02)
    assert [c.everything for c in w.changes(timeout=2.0)] == [True]
    yield w
    w.close()


def notify(db: Database, payloads: list[str]) -> None:
    """Send the payloads in one transaction: they arrive together at its commit."""
    conninfo = db.url.set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(conninfo) as conn, conn.transaction():
        for payload in payloads:
            conn.execute("SELECT pg_notify(%s, %s)", (CHANNEL, payload))


def payload(site_id: int, version: int, ticket: int) -> str:
    change = Change(site_id, frozenset({"call"}), frozenset({ticket}), frozenset({7}),
                    frozenset({3}))
    return f"{site_id}:{version}:{change.payload()}"


def test_a_burst_is_delivered_whole_and_in_order_without_other_sites(
        db: Database, watcher: ChangeWatcher, caplog: pytest.LogCaptureFixture) -> None:
    hall, town = site_info(db, "hall").id, site_info(db, "town").id
    start = watcher.version
    payloads: list[str] = []
    for n in range(1, 401):
        payloads.append(payload(hall, start + n, 1000 + n))
        # Another site's change, one whose site id begins with this one's digits, an
        # older terminal's bare site id, a payload that is no change: none is this
        # site's (taken as such, their versions would be a gap).
        payloads += [payload(town, start + 500 + n, 1), payload(int(f"{hall}1"), start + 900, 2),
                     str(hall), f"{hall}:{start + 700}:not json"]
    with caplog.at_level(logging.WARNING, logger="shared.feed"):
        notify(db, payloads)
        seen = collect(watcher, lambda s: bool(s) and s[-1].version == start + 400,
                       timeout=10.0)
        assert watcher.changes(timeout=0.3) == []
    assert [c.version for c in seen] == list(range(start + 1, start + 401))
    assert [min(c.tickets) for c in seen] == list(range(1001, 1401))
    assert all(c.site_id == hall and c.kinds == {"call"} and not c.everything for c in seen)
    assert LOST not in caplog.text  # the odd payloads did not cost the connection


def test_a_missing_version_is_a_change_of_everything(db: Database,
                                                     watcher: ChangeWatcher) -> None:
    hall = site_info(db, "hall").id
    start = watcher.version
    notify(db, [payload(hall, start + 1, 1), payload(hall, start + 3, 3)])
    seen = collect(watcher, lambda s: bool(s) and s[-1].version == start + 3)
    assert [(c.version, c.everything) for c in seen] == [
        (start + 1, False), (start + 3, True), (start + 3, False)]


def test_a_lost_listen_connection_is_replaced_with_a_change_of_everything(
        db: Database, watcher: ChangeWatcher, caplog: pytest.LogCaptureFixture) -> None:
    listening = (" FROM pg_stat_activity WHERE datname = current_database()"
                 f" AND pid <> pg_backend_pid() AND query = 'LISTEN {CHANNEL}'")
    with db.engine.connect() as conn:
        ended = conn.execute(text(f"SELECT pg_terminate_backend(pid) {listening}")).all()
    assert [row[0] for row in ended] == [True]
    deadline = time.monotonic() + 5
    while True:  # a transaction of its own each time: the statistics are a snapshot
        with db.engine.connect() as conn:
            if not conn.execute(text(f"SELECT count(*) {listening}")).scalar():
                break
        assert time.monotonic() < deadline
        time.sleep(0.05)
    before = watcher.version
    issuing.issue_ticket(db, "SA", site="hall")  # made while nobody listens
    with caplog.at_level(logging.WARNING, logger="shared.feed"):
        seen = collect(watcher, lambda s: any(c.everything for c in s))
    assert LOST in caplog.text
    assert watcher.version > before
    # Listening again: the next change arrives as itself.
    ticket = issuing.issue_ticket(db, "SB", site="hall").ticket
    seen = collect(watcher, lambda s: any(ticket.id in c.tickets for c in s))
    assert not any(c.everything for c in seen)

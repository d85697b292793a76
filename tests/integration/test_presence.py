"""Presence shown anywhere follows the clerk's lease: a clerk is present at a window if and
only if the window's lease has not expired by the server's clock (shared.presence). A
killed counter stops renewing, and its clerk disappears everywhere when the lease runs
out, though the window row still names the clerk."""

from __future__ import annotations

import time

import pytest
from sqlalchemy import select

from shared import clerks, issuing, queue
from shared.db import Database
from shared.models import Clerk, Ticket, Window
from shared.read import hall_state
from shared.read.supervisor_view import live_view
from tests.integration.stats_history import add_clerks

SITE = "hall"
LEASE = 3  # seconds: a short lease, so a test sees it run out


def shown_presence(db: Database) -> dict[str, object]:
    """Every place that shows who is at window 1 (or credits work to them)."""
    live = {w.number: w for w in live_view(db, site=SITE).windows}
    return {
        "window show": hall_state.get_window(db, 1, site=SITE).clerk_name,
        "window list": next(w for w in hall_state.list_windows(db, site=SITE)
                            if w.number == 1).clerk_name,
        "live view": (live[1].clerk, live[1].status),
        "clerk list": next(c.window for c in clerks.list_clerks(db) if c.login == "c1"),
    }


@pytest.mark.all_backends
def test_a_clerk_whose_counter_stopped_renewing_is_shown_nowhere(
        db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(clerks, "LEASE_SECONDS", LEASE)
    add_clerks(db)
    clerks.login_at_window(db, "c1", "password1", 1, site=SITE)
    logged_in_at = time.monotonic()
    window = hall_state.get_window(db, 1, site=SITE)
    assert window.presence_ends_in is not None
    assert 0 < window.presence_ends_in.total_seconds() <= LEASE
    assert shown_presence(db) == {"window show": "张一", "window list": "张一",
                                  "live view": ("张一", "idle"), "clerk list": 1}
    # The counter is killed: nobody renews the lease. Wait until it has run out.
    time.sleep(max(0.0, LEASE + 0.3 - (time.monotonic() - logged_in_at)))
    assert shown_presence(db) == {"window show": None, "window list": None,
                                  "live view": (None, "closed"), "clerk list": None}
    assert hall_state.get_window(db, 1, site=SITE).presence_ends_in is None
    with db.read() as session:  # the row still names the clerk: only the lease decides
        assert session.scalar(select(Clerk.login).join(Window, Window.clerk_id == Clerk.id)
                              .where(Window.number == 1)) == "c1"
    # Work at the window is not credited to the absent clerk either.
    issuing.issue_ticket(db, "SA", site=SITE)
    called = queue.call_next(db, 1, site=SITE).ticket
    assert called is not None and called.clerk is None
    # Another clerk may log in there now.
    clerks.login_at_window(db, "c2", "password1", 1, site=SITE)
    assert hall_state.get_window(db, 1, site=SITE).clerk_name == "李二"


@pytest.mark.all_backends
def test_a_renewed_lease_keeps_the_clerk_shown(db: Database,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """A running counter renews its lease: its clerk stays shown past the first lease's
    end, and operations at the window are credited to them."""
    monkeypatch.setattr(clerks, "LEASE_SECONDS", LEASE)
    add_clerks(db)
    clerks.login_at_window(db, "c1", "password1", 1, site=SITE)
    started = time.monotonic()
    while time.monotonic() - started < LEASE + 0.5:
        clerks.renew_lease(db, "c1", 1, site=SITE)
        time.sleep(0.5)
    assert shown_presence(db)["window show"] == "张一"
    issuing.issue_ticket(db, "SA", site=SITE)
    queue.call_next(db, 1, site=SITE)
    with db.read() as session:
        assert session.scalar(select(Clerk.login).join(Ticket, Ticket.clerk_id == Clerk.id)
                              ) == "c1"

"""People ahead: the waiting tickets the windows that will serve a ticket call before it,
whatever their service (shared.routing.people_ahead; kiosk, slip and command line)."""

from __future__ import annotations

import pytest

from shared import issuing, queue
from shared.db import Database
from shared.ticket_print import build_slip

SITE = "hall"
# tests/data/test_catalog.toml, site hall: window 1 serves SA and SB, window 2 SA,
# window 3 SB and SC, window 4 SD.


@pytest.mark.all_backends
def test_tickets_of_other_services_at_the_same_windows_are_ahead(db: Database) -> None:
    """B001 is called by window 1 or 3; window 1 calls A001 and A002 (issued earlier) and
    window 3 calls C001: all three are ahead. D001 (window 4 only) is behind nobody."""
    issuing.issue_ticket(db, "SA", site=SITE)
    issuing.issue_ticket(db, "SA", site=SITE)
    issuing.issue_ticket(db, "SC", site=SITE)
    issuing.issue_ticket(db, "SD", site=SITE)
    b001 = issuing.issue_ticket(db, "SB", site=SITE)
    assert b001.people_ahead == 3
    # A ticket of window 4's only service counts nobody of the other windows.
    assert issuing.issue_ticket(db, "SD", site=SITE).people_ahead == 1
    # A green-channel ticket goes before every ordinary one.
    assert issuing.issue_ticket(db, "SB", site=SITE, kind="green").people_ahead == 0


@pytest.mark.all_backends
def test_called_tickets_are_no_longer_ahead(db: Database) -> None:
    issuing.issue_ticket(db, "SA", site=SITE)
    issuing.issue_ticket(db, "SA", site=SITE)
    queue.call_next(db, 2, site=SITE)  # window 2 takes A001
    assert issuing.issue_ticket(db, "SB", site=SITE).people_ahead == 1


def hand_over(db: Database, window: int, to_window: int) -> int:
    called = queue.call_next(db, window, site=SITE)
    assert called.ticket is not None
    queue.start(db, called.ticket.number, site=SITE)
    queue.transfer(db, called.ticket.number, to_window=to_window, site=SITE)
    return called.ticket.id


def test_a_handed_over_ticket_counts_the_queue_of_its_window(db: Database) -> None:
    """A ticket handed to window 3 waits behind what window 3 calls first: the case
    handed there before it, not the one handed to window 4."""
    for _ in range(3):
        issuing.issue_ticket(db, "SA", site=SITE)
    first = hand_over(db, 1, 3)
    elsewhere = hand_over(db, 2, 4)
    second = hand_over(db, 1, 3)
    ahead = {ticket_id: build_slip(db, ticket_id, footer="")[0].people_ahead
             for ticket_id in (first, elsewhere, second)}
    assert ahead == {first: 0, elsewhere: 0, second: 1}


@pytest.mark.all_backends
def test_the_estimate_follows_the_calls_of_the_same_windows(db: Database) -> None:
    """People ahead of B001 are A tickets window 1 calls; their pace is window 1's and
    window 3's calls, not only the calls of SB (none yet)."""
    for _ in range(3):
        issuing.issue_ticket(db, "SA", site=SITE)
    queue.call_next(db, 1, site=SITE)  # window 1 calls A001 (one call in the last hour)
    b001 = issuing.issue_ticket(db, "SB", site=SITE)
    assert b001.people_ahead == 2
    # Two people at one call per ten minutes (the shortest span the rate is taken over).
    assert b001.estimated_wait_minutes == 20

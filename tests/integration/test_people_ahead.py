"""People ahead: the waiting tickets the windows that will serve a ticket call before it,
whatever their service (shared.routing.people_ahead; kiosk, slip and command line)."""

from __future__ import annotations

import pytest

from shared import issuing, queue
from shared.db import Database
from shared.read import hall_state
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
def test_people_ahead_count_other_services_of_the_same_windows(db: Database) -> None:
    """People ahead of B001 are the A tickets window 1 calls (its estimate comes from
    shared.prediction, tested there)."""
    for _ in range(3):
        issuing.issue_ticket(db, "SA", site=SITE)
    queue.call_next(db, 1, site=SITE)  # window 1 calls A001 (one call in the last hour)
    b001 = issuing.issue_ticket(db, "SB", site=SITE)
    assert b001.people_ahead == 2


def outlook_ahead(db: Database) -> dict[str, int]:
    return {code: o.people_ahead for code, o in hall_state.new_ticket_outlook(db, site=SITE).items()}


@pytest.mark.all_backends
def test_the_count_before_taking_is_the_count_the_ticket_then_gets(db: Database) -> None:
    """What the kiosk shows for each service before a number is taken is the people ahead
    of the number then taken: other services' tickets at the same windows, the ticket
    handed to one of those windows, and green tickets count; called ones and those of
    other windows do not."""
    assert outlook_ahead(db) == {"SA": 0, "SB": 0, "SC": 0, "SD": 0}
    for code in ("SA", "SA", "SC", "SD", "SA"):
        issuing.issue_ticket(db, code, site=SITE)
    issuing.issue_ticket(db, "SD", site=SITE, kind="green")
    hand_over(db, 2, 3)  # window 2 calls A001 and hands it over to window 3
    before = outlook_ahead(db)
    # SB (windows 1 and 3): A002, A003, C001 and A001 handed to window 3.
    assert before == {"SA": 2, "SB": 4, "SC": 2, "SD": 2}
    for code, ahead in before.items():
        taken = issuing.issue_ticket(db, code, site=SITE)
        assert taken.people_ahead == ahead, code
        queue.cancel(db, taken.ticket.number, site=SITE)  # leave the queue as it was
    assert outlook_ahead(db) == before

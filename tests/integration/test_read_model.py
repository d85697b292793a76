"""The read model (shared/read/): each terminal's snapshot is one read transaction with
few statements, shows what the separate reads show, and the counter's next calls are
call-next's own on a mixed table of routing cases.

Test catalog: window 1 serves SA (weight 2) and SB (weight 1); see tests/integration/
test_routing.py for the step notation.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace

import pytest
from sqlalchemy import event, text

from shared import clerks, queue
from shared.db import Database, server_now
from shared.read import counter_view, hall_state
from shared.read.counter_view import counter_snapshot
from shared.read.display_view import recent_calls
from shared.read.kiosk_view import kiosk_services, service_guides
from shared.read.supervisor_view import live_view
from tests.integration.conftest import Scenario

pytestmark = pytest.mark.all_backends


@dataclass
class Counted:
    statements: int = 0
    transactions: int = 0


@contextmanager
def counting(db: Database) -> Iterator[Counted]:
    """Statements sent and transactions begun on ``db``'s engines while inside."""
    counted = Counted()
    engines = {id(e): e for e in (db.engine, db.read_engine)}.values()

    def statement(*_args: object) -> None:
        counted.statements += 1

    def begin(*_args: object) -> None:
        counted.transactions += 1

    for engine in engines:
        event.listen(engine, "before_cursor_execute", statement)
        event.listen(engine, "begin", begin)
    try:
        yield counted
    finally:
        for engine in engines:
            event.remove(engine, "before_cursor_execute", statement)
            event.remove(engine, "begin", begin)


def _begin_statements(db: Database) -> int:
    """The statements that begin a transaction: SQLite's BEGIN is sent as one of ours."""
    return 1 if db.engine.dialect.name == "sqlite" else 0


@pytest.fixture
def staffed(scenario: Scenario) -> Scenario:
    clerks.add_clerk(scenario.db, "wangf", "王芳", "wangf-password")
    clerks.login_at_window(scenario.db, "wangf", "wangf-password", 1, site="hall")
    return scenario


def test_counter_snapshot_is_one_transaction(staffed: Scenario) -> None:
    """22 statements in 5 transactions before; now one transaction of six statements."""
    db = staffed.db
    staffed.issue_all(["SA", "SB", "SA:green", "SA", "SB>SA", "SB"])
    called = queue.call_next(db, 1, site="hall", clerk="wangf").ticket
    assert called is not None
    queue.start(db, called.number, site="hall")
    with counting(db) as counted:
        snap = counter_snapshot(db, 1, "wangf", site="hall")
    assert counted.transactions == 1
    # Before the read model a refresh with 5 waiting was 51 statements in 7
    # transactions (SQLite), then 20 in 1 with a statement per next call it foresaw; now
    # the site, clock, window and clerk; the window's services; its queue (the next calls
    # are a dry run over the heads of its lines), counted per service; the held ticket;
    # the clerk's day.
    assert len(snap.upcoming) == 5
    assert counted.statements == 6 + _begin_statements(db), counted.statements
    assert snap.held is not None and snap.held.number == called.number
    assert snap.held_materials == service_guides(db, site="hall",
                                                 services=[called.service])[called.service].materials


def test_counter_snapshot_shows_what_the_separate_reads_show(staffed: Scenario) -> None:
    db = staffed.db
    staffed.issue_all(["SA", "SB", "SA", "SA:green", "SB", "SA"])
    snap = counter_snapshot(db, 1, "wangf", site="hall")
    # The clerk's lease runs out a little later when read a moment later: all else equal.
    assert replace(snap.window, presence_ends_in=None) == \
        replace(hall_state.get_window(db, 1, site="hall"), presence_ends_in=None)
    waiting = hall_state.waiting_for_window(db, 1, site="hall")
    assert snap.waiting == len(waiting)
    assert snap.upcoming == queue.preview_calls(db, 1, site="hall", count=len(waiting))
    assert snap.stats == counter_view.clerk_day_stats(db, "wangf", site="hall")
    services = counter_view.window_services(db, 1, site="hall")
    assert [line.code for line in snap.services] == [s.code for s in services]
    assert snap.service_ids == {s.id for s in services}
    assert snap.held is None and snap.held_materials == []
    with counting(db) as counted:
        counter_snapshot(db, 1, "wangf", site="hall")
    # No held ticket to read.
    assert counted.statements == 5 + _begin_statements(db), counted.statements


# Mixed cases at weighted window 1 (SA 2 : SB 1): every class at once, and a no-show
# reinstated among them. Expected orders come from the routing rules (docs/routing.md).
MIXED_CASES = [
    pytest.param(["SA", "SB", "SA", "SA:green", "SB>SA", "SA:appt+5", "SB", "SA"],
                 id="all-classes-at-a-weighted-window"),
    pytest.param(["SB", "SB", "SA", "SA", "SA", "SB:green", "SA"], id="weighted-with-green"),
    pytest.param(["SA", "SA>w1", "SB", "SA", "SB", "SA:appt-5"],
                 id="handed-to-the-window-and-appointment"),
]


@pytest.mark.parametrize("steps", MIXED_CASES)
def test_counter_upcoming_is_what_call_next_calls(staffed: Scenario, steps: list[str]) -> None:
    """At every step the counter's list of next calls (its snapshot) is the order
    call-next then follows, a reinstated no-show included."""
    db = staffed.db
    staffed.issue_all(steps)
    missed = queue.call_next(db, 1, site="hall", clerk="wangf").ticket
    assert missed is not None
    queue.no_show(db, missed.number, site="hall")
    queue.reinstate(db, missed.number, site="hall")
    foreseen = [t.number for t in counter_snapshot(db, 1, "wangf", site="hall").upcoming]
    called: list[str] = []
    while True:
        snap = counter_snapshot(db, 1, "wangf", site="hall")
        ticket = queue.call_next(db, 1, site="hall", clerk="wangf").ticket
        if ticket is None:
            assert snap.upcoming == []
            break
        assert snap.upcoming[0].number == ticket.number, f"after {called}"
        called.append(ticket.number)
        queue.start(db, ticket.number, site="hall")
        queue.finish(db, ticket.number, site="hall")
    assert foreseen == called
    assert missed.number in called  # the reinstated no-show is called again


def _long_queue(shown: int, classes_before: int) -> list[str]:
    """Window 1's queue (SA 2 : SB 1), its ordinary lines longer than the counter's list:
    SA's tickets first (were every ordinary ticket one line, SB's, which the weighted
    interleave calls among the first, would be cut), then SB's; hand-overs to SA and to
    the window (SD, a service it does not serve: the test site ranks hand-overs before
    ordinary tickets); and ``classes_before`` green-channel and due appointment tickets."""
    steps = ["SA"] * (shown + 2) + ["SB"] * (shown + 3) + ["SB>SA", "SD>w1"]
    steps += ["SA:green" if i % 2 else "SA:appt-5" for i in range(classes_before)]
    return steps


# Few tickets of the classes before ordinary ones, so the ordinary lines are called among
# the first; then more of them than the list, so its first calls are all of that line.
@pytest.mark.parametrize("classes_before", [3, 15], ids=["ordinary-lines", "before-line"])
def test_a_long_queue_reads_only_the_heads_of_its_lines(staffed: Scenario,
                                                        classes_before: int) -> None:
    """With more tickets in the lines of window 1 than the counter lists (green ones,
    due appointments, hand-overs to the service and to the window, a service the window
    does not serve handed to it), the snapshot reads the heads of the lines only, yet its
    next calls are the whole queue's dry run and what call-next then calls, and its
    counts are the whole queue's."""
    db = staffed.db
    shown = counter_view.UPCOMING_SHOWN
    steps = _long_queue(shown, classes_before)
    staffed.issue_all(steps)
    waiting = hall_state.waiting_for_window(db, 1, site="hall")
    assert len(waiting) == len(steps)
    with counting(db) as counted:
        snap = counter_snapshot(db, 1, "wangf", site="hall")
    assert counted.statements == 5 + _begin_statements(db), counted.statements
    assert snap.waiting == len(steps)
    whole = queue.preview_calls(db, 1, site="hall", count=len(waiting))
    assert snap.upcoming == whole[:shown]
    expected = {}
    for ticket in waiting:
        line = expected.setdefault(ticket.service, [0, 0, 0, ticket.queued_at])
        line[0] += 1
        line[1] += ticket.kind == "green"
        line[2] += ticket.kind == "appointment"
        line[3] = min(line[3], ticket.queued_at)
    assert {line.code: [line.waiting, line.green, line.appointment, line.oldest_queued_at]
            for line in snap.services} == expected
    assert [line.code for line in snap.services] == ["SA", "SB", "SD"]  # SD: handed over
    assert staffed.call_order(1, shown) == [t.number for t in snap.upcoming]


def test_kiosk_and_live_view_are_one_transaction_each(staffed: Scenario) -> None:
    db = staffed.db
    staffed.issue_all(["SA", "SB", "SA:green"])
    with counting(db) as counted:
        services = kiosk_services(db, site="hall")
    assert counted.transactions == 1
    overview = hall_state.queue_overview(db, site="hall")
    assert [s.queue for s in services] == overview
    assert {s.queue.service: s.outlook for s in services} == \
        hall_state.new_ticket_outlook(db, site="hall")
    guides = service_guides(db, site="hall")
    assert {s.queue.service: s.guide for s in services} == {q.service: guides.get(q.service)
                                                           for q in overview}
    with counting(db) as counted:
        live = live_view(db, site="hall")
    assert counted.transactions == 1
    assert live.waiting == sum(q.waiting for q in overview)


def test_a_snapshot_is_one_read_only_moment(db: Database) -> None:
    """PostgreSQL: REPEATABLE READ and READ ONLY, so every statement sees the same
    committed state and nothing can be written by mistake."""
    with db.snapshot() as session:
        if db.is_postgres:
            assert session.execute(text("SHOW transaction_isolation")).scalar() == \
                "repeatable read"
            assert session.execute(text("SHOW transaction_read_only")).scalar() == "on"
        first = server_now(session)
        assert server_now(session) >= first


def test_the_hall_display_reads_a_call_in_one_transaction(staffed: Scenario) -> None:
    db = staffed.db
    staffed.issue_all(["SA", "SB"])
    queue.call_next(db, 1, site="hall", clerk="wangf")
    with counting(db) as counted:
        calls = recent_calls(db, "hall", 10)
    assert counted.transactions == 1 and len(calls) == 1
    with counting(db) as counted:
        hall_state.queue_overview(db, site="hall")
    assert counted.transactions == 1

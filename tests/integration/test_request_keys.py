"""Idempotency keys: the same key gives the original result and changes nothing; a key
reused for another operation is refused with nothing written; and an answer lost after
the server committed (a proxy that drops the reply to COMMIT, or on SQLite a commit whose
caller is told the database went away) is recovered by retrying with the same key."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import event, func, select, update

from shared import appointments, issuing, queue
from shared.db import Database
from shared.errors import IllegalTransition, UsageError
from shared.models import RequestKey, SiteState, TicketEvent
from shared.operation import Actor
from shared.read import hall_state
from shared.request_keys import from_plain, new_key, to_plain
from shared.views import IssuedTicket
from tests.integration.conftest import (
    local_now,
    noon_zone,
    raises_and_writes_nothing,
    slot_text,
    snapshot,
)
from tests.lost_answers import AnswerLoser


def _numbers(db: Database) -> list[str]:
    return [t.number for t in hall_state.list_tickets(db, site="hall")]


def _key_count(db: Database) -> int:
    with db.read() as session:
        return int(session.scalar(select(func.count()).select_from(RequestKey)) or 0)


# --------------------------------------------------------------------------- same key


@pytest.mark.all_backends
def test_same_key_returns_the_original_ticket_and_writes_nothing(noon_db: Database) -> None:
    key = new_key()
    first = issuing.issue_ticket(noon_db, "SA", site="hall", request_key=key)
    before = snapshot(noon_db)
    again = issuing.issue_ticket(noon_db, "SA", site="hall", request_key=key)
    assert again == first
    assert snapshot(noon_db) == before
    # Another key is another intent: another number.
    assert issuing.issue_ticket(noon_db, "SA", site="hall",
                                request_key=new_key()).ticket.number == "A002"


@pytest.mark.all_backends
def test_key_reused_for_another_operation_is_refused_and_writes_nothing(
        noon_db: Database) -> None:
    key = new_key()
    issued = issuing.issue_ticket(noon_db, "SA", site="hall", request_key=key)
    issuing.issue_ticket(noon_db, "SA", site="hall")
    info = raises_and_writes_nothing(
        noon_db, UsageError, lambda: queue.call_next(noon_db, 1, site="hall", request_key=key))
    assert key in str(info.value) and "issue_ticket" in str(info.value)
    # Same operation, other arguments: refused too.
    raises_and_writes_nothing(
        noon_db, UsageError, lambda: issuing.issue_ticket(noon_db, "SB", site="hall",
                                                          request_key=key))
    # A refusal by the queue rules under a used key is the key's refusal, not the rule's.
    raises_and_writes_nothing(
        noon_db, UsageError, lambda: queue.finish(noon_db, issued.ticket.id, site="hall",
                                                  request_key=key))


@pytest.mark.all_backends
def test_repeated_window_actions_return_their_first_result(noon_db: Database) -> None:
    issuing.issue_ticket(noon_db, "SA", site="hall")
    issuing.issue_ticket(noon_db, "SA", site="hall")
    call_key, start_key, finish_key = new_key(), new_key(), new_key()
    called = queue.call_next(noon_db, 1, site="hall", request_key=call_key)
    assert called.ticket is not None and called.ticket.number == "A001"
    assert queue.call_next(noon_db, 1, site="hall", request_key=call_key) == called
    ticket_id = called.ticket.id
    started = queue.start(noon_db, ticket_id, site="hall", actor=Actor(1), request_key=start_key)
    finished = queue.finish(noon_db, ticket_id, site="hall", actor=Actor(1),
                            request_key=finish_key)
    before = snapshot(noon_db)
    # The ticket has moved on; the repeats still answer what they did, and change nothing.
    assert queue.start(noon_db, ticket_id, site="hall", actor=Actor(1),
                       request_key=start_key) == started
    assert queue.finish(noon_db, ticket_id, site="hall", actor=Actor(1),
                        request_key=finish_key) == finished
    assert snapshot(noon_db) == before
    # Without a key a second finish is refused, as always.
    with pytest.raises(IllegalTransition):
        queue.finish(noon_db, ticket_id, site="hall", actor=Actor(1))
    paused = queue.pause_window(noon_db, 1, "午休", site="hall", request_key="pause-1")
    assert queue.pause_window(noon_db, 1, "午休", site="hall", request_key="pause-1") == paused


@pytest.mark.all_backends
def test_call_next_with_nobody_waiting_keeps_no_key(noon_db: Database) -> None:
    key = new_key()
    before = snapshot(noon_db)
    assert queue.call_next(noon_db, 1, site="hall", request_key=key).ticket is None
    assert snapshot(noon_db) == before
    issuing.issue_ticket(noon_db, "SA", site="hall")
    # Nothing was done under the key, so the next press with it calls.
    called = queue.call_next(noon_db, 1, site="hall", request_key=key).ticket
    assert called is not None and called.number == "A001"


def test_invalid_key_is_refused_before_the_database(noon_db: Database) -> None:
    for key in ("", "x" * 65, "a b", "键"):
        raises_and_writes_nothing(
            noon_db, UsageError,
            lambda key=key: issuing.issue_ticket(noon_db, "SA", site="hall", request_key=key))


def test_stored_results_rebuild_exactly(noon_db: Database) -> None:
    issued = issuing.issue_ticket(noon_db, "SA", site="hall")
    assert from_plain(to_plain(issued), IssuedTicket) == issued
    queue.pause_window(noon_db, 2, "会议", site="hall")
    window = next(w for w in hall_state.list_windows(noon_db, site="hall") if w.number == 2)
    assert from_plain(to_plain(window), type(window)) == window
    present = dataclasses.replace(window, presence_ends_in=dt.timedelta(seconds=88.382))
    assert from_plain(to_plain(present), type(window)) == present  # a clerk's lease
    called = queue.call_next(noon_db, 1, site="hall")
    assert from_plain(to_plain(called), queue.CallResult) == called


@pytest.mark.all_backends
def test_keys_older_than_the_previous_day_go_at_the_roll_over(noon_db: Database) -> None:
    for key in ("old", "yesterday", "today"):
        issuing.issue_ticket(noon_db, "SA", site="hall", request_key=key)
    today = local_now(noon_zone()).date()
    with noon_db.engine.begin() as connection:
        for key, days in (("old", 2), ("yesterday", 1), ("today", 0)):
            connection.execute(update(RequestKey).where(RequestKey.key == key)
                               .values(business_day=today - dt.timedelta(days=days)))
        connection.execute(update(SiteState).values(open_day=today - dt.timedelta(days=1)))
    issuing.issue_ticket(noon_db, "SA", site="hall")  # the day's first operation
    with noon_db.read() as session:
        assert set(session.scalars(select(RequestKey.key))) == {"yesterday", "today"}


# --------------------------------------------------------------------------- lost answers


@pytest.fixture
def loser(noon_db: Database) -> Iterator[AnswerLoser]:
    loser = AnswerLoser(noon_db)
    yield loser
    loser.close()


def _events(db: Database, action: str) -> int:
    with db.read() as session:
        return int(session.scalar(select(func.count()).select_from(TicketEvent)
                                  .where(TicketEvent.action == action)) or 0)


@pytest.mark.all_backends
def test_lost_answer_to_an_issue_is_recovered_with_the_same_key(
        noon_db: Database, loser: AnswerLoser) -> None:
    key = new_key()

    def issue() -> IssuedTicket:
        return issuing.issue_ticket(loser.db, "SA", site="hall", request_key=key)

    loser.lost(issue)
    assert _numbers(noon_db) == ["A001"]  # committed, though its caller never heard
    again = issue()
    assert again.ticket.number == "A001"
    assert again.ticket.to_json() == hall_state.get_ticket(noon_db, "A001", site="hall").to_json()
    assert _numbers(noon_db) == ["A001"]
    assert issuing.issue_ticket(loser.db, "SA", site="hall").ticket.number == "A002"


@pytest.mark.all_backends
def test_lost_answer_to_a_check_in_gives_the_ticket_and_a_reprint_mark(
        noon_db: Database, loser: AnswerLoser) -> None:
    zone = noon_zone()
    appointments.add_appointment(noon_db, code="88002", service="SA", site="hall",
                                 day=local_now(zone).date(), slot=slot_text(zone, 10))
    key = new_key()

    def check_in() -> IssuedTicket:
        return issuing.check_in_appointment(loser.db, "88002", site="hall",
                                            print_pending=True, request_key=key)

    loser.lost(check_in)
    issued = check_in()  # not "预约码 88002 已签到"
    assert issued.ticket.number == "A001" and issued.ticket.kind == "appointment"
    # Its slip never printed: staff see it on the reprint list.
    pending = [t for t in hall_state.list_tickets(noon_db, site="hall") if t.print_pending]
    assert [t.number for t in pending] == ["A001"]
    # A check-in without the key is still refused, as a second check-in.
    with pytest.raises(IllegalTransition, match="已签到"):
        issuing.check_in_appointment(loser.db, "88002", site="hall")


@pytest.mark.all_backends
def test_lost_answer_to_call_next_calls_one_citizen_once(
        noon_db: Database, loser: AnswerLoser) -> None:
    for _ in range(2):
        issuing.issue_ticket(noon_db, "SA", site="hall")
    key = new_key()

    def call() -> queue.CallResult:
        return queue.call_next(loser.db, 1, site="hall", request_key=key)

    loser.lost(call)
    result = call()
    assert result.ticket is not None and result.ticket.number == "A001"
    states = {t.number: t.state for t in hall_state.list_tickets(noon_db, site="hall")}
    assert states == {"A001": "called", "A002": "waiting"}
    assert _events(noon_db, "call") == 1


@pytest.mark.all_backends
def test_lost_answer_to_finish_and_transfer(noon_db: Database, loser: AnswerLoser) -> None:
    for _ in range(2):
        issuing.issue_ticket(noon_db, "SA", site="hall")
    first = queue.call_next(noon_db, 1, site="hall").ticket
    assert first is not None
    queue.start(noon_db, first.id, site="hall", actor=Actor(1))
    finish_key = new_key()

    def finish() -> object:
        return queue.finish(loser.db, first.id, site="hall", actor=Actor(1),
                            request_key=finish_key)

    loser.lost(finish)
    finished = finish()
    assert finished == hall_state.get_ticket(noon_db, str(first.id), site="hall")
    assert _events(noon_db, "finish") == 1

    second = queue.call_next(noon_db, 1, site="hall").ticket
    assert second is not None
    transfer_key = new_key()

    def transfer() -> object:
        return queue.transfer(loser.db, second.id, to_window=2, note="补材料", site="hall",
                              actor=Actor(1), request_key=transfer_key)

    loser.lost(transfer)
    moved = transfer()
    assert moved == hall_state.get_ticket(noon_db, str(second.id), site="hall")
    assert moved.target_window == 2 and moved.note == "补材料"
    assert _events(noon_db, "transfer") == 1
    assert _key_count(noon_db) == 2


@pytest.mark.parametrize("empty_db_url", ["postgres"], indirect=True)
def test_the_key_adds_no_round_trip_on_postgresql(noon_db: Database) -> None:
    """The key is written with the deferred writes, inside the psycopg pipeline that goes
    out in one round trip: call-next sends as many statements outside a pipeline (each a
    round trip) with a key as without one."""
    outside: list[str] = []

    @event.listens_for(noon_db.engine, "before_cursor_execute")
    def count(connection: Any, _cursor: Any, statement: str, *_: Any) -> None:
        if connection.connection.driver_connection._pipeline is None:
            outside.append(statement)

    def round_trips(key: str | None) -> int:
        issuing.issue_ticket(noon_db, "SA", site="hall")
        outside.clear()
        called = queue.call_next(noon_db, 1, site="hall", request_key=key).ticket
        assert called is not None
        queue.start(noon_db, called.id, site="hall")
        return len(outside)

    round_trips(None)  # warm-up: the first call reads the day's first rows
    without = round_trips(None)
    assert without > 0
    assert round_trips(new_key()) == without
    assert _key_count(noon_db) == 1

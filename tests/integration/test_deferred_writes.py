"""An operation's deferred writes (stays, credits, events: sent together at its end, in
one round trip on PostgreSQL) fail the whole operation when one of them fails."""

from __future__ import annotations

import pytest
from sqlalchemy import insert, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from shared import issuing
from shared.db import Database
from shared.models import Ticket, TicketEvent
from shared.operation import done, open_context
from shared.read import hall_state


@pytest.mark.all_backends
def test_a_failing_deferred_write_rolls_the_operation_back(db: Database) -> None:
    ticket = issuing.issue_ticket(db, "SA", site="hall").ticket

    def op(session: Session) -> None:
        ctx = open_context(session, "hall")
        ctx.defer(update(Ticket).where(Ticket.id == ticket.id).values(note="written"), {})
        ctx.defer(insert(TicketEvent).inline(),  # names a site that does not exist
                  {"site_id": 999_999, "action": "reprint", "at": ctx.now, "detail": {}})
        done(ctx)

    with pytest.raises(IntegrityError):
        db.write(op, name="failing")
    assert hall_state.get_ticket(db, ticket.id).note == ""  # the earlier write was undone
    # The terminal's connection is usable again.
    assert issuing.issue_ticket(db, "SA", site="hall").ticket.number == "A002"


@pytest.mark.parametrize("empty_db_url", ["postgres"], indirect=True)
def test_call_next_sends_every_write_and_its_commit_in_one_round_trip(db: Database) -> None:
    # PostgreSQL: the rows the operation changed (the finished and the called ticket, the
    # window) go out in the final pipeline with the stays, events, key, COMMIT and the
    # change marker after it, not as a flush of a round trip each before it, nor the
    # marker on a connection of its own after it: all that precedes it are SELECTs.
    from sqlalchemy import event

    from shared import clerks, queue

    clerks.add_clerk(db, "wangf", "王芳", "wangf-password")
    clerks.login_at_window(db, "wangf", "wangf-password", 1, "hall")
    for _ in range(3):
        issuing.issue_ticket(db, "SA", site="hall")
    first = queue.call_next(db, 1, site="hall").ticket
    assert first is not None
    queue.start(db, first.id, site="hall")
    outside: list[str] = []

    def sent(conn, cursor, statement, parameters, context, executemany) -> None:  # type: ignore[no-untyped-def]
        if getattr(conn.connection.driver_connection, "_pipeline", None) is None:
            outside.append(statement.split(None, 1)[0].upper())

    event.listen(db.engine, "before_cursor_execute", sent)
    try:
        result = queue.call_next(db, 1, site="hall", request_key="k-one-round-trip")
    finally:
        event.remove(db.engine, "before_cursor_execute", sent)
    assert result.finished is not None and result.ticket is not None
    # The change marker's bump follows the COMMIT in the same pipeline.
    assert outside == ["SELECT"] * len(outside), outside
    views = {t.id: t for t in hall_state.list_tickets(db, site="hall")}
    assert views[first.id].state == "finished" and views[result.ticket.id].state == "called"
    assert result.ticket.clerk == "wangf"


@pytest.mark.parametrize("empty_db_url", ["postgres"], indirect=True)
def test_a_change_marker_held_by_a_frozen_session_is_bumped_once_that_session_is_ended(
        db: Database, empty_db_url: str, caplog: pytest.LogCaptureFixture) -> None:
    # The marker follows the COMMIT in the same pipeline. When its row is held (here by
    # a session that froze in its transaction), the operation has committed and says so;
    # the bump is tried again on its own, and once the holder has sat longer than the
    # idle timeout it is ended and the bump goes through: the site's screens hear of the
    # change instead of staying silent for as long as the holder stays frozen.
    import time

    import psycopg

    from shared.config import DatabaseConfig
    from shared.feed import current_version
    from shared.read.site import site_info

    first = issuing.issue_ticket(db, "SA", site="hall").ticket  # the day is open
    site_id = site_info(db, "hall").id
    terminal = Database(empty_db_url, limits=DatabaseConfig(
        lock_timeout_ms=200, idle_in_transaction_timeout_ms=1000))
    holder = psycopg.connect(terminal.url.set(drivername="postgresql").render_as_string(
        hide_password=False))
    try:
        before = current_version(db, site_id)
        holder.execute("SELECT version FROM site_state FOR UPDATE")  # every site's marker
        started = time.monotonic()
        with caplog.at_level("WARNING", logger="shared.db"):
            issued = issuing.issue_ticket(terminal, "SA", site="hall", request_key="k-marker")
        took = time.monotonic() - started
        assert [t.number for t in hall_state.list_tickets(db, site="hall")] == [
            first.number, issued.ticket.number]
        assert "after the commit" in caplog.text and "lock" in caplog.text
        assert "ended database sessions" in caplog.text
        assert current_version(db, site_id) == before + 1  # bumped, once
        assert took < 1.0 + 2 * 0.2 + 1.0, took  # the idle timeout and two lock waits
        with pytest.raises(psycopg.OperationalError):
            holder.execute("SELECT 1")  # ended
        # The next operation goes on normally on the same connection.
        assert issuing.issue_ticket(terminal, "SA", site="hall").ticket.number == "A003"
    finally:
        holder.close()
        terminal.dispose()

"""Pooled connections the server dropped: an idle one is replaced before use; one cut
right after use fails that operation cleanly and the next operation reconnects."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool

import shared.db
from shared import issuing
from shared.db import Database
from shared.errors import DatabaseUnavailable
from shared.read import hall_state


def _cut_pooled_connection(db: Database) -> None:
    """Have the server end the connection the pool hands out next."""
    own_id = {"postgresql": "SELECT pg_backend_pid()", "mysql": "SELECT CONNECTION_ID()",
              "mariadb": "SELECT CONNECTION_ID()"}[db.backend]
    with db.read() as session:
        victim = int(session.execute(text(own_id)).scalar_one())
    killer = create_engine(db.url, poolclass=NullPool)
    try:
        with killer.connect() as connection:
            if db.backend == "postgresql":
                connection.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": victim})
            else:
                connection.execute(text(f"KILL {victim}"))
    finally:
        killer.dispose()


@pytest.fixture
def cut_db(db: Database) -> Database:
    """A database with one ticket issued, whose pooled connection the server just cut."""
    if db.backend == "sqlite":
        pytest.skip("SQLite has no server connection to lose")
    issuing.issue_ticket(db, "SA", site="hall")
    _cut_pooled_connection(db)
    return db


@pytest.mark.all_backends
def test_idle_connection_cut_by_the_server_is_replaced_before_use(
        cut_db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(shared.db, "PING_AFTER_IDLE_S", 0.0)  # as after a quiet minute
    assert issuing.issue_ticket(cut_db, "SA", site="hall").ticket.number == "A002"


@pytest.mark.all_backends
def test_connection_cut_right_after_use_fails_one_operation_cleanly(
        cut_db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(shared.db, "PING_AFTER_IDLE_S", 3600.0)  # busy: no ping
    with pytest.raises(DatabaseUnavailable):
        issuing.issue_ticket(cut_db, "SA", site="hall")
    # Nothing of the failed operation was written, and the pool has reconnected.
    assert [t.number for t in hall_state.list_tickets(cut_db, site="hall")] == ["A001"]
    assert issuing.issue_ticket(cut_db, "SA", site="hall").ticket.number == "A002"

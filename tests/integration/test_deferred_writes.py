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

"""A first end-to-end pass through the queue core on every backend."""

from __future__ import annotations

import pytest

from shared import issuing, queue
from shared.db import Database


@pytest.mark.all_backends
def test_issue_call_serve_finish(db: Database) -> None:
    """A ticket goes issued -> called -> serving -> finished and the window is freed."""
    issued = issuing.issue_ticket(db, "SA", site="hall")
    assert issued.ticket.number == "A001"
    called = queue.call_next(db, 2, site="hall").ticket
    assert called is not None and called.number == "A001" and called.window == 2
    queue.start(db, "A001", site="hall")
    done = queue.finish(db, "A001", site="hall", outcome="accepted")
    assert done.state == "finished" and done.outcome == "accepted"
    assert queue.call_next(db, 2, site="hall").ticket is None

"""The live overflow alert (shared/overflow.py) on every backend: a service whose
predicted wait passes its target by the margin is suggested an overflow window, with the
windows that could take it, and recorded once per RECORD_EVERY_MINUTES."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from shared import issuing, queue
from shared.db import Database
from shared.models import OverflowSuggestion
from shared.overflow import overflow_suggestions

pytestmark = pytest.mark.all_backends


def test_a_long_queue_gets_an_overflow_window_once(noon_db: Database) -> None:
    # SD: window 4 alone, 6 minutes a citizen with no history. Window 4 has called D001
    # (6 more minutes) and four wait: a number taken now waits 30 minutes, target 15.
    for _ in range(5):
        issuing.issue_ticket(noon_db, "SD", site="hall")
    issuing.issue_ticket(noon_db, "SA", site="hall")
    assert queue.call_next(noon_db, 4, site="hall").ticket is not None
    assert queue.call_next(noon_db, 1, site="hall").ticket is not None  # window 1 busy
    found = overflow_suggestions(noon_db, site="hall", margin_minutes=10)
    assert [(o.service, o.waiting, o.predicted_minutes, o.target_minutes) for o in found] == [
        ("SD", 4, 30, 15)]
    # Windows not serving SD: the idle ones first, those serving several services (3)
    # before single-service ones (2), the busy window 1 last.
    assert found[0].windows == [3, 2, 1] and found[0].recorded
    again = overflow_suggestions(noon_db, site="hall", margin_minutes=10)
    assert again[0].service == "SD" and not again[0].recorded
    with noon_db.read() as session:
        rows = session.scalars(select(OverflowSuggestion)).all()
        assert [(r.predicted_minutes, r.target_minutes, r.windows) for r in rows] == [
            (30, 15, [3, 2, 1])]
    assert overflow_suggestions(noon_db, site="hall", margin_minutes=20) == []
    with pytest.raises(ValueError, match="margin"):
        overflow_suggestions(noon_db, site="hall", margin_minutes=-1)

"""The live overflow alert (shared/overflow.py) on every backend: a service whose
predicted wait passes its target by the margin is suggested an overflow window, with the
windows that could take it, and recorded once per RECORD_EVERY_MINUTES."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from shared import issuing, queue
from shared.db import Database
from shared.models import OverflowSuggestion, Service, Site
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


def test_recorded_suggestions_are_listed_newest_first_by_local_day(noon_db: Database) -> None:
    from shared.hours import business_day
    from shared.overflow import recorded_suggestions

    for _ in range(5):
        issuing.issue_ticket(noon_db, "SD", site="hall")
    assert queue.call_next(noon_db, 4, site="hall").ticket is not None
    found = overflow_suggestions(noon_db, site="hall", margin_minutes=10)[0]
    assert found.recorded and found.windows == [1, 3, 2]  # all idle, several services first
    # An older suggestion for SA, two days back.
    with noon_db.read() as session:
        first = session.scalars(select(OverflowSuggestion)).one()
        site_id, at = first.site_id, first.at
        sa = session.scalar(select(Service.id).where(Service.code == "SA"))
        zone = session.scalar(select(Site.timezone).where(Site.id == site_id))
    earlier = at - dt.timedelta(days=2)
    noon_db.write(lambda s: s.add(OverflowSuggestion(
        site_id=site_id, service_id=sa, at=earlier, waiting=7, predicted_minutes=33,
        target_minutes=20, windows=[2])), name="test")
    listed = recorded_suggestions(noon_db, site="hall")
    assert [(r.service, r.waiting, r.predicted_minutes, r.target_minutes, r.windows)
            for r in listed] == [("SD", 4, 30, 15, [1, 3, 2]), ("SA", 7, 33, 20, [2])]
    assert listed[0].at == at and listed[0].service_name == "丁业务"
    assert listed[0].local_at == at.astimezone(ZoneInfo(zone)).replace(tzinfo=None)
    assert listed[0].to_json()["windows"] == [1, 3, 2]
    today = business_day(at, zone)
    assert [r.service for r in recorded_suggestions(noon_db, site="hall", first_day=today)] \
        == ["SD"]
    two_back = today - dt.timedelta(days=2)
    assert [r.service for r in recorded_suggestions(
        noon_db, site="hall", first_day=two_back, last_day=two_back)] == ["SA"]
    assert [r.service for r in recorded_suggestions(noon_db, site="hall", service="SA")] == ["SA"]
    assert len(recorded_suggestions(noon_db, site="hall", limit=1)) == 1
    with pytest.raises(ValueError, match="before the first"):
        recorded_suggestions(noon_db, site="hall", first_day=today, last_day=two_back)
    with pytest.raises(ValueError, match="no service"):
        recorded_suggestions(noon_db, site="hall", service="NOPE")

"""Bad ratings followed up on the clock: deadlines in working days of the site's calendar
(a National Day holiday and a 调休 Saturday), the steps open -> contacted -> rectified ->
closed with who and when, appeals that take a rating out of the figures but keep it,
the overdue filter and 回访率 / 整改率, against hand-computed expectations."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import select, update

from shared import clerks, evaluations, followups, issuing, queue
from shared.db import Database
from shared.errors import IllegalTransition, NotFound, PermissionDenied, UsageError
from shared.followups import FollowUpRules, due_at, last_day_past_due, working_day_after
from shared.models import Evaluation, FollowUp, Segment, Site, TicketEvent
from shared.stats import StatsFilter, compute_statistics
from tests.integration.conftest import execute_sql, local_now

SITE = "hall"
ZONE = "Asia/Shanghai"
# National Day 2026: Thursday 1 to Wednesday 7 October off, Saturday 10 October worked.
CALENDAR: dict[str, Any] = {"holidays": [f"2026-10-0{d}" for d in range(1, 8)],
                            "workdays": ["2026-10-10"]}
WED_BEFORE = dt.date(2026, 9, 30)


def utc(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=dt.UTC)


def test_working_days_skip_the_holiday_and_count_the_make_up_saturday() -> None:
    """From Wednesday 30 September: the 1st working day is Thursday 8 October (1-7 are
    the holiday), the 5th is Tuesday 13 October (8, 9, Saturday 10 worked, 12, 13)."""
    assert working_day_after(CALENDAR, WED_BEFORE, 1) == dt.date(2026, 10, 8)
    assert working_day_after(CALENDAR, WED_BEFORE, 5) == dt.date(2026, 10, 13)
    # Without the make-up Saturday the 5th would be Wednesday 14 October.
    assert working_day_after({"holidays": CALENDAR["holidays"]}, WED_BEFORE, 5) == \
        dt.date(2026, 10, 14)
    # Friday 9 October + 1: the 调休 Saturday; a plain Friday + 1: the Monday.
    assert working_day_after(CALENDAR, dt.date(2026, 10, 9), 1) == dt.date(2026, 10, 10)
    assert working_day_after(CALENDAR, dt.date(2026, 10, 16), 1) == dt.date(2026, 10, 19)
    # Due at the end of that day, site time (UTC+8): 16:00 UTC the same date.
    assert due_at(CALENDAR, ZONE, WED_BEFORE, 1) == utc("2026-10-08T16:00:00")
    assert due_at(CALENDAR, ZONE, WED_BEFORE, 5) == utc("2026-10-13T16:00:00")
    assert due_at(CALENDAR, ZONE, WED_BEFORE, 15) == utc("2026-10-27T16:00:00")


def test_the_last_business_day_past_due_bounds_the_overdue_ones() -> None:
    """At 09:00 on Friday 9 October (site time) the 1-day contact of 30 September and of
    the holiday days after it (a case served on a holiday counts from the next working
    day) was due at the end of 8 October; that of Thursday 8 October is not (end of 9)."""
    now = utc("2026-10-09T01:00:00")
    assert last_day_past_due(CALENDAR, ZONE, now, 1) == dt.date(2026, 10, 7)
    # Just before midnight of the 8th nothing from the 30th was due yet: the 29th.
    assert last_day_past_due(CALENDAR, ZONE, utc("2026-10-08T15:59:59"), 1) == \
        dt.date(2026, 9, 29)
    # The 5-day rectification of the 30th falls due at the end of 13 October.
    assert last_day_past_due(CALENDAR, ZONE, utc("2026-10-13T16:00:00"), 5) == \
        dt.date(2026, 10, 7)


# --------------------------------------------------------------------------- the hall


def holiday_week_before(today: dt.date) -> tuple[dt.date, dict[str, Any]]:
    """A Wednesday five to six weeks ago, and a calendar shaped like National Day after it:
    the next seven days off, the Saturday after them worked (调休)."""
    base = today - dt.timedelta(days=(today.weekday() - 2) % 7 + 35)
    assert base.weekday() == 2
    return base, {"holidays": [(base + dt.timedelta(days=d)).isoformat() for d in range(1, 8)],
                  "workdays": [(base + dt.timedelta(days=10)).isoformat()]}


class Hall:
    def __init__(self, db: Database) -> None:
        self.db = db
        clerks.add_clerk(db, "chen", "陈主任", "chen-password-1", "supervisor")
        clerks.add_clerk(db, "wang", "王芳", "wang-password-1", "clerk")
        self.base, calendar = holiday_week_before(local_now(ZONE).date())
        db.write(lambda s: s.execute(update(Site).where(Site.code == SITE)
                                     .values(calendar={**calendar,
                                                       "workday_hours": ["00:00-24:00"],
                                                       "weekend_hours": ["00:00-24:00"],
                                                       "issue_cutoff_minutes": 0})))

    def rated(self, level: int, day: dt.date | None = None) -> tuple[int, int]:
        """A case served at window 2 and rated ``level``, moved to business ``day``:
        (ticket id, follow-up id or 0)."""
        ticket = issuing.issue_ticket(self.db, "SA", site=SITE).ticket
        queue.call_number(self.db, ticket.number, 2, site=SITE)
        queue.start(self.db, ticket.id, site=SITE)
        queue.finish(self.db, ticket.id, site=SITE)
        follow_up = evaluations.record_evaluation(self.db, ticket.id, level) or 0
        if day is not None:
            for table in ("ticket", "segment"):
                column = "id" if table == "ticket" else "ticket_id"
                execute_sql(self.db, f"UPDATE {table} SET business_day = :day "
                                     f"WHERE {column} = :t", day=day, t=ticket.id)
            execute_sql(self.db, "UPDATE segment SET weekday = :w WHERE ticket_id = :t",
                        w=day.weekday(), t=ticket.id)
        return ticket.id, follow_up


@pytest.fixture
def hall(db: Database) -> Hall:
    return Hall(db)


@pytest.mark.all_backends
def test_steps_in_order_with_who_and_when(hall: Hall) -> None:
    db = hall.db
    _, fid = hall.rated(5)
    with pytest.raises(IllegalTransition, match="rectified"):
        followups.close(db, fid, by="chen", opinion="satisfied")
    with pytest.raises(IllegalTransition, match="contacted"):
        followups.rectify(db, fid, by="chen", note="加强培训")
    with pytest.raises(PermissionDenied, match="wang"):
        followups.contact(db, fid, by="wang", note="已联系")
    with pytest.raises(UsageError, match="note"):
        followups.contact(db, fid, by="chen", note="  ")
    view = followups.contact(db, fid, by="chen", note="已电话联系，群众表示理解")
    assert (view.status, view.contacted_by, view.contact_result) == \
        ("contacted", "陈主任", "已电话联系，群众表示理解")
    assert view.contacted_at is not None and view.overdue is None
    view = followups.rectify(db, fid, by="chen", note="窗口增加引导员")
    assert (view.status, view.rectified_by, view.rectify_note) == \
        ("rectified", "陈主任", "窗口增加引导员")
    with pytest.raises(UsageError, match="opinion"):
        followups.close(db, fid, by="chen", opinion="happy")
    view = followups.close(db, fid, by="chen", opinion="basic", note="回访完成")
    assert (view.status, view.closed_by, view.opinion, view.note) == \
        ("closed", "陈主任", "basic", "回访完成")
    assert view.contacted_at <= view.rectified_at <= view.closed_at  # type: ignore[operator]
    with pytest.raises(IllegalTransition):
        followups.contact(db, fid, by="chen", note="再次联系")
    with pytest.raises(NotFound):
        followups.contact(db, fid + 100, by="chen", note="x")
    # Each step is in the audit chain, without the notes' text.
    with db.read() as session:
        steps = [e.detail["step"] for e in session.scalars(
            select(TicketEvent).where(TicketEvent.action == "follow_up")
            .order_by(TicketEvent.id))]
    assert steps == ["contact", "rectify", "close"]


@pytest.mark.all_backends
def test_deadlines_overdue_filter_appeals_and_rates(hall: Hall) -> None:
    """Six bad ratings, hand-counted, on a Wednesday ("base", before a week of holiday and
    a 调休 Saturday: contact due at the end of base+8, rectification of base+13) or today:
    A (base) contacted, rectified and closed late; B (today) contacted and rectified on
    time; C (base) appealed; D (base) untouched, overdue for contact; E (today) contacted;
    F (base) contacted late, overdue for rectification. Plus one good rating today."""
    db = hall.db
    today = local_now(ZONE).date()
    base = hall.base
    _, a = hall.rated(5, base)
    _, b = hall.rated(4, today)
    _, c = hall.rated(5, base)
    _, d = hall.rated(4, base)
    _, e = hall.rated(5, today)
    _, f = hall.rated(4, base)
    hall.rated(1, today)
    for fid in (a, b, e, f):
        followups.contact(db, fid, by="chen", note="已联系")
    for fid in (a, b):
        followups.rectify(db, fid, by="chen", note="已整改")
    followups.close(db, a, by="chen", opinion="basic")
    with pytest.raises(UsageError, match="reason"):
        followups.appeal(db, c, by="chen", kind="malicious", reason=" ")
    with pytest.raises(UsageError, match="appeal"):
        followups.appeal(db, c, by="chen", kind="angry", reason="x")
    appealed = followups.appeal(db, c, by="chen", kind="malicious", reason="与办理无关的恶意差评")
    assert (appealed.appeal, appealed.appeal_reason, appealed.appealed_by) == \
        ("malicious", "与办理无关的恶意差评", "陈主任")
    with pytest.raises(IllegalTransition, match="appealed"):
        followups.appeal(db, c, by="chen", kind="mistaken", reason="再次")

    views = {v.id: v for v in followups.list_follow_ups(db, site=SITE)}
    def end_of(day: dt.date) -> dt.datetime:  # local midnight after it, UTC+8
        return dt.datetime.combine(day + dt.timedelta(days=1), dt.time(), dt.UTC) - \
            dt.timedelta(hours=8)

    assert views[d].contact_due == end_of(base + dt.timedelta(days=8))
    assert views[d].rectify_due == end_of(base + dt.timedelta(days=13))
    assert views[b].contact_due > dt.datetime.now(dt.UTC)
    assert {fid: views[fid].overdue for fid in views} == {
        a: None, b: None, c: None, d: "contact", e: None, f: "rectify"}
    overdue = followups.list_follow_ups(db, site=SITE, overdue=True)
    assert sorted(v.id for v in overdue) == sorted([d, f])
    assert sorted(v.id for v in followups.list_follow_ups(db, site=SITE, status="open")) == \
        sorted([c, d])
    assert [v.id for v in followups.list_follow_ups(db, site=SITE, status="closed")] == [a]
    assert [v.id for v in followups.list_follow_ups(db, site=SITE, status="contacted",
                                                    overdue=True)] == [f]
    assert sorted(v.id for v in followups.list_follow_ups(db, site=SITE, status="pending")) \
        == sorted([b, c, d, e, f])
    assert followups.count_overdue(db, site=SITE) == 2
    with pytest.raises(UsageError, match="status"):
        followups.list_follow_ups(db, site=SITE, status="late")
    # The appealed rating is still in the record, unchanged.
    with db.read() as session:
        level, kind = session.execute(select(Evaluation.level, Evaluation.appeal)
                                      .join(FollowUp, FollowUp.evaluation_id == Evaluation.id)
                                      .where(FollowUp.id == c)).one()
        assert (level, kind) == (5, "malicious")
        assert session.scalar(select(Segment.rating_appealed)
                              .join(Evaluation, Evaluation.ticket_id == Segment.ticket_id)
                              .join(FollowUp, FollowUp.evaluation_id == Evaluation.id)
                              .where(FollowUp.id == c)) is True

    stats = compute_statistics(db, StatsFilter(base, today, site=SITE))
    s = stats.satisfaction
    assert s.levels == {1: 1, 4: 3, 5: 2}  # C's 5 left out
    assert (s.appealed, s.rated, s.satisfied) == (1, 6, 1)
    assert (s.follow_ups_open, s.follow_ups_closed) == (4, 1)
    fig = s.follow_up
    assert (fig.due, fig.contacted, fig.contacted_on_time, fig.rectified,
            fig.rectified_on_time, fig.closed, fig.overdue, fig.appealed) == \
        (5, 4, 2, 2, 1, 1, 2, 1)
    assert fig.opinions == {"satisfied": 0, "basic": 1, "dissatisfied": 0}
    assert (s.contact_rate, s.rectify_rate) == (0.8, 0.4)
    (window,) = [row for row in stats.breakdowns["window"] if row.key == "2"]
    assert (window.rated, window.satisfied) == (6, 1)
    as_json = stats.to_json()["satisfaction"]
    assert as_json["appealed"] == 1 and as_json["follow_up"]["contact_rate"] == 0.8
    # With 60 working days to rectify, F is not overdue and A was rectified in time.
    long = compute_statistics(db, StatsFilter(base, today, site=SITE),
                              follow_up_rules=FollowUpRules(1, 60)).satisfaction.follow_up
    assert (long.overdue, long.rectified_on_time, long.contacted_on_time) == (1, 2, 2)

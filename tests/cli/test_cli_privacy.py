"""``hallq-admin privacy purge``: old names, phones and comments erased, every statistic
kept, the purge itself in the audit chain."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select, update

from shared import appointments, evaluations, issuing, queue
from shared.db import Database
from shared.models import Appointment, Evaluation, FollowUp, TicketEvent
from tests.cli.conftest import Run


@pytest.mark.all_backends
def test_purge_erases_old_personal_data_and_keeps_the_numbers(admin: Run, db: Database) -> None:
    today = dt.date.today()
    for code, day in (("OLD1", today - dt.timedelta(days=200)), ("NEW1", today + dt.timedelta(days=1))):
        appointments.add_appointment(db, code=code, service="SA", day=day, slot="09:00-09:30",
                                     site="hall", name="张三", phone="13800001111")
    issuing.issue_ticket(db, "SA", site="hall")
    called = queue.call_next(db, 1, site="hall").ticket
    assert called is not None
    queue.start(db, called.number, site="hall")
    queue.finish(db, called.number, site="hall")
    follow_up = evaluations.record_evaluation(db, called.id, 5, "张三 13800001111 不满意")
    assert follow_up is not None
    db.write(lambda s: s.execute(update(FollowUp).values(note="回访 13800001111")))
    db.write(lambda s: s.execute(update(Evaluation).values(
        at=dt.datetime.now(dt.UTC) - dt.timedelta(days=200))))

    result = admin("privacy", "purge", "--older-than", "180", "--json")
    assert result.code == 0, result.err
    assert result.json["purged"]["appointments"] == 1
    assert result.json["purged"]["evaluations"] == 1
    assert result.json["purged"]["follow_ups"] == 1
    with db.read() as session:
        rows = dict(session.execute(select(Appointment.code, Appointment.phone)).all())
        assert rows == {"OLD1": "", "NEW1": "13800001111"}
        assert session.scalar(select(Appointment.citizen_name).where(Appointment.code == "OLD1")) == ""
        evaluation = session.execute(select(Evaluation.level, Evaluation.comment)).one()
        assert tuple(evaluation) == (5, "")  # the rating (a statistic) stays
        assert session.scalar(select(FollowUp.note)) == ""
        assert session.scalar(select(func.count()).select_from(Appointment)) == 2
        purge = session.scalars(select(TicketEvent.detail)
                                .where(TicketEvent.action == "admin")).all()[-1]
    assert purge["command"] == "privacy purge" and purge["arguments"]["days"] == 180
    # Again: nothing left to erase.
    assert admin("privacy", "purge", "--older-than", "180", "--json").json["purged"][
        "appointments"] == 0

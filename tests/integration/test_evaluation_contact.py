"""The comment and contact of a bad rating: given with the rating or added once after it,
checked, masked in lists, and taken from the ticket's appointment when the citizen left
no phone on the pad."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from shared import appointments, evaluations, followups, issuing, queue
from shared.db import Database
from shared.errors import IllegalTransition, NotFound, UsageError
from shared.evaluations import mask_phone
from shared.models import Evaluation
from shared.operation import Actor
from tests.integration.conftest import local_now, noon_zone, slot_text

SITE = "hall"


def served(db: Database, ticket_id: int) -> int:
    called = queue.call_next(db, 1, site=SITE).ticket
    assert called is not None and called.id == ticket_id
    queue.start(db, ticket_id, site=SITE, actor=Actor(1))
    queue.finish(db, ticket_id, site=SITE, actor=Actor(1))
    return ticket_id


@pytest.mark.all_backends
def test_comment_and_phone_added_once_after_the_rating(db: Database) -> None:
    ticket = served(db, issuing.issue_ticket(db, "SA", site=SITE).ticket.id)
    evaluations.record_evaluation(db, ticket, 5)
    (follow_up,) = followups.list_follow_ups(db, site=SITE)
    assert (follow_up.comment, follow_up.phone) == ("", "")
    evaluations.add_comment(db, ticket, "等候时间太长；其他原因", " 13800000000 ")
    (follow_up,) = followups.list_follow_ups(db, site=SITE)
    assert (follow_up.comment, follow_up.phone) == ("等候时间太长；其他原因", "13800000000")
    assert follow_up.to_json()["phone"] == "138****0000"
    with pytest.raises(IllegalTransition, match="已有意见"):
        evaluations.add_comment(db, ticket, "改口", "")
    with pytest.raises(NotFound):
        evaluations.add_comment(db, ticket + 1000, "x", "")


@pytest.mark.all_backends
@pytest.mark.parametrize("phone", ["138-0000-0000", "12345", "1" * 16, "１３８００００００００"])
def test_a_malformed_phone_is_refused_and_nothing_written(db: Database, phone: str) -> None:
    ticket = served(db, issuing.issue_ticket(db, "SA", site=SITE).ticket.id)
    with pytest.raises(UsageError, match="联系电话"):
        evaluations.record_evaluation(db, ticket, 4, "", phone)
    with db.read() as session:
        assert session.scalars(select(Evaluation)).all() == []


@pytest.mark.all_backends
def test_the_appointments_phone_is_the_contact_when_none_was_left(noon_db: Database) -> None:
    db = noon_db
    zone = noon_zone()
    appointments.add_appointment(db, code="YY001", service="SA", day=local_now(zone).date(),
                                 slot=slot_text(zone, 10), site=SITE, name="李四",
                                 phone="057165001234")
    ticket = issuing.check_in_appointment(db, "YY001", site=SITE).ticket
    served(db, ticket.id)
    evaluations.record_evaluation(db, ticket.id, 4, "办理时间太长")
    (follow_up,) = followups.list_follow_ups(db, site=SITE)
    assert follow_up.phone == "057165001234"
    assert follow_up.to_json()["phone"] == "057*****1234"


def test_masking_keeps_the_first_three_and_last_four_digits() -> None:
    assert mask_phone("13800000000") == "138****0000"
    assert mask_phone("057165001234") == "057*****1234"
    assert mask_phone("8765432") == "*****32"
    assert mask_phone("") == ""

"""The citizen's evaluation (好差评) of a finished ticket; a bad rating opens the
follow-up (电话回访 and 整改) that shared/followups.py carries through."""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from shared import feed
from shared.db import Database, locking, server_now
from shared.errors import IllegalTransition, NotFound, UsageError
from shared.models import Evaluation, FollowUp, Segment, Ticket
from shared.privacy import mask_phone  # noqa: F401  (callers import it from here)
from shared.states import TicketState

# The government's five levels, best first; 4 and 5 must be followed up.
LEVELS = {1: "非常满意", 2: "满意", 3: "基本满意", 4: "不满意", 5: "非常不满意"}
LEVEL_KEYS = {1: "very-satisfied", 2: "satisfied", 3: "basic", 4: "dissatisfied",
              5: "very-dissatisfied"}
BAD_LEVELS = frozenset({4, 5})
NOT_RATED = "未评价"
# What the pad offers a citizen who rated badly to say why (several may be chosen); the
# comment stores the chosen ones joined by COMMENT_SEPARATOR.
BAD_RATING_REASONS = ("等候时间太长", "工作人员态度不好", "办理时间太长", "材料要求没讲清楚",
                      "跑了不止一次", "其他原因")
COMMENT_SEPARATOR = "；"
PHONE_DIGITS = (7, 15)  # a landline without area code .. an international number


def check_phone(phone: str) -> str:
    """The phone number as stored: digits only, or "" for none; raises UsageError."""
    phone = phone.strip()
    low, high = PHONE_DIGITS
    if phone and not (phone.isdigit() and phone.isascii() and low <= len(phone) <= high):
        raise UsageError(f"联系电话应为 {low}–{high} 位数字 (contact phone must be {low} to "
                         f"{high} digits, got {phone!r})")
    return phone



def record_evaluation(db: Database, ticket_id: int, level: int | None, comment: str = "",
                      phone: str = "") -> int | None:
    """Store the rating of a finished ticket (None: the citizen did not rate), with the
    citizen's comment and the phone number left for the return visit. A bad rating opens
    a follow-up; returns its id, else None. A ticket is rated once."""
    if level is not None and level not in LEVELS:
        raise UsageError(f"评价等级无效 (invalid level {level!r}: 1-5 or none)")
    phone = check_phone(phone)

    def op(session: Session) -> int | None:
        now = server_now(session)
        ticket = session.scalar(locking(select(Ticket).where(Ticket.id == ticket_id)))
        if ticket is None:
            raise NotFound(f"没有票号 {ticket_id} (no ticket {ticket_id})")
        if ticket.state != TicketState.FINISHED.value:
            raise IllegalTransition(f"{ticket.number} 尚未办理完成，不能评价 (only finished tickets "
                                    f"are rated; {ticket.number} is {ticket.state})")
        if session.scalar(select(Evaluation.id).where(Evaluation.ticket_id == ticket.id)):
            raise IllegalTransition(f"{ticket.number} 已评价 (ticket {ticket.number} was rated)")
        evaluation = Evaluation(ticket_id=ticket.id, site_id=ticket.site_id,
                                window_id=ticket.window_id, clerk_id=ticket.clerk_id,
                                level=level, comment=comment.strip()[:500],
                                contact_phone=phone, at=now)
        session.add(evaluation)
        # The served stay carries the rating for the statistics (0: evaluated, not rated).
        session.execute(update(Segment).where(Segment.ticket_id == ticket.id,
                                              Segment.result == "finished")
                        .values(rating=level or 0))
        session.flush()
        follow_up_id = None
        if level in BAD_LEVELS:
            follow_up = FollowUp(evaluation_id=evaluation.id, status="open", created_at=now)
            session.add(follow_up)
            session.flush()
            follow_up_id = follow_up.id
        feed.touch(session, ticket.site_id)
        return follow_up_id

    return db.write(op, name="record_evaluation")


def add_comment(db: Database, ticket_id: int, comment: str, phone: str = "") -> None:
    """The citizen's reasons and phone number, given on the pad after the rating itself
    was stored (the rating counts even if the citizen walks away before saying why). Once
    per rating: a comment or phone already stored is not overwritten."""
    phone = check_phone(phone)

    def op(session: Session) -> None:
        evaluation = session.scalar(locking(select(Evaluation)
                                            .where(Evaluation.ticket_id == ticket_id)))
        if evaluation is None:
            raise NotFound(f"票 {ticket_id} 尚未评价 (ticket {ticket_id} has no evaluation)")
        if evaluation.comment or evaluation.contact_phone:
            raise IllegalTransition(f"评价 {evaluation.id} 已有意见 (evaluation "
                                    f"{evaluation.id} already has a comment)")
        evaluation.comment = comment.strip()[:500]
        evaluation.contact_phone = phone
        feed.touch(session, evaluation.site_id)

    db.write(op, name="add_evaluation_comment")

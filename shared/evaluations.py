"""The citizen's evaluation (好差评) of a finished ticket and the follow-up (电话回访)
that a bad rating requires."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from shared import feed
from shared.db import Database, locking, server_now
from shared.errors import IllegalTransition, NotFound, UsageError
from shared.lookup import clerk_by_login, site_by_code
from shared.models import Appointment, Clerk, Evaluation, FollowUp, Segment, Service, Ticket, Window
from shared.privacy import mask_phone
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



@dataclass(frozen=True)
class FollowUpView:
    id: int
    ticket_number: str
    business_day: dt.date
    service: str
    window: int | None
    clerk: str | None
    level: int
    level_label: str
    comment: str
    phone: str  # left on the pad, else the appointment's; "" if neither
    status: str
    contact_result: str
    note: str
    created_at: dt.datetime
    closed_at: dt.datetime | None
    closed_by: str | None

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id, "ticket": self.ticket_number,
            "business_day": self.business_day.isoformat(), "service": self.service,
            "window": self.window, "clerk": self.clerk, "level": self.level,
            "level_label": self.level_label, "comment": self.comment,
            "phone": mask_phone(self.phone), "status": self.status,
            "contact_result": self.contact_result, "note": self.note,
            "created_at": self.created_at.isoformat(),
            "closed_at": self.closed_at.isoformat() if self.closed_at else None,
            "closed_by": self.closed_by,
        }


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
        feed.touch(session, ticket.site_id,
                   feed.Change(ticket.site_id, frozenset({feed.EVALUATION})))
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
        feed.touch(session, evaluation.site_id,
                   feed.Change(evaluation.site_id, frozenset({feed.EVALUATION})))

    db.write(op, name="add_evaluation_comment")


def _view(session: Session, follow_up: FollowUp) -> FollowUpView:
    evaluation = session.get(Evaluation, follow_up.evaluation_id)
    assert evaluation is not None and evaluation.level is not None
    ticket = session.get(Ticket, evaluation.ticket_id)
    assert ticket is not None
    service = session.get(Service, ticket.service_id)
    window = session.get(Window, evaluation.window_id) if evaluation.window_id else None
    clerk = session.get(Clerk, evaluation.clerk_id) if evaluation.clerk_id else None
    closer = session.get(Clerk, follow_up.closed_by_id) if follow_up.closed_by_id else None
    phone = evaluation.contact_phone or session.scalar(
        select(Appointment.phone).where(Appointment.ticket_id == ticket.id)) or ""
    return FollowUpView(
        id=follow_up.id, ticket_number=ticket.number, business_day=ticket.business_day,
        service=service.name if service else "", window=window.number if window else None,
        clerk=clerk.display_name if clerk else None, level=evaluation.level,
        level_label=LEVELS[evaluation.level], comment=evaluation.comment, phone=phone,
        status=follow_up.status, contact_result=follow_up.contact_result, note=follow_up.note,
        created_at=follow_up.created_at, closed_at=follow_up.closed_at,
        closed_by=closer.display_name if closer else None,
    )


def list_follow_ups(db: Database, *, site: str | None = None, status: str | None = None
                    ) -> list[FollowUpView]:
    """Follow-ups of bad ratings, newest first; ``status`` open or closed filters."""
    if status not in (None, "open", "closed"):
        raise UsageError(f"状态无效 (invalid status {status!r}: open or closed)")
    with db.read() as session:
        query = (select(FollowUp).join(Evaluation, Evaluation.id == FollowUp.evaluation_id)
                 .order_by(FollowUp.created_at.desc(), FollowUp.id.desc()))
        if site is not None:
            query = query.where(Evaluation.site_id == site_by_code(session, site).id)
        if status is not None:
            query = query.where(FollowUp.status == status)
        return [_view(session, f) for f in session.scalars(query)]


def update_follow_up(db: Database, follow_up_id: int, *, contact_result: str, note: str = "",
                     close: bool = False, by: str | None = None) -> FollowUpView:
    """Record the return visit's result; closing needs who closed it."""
    if close and not by:
        raise UsageError("关闭回访需要记录办理人 (closing a follow-up needs the clerk's login)")
    if close and not contact_result.strip():
        raise UsageError("关闭回访前请填写回访结果 (a closed follow-up needs a contact result)")

    def op(session: Session) -> FollowUpView:
        follow_up = session.scalar(locking(select(FollowUp).where(FollowUp.id == follow_up_id)))
        if follow_up is None:
            raise NotFound(f"没有回访记录 {follow_up_id} (no follow-up {follow_up_id})")
        if follow_up.status == "closed":
            raise IllegalTransition(f"回访 {follow_up_id} 已关闭 (follow-up is closed)")
        follow_up.contact_result = contact_result.strip()[:200]
        follow_up.note = note.strip()[:1000]
        if close:
            follow_up.status = "closed"
            follow_up.closed_at = server_now(session)
            follow_up.closed_by_id = clerk_by_login(session, by or "").id
        evaluation = session.get(Evaluation, follow_up.evaluation_id)
        assert evaluation is not None
        feed.touch(session, evaluation.site_id,
                   feed.Change(evaluation.site_id, frozenset({feed.EVALUATION})))
        return _view(session, follow_up)

    return db.write(op, name="update_follow_up")

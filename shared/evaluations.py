"""The citizen's evaluation (好差评) of a finished ticket; a bad rating opens the
follow-up (电话回访 and 整改) that shared/followups.py carries through."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import case, select, update
from sqlalchemy.orm import Session

from shared import feed, hcp
from shared.db import Database, locking, server_now
from shared.errors import IllegalTransition, NotFound, UsageError
from shared.lookup import site_by_code
from shared.models import (
    Clerk,
    Evaluation,
    FollowUp,
    Segment,
    Service,
    Site,
    Ticket,
    TicketCase,
    Window,
)
from shared.privacy import mask_phone
from shared.states import TicketState
from shared.vocabulary import LEVELS, NOT_RATED

# The government's five levels (shared/vocabulary.py LEVELS), best first; 4 and 5 must be
# followed up.
LEVEL_KEYS = {1: "very-satisfied", 2: "satisfied", 3: "basic", 4: "dissatisfied",
              5: "very-dissatisfied"}
BAD_LEVELS = frozenset({4, 5})
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
                      phone: str = "", *, case_no: str | None = None) -> int | None:
    """Store the rating of a finished ticket (None: the citizen did not rate), with the
    citizen's comment and the phone number left for the return visit. A bad rating opens
    a follow-up; returns its id, else None.

    A ticket finished with case numbers (办件编号) is rated once per case, ``case_no``
    naming it (一次一评); a ticket without cases is rated once as a whole. A rating with a
    level also gets its record for the provincial 好差评 system, in the same transaction
    (:func:`shared.hcp.write_outbox`)."""
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
        the_case = _rated_case(session, ticket, case_no)
        service = session.get(Service, the_case.service_id if the_case else ticket.service_id)
        assert service is not None
        evaluation = Evaluation(ticket_id=ticket.id, site_id=ticket.site_id,
                                window_id=ticket.window_id, clerk_id=ticket.clerk_id,
                                level=level, comment=comment.strip()[:500],
                                contact_phone=phone, at=now,
                                case_id=the_case.id if the_case else None,
                                service_id=service.id,
                                item_code=the_case.item_code if the_case else service.item_code)
        if the_case is not None:
            evaluation.window_id = the_case.window_id or ticket.window_id
            evaluation.clerk_id = the_case.clerk_id or ticket.clerk_id
        session.add(evaluation)
        # The served stay carries the rating for the statistics (0: evaluated, not rated);
        # of several cases' ratings, the worst (5 非常不满意 is the highest number).
        rating = level or 0
        session.execute(update(Segment).where(Segment.ticket_id == ticket.id,
                                              Segment.result == "finished")
                        .values(rating=case((Segment.rating.is_(None), rating),
                                            (Segment.rating < rating, rating),
                                            else_=Segment.rating)))
        session.flush()
        hcp.write_outbox(session, evaluation, now)
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


def _rated_case(session: Session, ticket: Ticket, case_no: str | None) -> TicketCase | None:
    """The case a rating is for (None: the ticket as a whole); raises if it was rated."""
    if case_no is None:
        if session.scalar(select(TicketCase.id).where(TicketCase.ticket_id == ticket.id)
                          .limit(1)) is not None:
            raise UsageError(f"{ticket.number} 有办件编号，请按办件逐一评价 (ticket "
                             f"{ticket.number} has case numbers: rate each case)")
        if session.scalar(select(Evaluation.id).where(Evaluation.ticket_id == ticket.id)):
            raise IllegalTransition(f"{ticket.number} 已评价 (ticket {ticket.number} was rated)")
        return None
    the_case = session.scalar(select(TicketCase).where(TicketCase.ticket_id == ticket.id,
                                                       TicketCase.case_no == case_no.strip()))
    if the_case is None:
        raise NotFound(f"{ticket.number} 没有办件 {case_no} (ticket {ticket.number} has no "
                       f"case {case_no!r})")
    if session.scalar(select(Evaluation.id).where(Evaluation.case_id == the_case.id)):
        raise IllegalTransition(f"办件 {the_case.case_no} 已评价 (case {the_case.case_no} "
                                f"was rated)")
    return the_case


def add_comment(db: Database, ticket_id: int, comment: str, phone: str = "", *,
                case_no: str | None = None) -> None:
    """The citizen's reasons and phone number, given on the pad after the rating itself
    was stored (the rating counts even if the citizen walks away before saying why). Once
    per rating: a comment or phone already stored is not overwritten. ``case_no``: the
    rating of that case of the ticket."""
    phone = check_phone(phone)

    def op(session: Session) -> None:
        query = select(Evaluation).where(Evaluation.ticket_id == ticket_id)
        if case_no is None:
            query = query.where(Evaluation.case_id.is_(None))
        else:
            query = query.join(TicketCase, TicketCase.id == Evaluation.case_id).where(
                TicketCase.case_no == case_no.strip())
        evaluation = session.scalar(locking(query))
        if evaluation is None:
            raise NotFound(f"票 {ticket_id} 尚未评价 (ticket {ticket_id} has no evaluation)")
        if evaluation.comment or evaluation.contact_phone:
            raise IllegalTransition(f"评价 {evaluation.id} 已有意见 (evaluation "
                                    f"{evaluation.id} already has a comment)")
        evaluation.comment = comment.strip()[:500]
        evaluation.contact_phone = phone
        hcp.refresh_outbox(session, evaluation)
        feed.touch(session, evaluation.site_id,
                   feed.Change(evaluation.site_id, frozenset({feed.EVALUATION})))

    db.write(op, name="add_evaluation_comment")


@dataclass(frozen=True)
class EvaluationView:
    """One rating as ``hallq-admin evaluation list`` shows it (the phone masked)."""

    id: int
    site: str
    ticket: str
    business_day: dt.date
    service: str
    window: int | None
    clerk: str | None  # login
    level: int | None
    comment: str
    phone: str
    at: dt.datetime
    appeal: str | None
    appeal_reason: str
    follow_up: int | None
    # The rated case (办件) and its item code when it ended; "" for a ticket rated whole.
    case_no: str = ""
    item_code: str = ""
    clerk_name: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "site": self.site, "ticket": self.ticket,
                "case_no": self.case_no, "item_code": self.item_code,
                "business_day": self.business_day.isoformat(), "service": self.service,
                "window": self.window, "clerk": self.clerk, "clerk_login": self.clerk,
                "clerk_name": self.clerk_name, "level": self.level,
                "level_label": LEVELS[self.level] if self.level else NOT_RATED,
                "comment": self.comment, "phone": mask_phone(self.phone),
                "at": self.at.isoformat(), "appeal": self.appeal,
                "appeal_reason": self.appeal_reason, "follow_up": self.follow_up}


def list_evaluations(db: Database, date_from: dt.date, date_to: dt.date, *,
                     site: str | None = None, level: int | None = None,
                     bad_only: bool = False) -> list[EvaluationView]:
    """The ratings of the cases of business days ``date_from``..``date_to``, oldest first."""
    if date_to < date_from:
        raise UsageError(f"结束日期早于开始日期 (the range ends {date_to} before it starts "
                         f"{date_from})")
    if level is not None and level not in LEVELS:
        raise UsageError(f"评价等级无效 (invalid level {level!r}: 1-5)")
    with db.read() as session:
        query = (select(Evaluation, Ticket.number, Ticket.business_day, Site.code,
                        Service.code, Window.number, Clerk.login, FollowUp.id,
                        TicketCase.case_no, TicketCase.item_code, Clerk.display_name)
                 .join(Ticket, Ticket.id == Evaluation.ticket_id)
                 .join(Site, Site.id == Evaluation.site_id)
                 .join(Service, Service.id == Ticket.service_id)
                 .outerjoin(Window, Window.id == Evaluation.window_id)
                 .outerjoin(Clerk, Clerk.id == Evaluation.clerk_id)
                 .outerjoin(FollowUp, FollowUp.evaluation_id == Evaluation.id)
                 .outerjoin(TicketCase, TicketCase.id == Evaluation.case_id)
                 .where(Ticket.business_day >= date_from, Ticket.business_day <= date_to)
                 .order_by(Evaluation.at, Evaluation.id))
        if site is not None:
            query = query.where(Evaluation.site_id == site_by_code(session, site).id)
        if level is not None:
            query = query.where(Evaluation.level == level)
        if bad_only:
            query = query.where(Evaluation.level.in_(sorted(BAD_LEVELS)))
        return [EvaluationView(e.id, site_code, number, day, service, window, login, e.level,
                               e.comment, e.contact_phone, e.at, e.appeal, e.appeal_reason,
                               follow_up, case_no or "", item_code or "", clerk_name)
                for e, number, day, site_code, service, window, login, follow_up, case_no,
                item_code, clerk_name in session.execute(query)]

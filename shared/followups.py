"""Follow-ups of bad ratings on the clock (差评回访与整改), and appeals (申诉).

A bad rating (不满意, 非常不满意) opens a follow-up (shared/evaluations.py). It moves
open -> contacted -> rectified -> closed; each step records who, when and a note, and
closing records the citizen's opinion of the rectification (满意 / 基本满意 / 不满意).
Deadlines count working days of the site's calendar (public holidays skipped, 调休
Saturdays worked) after the business day of the rated case: first contact within
``contact_days`` (default 1), rectification within ``rectify_days`` (default 5), each due
by the end (local midnight) of its last working day. A supervisor may appeal a rating as
malicious or mistaken with a reason: the rating stays in the record, its stay is marked so
the satisfaction figures leave it out, and its follow-up is no longer due.

Every step is one transaction that also appends an event to the site's audit chain.
The definitions of 回访率 and 整改率 are in docs/metrics.md.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, and_, case, false, func, literal, or_, select, update
from sqlalchemy.orm import Session

from shared import audit, feed, vocabulary
from shared.db import Database, locking, server_now
from shared.errors import (
    IllegalTransition,
    NotFound,
    PermissionDenied,
    UsageError,
    refuse_control_characters,
)
from shared.evaluations import LEVELS
from shared.hours import day_type
from shared.lookup import clerk_by_login, site_by_code
from shared.models import (
    Appointment,
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
from shared.timestamps import UTCDateTime

# The states in order; each step moves to the next one.
STATES = tuple(vocabulary.FOLLOW_UP_STATES)
# What the list filters by: a state, or "pending" (every state but closed).
STATUS_FILTERS = (*STATES, "pending")
# Their words, the opinions recorded when closing and the kinds of appeal: the vocabulary's.
OPINIONS = tuple(vocabulary.OPINIONS)
APPEALS = tuple(vocabulary.APPEALS)
EVENT_ACTION = "follow_up"
NOTE_MAX = {"contact": 200, "rectify": 1000, "close": 1000}
REASON_MAX = 500
# Who may record a step or an appeal.
PRIVILEGED_ROLES = ("admin", "supervisor")


@dataclass(frozen=True)
class FollowUpRules:
    """The deadlines in working days of the site's calendar ([followup] in the config)."""

    contact_days: int = 1
    rectify_days: int = 5


# --------------------------------------------------------------------------- deadlines


def working_day_after(calendar: dict[str, Any], day: dt.date, count: int) -> dt.date:
    """The ``count``-th working day after ``day`` (``day`` itself not counted): public
    holidays and weekends are skipped, make-up workdays (调休) count."""
    if count < 0:
        raise ValueError(f"count must be >= 0, got {count}")
    current = day
    for _ in range(count):
        current += dt.timedelta(days=1)
        while day_type(calendar, current) != "workday":
            current += dt.timedelta(days=1)
    return current


def due_at(calendar: dict[str, Any], zone: str, day: dt.date, count: int) -> dt.datetime:
    """When a step counted from the business day ``day`` falls due: local midnight at the
    end of the ``count``-th working day after it, in UTC."""
    last = working_day_after(calendar, day, count) + dt.timedelta(days=1)
    return dt.datetime.combine(last, dt.time(), tzinfo=ZoneInfo(zone)).astimezone(dt.UTC)


def last_day(due: dt.datetime, zone: str) -> dt.date:
    """The last day a deadline of :func:`due_at` covers: the local day ending at ``due``
    (shown "by 2026-12-07", not as the next day's 00:00 nor in UTC)."""
    return (due.astimezone(ZoneInfo(zone)) - dt.timedelta(microseconds=1)).date()


def last_day_past_due(calendar: dict[str, Any], zone: str, now: dt.datetime, count: int
                      ) -> dt.date:
    """The latest business day whose step of ``count`` working days was due by ``now``:
    a step counted from that day or earlier and still not done is overdue. (The due time
    never decreases with the day, so this bounds a range the database can filter on.)"""
    day = now.astimezone(ZoneInfo(zone)).date()
    while due_at(calendar, zone, day, count) > now:
        day -= dt.timedelta(days=1)
    return day


# --------------------------------------------------------------------------- the view


@dataclass(frozen=True)
class FollowUpView:
    id: int
    site: str
    ticket_number: str
    business_day: dt.date
    service: str
    window: int | None
    clerk: str | None
    level: int
    level_label: str
    comment: str
    phone: str  # left on the pad, else the appointment's; "" if neither; whole
    status: str
    created_at: dt.datetime
    contact_due: dt.datetime
    rectify_due: dt.datetime
    contacted_at: dt.datetime | None
    contacted_by: str | None
    contact_result: str
    rectified_at: dt.datetime | None
    rectified_by: str | None
    rectify_note: str
    closed_at: dt.datetime | None
    closed_by: str | None
    note: str
    opinion: str | None
    appeal: str | None
    appeal_reason: str
    appealed_at: dt.datetime | None
    appealed_by: str | None
    # The step now late at the moment the list was read: "contact", "rectify" or None.
    overdue: str | None
    # The case number(s) (办件编号) of the rating: the rated case's, or for a rating of the
    # ticket as a whole the ticket's cases (none when it was finished without one).
    cases: tuple[str, ...] = ()
    timezone: str = "UTC"  # the site's: every time above is shown in it
    clerk_login: str | None = None  # ``clerk`` is the display name

    @property
    def contact_due_day(self) -> dt.date:
        return last_day(self.contact_due, self.timezone)

    @property
    def rectify_due_day(self) -> dt.date:
        return last_day(self.rectify_due, self.timezone)

    @property
    def status_label(self) -> str:
        return vocabulary.follow_up_state_label(self.status)

    def to_json(self, *, whole_phone: bool = False) -> dict[str, Any]:
        """The follow-up for scripts; the phone masked (138****0000) unless
        ``whole_phone`` (only the supervisor's follow-up detail, docs/security.md)."""

        def stamp(value: dt.datetime | None) -> str | None:
            return value.isoformat() if value else None

        return {
            "id": self.id, "site": self.site, "ticket": self.ticket_number,
            "cases": list(self.cases),
            "business_day": self.business_day.isoformat(), "service": self.service,
            "window": self.window, "clerk": self.clerk, "clerk_name": self.clerk,
            "clerk_login": self.clerk_login, "level": self.level,
            "level_label": self.level_label, "comment": self.comment,
            "phone": self.phone if whole_phone else mask_phone(self.phone),
            "status": self.status, "created_at": stamp(self.created_at),
            "contact_due": stamp(self.contact_due), "rectify_due": stamp(self.rectify_due),
            # The last day each deadline covers, in the site's calendar (the due instant
            # is local midnight after it).
            "contact_due_day": self.contact_due_day.isoformat(),
            "rectify_due_day": self.rectify_due_day.isoformat(),
            "contacted_at": stamp(self.contacted_at), "contacted_by": self.contacted_by,
            "contact_result": self.contact_result,
            "rectified_at": stamp(self.rectified_at), "rectified_by": self.rectified_by,
            "rectify_note": self.rectify_note,
            "closed_at": stamp(self.closed_at), "closed_by": self.closed_by,
            "note": self.note, "opinion": self.opinion,
            "appeal": self.appeal, "appeal_reason": self.appeal_reason,
            "appealed_at": stamp(self.appealed_at), "appealed_by": self.appealed_by,
            "overdue": self.overdue,
        }


def _overdue(follow_up: FollowUp, evaluation: Evaluation, contact_due: dt.datetime,
             rectify_due: dt.datetime, now: dt.datetime) -> str | None:
    if evaluation.appeal is not None or follow_up.status == "closed":
        return None
    if follow_up.contacted_at is None and now >= contact_due:
        return "contact"
    if follow_up.rectified_at is None and now >= rectify_due:
        return "rectify"
    return None


def _view(session: Session, follow_up: FollowUp, rules: FollowUpRules, now: dt.datetime,
          site: Site | None = None) -> FollowUpView:
    evaluation = session.get(Evaluation, follow_up.evaluation_id)
    assert evaluation is not None and evaluation.level is not None
    ticket = session.get(Ticket, evaluation.ticket_id)
    assert ticket is not None
    site = site if site is not None and site.id == evaluation.site_id else \
        session.get(Site, evaluation.site_id)
    assert site is not None
    service = session.get(Service, ticket.service_id)
    window = session.get(Window, evaluation.window_id) if evaluation.window_id else None

    def name(clerk_id: int | None) -> str | None:
        clerk = session.get(Clerk, clerk_id) if clerk_id else None
        return clerk.display_name if clerk else None

    phone = evaluation.contact_phone or session.scalar(
        select(Appointment.phone).where(Appointment.ticket_id == ticket.id)) or ""
    calendar = site.calendar or {}
    contact_due = due_at(calendar, site.timezone, ticket.business_day, rules.contact_days)
    rectify_due = due_at(calendar, site.timezone, ticket.business_day, rules.rectify_days)
    if evaluation.case_id is not None:
        cases = tuple(session.scalars(select(TicketCase.case_no)
                                      .where(TicketCase.id == evaluation.case_id)))
    else:
        cases = tuple(session.scalars(select(TicketCase.case_no)
                                      .where(TicketCase.ticket_id == ticket.id)
                                      .order_by(TicketCase.id)))
    appealer = session.scalar(select(Clerk.display_name).where(
        Clerk.login == evaluation.appealed_by)) if evaluation.appealed_by else None
    return FollowUpView(
        id=follow_up.id, site=site.code, ticket_number=ticket.number,
        business_day=ticket.business_day, service=service.name if service else "",
        window=window.number if window else None, clerk=name(evaluation.clerk_id),
        level=evaluation.level, level_label=LEVELS[evaluation.level],
        comment=evaluation.comment, phone=phone, status=follow_up.status,
        created_at=follow_up.created_at, contact_due=contact_due, rectify_due=rectify_due,
        contacted_at=follow_up.contacted_at, contacted_by=name(follow_up.contacted_by_id),
        contact_result=follow_up.contact_result,
        rectified_at=follow_up.rectified_at, rectified_by=name(follow_up.rectified_by_id),
        rectify_note=follow_up.rectify_note,
        closed_at=follow_up.closed_at, closed_by=name(follow_up.closed_by_id),
        note=follow_up.note, opinion=follow_up.opinion,
        appeal=evaluation.appeal, appeal_reason=evaluation.appeal_reason,
        appealed_at=evaluation.appealed_at,
        appealed_by=appealer or (evaluation.appealed_by or None),
        overdue=_overdue(follow_up, evaluation, contact_due, rectify_due, now),
        cases=cases, timezone=site.timezone,
        clerk_login=session.scalar(select(Clerk.login).where(Clerk.id == evaluation.clerk_id))
        if evaluation.clerk_id else None,
    )


# --------------------------------------------------------------------------- reading


def overdue_condition(sites: Iterable[Site], rules: FollowUpRules, now: dt.datetime
                      ) -> ColumnElement[bool]:
    """SQL: the follow-up (joined with its evaluation and ticket) has a step past due at
    ``now`` and not done, and its rating was not appealed."""
    per_site = []
    for site in sites:
        calendar = site.calendar or {}
        contact_by = last_day_past_due(calendar, site.timezone, now, rules.contact_days)
        rectify_by = last_day_past_due(calendar, site.timezone, now, rules.rectify_days)
        per_site.append(and_(Evaluation.site_id == site.id, or_(
            and_(FollowUp.contacted_at.is_(None), Ticket.business_day <= contact_by),
            and_(FollowUp.rectified_at.is_(None), Ticket.business_day <= rectify_by))))
    if not per_site:
        return false()
    return and_(Evaluation.appeal.is_(None), FollowUp.status != "closed", or_(*per_site))


def _check_rules(rules: FollowUpRules) -> None:
    if not 1 <= rules.contact_days <= rules.rectify_days:
        raise UsageError(f"回访期限无效 (follow-up deadlines: contact_days {rules.contact_days} "
                         f"must be at least 1 and at most rectify_days {rules.rectify_days})")


def list_follow_ups(db: Database, *, site: str | None = None, status: str | None = None,
                    overdue: bool = False, rules: FollowUpRules = FollowUpRules()
                    ) -> list[FollowUpView]:
    """Follow-ups of bad ratings, newest first; ``status`` (a state, or "pending": not
    closed) and ``overdue`` (a step past due and not done, not appealed) filter in the
    database."""
    if status is not None and status not in STATUS_FILTERS:
        raise UsageError(f"状态无效 (invalid status {status!r}: {', '.join(STATUS_FILTERS)})")
    _check_rules(rules)
    with db.read() as session:
        now = server_now(session)
        query = (select(FollowUp)
                 .join(Evaluation, Evaluation.id == FollowUp.evaluation_id)
                 .join(Ticket, Ticket.id == Evaluation.ticket_id)
                 .order_by(FollowUp.created_at.desc(), FollowUp.id.desc()))
        sites = list(session.scalars(select(Site).order_by(Site.id)))
        if site is not None:
            chosen = site_by_code(session, site)
            sites = [s for s in sites if s.id == chosen.id]
            query = query.where(Evaluation.site_id == chosen.id)
        if status == "pending":
            query = query.where(FollowUp.status != "closed")
        elif status is not None:
            query = query.where(FollowUp.status == status)
        if overdue:
            query = query.where(overdue_condition(sites, rules, now))
        by_id: dict[int | None, Site] = {s.id: s for s in sites}
        return [_view(session, f, rules, now, by_id.get(_site_of(session, f)))
                for f in session.scalars(query).all()]


def _site_of(session: Session, follow_up: FollowUp) -> int | None:
    return session.scalar(select(Evaluation.site_id)
                          .where(Evaluation.id == follow_up.evaluation_id))


def count_overdue(db: Database, *, site: str | None = None,
                  rules: FollowUpRules = FollowUpRules()) -> int:
    """How many follow-ups have a step past due now (the supervisor's live view)."""
    _check_rules(rules)
    with db.read() as session:
        now = server_now(session)
        sites = site_rows(session, site)
        return int(session.scalar(
            select(func.count()).select_from(FollowUp)
            .join(Evaluation, Evaluation.id == FollowUp.evaluation_id)
            .join(Ticket, Ticket.id == Evaluation.ticket_id)
            .where(overdue_condition(sites, rules, now))) or 0)


def get_follow_up(db: Database, follow_up_id: int, *, rules: FollowUpRules = FollowUpRules()
                  ) -> FollowUpView:
    """One follow-up (the supervisor's detail: its phone is whole in the view)."""
    with db.read() as session:
        follow_up = session.get(FollowUp, follow_up_id)
        if follow_up is None:
            raise NotFound(f"没有回访记录 {follow_up_id} (no follow-up {follow_up_id})")
        return _view(session, follow_up, rules, server_now(session))


# --------------------------------------------------------------------------- the steps


def _supervisor(session: Session, login: str) -> Clerk:
    if not login:
        raise UsageError("回访记录需要办理人 (a follow-up step needs the supervisor's login)")
    clerk = clerk_by_login(session, login)
    if clerk.role not in PRIVILEGED_ROLES or not clerk.active:
        raise PermissionDenied(f"{login} 不是主管或管理员 (clerk {login} is a {clerk.role}: "
                               f"follow-ups and appeals need a supervisor or admin)")
    return clerk


def _note(text: str, step: str, *, required: bool) -> str:
    refuse_control_characters(text, "note", "说明")
    note = text.strip()
    if required and not note:
        raise UsageError(f"请填写说明 (the {step} step needs a note: what was done)")
    limit = NOTE_MAX[step]
    if len(note) > limit:
        raise UsageError(f"说明过长 (the {step} note has {len(note)} characters; at most {limit})")
    return note


def _step(db: Database, follow_up_id: int, name: str, by: str, rules: FollowUpRules,
          change: Any) -> FollowUpView:
    """Lock the follow-up, check and change it, record the event; one transaction."""

    def op(session: Session) -> FollowUpView:
        now = server_now(session)
        clerk = _supervisor(session, by)
        follow_up = session.scalar(locking(select(FollowUp).where(FollowUp.id == follow_up_id)))
        if follow_up is None:
            raise NotFound(f"没有回访记录 {follow_up_id} (no follow-up {follow_up_id})")
        evaluation = session.scalar(locking(select(Evaluation).where(
            Evaluation.id == follow_up.evaluation_id)))
        assert evaluation is not None
        ticket = session.get(Ticket, evaluation.ticket_id)
        assert ticket is not None
        detail = change(session, follow_up, evaluation, ticket, clerk, now)
        session.flush()
        if (via := audit.VIA.get()) is not None:
            detail["via"] = via
        audit.append(session, [audit.event_row(
            evaluation.site_id, EVENT_ACTION, at=now, ticket_id=ticket.id, clerk_id=clerk.id,
            service_id=ticket.service_id,
            detail={"follow_up": follow_up.id, "step": name, **detail})])
        feed.touch(session, evaluation.site_id,
                   feed.Change(evaluation.site_id, frozenset({feed.EVALUATION})))
        return _view(session, follow_up, rules, now)

    return db.write(op, name=f"follow_up_{name}")


def _expect(follow_up: FollowUp, state: str, action_zh: str) -> None:
    if follow_up.status != state:
        raise IllegalTransition(
            f"回访 {follow_up.id} 当前为“{vocabulary.FOLLOW_UP_STATES[follow_up.status]}”，"
            f"不能{action_zh} "
            f"(follow-up {follow_up.id} is {follow_up.status}; this step needs {state})")


def contact(db: Database, follow_up_id: int, *, by: str, note: str,
            rules: FollowUpRules = FollowUpRules()) -> FollowUpView:
    """The first contact with the citizen (电话回访): open -> contacted."""
    text = _note(note, "contact", required=True)

    def change(session: Session, f: FollowUp, e: Evaluation, t: Ticket, clerk: Clerk,
               now: dt.datetime) -> dict[str, Any]:
        _expect(f, "open", "记录回访")
        f.status, f.contacted_at, f.contacted_by_id, f.contact_result = \
            "contacted", now, clerk.id, text
        return {}

    return _step(db, follow_up_id, "contact", by, rules, change)


def rectify(db: Database, follow_up_id: int, *, by: str, note: str,
            rules: FollowUpRules = FollowUpRules()) -> FollowUpView:
    """What was rectified (整改): contacted -> rectified."""
    text = _note(note, "rectify", required=True)

    def change(session: Session, f: FollowUp, e: Evaluation, t: Ticket, clerk: Clerk,
               now: dt.datetime) -> dict[str, Any]:
        _expect(f, "contacted", "记录整改")
        f.status, f.rectified_at, f.rectified_by_id, f.rectify_note = \
            "rectified", now, clerk.id, text
        return {}

    return _step(db, follow_up_id, "rectify", by, rules, change)


def close(db: Database, follow_up_id: int, *, by: str, opinion: str, note: str = "",
          rules: FollowUpRules = FollowUpRules()) -> FollowUpView:
    """The citizen's opinion of the rectification, and the follow-up ends:
    rectified -> closed."""
    if opinion not in OPINIONS:
        raise UsageError(f"群众意见无效 (invalid opinion {opinion!r}: "
                         f"{', '.join(OPINIONS)} = {'/'.join(vocabulary.OPINIONS.values())})")
    text = _note(note, "close", required=False)

    def change(session: Session, f: FollowUp, e: Evaluation, t: Ticket, clerk: Clerk,
               now: dt.datetime) -> dict[str, Any]:
        _expect(f, "rectified", "办结")
        f.status, f.closed_at, f.closed_by_id, f.note, f.opinion = \
            "closed", now, clerk.id, text, opinion
        return {"opinion": opinion}

    return _step(db, follow_up_id, "close", by, rules, change)


def appeal(db: Database, follow_up_id: int, *, by: str, kind: str, reason: str,
           rules: FollowUpRules = FollowUpRules()) -> FollowUpView:
    """申诉: mark the follow-up's rating malicious or mistaken, with a reason. The rating
    stays in the record; its stay leaves the satisfaction figures, and the follow-up is
    no longer due. Once per rating."""
    if kind not in APPEALS:
        raise UsageError(f"申诉类型无效 (invalid appeal {kind!r}: "
                         f"{', '.join(APPEALS)} = {'/'.join(vocabulary.APPEALS.values())})")
    refuse_control_characters(reason, "reason", "申诉理由")
    text = reason.strip()
    if not text:
        raise UsageError("请填写申诉理由 (an appeal needs a reason)")
    if len(text) > REASON_MAX:
        raise UsageError(f"申诉理由过长 (the reason has {len(text)} characters; at most "
                         f"{REASON_MAX})")

    def change(session: Session, f: FollowUp, e: Evaluation, t: Ticket, clerk: Clerk,
               now: dt.datetime) -> dict[str, Any]:
        if e.appeal is not None:
            raise IllegalTransition(f"回访 {f.id} 的评价已申诉 (the rating of follow-up {f.id} "
                                    f"was already appealed as {e.appeal})")
        e.appeal, e.appeal_reason, e.appealed_at, e.appealed_by = kind, text, now, clerk.login
        if e.case_id is None:
            # The stay's one rating: the stay leaves the figures. A case's rating (一次一评)
            # is left out by itself (shared/stats reads the cases' ratings); marking the
            # stay would take its other cases' ratings out with it.
            session.execute(update(Segment).where(Segment.ticket_id == t.id,
                                                  Segment.result == "finished")
                            .values(rating_appealed=True),
                            execution_options={"synchronize_session": False})
        return {"appeal": kind, "evaluation": e.id, "level": e.level}

    return _step(db, follow_up_id, "appeal", by, rules, change)


# --------------------------------------------------------------------------- figures


@dataclass(frozen=True)
class FollowUpFigures:
    """The follow-ups of the bad ratings in a statistics range (docs/metrics.md)."""

    due: int = 0  # follow-ups of ratings not appealed
    contacted: int = 0
    contacted_on_time: int = 0
    rectified: int = 0
    rectified_on_time: int = 0
    closed: int = 0
    overdue: int = 0  # a step past due and not done, now
    appealed: int = 0  # follow-ups whose rating was appealed (out of every other figure)
    opinions: dict[str, int] | None = None  # of the closed ones, by OPINIONS key

    def as_dict(self) -> dict[str, Any]:
        return {"due": self.due, "contacted": self.contacted,
                "contacted_on_time": self.contacted_on_time, "rectified": self.rectified,
                "rectified_on_time": self.rectified_on_time, "closed": self.closed,
                "overdue": self.overdue, "appealed": self.appealed,
                "opinions": {k: (self.opinions or {}).get(k, 0) for k in OPINIONS}}


def _due_case(pairs: dict[tuple[int, dt.date], dt.datetime], site_column: Any,
              day_column: Any) -> ColumnElement[Any]:
    """SQL: the due time of the row's (site, business day), from the few pairs in scope
    (computed from the calendars, which SQL does not know)."""
    if not pairs:
        return literal(None, UTCDateTime())
    return case(*[(and_(site_column == site_id, day_column == day),
                   literal(due, UTCDateTime())) for (site_id, day), due in pairs.items()],
                else_=None)


def deadlines(pairs: Iterable[tuple[int, dt.date]], sites: Iterable[Site],
              rules: FollowUpRules, site_column: Any = None, day_column: Any = None
              ) -> tuple[ColumnElement[Any], ColumnElement[Any]]:
    """SQL: the contact and rectification deadlines of a follow-up, as CASEs over the
    distinct (site id, business day) ``pairs`` of the rated cases in scope; ``site_column``
    and ``day_column`` (by default the evaluation's site and the ticket's business day)
    are what the query joins them by."""
    by_id = {s.id: s for s in sites}
    contact_dues, rectify_dues = {}, {}
    for site_id, day in pairs:
        site = by_id.get(site_id)
        if site is None:
            continue
        calendar = site.calendar or {}
        contact_dues[(site_id, day)] = due_at(calendar, site.timezone, day, rules.contact_days)
        rectify_dues[(site_id, day)] = due_at(calendar, site.timezone, day, rules.rectify_days)
    site_column = Evaluation.site_id if site_column is None else site_column
    day_column = Ticket.business_day if day_column is None else day_column
    return (_due_case(contact_dues, site_column, day_column),
            _due_case(rectify_dues, site_column, day_column))


def on_time_condition(contact_due: ColumnElement[Any], rectify_due: ColumnElement[Any]
                      ) -> ColumnElement[bool]:
    """SQL: the follow-up was handled on time (按时回访整改): first contact before the
    contact deadline and rectification before the rectification deadline."""
    return and_(FollowUp.contacted_at < contact_due, FollowUp.rectified_at < rectify_due)


def figures(session: Session, in_scope: ColumnElement[bool], sites: list[Site],
            rules: FollowUpRules) -> FollowUpFigures:
    """回访率 / 整改率 and their parts for the follow-ups whose evaluation matches
    ``in_scope`` (a condition on Evaluation, e.g. its stay in the statistics' range),
    counted by the database."""
    base = (select(Evaluation.site_id, Ticket.business_day)
            .select_from(FollowUp)
            .join(Evaluation, Evaluation.id == FollowUp.evaluation_id)
            .join(Ticket, Ticket.id == Evaluation.ticket_id)
            .where(in_scope))
    pairs = session.execute(base.distinct()).all()
    if not pairs:
        return FollowUpFigures(opinions=dict.fromkeys(OPINIONS, 0))
    contact_due, rectify_due = deadlines(pairs, sites, rules)
    now = literal(server_now(session), UTCDateTime())
    kept = Evaluation.appeal.is_(None)

    def count(condition: ColumnElement[bool]) -> Any:
        return func.sum(case((condition, 1), else_=0))

    row = session.execute(
        select(count(kept).label("due"),
               count(and_(kept, FollowUp.contacted_at.is_not(None))).label("contacted"),
               count(and_(kept, FollowUp.contacted_at < contact_due)).label("contacted_on_time"),
               count(and_(kept, FollowUp.rectified_at.is_not(None))).label("rectified"),
               count(and_(kept, FollowUp.rectified_at < rectify_due)).label("rectified_on_time"),
               count(and_(kept, FollowUp.status == "closed")).label("closed"),
               count(and_(kept, FollowUp.status != "closed",
                          or_(and_(FollowUp.contacted_at.is_(None), contact_due <= now),
                              and_(FollowUp.rectified_at.is_(None),
                                   rectify_due <= now)))).label("overdue"),
               count(~kept).label("appealed"),
               *[count(and_(kept, FollowUp.opinion == key)).label(f"op_{key}")
                 for key in OPINIONS])
        .select_from(FollowUp)
        .join(Evaluation, Evaluation.id == FollowUp.evaluation_id)
        .join(Ticket, Ticket.id == Evaluation.ticket_id)
        .where(in_scope)).one()

    def n(name: str) -> int:
        value = getattr(row, name)
        return int(value) if value is not None else 0

    return FollowUpFigures(
        due=n("due"), contacted=n("contacted"), contacted_on_time=n("contacted_on_time"),
        rectified=n("rectified"), rectified_on_time=n("rectified_on_time"),
        closed=n("closed"), overdue=n("overdue"), appealed=n("appealed"),
        opinions={key: n(f"op_{key}") for key in OPINIONS})


def site_rows(session: Session, site: str | None) -> list[Site]:
    if site is None:
        return list(session.scalars(select(Site).order_by(Site.id)))
    return [site_by_code(session, site)]

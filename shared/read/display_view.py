"""Read-only questions the hall display asks: which site it shows and the calls just made.

The display learns *that* something changed from the change feed and then asks
:func:`recent_calls` *what*: the newest call and recall events of its own site today,
each with its event id so the display announces every call exactly once however often
it re-reads. The number waiting per service comes from :func:`shared.read.hall_state.queue_overview`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from sqlalchemy import bindparam, select

from shared.announce import call_text
from shared.db import Database
from shared.errors import UsageError
from shared.feed import Change
from shared.hours import business_day
from shared.models import Service, Ticket, TicketEvent, Window
from shared.read.site import site_and_clock
from shared.states import Action

#: Upper bound for :func:`recent_calls`; a display never needs more than a screenful.
MAX_RECENT_CALLS = 200

_CALL_ACTIONS = (Action.CALL.value, Action.RECALL.value)


@dataclass(frozen=True)
class RecentCall:
    """One call or recall of a ticket to a window, as the hall display shows it."""

    event_id: int
    ticket_id: int
    number: str
    window: int
    service_name: str
    recall: bool
    at: dt.datetime  # server time, UTC
    age_seconds: float  # how long before the query the call was made (server clock)

    @property
    def text(self) -> str:
        """The sentence shown and spoken: 请 A017 号到 3 号窗口办理."""
        return call_text(self.number, self.window)


# The call and recall events of a site since the start of its business day, newest first.
_RECENT_CALLS = (
    select(TicketEvent.id, TicketEvent.ticket_id, TicketEvent.action, TicketEvent.at,
           Ticket.number, Window.number.label("window"), Service.name)
    .join(Ticket, Ticket.id == TicketEvent.ticket_id)
    .join(Window, Window.id == TicketEvent.window_id)
    .join(Service, Service.id == TicketEvent.service_id)
    .where(TicketEvent.site_id == bindparam("site_id"), TicketEvent.at >= bindparam("since"),
           TicketEvent.action.in_(_CALL_ACTIONS), Ticket.business_day == bindparam("day"))
    .order_by(TicketEvent.at.desc(), TicketEvent.id.desc()))


def recent_calls(db: Database, site: str | None = None, limit: int = 10) -> list[RecentCall]:
    """The newest ``limit`` call and recall events of the site's current business day,
    newest first. A recall is an event of its own, so a recalled ticket appears again."""
    if isinstance(limit, bool) or not isinstance(limit, int) or not 1 <= limit <= MAX_RECENT_CALLS:
        raise UsageError(f"条数 {limit!r} 无效：须为 1 到 {MAX_RECENT_CALLS} 的整数 "
                         f"(limit {limit!r} is not valid: expected a whole number from 1 to "
                         f"{MAX_RECENT_CALLS})")
    with db.snapshot() as session:
        site_row, now = site_and_clock(session, site)
        day = business_day(now, site_row.timezone)
        # Bounding `at` lets the (site_id, at) index do the work on a long day's log.
        day_start = dt.datetime.combine(day, dt.time(), ZoneInfo(site_row.timezone))
        rows = session.execute(_RECENT_CALLS.limit(limit), {
            "site_id": site_row.id, "since": day_start.astimezone(dt.UTC), "day": day}).all()
        return [
            RecentCall(event_id=row.id, ticket_id=row.ticket_id, number=row.number,
                       window=row.window, service_name=row.name,
                       recall=row.action == Action.RECALL.value, at=row.at,
                       age_seconds=max(0.0, (now - row.at).total_seconds()))
            for row in rows
        ]


# What changes the hall display's calls or its waiting counts.
DISPLAY_KINDS = frozenset(a.value for a in (
    Action.ISSUE, Action.CALL, Action.RECALL, Action.NO_SHOW, Action.REINSTATE,
    Action.TRANSFER, Action.CANCEL, Action.EXPIRE))
CALL_KINDS = frozenset(_CALL_ACTIONS)


# A change of the display's counts alone: what its re-read of them, held back by the
# throttle of its counts (shared.feed.Throttle), stands for.
COUNTS_ONLY = Change(0, frozenset({Action.ISSUE.value}))


def concerns_display(change: Change) -> bool:
    """Whether the hall display shows something ``change`` changed: calls and counts."""
    return change.everything or not change.kinds.isdisjoint(DISPLAY_KINDS)


def concerns_calls(change: Change) -> bool:
    """Whether ``change`` may have made a call the display has not shown yet."""
    return change.everything or not change.kinds.isdisjoint(CALL_KINDS)

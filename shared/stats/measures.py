"""The measures of the stays, recomputed in SQL from what the segment rows record.

The queue operations keep ``segment.wait_us``, ``service_us``, ``local_hour``,
``weekday``, ``department_id`` and ``rating`` as stays move (shared/operation.py,
shared/evaluations.py). :func:`backfill_measures` computes the same values set-wise from
the timestamps, results and evaluations: migration 0003 runs it for history written
before the measures existed, and a test checks that both ways agree.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, and_, case, exists, func, or_, select, update
from sqlalchemy.orm import Session

from shared.models import Evaluation, Segment, Service, Site, TicketEvent
from shared.stats.sql import DurationMicros, Weekday, local_hour, offset_periods, seconds


def service_seconds() -> ColumnElement[Any]:
    """A stay's service time, in seconds: the one definition, the measure
    ``segment.service_us`` that shared/operation.py stores when a started stay ends
    finished or transferred (start to end). The statistics, the staffing plan, the wait
    prediction and the counter's figures of the day all read it; NULL for a stay without."""
    return seconds(Segment.service_us)


def handed_on_while_called() -> ColumnElement[bool]:
    """The stay ended by a transfer of its ticket in state ``called``: its call led to
    the hand-over. The stay's ``called_at`` alone cannot tell: a no-show who was
    reinstated keeps the missed call's time while waiting again, and a transfer from
    there is no call that led anywhere. The transfer event has the stay's end time."""
    return and_(Segment.result == "transferred",
                exists().where(TicketEvent.ticket_id == Segment.ticket_id,
                               TicketEvent.action == "transfer",
                               TicketEvent.from_state == "called",
                               TicketEvent.at == Segment.ended_at))


def recompute_handover_waits(session: Session) -> None:
    """Recompute the wait of every stay that ended transferred without being started
    (migration 0006: earlier versions gave one to a reinstated no-show transferred while
    waiting, charged to the window and clerk of the call it missed)."""
    session.execute(
        update(Segment)
        .where(Segment.result == "transferred", Segment.started_at.is_(None))
        .values(wait_us=case((handed_on_while_called(),
                              DurationMicros(Segment.called_at, Segment.queued_at)))),
        execution_options={"synchronize_session": False})


def backfill_measures(session: Session, site_ids: Sequence[int] | None = None) -> None:
    """Recompute every measure of the stays of ``site_ids`` (all sites when None)."""
    scope = [Segment.site_id.in_(list(site_ids))] if site_ids is not None else []
    # Before the end of day kept a no-show's result, it closed such stays as 'expired';
    # the expire event still says the ticket came from no-show.
    session.execute(
        update(Segment)
        .where(*scope, Segment.result == "expired",
               exists().where(TicketEvent.ticket_id == Segment.ticket_id,
                              TicketEvent.action == "expire",
                              TicketEvent.from_state == "no_show"))
        .values(result="no_show"),
        execution_options={"synchronize_session": False})
    reached_window = or_(Segment.started_at.is_not(None), handed_on_while_called())
    service_done = and_(Segment.started_at.is_not(None),
                        Segment.result.in_(("finished", "transferred")))
    rating = (select(func.max(func.coalesce(Evaluation.level, 0)))
              .where(Evaluation.ticket_id == Segment.ticket_id).scalar_subquery())
    department = (select(Service.department_id).where(Service.id == Segment.service_id)
                  .scalar_subquery())
    session.execute(
        update(Segment).where(*scope).values(
            wait_us=case((reached_window, DurationMicros(Segment.called_at, Segment.queued_at))),
            service_us=case((service_done, DurationMicros(Segment.ended_at, Segment.started_at))),
            weekday=Weekday(Segment.business_day),
            department_id=department,
            rating=case((Segment.result == "finished", rating)),
        ),
        execution_options={"synchronize_session": False})
    sites = session.execute(select(Site.id, Site.timezone)
                            .where(*([Site.id.in_(list(site_ids))] if site_ids is not None
                                     else []))).all()
    for site_id, zone in sites:
        first, last = session.execute(select(func.min(Segment.queued_at),
                                             func.max(Segment.queued_at))
                                      .where(Segment.site_id == site_id)).one()
        if first is None:
            continue
        periods = offset_periods(zone, first - dt.timedelta(days=1), last + dt.timedelta(days=1))
        session.execute(
            update(Segment).where(Segment.site_id == site_id)
            .values(local_hour=local_hour(Segment.queued_at, periods)),
            execution_options={"synchronize_session": False})

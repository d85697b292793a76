"""How accurate the shown wait estimates were, per business day and service.

Every ticket keeps the estimate it was shown at issue (``ticket.estimate_*``, see
:mod:`shared.prediction`). Its actual wait is the wait of its first stay, as
docs/metrics.md defines waiting time (call - arrival, for a stay whose call led to
service). Tickets whose first stay has no measured wait (cancelled, no-show, still
waiting) are left out, as are tickets without an estimate. For each group:

- **MAE**: mean of |actual wait - point estimate|, in minutes;
- **coverage**: share of tickets whose actual wait lies inside the shown range (bounds
  included);
- **mean width**: mean of (high - low), in minutes.

The supervisor's tab and bench/wait_prediction.py both call :func:`estimate_accuracy`;
:func:`accuracy_of` is the same definition over pairs the bench measures for the
estimates it only computes (today's rate estimate, the naive rule), and a test checks
the two agree.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import BigInteger, Float, Select, and_, case, cast, func, literal, select

from shared.db import Database
from shared.lookup import site_by_code
from shared.models import Segment, Service, Ticket

MICROS_PER_MINUTE = 60_000_000


@dataclass(frozen=True)
class EstimateAccuracy:
    """The accuracy of the shown estimates of one group (a day and service, or all)."""

    day: dt.date | None  # None: the whole range
    service: str | None  # service code; None: every service
    service_name: str
    tickets: int
    mae_minutes: float | None
    coverage: float | None  # 0..1
    mean_width_minutes: float | None


@dataclass(frozen=True)
class EstimateSample:
    """One ticket's estimate and actual wait, in minutes (for :func:`accuracy_of`)."""

    actual: float
    point: float
    low: float
    high: float


def accuracy_of(samples: Iterable[EstimateSample]) -> tuple[int, float | None, float | None,
                                                             float | None]:
    """(count, MAE, coverage, mean width) of ``samples``, as :func:`estimate_accuracy`
    computes them in SQL."""
    rows = list(samples)
    if not rows:
        return 0, None, None, None
    n = len(rows)
    return (n, sum(abs(r.actual - r.point) for r in rows) / n,
            sum(1 for r in rows if r.low <= r.actual <= r.high) / n,
            sum(r.high - r.low for r in rows) / n)


def estimate_accuracy(db: Database, start: dt.date, end: dt.date, *, site: str | None = None
                      ) -> list[EstimateAccuracy]:
    """Per business day and service (in day, then service order), then one row per day
    for all services, then one for the whole range: the accuracy of the estimates shown
    from ``start`` to ``end`` (inclusive) at a site."""
    if end < start:
        raise ValueError(f"the range ends ({end}) before it starts ({start})")
    with db.read() as session:
        site_row = site_by_code(session, site)
        wait_minutes = cast(Segment.wait_us, Float) / literal(float(MICROS_PER_MINUTE), Float)
        # Compared in microseconds, as 64-bit integers (the columns are small integers).
        per_minute = literal(MICROS_PER_MINUTE, BigInteger)
        low = cast(Ticket.estimate_low_minutes, BigInteger)
        high = cast(Ticket.estimate_high_minutes, BigInteger)
        measures = (
            func.count(),
            func.avg(func.abs(wait_minutes - Ticket.estimate_minutes)),
            func.avg(case((and_(Segment.wait_us >= low * per_minute,
                                Segment.wait_us <= high * per_minute), 1.0), else_=0.0)),
            func.avg(cast(high - low, Float)),
        )
        def query(*columns: Any) -> Select[Any]:
            # The first stay: the only one opened before any transfer.
            return (select(*columns, *measures).select_from(Ticket)
                    .join(Segment, and_(Segment.ticket_id == Ticket.id,
                                        Segment.transferred.is_(False)))
                    .join(Service, Service.id == Ticket.issued_service_id)
                    .where(Ticket.site_id == site_row.id, Ticket.business_day >= start,
                           Ticket.business_day <= end, Ticket.estimate_minutes.is_not(None),
                           Segment.wait_us.is_not(None)))

        by_service = session.execute(
            query(Ticket.business_day, Service.code, Service.name)
            .group_by(Ticket.business_day, Service.code, Service.name, Service.sort_order)
            .order_by(Ticket.business_day, Service.sort_order, Service.code)).all()
        by_day = session.execute(
            query(Ticket.business_day).group_by(Ticket.business_day)
            .order_by(Ticket.business_day)).all()
        overall = session.execute(query()).one()

    def row(day: dt.date | None, code: str | None, name: str, values: tuple[Any, ...]
            ) -> EstimateAccuracy:
        count, mae, coverage, width = values
        return EstimateAccuracy(day, code, name, int(count or 0), _float(mae),
                                _float(coverage), _float(width))

    result = [row(r[0], r[1], r[2], tuple(r[3:])) for r in by_service]
    result += [row(r[0], None, "全部业务", tuple(r[1:])) for r in by_day]
    result.append(row(None, None, "全部业务", tuple(overall)))
    return result


def _float(value: object) -> float | None:
    return float(value) if value is not None else None  # type: ignore[arg-type]

"""What the statistics return: plain frozen dataclasses, detached from any session.

Durations are exact integer microseconds (as the database computed them); the properties
turn them into minutes for people. Shares are ``None`` when their denominator is zero,
never 0 %, so an empty period does not look like a bad one.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from shared.errors import UsageError
from shared.followups import FollowUpFigures
from shared.states import Outcome, TicketKind

MAX_RANGE_DAYS = 3 * 366
DIMENSIONS = ("service", "department", "window", "clerk", "hour", "weekday")
OUTCOMES = tuple(o.value for o in Outcome)
BAD_LEVELS = (4, 5)  # 不满意, 非常不满意: each is followed up (差评)


def share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


@dataclass(frozen=True)
class StatsFilter:
    """A date range (business days, both ends included), a site (None: every site) and
    optional filters; an empty tuple means no filter on that field."""

    date_from: dt.date
    date_to: dt.date
    site: str | None = None
    services: tuple[str, ...] = ()
    departments: tuple[str, ...] = ()
    windows: tuple[int, ...] = ()
    clerks: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.date_to < self.date_from:
            raise UsageError(f"结束日期早于开始日期 (--to {self.date_to} is before --from "
                             f"{self.date_from})")
        if (self.date_to - self.date_from).days >= MAX_RANGE_DAYS:
            raise UsageError(f"日期范围过长，最多 {MAX_RANGE_DAYS} 天 (the range {self.date_from}"
                             f"..{self.date_to} is longer than {MAX_RANGE_DAYS} days)")
        if self.windows and not self.site:
            raise UsageError("按窗口筛选需要指定站点 (a window filter needs --site: window "
                             "numbers are per site)")
        bad = [k for k in self.kinds if k not in {t.value for t in TicketKind}]
        if bad:
            raise UsageError(f"票类型无效 (invalid kind {bad[0]!r}: "
                             f"{', '.join(t.value for t in TicketKind)})")

    def to_json(self) -> dict[str, Any]:
        return {"from": self.date_from.isoformat(), "to": self.date_to.isoformat(),
                "site": self.site, "services": list(self.services),
                "departments": list(self.departments), "windows": list(self.windows),
                "clerks": list(self.clerks), "kinds": list(self.kinds)}


@dataclass(frozen=True)
class Durations:
    """Count, sum and nearest-rank median / 90th percentile / maximum, in microseconds."""

    count: int = 0
    total_us: int = 0
    median_us: int | None = None
    p90_us: int | None = None
    max_us: int | None = None

    @property
    def mean_minutes(self) -> float | None:
        return self.total_us / self.count / 60e6 if self.count else None

    @staticmethod
    def minutes(micros: int | None) -> float | None:
        return micros / 60e6 if micros is not None else None

    @property
    def mean_seconds(self) -> float | None:
        return self.total_us / self.count / 1e6 if self.count else None

    @staticmethod
    def seconds(micros: int | None) -> float | None:
        """Microseconds as seconds, every digit kept (300500000 -> 300.5)."""
        return micros / 1e6 if micros is not None else None

    def to_json(self) -> dict[str, Any]:
        """Seconds with their full precision (docs/cli.md): the exact sum, the mean of
        the exact sum, the nearest-rank median and P90 (whole seconds), the exact max."""
        return {"count": self.count, "total_seconds": self.total_us / 1e6,
                "mean_seconds": self.mean_seconds,
                "median_seconds": self.seconds(self.median_us),
                "p90_seconds": self.seconds(self.p90_us),
                "max_seconds": self.seconds(self.max_us)}


def _round(value: float | None, digits: int = 2) -> float | None:
    return round(value, digits) if value is not None else None


@dataclass(frozen=True)
class BreakdownRow:
    """The numbers of one group (a service, a window, an hour...) or of the whole range."""

    key: str
    label: str
    issued: int = 0
    transferred_in: int = 0
    served: int = 0
    transferred_out: int = 0
    no_show: int = 0
    cancelled: int = 0
    expired: int = 0
    in_progress: int = 0
    wait: Durations = field(default_factory=Durations)
    within_target: int = 0
    service: Durations = field(default_factory=Durations)
    outcomes: dict[str, int] = field(default_factory=dict)
    rated: int = 0
    satisfied: int = 0
    levels: dict[int, int] = field(default_factory=dict)  # 1 (非常满意) .. 5, rated stays
    not_rated: int = 0  # 未评价: evaluated, the rating saved empty
    never_rated: int = 0  # 未参评: called for, never evaluated
    # 应评价: the ratings the served stays called for, one per case (办件) the stay's
    # ticket ended, one for a stay without cases (docs/metrics.md)
    evaluable: int = 0
    appealed: int = 0  # ratings appealed (申诉): in no level
    follow_ups_open: int = 0
    follow_ups_closed: int = 0
    # contacted and rectified within their working-day deadlines (docs/metrics.md)
    follow_ups_on_time: int = 0

    @property
    def arrivals(self) -> int:
        return self.issued + self.transferred_in

    @property
    def service_level(self) -> float | None:
        return share(self.within_target, self.wait.count)

    @property
    def one_visit_share(self) -> float | None:
        return share(self.outcomes.get(Outcome.COMPLETED.value, 0), self.served)

    @property
    def satisfaction_rate(self) -> float | None:
        return share(self.satisfied, self.rated)

    @property
    def coverage(self) -> float | None:
        return share(self.rated, self.evaluable)

    @property
    def bad_ratings(self) -> int:
        return sum(self.levels.get(level, 0) for level in BAD_LEVELS)

    @property
    def follow_ups(self) -> int:
        return self.follow_ups_open + self.follow_ups_closed

    @property
    def follow_up_on_time_share(self) -> float | None:
        return share(self.follow_ups_on_time, self.follow_ups)

    def to_json(self) -> dict[str, Any]:
        return {
            "key": self.key, "label": self.label, "issued": self.issued,
            "transferred_in": self.transferred_in, "served": self.served,
            "transferred_out": self.transferred_out, "no_show": self.no_show,
            "cancelled": self.cancelled, "expired": self.expired,
            "in_progress": self.in_progress, "wait": self.wait.to_json(),
            "within_target": self.within_target,
            "service_level": _round(self.service_level, 4),
            "service_time": self.service.to_json(),
            "outcomes": {o: self.outcomes.get(o, 0) for o in OUTCOMES},
            "one_visit_share": _round(self.one_visit_share, 4),
            "rated": self.rated, "satisfied": self.satisfied,
            "satisfaction_rate": _round(self.satisfaction_rate, 4),
            "levels": {str(k): self.levels.get(k, 0) for k in range(1, 6)},
            "not_rated": self.not_rated, "never_rated": self.never_rated,
            "evaluable": self.evaluable, "appealed": self.appealed,
            "coverage": _round(self.coverage, 4),
            "follow_ups_open": self.follow_ups_open,
            "follow_ups_closed": self.follow_ups_closed,
            "follow_ups_on_time": self.follow_ups_on_time,
        }


@dataclass(frozen=True)
class Satisfaction:
    """好差评 over the finished stays of the range; levels 1 (非常满意) .. 5 (非常不满意)."""

    levels: dict[int, int]
    not_rated: int  # 未评价: an evaluation saved without a level
    served: int
    # Follow-ups of ratings not appealed: not yet closed / closed.
    follow_ups_open: int
    follow_ups_closed: int
    never_rated: int = 0  # 未参评: served stays whose ticket has no evaluation at all
    follow_ups_on_time: int = 0
    # Ratings appealed (申诉) as malicious or mistaken: kept, out of every level above.
    appealed: int = 0
    # 回访率 / 整改率 and their parts (docs/metrics.md).
    follow_up: FollowUpFigures = field(default_factory=FollowUpFigures)
    # 应评价: ratings called for, one per case (one per served stay without cases).
    evaluable: int = 0

    @property
    def contact_rate(self) -> float | None:
        """回访率: follow-ups contacted / follow-ups due."""
        return share(self.follow_up.contacted, self.follow_up.due)

    @property
    def rectify_rate(self) -> float | None:
        """整改率: follow-ups rectified / follow-ups due."""
        return share(self.follow_up.rectified, self.follow_up.due)

    @property
    def rated(self) -> int:
        return sum(self.levels.values())

    @property
    def satisfied(self) -> int:
        return self.levels.get(1, 0) + self.levels.get(2, 0)

    @property
    def rate(self) -> float | None:
        return share(self.satisfied, self.rated)

    @property
    def coverage(self) -> float | None:
        return share(self.rated, self.evaluable)

    def to_json(self) -> dict[str, Any]:
        return {"levels": {str(k): self.levels.get(k, 0) for k in range(1, 6)},
                "not_rated": self.not_rated, "never_rated": self.never_rated,
                "evaluable": self.evaluable, "rated": self.rated,
                "satisfied": self.satisfied, "rate": _round(self.rate, 4),
                "coverage": _round(self.coverage, 4),
                "follow_ups_open": self.follow_ups_open,
                "follow_ups_closed": self.follow_ups_closed,
                "follow_ups_on_time": self.follow_ups_on_time, "appealed": self.appealed,
                "follow_up": {**self.follow_up.as_dict(),
                              "contact_rate": _round(self.contact_rate, 4),
                              "rectify_rate": _round(self.rectify_rate, 4)}}


@dataclass(frozen=True)
class Statistics:
    """Everything one statistics request computed (docs/metrics.md defines each number)."""

    filters: StatsFilter
    site_name: str
    timezone: str
    generated_at: dt.datetime
    total: BreakdownRow
    breakdowns: dict[str, list[BreakdownRow]]
    heatmap: list[list[int]]  # [weekday 0=Mon..6][hour 0..23] tickets issued
    satisfaction: Satisfaction

    def to_json(self) -> dict[str, Any]:
        return {
            "filters": self.filters.to_json(), "site_name": self.site_name,
            "timezone": self.timezone, "generated_at": self.generated_at.isoformat(),
            "total": self.total.to_json(),
            "breakdowns": {name: [r.to_json() for r in rows]
                           for name, rows in self.breakdowns.items()},
            "heatmap": self.heatmap, "satisfaction": self.satisfaction.to_json(),
        }

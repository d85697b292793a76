"""The monthly bulletin (月度通报): the GB/T 32169.4 indicators per window, department and
clerk for one calendar month, the ranking of the windows and the windows called in for a
talk (约谈) after two months in a row in the bottom group.

Every figure is one of :func:`shared.stats.compute_statistics` (computed in SQL, defined
in docs/metrics.md); this module only picks the month and the previous one and orders
the windows by the rule of docs/metrics.md ("Monthly bulletin"). No Qt here.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from shared.db import Database
from shared.errors import UsageError
from shared.followups import FollowUpRules
from shared.stats.compute import compute_statistics
from shared.stats.views import BreakdownRow, Statistics, StatsFilter

BOTTOM_SHARE_PERCENT = 20  # the bottom group: the last 20 % of the ranked windows (rounded up), at least 1
_MONTH = re.compile(r"([0-9]{4})-([0-9]{2})")
FIRST_MONTH = dt.date(2000, 1, 1)  # no hall kept records before; and its month before exists


def parse_month(text: str, *, today: dt.date | None = None, name: str = "--month") -> dt.date:
    """``2026-03`` (strictly YYYY-MM) as the first day of that month, from 2000-01 on; with
    ``today``, a month that has not begun by then is refused too. Raises UsageError
    naming ``name`` and the range."""
    match = _MONTH.fullmatch(text)
    latest = f"{today:%Y-%m}" if today is not None else "9999-12"
    if match is None or not 1 <= int(match.group(2)) <= 12:
        raise UsageError(f"{name} {text!r} 的格式应为 YYYY-MM，例如 2026-03 ({name}: {text!r} is "
                         f"not a month written YYYY-MM, like 2026-03)")
    year, number = int(match.group(1)), int(match.group(2))
    if (year, number) < (FIRST_MONTH.year, FIRST_MONTH.month) or \
            (today is not None and (year, number) > (today.year, today.month)):
        raise UsageError(f"{name} 须在 2000-01 到 {latest} 之间 ({name}: {text} is not between "
                         f"2000-01 and {latest}"
                         + (", the month that has begun last)" if today is not None else ")"))
    return dt.date(year, number, 1)


def month_range(first: dt.date) -> tuple[dt.date, dt.date]:
    """The first and last day of the month starting on ``first``."""
    if first.month == 12:
        return first, first.replace(day=31)
    return first, first.replace(month=first.month + 1) - dt.timedelta(days=1)


def previous_month(first: dt.date) -> dt.date:
    return (first - dt.timedelta(days=1)).replace(day=1)


def _sort_key(row: BreakdownRow) -> tuple[float, float, float]:
    """Better first: higher satisfaction rate, higher one-visit share, shorter mean
    wait; a figure without a value (no ratings, nothing measured) counts as the worst."""
    rate, one_visit, wait = row.satisfaction_rate, row.one_visit_share, row.wait.mean_seconds
    return (-rate if rate is not None else 1.0, -one_visit if one_visit is not None else 1.0,
            wait if wait is not None else float("inf"))


@dataclass(frozen=True)
class WindowRank:
    """One window of the month: its figures, its rank (None: served nobody, not ranked)
    and whether it is in the bottom group this month and the month before."""

    row: BreakdownRow
    rank: int | None
    bottom: bool
    bottom_last_month: bool

    @property
    def talk(self) -> bool:
        """约谈: in the bottom group two months in a row."""
        return self.bottom and self.bottom_last_month

    def to_json(self) -> dict[str, Any]:
        return {"window": self.row.key, "label": self.row.label, "rank": self.rank,
                "bottom": self.bottom, "bottom_last_month": self.bottom_last_month,
                "talk": self.talk}


def rank_windows(rows: list[BreakdownRow]) -> tuple[list[tuple[BreakdownRow, int | None]],
                                                     set[str]]:
    """The windows in ranking order with their rank (equal figures share a rank, the
    next rank skips: 1, 2, 2, 4), unranked windows last; and the keys of the bottom
    group: windows any of whose tied positions fall in the last 20 % (rounded up) of the ranked."""
    ranked = sorted((r for r in rows if r.served > 0), key=lambda r: (_sort_key(r), r.key))
    unranked = sorted((r for r in rows if r.served == 0), key=lambda r: r.key)
    n = len(ranked)
    bottom_size = max(1, -(-n * BOTTOM_SHARE_PERCENT // 100)) if n else 0
    result: list[tuple[BreakdownRow, int | None]] = []
    bottom: set[str] = set()
    position = 0
    while position < n:
        tied = [r for r in ranked[position:] if _sort_key(r) == _sort_key(ranked[position])]
        last_position = position + len(tied)  # 1-based position of the tie's last window
        for row in tied:
            result.append((row, position + 1))
            if last_position > n - bottom_size:
                bottom.add(row.key)
        position = last_position
    result += [(row, None) for row in unranked]
    return result, bottom


@dataclass(frozen=True)
class MonthlyBulletin:
    month: dt.date  # the first day
    stats: Statistics  # the month's statistics (breakdowns by window, department, clerk)
    windows: list[WindowRank]  # ranking order; unranked windows last
    rules: FollowUpRules = field(default_factory=FollowUpRules)  # "on time" counted by these

    @property
    def talks(self) -> list[WindowRank]:
        return [w for w in self.windows if w.talk]

    def to_json(self) -> dict[str, Any]:
        return {"month": self.month.strftime("%Y-%m"), "ranking": [w.to_json()
                                                                  for w in self.windows],
                "statistics": self.stats.to_json()}


def monthly_bulletin(db: Database, month: dt.date, site: str | None = None, *,
                     rules: FollowUpRules | None = None) -> MonthlyBulletin:
    """The bulletin of the month starting on ``month`` (every site when ``site`` is None;
    window numbers are then per site, keyed ``site:number``); ``rules``: the follow-ups'
    working-day deadlines ([followup] in the config) that "on time" counts by."""
    first, last = month_range(month.replace(day=1))
    stats = compute_statistics(db, StatsFilter(first, last, site=site), follow_up_rules=rules)
    before_first, before_last = month_range(previous_month(first))
    before = compute_statistics(db, StatsFilter(before_first, before_last, site=site),
                                follow_up_rules=rules)
    _, bottom_before = rank_windows(before.breakdowns["window"])
    ordered, bottom = rank_windows(stats.breakdowns["window"])
    windows = [WindowRank(row, rank, row.key in bottom, row.key in bottom_before)
               for row, rank in ordered]
    return MonthlyBulletin(first, stats, windows, rules or FollowUpRules())

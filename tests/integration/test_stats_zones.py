"""Local hours in the site's zone: fixed +8 h for Asia/Shanghai, exact across a daylight
saving change elsewhere, identical on every backend."""

from __future__ import annotations

import datetime as dt

import pytest

from shared import admin
from shared.db import Database
from shared.stats import StatsFilter, compute_statistics
from shared.stats.sql import offset_periods
from tests.integration.stats_history import Case, Stay, add_cases

SATURDAY, MONDAY = dt.date(2026, 3, 28), dt.date(2026, 3, 30)  # Berlin: +1 h, then +2 h


def test_offset_periods_list_each_change() -> None:
    """Shanghai has one offset; Berlin changes from +60 to +120 minutes at 01:00 UTC."""
    start = dt.datetime(2026, 3, 27, tzinfo=dt.UTC)
    end = dt.datetime(2026, 4, 1, tzinfo=dt.UTC)
    assert offset_periods("Asia/Shanghai", start, end) == [(None, 480)]
    assert offset_periods("Europe/Berlin", start, end) == [
        (None, 60), (dt.datetime(2026, 3, 29, 1, tzinfo=dt.UTC), 120)]


@pytest.mark.all_backends
def test_hours_follow_the_site_zone_across_daylight_saving(db: Database) -> None:
    """10:30 local before and after the change both count in hour 10; 23:30 stays 23."""
    admin.add_site(db, "berlin", "柏林测试站", timezone="Europe/Berlin")
    add_cases(db, [Case(SATURDAY, [Stay("SA", "10:30", None, None, "10:40", None, None,
                                        "cancelled")]),
                   Case(MONDAY, [Stay("SA", "10:30", None, None, "10:40", None, None,
                                      "cancelled")]),
                   Case(MONDAY, [Stay("SA", "23:30", None, None, "23:40", None, None,
                                      "cancelled")])], site="berlin")
    stats = compute_statistics(db, StatsFilter(SATURDAY, MONDAY, site="berlin"))
    assert {r.key: r.issued for r in stats.breakdowns["hour"]} == {"10": 2, "23": 1}
    assert {r.label: r.issued for r in stats.breakdowns["weekday"]} == {"周六": 1, "周一": 2}
    assert stats.heatmap[5][10] == 1 and stats.heatmap[0][23] == 1

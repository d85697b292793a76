"""Statistics and the live hall view, computed by SQL aggregation in the database.

No Qt here. :func:`compute_statistics` answers a date range with breakdowns, heat map and
satisfaction; :func:`live_view` answers "what is happening now" per site and service.
The definitions every number follows are in docs/metrics.md.
"""

from shared.stats.compute import compute_statistics
from shared.stats.views import (
    DIMENSIONS,
    BreakdownRow,
    Durations,
    Satisfaction,
    Statistics,
    StatsFilter,
)

__all__ = ["DIMENSIONS", "BreakdownRow", "Durations", "Satisfaction", "Statistics",
           "StatsFilter", "compute_statistics"]

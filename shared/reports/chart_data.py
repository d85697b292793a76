"""What the report's charts show, prepared once for the PDF (pdf_charts.py) and for the
supervisor's Qt charts (counter_app/supervisor/charts.py): the numbers and the palette,
so the two show the same series in the same colours."""

from __future__ import annotations

from dataclasses import dataclass

from shared.stats.views import Statistics

MEAN_COLOR = "#2F6DB5"  # blue: counts and means
P90_COLOR = "#E08A2E"  # orange: the 90th percentile
SERIES_COLORS = (MEAN_COLOR, P90_COLOR, "#2E7D32")
# The five 好差评 levels, best first, in traffic-light colours.
LEVEL_COLORS = ("#2E7D32", "#7CB342", "#FBC02D", "#EF6C00", "#C62828")


@dataclass(frozen=True)
class ServiceWait:
    label: str
    mean_minutes: float
    p90_minutes: float


@dataclass(frozen=True)
class ChartData:
    hours: tuple[int, ...]  # the local hours with any ticket issued, in order
    hourly: tuple[int, ...]  # tickets issued in each of those hours
    heatmap: tuple[tuple[int, ...], ...]  # weekday (Monday first) x those hours
    service_waits: tuple[ServiceWait, ...]  # services with waits, as the service table
    levels: tuple[tuple[int, int, str], ...]  # (level 1-5, ratings, colour)


def chart_data(stats: Statistics) -> ChartData:
    hours = tuple(h for h in range(24) if any(stats.heatmap[d][h] for d in range(7)))
    return ChartData(
        hours=hours,
        hourly=tuple(sum(stats.heatmap[d][h] for d in range(7)) for h in hours),
        heatmap=tuple(tuple(stats.heatmap[d][h] for h in hours) for d in range(7)),
        service_waits=tuple(
            ServiceWait(r.label, r.wait.mean_minutes or 0.0, r.wait.minutes(r.wait.p90_us) or 0.0)
            for r in stats.breakdowns["service"] if r.wait.count),
        levels=tuple((level, stats.satisfaction.levels.get(level, 0), LEVEL_COLORS[level - 1])
                     for level in range(1, 6)),
    )

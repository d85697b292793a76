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
# The heat map's numbers: black on light cells, white on dark ones; with black, one of
# the two reaches 4.5:1 (WCAG AA) on every cell (see text_on).
HEAT_TEXT_DARK, HEAT_TEXT_LIGHT = "#000000", "#FFFFFF"

RGB = tuple[float, float, float]


def heat_fill(share: float) -> RGB:
    """A heat-map cell's colour (red, green, blue in 0-1) for ``share`` of the busiest
    cell: white for none, a deep blue for the busiest."""
    return (1 - 0.8 * share, 1 - 0.55 * share, 1 - 0.2 * share)


def luminance(rgb: RGB) -> float:
    """WCAG relative luminance."""
    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    red, green, blue = rgb
    return 0.2126 * channel(red) + 0.7152 * channel(green) + 0.0722 * channel(blue)


def contrast(a: RGB, b: RGB) -> float:
    """WCAG contrast ratio of two colours (1 to 21)."""
    light, dark = sorted((luminance(a), luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def hex_rgb(color: str) -> RGB:
    return tuple(int(color[i:i + 2], 16) / 255 for i in (1, 3, 5))  # type: ignore[return-value]


def text_on(fill: RGB) -> str:
    """The heat map's text colour on ``fill``: whichever of dark and white stands out
    more (white only on the darkest cells: on a mid blue it reads at 2.6:1)."""
    return max((HEAT_TEXT_DARK, HEAT_TEXT_LIGHT), key=lambda text: contrast(hex_rgb(text), fill))


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

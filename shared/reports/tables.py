"""The statistics as titled tables of typed cells: the one layout every export shares.

PDF, XLSX and CSV render the same :class:`Table` objects, so the three exports always
show the same numbers under the same headings. Cells stay typed (int, float, str, None);
each column says how to show them (a count, minutes, a share). Titles and labels come
from a :class:`~shared.reports.text.ReportText` (Chinese unless the caller passes
another language's).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from shared.reports.text import CHINESE, ReportText
from shared.states import Outcome
from shared.stats.views import DIMENSIONS, BreakdownRow, Statistics, StatsFilter

COUNT, MINUTES, PERCENT, TEXT = "count", "minutes", "percent", "text"
# A duration cell holds seconds with every digit (microseconds / 1e6): shown and written
# to XLSX as minutes, written to CSV as the seconds themselves.
SECONDS = "seconds"


@dataclass(frozen=True)
class Column:
    title: str
    kind: str = COUNT


@dataclass(frozen=True)
class Table:
    name: str  # short, for sheet names and CSV sections
    title: str
    columns: list[Column]
    rows: list[list[Any]]


def format_cell(value: Any, kind: str) -> str:
    """A cell as text, as the PDF and CSV show it ("—" for no value)."""
    if value is None:
        return "—"
    if kind == MINUTES:
        return f"{value:.1f}"
    if kind == SECONDS:
        return f"{value / 60:.1f}"
    if kind == PERCENT:
        return f"{value * 100:.1f}%"
    return str(value)


def filter_lines(stats: Statistics, text: ReportText = CHINESE) -> list[tuple[str, str]]:
    """(label, value) lines describing the request, for the first page and sheet."""
    f: StatsFilter = stats.filters
    site = (text.site_value.format(name=stats.site_name, code=f.site) if f.site
            else text.all_sites)
    heads = text.dimension_heads
    lines = [(text.site, site),
             (text.date_range, text.date_range_value.format(start=f.date_from.isoformat(),
                                                            end=f.date_to.isoformat())),
             (text.timezone, stats.timezone)]
    for label, values in ((heads["service"], f.services), (heads["department"], f.departments),
                          (heads["window"], [str(w) for w in f.windows]),
                          (heads["clerk"], f.clerks),
                          (text.kind, [text.kinds.get(k, k) for k in f.kinds])):
        lines.append((label, text.separator.join(values) if values else text.everything))
    lines.append((text.generated, generated_text(stats, text)))
    return lines


def generated_text(stats: Statistics, text: ReportText = CHINESE) -> str:
    """When the statistics ran, in the site's local time (each zone's, for sites in
    several zones): an office reads its own clock, not UTC."""
    zones = [z.strip() for z in stats.timezone.split(",") if z.strip()] or ["UTC"]
    times = [stats.generated_at.astimezone(ZoneInfo(zone)).strftime("%Y-%m-%d %H:%M")
             for zone in zones]
    if len(set(times)) == 1:
        return times[0]
    return text.separator.join(f"{time} {zone}" for time, zone in zip(times, zones, strict=True))


def summary_tables(stats: Statistics, text: ReportText = CHINESE) -> list[Table]:
    """The totals of the range: counts, durations and shares, each in its own table."""
    t, s = stats.total, stats.satisfaction
    counts: list[list[Any]] = [
        [text.totals[key], value] for key, value in (
            ("issued", t.issued), ("transferred_in", t.transferred_in), ("served", t.served),
            ("transferred_out", t.transferred_out), ("no_show", t.no_show),
            ("cancelled", t.cancelled), ("expired", t.expired),
            ("in_progress", t.in_progress), ("evaluable", s.evaluable),
            ("never_rated", s.never_rated), ("not_rated", s.not_rated),
            ("follow_ups_open", s.follow_ups_open), ("follow_ups_closed", s.follow_ups_closed),
            ("follow_ups_due", s.follow_up.due), ("follow_ups_contacted", s.follow_up.contacted),
            ("follow_ups_rectified", s.follow_up.rectified))]
    durations = [[label, d.count, d.mean_seconds, d.seconds(d.median_us), d.seconds(d.p90_us),
                  d.seconds(d.max_us)] for label, d in ((text.wait, t.wait),
                                                        (text.service, t.service))]
    shares: list[list[Any]] = [
        [text.shares[key], value] for key, value in (
            ("service_level", t.service_level), ("one_visit", t.one_visit_share),
            ("satisfaction", s.rate), ("coverage", s.coverage),
            ("contact_rate", s.contact_rate), ("rectify_rate", s.rectify_rate))]
    return [
        Table("totals", text.totals_title, [Column(text.measure, TEXT), Column(text.count)],
              counts),
        Table("durations", text.durations_title,
              [Column(text.duration, TEXT), Column(text.people), Column(text.mean, SECONDS),
               Column(text.median, SECONDS), Column(text.p90, SECONDS),
               Column(text.longest, SECONDS)], durations),
        Table("shares", text.shares_title, [Column(text.measure, TEXT),
                                            Column(text.share, PERCENT)], shares),
    ]


def _breakdown_figures(row: BreakdownRow) -> dict[str, tuple[Any, str]]:
    """Every figure of a breakdown row by column key: (value, kind)."""
    w, s = row.wait, row.service
    figures: dict[str, tuple[Any, str]] = {
        "issued": (row.issued, COUNT), "transferred_in": (row.transferred_in, COUNT),
        "served": (row.served, COUNT), "transferred_out": (row.transferred_out, COUNT),
        "no_show": (row.no_show, COUNT), "cancelled": (row.cancelled, COUNT),
        "expired": (row.expired, COUNT), "in_progress": (row.in_progress, COUNT),
        "wait_count": (w.count, COUNT), "wait_mean": (w.mean_seconds, SECONDS),
        "wait_median": (w.seconds(w.median_us), SECONDS),
        "wait_p90": (w.seconds(w.p90_us), SECONDS), "wait_max": (w.seconds(w.max_us), SECONDS),
        "service_level": (row.service_level, PERCENT), "service_count": (s.count, COUNT),
        "service_mean": (s.mean_seconds, SECONDS),
        "service_median": (s.seconds(s.median_us), SECONDS),
        "service_p90": (s.seconds(s.p90_us), SECONDS),
        "service_max": (s.seconds(s.max_us), SECONDS),
        "satisfaction": (row.satisfaction_rate, PERCENT), "rated": (row.rated, COUNT),
        **{f"level{level}": (row.levels.get(level, 0), COUNT) for level in range(1, 6)},
        "not_rated": (row.not_rated, COUNT), "never_rated": (row.never_rated, COUNT),
        "evaluable": (row.evaluable, COUNT), "appealed": (row.appealed, COUNT),
        "coverage": (row.coverage, PERCENT), "follow_ups_open": (row.follow_ups_open, COUNT),
        "follow_ups_closed": (row.follow_ups_closed, COUNT),
    }
    return figures


#: The columns of a breakdown on screen and in the PDF (a page's width).
COMPACT_COLUMNS = ("issued", "transferred_in", "served", "transferred_out", "no_show",
                   "cancelled", "wait_mean", "wait_median", "wait_p90", "wait_max",
                   "service_level", "service_mean", "service_p90", "satisfaction")
#: Every figure of a row, in XLSX and CSV (docs/metrics.md: each row carries every figure).
FULL_COLUMNS = ("issued", "transferred_in", "served", "transferred_out", "no_show",
                "cancelled", "expired", "in_progress", "wait_count", "wait_mean",
                "wait_median", "wait_p90", "wait_max", "service_level", "service_count",
                "service_mean", "service_median", "service_p90", "service_max",
                "satisfaction", "rated", "level1", "level2", "level3", "level4", "level5",
                "not_rated", "never_rated", "evaluable", "appealed", "coverage",
                "follow_ups_open", "follow_ups_closed")


def breakdown_columns(text: ReportText = CHINESE, full: bool = False) -> list[Column]:
    """The number columns of a breakdown, in the order of :func:`breakdown_cells`."""
    kinds = _breakdown_figures(BreakdownRow("", ""))
    return [Column(_column_title(key, text), kinds[key][1])
            for key in (FULL_COLUMNS if full else COMPACT_COLUMNS)]


def _column_title(key: str, text: ReportText) -> str:
    if key.startswith("level"):
        return text.levels[int(key[len("level"):])]
    return text.breakdown_columns[key]


def breakdown_cells(row: BreakdownRow, full: bool = False) -> list[Any]:
    figures = _breakdown_figures(row)
    return [figures[key][0] for key in (FULL_COLUMNS if full else COMPACT_COLUMNS)]


def row_label(row: BreakdownRow, dimension: str, text: ReportText = CHINESE) -> str:
    """A group's label; weekdays in the report's language (their key is 1 = Monday)."""
    if dimension == "weekday" and row.key.isdigit():
        return text.weekdays[int(row.key) - 1]
    return row.label


def breakdown_table(stats: Statistics, dimension: str, text: ReportText = CHINESE,
                    full: bool = False) -> Table:
    """One breakdown; ``full``: every figure of its rows (XLSX, CSV), else the columns
    that fit a page (PDF, the supervisor's tables)."""
    rows = [[row_label(r, dimension, text), *breakdown_cells(r, full)]
            for r in stats.breakdowns[dimension]]
    return Table(dimension, text.dimension_titles[dimension],
                 [Column(text.dimension_heads[dimension], TEXT),
                  *breakdown_columns(text, full)], rows)


def outcome_table(stats: Statistics, dimension: str, text: ReportText = CHINESE) -> Table:
    outcomes = [o.value for o in Outcome]
    head = text.dimension_heads[dimension]
    columns = [Column(head, TEXT), Column(text.served_total),
               *[Column(text.outcomes[o]) for o in outcomes],
               Column(text.shares["one_visit"], PERCENT)]
    rows = [[row_label(r, dimension, text), r.served, *[r.outcomes.get(o, 0) for o in outcomes],
             r.one_visit_share] for r in stats.breakdowns[dimension]]
    return Table(f"outcomes_{dimension}", text.outcomes_title.format(dimension=head), columns,
                 rows)


def satisfaction_table(stats: Statistics, text: ReportText = CHINESE) -> Table:
    s = stats.satisfaction
    rows: list[list[Any]] = [[text.levels[level], s.levels.get(level, 0)]
                             for level in range(1, 6)]
    rows.append([text.not_rated, s.not_rated])
    rows.append([text.never_rated, s.never_rated])
    return Table("satisfaction", text.satisfaction_title,
                 [Column(text.rating, TEXT), Column(text.people)], rows)


def heatmap_table(stats: Statistics, text: ReportText = CHINESE) -> Table:
    hours = [h for h in range(24) if any(stats.heatmap[d][h] for d in range(7))]
    columns = [Column(text.dimension_heads["weekday"], TEXT),
               *[Column(text.hour_column.format(hour=h)) for h in hours]]
    rows = [[text.weekdays[d], *[stats.heatmap[d][h] for h in hours]] for d in range(7)]
    return Table("heatmap", text.heatmap_title, columns, rows)


def report_tables(stats: Statistics, text: ReportText = CHINESE, full: bool = False
                  ) -> list[Table]:
    """Every table of a report, in the order the exports show them; ``full``: the
    breakdowns with every figure (XLSX and CSV)."""
    tables = summary_tables(stats, text)
    tables += [breakdown_table(stats, d, text, full) for d in DIMENSIONS]
    tables += [outcome_table(stats, "service", text), outcome_table(stats, "department", text),
               satisfaction_table(stats, text), heatmap_table(stats, text)]
    return tables

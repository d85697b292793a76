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
            ("in_progress", t.in_progress), ("follow_ups_open", s.follow_ups_open),
            ("follow_ups_closed", s.follow_ups_closed))]
    durations = [[label, d.count, d.mean_minutes, d.minutes(d.median_us), d.minutes(d.p90_us),
                  d.minutes(d.max_us)] for label, d in ((text.wait, t.wait),
                                                        (text.service, t.service))]
    shares: list[list[Any]] = [
        [text.shares[key], value] for key, value in (
            ("service_level", t.service_level), ("one_visit", t.one_visit_share),
            ("satisfaction", s.rate), ("coverage", s.coverage))]
    return [
        Table("totals", text.totals_title, [Column(text.measure, TEXT), Column(text.count)],
              counts),
        Table("durations", text.durations_title,
              [Column(text.duration, TEXT), Column(text.people), Column(text.mean, MINUTES),
               Column(text.median, MINUTES), Column(text.p90, MINUTES),
               Column(text.longest, MINUTES)], durations),
        Table("shares", text.shares_title, [Column(text.measure, TEXT),
                                            Column(text.share, PERCENT)], shares),
    ]


BREAKDOWN_KINDS = {"wait_mean": MINUTES, "wait_median": MINUTES, "wait_p90": MINUTES,
                   "wait_max": MINUTES, "service_level": PERCENT, "service_mean": MINUTES,
                   "service_p90": MINUTES, "satisfaction": PERCENT}


def breakdown_columns(text: ReportText = CHINESE) -> list[Column]:
    """The number columns of a breakdown, in the order of :func:`breakdown_cells`."""
    return [Column(title, BREAKDOWN_KINDS.get(key, COUNT))
            for key, title in text.breakdown_columns.items()]


def breakdown_cells(row: BreakdownRow) -> list[Any]:
    w, s = row.wait, row.service
    return [row.issued, row.transferred_in, row.served, row.transferred_out, row.no_show,
            row.cancelled, w.mean_minutes, w.minutes(w.median_us), w.minutes(w.p90_us),
            w.minutes(w.max_us), row.service_level, s.mean_minutes, s.minutes(s.p90_us),
            row.satisfaction_rate]


def row_label(row: BreakdownRow, dimension: str, text: ReportText = CHINESE) -> str:
    """A group's label; weekdays in the report's language (their key is 1 = Monday)."""
    if dimension == "weekday" and row.key.isdigit():
        return text.weekdays[int(row.key) - 1]
    return row.label


def breakdown_table(stats: Statistics, dimension: str, text: ReportText = CHINESE) -> Table:
    rows = [[row_label(r, dimension, text), *breakdown_cells(r)]
            for r in stats.breakdowns[dimension]]
    return Table(dimension, text.dimension_titles[dimension],
                 [Column(text.dimension_heads[dimension], TEXT), *breakdown_columns(text)],
                 rows)


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
    return Table("satisfaction", text.satisfaction_title,
                 [Column(text.rating, TEXT), Column(text.people)], rows)


def heatmap_table(stats: Statistics, text: ReportText = CHINESE) -> Table:
    hours = [h for h in range(24) if any(stats.heatmap[d][h] for d in range(7))]
    columns = [Column(text.dimension_heads["weekday"], TEXT),
               *[Column(text.hour_column.format(hour=h)) for h in hours]]
    rows = [[text.weekdays[d], *[stats.heatmap[d][h] for h in hours]] for d in range(7)]
    return Table("heatmap", text.heatmap_title, columns, rows)


def report_tables(stats: Statistics, text: ReportText = CHINESE) -> list[Table]:
    """Every table of a report, in the order the exports show them."""
    tables = summary_tables(stats, text)
    tables += [breakdown_table(stats, d, text) for d in DIMENSIONS]
    tables += [outcome_table(stats, "service", text), outcome_table(stats, "department", text),
               satisfaction_table(stats, text), heatmap_table(stats, text)]
    return tables

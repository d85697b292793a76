"""The statistics as titled tables of typed cells: the one layout every export shares.

PDF, XLSX and CSV render the same :class:`Table` objects, so the three exports always
show the same numbers under the same headings. Cells stay typed (int, float, str, None);
each column says how to show them (a count, minutes, a share).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from shared.evaluations import LEVELS
from shared.states import OUTCOME_LABELS_ZH, Outcome
from shared.stats.views import WEEKDAYS_ZH, BreakdownRow, Statistics, StatsFilter

COUNT, MINUTES, PERCENT, TEXT = "count", "minutes", "percent", "text"
DIMENSION_TITLES = {
    "service": "按业务", "department": "按部门", "window": "按窗口", "clerk": "按工作人员",
    "hour": "按时段（取号时刻）", "weekday": "按星期",
}
DIMENSION_HEADS = {"service": "业务", "department": "部门", "window": "窗口",
                   "clerk": "工作人员", "hour": "时段", "weekday": "星期"}


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


def filter_lines(stats: Statistics) -> list[tuple[str, str]]:
    """(label, value) lines describing the request, for the first page and sheet."""
    f: StatsFilter = stats.filters
    lines = [("站点", f"{stats.site_name}" + (f"（{f.site}）" if f.site else "")),
             ("日期范围", f"{f.date_from.isoformat()} 至 {f.date_to.isoformat()}"),
             ("时区", stats.timezone)]
    for label, values in (("业务", f.services), ("部门", f.departments),
                          ("窗口", [str(w) for w in f.windows]), ("工作人员", f.clerks),
                          ("票类型", f.kinds)):
        lines.append((label, "、".join(values) if values else "全部"))
    generated = stats.generated_at.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    lines.append(("生成时间", generated))
    return lines


def summary_tables(stats: Statistics) -> list[Table]:
    """The totals of the range: counts, durations and shares, each in its own table."""
    t, s = stats.total, stats.satisfaction
    counts = [["取号（票数）", t.issued], ["转入", t.transferred_in], ["办结", t.served],
              ["转出", t.transferred_out], ["过号", t.no_show], ["取消", t.cancelled],
              ["过期未办", t.expired], ["进行中", t.in_progress],
              ["回访未结", s.follow_ups_open], ["回访已结", s.follow_ups_closed]]
    durations = [[label, d.count, d.mean_minutes, d.minutes(d.median_us), d.minutes(d.p90_us),
                  d.minutes(d.max_us)] for label, d in (("等候", t.wait), ("办理", t.service))]
    shares = [["服务水平（目标时间内叫号）", t.service_level], ["一次办结率", t.one_visit_share],
              ["满意率", s.rate], ["评价覆盖率", s.coverage]]
    return [
        Table("totals", "总体数量", [Column("指标", TEXT), Column("数量")], counts),
        Table("durations", "等候与办理时长（分钟）",
              [Column("时长", TEXT), Column("人次"), Column("平均", MINUTES),
               Column("中位数", MINUTES), Column("P90", MINUTES), Column("最长", MINUTES)],
              durations),
        Table("shares", "比率", [Column("指标", TEXT), Column("比率", PERCENT)], shares),
    ]


BREAKDOWN_COLUMNS = [
    Column("取号"), Column("转入"), Column("办结"), Column("转出"), Column("过号"),
    Column("取消"), Column("平均等候", MINUTES), Column("等候中位", MINUTES),
    Column("等候P90", MINUTES), Column("最长等候", MINUTES), Column("服务水平", PERCENT),
    Column("平均办理", MINUTES), Column("办理P90", MINUTES), Column("满意率", PERCENT),
]


def breakdown_cells(row: BreakdownRow) -> list[Any]:
    w, s = row.wait, row.service
    return [row.issued, row.transferred_in, row.served, row.transferred_out, row.no_show,
            row.cancelled, w.mean_minutes, w.minutes(w.median_us), w.minutes(w.p90_us),
            w.minutes(w.max_us), row.service_level, s.mean_minutes, s.minutes(s.p90_us),
            row.satisfaction_rate]


def breakdown_table(stats: Statistics, dimension: str) -> Table:
    rows = [[r.label, *breakdown_cells(r)] for r in stats.breakdowns[dimension]]
    return Table(dimension, DIMENSION_TITLES[dimension],
                 [Column(DIMENSION_HEADS[dimension], TEXT), *BREAKDOWN_COLUMNS], rows)


def outcome_table(stats: Statistics, dimension: str) -> Table:
    outcomes = list(Outcome)
    columns = [Column(DIMENSION_HEADS[dimension], TEXT), Column("办结总数"),
               *[Column(OUTCOME_LABELS_ZH[o]) for o in outcomes], Column("一次办结率", PERCENT)]
    rows = [[r.label, r.served, *[r.outcomes.get(o.value, 0) for o in outcomes],
             r.one_visit_share] for r in stats.breakdowns[dimension]]
    return Table(f"outcomes_{dimension}", f"办理结果（{DIMENSION_HEADS[dimension]}）", columns,
                 rows)


def satisfaction_table(stats: Statistics) -> Table:
    s = stats.satisfaction
    rows: list[list[Any]] = [[LEVELS[level], s.levels.get(level, 0)] for level in range(1, 6)]
    rows.append(["未评价", s.not_rated])
    return Table("satisfaction", "满意度（好差评）", [Column("评价", TEXT), Column("人次")], rows)


def heatmap_table(stats: Statistics) -> Table:
    hours = [h for h in range(24) if any(stats.heatmap[d][h] for d in range(7))]
    columns = [Column("星期", TEXT), *[Column(f"{h:02d}时") for h in hours]]
    rows = [[WEEKDAYS_ZH[d], *[stats.heatmap[d][h] for h in hours]] for d in range(7)]
    return Table("heatmap", "取号热力图（星期 × 时段）", columns, rows)


def report_tables(stats: Statistics) -> list[Table]:
    """Every table of a report, in the order the exports show them."""
    tables = summary_tables(stats)
    tables += [breakdown_table(stats, d) for d in DIMENSION_TITLES]
    tables += [outcome_table(stats, "service"), outcome_table(stats, "department"),
               satisfaction_table(stats), heatmap_table(stats)]
    return tables

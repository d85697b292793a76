"""``hallq-admin stats`` and ``hallq-admin report``: the supervisor's statistics from the
command line (definitions in docs/metrics.md).

    hallq-admin stats --from 2026-11-01 --to 2026-11-30 [--site chunan] [--json]
    hallq-admin report --from D --to D [--site S] --format pdf|xlsx|csv --out FILE

Without ``--site`` both cover every site (the county's view). Exit codes follow
:mod:`shared.errors`: 2 for a bad date, site, filter or output path, 5 for the database.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from shared.cli.base import (
    Cli,
    CommandTree,
    iso_date,
    say,
    window_number,
)
from shared.cli.output import emit_json
from shared.reports import FORMATS, write_report
from shared.reports.tables import format_cell
from shared.stats import Statistics, StatsFilter, compute_statistics
from shared.stats.views import DIMENSIONS

STATS_HELP = "统计 (statistics for a date range: waits, service times, satisfaction)"
REPORT_HELP = "报表 (write the statistics as a PDF, XLSX or CSV report)"
DIMENSION_ZH = {"service": "业务", "department": "部门", "window": "窗口", "clerk": "工作人员",
                "hour": "时段", "weekday": "星期"}


def register(tree: CommandTree) -> None:
    """Add ``stats`` and ``report``, each a one-command group (``hallq-admin stats ...``)."""
    stats = tree.top_level("stats", run_stats, STATS_HELP)
    _range_arguments(stats)
    stats.add_argument("--json", action="store_true", help="print JSON (docs/cli.md)")
    report = tree.top_level("report", run_report, REPORT_HELP)
    _range_arguments(report)
    report.add_argument("--format", required=True, choices=FORMATS, help="pdf, xlsx or csv")
    report.add_argument("--out", required=True, type=Path, metavar="FILE",
                        help="the file to write (replaced if it exists)")


def _range_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--from", dest="date_from", required=True, type=iso_date,
                        metavar="YYYY-MM-DD", help="first business day (included)")
    parser.add_argument("--to", dest="date_to", required=True, type=iso_date,
                        metavar="YYYY-MM-DD", help="last business day (included)")
    parser.add_argument("--site", metavar="SITE", help="site code (default: every site)")
    parser.add_argument("--service", action="append", default=[], metavar="CODE",
                        help="only this service (repeat for several)")
    parser.add_argument("--department", action="append", default=[], metavar="CODE",
                        help="only this department (repeat for several)")
    parser.add_argument("--window", action="append", default=[], type=window_number, metavar="N",
                        help="only stays called at this window (needs --site)")
    parser.add_argument("--clerk", action="append", default=[], metavar="LOGIN",
                        help="only stays handled by this clerk")
    parser.add_argument("--kind", action="append", default=[],
                        choices=["normal", "green", "appointment"], help="only this ticket kind")


def stats_filter(args: argparse.Namespace) -> StatsFilter:
    """The filter the command line asked for (raises UsageError when it is inconsistent)."""
    return StatsFilter(date_from=args.date_from, date_to=args.date_to, site=args.site,
                       services=tuple(args.service), departments=tuple(args.department),
                       windows=tuple(args.window), clerks=tuple(args.clerk),
                       kinds=tuple(args.kind))


def run_stats(cli: Cli) -> int:
    stats = compute_statistics(cli.db, stats_filter(cli.args),
                               follow_up_rules=cli.config.follow_up_rules)
    if cli.json:
        emit_json({"statistics": stats.to_json()})
        return 0
    for line in summary_lines(stats):
        print(line)
    return 0


def run_report(cli: Cli) -> int:
    stats = compute_statistics(cli.db, stats_filter(cli.args),
                               follow_up_rules=cli.config.follow_up_rules)
    path = write_report(stats, cli.args.format, cli.args.out)
    say(f"已生成报表 {path}", f"report written: {path}")
    return 0


def summary_lines(stats: Statistics) -> list[str]:
    """A short text summary: totals, then one line per service."""
    t, s, f = stats.total, stats.satisfaction, stats.filters
    wait, service = t.wait, t.service

    def minutes(value: float | None) -> str:
        return format_cell(value, "minutes")

    def percent(value: float | None) -> str:
        return format_cell(value, "percent")

    lines = [
        f"{stats.site_name}  {f.date_from} 至 {f.date_to}",
        f"取号 {t.issued}  已办理 {t.served}  过号 {t.no_show}  取消 {t.cancelled}  "
        f"转办 {t.transferred_out}  过期 {t.expired}",
        f"等候（分钟） 平均 {minutes(wait.mean_minutes)}  中位 {minutes(wait.minutes(wait.median_us))}"
        f"  P90 {minutes(wait.minutes(wait.p90_us))}  最长 {minutes(wait.minutes(wait.max_us))}",
        f"办理（分钟） 平均 {minutes(service.mean_minutes)}  中位 "
        f"{minutes(service.minutes(service.median_us))}  P90 "
        f"{minutes(service.minutes(service.p90_us))}  最长 {minutes(service.minutes(service.max_us))}",
        f"服务水平 {percent(t.service_level)}  一次办结率 {percent(t.one_visit_share)}  "
        f"满意率 {percent(s.rate)}  评价覆盖率 {percent(s.coverage)}  "
        f"回访 未结 {s.follow_ups_open} / 已结 {s.follow_ups_closed}",
        f"回访率 {percent(s.contact_rate)}  整改率 {percent(s.rectify_rate)}  "
        f"逾期 {s.follow_up.overdue}  申诉 {s.appealed}",
    ]
    for name in DIMENSIONS[:1]:
        lines.append(f"— 按{DIMENSION_ZH[name]} —")
        for row in stats.breakdowns[name]:
            lines.append(f"  {row.label:<12} 取号 {row.issued:>6}  已办理 {row.served:>6}  "
                         f"平均等候 {minutes(row.wait.mean_minutes):>6}  "
                         f"服务水平 {percent(row.service_level):>6}")
    return lines

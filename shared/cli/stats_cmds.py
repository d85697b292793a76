"""``hallq-admin stats`` and ``hallq-admin report``: the supervisor's statistics from the
command line (definitions in docs/metrics.md).

    hallq-admin stats --from 2026-11-01 --to 2026-11-30 [--site chunan] [--json]
    hallq-admin report --from D --to D [--site S] --format pdf|xlsx|csv --out FILE
    hallq-admin report monthly --month YYYY-MM [--site S] --format pdf|xlsx --out FILE

Without ``--site`` both cover every site (the county's view). Exit codes follow
:mod:`shared.errors`: 2 for a bad date, site, filter or output path, 5 for the database.
"""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path

from shared import vocabulary
from shared.cli.base import Cli, CommandTree, iso_date, say, tr, window_number
from shared.cli.output import emit_json
from shared.errors import UsageError
from shared.i18n import QT_TRANSLATE_NOOP
from shared.reports import FORMATS, write_report
from shared.reports.tables import format_cell
from shared.reports.text import report_text
from shared.stats import Statistics, StatsFilter, compute_statistics
from shared.stats.monthly import parse_month
from shared.stats.views import DIMENSIONS

STATS_HELP = QT_TRANSLATE_NOOP("Cli", "统计")
REPORT_HELP = QT_TRANSLATE_NOOP("Cli", "报表")


def register(tree: CommandTree) -> None:
    """Add ``stats`` and ``report``, each a one-command group (``hallq-admin stats ...``)."""
    stats = tree.top_level("stats", run_stats, STATS_HELP)
    _range_arguments(stats)
    stats.add_argument("--json", action="store_true",
                       help=QT_TRANSLATE_NOOP("Cli", "输出 JSON（见 docs/cli.md）"))
    report = tree.top_level("report", run_report, REPORT_HELP)
    report.add_argument("which", nargs="?", choices=["monthly"], metavar="monthly",
                        help=QT_TRANSLATE_NOOP("Cli", "monthly：--month 所指月份的月度通报"))
    report.add_argument("--month", metavar="YYYY-MM",
                        help=QT_TRANSLATE_NOOP("Cli", "通报的月份（与 monthly 一起用）"))
    _range_arguments(report, required=False)
    report.add_argument("--format", required=True, choices=FORMATS,
                        help=QT_TRANSLATE_NOOP("Cli", "pdf、xlsx 或 csv"))
    report.add_argument("--out", required=True, type=Path, metavar="FILE",
                        help=QT_TRANSLATE_NOOP("Cli", "要写的文件（已存在则替换）"))


def _range_arguments(parser: argparse.ArgumentParser, required: bool = True) -> None:
    parser.add_argument("--from", dest="date_from", required=required, type=iso_date,
                        metavar="YYYY-MM-DD", help=QT_TRANSLATE_NOOP("Cli", "起始营业日（含当日）"))
    parser.add_argument("--to", dest="date_to", required=required, type=iso_date,
                        metavar="YYYY-MM-DD", help=QT_TRANSLATE_NOOP("Cli", "截止营业日（含当日）"))
    parser.add_argument("--site", metavar="SITE", help=QT_TRANSLATE_NOOP("Cli", "网点代码（默认：所有网点）"))
    parser.add_argument("--service", action="append", default=[], metavar="CODE",
                        help=QT_TRANSLATE_NOOP("Cli", "只统计此业务（可重复给出多个）"))
    parser.add_argument("--department", action="append", default=[], metavar="CODE",
                        help=QT_TRANSLATE_NOOP("Cli", "只统计此部门（可重复给出多个）"))
    parser.add_argument("--window", action="append", default=[], type=window_number, metavar="N",
                        help=QT_TRANSLATE_NOOP("Cli", "只统计在此窗口叫号的（须同时给出 --site）"))
    parser.add_argument("--clerk", action="append", default=[], metavar="LOGIN",
                        help=QT_TRANSLATE_NOOP("Cli", "只统计此人员办理的"))
    parser.add_argument("--kind", action="append", default=[],
                        choices=["normal", "green", "appointment"],
                        help=QT_TRANSLATE_NOOP("Cli", "只统计此类票"))


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
    args = cli.args
    if args.which == "monthly":
        return _run_monthly(cli)
    if args.month:
        raise UsageError("--month 只用于月度通报 (--month goes with `report monthly`)")
    if args.date_from is None or args.date_to is None:
        raise UsageError("报表需要 --from 和 --to (a report needs --from and --to; the monthly "
                         "bulletin is `report monthly --month YYYY-MM`)")
    # In the language of the command (--lang): the statistics' weekday labels too.
    stats = compute_statistics(cli.db, stats_filter(cli.args),
                               follow_up_rules=cli.config.follow_up_rules)
    path = write_report(stats, cli.args.format, cli.args.out, report_text())
    say(QT_TRANSLATE_NOOP("Cli", "已生成报表 {path}"), path=path)
    return 0


def _run_monthly(cli: Cli) -> int:
    """``report monthly``: the bulletin of --month for --site (every site without)."""
    from shared.reports.monthly import MONTHLY_FORMATS, write_monthly
    from shared.stats.monthly import monthly_bulletin

    args = cli.args
    if not args.month:
        raise UsageError("月度通报需要 --month，例如 2026-03 (report monthly needs --month "
                         "YYYY-MM)")
    other = [name for name, value in (("--from", args.date_from), ("--to", args.date_to),
                                      ("--service", args.service),
                                      ("--department", args.department),
                                      ("--window", args.window), ("--clerk", args.clerk),
                                      ("--kind", args.kind)) if value]
    if other:
        raise UsageError(f"月度通报按整月统计，不接受 {', '.join(other)} (the monthly bulletin "
                         f"covers the whole month: {', '.join(other)} not allowed)")
    if args.format not in MONTHLY_FORMATS:
        raise UsageError(f"月度通报只有 pdf 或 xlsx 格式，没有 {args.format} (the monthly bulletin is "
                         f"written as "
                         f"pdf or xlsx, not {args.format})")
    # A month not yet begun has nothing to rank: refused. "Begun" anywhere on Earth
    # (UTC+14), so the first day of a month is never refused in any site's zone.
    month = parse_month(args.month, today=(dt.datetime.now(dt.UTC) + dt.timedelta(hours=14))
                        .date())
    bulletin = monthly_bulletin(cli.db, month, site=args.site, rules=cli.config.follow_up_rules)
    path = write_monthly(bulletin, args.format, args.out)
    say(QT_TRANSLATE_NOOP("Cli", "已生成月度通报 {path}"), path=path)
    return 0


def summary_lines(stats: Statistics) -> list[str]:
    """A short text summary: totals, then one line per service."""
    t, s, f = stats.total, stats.satisfaction, stats.filters
    wait, service = t.wait, t.service

    def minutes(value: float | None) -> str:
        return format_cell(value, "minutes")

    def percent(value: float | None) -> str:
        return format_cell(value, "percent")

    durations = QT_TRANSLATE_NOOP("Cli", "{what}（分钟） 平均 {mean}  中位 {median}  P90 {p90}  "
                                         "最长 {longest}")
    lines = [
        tr(QT_TRANSLATE_NOOP("Cli", "{site}  {first} 至 {last}"), site=stats.site_name,
           first=f.date_from, last=f.date_to),
        tr(QT_TRANSLATE_NOOP("Cli", "取号 {issued}  已办理 {served}  过号 {no_show}  "
                                    "取消 {cancelled}  转办 {transferred}  过期 {expired}"),
           issued=t.issued, served=t.served, no_show=t.no_show, cancelled=t.cancelled,
           transferred=t.transferred_out, expired=t.expired),
        tr(durations, what=tr(QT_TRANSLATE_NOOP("Cli", "等候")), mean=minutes(wait.mean_minutes),
           median=minutes(wait.minutes(wait.median_us)), p90=minutes(wait.minutes(wait.p90_us)),
           longest=minutes(wait.minutes(wait.max_us))),
        tr(durations, what=tr(QT_TRANSLATE_NOOP("Cli", "办理")), mean=minutes(service.mean_minutes),
           median=minutes(service.minutes(service.median_us)),
           p90=minutes(service.minutes(service.p90_us)),
           longest=minutes(service.minutes(service.max_us))),
        tr(QT_TRANSLATE_NOOP("Cli", "服务水平 {level}  一次办结率 {one_visit}  满意率 {rate}  "
                                    "评价覆盖率 {coverage}  回访 未结 {open} / 已结 {closed}"),
           level=percent(t.service_level), one_visit=percent(t.one_visit_share),
           rate=percent(s.rate), coverage=percent(s.coverage), open=s.follow_ups_open,
           closed=s.follow_ups_closed),
        tr(QT_TRANSLATE_NOOP("Cli", "已评价 {rated}  未评价（未选等级） {not_rated}  "
                                    "未参评（办理后无评价） {never}"),
           rated=s.rated, not_rated=s.not_rated, never=s.never_rated),
        tr(QT_TRANSLATE_NOOP("Cli", "回访率 {contact}  整改率 {rectify}  逾期 {overdue}  "
                                    "申诉 {appealed}"),
           contact=percent(s.contact_rate), rectify=percent(s.rectify_rate),
           overdue=s.follow_up.overdue, appealed=s.appealed),
    ]
    row_text = QT_TRANSLATE_NOOP("Cli", "{label} 取号 {issued}  已办理 {served}  "
                                        "平均等候 {wait}  服务水平 {level}")
    for name in DIMENSIONS[:1]:
        lines.append(tr(QT_TRANSLATE_NOOP("Cli", "— 按{dimension} —"),
                        dimension=vocabulary.dimension_label(name)))
        for row in stats.breakdowns[name]:
            lines.append("  " + tr(row_text, label=f"{row.label:<12}", issued=f"{row.issued:>6}",
                                   served=f"{row.served:>6}",
                                   wait=f"{minutes(row.wait.mean_minutes):>6}",
                                   level=f"{percent(row.service_level):>6}"))
    return lines

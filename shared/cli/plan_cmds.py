"""``hallq-admin plan --week YYYY-MM-DD``: the staffing plan (排班建议) of a coming week
from the hall's own history (shared/staffing.py, docs/staffing.md)."""

from __future__ import annotations

from pathlib import Path

from shared.cli.base import Cli, CommandTree, iso_date, say
from shared.cli.output import emit_json
from shared.errors import UsageError
from shared.staffing import (
    DEFAULT_CHECK_RUNS,
    DEFAULT_GOAL,
    EXTRA_WINDOW_BASE,
    slot_label,
    staffing_plan,
    write_plan_xlsx,
)

HELP = ("排班建议：下周每半小时各业务需要开几个窗口 (staffing plan: windows needed per "
        "service and half-hour of a week, by Erlang C on the hall's history)")
WEEKDAYS = "一二三四五六日"


def register(tree: CommandTree) -> None:
    parser = tree.top_level("plan", run_plan, HELP)
    parser.add_argument("--week", required=True, type=iso_date, metavar="YYYY-MM-DD",
                        help="the Monday the planned week starts on")
    parser.add_argument("--site", metavar="SITE", help="site code (default: the only site)")
    parser.add_argument("--weeks", type=int, default=4, metavar="N",
                        help="weeks of history before it (default 4)")
    parser.add_argument("--goal", type=float, default=DEFAULT_GOAL, metavar="SHARE",
                        help="share of waits within the service's target (default 0.8)")
    parser.add_argument("--runs", type=int, default=DEFAULT_CHECK_RUNS, metavar="N",
                        help="simulated runs of each day checking the proposed windows "
                             f"(default {DEFAULT_CHECK_RUNS}; 0: Erlang C only)")
    parser.add_argument("--json", action="store_true", help="print JSON (docs/cli.md)")
    parser.add_argument("--xlsx", type=Path, metavar="FILE",
                        help="also write the plan as an Excel workbook (replaced if it exists)")


def run_plan(cli: Cli) -> int:
    args = cli.args
    try:
        if args.runs < 0:
            raise ValueError(f"--runs must not be negative, got {args.runs}")
        plan = staffing_plan(cli.db, args.week, site=cli.site, history_weeks=args.weeks,
                             goal=args.goal, runs=args.runs)
    except ValueError as exc:
        raise UsageError(f"排班参数无效 ({exc})") from None
    if args.xlsx is not None:
        write_plan_xlsx(plan, args.xlsx)
    if cli.json:
        emit_json(plan.to_json())
        return 0
    say(f"{plan.site} 排班建议：{plan.week} 起一周，依据 {plan.history[0]} 至 {plan.history[1]}，"
        f"目标 {plan.goal:.0%} 在时限内叫号",
        f"staffing plan for the week of {plan.week}")
    if not plan.cells:
        say("所选历史内没有取号记录，无法排班", "no history in the chosen weeks")
        return 0
    for cell in plan.cells:
        mark = "  ← 窗口不足" if cell.short else ""
        say(f"周{WEEKDAYS[cell.day.weekday()]} {cell.day} {slot_label(cell.slot)} "
            f"{cell.service}: {cell.windows} 个窗口（每小时 {cell.arrivals_per_hour:.1f} 人，"
            f"每人 {cell.handle_minutes:.1f} 分钟，预计 {cell.service_level:.0%} 在时限内，"
            f"平均等候 {cell.mean_wait_minutes:.1f} 分钟；现有 {cell.serving_windows} 个）{mark}")
    for (day, slot), opened in sorted(plan.opening.items()):
        numbers = [str(n) for n in sorted(opened) if n < EXTRA_WINDOW_BASE]
        extra = len(opened) - len(numbers)
        say(f"周{WEEKDAYS[day.weekday()]} {day} {slot_label(slot)} 开放 {len(opened)} 个窗口："
            + ("、".join(numbers) + " 号" if numbers else "")
            + (f"{'，' if numbers else ''}另需增派 {extra} 人" if extra else ""))
    say(f"合计 {plan.window_hours():.1f} 窗口小时（各业务分别按 Erlang C 合计 "
        f"{plan.erlang_window_hours():.1f}），{sum(c.short for c in plan.cells)} 处窗口不足",
        f"{plan.window_hours():.1f} window-hours")
    return 0

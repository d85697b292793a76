"""``hallq-admin plan --week YYYY-MM-DD``: the staffing plan (排班建议) of a coming week
from the hall's own history (shared/staffing.py, docs/staffing.md); ``hallq-admin overflow
list``: the overflow window suggestions (潮汐窗口) the live view recorded
(shared/overflow.py)."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from shared.cli.base import Cli, CommandTree, iso_date, say, tr
from shared.cli.output import emit_json
from shared.errors import HallQueueError, UsageError
from shared.i18n import QT_TRANSLATE_NOOP
from shared.overflow import MAX_LISTED, recorded_suggestions
from shared.staffing import (
    DEFAULT_CHECK_RUNS,
    DEFAULT_GOAL,
    EXTRA_WINDOW_BASE,
    SLOT_MINUTES,
    UNCHECKED_NOTE,
    check_request,
    history_span,
    proposed_opening,
    slot_label,
    staffing_plan,
    write_plan_xlsx,
    xlsx_target_problem,
)
from shared.vocabulary import weekday_label


class NoHistory(HallQueueError):
    """No tickets in the weeks of history chosen: nothing to plan from (exit 3, like
    call-next with nobody waiting: nothing to work on, nothing done)."""

    exit_code = 3


class WeekClosed(HallQueueError):
    """No service of the site opens on any day of the planned week (every day a holiday
    by the site calendar): no window to plan (exit 3, nothing to work on)."""

    exit_code = 3


HELP = (QT_TRANSLATE_NOOP("Cli", "排班建议：下周每半小时各业务需要开几个窗口"))


def register(tree: CommandTree) -> None:
    register_overflow(tree)
    parser = tree.top_level("plan", run_plan, HELP)
    parser.add_argument("--week", required=True, type=iso_date, metavar="YYYY-MM-DD",
                        help=QT_TRANSLATE_NOOP("Cli", "所排一周的起始周一"))
    parser.add_argument("--site", metavar="SITE",
                        help=QT_TRANSLATE_NOOP("Cli", "网点代码（默认：唯一的网点）"))
    parser.add_argument("--weeks", type=int, default=4, metavar="N",
                        help=QT_TRANSLATE_NOOP("Cli", "参考此前几周的历史（默认 4）"))
    parser.add_argument("--goal", type=float, default=DEFAULT_GOAL, metavar="SHARE",
                        help=QT_TRANSLATE_NOOP("Cli", "等候时间在业务目标内的比例（默认 0.8）"))
    parser.add_argument("--runs", type=int, default=DEFAULT_CHECK_RUNS, metavar="N",
                        help=tr(QT_TRANSLATE_NOOP("Cli", "每天模拟几次以检验所建议的窗口数"
                                                         "（默认 {runs}；0：只用 Erlang C）"),
                                runs=DEFAULT_CHECK_RUNS))
    parser.add_argument("--json", action="store_true",
                        help=QT_TRANSLATE_NOOP("Cli", "输出 JSON（见 docs/cli.md）"))
    parser.add_argument("--xlsx", type=Path, metavar="FILE",
                        help=QT_TRANSLATE_NOOP("Cli", "同时把排班写成 Excel "
                                                      "工作簿（已有的普通文件会被替换；符号链接、设备或 "
                                                      "FIFO 会被拒绝）"))


def register_overflow(tree: CommandTree) -> None:
    listing = tree.command("overflow", "list", run_overflow_list,
                           QT_TRANSLATE_NOOP("Cli", "列出记录的潮汐窗口建议"),
                           group_help=QT_TRANSLATE_NOOP("Cli", "潮汐窗口"), site=True,
                           json=True)
    listing.add_argument("--from", dest="first_day", type=iso_date, metavar="YYYY-MM-DD",
                         help=QT_TRANSLATE_NOOP("Cli", "起始日（当地日期；默认：全部）"))
    listing.add_argument("--to", dest="last_day", type=iso_date, metavar="YYYY-MM-DD",
                         help=QT_TRANSLATE_NOOP("Cli", "截止日（当地日期；默认：全部）"))
    listing.add_argument("--service", metavar="CODE", help=QT_TRANSLATE_NOOP("Cli", "只看一项业务"))
    listing.add_argument("--limit", type=int, default=MAX_LISTED, metavar="N",
                         help=tr(QT_TRANSLATE_NOOP("Cli", "最多列出 N 条建议（默认 {count}）"),
                                 count=MAX_LISTED))


def run_overflow_list(cli: Cli) -> int:
    args = cli.args
    if args.first_day is not None and args.last_day is not None and \
            args.last_day < args.first_day:
        raise UsageError(f"结束日期 {args.last_day} 早于开始日期 {args.first_day} "
                         f"(the last day ({args.last_day}) is before the first "
                         f"({args.first_day}))")
    try:
        found = recorded_suggestions(cli.db, site=cli.site, first_day=args.first_day,
                                     last_day=args.last_day, service=args.service,
                                     limit=args.limit)
    except ValueError as exc:
        raise UsageError(f"查询条件无效 ({exc})") from None
    if cli.json:
        emit_json({"suggestions": [item.to_json() for item in found]})
        return 0
    if not found:
        say(QT_TRANSLATE_NOOP("Cli", "没有记录的潮汐窗口建议"))
        return 0
    for item in found:
        windows = tr(QT_TRANSLATE_NOOP("Cli", "、")).join(str(n) for n in item.windows) or \
            tr(QT_TRANSLATE_NOOP("Cli", "无"))
        say(QT_TRANSLATE_NOOP("Cli", "{at} {code} {service}：预计等候 {minutes} 分钟（目标 {target} 分钟），"
                                     "{waiting} 人等候，可协助窗口 {windows}"),
            at=f"{item.local_at:%Y-%m-%d %H:%M}", code=item.service, service=item.service_name,
            minutes=item.predicted_minutes, target=item.target_minutes, waiting=item.waiting,
            windows=windows)
    say(QT_TRANSLATE_NOOP("Cli", "共 {count} 条"), count=len(found))
    return 0


def writable_xlsx(path: Path) -> Path:
    """Refuse (exit 2) an ``--xlsx`` path the workbook cannot be written to, before any
    work (shared.staffing.xlsx_target_problem): a folder, a path that exists and is not
    a regular file (replacing a symlink, device or FIFO would destroy it), a folder that
    does not exist, a place nobody may write."""
    allowed = "a new or existing .xlsx file in a folder that exists and can be written"
    problem = xlsx_target_problem(path)
    if problem is None:
        return path
    reason, detail = problem
    if reason == "folder":
        raise UsageError(f"--xlsx {path} 是一个文件夹 (is a folder; give {allowed})")
    if reason == "not_a_file":
        raise UsageError(f"--xlsx {path} 不是普通文件，不能替换 (is a {detail}, not a regular "
                         f"file: writing would replace it; give {allowed})")
    if reason == "no_folder":
        raise UsageError(f"--xlsx {path}：目录不存在 (the folder {detail} does not exist; "
                         f"give {allowed})")
    raise UsageError(f"--xlsx {path}：无法写入 (cannot write there: {detail}; give {allowed})")


def run_plan(cli: Cli) -> int:
    args = cli.args
    try:
        check_request(args.week, args.weeks, args.goal, args.runs)
    except ValueError as exc:
        raise UsageError(f"排班参数{_option(str(exc))}无效 ({exc})") from None
    if args.xlsx is not None:
        writable_xlsx(args.xlsx)
    try:
        plan = staffing_plan(cli.db, args.week, site=cli.site, history_weeks=args.weeks,
                             goal=args.goal, runs=args.runs)
    except ValueError as exc:
        raise UsageError(f"排班参数无效 ({exc})") from None
    first, last = history_span(args.week, args.weeks)
    if not plan.cells and plan.week_closed:
        end = args.week + dt.timedelta(days=6)
        raise WeekClosed(f"{args.week} 至 {end} 本站点不办公（节假日），无需排班 (the week of "
                         f"{args.week} is closed: no service of the site opens on any day "
                         "of it by the site calendar; nothing to plan)")
    if not plan.cells and plan.history_found:
        raise NoHistory(f"{first} 至 {last} 的取号记录都在所选周的办公时间之外，无法排班 "
                        f"(the history from {first} to {last} has tickets only at times "
                        f"the services are closed in the week of {args.week}: nothing to "
                        "plan from)")
    if not plan.cells:
        raise NoHistory(f"{first} 至 {last} 没有取号记录，无法排班 (no history from {first} to "
                        f"{last}, the --weeks {args.weeks} before --week {args.week}: "
                        "nothing to plan from; choose a later week or more --weeks)")
    if args.xlsx is not None:
        try:
            write_plan_xlsx(plan, args.xlsx)
        except OSError as exc:
            raise UsageError(f"--xlsx {args.xlsx}：无法写入 (cannot write: "
                             f"{exc.strerror or exc})") from None
    if cli.json:
        emit_json(plan.to_json())
        return 0
    say(QT_TRANSLATE_NOOP("Cli", "{site} 排班建议：{week} 起一周，依据 {first} 至 {last}，"
                                 "目标 {goal} 在时限内叫号"),
        site=plan.site, week=plan.week, first=plan.history[0], last=plan.history[1],
        goal=f"{plan.goal:.0%}")
    for cell in plan.cells:
        # Both verdicts, labelled: Erlang C per service, and the simulation of the
        # proposed windows (the plan's checked figure) where it ran.
        verdicts = [name for name, short in (("Erlang C", cell.short),
                                             (tr(QT_TRANSLATE_NOOP("Cli", "模拟")),
                                              cell.simulated_short)) if short]
        mark = "  " + tr(QT_TRANSLATE_NOOP("Cli", "← 窗口不足（{verdicts}）"),
                         verdicts=tr(QT_TRANSLATE_NOOP("Cli", "、")).join(verdicts)) \
            if verdicts else ""
        say(QT_TRANSLATE_NOOP("Cli", "{weekday} {day} {slot} {service}: {windows} 个窗口（"
                                     "每小时 {arrivals} 人，每人 {handle} 分钟，预计 {level} 在时限内，"
                                     "平均等候 {wait} 分钟；现有 {serving} 个）{mark}"),
            weekday=weekday_label(cell.day.weekday()), day=cell.day, slot=slot_label(cell.slot),
            service=cell.service, windows=cell.windows,
            arrivals=f"{cell.arrivals_per_hour:.1f}", handle=f"{cell.handle_minutes:.1f}",
            level=f"{cell.service_level:.0%}", wait=f"{cell.mean_wait_minutes:.1f}",
            serving=cell.serving_windows, mark=mark)
    if not plan.opening:
        # Not checked (--runs 0): Erlang C's windows on the site's windows, said so, as
        # the workbook's totals sheet has them.
        say(UNCHECKED_NOTE)
    proposed = proposed_opening(plan)
    for (day, slot), opened in sorted(proposed.items()):
        numbers = [str(n) for n in sorted(opened) if n < EXTRA_WINDOW_BASE]
        extra = len(opened) - len(numbers)
        separator = tr(QT_TRANSLATE_NOOP("Cli", "、"))
        which = tr(QT_TRANSLATE_NOOP("Cli", "{numbers} 号"), numbers=separator.join(numbers)) \
            if numbers else ""
        if extra:
            which += (tr(QT_TRANSLATE_NOOP("Cli", "，")) if numbers else "") + \
                tr(QT_TRANSLATE_NOOP("Cli", "另需增派 {extra} 人"), extra=extra)
        say(QT_TRANSLATE_NOOP("Cli", "{weekday} {day} {slot} 开放 {count} 个窗口：{which}"),
            weekday=weekday_label(day.weekday()), day=day, slot=slot_label(slot),
            count=len(opened), which=which)
    simulated = tr(QT_TRANSLATE_NOOP("Cli", "，模拟 {count} 处"),
                   count=sum(bool(c.simulated_short) for c in plan.cells)) if plan.runs else ""
    # The total of the windows listed above (unchecked: plan.window_hours() would be the
    # per-service sum, a shared window counted once per service).
    hours = sum(len(opened) for opened in proposed.values()) * SLOT_MINUTES / 60
    say(QT_TRANSLATE_NOOP("Cli", "合计 {hours} 窗口小时（各业务分别按 Erlang C 合计 {erlang}），"
                                 "窗口不足：Erlang C {short} 处{simulated}"),
        hours=f"{hours:.1f}", erlang=f"{plan.erlang_window_hours():.1f}",
        short=sum(c.short for c in plan.cells), simulated=simulated)
    return 0


def _option(message: str) -> str:
    """" --week 2026-03-03 " of a refusal worded "--week 2026-03-03 ...": the option and
    the value it names, for the Chinese half (shared.staffing.check_request's English)."""
    found = re.match(r"(--[\w-]+) (\S+?):?(?:\s|$)", message)
    return f" {found[1]} {found[2]} " if found else ""

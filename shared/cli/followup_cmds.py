"""``hallq-admin followup …``, ``evaluation list`` and ``materials rank``: bad ratings
followed up on the clock, and what citizens lacked (docs/cli.md, docs/evaluation.md).

    hallq-admin --as chen followup list [--site S] [--status open|contacted|rectified|closed]
                                        [--overdue] [--json]
    hallq-admin --as chen followup show ID [--json]          # the whole phone number
    hallq-admin --as chen followup contact ID --note TEXT [--json]
    hallq-admin --as chen followup rectify ID --note TEXT [--json]
    hallq-admin --as chen followup close ID --opinion satisfied|basic|dissatisfied
                                        [--note TEXT] [--json]
    hallq-admin --as chen followup appeal ID --kind malicious|mistaken --reason TEXT [--json]
    hallq-admin --as chen evaluation list --from D --to D [--site S] [--level N] [--bad] [--json]
    hallq-admin materials rank --from D --to D [--site S] [--json]

The follow-up and evaluation commands need an admin or supervisor login (``--as``) and
are recorded in the audit chain (shared/cli/authority.py); each step names that login as
who took it. Deadlines come from the config's [followup] section.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from shared import evaluations, followups, materials, vocabulary
from shared.cli.base import Cli, CommandTree, iso_date, say, tr, whole_number
from shared.cli.output import emit_json
from shared.errors import UsageError
from shared.followups import APPEALS, OPINIONS, STATUS_FILTERS, FollowUpView
from shared.i18n import QT_TRANSLATE_NOOP

FOLLOWUP_HELP = QT_TRANSLATE_NOOP("Cli", "差评回访与整改")
EVALUATION_HELP = QT_TRANSLATE_NOOP("Cli", "评价")
MATERIALS_HELP = QT_TRANSLATE_NOOP("Cli", "缺件统计")


def register(tree: CommandTree) -> None:
    listing = tree.command("followup", "list", run_list, QT_TRANSLATE_NOOP("Cli", "列出回访"),
                           group_help=FOLLOWUP_HELP, site=True, json=True)
    listing.add_argument("--status", choices=STATUS_FILTERS,
                         help=QT_TRANSLATE_NOOP("Cli", "只列此状态的回访（pending：未办结）"))
    listing.add_argument("--overdue", action="store_true",
                         help=QT_TRANSLATE_NOOP("Cli", "只列有环节已超期的"))
    show = tree.command("followup", "show", run_show,
                        QT_TRANSLATE_NOOP("Cli", "回访详情，含完整电话"),
                        json=True)
    show.add_argument("id", type=whole_number, metavar="ID")
    for name, help_text in (("contact", QT_TRANSLATE_NOOP("Cli", "记录回访")),
                            ("rectify", QT_TRANSLATE_NOOP("Cli", "记录整改"))):
        step = tree.command("followup", name, run_step, help_text, json=True)
        step.add_argument("id", type=whole_number, metavar="ID")
        step.add_argument("--note", required=True, help=QT_TRANSLATE_NOOP("Cli", "沟通或处理的内容"))
    close = tree.command("followup", "close", run_step,
                         QT_TRANSLATE_NOOP("Cli", "办结并记录群众意见"), json=True)
    close.add_argument("id", type=whole_number, metavar="ID")
    close.add_argument("--opinion", required=True, choices=list(OPINIONS),
                       help=QT_TRANSLATE_NOOP("Cli", "群众意见：satisfied 满意、basic 基本满意、"
                                                     "dissatisfied 不满意"))
    close.add_argument("--note", default="", help=QT_TRANSLATE_NOOP("Cli", "办结说明"))
    appeal = tree.command("followup", "appeal", run_step,
                          QT_TRANSLATE_NOOP("Cli", "申诉：恶意或误评"), json=True)
    appeal.add_argument("id", type=whole_number, metavar="ID")
    appeal.add_argument("--kind", required=True, choices=list(APPEALS),
                        help=QT_TRANSLATE_NOOP("Cli", "malicious（恶意差评）或 mistaken（误评）"))
    appeal.add_argument("--reason", required=True, help=QT_TRANSLATE_NOOP("Cli", "申诉理由"))

    ratings = tree.command("evaluation", "list", run_evaluations,
                           QT_TRANSLATE_NOOP("Cli", "列出评价"),
                           group_help=EVALUATION_HELP, site=True, json=True)
    _range(ratings)
    ratings.add_argument("--level", type=int, choices=sorted(evaluations.LEVELS),
                         help=QT_TRANSLATE_NOOP("Cli", "只列此评价等级（1 非常满意 … 5 非常不满意）"))
    ratings.add_argument("--bad", action="store_true", help=QT_TRANSLATE_NOOP("Cli", "只列差评（4 和 5）"))

    rank = tree.command("materials", "rank", run_rank,
                        QT_TRANSLATE_NOOP("Cli", "各业务最常缺少的材料"),
                        group_help=MATERIALS_HELP, site=True, json=True)
    _range(rank)


def _range(parser: object) -> None:
    parser.add_argument("--from", dest="date_from", required=True,  # type: ignore[attr-defined]
                        type=iso_date, metavar="YYYY-MM-DD", help=QT_TRANSLATE_NOOP("Cli", "起始营业日"))
    parser.add_argument("--to", dest="date_to", required=True,  # type: ignore[attr-defined]
                        type=iso_date, metavar="YYYY-MM-DD", help=QT_TRANSLATE_NOOP("Cli", "截止营业日"))


def _local(value: dt.datetime | None, zone: str) -> str:
    """A moment in the site's own time (not this PC's, not UTC)."""
    return value.astimezone(ZoneInfo(zone)).strftime("%Y-%m-%d %H:%M") if value else "-"


def _by(day: dt.date) -> str:
    """A deadline as the last day it covers: it is due at the local midnight after it."""
    return tr(QT_TRANSLATE_NOOP("Cli", "{day} 当日"), day=day.isoformat())


def _line(f: FollowUpView) -> str:
    late = {"contact": " " + tr(QT_TRANSLATE_NOOP("Cli", "回访逾期")),
            "rectify": " " + tr(QT_TRANSLATE_NOOP("Cli", "整改逾期"))}.get(f.overdue or "", "")
    appeal = " " + tr(QT_TRANSLATE_NOOP("Cli", "已申诉（{kind}）"), kind=vocabulary.appeal_label(f.appeal)) \
        if f.appeal else ""
    return (f"{f.id:>5}  {f.business_day}  {f.ticket_number:<6} {f.service:<10} "
            f"{f.level_label:<5} {f.status_label}{late}{appeal}")


def run_list(cli: Cli) -> int:
    items = followups.list_follow_ups(cli.db, site=cli.site, status=cli.args.status,
                                      overdue=cli.args.overdue,
                                      rules=cli.config.follow_up_rules)
    if cli.json:
        emit_json({"follow_ups": [f.to_json() for f in items]})
        return 0
    for item in items:
        print(_line(item))
    if not items:
        say(QT_TRANSLATE_NOOP("Cli", "没有符合条件的回访"))
    return 0


def run_show(cli: Cli) -> int:
    item = followups.get_follow_up(cli.db, cli.args.id, rules=cli.config.follow_up_rules)
    if cli.json:
        emit_json({"follow_up": item.to_json(whole_phone=True)})
        return 0
    print(_line(item))
    print("  " + tr(QT_TRANSLATE_NOOP("Cli", "联系电话：{phone}  意见：{comment}"), phone=item.phone or "-",
                    comment=item.comment or "-"))
    if item.cases:
        print("  " + tr(QT_TRANSLATE_NOOP("Cli", "办件编号：{cases}"), cases=", ".join(item.cases)))
    print("  " + tr(QT_TRANSLATE_NOOP("Cli", "回访期限：{contact}  整改期限：{rectify}"),
                    contact=_by(item.contact_due_day), rectify=_by(item.rectify_due_day)))
    for step, at, by, note in ((QT_TRANSLATE_NOOP("Cli", "回访"), item.contacted_at, item.contacted_by,
                                item.contact_result),
                               (QT_TRANSLATE_NOOP("Cli", "整改"), item.rectified_at, item.rectified_by,
                                item.rectify_note),
                               (QT_TRANSLATE_NOOP("Cli", "办结"), item.closed_at, item.closed_by, item.note)):
        if at is not None:
            print(f"  {tr(step)} {_local(at, item.timezone)} {by or '-'}: {note}")
    return 0


def run_step(cli: Cli) -> int:
    login = getattr(cli.args, "as_login", None)
    if not login:
        raise UsageError("回访记录需要 --as 登录 (a follow-up step records who took it: add "
                         "--as LOGIN of a supervisor or admin)")
    rules = cli.config.follow_up_rules
    command, fid = cli.args.command, cli.args.id
    if command == "contact":
        item = followups.contact(cli.db, fid, by=login, note=cli.args.note, rules=rules)
    elif command == "rectify":
        item = followups.rectify(cli.db, fid, by=login, note=cli.args.note, rules=rules)
    elif command == "close":
        item = followups.close(cli.db, fid, by=login, opinion=cli.args.opinion,
                               note=cli.args.note, rules=rules)
    else:
        item = followups.appeal(cli.db, fid, by=login, kind=cli.args.kind,
                                reason=cli.args.reason, rules=rules)
    if cli.json:
        emit_json({"follow_up": item.to_json()})
    else:
        print(_line(item))
    return 0


def run_evaluations(cli: Cli) -> int:
    items = evaluations.list_evaluations(cli.db, cli.args.date_from, cli.args.date_to,
                                         site=cli.site, level=cli.args.level,
                                         bad_only=cli.args.bad)
    if cli.json:
        emit_json({"evaluations": [e.to_json() for e in items]})
        return 0
    for e in items:
        label = vocabulary.level_label(e.level or None)
        appeal = "  " + tr(QT_TRANSLATE_NOOP("Cli", "已申诉（{kind}）"),
                           kind=vocabulary.appeal_label(e.appeal)) if e.appeal else ""
        window = tr(QT_TRANSLATE_NOOP("Cli", "{window}号窗口"), window=f"{e.window or '-':>3}")
        case = "  " + tr(QT_TRANSLATE_NOOP("Cli", "办件 {case}（事项 {item}）"), case=e.case_no,
                         item=e.item_code or "-") if e.case_no else ""
        print(f"{e.id:>5}  {e.business_day}  {e.ticket:<6} {e.service:<6} "
              f"{window}  {label}{appeal}{case}")
    return 0


def run_rank(cli: Cli) -> int:
    ranked = materials.ranking(cli.db, cli.args.date_from, cli.args.date_to, site=cli.site)
    if cli.json:
        emit_json({"missing_materials": [r.as_dict() for r in ranked]})
        return 0
    for r in ranked:
        print(tr(QT_TRANSLATE_NOOP("Cli", "{service}  {material}  {times}/{cases} 次"),
                 service=r.service_name, material=r.material, times=r.times, cases=r.cases))
    if not ranked:
        say(QT_TRANSLATE_NOOP("Cli", "该时段没有登记缺少的材料"))
    return 0

"""``hallq-admin ticket ...``: every queue operation, for scripts, integrations and hardware
callers. One-ticket commands print ``{"ticket": {...}}`` with ``--json`` (docs/cli.md).

TICKET is the numeric id, or the displayed number (A017) on the site's current business
day. ``--window`` and ``--clerk`` name the actor recorded in the event log.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from zoneinfo import ZoneInfo

from shared import admin, hcp, issuing, queue
from shared.cli.base import Cli, CommandTree, iso_date, say, tr, window_number
from shared.cli.output import (
    emit_json,
    ticket_details,
    ticket_payload,
    ticket_row,
)
from shared.db import Database
from shared.errors import NotFound, NothingWaiting, UsageError
from shared.i18n import QT_TRANSLATE_NOOP
from shared.read import hall_state
from shared.states import Outcome, TicketKind
from shared.views import TicketView
from shared.vocabulary import outcome_label

HELP = QT_TRANSLATE_NOOP("Cli", "票号与叫号")

# name -> (queue operation, help, Chinese and English of the human line)
TicketOp = Callable[..., TicketView]
SIMPLE_ACTIONS: dict[str, tuple[TicketOp, str, str]] = {
    "recall": (queue.recall, QT_TRANSLATE_NOOP("Cli", "重新叫号"),
               QT_TRANSLATE_NOOP("Cli", "{number} 已重新叫号")),
    "no-show": (queue.no_show, QT_TRANSLATE_NOOP("Cli", "标记过号"),
                QT_TRANSLATE_NOOP("Cli", "{number} 已标记过号")),
    "reinstate": (queue.reinstate, QT_TRANSLATE_NOOP("Cli", "过号重排"),
                  QT_TRANSLATE_NOOP("Cli", "{number} 已重新排队")),
    "start": (queue.start, QT_TRANSLATE_NOOP("Cli", "开始办理"),
              QT_TRANSLATE_NOOP("Cli", "{number} 开始办理")),
    "cancel": (queue.cancel, QT_TRANSLATE_NOOP("Cli", "取消"), QT_TRANSLATE_NOOP("Cli", "{number} 已取消")),
}


def register(tree: CommandTree) -> None:
    issue = tree.command("ticket", "issue", run_issue, QT_TRANSLATE_NOOP("Cli", "取号"), group_help=HELP,
                         site=True, json=True, actor=True, request_id=True)
    issue.add_argument("service", metavar="SERVICE_CODE")
    issue.add_argument("--kind", choices=[k.value for k in TicketKind],
                       default=TicketKind.NORMAL.value)
    issue.add_argument("--after-hours", action="store_true",
                       help=QT_TRANSLATE_NOOP("Cli", "延时服务：工作人员在办公时间外取号（不超过限额）"))

    call_next = tree.command("ticket", "call-next", run_call_next,
                             QT_TRANSLATE_NOOP("Cli", "叫下一位"),
                             group_help=HELP, site=True, json=True, request_id=True)
    _actor_options(call_next, window_required=True)
    call = tree.command("ticket", "call", run_call, QT_TRANSLATE_NOOP("Cli", "叫指定号"),
                        group_help=HELP, site=True, json=True, request_id=True)
    call.add_argument("number", metavar="NUMBER")
    _actor_options(call, window_required=True)

    for name, (_, text, _) in SIMPLE_ACTIONS.items():
        parser = tree.command("ticket", name, run_simple, text, group_help=HELP, site=True,
                              json=True, actor=True, request_id=True)
        parser.add_argument("ticket", metavar="TICKET",
                            help=QT_TRANSLATE_NOOP("Cli", "票的 id，或号码如 A017"))
        parser.set_defaults(action=name)

    finish = tree.command("ticket", "finish", run_finish, QT_TRANSLATE_NOOP("Cli", "办理完成"),
                          group_help=HELP, site=True, json=True, actor=True, request_id=True)
    finish.add_argument("ticket", metavar="TICKET")
    finish.add_argument("--outcome", choices=[o.value for o in Outcome],
                        default=Outcome.COMPLETED.value)
    finish.add_argument("--case", dest="cases", action="append", default=[], metavar="NO",
                        help=QT_TRANSLATE_NOOP("Cli", "本次办结的办件编号；可重复给出多个"))
    finish.add_argument("--missing", action="append", default=[], metavar="MATERIAL",
                        help=QT_TRANSLATE_NOOP("Cli", "与 --outcome materials-missing 一起用："
                                                      "群众所缺的材料，按事项目录中的名称（可重复给出多个）"))

    transfer = tree.command("ticket", "transfer", run_transfer,
                            QT_TRANSLATE_NOOP("Cli", "转办"),
                            group_help=HELP, site=True, json=True, actor=True,
                            request_id=True)
    transfer.add_argument("ticket", metavar="TICKET")
    target = transfer.add_mutually_exclusive_group(required=True)
    target.add_argument("--to-service", metavar="CODE")
    target.add_argument("--to-window", metavar="N", type=window_number)
    transfer.add_argument("--note", default="", help=QT_TRANSLATE_NOOP("Cli", "给下一个窗口的备注"))

    listing = tree.command("ticket", "list", run_list,
                           QT_TRANSLATE_NOOP("Cli", "列出某营业日的票"),
                           group_help=HELP, site=True, json=True)
    listing.add_argument("--day", metavar="YYYY-MM-DD", type=iso_date,
                         help=QT_TRANSLATE_NOOP("Cli", "营业日（默认：网点的今天）"))
    show = tree.command("ticket", "show", run_show, QT_TRANSLATE_NOOP("Cli", "查看一张票"),
                        group_help=HELP, site=True, json=True)
    show.add_argument("ticket", metavar="TICKET")


def _actor_options(parser: argparse.ArgumentParser, *, window_required: bool) -> None:
    parser.add_argument("--window", metavar="N", type=window_number, required=window_required,
                        help=QT_TRANSLATE_NOOP("Cli", "叫号的窗口"))
    parser.add_argument("--clerk", metavar="LOGIN", help=QT_TRANSLATE_NOOP("Cli", "操作人员的工号"))


def _zone(db: Database, ticket: TicketView) -> ZoneInfo | None:
    """The time zone to show a ticket's times in: its site's."""
    for site in admin.list_sites(db):
        if site.code == ticket.site:
            return ZoneInfo(site.timezone)
    return None


def run_issue(cli: Cli) -> int:
    issued = issuing.issue_ticket(cli.db, cli.args.service, site=cli.site, kind=cli.args.kind,
                                  after_hours=cli.args.after_hours, actor=cli.actor,
                                  request_key=cli.request_key)
    t = issued.ticket
    if cli.json:
        emit_json(ticket_payload(t, people_ahead=issued.people_ahead,
                                 estimated_wait_minutes=issued.estimated_wait_minutes,
                                 windows=issued.windows, materials=issued.materials))
        return 0
    wait = tr(QT_TRANSLATE_NOOP("Cli", "，预计等候 {minutes} 分钟"),
              minutes=issued.estimated_wait_minutes) if issued.estimated_wait_minutes else ""
    say(QT_TRANSLATE_NOOP("Cli", "已取号 {number} ({service}) 前面 {ahead} 人{wait}"),
        number=t.number, service=t.service_name, ahead=issued.people_ahead, wait=wait)
    return 0


def run_call_next(cli: Cli) -> int:
    result = queue.call_next(cli.db, cli.args.window, site=cli.site, clerk=cli.args.clerk,
                             request_key=cli.request_key)
    finished = result.finished.to_json() if result.finished else None
    if cli.json:
        emit_json(ticket_payload(result.ticket, finished=finished))
    elif result.finished:
        say(QT_TRANSLATE_NOOP("Cli", "{number} 已办理完成"), number=result.finished.number)
    if result.ticket is None:
        raise NothingWaiting(f"{cli.args.window} 号窗口没有等候的人 (nobody is waiting for "
                             f"window {cli.args.window})")
    if not cli.json:
        _say_called(result.ticket)
    return 0


def run_call(cli: Cli) -> int:
    ticket = queue.call_number(cli.db, cli.args.number, cli.args.window, site=cli.site,
                               clerk=cli.args.clerk, request_key=cli.request_key)
    if cli.json:
        emit_json(ticket_payload(ticket))
    else:
        _say_called(ticket)
    return 0


def _say_called(ticket: TicketView) -> None:
    say(QT_TRANSLATE_NOOP("Cli", "请 {number} 号到 {window} 号窗口办理 · {service}"),
        number=ticket.number, window=ticket.window, service=ticket.service_name)


def run_simple(cli: Cli) -> int:
    operation, _, done = SIMPLE_ACTIONS[cli.args.action]
    ticket = operation(cli.db, cli.args.ticket, site=cli.site, actor=cli.actor,
                       request_key=cli.request_key)
    return _print_ticket(cli, ticket, tr(done, number=ticket.number))


def run_finish(cli: Cli) -> int:
    ticket = queue.finish(cli.db, cli.args.ticket, outcome=cli.args.outcome, site=cli.site,
                          actor=cli.actor, request_key=cli.request_key, cases=cli.args.cases,
                          missing=cli.args.missing)
    return _print_ticket(cli, ticket, tr(QT_TRANSLATE_NOOP("Cli", "{number} 已办理，结果：{outcome}"),
                                         number=ticket.number,
                                         outcome=outcome_label(ticket.outcome)))


def run_transfer(cli: Cli) -> int:
    args = cli.args
    ticket = queue.transfer(cli.db, args.ticket, to_service=args.to_service,
                            to_window=args.to_window, note=args.note, site=cli.site,
                            actor=cli.actor, request_key=cli.request_key)
    where = (tr(QT_TRANSLATE_NOOP("Cli", "{window} 号窗口"), window=args.to_window)
             if args.to_window is not None else f"{ticket.service_name} ({ticket.service})")
    return _print_ticket(cli, ticket, tr(QT_TRANSLATE_NOOP("Cli", "{number} 已转至 {where}"),
                                         number=ticket.number, where=where))


def _print_ticket(cli: Cli, ticket: TicketView, line: str) -> int:
    if cli.json:
        emit_json(ticket_payload(ticket))
    else:
        print(line)
    return 0


def run_list(cli: Cli) -> int:
    tickets = hall_state.list_tickets(cli.db, site=cli.site, day=cli.args.day)
    if cli.json:
        emit_json({"tickets": [t.to_json() for t in tickets]})
        return 0
    if not tickets:
        say(QT_TRANSLATE_NOOP("Cli", "这一天没有票"))
        return 0
    zone = _zone(cli.db, tickets[0])
    for ticket in tickets:
        say(ticket_row(ticket, zone))
    return 0


def run_show(cli: Cli) -> int:
    ref = str(cli.args.ticket).strip()
    if not ref:
        raise UsageError("请给出票号或编号 (give a ticket id or number)")
    try:
        ticket = hall_state.get_ticket(cli.db, ref, site=cli.site)
    except NotFound:
        if cli.json:
            emit_json(ticket_payload(None))
        raise
    cases = hcp.ticket_cases(cli.db, ticket.id)
    if cli.json:
        # Beside the ticket, not in it: the ticket's object is the one every ticket command
        # answers (a retried issue's stored answer too).
        emit_json({**ticket_payload(ticket), "cases": cases})
        return 0
    for line in ticket_details(ticket, _zone(cli.db, ticket)):
        say(line)
    if cases:
        say("  " + tr(QT_TRANSLATE_NOOP("Cli", "办件编号：{cases}"), cases=", ".join(cases)))
    return 0


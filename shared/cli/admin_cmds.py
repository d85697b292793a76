"""``hallq-admin site|window|clerk|day ...``: the hall's set-up between catalog loads."""

from __future__ import annotations

import getpass
import sys

from shared import admin, clerks, queue
from shared.clerks import ROLES
from shared.cli.base import Cli, CommandTree, say, service_weight, tr, window_number
from shared.cli.output import emit_json, window_row
from shared.errors import UsageError
from shared.i18n import QT_TRANSLATE_NOOP
from shared.read import hall_state
from shared.views import WindowView

SITE_HELP = QT_TRANSLATE_NOOP("Cli", "站点")
WINDOW_HELP = QT_TRANSLATE_NOOP("Cli", "窗口")
CLERK_HELP = QT_TRANSLATE_NOOP("Cli", "工作人员")


def register(tree: CommandTree) -> None:
    _register_sites(tree)
    _register_windows(tree)
    _register_clerks(tree)
    tree.command("day", "close", run_day_close,
                 QT_TRANSLATE_NOOP("Cli", "结束营业日"),
                 group_help=QT_TRANSLATE_NOOP("Cli", "营业日"), site=True, json=True)


# --------------------------------------------------------------------------- sites


def _register_sites(tree: CommandTree) -> None:
    tree.command("site", "list", run_site_list, QT_TRANSLATE_NOOP("Cli", "列出站点"), group_help=SITE_HELP,
                 json=True)
    add = tree.command("site", "add", run_site_add,
                       QT_TRANSLATE_NOOP("Cli", "新增站点，使用默认日历"),
                       group_help=SITE_HELP, json=True)
    add.add_argument("code", metavar="CODE")
    add.add_argument("name", metavar="NAME")
    add.add_argument("--timezone", default="Asia/Shanghai",
                     help=QT_TRANSLATE_NOOP("Cli", "IANA 时区（如 Asia/Shanghai）"))
    disable = tree.command("site", "disable", run_site_disable, QT_TRANSLATE_NOOP("Cli", "停用站点"),
                           group_help=SITE_HELP, json=True)
    disable.add_argument("code", metavar="CODE")


def run_site_list(cli: Cli) -> int:
    sites = admin.list_sites(cli.db)
    if cli.json:
        emit_json({"sites": [s.to_json() for s in sites]})
        return 0
    if not sites:
        say(QT_TRANSLATE_NOOP("Cli", "尚无站点：请运行 'hallq-admin catalog load FILE'"))
    for s in sites:
        state = "" if s.active else "  " + tr(QT_TRANSLATE_NOOP("Cli", "已停用"))
        say(QT_TRANSLATE_NOOP("Cli", "{code} {name}  {windows} 个窗口  {zone}{state}"),
            code=f"{s.code:<12}", name=s.name, windows=s.windows, zone=s.timezone, state=state)
    return 0


def run_site_add(cli: Cli) -> int:
    site = admin.add_site(cli.db, cli.args.code, cli.args.name, timezone=cli.args.timezone)
    if cli.json:
        emit_json({"site": site.to_json()})
    else:
        say(QT_TRANSLATE_NOOP("Cli", "已新增站点 {code} {name}"), code=site.code, name=site.name)
    return 0


def run_site_disable(cli: Cli) -> int:
    site = admin.disable_site(cli.db, cli.args.code)
    if cli.json:
        emit_json({"site": site.to_json()})
    else:
        say(QT_TRANSLATE_NOOP("Cli", "已停用站点 {code}"), code=site.code)
    return 0


# --------------------------------------------------------------------------- windows


def _register_windows(tree: CommandTree) -> None:
    add = tree.command("window", "add", run_window_add,
                       QT_TRANSLATE_NOOP("Cli", "新增窗口"), group_help=WINDOW_HELP,
                       site=True, json=True)
    add.add_argument("number", metavar="N", type=window_number)
    add.add_argument("--name", required=True)
    add.add_argument("--service", metavar="CODE[:WEIGHT]", type=service_weight, action="append",
                     required=True, help=QT_TRANSLATE_NOOP("Cli", "本窗口办理的业务（可重复给出多个）"))
    add.add_argument("--comprehensive", action="store_true", default=None,
                     help=QT_TRANSLATE_NOOP("Cli", "标为综合窗口（默认：办理多项业务即是）"))
    tree.command("window", "list", run_window_list, QT_TRANSLATE_NOOP("Cli", "列出窗口"),
                 group_help=WINDOW_HELP, site=True, json=True)
    for name, handler, text in (
        ("disable", run_window_disable, QT_TRANSLATE_NOOP("Cli", "停用窗口")),
        ("resume", run_window_resume, QT_TRANSLATE_NOOP("Cli", "恢复窗口")),
        ("pause", run_window_pause, QT_TRANSLATE_NOOP("Cli", "暂停窗口")),
    ):
        parser = tree.command("window", name, handler, text, group_help=WINDOW_HELP, site=True,
                              json=True, request_id=name != "disable")
        parser.add_argument("number", metavar="N", type=window_number)
        if name != "disable":
            parser.add_argument("--clerk", metavar="LOGIN", help=QT_TRANSLATE_NOOP("Cli", "操作人员的工号"))
        if name == "pause":
            parser.add_argument("--reason", required=True,
                                help=QT_TRANSLATE_NOOP("Cli", "如 午休、会议、咨询"))


def run_window_add(cli: Cli) -> int:
    services: dict[str, int] = {}
    for code, weight in cli.args.service:
        if code in services:
            raise UsageError(f"业务 {code} 重复 (--service {code} given twice)")
        services[code] = weight
    window = admin.add_window(cli.db, cli.args.number, cli.args.name, services, site=cli.site,
                              comprehensive=cli.args.comprehensive)
    return _print_window(cli, window, tr(QT_TRANSLATE_NOOP("Cli", "已新增 {number} 号窗口 {name}"),
                                         number=window.number, name=window.name))


def run_window_list(cli: Cli) -> int:
    windows = hall_state.list_windows(cli.db, site=cli.site)
    if cli.json:
        emit_json({"windows": [w.to_json() for w in windows]})
        return 0
    if not windows:
        say(QT_TRANSLATE_NOOP("Cli", "此站点没有窗口"))
    for window in windows:
        say(window_row(window))
    return 0


def run_window_disable(cli: Cli) -> int:
    window = admin.disable_window(cli.db, cli.args.number, site=cli.site)
    return _print_window(cli, window, tr(QT_TRANSLATE_NOOP("Cli", "已停用 {number} 号窗口"),
                                         number=window.number))


def run_window_pause(cli: Cli) -> int:
    window = queue.pause_window(cli.db, cli.args.number, cli.args.reason, site=cli.site,
                                clerk=cli.args.clerk, request_key=cli.request_key)
    return _print_window(cli, window, tr(QT_TRANSLATE_NOOP("Cli", "{number} 号窗口已暂停：{reason}"),
                                         number=window.number, reason=window.pause_reason))


def run_window_resume(cli: Cli) -> int:
    window = queue.resume_window(cli.db, cli.args.number, site=cli.site, clerk=cli.args.clerk,
                                 request_key=cli.request_key)
    return _print_window(cli, window, tr(QT_TRANSLATE_NOOP("Cli", "{number} 号窗口已恢复"),
                                         number=window.number))


def _print_window(cli: Cli, window: WindowView, line: str) -> int:
    if cli.json:
        emit_json({"window": window.to_json()})
    else:
        print(line)
    return 0


# --------------------------------------------------------------------------- clerks


def _register_clerks(tree: CommandTree) -> None:
    add = tree.command("clerk", "add", run_clerk_add, QT_TRANSLATE_NOOP("Cli", "新增工作人员"),
                       group_help=CLERK_HELP, json=True)
    add.add_argument("login", metavar="LOGIN")
    add.add_argument("--name", required=True, help=QT_TRANSLATE_NOOP("Cli", "显示的姓名，如 王芳"))
    add.add_argument("--role", choices=ROLES, default="clerk")
    tree.command("clerk", "list", run_clerk_list, QT_TRANSLATE_NOOP("Cli", "列出工作人员"),
                 group_help=CLERK_HELP, json=True)
    disable = tree.command("clerk", "disable", run_clerk_disable,
                           QT_TRANSLATE_NOOP("Cli", "停用工作人员"),
                           group_help=CLERK_HELP, json=True)
    disable.add_argument("login", metavar="LOGIN")
    passwd = tree.command("clerk", "passwd", run_clerk_passwd, QT_TRANSLATE_NOOP("Cli", "修改密码"),
                          group_help=CLERK_HELP)
    passwd.add_argument("login", metavar="LOGIN")


def read_password(from_stdin: bool) -> str:
    """The next line of stdin (the first, or the second after ``--as``'s own password), or
    typed twice at a prompt that does not echo."""
    if from_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
        if not password:
            raise UsageError("标准输入中没有密码 (no password on the next line of stdin)")
        return password
    if not sys.stdin.isatty():
        raise UsageError("无法提示输入密码 (no terminal to prompt for a password: "
                         "use --password-stdin)")
    first = getpass.getpass(tr(QT_TRANSLATE_NOOP("Cli", "密码：")))
    if getpass.getpass(tr(QT_TRANSLATE_NOOP("Cli", "再次输入："))) != first:
        raise UsageError("两次输入的密码不一致 (the two passwords differ)")
    return first


def run_clerk_add(cli: Cli) -> int:
    password = read_password(cli.password_stdin)
    clerk = clerks.add_clerk(cli.db, cli.args.login, cli.args.name, password, cli.args.role)
    if cli.json:
        emit_json({"clerk": clerk.to_json()})
    else:
        say(QT_TRANSLATE_NOOP("Cli", "已新增工作人员 {login} {name}（{role}）"),
            login=clerk.login, name=clerk.display_name, role=clerk.role)
    return 0


def run_clerk_list(cli: Cli) -> int:
    accounts = clerks.list_clerks(cli.db)
    if cli.json:
        emit_json({"clerks": [c.to_json() for c in accounts]})
        return 0
    if not accounts:
        say(QT_TRANSLATE_NOOP("Cli", "尚无工作人员：请用 'hallq-admin clerk add LOGIN --name NAME' 添加"))
    for c in accounts:
        where = "  " + tr(QT_TRANSLATE_NOOP("Cli", "在 {window} 号窗口"), window=c.window) if c.window else ""
        state = "" if c.active else "  " + tr(QT_TRANSLATE_NOOP("Cli", "已停用"))
        say(f"{c.login:<16} {c.display_name}  {c.role}{where}{state}")
    return 0


def run_clerk_disable(cli: Cli) -> int:
    clerk = clerks.disable_clerk(cli.db, cli.args.login)
    if cli.json:
        emit_json({"clerk": clerk.to_json()})
    else:
        say(QT_TRANSLATE_NOOP("Cli", "已停用工作人员 {login}"), login=clerk.login)
    return 0


def run_clerk_passwd(cli: Cli) -> int:
    clerks.require_clerk(cli.db, cli.args.login)  # before asking for a password
    clerks.set_password(cli.db, cli.args.login, read_password(cli.password_stdin))
    say(QT_TRANSLATE_NOOP("Cli", "已修改 {login} 的密码"), login=cli.args.login)
    return 0


# --------------------------------------------------------------------------- day


def run_day_close(cli: Cli) -> int:
    closed = queue.close_day(cli.db, site=cli.site)
    if cli.json:
        emit_json({"closed": closed})
    else:
        say(QT_TRANSLATE_NOOP("Cli", "营业日已结束，关闭 {count} 张未办理完的票"), count=closed)
    return 0

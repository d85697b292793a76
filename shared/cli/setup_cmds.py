"""``hallq-admin setup terminal``: one PC of the hall set up in one command: its config
written (owner-only) and every check its terminal needs run, one line each."""

from __future__ import annotations

from pathlib import Path

from shared.cli.base import Cli, CommandTree, tr, window_number
from shared.cli.output import emit_json
from shared.config import default_config_path
from shared.i18n import QT_TRANSLATE_NOOP, SOURCE_LANGUAGE
from shared.terminal_setup import KINDS, TerminalPlan, exit_code, set_up


def register(tree: CommandTree) -> None:
    parser = tree.command(
        "setup", "terminal", run_setup_terminal,
        QT_TRANSLATE_NOOP("Cli", "设置本机终端：写配置并检查数据库、打印机、声音和屏幕"),
        group_help=QT_TRANSLATE_NOOP("Cli", "本机设置"), json=True, check_schema=False)
    parser.add_argument("--kind", required=True, choices=KINDS,
                        help=QT_TRANSLATE_NOOP("Cli", "本机的用途：kiosk、counter、display 或 supervisor"))
    parser.add_argument("--server", required=True, metavar="URL",
                        help=QT_TRANSLATE_NOOP("Cli", "本终端使用的数据库 URL，如 "
                                                      "postgresql+psycopg://kiosk1:PASSWORD@192.168.1.10/ha"
                                                      "llq"))
    parser.add_argument("--site", default="", metavar="SITE",
                        help=QT_TRANSLATE_NOOP("Cli", "网点代码（默认：唯一的网点）"))
    parser.add_argument("--window", type=window_number, default=0, metavar="N",
                        help=QT_TRANSLATE_NOOP("Cli", "counter：本机的窗口号（默认：登录时选择）"))
    parser.add_argument("--printer", default="", metavar="URL",
                        help=QT_TRANSLATE_NOOP("Cli", "kiosk/counter：如 tcp://192.168.1.50:9100（见 "
                                                      "docs/printing.md）"))
    parser.add_argument("--test-print", action="store_true",
                        help=QT_TRANSLATE_NOOP("Cli", "同时在打印机上打印一张测试小票"))
    parser.add_argument("--out", type=Path, metavar="PATH",
                        help=tr(QT_TRANSLATE_NOOP("Cli", "要写的配置文件（默认：{path}）"),
                                path=default_config_path()))
    parser.add_argument("--force", action="store_true",
                        help=QT_TRANSLATE_NOOP("Cli", "替换已有的配置（旧的保存为 .bak）"))


def run_setup_terminal(cli: Cli) -> int:
    args = cli.args
    plan = TerminalPlan(kind=args.kind, database_url=args.server, site=args.site,
                        window=args.window, printer=args.printer, language=args.lang or SOURCE_LANGUAGE)
    checks = set_up(plan, args.out or default_config_path(), replace=args.force,
                    test_slip=args.test_print)
    code = exit_code(checks)
    if cli.json:
        emit_json({"checks": [c.to_json() for c in checks], "ok": code == 0})
    else:
        for check in checks:
            print(check.line())
    return code

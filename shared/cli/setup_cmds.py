"""``hallq-admin setup terminal``: one PC of the hall set up in one command: its config
written (owner-only) and every check its terminal needs run, one line each."""

from __future__ import annotations

from pathlib import Path

from shared.cli.base import Cli, CommandTree, window_number
from shared.cli.output import emit_json
from shared.config import default_config_path
from shared.i18n import SOURCE_LANGUAGE
from shared.terminal_setup import KINDS, TerminalPlan, exit_code, set_up


def register(tree: CommandTree) -> None:
    parser = tree.command(
        "setup", "terminal", run_setup_terminal,
        "设置本机终端：写配置并检查数据库、打印机、声音和屏幕 (set up this PC's terminal: "
        "write its config, check database, printer, sound and screens)",
        group_help="本机设置 (this PC's set-up: terminal)", json=True, check_schema=False)
    parser.add_argument("--kind", required=True, choices=KINDS,
                        help="what this PC is: kiosk, counter, display or supervisor")
    parser.add_argument("--server", required=True, metavar="URL",
                        help="the database URL this terminal uses, e.g. "
                             "postgresql+psycopg://kiosk1:PASSWORD@192.168.1.10/hallq")
    parser.add_argument("--site", default="", metavar="SITE", help="site code (default: the only site)")
    parser.add_argument("--window", type=window_number, default=0, metavar="N",
                        help="counter: this PC's window (default: chosen at login)")
    parser.add_argument("--printer", default="", metavar="URL",
                        help="kiosk/counter: e.g. tcp://192.168.1.50:9100 (docs/printing.md)")
    parser.add_argument("--test-print", action="store_true",
                        help="also print a test slip on the printer")
    parser.add_argument("--out", type=Path, metavar="PATH",
                        help=f"the config file to write (default: {default_config_path()})")
    parser.add_argument("--force", action="store_true",
                        help="replace an existing config (kept as .bak)")


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

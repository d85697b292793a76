"""``hallq-admin pin hash``: turn a kiosk PIN into the hash its config keeps
(``kiosk.staff_pin_hash`` / ``kiosk.admin_pin_hash``; docs/kiosk.md)."""

from __future__ import annotations

import getpass
import sys

from shared.cli.base import Cli, CommandTree, tr
from shared.errors import UsageError
from shared.i18n import QT_TRANSLATE_NOOP
from shared.pins import check_pin_text, hash_pin


def register(tree: CommandTree) -> None:
    parser = tree.command("pin", "hash", run_hash,
                          QT_TRANSLATE_NOOP("Cli", "生成自助机 PIN 的哈希"),
                          group_help=QT_TRANSLATE_NOOP("Cli", "自助机 PIN"), check_schema=False)
    parser.add_argument("--kind", choices=("staff", "admin"), required=True,
                        help=QT_TRANSLATE_NOOP("Cli", "staff：导办台 PIN；admin：退出全屏或关闭程序"))


def run_hash(cli: Cli) -> int:
    if cli.password_stdin:
        pin = sys.stdin.readline().rstrip("\r\n")
    elif not sys.stdin.isatty():
        raise UsageError("没有终端可提示输入 PIN，请改用 --password-stdin (no terminal to prompt "
                         "for the PIN: use --password-stdin)")
    else:
        pin = getpass.getpass("PIN: ")
        if getpass.getpass(tr(QT_TRANSLATE_NOOP("Cli", "再次输入："))) != pin:
            raise UsageError("两次输入的 PIN 不一致 (the two PINs differ)")
    check_pin_text(pin)
    print("[kiosk]")
    print(f'{cli.args.kind}_pin_hash = "{hash_pin(pin)}"')
    return 0

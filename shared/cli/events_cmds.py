"""``hallq-admin events export``: the append-only event log as CSV, for audits and for
analysis outside HallQueue (a spreadsheet, the county's statistics)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from shared import admin
from shared.cli.base import Cli, CommandTree, iso_date, say
from shared.errors import UsageError
from shared.i18n import QT_TRANSLATE_NOOP


def register(tree: CommandTree) -> None:
    export = tree.command("events", "export", run_export,
                          QT_TRANSLATE_NOOP("Cli", "导出事件日志为 CSV"),
                          group_help=QT_TRANSLATE_NOOP("Cli", "事件日志"), site=True)
    export.add_argument("--from", dest="first_day", required=True, type=iso_date,
                        metavar="YYYY-MM-DD", help=QT_TRANSLATE_NOOP("Cli", "起始日（网点当地日期）"))
    export.add_argument("--to", dest="last_day", required=True, type=iso_date,
                        metavar="YYYY-MM-DD", help=QT_TRANSLATE_NOOP("Cli", "截止日（网点当地日期，含当日）"))
    export.add_argument("--out", required=True, metavar="FILE.csv",
                        help=QT_TRANSLATE_NOOP("Cli", "输出文件；'-' 表示写到标准输出"))


def run_export(cli: Cli) -> int:
    a = cli.args
    if a.out == "-":
        admin.export_events(cli.db, sys.stdout, first_day=a.first_day, last_day=a.last_day,
                            site=getattr(a, "site", None))
        return 0
    target = Path(a.out)
    # Written beside the target and renamed at the end, so a failed export never leaves a
    # half-written file that looks complete.
    partial = target.with_name(target.name + ".partial")
    try:
        # utf-8-sig: Excel then opens the Chinese columns correctly.
        with partial.open("w", encoding="utf-8-sig", newline="") as out:
            count = admin.export_events(cli.db, out, first_day=a.first_day,
                                        last_day=a.last_day, site=getattr(a, "site", None))
        os.replace(partial, target)
    except OSError as exc:
        raise UsageError(f"无法写入 {target} (cannot write {target}: {exc.strerror or exc})") \
            from None
    finally:
        partial.unlink(missing_ok=True)
    say(QT_TRANSLATE_NOOP("Cli", "已导出 {count} 条事件到 {path}"), count=count, path=target)
    return 0

"""``hallq-admin terminal list``: every terminal's last heartbeat and its alerts
(device health, :mod:`shared.heartbeats`)."""

from __future__ import annotations

from shared import heartbeats
from shared.cli.base import Cli, CommandTree, say, tr
from shared.cli.output import emit_json
from shared.i18n import QT_TRANSLATE_NOOP

HELP = QT_TRANSLATE_NOOP("Cli", "终端设备")


def register(tree: CommandTree) -> None:
    tree.command("terminal", "list", run_terminal_list,
                 QT_TRANSLATE_NOOP("Cli", "列出各终端的状态：心跳、打印机、声音、版本"),
                 group_help=HELP, site=True, json=True)


def run_terminal_list(cli: Cli) -> int:
    terminals = heartbeats.list_terminals(cli.db, site=cli.args.site)
    if cli.json:
        emit_json({"terminals": [t.to_json() for t in terminals],
                   "silent_after_seconds": int(heartbeats.SILENT_AFTER.total_seconds())})
        return 0
    if not terminals:
        say(QT_TRANSLATE_NOOP("Cli", "尚无终端上报心跳"))
    for t in terminals:
        problems = "；".join(heartbeats.describe_alert(t, a) for a in t.alerts) or \
            tr(QT_TRANSLATE_NOOP("Cli", "正常"))
        if t.last_error:  # which part failed; the English detail is in --json
            problems += tr(QT_TRANSLATE_NOOP("Cli", "；最近错误：{error}"),
                           error=heartbeats.error_words(t.last_error))
        printer = heartbeats.printer_words(t.printer) if t.printer else "-"
        say(QT_TRANSLATE_NOOP("Cli", "{kind} {name} {site} {host} v{version} 打印机 {printer} "
                                     "{seconds}s 前  {problems}"),
            kind=f"{t.kind:<10}", name=f"{t.name:<20}", site=f"{t.site or '-':<8}",
            host=f"{t.host:<16}", version=f"{t.version:<8}", printer=f"{printer:<4}",
            seconds=f"{t.silent_seconds:>5}", problems=problems)
    return 0

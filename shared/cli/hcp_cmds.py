"""``hallq-admin hcp``: the ratings in the provincial 好差评 field set (docs/evaluation.md).

    hallq-admin hcp export --from D --to D [--site S] --format json|csv --out FILE
    hallq-admin hcp push [--once] [--site S]
    hallq-admin hcp status [--site S] [--json]
    hallq-admin hcp retry [--site S]

``push`` sends the pending records to the config's ``[hcp] url``: once (a scheduled
task) or in rounds until interrupted (a service). It exits 0 when every record it tried
was sent, 9 when some are still pending after a failed attempt or were refused (the
scheduler sees it), 2 without a URL or with a wrong field mapping.
"""

from __future__ import annotations

import time
from pathlib import Path

from shared import hcp
from shared.cli.base import Cli, CommandTree, iso_date, say, tr, write_stderr_line
from shared.cli.output import emit_json
from shared.errors import UsageError
from shared.i18n import QT_TRANSLATE_NOOP

HELP = QT_TRANSLATE_NOOP("Cli", "省级好差评对接")
NOT_ALL_SENT = 9


INTERRUPTED = 130


def register(tree: CommandTree) -> None:
    export = tree.command("hcp", "export", run_export,
                          QT_TRANSLATE_NOOP("Cli", "按省级字段导出评价"),
                          group_help=HELP, site=True)
    export.add_argument("--from", dest="first_day", type=iso_date, required=True,
                        metavar="YYYY-MM-DD", help=QT_TRANSLATE_NOOP("Cli", "起始营业日"))
    export.add_argument("--to", dest="last_day", type=iso_date, required=True,
                        metavar="YYYY-MM-DD", help=QT_TRANSLATE_NOOP("Cli", "截止营业日，含当日"))
    export.add_argument("--format", choices=("json", "csv"), required=True)
    export.add_argument("--out", type=Path, required=True, metavar="FILE")

    push = tree.command("hcp", "push", run_push,
                        QT_TRANSLATE_NOOP("Cli", "向省级系统推送待上报的评价"), group_help=HELP, site=True,
                        json=True)
    push.add_argument("--once", action="store_true",
                      help=QT_TRANSLATE_NOOP("Cli", "只上报一轮后退出（用于计划任务）；默认：持续运行"))

    tree.command("hcp", "status", run_status,
                 QT_TRANSLATE_NOOP("Cli", "待上报、失败与已上报的评价数"),
                 group_help=HELP, site=True, json=True)
    tree.command("hcp", "retry", run_retry,
                 QT_TRANSLATE_NOOP("Cli", "重新上报被拒绝的评价"), group_help=HELP,
                 site=True, json=True)


def run_export(cli: Cli) -> int:
    a = cli.args
    mapping = hcp.field_mapping(cli.config.hcp)
    records = hcp.export_records(cli.db, a.first_day, a.last_day, site=a.site)
    text = hcp.render(records, mapping, a.format)
    try:
        a.out.write_text(text, encoding="utf-8", newline="")
    except OSError as exc:
        raise UsageError(f"无法写入 {a.out} (cannot write {a.out}: {exc.strerror})") from None
    say(QT_TRANSLATE_NOOP("Cli", "已导出 {count} 条评价到 {path}"), count=len(records),
        path=a.out)
    for missing in hcp.missing_codes(records, mapping):
        # Not an error: the file is written; the province will refuse such records until
        # the catalog has the code (docs/evaluation.md, "Codes the province assigns").
        write_stderr_line(tr(QT_TRANSLATE_NOOP("Cli", "缺少代码 {field}：{owner}（{records} 条记录此项为空，"
                                                      "请在目录中填写）"),
                             field=missing.field, owner=missing.owner, records=missing.records))
    return 0


def run_push(cli: Cli) -> int:
    settings = cli.config.hcp
    total = hcp.PushReport()
    interrupted = False
    try:
        while True:
            report = hcp.push_once(cli.db, settings, site=cli.args.site)
            total.sent += report.sent
            total.retrying += report.retrying
            total.refused += report.refused
            if cli.args.once:
                break
            if report.sent + report.retrying + report.refused == 0:
                time.sleep(settings.poll_seconds)
    except KeyboardInterrupt:  # the service is stopped: say what it did, exit 130
        if cli.args.once:
            raise
        interrupted = True
    status = hcp.outbox_status(cli.db, site=cli.args.site)
    if cli.json:
        emit_json({"push": total.as_dict(), "status": status.as_dict()})
    else:
        say(QT_TRANSLATE_NOOP("Cli", "已上报 {sent} 条，待重试 {retrying} 条，被拒 {refused} 条；"
                                     "仍待上报 {pending} 条"),
            sent=total.sent, retrying=total.retrying, refused=total.refused,
            pending=status.pending)
    if interrupted:
        return INTERRUPTED  # as every command stopped by Ctrl+C (docs/cli.md, exit codes)
    return NOT_ALL_SENT if total.retrying or total.refused else 0


def run_status(cli: Cli) -> int:
    status = hcp.outbox_status(cli.db, site=cli.args.site)
    if cli.json:
        emit_json({"status": status.as_dict()})
    else:
        say(QT_TRANSLATE_NOOP("Cli", "待上报 {pending} 条（其中失败重试 {failing} 条），被拒 {refused} 条，"
                                     "已上报 {sent} 条"),
            pending=status.pending, failing=status.failing, refused=status.refused,
            sent=status.sent)
        if status.last_error:
            # its kind in this language; the English detail is in --json and the log
            say(QT_TRANSLATE_NOOP("Cli", "最近的错误：{error}"),
                error=hcp.error_words(status.last_error))
    return 0


def run_retry(cli: Cli) -> int:
    count = hcp.retry_refused(cli.db, site=cli.args.site)
    if cli.json:
        emit_json({"requeued": count})
    else:
        say(QT_TRANSLATE_NOOP("Cli", "已重新排队 {count} 条被拒的评价"), count=count)
    return 0

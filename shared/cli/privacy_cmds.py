"""``hallq-admin privacy purge``: erase citizens' names and phones older than the hall
keeps them (docs/security.md); needs an admin or supervisor login and is audited."""

from __future__ import annotations

from shared import privacy
from shared.cli.base import Cli, CommandTree, say, whole_number
from shared.cli.output import emit_json
from shared.i18n import QT_TRANSLATE_NOOP


def register(tree: CommandTree) -> None:
    purge = tree.command("privacy", "purge", run_purge,
                         QT_TRANSLATE_NOOP("Cli", "删除过期的群众个人信息"),
                         group_help=QT_TRANSLATE_NOOP("Cli", "个人信息"), json=True)
    purge.add_argument("--older-than", dest="days", type=whole_number, metavar="DAYS",
                       help=QT_TRANSLATE_NOOP("Cli", "保留天数（默认：配置文件的 privacy_days，180）"))


def run_purge(cli: Cli) -> int:
    days = cli.args.days if cli.args.days is not None else cli.config.privacy_days
    report = privacy.purge(cli.db, days)
    if cli.json:
        emit_json({"purged": report.as_dict()})
    else:
        say(QT_TRANSLATE_NOOP("Cli", "已删除 {before} 之前的个人信息：预约 {appointments} 条，"
                                     "评价 {evaluations} 条，回访 {follow_ups} 条"),
            before=report.before, appointments=report.appointments,
            evaluations=report.evaluations, follow_ups=report.follow_ups)
    return 0

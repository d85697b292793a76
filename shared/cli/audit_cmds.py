"""``hallq-admin audit verify``: walk each site's audit chain and name every event
changed, removed or inserted out of place (exit 0 intact, 8 broken; docs/security.md)."""

from __future__ import annotations

from shared import audit
from shared.cli.base import Cli, CommandTree, iso_date, say, tr
from shared.cli.output import emit_json
from shared.errors import UsageError
from shared.i18n import QT_TRANSLATE_NOOP

BROKEN = 8


def register(tree: CommandTree) -> None:
    verify = tree.command("audit", "verify", run_verify,
                          QT_TRANSLATE_NOOP("Cli", "校验事件日志的哈希链"),
                          group_help=QT_TRANSLATE_NOOP("Cli", "审计"), json=True)
    verify.add_argument("--site", metavar="SITE",
                        help=QT_TRANSLATE_NOOP("Cli", "只查一个网点（默认：所有网点）"))
    verify.add_argument("--from", dest="first_day", type=iso_date, metavar="YYYY-MM-DD",
                        help=QT_TRANSLATE_NOOP("Cli", "起始日（网点当地日期；默认：链的开头）"))
    verify.add_argument("--to", dest="last_day", type=iso_date, metavar="YYYY-MM-DD",
                        help=QT_TRANSLATE_NOOP("Cli", "截止日，含当日（网点当地日期；默认：链的末尾）"))


def run_verify(cli: Cli) -> int:
    a = cli.args
    if a.first_day and a.last_day and a.last_day < a.first_day:
        raise UsageError(f"结束日期早于开始日期 (--to {a.last_day} is before --from {a.first_day})")
    verdicts = audit.verify(cli.db, site=a.site, first_day=a.first_day, last_day=a.last_day)
    intact = all(v.intact for v in verdicts)
    if cli.json:
        emit_json({"intact": intact, "sites": [v.as_dict() for v in verdicts]})
    else:
        for v in verdicts:
            if v.problem is None:
                span = f"#{v.first_seq}..#{v.last_seq}" if v.checked \
                    else tr(QT_TRANSLATE_NOOP("Cli", "（无事件）"))
                say(QT_TRANSLATE_NOOP("Cli", "{site}: 完整，已校验 {checked} 条事件 {span}；"
                                             "链头 #{head} {hash}"),
                    site=v.site, checked=v.checked, span=span, head=v.head_seq,
                    hash=v.head_hash[:16])
                continue
            # Every break, in chain order: one found early hides none found later.
            for problem in v.problems:
                say(QT_TRANSLATE_NOOP("Cli", "{site}: 已被篡改（{kind}），第 #{seq} 条事件：{detail}"),
                    site=v.site, kind=problem.kind, seq=problem.seq or "?",
                    detail=problem.detail)
            if v.problem_count > 1:
                say(QT_TRANSLATE_NOOP("Cli", "{site}: 共 {count} 处断裂，已列出 {listed} 处"),
                    site=v.site, count=v.problem_count, listed=len(v.problems))
    return 0 if intact else BROKEN

"""``hallq-admin``: the administration and scripting command line (docs/cli.md).

Exit codes: 0 done; 2 wrong usage or invalid value; 3 nothing waiting for call-next;
4 refused by a queue rule; 5 database unreachable or schema mismatch; 6 the printer could
not print (ticket print); 7 the database login may not do this (docs/security.md); 8 the
audit chain is broken (audit verify); 9 some 好差评 records could not be sent (hcp push);
1 an unexpected error (logged with its traceback;
stderr names the log file). Every error is one line on stderr. The codes come from the
exception classes in :mod:`shared.errors`.

It speaks one language: Chinese, or English with ``--lang en`` or a config whose
``language`` is en (--lang wins, as in the Qt apps). Its own words are in the catalogs
(context ``Cli``, shared/i18n.py); the queue core's "中文 (English)" errors show the half
of that language.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from shared import audit, i18n, schema
from shared.cli.authority import authorize, record
from shared.cli.base import (
    PROG,
    ArgumentParser,
    Cli,
    CommandTree,
    add_global_options,
    give_request_key,
    tr,
)
from shared.cli.base import write_stderr_line as error_line
from shared.config import exposure_warning, load_config
from shared.db import Database
from shared.errors import DatabaseUnavailable, HallQueueError
from shared.i18n import QT_TRANSLATE_NOOP
from shared.logs import scrub, setup_logging
from shared.options import requested_language

log = logging.getLogger("hallq.cli")

# Command group -> the modules of shared/cli/ that add commands to it (each module has
# register(tree)). Only the modules of the group being run are imported, so a button box
# calling `ticket call-next` does not wait for the report writers to load.
COMMAND_MODULES: dict[str, tuple[str, ...]] = {
    "db": ("db_cmds",),
    "catalog": ("catalog_cmds",),
    "site": ("admin_cmds",),
    "window": ("admin_cmds",),
    "clerk": ("admin_cmds",),
    "day": ("admin_cmds",),
    "ticket": ("ticket_cmds", "print_cmds"),
    "appointment": ("appointment_cmds",),
    "events": ("events_cmds",),
    "audit": ("audit_cmds",),
    "pin": ("pin_cmds",),
    "privacy": ("privacy_cmds",),
    "stats": ("stats_cmds",),
    "report": ("stats_cmds",),
    "plan": ("plan_cmds",),
    "overflow": ("plan_cmds",),
    "setup": ("setup_cmds",),
    "terminal": ("terminal_cmds",),
    "hcp": ("hcp_cmds",),
    "followup": ("followup_cmds",),
    "evaluation": ("followup_cmds",),
    "materials": ("followup_cmds",),
}
_OPTIONS_WITH_VALUE = ("--database", "--config", "--as", "--lang")


def build_parser(group: str | None = None) -> ArgumentParser:
    """The parser with the commands of ``group``, or of every group (for --help, or when
    the group is unknown, so that argparse lists the choices)."""
    parser = ArgumentParser(
        prog=PROG,
        description=tr(QT_TRANSLATE_NOOP(
            "Cli", "HallQueue 管理与脚本接口。退出码：0 完成，2 用法错误，3 无人等候，4 排队规则拒绝，"
                   "5 数据库，6 打印机，7 无权限，8 审计链被破坏，9 好差评上报未完成；详见 docs/cli.md。")),
    )
    add_global_options(parser, suppress=False)
    tree = CommandTree(parser)
    every = [name for names in COMMAND_MODULES.values() for name in names]
    for name in dict.fromkeys(COMMAND_MODULES.get(group or "") or every):
        importlib.import_module(f"shared.cli.{name}").register(tree)
    return parser


def requested_group(argv: Sequence[str]) -> str | None:
    """The first word of the command line that is neither an option nor its value."""
    words = iter(argv)
    for word in words:
        if word in _OPTIONS_WITH_VALUE:
            next(words, None)
        elif not word.startswith("-"):
            return word
    return None


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; return its exit code (the console script exits with it)."""
    if argv is None:  # running as the program, so the standard streams are ours to set
        _utf8_when_piped()
    words = list(sys.argv[1:] if argv is None else argv)
    previous = i18n.language()  # main() may run inside a longer process (tests)
    i18n.set_language(requested_language(words) or i18n.SOURCE_LANGUAGE)
    try:
        return _main(words)
    finally:
        i18n.set_language(previous)


def _main(words: list[str]) -> int:
    try:
        args = build_parser(requested_group(words)).parse_args(words)
    except SystemExit as exc:  # --help, or a usage error already printed on one line
        return 0 if exc.code is None else exc.code if isinstance(exc.code, int) else 2
    root = logging.getLogger()
    before = list(root.handlers)
    # python-escpos calls logging.basicConfig() when imported, which would echo every log
    # record to stderr; the CLI's stderr carries only its one-line errors (and -v).
    strays = [h for h in before if type(h) is logging.StreamHandler]
    for handler in strays:
        root.removeHandler(handler)
    try:
        log_file: Path | None = setup_logging(PROG, verbose=args.verbose)
    except OSError as exc:  # an unwritable log folder must not stop the command
        # The system's own words (English) only in English; Chinese names the folder.
        error_line(f"{PROG}: " + tr(QT_TRANSLATE_NOOP("Cli", "无法写日志：{path}"),
                                    path=exc.filename or "", error=exc.strerror or exc))
        log_file = None
    try:
        return _run(args, log_file)
    finally:
        # Leave the root logger as it was when main() runs inside a longer process (tests).
        for added in [h for h in root.handlers if h not in before]:
            root.removeHandler(added)
            added.close()
        for stray in strays:
            root.addHandler(stray)


def _run(args: argparse.Namespace, log_file: Path | None) -> int:
    command = f"{args.group} {args.command or ''}".strip()
    db: Database | None = None
    try:
        if (key := give_request_key(args)) is not None:
            log.info("%s request id %s", command, key)
        config = load_config(args.config, database=args.database)
        if args.lang is None:
            i18n.set_language(config.language)
        if (warning := exposure_warning(config)) is not None:
            log.warning("%s", warning)
            error_line(f"{PROG}: {i18n.one_language(warning)}")  # stderr: --json stays clean
        db = Database(config.database_url, limits=config.database)
        log.info("%s on %s", command, db.url.render_as_string(hide_password=True))
        if args.check_schema:
            schema.ensure_current(db)
        cli = Cli(args, config, db)
        who = authorize(cli)
        code = int(args.handler(cli))
        if code == 0:
            record(cli, who)
        log.info("%s exited with %d", command, code)
        return code
    except HallQueueError as exc:
        log.info("%s refused (exit %d): %s", command, exc.exit_code, exc)
        key = getattr(args, "request_id", None)
        if isinstance(exc, DatabaseUnavailable) and key:
            # The command may have been done with only its answer lost: the same key
            # finds out, and does it at most once.
            error_line(f"{PROG}: " + tr(
                QT_TRANSLATE_NOOP("Cli", "{error}；请用同一请求号重试：--request-id {key}"),
                error=i18n.one_language(str(exc)), key=key))
        else:
            error_line(f"{PROG}: {i18n.one_language(str(exc))}")
        return exc.exit_code
    except BrokenPipeError:
        # The reader (``| head``) stopped reading: say so, and keep the exit-time flush
        # of the buffered output from failing again.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        error_line(f"{PROG}: " + tr(QT_TRANSLATE_NOOP("Cli", "输出管道已被读取方关闭")))
        return 1
    except KeyboardInterrupt:
        error_line(f"{PROG}: " + tr(QT_TRANSLATE_NOOP("Cli", "已中断")))
        return 130
    except Exception as exc:
        log.exception("unexpected error in %s", command)
        where = tr(QT_TRANSLATE_NOOP("Cli", "详情见 {path}"), path=log_file) if log_file \
            else tr(QT_TRANSLATE_NOOP("Cli", "无法写日志文件"))
        # The exception's own words are English: the English line shows them, the Chinese
        # one only where the log (which has them with the traceback) is.
        error_line(f"{PROG}: " + tr(QT_TRANSLATE_NOOP("Cli", "意外错误；{where}"),
                                    kind=type(exc).__name__, error=scrub(str(exc))[:300],
                                    where=where))
        return 1
    finally:
        audit.VIA.set(None)  # main() may run again in this process (tests, a shell)
        if db is not None:
            db.dispose()


def _utf8_when_piped() -> None:
    # A script reading our output gets UTF-8 on every platform (Windows pipes would
    # otherwise use the ANSI code page); a console shows Chinese either way.
    for stream in (sys.stdout, sys.stderr):
        encoding = (getattr(stream, "encoding", None) or "").lower().replace("-", "")
        if encoding != "utf8" and not stream.isatty() and hasattr(stream, "reconfigure"):
            stream.reconfigure(encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())

"""``hallq-admin``: the administration and scripting command line (docs/cli.md).

Exit codes: 0 done; 2 wrong usage or invalid value; 3 nothing waiting for call-next;
4 refused by a queue rule; 5 database unreachable or schema mismatch; 1 an unexpected
error (logged with its traceback; stderr names the log file). Every error is one line on
stderr. The codes come from the exception classes in :mod:`shared.errors`.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence
from pathlib import Path

from shared import schema
from shared.cli import (
    admin_cmds,
    appointment_cmds,
    catalog_cmds,
    db_cmds,
    events_cmds,
    ticket_cmds,
)
from shared.cli.base import PROG, ArgumentParser, Cli, CommandTree, add_global_options
from shared.cli.base import write_stderr_line as error_line
from shared.config import load_config
from shared.db import Database
from shared.errors import HallQueueError
from shared.logs import setup_logging

log = logging.getLogger("hallq.cli")

# Each module adds its commands with register(tree); later issues append theirs here.
COMMAND_MODULES = (db_cmds, catalog_cmds, admin_cmds, ticket_cmds, appointment_cmds,
                   events_cmds)


def build_parser() -> ArgumentParser:
    parser = ArgumentParser(
        prog=PROG,
        description="HallQueue 管理与脚本接口 (HallQueue administration and scripting). "
                    "Exit codes: 0 done, 2 usage, 3 nobody waiting, 4 queue rule, "
                    "5 database; see docs/cli.md.",
    )
    add_global_options(parser, suppress=False)
    tree = CommandTree(parser)
    for module in COMMAND_MODULES:
        module.register(tree)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; return its exit code (the console script exits with it)."""
    _utf8_when_piped()
    try:
        args = build_parser().parse_args(argv)
    except SystemExit as exc:  # --help, or a usage error already printed on one line
        return exc.code if isinstance(exc.code, int) else 2
    root = logging.getLogger()
    before = list(root.handlers)
    try:
        log_file: Path | None = setup_logging(PROG, verbose=args.verbose)
    except OSError as exc:  # an unwritable log folder must not stop the command
        error_line(f"{PROG}: 无法写日志 (cannot write the log file: {exc})")
        log_file = None
    try:
        return _run(args, log_file)
    finally:
        # Leave no handler behind when main() runs inside a longer process (tests).
        for handler in [h for h in root.handlers if h not in before]:
            root.removeHandler(handler)
            handler.close()


def _run(args: argparse.Namespace, log_file: Path | None) -> int:
    command = f"{args.group} {args.command}"
    db: Database | None = None
    try:
        config = load_config(args.config, database=args.database)
        db = Database(config.database_url)
        log.info("%s on %s", command, db.url.render_as_string(hide_password=True))
        if args.check_schema:
            schema.ensure_current(db)
        code = int(args.handler(Cli(args, config, db)))
        log.info("%s exited with %d", command, code)
        return code
    except HallQueueError as exc:
        log.info("%s refused (exit %d): %s", command, exc.exit_code, exc)
        error_line(f"{PROG}: {exc}")
        return exc.exit_code
    except KeyboardInterrupt:
        error_line(f"{PROG}: 已中断 (interrupted)")
        return 130
    except Exception as exc:
        log.exception("unexpected error in %s", command)
        where = f"details in {log_file}" if log_file else "no log file could be written"
        error_line(f"{PROG}: 意外错误，详情见日志 (unexpected error: {type(exc).__name__}: "
                   f"{exc}; {where})")
        return 1
    finally:
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

"""The command-line options every HallQueue program takes (hallq-admin and the Qt apps):
where the configuration and the database are, and whether to log to stderr."""

from __future__ import annotations

import argparse

from shared.i18n import QT_TRANSLATE_NOOP


def add_common_options(parser: argparse.ArgumentParser, *, suppress: bool = False) -> None:
    """--database, --config and -v. With ``suppress`` they default to SUPPRESS, so a
    subcommand's parser can take them too without overwriting the main parser's value
    (``hallq-admin -v ticket list`` and ``hallq-admin ticket list -v`` both work)."""

    def default(value: object) -> object:
        return argparse.SUPPRESS if suppress else value

    parser.add_argument("--database", metavar="URL", default=default(None),
                        help=QT_TRANSLATE_NOOP("Cli", "数据库 URL；优先于 $HALLQ_DATABASE_URL 和配置文件"))
    parser.add_argument("--config", metavar="PATH", default=default(None),
                        help=QT_TRANSLATE_NOOP("Cli", "终端配置文件（TOML；默认在系统的配置目录中）"))
    parser.add_argument("-v", "--verbose", action="store_true", default=default(False),
                        help=QT_TRANSLATE_NOOP("Cli", "日志同时写到标准错误输出"))

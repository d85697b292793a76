"""The command-line options every HallQueue program takes (hallq-admin and the Qt apps):
where the configuration and the database are, and whether to log to stderr."""

from __future__ import annotations

import argparse


def add_common_options(parser: argparse.ArgumentParser, *, suppress: bool = False) -> None:
    """--database, --config and -v. With ``suppress`` they default to SUPPRESS, so a
    subcommand's parser can take them too without overwriting the main parser's value
    (``hallq-admin -v ticket list`` and ``hallq-admin ticket list -v`` both work)."""

    def default(value: object) -> object:
        return argparse.SUPPRESS if suppress else value

    parser.add_argument("--database", metavar="URL", default=default(None),
                        help="database URL; wins over $HALLQ_DATABASE_URL and the config file")
    parser.add_argument("--config", metavar="PATH", default=default(None),
                        help="terminal config file (TOML; default: the platform config "
                             "directory)")
    parser.add_argument("-v", "--verbose", action="store_true", default=default(False),
                        help="also log to stderr")

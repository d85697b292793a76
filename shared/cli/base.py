"""The frame every ``hallq-admin`` subcommand plugs into: the argument parser that reports
errors on one line, the command tree later issues extend, and the context handlers get.

A command module exposes ``register(tree)`` and adds its commands with
:meth:`CommandTree.command`; each handler takes a :class:`Cli` and returns the exit code.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Callable
from dataclasses import dataclass

from shared.config import Config
from shared.db import Database
from shared.errors import UsageError
from shared.i18n import LANGUAGES, QT_TRANSLATE_NOOP
from shared.operation import Actor

# The parser and the catalog's words are every program's (shared/options.py); the
# commands take them from here with the rest of the frame.
from shared.options import CONTEXT as CONTEXT
from shared.options import ArgumentParser as ArgumentParser
from shared.options import add_common_options
from shared.options import tr as tr
from shared.request_keys import new_key, valid_key

PROG = "hallq-admin"


@dataclass
class Cli:
    """What a command handler works with."""

    args: argparse.Namespace
    config: Config
    db: Database

    @property
    def site(self) -> str | None:
        """``--site``, else the terminal config's site, else None (the only site)."""
        return getattr(self.args, "site", None) or self.config.site_code

    @property
    def password_stdin(self) -> bool:
        return bool(getattr(self.args, "password_stdin", False))

    @property
    def json(self) -> bool:
        return bool(getattr(self.args, "json", False))

    @property
    def actor(self) -> Actor:
        return Actor(getattr(self.args, "window", None), getattr(self.args, "clerk", None))

    @property
    def request_key(self) -> str | None:
        """``--request-id``, or the key made for this run (see :func:`give_request_key`)."""
        return getattr(self.args, "request_id", None)


Handler = Callable[[Cli], int]


def add_global_options(parser: argparse.ArgumentParser, *, suppress: bool) -> None:
    """The options every command takes: the common ones (shared/options.py) and the
    clerk it acts as. On the subcommands they default to SUPPRESS, so
    ``hallq-admin -v ticket list`` and ``hallq-admin ticket list -v`` both work."""

    def default(value: object) -> object:
        return argparse.SUPPRESS if suppress else value

    add_common_options(parser, suppress=suppress)
    parser.add_argument("--lang", choices=LANGUAGES, default=default(None),
                        help=QT_TRANSLATE_NOOP("Cli", "提示与报表的语言：zh_CN 或 en（默认："
                                                      "配置文件的语言，无配置时为 zh_CN）；用于 setup "
                                                      "terminal 时也是该终端的语言"))
    parser.add_argument("--as", dest="as_login", metavar="LOGIN", default=default(None),
                        help=QT_TRANSLATE_NOOP("Cli", "以此人员身份认证（管理类命令须为管理员或值班长；见 "
                                                      "docs/cli.md）；密码会提示输入，或用 "
                                                      "--password-stdin 读取"))
    parser.add_argument("--password-stdin", action="store_true", default=default(False),
                        help=QT_TRANSLATE_NOOP("Cli", "从标准输入读取密码而不提示：先是 --as 的密码，"
                                                      "再是命令要设置的新密码，每行一个"))


class CommandTree:
    """Groups (``ticket``, ``window``, ...) and their commands; modules add to it."""

    def __init__(self, parser: ArgumentParser) -> None:
        self._root = parser.add_subparsers(dest="group", metavar="COMMAND", required=True,
                                           parser_class=ArgumentParser)
        self._groups: dict[str, argparse._SubParsersAction[ArgumentParser]] = {}

    def group(self, name: str, help: str) -> argparse._SubParsersAction[ArgumentParser]:
        """The subcommands of group ``name``, created on first use."""
        if name not in self._groups:
            # ``help``, Chinese and marked QT_TRANSLATE_NOOP("Cli", ...), is translated when
            # shown, like an option's (shared/options.py)
            parser = self._root.add_parser(name, help=help, description=help)
            self._groups[name] = parser.add_subparsers(
                dest="command", metavar="ACTION", required=True, parser_class=ArgumentParser)
        return self._groups[name]

    def top_level(self, name: str, handler: Handler, help: str, *, check_schema: bool = True
                  ) -> ArgumentParser:
        """Add a command without an action word (``hallq-admin stats ...``)."""
        parser: ArgumentParser = self._root.add_parser(name, help=help, description=help)
        add_global_options(parser, suppress=True)
        parser.set_defaults(handler=handler, check_schema=check_schema, command="")
        return parser

    def command(self, group: str, name: str, handler: Handler, help: str, *,
                group_help: str = "", site: bool = False, json: bool = False,
                actor: bool = False, check_schema: bool = True,
                request_id: bool = False) -> ArgumentParser:
        """Add ``hallq-admin GROUP NAME``; the flags add the shared --site, --json,
        --window/--clerk and --request-id options. ``check_schema=False`` only for the db
        commands. ``help`` is Chinese, marked ``QT_TRANSLATE_NOOP("Cli", ...)``."""
        parser: ArgumentParser = self.group(group, group_help or group).add_parser(
            name, help=help, description=help)
        add_global_options(parser, suppress=True)
        if site:
            parser.add_argument("--site", metavar="SITE",
                                help=QT_TRANSLATE_NOOP("Cli", "网点代码（默认：配置文件中的网点，"
                                                              "或唯一的网点）"))
        if json:
            parser.add_argument("--json", action="store_true",
                                help=QT_TRANSLATE_NOOP("Cli", "输出 JSON（见 docs/cli.md）"))
        if actor:
            parser.add_argument("--window", metavar="N", type=window_number,
                                help=QT_TRANSLATE_NOOP("Cli", "操作窗口，记入事件日志"))
            parser.add_argument("--clerk", metavar="LOGIN", help=QT_TRANSLATE_NOOP("Cli", "操作人员的工号"))
        if request_id:
            parser.add_argument("--request-id", metavar="KEY", type=request_key,
                                help=QT_TRANSLATE_NOOP("Cli", "请求号（幂等键），每个意图一个："
                                                              "用同一请求号重复命令只返回第一次的结果，"
                                                              "不再改动（见 docs/cli.md）"))
            parser.set_defaults(request_id=None)
        parser.set_defaults(handler=handler, check_schema=check_schema)
        return parser


# --------------------------------------------------------------------------- argument types


def ascii_digits(text: str) -> bool:
    """Only 0-9: Python's int() also reads full-width (５) digits, which a keypad or a
    script never means; ``str.isdigit`` even accepts superscripts (²) that int() refuses."""
    return text.isascii() and text.isdigit()


def window_number(text: str) -> int:
    if not ascii_digits(text.strip()) or not 1 <= int(text) <= 999:
        raise argparse.ArgumentTypeError(f"窗口号须为 1-999 的半角数字 (window number {text!r} "
                                         f"must be 1-999 in ASCII digits 0-9)")
    return int(text)


def whole_number(text: str) -> int:
    """A non-negative whole number in ASCII digits (0-9)."""
    if not ascii_digits(text.strip()) or len(text.strip()) > 9:
        raise argparse.ArgumentTypeError(f"须为半角数字 ({text!r} must be a whole number in "
                                         f"ASCII digits 0-9)")
    return int(text)


def request_key(text: str) -> str:
    try:
        return valid_key(text)
    except UsageError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def give_request_key(args: argparse.Namespace) -> str | None:
    """The command's request key: ``--request-id``, else one made now (a command that
    takes one and was given none); None for commands that take none."""
    if not hasattr(args, "request_id"):
        return None
    if args.request_id is None:
        args.request_id = new_key()
    return str(args.request_id)


def iso_date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"日期格式应为 2026-11-25 ({text!r} is not a date "
                                         f"like 2026-11-25)") from None


def service_weight(text: str) -> tuple[str, int]:
    """``CODE`` or ``CODE:WEIGHT`` (weight 1 by default)."""
    code, _, weight = text.partition(":")
    if not code.strip():
        raise argparse.ArgumentTypeError(f"业务代码不能为空 ({text!r}: expected CODE or CODE:WEIGHT)")
    if not weight:
        return code.strip(), 1
    if not ascii_digits(weight.strip()):
        raise argparse.ArgumentTypeError(f"权重须为正整数 ({text!r}: the weight after ':' must be "
                                         f"a whole number in ASCII digits 0-9)")
    return code.strip(), int(weight)


# --------------------------------------------------------------------------- output


def say(text: str, **fields: object) -> None:
    """One human line in the current language: ``text`` as :func:`tr` gives it."""
    print(tr(text, **fields))


def write_stderr_line(text: str) -> None:
    """An error is one line on stderr, whatever the message holds."""
    sys.stderr.write(" ".join(text.split()) + "\n")
    sys.stderr.flush()

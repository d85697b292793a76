"""The frame every ``hallq-admin`` subcommand plugs into: the argument parser that reports
errors on one line, the command tree later issues extend, and the context handlers get.

A command module exposes ``register(tree)`` and adds its commands with
:meth:`CommandTree.command`; each handler takes a :class:`Cli` and returns the exit code.
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, NoReturn, TypeVar

from shared.config import Config
from shared.db import Database
from shared.errors import UsageError
from shared.i18n import LANGUAGES, QT_TRANSLATE_NOOP, one_language, translate
from shared.operation import Actor
from shared.options import add_common_options
from shared.request_keys import new_key, valid_key

PROG = "hallq-admin"
_ActionT = TypeVar("_ActionT", bound=argparse.Action)
# The context of the command line's own words in resources/translations/shared_en.ts.
CONTEXT = "Cli"


def tr(text: str, **fields: object) -> str:
    """``text``, Chinese and marked ``QT_TRANSLATE_NOOP("Cli", ...)`` where it is written
    (so lupdate collects it), in the current language (shared/i18n.py), its ``{name}``
    fields filled."""
    translated = translate(CONTEXT, text)
    return translated.format(**fields) if fields else translated


# argparse words its own errors in English (gettext, with no Chinese catalog): the ones
# a mistyped command meets, as (pattern, the same in the catalog's words).
_ARGPARSE_ERRORS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"the following arguments are required: (?P<names>.+)"),
     QT_TRANSLATE_NOOP("Cli", "缺少必需的参数：{names}")),
    (re.compile(r"unrecognized arguments: (?P<names>.+)"),
     QT_TRANSLATE_NOOP("Cli", "无法识别的参数：{names}")),
    (re.compile(r"argument (?P<name>\S+): invalid choice: (?P<value>.+?) "
                r"\(choose from (?P<choices>.+)\)"),
     QT_TRANSLATE_NOOP("Cli", "参数 {name} 的值 {value} 无效，可选：{choices}")),
    (re.compile(r"argument (?P<name>\S+): expected one argument"),
     QT_TRANSLATE_NOOP("Cli", "参数 {name} 需要一个值")),
    (re.compile(r"argument (?P<name>\S+): invalid \S+ value: (?P<value>.+)"),
     QT_TRANSLATE_NOOP("Cli", "参数 {name} 的值 {value} 无效")),
    (re.compile(r"one of the arguments (?P<names>.+) is required"),
     QT_TRANSLATE_NOOP("Cli", "须给出以下参数之一：{names}")),
    (re.compile(r"argument (?P<name>\S+): not allowed with argument (?P<other>\S+)"),
     QT_TRANSLATE_NOOP("Cli", "参数 {name} 不能与 {other} 同用")),
)
_ARGUMENT = re.compile(r"argument (?P<name>\S+): (?P<message>.+)", re.DOTALL)


def usage_message(message: str) -> str:
    """argparse's ``message`` in the current language: its own English by the table
    above, an argument type's "中文 (English)" by :func:`one_language`."""
    for pattern, text in _ARGPARSE_ERRORS:
        if (found := pattern.fullmatch(message)) is not None:
            return tr(text, **found.groupdict())
    if (found := _ARGUMENT.fullmatch(message)) is not None:  # an argument type's refusal
        return tr(QT_TRANSLATE_NOOP("Cli", "参数 {name}：{message}"), name=found["name"],
                  message=one_language(found["message"]))
    return one_language(message)


# A character a console shows two columns wide, and the punctuation that may not begin a line.
_WIDE = re.compile(r"[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f"
                   r"\uff00-\uff60\uffe0-\uffe6]")
_NO_LINE_START = frozenset("，。；：、）》」』！？")
_TOKEN = re.compile(r"\s+|" + _WIDE.pattern + r"|[^\s" + _WIDE.pattern[1:-1] + r"]+")


def display_width(text: str) -> int:
    return len(text) + len(_WIDE.findall(text))


def wrap(text: str, width: int) -> list[str]:
    """``text`` in lines of at most ``width`` console columns: Chinese breaks between any
    two characters (not before closing punctuation), Latin at spaces (textwrap, which
    argparse uses, breaks only at spaces and counts a Chinese character one column)."""
    lines: list[str] = []
    line = ""
    for token in _TOKEN.findall(" ".join(text.split())):
        if token.isspace():
            line += " " if line else ""
        elif line and display_width(line + token) > width and token not in _NO_LINE_START:
            lines.append(line.rstrip())
            line = token
        else:
            line += token
    if line.strip():
        lines.append(line.rstrip())
    return lines


class HelpFormatter(argparse.HelpFormatter):
    """argparse's help with its "usage:" from the catalog, not from argparse's gettext,
    and its text wrapped by the columns a console shows (:func:`wrap`)."""

    def _split_lines(self, text: str, width: int) -> list[str]:
        return wrap(text, width)

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        return "\n".join(indent + line for line in wrap(text, width))

    def add_usage(self, usage: str | None, actions: Iterable[argparse.Action],
                  groups: Iterable[argparse._MutuallyExclusiveGroup],
                  prefix: str | None = None) -> None:
        if prefix is None:
            prefix = tr(QT_TRANSLATE_NOOP("Cli", "用法")) + ": "
        super().add_usage(usage, actions, groups, prefix)


class ArgumentParser(argparse.ArgumentParser):
    """argparse, but a usage error is one line on stderr (exit 2), not a usage dump, and
    --help entirely in the language of --lang: argparse's own headings and its -h come
    from the catalog, and each option's help, written in Chinese and marked
    ``QT_TRANSLATE_NOOP("Cli", ...)``, is translated as the option is added (the parser is
    built after --lang is read)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", HelpFormatter)
        add_help = kwargs.get("add_help", True)
        kwargs["add_help"] = False  # its -h, added below, has its help from the catalog
        super().__init__(*args, **kwargs)
        self._positionals.title = tr(QT_TRANSLATE_NOOP("Cli", "位置参数"))
        self._optionals.title = tr(QT_TRANSLATE_NOOP("Cli", "选项"))
        if add_help:
            self.add_argument("-h", "--help", action="help", default=argparse.SUPPRESS,
                              help=QT_TRANSLATE_NOOP("Cli", "显示本帮助并退出"))

    def _add_action(self, action: _ActionT) -> _ActionT:
        # Options of a mutually exclusive group come here too (argparse hands them on).
        if isinstance(action.help, str) and action.help != argparse.SUPPRESS:
            action.help = tr(action.help)
        return super()._add_action(action)

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: " + tr(
            QT_TRANSLATE_NOOP("Cli", "参数错误：{message}（见 '{prog} --help'）"),
            message=usage_message(message), prog=self.prog) + "\n")


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
            help = one_language(help)  # "中文 (English)": the half of --lang
            parser = self._root.add_parser(name, help=help, description=help)
            self._groups[name] = parser.add_subparsers(
                dest="command", metavar="ACTION", required=True, parser_class=ArgumentParser)
        return self._groups[name]

    def top_level(self, name: str, handler: Handler, help: str, *, check_schema: bool = True
                  ) -> ArgumentParser:
        """Add a command without an action word (``hallq-admin stats ...``)."""
        help = one_language(help)
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
        commands."""
        help = one_language(help)
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

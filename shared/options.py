"""The command line of every HallQueue program (hallq-admin, the Qt apps, the web status
pages, the demo): one argument parser whose --help and usage errors speak the language of
--lang (from the catalog context "Cli", resources/translations/shared_en.ts), and the
options they all take: where the configuration and the database are, and whether to log
to stderr."""

from __future__ import annotations

import argparse
import re
from collections.abc import Iterable, Sequence
from typing import Any, NoReturn

from shared.i18n import LANGUAGES, QT_TRANSLATE_NOOP, one_language, translate


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


# The context of the command line's own words in resources/translations/shared_en.ts.
CONTEXT = "Cli"


def tr(text: str, **fields: object) -> str:
    """``text``, Chinese and marked ``QT_TRANSLATE_NOOP("Cli", ...)`` where it is written
    (so lupdate collects it), in the current language (shared/i18n.py), its ``{name}``
    fields filled."""
    translated = translate(CONTEXT, text)
    return translated.format(**fields) if fields else translated


# argparse words its messages in English through gettext (which has no Chinese catalog
# and is no catalog of this project): each message argparse can show a user, by its
# gettext message id as argparse's source writes it, -> the same in the catalog's words.
# Its placeholders (%(name)s, %s) become the fields {name} and {0}, {1}, ... in order. A
# test reads the installed argparse and finds every message it can show a user here.
ARGPARSE_MESSAGES: dict[str, str] = {
    "argument %(argument_name)s: %(message)s":
        QT_TRANSLATE_NOOP("Cli", "参数 {argument_name}：{message}"),
    "ambiguous option: %(option)s could match %(matches)s":
        QT_TRANSLATE_NOOP("Cli", "选项 {option} 有歧义，可以是 {matches}"),
    "unrecognized arguments: %s": QT_TRANSLATE_NOOP("Cli", "无法识别的参数：{0}"),
    "the following arguments are required: %s": QT_TRANSLATE_NOOP("Cli", "缺少必需的参数：{0}"),
    "one of the arguments %s is required": QT_TRANSLATE_NOOP("Cli", "须给出以下参数之一：{0}"),
    "not allowed with argument %s": QT_TRANSLATE_NOOP("Cli", "不能与参数 {0} 同用"),
    "ignored explicit argument %r": QT_TRANSLATE_NOOP("Cli", "不接受值 {0}"),
    "expected one argument": QT_TRANSLATE_NOOP("Cli", "需要一个值"),
    "expected at most one argument": QT_TRANSLATE_NOOP("Cli", "最多只能有一个值"),
    "expected at least one argument": QT_TRANSLATE_NOOP("Cli", "至少需要一个值"),
    "expected %s argument": QT_TRANSLATE_NOOP("Cli", "需要 {0} 个值"),
    "expected %s arguments": QT_TRANSLATE_NOOP("Cli", "需要 {0} 个值"),
    "invalid %(type)s value: %(value)r": QT_TRANSLATE_NOOP("Cli", "值 {value} 无效"),
    "invalid choice: %(value)r (choose from %(choices)s)":
        QT_TRANSLATE_NOOP("Cli", "值 {value} 无效，可选：{choices}"),
    "unknown parser %(parser_name)r (choices: %(choices)s)":
        QT_TRANSLATE_NOOP("Cli", "未知的命令 {parser_name}，可选：{choices}"),
    "unexpected option string: %s": QT_TRANSLATE_NOOP("Cli", "意外的选项：{0}"),
    "cannot have multiple subparser arguments": QT_TRANSLATE_NOOP("Cli", "不能有多组子命令"),
    "can't open '%(filename)s': %(error)s": QT_TRANSLATE_NOOP("Cli", "无法打开 {filename}"),
    'argument "-" with mode %r': QT_TRANSLATE_NOOP("Cli", "参数 \"-\" 不能以模式 {0} 打开"),
}
_PLACEHOLDER = re.compile(r"%\((\w+)\)[sdr]|%[sdr]")


def _pattern(message_id: str) -> re.Pattern[str]:
    """A regular expression that reads ``message_id``'s placeholders back out of the
    message argparse made with it: %(name)s as the group ``name``, the n-th %s as ``_n``."""
    parts: list[str] = []
    at = count = 0
    for found in _PLACEHOLDER.finditer(message_id):
        parts.append(re.escape(message_id[at:found.start()]))
        name = found[1] or f"_{count}"
        count += found[1] is None
        parts.append(f"(?P<{name}>.+?)")
        at = found.end()
    parts.append(re.escape(message_id[at:]))
    return re.compile("".join(parts), re.DOTALL)


_ARGUMENT_ID = "argument %(argument_name)s: %(message)s"
_PATTERNS = tuple((_pattern(message_id), text) for message_id, text in ARGPARSE_MESSAGES.items()
                  if message_id != _ARGUMENT_ID)
_ARGUMENT = _pattern(_ARGUMENT_ID)


def _fill(text: str, found: re.Match[str]) -> str:
    fields = found.groupdict()
    positional = [fields.pop(f"_{n}") for n in range(len(fields)) if f"_{n}" in fields]
    return translate(CONTEXT, text).format(*positional, **fields)


def usage_message(message: str) -> str:
    """argparse's ``message`` in the current language: argparse's own words by
    :data:`ARGPARSE_MESSAGES`, an argument type's "中文 (English)" by :func:`one_language`."""
    for pattern, text in _PATTERNS:
        if (found := pattern.fullmatch(message)) is not None:
            return _fill(text, found)
    if (found := _ARGUMENT.fullmatch(message)) is not None:
        return tr(ARGPARSE_MESSAGES[_ARGUMENT_ID], argument_name=found["argument_name"],
                  message=usage_message(found["message"]))
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

    def _get_help_string(self, action: argparse.Action) -> str | None:
        # Translated when shown, so a parser built before --lang was read speaks it too.
        text = super()._get_help_string(action)
        return tr(text) if text else text

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
    ``QT_TRANSLATE_NOOP("Cli", ...)``, is translated when the help is shown."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", HelpFormatter)
        add_help = kwargs.get("add_help", True)
        kwargs["add_help"] = False  # its -h, added below, has its help from the catalog
        super().__init__(*args, **kwargs)
        if add_help:
            self.add_argument("-h", "--help", action="help", default=argparse.SUPPRESS,
                              help=QT_TRANSLATE_NOOP("Cli", "显示本帮助并退出"))

    def format_help(self) -> str:
        self._positionals.title = tr(QT_TRANSLATE_NOOP("Cli", "位置参数"))
        self._optionals.title = tr(QT_TRANSLATE_NOOP("Cli", "选项"))
        source = self.description
        self.description = tr(source) if source else source
        try:
            return super().format_help()
        finally:
            self.description = source

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: " + tr(
            QT_TRANSLATE_NOOP("Cli", "参数错误：{message}（见 '{prog} --help'）"),
            message=usage_message(message), prog=self.prog) + "\n")


def requested_language(argv: Sequence[str]) -> str | None:
    """``--lang``'s value, read before parsing so that --help and a usage error speak it."""
    for at, word in enumerate(argv):
        value = argv[at + 1] if word == "--lang" and at + 1 < len(argv) else \
            word.removeprefix("--lang=") if word.startswith("--lang=") else None
        if value in LANGUAGES:
            return value
    return None

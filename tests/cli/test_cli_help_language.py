"""``hallq-admin ... --help`` in one language: Chinese by default, English with --lang en.
The options' help, argparse's own headings ("usage:", "options:", ...) and its -h all come
from the Cli catalog; what stays Latin in Chinese help is option names, metavars and codes."""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from shared import appointments, db_roles, i18n
from shared.cli.main import build_parser, main
from shared.options import CONTEXT, display_width, wrap

CJK = re.compile(r"[\u3000-\u9fff\uff00-\uffef]")
# Latin a Chinese help may hold: option names (-h, --site), metavars and codes in capitals
# (SITE, JSON, A017), the choices in braces, and paths, URLs and keys (docs/cli.md,
# tcp://..., kiosk.printer, zh_CN, $HALLQ_DATABASE_URL).
_NOT_WORDS = re.compile(r"(?<![\w-])--?[\w-]+|\{[^}]*\}|\b[A-Z][A-Z0-9_]*\b"
                        r"|\S*[/._:$@%]\S*|\b\d\w*")
_WORD = re.compile(r"[A-Za-z][A-Za-z-]*")
# Names that are no English: the product, the software it names, the catalog it ships
# (chunan), the columns of an appointments CSV and the kinds of database login.
_NAMES = {"hallq-admin", "HallQueue", "MariaDB", "PostgreSQL", "Excel", "Erlang", "id", "en",
          "chunan", *appointments.CSV_COLUMNS, *(kind.value for kind in db_roles.Kind)}

COMMANDS = [
    pytest.param((), id="top-level"),
    pytest.param(("ticket", "issue"), id="ticket-issue"),
    pytest.param(("report", "monthly"), id="report-monthly"),
    pytest.param(("plan",), id="plan"),
    pytest.param(("followup", "contact"), id="followup-contact"),
    pytest.param(("db", "role", "create"), id="db-role-create"),
    pytest.param(("hcp",), id="hcp-group"),
]


def parsers(parser: argparse.ArgumentParser) -> Iterator[argparse.ArgumentParser]:
    """``parser`` and every subcommand's parser under it."""
    yield parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for child in dict.fromkeys(action.choices.values()):  # aliases: once
                yield from parsers(child)


def codes() -> set[str]:
    """Every command name and option choice of the whole tree: the codes a Chinese help
    may name (``setup terminal``, ``pending``, ``monthly``, ``satisfied`` ...)."""
    found: set[str] = set()
    for parser in parsers(build_parser()):
        for action in parser._actions:
            found.update(str(choice) for choice in action.choices or ())
    return found


def english_words(text: str, allowed: set[str]) -> list[str]:
    return [word for word in _WORD.findall(_NOT_WORDS.sub(" ", text))
            if word.strip("-") not in allowed]


def help_of(argv: tuple[str, ...], capsys: pytest.CaptureFixture[str]) -> str:
    capsys.readouterr()
    assert main([*argv, "--help"]) == 0
    return capsys.readouterr().out


@pytest.mark.usefixtures("cli_env")
@pytest.mark.parametrize("argv", COMMANDS)
def test_help_is_chinese_by_default(argv: tuple[str, ...],
                                    capsys: pytest.CaptureFixture[str]) -> None:
    text = help_of(argv, capsys)
    assert text.startswith("用法: hallq-admin"), text
    assert "显示本帮助并退出" in text and "选项:" in text, text
    assert english_words(text, codes() | _NAMES) == [], text


@pytest.mark.usefixtures("cli_env")
@pytest.mark.parametrize("argv", COMMANDS)
def test_help_is_english_with_lang_en(argv: tuple[str, ...],
                                      capsys: pytest.CaptureFixture[str]) -> None:
    text = help_of(("--lang", "en", *argv), capsys)
    assert text.startswith("usage: hallq-admin"), text
    assert "show this help message and exit" in text and "options:" in text, text
    assert not CJK.search(text), CJK.findall(text)
    assert i18n.language() == i18n.SOURCE_LANGUAGE  # main() leaves the process as it was


def test_every_command_help_is_in_one_language() -> None:
    """Every parser of the tree, built in each language: no CJK in English; in Chinese,
    every option's help has Chinese and no English word."""
    allowed = codes() | _NAMES
    try:
        i18n.set_language("en")
        for parser in parsers(build_parser()):
            assert not CJK.search(parser.format_help()), parser.prog
        i18n.set_language(i18n.SOURCE_LANGUAGE)
        for parser in parsers(build_parser()):
            assert english_words(parser.format_help(), allowed) == [], parser.prog
            for action in parser._actions:
                if action.help and action.help != argparse.SUPPRESS and action.option_strings:
                    assert CJK.search(action.help), (parser.prog, action.option_strings)
    finally:
        i18n.set_language(i18n.SOURCE_LANGUAGE)


def test_command_and_group_help_come_from_the_catalog() -> None:
    """A command's or group's help, like an option's, is Chinese marked for the Cli catalog
    and translated when shown: one mechanism, no "中文 (English)" split."""
    english = i18n.load_catalog("en")
    helps: list[str] = []
    for parser in parsers(build_parser()):
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                helps += [choice.help for choice in action._choices_actions if choice.help]
        if parser.description:
            helps.append(parser.description)
    assert len(helps) > 100
    for text in helps:
        assert i18n.both(text)[0] == i18n.both(text)[1], text  # one language as written
        assert (CONTEXT, text) in english or not CJK.search(text), text


@pytest.mark.usefixtures("cli_env")
@pytest.mark.parametrize("argv", COMMANDS)
@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_help_lines_fit_the_console(argv: tuple[str, ...], lang: str,
                                    capsys: pytest.CaptureFixture[str],
                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """Below the usage, no line is wider than the console, a Chinese character counted two
    columns (as a console shows it), and Chinese text fills its lines."""
    monkeypatch.setenv("COLUMNS", "80")
    text = help_of(("--lang", lang, *argv), capsys)
    body = text.split("\n\n", 1)[1].splitlines()
    assert max(display_width(line) for line in body) <= 80, text
    if lang == i18n.SOURCE_LANGUAGE and argv == ("ticket", "issue"):
        # --request-id's help is long enough to fill its first line to the last columns
        first = next(line for line in body if line.lstrip().startswith("--request-id"))
        assert display_width(first) >= 76, first


def test_wrap_breaks_chinese_anywhere_but_before_closing_punctuation() -> None:
    assert wrap("一二三四五，六七 abc def", 10) == ["一二三四五，", "六七 abc", "def"]
    assert wrap("abc defgh ij", 8) == ["abc", "defgh ij"]


PROGRAMS = ["hallq-kiosk", "hallq-counter", "hallq-display", "hallq-supervisor", "hallq-web",
            "hallq-demo"]


@pytest.mark.parametrize("program", PROGRAMS)
def test_every_programs_help_is_in_one_language(program: str) -> None:
    """The other programs' --help, run as installed: Chinese by default (no English word
    but option names, metavars and codes), English with --lang en (no CJK)."""
    command = Path(sys.executable).parent / program
    environment = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    chinese = subprocess.run([str(command), "--help"], capture_output=True, text=True,
                             env=environment, timeout=60, check=True).stdout
    english = subprocess.run([str(command), "--help", "--lang", "en"], capture_output=True,
                             text=True, env=environment, timeout=60, check=True).stdout
    assert chinese.startswith(f"用法: {program}") and "显示本帮助并退出" in chinese, chinese
    allowed = _NAMES | {program, "raster", "text", "none", "auto", "portrait", "landscape",
                        "zh_CN", "SMS", "WeChat", "Forwarded-For", "SQLite"}
    assert english_words(chinese, allowed) == [], chinese
    assert english.startswith(f"usage: {program}") and "options:" in english, english
    assert not CJK.search(english), CJK.findall(english)

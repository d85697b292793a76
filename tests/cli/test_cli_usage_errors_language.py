"""A usage error is one line in one language, whichever of argparse's messages it is:
argparse words them in English through gettext, and shared/options.py shows each from the
Cli catalog (Chinese by default, English with --lang en), run as the installed programs."""

from __future__ import annotations

import argparse
import ast
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from shared import i18n
from shared.options import ARGPARSE_MESSAGES, CONTEXT

CJK = re.compile(r"[\u3000-\u9fff\uff00-\uffef]")
# Latin a Chinese line may hold: the program's name, option names, values quoted back,
# metavars and codes in capitals, numbers.
_ALLOWED = re.compile(r"hallq-[\w -]*?: |'[^']*'|(?<![\w-])--?[\w-]+|\b[A-Z0-9_]+\b")
_WORD = re.compile(r"[A-Za-z]+")

# argparse's messages that never reach a user: raised to the programmer while a parser
# is built (a bad add_argument), or never shown because this project's parser words them
# itself (its "usage:", headings, -h and error line come from the catalog directly).
NOT_SHOWN = {
    ".__call__() not defined", "conflicting subparser: %s", "conflicting subparser alias: %s",
    "cannot merge actions - two groups are named %r",
    "'required' is an invalid argument for positionals",
    "invalid option string %(option)r: must start with a character %(prefix_chars)r",
    "dest= is required for options like %r", "invalid conflict_resolution value: %r",
    "mutually exclusive arguments must be optional", "%r is not callable",
    "conflicting option string: %s", "conflicting option strings: %s",
    "usage: ", "positional arguments", "options", "show this help message and exit",
    "%(prog)s: error: %(message)s\n",
}


def argparse_messages() -> set[str]:
    """Every literal message id of the installed argparse's gettext calls."""
    tree = ast.parse(Path(argparse.__file__).read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and \
                node.func.id in ("_", "ngettext"):
            found.update(arg.value for arg in node.args
                         if isinstance(arg, ast.Constant) and isinstance(arg.value, str))
    return found


def test_every_argparse_message_a_user_can_meet_is_in_the_catalog() -> None:
    messages = argparse_messages()
    assert "ambiguous option: %(option)s could match %(matches)s" in messages  # read right
    assert sorted(messages - NOT_SHOWN - set(ARGPARSE_MESSAGES)) == []
    english = i18n.load_catalog("en")
    for text in ARGPARSE_MESSAGES.values():
        assert (CONTEXT, text) in english, text


# (program, arguments): one of each of argparse's usage errors.
USAGE_ERRORS = [
    pytest.param("hallq-admin", ("ticket", "transfer", "1", "--to", "x"), id="ambiguous"),
    pytest.param("hallq-admin", ("ticket", "list", "--site"), id="expected-one"),
    pytest.param("hallq-admin", ("ticket", "issue", "SA", "--kind", "vip"), id="invalid-choice"),
    pytest.param("hallq-admin", ("nonsense",), id="invalid-command"),
    pytest.param("hallq-admin", ("ticket", "list", "--bogus"), id="unrecognized"),
    pytest.param("hallq-admin", ("stats", "--from", "2026-03-01"), id="required"),
    pytest.param("hallq-admin", ("ticket", "transfer", "1"), id="one-of-required"),
    pytest.param("hallq-admin", ("ticket", "transfer", "1", "--to-window", "2",
                                 "--to-service", "SA"), id="not-allowed-with"),
    pytest.param("hallq-admin", ("plan", "--weeks", "x"), id="invalid-int"),
    pytest.param("hallq-admin", ("plan", "--goal", "x"), id="invalid-float"),
    pytest.param("hallq-admin", ("ticket", "list", "--json=yes"), id="ignored-explicit"),
    pytest.param("hallq-web", ("--port", "x"), id="web-invalid-int"),
    pytest.param("hallq-web", ("--h",), id="web-ambiguous"),
    pytest.param("hallq-demo", ("--seed", "1"), id="demo-unrecognized"),
]


def run(program: str, *argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(Path(sys.executable).parent / program), *argv],
                          capture_output=True, text=True, timeout=60,
                          env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})


@pytest.mark.parametrize(("program", "argv"), USAGE_ERRORS)
def test_a_usage_error_is_one_line_in_one_language(program: str, argv: tuple[str, ...]) -> None:
    chinese = run(program, *argv)
    assert chinese.returncode == 2 and chinese.stderr.count("\n") == 1, chinese.stderr
    assert "参数错误：" in chinese.stderr, chinese.stderr
    assert _WORD.findall(_ALLOWED.sub(" ", chinese.stderr)) == [], chinese.stderr
    english = run(program, "--lang", "en", *argv)
    assert english.returncode == 2 and english.stderr.count("\n") == 1, english.stderr
    assert "usage error: " in english.stderr, english.stderr
    assert not CJK.search(english.stderr), english.stderr

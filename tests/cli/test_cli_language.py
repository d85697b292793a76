"""hallq-admin speaks one language: Chinese by default, English with --lang en or a config
whose language is en; its own words come from the catalogs (context Cli), the queue core's
"中文 (English)" errors show one half."""

from __future__ import annotations

import re
import socket
from pathlib import Path

import pytest

from shared import i18n
from tests.cli.conftest import Result, Run

HALL = ("--site", "hall")
CJK = re.compile(r"[\u3000-\u9fff\uff00-\uffef]")
# What a Chinese line may hold in Latin letters: the program and option names, values
# quoted back, and codes (SA, A001, ASCII).
_ALLOWED = re.compile(r"hallq-admin[\w -]*?: |'[^']*'|--[\w-]+|\b[A-Z0-9]+\b")
_WORD = re.compile(r"[A-Za-z]*[a-z][A-Za-z]*")

# Commands refused for a reason each: argparse's own check, an argument type, a lookup,
# a queue rule, a missing required option.
REFUSALS = [
    pytest.param(("ticket", "call-next", "--window", "０", *HALL), 2, id="window-type"),
    pytest.param(("stats", "--from", "2026-03-01"), 2, id="required-option"),
    pytest.param(("ticket", "issue", "SA", "--kind", "vip", *HALL), 2, id="invalid-choice"),
    pytest.param(("ticket", "issue", "XX", *HALL), 2, id="unknown-service"),
    pytest.param(("ticket", "call-next", "--window", "4", *HALL), 3, id="nobody-waiting"),
    pytest.param(("ticket", "finish", "A001", *HALL), 4, id="queue-rule"),
    pytest.param(("ticket", "list", "--bogus"), 2, id="unrecognized"),
]


def one_error_line(result: Result, code: int) -> str:
    assert result.code == code, result.err
    assert len(result.err_lines) == 1, result.err
    return result.err


def latin_words(line: str) -> list[str]:
    return _WORD.findall(_ALLOWED.sub(" ", line))


@pytest.mark.parametrize(("argv", "code"), REFUSALS)
def test_error_lines_are_chinese_by_default_and_english_with_lang_en(
        admin: Run, argv: tuple[str, ...], code: int) -> None:
    if argv[1] == "finish":
        assert admin("ticket", "issue", "SA", *HALL).code == 0
    chinese = one_error_line(admin(*argv), code)
    assert CJK.search(chinese), chinese
    assert latin_words(chinese) == [], chinese
    english = one_error_line(admin("--lang", "en", *argv), code)
    assert not CJK.search(re.sub(r"'[^']*'", "", english)), english  # '０' quoted back
    assert i18n.language() == i18n.SOURCE_LANGUAGE  # main() leaves the process as it was


def test_the_language_option_goes_anywhere_and_names_the_usage_error(admin: Run) -> None:
    argv = ("ticket", "call-next", "--window", "x", *HALL)
    english = one_error_line(admin(*argv, "--lang", "en"), 2)
    assert "usage error: argument --window: window number 'x' must be 1-999" in english
    chinese = one_error_line(admin(*argv, "--lang=zh_CN"), 2)
    assert "参数错误：参数 --window：窗口号须为 1-999 的半角数字" in chinese
    assert "参数 --lang：值 'fr' 无效" in one_error_line(admin("--lang", "fr", "ticket", "list"), 2)


def test_a_config_in_english_speaks_english_unless_lang_says_otherwise(
        admin: Run, tmp_path: Path) -> None:
    config = tmp_path / "hallqueue.toml"
    config.write_text('language = "en"\n', encoding="utf-8")
    config.chmod(0o600)
    argv = ("--config", str(config), "ticket", "issue", "XX", *HALL)
    assert "no service" in one_error_line(admin(*argv), 2).lower()
    assert "没有业务 XX" in one_error_line(admin(*argv, "--lang", "zh_CN"), 2)


def test_what_a_command_did_is_said_in_one_language(admin: Run) -> None:
    chinese = admin("ticket", "issue", "SA", *HALL)
    assert chinese.out.startswith("已取号 A001 (甲业务) 前面 0 人"), chinese.out
    english = admin("--lang", "en", "ticket", "issue", "SA", *HALL)
    assert english.out.startswith("issued A002 (甲业务), 1 ahead"), english.out
    window = admin("--lang", "en", "window", "pause", "4", "--reason", "lunch", *HALL)
    assert window.out.strip() == "window 4 paused: lunch", window.out


def test_headings_of_ticket_show_and_stats_follow_the_language(admin: Run) -> None:
    assert admin("ticket", "issue", "SA", *HALL).code == 0
    chinese = admin("ticket", "show", "A001", *HALL).out
    assert "类型：普通" in chinese and "kind" not in chinese
    english = admin("--lang", "en", "ticket", "show", "A001", *HALL).out
    assert "kind: Normal" in english and "window: -  clerk: -" in english
    # Only the data (the service's name) is Chinese in English mode.
    assert not CJK.search(english.replace("甲业务", "")), english
    day = ("--from", "2026-03-01", "--to", "2026-03-02")
    stats = admin("--lang", "en", "stats", *day, *HALL).out
    assert "issued 0  served 0" in stats and "— by Service —" in stats
    # The first line names the site (data); no service row in a range without tickets.
    assert [line for line in stats.splitlines()[1:] if CJK.search(line)] == [], stats


def test_setup_check_lines_are_chinese_by_default(admin: Run, url: str, tmp_path: Path) -> None:
    """`setup terminal` says each check in one language: mark, name and what it found,
    with only commands, options and values in Latin letters."""
    argv = ("setup", "terminal", "--kind", "counter", "--server", url, "--site", "hall",
            "--window", "77", "--out", str(tmp_path / "counter.toml"), "--force")
    chinese = admin(*argv, database=None)
    assert chinese.code == 2, chinese.out + chinese.err
    lines = chinese.out.splitlines()
    assert lines[0].startswith("[正常] 配置文件: 已写入 ") and "仅本用户可读" in lines[0]
    assert lines[1].startswith("[正常] 数据库: 已连接 ")
    assert any(line.startswith("[失败] 窗口: 大厅 hall 没有启用的 77 号窗口") for line in lines)
    for line in lines:  # the URL, the file, the site's code, the product's and devices' names
        shown = line.replace(url, "").replace(str(tmp_path / "counter.toml"), "")
        assert latin_words(re.sub(r"(?<=屏幕 |输出 ).*|HallQueue|大厅 hall", "", shown)) == [], line
    english = admin("--lang", "en", *argv, database=None)
    assert "\n[FAIL] window: site hall has no active window 77" in english.out
    assert not CJK.search(english.out), english.out


def test_a_printer_failure_names_its_reason_in_one_language(admin: Run, url: str,
                                                           tmp_path: Path) -> None:
    """setup terminal's printer line: in Chinese the reason in Chinese; the system's own
    English detail ("[Errno 111] Connection refused") only in English and in the log."""
    with socket.socket() as probe:  # a local port nothing listens on
        probe.bind(("127.0.0.1", 0))
        printer_url = f"tcp://127.0.0.1:{probe.getsockname()[1]}"
    lines = {}
    for lang in i18n.LANGUAGES:
        result = admin("--lang", lang, "setup", "terminal", "--kind", "kiosk", "--server", url,
                       "--site", "hall", "--printer", printer_url,
                       "--out", str(tmp_path / f"{lang}.toml"), database=None)
        assert result.code == 6, result.out + result.err
        lines[lang] = next(line for line in result.out.splitlines() if printer_url in line)
    chinese = lines["zh_CN"].replace(printer_url, "")
    assert "无法连接" in chinese and not re.search("Errno|refused|cannot", chinese), chinese
    assert "unreachable" in lines["en"] and "Connection refused" in lines["en"], lines["en"]
    assert not CJK.search(lines["en"]), lines["en"]


def test_an_unwritable_log_is_said_in_one_language(admin: Run, tmp_path: Path) -> None:
    """The log folder cannot be made: Chinese names the folder, the system's own English
    words ("Not a directory") are for the English line."""
    (tmp_path / "state").write_text("a file where the log folder would go", encoding="utf-8")
    chinese = admin("site", "list")
    assert chinese.code == 0, chinese.err
    assert "无法写日志" in chinese.err and "directory" not in chinese.err, chinese.err
    english = admin("--lang", "en", "site", "list")
    assert "cannot write the log file" in english.err and "Not a directory" in english.err
    assert not CJK.search(english.err), english.err


@pytest.mark.parametrize("database", ["notaurl", "oracle://scott@host/db"])
def test_a_bad_database_url_is_refused_in_one_language(admin: Run, database: str) -> None:
    """The Chinese line has no English of the refusal or of SQLAlchemy's own words."""
    chinese = one_error_line(admin("site", "list", database=database), 2)
    assert CJK.search(chinese) and not re.search("unsupported|invalid|parse", chinese), chinese
    english = one_error_line(admin("--lang", "en", "site", "list", database=database), 2)
    assert re.search("unsupported|invalid", english) and not CJK.search(english), english


def test_a_ticket_not_printed_is_said_in_one_language(admin: Run) -> None:
    """Exit 6: the printer's problem in Chinese, or in English with the printer's detail."""
    assert admin("ticket", "issue", "SA", *HALL).code == 0
    with socket.socket() as probe:  # a local port nothing listens on
        probe.bind(("127.0.0.1", 0))
        printer = f"tcp://127.0.0.1:{probe.getsockname()[1]}"
    argv = ("ticket", "print", "A001", "--printer", printer, *HALL)
    chinese = one_error_line(admin(*argv), 6).replace(printer, "")
    assert "A001 未打印：打印机未连接" in chinese and latin_words(chinese) == [], chinese
    english = one_error_line(admin("--lang", "en", *argv), 6)
    assert "not printed" in english and not CJK.search(english), english

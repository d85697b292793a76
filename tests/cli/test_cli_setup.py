"""``hallq-admin setup terminal``: the PC's config written owner-only and each check
reported on one line, with the exit code of the first failure."""

from __future__ import annotations

import os
import socket
import stat
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest

from shared.config import load_config
from testkit.fake_printer import FakePrinter
from tests.cli.conftest import Result, Run
from tests.escpos_decoder import RasterImage, decode


@pytest.fixture
def admin(admin: Run) -> Run:
    """hallq-admin in English: the needles below are the English of each check (the
    Chinese is the same line's other half: tests/cli/test_cli_language.py)."""

    def call(*args: str, **kwargs: Any) -> Result:
        return admin("--lang", "en", *args, **kwargs)

    return call


def _checks(out: str) -> dict[str, str]:
    """{check name: its line} from the command's text output."""
    lines = {}
    for line in out.splitlines():
        assert line.startswith("["), line
        name = line.split("] ", 1)[1].split(":", 1)[0]
        lines[name] = line
    return lines


@pytest.mark.all_backends
def test_kiosk_setup_writes_config_and_checks_database_and_printer(
        admin: Run, url: str, tmp_path: Path) -> None:
    target = tmp_path / "pc" / "hallqueue.toml"
    with FakePrinter() as printer:
        result = admin("setup", "terminal", "--kind", "kiosk", "--server", url, "--site", "hall",
                       "--printer", printer.url, "--test-print", "--out", str(target),
                       database=None)
        received, printer_url = printer.received, printer.url
    assert result.code == 0, result.out + result.err
    checks = _checks(result.out)
    for name in ("config", "database", "schema", "site", "printer"):
        assert "ok" in checks[name], checks[name]
    assert "test slip printed" in checks["printer"]
    assert any(isinstance(item, RasterImage) for item in decode(received))
    config = load_config(target)
    assert (config.database_url, config.site, config.kiosk.printer) == (url, "hall", printer_url)
    if sys.platform != "win32":
        assert stat.S_IMODE(target.stat().st_mode) == 0o600


def test_counter_setup_names_a_window_the_site_lacks(admin: Run, url: str, tmp_path: Path) -> None:
    target = tmp_path / "counter.toml"
    result = admin("setup", "terminal", "--kind", "counter", "--server", url, "--site", "hall",
                   "--window", "77", "--out", str(target), database=None)
    assert result.code == 2
    window = _checks(result.out)["window"]
    assert "FAIL" in window and "window 77" in window and "hallq-admin window add" in window
    assert tomllib.loads(target.read_text(encoding="utf-8"))["counter"] == {"window": 77}
    good = admin("setup", "terminal", "--kind", "counter", "--server", url, "--site", "hall",
                 "--window", "1", "--out", str(target), "--force", database=None)
    assert "ok" in _checks(good.out)["window"], good.out
    assert (tmp_path / "counter.toml.bak").exists()


def test_unreachable_server_is_exit_5_and_names_what_to_check(admin: Run, tmp_path: Path) -> None:
    result = admin("setup", "terminal", "--kind", "display", "--json", "--server",
                   "postgresql+psycopg://kiosk:pw@127.0.0.1:1/hallq", "--out",
                   str(tmp_path / "d.toml"), database=None)
    assert result.code == 5
    checks = {c["check"]: c for c in result.json["checks"]}
    assert checks["database"]["outcome"] == "fail"
    assert "pg_hba.conf" in checks["database"]["detail"]
    assert "pw" not in result.out.replace("pg_hba", "")  # the password is never echoed
    assert result.json["ok"] is False


def test_database_without_schema_says_to_upgrade(admin: Run, tmp_path: Path) -> None:
    empty = f"sqlite:///{tmp_path / 'new.db'}"
    result = admin("setup", "terminal", "--kind", "supervisor", "--server", empty, "--out",
                   str(tmp_path / "s.toml"), database=None)
    assert result.code == 5
    assert "hallq-admin db upgrade" in _checks(result.out)["schema"]


def test_existing_config_is_kept_without_force(admin: Run, url: str, tmp_path: Path) -> None:
    target = tmp_path / "hallqueue.toml"
    target.write_text('site = "town"\n', encoding="utf-8")
    result = admin("setup", "terminal", "--kind", "kiosk", "--server", url, "--out", str(target),
                   database=None)
    assert result.code == 2 and "--force" in result.err
    assert len(result.err_lines) == 1
    assert target.read_text(encoding="utf-8") == 'site = "town"\n'


def test_bad_arguments_write_nothing(admin: Run, url: str, tmp_path: Path) -> None:
    target = tmp_path / "x.toml"
    for args in (["--kind", "toaster"], ["--kind", "counter", "--window", "５"]):
        result = admin("setup", "terminal", "--server", url, "--out", str(target), *args,
                       database=None)
        assert result.code == 2 and len(result.err_lines) == 1, result.err
    assert not target.exists()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".hallqueue-")]


def test_sound_and_screen_checks_report_without_a_display(
        admin: Run, url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QT_QPA_PLATFORM", "offscreen")
    result = admin("setup", "terminal", "--kind", "kiosk", "--server", url, "--site", "hall",
                   "--out", str(tmp_path / "k.toml"), "--json", database=None)
    checks = {c["check"]: c for c in result.json["checks"]}
    assert checks["screens"]["outcome"] == "warn"
    assert "DISPLAY" in checks["screens"]["detail"]
    assert checks["sound"]["outcome"] in ("ok", "warn")  # a kiosk can run without speakers
    assert os.environ["QT_QPA_PLATFORM"] == "offscreen"


def _closed_port() -> int:
    """A local port nothing listens on (bound, then released)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.mark.parametrize(("variant", "reason", "advice"), [
    ("unreachable", "unreachable", "reachable from this PC"),
    ("out_of_paper", "paper out", "load a paper roll"),
    ("silent", "no answer", "did not answer the status query"),
])
def test_printer_failure_tells_it_what_to_check(
        admin: Run, url: str, tmp_path: Path, variant: str, reason: str, advice: str) -> None:
    """The printer check speaks to IT: the printer's URL, the reason and what to check,
    not the citizen's 打印机未连接，请联系工作人员。"""
    target = tmp_path / "kiosk.toml"
    if variant == "unreachable":
        printer_url = f"tcp://127.0.0.1:{_closed_port()}"
        result = admin("setup", "terminal", "--kind", "kiosk", "--server", url, "--site",
                       "hall", "--printer", printer_url, "--out", str(target), database=None)
    else:
        with getattr(FakePrinter, variant)() as printer:
            printer_url = printer.url
            result = admin("setup", "terminal", "--kind", "kiosk", "--server", url, "--site",
                           "hall", "--printer", printer_url, "--out", str(target),
                           database=None)
    assert result.code == 6, result.out + result.err
    line = _checks(result.out)["printer"]
    assert "FAIL" in line and printer_url in line and reason in line and advice in line, line
    assert "请联系工作人员" not in line


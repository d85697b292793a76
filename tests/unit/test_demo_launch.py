"""hallq-demo's terminals end with it: a TERM (or Ctrl+C) to the demo stops the apps it
started instead of leaving them running."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TERMINALS = 5  # kiosk, hall display, two counters, supervisor view

# The demo with each terminal replaced by a stand-in that notes its pid and sleeps.
DEMO_WITH_STAND_INS = """
import os, sys
from shared import demo
pids = sys.argv[1]
stand_in = ("import os, pathlib, time; "
            f"pathlib.Path({pids!r}, str(os.getpid())).touch(); time.sleep(60)")
demo._terminal = lambda module, command: [sys.executable, "-c", stand_in]
sys.exit(demo.launch_terminals("sqlite:///unused.db"))
"""


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


@pytest.fixture
def pid_folder(tmp_path: Path) -> Iterator[Path]:
    folder = tmp_path / "pids"
    folder.mkdir()
    yield folder
    for path in folder.iterdir():  # never leave a stand-in behind, whatever happened
        if alive(int(path.name)):
            os.kill(int(path.name), signal.SIGTERM)


@pytest.mark.skipif(sys.platform == "win32", reason="Windows delivers no TERM to send")
@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT])
def test_stopping_the_demo_stops_its_terminals(pid_folder: Path, stop: int) -> None:
    demo = subprocess.Popen([sys.executable, "-c", DEMO_WITH_STAND_INS, str(pid_folder)],
                            cwd=ROOT, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 30
        while len(list(pid_folder.iterdir())) < TERMINALS:
            assert demo.poll() is None, demo.stderr.read() if demo.stderr else ""
            assert time.monotonic() < deadline, "the stand-in terminals did not start"
            time.sleep(0.1)
        children = [int(path.name) for path in pid_folder.iterdir()]
        assert all(alive(pid) for pid in children)
        demo.send_signal(stop)
        code = demo.wait(10)
        assert [pid for pid in children if alive(pid)] == []
        assert code == 128 + stop
        assert demo.stderr is not None
        assert f"正在停止各终端（信号 {stop}）" in demo.stderr.read()  # Chinese, the default
    finally:
        if demo.poll() is None:
            demo.kill()
            demo.wait()
        if demo.stderr is not None:
            demo.stderr.close()


@pytest.mark.parametrize("language", ["zh_CN", "en"])
def test_the_demo_says_where_and_who_in_one_language(language: str, tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    """The lines naming the demo database and clerks: one language each, not both."""
    from shared import demo, i18n

    monkeypatch.setattr(demo, "simulate_morning", lambda db: [])
    try:
        assert demo.main(["--headless", "--lang", language,
                          "--database-file", str(tmp_path / "demo.db")]) == 0
    finally:
        i18n.set_language(i18n.SOURCE_LANGUAGE)
    where, who = capsys.readouterr().out.splitlines()[:2]
    if language == "en":
        assert where.startswith("demo database: ") and "password demo" in who, who
        assert not any("\u4e00" <= c <= "\u9fff" for c in where + who), (where, who)
    else:
        assert where.startswith("演示数据库：") and "密码 demo" in who, who
        assert "database" not in where and "clerks" not in who and "password" not in who


def test_the_simulated_morning_speaks_english_with_lang_en(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Its own words come from the Cli catalog; only the hall's data (the site's and the
    services' names, which the catalog file gives in Chinese) stay as they are."""
    from shared import demo, i18n

    db = demo.prepare_demo_database(tmp_path / "demo.db")
    try:
        i18n.set_language("en")
        lines = demo.simulate_morning(db, tickets=9)
    finally:
        i18n.set_language(i18n.SOURCE_LANGUAGE)
        db.dispose()
    assert lines[0].startswith("— simulated morning: ") and "numbers taken" in lines[-1]
    assert any(line.startswith("number ") and "please go to window" in line for line in lines)
    for word in ("模拟", "取号", "号窗口", "过号", "前面", "张"):
        assert not any(word in line for line in lines), (word, lines)

"""Every GUI terminal reports its health: the reporter itself, and each app started as
its own process writing its heartbeat row."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from counter_app.supervisor.main import AUTOLOGIN_ENV
from shared import clerks, heartbeats, schema
from shared.catalog import load_catalog
from shared.db import Database
from shared.qt.heartbeat import DeviceState, HeartbeatReporter
from tests.conftest import TEST_CATALOG

ROOT = Path(__file__).resolve().parents[2]


def test_reporter_beats_with_device_state_and_last_error(qtbot: QtBot, db: Database) -> None:
    state = DeviceState(printer="paper_out", audio="none")
    reporter = HeartbeatReporter(db, "kiosk", "KIOSK-T", "hall", lambda: state, interval_ms=50)
    reporter.start()
    qtbot.waitUntil(lambda: reporter.beats >= 1, timeout=10_000)
    (first,) = heartbeats.list_terminals(db)
    assert (first.printer, first.audio, first.alerts) == ("paper_out", "none", ("printer",))
    logging.getLogger("hallq.test").error("打印失败\ndetails on the next line")
    state = DeviceState(printer="ready", audio="ok")
    qtbot.waitUntil(lambda: reporter.beats >= 3, timeout=10_000)
    (later,) = heartbeats.list_terminals(db)
    assert later.alerts == () and later.last_error == "hallq.test: 打印失败"
    assert later.started_at == first.started_at and later.seen_at >= first.seen_at
    handler = reporter.last_error
    reporter.stop()
    assert handler not in logging.getLogger().handlers


@pytest.fixture
def hall_file(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'hall.db'}"
    db = Database(url)
    schema.upgrade(db)
    load_catalog(db, TEST_CATALOG)
    clerks.add_clerk(db, "boss", "王主任", "password1", role="supervisor")
    db.dispose()
    return url


@pytest.mark.parametrize(("module", "kind", "extra"), [
    ("kiosk_app.main", "kiosk", []),
    ("kiosk_app.display.main", "display", []),
    ("counter_app.main", "counter", ["--window", "1"]),
    ("counter_app.main", "display", ["--window", "2", "--window-display"]),
    ("counter_app.supervisor.main", "supervisor", []),
])
def test_each_terminal_reports_its_heartbeat(hall_file: str, tmp_path: Path, module: str,
                                             kind: str, extra: list[str]) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "XDG_STATE_HOME": str(tmp_path),
           "XDG_CONFIG_HOME": str(tmp_path / "config")}
    if kind == "supervisor":  # logs in by itself, as in the demo
        env[AUTOLOGIN_ENV] = "boss:password1"
    process = subprocess.Popen(
        [sys.executable, "-m", module, "--database", hall_file, "--site", "hall", "--windowed",
         *extra], cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        text=True)
    db = Database(hall_file)
    try:
        deadline = time.monotonic() + 90
        found: list[heartbeats.TerminalStatus] = []
        while time.monotonic() < deadline and process.poll() is None and not found:
            time.sleep(0.5)
            found = [t for t in heartbeats.list_terminals(db) if t.kind == kind]
        assert found, f"{module} wrote no heartbeat (exit {process.poll()})"
        (terminal,) = found
        # a hall display on a PC without a sound output cannot speak the calls
        mute_hall_display = kind == "display" and not extra and terminal.audio == "none"
        assert terminal.site == "hall"
        assert terminal.alerts == (("sound",) if mute_hall_display else ())
        assert terminal.version == heartbeats.app_version()
        if kind == "supervisor":
            assert terminal.name == heartbeats.default_name("supervisor")
        if "--window" in extra:
            assert terminal.name.endswith(f"/{extra[1]}号窗口" if kind == "counter"
                                          else f"/{extra[1]}号窗口屏")
    finally:
        process.terminate()
        try:
            process.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.communicate()
        db.dispose()

"""The hall display on every backend (NOTIFY on PostgreSQL, polling elsewhere) and as a process."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest
from pytestqt.qtbot import QtBot

from kiosk_app.display.announcer import Announcement, Reading
from kiosk_app.display.controller import DisplayController
from kiosk_app.display.window import DisplayWindow
from shared import issuing, queue
from shared.db import Database
from shared.operation import Actor
from shared.read.site import site_info

ROOT = Path(__file__).resolve().parents[2]
WAIT_MS = 8000


class RecordingEngine:
    """Records each reading and ends it at once."""

    def __init__(self) -> None:
        self.played: list[tuple[str, int, Reading]] = []

    def start(self, announcement: Announcement, reading: Reading, on_done: Callable[[], None]
              ) -> None:
        self.played.append((announcement.number, announcement.window, reading))
        on_done()

    def stop(self) -> None:
        return None


@pytest.mark.all_backends
def test_calls_reach_the_display_on_every_backend(qtbot: QtBot, db: Database) -> None:
    """Through the real change feed a call is shown and spoken, and a recall spoken again."""
    window = DisplayWindow(notice="", highlight_seconds=8)
    qtbot.addWidget(window)
    engine = RecordingEngine()
    controller = DisplayController(window, engine, lambda: (db, site_info(db, "hall")),
                                   poll_interval_ms=50, highlight_seconds=8)
    controller.start()
    try:
        qtbot.waitUntil(lambda: controller.presenter.loaded, timeout=WAIT_MS)
        issuing.issue_ticket(db, "SB", site="hall")
        called = queue.call_next(db, 3, site="hall").ticket
        assert called is not None
        qtbot.waitUntil(lambda: window.board.number() == called.number, timeout=WAIT_MS)
        queue.recall(db, called.id, site="hall", actor=Actor(window=3))
        qtbot.waitUntil(lambda: len(engine.played) == 4, timeout=WAIT_MS)
        assert engine.played == [("B001", 3, Reading.FIRST), ("B001", 3, Reading.REPEAT)] * 2
    finally:
        controller.stop()


def display_process(*args: str, stderr: Path, module: str = "kiosk_app.display.main"
                    ) -> subprocess.Popen[bytes]:
    # An empty config file, so the developer's own config does not leak into the test.
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen",
           "HALLQ_CONFIG": str(stderr.parent / "none.toml")}
    (stderr.parent / "none.toml").write_text("", encoding="utf-8")
    with stderr.open("wb") as err:
        return subprocess.Popen([sys.executable, "-m", module, *args],
                                cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=err)


def test_list_screens_prints_the_screens(tmp_path: Path) -> None:
    """hallq-display --list-screens names each connected screen with its index, then exits."""
    process = display_process("--list-screens", "--database", f"sqlite:///{tmp_path}/x.db",
                              stderr=tmp_path / "stderr.txt")
    out, _ = process.communicate(timeout=60)
    assert process.returncode == 0
    assert out.decode().startswith("0: ")


def quits_on_sigterm_once(process: subprocess.Popen[bytes], stderr: Path, marker: str) -> None:
    """Wait until ``marker`` is in the log on stderr, then SIGTERM: the exit code is 0."""
    try:
        deadline = time.monotonic() + 60
        while marker not in stderr.read_text(encoding="utf-8", errors="replace"):
            assert process.poll() is None, stderr.read_text(encoding="utf-8", errors="replace")
            assert time.monotonic() < deadline, f"never logged {marker!r}"
            time.sleep(0.2)
        time.sleep(1)  # into the event loop
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=30) == 0, stderr.read_text(encoding="utf-8", errors="replace")
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        assert process.stdout is not None
        process.stdout.close()


def test_unreachable_database_keeps_running_then_quits_cleanly(tmp_path: Path) -> None:
    """With no database server the display keeps running offline, and SIGTERM ends it with 0."""
    stderr = tmp_path / "stderr.txt"
    process = display_process("--database", "postgresql+psycopg://nobody@127.0.0.1:9/none",
                              "--windowed", "-v", stderr=stderr)
    quits_on_sigterm_once(process, stderr, "cannot reach the database")


def test_the_kiosk_quits_cleanly_on_sigterm(tmp_path: Path) -> None:
    """hallq-demo and the OS end a kiosk with SIGTERM: it leaves its loop and exits with 0
    (shared.qt.app.quit_on_signals, as the display and the counter)."""
    stderr = tmp_path / "stderr.txt"
    process = display_process("--database", "postgresql+psycopg://nobody@127.0.0.1:9/none",
                              "--windowed", "-v", stderr=stderr, module="kiosk_app.main")
    quits_on_sigterm_once(process, stderr, "hallq-kiosk starting")


def test_the_supervisor_quits_cleanly_on_sigterm_at_its_login(tmp_path: Path) -> None:
    """The supervisor view too, even while its login dialog waits (it was killed by the
    signal, and Ctrl+C did nothing there)."""
    stderr = tmp_path / "stderr.txt"
    process = display_process("--database", f"sqlite:///{tmp_path}/hall.db", "--windowed",
                              "-v", stderr=stderr, module="counter_app.supervisor.main")
    quits_on_sigterm_once(process, stderr, "hallq-supervisor starting")

"""shared/qt/ops.py: the runner that keeps database work off the GUI thread, when the
screen that started a job is gone before the job ends (a slow LAN, a closed window)."""

from __future__ import annotations

import threading

import shiboken6
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from shared.qt.ops import OperationRunner


def test_a_job_that_ends_after_its_screen_was_deleted_reaches_nobody(qtbot: QtBot) -> None:
    """The worker must not emit on the deleted runner (undefined behaviour in Qt, an abort
    or a crash at random); its result is simply dropped."""
    screen = QWidget()
    runner = OperationRunner(screen)
    started, release = threading.Event(), threading.Event()
    delivered: list[object] = []

    def slow() -> str:
        started.set()
        release.wait(10)
        return "late"

    runner.run(slow, on_success=delivered.append, on_failure=delivered.append)
    assert started.wait(10)
    threading.Timer(0.3, release.set).start()  # ends while the screen is being deleted
    shiboken6.delete(screen)  # waits for the pool's job, then the runner is gone
    qtbot.wait(300)  # let any queued delivery run
    assert delivered == []

    kept = OperationRunner()
    results: list[object] = []
    kept.run(lambda: 42, on_success=results.append)
    qtbot.waitUntil(lambda: results == [42], timeout=5000)
    assert kept.idle

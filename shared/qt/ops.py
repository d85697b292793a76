"""Running domain calls off the GUI thread.

Every database call of the Qt apps goes through :class:`OperationRunner`: the call runs
on a worker thread, then ``on_success`` or ``on_failure`` runs on the GUI thread. A slow
or lost LAN therefore never freezes a screen. Failures go to :func:`shared.qt.errors.
show_exception` unless the caller handles them.

    runner.run(lambda: queue.call_next(db, 3, site="chunan"),
               on_success=self.show_called, on_failure=self.show_error)
"""

from __future__ import annotations

import itertools
import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal

log = logging.getLogger(__name__)

Success = Callable[[Any], None]
Failure = Callable[[BaseException], None]


class _Relay(QObject):
    """Carries a finished job's result to the runner. It belongs to the jobs as much as to
    the runner and has no parent, so a worker never emits on a runner whose screen was
    deleted meanwhile (the connection simply ends with the runner)."""

    # (job id, ok, result or exception): emitted from workers, queued to the GUI thread.
    finished = Signal(int, bool, object)


class _Job(QRunnable):
    def __init__(self, relay: _Relay, job_id: int, fn: Callable[[], Any]) -> None:
        super().__init__()
        self.setAutoDelete(True)
        self._relay = relay
        self._job_id = job_id
        self._fn = fn

    def run(self) -> None:  # worker thread
        try:
            result = self._fn()
        except BaseException as exc:
            self._relay.finished.emit(self._job_id, False, exc)
        else:
            self._relay.finished.emit(self._job_id, True, result)


class OperationRunner(QObject):
    """Runs callables on a thread pool and calls back on the thread that owns the runner."""

    busy_changed = Signal(bool)

    def __init__(self, parent: QObject | None = None, *, max_threads: int = 4,
                 default_failure: Failure | None = None) -> None:
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(max_threads)
        self._ids = itertools.count(1)
        self._pending: dict[int, tuple[Success | None, Failure | None]] = {}
        self._default_failure = default_failure
        self._relay = _Relay()
        self._relay.finished.connect(self._deliver, Qt.ConnectionType.QueuedConnection)

    @property
    def idle(self) -> bool:
        return not self._pending

    def run(self, fn: Callable[[], Any], on_success: Success | None = None,
            on_failure: Failure | None = None) -> int:
        job_id = next(self._ids)
        was_idle = self.idle
        self._pending[job_id] = (on_success, on_failure)
        if was_idle:
            self.busy_changed.emit(True)
        self._pool.start(_Job(self._relay, job_id, fn))
        return job_id

    def _deliver(self, job_id: int, ok: bool, value: object) -> None:
        on_success, on_failure = self._pending.pop(job_id, (None, None))
        try:
            if ok:
                if on_success is not None:
                    on_success(value)
            else:
                assert isinstance(value, BaseException)
                handler = on_failure or self._default_failure
                if handler is None:
                    log.error("operation failed with nobody to tell", exc_info=value)
                else:
                    handler(value)
        finally:
            if self.idle:
                self.busy_changed.emit(False)

    def wait_done(self, msecs: int = 30_000) -> bool:
        """Block until the workers finished (tests, shutdown); callbacks still need the
        event loop to run."""
        return self._pool.waitForDone(msecs)

"""A terminal's heartbeat, written every few seconds off the GUI thread
(:mod:`shared.heartbeats` holds the rules and what the supervisor makes of it).

Every GUI terminal starts one :class:`HeartbeatReporter` after it connected. It asks the
terminal for its device state (printer, sound) through a callable and adds the last error
the process logged, so the supervisor's 设备 tab shows what went wrong without a visit.
A beat that cannot be written is only logged: the next one tries again, and a terminal
that stays offline is exactly what the supervisor's "silent" alert is for.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QObject, QTimer

from shared import heartbeats
from shared.db import Database
from shared.qt.ops import OperationRunner

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class DeviceState:
    printer: str | None = None  # heartbeats.PRINTER_STATES; None: no printer
    audio: str | None = None  # "ok", "none"; None: this terminal plays no sound


class LastError(logging.Handler):
    """Remembers the first line of the last ERROR (or worse) this process logged."""

    def __init__(self) -> None:
        super().__init__(level=logging.ERROR)
        self.text: str | None = None

    def emit(self, record: logging.LogRecord) -> None:
        self.text = heartbeats.error_text(record.name, record.getMessage())


def audio_state() -> str:
    """"ok" when the PC has a sound output device, else "none"."""
    try:
        from PySide6.QtMultimedia import QMediaDevices
    except ImportError:  # libpulse missing
        return "none"
    return "ok" if QMediaDevices.audioOutputs() else "none"


class HeartbeatReporter(QObject):
    """Writes ``kind``/``name``'s heartbeat now and every :data:`heartbeats.BEAT_SECONDS`."""

    def __init__(self, db: Database, kind: str, name: str, site: str | None,
                 state: Callable[[], DeviceState] = DeviceState, *,
                 interval_ms: int = heartbeats.BEAT_SECONDS * 1000,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._db, self._kind, self._name, self._site = db, kind, name, site
        self._state = state
        self._runner = OperationRunner(self, max_threads=1)
        self._first = True
        self._in_flight = False
        self.beats = 0  # written so far (tests, logs)
        self.last_error = handler = LastError()
        logging.getLogger().addHandler(handler)
        # Also when the reporter goes with its parent window, without stop().
        self.destroyed.connect(lambda: logging.getLogger().removeHandler(handler))
        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self.beat)

    def start(self) -> None:
        self.beat()
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()
        logging.getLogger().removeHandler(self.last_error)
        self._runner.wait_done(3000)

    def beat(self) -> None:
        if self._in_flight:  # a slow LAN: never pile beats up
            return
        state = self._state()
        beat = heartbeats.Heartbeat(self._kind, self._name, site=self._site,
                                    printer=state.printer, audio=state.audio,
                                    last_error=self.last_error.text, first=self._first)
        self._in_flight = True
        self._runner.run(lambda: heartbeats.record(self._db, beat), self._written,
                         self._failed)

    def _written(self, _result: object) -> None:
        self._in_flight = False
        self._first = False
        self.beats += 1

    def _failed(self, exc: BaseException) -> None:
        self._in_flight = False
        log.warning("heartbeat not written: %s", exc)

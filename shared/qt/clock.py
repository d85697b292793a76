"""The wall clock's minutes, for screens whose content changes with the time of day.

Whether a service takes numbers follows its opening hours (``HH:MM`` spans, see
:mod:`shared.hours`) — nothing in the database changes at 09:00, so the change feed says
nothing. Every terminal that shows open/closed services (kiosk, hall display) re-reads on
:attr:`MinuteClock.minute`, emitted just after each minute of the wall clock begins, so a
service opening at 09:00 is shown open a moment after 09:00:00 rather than up to a
minute later.

Usage::

    clock = MinuteClock(parent=window)
    clock.minute.connect(presenter.refresh)
    clock.start()

``now`` (seconds since the epoch) can be replaced in tests to put the clock just before
a minute boundary.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer, Signal

#: Seconds after the minute begins that the clock fires: the database server's clock
#: (which decides open or closed) may run a little behind the PC's.
MARGIN_SECONDS = 1.0


class MinuteClock(QObject):
    """Emits :attr:`minute` once per wall-clock minute, :data:`MARGIN_SECONDS` after it starts."""

    minute = Signal()

    def __init__(self, parent: QObject | None = None, *,
                 now: Callable[[], float] = time.time) -> None:
        super().__init__(parent)
        self._now = now
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._fire)

    def start(self) -> None:
        """Start (or restart) counting from the current time."""
        self._schedule()

    def stop(self) -> None:
        self._timer.stop()

    def is_active(self) -> bool:
        return self._timer.isActive()

    def milliseconds_to_next(self) -> int:
        """Time until the next emission (also a single-shot timer's next interval)."""
        now = self._now()
        due = math.floor(now / 60) * 60 + MARGIN_SECONDS
        if due <= now:
            due += 60
        return max(1, math.ceil((due - now) * 1000))

    def _schedule(self) -> None:
        # A single shot re-armed each time: a QTimer interval drifts and a suspended PC
        # wakes to a stale phase; computing from the wall clock each minute does neither.
        self._timer.start(self.milliseconds_to_next())

    def _fire(self) -> None:
        self._schedule()
        self.minute.emit()

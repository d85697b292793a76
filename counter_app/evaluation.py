"""The evaluation pad's logic (好差评), apart from its widget.

When the counter finishes a ticket, the pad asks the citizen for one of the five levels;
with no answer within the configured time the ticket is recorded as not rated (level
None). A ticket is rated once: the first press wins, later presses are ignored. A bad
rating's follow-up is opened by the core (:func:`shared.evaluations.record_evaluation`).
"""

from __future__ import annotations

import logging
import math
import time
from typing import Protocol

from PySide6.QtCore import QObject, QTimer, Signal

from counter_app.core import CounterCore
from counter_app.session import Runner
from shared.errors import DatabaseUnavailable
from shared.views import TicketView

log = logging.getLogger(__name__)

THANKS_MS = 4000


class EvaluationView(Protocol):
    def show_welcome(self, clerk_name: str, window: int | None) -> None: ...
    def show_question(self, ticket: TicketView, clerk_name: str, window: int | None) -> None: ...
    def show_seconds_left(self, seconds: int) -> None: ...
    def show_thanks(self, level: int | None) -> None: ...
    def show_not_saved(self) -> None: ...


class EvaluationPresenter(QObject):
    # ticket id, level (None: not rated), follow-up id (None: no follow-up)
    recorded = Signal(int, object, object)
    failed = Signal(int, object)  # ticket id, the exception

    def __init__(self, core: CounterCore, runner: Runner, view: EvaluationView, *,
                 timeout_seconds: float, parent: QObject | None = None) -> None:
        super().__init__(parent)
        if timeout_seconds <= 0:
            raise ValueError(f"timeout_seconds must be positive, got {timeout_seconds}")
        self.core = core
        self.runner = runner
        self.view = view
        self.timeout_seconds = timeout_seconds
        self.asking: TicketView | None = None
        self.clerk_name = ""
        self.window: int | None = None
        self._deadline = 0.0
        self._timeout = QTimer(self)
        self._timeout.setSingleShot(True)
        self._timeout.timeout.connect(self.time_out)
        self._countdown = QTimer(self)
        self._countdown.setInterval(1000)
        self._countdown.timeout.connect(self._count_down)
        self._back_to_welcome = QTimer(self)
        self._back_to_welcome.setSingleShot(True)
        self._back_to_welcome.setInterval(THANKS_MS)
        self._back_to_welcome.timeout.connect(self._welcome)

    def set_clerk(self, clerk_name: str, window: int | None) -> None:
        """Who serves at the window, for the pad's greeting."""
        self.clerk_name, self.window = clerk_name, window
        if self.asking is None and not self._back_to_welcome.isActive():
            self._welcome()

    def _welcome(self) -> None:
        self.view.show_welcome(self.clerk_name, self.window)

    def ask(self, ticket: TicketView) -> None:
        """Ask the citizen of a just-finished ticket; a question still open for an earlier
        ticket ends as not rated."""
        if self.asking is not None and self.asking.id != ticket.id:
            self._record(self.asking, None)
        self.asking = ticket
        self._back_to_welcome.stop()
        self._deadline = time.monotonic() + self.timeout_seconds
        self._timeout.start(max(1, round(self.timeout_seconds * 1000)))
        self._countdown.start()
        self.view.show_question(ticket, self.clerk_name, self.window)
        self.view.show_seconds_left(math.ceil(self.timeout_seconds))

    def rate(self, level: int) -> None:
        """The citizen pressed a level (1 best .. 5 worst)."""
        if self.asking is None:
            return
        ticket, self.asking = self.asking, None
        self._stop_timers()
        self.view.show_thanks(level)
        self._back_to_welcome.start()
        self._record(ticket, level)

    def time_out(self) -> None:
        """Nobody answered in time: recorded as 未评价."""
        if self.asking is None:
            return
        ticket, self.asking = self.asking, None
        self._stop_timers()
        self._welcome()
        self._record(ticket, None)

    def _stop_timers(self) -> None:
        self._timeout.stop()
        self._countdown.stop()

    def _count_down(self) -> None:
        self.view.show_seconds_left(max(0, math.ceil(self._deadline - time.monotonic())))

    def _record(self, ticket: TicketView, level: int | None) -> None:
        self.runner.run(lambda: self.core.record_evaluation(ticket.id, level),
                        lambda follow_up: self.recorded.emit(ticket.id, level, follow_up),
                        lambda exc: self._not_recorded(ticket, exc))

    def _not_recorded(self, ticket: TicketView, exc: BaseException) -> None:
        # Not retried: a lost answer may have been stored, and a ticket is rated once.
        log.warning("evaluation of %s not recorded: %s", ticket.number, exc)
        if isinstance(exc, DatabaseUnavailable) and self.asking is None:
            self.view.show_not_saved()
        self.failed.emit(ticket.id, exc)

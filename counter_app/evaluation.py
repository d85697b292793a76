"""The evaluation pad's logic (好差评), apart from its widget.

When the counter finishes a ticket, the pad asks the citizen for one of the five levels;
with no answer within the configured time the ticket is recorded as not rated (level
None). A ticket is rated once: the first press wins, later presses are ignored. A bad
rating's follow-up is opened by the core (:func:`shared.evaluations.record_evaluation`).

A bad rating (不满意, 非常不满意) is stored at once, then the pad asks why (reasons to tap)
and for a phone number for the return visit (optional); what the citizen gave is added
to the rating (:func:`shared.evaluations.add_comment`) when they press 提交, when the time
runs out, or when the next citizen's question starts.
"""

from __future__ import annotations

import logging
import math
import time
from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import QObject, QTimer, Signal

from counter_app.core import CounterCore
from counter_app.session import Runner
from shared.errors import DatabaseUnavailable, UsageError
from shared.evaluations import BAD_LEVELS, COMMENT_SEPARATOR, check_phone
from shared.views import TicketView

if TYPE_CHECKING:
    from counter_app.evaluation_pad import EvaluationPad

log = logging.getLogger(__name__)

THANKS_MS = 4000


class EvaluationView(Protocol):
    def show_welcome(self, clerk_name: str, window: int | None) -> None: ...
    def show_question(self, ticket: TicketView, clerk_name: str, window: int | None) -> None: ...
    def show_seconds_left(self, seconds: int) -> None: ...
    def show_thanks(self, level: int | None) -> None: ...
    def show_not_saved(self) -> None: ...
    def show_reasons(self, level: int) -> None: ...
    def reasons_given(self) -> tuple[list[str], str]: ...  # the reasons tapped, the phone
    def show_phone_incomplete(self) -> None: ...


class EvaluationPresenter(QObject):
    # ticket id, level (None: not rated), follow-up id (None: no follow-up)
    recorded = Signal(int, object, object)
    failed = Signal(int, object)  # ticket id, the exception
    commented = Signal(int)  # ticket id: the reasons / phone of a bad rating were stored

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
        self.explaining: tuple[TicketView, int] | None = None  # a bad rating: asking why
        self._stored: set[int] = set()  # tickets whose rating is in the database
        self._comments: dict[int, tuple[str, str]] = {}  # comment, phone waiting for that
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
        if self.asking is None and self.explaining is None \
                and not self._back_to_welcome.isActive():
            self._welcome()

    def _welcome(self) -> None:
        self.view.show_welcome(self.clerk_name, self.window)

    def ask(self, ticket: TicketView) -> None:
        """Ask the citizen of a just-finished ticket; a question still open for an earlier
        ticket ends as not rated."""
        if self.explaining is not None:
            self._take_reasons(complete_only=False)
        if self.asking is not None and self.asking.id != ticket.id:
            self._record(self.asking, None)
        self.asking = ticket
        self._back_to_welcome.stop()
        self._start_timers()
        self.view.show_question(ticket, self.clerk_name, self.window)
        self.view.show_seconds_left(math.ceil(self.timeout_seconds))

    def _start_timers(self) -> None:
        self._deadline = time.monotonic() + self.timeout_seconds
        self._timeout.start(max(1, round(self.timeout_seconds * 1000)))
        self._countdown.start()

    def rate(self, level: int) -> None:
        """The citizen pressed a level (1 best .. 5 worst)."""
        if self.asking is None:
            return
        ticket, self.asking = self.asking, None
        self._record(ticket, level)
        if level in BAD_LEVELS:  # stored; now ask why, and how to reach them
            self.explaining = (ticket, level)
            self._start_timers()
            self.view.show_reasons(level)
            self.view.show_seconds_left(math.ceil(self.timeout_seconds))
            return
        self._stop_timers()
        self.view.show_thanks(level)
        self._back_to_welcome.start()

    def submit_reasons(self) -> None:
        """The citizen pressed 提交 on the reasons page; a phone number cut short is
        pointed out instead of being dropped."""
        if self.explaining is not None:
            self._take_reasons(complete_only=True)

    def _take_reasons(self, *, complete_only: bool) -> None:
        assert self.explaining is not None
        reasons, phone = self.view.reasons_given()
        try:
            phone = check_phone(phone)
        except UsageError:
            if complete_only:
                self.view.show_phone_incomplete()
                return
            phone = ""  # time ran out on a number cut short: keep the reasons
        (ticket, level), self.explaining = self.explaining, None
        self._stop_timers()
        self.view.show_thanks(level)
        self._back_to_welcome.start()
        comment = COMMENT_SEPARATOR.join(reasons)
        if comment or phone:
            self._comments[ticket.id] = (comment, phone)
            if ticket.id in self._stored:
                self._add_comment(ticket)

    def time_out(self) -> None:
        """Nobody answered in time: recorded as 未评价 (on the reasons page: what was
        given so far is kept)."""
        if self.explaining is not None:
            self._take_reasons(complete_only=False)
            return
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
                        lambda follow_up: self._recorded(ticket, level, follow_up),
                        lambda exc: self._not_recorded(ticket, exc))

    def _recorded(self, ticket: TicketView, level: int | None, follow_up: object) -> None:
        if level in BAD_LEVELS:  # the reasons may follow
            self._stored.add(ticket.id)
        self.recorded.emit(ticket.id, level, follow_up)
        if ticket.id in self._comments:  # the reasons came before the rating was stored
            self._add_comment(ticket)

    def _add_comment(self, ticket: TicketView) -> None:
        """Add the reasons to the stored rating (after it: the runner's threads keep no
        order, so this waits for the rating's success)."""
        self._stored.discard(ticket.id)
        comment, phone = self._comments.pop(ticket.id)
        self.runner.run(lambda: self.core.add_evaluation_comment(ticket.id, comment, phone),
                        lambda _none: self.commented.emit(ticket.id),
                        lambda exc: self._not_recorded(ticket, exc))

    def _not_recorded(self, ticket: TicketView, exc: BaseException) -> None:
        # Not retried: a lost answer may have been stored, and a ticket is rated once.
        log.warning("evaluation of %s not recorded: %s", ticket.number, exc)
        self._comments.pop(ticket.id, None)
        if isinstance(exc, DatabaseUnavailable) and self.asking is None \
                and self.explaining is None:
            self.view.show_not_saved()
        self.failed.emit(ticket.id, exc)


def connect_pad(pad: EvaluationPad, presenter: EvaluationPresenter) -> None:
    """Wire a pad's taps to its presenter: a rating, and the reasons page's 提交/跳过."""
    pad.rated.connect(presenter.rate)
    pad.reasons_submitted.connect(presenter.submit_reasons)

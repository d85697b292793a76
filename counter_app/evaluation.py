"""The evaluation pad's logic (好差评), apart from its widget.

When the counter finishes a ticket, the pad asks the citizen for one of the five levels;
with no answer within the configured time the ticket is recorded as not rated (level
None). A ticket is rated once: the first press wins, later presses are ignored. A bad
rating's follow-up is opened by the core (:func:`shared.evaluations.record_evaluation`).

A ticket finished with case numbers (办件编号) is rated once per case, one after the
other (一次一评): the question names the case and how many there are; no answer in time
ends the remaining cases as not rated as well. Without case numbers the ticket is rated
as a whole.

A bad rating (不满意, 非常不满意) is stored at once, then the pad asks why (reasons to tap)
and for a phone number for the return visit (optional); what the citizen gave is added
to the rating (:func:`shared.evaluations.add_comment`) when they press 提交, when the time
runs out, or when the next citizen's question starts.
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Sequence
from typing import TYPE_CHECKING, NamedTuple, Protocol

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


class CaseRef(NamedTuple):
    """Which case of the ticket is being rated: its number, its place, how many."""

    number: str
    index: int  # 1-based
    total: int


class EvaluationView(Protocol):
    def show_welcome(self, clerk_name: str, window: int | None) -> None: ...
    def show_question(self, ticket: TicketView, clerk_name: str, window: int | None,
                      case: CaseRef | None = None) -> None: ...
    def show_seconds_left(self, seconds: int) -> None: ...
    def show_thanks(self, level: int | None) -> None: ...
    def show_not_saved(self) -> None: ...
    def show_reasons(self, level: int) -> None: ...
    def reasons_given(self) -> tuple[list[str], str]: ...  # the reasons tapped, the phone
    def show_phone_incomplete(self) -> None: ...


class EvaluationPresenter(QObject):
    # ticket id, level (None: not rated), follow-up id (None: no follow-up)
    recorded = Signal(int, object, object)
    case_recorded = Signal(int, str, object)  # ticket id, case number, level
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
        self.case: CaseRef | None = None  # the case asked about (None: the whole ticket)
        self._cases: list[str] = []  # the asked ticket's cases, in order
        self.explaining: tuple[TicketView, int] | None = None  # a bad rating: asking why
        # Ratings (ticket id, case number) in the database, and the comment and phone
        # waiting for that.
        self._stored: set[tuple[int, str | None]] = set()
        self._comments: dict[tuple[int, str | None], tuple[str, str]] = {}
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

    def ask(self, ticket: TicketView, cases: Sequence[str] = ()) -> None:
        """Ask the citizen of a just-finished ticket, once per case number if it has any;
        a question still open for an earlier ticket ends as not rated."""
        if self.explaining is not None:
            self._take_reasons(complete_only=False, go_on=False)
        if self.asking is not None and self.asking.id != ticket.id:
            self._abandon()
        self.asking = ticket
        self._cases = list(dict.fromkeys(c for c in cases if c))
        self._ask_case(0)

    def _ask_case(self, index: int) -> None:
        assert self.asking is not None
        self.case = (CaseRef(self._cases[index], index + 1, len(self._cases))
                     if self._cases else None)
        self._back_to_welcome.stop()
        self._start_timers()
        self.view.show_question(self.asking, self.clerk_name, self.window, self.case)
        self.view.show_seconds_left(math.ceil(self.timeout_seconds))

    def _next_case(self, ticket: TicketView, case: CaseRef | None) -> bool:
        """Ask about the ticket's next case, if there is one."""
        if case is None or case.index >= case.total:
            return False
        self.asking = ticket
        self._ask_case(case.index)
        return True

    def _abandon(self) -> None:
        """The open question and the cases not yet asked end as not rated."""
        if self.asking is None:
            return
        ticket, case, self.asking = self.asking, self.case, None
        if case is None:
            self._record(ticket, None, None)
            return
        self._abandon_rest(ticket, case.index - 1)

    def _abandon_rest(self, ticket: TicketView, start: int) -> None:
        for number in self._cases[start:]:
            self._record(ticket, None, number)

    def _start_timers(self) -> None:
        self._deadline = time.monotonic() + self.timeout_seconds
        self._timeout.start(max(1, round(self.timeout_seconds * 1000)))
        self._countdown.start()

    def rate(self, level: int) -> None:
        """The citizen pressed a level (1 best .. 5 worst)."""
        if self.asking is None:
            return
        ticket, case, self.asking = self.asking, self.case, None
        self._record(ticket, level, case.number if case else None)
        if level in BAD_LEVELS:  # stored; now ask why, and how to reach them
            self.explaining = (ticket, level)
            self._start_timers()
            self.view.show_reasons(level)
            self.view.show_seconds_left(math.ceil(self.timeout_seconds))
            return
        if self._next_case(ticket, case):
            return
        self._stop_timers()
        self.view.show_thanks(level)
        self._back_to_welcome.start()

    def submit_reasons(self) -> None:
        """The citizen pressed 提交 on the reasons page; a phone number cut short is
        pointed out instead of being dropped."""
        if self.explaining is not None:
            self._take_reasons(complete_only=True)

    def _take_reasons(self, *, complete_only: bool, go_on: bool = True) -> None:
        """The reasons page ends; ``go_on``: then the ticket's next case is asked."""
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
        case = self.case
        key = (ticket.id, case.number if case else None)
        comment = COMMENT_SEPARATOR.join(reasons)
        if comment or phone:
            self._comments[key] = (comment, phone)
            if key in self._stored:
                self._add_comment(ticket, key[1])
        if not go_on:
            if case is not None:
                self._abandon_rest(ticket, case.index)
            return
        if self._next_case(ticket, case):
            return
        self._stop_timers()
        self.view.show_thanks(level)
        self._back_to_welcome.start()

    def time_out(self) -> None:
        """Nobody answered in time: recorded as 未评价 (on the reasons page: what was
        given so far is kept)."""
        if self.explaining is not None:
            level = self.explaining[1]
            self._take_reasons(complete_only=False, go_on=False)
            self._stop_timers()
            self.view.show_thanks(level)
            self._back_to_welcome.start()
            return
        if self.asking is None:
            return
        self._stop_timers()
        self._welcome()
        self._abandon()

    def _stop_timers(self) -> None:
        self._timeout.stop()
        self._countdown.stop()

    def _count_down(self) -> None:
        self.view.show_seconds_left(max(0, math.ceil(self._deadline - time.monotonic())))

    def _record(self, ticket: TicketView, level: int | None, case_no: str | None = None
                ) -> None:
        self.runner.run(lambda: self.core.record_evaluation(ticket.id, level, case_no),
                        lambda follow_up: self._recorded(ticket, level, follow_up, case_no),
                        lambda exc: self._not_recorded(ticket, exc, case_no))

    def _recorded(self, ticket: TicketView, level: int | None, follow_up: object,
                  case_no: str | None = None) -> None:
        key = (ticket.id, case_no)
        if level in BAD_LEVELS:  # the reasons may follow
            self._stored.add(key)
        self.recorded.emit(ticket.id, level, follow_up)
        if case_no is not None:
            self.case_recorded.emit(ticket.id, case_no, level)
        if key in self._comments:  # the reasons came before the rating was stored
            self._add_comment(ticket, case_no)

    def _add_comment(self, ticket: TicketView, case_no: str | None = None) -> None:
        """Add the reasons to the stored rating (after it: the runner's threads keep no
        order, so this waits for the rating's success)."""
        key = (ticket.id, case_no)
        self._stored.discard(key)
        comment, phone = self._comments.pop(key)
        self.runner.run(lambda: self.core.add_evaluation_comment(ticket.id, comment, phone,
                                                                 case_no),
                        lambda _none: self.commented.emit(ticket.id),
                        lambda exc: self._not_recorded(ticket, exc, case_no))

    def _not_recorded(self, ticket: TicketView, exc: BaseException,
                      case_no: str | None = None) -> None:
        # Not retried: a lost answer may have been stored, and a ticket is rated once.
        log.warning("evaluation of %s not recorded: %s", ticket.number, exc)
        self._comments.pop((ticket.id, case_no), None)
        if isinstance(exc, DatabaseUnavailable) and self.asking is None \
                and self.explaining is None:
            self.view.show_not_saved()
        self.failed.emit(ticket.id, exc)


def connect_pad(pad: EvaluationPad, presenter: EvaluationPresenter) -> None:
    """Wire a pad's taps to its presenter: a rating, and the reasons page's 提交/跳过."""
    pad.rated.connect(presenter.rate)
    pad.reasons_submitted.connect(presenter.submit_reasons)

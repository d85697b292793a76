"""The counter's actions, apart from any widget (the Mu split: this presenter drives a
passive view through plain methods, so the logic is tested without a screen).

Every action is one call into the core through the OperationRunner, taken only when the
transition table allows it; while it is on its way every button is disabled, so a
double press cannot apply it twice. Each press makes one request key: if the answer was
lost with the connection, the clerk is told so, the buttons stay off, and as soon as the
database answers a read again the action is asked again with that key -- which returns
what the first attempt did if it committed, and does it now if it did not, never twice.
A refused action is never retried.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from counter_app import labels
from counter_app.actions import CounterAction
from counter_app.session import SessionPresenter
from shared import vocabulary
from shared.errors import DatabaseUnavailable
from shared.queue import CallResult
from shared.read.counter_view import NoShowTicket, TransferTargets
from shared.request_keys import new_key
from shared.states import Outcome, TicketState
from shared.ticket_number import from_input
from shared.ticket_print import PrintResult
from shared.views import TicketView, WindowView

log = logging.getLogger(__name__)


def _finish_extras(cases: list[str], missing: list[str]) -> dict[str, Any]:
    """The case numbers and missing materials as the core's keywords, only when given."""
    return {**({"finish_cases": cases} if cases else {}),
            **({"finish_missing": missing} if missing else {})}


# The actions whose answer (the held ticket) is all they change on the counter's screen:
# shown from the answer, with no read after them (SessionPresenter.show_answer).
ANSWER_SHOWN = frozenset({CounterAction.START, CounterAction.RECALL})


class CounterPresenter(SessionPresenter):
    """Login, feed and snapshot (from :class:`SessionPresenter`) plus the clerk's actions."""

    # ------------------------------------------------------------------ calling

    def call_next(self, finish_outcome: str = Outcome.COMPLETED.value,
                  finish_cases: list[str] | None = None,
                  finish_missing: list[str] | None = None) -> None:
        """Call the next ticket; a ticket still being served is finished first, with
        ``finish_outcome``, its case numbers and the materials ticked missing (the screen
        asks the clerk for them), in the same transaction."""
        outcome = Outcome(finish_outcome)
        cases = list(finish_cases or [])
        missing = list(finish_missing or [])
        self._perform(CounterAction.CALL_NEXT,
                      lambda window, clerk, key: self.core.call_next(
                          window, clerk, outcome, key, **_finish_extras(cases, missing)),
                      lambda result: self._called_next(result, cases))

    def _called_next(self, result: CallResult, cases: list[str] | None = None) -> None:
        finished = ""
        if result.finished is not None:
            self._finished(result.finished, cases or [])
            finished = self._said_finished(result.finished.number,
                                           result.finished.outcome or "")
        if result.ticket is None:
            nobody = self.tr("当前没有等候的号")
            self.view.show_status(finished + nobody)
        else:
            self._said_called(result.ticket, finished)

    def _said_finished(self, number: str, outcome: str) -> str:
        return self.tr("{number} 已办理完成（{outcome}）。").format(
            number=number, outcome=vocabulary.outcome_label(outcome))

    def _ticket_number(self, number: str) -> str | None:
        """The number in its canonical form (A017, AB017), or None after telling the clerk
        why not."""
        wanted = from_input(number)
        if wanted is None:
            self.view.show_status(
                self.tr("票号“{number}”格式不对，应为 1-2 个字母加 3-6 位数字，例如 A017、AB017")
                .format(number=number.strip()), warning=True)
        return wanted

    def call_number(self, number: str, finish_outcome: str = Outcome.COMPLETED.value, *,
                    confirmed: bool = False, finish_cases: list[str] | None = None,
                    finish_missing: list[str] | None = None) -> None:
        """Call ticket ``number`` here (a ticket still being served is finished first, with
        ``finish_outcome``). A ticket of a service this window does not serve, and that was
        not handed to it, is called only after the clerk confirms."""
        wanted = self._ticket_number(number)
        if wanted is None:
            return
        outcome = Outcome(finish_outcome)
        if not confirmed:
            if CounterAction.CALL_NUMBER not in self.enabled() or self.window is None:
                self.refuse(CounterAction.CALL_NUMBER)
                return
            window = self.window
            self.runner.run(lambda: self.core.ticket_outside_window(window, wanted),
                            lambda outside: self._check_outside(wanted, outcome.value, outside,
                                                                finish_cases, finish_missing),
                            self._dialog_read_failed)
            return
        held = self.snapshot.held if self.snapshot else None
        serving = held is not None and held.state == TicketState.SERVING.value
        finished = self._said_finished(held.number, outcome.value) if serving and held else ""
        cases = list(finish_cases or [])
        missing = list(finish_missing or [])

        def called(ticket: TicketView) -> None:
            if serving and held is not None:
                self._finished(held, cases)
            self._said_called(ticket, finished)

        self._perform(CounterAction.CALL_NUMBER,
                      lambda window, clerk, key: self.core.call_number(
                          window, clerk, wanted, outcome, key, **_finish_extras(cases, missing)),
                      called)

    def _check_outside(self, number: str, outcome: str, outside: TicketView | None,
                       finish_cases: list[str] | None = None,
                       finish_missing: list[str] | None = None) -> None:
        if outside is None:
            self.call_number(number, outcome, confirmed=True, finish_cases=finish_cases,
                             finish_missing=finish_missing)
            return
        self.view.confirm(
            self.tr("指定叫号：非本窗口业务"),
            self.tr("{number} 是“{service}”的号，本窗口不办理这项业务。仍要叫到本窗口吗？").format(
                number=outside.number, service=outside.service_name),
            self.tr("仍然叫号"),
            lambda: self.call_number(number, outcome, confirmed=True,
                                     finish_cases=finish_cases, finish_missing=finish_missing))

    def _said_called(self, ticket: TicketView, finished: str = "") -> None:
        called = self.tr("已叫 {number}（{service}），请等候市民到窗口。").format(
            number=ticket.number, service=ticket.service_name)
        self.view.show_status(finished + called)

    def reinstate(self, ticket: NoShowTicket) -> None:
        self._perform(CounterAction.REINSTATE,
                      lambda window, clerk, key: self.core.reinstate(window, clerk, ticket.id,
                                                                     key),
                      lambda view: self.view.show_status(
                          self.tr("{number} 已重新排队").format(number=view.number)))

    # ------------------------------------------------------------------ the held ticket

    def recall(self) -> None:
        self._on_held(CounterAction.RECALL, self.core.recall, lambda view: self.view.show_status(
            self.tr("已重呼 {number}（第 {count} 次呼叫）").format(number=view.number,
                                                           count=view.call_count)))

    def no_show(self) -> None:
        self._on_held(CounterAction.NO_SHOW, self.core.no_show, lambda view: self.view.show_status(
            self.tr("{number} 已记为过号").format(number=view.number)))

    def start(self) -> None:
        self._on_held(CounterAction.START, self.core.start, lambda view: self.view.show_status(
            self.tr("{number} 开始办理").format(number=view.number)))

    def finish(self, outcome: str, cases: list[str] | None = None,
               missing: list[str] | None = None) -> None:
        """Finish the held case with ``outcome``, its case numbers and, for 材料不全, the
        materials ticked missing."""
        result = Outcome(outcome)
        numbers = list(cases or [])
        lacking = list(missing or [])

        def done(view: TicketView) -> None:
            self._finished(view, numbers)
            self.view.show_status(self.tr("{number} 办理完成：{outcome}").format(
                number=view.number, outcome=vocabulary.outcome_label(result.value)))

        self._on_held(CounterAction.FINISH,
                      lambda window, clerk, ticket_id, key: self.core.finish(
                          window, clerk, ticket_id, result.value, key,
                          **({"cases": numbers} if numbers else {}),
                          **({"missing": lacking} if lacking else {})), done)

    def _finished(self, view: TicketView, cases: list[str]) -> None:
        """The pad asks the citizen: once per case number given, else once."""
        self.finished_cases[view.id] = list(cases)
        self.ticket_finished.emit(view)

    def cases_of(self, ticket_id: int) -> list[str]:
        """The case numbers a ticket finished here was given (asked once, by the pad)."""
        return self.finished_cases.pop(ticket_id, [])

    def transfer(self, *, to_service: str | None = None, to_window: int | None = None,
                 note: str = "") -> None:
        if (to_service is None) == (to_window is None):
            self.view.show_status(self.tr("请选择转往的业务或窗口（二选一）"), warning=True)
            return
        def call(window: int, clerk: str, ticket_id: int, key: str) -> TicketView:
            return self.core.transfer(window, clerk, ticket_id, to_service=to_service,
                                      to_window=to_window, note=note.strip(), key=key)

        def done(view: TicketView) -> None:
            target = (self.tr("{n} 号窗口").format(n=to_window) if to_window is not None
                      else view.service_name)
            self.view.show_status(self.tr("{number} 已转至 {target}，市民无需重新取号").format(
                number=view.number, target=target))

        self._on_held(CounterAction.TRANSFER, call, done)

    def _on_held(self, action: CounterAction, call: Callable[[int, str, int, str], Any],
                 done: Callable[[Any], None]) -> None:
        held = self.snapshot.held if self.snapshot else None
        if held is None:
            self.refuse(action)
            return
        ticket_id = held.id
        self._perform(action, lambda window, clerk, key: call(window, clerk, ticket_id, key),
                      done)

    # ------------------------------------------------------------------ the window

    def pause(self, reason: str) -> None:
        text = reason.strip()
        if not text:
            self.view.show_status(self.tr("请填写暂停原因"), warning=True)
            return
        self._perform(CounterAction.PAUSE,
                      lambda window, clerk, key: self.core.pause(window, clerk, text, key),
                      lambda view: self._said_window(view))

    def resume(self) -> None:
        self._perform(CounterAction.RESUME, self.core.resume, self._said_window)

    def _said_window(self, view: WindowView) -> None:
        if view.paused:
            self.view.show_status(self.tr("已暂停服务（{reason}），恢复前不会叫号").format(
                reason=view.pause_reason or ""))
        else:
            self.view.show_status(self.tr("已恢复服务"))

    def reprint(self, number: str) -> None:
        """Print today's ticket ``number`` again on the counter's ticket printer."""
        wanted = self._ticket_number(number)
        if wanted is None:
            return
        self._perform(CounterAction.REPRINT,
                      lambda _window, _clerk, _key: self.core.reprint(wanted), self._reprinted)

    def _reprinted(self, result: PrintResult) -> None:
        if result.printed:
            self.view.show_status(self.tr("已补打 {number}").format(number=result.number))
        else:
            reason = labels.printer_problem(result.error.reason if result.error else "")
            self.view.show_status(self.tr("{number} 未能打印：{reason}。已记为待补打，请检查打印机后重试。")
                                  .format(number=result.number, reason=reason), warning=True)

    # ------------------------------------------------------------------ dialog data

    def load_transfer_targets(self, show: Callable[[TransferTargets], None]) -> None:
        self.runner.run(self.core.transfer_targets, show, self._dialog_read_failed)

    def load_no_shows(self, show: Callable[[list[NoShowTicket]], None]) -> None:
        if self.window is None:
            return
        window = self.window
        self.runner.run(lambda: self.core.no_shows(window), show, self._dialog_read_failed)

    def _dialog_read_failed(self, exc: BaseException) -> None:
        self._read_failed(exc)
        self.view.show_error(exc)

    # ------------------------------------------------------------------ one action, once

    def refuse(self, action: CounterAction) -> None:
        """Tell the clerk why ``action`` cannot be taken now."""
        if not self.online:
            text = self.tr("数据库连接中断，暂时不能操作")
        elif self.pending is not None:
            text = self.tr("上一个操作（{action}）尚未完成，请稍候").format(
                action=labels.action_label(self.pending))
        else:
            text = self.tr("当前状态下不能“{action}”。{now}。").format(
                action=labels.action_label(action), now=self.describe_window())
        self.view.show_status(text, warning=True)

    def _perform(self, action: CounterAction, call: Callable[[int, str, str], Any],
                 done: Callable[[Any], None]) -> None:
        """Run one action through the runner, if it is legal now; never twice at once."""
        if action not in self.enabled():
            self.refuse(action)
            return
        assert self.clerk is not None and self.window is not None
        window, clerk = self.window, self.clerk.login
        key = new_key()  # one per press: asking again with it never does it twice
        self.pending = action
        self._update_controls()
        log.info("window %s: %s (request %s)", window, action.value, key)
        self._run_action(action, lambda: call(window, clerk, key), done)

    def _run_action(self, action: CounterAction, work: Callable[[], Any],
                    done: Callable[[Any], None]) -> None:
        self.runner.run(work, lambda result: self._performed(action, done, result),
                        lambda exc: self._action_failed(action, exc, work, done))

    def _performed(self, action: CounterAction, done: Callable[[Any], None],
                   result: Any) -> None:
        done(result)
        if action in ANSWER_SHOWN:
            self.show_answer(result)
        else:
            self.settle_after_next_read()  # the buttons return with the state after it

    def _action_failed(self, action: CounterAction, exc: BaseException,
                       work: Callable[[], Any], done: Callable[[Any], None]) -> None:
        self.pending = None
        if isinstance(exc, DatabaseUnavailable) and action is not CounterAction.REPRINT:
            # The transaction may or may not have committed: ask again with the same key
            # once the database answers (see ask_again_after_lost_answer); until then
            # nothing else can be pressed.
            self.pending = action
            self.lost_action = (action, work, done)
            self._read_failed(exc)
            self.view.show_status(self.tr(
                "与数据库的连接中断，无法确认“{action}”是否已完成。连接恢复后将自动再确认一次"
                "（不会重复办理），请稍候。").format(action=labels.action_label(action)),
                warning=True)
        else:
            self.view.show_error(exc)
        self._update_controls()
        self.refresh()

    def ask_again_after_lost_answer(self) -> None:
        """The database answers again: repeat the action whose answer was lost, with its
        request key, and show its result as if it had come the first time."""
        if self.lost_action is None:
            return
        action, work, done = self.lost_action
        self.lost_action = None
        log.info("window %s: asking again for %s after the lost answer", self.window,
                 action.value)
        self._run_action(action, work, done)

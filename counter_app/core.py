"""Every call the counter terminal makes into the queue core, in one place.

Each method is one call into :mod:`shared` (one database transaction for the writes) and
runs on a worker thread through the OperationRunner, never on the GUI thread. Keeping
them together shows at a glance what the counter can change, and lets a test stand in
for the network (a subclass that commits and then loses the answer).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from shared import clerks, evaluations, queue, ticket_print
from shared.clerks import ClerkView
from shared.config import Config
from shared.db import Database
from shared.errors import UsageError
from shared.operation import Actor
from shared.queue import CallResult
from shared.read import counter_view, hall_state
from shared.read.counter_view import (
    CounterSnapshot,
    NoShowTicket,
    TransferTargets,
    WindowRef,
    counter_snapshot,
)
from shared.states import Outcome
from shared.ticket_print import PrintResult
from shared.views import TicketView, WindowView


@dataclass(frozen=True)
class PrinterSettings:
    """The ticket printer at the counter, for reprints."""

    url: str
    mode: str  # raster or text
    paper_width_mm: int
    footer: str

    @classmethod
    def from_config(cls, config: Config, url: str | None = None) -> PrinterSettings | None:
        """The counter's printer: ``url`` (--printer), else ``counter.printer``; the
        footer is the kiosk's. None: no printer, so no reprint button."""
        counter = config.counter
        chosen = url or counter.printer
        if not chosen:
            return None
        return cls(chosen, counter.print_mode, counter.paper_width_mm, config.kiosk.footer)


class CounterCore:
    """The queue core as one site's counter sees it."""

    def __init__(self, db: Database, site: str | None,
                 printer: PrinterSettings | None = None) -> None:
        self.db = db
        self.site = site
        self.printer = printer

    # ------------------------------------------------------------------ presence

    def login(self, login: str, password: str, window: int) -> ClerkView:
        return clerks.login_at_window(self.db, login, password, window, site=self.site)

    def renew_lease(self, login: str, window: int) -> None:
        clerks.renew_lease(self.db, login, window, site=self.site)

    def logout(self, login: str, window: int) -> None:
        clerks.logout(self.db, login, window, site=self.site)

    # ------------------------------------------------------------------ reading

    def snapshot(self, window: int, clerk: str) -> CounterSnapshot:
        return counter_snapshot(self.db, window, clerk, site=self.site)

    def windows(self) -> list[WindowRef]:
        return counter_view.transfer_targets(self.db, site=self.site).windows

    def transfer_targets(self) -> TransferTargets:
        return counter_view.transfer_targets(self.db, site=self.site)

    def no_shows(self, window: int) -> list[NoShowTicket]:
        return counter_view.no_shows_for_window(self.db, window, site=self.site)

    # ------------------------------------------------------------------ queue actions
    #
    # ``key``: the request key of the press (shared.request_keys); asking again with it
    # after a lost answer returns what the first attempt did instead of doing it twice.

    def call_next(self, window: int, clerk: str,
                  finish_outcome: Outcome = Outcome.COMPLETED, key: str | None = None,
                  finish_cases: Sequence[str] = (),
                  finish_missing: Sequence[str] = ()) -> CallResult:
        return queue.call_next(self.db, window, site=self.site, clerk=clerk,
                               finish_outcome=finish_outcome, request_key=key,
                               finish_cases=finish_cases, finish_missing=finish_missing)

    def call_number(self, window: int, clerk: str, number: str,
                    finish_outcome: Outcome = Outcome.COMPLETED, key: str | None = None,
                    finish_cases: Sequence[str] = (),
                    finish_missing: Sequence[str] = ()) -> TicketView:
        return queue.call_number(self.db, number, window, site=self.site, clerk=clerk,
                                 finish_outcome=finish_outcome, request_key=key,
                                 finish_cases=finish_cases, finish_missing=finish_missing)

    def ticket_outside_window(self, window: int, number: str) -> TicketView | None:
        """Today's ticket ``number`` when this window neither serves its service nor was
        handed it (calling it here needs the clerk's confirmation); None otherwise."""
        ticket = hall_state.get_ticket(self.db, number, site=self.site)
        served = {s.code for s in counter_view.window_services(self.db, window,
                                                                  site=self.site)}
        if ticket.service in served or ticket.target_window == window:
            return None
        return ticket

    def recall(self, window: int, clerk: str, ticket_id: int, key: str | None = None
               ) -> TicketView:
        return queue.recall(self.db, ticket_id, site=self.site, actor=Actor(window, clerk),
                            request_key=key)

    def no_show(self, window: int, clerk: str, ticket_id: int, key: str | None = None
                ) -> TicketView:
        return queue.no_show(self.db, ticket_id, site=self.site, actor=Actor(window, clerk),
                             request_key=key)

    def reinstate(self, window: int, clerk: str, ticket_id: int, key: str | None = None
                  ) -> TicketView:
        return queue.reinstate(self.db, ticket_id, site=self.site, actor=Actor(window, clerk),
                               request_key=key)

    def start(self, window: int, clerk: str, ticket_id: int, key: str | None = None
              ) -> TicketView:
        return queue.start(self.db, ticket_id, site=self.site, actor=Actor(window, clerk),
                           request_key=key)

    def finish(self, window: int, clerk: str, ticket_id: int, outcome: str,
               key: str | None = None, cases: Sequence[str] = (),
               missing: Sequence[str] = ()) -> TicketView:
        return queue.finish(self.db, ticket_id, outcome=outcome, site=self.site,
                            actor=Actor(window, clerk), request_key=key, cases=cases,
                            missing=missing)

    def transfer(self, window: int, clerk: str, ticket_id: int, *, to_service: str | None,
                 to_window: int | None, note: str, key: str | None = None) -> TicketView:
        return queue.transfer(self.db, ticket_id, to_service=to_service, to_window=to_window,
                              note=note, site=self.site, actor=Actor(window, clerk),
                              request_key=key)

    def pause(self, window: int, clerk: str, reason: str, key: str | None = None
              ) -> WindowView:
        return queue.pause_window(self.db, window, reason, site=self.site, clerk=clerk,
                                  request_key=key)

    def resume(self, window: int, clerk: str, key: str | None = None) -> WindowView:
        return queue.resume_window(self.db, window, site=self.site, clerk=clerk,
                                   request_key=key)

    def reprint(self, number: str) -> PrintResult:
        """Print today's ticket ``number`` again (the citizen lost the slip)."""
        if self.printer is None:
            raise UsageError("本窗口未配置小票打印机 (no ticket printer configured at this "
                             "counter: --printer URL)")
        ticket = hall_state.get_ticket(self.db, number, site=self.site)
        return ticket_print.print_issued_ticket(
            self.db, ticket.id, self.printer.url, self.printer.mode, footer=self.printer.footer,
            paper_width_mm=self.printer.paper_width_mm)

    # ------------------------------------------------------------------ evaluation

    def record_evaluation(self, ticket_id: int, level: int | None,
                          case_no: str | None = None) -> int | None:
        return evaluations.record_evaluation(self.db, ticket_id, level, case_no=case_no)

    def add_evaluation_comment(self, ticket_id: int, comment: str, phone: str,
                               case_no: str | None = None) -> None:
        evaluations.add_comment(self.db, ticket_id, comment, phone, case_no=case_no)

"""What the kiosk asks of the hall's database and its ticket printer.

Plain Python, no Qt: each method is one piece of work the presenter runs off the GUI
thread through an OperationRunner, so the screen never freezes on a slow LAN or printer.
"""

from __future__ import annotations

import importlib
import logging
import socket
from dataclasses import dataclass

from shared import help_requests, issuing, queue
from shared.config import KioskConfig
from shared.db import Database
from shared.errors import HallQueueError, PrinterError
from shared.help_requests import HelpRequestView
from shared.read import hall_state
from shared.read.kiosk_view import ServiceGuide, kiosk_services
from shared.read.site import SiteInfo, site_info
from shared.states import TicketKind
from shared.ticket_print import (
    PrintResult,
    deliver_slip,
    print_issued_ticket,
    slip_from_issued,
)
from shared.views import IssuedTicket, NewTicketOutlook, ServiceQueue, TicketView

log = logging.getLogger(__name__)

# Short enough that a citizen is not left staring at a frozen screen, long enough for a
# printer on the hall's LAN.
PRINTER_TIMEOUT_SECONDS = 3.0


@dataclass(frozen=True)
class ServiceOffer:
    """One service as the kiosk shows it: its live queue, its guide, and what a number
    taken now would get (the people ahead the slip will then print)."""

    queue: ServiceQueue
    guide: ServiceGuide | None
    outlook: NewTicketOutlook

    @property
    def code(self) -> str:
        return self.queue.service

    @property
    def quota_reached(self) -> bool:
        return self.guide is not None and self.guide.quota_left == 0

    @property
    def open(self) -> bool:
        return self.queue.open_now and not self.quota_reached

    @property
    def materials(self) -> list[str]:
        return self.guide.materials if self.guide else []


@dataclass(frozen=True)
class TakeResult:
    """A ticket issued at the kiosk and how its slip went (``print_result`` None: no printer)."""

    issued: IssuedTicket
    print_result: PrintResult | None


# A printer error's reason as a heartbeat's printer state (shared.heartbeats).
PRINTER_STATE_OF_REASON = {"paper_out": "paper_out", "cover_open": "cover_open",
                           "offline": "offline", "no_answer": "unreachable",
                           "unreachable": "unreachable"}


class KioskBackend:
    """The kiosk's domain calls for one site, with its printer settings."""

    def __init__(self, db: Database, settings: KioskConfig, *, site: str | None) -> None:
        self.db = db
        self.settings = settings
        self.site_code = site
        self._site: SiteInfo | None = None
        # The request key of the last issue sent (one tap is in flight at a time): asking
        # again with it skips the printer check, since its ticket may exist already; a
        # printer problem then becomes a reprint mark, not "nothing was issued".
        self._last_sent: str | None = None
        # The printer as the last check found it, for the heartbeat (shared.heartbeats
        # PRINTER_STATES); None until checked, and always without a printer.
        self.printer_state: str | None = None

    @property
    def has_printer(self) -> bool:
        return bool(self.settings.printer)

    def load_site(self) -> SiteInfo:
        self._site = site_info(self.db, site=self.site_code, links=True)
        self.site_code = self._site.code
        return self._site

    def offers(self) -> list[ServiceOffer]:
        """Every service of the site in catalog order, with queue, hours and quota."""
        return [ServiceOffer(s.queue, s.guide, s.outlook)
                for s in kiosk_services(self.db, site=self.site_code)]

    def check_printer(self) -> None:
        """Raise TicketPrinterError unless the printer is connected and on line.

        This is the ticket's one status query before printing: the print itself then
        asks only once more, after the cut. With ``kiosk.printer_status`` off the printer
        is only opened (an unplugged printer still stops the number), never asked.
        """
        if not self.has_printer:
            return
        from escpos.exceptions import Error as EscposError

        from shared.printing.printers import check_ready, open_printer

        printer = open_printer(self.settings.printer, timeout=PRINTER_TIMEOUT_SECONDS)
        try:
            if self.settings.printer_status:
                check_ready(printer, url=self.settings.printer, timeout=PRINTER_TIMEOUT_SECONDS)
        finally:
            try:
                printer.close()
            except (OSError, EscposError) as exc:
                log.debug("closing the printer after its check: %s", exc)

    def printer_problem(self) -> str | None:
        """Why the printer cannot print now (its message), or None when it is ready."""
        try:
            self.check_printer()
        except PrinterError as exc:
            reason = getattr(exc, "reason", "printer")
            log.warning("printer check: %s - %s", reason, getattr(exc, "detail", exc))
            self.printer_state = PRINTER_STATE_OF_REASON.get(reason, "offline")
            return str(exc)
        self.printer_state = "ready"
        return None

    def warm_up(self) -> None:
        """Load the printing modules (python-escpos is slow to import) after the first
        screen is up, so the first citizen does not wait for them."""
        for module in ("shared.printing.printers", "shared.printing.escpos_render"):
            importlib.import_module(module)

    def take_number(self, service_code: str, kind: str = TicketKind.NORMAL.value, *,
                    request_key: str | None = None) -> TakeResult:
        """Check the printer, issue a number, print its slip.

        A printer that is not ready raises before anything is issued. The ticket is
        issued marked for reprint and the mark is cleared once its slip came out, so a
        ticket whose slip never printed (its answer lost, the kiosk stopped) is on the
        staff reprint list; a print failure is recorded on the ticket, never raised.
        ``request_key`` is made once per tap and kept through retries: a retry after a
        lost answer gets the ticket issued then (:mod:`shared.request_keys`).
        """
        self._check_printer_once(request_key)
        issued = issuing.issue_ticket(self.db, service_code, site=self.site_code, kind=kind,
                                      print_pending=self.has_printer, request_key=request_key)
        return TakeResult(issued, self._print(issued))

    def check_in(self, code: str, *, request_key: str | None = None) -> TakeResult:
        """Appointment check-in by code, printed like any ticket."""
        self._check_printer_once(request_key)
        issued = issuing.check_in_appointment(self.db, code, site=self.site_code,
                                              print_pending=self.has_printer,
                                              request_key=request_key)
        return TakeResult(issued, self._print(issued))

    def _check_printer_once(self, request_key: str | None) -> None:
        if request_key is not None and request_key == self._last_sent:
            return
        self.check_printer()
        self._last_sent = request_key

    def _print(self, issued: IssuedTicket) -> PrintResult | None:
        if not self.has_printer:
            return None
        site = self._site or self.load_site()
        slip = slip_from_issued(issued, site, footer=self.settings.footer,
                                paper_width_mm=self.settings.paper_width_mm)
        # check_printer() asked for the status just before the number was issued.
        result = deliver_slip(self.db, slip, self.settings.printer, self.settings.print_mode,
                              check=self.settings.printer_status, check_before=False,
                              timeout=PRINTER_TIMEOUT_SECONDS)
        if result.printed:
            try:
                queue.mark_printed(self.db, slip.ticket_id)
            except HallQueueError as exc:  # the slip is out; at worst staff see it listed
                log.warning("ticket %s (id %d) printed, but its reprint mark stays: %s",
                            slip.number, slip.ticket_id, exc)
        return result

    def pending_reprints(self) -> list[TicketView]:
        """Today's tickets whose slip did not print, newest first."""
        tickets = hall_state.list_tickets(self.db, site=self.site_code)
        return [t for t in reversed(tickets) if t.print_pending]

    def reprint(self, ticket_id: int) -> PrintResult:
        if not self.has_printer:
            raise HallQueueError("本机未配置打印机 (this kiosk has no printer configured)")
        return print_issued_ticket(self.db, ticket_id, self.settings.printer,
                                   self.settings.print_mode, footer=self.settings.footer,
                                   paper_width_mm=self.settings.paper_width_mm,
                                   check=self.settings.printer_status,
                                   timeout=PRINTER_TIMEOUT_SECONDS)

    def mark_for_reprint(self, ticket_ids: list[int]) -> list[int]:
        """Record reprint marks that could not be written when the print failed; returns
        the ids still unmarked (the database is still away)."""
        left = []
        for ticket_id in ticket_ids:
            try:
                queue.mark_print_failed(self.db, ticket_id, "printing failed while offline")
            except HallQueueError as exc:
                log.warning("ticket id %d: reprint mark still not recorded: %s", ticket_id, exc)
                left.append(ticket_id)
        return left

    @property
    def terminal_name(self) -> str:
        """This kiosk's name as staff see it on a help request."""
        return self.settings.name or f"取号机 {socket.gethostname()}"

    def request_help(self, screen: str) -> HelpRequestView:
        return help_requests.request_help(self.db, self.terminal_name, site=self.site_code,
                                          screen=screen)

    def open_help_requests(self) -> list[HelpRequestView]:
        return help_requests.open_help_requests(self.db, site=self.site_code)

    def acknowledge_help(self, request_id: int) -> HelpRequestView:
        return help_requests.acknowledge(self.db, request_id, by=f"导服台@{self.terminal_name}")

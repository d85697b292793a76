"""The kiosk's logic: what the citizen sees next, and when the database is asked.

The presenter talks to a passive view through plain methods (``view.show_guide(offer)``)
and runs every database or printer call through a runner (``run(fn, on_success,
on_failure)``, the OperationRunner in the app), so it is tested without widgets.

Two rules shape it. A number is issued at most once per tap: while an operation is in
flight every other action is ignored, and each tap makes one request key that an issue
whose answer was lost (the database went away mid-way) is retried with, so the retry
gets the ticket the first try may have issued -- see docs/kiosk.md. And the kiosk is
never stuck: on any screen but the first, inactivity brings it back to the start.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Protocol

from kiosk_app.backend import KioskBackend, ServiceOffer, TakeResult
from shared.errors import DatabaseUnavailable, HallQueueError, PrinterError, SchemaMismatch
from shared.help_requests import HelpRequestView
from shared.pins import PinGuard, PinRefusal
from shared.read.site import SiteInfo
from shared.request_keys import new_key
from shared.states import TicketKind
from shared.ticket_print import PrintResult
from shared.views import TicketView

log = logging.getLogger(__name__)

# Up to this many services, the start screen lists them directly (no department step).
FLAT_LIST_LIMIT = 6
STARTUP_RETRY_SECONDS = 3
# How often an issue whose answer was lost is asked again (same key) while its citizen
# waits on the 暂停取号 screen.
ANSWER_RETRY_SECONDS = 3
# The guide page (materials to bring) stays up longer for a longer list: an elderly
# reader needs time for every item, and more for long ones.
GUIDE_SECONDS_PER_MATERIAL = 6
GUIDE_CHARACTERS_PER_SECOND = 4
# One tap on "more time" adds this much to the countdown of the current page.
EXTEND_SECONDS = 60


class Screen(StrEnum):
    START = "start"
    DEPARTMENT = "department"
    GUIDE = "guide"
    RESULT = "result"
    CHECK_IN = "check_in"
    PIN = "pin"
    STAFF = "staff"
    NOTICE = "notice"
    PAUSED = "paused"


class PinPurpose(StrEnum):
    STAFF = "staff"  # guide desk: green channel, reprints
    EXIT_FULLSCREEN = "exit_fullscreen"
    QUIT = "quit"


class PauseReason(StrEnum):
    STARTING = "starting"
    OFFLINE = "offline"
    # The database answers but has no (or another version of the) schema: IT must act.
    SCHEMA_MISSING = "schema_missing"
    SCHEMA_OLDER = "schema_older"
    SCHEMA_NEWER = "schema_newer"
    ANSWER_LOST = "answer_lost"  # an issue was sent but its answer never came back


class NoticeKind(StrEnum):
    PRINTER = "printer"  # printer not ready: nothing was issued
    REFUSED = "refused"  # closed, quota reached, appointment not valid
    REPRINTED = "reprinted"
    REPRINT_FAILED = "reprint_failed"
    ERROR = "error"
    HELP_CALLED = "help_called"  # 一键求助 recorded: staff are on their way


@dataclass(frozen=True)
class Department:
    name: str
    offers: list[ServiceOffer]

    @property
    def waiting(self) -> int:
        return sum(o.queue.waiting for o in self.offers)

    @property
    def any_open(self) -> bool:
        return any(o.open for o in self.offers)


class Runner(Protocol):
    def run(self, fn: Callable[[], Any], on_success: Callable[[Any], None] | None = None,
            on_failure: Callable[[BaseException], None] | None = None) -> int: ...


class KioskView(Protocol):
    def show_start(self, site_name: str, departments: list[Department] | None,
                   offers: list[ServiceOffer]) -> None: ...
    def show_department(self, department: Department) -> None: ...
    def show_guide(self, offer: ServiceOffer) -> None: ...
    def show_result(self, result: TakeResult) -> None: ...
    def show_check_in(self) -> None: ...
    def show_pin(self, purpose: PinPurpose, refusal: PinRefusal | None = None,
                 wait_s: int = 0) -> None: ...
    def show_staff(self, offers: list[ServiceOffer], pending: list[TicketView] | None,
                   help_requests: list[HelpRequestView] | None) -> None: ...
    def show_notice(self, kind: NoticeKind, message: str) -> None: ...
    def show_paused(self, reason: PauseReason) -> None: ...
    def set_printer_problem(self, problem: str | None) -> None: ...
    def set_busy(self, busy: bool) -> None: ...
    def set_idle_timeout(self, seconds: int | None) -> None: ...
    def extend_idle(self, seconds: int) -> None: ...
    def watch_site(self, site_id: int) -> None: ...
    def call_later(self, seconds: float, callback: Callable[[], None]) -> None: ...
    def set_fullscreen(self, fullscreen: bool) -> None: ...
    def quit(self) -> None: ...


def guide_seconds(offer: ServiceOffer, idle_seconds: int) -> int:
    """How long the guide page waits for a touch: the idle time plus reading time for
    each material (and the guide text), so a long list is not cut short."""
    characters = sum(len(m) for m in offer.materials)
    if offer.guide is not None:
        characters += len(offer.guide.guide)
    return (idle_seconds + GUIDE_SECONDS_PER_MATERIAL * len(offer.materials)
            + characters // GUIDE_CHARACTERS_PER_SECOND)


def group_departments(offers: list[ServiceOffer]) -> list[Department]:
    """Departments in catalog order, each with its services."""
    groups: dict[str, list[ServiceOffer]] = {}
    for offer in offers:
        groups.setdefault(offer.queue.department, []).append(offer)
    return [Department(name, items) for name, items in groups.items()]


class KioskPresenter:
    """The kiosk's state machine; every public method is something the citizen or staff
    did, or something the hall told us (feed changes, online state, idle timeout)."""

    def __init__(self, view: KioskView, runner: Runner,
                 connect: Callable[[], KioskBackend], *, staff_pin_hash: str,
                 admin_pin_hash: str, idle_seconds: int,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.view = view
        self.runner = runner
        self._connect = connect
        self._pins = {PinPurpose.STAFF: PinGuard("staff", staff_pin_hash, clock=clock),
                      PinPurpose.QUIT: PinGuard("admin", admin_pin_hash, clock=clock)}
        self._idle_seconds = idle_seconds
        self.backend: KioskBackend | None = None
        self.site: SiteInfo | None = None
        self.offers: list[ServiceOffer] = []
        self.screen = Screen.PAUSED
        self.online = False
        self.busy = False
        self._department: str | None = None
        self._pin_purpose = PinPurpose.STAFF
        self._pin_return = Screen.START
        self._notice_return = Screen.START
        self._refreshing = False
        self._refresh_again = False
        self._unmarked: list[int] = []
        # An issue or check-in whose answer was lost: (its work, with its request key, and
        # what it was, for the log), retried until it answers or the citizen leaves.
        self._lost: tuple[Callable[[], TakeResult], str] | None = None
        self.printer_problem: str | None = None
        self._checking_printer = False
        self.help_requests: list[HelpRequestView] | None = None
        # Called once the kiosk is connected and knows its site (the heartbeat starts).
        self.on_ready: Callable[[KioskBackend, SiteInfo], None] | None = None

    # ------------------------------------------------------------------ start-up, feed

    def start(self) -> None:
        """Connect, load the site and its services; retry until the database answers."""
        self._show_paused(PauseReason.STARTING)

        def work() -> tuple[KioskBackend, SiteInfo, list[ServiceOffer]]:
            backend = self.backend or self._connect()
            self.backend = backend
            return backend, backend.load_site(), backend.offers()

        self.runner.run(work, self._started, self._start_failed)

    def _started(self, value: tuple[KioskBackend, SiteInfo, list[ServiceOffer]]) -> None:
        self.backend, self.site, self.offers = value
        self.online = True
        log.info("kiosk ready at %s (%s), %d services", self.site.code, self.site.name,
                 len(self.offers))
        self.view.watch_site(self.site.id)
        self.home()
        self.check_printer()
        if self.on_ready is not None:
            self.on_ready(self.backend, self.site)
            self.on_ready = None  # once: a later reconnect keeps the same heartbeat
        backend = self.backend
        self.runner.run(backend.warm_up, None,
                        lambda exc: log.error("printing modules failed to load", exc_info=exc))

    def _start_failed(self, exc: BaseException) -> None:
        level = logging.WARNING if isinstance(exc, HallQueueError) else logging.ERROR
        log.log(level, "kiosk start-up failed, retrying in %ds: %s", STARTUP_RETRY_SECONDS, exc,
                exc_info=not isinstance(exc, HallQueueError))
        if isinstance(exc, DatabaseUnavailable | SchemaMismatch) or self.backend is None:
            self.backend = None  # connect afresh: the URL may point at a restarted server
        if isinstance(exc, SchemaMismatch):
            # Not a passing outage: say what IT must do, and keep checking for it.
            reasons = {"missing": PauseReason.SCHEMA_MISSING, "older": PauseReason.SCHEMA_OLDER,
                       "newer": PauseReason.SCHEMA_NEWER}
            self._show_paused(reasons.get(exc.problem, PauseReason.SCHEMA_OLDER))
        else:
            self._show_paused(PauseReason.OFFLINE)
        self.view.call_later(STARTUP_RETRY_SECONDS, self.start)

    def set_online(self, online: bool) -> None:
        """The change feed lost or regained the database."""
        if online == self.online or self.site is None:
            return
        self.online = online
        log.info("database %s", "reachable again" if online else "unreachable: 暂停取号")
        if not online:
            if self.screen is not Screen.RESULT and not self.busy and self._lost is None:
                self._show_paused(PauseReason.OFFLINE)
            return
        if self._unmarked:
            self._record_unmarked()
        self.refresh()
        if self._lost is not None:
            self._retry_lost()
        elif self.screen is Screen.PAUSED:
            self.home()

    def refresh(self) -> None:
        """Reload queues, hours and quotas (feed change or clock tick); coalesced."""
        if self.backend is None:
            return
        if self._refreshing:
            self._refresh_again = True
            return
        self._refreshing = True
        self.runner.run(self.backend.offers, self._refreshed, self._refresh_failed)

    def _refreshed(self, offers: list[ServiceOffer]) -> None:
        self._refreshing = False
        self.offers = offers
        if self._refresh_again:
            self._refresh_again = False
            self.refresh()
        if not self.busy and self.screen in (Screen.START, Screen.DEPARTMENT):
            self._redraw()
        elif not self.busy and self.screen is Screen.STAFF:
            self._load_staff_lists()

    def _refresh_failed(self, exc: BaseException) -> None:
        self._refreshing = False
        self._refresh_again = False
        log.warning("refreshing the service list failed: %s", exc)

    def _redraw(self) -> None:
        if self.screen is Screen.START:
            self.home()
        elif self.screen is Screen.DEPARTMENT and self._department is not None:
            self.choose_department(self._department)

    # ------------------------------------------------------------------ navigation

    def _go(self, screen: Screen, *, idle: bool = True, seconds: int | None = None) -> None:
        self.screen = screen
        self.view.set_idle_timeout((seconds or self._idle_seconds) if idle else None)

    def extend_time(self) -> None:
        """The citizen tapped "more time": the page stays longer before returning."""
        self.view.extend_idle(EXTEND_SECONDS)

    def _show_paused(self, reason: PauseReason) -> None:
        self._go(Screen.PAUSED, idle=reason is PauseReason.ANSWER_LOST)
        self.view.show_paused(reason)

    def flat(self) -> bool:
        return len(self.offers) <= FLAT_LIST_LIMIT or len(group_departments(self.offers)) == 1

    def home(self) -> None:
        if self.busy or self.site is None:
            return
        if self._lost is not None:  # the citizen gave up waiting: staff can reprint it
            log.warning("%s: left unconfirmed; if it was issued, its slip is on the staff "
                        "reprint list", self._lost[1])
            self._lost = None
        if not self.online:
            self._show_paused(PauseReason.OFFLINE)
            return
        self._department = None
        self._go(Screen.START, idle=False)
        departments = None if self.flat() else group_departments(self.offers)
        self.view.show_start(self.site.name, departments, self.offers)

    def choose_department(self, name: str) -> None:
        if self.busy:
            return
        department = next((d for d in group_departments(self.offers) if d.name == name), None)
        if department is None:  # the catalog changed under the citizen's finger
            self.home()
            return
        self._department = name
        self._go(Screen.DEPARTMENT)
        self.view.show_department(department)

    def choose_service(self, code: str) -> None:
        """Show the service guide (materials checklist) before any number is issued."""
        if self.busy:
            return
        offer = self._offer(code)
        if offer is None:
            self.home()
            return
        self._go(Screen.GUIDE, seconds=guide_seconds(offer, self._idle_seconds))
        self.view.show_guide(offer)

    def back(self) -> None:
        if self.busy:
            return
        if self.screen is Screen.GUIDE and self._department is not None:
            self.choose_department(self._department)
        elif self._returns_to_staff():
            self.open_staff_screen()
        else:
            self.home()

    def _returns_to_staff(self) -> bool:
        if self.screen is Screen.PIN:
            return self._pin_return is Screen.STAFF
        return self.screen is Screen.NOTICE and self._notice_return is Screen.STAFF

    def idle_timeout(self) -> None:
        """Nobody touched the screen for a while: back to the start (or the pause)."""
        if self.busy:
            return
        if self._returns_to_staff():
            # A reprint's outcome left unread: staff mode, not the citizen's start.
            self.open_staff_screen()
            return
        log.debug("idle on %s: back to the start", self.screen)
        self.home()

    def _offer(self, code: str) -> ServiceOffer | None:
        return next((o for o in self.offers if o.code == code), None)

    # ------------------------------------------------------------------ issuing

    def take_number(self, code: str, kind: str = TicketKind.NORMAL.value) -> None:
        """Issue (and print) a number; ignored while another operation is in flight."""
        if self.busy or self.backend is None:
            return
        if not self.online:
            self._show_paused(PauseReason.OFFLINE)
            return
        backend = self.backend
        key = new_key()  # one per tap, kept through the retries of a lost answer
        log.info("taking a %s number for %s (request %s)", kind, code, key)
        self._issue(lambda: backend.take_number(code, kind, request_key=key),
                    f"issue {kind} {code} (request {key})")

    def submit_check_in(self, code: str) -> None:
        code = code.strip()
        if self.busy or self.backend is None or not code:
            return
        if not self.online:
            self._show_paused(PauseReason.OFFLINE)
            return
        backend = self.backend
        key = new_key()
        log.info("appointment check-in %s (request %s)", code, key)
        self._issue(lambda: backend.check_in(code, request_key=key),
                    f"check-in {code} (request {key})")

    def _issue(self, work: Callable[[], TakeResult], what: str) -> None:
        self._begin()
        self.runner.run(work, self._issued, lambda exc: self._issue_failed(exc, what, work))

    def _retry_lost(self) -> None:
        """Ask again, with the same request key, for an issue whose answer was lost."""
        if self._lost is None or self.busy or self.screen is not Screen.PAUSED:
            return
        work, what = self._lost
        log.info("%s: asking again after the lost answer", what)
        self._issue(work, what)

    def _begin(self) -> None:
        self.busy = True
        self.view.set_busy(True)

    def _end(self) -> None:
        self.busy = False
        self.view.set_busy(False)

    def _issued(self, result: TakeResult) -> None:
        self._end()
        self._lost = None
        printed = result.print_result
        if printed is not None and printed.printed:
            self._set_printer_problem(None)  # it printed: whatever the last check said
        if printed is not None and printed.mark_error is not None:
            self._unmarked.append(printed.ticket_id)
        self._go(Screen.RESULT)
        self.view.show_result(result)
        self.refresh()

    def _issue_failed(self, exc: BaseException, what: str,
                      work: Callable[[], TakeResult]) -> None:
        self._end()
        self._lost = None
        if isinstance(exc, PrinterError):
            log.warning("printer not ready, nothing issued (%s): %s - %s", what,
                        getattr(exc, "reason", "printer"), getattr(exc, "detail", exc))
            self._set_printer_problem(str(exc))
            self._notice(NoticeKind.PRINTER, str(exc))
        elif isinstance(exc, DatabaseUnavailable):
            # The commit may have happened and only its answer been lost: ask again with
            # the same key, which gives that ticket if it exists and issues one if not.
            log.error("%s: no answer from the database; asking again in %ds: %s", what,
                      ANSWER_RETRY_SECONDS, exc)
            self._lost = (work, what)
            self._show_paused(PauseReason.ANSWER_LOST)
            self.view.call_later(ANSWER_RETRY_SECONDS, self._retry_lost)
        elif isinstance(exc, HallQueueError):
            log.info("%s refused: %s", what, exc)
            self._notice(NoticeKind.REFUSED, str(exc))
            self.refresh()
        else:
            log.error("%s failed unexpectedly", what, exc_info=exc)
            self._notice(NoticeKind.ERROR, "")  # its English words are for the log only

    def _notice(self, kind: NoticeKind, message: str) -> None:
        # A reprint's outcome goes back to staff mode; a citizen's problem to the start.
        staff = kind in (NoticeKind.REPRINTED, NoticeKind.REPRINT_FAILED)
        if kind is NoticeKind.HELP_CALLED:
            staff = self.screen is Screen.STAFF
        self._notice_return = Screen.STAFF if staff else Screen.START
        self._go(Screen.NOTICE)
        self.view.show_notice(kind, message)

    def _record_unmarked(self) -> None:
        if self.backend is None:
            return
        ids, self._unmarked = self._unmarked, []
        backend = self.backend

        def done(left: list[int]) -> None:
            self._unmarked.extend(left)

        self.runner.run(lambda: backend.mark_for_reprint(ids), done,
                        lambda exc: self._unmarked.extend(ids))

    # ------------------------------------------------------------------ appointments

    def open_check_in(self) -> None:
        if self.busy:
            return
        if not self.online:
            self._show_paused(PauseReason.OFFLINE)
            return
        self._go(Screen.CHECK_IN)
        self.view.show_check_in()

    # ------------------------------------------------------------------ staff and admin

    def open_staff(self) -> None:
        """The guide desk's entrance: asks for the staff PIN."""
        self._ask_pin(PinPurpose.STAFF)

    def request_exit(self, purpose: PinPurpose = PinPurpose.QUIT) -> None:
        """Leaving full screen or quitting needs the admin PIN."""
        self._ask_pin(purpose)

    def _ask_pin(self, purpose: PinPurpose) -> None:
        if self.busy:
            return
        self._pin_return = Screen.STAFF if self.screen is Screen.STAFF else Screen.START
        self._pin_purpose = purpose
        self._go(Screen.PIN)
        guard = self._guard(purpose)
        # No PIN set (no default works), locked out, or still waiting: say so at once.
        refusal = (PinRefusal.NOT_SET if not guard.configured else
                   PinRefusal.LOCKED if guard.locked else
                   PinRefusal.WAIT if guard.wait_left() else None)
        self.view.show_pin(purpose, refusal, guard.wait_left())

    def _guard(self, purpose: PinPurpose) -> PinGuard:
        return self._pins[PinPurpose.STAFF if purpose is PinPurpose.STAFF else PinPurpose.QUIT]

    def submit_pin(self, pin: str) -> None:
        if self.screen is not Screen.PIN or self.busy:
            return
        purpose = self._pin_purpose
        answer = self._guard(purpose).check(pin)
        if not answer.ok:
            self.view.show_pin(purpose, answer.refusal, answer.wait_s)
            return
        log.info("%s unlocked by PIN", purpose)
        if purpose is not PinPurpose.STAFF:
            self._pins[PinPurpose.STAFF].unlock()  # the admin PIN lifts a staff lock-out
        if purpose is PinPurpose.STAFF:
            self.open_staff_screen()
        elif purpose is PinPurpose.EXIT_FULLSCREEN:
            self.view.set_fullscreen(False)
            self.home()
        else:
            self.view.quit()

    def open_staff_screen(self) -> None:
        """Staff mode: green-channel tickets and the slips waiting for a reprint."""
        if self.backend is None:
            return
        self._go(Screen.STAFF)
        self.view.show_staff(self.offers, None, None)
        self._load_staff_lists()

    def _load_staff_lists(self) -> None:
        """The slips waiting for a reprint and the open help requests, for staff mode."""
        if self.backend is None:
            return
        backend = self.backend

        def work() -> tuple[list[TicketView], list[HelpRequestView]]:
            return backend.pending_reprints(), backend.open_help_requests()

        def loaded(lists: tuple[list[TicketView], list[HelpRequestView]]) -> None:
            pending, self.help_requests = lists
            if self.screen is Screen.STAFF and not self.busy:
                self.view.show_staff(self.offers, pending, self.help_requests)

        self.runner.run(work, loaded,
                        lambda exc: log.warning("cannot list reprints and help requests: %s",
                                                exc))

    def issue_green(self, code: str) -> None:
        """A green-channel (绿色通道) ticket, only from staff mode."""
        if self.screen is Screen.STAFF:
            self.take_number(code, TicketKind.GREEN.value)

    def reprint(self, ticket_id: int) -> None:
        if self.screen is not Screen.STAFF or self.busy or self.backend is None:
            return
        backend = self.backend
        self._begin()
        self.runner.run(lambda: backend.reprint(ticket_id), self._reprinted,
                        self._reprint_failed)

    def _reprinted(self, result: PrintResult) -> None:
        self._end()
        if result.printed:
            log.info("reprinted %s (id %d)", result.number, result.ticket_id)
            self._notice(NoticeKind.REPRINTED, result.number)
        else:
            self._notice(NoticeKind.REPRINT_FAILED, str(result.error))

    def _reprint_failed(self, exc: BaseException) -> None:
        self._end()
        log.warning("reprint failed: %s", exc)
        self._notice(NoticeKind.REPRINT_FAILED, str(exc))

    # ------------------------------------------------------------------ printer state

    def check_printer(self) -> None:
        """Ask the printer whether it is ready (start-up, clock, after a failure); the
        start screen shows its state before anyone chooses a service."""
        backend = self.backend
        if backend is None or not backend.has_printer or self.busy or self._checking_printer:
            return
        self._checking_printer = True

        def checked(problem: str | None) -> None:
            self._checking_printer = False
            self._set_printer_problem(problem)

        def failed(exc: BaseException) -> None:
            self._checking_printer = False
            log.error("checking the printer failed unexpectedly", exc_info=exc)

        self.runner.run(backend.printer_problem, checked, failed)

    def _set_printer_problem(self, problem: str | None) -> None:
        if problem == self.printer_problem:
            return
        if problem is None:
            log.info("printer ready again")
        else:
            log.warning("printer not ready: %s", problem)
        self.printer_problem = problem
        self.view.set_printer_problem(problem)
        if not self.busy and self.screen in (Screen.START, Screen.DEPARTMENT):
            self._redraw()

    # ------------------------------------------------------------------ help and voice

    def call_help(self) -> None:
        """一键求助: record a request for the guide desk with this kiosk's name."""
        backend = self.backend
        if backend is None or not self.online or self.screen is Screen.PAUSED:
            # No database: the request cannot be recorded; the paused screen (whatever
            # its reason) already sends the citizen to the guide desk.
            log.warning("help requested while the kiosk is paused: not recorded")
            if self.screen is not Screen.PAUSED:
                self._show_paused(PauseReason.OFFLINE)
            return
        screen = self.screen.value
        log.info("help requested on the %s screen", screen)

        def done(request: HelpRequestView) -> None:
            self._notice(NoticeKind.HELP_CALLED, request.terminal)
            if self.screen is Screen.STAFF:
                self._load_staff_lists()

        self.runner.run(lambda: backend.request_help(screen), done,
                        lambda exc: self._help_failed(exc))

    def _help_failed(self, exc: BaseException) -> None:
        log.error("recording a help request failed: %s", exc)
        if isinstance(exc, DatabaseUnavailable):
            self._show_paused(PauseReason.OFFLINE)
        else:  # a core refusal says why in both languages; anything else in the log only
            self._notice(NoticeKind.ERROR, str(exc) if isinstance(exc, HallQueueError) else "")

    def acknowledge_help(self, request_id: int) -> None:
        """Staff mode: a help request was taken care of."""
        if self.screen is not Screen.STAFF or self.backend is None:
            return
        backend = self.backend
        self.runner.run(lambda: backend.acknowledge_help(request_id),
                        lambda _view: self._load_staff_lists(),
                        lambda exc: (log.warning("acknowledging help %d: %s", request_id, exc),
                                     self._load_staff_lists()))

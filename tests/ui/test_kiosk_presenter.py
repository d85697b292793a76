"""The kiosk's logic without widgets: a recording view, a runner that holds jobs until the
test releases them, and a fake backend."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from typing import Any

import pytest

from kiosk_app.backend import ServiceOffer, TakeResult
from kiosk_app.presenter import (
    FLAT_LIST_LIMIT,
    KioskPresenter,
    NoticeKind,
    PauseReason,
    PinPurpose,
    Screen,
    guide_seconds,
)
from shared.errors import DatabaseUnavailable, QuotaReached, SchemaMismatch
from shared.help_requests import HelpRequestView
from shared.pins import PinRefusal, hash_pin
from shared.printing.printers import TicketPrinterError
from shared.read.kiosk_view import ServiceGuide
from shared.read.site import SiteInfo
from shared.ticket_print import PrintResult
from shared.views import IssuedTicket, NewTicketOutlook, ServiceQueue, TicketView

NOW = dt.datetime(2026, 11, 25, 2, 0, tzinfo=dt.UTC)


def offer(code: str, department: str = "一号部门", *, open_now: bool = True) -> ServiceOffer:
    queue = ServiceQueue(code, f"业务{code}", department, code[0], 0, 0, 0, None, None,
                         open_now, "" if open_now else "周末不办理此业务")
    return ServiceOffer(queue, ServiceGuide(code, f"业务{code}", ["身份证"], "", ["1号窗口"],
                                            None, None), NewTicketOutlook(0))


def issued(code: str, kind: str = "normal") -> IssuedTicket:
    ticket = TicketView(7, f"{code[0]}001", "hall", NOW.date(), code, f"业务{code}", kind,
                        False, "waiting", None, None, None, NOW, NOW, None, None, None)
    return IssuedTicket(ticket, 0, 0, ["1号窗口"], ["身份证"])


class FakeBackend:
    def __init__(self, offers: list[ServiceOffer]) -> None:
        self._offers = offers
        self.taken: list[tuple[str, str]] = []
        self.keys: list[str | None] = []
        self.fail_with: BaseException | None = None
        self.print_result: PrintResult | None = None
        self.marked: list[list[int]] = []
        self.db = None
        self.has_printer = False
        self.help_screens: list[str] = []

    def open_help_requests(self) -> list[Any]:
        return []

    def request_help(self, screen: str) -> HelpRequestView:
        self.help_screens.append(screen)
        return HelpRequestView(1, "hall", "1 号取号机", screen, NOW, None, "")

    def load_site(self) -> SiteInfo:
        return SiteInfo(1, "hall", "测试服务中心", "Asia/Shanghai")

    def warm_up(self) -> None:
        """Nothing to load in the fake."""

    def offers(self) -> list[ServiceOffer]:
        return self._offers

    def take_number(self, code: str, kind: str = "normal", *,
                    request_key: str | None = None) -> TakeResult:
        self.taken.append((code, kind))
        self.keys.append(request_key)
        if self.fail_with is not None:
            raise self.fail_with
        return TakeResult(issued(code, kind), self.print_result)

    def check_in(self, code: str, *, request_key: str | None = None) -> TakeResult:
        self.taken.append((code, "appointment"))
        self.keys.append(request_key)
        if self.fail_with is not None:
            raise self.fail_with
        return TakeResult(issued("SA", "appointment"), self.print_result)

    def pending_reprints(self) -> list[TicketView]:
        return []

    def mark_for_reprint(self, ids: list[int]) -> list[int]:
        self.marked.append(ids)
        return []


class HeldRunner:
    """Runs nothing until release(): lets a test tap again while a job is in flight."""

    def __init__(self) -> None:
        self.jobs: list[tuple[Callable[[], Any], Any, Any]] = []

    def run(self, fn: Callable[[], Any], on_success: Any = None, on_failure: Any = None) -> int:
        self.jobs.append((fn, on_success, on_failure))
        return len(self.jobs)

    def release(self) -> None:
        while self.jobs:
            fn, on_success, on_failure = self.jobs.pop(0)
            try:
                value = fn()
            except Exception as exc:
                if on_failure:
                    on_failure(exc)
            else:
                if on_success:
                    on_success(value)


class RecordingView:
    def __init__(self) -> None:
        self.calls: list[tuple[str, tuple[Any, ...]]] = []
        self.later: list[Callable[[], None]] = []

    def __getattr__(self, name: str) -> Callable[..., None]:
        def record(*args: Any) -> None:
            self.calls.append((name, args))
        return record

    def call_later(self, seconds: float, callback: Callable[[], None]) -> None:
        self.later.append(callback)

    def last(self, name: str) -> tuple[Any, ...]:
        return [args for called, args in self.calls if called == name][-1]


@pytest.fixture
def backend() -> FakeBackend:
    return FakeBackend([offer("SA"), offer("SB"), offer("SD", "二号部门", open_now=False)])


def started(backend: FakeBackend) -> tuple[KioskPresenter, RecordingView, HeldRunner]:
    view, runner = RecordingView(), HeldRunner()
    presenter = KioskPresenter(view, runner, lambda: backend,  # type: ignore[arg-type,return-value]
                               staff_pin_hash=hash_pin("2468"),
                               admin_pin_hash=hash_pin("13579"), idle_seconds=20)
    presenter.start()
    runner.release()
    return presenter, view, runner


def test_start_shows_a_flat_list_when_few_services(backend: FakeBackend) -> None:
    """With few services the start screen lists them directly, closed ones included."""
    presenter, view, _ = started(backend)
    site_name, departments, offers = view.last("show_start")
    assert presenter.screen is Screen.START and site_name == "测试服务中心"
    assert departments is None
    assert [o.code for o in offers] == ["SA", "SB", "SD"]


def test_start_groups_by_department_when_many() -> None:
    """Beyond the flat-list limit the citizen chooses a department first."""
    many = [offer(f"S{i}", f"部门{i % 3}") for i in range(FLAT_LIST_LIMIT + 1)]
    presenter, view, _ = started(FakeBackend(many))
    _, departments, _ = view.last("show_start")
    assert [d.name for d in departments] == ["部门0", "部门1", "部门2"]
    presenter.choose_department("部门1")
    assert presenter.screen is Screen.DEPARTMENT
    assert [o.code for o in view.last("show_department")[0].offers] == ["S1", "S4"]


def test_second_tap_while_issuing_is_ignored(backend: FakeBackend) -> None:
    """While an issue is in flight, further taps issue nothing more."""
    presenter, view, runner = started(backend)
    presenter.choose_service("SA")
    presenter.take_number("SA")
    presenter.take_number("SA")
    presenter.choose_service("SB")
    runner.release()
    assert backend.taken == [("SA", "normal")]
    assert presenter.screen is Screen.RESULT
    assert ("set_busy", (True,)) in view.calls and view.last("set_busy") == (False,)


def test_lost_answer_is_asked_again_with_the_tap_s_key(backend: FakeBackend) -> None:
    """A database failure during issue shows 暂停取号 and asks again, with the request key
    of the same tap, until the answer comes: then the number is shown."""
    presenter, view, runner = started(backend)
    backend.fail_with = DatabaseUnavailable("无法连接数据库 (database unreachable: gone)")
    presenter.take_number("SA")
    runner.release()
    assert view.last("show_paused") == (PauseReason.ANSWER_LOST,)
    view.later.pop()()  # the retry timer: still no answer
    runner.release()
    assert presenter.screen is Screen.PAUSED
    backend.fail_with = None
    view.later.pop()()
    runner.release()
    assert presenter.screen is Screen.RESULT
    assert backend.taken == [("SA", "normal")] * 3
    assert backend.keys[0] is not None and len(set(backend.keys)) == 1
    # The next tap is a new intent, with a new key.
    presenter.home()
    presenter.take_number("SB")
    runner.release()
    assert backend.keys[-1] not in backend.keys[:-1]


def test_lost_check_in_is_asked_again_when_the_database_is_back(backend: FakeBackend) -> None:
    """The feed reporting the database back asks again at once, with the same key."""
    presenter, view, runner = started(backend)
    presenter.open_check_in()
    backend.fail_with = DatabaseUnavailable("无法连接数据库 (database unreachable: gone)")
    presenter.submit_check_in("88002")
    runner.release()
    presenter.set_online(False)
    assert view.last("show_paused") == (PauseReason.ANSWER_LOST,)
    backend.fail_with = None
    presenter.set_online(True)
    runner.release()
    assert presenter.screen is Screen.RESULT
    assert backend.taken == [("88002", "appointment")] * 2
    assert len(set(backend.keys)) == 1


def test_citizen_leaving_a_lost_answer_stops_asking(backend: FakeBackend) -> None:
    """Start over (or idle) gives up: the ticket, if issued, is on the reprint list."""
    presenter, view, runner = started(backend)
    backend.fail_with = DatabaseUnavailable("无法连接数据库 (database unreachable: gone)")
    presenter.take_number("SA")
    runner.release()
    presenter.idle_timeout()
    assert presenter.screen is Screen.START
    view.later.pop()()
    assert runner.jobs == []
    assert backend.taken == [("SA", "normal")]


def test_printer_not_ready_is_a_notice(backend: FakeBackend) -> None:
    """A printer problem before issuing becomes a notice naming it."""
    presenter, view, runner = started(backend)
    backend.fail_with = TicketPrinterError("paper_out", "paper end sensor")
    presenter.take_number("SA")
    runner.release()
    kind, message = view.last("show_notice")
    assert kind is NoticeKind.PRINTER and "缺纸" in message


def test_an_unexpected_failure_shows_no_exception_text(
        backend: FakeBackend, caplog: pytest.LogCaptureFixture) -> None:
    """A bug's English words (its class and message) go to the log, not on the screen,
    where the window words the notice in the kiosk's language."""
    presenter, view, runner = started(backend)
    backend.fail_with = RuntimeError("socket vanished")
    with caplog.at_level(logging.ERROR):
        presenter.take_number("SA")
        runner.release()
    assert view.last("show_notice") == (NoticeKind.ERROR, "")
    assert "socket vanished" in caplog.text


def test_queue_rule_refusal_is_a_notice(backend: FakeBackend) -> None:
    """A closed service or used-up quota at the moment of issue is told, not crashed on."""
    presenter, view, runner = started(backend)
    backend.fail_with = QuotaReached("今日号源已取完 (daily quota 3 reached)")
    presenter.take_number("SA")
    runner.release()
    assert view.last("show_notice")[0] is NoticeKind.REFUSED


def test_offline_pauses_except_on_the_number_screen(backend: FakeBackend) -> None:
    """Losing the database pauses issuing, but a number on screen stays until idle."""
    presenter, view, runner = started(backend)
    presenter.take_number("SA")
    runner.release()
    presenter.set_online(False)
    assert presenter.screen is Screen.RESULT
    presenter.idle_timeout()
    assert view.last("show_paused") == (PauseReason.OFFLINE,)
    presenter.take_number("SA")
    assert backend.taken == [("SA", "normal")]
    presenter.set_online(True)
    runner.release()
    assert presenter.screen is Screen.START


def test_unrecorded_reprint_mark_is_written_after_reconnect(backend: FakeBackend) -> None:
    """A failed print whose reprint mark could not be saved is marked once back online."""
    presenter, _, runner = started(backend)
    error = TicketPrinterError("interrupted", "reset")
    backend.print_result = PrintResult(7, "A001", error, False, DatabaseUnavailable())
    presenter.take_number("SA")
    runner.release()
    presenter.set_online(False)
    presenter.set_online(True)
    runner.release()
    assert backend.marked == [[7]]


def test_green_channel_only_from_staff_mode(backend: FakeBackend) -> None:
    """Green tickets need the staff PIN; a wrong PIN keeps the PIN screen."""
    presenter, view, runner = started(backend)
    presenter.issue_green("SA")
    assert backend.taken == []
    presenter.open_staff()
    presenter.submit_pin("0000")
    assert view.last("show_pin") == (PinPurpose.STAFF, PinRefusal.WRONG, 0)
    presenter.submit_pin("2468")
    runner.release()
    assert presenter.screen is Screen.STAFF
    presenter.issue_green("SA")
    runner.release()
    assert backend.taken == [("SA", "green")]


def test_quit_needs_the_admin_pin(backend: FakeBackend) -> None:
    """Only the admin PIN quits or leaves full screen; the staff PIN does not."""
    presenter, view, _ = started(backend)
    presenter.request_exit(PinPurpose.QUIT)
    presenter.submit_pin("2468")
    assert not any(name == "quit" for name, _ in view.calls)
    presenter.submit_pin("13579")
    assert view.calls[-1] == ("quit", ())
    presenter.request_exit(PinPurpose.EXIT_FULLSCREEN)
    presenter.submit_pin("13579")
    assert ("set_fullscreen", (False,)) in view.calls


def test_start_up_retries_until_the_database_answers() -> None:
    """Without a database at start the kiosk shows the pause and tries again later."""
    view, runner = RecordingView(), HeldRunner()
    attempts: list[int] = []

    def connect() -> FakeBackend:
        attempts.append(1)
        if len(attempts) == 1:
            raise DatabaseUnavailable()
        return FakeBackend([offer("SA")])

    presenter = KioskPresenter(view, runner, connect,  # type: ignore[arg-type]
                               staff_pin_hash=hash_pin("2468"),
                               admin_pin_hash=hash_pin("13579"), idle_seconds=20)
    presenter.start()
    runner.release()
    assert view.last("show_paused") == (PauseReason.OFFLINE,)
    view.later.pop()()
    runner.release()
    assert presenter.screen is Screen.START and len(attempts) == 2


@pytest.mark.parametrize(("problem", "reason"), [
    ("missing", PauseReason.SCHEMA_MISSING), ("older", PauseReason.SCHEMA_OLDER),
    ("newer", PauseReason.SCHEMA_NEWER)])
def test_a_schema_problem_is_not_called_an_outage(problem: str, reason: PauseReason) -> None:
    """A database without (or with another) schema pauses with its own reason, retrying."""
    view, runner = RecordingView(), HeldRunner()

    def connect() -> FakeBackend:
        error = SchemaMismatch("数据库尚未初始化 (no schema)")
        error.problem = problem
        raise error

    presenter = KioskPresenter(view, runner, connect,  # type: ignore[arg-type]
                               staff_pin_hash=hash_pin("2468"),
                               admin_pin_hash=hash_pin("13579"), idle_seconds=20)
    presenter.start()
    runner.release()
    assert view.last("show_paused") == (reason,)
    assert view.later, "the kiosk keeps checking"


def test_the_guide_waits_longer_for_a_longer_list() -> None:
    short = offer("SA")
    long_queue = short.queue
    materials = ["申请人身份证原件", "不动产权属证书原件", "买卖合同或其他权属来源证明",
                 "完税凭证", "不动产登记申请书"]
    long = ServiceOffer(long_queue, ServiceGuide("SA", "业务SA", materials, "", ["1号窗口"],
                                                 None, None), short.outlook)
    assert guide_seconds(short, 20) < guide_seconds(long, 20)
    assert guide_seconds(long, 20) >= 20 + 5 * 6
    backend = FakeBackend([long])
    presenter, view, _runner = started(backend)
    presenter.choose_service("SA")
    assert view.last("set_idle_timeout") == (guide_seconds(long, 20),)
    presenter.extend_time()
    assert view.last("extend_idle") == (60,)


def test_help_is_recorded_and_shown_as_a_notice(backend: FakeBackend) -> None:
    presenter, view, runner = started(backend)
    presenter.choose_service("SA")
    presenter.call_help()
    runner.release()
    assert backend.help_screens == ["guide"]
    assert view.last("show_notice") == (NoticeKind.HELP_CALLED, "1 号取号机")
    presenter.back()
    assert presenter.screen is Screen.START


def test_help_while_paused_keeps_the_pause(backend: FakeBackend) -> None:
    presenter, _view, runner = started(backend)
    presenter.set_online(False)
    presenter.call_help()
    runner.release()
    assert backend.help_screens == []
    assert presenter.screen is Screen.PAUSED


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def pinned(backend: FakeBackend, *, staff: str = "2468", admin: str = "13579"
           ) -> tuple[KioskPresenter, RecordingView, HeldRunner, Clock]:
    view, runner, clock = RecordingView(), HeldRunner(), Clock()
    presenter = KioskPresenter(view, runner, lambda: backend,  # type: ignore[arg-type,return-value]
                               staff_pin_hash=hash_pin(staff) if staff else "",
                               admin_pin_hash=hash_pin(admin) if admin else "",
                               idle_seconds=20, clock=clock)
    presenter.start()
    runner.release()
    return presenter, view, runner, clock


def test_wrong_pins_wait_longer_then_lock_until_the_admin_pin(
        backend: FakeBackend, caplog: pytest.LogCaptureFixture) -> None:
    """Three free tries, then a growing wait (even the right PIN is refused early), then
    a lock-out that the admin PIN lifts; no try writes the PIN to the log."""
    presenter, view, runner, clock = pinned(backend)
    presenter.open_staff()
    for _ in range(2):
        presenter.submit_pin("1111")
        assert view.last("show_pin") == (PinPurpose.STAFF, PinRefusal.WRONG, 0)
    presenter.submit_pin("1112")
    assert view.last("show_pin") == (PinPurpose.STAFF, PinRefusal.WRONG, 10)
    presenter.submit_pin("2468")  # right, but too early
    assert view.last("show_pin") == (PinPurpose.STAFF, PinRefusal.WAIT, 10)
    assert presenter.screen is Screen.PIN
    waits = []
    for failure in range(4, 8):
        clock.now += 1000
        presenter.submit_pin("1113")
        waits.append(view.last("show_pin")[2])
        assert view.last("show_pin")[1] is PinRefusal.WRONG, failure
    assert waits == [20, 40, 80, 160]
    clock.now += 1000
    presenter.submit_pin("1114")  # the eighth wrong try
    assert view.last("show_pin") == (PinPurpose.STAFF, PinRefusal.LOCKED, 0)
    clock.now += 100_000
    presenter.submit_pin("2468")  # time alone does not lift it
    assert view.last("show_pin")[1] is PinRefusal.LOCKED
    presenter.request_exit(PinPurpose.EXIT_FULLSCREEN)
    presenter.submit_pin("13579")
    presenter.open_staff()
    presenter.submit_pin("2468")
    runner.release()
    assert presenter.screen is Screen.STAFF
    logged = caplog.text
    assert "wrong staff PIN" in logged
    assert not any(pin in logged for pin in ("1111", "1112", "1113", "1114", "2468", "13579"))


def test_without_pins_nothing_unlocks(backend: FakeBackend) -> None:
    """No default PIN: a kiosk without PINs set stays in full screen and says so."""
    presenter, view, _, _ = pinned(backend, staff="", admin="")
    presenter.request_exit(PinPurpose.EXIT_FULLSCREEN)
    assert view.last("show_pin") == (PinPurpose.EXIT_FULLSCREEN, PinRefusal.NOT_SET, 0)
    for pin in ("13579", "2468", "0000"):
        presenter.submit_pin(pin)
    assert ("set_fullscreen", (False,)) not in view.calls
    assert not any(name == "quit" for name, _ in view.calls)
    presenter.open_staff()
    assert view.last("show_pin") == (PinPurpose.STAFF, PinRefusal.NOT_SET, 0)

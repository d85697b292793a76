"""Every queue operation: what it changes, the event it logs, and every refusal, which
must raise the right domain error and write nothing."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import select

from shared import issuing, queue
from shared.catalog import load_catalog
from shared.clerks import add_clerk
from shared.db import Database
from shared.errors import (
    HallQueueError,
    IllegalTransition,
    NotFound,
    NotYourTicket,
    QueueRuleError,
    QuotaReached,
    ServiceClosed,
    UsageError,
    WindowBusy,
    WindowPaused,
)
from shared.models import Clerk, TicketEvent, Window
from shared.operation import Actor
from shared.read.hall_state import get_ticket, get_window
from tests.integration.conftest import (
    TEST_CATALOG_TEXT,
    noon_zone,
    raises_and_writes_nothing,
    replace_once,
    with_timezone,
    write_catalog,
)

SITE = "hall"


def events_of(db: Database, ticket_id: int) -> list[tuple[str, str | None, str | None]]:
    with db.read() as session:
        rows = session.execute(
            select(TicketEvent.action, TicketEvent.from_state, TicketEvent.to_state)
            .where(TicketEvent.ticket_id == ticket_id).order_by(TicketEvent.id)).all()
    return [tuple(r) for r in rows]


def issue(db: Database, service: str = "SA", **kwargs: object) -> str:
    return issuing.issue_ticket(db, service, site=SITE, **kwargs).ticket.number  # type: ignore[arg-type]


def called(db: Database, window: int = 2, service: str = "SA") -> str:
    number = issue(db, service)
    ticket = queue.call_next(db, window, site=SITE).ticket
    assert ticket is not None and ticket.number == number
    return number


def serving(db: Database, window: int = 2, service: str = "SA") -> str:
    number = called(db, window, service)
    queue.start(db, number, site=SITE)
    return number


# --------------------------------------------------------------------------- each operation


@pytest.mark.all_backends
def test_issue_gives_the_next_number_with_what_to_tell_the_citizen(db: Database) -> None:
    """Issuing numbers per prefix, counts who is ahead and lists windows and materials."""
    first = issuing.issue_ticket(db, "SA", site=SITE)
    second = issuing.issue_ticket(db, "SA", site=SITE)
    other = issuing.issue_ticket(db, "SB", site=SITE)
    assert [first.ticket.number, second.ticket.number, other.ticket.number] == [
        "A001", "A002", "B001"]
    # B001 waits for windows 1 and 3; window 1 also calls A001 and A002, issued earlier.
    assert (first.people_ahead, second.people_ahead, other.people_ahead) == (0, 1, 2)
    assert second.windows == ["1号窗口", "2号窗口"]
    assert second.materials == ["身份证原件", "申请表"]
    assert second.ticket.state == "waiting" and second.ticket.kind == "normal"
    assert events_of(db, second.ticket.id) == [("issue", None, "waiting")]


@pytest.mark.all_backends
def test_a_day_counter_set_back_is_mended_instead_of_failing_every_number(
        db: Database, caplog: pytest.LogCaptureFixture) -> None:
    """A counter row rewound outside HallQueue (a reviewer did it with a kiosk's login)
    made every later number of its prefix a uniqueness error ("意外错误") for the rest of
    the day; now issuing moves the counters past the numbers issued, says so in the log,
    and issues the next free number, once, with its request key honoured."""
    from sqlalchemy import update

    from shared.models import DayCounter

    assert [issue(db) for _ in range(3)] == ["A001", "A002", "A003"]
    db.write(lambda session: session.execute(
        update(DayCounter).where(DayCounter.key == "A").values(last=1)), name="rewind")
    with caplog.at_level("ERROR", logger="shared.issuing"):
        again = issuing.issue_ticket(db, "SA", site=SITE, request_key="k-mended")
    assert again.ticket.number == "A004"
    assert "counters were behind" in caplog.text and "'A': 3" in caplog.text
    repeat = issuing.issue_ticket(db, "SA", site=SITE, request_key="k-mended")
    assert repeat.ticket.number == "A004"  # the same request, not a second number
    assert issue(db) == "A005" and issue(db, "SB") == "B001"


@pytest.mark.all_backends
def test_call_next_marks_called_and_holds_the_window(db: Database) -> None:
    """Call-next marks the ticket called at the window, which now holds it."""
    number = issue(db)
    result = queue.call_next(db, 2, site=SITE)
    assert result.finished is None and result.ticket is not None
    assert (result.ticket.number, result.ticket.state, result.ticket.window) == (
        number, "called", 2)
    assert result.ticket.called_at is not None
    window = get_window(db, 2, site=SITE)
    assert window.current_ticket is not None and window.current_ticket.number == number
    assert events_of(db, result.ticket.id)[-1] == ("call", "waiting", "called")


def test_call_next_with_nobody_waiting_returns_none_and_keeps_the_window_free(db: Database) -> None:
    """Nobody waiting: call-next returns no ticket and the window stays free."""
    assert queue.call_next(db, 2, site=SITE) == queue.CallResult(None, None)
    assert get_window(db, 2, site=SITE).current_ticket is None


@pytest.mark.all_backends
def test_call_next_while_serving_finishes_the_held_ticket_first(db: Database) -> None:
    """Call-next at a window serving a ticket finishes it (completed) in the same step."""
    first = serving(db)
    second = issue(db)
    result = queue.call_next(db, 2, site=SITE)
    assert result.finished is not None and result.ticket is not None
    assert (result.finished.number, result.finished.state, result.finished.outcome) == (
        first, "finished", "completed")
    assert result.ticket.number == second
    assert get_window(db, 2, site=SITE).current_ticket.number == second  # type: ignore[union-attr]


def test_call_next_while_serving_with_nobody_waiting_still_finishes(db: Database) -> None:
    """With nobody waiting, call-next still finishes the served ticket and frees the window."""
    first = serving(db)
    result = queue.call_next(db, 2, site=SITE)
    assert result.ticket is None
    assert result.finished is not None and result.finished.number == first
    assert get_window(db, 2, site=SITE).current_ticket is None


def test_call_number_calls_that_number_out_of_turn(db: Database) -> None:
    """Calling a specific waiting number takes it out of turn."""
    issue(db)
    issue(db)
    ticket = queue.call_number(db, "A002", 2, site=SITE)
    assert (ticket.number, ticket.state, ticket.window) == ("A002", "called", 2)
    assert get_ticket(db, "A001", site=SITE).state == "waiting"


def test_recall_announces_again(db: Database) -> None:
    """Recall keeps the ticket called at its window and counts the call."""
    number = called(db)
    ticket = queue.recall(db, number, site=SITE)
    assert (ticket.state, ticket.window, ticket.call_count) == ("called", 2, 2)
    assert events_of(db, ticket.id)[-1] == ("recall", "called", "called")


def test_no_show_frees_the_window(db: Database) -> None:
    """A no-show (过号) releases the window; the ticket can be reinstated later."""
    number = called(db)
    ticket = queue.no_show(db, number, site=SITE)
    assert ticket.state == "no_show"
    assert get_window(db, 2, site=SITE).current_ticket is None
    back = queue.reinstate(db, number, site=SITE)
    assert (back.state, back.window) == ("waiting", None)
    assert [e[0] for e in events_of(db, ticket.id)] == ["issue", "call", "no_show", "reinstate"]


@pytest.mark.parametrize("outcome", ["completed", "accepted", "materials-missing", "consultation"])
def test_finish_records_the_outcome(db: Database, outcome: str) -> None:
    """Finish records the case outcome (办结, 受理, 材料不全, 咨询) and frees the window."""
    number = serving(db)
    ticket = queue.finish(db, number, outcome=outcome, site=SITE)
    assert (ticket.state, ticket.outcome) == ("finished", outcome)
    assert ticket.finished_at is not None and ticket.started_at is not None
    assert get_window(db, 2, site=SITE).current_ticket is None


@pytest.mark.parametrize("stage", ["waiting", "called", "no_show"])
def test_cancel(db: Database, stage: str) -> None:
    """A waiting, called or no-show ticket can be cancelled; the window is freed."""
    number = called(db) if stage != "waiting" else issue(db)
    if stage == "no_show":
        queue.no_show(db, number, site=SITE)
    ticket = queue.cancel(db, number, site=SITE)
    assert ticket.state == "cancelled"
    assert get_window(db, 2, site=SITE).current_ticket is None


@pytest.mark.parametrize("stage", ["waiting", "called", "serving"])
def test_transfer_from_each_stage(db: Database, stage: str) -> None:
    """A waiting, called or serving ticket can be handed over; it waits again, same number."""
    number = {"waiting": issue, "called": called, "serving": serving}[stage](db)
    ticket = queue.transfer(db, number, to_service="SB", note="转乙业务", site=SITE)
    assert (ticket.number, ticket.service, ticket.state, ticket.transferred) == (
        number, "SB", "waiting", True)
    assert ticket.note == "转乙业务"
    assert get_window(db, 2, site=SITE).current_ticket is None


@pytest.mark.all_backends
def test_pause_and_resume_a_window(db: Database) -> None:
    """Pause records the reason; resume clears it; both are logged."""
    paused = queue.pause_window(db, 2, "午休", site=SITE)
    assert (paused.paused, paused.pause_reason) == (True, "午休")
    resumed = queue.resume_window(db, 2, site=SITE)
    assert (resumed.paused, resumed.pause_reason) == (False, None)
    with db.read() as session:
        actions = session.scalars(select(TicketEvent.action).where(
            TicketEvent.ticket_id.is_(None)).order_by(TicketEvent.id)).all()
    assert actions == ["pause", "resume"]


def test_print_marks(db: Database) -> None:
    """A failed print is marked for reprint; a later print clears the mark."""
    ticket_id = issuing.issue_ticket(db, "SA", site=SITE).ticket.id
    assert queue.mark_print_failed(db, ticket_id, "缺纸").print_pending is True
    assert queue.mark_printed(db, ticket_id).print_pending is False
    assert [e[0] for e in events_of(db, ticket_id)] == ["issue", "reprint", "reprint"]


def test_actor_clerk_and_window_are_recorded(db: Database) -> None:
    """An action records the acting window and clerk on the ticket and in its event."""
    add_clerk(db, "zhang", "张三", password="s3cret-pass")
    number = issue(db)
    ticket = queue.call_next(db, 2, site=SITE, clerk="zhang").ticket
    assert ticket is not None and (ticket.number, ticket.clerk, ticket.window) == (
        number, "zhang", 2)
    with db.read() as session:
        event = session.execute(
            select(TicketEvent.window_id, TicketEvent.clerk_id, Window.number, Clerk.login)
            .join(Window, Window.id == TicketEvent.window_id)
            .join(Clerk, Clerk.id == TicketEvent.clerk_id)
            .where(TicketEvent.ticket_id == ticket.id, TicketEvent.action == "call")).one()
    assert (event.number, event.login) == (2, "zhang")


# --------------------------------------------------------------------------- refusals

Setup = Callable[[Database], object]


def _paused(db: Database) -> None:
    issue(db)
    queue.pause_window(db, 2, "开会", site=SITE)


REFUSALS: list[object] = [
    pytest.param(issue, lambda db: queue.finish(db, "A001", site=SITE), IllegalTransition,
                 id="finish-a-ticket-never-called"),
    pytest.param(called, lambda db: queue.finish(db, "A001", site=SITE), IllegalTransition,
                 id="finish-a-ticket-not-started"),
    pytest.param(issue, lambda db: queue.start(db, "A001", site=SITE), IllegalTransition,
                 id="start-a-waiting-ticket"),
    pytest.param(issue, lambda db: queue.recall(db, "A001", site=SITE), IllegalTransition,
                 id="recall-a-waiting-ticket"),
    pytest.param(issue, lambda db: queue.no_show(db, "A001", site=SITE), IllegalTransition,
                 id="no-show-a-waiting-ticket"),
    pytest.param(serving, lambda db: queue.no_show(db, "A001", site=SITE), IllegalTransition,
                 id="no-show-a-serving-ticket"),
    pytest.param(issue, lambda db: queue.reinstate(db, "A001", site=SITE), IllegalTransition,
                 id="reinstate-a-waiting-ticket"),
    pytest.param(serving, lambda db: queue.cancel(db, "A001", site=SITE), IllegalTransition,
                 id="cancel-a-serving-ticket"),
    pytest.param(lambda db: queue.finish(db, serving(db), site=SITE),
                 lambda db: queue.cancel(db, "A001", site=SITE), IllegalTransition,
                 id="cancel-a-finished-ticket"),
    pytest.param(lambda db: queue.finish(db, serving(db), site=SITE),
                 lambda db: queue.transfer(db, "A001", to_service="SB", site=SITE),
                 IllegalTransition, id="transfer-a-finished-ticket"),
    pytest.param(lambda db: queue.finish(db, serving(db), site=SITE),
                 lambda db: queue.start(db, "A001", site=SITE), IllegalTransition,
                 id="start-a-finished-ticket"),
    pytest.param(called, lambda db: queue.call_number(db, "A001", 1, site=SITE),
                 IllegalTransition, id="call-a-number-already-called"),
    pytest.param(called, lambda db: queue.call_next(db, 2, site=SITE), WindowBusy,
                 id="call-next-holding-a-called-ticket"),
    pytest.param(lambda db: (called(db), issue(db)),
                 lambda db: queue.call_number(db, "A002", 2, site=SITE), WindowBusy,
                 id="call-number-holding-a-called-ticket"),
    pytest.param(_paused, lambda db: queue.call_next(db, 2, site=SITE), WindowPaused,
                 id="call-next-at-a-paused-window"),
    pytest.param(_paused, lambda db: queue.call_number(db, "A001", 2, site=SITE), WindowPaused,
                 id="call-number-at-a-paused-window"),
    pytest.param(_paused, lambda db: queue.pause_window(db, 2, "again", site=SITE),
                 IllegalTransition, id="pause-a-paused-window"),
    pytest.param(issue, lambda db: queue.resume_window(db, 2, site=SITE), IllegalTransition,
                 id="resume-a-window-not-paused"),
    pytest.param(called, lambda db: queue.pause_window(db, 2, "break", site=SITE), WindowBusy,
                 id="pause-a-window-holding-a-ticket"),
    pytest.param(issue, lambda db: queue.pause_window(db, 2, "  ", site=SITE), UsageError,
                 id="pause-without-a-reason"),
    pytest.param(lambda db: [issue(db, "SC") for _ in range(3)],
                 lambda db: issue(db, "SC"), QuotaReached, id="issue-past-the-quota"),
    pytest.param(lambda db: [issue(db, "SC") for _ in range(3)],
                 lambda db: issue(db, "SC", kind="green"), QuotaReached,
                 id="green-ticket-past-the-quota"),
    pytest.param(issue, lambda db: issuing.issue_ticket(db, "SB", site="town"), ServiceClosed,
                 id="issue-a-service-the-site-does-not-offer"),
    pytest.param(issue, lambda db: issue(db, "NOPE"), NotFound, id="issue-an-unknown-service"),
    pytest.param(issue, lambda db: issue(db, "SA", kind="vip"), UsageError,
                 id="issue-an-unknown-kind"),
    pytest.param(issue, lambda db: queue.call_next(db, 9, site=SITE), NotFound,
                 id="call-at-an-unknown-window"),
    pytest.param(issue, lambda db: queue.start(db, "A404", site=SITE), NotFound,
                 id="act-on-an-unknown-number"),
    pytest.param(serving, lambda db: queue.finish(db, "A001", outcome="done", site=SITE),
                 UsageError, id="finish-with-an-unknown-outcome"),
    pytest.param(serving, lambda db: queue.transfer(db, "A001", to_window=2, site=SITE),
                 UsageError, id="transfer-to-the-same-window"),
    pytest.param(serving, lambda db: queue.transfer(db, "A001", site=SITE), UsageError,
                 id="transfer-without-a-target"),
    pytest.param(serving, lambda db: queue.transfer(db, "A001", to_service="SB", to_window=3,
                                                    site=SITE),
                 UsageError, id="transfer-to-two-targets"),
    pytest.param(serving, lambda db: queue.transfer(db, "A001", to_service="NOPE", site=SITE),
                 NotFound, id="transfer-to-an-unknown-service"),
    pytest.param(serving, lambda db: queue.transfer(db, "A001", to_window=42, site=SITE),
                 NotFound, id="transfer-to-an-unknown-window"),
    pytest.param(issue, lambda db: queue.call_next(db, 2, site="nowhere"), NotFound,
                 id="unknown-site"),
    pytest.param(issue, lambda db: queue.call_next(db, 2), UsageError,
                 id="several-sites-and-none-named"),
]


@pytest.mark.parametrize(("setup", "action", "error"), REFUSALS)
def test_refused_operation_raises_and_writes_nothing(db: Database, setup: Setup,
                                                     action: Setup,
                                                     error: type[HallQueueError]) -> None:
    """A refused operation raises its domain error and leaves every table as it was."""
    setup(db)
    info = raises_and_writes_nothing(db, error, lambda: action(db))
    assert "(" in str(info.value) and str(info.value).strip(), "messages are '中文 (English)'"


OTHER_WINDOW_ACTIONS: list[object] = [
    pytest.param(called, lambda db, a: queue.start(db, "A001", site=SITE, actor=a), id="start"),
    pytest.param(called, lambda db, a: queue.recall(db, "A001", site=SITE, actor=a), id="recall"),
    pytest.param(called, lambda db, a: queue.no_show(db, "A001", site=SITE, actor=a),
                 id="no-show"),
    pytest.param(called, lambda db, a: queue.cancel(db, "A001", site=SITE, actor=a), id="cancel"),
    pytest.param(serving, lambda db, a: queue.finish(db, "A001", site=SITE, actor=a),
                 id="finish"),
    pytest.param(serving, lambda db, a: queue.transfer(db, "A001", to_service="SB", site=SITE,
                                                       actor=a), id="transfer"),
]


@pytest.mark.all_backends
@pytest.mark.parametrize(("setup", "action"), OTHER_WINDOW_ACTIONS)
def test_acting_on_another_windows_ticket_is_refused(db: Database, setup: Setup,
                                                     action: Callable[[Database, Actor], object]
                                                     ) -> None:
    """A window may not act on a ticket another window holds (NotYourTicket, no change)."""
    setup(db)  # the ticket is held by window 2
    raises_and_writes_nothing(db, NotYourTicket, lambda: action(db, Actor(window=1)))
    action(db, Actor(window=2))  # the holding window may


def test_queue_rule_refusals_map_to_exit_code_4() -> None:
    """Every queue-rule refusal uses the CLI's exit code 4; nothing waiting uses 3."""
    for error in (IllegalTransition, WindowBusy, WindowPaused, NotYourTicket, QuotaReached,
                  ServiceClosed):
        assert issubclass(error, QueueRuleError) and error.exit_code == 4
    assert UsageError.exit_code == NotFound.exit_code == 2


def _closed_catalog(tmp_path: Path) -> Path:
    """The test catalog at noon, with SD open only 08:00-09:00 every day."""
    content = with_timezone(TEST_CATALOG_TEXT, noon_zone())
    hours = ", ".join(f'{day} = ["08:00-09:00"]' for day in
                      ("mon", "tue", "wed", "thu", "fri", "sat", "sun"))
    content = replace_once(content, 'prefix = "D"\n', f'prefix = "D"\nhours = {{ {hours} }}\n')
    return write_catalog(tmp_path, content, "closed.toml")


@pytest.mark.all_backends
def test_issue_for_a_closed_service_is_refused_with_the_reason(db: Database,
                                                               tmp_path: Path) -> None:
    """Outside its hours a service gives no numbers; the message says when it opens."""
    load_catalog(db, _closed_catalog(tmp_path))
    info = raises_and_writes_nothing(db, ServiceClosed, lambda: issue(db, "SD"))
    assert "今日办理已结束" in str(info.value) and "明天 08:00" in str(info.value)
    assert issue(db, "SA") == "A001"  # the other services are open


def test_after_hours_lifts_the_hours_and_is_recorded(db: Database, tmp_path: Path) -> None:
    """--after-hours (延时服务) issues outside the hours and is recorded on ticket and event."""
    load_catalog(db, _closed_catalog(tmp_path))
    issued = issuing.issue_ticket(db, "SD", site=SITE, after_hours=True)
    assert issued.ticket.number == "D001"
    with db.read() as session:
        detail = session.scalar(select(TicketEvent.detail).where(
            TicketEvent.ticket_id == issued.ticket.id))
    assert detail is not None and detail["after_hours"] is True


def test_disabled_service_is_refused(db: Database, tmp_path: Path) -> None:
    """A service removed from the catalog gives no more numbers."""
    content = replace_once(TEST_CATALOG_TEXT, "services = { SA = 1, SD = 1 }",
                           "services = { SA = 1 }")
    content = replace_once(content, "services = { SD = 1 }", "services = { SA = 1 }")
    start = content.index('[[departments.services]]\ncode = "SD"')
    content = content[:start] + content[content.index("[[sites]]"):]
    load_catalog(db, write_catalog(tmp_path, content))
    raises_and_writes_nothing(db, ServiceClosed, lambda: issue(db, "SD"))

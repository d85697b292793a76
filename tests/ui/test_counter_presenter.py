"""The counter presenter without widgets: login, every action and its error paths, against
a real database through the real OperationRunner."""

from __future__ import annotations

import threading

from PySide6.QtCore import QObject
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select, update

from counter_app.actions import CounterAction
from counter_app.core import CounterCore
from counter_app.presenter import CounterPresenter
from shared import clerks, i18n, issuing, queue
from shared.db import Database
from shared.errors import IllegalTransition, NotFound
from shared.models import SiteState, Window
from shared.operation import Actor
from shared.qt.ops import OperationRunner
from shared.read import hall_state
from shared.read.counter_view import CounterSnapshot, counter_snapshot
from tests.ui.counter_support import (
    PASSWORD,
    SITE,
    RecordingView,
    call_events,
    issue,
    logged_in,
    make_presenter,
    settle,
)

pytest_plugins = ["tests.ui.counter_support"]


# ---------------------------------------------------------------------------- login


def test_login_shows_the_main_screen_with_the_windows_queue(
        qtbot: QtBot, hall: Database, owner: QObject) -> None:
    """A clerk who logs in at a window sees its queue and holds nothing yet."""
    issue(hall, "SA", 2)
    issue(hall, "SB", 1, kind="green")
    _, view, _ = logged_in(qtbot, hall, owner, "wang", 1)
    assert view.main is not None and view.main[1] == 1
    snapshot = view.snapshot
    assert snapshot is not None and snapshot.held is None
    assert [(s.code, s.waiting, s.green) for s in snapshot.services] == [("SA", 2, 0),
                                                                         ("SB", 1, 1)]
    assert snapshot.window.clerk == "wang"
    assert CounterAction.CALL_NEXT in view.enabled
    assert CounterAction.START not in view.enabled


def test_wrong_passwords_make_the_next_try_wait(
        qtbot: QtBot, hall: Database, owner: QObject) -> None:
    """A refused login shows the core's message; after three wrong passwords the next try
    at this terminal has to wait (a delay, not a lock-out)."""
    presenter, view, runner = make_presenter(hall, owner, window=1)
    presenter.open()
    for _ in range(3):
        presenter.login("wang", "wrong-password", 1)
        settle(qtbot, runner)
    assert view.login_messages[-1] == "工号或密码错误", view.login_messages
    presenter.login("wang", PASSWORD, 1)
    settle(qtbot, runner)
    assert "秒后再试" in view.login_messages[-1]
    assert view.main is None


def test_window_held_by_another_clerk_refuses_the_login(qtbot: QtBot, hall: Database, owner: QObject) -> None:
    """A window where another clerk holds a live lease cannot be taken."""
    logged_in(qtbot, hall, owner, "wang", 1)
    presenter, view, runner = make_presenter(hall, owner, window=1)
    presenter.open()
    presenter.login("li", PASSWORD, 1)
    settle(qtbot, runner)
    assert "已由 王芳 登录" in view.login_messages[-1]
    assert view.main is None


def test_a_clerk_cannot_be_active_at_two_windows(qtbot: QtBot, hall: Database, owner: QObject) -> None:
    """The same clerk logging in at a second window is refused."""
    logged_in(qtbot, hall, owner, "wang", 1)
    presenter, view, runner = make_presenter(hall, owner, window=2)
    presenter.open()
    presenter.login("wang", PASSWORD, 2)
    settle(qtbot, runner)
    assert "已在 1 号窗口登录" in view.login_messages[-1]


def test_login_needs_a_window_and_credentials(qtbot: QtBot, hall: Database, owner: QObject) -> None:
    """Without a window chosen, or without a password, the login is not attempted."""
    presenter, view, runner = make_presenter(hall, owner)
    presenter.open()
    settle(qtbot, runner)
    assert [w.number for w in view.windows] == [1, 2, 3, 4]
    presenter.login("wang", PASSWORD, None)
    assert view.login_messages[-1] == "请选择窗口"
    presenter.login("wang", "", 2)
    assert view.login_messages[-1] == "请输入工号和密码"
    presenter.login("wang", PASSWORD, 2)
    settle(qtbot, runner)
    assert view.main is not None and view.main[1] == 2


def test_logout_frees_the_window(qtbot: QtBot, hall: Database, owner: QObject) -> None:
    """After logout the window has no clerk and another clerk may log in there."""
    presenter, view, runner = logged_in(qtbot, hall, owner, "wang", 1)
    presenter.logout()
    settle(qtbot, runner)
    assert view.main is None and not presenter.logged_in
    assert hall_state.get_window(hall, 1, site=SITE).clerk is None
    logged_in(qtbot, hall, owner, "li", 1)


def test_lease_renewal_notices_a_takeover(qtbot: QtBot, hall: Database, owner: QObject) -> None:
    """When the lease lapsed and another clerk took the window, renewing logs this one out."""
    presenter, view, runner = logged_in(qtbot, hall, owner, "wang", 1)
    presenter.renew_lease()
    settle(qtbot, runner)
    assert presenter.logged_in
    hall.write(lambda s: s.execute(update(Window).where(Window.number == 1)
                                   .values(lease_expires_at=None)))
    clerks.login_at_window(hall, "li", PASSWORD, 1, site=SITE)
    presenter.renew_lease()
    settle(qtbot, runner)
    assert not presenter.logged_in
    assert "已由其他人登录" in view.login_messages[-1]


def test_own_lapsed_lease_is_renewed_not_taken_for_a_takeover(
        qtbot: QtBot, hall: Database, owner: QObject) -> None:
    """A counter whose own lease ran out (the PC slept) reads a window with nobody
    present: it renews the lease, stays logged in, and the clerk is shown again, with a
    change notice so displays hear of it."""
    presenter, view, runner = logged_in(qtbot, hall, owner, "wang", 1)
    hall.write(lambda s: s.execute(update(Window).where(Window.number == 1)
                                   .values(lease_expires_at=None)))
    assert hall_state.get_window(hall, 1, site=SITE).clerk is None
    with hall.read() as session:
        version = session.scalar(select(func.max(SiteState.version)))
    presenter.refresh()
    settle(qtbot, runner)
    qtbot.waitUntil(lambda: hall_state.get_window(hall, 1, site=SITE).clerk == "wang",
                    timeout=5_000)
    assert presenter.logged_in and view.main is not None
    with hall.read() as session:
        assert session.scalar(select(func.max(SiteState.version))) > version


# ---------------------------------------------------------------------------- actions


def test_call_recall_start_finish_flow(qtbot: QtBot, hall: Database, owner: QObject) -> None:
    """Call, recall, start and finish each change the held ticket as the core says."""
    first, _ = issue(hall, "SA", 2)
    presenter, view, runner = logged_in(qtbot, hall, owner, "wang", 1)
    finished = []
    presenter.ticket_finished.connect(finished.append)

    presenter.call_next()
    settle(qtbot, runner)
    assert view.held is not None and view.held.number == first.number
    assert view.held.state == "called"
    assert {CounterAction.RECALL, CounterAction.START, CounterAction.NO_SHOW,
            CounterAction.TRANSFER} <= view.enabled
    assert CounterAction.FINISH not in view.enabled
    assert CounterAction.CALL_NEXT not in view.enabled
    assert CounterAction.PAUSE not in view.enabled

    presenter.recall()
    settle(qtbot, runner)
    assert "第 2 次" in view.last_status
    presenter.start()
    settle(qtbot, runner)
    assert view.held is not None and view.held.state == "serving"
    assert CounterAction.FINISH in view.enabled
    presenter.finish("accepted")
    settle(qtbot, runner)
    assert view.held is None
    ticket = hall_state.get_ticket(hall, first.id)
    assert (ticket.state, ticket.outcome, ticket.clerk) == ("finished", "accepted", "wang")
    assert [t.id for t in finished] == [first.id]
    assert view.snapshot is not None and view.snapshot.stats.served == 1


class ReadCountingCore(CounterCore):
    """The real core, counting the screen's reads; with ``hold`` set, a read waits after
    reading until ``release`` is set (a slow LAN delivering it late)."""

    def __init__(self, db: Database) -> None:
        super().__init__(db, SITE)
        self.reads = 0
        self.hold = False
        self.holding = threading.Event()  # a read has read and waits for release
        self.release = threading.Event()

    def snapshot(self, window: int, clerk: str) -> CounterSnapshot:
        self.reads += 1
        snapshot = super().snapshot(window, clerk)
        if self.hold:
            self.hold = False
            self.holding.set()
            self.release.wait(10)
        return snapshot


def test_start_and_recall_show_their_answer_without_reading_again(
        qtbot: QtBot, hall: Database, owner: QObject) -> None:
    """Start and recall change only the held ticket on the counter's screen: it is shown
    from the action's answer at once, the buttons follow it, and no read is made; the
    screen is what a read would show."""
    issue(hall, "SA", 2)
    core = ReadCountingCore(hall)
    presenter, view, runner = logged_in(qtbot, hall, owner, "wang", 1, core=core)
    presenter.call_next()
    settle(qtbot, runner)
    reads = core.reads
    presenter.recall()
    settle(qtbot, runner)
    assert core.reads == reads
    assert view.held is not None and view.held.call_count == 2
    assert view.held == counter_snapshot(hall, 1, "wang", site=SITE).held
    presenter.start()
    settle(qtbot, runner)
    assert core.reads == reads
    assert view.held is not None and view.held.state == "serving"
    assert CounterAction.FINISH in view.enabled and presenter.pending is None
    fresh = counter_snapshot(hall, 1, "wang", site=SITE)
    assert view.held == fresh.held
    assert view.snapshot is not None and view.snapshot.upcoming == fresh.upcoming


def test_a_read_begun_before_the_answer_never_shows_the_ticket_as_it_was(
        qtbot: QtBot, hall: Database, owner: QObject) -> None:
    """A read that began before start's answer arrives after it, with the ticket still
    called: it is not shown (the screen would fall back to 已叫号 and offer start again);
    the presenter reads again and shows the ticket being served."""
    issue(hall, "SA")
    core = ReadCountingCore(hall)
    presenter, view, runner = logged_in(qtbot, hall, owner, "wang", 1, core=core)
    presenter.call_next()
    settle(qtbot, runner)
    shown: list[str] = []
    show = view.show_snapshot

    def recording(snapshot: CounterSnapshot) -> None:
        shown.append(snapshot.held.state if snapshot.held else "none")
        show(snapshot)

    view.show_snapshot = recording  # type: ignore[method-assign]
    core.hold = True
    presenter.refresh()  # e.g. a change elsewhere: the read is slow to come back
    assert core.holding.wait(10)
    presenter.start()
    qtbot.waitUntil(lambda: shown[-1:] == ["serving"])
    reads = core.reads
    core.release.set()
    settle(qtbot, runner)
    assert shown == ["serving", "serving"], shown  # the answer, then the read made again
    assert core.reads == reads + 1
    assert view.held is not None and view.held.state == "serving"
    assert CounterAction.FINISH in view.enabled


def test_call_next_while_serving_finishes_the_held_ticket_first(
        qtbot: QtBot, hall: Database, owner: QObject) -> None:
    """Calling while serving completes the held ticket and asks for its evaluation."""
    first, second = issue(hall, "SA", 2)
    presenter, view, runner = logged_in(qtbot, hall, owner, "wang", 1)
    finished = []
    presenter.ticket_finished.connect(finished.append)
    presenter.call_next()
    settle(qtbot, runner)
    presenter.start()
    settle(qtbot, runner)
    presenter.call_next()
    settle(qtbot, runner)
    assert view.held is not None and view.held.id == second.id
    assert [t.id for t in finished] == [first.id]
    assert hall_state.get_ticket(hall, first.id).outcome == "completed"


def test_call_next_with_nobody_waiting_says_so(qtbot: QtBot, hall: Database, owner: QObject) -> None:
    """An empty queue is a message, not an error."""
    presenter, view, runner = logged_in(qtbot, hall, owner, "wang", 1)
    presenter.call_next()
    settle(qtbot, runner)
    assert view.last_status == "当前没有等候的号"
    assert view.errors == []


def test_no_show_and_reinstate(qtbot: QtBot, hall: Database, owner: QObject) -> None:
    """A no-show frees the window; reinstating puts the citizen back in the queue."""
    (ticket,) = issue(hall, "SA")
    presenter, view, runner = logged_in(qtbot, hall, owner, "wang", 1)
    presenter.call_next()
    settle(qtbot, runner)
    presenter.no_show()
    settle(qtbot, runner)
    assert view.held is None
    assert hall_state.get_ticket(hall, ticket.id).state == "no_show"
    no_shows: list = []
    presenter.load_no_shows(no_shows.extend)
    settle(qtbot, runner)
    assert [t.number for t in no_shows] == [ticket.number]
    presenter.reinstate(no_shows[0])
    settle(qtbot, runner)
    assert hall_state.get_ticket(hall, ticket.id).state == "waiting"
    assert view.snapshot is not None and view.snapshot.waiting == 1
    assert [t.id for t in view.snapshot.upcoming] == [ticket.id]
    assert "重新排队" in view.last_status


def test_transfer_to_a_service_and_to_a_window(qtbot: QtBot, hall: Database, owner: QObject) -> None:
    """A hand-over leaves the window free and queues the same number at the target."""
    first, second = issue(hall, "SA", 2)
    presenter, view, runner = logged_in(qtbot, hall, owner, "wang", 1)
    targets: list = []
    presenter.load_transfer_targets(targets.append)
    settle(qtbot, runner)
    assert [s.code for s in targets[0].services] == ["SA", "SB", "SC", "SD"]

    presenter.call_next()
    settle(qtbot, runner)
    presenter.start()
    settle(qtbot, runner)
    presenter.transfer(to_service="SD", note="需补录信息")
    settle(qtbot, runner)
    assert view.held is None
    moved = hall_state.get_ticket(hall, first.id)
    assert (moved.state, moved.service, moved.transferred) == ("waiting", "SD", True)
    assert moved.note == "需补录信息"
    assert [t.id for t in hall_state.waiting_for_window(hall, 4, site=SITE)] == [first.id]

    presenter.call_next()
    settle(qtbot, runner)
    presenter.transfer(to_window=2)
    settle(qtbot, runner)
    assert hall_state.get_ticket(hall, second.id).target_window == 2
    assert "2 号窗口" in view.last_status
    presenter.transfer()
    assert "二选一" in view.last_status


def test_call_a_specific_number(qtbot: QtBot, hall: Database, owner: QObject) -> None:
    """Calling a number out of order calls exactly that ticket; a malformed number is refused."""
    first, second = issue(hall, "SA", 2)
    presenter, view, runner = logged_in(qtbot, hall, owner, "wang", 1)
    presenter.call_number("a 1")
    assert "格式不对" in view.last_status
    presenter.call_number(second.number.lower())
    settle(qtbot, runner)
    assert view.held is not None and view.held.id == second.id
    assert hall_state.get_ticket(hall, first.id).state == "waiting"


def test_pause_and_resume(qtbot: QtBot, hall: Database, owner: QObject) -> None:
    """A paused window calls nobody until resumed; the reason is on the window."""
    issue(hall, "SA")
    presenter, view, runner = logged_in(qtbot, hall, owner, "wang", 1)
    presenter.pause("  ")
    assert view.last_status == "请填写暂停原因"
    presenter.pause("会议")
    settle(qtbot, runner)
    window = hall_state.get_window(hall, 1, site=SITE)
    assert (window.paused, window.pause_reason) == (True, "会议")
    assert view.enabled == {CounterAction.RESUME, CounterAction.REINSTATE}
    presenter.call_next()
    assert "当前状态下不能“叫下一位”" in view.last_status
    presenter.resume()
    settle(qtbot, runner)
    assert not hall_state.get_window(hall, 1, site=SITE).paused
    assert CounterAction.CALL_NEXT in view.enabled


def test_illegal_action_is_refused_with_a_message(qtbot: QtBot, hall: Database, owner: QObject) -> None:
    """An action the held ticket's state does not allow is refused before reaching the core."""
    issue(hall, "SA")
    presenter, view, runner = logged_in(qtbot, hall, owner, "wang", 1)
    presenter.finish("completed")
    assert "当前状态下不能“办理完成…”" in view.last_status
    presenter.call_next()
    settle(qtbot, runner)
    presenter.finish("completed")
    assert "已叫号" in view.last_status
    assert hall_state.get_window(hall, 1, site=SITE).current_ticket is not None


def test_core_refusal_after_a_change_elsewhere_is_shown(qtbot: QtBot, hall: Database, owner: QObject) -> None:
    """If another terminal changed the ticket first, the core's refusal is shown and the
    screen catches up with the database."""
    (ticket,) = issue(hall, "SA")
    presenter, view, runner = logged_in(qtbot, hall, owner, "wang", 1)
    presenter.call_next()
    settle(qtbot, runner)
    queue.no_show(hall, ticket.id, site=SITE)  # e.g. the supervisor, from the command line
    presenter.start()  # the screen still shows the ticket as called
    settle(qtbot, runner)
    assert len(view.errors) == 1 and isinstance(view.errors[0], IllegalTransition)
    assert view.held is None


def test_actions_are_blocked_while_one_is_in_flight(qtbot: QtBot, hall: Database, owner: QObject) -> None:
    """A second press while the first action is on its way does nothing twice."""
    (ticket,) = issue(hall, "SA")
    presenter, view, runner = logged_in(qtbot, hall, owner, "wang", 1)
    presenter.call_next()
    presenter.call_next()
    assert "尚未完成" in view.last_status
    assert view.enabled == frozenset() and view.busy
    settle(qtbot, runner)
    assert call_events(hall, ticket.id) == 1


def test_changes_made_elsewhere_reach_the_screen_on_refresh(
        qtbot: QtBot, hall: Database, owner: QObject) -> None:
    """A change notice from the feed makes the presenter read the database again."""
    presenter, view, runner = logged_in(qtbot, hall, owner, "wang", 1)
    assert view.snapshot is not None and view.snapshot.waiting == 0
    issuing.issue_ticket(hall, "SB", site=SITE, kind="appointment")
    presenter.on_changed(1)
    settle(qtbot, runner)
    assert view.snapshot is not None
    assert [(s.code, s.waiting, s.appointment) for s in view.snapshot.services] == \
        [("SA", 0, 0), ("SB", 1, 1)]


def test_clock_runs_on_the_servers_time(qtbot: QtBot, hall: Database, owner: QObject) -> None:
    """The clock offset comes from the snapshot, so waits are timed by the server's clock."""
    presenter, view, _ = logged_in(qtbot, hall, owner, "wang", 1)
    assert view.snapshot is not None
    drift = abs((presenter.now() - view.snapshot.server_now).total_seconds())
    assert drift < 60


def test_reinstate_of_an_unknown_ticket_shows_the_error(qtbot: QtBot, hall: Database, owner: QObject) -> None:
    """Reinstating a ticket that is gone shows the core's NotFound."""
    from shared.read.counter_view import NoShowTicket

    presenter, view, runner = logged_in(qtbot, hall, owner, "wang", 1)
    presenter.reinstate(NoShowTicket(9999, "A999", "甲业务", "normal", None))
    settle(qtbot, runner)
    assert len(view.errors) == 1 and isinstance(view.errors[0], NotFound)



def test_actor_of_actions_is_the_logged_in_clerk(qtbot: QtBot, hall: Database, owner: QObject) -> None:
    """Tickets called at the counter carry the clerk who called them."""
    (ticket,) = issue(hall, "SB")
    presenter, view, runner = logged_in(qtbot, hall, owner, "li", 3)
    presenter.call_next()
    settle(qtbot, runner)
    assert hall_state.get_ticket(hall, ticket.id).clerk == "li"
    queue.start(hall, ticket.id, site=SITE, actor=Actor(3, "li"))
    presenter.on_changed()
    settle(qtbot, runner)
    assert view.held is not None and view.held.state == "serving"


def test_refused_login_speaks_one_language(qtbot: QtBot, hall: Database, owner: QObject) -> None:
    """The core words a refusal "中文 (English)": the Chinese screen shows only the Chinese,
    an English screen only the English."""
    presenter, view, runner = make_presenter(hall, owner, window=1)
    presenter.open()
    presenter.login("wang", "wrong-password", 1)
    settle(qtbot, runner)
    assert view.login_messages[-1] == "工号或密码错误"
    i18n.set_language("en")
    try:
        presenter.login("wang", "wrong-password", 1)
        settle(qtbot, runner)
    finally:
        i18n.set_language("zh_CN")
    assert view.login_messages[-1] == "wrong login or password"


def test_calling_a_ticket_of_another_service_asks_first(qtbot: QtBot, hall: Database,
                                                        owner: QObject) -> None:
    """指定叫号 of a service the window does not serve asks; no answer, nothing called. A
    ticket of its own services is called without a question."""
    presenter, view, runner = logged_in(qtbot, hall, owner, "wang", 1)
    own, = issue(hall, "SA")
    other, = issue(hall, "SD")  # window 4's service
    presenter.call_number(other.number.lower())
    settle(qtbot, runner)
    assert len(view.questions) == 1 and other.number in view.questions[0][1]
    assert "本窗口不办理这项业务" in view.questions[0][1]
    assert hall_state.get_ticket(hall, other.id).state == "waiting"
    presenter.call_number(own.number)
    settle(qtbot, runner)
    assert len(view.questions) == 1
    assert view.held is not None and view.held.number == own.number
    presenter.no_show()
    settle(qtbot, runner)
    view.answer_yes = True
    presenter.call_number(other.number)
    settle(qtbot, runner)
    assert len(view.questions) == 2
    assert view.held is not None and view.held.number == other.number
    assert view.last_status.startswith(f"已叫 {other.number}")


def test_call_next_while_serving_records_the_chosen_outcome(
        qtbot: QtBot, hall: Database, owner: QObject) -> None:
    """Calling on while serving finishes the case with the outcome the clerk chose, and
    the status line says so."""
    presenter, view, runner = logged_in(qtbot, hall, owner, "wang", 1)
    first, second = issue(hall, "SA", 2)
    presenter.call_next()
    settle(qtbot, runner)
    presenter.start()
    settle(qtbot, runner)
    presenter.call_next("materials-missing")
    settle(qtbot, runner)
    assert hall_state.get_ticket(hall, first.id).outcome == "materials-missing"
    assert view.held is not None and view.held.number == second.number
    assert view.last_status == (f"{first.number} 已办理完成（材料不全）。已叫 {second.number}"
                                f"（{second.service_name}），请等候市民到窗口。")
    assert "。。" not in view.last_status


def test_idle_clerk_is_logged_out_and_resumes_the_held_ticket(
        qtbot: QtBot, hall: Database, owner: QObject) -> None:
    """No key or click for the idle time: the clerk is logged out, the window keeps its
    ticket, and after logging in again the clerk carries on with it."""
    runner = OperationRunner(owner)
    view = RecordingView()
    presenter = CounterPresenter(CounterCore(hall, SITE), runner, view, fixed_window=1,
                                 idle_logout_minutes=0.01, parent=owner)  # 0.6 s
    issuing.issue_ticket(hall, "SA", site=SITE)
    presenter.open()
    presenter.login("wang", PASSWORD, 1)
    settle(qtbot, runner)
    presenter.call_next()
    settle(qtbot, runner)
    held = view.snapshot.held
    assert held is not None
    for _ in range(4):  # activity keeps the session
        qtbot.wait(250)
        presenter.note_activity()
    assert presenter.logged_in
    qtbot.waitUntil(lambda: not presenter.logged_in, timeout=5000)
    settle(qtbot, runner)
    assert held.number in view.login_messages[-1] and "保留" in view.login_messages[-1]
    assert hall_state.get_window(hall, 1, site=SITE).current_ticket is not None
    presenter.login("wang", PASSWORD, 1)
    settle(qtbot, runner)
    assert view.snapshot.held is not None and view.snapshot.held.number == held.number
    presenter.start()
    settle(qtbot, runner)
    assert view.snapshot.held.state == "serving"

"""The counter under stress: two counters racing for one queue, a crash, a lost answer,
and the database going away and coming back."""

from __future__ import annotations

import gc
import warnings
from collections.abc import Iterator, Sequence

import pytest
import shiboken6
from PySide6.QtCore import QObject
from pytestqt.qtbot import QtBot

from counter_app.actions import CounterAction
from counter_app.core import CounterCore
from counter_app.presenter import CounterPresenter
from shared import issuing
from shared.db import Database
from shared.errors import DatabaseUnavailable
from shared.qt.feed import FeedThread
from shared.qt.ops import OperationRunner
from shared.queue import CallResult
from shared.read import hall_state
from shared.read.site import site_info
from shared.states import Outcome
from tests.tcp_proxy import TcpProxy
from tests.ui.counter_support import (
    SITE,
    RecordingView,
    call_events,
    issue,
    logged_in,
    settle,
)

pytest_plugins = ["tests.ui.counter_support"]


def drive(presenter: CounterPresenter, view: RecordingView, runner: OperationRunner) -> bool:
    """One step of a busy clerk: call, start, finish. Returns True once the database shows
    nobody waiting for the window (a call that came back empty is repeated, as a clerk
    would press again)."""
    if not runner.idle:
        return False
    held = view.held
    if held is None:
        if view.snapshot is not None and not view.snapshot.waiting:
            return True
        presenter.call_next()
    elif held.state == "called":
        presenter.start()
    else:
        presenter.finish("completed")
    return False


@pytest.mark.all_backends
def test_two_counters_racing_for_one_queue_call_each_ticket_once(
        qtbot: QtBot, hall: Database, owner: QObject, empty_db_url: str) -> None:
    """Windows 1 and 2 both serve SA from separate connections: every ticket is called
    exactly once and finished by exactly one of them."""
    tickets = issue(hall, "SA", 24)
    other_db = Database(empty_db_url)
    try:
        first = logged_in(qtbot, hall, owner, "wang", 1)
        second = logged_in(qtbot, other_db, owner, "li", 2)
        done = [False, False]

        def step() -> bool:
            for index, counter in enumerate((first, second)):
                done[index] = done[index] or drive(*counter)
            return all(done)

        qtbot.waitUntil(step, timeout=120_000)
        settle(qtbot, first[2], second[2])
    finally:
        other_db.dispose()
    served_by = {1: 0, 2: 0}
    for ticket in tickets:
        final = hall_state.get_ticket(hall, ticket.id)
        assert final.state == "finished", final
        assert call_events(hall, ticket.id) == 1
        assert final.window in served_by
        served_by[final.window] += 1
    assert served_by[1] > 0 and served_by[2] > 0
    assert first[1].errors == [] and second[1].errors == []


def test_restarting_after_a_crash_resumes_the_held_ticket(
        qtbot: QtBot, hall: Database, owner: QObject, empty_db_url: str) -> None:
    """A counter that died mid-service shows the same ticket, still serving, after the
    clerk logs in again at that window; nothing is lost."""
    (ticket,) = issue(hall, "SA")
    crashed_db = Database(empty_db_url)
    crashed_owner = QObject()
    presenter, view, runner = logged_in(qtbot, crashed_db, crashed_owner, "wang", 1)
    presenter.call_next()
    settle(qtbot, runner)
    presenter.start()
    settle(qtbot, runner)
    runner.wait_done()
    shiboken6.delete(crashed_owner)  # gone without logging out: the lease stays
    crashed_db.dispose()

    restarted, view, runner = logged_in(qtbot, hall, owner, "wang", 1)
    assert view.held is not None
    assert (view.held.id, view.held.state) == (ticket.id, "serving")
    assert CounterAction.FINISH in view.enabled
    restarted.finish("consultation")
    settle(qtbot, runner)
    assert hall_state.get_ticket(hall, ticket.id).outcome == "consultation"


class LostAnswerCore(CounterCore):
    """The network drops right after the first call-next committed: its answer never
    arrives (the keys it was asked with are kept, to check the retry used the same)."""

    def __init__(self, db: Database, site: str) -> None:
        super().__init__(db, site)
        self.keys: list[str | None] = []

    def call_next(self, window: int, clerk: str,
                  finish_outcome: Outcome = Outcome.COMPLETED, key: str | None = None,
                  finish_missing: Sequence[str] = ()) -> CallResult:
        self.keys.append(key)
        result = super().call_next(window, clerk, finish_outcome, key, finish_missing)
        if len(self.keys) == 1:
            raise DatabaseUnavailable("无法连接数据库 (database unreachable: connection lost)")
        return result


def test_a_lost_answer_is_asked_again_with_its_key_and_never_doubled(
        qtbot: QtBot, hall: Database, owner: QObject) -> None:
    """When the answer to an action is lost, the counter says the outcome is unknown,
    keeps the buttons off, and once the database answers asks again with the same request
    key: it shows the ticket the first attempt called, which was called once."""
    first, second = issue(hall, "SA", 2)
    core = LostAnswerCore(hall, SITE)
    presenter, view, runner = logged_in(qtbot, hall, owner, "wang", 1, core=core)
    presenter.call_next()
    settle(qtbot, runner)
    warnings = [text for text, warning in view.statuses if warning]
    assert any("无法确认“叫下一位”是否已完成" in text for text in warnings)
    assert len(core.keys) == 2 and core.keys[0] is not None and core.keys[0] == core.keys[1]
    assert first.number in view.last_status and "已叫" in view.last_status
    assert view.held is not None and view.held.id == first.id
    assert call_events(hall, first.id) == 1 and call_events(hall, second.id) == 0
    assert view.online and CounterAction.START in view.enabled
    assert view.errors == []


def test_offline_disables_every_action_until_the_feed_is_back(
        qtbot: QtBot, hall: Database, owner: QObject) -> None:
    """While the change feed reports the database gone, nothing can be done; when it is
    back the screen is read afresh and the buttons return."""
    presenter, view, runner = logged_in(qtbot, hall, owner, "wang", 1)
    presenter.on_online_changed(False)
    assert not view.online and view.enabled == frozenset()
    presenter.call_next()
    assert "数据库连接中断" in view.last_status
    issuing.issue_ticket(hall, "SA", site=SITE)  # meanwhile, at the kiosk
    presenter.on_online_changed(True)
    settle(qtbot, runner)
    assert view.online and CounterAction.CALL_NEXT in view.enabled
    assert view.snapshot is not None and view.snapshot.waiting == 1


# ---------------------------------------------------------------------------- real outage


@pytest.fixture
def proxied(hall: Database, empty_db_url: str) -> Iterator[tuple[Database, TcpProxy]]:
    url = hall.url
    default_port = 5432 if url.get_backend_name() == "postgresql" else 3306
    proxy = TcpProxy(url.port or default_port)
    db = Database(url.set(host="127.0.0.1", port=proxy.port).render_as_string(
        hide_password=False))
    yield db, proxy
    proxy.close()
    db.dispose()
    # PyMySQL leaves the sockets of connections the cut killed to the garbage collector;
    # collect them now, quietly, rather than as a ResourceWarning at the end of the run.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ResourceWarning)
        gc.collect()


@pytest.mark.parametrize("empty_db_url", ["postgres", "mariadb"], indirect=True)
def test_database_outage_shows_offline_and_recovers_by_itself(
        qtbot: QtBot, hall: Database, owner: QObject,
        proxied: tuple[Database, TcpProxy]) -> None:
    """Cutting the network to the database shows the offline state within the feed's
    reconnect time; restoring it brings the counter back, fully refreshed, unattended."""
    db, proxy = proxied
    presenter, view, runner = logged_in(qtbot, db, owner, "wang", 1)
    feed = FeedThread(db, site_info(hall, SITE).id, parent=owner)
    feed.changed.connect(presenter.on_changed)
    feed.online_changed.connect(presenter.on_online_changed)
    feed.start()
    try:
        issue(hall, "SA")
        qtbot.waitUntil(lambda: view.snapshot is not None and view.snapshot.waiting == 1,
                        timeout=5000)
        proxy.cut()
        qtbot.waitUntil(lambda: not view.online, timeout=20_000)
        assert view.enabled == frozenset()
        issue(hall, "SA")  # the kiosk still reaches the database directly
        proxy.restore()
        qtbot.waitUntil(lambda: view.online and view.snapshot is not None
                        and view.snapshot.waiting == 2, timeout=30_000)
        assert CounterAction.CALL_NEXT in view.enabled
    finally:
        feed.stop()
        settle(qtbot, runner)

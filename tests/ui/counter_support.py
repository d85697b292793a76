"""Helpers for the counter's tests (no tests here; the test modules load it with
``pytest_plugins``): a recording view for the presenter, clerks and tickets in the test
catalog, the test hall whose SA needs case numbers, waiting for the operation runner, a
real counter window to drive, and an owner for the Qt objects of a test.

Every presenter and runner of a test is a child of the ``owner`` fixture, deleted on the
GUI thread when the test ends. Left to Python's cyclic garbage collector, a QObject may be
destroyed on whichever thread the collector happens to run, e.g. a runner's worker,
which crashes Qt.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import shiboken6
from PySide6.QtCore import QObject
from PySide6.QtWidgets import QAbstractButton, QApplication
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from counter_app.actions import CounterAction
from counter_app.core import CounterCore, PrinterSettings
from counter_app.evaluation import EvaluationPresenter, connect_pad
from counter_app.evaluation_pad import EvaluationPad
from counter_app.presenter import CounterPresenter
from counter_app.screen import CounterScreen
from shared import clerks, issuing
from shared.catalog import load_catalog
from shared.clerks import ClerkView
from shared.db import Database
from shared.demo import prepare_demo_database
from shared.models import TicketEvent
from shared.qt.ops import OperationRunner
from shared.read.counter_view import CounterSnapshot, WindowRef
from shared.views import TicketView
from tests.integration.conftest import write_catalog
from tests.integration.test_hcp import hcp_catalog

# PySide6 6.12.0 on CPython 3.11 leaks a reference to True per signal emit.

SITE = "hall"
PASSWORD = "secret123"
CLERKS = {"wang": "王芳", "li": "李强", "zhao": "赵敏"}


class RecordingView:
    """A passive stand-in for the counter screen that remembers what it was told."""

    def __init__(self) -> None:
        self.login_messages: list[str] = []
        self.windows: list[WindowRef] = []
        self.main: tuple[ClerkView, int] | None = None
        self.snapshot: CounterSnapshot | None = None
        self.enabled: frozenset[CounterAction] = frozenset()
        self.online = True
        self.busy = False
        self.statuses: list[tuple[str, bool]] = []
        self.errors: list[BaseException] = []
        self.clock: dt.datetime | None = None
        self.questions: list[tuple[str, str]] = []
        self.answer_yes = False

    def show_login(self, message: str) -> None:
        self.main = None
        self.login_messages.append(message)

    def show_windows(self, windows: list[WindowRef], fixed: int | None) -> None:
        self.windows = windows

    def show_main(self, clerk: ClerkView, window: int) -> None:
        self.main = (clerk, window)

    def show_snapshot(self, snapshot: CounterSnapshot) -> None:
        self.snapshot = snapshot

    def show_clock(self, now: dt.datetime) -> None:
        self.clock = now

    def set_enabled_actions(self, actions: frozenset[CounterAction]) -> None:
        self.enabled = actions

    def set_online(self, online: bool) -> None:
        self.online = online

    def set_busy(self, busy: bool) -> None:
        self.busy = busy

    def show_status(self, text: str, warning: bool = False) -> None:
        self.statuses.append((text, warning))

    def show_error(self, exc: BaseException) -> None:
        self.errors.append(exc)

    def confirm(self, title: str, question: str, accept_text: str,
                accepted: Callable[[], None]) -> None:
        """Recorded; answered yes when ``self.answer_yes`` (as a clerk pressing Enter)."""
        self.questions.append((title, question))
        if self.answer_yes:
            accepted()

    @property
    def last_status(self) -> str:
        return self.statuses[-1][0] if self.statuses else ""

    @property
    def held(self) -> TicketView | None:
        return self.snapshot.held if self.snapshot else None


def add_clerks(db: Database) -> None:
    for login, name in CLERKS.items():
        clerks.add_clerk(db, login, name, PASSWORD)


@pytest.fixture
def hall(db: Database) -> Database:
    """The test catalog's database with three clerks (password ``PASSWORD``)."""
    add_clerks(db)
    return db


@pytest.fixture
def case_hall(db: Database, tmp_path: Path) -> Database:
    """The test hall whose service SA (materials 身份证原件, 申请表) needs a case number
    for 办结 and 受理, with the three clerks."""
    load_catalog(db, write_catalog(tmp_path, hcp_catalog("Asia/Shanghai")))
    add_clerks(db)
    return db


@pytest.fixture
def demo(tmp_path: Path) -> Iterator[Database]:
    """The demo hall (the Chun'an catalog, open around the clock, demo clerks)."""
    db = prepare_demo_database(tmp_path / "demo.db")
    yield db
    db.dispose()


@pytest.fixture
def owner(qtbot: QtBot) -> Iterator[QObject]:
    """The parent of a test's presenters and runners, deleted on the GUI thread after it."""
    parent = QObject()
    yield parent
    for runner in parent.findChildren(OperationRunner):
        runner.wait_done()
    shiboken6.delete(parent)


def issue(db: Database, service: str = "SA", count: int = 1, kind: str = "normal"
          ) -> list[TicketView]:
    return [issuing.issue_ticket(db, service, site=SITE, kind=kind).ticket for _ in range(count)]


def settle(qtbot: QtBot, *runners: OperationRunner) -> None:
    """Wait until every runner delivered every answer (callbacks run on this thread)."""
    qtbot.waitUntil(lambda: all(runner.idle for runner in runners), timeout=15_000)


def make_presenter(db: Database, owner: QObject, *, window: int | None = None,
                   core: CounterCore | None = None
                   ) -> tuple[CounterPresenter, RecordingView, OperationRunner]:
    runner = OperationRunner(owner)
    view = RecordingView()
    presenter = CounterPresenter(core or CounterCore(db, SITE), runner, view,
                                 fixed_window=window, parent=owner)
    return presenter, view, runner


def logged_in(qtbot: QtBot, db: Database, owner: QObject, login: str, window: int, *,
              core: CounterCore | None = None
              ) -> tuple[CounterPresenter, RecordingView, OperationRunner]:
    presenter, view, runner = make_presenter(db, owner, window=window, core=core)
    presenter.open()
    presenter.login(login, PASSWORD, window)
    settle(qtbot, runner)
    assert view.main is not None, view.login_messages
    assert view.snapshot is not None
    return presenter, view, runner


def call_events(db: Database, ticket_id: int) -> int:
    """How many times the core recorded a call of this ticket."""
    with db.read() as session:
        return int(session.scalar(select(func.count()).select_from(TicketEvent).where(
            TicketEvent.ticket_id == ticket_id, TicketEvent.action == "call")) or 0)


def make_pad(qtbot: QtBot, db: Database, owner: QObject, timeout: float = 30.0, *,
             window: int = 1) -> tuple[EvaluationPresenter, EvaluationPad, OperationRunner]:
    """An evaluation pad and its presenter for clerk 王芳 at ``window``, as the counter
    wires them."""
    runner = OperationRunner(owner)
    pad = EvaluationPad()
    qtbot.addWidget(pad)
    presenter = EvaluationPresenter(CounterCore(db, SITE), runner, pad,
                                    timeout_seconds=timeout, parent=owner)
    connect_pad(pad, presenter)
    presenter.set_clerk("王芳", window)
    return presenter, pad, runner


class CounterWindow:
    """A counter screen bound to a real presenter, as the terminal wires them: shown at
    1366×768 (active, unless ``activate`` is False) and opened on its login page. The
    counter tests' drivers build on it."""

    def __init__(self, qtbot: QtBot, db: Database, owner: QObject, *, site: str = SITE,
                 center: str = "测试服务中心", printer: PrinterSettings | None = None,
                 activate: bool = True) -> None:
        self.qtbot, self.db = qtbot, db
        self.runner = OperationRunner(owner)
        self.core = CounterCore(db, site, printer)
        self.screen = CounterScreen(center)
        qtbot.addWidget(self.screen)
        self.presenter = CounterPresenter(self.core, self.runner, self.screen, parent=owner)
        self.screen.bind(self.presenter)
        self.screen.resize(1366, 768)
        self.screen.show()
        if activate:
            self.screen.activateWindow()
            qtbot.waitExposed(self.screen)
        self.presenter.open()
        self.settle()

    def settle(self) -> None:
        settle(self.qtbot, self.runner)

    def buttons_released(self) -> None:
        """A button's shortcut "animates" its click, which lands about 100 ms later: wait
        for it, then for what it asked the runner to do."""
        self.qtbot.waitUntil(lambda: not any(
            button.isDown() for button in QApplication.allWidgets()
            if isinstance(button, QAbstractButton)))
        self.settle()

"""Putting a counter PC together: connect to the database (retrying until it answers),
then the presenter and its screen, the change feed, the evaluation pad and, if asked
for, the window display; or only the window display (``--window-display``)."""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget

from counter_app.core import CounterCore, PrinterSettings
from counter_app.evaluation import EvaluationPresenter, connect_pad
from counter_app.evaluation_pad import EvaluationPad
from counter_app.presenter import CounterPresenter
from counter_app.screen import CounterScreen
from counter_app.supervisor.main import open_supervisor
from counter_app.window_display import WindowDisplay, WindowDisplayController
from shared.clerks import ClerkView
from shared.config import Config
from shared.db import Database
from shared.errors import DatabaseUnavailable, HallQueueError
from shared.feed import Change, RefreshPacer
from shared.heartbeats import WINDOW_DISPLAY_SUFFIX, default_name
from shared.qt.app import open_database
from shared.qt.errors import describe, show_exception
from shared.qt.feed import FeedThread
from shared.qt.heartbeat import DeviceState, HeartbeatReporter
from shared.qt.ops import OperationRunner
from shared.qt.windows import fit_on_screen
from shared.read.counter_view import concerns_counter
from shared.read.site import SiteInfo, site_info

log = logging.getLogger(__name__)

CONNECT_RETRY_MS = 2000
AUTOLOGIN_ENV = "HALLQ_AUTOLOGIN"  # "login:password" -- for the demo only


@dataclass(frozen=True)
class TerminalOptions:
    window: int | None  # fixed window (--window or counter.window); None: chosen at login
    windowed: bool
    printer_url: str | None = None
    display_screen: int | None = None  # also show the window display on this screen


def place(widget: QWidget, screen_index: int | None, *, windowed: bool,
          size: tuple[int, int], activate: bool = True) -> None:
    """Full screen on screen ``screen_index`` if it exists (and not --windowed), else a
    normal window of ``size``, made smaller if the screen is (e.g. 1366x768).
    ``activate=False`` shows it without taking the keyboard from the active window."""
    screens = QGuiApplication.screens()
    widget.setAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating, not activate)
    if windowed or screen_index is None or not 0 <= screen_index < len(screens):
        if screen_index is not None and not windowed and screen_index >= len(screens):
            log.warning("screen %s not found (%d screens); using a window", screen_index,
                        len(screens))
        widget.resize(*fit_on_screen(size))
        widget.show()
        return
    widget.setGeometry(screens[screen_index].geometry())
    widget.showFullScreen()


class ActivityWatcher(QObject):
    """Calls ``on_activity`` for every key press, click or touch anywhere in the app (the
    counter's idle logout starts over); lets every event through."""

    _EVENTS = (QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.TouchBegin)

    def __init__(self, on_activity: Callable[[], None], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._on_activity = on_activity
        app = QGuiApplication.instance()
        if app is not None:
            app.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in self._EVENTS:
            self._on_activity()
        return False


class Connector(QObject):
    """Opens the database through the runner, retrying while it is unreachable. Once
    stopped (the terminal shut down), a connection that arrives late is closed and not
    passed on: what it would start (the change feed, a QThread) would be destroyed
    running with the terminal, which Qt answers with abort()."""

    def __init__(self, config: Config, runner: OperationRunner,
                 connected: Callable[[Database, SiteInfo], None],
                 failed: Callable[[BaseException], None], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.config, self.runner = config, runner
        self.connected, self.failed = connected, failed
        self._retry = QTimer(self)
        self._retry.setSingleShot(True)
        self._retry.setInterval(CONNECT_RETRY_MS)
        self._retry.timeout.connect(self.connect)
        self._stopped = False

    def connect(self) -> None:
        def open_site() -> tuple[Database, SiteInfo]:
            db = open_database(self.config)
            return db, site_info(db, self.config.site_code)

        self.runner.run(open_site, self._opened, self._failed)

    def stop(self) -> None:
        self._stopped = True
        self._retry.stop()

    def _opened(self, result: tuple[Database, SiteInfo]) -> None:
        db, site = result
        if self._stopped:
            log.info("connected after the terminal shut down; not starting")
            db.dispose()
            return
        self.connected(db, site)

    def _failed(self, exc: BaseException) -> None:
        if self._stopped:
            return
        self.failed(exc)
        if isinstance(exc, DatabaseUnavailable):
            self._retry.start()


class CounterTerminal(QObject):
    """The clerk's counter: login, main screen, evaluation pad, optional window display."""

    def __init__(self, config: Config, options: TerminalOptions,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.config, self.options = config, options
        self.runner = OperationRunner(self)
        self.screen = CounterScreen("")
        self.supervisor_window: QWidget | None = None
        self.presenter: CounterPresenter | None = None
        self.evaluation: EvaluationPresenter | None = None
        self.pad = EvaluationPad()
        self.display: WindowDisplay | None = None
        self.feed: FeedThread | None = None
        self.heartbeat: HeartbeatReporter | None = None
        self.connector = Connector(config, self.runner, self._connected, self._not_connected,
                                   self)

    def start(self) -> None:
        """Show the counter and connect; closing the counter's window quits the terminal
        (the evaluation pad and the window display go with it)."""
        self.screen.closing.connect(QGuiApplication.quit)
        if self.options.windowed:
            self.screen.show()
        else:
            self.screen.showMaximized()
        self.screen.login_page.set_state(False, False)
        self.screen.login_page.show_message(self.tr("正在连接数据库…"))
        self.connector.connect()

    def _not_connected(self, exc: BaseException) -> None:
        self.screen.login_page.set_state(False, False)
        retry = self.tr("（每 2 秒自动重试）") if isinstance(exc, DatabaseUnavailable) else ""
        # describe(): a core refusal's half of the language; anything else is logged and
        # said in the screen's words (its own English words are for the log)
        self.screen.login_page.show_message(f"{describe(exc)[1]}{retry}")

    def _connected(self, db: Database, site: SiteInfo) -> None:
        log.info("counter connected to site %s (%s)", site.code, site.name)
        self.screen.set_site(site.name, site.timezone)
        printer = PrinterSettings.from_config(self.config, self.options.printer_url)
        core = CounterCore(db, site.code, printer)
        self.presenter = presenter = CounterPresenter(
            core, self.runner, self.screen, fixed_window=self.options.window,
            idle_logout_minutes=self.config.counter.idle_logout_minutes, parent=self)
        self._activity = ActivityWatcher(presenter.note_activity, parent=self)
        self.screen.bind(presenter)
        self.screen.open_supervisor = lambda clerk: self._open_supervisor(db, site, clerk)
        self._start_evaluation(core, presenter)

        def concerns(change: Change) -> bool:  # in the feed's thread: only reads
            snapshot = presenter.snapshot
            return snapshot is None or concerns_counter(change, snapshot.window.id,
                                                        snapshot.service_ids)

        self.feed = FeedThread(db, site.id, poll_interval=self.config.poll_interval_ms / 1000,
                               concerns=concerns,
                               pacer=RefreshPacer(self.config.refresh_ms / 1000), parent=self)
        self.feed.changed.connect(presenter.on_changed)
        presenter.reading.connect(self.feed.read_started)
        self.feed.online_changed.connect(presenter.on_online_changed)
        if self.options.display_screen is not None:
            self._start_display(db, site)
        self.feed.start()
        presenter.open()
        self._autologin(presenter)
        self.heartbeat = HeartbeatReporter(
            db, "counter", default_name("counter", self.options.window), site.code,
            lambda: DeviceState(printer=None), parent=self)
        self.heartbeat.start()

    def _open_supervisor(self, db: Database, site: SiteInfo, clerk: ClerkView) -> None:
        """A supervisor logged in at this counter opens the supervisor view (one window,
        raised again if already open)."""
        if self.supervisor_window is not None and self.supervisor_window.isVisible():
            self.supervisor_window.raise_()
            self.supervisor_window.activateWindow()
            return
        try:
            self.supervisor_window = open_supervisor(
                db, site.code, clerk, rules=self.config.follow_up_rules,
                refresh_interval=self.config.refresh_ms / 1000)
        except HallQueueError as exc:
            show_exception(self.screen, exc)

    def _start_evaluation(self, core: CounterCore, presenter: CounterPresenter) -> None:
        self.evaluation = evaluation = EvaluationPresenter(
            core, self.runner, self.pad,
            timeout_seconds=self.config.counter.evaluation_timeout_seconds, parent=self)
        connect_pad(self.pad, evaluation)
        presenter.ticket_finished.connect(
            lambda view: evaluation.ask(view, presenter.cases_of(view.id)))
        presenter.session_changed.connect(
            lambda clerk: evaluation.set_clerk(clerk.display_name if clerk else "",
                                               presenter.window))
        evaluation.set_clerk("", self.options.window)
        screen = self.config.counter.evaluation_screen
        # The pad never takes the keyboard: on a single screen it is a window over the
        # counter, and the clerk's login<Tab>password<Enter> must reach the login form.
        place(self.pad, screen if screen >= 0 else None, windowed=self.options.windowed,
              size=(1024, 600), activate=False)
        self._give_keyboard_to_counter()

    def _give_keyboard_to_counter(self) -> None:
        self.screen.raise_()
        self.screen.activateWindow()

    def _start_display(self, db: Database, site: SiteInfo) -> None:
        assert self.presenter is not None and self.feed is not None
        self.display = display = WindowDisplay()
        controller = WindowDisplayController(db, site.code, self.options.window or 0,
                                             self.runner, display, self)
        presenter = self.presenter

        def follow(clerk: ClerkView | None) -> None:
            if presenter.window is not None:
                controller.window = presenter.window
            if controller.window:
                controller.refresh()

        presenter.session_changed.connect(follow)
        self.feed.changed.connect(lambda *_: controller.window and controller.refresh())
        self.feed.online_changed.connect(display.set_online)
        place(display, self.options.display_screen, windowed=self.options.windowed,
              size=(1280, 720), activate=False)
        self._give_keyboard_to_counter()
        if controller.window:
            controller.refresh()

    def _autologin(self, presenter: CounterPresenter) -> None:
        value = os.environ.get(AUTOLOGIN_ENV, "")
        if not value:
            return
        login, sep, password = value.partition(":")
        if not sep or not self.options.window:
            log.warning("%s needs login:password and a fixed window (--window); ignored",
                        AUTOLOGIN_ENV)
            return
        log.warning("demo auto-login as %s at window %s (%s)", login, self.options.window,
                    AUTOLOGIN_ENV)
        presenter.login(login, password, self.options.window)

    def shutdown(self) -> None:
        """On quit: end an open evaluation as not rated, log out, stop the feed."""
        self.connector.stop()
        if self.evaluation is not None:
            self.evaluation.time_out()
        if self.presenter is not None and self.presenter.logged_in:
            self.presenter.logout()
        self.runner.wait_done(5000)
        if self.feed is not None:
            self.feed.stop()


class DisplayTerminal(QObject):
    """Only the window display of one window (``--window-display``), e.g. on a small PC
    behind the monitor above the window."""

    def __init__(self, config: Config, window: int, *, windowed: bool,
                 screen: int | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.config, self.window = config, window
        self.windowed, self.screen_index = windowed, screen
        self.runner = OperationRunner(self)
        self.display = WindowDisplay()
        self.feed: FeedThread | None = None
        self.heartbeat: HeartbeatReporter | None = None
        self.connector = Connector(config, self.runner, self._connected,
                                   lambda exc: self.display.set_online(False), self)

    def start(self) -> None:
        place(self.display, self.screen_index if self.screen_index is not None else 0,
              windowed=self.windowed, size=(1280, 720))
        self.display.set_online(False)
        self.connector.connect()

    def _connected(self, db: Database, site: SiteInfo) -> None:
        controller = WindowDisplayController(db, site.code, self.window, self.runner,
                                             self.display, self)
        self.feed = FeedThread(db, site.id, poll_interval=self.config.poll_interval_ms / 1000,
                               concerns=controller.concerns, parent=self)
        self.feed.changed.connect(controller.refresh)
        self.feed.online_changed.connect(controller.on_online_changed)
        self.feed.start()
        controller.refresh()
        self.heartbeat = HeartbeatReporter(
            db, "display", f"{default_name('display')}/{self.window}{WINDOW_DISPLAY_SUFFIX}",
            site.code, parent=self)
        self.heartbeat.start()

    def shutdown(self) -> None:
        self.connector.stop()
        self.runner.wait_done(3000)
        if self.feed is not None:
            self.feed.stop()

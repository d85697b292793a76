"""The counter's session logic, apart from any widget: login, the clerk's lease, the
change feed, the online state and the snapshot the screen shows (the actions build on it
in :mod:`counter_app.presenter`).

The screen stays equal to the database: after every action, and whenever the change feed
reports a change anywhere at the site, a fresh snapshot is read. Reads may be repeated
after a lost connection; writes never are.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import replace
from typing import Any, Protocol

from PySide6.QtCore import QObject, QTimer, Signal

from counter_app.actions import CounterAction, enabled_actions
from counter_app.core import CounterCore
from shared import vocabulary
from shared.clerks import ClerkView
from shared.errors import DatabaseUnavailable, HallQueueError, LoginRefused
from shared.i18n import one_language
from shared.read.counter_view import CounterSnapshot, WindowRef
from shared.views import TicketView

log = logging.getLogger(__name__)

LEASE_RENEW_MS = 30_000  # the core's lease lasts 90 s
RETRY_READ_MS = 1_000  # re-reading after a lost connection (reads are safe to repeat)


class Runner(Protocol):
    """What the presenter needs of :class:`shared.qt.ops.OperationRunner`."""

    def run(self, fn: Callable[[], Any], on_success: Callable[[Any], None] | None = None,
            on_failure: Callable[[BaseException], None] | None = None) -> int: ...


class CounterView(Protocol):
    """The passive screen the presenter drives."""

    def show_login(self, message: str) -> None: ...
    def show_windows(self, windows: list[WindowRef], fixed: int | None) -> None: ...
    def show_main(self, clerk: ClerkView, window: int) -> None: ...
    def show_snapshot(self, snapshot: CounterSnapshot) -> None: ...
    def show_clock(self, now: dt.datetime) -> None: ...
    def set_enabled_actions(self, actions: frozenset[CounterAction]) -> None: ...
    def set_online(self, online: bool) -> None: ...
    def set_busy(self, busy: bool) -> None: ...
    def show_status(self, text: str, warning: bool = False) -> None: ...
    def show_error(self, exc: BaseException) -> None: ...
    def confirm(self, title: str, question: str, accept_text: str,
                accepted: Callable[[], None]) -> None: ...


class SessionPresenter(QObject):
    ticket_finished = Signal(object)  # TicketView: the evaluation pad asks the citizen
    window_changed = Signal(object)  # WindowView: the window display follows it
    session_changed = Signal(object)  # ClerkView or None: logged in / out
    reading = Signal()  # a read of the screen began: the feed holds back what it shows

    def __init__(self, core: CounterCore, runner: Runner, view: CounterView, *,
                 fixed_window: int | None = None, idle_logout_minutes: float = 15,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        # A clerk who walks away is logged out after this long without a key or a click
        # (0: never); the ticket the window holds stays held, to be resumed after login.
        self._idle_timer = QTimer(self)
        self._idle_timer.setSingleShot(True)
        self._idle_timer.setInterval(int(max(idle_logout_minutes, 0) * 60_000))
        self._idle_timer.timeout.connect(self._idle_logout)
        self._idle_logout_enabled = idle_logout_minutes > 0
        self.core = core
        self.runner = runner
        # Ticket id -> the case numbers it was finished with, until the pad asks.
        self.finished_cases: dict[int, list[str]] = {}
        self.view = view
        self.fixed_window = fixed_window or None
        self.can_print = core.printer is not None
        self.clerk: ClerkView | None = None
        self.window: int | None = None
        self.snapshot: CounterSnapshot | None = None
        self.pending: CounterAction | None = None
        self._session_busy = False
        self._feed_online = True
        self._reads_ok = True
        self._refreshing = False
        self._refresh_again = False
        self._reads_started = 0
        # After an action, its button stays blocked until a snapshot read that started
        # after the action's answer arrives (an older read would show the state before).
        self._settle_after: int | None = None
        # The answer last shown without reading (show_answer) and the last read begun
        # before it: such a read may bring the ticket as it was before the action.
        self._answer: TicketView | None = None
        self._answered_after = 0
        # An action whose answer was lost: (action, its work with its request key, what
        # to do with its result); asked again when a read succeeds.
        self.lost_action: tuple[CounterAction, Callable[[], Any], Callable[[Any], None]] \
            | None = None
        self._clock_offset = dt.timedelta(0)
        self._lease_timer = QTimer(self)
        self._lease_timer.setInterval(LEASE_RENEW_MS)
        self._lease_timer.timeout.connect(self.renew_lease)
        self._clock_timer = QTimer(self)
        self._clock_timer.setInterval(1000)
        self._clock_timer.timeout.connect(self._tick)
        self._retry_timer = QTimer(self)
        self._retry_timer.setSingleShot(True)
        self._retry_timer.setInterval(RETRY_READ_MS)
        self._retry_timer.timeout.connect(self._retry_reads)

    # ------------------------------------------------------------------ state

    @property
    def online(self) -> bool:
        return self._feed_online and self._reads_ok

    @property
    def logged_in(self) -> bool:
        return self.clerk is not None and self.window is not None

    def enabled(self) -> frozenset[CounterAction]:
        """The actions the clerk may take now: none while offline or while an action is on
        its way; otherwise what the transition table allows for the held ticket."""
        if not self.logged_in or not self.online or self.pending or self._session_busy or \
                self.snapshot is None:
            return frozenset()
        held = self.snapshot.held
        return enabled_actions(held.state if held else None, paused=self.snapshot.window.paused,
                               can_print=self.can_print)

    def now(self) -> dt.datetime:
        """The database server's time, as last measured against this PC's clock."""
        return dt.datetime.now(dt.UTC) + self._clock_offset

    def _update_controls(self) -> None:
        self.view.set_enabled_actions(self.enabled())
        self.view.set_online(self.online)
        self.view.set_busy(self.pending is not None or self._session_busy)

    # ------------------------------------------------------------------ login

    def open(self) -> None:
        """Show the login screen (and the windows to choose from, if not fixed)."""
        self.view.show_login("")
        self._update_controls()
        self.load_windows()

    def load_windows(self) -> None:
        self.runner.run(self.core.windows, self._show_windows, self._read_failed)

    def _show_windows(self, windows: list[WindowRef]) -> None:
        self._reads_ok = True
        self._update_controls()
        self.view.show_windows(windows, self.fixed_window)

    def login(self, login: str, password: str, window: int | None) -> None:
        window = self.fixed_window or window
        if not login.strip() or not password:
            self.view.show_login(self.tr("请输入工号和密码"))
            return
        if not window:
            self.view.show_login(self.tr("请选择窗口"))
            return
        if self._session_busy or self.logged_in:
            return
        self._session_busy = True
        self._update_controls()
        self.runner.run(lambda: self.core.login(login.strip(), password, window),
                        lambda clerk: self._logged_in(clerk, window), self._login_failed)

    def _logged_in(self, clerk: ClerkView, window: int) -> None:
        self._session_busy = False
        self.clerk, self.window, self.snapshot = clerk, window, None
        log.info("clerk %s logged in at window %s", clerk.login, window)
        self.view.show_main(clerk, window)
        self._lease_timer.start()
        self._clock_timer.start()
        self.note_activity()
        self.session_changed.emit(clerk)
        self.refresh()

    def _login_failed(self, exc: BaseException) -> None:
        """A refusal (wrong password, locked, window taken) is shown on the login screen,
        as the core words it; an unexpected failure goes to the error dialog."""
        self._session_busy = False
        self._update_controls()
        if not isinstance(exc, HallQueueError):
            self.view.show_error(exc)
            return
        if not isinstance(exc, LoginRefused):
            self._read_failed(exc)
        self.view.show_login(one_language(str(exc)))

    def logout(self) -> None:
        if not self.logged_in or self.pending or self._session_busy:
            return
        assert self.clerk is not None and self.window is not None
        login, window = self.clerk.login, self.window
        self._session_busy = True  # blocks every button until the answer
        self._update_controls()
        self.runner.run(lambda: self.core.logout(login, window),
                        lambda _: self._end_session(""), self._logout_failed)

    def _logout_failed(self, exc: BaseException) -> None:
        self._session_busy = False
        self._update_controls()
        if isinstance(exc, DatabaseUnavailable):
            self._read_failed(exc)
        self.view.show_error(exc)

    def _end_session(self, message: str) -> None:
        self._session_busy = False
        self.pending, self._settle_after, self.lost_action = None, None, None
        self.clerk, self.window, self.snapshot = None, None, None
        self._lease_timer.stop()
        self._clock_timer.stop()
        self._idle_timer.stop()
        self.session_changed.emit(None)
        self.view.show_login(message)
        self._update_controls()

    def note_activity(self) -> None:
        """The clerk touched the counter (a key, a click): the idle logout starts over."""
        if self.logged_in and self._idle_logout_enabled:
            self._idle_timer.start()

    def _idle_logout(self) -> None:
        if not self.logged_in:
            return
        if self.pending or self._session_busy:  # an action on its way: look again later
            self._idle_timer.start()
            return
        assert self.clerk is not None and self.window is not None
        login, window = self.clerk.login, self.window
        held = self.snapshot.held.number if self.snapshot and self.snapshot.held else None
        log.info("clerk %s logged out at window %s after %d min idle (held ticket %s kept)",
                 login, window, self._idle_timer.interval() // 60_000, held)
        message = self.tr("长时间未操作，已自动退出登录")
        if held:
            message += self.tr("；{number} 仍由本窗口保留，重新登录后可继续办理").format(number=held)
        self._session_busy = True
        self._update_controls()
        self.runner.run(lambda: self.core.logout(login, window),
                        lambda _: self._end_session(message), self._logout_failed)

    def renew_lease(self) -> None:
        if not self.logged_in:
            return
        assert self.clerk is not None and self.window is not None
        login, window = self.clerk.login, self.window
        self.runner.run(lambda: self.core.renew_lease(login, window), None,
                        self._lease_failed)

    def _lease_failed(self, exc: BaseException) -> None:
        if isinstance(exc, LoginRefused):
            self._end_session(one_language(str(exc)))
        else:
            self._read_failed(exc)

    # ------------------------------------------------------------------ the change feed

    def on_online_changed(self, online: bool) -> None:
        """From the change feed: the database went away or came back."""
        self._feed_online = online
        if online:
            self._reads_ok = True
            self.refresh()
            self.renew_lease()
            if self.fixed_window is None and not self.logged_in:
                self.load_windows()
        self._update_controls()

    def on_changed(self, _change: object = None) -> None:
        self.refresh()

    def refresh(self) -> None:
        """Read the window, its queue and the clerk's day again; coalesces bursts."""
        if not self.logged_in:
            return
        if self._refreshing:
            self._refresh_again = True
            return
        assert self.clerk is not None and self.window is not None
        self._refreshing = True
        self.reading.emit()
        self._reads_started += 1
        sequence = self._reads_started
        login, window = self.clerk.login, self.window
        self.runner.run(lambda: self.core.snapshot(window, login),
                        lambda snapshot: self._show_snapshot(snapshot, sequence),
                        self._snapshot_failed)

    def settle_after_next_read(self) -> None:
        """Keep the pending action blocking the buttons until a read that starts from now
        on has been shown."""
        self._settle_after = self._reads_started + 1
        self.refresh()

    def show_answer(self, held: TicketView) -> None:
        """Show the held ticket as the clerk's own action left it (start, recall), from
        the action's answer, without reading again: such an action changes nothing else the
        screen shows (the queue, the next calls, the clerk's day), and what others change
        meanwhile comes through the feed. Anything else: read as after every action."""
        snapshot = self.snapshot
        if snapshot is None or snapshot.held is None or snapshot.held.id != held.id:
            self.settle_after_next_read()
            return
        self._answer, self._answered_after = held, self._reads_started
        self._settle_after = None
        self.pending = None
        self._display(replace(snapshot, window=replace(snapshot.window, current_ticket=held)))

    def _settled(self, sequence: int | None) -> None:
        if self._settle_after is not None and (sequence is None or sequence >= self._settle_after):
            self._settle_after = None
            self.pending = None

    def _show_snapshot(self, snapshot: CounterSnapshot, sequence: int) -> None:
        self._refreshing = False
        if sequence <= self._answered_after and snapshot.held != self._answer:
            # Begun before the answer the screen shows and not showing it: older than the
            # screen, or changed again since; read again to know.
            self._refresh_again = False
            self.refresh()
            return
        self._settled(sequence)
        if not self.logged_in or snapshot.window.number != self.window:
            return
        assert self.clerk is not None
        if snapshot.window.clerk is None:
            # Our own lease ran out (the PC slept, or lost the database for longer than the
            # lease), so nobody is shown at the window: renew it now. The renewal is refused,
            # ending this session, if another clerk took the window meanwhile.
            self.renew_lease()
        elif snapshot.window.clerk != self.clerk.login:
            self._end_session(self.tr("{window} 号窗口已不在您的名下（租约过期后被他人登录或被管理员退出），"
                                      "请重新登录").format(window=self.window))
            return
        self._reads_ok = True
        self._clock_offset = snapshot.server_now - dt.datetime.now(dt.UTC)
        self._display(snapshot)
        if self.lost_action is not None:
            self.ask_again_after_lost_answer()
        if self._refresh_again:
            self._refresh_again = False
            self.refresh()

    def _display(self, snapshot: CounterSnapshot) -> None:
        self.snapshot = snapshot
        self.view.show_snapshot(snapshot)
        self.view.show_clock(self.now())
        self.window_changed.emit(snapshot.window)
        self._update_controls()

    def ask_again_after_lost_answer(self) -> None:
        """Repeat the action whose answer was lost (the counter presenter does)."""

    def _snapshot_failed(self, exc: BaseException) -> None:
        self._refreshing = False
        self._refresh_again = False
        self._settled(None)
        self._read_failed(exc)
        if not isinstance(exc, DatabaseUnavailable):
            self.view.show_error(exc)

    def _read_failed(self, exc: BaseException) -> None:
        if isinstance(exc, DatabaseUnavailable):
            self._reads_ok = False
            self._update_controls()
            self._retry_timer.start()
        else:
            log.warning("counter read failed: %s", exc)

    def _retry_reads(self) -> None:
        if self.logged_in:
            self.refresh()
        else:
            self.load_windows()

    def _tick(self) -> None:
        self.view.show_clock(self.now())

    def describe_window(self) -> str:
        """What the window holds now, in one line."""
        held = self.snapshot.held if self.snapshot else None
        if held is None:
            return self.tr("本窗口当前没有办理中的号")
        return self.tr("本窗口当前为 {number}（{state}）").format(
            number=held.number, state=vocabulary.state_label(held.state))

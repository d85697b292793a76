"""The kiosk's window: the passive view the presenter drives.

It owns the screens, the idle timer, the change feed and full-screen mode; every
decision is the presenter's.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QCloseEvent, QKeyEvent, QResizeEvent
from PySide6.QtWidgets import QApplication, QLayout, QStackedWidget, QVBoxLayout, QWidget

from kiosk_app import texts
from kiosk_app.backend import ServiceOffer, TakeResult
from kiosk_app.display.screens import ScreenKeeper
from kiosk_app.keypad_screens import (
    APPOINTMENT_CODE_MAX,
    PIN_MAX,
    KeypadScreen,
    StaffScreen,
    pin_texts,
)
from kiosk_app.presenter import (
    Department,
    KioskPresenter,
    NoticeKind,
    PauseReason,
    PinPurpose,
)
from kiosk_app.screens import (
    DepartmentScreen,
    GuideScreen,
    KioskScreen,
    NoticeScreen,
    PausedScreen,
    ResultScreen,
    StartScreen,
)
from kiosk_app.voice_guide import VoiceGuide
from kiosk_app.widgets import CountdownBar, Header, label
from resources import resource_path
from shared.db import Database
from shared.feed import REFRESH_INTERVAL_S, RefreshPacer
from shared.help_requests import HelpRequestView
from shared.i18n import one_language
from shared.pins import PinRefusal
from shared.qt.clock import MinuteClock
from shared.qt.feed import FeedThread
from shared.read.kiosk_view import concerns_kiosk, concerns_kiosk_staff
from shared.views import TicketView

log = logging.getLogger(__name__)

# How often the printer is asked whether it is ready (its state is on the start screen).
PRINTER_CHECK_MS = 15_000
# Narrower than this, the header's clock shows the time without the full date.
COMPACT_HEADER_WIDTH = 1500
STYLE_SHEET = "hallq-kiosk.qss"
# How long the note that voice guidance cannot speak stays under the header.
VOICE_NOTE_MS = 10_000
_ACTIVITY = {QEvent.Type.MouseButtonPress, QEvent.Type.TouchBegin, QEvent.Type.KeyPress}


def load_style() -> str:
    """The kiosk's style sheet, applied to its window so it holds however it is started."""
    try:
        return resource_path("styles", STYLE_SHEET).read_text(encoding="utf-8")
    except FileNotFoundError:
        log.warning("style sheet %s is missing; the kiosk will look plain", STYLE_SHEET)
        return ""


class KioskWindow(QWidget):
    """Header above a stack of screens; implements the presenter's KioskView."""

    def __init__(self, *, orientation: str = "auto", poll_interval: float = 0.25,
                 refresh_interval: float = REFRESH_INTERVAL_S,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("kiosk")
        self.setWindowTitle(self.tr("取号机"))
        self.setStyleSheet(load_style())
        self.orientation = orientation
        self.poll_interval = poll_interval
        self.refresh_interval = refresh_interval
        self.presenter: KioskPresenter | None = None
        self.feed: FeedThread | None = None
        # Set by shutdown(): the connection's result may arrive later and must start no
        # feed (destroyed running with the window, Qt answers with abort()) nor retry.
        self._shut_down = False
        self.fullscreen = False
        # Full screen on the primary screen, also without a window manager (the hall
        # display's keeper: it sets the screen's geometry before showFullScreen).
        self.screen_keeper = ScreenKeeper(self, "", fullscreen=False)
        self._may_close = False
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        # The window follows its screen; the header and pages adapt to it after a resize
        # (compact clock, fewer columns), so their current minimum must not hold it wider.
        layout.setSizeConstraint(QLayout.SizeConstraint.SetNoConstraint)
        self.header = Header()
        layout.addWidget(self.header)
        self.stack = QStackedWidget()
        # Screens re-arrange themselves after a resize; their portrait minimum must not
        # stop the window from turning landscape first.
        self.stack.setMinimumSize(1, 1)
        layout.addWidget(self.stack, 1)
        # Why voice guidance stays off, for the citizen who asked for it (a few seconds).
        self.voice_note = label(self.tr("本机暂不能语音播报，请到导服台"), "voiceNote",
                                align=Qt.AlignmentFlag.AlignCenter)
        self.voice_note.hide()
        layout.addWidget(self.voice_note)
        self._voice_note_timer = QTimer(self)
        self._voice_note_timer.setSingleShot(True)
        self._voice_note_timer.setInterval(VOICE_NOTE_MS)
        self._voice_note_timer.timeout.connect(self.voice_note.hide)
        self.countdown = CountdownBar()
        self.countdown.hide()
        layout.addWidget(self.countdown)
        self.voice = VoiceGuide(self)
        self.voice.unavailable.connect(self._voice_unavailable)
        self._printer_problem: str | None = None
        self.start_screen = StartScreen()
        self.department_screen = DepartmentScreen()
        self.guide_screen = GuideScreen()
        self.result_screen = ResultScreen()
        self.check_in_screen = KeypadScreen(APPOINTMENT_CODE_MAX, masked=False)
        self.pin_screen = KeypadScreen(PIN_MAX, masked=True)
        self.staff_screen = StaffScreen()
        self.notice_screen = NoticeScreen()
        self.paused_screen = PausedScreen()
        for screen in self.screens():
            self.stack.addWidget(screen)
        self.stack.setCurrentWidget(self.paused_screen)
        self._idle = QTimer(self)
        self._idle.setSingleShot(True)
        self._idle_seconds: int | None = None
        self._idle_deadline = 0.0
        self._tick = QTimer(self)
        self._tick.setInterval(1000)
        self._tick.timeout.connect(self._show_countdown)
        # The clock decides which services are open even when nothing changes in the
        # database: re-read as each minute begins (the same clock as the hall display).
        self.clock = MinuteClock(self)
        self.printer_timer = QTimer(self)
        self.printer_timer.setInterval(PRINTER_CHECK_MS)
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)

    def screens(self) -> list[KioskScreen]:
        return [self.start_screen, self.department_screen, self.guide_screen,
                self.result_screen, self.check_in_screen, self.pin_screen, self.staff_screen,
                self.notice_screen, self.paused_screen]

    def bind(self, presenter: KioskPresenter) -> None:
        """Connect every screen's signals to the presenter's methods."""
        self.presenter = presenter
        p = presenter
        self.start_screen.department_chosen.connect(p.choose_department)
        self.start_screen.service_chosen.connect(p.choose_service)
        self.start_screen.check_in.connect(p.open_check_in)
        self.start_screen.staff.connect(p.open_staff)
        self.department_screen.service_chosen.connect(p.choose_service)
        self.department_screen.back.connect(p.back)
        self.guide_screen.take.connect(p.take_number)
        self.guide_screen.back.connect(p.back)
        self.result_screen.done.connect(p.home)
        self.check_in_screen.submitted.connect(p.submit_check_in)
        self.check_in_screen.back.connect(p.back)
        self.pin_screen.submitted.connect(p.submit_pin)
        self.pin_screen.back.connect(p.back)
        self.staff_screen.green.connect(p.issue_green)
        self.staff_screen.reprint.connect(p.reprint)
        self.staff_screen.leave.connect(p.home)
        self.staff_screen.exit_fullscreen.connect(
            lambda: p.request_exit(PinPurpose.EXIT_FULLSCREEN))
        self.staff_screen.quit.connect(lambda: p.request_exit(PinPurpose.QUIT))
        self.staff_screen.acknowledge.connect(p.acknowledge_help)
        self.header.help_pressed.connect(p.call_help)
        self.header.voice_toggled.connect(self._voice_toggled)
        self.countdown.extend.connect(p.extend_time)
        self.notice_screen.back.connect(p.back)
        self.paused_screen.restart.connect(p.home)
        self._idle.timeout.connect(p.idle_timeout)
        self.clock.minute.connect(p.refresh)
        self.clock.start()
        self.printer_timer.timeout.connect(p.check_printer)
        self.printer_timer.start()

    # ------------------------------------------------------------------ KioskView

    def _show(self, screen: KioskScreen) -> None:
        changed = self.stack.currentWidget() is not screen
        self.stack.setCurrentWidget(screen)
        if screen is self.start_screen and changed:
            # Back at the start: the next citizen has not asked for a voice.
            if self.voice.enabled:
                self.header.voice_button.setChecked(False)
            self.voice_note.hide()
        if changed:  # not on every refresh of the same page (the queue changes often)
            self.voice.read(screen.speech())

    def _voice_toggled(self, on: bool) -> None:
        if not self.voice.set_enabled(on):
            self._voice_unavailable("no voice engine")
            return
        if not on:
            return
        current = self.stack.currentWidget()
        if isinstance(current, KioskScreen):
            self.voice.read(current.speech())

    def _voice_unavailable(self, _reason: str) -> None:
        """Guidance cannot speak: the button goes back off and the note says so."""
        self.header.voice_button.setChecked(False)
        self.voice_note.show()
        self._voice_note_timer.start()

    def show_start(self, site_name: str, departments: list[Department] | None,
                   offers: list[ServiceOffer]) -> None:
        self.header.set_title(site_name)
        self.start_screen.show_choices(departments, offers, self._printer_problem is not None)
        self._show(self.start_screen)

    def show_department(self, department: Department) -> None:
        self.department_screen.show_department(department, self._printer_problem is not None)
        self._show(self.department_screen)

    def set_printer_problem(self, problem: str | None) -> None:
        self._printer_problem = problem
        self.start_screen.set_printer_problem(problem)

    def show_guide(self, offer: ServiceOffer) -> None:
        self.guide_screen.show_offer(offer)
        self._show(self.guide_screen)

    def show_result(self, result: TakeResult) -> None:
        ticket = result.issued.ticket
        printed = result.print_result
        state = "none" if printed is None else ("printed" if printed.printed else "failed")
        self.result_screen.show_result(
            ticket.kind, ticket.number, ticket.service_name, result.issued.windows,
            result.issued.people_ahead, result.issued.estimated_wait_minutes, state,
            (result.issued.wait_low_minutes, result.issued.wait_high_minutes))
        self._show(self.result_screen)

    def show_check_in(self) -> None:
        self.check_in_screen.reset(self.tr("预约签到"),
                                   self.tr("请输入短信中的预约码，然后点“确认”"))
        self._show(self.check_in_screen)

    def show_pin(self, purpose: PinPurpose, refusal: PinRefusal | None = None,
                 wait_s: int = 0) -> None:
        title, hint = pin_texts(purpose)
        problem = ""
        if refusal is PinRefusal.WRONG:
            problem = self.tr("密码不正确，请重新输入")
            if wait_s:
                problem = self.tr("密码不正确，请 {seconds} 秒后再试").format(seconds=wait_s)
        elif refusal is PinRefusal.WAIT:
            problem = self.tr("错误次数过多，请 {seconds} 秒后再试").format(seconds=wait_s)
        elif refusal is PinRefusal.LOCKED:
            problem = self.tr("错误次数过多，已锁定：请输入管理员密码或由信息科重启本机")
        elif refusal is PinRefusal.NOT_SET:
            problem = self.tr("本机未设置此密码：请信息科用 hallq-admin pin hash 生成并写入配置文件")
        self.pin_screen.reset(title, hint, problem)
        self._show(self.pin_screen)

    def show_staff(self, offers: list[ServiceOffer], pending: list[TicketView] | None,
                   help_requests: list[HelpRequestView] | None) -> None:
        zone = self.presenter.site.zone if self.presenter and self.presenter.site else None
        self.staff_screen.show_staff(offers, pending, help_requests, zone)  # type: ignore[arg-type]
        self._show(self.staff_screen)

    def show_notice(self, kind: NoticeKind, message: str) -> None:
        help_text = self.tr("如需帮助，请到导服台咨询工作人员。")
        titles = {
            NoticeKind.PRINTER: self.tr("暂时无法取号"),
            NoticeKind.REFUSED: self.tr("无法取号"),
            NoticeKind.REPRINTED: self.tr("补打完成"),
            NoticeKind.REPRINT_FAILED: self.tr("补打失败"),
            NoticeKind.ERROR: self.tr("系统出错"),
            NoticeKind.HELP_CALLED: self.tr("已呼叫工作人员"),
        }
        good = kind in (NoticeKind.REPRINTED, NoticeKind.HELP_CALLED)
        if kind is NoticeKind.REPRINTED:
            message, help_text = self.tr("凭条 {number} 已打印").format(number=message), ""
        elif kind is NoticeKind.REPRINT_FAILED:
            # Staff are reading this at the kiosk: what to check, not where to ask.
            message = texts.printer_text(message)
            help_text = self.tr("请检查打印机的纸张、电源和连线，然后再点“补打”。")
        elif kind is NoticeKind.PRINTER:
            message = texts.printer_text(message) + "\n" + self.tr("未取号，请稍后再试。")
        elif kind is NoticeKind.HELP_CALLED:
            message = self.tr("导服台工作人员马上过来，请在本机旁稍候。")
            help_text = ""
        elif message:
            message = one_language(message)
        else:  # an unexpected failure: what it was is in the log
            message = self.tr("本机暂时无法完成操作，请稍后再试。")
        self.notice_screen.show_notice(titles[kind], message, help_text, good=good)
        self._show(self.notice_screen)

    def show_paused(self, reason: PauseReason) -> None:
        self.paused_screen.show_reason(reason.value)
        self._show(self.paused_screen)

    def set_busy(self, busy: bool) -> None:
        # Every action is off while an operation is in flight: a second tap does nothing.
        self.stack.setEnabled(not busy)
        if busy:
            QApplication.setOverrideCursor(Qt.CursorShape.BusyCursor)
        else:
            QApplication.restoreOverrideCursor()

    def set_idle_timeout(self, seconds: int | None) -> None:
        self._idle_seconds = seconds
        self._restart_idle()

    def extend_idle(self, seconds: int) -> None:
        if not self._idle.isActive():
            return
        left = max(0.0, self._idle_deadline - time.monotonic())
        self._idle_seconds = round(left) + seconds
        self._restart_idle()

    def watch_site(self, site_id: int) -> None:
        if self._shut_down or self.feed is not None or self.presenter is None:
            return
        assert self.presenter.backend is not None
        if self.presenter.site is not None:
            self.header.set_time_zone(self.presenter.site.timezone)
        db: Database = self.presenter.backend.db
        self.feed = FeedThread(db, site_id, poll_interval=self.poll_interval,
                               concerns=concerns_kiosk,
                               pacer=RefreshPacer(self.refresh_interval), parent=self)
        self.feed.changed.connect(lambda _version: self.presenter and self.presenter.refresh())
        self.feed.online_changed.connect(self.presenter.set_online)
        self.stack.currentChanged.connect(self._follow_staff_mode)
        self._follow_staff_mode()
        self.feed.start()

    def _follow_staff_mode(self, _index: int = 0) -> None:
        """In staff mode the feed also passes on failed slips and help requests."""
        if self.feed is not None:
            self.feed.concerns = (concerns_kiosk_staff
                                  if self.stack.currentWidget() is self.staff_screen
                                  else concerns_kiosk)

    def call_later(self, seconds: float, callback: Callable[[], None]) -> None:
        if self._shut_down:  # e.g. a start-up retry answered after the kiosk closed
            return
        QTimer.singleShot(int(seconds * 1000), self, callback)

    def set_fullscreen(self, fullscreen: bool) -> None:
        self.fullscreen = fullscreen
        self.screen_keeper.set_fullscreen(fullscreen)

    def quit(self) -> None:
        self._may_close = True
        self.close()

    # ------------------------------------------------------------------ Qt plumbing

    def _restart_idle(self) -> None:
        self._idle.stop()
        self._tick.stop()
        if self._idle_seconds is None:
            self._show_countdown()
            return
        self._idle.start(self._idle_seconds * 1000)
        self._idle_deadline = time.monotonic() + self._idle_seconds
        self._tick.start()
        self._show_countdown()

    def _show_countdown(self) -> None:
        left = None
        if self._idle.isActive():
            left = max(0, round(self._idle_deadline - time.monotonic()))
        self.countdown.set_seconds(left)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # Any touch keeps the current screen open for another idle period.
        if event.type() in _ACTIVITY and self._idle.isActive():
            self._restart_idle()
        return False

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        size = event.size()
        portrait = self.orientation == "portrait" or (
            self.orientation == "auto" and size.height() >= size.width())
        for screen in self.screens():
            screen.set_portrait(portrait)
        self.setProperty("portrait", portrait)
        self.header.set_compact(size.width() < COMPACT_HEADER_WIDTH)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        # A keyboard is only plugged in for maintenance; Esc asks for the admin PIN.
        if event.key() == Qt.Key.Key_Escape and self.presenter is not None:
            self.presenter.request_exit(PinPurpose.EXIT_FULLSCREEN)
            return
        super().keyPressEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self._may_close and self.presenter is not None:
            event.ignore()
            self.presenter.request_exit(PinPurpose.QUIT)
            return
        self.shutdown()
        event.accept()

    def shutdown(self) -> None:
        """Stop the feed thread and timers (closing, and in tests)."""
        self._shut_down = True
        if self.presenter is not None:  # nor a heartbeat on a late connection
            self.presenter.on_ready = None
        self.clock.stop()
        self.printer_timer.stop()
        self.voice.stop()
        self._idle.stop()
        self._tick.stop()
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
        if self.feed is not None:
            self.feed.stop()
            self.feed = None

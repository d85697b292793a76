"""The counter's main window: the login page and the main page, the dialogs behind the
buttons, and the hand-off of every user intent to the presenter. It implements
:class:`counter_app.session.CounterView` and holds no logic of its own."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from zoneinfo import ZoneInfo

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QDialog, QMainWindow, QStackedWidget, QWidget

from counter_app import labels
from counter_app.actions import CounterAction
from counter_app.dialogs import (
    ConfirmDialog,
    FinishDialog,
    NumberDialog,
    PauseDialog,
    ReinstateDialog,
    TransferDialog,
)
from counter_app.login_page import LoginPage
from counter_app.main_page import MainPage
from counter_app.materials_notice import MaterialsNotice, print_notice
from counter_app.presenter import CounterPresenter
from counter_app.style import apply_counter_style
from shared import vocabulary
from shared.clerks import ClerkView
from shared.qt.errors import show_exception
from shared.qt.windows import fit_on_screen
from shared.read.counter_view import CounterSnapshot, NoShowTicket, TransferTargets, WindowRef
from shared.states import Outcome, TicketState

log = logging.getLogger(__name__)

# Prints a notice, asking first where (the system's print dialog), and calls back with
# True once it was sent to the printer, or False if the clerk cancelled.
NoticePrinter = Callable[[MaterialsNotice, QWidget, Callable[[bool], None]], None]


def print_with_dialog(notice: MaterialsNotice, parent: QWidget,
                      done: Callable[[bool], None]) -> None:
    """Ask which printer (the system's print dialog), then print the notice on it; ``done``
    hears whether it was printed (a printing error is shown and counts as not printed)."""
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    dialog = QPrintDialog(printer, parent)
    dialog.setWindowTitle(parent.tr("打印补正材料告知单"))

    def finished(result: int) -> None:
        dialog.deleteLater()
        if result != QDialog.DialogCode.Accepted:
            done(False)
            return
        try:
            print_notice(notice, printer)
        except Exception as exc:
            show_exception(parent, exc)
            done(False)
            return
        done(True)

    dialog.finished.connect(finished)
    # QPrintDialog.open() is PySide's open(receiver, member) overload; the window-modal
    # open() without arguments is QDialog's.
    QDialog.open(dialog)


class CounterScreen(QMainWindow):
    closing = Signal()  # the clerk closed the counter: the whole terminal quits

    def __init__(self, site_name: str, *,
                 supervisor: Callable[[ClerkView], None] | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("HallQueue 窗口叫号"))
        self.site_name = site_name
        self.zone: ZoneInfo | None = None  # the site's, once known; until then the PC's
        self.open_supervisor = supervisor
        self.notice_printer: NoticePrinter = print_with_dialog
        self.presenter: CounterPresenter | None = None
        self.dialog: QDialog | None = None  # the dialog open now, if any
        self._online = True
        self._busy = False
        self.stack = QStackedWidget()
        self.stack.setObjectName("counterRoot")
        self.stack.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        self.login_page = LoginPage(site_name)
        self.main_page = MainPage()
        self.stack.addWidget(self.login_page)
        self.stack.addWidget(self.main_page)
        self.setCentralWidget(self.stack)
        apply_counter_style(self)
        self.resize(*fit_on_screen((1366, 768)))

    def closeEvent(self, event: QCloseEvent) -> None:
        self.closing.emit()
        super().closeEvent(event)

    def set_site(self, name: str, timezone: str) -> None:
        """The site this counter belongs to: its name, and its time zone for every time
        shown (the PC's own zone may be set wrongly)."""
        self.site_name = name
        self.zone = ZoneInfo(timezone)
        self.login_page.set_site_name(name)
        self.main_page.set_time_zone(self.zone)

    def bind(self, presenter: CounterPresenter) -> None:
        self.presenter = presenter
        self.login_page.submitted.connect(presenter.login)
        self.main_page.logout_requested.connect(self._ask_logout)
        self.main_page.supervisor_requested.connect(self._open_supervisor)
        self.main_page.actions.triggered.connect(self.trigger)

    def _presenter(self) -> CounterPresenter:
        assert self.presenter is not None, "bind() the presenter first"
        return self.presenter

    # ------------------------------------------------------------------ CounterView

    def show_login(self, message: str) -> None:
        self._close_dialog()
        self.login_page.show_message(message)
        self.stack.setCurrentWidget(self.login_page)
        self.login_page.focus_first()

    def show_windows(self, windows: list[WindowRef], fixed: int | None) -> None:
        self.login_page.show_windows(windows, fixed)

    def show_main(self, clerk: ClerkView, window: int) -> None:
        self.login_page.password.clear()
        self.main_page.show_session(clerk, window, self.open_supervisor is not None)
        self.stack.setCurrentWidget(self.main_page)

    def show_snapshot(self, snapshot: CounterSnapshot) -> None:
        self.main_page.show_snapshot(snapshot)

    def show_clock(self, now: dt.datetime) -> None:
        self.main_page.show_clock(now)

    def set_enabled_actions(self, actions: frozenset[CounterAction]) -> None:
        self.main_page.set_enabled_actions(actions)

    def set_online(self, online: bool) -> None:
        self._online = online
        self.main_page.set_online(online)
        self.login_page.set_state(online, self._busy)

    def set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.main_page.set_busy(busy)
        self.login_page.set_state(self._online, busy)

    def show_status(self, text: str, warning: bool = False) -> None:
        self.main_page.show_status(text, warning)

    def show_error(self, exc: BaseException) -> None:
        show_exception(self, exc)

    def confirm(self, title: str, question: str, accept_text: str,
                accepted: Callable[[], None]) -> None:
        dialog = ConfirmDialog(title, question, accept_text, self)
        dialog.chosen.connect(accepted)
        self._open_dialog(dialog)

    # ------------------------------------------------------------------ user intents

    def trigger(self, action: str) -> None:
        """A button or its shortcut: act at once, or ask first in a dialog."""
        presenter = self._presenter()
        snapshot = presenter.snapshot
        held = snapshot.held if snapshot else None
        chosen = CounterAction(action)
        direct: dict[CounterAction, Callable[[], None]] = {
            CounterAction.CALL_NEXT: presenter.call_next,
            CounterAction.RECALL: presenter.recall,
            CounterAction.START: presenter.start,
            CounterAction.RESUME: presenter.resume,
        }
        serving = held is not None and held.state == TicketState.SERVING.value
        if chosen in (CounterAction.CALL_NEXT, CounterAction.CALL_NUMBER) and serving \
                and chosen in presenter.enabled() and snapshot is not None and held is not None:
            # Calling while serving finishes the case first: ask its outcome, then call.
            call = labels.action_label(chosen).rstrip("…")
            dialog = FinishDialog(held.number, held.service_name, snapshot.held_materials, self,
                                  then_call=call, case_required=snapshot.held_case_required)
            if chosen is CounterAction.CALL_NEXT:
                dialog.chosen.connect(presenter.call_next)
            else:
                dialog.chosen.connect(self._ask_number_to_call)
            dialog.print_requested.connect(self.print_materials_notice)
            self.show_status(self.tr("{number} 仍在办理中：请先选择办理结果，确定后{call}。").format(
                number=held.number, call=call), warning=True)
            self._open_dialog(dialog)
        elif chosen is CounterAction.NO_SHOW and held is not None and \
                chosen in presenter.enabled():
            self.confirm(self.tr("过号"),
                         self.tr("确认将 {number} 记为过号？市民回来后可用“过号重排”重新排队。")
                         .format(number=held.number), self.tr("确认过号"), presenter.no_show)
        elif chosen in direct:
            direct[chosen]()
        elif chosen is CounterAction.FINISH and held is not None and snapshot is not None:
            dialog = FinishDialog(held.number, held.service_name, snapshot.held_materials, self,
                                  case_required=snapshot.held_case_required)
            dialog.chosen.connect(presenter.finish)
            dialog.print_requested.connect(self.print_materials_notice)
            self._open_dialog(dialog)
        elif chosen is CounterAction.TRANSFER and held is not None:
            presenter.load_transfer_targets(lambda targets: self._ask_transfer(held.number,
                                                                               targets))
        elif chosen is CounterAction.CALL_NUMBER:
            self._ask_number_to_call()
        elif chosen is CounterAction.REINSTATE:
            presenter.load_no_shows(self._ask_reinstate)
        elif chosen is CounterAction.PAUSE:
            dialog = PauseDialog(self)
            dialog.chosen.connect(presenter.pause)
            self._open_dialog(dialog)
        elif chosen is CounterAction.REPRINT:
            dialog = NumberDialog(self.tr("补打小票"), self.tr("请输入要补打的票号："),
                                  held.number if held else "", self)
            dialog.chosen.connect(presenter.reprint)
            self._open_dialog(dialog)
        else:
            presenter.refuse(chosen)

    def _ask_number_to_call(self, finish_outcome: str = Outcome.COMPLETED.value,
                            finish_cases: list[str] | None = None,
                            finish_missing: list[str] | None = None) -> None:
        dialog = NumberDialog(self.tr("指定叫号"), self.tr("请输入要叫的票号（例如 A017）："),
                              parent=self)
        dialog.chosen.connect(lambda number: self._presenter().call_number(
            number, finish_outcome, finish_cases=finish_cases or [],
            finish_missing=finish_missing or []))
        self._open_dialog(dialog)

    def _ask_logout(self) -> None:
        presenter = self._presenter()
        held = presenter.snapshot.held if presenter.snapshot else None
        question = self.tr("确认退出登录？退出后本窗口不再叫号。")
        if held is not None:
            question = self.tr("{number} 仍在本窗口（{state}）。").format(
                number=held.number, state=vocabulary.state_label(held.state)) + question
        self.confirm(self.tr("退出登录"), question, self.tr("退出登录"), presenter.logout)

    def _ask_transfer(self, number: str, targets: TransferTargets) -> None:
        presenter = self._presenter()
        if presenter.window is None:
            return
        dialog = TransferDialog(number, targets, presenter.window, self)
        dialog.chosen.connect(lambda service, window, note: presenter.transfer(
            to_service=service, to_window=window, note=note))
        self._open_dialog(dialog)

    def _ask_reinstate(self, no_shows: list[NoShowTicket]) -> None:
        dialog = ReinstateDialog(no_shows, self.zone, self)
        dialog.chosen.connect(self._presenter().reinstate)
        self._open_dialog(dialog)

    def _open_dialog(self, dialog: QDialog) -> None:
        self._close_dialog()
        self.dialog = dialog
        dialog.finished.connect(lambda _result: self._forget(dialog))
        dialog.open()

    def _forget(self, dialog: QDialog) -> None:
        if self.dialog is dialog:
            self.dialog = None
            # The F-keys work on the active window: take it back from the closed dialog
            # (some window managers, and none at all, leave no window active).
            if self.isVisible():
                self.activateWindow()
        dialog.deleteLater()

    def _close_dialog(self) -> None:
        if self.dialog is not None:
            self.dialog.reject()

    def print_materials_notice(self, missing: list[str]) -> None:
        presenter = self._presenter()
        snapshot, clerk = presenter.snapshot, presenter.clerk
        held = snapshot.held if snapshot else None
        if held is None or snapshot is None or clerk is None or presenter.window is None:
            return
        notice = MaterialsNotice(
            center_name=self.site_name, number=held.number, service_name=held.service_name,
            window=presenter.window, clerk_name=clerk.display_name, missing=missing,
            required=snapshot.held_materials, at=presenter.now().astimezone(self.zone))

        def done(printed: bool) -> None:
            # Said only once the print dialog was accepted and the notice sent.
            if printed:
                self.show_status(self.tr("补正材料告知单（缺 {n} 项）已交给打印").format(
                    n=len(missing)))
            else:
                self.show_status(self.tr("补正材料告知单未打印"))

        try:
            # On the finish dialog, so the print dialog comes up in front of it.
            self.notice_printer(notice, self.dialog or self, done)
        except Exception as exc:
            show_exception(self, exc)

    def _open_supervisor(self) -> None:
        presenter = self._presenter()
        if self.open_supervisor is not None and presenter.clerk is not None:
            self.open_supervisor(presenter.clerk)

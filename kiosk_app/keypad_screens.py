"""Screens with the on-screen keypad (appointment code, PINs) and the staff mode."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QVBoxLayout, QWidget

from kiosk_app.backend import ServiceOffer
from kiosk_app.presenter import PinPurpose
from kiosk_app.screens import KioskScreen
from kiosk_app.widgets import (
    BigButton,
    Keypad,
    WhenNotPressed,
    clear_layout,
    connect_click,
    fill_grid,
    label,
    replace_widgets,
    scroll_area,
    text_advance,
)
from shared.help_requests import HelpRequestView
from shared.views import TicketView

CENTER = Qt.AlignmentFlag.AlignCenter
# The type of the big buttons (resources/styles/hallq-kiosk.qss) and the scroll bar.
GREEN_BUTTON_PX = 42
SCROLLBAR_SPACE = 64
APPOINTMENT_CODE_MAX = 32
PIN_MAX = 8


class KeypadScreen(KioskScreen):
    """A title, what was typed, the keypad and back / confirm; side by side in landscape."""

    submitted = Signal(str)
    back = Signal()

    def __init__(self, max_length: int, *, masked: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.masked = masked
        self.title = label("", "screenTitle")
        self.hint = label("", "screenHint")
        self.entry = label("", "keypadEntry", wrap=False, align=CENTER)
        self.error = label("", "keypadError", align=CENTER)
        self.keypad = Keypad(max_length)
        self.keypad.changed.connect(self._typed)
        self.back_button = BigButton(self.tr("‹ 返回"), "secondary")
        connect_click(self.back_button, self.back.emit)
        self.ok_button = BigButton(self.tr("确认"), "green")
        self.ok_button.setObjectName("keypadOk")
        connect_click(self.ok_button, lambda: self.submitted.emit(self.keypad.text))
        self.text_panel = QWidget()
        self.texts = QVBoxLayout(self.text_panel)
        self.texts.setContentsMargins(0, 0, 0, 0)
        self.texts.setSpacing(24)
        for widget in (self.title, self.hint, self.entry, self.error):
            self.texts.addWidget(widget)
        self.actions = QHBoxLayout()
        self.actions.setSpacing(24)
        self.actions.addWidget(self.back_button, 2)
        self.actions.addWidget(self.ok_button, 3)
        self.arrangement = QGridLayout()
        self.arrangement.setSpacing(40)
        self.body.addLayout(self.arrangement, 1)
        self.body.addLayout(self.actions)
        self.portrait = not self.portrait  # force the first arrangement
        self.set_portrait(True)
        self._typed("")

    def relayout(self) -> None:
        while self.arrangement.count():
            self.arrangement.takeAt(0)
        holder = self.text_panel
        if self.portrait:
            self.arrangement.addWidget(holder, 0, 0)
            self.arrangement.addWidget(self.keypad, 1, 0)
            self.arrangement.setRowStretch(1, 1)
            self.arrangement.setColumnStretch(1, 0)
        else:
            self.arrangement.addWidget(holder, 0, 0, Qt.AlignmentFlag.AlignTop)
            self.arrangement.addWidget(self.keypad, 0, 1)
            self.arrangement.setRowStretch(1, 0)
            self.arrangement.setColumnStretch(0, 1)
            self.arrangement.setColumnStretch(1, 1)

    def reset(self, title: str, hint: str, error: str = "") -> None:
        self.title.setText(title)
        self.hint.setText(hint)
        self.error.setText(error)
        self.keypad.clear()

    def _typed(self, text: str) -> None:
        shown = "●" * len(text) if self.masked else text
        self.entry.setText(shown or " ")
        self.ok_button.setEnabled(bool(text))
        if text:
            self.error.setText("")


def pin_texts(purpose: PinPurpose) -> tuple[str, str]:
    """Title and hint of the PIN screen for what the PIN unlocks."""
    if purpose is PinPurpose.STAFF:
        return (QCoreApplication.translate("KioskPin", "工作人员验证"),
                QCoreApplication.translate("KioskPin", "请输入工作人员密码"))
    admin = QCoreApplication.translate("KioskPin", "请输入管理员密码")
    if purpose is PinPurpose.EXIT_FULLSCREEN:
        return QCoreApplication.translate("KioskPin", "退出全屏"), admin
    return QCoreApplication.translate("KioskPin", "关闭取号机"), admin


class StaffScreen(KioskScreen):
    """The guide desk's mode: open help requests (一键求助) first, green-channel tickets,
    and slips waiting for a reprint."""

    acknowledge = Signal(int)
    green = Signal(str)
    reprint = Signal(int)
    leave = Signal()
    exit_fullscreen = Signal()
    quit = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.body.addWidget(label(self.tr("工作人员模式"), "screenTitle"))
        content = QWidget()
        content.setObjectName("cardArea")
        column = QVBoxLayout(content)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(20)
        column.addWidget(label(self.tr("求助呼叫（一键求助）"), "sectionTitle"))
        self.help_list = QVBoxLayout()
        self.help_list.setSpacing(16)
        column.addLayout(self.help_list)
        column.addWidget(label(self.tr("绿色通道取号（老年人、残疾人、孕妇、军人等）"),
                               "sectionTitle"))
        self.green_grid = QGridLayout()
        self.green_grid.setSpacing(16)
        column.addLayout(self.green_grid)
        column.addWidget(label(self.tr("待补打的凭条"), "sectionTitle"))
        self.pending = QVBoxLayout()
        self.pending.setSpacing(16)
        column.addLayout(self.pending)
        column.addStretch(1)
        self.body.addWidget(scroll_area(content), 1)
        row = QHBoxLayout()
        row.setSpacing(20)
        for text, signal, role in ((self.tr("退出工作人员模式"), self.leave, "primary"),
                                   (self.tr("退出全屏"), self.exit_fullscreen, "quiet"),
                                   (self.tr("关闭取号机"), self.quit, "quiet")):
            button = BigButton(text, role)
            connect_click(button, signal.emit)
            row.addWidget(button, 2 if role == "primary" else 1)
        self.body.addLayout(row)
        self.green_buttons: list[BigButton] = []
        self._untouched = WhenNotPressed(self)

    def show_staff(self, offers: list[ServiceOffer], pending: list[TicketView] | None,
                   help_requests: list[HelpRequestView] | None, zone: ZoneInfo) -> None:
        self._untouched.run(lambda: self._draw(offers, pending, help_requests, zone))

    def _draw(self, offers: list[ServiceOffer], pending: list[TicketView] | None,
              help_requests: list[HelpRequestView] | None, zone: ZoneInfo) -> None:
        self._show_help_requests(help_requests, zone)
        replace_widgets(self.green_buttons, [])
        self.green_buttons = []
        for offer in offers:
            button = BigButton(offer.queue.name, "green" if offer.open else "quiet")
            button.setProperty("service", offer.code)
            button.setEnabled(offer.open)
            button.clicked.connect(lambda _=False, c=offer.code: self.green.emit(c))
            self.green_buttons.append(button)
        fill_grid(self.green_grid, self.green_buttons, self.green_columns())
        clear_layout(self.pending)
        if pending is None:
            self.pending.addWidget(label(self.tr("正在查询……"), "screenHint"))
        elif not pending:
            self.pending.addWidget(label(self.tr("今天没有需要补打的凭条"), "screenHint"))
        for ticket in pending or []:
            text = self.tr("补打  {number}  {service}  {time}").format(
                number=ticket.number, service=ticket.service_name,
                time=ticket.issued_at.astimezone(zone).strftime("%H:%M"))
            button = BigButton(text, "secondary")
            button.setProperty("ticket", ticket.id)
            button.clicked.connect(lambda _=False, i=ticket.id: self.reprint.emit(i))
            self.pending.addWidget(button)
        self.apply_compact()

    def green_columns(self) -> int:
        """As many columns as the longest service name allows at the button's type."""
        names = [b.text() for b in self.green_buttons] or [""]
        widest = max(text_advance(n, bold=True, pixels=GREEN_BUTTON_PX) for n in names)
        width = max(self.width() - 96 - SCROLLBAR_SPACE, 1)
        columns = int(width // (widest + 2 * 28 + 24 + 16))
        return max(1, min(columns, 2 if self.portrait else 4))

    def relayout(self) -> None:
        fill_grid(self.green_grid, self.green_buttons, self.green_columns())

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.relayout()

    def _show_help_requests(self, requests: list[HelpRequestView] | None,
                            zone: ZoneInfo) -> None:
        clear_layout(self.help_list)
        if requests is None:
            self.help_list.addWidget(label(self.tr("正在查询……"), "screenHint"))
            return
        if not requests:
            self.help_list.addWidget(label(self.tr("没有待处理的求助"), "screenHint"))
        for request in requests:
            row = QHBoxLayout()
            row.setSpacing(20)
            row.addWidget(label(self.tr("{time}  {terminal} 呼叫工作人员").format(
                time=request.local_time(zone), terminal=request.terminal), "helpRequest"), 1)
            button = BigButton(self.tr("已处理"), "green")
            button.setProperty("help_request", request.id)
            button.clicked.connect(lambda _=False, i=request.id: self.acknowledge.emit(i))
            row.addWidget(button, 0)
            self.help_list.addLayout(row)

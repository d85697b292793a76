"""The citizen's screens: choose, read the guide, take the number, see it."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import QFrame, QGridLayout, QHBoxLayout, QVBoxLayout, QWidget

from kiosk_app import texts
from kiosk_app.backend import ServiceOffer
from kiosk_app.presenter import Department
from kiosk_app.widgets import (
    BigButton,
    CardButton,
    clear_layout,
    connect_click,
    fill_grid,
    label,
    replace_widgets,
    scroll_area,
)

CENTER = Qt.AlignmentFlag.AlignCenter


class KioskScreen(QWidget):
    """A page of the kiosk; ``set_portrait`` re-arranges it for the screen's shape."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.portrait = True
        self.body = QVBoxLayout(self)
        self.body.setContentsMargins(48, 32, 48, 40)
        self.body.setSpacing(28)

    def set_portrait(self, portrait: bool) -> None:
        if portrait != self.portrait:
            self.portrait = portrait
            self.relayout()

    def relayout(self) -> None:
        """Override where the arrangement depends on the orientation."""

    def set_countdown(self, seconds: int | None) -> None:
        """Override on screens that show when they return to the start."""


def service_card(offer: ServiceOffer) -> CardButton:
    """A service: its name, queue and wait (or why it is closed) and an open badge."""
    badge = (QCoreApplication.translate("KioskScreens", "可取号") if offer.open
             else QCoreApplication.translate("KioskScreens", "暂停取号"))
    card = CardButton(offer.queue.name, texts.status_text(offer), badge, available=offer.open)
    card.setProperty("service", offer.code)
    return card


def department_card(department: Department) -> CardButton:
    status = QCoreApplication.translate("KioskScreens", "{n} 项业务    等候 {w} 人").format(
        n=len(department.offers), w=department.waiting)
    if not department.any_open:
        status = QCoreApplication.translate("KioskScreens", "暂停取号")
    card = CardButton(department.name, status, "›", available=department.any_open)
    card.badge.setObjectName("badgeArrow")
    card.setProperty("department", department.name)
    return card


class CardListScreen(KioskScreen):
    """A title, a grid of cards that scrolls if it must, and a row of buttons below."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = label("", "screenTitle")
        self.hint = label("", "screenHint")
        self.body.addWidget(self.title)
        self.body.addWidget(self.hint)
        content = QWidget()
        content.setObjectName("cardArea")
        column = QVBoxLayout(content)
        column.setContentsMargins(0, 0, 0, 0)
        self.grid = QGridLayout()
        self.grid.setSpacing(20)
        column.addLayout(self.grid)
        column.addStretch(1)
        self.scroll = scroll_area(content)
        self.body.addWidget(self.scroll, 1)
        self.buttons = QHBoxLayout()
        self.buttons.setSpacing(24)
        self.body.addLayout(self.buttons)
        self.cards: list[CardButton] = []

    def columns(self) -> int:
        return 2 if self.portrait else 3

    def set_cards(self, cards: list[CardButton]) -> None:
        position = self.scroll.verticalScrollBar().value()
        replace_widgets(self.cards, cards)
        self.cards = cards
        fill_grid(self.grid, cards, self.columns())
        self.scroll.verticalScrollBar().setValue(position)

    def relayout(self) -> None:
        fill_grid(self.grid, self.cards, self.columns())


class StartScreen(CardListScreen):
    """Departments (or the services, when there are few) and the appointment check-in."""

    department_chosen = Signal(str)
    service_chosen = Signal(str)
    check_in = Signal()
    staff = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.check_in_button = BigButton(self.tr("预约签到"), "secondary")
        self.check_in_button.setObjectName("checkInButton")
        connect_click(self.check_in_button, self.check_in.emit)
        self.buttons.addWidget(self.check_in_button, 1)
        self.staff_button = BigButton(self.tr("工作人员"), "quiet")
        self.staff_button.setObjectName("staffButton")
        self.staff_button.setMinimumHeight(110)
        connect_click(self.staff_button, self.staff.emit)
        self.buttons.addWidget(self.staff_button, 0)
        self.flat = True

    def columns(self) -> int:
        if self.flat:
            return 1 if self.portrait else 2
        return 2 if self.portrait else 4

    def show_choices(self, departments: list[Department] | None,
                     offers: list[ServiceOffer]) -> None:
        self.flat = departments is None
        if departments is None:
            self.title.setText(self.tr("请选择要办理的业务"))
            self.hint.setText(self.tr("点一下业务名称，查看需要带的材料并取号"))
            cards = [service_card(o) for o in offers]
            for card in cards:
                card.setProperty("large", True)  # few services: bigger cards, less to scan
                card.setMinimumHeight(190)
                card.clicked.connect(lambda _=False, c=card: self.service_chosen.emit(
                    c.property("service")))
        else:
            self.title.setText(self.tr("请选择办事部门"))
            self.hint.setText(self.tr("点一下部门名称，再选择具体业务"))
            cards = [department_card(d) for d in departments]
            for card in cards:
                card.clicked.connect(lambda _=False, c=card: self.department_chosen.emit(
                    c.property("department")))
        self.set_cards(cards)


class DepartmentScreen(CardListScreen):
    """The services of one department."""

    service_chosen = Signal(str)
    back = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.back_button = BigButton(self.tr("‹ 返回"), "secondary")
        connect_click(self.back_button, self.back.emit)
        self.buttons.addWidget(self.back_button)

    def columns(self) -> int:
        return 1 if self.portrait else 2

    def show_department(self, department: Department) -> None:
        self.title.setText(department.name)
        self.hint.setText(self.tr("请选择要办理的业务"))
        cards = [service_card(o) for o in department.offers]
        for card in cards:
            card.clicked.connect(lambda _=False, c=card: self.service_chosen.emit(
                c.property("service")))
        self.scroll.verticalScrollBar().setValue(0)
        self.set_cards(cards)


class GuideScreen(KioskScreen):
    """The service guide before issuing: what to bring (一次性告知), then take or go back."""

    take = Signal(str)
    back = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._code = ""
        self.name = label("", "screenTitle")
        self.status = label("", "guideStatus")
        self.body.addWidget(self.name)
        self.body.addWidget(self.status)
        content = QWidget()
        content.setObjectName("cardArea")
        column = QVBoxLayout(content)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(20)
        self.guide = label("", "guideText")
        column.addWidget(self.guide)
        panel = QFrame()
        panel.setObjectName("materialsPanel")
        self.materials = QVBoxLayout(panel)
        self.materials.setContentsMargins(36, 28, 36, 32)
        self.materials.setSpacing(18)
        column.addWidget(panel)
        self.windows = label("", "guideWindows")
        column.addWidget(self.windows)
        column.addStretch(1)
        self.body.addWidget(scroll_area(content), 1)
        self.closed = label("", "closedReason", align=CENTER)
        self.body.addWidget(self.closed)
        row = QHBoxLayout()
        row.setSpacing(24)
        self.back_button = BigButton(self.tr("‹ 返回"), "secondary")
        connect_click(self.back_button, self.back.emit)
        self.take_button = BigButton(self.tr("材料已知晓，取号"), "green")
        self.take_button.setObjectName("takeButton")
        connect_click(self.take_button, lambda: self.take.emit(self._code))
        row.addWidget(self.back_button, 2)
        row.addWidget(self.take_button, 3)
        self.body.addLayout(row)

    def show_offer(self, offer: ServiceOffer) -> None:
        self._code = offer.code
        self.name.setText(offer.queue.name)
        self.status.setText(texts.status_text(offer) if offer.open else "")
        guide = offer.guide.guide if offer.guide else ""
        self.guide.setText(guide)
        self.guide.setVisible(bool(guide))
        clear_layout(self.materials)
        if offer.materials:
            self.materials.addWidget(label(self.tr("请带齐以下材料（一次性告知）："),
                                           "materialsHeading"))
            for material in offer.materials:
                self.materials.addLayout(self._material_row(material))
        else:
            self.materials.addWidget(label(self.tr("本业务无需准备材料，带上身份证即可。"),
                                           "materialsHeading"))
        windows = offer.guide.windows if offer.guide else []
        self.windows.setText(self.tr("办理窗口：{windows}").format(
            windows=texts.windows_text(windows)) if windows else "")
        self.closed.setText(texts.closed_text(offer))
        self.closed.setVisible(not offer.open)
        self.take_button.setVisible(offer.open)

    def _material_row(self, text: str) -> QHBoxLayout:
        row = QHBoxLayout()
        row.setSpacing(20)
        box = QFrame()
        box.setObjectName("checkBox")
        box.setFixedSize(44, 44)
        row.addWidget(box, 0, Qt.AlignmentFlag.AlignTop)
        row.addWidget(label(text, "materialItem"), 1)
        return row


class ResultScreen(KioskScreen):
    """The number, huge, with where to go and how long it may take."""

    done = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.body.addStretch(1)
        self.kind = label("", "resultKind", align=CENTER)
        self.caption = label(self.tr("您的号码"), "resultCaption", align=CENTER)
        self.number = label("", "resultNumber", wrap=False, align=CENTER)
        self.service = label("", "resultService", align=CENTER)
        self.windows = label("", "resultLine", align=CENTER)
        self.wait = label("", "resultLine", align=CENTER)
        self.printing = label("", "printOk", align=CENTER)
        for widget in (self.kind, self.caption, self.number, self.service, self.windows,
                       self.wait, self.printing):
            self.body.addWidget(widget)
        self.body.addStretch(1)
        self.countdown = label("", "countdown", align=CENTER)
        self.body.addWidget(self.countdown)
        self.done_button = BigButton(self.tr("完成"), "primary")
        connect_click(self.done_button, self.done.emit)
        self.body.addWidget(self.done_button)

    def show_result(self, kind: str, number: str, service: str, windows: list[str],
                    people_ahead: int, estimate: int | None, print_state: str,
                    wait_range: tuple[int | None, int | None] = (None, None)) -> None:
        labels = {"green": self.tr("绿色通道"), "appointment": self.tr("预约签到成功")}
        self.kind.setText(labels.get(kind, self.tr("取号成功")))
        self.number.setText(number)
        self.service.setText(service)
        self.windows.setText(self.tr("请留意叫号，到 {windows}办理").format(
            windows=texts.windows_text(windows)) if windows else "")
        wait = texts.ahead_text(people_ahead)
        if people_ahead and estimate is not None:
            wait += self.tr("，预计等候{estimate}").format(
                estimate=texts.estimate_text(estimate, wait_range))
        self.wait.setText(wait)
        messages = {
            "printed": ("printOk", self.tr("请取走下方打印的凭条")),
            "failed": ("printFailed", self.tr("凭条未能打印。请记住您的号码，"
                                              "并请工作人员为您补打凭条。")),
            "none": ("printOk", self.tr("请记住您的号码，留意叫号屏和语音叫号")),
        }
        name, text = messages[print_state]
        self.printing.setObjectName(name)
        self.printing.setText(text)
        self.printing.style().unpolish(self.printing)
        self.printing.style().polish(self.printing)

    def set_countdown(self, seconds: int | None) -> None:
        self.countdown.setText(self.tr("{n} 秒后自动返回首页").format(n=seconds)
                               if seconds is not None else "")


class NoticeScreen(KioskScreen):
    """Something the citizen must know: why no number was issued, a reprint's outcome."""

    back = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.body.addStretch(1)
        self.title = label("", "noticeTitle", align=CENTER)
        self.message = label("", "noticeMessage", align=CENTER)
        self.help = label("", "noticeHelp", align=CENTER)
        for widget in (self.title, self.message, self.help):
            self.body.addWidget(widget)
        self.body.addStretch(1)
        self.countdown = label("", "countdown", align=CENTER)
        self.body.addWidget(self.countdown)
        self.back_button = BigButton(self.tr("返回"), "primary")
        connect_click(self.back_button, self.back.emit)
        self.body.addWidget(self.back_button)

    def show_notice(self, title: str, message: str, help_text: str) -> None:
        self.title.setText(title)
        self.message.setText(message)
        self.help.setText(help_text)
        self.help.setVisible(bool(help_text))

    def set_countdown(self, seconds: int | None) -> None:
        self.countdown.setText(self.tr("{n} 秒后自动返回首页").format(n=seconds)
                               if seconds is not None else "")


class PausedScreen(KioskScreen):
    """暂停取号: the database is away (or an answer was lost); it resumes by itself."""

    restart = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("pausedScreen")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        self.body.addStretch(1)
        self.title = label(self.tr("暂停取号"), "pausedTitle", align=CENTER)
        self.message = label("", "pausedMessage", align=CENTER)
        self.body.addWidget(self.title)
        self.body.addWidget(self.message)
        self.body.addStretch(1)
        self.restart_button = BigButton(self.tr("重新开始"), "primary")
        connect_click(self.restart_button, self.restart.emit)
        self.body.addWidget(self.restart_button)

    def show_reason(self, reason: str) -> None:
        messages = {
            "starting": self.tr("正在连接取号系统，请稍候……"),
            "offline": self.tr("取号系统连接中断，正在自动恢复，请稍候。恢复后即可继续取号；"
                               "如需帮助，请到导服台。"),
            "answer_lost": self.tr("网络中断，正在确认刚才的取号结果，请稍候，不会重复取号。"
                                   "如长时间没有结果，请点“重新开始”或到导服台。"),
        }
        self.title.setText(self.tr("请稍候") if reason == "starting" else self.tr("暂停取号"))
        self.message.setText(messages[reason])
        self.restart_button.setVisible(reason == "answer_lost")

"""The citizen's screens: choose, read the guide, take the number, see it."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, Signal
from PySide6.QtGui import QFont, QFontMetricsF, QResizeEvent
from PySide6.QtWidgets import QFrame, QGridLayout, QHBoxLayout, QVBoxLayout, QWidget

from kiosk_app import texts
from kiosk_app.backend import ServiceOffer
from kiosk_app.presenter import Department
from kiosk_app.widgets import (
    BigButton,
    CardButton,
    Keypad,
    KioskLabel,
    WhenNotPressed,
    clear_layout,
    connect_click,
    fill_grid,
    fit_card_grid,
    label,
    replace_widgets,
    scroll_area,
    two_lines,
)
from shared.qt.widgets.fitted_label import FittedLabel

CENTER = Qt.AlignmentFlag.AlignCenter
# Below this height (a 1366x768 screen less the header) pages tighten their margins.
COMPACT_HEIGHT = 760
NUMBER_COLOR = "#0b4ea2"
SCROLLBAR_WIDTH = 64  # the style sheet's scroll bar and a little slack
BUTTON_HEIGHT = 120
COMPACT_BUTTON_HEIGHT = 88
# Below this height (the guide screen's own: 1024×600 leaves about 440 px, 1366×768
# about 580) a landscape guide puts its buttons across the bottom (GuideScreen.relayout).
CRAMPED_GUIDE_HEIGHT = 520
# The guide's heading (the service's name): the style sheet's screenTitle size, and how
# small it may get on a short screen to keep a long name on one line (the body's size).
TITLE_PX = 54
COMPACT_TITLE_MIN_PX = 34
# The materials list's heading on a short screen: on one line, so that the first
# materials, and a 常缺 mark among them, are in view without scrolling.
COMPACT_MATERIALS_HEADING = "font-size: 30px;"


class KioskScreen(QWidget):
    """A page of the kiosk; ``set_portrait`` re-arranges it for the screen's shape."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.portrait = True
        self.compact = False
        self.body = QVBoxLayout(self)
        self.body.setContentsMargins(48, 32, 48, 40)
        self.body.setSpacing(28)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        compact = event.size().height() < COMPACT_HEIGHT
        if compact != self.compact:
            self.compact = compact
            if compact:
                self.body.setContentsMargins(32, 14, 32, 16)
                self.body.setSpacing(12)
            else:
                self.body.setContentsMargins(48, 32, 48, 40)
                self.body.setSpacing(28)
            self.apply_compact()

    def apply_compact(self) -> None:
        """Buttons and keys a little lower on a short screen (still far above 60 px)."""
        for button in self.findChildren(BigButton):
            button.setMinimumHeight(COMPACT_BUTTON_HEIGHT if self.compact else BUTTON_HEIGHT)
        for keypad in self.findChildren(Keypad):
            keypad.set_compact(self.compact)

    def set_portrait(self, portrait: bool) -> None:
        if portrait != self.portrait:
            self.portrait = portrait
            self.relayout()

    def relayout(self) -> None:
        """Override where the arrangement depends on the orientation."""

    def speech(self) -> list[str]:
        """What voice guidance reads aloud on this page: its title and main content."""
        return []


def service_card(offer: ServiceOffer, printer_down: bool = False) -> CardButton:
    """A service: its name, queue and wait (or why it is closed) and an open badge."""
    available = offer.open and not printer_down
    badge = (QCoreApplication.translate("KioskScreens", "可取号") if available
             else QCoreApplication.translate("KioskScreens", "暂停取号"))
    status = texts.status_text(offer)
    if offer.open and printer_down:
        # Short, so the grid keeps its columns: the badge already says 暂停取号.
        status = QCoreApplication.translate("KioskScreens", "打印机故障")
    card = CardButton(offer.queue.name, status, badge, available=available)
    card.setProperty("service", offer.code)
    return card


def department_card(department: Department, printer_down: bool = False) -> CardButton:
    status = (texts.services_count_text(len(department.offers)) + " · "
              + texts.waiting_count_text(department.waiting))
    if not department.any_open:
        status = texts.opening_text(department.offers)
    elif printer_down:
        # Short, so the grid keeps its columns: the banner above says why and where to go.
        status = QCoreApplication.translate("KioskScreens", "暂停取号")
    available = department.any_open and not printer_down
    card = CardButton(department.name, status, "›", available=available)
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
        self.scroll.installEventFilter(self)
        self.body.addWidget(self.scroll, 1)
        self.buttons = QHBoxLayout()
        self.buttons.setSpacing(24)
        self.body.addLayout(self.buttons)
        self.cards: list[CardButton] = []
        self._untouched = WhenNotPressed(self)
        self._columns = 1

    def max_columns(self) -> int:
        return 2 if self.portrait else 3

    def max_title_px(self) -> int:
        return 44

    def set_cards(self, cards: list[CardButton]) -> None:
        self._untouched.run(lambda: self._replace_cards(cards))

    def _replace_cards(self, cards: list[CardButton]) -> None:
        position = self.scroll.verticalScrollBar().value()
        replace_widgets(self.cards, cards)
        self.cards = cards
        self._fit()
        self.scroll.verticalScrollBar().setValue(position)

    def relayout(self) -> None:
        self._fit()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.hint.setVisible(not self.compact)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # The grid is fitted to the scroll area's final size (after the hint hid).
        if watched is self.scroll and event.type() == QEvent.Type.Resize:
            self._fit()
        return False

    def _fit(self) -> None:
        """Columns and type sizes so that every card shows, each text on one line."""
        if not self.cards:
            fill_grid(self.grid, [], 1)
            return
        # New cards are measured once in the grid, where the style sheet reaches them.
        fill_grid(self.grid, self.cards, self._columns)
        for card in self.cards:
            card.badge.ensurePolished()
        area = self.scroll.size()
        badge_width = max(card.badge.sizeHint().width() for card in self.cards)
        badge_height = max(card.badge.sizeHint().height() for card in self.cards)
        sizes = fit_card_grid(
            [c.title.text() for c in self.cards], [c.status.text() for c in self.cards],
            # Leave room for the scroll bar, which shows if the cards cannot all fit.
            area.width() - SCROLLBAR_WIDTH, area.height() - 8, spacing=self.grid.spacing(),
            badge_width=badge_width, badge_height=badge_height,
            max_title_px=self.max_title_px(),
            max_columns=self.max_columns())
        for card in self.cards:
            card.apply_sizes(sizes)
        self._columns = sizes.columns
        fill_grid(self.grid, self.cards, sizes.columns)

    def speech(self) -> list[str]:
        return [self.title.text(), *(c.title.text() for c in self.cards)]


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
        # The printer's state before anyone chooses: no number can be printed now.
        self.printer_banner = label("", "printerProblem", align=CENTER)
        self.printer_banner.hide()
        self.body.insertWidget(2, self.printer_banner)

    def set_printer_problem(self, problem: str | None) -> None:
        if problem is not None:
            self.printer_banner.setText(self.tr("{problem}暂时不能取号，请到导服台。").format(
                problem=texts.printer_text(problem)))
        self.printer_banner.setVisible(problem is not None)
        self._place_banner()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._place_banner()

    def _place_banner(self) -> None:
        # The banner stands in for the page's title and hint (no number can be taken
        # anyway), so every department still fits without scrolling, on short screens too.
        down = self.printer_banner.isVisibleTo(self)
        self.title.setVisible(not down)
        self.hint.setVisible(not down and not self.compact)

    def max_columns(self) -> int:
        if self.flat:
            return 1 if self.portrait else 2
        return 3 if self.portrait else 6

    def max_title_px(self) -> int:
        return 54 if self.flat else 44

    def show_choices(self, departments: list[Department] | None,
                     offers: list[ServiceOffer], printer_down: bool = False) -> None:
        self.flat = departments is None
        if departments is None:
            self.title.setText(self.tr("请选择要办理的业务"))
            self.hint.setText(self.tr("点一下业务名称，查看需要带的材料并取号"))
            cards = [service_card(o, printer_down) for o in offers]
            for card in cards:
                card.setProperty("large", True)  # few services: bigger cards, less to scan
                card.clicked.connect(lambda _=False, c=card: self.service_chosen.emit(
                    c.property("service")))
        else:
            self.title.setText(self.tr("请选择办事部门"))
            self.hint.setText(self.tr("点一下部门名称，再选择具体业务"))
            cards = [department_card(d, printer_down) for d in departments]
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

    def max_columns(self) -> int:
        return 1 if self.portrait else 2

    def show_department(self, department: Department, printer_down: bool = False) -> None:
        self.title.setText(department.name)
        self.hint.setText(self.tr("请选择要办理的业务"))
        cards = [service_card(o, printer_down) for o in department.offers]
        for card in cards:
            card.clicked.connect(lambda _=False, c=card: self.service_chosen.emit(
                c.property("service")))
        self.scroll.verticalScrollBar().setValue(0)
        self.set_cards(cards)


class GuideScreen(KioskScreen):
    """The service guide before issuing: what to bring (一次性告知), then take or go back.

    The materials are a numbered list, not check boxes: nothing on it reacts to a tap.
    The windows line sits outside the scrolling list, so it is never below the fold."""

    take = Signal(str)
    back = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._code = ""
        self._materials: list[str] = []
        self._often: tuple[str, ...] = ()  # marked 常缺: most often forgotten lately
        self._name = ""  # the service's; the heading may show it in two lines
        self._cramped = False  # arranged for a very short landscape screen
        self._materials_heading: KioskLabel | None = None
        self.name = label("", "screenTitle")
        self.status = label("", "guideStatus")
        self.body.addWidget(self.name)
        self.body.addWidget(self.status)
        content = QWidget()
        content.setObjectName("cardArea")
        self.scrolled = QVBoxLayout(content)
        self.scrolled.setContentsMargins(0, 0, 0, 0)
        self.scrolled.setSpacing(20)
        self.guide = label("", "guideText")
        panel = QFrame()
        panel.setObjectName("materialsPanel")
        self.materials = QVBoxLayout(panel)
        self.materials.setContentsMargins(36, 24, 36, 28)
        self.materials.setSpacing(14)
        self.scrolled.addWidget(panel)
        self.scrolled.addStretch(1)
        self.scroll = scroll_area(content)
        self.windows = label("", "guideWindows")
        self.closed = label("", "closedReason", align=CENTER)
        self.back_button = BigButton(self.tr("‹ 返回"), "secondary")
        connect_click(self.back_button, self.back.emit)
        self.take_button = BigButton(self.tr("材料已知晓，取号"), "green")
        self.take_button.setObjectName("takeButton")
        connect_click(self.take_button, lambda: self.take.emit(self._code))
        # Portrait: everything in one column, the buttons side by side at the bottom.
        # Landscape: the materials on the left, all the height; the rest on the right.
        self.side = QVBoxLayout()
        self.side.setSpacing(16)
        self.buttons = QGridLayout()
        self.buttons.setSpacing(20)
        self.arrangement = QGridLayout()
        self.arrangement.setSpacing(28)
        self.body.addLayout(self.arrangement, 1)
        self.portrait = not self.portrait  # force the first arrangement
        self.set_portrait(True)

    def apply_compact(self) -> None:
        super().apply_compact()
        # On a short screen (1024×600) the list tightens too, so that two or three
        # materials, and a 常缺 mark among them, are in view without scrolling.
        if self.compact:
            self.materials.setContentsMargins(28, 14, 28, 16)
            self.materials.setSpacing(8)
            self.arrangement.setSpacing(12)
        else:
            self.materials.setContentsMargins(36, 24, 36, 28)
            self.materials.setSpacing(14)
            self.arrangement.setSpacing(28)
        if self._materials_heading is not None:
            self._materials_heading.setStyleSheet(
                COMPACT_MATERIALS_HEADING if self.compact else "")
        self._fit_heading()
        self.relayout()

    def cramped(self) -> bool:
        """Landscape, and too short for the usual arrangement's right column."""
        return not self.portrait and self.height() < CRAMPED_GUIDE_HEIGHT

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if event.size().width() != event.oldSize().width():
            self._fit_heading()
        if self.cramped() != self._cramped:
            self.relayout()

    def _fit_heading(self) -> None:
        """On a short screen, the name as large as fits on one line, down to the body's
        size: a long name wrapped at 54 px took the height the buttons need. Longer
        still, it wraps at that size (whole, never cut)."""
        px = TITLE_PX
        margins = self.body.contentsMargins()
        width = self.width() - margins.left() - margins.right() - 2  # a little slack
        self.name.ensurePolished()
        font = QFont(self.name.font())
        font.setPixelSize(px)
        if self.compact and self._name:
            while px > COMPACT_TITLE_MIN_PX and \
                    QFontMetricsF(font).horizontalAdvance(self._name) > width:
                px -= 2
                font.setPixelSize(px)
        size = f"font-size: {px}px;" if px != TITLE_PX else ""
        if self.name.styleSheet() != size:
            self.name.setStyleSheet(size)
        # Too long for one line: two balanced lines broken between phrases, rather than
        # wherever the width ran out ("…延期及撤" / "销）").
        shown = two_lines(self._name, QFontMetricsF(font), width) if width > 0 else self._name
        if self.name.text() != shown:
            self.name.setText(shown)

    def relayout(self) -> None:
        for layout in (self.arrangement, self.side, self.buttons):
            while layout.count():
                layout.takeAt(0)
        self.scrolled.removeWidget(self.guide)
        self.body.removeWidget(self.status)
        self._cramped = self.cramped()
        if self._cramped:
            self.side.addWidget(self.status)
        else:
            self.body.insertWidget(1, self.status)
        for index in range(3):
            self.arrangement.setRowStretch(index, 0)
            self.arrangement.setColumnStretch(index, 0)
        if self.portrait:
            self.scrolled.insertWidget(0, self.guide)
            self.buttons.addWidget(self.back_button, 0, 0)
            self.buttons.addWidget(self.take_button, 0, 1)
            self.buttons.setColumnStretch(0, 2)
            self.buttons.setColumnStretch(1, 3)
            for row, item in enumerate((self.scroll, self.windows, self.closed)):
                self.arrangement.addWidget(item, row, 0)
            self.arrangement.addLayout(self.buttons, 3, 0)
            self.arrangement.setRowStretch(0, 1)
        elif self._cramped:
            # A very short landscape screen (1024×600) has no height for the guide text
            # and both buttons in the right column, nor for the wait above the columns
            # (1366×768 has: it keeps the arrangement below): the text goes under
            # the materials (which stay first, their 常缺 marks in view), the wait beside
            # them above the windows, the buttons side by side across the bottom.
            self.scrolled.insertWidget(1, self.guide)
            self.buttons.addWidget(self.back_button, 0, 0)
            self.buttons.addWidget(self.take_button, 0, 1)
            self.buttons.setColumnStretch(0, 2)
            self.buttons.setColumnStretch(1, 3)
            for widget in (self.windows, self.closed):
                self.side.addWidget(widget)
            self.side.addStretch(1)
            self.arrangement.addWidget(self.scroll, 0, 0)
            self.arrangement.addLayout(self.side, 0, 1)
            self.arrangement.addLayout(self.buttons, 1, 0, 1, 2)
            self.arrangement.setColumnStretch(0, 3)
            self.arrangement.setColumnStretch(1, 2)
            self.arrangement.setRowStretch(0, 1)
        else:
            self.buttons.addWidget(self.take_button, 0, 0)
            self.buttons.addWidget(self.back_button, 1, 0)
            self.buttons.setColumnStretch(0, 1)
            self.buttons.setColumnStretch(1, 0)
            for widget in (self.guide, self.windows, self.closed):
                self.side.addWidget(widget)
            self.side.addStretch(1)
            self.side.addLayout(self.buttons)
            self.arrangement.addWidget(self.scroll, 0, 0)
            self.arrangement.addLayout(self.side, 0, 1)
            self.arrangement.setColumnStretch(0, 3)
            self.arrangement.setColumnStretch(1, 2)
            self.arrangement.setRowStretch(0, 1)

    def show_offer(self, offer: ServiceOffer) -> None:
        self._code = offer.code
        self._materials = list(offer.materials)
        self._often = offer.guide.often_missing if offer.guide else ()
        self._name = offer.queue.name
        self._fit_heading()
        self.status.setText(texts.status_text(offer) if offer.open else "")
        self.status.setVisible(offer.open)
        guide = offer.guide.guide if offer.guide else ""
        self.guide.setText(guide)
        self.guide.setVisible(bool(guide))
        clear_layout(self.materials)
        if offer.materials:
            heading = label(self.tr("请带齐以下材料（一次性告知）："), "materialsHeading")
            for number, material in enumerate(offer.materials, 1):
                self.materials.addLayout(self._material_row(number, material,
                                                            material in self._often))
        else:
            heading = label(self.tr("本业务无需准备材料，带上身份证即可。"), "materialsHeading")
        heading.phrases_whole = True  # "（一次性告知）" never as "一次性告" / "知"
        heading.setText(heading.text())
        heading.setStyleSheet(COMPACT_MATERIALS_HEADING if self.compact else "")
        self.materials.insertWidget(0, heading)
        self._materials_heading = heading
        windows = offer.guide.windows if offer.guide else []
        self.windows.setText(self.tr("办理窗口：{windows}").format(
            windows=texts.windows_text(windows)) if windows else "")
        self.windows.setVisible(bool(windows))
        self.closed.setText(texts.closed_text(offer))
        self.closed.setVisible(not offer.open)
        self.take_button.setVisible(offer.open)

    def _material_row(self, number: int, text: str, often: bool = False) -> QHBoxLayout:
        row = QHBoxLayout()
        row.setSpacing(16)
        row.addWidget(label(f"{number}.", "materialNumber", wrap=False),
                      0, Qt.AlignmentFlag.AlignTop)
        row.addWidget(label(text, "materialItem"), 1)
        if often:
            # Citizens lacked it most often lately (材料不全 at the window): bring it.
            row.addWidget(label(self.tr("常缺"), "materialOften", wrap=False),
                          0, Qt.AlignmentFlag.AlignTop)
        return row

    def speech(self) -> list[str]:
        lines = [self._name]
        if self._materials:
            lines.append(self.tr("请带齐以下材料："))
            lines += [f"{n}，{m}" + (self.tr("，常缺，请特别留意") if m in self._often else "")
                      for n, m in enumerate(self._materials, 1)]
        else:
            lines.append(self.tr("本业务无需准备材料，带上身份证即可。"))
        if self.windows.text():
            lines.append(self.windows.text())
        if self.closed.isVisibleTo(self):
            lines.append(self.closed.text())
        return lines


class ResultScreen(KioskScreen):
    """The number, as large as the screen allows (fitted to its box, never clipped), with
    where to go and how long it may take. In landscape the number has the left half."""

    done = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.kind = label("", "resultKind", align=CENTER)
        self.caption = label(self.tr("您的号码"), "resultCaption", align=CENTER)
        self.number = FittedLabel("", color=NUMBER_COLOR, bold=True, max_share_of_height=0.9)
        self.number.setObjectName("resultNumber")
        self.number.setProperty("mainInfo", True)
        self.number.setMinimumHeight(120)
        self.service = label("", "resultService", align=CENTER)
        self.windows = label("", "resultLine", align=CENTER)
        self.wait = label("", "resultLine", align=CENTER)
        self.printing = label("", "printOk", align=CENTER)
        for line in (self.windows, self.wait, self.printing):
            line.phrases_whole = True  # "到 3、4、13 号窗口办理" never as "办/理"
        self.done_button = BigButton(self.tr("完成"), "primary")
        connect_click(self.done_button, self.done.emit)
        self.number_panel = QWidget()
        number_column = QVBoxLayout(self.number_panel)
        number_column.setContentsMargins(0, 0, 0, 0)
        number_column.setSpacing(8)
        number_column.addWidget(self.kind)
        number_column.addWidget(self.caption)
        number_column.addWidget(self.number, 1)
        self.info_panel = QWidget()
        info = QVBoxLayout(self.info_panel)
        info.setContentsMargins(0, 0, 0, 0)
        info.setSpacing(16)
        info.addStretch(1)
        for widget in (self.service, self.windows, self.wait, self.printing):
            info.addWidget(widget)
        info.addStretch(1)
        self.arrangement = QGridLayout()
        self.arrangement.setSpacing(32)
        self.body.addLayout(self.arrangement, 1)
        self.body.addWidget(self.done_button)
        self.portrait = not self.portrait  # force the first arrangement
        self.set_portrait(True)

    def relayout(self) -> None:
        while self.arrangement.count():
            self.arrangement.takeAt(0)
        for index in range(2):
            self.arrangement.setRowStretch(index, 0)
            self.arrangement.setColumnStretch(index, 0)
        if self.portrait:
            self.arrangement.addWidget(self.number_panel, 0, 0)
            self.arrangement.addWidget(self.info_panel, 1, 0)
            self.arrangement.setRowStretch(0, 3)
            self.arrangement.setRowStretch(1, 2)
        else:
            self.arrangement.addWidget(self.number_panel, 0, 0)
            self.arrangement.addWidget(self.info_panel, 0, 1)
            self.arrangement.setColumnStretch(0, 1)
            self.arrangement.setColumnStretch(1, 1)

    def show_result(self, kind: str, number: str, service: str, windows: list[str],
                    people_ahead: int, estimate: int | None, print_state: str,
                    wait_range: tuple[int | None, int | None] = (None, None)) -> None:
        labels = {"green": self.tr("绿色通道"), "appointment": self.tr("预约签到成功")}
        self.kind.setText(labels.get(kind, self.tr("取号成功")))
        self.number.set_text(number)
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

    def speech(self) -> list[str]:
        return [self.kind.text(), self.caption.text(), texts.spoken_number(self.number.text()),
                self.service.text(), self.windows.text(), self.wait.text(),
                self.printing.text()]


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
        self.back_button = BigButton(self.tr("返回"), "primary")
        connect_click(self.back_button, self.back.emit)
        self.body.addWidget(self.back_button)

    def show_notice(self, title: str, message: str, help_text: str, *, good: bool = False
                    ) -> None:
        self.title.setObjectName("noticeGood" if good else "noticeTitle")
        self.title.style().unpolish(self.title)
        self.title.style().polish(self.title)
        self.title.setText(title)
        self.message.setText(message)
        self.help.setText(help_text)
        self.help.setVisible(bool(help_text))

    def speech(self) -> list[str]:
        return [self.title.text(), self.message.text(), self.help.text()]


class PausedScreen(KioskScreen):
    """暂停取号: the database is away (or an answer was lost, or the database has no
    schema for this program); it resumes by itself."""

    restart = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("pausedScreen")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        self.body.addStretch(1)
        self.title = label(self.tr("暂停取号"), "pausedTitle", align=CENTER)
        self.message = label("", "pausedMessage", align=CENTER)
        self.staff_note = label("", "pausedStaff", align=CENTER)
        self.body.addWidget(self.title)
        self.body.addWidget(self.message)
        self.body.addWidget(self.staff_note)
        self.body.addStretch(1)
        self.restart_button = BigButton(self.tr("重新开始"), "primary")
        connect_click(self.restart_button, self.restart.emit)
        self.body.addWidget(self.restart_button)

    def show_reason(self, reason: str) -> None:
        ask_desk = self.tr("本机暂不能取号，请到导服台。")
        messages = {
            "starting": self.tr("正在连接取号系统，请稍候……"),
            "offline": self.tr("取号系统连接中断，正在自动恢复，请稍候。恢复后即可继续取号；"
                               "如需帮助，请到导服台。"),
            "answer_lost": self.tr("网络中断，正在确认刚才的取号结果，请稍候，不会重复取号。"
                                   "如长时间没有结果，请点“重新开始”或到导服台。"),
            "schema_missing": ask_desk,
            "schema_older": ask_desk,
            "schema_newer": ask_desk,
        }
        # For the staff who come over: the real cause and what IT must run.
        notes = {
            "schema_missing": self.tr("给工作人员：数据库未初始化，请 IT 运行 "
                                      "hallq-admin db upgrade"),
            "schema_older": self.tr("给工作人员：数据库结构较旧，请 IT 运行 "
                                    "hallq-admin db upgrade"),
            "schema_newer": self.tr("给工作人员：数据库结构比本机程序新，请 IT 升级本机的 "
                                    "HallQueue"),
        }
        self.title.setText(self.tr("请稍候") if reason == "starting" else self.tr("暂停取号"))
        self.message.setText(messages[reason])
        self.staff_note.setText(notes.get(reason, ""))
        self.staff_note.setVisible(reason in notes)
        self.restart_button.setVisible(reason == "answer_lost")

    def speech(self) -> list[str]:
        return [self.title.text(), self.message.text()]

"""The evaluation pad (好差评) the citizen sees: on a second screen facing the citizen, or
as a separate window. Passive; :class:`counter_app.evaluation.EvaluationPresenter` drives
it. Five large buttons, best on the left; keys 1–5 work too while the pad has the
keyboard focus (a USB evaluation keypad types digits)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont, QFontMetricsF, QKeyEvent, QResizeEvent
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from counter_app.style import apply_counter_style
from shared import vocabulary
from shared.evaluations import BAD_RATING_REASONS, PHONE_DIGITS
from shared.qt.widgets.spaced_label import SpacedLabel
from shared.views import TicketView

if TYPE_CHECKING:
    from counter_app.evaluation import CaseRef

#: Rating captions: at most this many px (on a large pad), never under the 30 px of
#: main information (适老化).
LEVEL_FONT_MAX, LEVEL_FONT_MIN = 40, 30
#: Free px each side of a rating's caption inside its button.
LEVEL_TEXT_MARGIN = 10
#: Height of a rating button in one row of five, and in two rows on a short pad.
LEVEL_HEIGHT, LEVEL_HEIGHT_TWO_ROWS = 150, 110


def _label(name: str, text: str = "") -> QLabel:
    label = SpacedLabel(text)
    label.setObjectName(name)
    label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    return label


REASONS_PAGE = 3
PHONE_MAX = PHONE_DIGITS[1]


class EvaluationPad(QWidget):
    rated = Signal(int)
    reasons_submitted = Signal()  # 提交 (or 跳过, with nothing chosen) on the reasons page

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("evaluationPad")
        self.setWindowTitle(self.tr("服务评价"))
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        apply_counter_style(self)
        self.pages = QStackedWidget()
        self._outer = outer = QVBoxLayout(self)
        outer.setContentsMargins(40, 30, 40, 30)
        outer.addWidget(self.pages)

        self.welcome_title = _label("padTitle", self.tr("欢迎您"))
        self.welcome_detail = _label("padSubtitle")
        self.pages.addWidget(self._page(self.welcome_title, self.welcome_detail,
                                        _label("padCountdown",
                                               self.tr("办理结束后，请在此对我们的服务进行评价"))))

        self.question_title = _label("padTitle", self.tr("请您对本次服务进行评价"))
        self.question_detail = _label("padSubtitle")
        self.countdown = _label("padCountdown")
        self._grid = QGridLayout()
        self._grid.setSpacing(18)
        self._columns = 0
        self.level_buttons: dict[int, QPushButton] = {}
        for level in range(1, 6):
            button = QPushButton(vocabulary.level_label(level))
            button.setProperty("level", str(level))
            button.setProperty("mainInfo", True)  # the choice itself: ≥ 30 px
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            # Widths come from the grid's equal columns alone, not from the captions.
            button.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
            button.clicked.connect(lambda _=False, lv=level: self.rated.emit(lv))
            self.level_buttons[level] = button
        self._arrange(5)
        question = self._page(self.question_title, self.question_detail, centred=False)
        question.layout().addLayout(self._grid)
        question.layout().addWidget(self.countdown)
        question.layout().addStretch(1)
        self.pages.addWidget(question)

        self.thanks_title = _label("padTitle", self.tr("感谢您的评价！"))
        self.thanks_detail = _label("padSubtitle")
        self.pages.addWidget(self._page(self.thanks_title, self.thanks_detail))
        self.pages.addWidget(self._reasons_page())

    def _reasons_page(self) -> QWidget:
        """After a bad rating: why (tap any), a phone number for the return visit
        (optional, typed on the keypad), 提交 or 跳过; the countdown keeps running."""
        self.reasons_title = _label("padReasonsTitle", self.tr("很抱歉没能让您满意"))
        self.reasons_detail = _label(
            "padCountdown", self.tr("请点选原因（可多选），留下电话我们会回访您（可不填）"))
        self.reasons_countdown = _label("padCountdown")
        self.reason_buttons: dict[str, QPushButton] = {}
        reasons = QGridLayout()
        reasons.setSpacing(12)
        texts = {"等候时间太长": self.tr("等候时间太长"), "工作人员态度不好": self.tr("工作人员态度不好"),
                 "办理时间太长": self.tr("办理时间太长"), "材料要求没讲清楚": self.tr("材料要求没讲清楚"),
                 "跑了不止一次": self.tr("跑了不止一次"), "其他原因": self.tr("其他原因")}
        for i, key in enumerate(BAD_RATING_REASONS):  # stored in Chinese, shown translated
            button = QPushButton(texts[key])
            button.setObjectName("padReason")
            button.setCheckable(True)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            self.reason_buttons[key] = button
            reasons.addWidget(button, i // 2, i % 2)
        self.submit_reasons = QPushButton(self.tr("提交"))
        self.submit_reasons.setObjectName("padSubmit")
        self.skip_reasons = QPushButton(self.tr("跳过"))
        self.skip_reasons.setObjectName("padSkip")
        for button in (self.submit_reasons, self.skip_reasons):
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.submit_reasons.clicked.connect(self.reasons_submitted)
        self.skip_reasons.clicked.connect(self._skip)
        reasons.addWidget(self.submit_reasons, 3, 0)
        reasons.addWidget(self.skip_reasons, 3, 1)
        self._phone_digits = ""
        self.phone = _label("padPhone", self.tr("联系电话（可不填）"))
        self.phone_hint = _label("padPhoneHint")
        keypad = QGridLayout()
        keypad.setSpacing(8)
        self.phone_keys: dict[str, QPushButton] = {}
        keys = [*"123456789", "delete", "0", "clear"]
        for i, key in enumerate(keys):
            text = {"delete": self.tr("删除"), "clear": self.tr("清空")}.get(key, key)
            button = QPushButton(text)
            button.setObjectName("padKey")
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.clicked.connect(lambda _=False, k=key: self._phone_key(k))
            self.phone_keys[key] = button
            keypad.addWidget(button, i // 3, i % 3)
        self.phone_hint.hide()
        phone_column = QVBoxLayout()
        phone_column.setSpacing(8)
        phone_column.addWidget(self.phone)
        phone_column.addWidget(self.phone_hint)
        phone_column.addLayout(keypad)
        body = QHBoxLayout()
        body.setSpacing(30)
        body.addLayout(reasons, 3)
        body.addLayout(phone_column, 2)
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setSpacing(10)
        layout.addWidget(self.reasons_title)
        layout.addWidget(self.reasons_detail)
        layout.addLayout(body, 1)
        layout.addWidget(self.reasons_countdown)
        return page

    def resizeEvent(self, event: QResizeEvent) -> None:
        # A 7" pad has 1024 px for five buttons side by side: narrower margins and gaps,
        # and the captions as large as the narrowest button allows ("非常不满意" is the
        # longest), so no caption touches its button's edges. Captions that do not fit
        # five in a row even at the smallest size (English) get two rows of three and two.
        small = self.width() < 1200
        margin, spacing = (20, 12) if small else (40, 18)
        self._outer.setContentsMargins(margin, 20 if small else 30, margin, 20 if small else 30)
        self._grid.setSpacing(spacing)
        available = self.width() - 2 * margin
        columns, size = 3, LEVEL_FONT_MIN
        for candidate in (5, 3):
            fitting = self._caption_size((available - (candidate - 1) * spacing) / candidate)
            if fitting >= LEVEL_FONT_MIN:
                columns, size = candidate, min(LEVEL_FONT_MAX, fitting)
                break
        self._arrange(columns)
        height = LEVEL_HEIGHT if columns == 5 or self.height() >= 760 else LEVEL_HEIGHT_TWO_ROWS
        for button in self.level_buttons.values():
            font = QFont(button.font())
            font.setBold(True)
            font.setPixelSize(size)
            button.setFont(font)
            button.setFixedHeight(height)
        super().resizeEvent(event)

    def _caption_size(self, button_width: float) -> int:
        """The largest px size at which every caption fits a button this wide."""
        probe = QFont(self.font())
        probe.setBold(True)
        probe.setPixelSize(100)
        widest = max(QFontMetricsF(probe).horizontalAdvance(b.text())
                     for b in self.level_buttons.values())
        return int((button_width - 2 * LEVEL_TEXT_MARGIN) / widest * 100)

    def _arrange(self, columns: int) -> None:
        """The buttons in ``columns`` equal columns, best first, row by row."""
        if columns == self._columns:
            return
        self._columns = columns
        for button in self.level_buttons.values():
            self._grid.removeWidget(button)
        for index, button in enumerate(self.level_buttons.values()):
            self._grid.addWidget(button, index // columns, index % columns)
        for column in range(5):
            self._grid.setColumnStretch(column, 1 if column < columns else 0)

    def columns(self) -> int:
        """How many rating buttons stand side by side (5, or 3 for long captions)."""
        return self._columns

    @staticmethod
    def _page(*labels_: QLabel, centred: bool = True) -> QWidget:
        """A page of centred lines; ``centred=False`` leaves the bottom open for more."""
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setSpacing(24)
        layout.addStretch(1)
        for label in labels_:
            layout.addWidget(label)
        if centred:
            layout.addStretch(1)
        return page

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Digits 1-5 rate while the question is shown (evaluation keypads type digits);
        on the reasons page digits type the phone, Backspace deletes, Enter submits."""
        text = event.text()
        if self.pages.currentIndex() == 1 and len(text) == 1 and text in "12345":
            self.rated.emit(int(text))
            return
        if self.pages.currentIndex() == REASONS_PAGE:
            if len(text) == 1 and text.isdigit() and text.isascii():
                self._phone_key(text)
                return
            if event.key() == Qt.Key.Key_Backspace:
                self._phone_key("delete")
                return
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self.reasons_submitted.emit()
                return
        super().keyPressEvent(event)

    def _phone_key(self, key: str) -> None:
        digits = self._phone_digits
        if key == "delete":
            digits = digits[:-1]
        elif key == "clear":
            digits = ""
        elif len(digits) < PHONE_MAX:
            digits += key
        self._phone_digits = digits
        self.phone.setText(digits or self.tr("联系电话（可不填）"))
        self.phone_hint.hide()

    def _skip(self) -> None:
        for button in self.reason_buttons.values():
            button.setChecked(False)
        self._phone_digits = ""
        self.reasons_submitted.emit()

    def show_reasons(self, level: int) -> None:
        self.reasons_title.setText(self.tr("很抱歉没能让您满意（%1）").replace(
            "%1", vocabulary.level_label(level)))
        for button in self.reason_buttons.values():
            button.setChecked(False)
        self._phone_key("clear")
        self.pages.setCurrentIndex(REASONS_PAGE)

    def reasons_given(self) -> tuple[list[str], str]:
        return [key for key, button in self.reason_buttons.items() if button.isChecked()], \
            self._phone_digits

    def show_phone_incomplete(self) -> None:
        self.phone_hint.setText(self.tr("电话号码不完整，请补全或清空"))
        self.phone_hint.show()

    def show_welcome(self, clerk_name: str, window: int | None) -> None:
        if window is None:
            self.welcome_detail.setText("")
        else:
            self.welcome_detail.setText(self.tr("{n} 号窗口 · 工作人员 {name}").format(
                n=window, name=clerk_name).rstrip())
        self.pages.setCurrentIndex(0)

    def show_question(self, ticket: TicketView, clerk_name: str, window: int | None,
                      case: CaseRef | None = None) -> None:
        """The question; ``case``: one of the ticket's cases, rated one after the other."""
        where = self.tr("{n} 号窗口 · 工作人员 {name}").format(n=window, name=clerk_name) \
            if window is not None else ""
        if case is None:
            self.question_title.setText(self.tr("请您对本次服务进行评价"))
            what = self.tr("{number} · {service}").format(number=ticket.number,
                                                          service=ticket.service_name)
        else:
            self.question_title.setText(self.tr("请您对第 {index} 件（共 {total} 件）进行评价")
                                        .format(index=case.index, total=case.total))
            what = self.tr("办件编号 {case} · {service}").format(case=case.number,
                                                              service=ticket.service_name)
        self.question_detail.setText(f"{what}\n{where}".strip())
        self.pages.setCurrentIndex(1)

    def show_seconds_left(self, seconds: int) -> None:
        self.countdown.setText(self.tr("{n} 秒后自动结束（记为未评价）").format(n=seconds))
        self.reasons_countdown.setText(self.tr("{n} 秒后自动提交").format(n=seconds))

    def show_thanks(self, level: int | None) -> None:
        self.thanks_title.setText(self.tr("感谢您的评价！"))
        self.thanks_detail.setText(self.tr("您的评价：{level}").format(
            level=vocabulary.level_label(level)))
        self.pages.setCurrentIndex(2)

    def show_not_saved(self) -> None:
        self.thanks_title.setText(self.tr("网络异常"))
        self.thanks_detail.setText(self.tr("评价可能未能保存，请告知工作人员。谢谢！"))
        self.pages.setCurrentIndex(2)

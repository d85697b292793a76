"""The small dialogs behind the buttons that need an answer first: the outcome of a
finished case (with the missing-materials notice), a hand-over, a pause reason, a
ticket number, a no-show to reinstate. Each emits ``chosen`` with the answer; the main
window passes it to the presenter."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from PySide6.QtCore import QEvent, QObject, QRect, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QShowEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from counter_app import labels
from counter_app.style import apply_counter_style, set_kind
from shared import vocabulary
from shared.hcp import CASE_NO_RE, CASE_OUTCOMES
from shared.qt.widgets.spaced_label import SpacedLabel
from shared.read.counter_view import NoShowTicket, TransferTargets
from shared.states import Outcome
from shared.ticket_number import MAX_LENGTH, from_input

# What a dialog leaves of the screen's available height for its own title bar.
TITLE_BAR_PX = 40


class CounterDialog(QDialog):
    """A dialog with a title, a body and OK / cancel; OK is enabled when ``ready()``."""

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("counterDialog")
        self.setWindowTitle(title)
        if parent is None:
            apply_counter_style(self)
        self.layout_ = QVBoxLayout(self)
        self.layout_.setContentsMargins(28, 22, 28, 22)
        self.layout_.setSpacing(14)
        heading = QLabel(title)
        heading.setObjectName("dialogTitle")
        self.layout_.addWidget(heading)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText(self.tr("确定"))
        self.ok.setDefault(True)
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("取消"))
        self.buttons.accepted.connect(self._accept)
        self.buttons.rejected.connect(self.reject)

    def finish_layout(self) -> None:
        self.layout_.addWidget(self.buttons)
        # Enter always means OK: no other button may take it over as the "auto default"
        # (a focused outcome button would otherwise toggle itself off on Enter).
        for button in self.findChildren(QPushButton):
            if button is not self.ok:
                button.setAutoDefault(False)
        self.update_ok()

    def ready(self) -> bool:
        return True

    def update_ok(self) -> None:
        self.ok.setEnabled(self.ready())

    def _accept(self) -> None:
        if self.ready():
            self.emit_choice()
            self.accept()

    def emit_choice(self) -> None:
        raise NotImplementedError


class CaseInput(QLineEdit):
    """The case number field: a barcode scanner types the number and ends with Enter,
    which adds it to the list (and does not close the dialog); Enter on an empty field
    is the dialog's OK as everywhere else."""

    scanned = Signal(str)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.text().strip():
            self.scanned.emit(self.text())
            event.accept()
            return
        super().keyPressEvent(event)


class ScrollBody(QScrollArea):
    """A dialog's body that scrolls when the screen is lower than the body (a 1024×600
    netbook at a counter, a service with many materials), so that OK and 取消 below it
    stay on screen; as tall as its content where the screen allows (QScrollArea's own
    size hint stops at 24 lines)."""

    def __init__(self, body: QWidget) -> None:
        super().__init__()
        self.setWidget(body)
        self.setWidgetResizable(True)
        self.setFrameShape(QScrollArea.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Tab goes to the fields inside
        # Named for the style sheet, which lets the dialog's background show through.
        self.setObjectName("dialogBody")
        self.viewport().setObjectName("dialogBody")
        body.setObjectName("dialogBody")

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # The body's content changed (a box shown, a case added): so does this hint.
        if watched is self.widget() and event.type() == QEvent.Type.LayoutRequest:
            self.updateGeometry()
        return super().eventFilter(watched, event)

    def sizeHint(self) -> QSize:
        body = self.widget()
        assert body is not None
        bar = self.verticalScrollBar().sizeHint().width()
        return body.sizeHint() + QSize(2 * self.frameWidth() + bar, 2 * self.frameWidth())


# Rows of case numbers the finish dialog shows before its list scrolls.
CASE_ROWS = 3


class FinishDialog(CounterDialog):
    """The case outcome: 办结, 受理, 材料不全 (then which materials are missing, with a
    notice the citizen can take home) or 咨询; and the numbers of the cases (办件编号) the
    visit ended, typed or scanned, each rated on its own on the pad."""

    # The outcome, the case numbers (办件编号) and, for 材料不全, the materials ticked
    # missing (recorded with the finish: the statistics rank them and the kiosk marks the
    # most often forgotten ones).
    chosen = Signal(str, list, list)
    print_requested = Signal(list)  # the missing materials, for the printed notice

    def __init__(self, number: str, service_name: str, materials: list[str],
                 parent: QWidget | None = None, *, then_call: str = "",
                 case_required: bool = False) -> None:
        """``then_call``: the clerk pressed a call key while serving ``number``; the case
        is finished with the outcome chosen here, then ``then_call`` names what is called
        next (叫下一位 or a number), and 办结 is preselected so Enter alone goes on.
        ``case_required``: the service needs a case number for 办结 and 受理."""
        super().__init__(self.tr("办理完成：{number} {service}").format(
            number=number, service=service_name), parent)
        body = QWidget()
        self.screen_area: QRect | None = None  # what fit_to_screen may use (None: the screen's)
        self.body = QVBoxLayout(body)
        self.body.setContentsMargins(0, 0, 0, 0)
        self.body.setSpacing(self.layout_.spacing())
        if then_call:
            notice = SpacedLabel(self.tr("{number} 仍在办理中。先按所选结果办理完成，然后{call}。")
                                 .format(number=number, call=then_call))
            notice.setObjectName("dialogNotice")
            self.body.addWidget(notice)
        self.body.addWidget(SpacedLabel(self.tr("请选择办理结果（数字键 1–4），按回车确定：")))
        grid = QGridLayout()
        self.group = QButtonGroup(self)
        self.outcome_buttons: dict[Outcome, QPushButton] = {}
        for index, outcome in enumerate(Outcome):
            button = QPushButton(f"{index + 1}  {vocabulary.outcome_label(outcome.value)}")
            button.setCheckable(True)
            button.setShortcut(QKeySequence(str(index + 1)))
            set_kind(button, "outcome")
            self.group.addButton(button)
            self.outcome_buttons[outcome] = button
            grid.addWidget(button, index // 2, index % 2)
        self.group.buttonToggled.connect(lambda *_: self._outcome_changed())
        self.body.addLayout(grid)

        self.materials_box = QWidget()
        box = QVBoxLayout(self.materials_box)
        box.setContentsMargins(0, 6, 0, 0)
        hint = SpacedLabel(self.tr("请勾选缺少的材料（一次性告知市民，并计入缺件统计）：") if materials
                           else self.tr("本业务没有登记所需材料清单，请口头告知市民。"))
        box.addWidget(hint)
        self.material_checks = [QCheckBox(m) for m in materials]
        # Two columns, in reading order (and Tab order): half the rows, so that a
        # service's five materials fit a 1366×768 screen with the rest of the dialog.
        ticks = QGridLayout()
        ticks.setHorizontalSpacing(24)
        ticks.setVerticalSpacing(2)
        for index, check in enumerate(self.material_checks):
            check.toggled.connect(lambda *_: self.update_ok())
            ticks.addWidget(check, index // 2, index % 2)
        ticks.setColumnStretch(2, 1)
        box.addLayout(ticks)
        self.print_button = QPushButton(self.tr("打印补正材料告知单"))
        self.print_button.setObjectName("dialogButton")
        self.print_button.clicked.connect(lambda: self.print_requested.emit(self.missing()))
        box.addWidget(self.print_button, 0, Qt.AlignmentFlag.AlignLeft)
        self.materials_box.hide()
        self.body.addWidget(self.materials_box)
        self.body.addWidget(self._cases_box(case_required))
        self.body.addStretch(1)
        self.scroll_body = ScrollBody(body)
        self.layout_.addWidget(self.scroll_body, 1)
        # Wide enough for the case number hint on one line (620 px, as the transfer dialog).
        self.setMinimumWidth(620)
        if then_call:
            self.outcome_buttons[Outcome.COMPLETED].setChecked(True)
            self.ok.setText(self.tr("完成并叫号"))
        self.finish_layout()

    def reveal(self, widget: QWidget) -> None:
        """Scroll the body to ``widget`` (the field the scanner types into, the ticks,
        why a number was refused) once the layout has settled after this change."""
        QTimer.singleShot(0, self, lambda: self.scroll_body.ensureWidgetVisible(widget, 0, 8))

    def showEvent(self, event: QShowEvent) -> None:
        # Sized here, not when built: the style sheet's fonts are known once shown.
        if not event.spontaneous():
            self.fit_to_screen()
        super().showEvent(event)

    def fit_to_screen(self, available: QRect | None = None, *, grow_only: bool = False
                      ) -> None:
        """As large as the content, but no larger than the screen's ``available`` area
        (default: ``screen_area``, else the screen it opens on without its task bar)
        less this dialog's title bar: on a low screen the body scrolls and OK stays in
        view. ``grow_only``: a case number added; the dialog does not shrink under the
        clerk's eyes."""
        self.scroll_body.updateGeometry()
        self.layout_.activate()
        hint = self.sizeHint()
        available = available or self.screen_area
        if available is None:
            screen = (self.parentWidget() or self).screen()
            available = screen.availableGeometry() if screen is not None else None
        if available is None:
            self.resize(hint)
            return
        width = min(hint.width(), available.width())
        height = min(hint.height(), available.height() - TITLE_BAR_PX)
        if grow_only:
            width, height = max(width, self.width()), max(height, self.height())
        self.resize(width, height)

    def _cases_box(self, required: bool) -> QWidget:
        self.case_required = required
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 6, 0, 0)
        self.case_hint = SpacedLabel(
            self.tr("办件编号（办结、受理必填；可扫码，回车添加，可添加多个）：") if required
            else self.tr("办件编号（可选；可扫码，回车添加，可添加多个）："))
        layout.addWidget(self.case_hint)
        row = QHBoxLayout()
        self.case_input = CaseInput()
        self.case_input.setObjectName("caseInput")
        self.case_input.setMaxLength(80)
        self.case_input.setPlaceholderText(self.tr("扫描或输入办件编号"))
        self.case_input.scanned.connect(self.add_case)
        self.case_input.textChanged.connect(lambda *_: self._case_typed())
        row.addWidget(self.case_input, 1)
        self.case_add = QPushButton(self.tr("添加"))
        self.case_add.setObjectName("dialogButton")
        self.case_add.clicked.connect(lambda: self.add_case(self.case_input.text()))
        row.addWidget(self.case_add)
        layout.addLayout(row)
        self.case_list = QListWidget()
        self.case_list.setObjectName("caseList")
        self.case_list.hide()
        layout.addWidget(self.case_list)
        self.case_problem = QLabel()
        self.case_problem.setObjectName("dialogNotice")
        self.case_problem.hide()
        layout.addWidget(self.case_problem)
        return box

    def add_case(self, text: str) -> None:
        """One case number from the field (typed, or scanned with its Enter)."""
        number = text.strip()
        if not number:
            return
        if not CASE_NO_RE.match(number):
            self.case_problem.setText(self.tr("办件编号“{number}”格式不对：应为 4-64 位字母、数字、- 或 _")
                                      .format(number=number))
            self.case_problem.show()
            self.fit_to_screen(grow_only=True)
            self.reveal(self.case_problem)
            return
        if number not in self._listed_cases():
            self.case_list.addItem(number)
        self.case_list.show()
        # Whole rows only, up to CASE_ROWS (then it scrolls): never a row cut in half.
        rows = min(self.case_list.count(), CASE_ROWS)
        self.case_list.setFixedHeight(rows * self.case_list.sizeHintForRow(0)
                                      + 2 * self.case_list.frameWidth())
        self.case_input.clear()
        self.case_problem.hide()
        self.fit_to_screen(grow_only=True)
        self.reveal(self.case_list)
        self.update_ok()

    def _case_typed(self) -> None:
        self.case_problem.hide()
        self.update_ok()

    def _listed_cases(self) -> list[str]:
        return [self.case_list.item(i).text() for i in range(self.case_list.count())]

    def cases(self) -> list[str]:
        """The case numbers added, in order; one typed but not yet added counts too."""
        numbers = self._listed_cases()
        typed = self.case_input.text().strip()
        if typed and CASE_NO_RE.match(typed) and typed not in numbers:
            numbers.append(typed)
        return numbers

    def selected(self) -> Outcome | None:
        for outcome, button in self.outcome_buttons.items():
            if button.isChecked():
                return outcome
        return None

    def missing(self) -> list[str]:
        return [check.text() for check in self.material_checks if check.isChecked()]

    def _outcome_changed(self) -> None:
        outcome = self.selected()
        if self.case_required and outcome is not None and outcome.value in CASE_OUTCOMES:
            # The scanner types where the focus is: in the case number field, not on
            # the outcome buttons (whose digit keys would take the number's digits).
            self.case_input.setFocus()
        self.materials_box.setVisible(self.selected() is Outcome.MATERIALS_MISSING)
        self.fit_to_screen()
        if self.materials_box.isVisible():
            self.reveal(self.materials_box)
        elif self.case_input.hasFocus():
            self.reveal(self.case_input)
        self.update_ok()

    def ready(self) -> bool:
        outcome = self.selected()
        typed = self.case_input.text().strip()
        if typed and not CASE_NO_RE.match(typed):
            return False  # a half-typed number is not silently dropped
        if outcome is Outcome.MATERIALS_MISSING and self.material_checks:
            self.print_button.setEnabled(bool(self.missing()))
            return bool(self.missing())
        if self.case_required and outcome is not None and outcome.value in CASE_OUTCOMES:
            return bool(self.cases())
        return outcome is not None

    def emit_choice(self) -> None:
        outcome = self.selected()
        assert outcome is not None
        self.chosen.emit(outcome.value, self.cases(),
                         self.missing() if outcome is Outcome.MATERIALS_MISSING else [])


class ConfirmDialog(CounterDialog):
    """A question before an action that cannot be undone from the counter (过号, 退出登录,
    calling a ticket of another service): Enter confirms, Esc cancels."""

    chosen = Signal()

    def __init__(self, title: str, question: str, accept_text: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(title, parent)
        text = QLabel(question)
        text.setWordWrap(True)
        text.setMinimumWidth(480)
        self.layout_.addWidget(text)
        self.ok.setText(accept_text)
        self.finish_layout()
        self.ok.setFocus()

    def emit_choice(self) -> None:
        self.chosen.emit()


class TransferDialog(CounterDialog):
    """Hand the case over to another service or another window, with a note."""

    chosen = Signal(object, object, str)  # service code or None, window or None, note

    def __init__(self, number: str, targets: TransferTargets, own_window: int,
                 parent: QWidget | None = None) -> None:
        super().__init__(self.tr("转办：{number}").format(number=number), parent)
        self.layout_.addWidget(QLabel(self.tr("市民保留原号码，无需重新取号。转往：")))
        self.to_service = QRadioButton(self.tr("业务"))
        self.to_window = QRadioButton(self.tr("窗口"))
        self.services = QComboBox()
        for service in targets.services:
            self.services.addItem(f"{service.name}（{service.prefix}）", service.code)
        self.windows = QComboBox()
        for window in targets.windows:
            if window.number != own_window:
                self.windows.addItem(self.tr("{n} 号窗口 · {name}").format(
                    n=window.number, name=window.name), window.number)
        grid = QGridLayout()
        grid.addWidget(self.to_service, 0, 0)
        grid.addWidget(self.services, 0, 1)
        grid.addWidget(self.to_window, 1, 0)
        grid.addWidget(self.windows, 1, 1)
        grid.setColumnStretch(1, 1)
        self.layout_.addLayout(grid)
        self.layout_.addWidget(QLabel(self.tr("转办说明（接办窗口可见）：")))
        self.note = QLineEdit()
        self.note.setMaxLength(200)
        self.note.setPlaceholderText(self.tr("例如：已核对身份证，需补录信息"))
        self.layout_.addWidget(self.note)
        for radio in (self.to_service, self.to_window):
            radio.toggled.connect(lambda *_: self._target_changed())
        self.to_service.setChecked(True)
        self.setMinimumWidth(620)
        self.finish_layout()

    def _target_changed(self) -> None:
        self.services.setEnabled(self.to_service.isChecked())
        self.windows.setEnabled(self.to_window.isChecked())
        self.update_ok()

    def ready(self) -> bool:
        combo = self.services if self.to_service.isChecked() else self.windows
        return combo.currentData() is not None

    def emit_choice(self) -> None:
        if self.to_service.isChecked():
            self.chosen.emit(self.services.currentData(), None, self.note.text())
        else:
            self.chosen.emit(None, self.windows.currentData(), self.note.text())


class PauseDialog(CounterDialog):
    """Why the window pauses; shown on the window display."""

    chosen = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("暂停服务"), parent)
        self.layout_.addWidget(QLabel(self.tr("暂停原因（显示在窗口屏上）：")))
        reasons = labels.pause_reasons()
        self.radios = [QRadioButton(reason) for reason in reasons]
        row = QHBoxLayout()
        for radio in self.radios:
            radio.toggled.connect(lambda *_: self._changed())
            row.addWidget(radio)
        row.addStretch(1)
        self.layout_.addLayout(row)
        self.other = QLineEdit()
        self.other.setMaxLength(60)
        self.other.setPlaceholderText(self.tr("请填写原因"))
        self.other.textChanged.connect(lambda *_: self.update_ok())
        self.layout_.addWidget(self.other)
        self.radios[0].setChecked(True)
        self.finish_layout()

    def _changed(self) -> None:
        self.other.setEnabled(self.radios[-1].isChecked())
        if self.radios[-1].isChecked():
            self.other.setFocus()
        self.update_ok()

    def reason(self) -> str:
        if self.radios[-1].isChecked():
            return self.other.text().strip()
        return next((r.text() for r in self.radios if r.isChecked()), "")

    def ready(self) -> bool:
        return bool(self.reason())

    def emit_choice(self) -> None:
        self.chosen.emit(self.reason())


class NumberDialog(CounterDialog):
    """A ticket number: to call a specific one, or to reprint."""

    chosen = Signal(str)

    def __init__(self, title: str, prompt: str, initial: str = "",
                 parent: QWidget | None = None) -> None:
        super().__init__(title, parent)
        self.layout_.addWidget(QLabel(prompt))
        self.number = QLineEdit(initial)
        self.number.setMaxLength(MAX_LENGTH + 4)  # room for stray spaces around it
        self.number.setPlaceholderText("A017")
        self.number.textChanged.connect(lambda *_: self.update_ok())
        self.layout_.addWidget(self.number)
        self.finish_layout()
        self.number.setFocus()  # the clerk types the number straight away

    def ready(self) -> bool:
        """OK only for a ticket number (shared.ticket_number: A017, AB017)."""
        return from_input(self.number.text()) is not None

    def emit_choice(self) -> None:
        wanted = from_input(self.number.text())
        if wanted is not None:
            self.chosen.emit(wanted)


class ReinstateDialog(CounterDialog):
    """Pick today's no-show who came back; they rejoin the queue after a few others."""

    chosen = Signal(object)  # NoShowTicket

    def __init__(self, no_shows: list[NoShowTicket], zone: ZoneInfo | None = None,
                 parent: QWidget | None = None) -> None:
        """``zone``: the site's, for the call times (None: the PC's)."""
        super().__init__(self.tr("过号重排"), parent)
        self.layout_.addWidget(QLabel(self.tr("今天本窗口业务的过号（最近的在前）：") if no_shows
                                      else self.tr("今天本窗口业务没有过号的票。")))
        self.list = QListWidget()
        for ticket in no_shows:
            called = (ticket.called_at.astimezone(zone).strftime("%H:%M") if ticket.called_at
                      else "")
            item = QListWidgetItem(self.tr("{number}   {service}   叫号于 {time}").format(
                number=ticket.number, service=ticket.service_name, time=called))
            item.setData(Qt.ItemDataRole.UserRole, ticket)
            self.list.addItem(item)
        self.list.itemSelectionChanged.connect(self.update_ok)
        self.list.itemDoubleClicked.connect(lambda *_: self._accept())
        self.list.setVisible(bool(no_shows))
        self.layout_.addWidget(self.list)
        if no_shows:
            self.list.setCurrentRow(0)
        self.setMinimumWidth(560)
        self.finish_layout()

    def ready(self) -> bool:
        return self.list.currentItem() is not None and bool(self.list.selectedItems())

    def emit_choice(self) -> None:
        item = self.list.currentItem()
        self.chosen.emit(item.data(Qt.ItemDataRole.UserRole))

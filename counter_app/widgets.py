"""The main screen's parts: the ticket the window holds, the window's queue and the
action buttons. Passive: they show what they are given and report clicks."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from counter_app import labels
from counter_app.actions import ACTION_KEYS, CounterAction
from counter_app.style import set_kind
from shared import vocabulary
from shared.qt.widgets.tables import set_row
from shared.read.counter_view import CounterSnapshot
from shared.views import TicketView

GREEN_TEXT = QColor("#1b7a34")
APPOINTMENT_TEXT = QColor("#1565c0")


def card(title: str) -> tuple[QFrame, QVBoxLayout]:
    frame = QFrame()
    frame.setObjectName("card")
    layout = QVBoxLayout(frame)
    layout.setContentsMargins(20, 14, 20, 16)
    heading = QLabel(title)
    heading.setObjectName("cardTitle")
    layout.addWidget(heading)
    return frame, layout


def _alignment(figure: bool) -> Qt.AlignmentFlag:
    horizontal = Qt.AlignmentFlag.AlignHCenter if figure else Qt.AlignmentFlag.AlignLeft
    return horizontal | Qt.AlignmentFlag.AlignVCenter


class TicketPanel(QFrame):
    """The ticket the window holds: number, service, kind, state, wait and service time."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("card")
        self._held: TicketView | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 16, 24, 20)
        self.title = QLabel(self.tr("当前办理"))
        self.title.setObjectName("cardTitle")
        layout.addWidget(self.title)
        number_row = QHBoxLayout()
        self.number = QLabel()
        self.number.setObjectName("heldNumber")
        number_row.addWidget(self.number)
        self.badges = QVBoxLayout()
        self.kind_badge = QLabel()
        self.kind_badge.setObjectName("badge")
        self.transfer_badge = QLabel(self.tr("转办"))
        self.transfer_badge.setObjectName("badge")
        set_kind(self.transfer_badge, "transferred")
        for badge in (self.kind_badge, self.transfer_badge):
            self.badges.addWidget(badge, 0, Qt.AlignmentFlag.AlignLeft)
        self.badges.addStretch(1)
        number_row.addLayout(self.badges)
        number_row.addStretch(1)
        layout.addLayout(number_row)
        self.service = QLabel()
        self.service.setObjectName("heldService")
        self.service.setWordWrap(True)
        self.state = QLabel()
        self.state.setObjectName("heldState")
        self.times = QLabel()
        self.times.setObjectName("heldTimes")
        self.note = QLabel()
        self.note.setObjectName("heldNote")
        self.note.setWordWrap(True)
        for label in (self.service, self.state, self.times, self.note):
            layout.addWidget(label)
        layout.addStretch(1)
        self.materials = QLabel()
        self.materials.setObjectName("heldMaterials")
        self.materials.setWordWrap(True)
        layout.addWidget(self.materials)

    def show_snapshot(self, snapshot: CounterSnapshot) -> None:
        window = snapshot.window
        self._held = held = snapshot.held
        self.kind_badge.setVisible(held is not None and held.kind != "normal")
        self.transfer_badge.setVisible(held is not None and held.transferred)
        self.note.setVisible(held is not None and bool(held.note))
        self.materials.setVisible(held is not None and bool(snapshot.held_materials))
        if held is None:
            self._show_empty(window.paused, window.pause_reason or "",
                             snapshot.upcoming[0] if snapshot.upcoming else None)
            return
        set_kind(self, "")
        set_kind(self.number, "")
        self.number.setText(held.number)
        if held.kind != "normal":
            self.kind_badge.setText(vocabulary.kind_label(held.kind))
            set_kind(self.kind_badge, held.kind)
        self.service.setText(held.service_name)
        self.state.setText(vocabulary.state_label(held.state))
        set_kind(self.state, held.state)
        self.note.setText(self.tr("转办说明：{note}").format(note=held.note))
        self.materials.setText(self.tr("所需材料：") + "；".join(
            f"{index}. {item}" for index, item in enumerate(snapshot.held_materials, 1)))

    def _show_empty(self, paused: bool, reason: str, next_up: TicketView | None) -> None:
        set_kind(self, "paused" if paused else "")
        set_kind(self.number, "paused" if paused else "idle")
        set_kind(self.state, "hint")
        if paused:
            self.number.setText(self.tr("暂停服务"))
            self.service.setText(self.tr("原因：{reason}").format(reason=reason))
            self.state.setText(self.tr("恢复服务（F9）后才能叫号"))
        elif next_up is not None:
            self.number.setText(self.tr("空闲"))
            kind = "" if next_up.kind == "normal" else \
                self.tr("（{kind}）").format(kind=vocabulary.kind_label(next_up.kind))
            self.service.setText(self.tr("下一位：{number} {service}{kind}").format(
                number=next_up.number, service=next_up.service_name, kind=kind))
            self.state.setText(self.tr("按 F1 叫号"))
        else:
            self.number.setText(self.tr("空闲"))
            self.service.setText(self.tr("目前没有人等候本窗口"))
            self.state.setText("")
        self.times.setText("")

    def show_clock(self, now: dt.datetime) -> None:
        held = self._held
        if held is None:
            return
        waited = labels.minutes(labels.since(held.queued_at, held.called_at or now))
        if held.started_at is not None:
            running = self.tr("已办理 {time}").format(
                time=labels.clock((now - held.started_at).total_seconds()))
        else:
            running = self.tr("叫号后 {time}").format(
                time=labels.clock(labels.since(held.called_at, now) or 0))
        self.times.setText(self.tr("等候 {waited} · {running}").format(waited=waited,
                                                                    running=running))


class QueuePanel(QFrame):
    """The window's queue: per service counts and oldest waits, then the next tickets."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("card")
        self._snapshot: CounterSnapshot | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 14, 16, 16)
        self.title = QLabel(self.tr("本窗口等候"))
        self.title.setObjectName("cardTitle")
        layout.addWidget(self.title)
        self.services = self._table([self.tr("业务"), self.tr("等候"), self.tr("最久等候"),
                                     self.tr("绿色通道"), self.tr("预约")], stretch=0,
                                    figures={1, 2, 3, 4})
        layout.addWidget(self.services)
        self.next_title = QLabel(self.tr("接下来"))
        self.next_title.setObjectName("cardTitle")
        layout.addWidget(self.next_title)
        self.next = self._table([self.tr("号码"), self.tr("业务"), self.tr("类型"),
                                 self.tr("已等候")], stretch=1, figures={3})
        layout.addWidget(self.next, 1)

    @staticmethod
    def _fit_height(table: QTableWidget) -> None:
        """Tall enough for every row: the per-service table never scrolls."""
        rows = sum(table.rowHeight(row) for row in range(table.rowCount()))
        table.setFixedHeight(table.horizontalHeader().height() + rows + 4)

    @staticmethod
    def _table(headers: list[str], stretch: int, figures: set[int]) -> QTableWidget:
        """A read-only table; column ``stretch`` takes the spare width. Columns of figures
        are centred, text columns left-aligned, headers alike."""
        table = QTableWidget(0, len(headers))
        table.setProperty("figures", sorted(figures))
        for column, text in enumerate(headers):
            item = QTableWidgetItem(text)
            item.setTextAlignment(_alignment(column in figures))
            table.setHorizontalHeaderItem(column, item)
        table.verticalHeader().setVisible(False)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        table.setShowGrid(False)
        header = table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
        return table

    def show_snapshot(self, snapshot: CounterSnapshot) -> None:
        self._snapshot = snapshot
        total = snapshot.waiting
        self.title.setText(self.tr("本窗口等候：{n} 人").format(n=total))
        self.show_clock(snapshot.server_now)

    def show_clock(self, now: dt.datetime) -> None:
        snapshot = self._snapshot
        if snapshot is None:
            return
        self.services.setRowCount(len(snapshot.services))
        for row, line in enumerate(snapshot.services):
            self._set_row(self.services, row, [
                line.name, str(line.waiting),
                labels.minutes(labels.since(line.oldest_queued_at, now)) if line.waiting else "—",
                str(line.green) if line.green else "", str(line.appointment) if line.appointment
                else ""])
        self._fit_height(self.services)
        shown = snapshot.upcoming
        self.next.setRowCount(len(shown))
        for row, ticket in enumerate(shown):
            kind = vocabulary.kind_label(ticket.kind) if ticket.kind != "normal" else ""
            if ticket.transferred:
                kind = (kind + " " + self.tr("转办")).strip()
            self._set_row(self.next, row, [ticket.number, ticket.service_name, kind,
                                           labels.minutes(labels.since(ticket.queued_at, now))])
            color = {"green": GREEN_TEXT, "appointment": APPOINTMENT_TEXT}.get(ticket.kind)
            if color is not None:
                for column in (0, 2):
                    item = self.next.item(row, column)
                    item.setForeground(color)
                    font = item.font()
                    font.setBold(True)
                    item.setFont(font)

    @staticmethod
    def _set_row(table: QTableWidget, row: int, values: list[str]) -> None:
        figures = table.property("figures")
        set_row(table, row, values, foreground=QColor("#1c2833"),
                alignments=[_alignment(column in figures) for column in range(len(values))])


_BUTTON_KINDS = {
    CounterAction.CALL_NEXT: "call", CounterAction.RECALL: "recall",
    CounterAction.START: "start", CounterAction.FINISH: "finish",
    CounterAction.NO_SHOW: "noshow", CounterAction.TRANSFER: "transfer",
    CounterAction.CALL_NUMBER: "plain", CounterAction.REINSTATE: "plain",
    CounterAction.PAUSE: "pause", CounterAction.RESUME: "resume",
    CounterAction.REPRINT: "plain",
}


class ActionBar(QWidget):
    """Large buttons for every action, each showing its keyboard shortcut; pause and
    resume share one button."""

    triggered = Signal(str)  # CounterAction value

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.buttons: dict[CounterAction, QPushButton] = {}
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setSpacing(10)
        column = 0
        for key in ACTION_KEYS:
            if key.action is CounterAction.RESUME:
                continue  # lives on the pause button
            button = QPushButton()
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.clicked.connect(lambda _=False, a=key.action: self._clicked(a))
            set_kind(button, _BUTTON_KINDS[key.action])
            self.buttons[key.action] = button
            grid.addWidget(button, column // 5, column % 5)
            column += 1
        self._paused = False
        self.set_enabled(frozenset())
        self._label_all()

    def set_paused(self, paused: bool) -> None:
        """The window is paused: the pause button becomes the resume button."""
        if paused != self._paused:
            self._paused = paused
            set_kind(self.buttons[CounterAction.PAUSE], "resume" if paused else "pause")
            self._label_all()

    def _clicked(self, action: CounterAction) -> None:
        if action is CounterAction.PAUSE and self._paused:
            action = CounterAction.RESUME
        self.triggered.emit(action.value)

    def _label_all(self) -> None:
        for key in ACTION_KEYS:
            if key.action is CounterAction.RESUME:
                continue
            action = key.action
            if action is CounterAction.PAUSE and self._paused:
                action = CounterAction.RESUME
            button = self.buttons[key.action]
            button.setText(f"{labels.action_label(action)}\n{key.shortcut}")
            # setText() replaces the shortcut with the text's mnemonic (none here), so the
            # key is bound after the text, every time the text changes.
            button.setShortcut(QKeySequence(key.shortcut))

    def set_enabled(self, enabled: frozenset[CounterAction]) -> None:
        for action, button in self.buttons.items():
            if action is CounterAction.PAUSE:
                button.setEnabled(bool({CounterAction.PAUSE, CounterAction.RESUME} & enabled))
            else:
                button.setEnabled(action in enabled)

    def button(self, action: CounterAction) -> QPushButton:
        return self.buttons[CounterAction.PAUSE if action is CounterAction.RESUME else action]

"""The follow-up list (差评回访与整改) of bad ratings: filtered by state and by overdue,
overdue rows in red; the selected one's detail (the citizen's whole phone number: the only
screen that shows it), its steps so far with who and when, and the next step — 回访,
整改, 办结 with the citizen's opinion — or an appeal (申诉) of the rating."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from shared import vocabulary
from shared.followups import FollowUpView
from shared.privacy import mask_phone
from shared.qt.widgets.tables import set_row

OVERDUE_FILL = QColor("#FDECEA")
# step -> the state it starts from
STEP_FROM = {"contact": "open", "rectify": "contacted", "close": "rectified"}


class FollowUpPanel(QWidget):
    refresh_requested = Signal()
    step_requested = Signal(int, str, str, str)  # id, step, note, opinion ("" unless close)
    appeal_requested = Signal(int, str, str)  # id, kind, reason

    def __init__(self, timezone: str = "Asia/Shanghai", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.zone = ZoneInfo(timezone)
        self.items: list[FollowUpView] = []
        self._editing_id: int | None = None
        self.online = True
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        self.status_filter = QComboBox()
        self.status_filter.setObjectName("statusFilter")
        for label, value in ((self.tr("未办结"), "pending"), (self.tr("待回访"), "open"),
                             (self.tr("已回访"), "contacted"), (self.tr("已整改"), "rectified"),
                             (self.tr("已办结"), "closed"), (self.tr("全部"), None)):
            self.status_filter.addItem(label, value)
        self.status_filter.currentIndexChanged.connect(lambda _i: self.refresh_requested.emit())
        self.overdue_only = QCheckBox(self.tr("只看逾期"))
        self.overdue_only.setObjectName("overdueOnly")
        self.overdue_only.toggled.connect(lambda _on: self.refresh_requested.emit())
        self.count = QLabel()
        top.addWidget(QLabel(self.tr("差评回访与整改")))
        top.addWidget(self.status_filter)
        top.addWidget(self.overdue_only)
        top.addStretch(1)
        top.addWidget(self.count)
        layout.addLayout(top)
        splitter = QSplitter(Qt.Orientation.Vertical)
        self.headers = [self.tr("日期"), self.tr("票号"), self.tr("办件编号"), self.tr("业务"),
                        self.tr("窗口"),
                        self.tr("工作人员"), self.tr("评价"), self.tr("意见"), self.tr("联系电话"),
                        self.tr("状态"), self.tr("回访期限"), self.tr("整改期限"), self.tr("提示")]
        self.table = QTableWidget(0, len(self.headers))
        self.table.setHorizontalHeaderLabels(self.headers)
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableWidget.SelectionMode.SingleSelection)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setSectionResizeMode(7, QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self._selected)
        splitter.addWidget(self.table)
        splitter.addWidget(self._editor())
        splitter.setSizes([420, 340])
        layout.addWidget(splitter, 1)
        self._selected()

    def _editor(self) -> QWidget:
        box = QGroupBox(self.tr("回访记录"))
        form = QFormLayout(box)
        self.detail = QLabel()
        self.detail.setObjectName("followUpDetail")
        self.detail.setWordWrap(True)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.history = QLabel()
        self.history.setObjectName("followUpHistory")
        self.history.setWordWrap(True)
        self.note = QPlainTextEdit()
        self.note.setPlaceholderText(self.tr("本步说明：回访情况、整改措施或办结说明"))
        self.note.setMaximumHeight(80)
        self.opinion = QComboBox()
        for label, value in ((self.tr("满意"), "satisfied"), (self.tr("基本满意"), "basic"),
                             (self.tr("不满意"), "dissatisfied")):
            self.opinion.addItem(label, value)
        self.contact_button = QPushButton(self.tr("记录回访"))
        self.contact_button.setObjectName("contactFollowUp")
        self.rectify_button = QPushButton(self.tr("记录整改"))
        self.rectify_button.setObjectName("rectifyFollowUp")
        self.close_button = QPushButton(self.tr("办结"))
        self.close_button.setObjectName("closeFollowUp")
        for button, step in ((self.contact_button, "contact"), (self.rectify_button, "rectify"),
                             (self.close_button, "close")):
            button.clicked.connect(lambda _=False, s=step: self._step(s))
        self.appeal_kind = QComboBox()
        for label, value in ((self.tr("恶意差评"), "malicious"), (self.tr("误评"), "mistaken")):
            self.appeal_kind.addItem(label, value)
        self.appeal_reason = QLineEdit()
        self.appeal_reason.setPlaceholderText(self.tr("申诉理由（必填）"))
        self.appeal_reason.setMaxLength(500)
        self.appeal_button = QPushButton(self.tr("申诉"))
        self.appeal_button.setObjectName("appealFollowUp")
        self.appeal_button.clicked.connect(self._appeal)
        form.addRow(self.detail)
        form.addRow(self.history)
        form.addRow(self.tr("说明"), self.note)
        steps = QHBoxLayout()
        steps.addWidget(self.contact_button)
        steps.addWidget(self.rectify_button)
        steps.addStretch(1)
        steps.addWidget(QLabel(self.tr("群众对整改的意见")))
        steps.addWidget(self.opinion)
        steps.addWidget(self.close_button)
        form.addRow(steps)
        appeal = QHBoxLayout()
        appeal.addWidget(self.appeal_kind)
        appeal.addWidget(self.appeal_reason, 1)
        appeal.addWidget(self.appeal_button)
        form.addRow(self.tr("申诉"), appeal)
        return box

    # ------------------------------------------------------------------ filters

    def current_status(self) -> str | None:
        value = self.status_filter.currentData()
        return str(value) if value else None

    def overdue(self) -> bool:
        return self.overdue_only.isChecked()

    def show_overdue(self) -> None:
        """Every overdue follow-up, whatever its state (the live view's 逾期 link)."""
        self.status_filter.blockSignals(True)
        self.status_filter.setCurrentIndex(self.status_filter.findData("pending"))
        self.status_filter.blockSignals(False)
        if self.overdue_only.isChecked():
            self.refresh_requested.emit()
        else:
            self.overdue_only.setChecked(True)

    # ------------------------------------------------------------------ the list

    def _time(self, value: dt.datetime | None) -> str:
        return value.astimezone(self.zone).strftime("%m-%d %H:%M") if value else ""

    def _due(self, day: dt.date) -> str:
        """A deadline as the last day it covers (it falls due at the local midnight
        after it: shown as that midnight, it read as a day later)."""
        return self.tr("%1 当日").replace("%1", day.strftime("%m-%d"))


    def hint_text(self, item: FollowUpView) -> str:
        if item.appeal is not None:
            return self.tr("已申诉（%1）").replace("%1", vocabulary.appeal_label(item.appeal))
        if item.overdue == "contact":
            return self.tr("回访逾期")
        if item.overdue == "rectify":
            return self.tr("整改逾期")
        return ""

    def cases_text(self, item: FollowUpView) -> str:
        return self.tr("、").join(item.cases) if item.cases else "—"

    def set_items(self, items: list[FollowUpView]) -> None:
        selected = self.selected_item()
        self.items = items
        self.table.blockSignals(True)  # one _selected() at the end, not one per row
        self.table.clearSelection()
        self.table.setRowCount(len(items))
        for row, f in enumerate(items):
            cells = [f.business_day.isoformat(), f.ticket_number, self.cases_text(f), f.service,
                     str(f.window or "—"), f.clerk or "—", vocabulary.level_label(f.level),
                     f.comment,
                     mask_phone(f.phone) or self.tr("未留"),  # in full only in the detail
                     vocabulary.follow_up_state_label(f.status), self._due(f.contact_due_day),
                     self._due(f.rectify_due_day), self.hint_text(f)]
            overdue = f.overdue is not None
            set_row(self.table, row, cells, background=OVERDUE_FILL if overdue else None,
                    foreground=QColor("#B71C1C") if overdue else None)
            if selected is not None and f.id == selected.id:
                self.table.selectRow(row)
        self.table.blockSignals(False)
        late = sum(1 for f in items if f.overdue is not None)
        self.count.setText(self.tr("共 %1 条，逾期 %2 条").replace("%1", str(len(items)))
                           .replace("%2", str(late)))
        self._selected()

    def selected_item(self) -> FollowUpView | None:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        if not rows or rows[0].row() >= len(self.items):
            return None
        return self.items[rows[0].row()]

    # ------------------------------------------------------------------ the detail

    def _selected(self) -> None:
        item = self.selected_item()
        self._enable(item)
        if item is None:
            self._editing_id = None
            self.detail.setText(self.tr("请在上方选择一条回访记录。"))
            self.history.clear()
            self.note.clear()
            self.appeal_reason.clear()
            return
        ticket = (self.tr("%1 办件 %2").replace("%1", item.ticket_number)
                  .replace("%2", self.cases_text(item)) if item.cases else item.ticket_number)
        self.detail.setText(self.tr("%1 %2（%3）评价“%4”：%5").replace("%1", item.business_day
                            .isoformat()).replace("%2", ticket)
                            .replace("%3", item.service).replace("%4", vocabulary.level_label(item.level))
                            .replace("%5", item.comment or self.tr("无意见"))
                            + "\n" + (self.tr("联系电话：%1").replace("%1", item.phone)
                                       if item.phone else self.tr("未留联系电话"))
                            + "\n" + self.tr("回访期限 %1，整改期限 %2")
                            .replace("%1", self._due(item.contact_due_day))
                            .replace("%2", self._due(item.rectify_due_day)))
        self.history.setText("\n".join(self._history(item)))
        if item.id == self._editing_id:
            return  # the list was refreshed: keep what the supervisor is typing
        self._editing_id = item.id
        self.note.clear()
        self.appeal_reason.clear()

    def _history(self, item: FollowUpView) -> list[str]:
        lines = []
        for label, at, by, note in ((self.tr("回访"), item.contacted_at, item.contacted_by,
                                     item.contact_result),
                                    (self.tr("整改"), item.rectified_at, item.rectified_by,
                                     item.rectify_note),
                                    (self.tr("办结"), item.closed_at, item.closed_by, item.note)):
            if at is not None:
                lines.append(self.tr("%1：%2 %3 %4").replace("%1", label)
                             .replace("%2", self._time(at)).replace("%3", by or "—")
                             .replace("%4", note))
        if item.opinion:
            lines.append(self.tr("群众对整改的意见：%1").replace("%1",
                                                        vocabulary.opinion_label(item.opinion)))
        if item.appeal is not None and item.appealed_at is not None:
            lines.append(self.tr("申诉（%1）：%2 %3 %4").replace("%1", vocabulary.appeal_label(item.appeal))
                         .replace("%2", self._time(item.appealed_at))
                         .replace("%3", item.appealed_by or "—").replace("%4", item.appeal_reason))
        return lines

    def _enable(self, item: FollowUpView | None) -> None:
        on = self.online and item is not None
        state = item.status if item is not None else ""
        self.contact_button.setEnabled(on and state == STEP_FROM["contact"])
        self.rectify_button.setEnabled(on and state == STEP_FROM["rectify"])
        self.close_button.setEnabled(on and state == STEP_FROM["close"])
        self.opinion.setEnabled(on and state == STEP_FROM["close"])
        self.note.setEnabled(on and state != "closed")
        appealable = on and item is not None and item.appeal is None
        for widget in (self.appeal_kind, self.appeal_reason, self.appeal_button):
            widget.setEnabled(appealable)

    def _step(self, step: str) -> None:
        item = self.selected_item()
        if item is not None:
            opinion = str(self.opinion.currentData()) if step == "close" else ""
            # The box wraps a long note; a line break typed in it only separates, and a
            # note is one line (shared/followups.py refuses control characters).
            note = " ".join(self.note.toPlainText().splitlines())
            self.step_requested.emit(item.id, step, note, opinion)
            self._editing_id = None  # the next refresh shows the step done, the note cleared

    def _appeal(self) -> None:
        item = self.selected_item()
        if item is not None:
            self.appeal_requested.emit(item.id, str(self.appeal_kind.currentData()),
                                       self.appeal_reason.text())
            self._editing_id = None

    def set_online(self, online: bool) -> None:
        self.online = online
        self._enable(self.selected_item())

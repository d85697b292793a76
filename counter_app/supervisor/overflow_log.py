"""The recorded overflow suggestions (潮汐窗口记录): every suggestion the live view made and
recorded (shared/overflow.py), newest first, for the office to see when the hall ran
short. Opened from the live view's overflow line; filled off the GUI thread by the
supervisor window."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from shared.overflow import RecordedOverflow

LOG_DAYS = 30  # the dialog lists the suggestions of the last days


class OverflowLogDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("潮汐窗口记录"))
        self.resize(900, 480)
        layout = QVBoxLayout(self)
        self.summary = QLabel(self.tr("正在读取……"))
        self.summary.setObjectName("overflowLogSummary")
        layout.addWidget(self.summary)
        self.table = QTableWidget(0, 6)
        self.table.setHorizontalHeaderLabels([
            self.tr("时间"), self.tr("业务"), self.tr("等候人数"), self.tr("预计等候（分钟）"),
            self.tr("目标（分钟）"), self.tr("可协助窗口")])
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        layout.addWidget(self.table, 1)
        self.items: list[RecordedOverflow] = []

    def set_items(self, items: list[RecordedOverflow]) -> None:
        self.items = items
        if items:
            self.summary.setText(self.tr("近 {days} 天共 {n} 条潮汐窗口建议（最新的在前）").format(
                days=LOG_DAYS, n=len(items)))
        else:
            self.summary.setText(self.tr("近 {days} 天没有潮汐窗口建议").format(days=LOG_DAYS))
        self.table.setRowCount(len(items))
        for row, item in enumerate(items):
            values = [item.local_at.strftime("%Y-%m-%d %H:%M"), item.service_name,
                      str(item.waiting), str(item.predicted_minutes), str(item.target_minutes),
                      self.tr("、").join(str(n) for n in item.windows)]  # ", " in English
            for column, text in enumerate(values):
                self.table.setItem(row, column, QTableWidgetItem(text))

    def set_failed(self) -> None:
        self.items = []
        self.table.setRowCount(0)
        self.summary.setText(self.tr("暂时无法读取潮汐窗口记录"))

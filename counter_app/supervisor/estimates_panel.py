"""The accuracy of the wait estimates citizens were shown (预计等候准确度): per day and
service, how far the point estimate was from the actual wait, how often the wait fell
inside the shown range, and how wide the ranges were (shared/stats/estimates.py; the
definitions are in docs/prediction.md)."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import (
    QDateEdit,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from shared.qt.widgets.tables import read_only_table, set_row
from shared.stats.estimates import EstimateAccuracy

DEFAULT_DAYS = 7  # the range the tab opens with: the last week, today included


class EstimatesPanel(QWidget):
    """Date range, a button, and one row per day and service (then per day, then all)."""

    requested = Signal(object, object)  # start, end (datetime.date)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows: list[EstimateAccuracy] = []
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        today = QDate.currentDate()
        self.start = QDateEdit(today.addDays(1 - DEFAULT_DAYS))
        self.end = QDateEdit(today)
        for edit in (self.start, self.end):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
        self.query = QPushButton(self.tr("查询"))
        self.query.clicked.connect(self._request)
        top.addWidget(QLabel(self.tr("从")))
        top.addWidget(self.start)
        top.addWidget(QLabel(self.tr("到")))
        top.addWidget(self.end)
        top.addWidget(self.query)
        top.addStretch(1)
        layout.addLayout(top)
        self.summary = QLabel("")
        self.summary.setObjectName("estimateSummary")
        layout.addWidget(self.summary)
        self.table = read_only_table([
            self.tr("日期"), self.tr("业务"), self.tr("取号数"), self.tr("平均误差（分钟）"),
            self.tr("落在显示区间内"), self.tr("区间平均宽度（分钟）")], stretch="all")
        layout.addWidget(self.table, 1)
        note = QLabel(self.tr("只统计取号时显示了预计等候、且已被叫号办理的号；等候时间按首次排队计算。"))
        note.setWordWrap(True)
        layout.addWidget(note)

    def _request(self) -> None:
        self.requested.emit(self.start.date().toPython(), self.end.date().toPython())

    def range(self) -> tuple[dt.date, dt.date]:
        return self.start.date().toPython(), self.end.date().toPython()  # type: ignore[return-value]

    def set_rows(self, rows: list[EstimateAccuracy]) -> None:
        self.rows = rows
        shown = [r for r in rows if r.day is not None]
        self.table.setRowCount(len(shown))
        for i, row in enumerate(shown):
            assert row.day is not None
            name = row.service_name if row.service else self.tr("全部业务")
            values = [row.day.isoformat(), name, str(row.tickets), _number(row.mae_minutes),
                      _percent(row.coverage), _number(row.mean_width_minutes)]
            set_row(self.table, i, values)
        overall = rows[-1] if rows and rows[-1].day is None else None
        if overall is None or not overall.tickets:
            self.summary.setText(self.tr("所选日期内没有可统计的预计等候"))
            return
        self.summary.setText(self.tr(
            "共 {n} 个号：平均误差 {mae} 分钟，{coverage} 的实际等候落在显示区间内，"
            "区间平均宽 {width} 分钟").format(
            n=overall.tickets, mae=_number(overall.mae_minutes),
            coverage=_percent(overall.coverage), width=_number(overall.mean_width_minutes)))


def _number(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}"


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.0f}%"

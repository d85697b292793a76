"""The staffing plan tab (排班建议): for a coming week, the windows each service needs per
half-hour (shared/staffing.py, docs/staffing.md), a chart per day of the proposed windows
(checked by simulation) against the site's windows, the cells where the windows serving a
service fall short, and an Excel export a hall office can print."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from counter_app.supervisor.charts import BarChart, Series
from shared import vocabulary
from shared.qt.widgets.tables import set_row
from shared.staffing import FIRST_WEEK, LAST_WEEK, StaffingPlan, slot_label

SHORT = QColor("#FDE2E1")


def next_monday(today: dt.date) -> dt.date:
    return today + dt.timedelta(days=7 - today.weekday())


def monday_of(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


class StaffingPanel(QWidget):
    """Week (a Monday), 生成, a day chooser, the day's chart and its cells."""

    requested = Signal(object)  # the Monday (datetime.date)
    export_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.plan: StaffingPlan | None = None
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        monday = next_monday(QDate.currentDate().toPython())  # type: ignore[arg-type]
        self.week = QDateEdit(QDate(monday.year, monday.month, monday.day))
        self.week.setCalendarPopup(True)
        self.week.setDisplayFormat("yyyy-MM-dd")
        # A plan is made for a week from Monday: another day is moved to its week's Monday
        # (and the screen says so) rather than refused by the planner.
        self.week.setMinimumDate(QDate(FIRST_WEEK.year, FIRST_WEEK.month, FIRST_WEEK.day))
        self.week.setMaximumDate(QDate(LAST_WEEK.year, LAST_WEEK.month, LAST_WEEK.day))
        self.week.editingFinished.connect(self._snap_to_monday)
        self._snapping = False
        self.week.dateChanged.connect(self._date_changed)
        self.make = QPushButton(self.tr("生成排班建议"))
        self.make.clicked.connect(self._request)
        self.day = QComboBox()
        self.day.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.day.currentIndexChanged.connect(lambda _i: self._show_day())
        self.export = QPushButton(self.tr("导出 Excel"))
        self.export.setEnabled(False)
        self.export.clicked.connect(self.export_requested.emit)
        top.addWidget(QLabel(self.tr("周一日期")))
        top.addWidget(self.week)
        top.addWidget(self.make)
        top.addWidget(QLabel(self.tr("查看")))
        top.addWidget(self.day)
        top.addStretch(1)
        top.addWidget(self.export)
        layout.addLayout(top)
        self.snapped = QLabel("")
        self.snapped.setObjectName("staffingSnapped")
        self.snapped.setVisible(False)
        layout.addWidget(self.snapped)
        self.summary = QLabel("")
        self.summary.setObjectName("staffingSummary")
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        splitter = QSplitter()
        self.chart = BarChart(self.tr("每半小时需要的窗口数"))
        splitter.addWidget(self.chart)
        self.table = QTableWidget(0, 8)
        # Two-line headings, each column as wide as its heading or contents: at 1366x768
        # the whole table fits beside the chart and no heading is cut off.
        self.table.setHorizontalHeaderLabels([
            self.tr("时段"), self.tr("业务"), self.tr("每小时\n到达"), self.tr("建议\n窗口"),
            self.tr("预计\n服务水平"), self.tr("平均等候\n（分钟）"), self.tr("现有\n窗口"),
            self.tr("模拟\n服务水平")])
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)  # the service's name
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        splitter.addWidget(self.table)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([560, 760])
        layout.addWidget(splitter, 1)
        note = QLabel(self.tr("依据所选周之前四周的取号记录：先按 Erlang C 公式估算各业务的窗口，"
                              "再按实际叫号规则（综合窗口权重、绿色通道、转办）模拟一周，"
                              "逐个时段增减窗口，直到每个时段刚好达到目标。"))
        note.setWordWrap(True)
        layout.addWidget(note)

    def _snap_to_monday(self) -> None:
        chosen: dt.date = self.week.date().toPython()  # type: ignore[assignment]
        monday = monday_of(chosen)
        if monday == chosen:
            return
        self._snapping = True
        try:
            self.week.setDate(QDate(monday.year, monday.month, monday.day))
        finally:
            self._snapping = False
        self.snapped.setText(self.tr("{chosen} 不是周一：已改为所在周的周一 {monday}").format(
            chosen=chosen.isoformat(), monday=monday.isoformat()))
        self.snapped.setVisible(True)

    def _date_changed(self, _date: QDate) -> None:
        if not self._snapping:  # the user chose another date: the old note is stale
            self.snapped.setVisible(False)

    def _request(self) -> None:
        self.requested.emit(self.monday())

    def monday(self) -> dt.date:
        """The Monday of the week chosen (another day chosen is moved to it first)."""
        self._snap_to_monday()
        return self.week.date().toPython()  # type: ignore[return-value]

    def set_plan(self, plan: StaffingPlan) -> None:
        self.plan = plan
        self.export.setEnabled(bool(plan.cells))
        days = sorted({c.day for c in plan.cells})
        self.day.blockSignals(True)
        self.day.clear()
        for day in days:
            self.day.addItem(f"{vocabulary.weekday_label(day.weekday())} {day.isoformat()}", day)
        self.day.blockSignals(False)
        if not plan.cells and plan.week_closed:
            self.summary.setText(self.tr("{week} 起一周本站点不办公（节假日），无需排班").format(
                week=plan.week.isoformat()))
        elif not plan.cells and plan.history_found:
            self.summary.setText(self.tr(
                "{first} 至 {last} 的取号记录都在所选周的办公时间之外，无法排班").format(
                first=plan.history[0].isoformat(), last=plan.history[1].isoformat()))
        elif not plan.cells:
            self.summary.setText(self.tr("{first} 至 {last} 没有取号记录，无法排班").format(
                first=plan.history[0].isoformat(), last=plan.history[1].isoformat()))
        else:
            self.summary.setText(self.tr(
                "{week} 起一周：建议开放 {hours} 窗口小时（其中需增派人员 {extra}），"
                "按模拟 {short} 个时段现有窗口不足（按 Erlang C {erlang} 个）；"
                "目标：{goal} 的群众在时限内叫号").format(
                week=plan.week.isoformat(), hours=f"{plan.window_hours():.1f}",
                extra=f"{plan.extra_window_hours():.1f}",
                short=sum(1 for c in plan.cells if c.verdict_short),
                erlang=sum(1 for c in plan.cells if c.short), goal=f"{plan.goal:.0%}"))
        self._show_day()

    def _show_day(self) -> None:
        plan = self.plan
        day = self.day.currentData()
        cells = [c for c in plan.cells if c.day == day] if plan is not None and day else []
        slots = sorted({c.slot for c in cells})
        counts = plan.totals() if plan is not None else {}
        totals = {s: counts.get((day, s), 0) for s in slots}
        site = plan.site_windows if plan is not None else 0
        self.chart.set_data([slot_label(s)[:5] for s in slots], [
            Series(self.tr("建议开放窗口数"), [float(totals[s]) for s in slots]),
            Series(self.tr("本站点窗口数"), [float(site) for _ in slots])])
        self.table.setRowCount(len(cells))
        for row, cell in enumerate(sorted(cells, key=lambda c: (c.slot, c.service))):
            name = plan.service_names.get(cell.service, "") if plan is not None else ""
            values = [slot_label(cell.slot), f"{cell.service} {name}".strip(),
                      f"{cell.arrivals_per_hour:.1f}",
                      str(cell.windows), f"{cell.service_level:.0%}",
                      f"{cell.mean_wait_minutes:.1f}", str(cell.serving_windows),
                      "" if cell.simulated_level is None else f"{cell.simulated_level:.0%}"]
            # The red mark is the simulation's verdict (the plan's checked figure);
            # Erlang C's alone is only named in the tooltip.
            tooltip = self.tr("模拟：现有窗口不足，需增派人员") if cell.verdict_short else \
                self.tr("Erlang C 估算窗口不足，按实际叫号规则模拟现有窗口够用") if cell.short else ""
            set_row(self.table, row, values, background=SHORT if cell.verdict_short else None,
                    tooltip=tooltip)

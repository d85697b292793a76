"""Statistics for a date range: filters, headline numbers, charts, breakdown tables and
the exports. The panel only shows; the window runs the queries through its runner."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QTableWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from counter_app.supervisor.charts import BarChart, HeatMap, HorizontalBarChart, Series
from counter_app.supervisor.live_panel import Card
from shared.qt.widgets.tables import NUMBER_ALIGNMENT, read_only_table, set_row
from shared.reports.chart_data import chart_data
from shared.reports.tables import TEXT, Table, breakdown_table, format_cell, outcome_table
from shared.reports.text import ReportText, report_text
from shared.stats.choices import FilterChoices
from shared.stats.views import DIMENSIONS, Statistics, StatsFilter


def _combo(all_label: str) -> QComboBox:
    combo = QComboBox()
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
    combo.addItem(all_label, None)
    return combo


class FilterBar(QWidget):
    """Date range, site, department, service, window, clerk, ticket kind; emits
    ``requested``. Windows are numbered per site: the window list follows the chosen
    site and is disabled while every site is chosen."""

    requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        today = QDate.currentDate()  # the window opens on today's figures
        self.date_from = QDateEdit(today)
        self.date_to = QDateEdit(today)
        for edit in (self.date_from, self.date_to):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
        self.site = _combo(self.tr("全部站点"))
        self.department = _combo(self.tr("全部部门"))
        self.service = _combo(self.tr("全部业务"))
        self.window = _combo(self.tr("全部窗口"))
        self.clerk = _combo(self.tr("全部工作人员"))
        self.kind = _combo(self.tr("全部类型"))
        for value, label in (("normal", self.tr("普通")), ("green", self.tr("绿色通道")),
                             ("appointment", self.tr("预约"))):
            self.kind.addItem(label, value)
        self._windows: dict[str, list[tuple[int, str]]] = {}
        self.site.currentIndexChanged.connect(self._fill_windows)
        self.run = QPushButton(self.tr("查询"))
        self.run.setObjectName("runStats")
        self.run.clicked.connect(self.requested)
        for label, widget in ((self.tr("从"), self.date_from), (self.tr("至"), self.date_to),
                              (None, self.site), (None, self.department), (None, self.service),
                              (None, self.window), (None, self.clerk), (None, self.kind)):
            if label:
                layout.addWidget(QLabel(label))
            layout.addWidget(widget)
        layout.addWidget(self.run)
        layout.addStretch(1)
        self._fill_windows()

    def set_choices(self, choices: FilterChoices, site: str | None) -> None:
        self._windows = choices.windows
        for code, name in choices.sites:
            self.site.addItem(name, code)
        if site is not None:
            self.site.setCurrentIndex(max(0, self.site.findData(site)))
        for code, name in choices.departments:
            self.department.addItem(name, code)
        for code, name, _department in choices.services:
            self.service.addItem(name, code)
        for login, name in choices.clerks:
            self.clerk.addItem(self.tr("%1（%2）").replace("%1", name).replace("%2", login),
                               login)
        self._fill_windows()

    def _fill_windows(self) -> None:
        """The chosen site's windows; a window number means nothing without a site."""
        site = self.site.currentData()
        self.window.clear()
        self.window.addItem(self.tr("全部窗口"), None)
        for number, name in self._windows.get(site, []) if site else []:
            self.window.addItem(self.tr("%1号 %2").replace("%1", str(number))
                                .replace("%2", name), number)
        self.window.setEnabled(site is not None)
        self.window.setToolTip("" if site is not None else
                               self.tr("窗口按站点编号：先选择一个站点，再按窗口筛选"))

    def current_filter(self) -> StatsFilter:
        """The filter as chosen (raises UsageError when the dates are reversed)."""

        def picked(combo: QComboBox) -> tuple[Any, ...]:
            data = combo.currentData()
            return () if data is None else (data,)

        return StatsFilter(
            date_from=self.date_from.date().toPython(), date_to=self.date_to.date().toPython(),
            site=self.site.currentData(), departments=picked(self.department),
            services=picked(self.service), windows=picked(self.window),
            clerks=picked(self.clerk), kinds=picked(self.kind))

    def set_range(self, start: dt.date, end: dt.date) -> None:
        self.date_from.setDate(QDate(start.year, start.month, start.day))
        self.date_to.setDate(QDate(end.year, end.month, end.day))


def table_widget(table: Table) -> QTableWidget:
    """A report table as a read-only Qt table; figures right-aligned, with their values
    (not their text) as the items' data."""
    widget = read_only_table([c.title for c in table.columns])
    widget.setRowCount(len(table.rows))
    for r, row in enumerate(table.rows):
        items = set_row(widget, r, [format_cell(value, column.kind)
                                    for value, column in zip(row, table.columns, strict=True)])
        for item, value, column in zip(items, row, table.columns, strict=True):
            if column.kind != TEXT:
                item.setData(Qt.ItemDataRole.UserRole, value)
                item.setTextAlignment(NUMBER_ALIGNMENT)
    return widget


class StatsPanel(QWidget):
    export_requested = Signal(str)  # pdf | xlsx | csv
    monthly_requested = Signal(str)  # the monthly bulletin: pdf | xlsx

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        self.filters = FilterBar()
        layout.addWidget(self.filters)
        self.status = QLabel(self.tr("正在统计今天的数据……"))
        layout.addWidget(self.status)
        self.tabs = QTabWidget()
        # The overview's cards and four charts need about 860×670 px: they scroll on a
        # lower screen (1024×600), so that the filters and the bulletin and export buttons
        # around them stay in view and the window fits.
        overview = QScrollArea()
        page = self._overview()
        overview.setWidget(page)
        overview.setWidgetResizable(True)
        overview.setFrameShape(QScrollArea.Shape.NoFrame)
        # The tab's own background behind the cards, as before they scrolled.
        overview.viewport().setAutoFillBackground(False)
        page.setAutoFillBackground(False)  # setWidget turned it on
        self.tabs.addTab(overview, self.tr("概览"))
        layout.addWidget(self.tabs, 1)
        exports = QHBoxLayout()
        exports.addWidget(QLabel(self.tr("月度通报：")))
        last_month = QDate.currentDate().addMonths(-1)  # a bulletin reports a finished month
        self.month = QDateEdit(QDate(last_month.year(), last_month.month(), 1))
        self.month.setObjectName("bulletinMonth")
        self.month.setDisplayFormat("yyyy-MM")
        self.month.setCalendarPopup(True)
        exports.addWidget(self.month)
        self.monthly_buttons = {}
        for fmt, label in (("pdf", self.tr("生成月度通报 PDF")),
                           ("xlsx", self.tr("生成月度通报 Excel"))):
            button = QPushButton(label)
            button.setObjectName(f"monthly_{fmt}")
            button.clicked.connect(lambda _=False, f=fmt: self.monthly_requested.emit(f))
            exports.addWidget(button)
            self.monthly_buttons[fmt] = button
        exports.addStretch(1)
        self.export_buttons = {}
        for fmt, label in (("pdf", self.tr("导出 PDF")), ("xlsx", self.tr("导出 Excel")),
                           ("csv", self.tr("导出 CSV"))):
            button = QPushButton(label)
            button.setEnabled(False)
            button.clicked.connect(lambda _=False, f=fmt: self.export_requested.emit(f))
            exports.addWidget(button)
            self.export_buttons[fmt] = button
        layout.addLayout(exports)
        self.stats: Statistics | None = None

    def _overview(self) -> QWidget:
        page = QWidget()
        grid = QGridLayout(page)
        self.cards = {key: Card(label) for key, label in (
            ("issued", self.tr("取号")), ("served", self.tr("已办理")),
            ("no_show", self.tr("过号")), ("wait", self.tr("平均等候(分)")),
            ("p90", self.tr("等候P90(分)")), ("level", self.tr("服务水平")),
            ("one_visit", self.tr("一次办结率")), ("rate", self.tr("满意率")),
            ("contact_rate", self.tr("回访率")), ("rectify_rate", self.tr("整改率")))}
        for i, card in enumerate(self.cards.values()):
            grid.addWidget(card, 0, i)
        # What the two follow-up rates count (docs/metrics.md), on hover and in the figures.
        for key, tip in (("contact_rate", self.tr("已回访的差评 ÷ 应回访的差评（未申诉）")),
                         ("rectify_rate", self.tr("已整改的差评 ÷ 应回访的差评（未申诉）"))):
            self.cards[key].setToolTip(tip)
        self.hour_chart = BarChart(self.tr("各时段取号量"))
        self.service_chart = HorizontalBarChart("")  # its title is the report's
        self.heatmap = HeatMap(self.tr("取号热力图（星期 × 时段）"))
        self.level_chart = HorizontalBarChart(self.tr("评价分布"))
        grid.addWidget(self.hour_chart, 1, 0, 1, 5)
        grid.addWidget(self.service_chart, 1, 5, 1, 5)
        grid.addWidget(self.heatmap, 2, 0, 1, 6)
        grid.addWidget(self.level_chart, 2, 6, 1, 4)
        grid.setRowStretch(1, 1)
        grid.setRowStretch(2, 1)
        return page

    def set_busy(self, busy: bool) -> None:
        self.filters.run.setEnabled(not busy)
        if busy:
            self.status.setText(self.tr("正在统计……"))

    def bulletin_month(self) -> dt.date:
        """The first day of the month chosen for the bulletin."""
        return self.month.date().toPython().replace(day=1)

    def set_online(self, online: bool) -> None:
        self.filters.run.setEnabled(online)
        for button in self.monthly_buttons.values():
            button.setEnabled(online)
        for button in self.export_buttons.values():
            button.setEnabled(online and self.stats is not None)

    def show_statistics(self, stats: Statistics) -> None:
        self.stats = stats
        f = stats.filters
        text = report_text()
        site = stats.site_name if f.site else text.all_sites
        self.status.setText(self.tr("%1 · %2 至 %3").replace("%1", site)
                            .replace("%2", f.date_from.isoformat())
                            .replace("%3", f.date_to.isoformat()))
        self._fill_cards(stats)
        self._fill_charts(stats, text)
        while self.tabs.count() > 1:
            self.tabs.removeTab(1)
        tables = [breakdown_table(stats, name, text) for name in DIMENSIONS]
        tables += [outcome_table(stats, name, text) for name in ("service", "department")]
        for table in tables:
            self.tabs.addTab(table_widget(table), table.title)
        for button in self.export_buttons.values():
            button.setEnabled(True)

    def _fill_cards(self, stats: Statistics) -> None:
        t = stats.total
        self.cards["issued"].set_value(t.issued)
        self.cards["served"].set_value(t.served)
        self.cards["no_show"].set_value(t.no_show)
        self.cards["wait"].set_value(format_cell(t.wait.mean_minutes, "minutes"))
        self.cards["p90"].set_value(format_cell(t.wait.minutes(t.wait.p90_us), "minutes"))
        self.cards["level"].set_value(format_cell(t.service_level, "percent"))
        self.cards["one_visit"].set_value(format_cell(t.one_visit_share, "percent"))
        s = stats.satisfaction
        self.cards["rate"].set_value(format_cell(s.rate, "percent"))
        # Below 100 % is what the province counts against the hall: shown in red.
        for key, rate, done in (("contact_rate", s.contact_rate, s.follow_up.contacted),
                                ("rectify_rate", s.rectify_rate, s.follow_up.rectified)):
            self.cards[key].set_value(format_cell(rate, "percent"),
                                      alert=rate is not None and rate < 1)
            self.cards[key].caption.setToolTip(
                self.tr("%1 / %2 条").replace("%1", str(done))
                .replace("%2", str(s.follow_up.due)))

    def _fill_charts(self, stats: Statistics, text: ReportText) -> None:
        """The PDF's charts (shared/reports/chart_data.py), drawn with Qt."""
        data = chart_data(stats)
        hours = [f"{h:02d}" for h in data.hours]
        self.hour_chart.set_data(hours, [Series(text.breakdown_columns["issued"],
                                                [float(n) for n in data.hourly])])
        waits = data.service_waits
        self.service_chart.set_title(text.chart_service_wait)
        self.service_chart.set_series([w.label for w in waits], [
            Series(text.mean, [round(w.mean_minutes, 1) for w in waits]),
            Series(text.p90, [round(w.p90_minutes, 1) for w in waits])])
        self.heatmap.set_data(list(text.weekdays), hours, [list(row) for row in data.heatmap])
        self.level_chart.set_rows([(text.levels[level], float(count), QColor(color))
                                   for level, count, color in data.levels])

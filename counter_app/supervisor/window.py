"""The supervisor's main window: live view, statistics, follow-ups, devices; every database
call through one OperationRunner, refreshed by the site's change feed (the devices tab and
the live view's device alerts also by time: heartbeats are outside the change feed)."""

from __future__ import annotations

import datetime as dt
import logging
import time
from pathlib import Path
from zoneinfo import ZoneInfo

from PySide6.QtCore import QCoreApplication, QSettings, QTimer
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMessageBox,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from counter_app.supervisor.devices_panel import DevicesPanel, device_alert_line
from counter_app.supervisor.estimates_panel import EstimatesPanel
from counter_app.supervisor.followups import FollowUpPanel
from counter_app.supervisor.live_panel import LivePanel
from counter_app.supervisor.overflow_bar import OverflowBar
from counter_app.supervisor.overflow_log import LOG_DAYS, OverflowLogDialog
from counter_app.supervisor.staffing_panel import StaffingPanel
from counter_app.supervisor.stats_panel import StatsPanel
from shared import followups, hcp, heartbeats, help_requests
from shared.clerks import ClerkView
from shared.db import Database
from shared.errors import HallQueueError
from shared.feed import REFRESH_INTERVAL_S, RefreshPacer
from shared.followups import FollowUpRules, FollowUpView
from shared.heartbeats import TerminalStatus
from shared.help_requests import HelpRequestView
from shared.overflow import Overflow, RecordedOverflow, overflow_suggestions, recorded_suggestions
from shared.qt.errors import show_exception
from shared.qt.feed import FeedThread
from shared.qt.ops import OperationRunner
from shared.qt.windows import fit_on_screen
from shared.read.supervisor_view import LiveThresholds, LiveView, live_view
from shared.reports import write_report
from shared.reports.monthly import write_monthly
from shared.reports.text import report_text
from shared.staffing import (
    StaffingPlan,
    staffing_plan,
    write_plan_xlsx,
    xlsx_target_problem,
)
from shared.stats import Statistics, compute_statistics
from shared.stats.choices import FilterChoices, filter_choices
from shared.stats.estimates import EstimateAccuracy, estimate_accuracy
from shared.stats.monthly import monthly_bulletin

log = logging.getLogger(__name__)
MIN_REFRESH_SECONDS = 2.0  # the live view refreshes at most this often
TICK_MS = 30_000  # waits grow without any change: refresh the minutes now and then
DEVICES_REFRESH_MS = heartbeats.BEAT_SECONDS * 1000  # while the 设备 tab is shown
EXPORT_FILTERS = {"pdf": "PDF (*.pdf)", "xlsx": "Excel (*.xlsx)", "csv": "CSV (*.csv)"}


class ExportRefused(Exception):
    """A staffing plan export refused before writing: ``reason`` as
    shared.staffing.xlsx_target_problem gives it."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class SupervisorWindow(QMainWindow):
    def __init__(self, db: Database, site: str | None, clerk: ClerkView,
                 parent: QWidget | None = None, *,
                 rules: FollowUpRules | None = None,
                 refresh_interval: float = REFRESH_INTERVAL_S) -> None:
        super().__init__(parent)
        self.refresh_interval = refresh_interval
        self.db, self.site, self.clerk = db, site, clerk
        self.rules = rules or FollowUpRules()  # the follow-ups' deadlines ([followup] in the config)
        self.runner = OperationRunner(self, default_failure=lambda e: show_exception(self, e))
        self.feed: FeedThread | None = None
        # Set on close: a result that arrives after it starts nothing (a feed started
        # then would be destroyed running with the window, which Qt answers with abort).
        self._shut_down = False
        self.online = True
        self._live_running = self._live_pending = False
        self._last_live = 0.0
        self._follow_up_request = 0
        self._devices_request = 0
        self._estimates_request = 0
        self._staffing_request = 0
        self.settings = QSettings("HallQueue", "supervisor")
        self.setWindowTitle(self.tr("HallQueue 主管视图 — %1").replace("%1", clerk.display_name))
        self._build()
        self._throttle = QTimer(self, singleShot=True)
        self._throttle.timeout.connect(self.refresh_live)
        self._tick = QTimer(self)
        self._tick.timeout.connect(self.refresh_live)
        self._tick.start(TICK_MS)
        self._devices_timer = QTimer(self)
        self._devices_timer.setInterval(DEVICES_REFRESH_MS)
        self._devices_timer.timeout.connect(self.refresh_devices)
        app = QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.shutdown)
        self.refresh_live()
        self.runner.run(lambda: filter_choices(db), self._got_choices)

    # ------------------------------------------------------------------ layout

    def _build(self) -> None:
        central = QWidget()
        layout = QVBoxLayout(central)
        self.offline = QLabel(self.tr("数据库连接中断，正在自动重连……显示的是断开前的数据，操作已停用。"))
        self.offline.setObjectName("offlineBanner")
        self.offline.setStyleSheet("background: #B71C1C; color: white; padding: 6px; "
                                   "font-weight: bold;")
        self.offline.hide()
        layout.addWidget(self.offline)
        self.tabs = QTabWidget()
        self.live = LivePanel()
        self.live.acknowledge_requested.connect(self.acknowledge_help)
        self.live.overdue_requested.connect(self.show_overdue_follow_ups)
        live_page = QWidget()
        live_layout = QVBoxLayout(live_page)
        live_layout.addLayout(self._threshold_bar())
        self.overflow = OverflowBar(int(self.settings.value("overflow_margin", 10)))
        self.overflow.margin.valueChanged.connect(self._overflow_margin_changed)
        self.overflow.log_requested.connect(self.show_overflow_log)
        self.overflow_log: OverflowLogDialog | None = None
        live_layout.addWidget(self.overflow)
        live_layout.addWidget(self.live, 1)
        self.stats = StatsPanel()
        self.stats.filters.requested.connect(self.run_statistics)
        self.stats.export_requested.connect(self.export)
        self.stats.monthly_requested.connect(self.export_monthly)
        self.followups = FollowUpPanel()
        self.followups.refresh_requested.connect(self.refresh_follow_ups)
        self.followups.step_requested.connect(self.follow_up_step)
        self.followups.appeal_requested.connect(self.appeal_rating)
        self.tabs.addTab(live_page, self.tr("实时"))
        self.tabs.addTab(self.stats, self.tr("统计"))
        self.devices = DevicesPanel()
        self.devices.refresh_requested.connect(self.refresh_devices)
        self.tabs.addTab(self.followups, self.tr("差评回访"))
        self.tabs.addTab(self.devices, self.tr("设备"))
        self.estimates = EstimatesPanel()
        self.estimates.requested.connect(self.refresh_estimates)
        self.tabs.addTab(self.estimates, self.tr("预计等候准确度"))
        self.staffing = StaffingPanel()
        self.staffing.requested.connect(self.refresh_staffing)
        self.staffing.export_requested.connect(self.export_staffing)
        self.tabs.addTab(self.staffing, self.tr("排班建议"))
        self.tabs.currentChanged.connect(self._tab_changed)
        layout.addWidget(self.tabs, 1)
        self.setCentralWidget(central)
        self.resize(*fit_on_screen((1400, 860)))

    def _threshold_bar(self) -> QHBoxLayout:
        bar = QHBoxLayout()
        self.queue_limit = QSpinBox(minimum=1, maximum=500)
        self.queue_limit.setValue(int(self.settings.value("queue_length", 20)))
        self.pause_limit = QSpinBox(minimum=1, maximum=480)
        self.pause_limit.setValue(int(self.settings.value("pause_minutes", 30)))
        for spin in (self.queue_limit, self.pause_limit):
            spin.valueChanged.connect(self._thresholds_changed)
        bar.addStretch(1)
        bar.addWidget(QLabel(self.tr("提醒：排队超过")))
        bar.addWidget(self.queue_limit)
        bar.addWidget(QLabel(self.tr("人，或窗口暂停超过")))
        bar.addWidget(self.pause_limit)
        bar.addWidget(QLabel(self.tr("分钟；等候超过业务目标时间亦提醒")))
        return bar

    def thresholds(self) -> LiveThresholds:
        return LiveThresholds(queue_length=self.queue_limit.value(),
                              pause_minutes=self.pause_limit.value())

    def _thresholds_changed(self) -> None:
        self.settings.setValue("queue_length", self.queue_limit.value())
        self.settings.setValue("pause_minutes", self.pause_limit.value())
        self.refresh_live()

    # ------------------------------------------------------------------ live view

    def refresh_live(self) -> None:
        """Refresh now, or as soon as the previous refresh is done and 2 s have passed."""
        if self._live_running:
            self._live_pending = True
            return
        wait = MIN_REFRESH_SECONDS - (time.monotonic() - self._last_live)
        if wait > 0:
            if not self._throttle.isActive():
                self._throttle.start(int(wait * 1000) + 1)
            return
        self._live_running = True
        self._last_live = time.monotonic()
        thresholds, site = self.thresholds(), self.site

        rules = self.rules

        def read() -> tuple[LiveView, list[HelpRequestView], list[TerminalStatus],
                            hcp.OutboxStatus, int]:
            view = live_view(self.db, site=site, thresholds=thresholds)
            return (view, help_requests.open_help_requests(self.db, site=view.site),
                    heartbeats.list_terminals(self.db, site=view.site),
                    hcp.outbox_status(self.db, site=view.site),
                    followups.count_overdue(self.db, site=view.site, rules=rules))

        self.runner.run(read, self._got_live, self._live_failed)

    def _got_live(self, result: tuple[LiveView, list[HelpRequestView], list[TerminalStatus],
                                      hcp.OutboxStatus, int]) -> None:
        view, requests, terminals, outbox, overdue = result
        self._live_done()
        self.live.set_view(view)
        self.live.set_overdue_follow_ups(overdue)
        self.live.set_help_requests(requests, view.now, ZoneInfo(view.timezone))
        self.live.set_device_alerts([device_alert_line(t) for t in terminals if t.alerts])
        self.live.set_hcp_status(outbox)
        if self.site is None:
            self.site = view.site
        self.refresh_overflow()
        if self.feed is None and not self._shut_down:
            self.feed = FeedThread(self.db, view.site_id,
                                   pacer=RefreshPacer(self.refresh_interval), parent=self)
            self.feed.changed.connect(self._changed)
            self.feed.online_changed.connect(self.set_online)
            self.feed.start()

    def refresh_overflow(self) -> None:
        """The overflow suggestions (潮汐窗口) by the predicted waits now."""
        site, margin = self.site, self.overflow.margin.value()
        self.runner.run(lambda: overflow_suggestions(self.db, site=site, margin_minutes=margin),
                        self._got_overflow, lambda _exc: self.overflow.set_failed())

    def _got_overflow(self, items: list[Overflow]) -> None:
        self.overflow.set_items(items)

    def show_overflow_log(self) -> None:
        """The recorded overflow suggestions of the last LOG_DAYS days (a dialog)."""
        if self.overflow_log is None:
            self.overflow_log = OverflowLogDialog(self)
        dialog = self.overflow_log
        dialog.show()
        dialog.raise_()
        site = self.site

        def load() -> list[RecordedOverflow]:
            today = dt.date.today()
            return recorded_suggestions(self.db, site=site,
                                        first_day=today - dt.timedelta(days=LOG_DAYS))
        self.runner.run(load, dialog.set_items, lambda _exc: dialog.set_failed())

    def _overflow_margin_changed(self, value: int) -> None:
        self.settings.setValue("overflow_margin", value)
        self.refresh_overflow()

    def _live_failed(self, exc: BaseException) -> None:
        self._live_done()
        if self.feed is None:  # nothing to fall back on yet: say why
            show_exception(self, exc)

    def _live_done(self) -> None:
        self._live_running = False
        if self._live_pending:
            self._live_pending = False
            self.refresh_live()

    def acknowledge_help(self, request_id: int) -> None:
        """Staff went to the kiosk: recorded with the supervisor's login."""
        login = self.clerk.login
        self.runner.run(lambda: help_requests.acknowledge(self.db, request_id, by=login),
                        lambda _view: self.refresh_live())

    def _changed(self, _version: int) -> None:
        self.refresh_live()
        if self.tabs.currentWidget() is self.followups:
            self.refresh_follow_ups()

    def set_online(self, online: bool) -> None:
        self.online = online
        self.offline.setVisible(not online)
        self.stats.set_online(online)
        self.followups.set_online(online)
        self.devices.set_online(online)
        if online:
            self.refresh_live()

    # ------------------------------------------------------------------ statistics

    def _got_choices(self, choices: FilterChoices) -> None:
        self.stats.filters.set_choices(choices, self.site)
        if self.stats.stats is None:  # today's figures on open, without pressing 查询
            self.run_statistics(on_open=True)

    def run_statistics(self, on_open: bool = False) -> None:
        """Compute what the filter bar shows; ``on_open``: today's figures as the window
        opens (a failure then only says so on the tab: the live view reports outages)."""
        try:
            filters = self.stats.filters.current_filter()
        except HallQueueError as exc:  # e.g. the end date before the start date
            show_exception(self, exc)
            return
        self.stats.set_busy(True)
        rules = self.rules
        self.runner.run(lambda: compute_statistics(self.db, filters, follow_up_rules=rules),
                        self._got_statistics,
                        lambda exc: self._statistics_failed(exc, quiet=on_open))

    def _got_statistics(self, stats: Statistics) -> None:
        self.stats.set_busy(False)
        self.stats.show_statistics(stats)

    def _statistics_failed(self, exc: BaseException, quiet: bool = False) -> None:
        self.stats.set_busy(False)
        self.stats.status.setText(self.tr("统计未完成。"))
        if quiet:
            log.warning("today's statistics on open failed", exc_info=exc)
        else:
            show_exception(self, exc)

    def export(self, fmt: str, path: Path | None = None) -> None:
        stats = self.stats.stats
        if stats is None:
            return
        if path is None:
            suggested = (self.tr("统计") + f"_{stats.filters.date_from}_{stats.filters.date_to}"
                         f".{fmt}")
            name, _ = QFileDialog.getSaveFileName(self, self.tr("导出报表"), suggested,
                                                  EXPORT_FILTERS[fmt])
            if not name:
                return
            path = Path(name)
        text = report_text()  # the UI language's words, read on the GUI thread
        self.runner.run(lambda: write_report(stats, fmt, path, text), self._exported)

    def export_monthly(self, fmt: str, path: Path | None = None) -> None:
        """The monthly bulletin (月度通报) of the chosen month for this site, the same file
        ``hallq-admin report monthly`` writes (always in Chinese: an official document)."""
        month, site, rules = self.stats.bulletin_month(), self.site, self.rules
        if path is None:
            suggested = self.tr("月度通报") + f"_{month:%Y-%m}.{fmt}"
            name, _ = QFileDialog.getSaveFileName(self, self.tr("生成月度通报"), suggested,
                                                  EXPORT_FILTERS[fmt])
            if not name:
                return
            path = Path(name)
        target = path
        self.runner.run(lambda: write_monthly(monthly_bulletin(self.db, month, site=site,
                                                               rules=rules), fmt, target),
                        self._exported)

    def _exported(self, path: Path) -> None:
        self.statusBar().showMessage(self.tr("已导出：%1").replace("%1", str(path)), 10_000)

    # ------------------------------------------------------------------ follow-ups

    def _tab_changed(self, _index: int) -> None:
        if self.tabs.currentWidget() is self.followups:
            self.refresh_follow_ups()
        elif self.tabs.currentWidget() is self.estimates:
            self.refresh_estimates(*self.estimates.range())
        elif self.tabs.currentWidget() is self.staffing and self.staffing.plan is None:
            self.refresh_staffing(self.staffing.monday())
        if self.tabs.currentWidget() is self.devices:
            self.refresh_devices()
            self._devices_timer.start()
        else:
            self._devices_timer.stop()

    def refresh_estimates(self, start: dt.date, end: dt.date) -> None:
        """The accuracy of the shown wait estimates from ``start`` to ``end``."""
        site = self.site
        self._estimates_request += 1
        request = self._estimates_request
        self.runner.run(lambda: estimate_accuracy(self.db, start, end, site=site),
                        lambda rows: self._got_estimates(request, rows))

    def _got_estimates(self, request: int, rows: list[EstimateAccuracy]) -> None:
        if request == self._estimates_request:  # an older answer may arrive after a newer one
            self.estimates.set_rows(rows)

    # ------------------------------------------------------------------ staffing plan

    def refresh_staffing(self, week: dt.date) -> None:
        """The staffing plan of the week starting on Monday ``week``."""
        site = self.site
        self._staffing_request += 1
        request = self._staffing_request
        self.runner.run(lambda: staffing_plan(self.db, week, site=site),
                        lambda plan: self._got_staffing(request, plan))

    def _got_staffing(self, request: int, plan: StaffingPlan) -> None:
        if request == self._staffing_request:  # a slow older plan may arrive after a newer one
            self.staffing.set_plan(plan)

    def export_staffing(self, path: Path | None = None) -> None:
        plan = self.staffing.plan
        if plan is None:
            return
        if path is None:
            chosen, _ = QFileDialog.getSaveFileName(
                self, self.tr("导出排班建议"), f"排班建议-{plan.week.isoformat()}.xlsx",
                EXPORT_FILTERS["xlsx"])
            if not chosen:
                return
            path = Path(chosen)
        target = path

        def write() -> Path:
            # The check of hallq-admin plan --xlsx, off the GUI thread (a network folder
            # can be slow): never replace a folder, link, device or FIFO.
            problem = xlsx_target_problem(target)
            if problem is not None:
                raise ExportRefused(problem[0])
            write_plan_xlsx(plan, target)
            return target

        self.statusBar().clearMessage()  # an earlier "已导出" is not this export's
        self.runner.run(write, self._exported,
                        lambda exc: self._staffing_export_failed(target, exc))

    def _staffing_export_failed(self, target: Path, exc: BaseException) -> None:
        if isinstance(exc, ExportRefused):
            reason = exc.reason
        elif isinstance(exc, OSError):
            reason = "cannot_write"
        else:
            show_exception(self, exc)
            return
        name = str(target)
        messages = {
            "folder": self.tr("%1 是一个文件夹。请另选一个文件名。"),
            "not_a_file": self.tr("%1 不是普通文件（链接、设备等），导出不能替换它。请另选一个文件名。"),
            "no_folder": self.tr("%1 所在的文件夹不存在。请另选保存位置。"),
            "cannot_write": self.tr("无法写入 %1（没有写入权限或磁盘已满）。请另选保存位置。"),
        }
        self.statusBar().showMessage(self.tr("未能导出：%1").replace("%1", name), 10_000)
        box = QMessageBox(QMessageBox.Icon.Warning, self.tr("无法导出"),
                          messages.get(reason, messages["cannot_write"]).replace("%1", name),
                          QMessageBox.StandardButton.Ok, self)
        box.setObjectName("exportFailed")
        box.open()

    def refresh_follow_ups(self) -> None:
        status, site, rules = self.followups.current_status(), self.site, self.rules
        overdue = self.followups.overdue()
        self._follow_up_request += 1
        request = self._follow_up_request
        self.runner.run(lambda: followups.list_follow_ups(self.db, site=site, status=status,
                                                          overdue=overdue, rules=rules),
                        lambda items: self._got_follow_ups(request, items))

    def _got_follow_ups(self, request: int, items: list[FollowUpView]) -> None:
        if request == self._follow_up_request:  # an older answer may arrive after a newer one
            self.followups.set_items(items)

    def follow_up_step(self, follow_up_id: int, step: str, note: str, opinion: str) -> None:
        """回访 / 整改 / 办结, recorded with the supervisor's login."""
        login, rules = self.clerk.login, self.rules

        def run() -> FollowUpView:
            if step == "contact":
                return followups.contact(self.db, follow_up_id, by=login, note=note, rules=rules)
            if step == "rectify":
                return followups.rectify(self.db, follow_up_id, by=login, note=note, rules=rules)
            return followups.close(self.db, follow_up_id, by=login, opinion=opinion, note=note,
                                   rules=rules)

        self.runner.run(run, lambda _view: self._follow_up_changed())

    def appeal_rating(self, follow_up_id: int, kind: str, reason: str) -> None:
        """申诉: the rating leaves the figures, stays in the record."""
        login, rules = self.clerk.login, self.rules
        self.runner.run(lambda: followups.appeal(self.db, follow_up_id, by=login, kind=kind,
                                                 reason=reason, rules=rules),
                        lambda _view: self._follow_up_changed())

    def _follow_up_changed(self) -> None:
        self.refresh_follow_ups()
        self.refresh_live()

    def show_overdue_follow_ups(self) -> None:
        """From the live view's overdue line: the follow-up tab, overdue ones only."""
        self.tabs.setCurrentWidget(self.followups)
        self.followups.show_overdue()

    # ------------------------------------------------------------------ devices

    def refresh_devices(self) -> None:
        """Every terminal's last heartbeat at this site (all sites without one)."""
        site = self.site
        self._devices_request += 1
        request = self._devices_request
        self.runner.run(lambda: heartbeats.list_terminals(self.db, site=site),
                        lambda terminals: self._got_devices(request, terminals),
                        lambda exc: self._devices_failed(request, exc))

    def _got_devices(self, request: int, terminals: list[TerminalStatus]) -> None:
        if request == self._devices_request:
            self.devices.set_terminals(terminals)

    def _devices_failed(self, request: int, exc: BaseException) -> None:
        # every 15 s while the tab is open: a dialog each time would bury the screen, and
        # the offline banner already says the database is gone
        if request == self._devices_request:
            log.warning("device list not refreshed: %s", exc)
            self.devices.summary.setText(self.tr("设备列表未能刷新。"))

    # ------------------------------------------------------------------ shutdown

    def shutdown(self) -> None:
        """Stop the timers and the change feed (on close, or when the app quits first)."""
        self._shut_down = True
        self._tick.stop()
        self._throttle.stop()
        self._devices_timer.stop()
        if self.feed is not None:
            self.feed.stop()
            self.feed = None
        self.runner.wait_done(5000)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.shutdown()
        super().closeEvent(event)

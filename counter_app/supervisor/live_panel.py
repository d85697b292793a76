"""The live hall view: totals, alerts that stand out (queues, windows, help requests,
terminals that need a look), queues per service, windows."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from shared.hcp import OutboxStatus, error_words
from shared.help_requests import HelpRequestView
from shared.qt.widgets.tables import read_only_table, set_row
from shared.read.supervisor_view import LiveService, LiveView, LiveWindow

ALERT_FILL = QColor("#FDECEA")
PAUSED_FILL = QColor("#FFF4E0")
CLOSED_FILL = QColor("#ECEFF1")  # a service that issues no numbers now


def minutes_text(seconds: float) -> str:
    minutes = int(seconds // 60)
    return f"{minutes // 60}:{minutes % 60:02d}" if minutes >= 60 else f"{minutes}"


class Card(QFrame):
    """A big number with its caption."""

    def __init__(self, caption: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("card")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        layout = QVBoxLayout(self)
        self.value = QLabel("—")
        self.value.setObjectName("cardValue")
        self.value.setAlignment(Qt.AlignmentFlag.AlignCenter)
        font = self.value.font()
        font.setPointSizeF(font.pointSizeF() * 2.2)
        font.setBold(True)
        self.value.setFont(font)
        self.caption = QLabel(caption)
        self.caption.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(self.value)
        layout.addWidget(self.caption)

    def set_value(self, value: object, alert: bool = False) -> None:
        self.value.setText(str(value))
        self.value.setStyleSheet("color: #C62828;" if alert else "")




class LivePanel(QWidget):
    acknowledge_requested = Signal(int)  # a help request's id: staff have gone to it
    overdue_requested = Signal()  # show the overdue follow-ups

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        self.heading = QLabel()
        self.heading.setObjectName("liveHeading")
        layout.addWidget(self.heading)
        self.help_box = QFrame()
        self.help_box.setObjectName("helpRequests")
        self.help_box.setStyleSheet("QFrame#helpRequests { background: #B71C1C; } "
                                    "QFrame#helpRequests QLabel { color: white; "
                                    "font-weight: bold; font-size: 16px; }")
        self.help_rows = QVBoxLayout(self.help_box)
        self.help_box.hide()
        self.help_buttons: dict[int, QPushButton] = {}
        layout.addWidget(self.help_box)
        cards = QHBoxLayout()
        self.cards = {
            "waiting": Card(self.tr("等候人数")), "served": Card(self.tr("今日已办理")),
            "open": Card(self.tr("开放窗口")), "serving": Card(self.tr("办理中")),
            "paused": Card(self.tr("暂停")), "idle": Card(self.tr("空闲")),
        }
        for card in self.cards.values():
            cards.addWidget(card)
        layout.addLayout(cards)
        self.alerts = QLabel()
        self.alerts.setObjectName("alertBox")
        self.alerts.setWordWrap(True)
        self.alerts.setStyleSheet("QLabel#alertBox { background: #FDECEA; color: #B71C1C; "
                                  "border: 1px solid #E57373; padding: 6px; font-weight: bold; }")
        layout.addWidget(self.alerts)
        self.device_alerts = QLabel()
        self.device_alerts.setObjectName("deviceAlerts")
        self.device_alerts.setWordWrap(True)
        self.device_alerts.setStyleSheet(
            "QLabel#deviceAlerts { background: #FFF4E0; color: #8A4B00; "
            "border: 1px solid #FFB74D; padding: 6px; font-weight: bold; }")
        self.device_alerts.hide()
        layout.addWidget(self.device_alerts)
        self.hcp_status = QLabel()
        self.hcp_status.setObjectName("hcpStatus")
        self.hcp_status.setWordWrap(True)
        self.hcp_status.hide()
        layout.addWidget(self.hcp_status)
        # Follow-ups of bad ratings past their deadline (shared/followups.py).
        self.overdue_box = QFrame()
        self.overdue_box.setObjectName("overdueFollowUps")
        self.overdue_box.setStyleSheet(
            "QFrame#overdueFollowUps { background: #B71C1C; } "
            "QFrame#overdueFollowUps QLabel { color: white; font-weight: bold; "
            "font-size: 16px; }")
        overdue_line = QHBoxLayout(self.overdue_box)
        self.overdue_text = QLabel()
        self.overdue_button = QPushButton(self.tr("查看"))
        self.overdue_button.setObjectName("showOverdue")
        self.overdue_button.clicked.connect(lambda: self.overdue_requested.emit())
        overdue_line.addWidget(self.overdue_text, 1)
        overdue_line.addWidget(self.overdue_button)
        self.overdue_box.hide()
        layout.addWidget(self.overdue_box)
        grid = QGridLayout()
        self.closed = QLabel()
        self.closed.setObjectName("closedServices")
        self.closed.setWordWrap(True)
        self.closed.setStyleSheet("QLabel#closedServices { background: #ECEFF1; color: #263238; "
                                  "border: 1px solid #B0BEC5; padding: 6px; }")
        layout.addWidget(self.closed)
        self.services = read_only_table([
            self.tr("业务"), self.tr("部门"), self.tr("取号状态"), self.tr("等候"),
            self.tr("最长等候(分)"), self.tr("窗口中"), self.tr("今日已办理"),
            self.tr("目标(分)")], stretch=0)
        self.windows = read_only_table([
            self.tr("窗口"), self.tr("名称"), self.tr("状态"), self.tr("工作人员"),
            self.tr("票号"), self.tr("开始于"), self.tr("暂停原因"), self.tr("今日已办理")],
            stretch=1)
        grid.addWidget(QLabel(self.tr("各业务排队")), 0, 0)
        grid.addWidget(QLabel(self.tr("各窗口状态")), 0, 1)
        grid.addWidget(self.services, 1, 0)
        grid.addWidget(self.windows, 1, 1)
        layout.addLayout(grid, 1)
        self.view: LiveView | None = None

    def status_label(self, status: str) -> str:
        return {"serving": self.tr("办理中"), "called": self.tr("已叫号"),
                "paused": self.tr("暂停"), "idle": self.tr("空闲"),
                "closed": self.tr("未登录")}[status]

    def set_help_requests(self, requests: list[HelpRequestView], now: dt.datetime,
                          zone: ZoneInfo) -> None:
        """One line per open 一键求助 with the kiosk's name, since when, and a button for
        the staff member who goes to it; hidden when there is none."""
        while self.help_rows.count():
            item = self.help_rows.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        self.help_buttons = {}
        for request in requests:
            row = QWidget()
            line = QHBoxLayout(row)
            line.setContentsMargins(6, 2, 6, 2)
            waited = minutes_text(max(0.0, (now - request.requested_at).total_seconds()))
            line.addWidget(QLabel(self.tr("一键求助：%1（%2 起，已等 %3 分钟），请导服台前往")
                                  .replace("%1", request.terminal)
                                  .replace("%2", request.local_time(zone))
                                  .replace("%3", waited)), 1)
            button = QPushButton(self.tr("已处理"))
            button.clicked.connect(lambda _=False, i=request.id: self.acknowledge_requested.emit(i))
            line.addWidget(button)
            self.help_buttons[request.id] = button
            self.help_rows.addWidget(row)
        self.help_box.setVisible(bool(requests))

    def set_overdue_follow_ups(self, count: int) -> None:
        """The follow-ups with a step past its deadline; hidden when none."""
        self.overdue_text.setText(self.tr("差评回访逾期 %1 条：请尽快回访或整改").replace(
            "%1", str(count)))
        self.overdue_box.setVisible(count > 0)

    def set_device_alerts(self, lines: list[str]) -> None:
        """One line per terminal that needs a look (silent, printer, sound, version; the
        words come from the 设备 tab); hidden when every terminal is fine."""
        self.device_alerts.setText("\n".join(self.tr("● 设备 %1").replace("%1", line)
                                             for line in lines))
        self.device_alerts.setVisible(bool(lines))

    def set_hcp_status(self, status: OutboxStatus) -> None:
        """What the push to the provincial 好差评 system has not sent yet (docs/
        evaluation.md); stands out while records fail or were refused, hidden when all
        were sent."""
        failing = status.failing + status.refused
        self.hcp_status.setText(
            self.tr("好差评上报：待上报 %1 条，其中失败重试 %2 条；被拒 %3 条")
            .replace("%1", str(status.pending)).replace("%2", str(status.failing))
            .replace("%3", str(status.refused))
            + (self.tr("（%1）").replace("%1", error_words(status.last_error))
               if failing else ""))
        colours = ("background: #FDECEA; color: #B71C1C; border: 1px solid #E57373;"
                   if failing else "background: #ECEFF1; color: #263238; "
                   "border: 1px solid #B0BEC5;")
        self.hcp_status.setStyleSheet(f"QLabel#hcpStatus {{ {colours} padding: 6px; }}")
        self.hcp_status.setVisible(bool(status.pending or status.refused))

    def cause_label(self, cause: str) -> str:
        """Why a service issues no numbers now (shared.hours.CLOSED_CAUSES)."""
        return {"before_opening": self.tr("未到取号时间"), "lunch": self.tr("午休"),
                "cutoff": self.tr("今日取号已截止"), "after_hours": self.tr("已过办理时间"),
                "weekend": self.tr("周末不办理"), "holiday": self.tr("节假日不办理"),
                "quota_full": self.tr("今日号源已取完")}.get(cause, self.tr("暂停取号"))

    def open_state_text(self, service: LiveService, today: dt.date, zone: ZoneInfo) -> str:
        """开放, or why not and when it opens ("午休，13:30 起取号")."""
        if service.open_now:
            return self.tr("开放")
        text = self.cause_label(service.closed_cause)
        if service.opens_at is not None:
            opens = service.opens_at.astimezone(zone)
            when = opens.strftime("%H:%M") if opens.date() == today else \
                opens.strftime("%m-%d %H:%M")
            text = self.tr("%1，%2 起取号").replace("%1", text).replace("%2", when)
        return text

    def closed_text(self, view: LiveView) -> str:
        """One line naming every service that issues no numbers now, grouped by cause."""
        groups: dict[str, list[str]] = {}
        for s in view.services:
            if not s.open_now:
                groups.setdefault(s.closed_cause, []).append(s.name)
        if not groups:
            return ""
        parts = [self.tr("%1：%2").replace("%1", self.cause_label(cause))
                 .replace("%2", self.tr("、").join(names)) for cause, names in groups.items()]
        return self.tr("当前暂停取号的业务（%1 项）— %2").replace(
            "%1", str(sum(len(n) for n in groups.values()))).replace("%2", self.tr("；").join(parts))

    def alert_texts(self, view: LiveView) -> list[str]:
        """The alerts, in the UI language (the numbers come from the view)."""
        texts = []
        for s in view.services:
            if s.queue_alert:
                texts.append(self.tr("%1：等候 %2 人，超过 %3 人").replace("%1", s.name)
                             .replace("%2", str(s.waiting))
                             .replace("%3", str(view.thresholds.queue_length)))
            if s.wait_alert:
                texts.append(self.tr("%1：最长已等 %2 分钟，超过目标 %3 分钟")
                             .replace("%1", s.name)
                             .replace("%2", minutes_text(s.longest_wait_seconds))
                             .replace("%3", str(s.target_minutes)))
        for w in view.windows:
            if w.pause_alert:
                texts.append(self.tr("%1 号窗口暂停超过 %2 分钟（%3）")
                             .replace("%1", str(w.number))
                             .replace("%2", str(view.thresholds.pause_minutes))
                             .replace("%3", w.pause_reason or ""))
        return texts

    def set_view(self, view: LiveView) -> None:
        self.view = view
        zone = ZoneInfo(view.timezone)
        local = view.now.astimezone(zone)
        self.heading.setText(self.tr("%1 · 实时 · 更新于 %2").replace("%1", view.site_name)
                             .replace("%2", local.strftime("%H:%M:%S")))
        self.cards["waiting"].set_value(view.waiting, any(s.queue_alert for s in view.services))
        self.cards["served"].set_value(view.served_today)
        self.cards["open"].set_value(view.open_windows)
        self.cards["serving"].set_value(view.count_windows("serving") + view.count_windows("called"))
        self.cards["paused"].set_value(view.count_windows("paused"),
                                       any(w.pause_alert for w in view.windows))
        self.cards["idle"].set_value(view.count_windows("idle"))
        alerts = self.alert_texts(view)
        self.alerts.setText("\n".join("● " + a for a in alerts))
        self.alerts.setVisible(bool(alerts))
        closed = self.closed_text(view)
        self.closed.setText(closed)
        self.closed.setVisible(bool(closed))
        self._fill_services(view.services, local.date(), zone)
        self._fill_windows(view.windows, view.now, zone)

    def _fill_services(self, services: list[LiveService], today: dt.date, zone: ZoneInfo
                       ) -> None:
        self.services.setRowCount(len(services))
        for row, s in enumerate(services):
            longest = minutes_text(s.longest_wait_seconds) if s.waiting else "—"
            fill = ALERT_FILL if s.queue_alert or s.wait_alert else \
                None if s.open_now else CLOSED_FILL
            set_row(self.services, row, [s.name, s.department,
                                         self.open_state_text(s, today, zone), s.waiting,
                                         longest, s.at_windows, s.served_today,
                                         s.target_minutes], background=fill)

    def _fill_windows(self, windows: list[LiveWindow], now: dt.datetime, zone: ZoneInfo) -> None:
        self.windows.setRowCount(len(windows))
        for row, w in enumerate(windows):
            since = "—"
            if w.since is not None:
                since = self.tr("%1（%2 分钟）").replace(
                    "%1", w.since.astimezone(zone).strftime("%H:%M")).replace(
                    "%2", minutes_text((now - w.since).total_seconds()))
            fill = ALERT_FILL if w.pause_alert else PAUSED_FILL if w.status == "paused" else None
            set_row(self.windows, row, [w.number, w.name, self.status_label(w.status),
                                        w.clerk or "—", w.ticket or "—", since,
                                        w.pause_reason or "", w.served_today], background=fill)

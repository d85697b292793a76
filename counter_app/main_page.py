"""The clerk's main screen: who and where, the held ticket, the window's queue, what just
happened, and the action buttons."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from counter_app import labels
from counter_app.actions import CounterAction
from counter_app.style import set_kind
from counter_app.widgets import ActionBar, QueuePanel, TicketPanel
from shared.clerks import ClerkView
from shared.read.counter_view import CounterSnapshot


class MainPage(QWidget):
    logout_requested = Signal()
    supervisor_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._zone: ZoneInfo | None = None  # None: the PC's zone, until the site is known
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)
        outer.addWidget(self._top_bar())
        self.offline = QLabel(self.tr("数据库连接中断，正在自动重连…  此期间不能操作，屏幕内容可能不是最新"))
        self.offline.setObjectName("offlineBanner")
        self.offline.hide()
        outer.addWidget(self.offline)

        body = QVBoxLayout()
        body.setContentsMargins(16, 14, 16, 16)
        body.setSpacing(12)
        panels = QHBoxLayout()
        panels.setSpacing(14)
        self.ticket = TicketPanel()
        self.queue = QueuePanel()
        panels.addWidget(self.ticket, 11)
        panels.addWidget(self.queue, 10)
        body.addLayout(panels, 1)
        self.status = QLabel()
        self.status.setObjectName("statusLine")
        self.status.setWordWrap(True)
        set_kind(self.status, "none")
        body.addWidget(self.status)
        self.actions = ActionBar()
        body.addWidget(self.actions)
        outer.addLayout(body, 1)

    def _top_bar(self) -> QFrame:
        bar = QFrame()
        bar.setObjectName("topBar")
        layout = QHBoxLayout(bar)
        layout.setContentsMargins(18, 8, 18, 8)
        layout.setSpacing(24)
        self.window_title = QLabel()
        self.window_title.setObjectName("windowTitle")
        self.clerk = QLabel()
        self.stats = QLabel()
        self.stats.setObjectName("statsLabel")
        self.clock = QLabel()
        self.clock.setObjectName("clockLabel")
        self.supervisor = QPushButton(self.tr("主管视图"))
        self.supervisor.clicked.connect(self.supervisor_requested)
        self.supervisor.hide()
        self.logout = QPushButton(self.tr("退出登录"))
        self.logout.clicked.connect(self.logout_requested)
        for widget in (self.window_title, self.clerk, self.stats):
            layout.addWidget(widget)
        layout.addStretch(1)
        for widget in (self.clock, self.supervisor, self.logout):
            layout.addWidget(widget)
        return bar

    def show_session(self, clerk: ClerkView, window: int, supervisor_available: bool) -> None:
        self.window_title.setText(self.tr("{n} 号窗口").format(n=window))
        self.clerk.setText(self.tr("工作人员：{name}（{login}）").format(
            name=clerk.display_name, login=clerk.login))
        self.stats.setText("")
        self.status.clear()
        set_kind(self.status, "none")
        self.supervisor.setVisible(supervisor_available and clerk.role in ("supervisor", "admin"))

    def show_snapshot(self, snapshot: CounterSnapshot) -> None:
        window = snapshot.window
        self.window_title.setText(self.tr("{n} 号窗口 · {name}").format(n=window.number,
                                                                       name=window.name))
        self.stats.setText(self.tr("今日已服务 {n} 人 · 平均办理 {avg}").format(
            n=snapshot.stats.served, avg=labels.duration(snapshot.stats.average_service_seconds)))
        self.ticket.show_snapshot(snapshot)
        self.queue.show_snapshot(snapshot)
        self.actions.set_paused(window.paused)

    def set_time_zone(self, zone: ZoneInfo) -> None:
        """Show the site's time, as the kiosk and the hall display do."""
        self._zone = zone

    def show_clock(self, now: dt.datetime) -> None:
        self.clock.setText(now.astimezone(self._zone).strftime("%H:%M:%S"))
        self.ticket.show_clock(now)
        self.queue.show_clock(now)

    def set_enabled_actions(self, actions: frozenset[CounterAction]) -> None:
        self.actions.set_enabled(actions)

    def set_online(self, online: bool) -> None:
        self.offline.setVisible(not online)
        for panel in (self.ticket, self.queue):
            panel.setEnabled(online)

    def set_busy(self, busy: bool) -> None:
        self.logout.setEnabled(not busy)

    def show_status(self, text: str, warning: bool = False) -> None:
        self.status.setText(text)
        set_kind(self.status, ("warning" if warning else "info") if text else "none")

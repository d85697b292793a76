"""The hall display's screen: the call just made, earlier calls, waiting, time, a notice.

A passive view (:class:`~kiosk_app.display.presenter.HallView`): the presenter tells it
what to show. Every size is a share of the window's size, so the layout is the same on
a 1920×1080 and a 3840×2160 TV.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from PySide6.QtCore import QDate, QLocale, Qt, QTimer
from PySide6.QtGui import QColor, QPalette, QResizeEvent
from PySide6.QtWidgets import QBoxLayout, QHBoxLayout, QVBoxLayout, QWidget

from kiosk_app.display import theme
from kiosk_app.display.panels import CallHistoryPanel, NoticeTicker, WaitingPanel
from shared.qt.widgets.fitted_label import FittedLabel
from shared.qt.widgets.number_board import BoardColors, NumberBoard
from shared.read.display_view import RecentCall
from shared.views import ServiceQueue

# Shares of the window's height: header, calls, waiting, notice (the rest is spacing).
HEADER_SHARE, CALLS_SHARE, WAITING_SHARE, NOTICE_SHARE = 8, 47, 37, 7
HISTORY_ROWS = 6

BOARD_COLORS = BoardColors(
    background=theme.BOARD, number=theme.BOARD_NUMBER, caption=theme.BOARD_CAPTION,
    highlight_background=theme.HIGHLIGHT, highlight_number=theme.HIGHLIGHT_NUMBER,
    highlight_caption=theme.HIGHLIGHT_CAPTION)


class DisplayWindow(QWidget):
    """The whole hall display; see the module docstring."""

    def __init__(self, *, notice: str, highlight_seconds: float, parent: QWidget | None = None
                 ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("叫号显示屏"))
        self.setAutoFillBackground(True)
        palette = self.palette()
        palette.setColor(QPalette.ColorRole.Window, QColor(theme.BACKGROUND))
        self.setPalette(palette)
        self._zone: ZoneInfo | None = None
        self._online = True
        self._current: RecentCall | None = None
        self._build(notice)
        self._highlight_timer = QTimer(self, singleShot=True)
        self._highlight_timer.setInterval(round(highlight_seconds * 1000))
        self._highlight_timer.timeout.connect(lambda: self.board.set_highlighted(False))
        self._clock_timer = QTimer(self)
        self._clock_timer.timeout.connect(self._tick)
        self._clock_timer.start(1000)
        self._tick()

    # --- building -------------------------------------------------------------------------
    def _build(self, notice: str) -> None:
        self.site_label = FittedLabel("", color=theme.TEXT, bold=True,
                                      alignment=Qt.AlignmentFlag.AlignLeft)
        self.status_label = FittedLabel("", color=theme.OFFLINE, bold=True)
        self.date_label = FittedLabel("", color=theme.TITLE, alignment=Qt.AlignmentFlag.AlignRight,
                                      max_share_of_height=0.5)
        self.time_label = FittedLabel("", color=theme.TEXT, bold=True,
                                      alignment=Qt.AlignmentFlag.AlignRight)
        self.now_label = FittedLabel(self.tr("正在叫号"), color=theme.TITLE, bold=True,
                                     alignment=Qt.AlignmentFlag.AlignLeft)
        self.board = NumberBoard(colors=BOARD_COLORS, placeholder=self.tr("请稍候"))
        self.board.setProperty("mainInfo", True)  # the number called: ≥ 30 px (适老化)
        self.history = CallHistoryPanel(self.tr("最近叫号"), HISTORY_ROWS)
        self.history.set_window_format(self.tr("{} 号窗口"))
        self.waiting = WaitingPanel(self.tr("等候人数"))
        self.waiting.set_texts(self.tr("{} 人"), self.tr("暂停取号"))
        self.ticker = NoticeTicker(notice)
        for panel in (self.history, self.waiting):
            panel.share_title_size([self.history, self.waiting])

        header = QWidget()
        header.setAutoFillBackground(True)
        palette = header.palette()
        palette.setColor(QPalette.ColorRole.Window, QColor(theme.HEADER))
        header.setPalette(palette)
        self._header_layout = QHBoxLayout(header)
        self._header_layout.addWidget(self.site_label, 40)
        # The connection warning takes the date's place while it is shown: on a portrait
        # screen there is no room for both at a readable size.
        self._header_layout.addWidget(self.status_label, 46)
        self._header_layout.addWidget(self.date_label, 46)
        self._header_layout.addWidget(self.time_label, 14)
        self.status_label.hide()
        self._header = header

        now_column = QVBoxLayout()
        now_column.setSpacing(0)
        now_column.addWidget(self.now_label, 10)
        now_column.addWidget(self.board, 90)
        self._calls_row = QHBoxLayout()
        self._calls_row.addLayout(now_column, 60)
        self._calls_row.addWidget(self.history, 40)

        self._body = QVBoxLayout()
        self._body.addLayout(self._calls_row, CALLS_SHARE)
        self._body.addWidget(self.waiting, WAITING_SHARE)

        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)
        outer.addWidget(header, HEADER_SHARE)
        outer.addLayout(self._body, CALLS_SHARE + WAITING_SHARE)
        outer.addWidget(self.ticker, NOTICE_SHARE)

    def resizeEvent(self, event: QResizeEvent) -> None:
        # A portrait screen has no room for the board and the history side by side: the
        # history goes under the board.
        portrait = self.height() > self.width()
        self._calls_row.setDirection(QBoxLayout.Direction.TopToBottom if portrait
                                     else QBoxLayout.Direction.LeftToRight)
        self.history.set_columns(2 if portrait else 1)
        # Margins and gaps as shares of the shorter side, like everything else.
        unit = max(2, round(min(self.height(), self.width()) * 0.014))
        self._header_layout.setContentsMargins(unit * 2, unit // 2, unit * 2, unit // 2)
        self._header_layout.setSpacing(unit * 2)
        self._body.setContentsMargins(unit * 2, unit, unit * 2, unit)
        self._body.setSpacing(unit)
        self._calls_row.setSpacing(unit * 2)
        super().resizeEvent(event)

    # --- HallView ---------------------------------------------------------------------------
    def show_call(self, call: RecentCall | None, *, highlight: bool) -> None:
        self._current = call
        if call is None:
            self.board.set_number("")
            self.board.set_caption("")
            self.board.set_highlighted(False)
            return
        self.board.set_number(call.number)
        self.board.set_caption(self.tr("请到 {} 号窗口办理").format(call.window))
        self.board.set_highlighted(highlight)
        if highlight:
            self._highlight_timer.start()  # restarts: each new call gets the full time

    def show_history(self, calls: list[RecentCall]) -> None:
        self.history.set_calls(calls)

    def show_waiting(self, queues: list[ServiceQueue]) -> None:
        self.waiting.set_queues(queues)

    def show_online(self, online: bool) -> None:
        self._online = online
        self.status_label.set_text("" if online else self.tr("网络中断，正在重新连接…"))
        self.status_label.setVisible(not online)
        self.date_label.setVisible(online)

    # --- header -----------------------------------------------------------------------------
    def set_site(self, name: str, timezone: str) -> None:
        self.site_label.set_text(name)
        self._zone = ZoneInfo(timezone)
        self._tick()

    def current_call(self) -> RecentCall | None:
        return self._current

    def is_online(self) -> bool:
        return self._online

    def _tick(self) -> None:
        now = dt.datetime.now(self._zone) if self._zone else dt.datetime.now()
        date = QDate(now.year, now.month, now.day)
        self.date_label.set_text(QLocale().toString(date, QLocale.FormatType.LongFormat))
        self.time_label.set_text(f"{now:%H:%M:%S}")

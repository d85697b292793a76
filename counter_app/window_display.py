"""The window display (窗口屏): the small monitor above a window, facing the citizens.

It shows the window's number and name, the clerk on duty, and the number being served
(large, on the shared :class:`NumberBoard`), or 暂停服务 with the reason. It runs beside
the counter (fed by the counter's own snapshots) or on its own (``--window-display``:
a PC that only drives that monitor, following the change feed).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, QObject, Qt, QTimer
from PySide6.QtGui import QFont, QFontMetricsF, QResizeEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QStackedWidget, QVBoxLayout, QWidget

from counter_app.session import Runner
from counter_app.style import apply_counter_style
from shared.db import Database
from shared.errors import DatabaseUnavailable
from shared.feed import Change
from shared.qt.widgets.number_board import BoardColors, NumberBoard
from shared.qt.widgets.spaced_label import SpacedLabel
from shared.read import hall_state
from shared.read.counter_view import concerns_window
from shared.views import WindowView

log = logging.getLogger(__name__)

#: Size range of the pause reason's text (one line if it fits at the smaller size).
REASON_MIN_PX, REASON_MAX_PX = 30, 40

BOARD_COLORS = BoardColors(background="#0b2a4a", number="#ffffff", caption="#9fd3ff",
                           highlight_background="#ffb300", highlight_number="#101010",
                           highlight_caption="#3a1d00")


@dataclass(frozen=True)
class DisplayContent:
    """What the window display shows for one state of the window."""

    title: str
    name: str
    clerk: str
    paused: bool
    headline: str  # 暂停服务 (paused or nobody on duty)
    reason: str
    number: str
    caption: str
    highlighted: bool  # the number was just called: the citizen should come


def display_content(window: WindowView) -> DisplayContent:
    title = QCoreApplication.translate("WindowDisplay", "{n} 号窗口").format(n=window.number)
    clerk = QCoreApplication.translate("WindowDisplay", "工作人员：{name}").format(
        name=window.clerk_name) if window.clerk_name else ""
    held = window.current_ticket
    if window.paused or (window.clerk is None and held is None):
        reason = window.pause_reason if window.paused else QCoreApplication.translate(
            "WindowDisplay", "本窗口暂无工作人员")
        return DisplayContent(title, window.name, clerk, True,
                              QCoreApplication.translate("WindowDisplay", "暂停服务"),
                              reason or "", "", "", False)
    if held is None:
        return DisplayContent(title, window.name, clerk, False, "", "", "",
                              QCoreApplication.translate("WindowDisplay", "请留意叫号"), False)
    called = held.state == "called"
    caption = (QCoreApplication.translate("WindowDisplay", "请到本窗口办理") if called
               else QCoreApplication.translate("WindowDisplay", "正在办理"))
    return DisplayContent(title, window.name, clerk, False, "", "", held.number, caption,
                          called)


class WindowDisplay(QWidget):
    """The window display's screen; ``show_window`` with each new state of the window."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("windowDisplay")
        self.setWindowTitle(self.tr("窗口屏"))
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        apply_counter_style(self)
        self.content: DisplayContent | None = None
        outer = QVBoxLayout(self)
        outer.setContentsMargins(36, 20, 36, 24)
        header = QHBoxLayout()
        self.title = QLabel()
        self.title.setObjectName("displayWindow")
        self.name = QLabel()
        self.name.setObjectName("displayName")
        self.clerk = QLabel()
        self.clerk.setObjectName("displayClerk")
        header.addWidget(self.title)
        header.addSpacing(24)
        header.addWidget(self.name, 0, Qt.AlignmentFlag.AlignBottom)
        header.addStretch(1)
        header.addWidget(self.clerk, 0, Qt.AlignmentFlag.AlignBottom)
        outer.addLayout(header)

        self.pages = QStackedWidget()
        self.board = NumberBoard(placeholder=self.tr("欢迎办理"), colors=BOARD_COLORS)
        self.board.setProperty("mainInfo", True)  # the number served: ≥ 30 px (适老化)
        self.pages.addWidget(self.board)
        paused = QWidget()
        paused_layout = QVBoxLayout(paused)
        self.headline = SpacedLabel()
        self.headline.setObjectName("displayPaused")
        self.reason = SpacedLabel()  # a long reason wraps, its lines 1.35 × apart
        self.reason.setObjectName("displayReason")
        for label in (self.headline, self.reason):
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        paused_layout.addStretch(1)
        paused_layout.addWidget(self.headline)
        paused_layout.addWidget(self.reason)
        paused_layout.addStretch(1)
        self.pages.addWidget(paused)
        outer.addWidget(self.pages, 1)
        self.offline = QLabel(self.tr("网络中断，显示内容可能不是最新"))
        self.offline.setObjectName("displayOffline")
        self.offline.hide()
        outer.addWidget(self.offline, 0, Qt.AlignmentFlag.AlignRight)

    def show_window(self, window: WindowView) -> None:
        content = self.content = display_content(window)
        self.title.setText(content.title)
        self.name.setText(content.name)
        self.clerk.setText(content.clerk)
        if content.paused:
            self.headline.setText(content.headline)
            self.reason.setText(content.reason)
            self._fit_reason()
            self.pages.setCurrentIndex(1)
        else:
            self.board.set_number(content.number)
            self.board.set_caption(content.caption)
            self.board.set_highlighted(content.highlighted)
            self.pages.setCurrentIndex(0)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_reason()

    def _fit_reason(self) -> None:
        """The pause reason on one line when it fits at :data:`REASON_MIN_PX` or more
        (a line broken inside a word reads badly); else it wraps at that size."""
        font = QFont(self.reason.font())
        font.setPixelSize(100)
        width = QFontMetricsF(font).horizontalAdvance(self.reason.text()) or 1.0
        available = self.width() - self.layout().contentsMargins().left() * 2 - 24
        size = int(available / width * 100)
        font.setPixelSize(max(REASON_MIN_PX, min(REASON_MAX_PX, size)))
        self.reason.setFont(font)

    def set_online(self, online: bool) -> None:
        self.offline.setVisible(not online)


# After the clerk's lease ends, read again this much later, so the server's clock has
# passed the end for sure when the display asks.
LEASE_END_MARGIN_MS = 1000


class WindowDisplayController(QObject):
    """Feeds a window display from the database: the change feed says when to read again,
    and so does the end of the shown clerk's lease (shared.presence), which changes
    nothing in the database: a killed counter's clerk disappears from the display then."""

    def __init__(self, db: Database, site: str | None, window: int, runner: Runner,
                 display: WindowDisplay, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.db, self.site, self.window = db, site, window
        self.runner = runner
        self.display = display
        self._loading = False
        self._again = False
        self.window_id: int | None = None  # known after the first read
        self.lease_end = QTimer(self, singleShot=True)
        self.lease_end.timeout.connect(self.refresh)

    def concerns(self, change: Change) -> bool:
        """Whether a change of the feed concerns this window's display (run in the feed's
        thread: it only reads)."""
        window_id = self.window_id
        return window_id is None or concerns_window(change, window_id)

    def refresh(self, _change: object = None) -> None:
        if self._loading:
            self._again = True
            return
        self._loading = True
        self.runner.run(lambda: hall_state.get_window(self.db, self.window, site=self.site),
                        self._loaded, self._failed)

    def on_online_changed(self, online: bool) -> None:
        self.display.set_online(online)
        if online:
            self.refresh()

    def _loaded(self, window: WindowView) -> None:
        self._loading = False
        self.window_id = window.id
        self.display.set_online(True)
        self.display.show_window(window)
        if window.presence_ends_in is None:
            self.lease_end.stop()
        else:
            ends_in_ms = int(window.presence_ends_in.total_seconds() * 1000)
            self.lease_end.start(max(0, ends_in_ms) + LEASE_END_MARGIN_MS)
        if self._again:
            self._again = False
            self.refresh()

    def _failed(self, exc: BaseException) -> None:
        self._loading = False
        self._again = False
        self.display.set_online(False)
        if not isinstance(exc, DatabaseUnavailable):
            # Citizens face this screen: log for IT rather than show a dialog.
            log.error("window display could not read window %s", self.window, exc_info=exc)

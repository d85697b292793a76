"""The 设备 tab: every terminal's last heartbeat (kind, name, site, host, version, printer,
sound, last seen, last error) with its alerts in words, rows with alerts highlighted.

The words live here as literal ``QCoreApplication.translate("DeviceText", …)`` strings so
lupdate collects them into supervisor_en.ts; without a translator they are exactly
:mod:`shared.heartbeats`' Chinese (``PRINTER_TEXT``, ``describe_alert`` — a test checks
it). The live view uses the same words for its alert line.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from counter_app.supervisor.live_panel import ALERT_FILL
from shared import heartbeats
from shared.heartbeats import TerminalStatus
from shared.qt.widgets.tables import read_only_table, set_row


def kind_label(kind: str) -> str:
    return {"kiosk": QCoreApplication.translate("DeviceText", "取号机"),
            "counter": QCoreApplication.translate("DeviceText", "窗口"),
            "display": QCoreApplication.translate("DeviceText", "叫号屏"),
            "supervisor": QCoreApplication.translate("DeviceText", "审管办")}.get(kind, kind)


def printer_label(state: str | None) -> str:
    """A printer state (shared.heartbeats.PRINTER_STATES) in words; "—" without a printer."""
    if state is None:
        return "—"
    return {"ready": QCoreApplication.translate("DeviceText", "正常"),
            "paper_low": QCoreApplication.translate("DeviceText", "纸将用完"),
            "paper_out": QCoreApplication.translate("DeviceText", "缺纸"),
            "cover_open": QCoreApplication.translate("DeviceText", "机盖打开"),
            "offline": QCoreApplication.translate("DeviceText", "离线"),
            "unreachable": QCoreApplication.translate("DeviceText", "连接不上")}.get(state, state)


def audio_label(state: str | None) -> str:
    if state is None:
        return "—"
    return {"ok": QCoreApplication.translate("DeviceText", "有声音"),
            "none": QCoreApplication.translate("DeviceText", "无声音")}.get(state, state)


def seen_text(seconds: int) -> str:
    """How long ago the terminal last beat: "12 秒前", "3 分钟前", "2 小时前"."""
    if seconds < 60:
        return QCoreApplication.translate("DeviceText", "%1 秒前").replace("%1", str(seconds))
    if seconds < 3600:
        return QCoreApplication.translate("DeviceText", "%1 分钟前").replace("%1", str(seconds // 60))
    return QCoreApplication.translate("DeviceText", "%1 小时前").replace("%1", str(seconds // 3600))


def alert_text(terminal: TerminalStatus, alert: str) -> str:
    """One alert in words (shared.heartbeats.describe_alert's Chinese, translated)."""
    if alert == "silent":
        minutes = max(1, terminal.silent_seconds // 60)
        return QCoreApplication.translate("DeviceText", "已失联 %1 分钟").replace(
            "%1", str(minutes))
    if alert == "printer":
        return QCoreApplication.translate("DeviceText", "打印机：%1").replace(
            "%1", printer_label(terminal.printer))
    if alert == "sound":
        return QCoreApplication.translate("DeviceText", "没有声音输出，无法语音叫号")
    if alert == "version":
        return QCoreApplication.translate("DeviceText", "版本 %1（结构 %2）与本程序不一致").replace(
            "%1", terminal.version).replace("%2", terminal.schema_revision)
    raise ValueError(f"unknown terminal alert {alert!r}")


def alerts_text(terminal: TerminalStatus) -> str:
    return QCoreApplication.translate("DeviceText", "；").join(
        alert_text(terminal, a) for a in terminal.alerts)


def device_alert_line(terminal: TerminalStatus) -> str:
    """The live view's line for a terminal that needs a look."""
    return QCoreApplication.translate("DeviceText", "%1 %2：%3").replace(
        "%1", kind_label(terminal.kind)).replace("%2", terminal.name).replace(
        "%3", alerts_text(terminal))


class DevicesPanel(QWidget):
    refresh_requested = Signal()

    COLUMNS = ("kind", "name", "site", "host", "version", "printer", "sound", "seen", "error",
               "alerts")

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.terminals: list[TerminalStatus] = []
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        self.summary = QLabel()
        self.summary.setObjectName("devicesSummary")
        top.addWidget(self.summary, 1)
        self.refresh_button = QPushButton(self.tr("刷新"))
        self.refresh_button.clicked.connect(self.refresh_requested.emit)
        top.addWidget(self.refresh_button)
        layout.addLayout(top)
        self.table = read_only_table([
            self.tr("类型"), self.tr("名称"), self.tr("站点"), self.tr("主机"),
            self.tr("版本"), self.tr("打印机"), self.tr("声音"), self.tr("最后心跳"),
            self.tr("最近错误"), self.tr("提醒")], stretch=self.COLUMNS.index("alerts"))
        layout.addWidget(self.table, 1)
        self.set_terminals([])

    def set_online(self, online: bool) -> None:
        self.refresh_button.setEnabled(online)

    def set_terminals(self, terminals: list[TerminalStatus]) -> None:
        """One row per terminal, those with alerts first (list_terminals' order)."""
        self.terminals = terminals
        flagged = sum(1 for t in terminals if t.alerts)
        if not terminals:
            self.summary.setText(self.tr("还没有终端报告心跳。"))
        else:
            self.summary.setText(self.tr("共 %1 台终端，%2 台需要处理").replace(
                "%1", str(len(terminals))).replace("%2", str(flagged)))
        self.table.setRowCount(len(terminals))
        for row, t in enumerate(terminals):
            cells = [kind_label(t.kind), t.name, t.site or "—", t.host, t.version,
                     printer_label(t.printer), audio_label(t.audio),
                     seen_text(t.silent_seconds), heartbeats.error_words(t.last_error),
                     alerts_text(t) or self.tr("正常")]
            items = set_row(self.table, row, cells,
                            background=ALERT_FILL if t.alerts else None)
            if t.alerts:
                items[self.COLUMNS.index("alerts")].setForeground(Qt.GlobalColor.darkRed)
            if t.last_error:  # the program's own (English) detail is for IT
                items[self.COLUMNS.index("error")].setToolTip(self.tr(
                    "详情见该终端的日志，或 hallq-admin terminal list --json"))

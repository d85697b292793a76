"""The live view's overflow line (潮汐窗口): services whose predicted wait for a number taken
now passes their target by the margin set here, with the windows that could take them
(shared/overflow.py; every suggestion is recorded there, and 查看记录 lists them)."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QSpinBox, QWidget

from shared.overflow import DEFAULT_MARGIN_MINUTES, Overflow


class OverflowBar(QWidget):
    log_requested = Signal()  # 记录: list the recorded suggestions

    def __init__(self, margin: int = DEFAULT_MARGIN_MINUTES,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.margin = QSpinBox(minimum=0, maximum=240)
        self.margin.setValue(margin)
        self.text = QLabel(self.tr("潮汐窗口：目前无需增开"))
        self.text.setObjectName("overflowText")
        self.text.setWordWrap(True)
        layout.addWidget(self.text, 1)
        layout.addWidget(QLabel(self.tr("预计等候超出目标")))
        layout.addWidget(self.margin)
        layout.addWidget(QLabel(self.tr("分钟时建议增开窗口")))
        self.log = QPushButton(self.tr("查看记录"))
        self.log.setObjectName("overflowLog")
        self.log.clicked.connect(self.log_requested.emit)
        layout.addWidget(self.log)
        self.items: list[Overflow] = []

    def set_items(self, items: list[Overflow]) -> None:
        self.items = items
        if not items:
            self.text.setText(self.tr("潮汐窗口：目前无需增开"))
            self.text.setStyleSheet("")
            return
        parts = []
        for item in items:
            windows = self.tr("、").join(str(n) for n in item.windows[:3])  # ", " in English
            line = self.tr("{service}预计等候 {minutes} 分钟（目标 {target} 分钟，{n} 人等候）").format(
                service=item.service_name, minutes=item.predicted_minutes,
                target=item.target_minutes, n=item.waiting)
            if windows:
                line += self.tr("，可由 {windows} 号窗口协助").format(windows=windows)
            parts.append(line)
        self.text.setText(self.tr("潮汐窗口建议：") + self.tr("；").join(parts))
        self.text.setStyleSheet("color: #B71C1C; font-weight: bold;")

    def set_failed(self) -> None:
        self.items = []
        self.text.setText(self.tr("潮汐窗口：暂时无法计算预计等候"))
        self.text.setStyleSheet("")

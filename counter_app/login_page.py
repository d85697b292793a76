"""The login screen: clerk id (工号), password and, unless the PC is fixed to one window,
the window to work at."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from counter_app.style import set_kind
from shared.read.counter_view import WindowRef


class LoginPage(QWidget):
    submitted = Signal(str, str, object)  # login, password, window number or None

    def __init__(self, site_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._fixed: int | None = None
        self._online = True
        self._busy = False
        outer = QVBoxLayout(self)
        outer.addStretch(1)
        row = QHBoxLayout()
        row.addStretch(1)
        box = QFrame()
        box.setObjectName("card")
        box.setFixedWidth(560)
        row.addWidget(box)
        row.addStretch(1)
        outer.addLayout(row)
        outer.addStretch(2)

        layout = QVBoxLayout(box)
        layout.setContentsMargins(40, 32, 40, 32)
        layout.setSpacing(14)
        title = QLabel(self.tr("窗口叫号登录"))
        title.setObjectName("loginTitle")
        self.subtitle = QLabel(site_name)
        self.subtitle.setObjectName("loginSubtitle")
        layout.addWidget(title)
        layout.addWidget(self.subtitle)

        form = QFormLayout()
        form.setVerticalSpacing(14)
        self.login = QLineEdit()
        self.login.setPlaceholderText(self.tr("工号"))
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText(self.tr("密码"))
        self.window = QComboBox()
        self.fixed_window = QLabel()
        self.fixed_window.setObjectName("heldService")
        form.addRow(self._label(self.tr("工号")), self.login)
        form.addRow(self._label(self.tr("密码")), self.password)
        self.window_row_label = self._label(self.tr("窗口"))
        window_box = QVBoxLayout()
        window_box.addWidget(self.window)
        window_box.addWidget(self.fixed_window)
        form.addRow(self.window_row_label, window_box)
        layout.addLayout(form)

        self.message = QLabel()
        self.message.setObjectName("loginMessage")
        self.message.setWordWrap(True)
        layout.addWidget(self.message)
        self.submit = QPushButton(self.tr("登录"))
        self.submit.setObjectName("primaryButton")
        self.submit.setMinimumHeight(52)
        self.submit.clicked.connect(self._submit)
        self.login.returnPressed.connect(self.password.setFocus)
        self.password.returnPressed.connect(self._submit)
        layout.addWidget(self.submit)
        self.fixed_window.hide()

    @staticmethod
    def _label(text: str) -> QLabel:
        label = QLabel(text)
        label.setObjectName("formLabel")
        return label

    def set_site_name(self, name: str) -> None:
        self.subtitle.setText(name)

    def show_windows(self, windows: list[WindowRef], fixed: int | None) -> None:
        self._fixed = fixed
        chosen = self.window.currentData()
        self.window.clear()
        for window in windows:
            self.window.addItem(self.tr("{n} 号窗口 · {name}").format(n=window.number,
                                                                     name=window.name),
                                window.number)
        named = {w.number: w.name for w in windows}
        if fixed is not None:
            self.fixed_window.setText(self.tr("{n} 号窗口 · {name}").format(
                n=fixed, name=named.get(fixed, "")).rstrip(" ·"))
        self.window.setVisible(fixed is None)
        self.fixed_window.setVisible(fixed is not None)
        if chosen is not None:
            self.window.setCurrentIndex(max(0, self.window.findData(chosen)))

    def show_message(self, message: str) -> None:
        self.message.setText(message)
        set_kind(self.message, "")
        if message:
            self.password.clear()
            self.password.setFocus()

    def set_state(self, online: bool, busy: bool) -> None:
        self._online, self._busy = online, busy
        self.submit.setEnabled(online and not busy)
        self.submit.setText(self.tr("正在登录…") if busy else self.tr("登录"))
        offline_text = self.tr("无法连接数据库，正在自动重连…")
        if not online:
            self.message.setText(offline_text)
            set_kind(self.message, "")
        elif self.message.text() == offline_text:
            self.message.clear()

    def _submit(self) -> None:
        if not self._online or self._busy:
            return
        window = self._fixed if self._fixed is not None else self.window.currentData()
        self.submitted.emit(self.login.text(), self.password.text(), window)

    def focus_first(self) -> None:
        target = self.password if self.login.text() else self.login
        target.setFocus(Qt.FocusReason.OtherFocusReason)

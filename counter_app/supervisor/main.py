"""``hallq-supervisor``: the supervisor's view (审管办) of live queues, statistics, reports
and the follow-ups of bad ratings.

    hallq-supervisor --database URL [--site chunan] [--windowed] [--lang en]
    python -m counter_app.supervisor.main --database URL --site chunan --windowed

A clerk with the role supervisor or admin logs in (shared.clerks.authenticate). The demo
sets ``HALLQ_AUTOLOGIN=login:password`` to log in automatically; never on a real PC.

From the counter app, a supervisor who logged in at a counter PC opens the same window:

    open_supervisor(db: Database, site: str | None, clerk: ClerkView, *,
                    parent: QWidget | None = None) -> SupervisorWindow

It raises ``LoginRefused`` unless ``clerk.role`` is supervisor or admin, shows the window
and returns it (keep a reference; closing it stops its change feed). It makes no
database call on the GUI thread.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from counter_app.supervisor.window import SupervisorWindow
from shared.clerks import ClerkView, authenticate
from shared.config import Config
from shared.db import Database
from shared.errors import LoginRefused
from shared.feed import REFRESH_INTERVAL_S
from shared.followups import FollowUpRules
from shared.heartbeats import default_name
from shared.i18n import QT_TRANSLATE_NOOP
from shared.options import ArgumentParser
from shared.qt.app import open_database, quit_on_signals, run_event_loop, start_app
from shared.qt.errors import describe
from shared.qt.heartbeat import HeartbeatReporter
from shared.qt.ops import OperationRunner

APP_NAME = "hallq-supervisor"
SUPERVISOR_ROLES = ("supervisor", "admin")
AUTOLOGIN_ENV = "HALLQ_AUTOLOGIN"


def check_role(clerk: ClerkView) -> ClerkView:
    if clerk.role not in SUPERVISOR_ROLES:
        raise LoginRefused(f"{clerk.display_name} 不是主管，无权使用主管视图 "
                           f"(clerk {clerk.login} has role {clerk.role!r}; the supervisor view "
                           f"needs supervisor or admin)")
    return clerk


def open_supervisor(db: Database, site: str | None, clerk: ClerkView, *,
                    parent: QWidget | None = None,
                    rules: FollowUpRules | None = None,
                    refresh_interval: float = REFRESH_INTERVAL_S) -> SupervisorWindow:
    """Open the supervisor window for a clerk who already logged in (see the module doc)."""
    window = SupervisorWindow(db, site, check_role(clerk), parent=parent, rules=rules,
                              refresh_interval=refresh_interval)
    window.show()
    return window


class LoginDialog(QDialog):
    """Connects to the database and checks the supervisor's password, off the GUI thread."""

    def __init__(self, config: Config, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.config = config
        self.db: Database | None = None
        self.clerk: ClerkView | None = None
        self.runner = OperationRunner(self)
        self.setWindowTitle(self.tr("主管登录"))
        layout = QVBoxLayout(self)
        title = QLabel(self.tr("HallQueue 主管视图"))
        font = title.font()
        font.setPointSizeF(font.pointSizeF() * 1.6)
        font.setBold(True)
        title.setFont(font)
        layout.addWidget(title)
        form = QFormLayout()
        self.login = QLineEdit()
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        form.addRow(self.tr("登录名"), self.login)
        form.addRow(self.tr("密码"), self.password)
        layout.addLayout(form)
        self.message = QLabel()
        self.message.setObjectName("loginMessage")
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #B71C1C;")
        layout.addWidget(self.message)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("登录"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("退出"))
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(380)

    def submit(self) -> None:
        login, password = self.login.text().strip(), self.password.text()
        if not login or not password:
            self.message.setText(self.tr("请输入登录名和密码。"))
            return
        self.buttons.setEnabled(False)
        self.message.setText(self.tr("正在登录……"))
        config, known_db = self.config, self.db

        def work() -> tuple[Database, ClerkView]:
            db = known_db or open_database(config)
            return db, check_role(authenticate(db, login, password))

        self.runner.run(work, self._logged_in, self._refused)

    def _logged_in(self, result: tuple[Database, ClerkView]) -> None:
        self.db, self.clerk = result
        self.accept()

    def _refused(self, exc: BaseException) -> None:
        self.buttons.setEnabled(True)
        self.password.clear()
        self.message.setText(describe(exc)[1])


def build_parser() -> argparse.ArgumentParser:
    return ArgumentParser(prog=APP_NAME,
                          description=QT_TRANSLATE_NOOP("Cli", "值班长视图：实时队列、统计、报表和差评回访"))


def main(argv: Sequence[str] | None = None) -> int:
    context = start_app(APP_NAME, build_parser(), argv)
    quit_on_signals(context.app)  # also while the login dialog waits
    dialog = LoginDialog(context.config)
    autologin = os.environ.get(AUTOLOGIN_ENV, "")
    if ":" in autologin:
        login, password = autologin.split(":", 1)
        dialog.login.setText(login)
        dialog.password.setText(password)
        dialog.submit()
    if dialog.exec() != QDialog.DialogCode.Accepted or dialog.db is None or dialog.clerk is None:
        return 0
    window = SupervisorWindow(dialog.db, context.config.site or None, dialog.clerk,
                              rules=context.config.follow_up_rules,
                              refresh_interval=context.config.refresh_ms / 1000)
    # this PC's own heartbeat, now that it has its database (no printer, no sound)
    HeartbeatReporter(dialog.db, "supervisor", default_name("supervisor"),
                      context.config.site or None, parent=window).start()
    if context.args.windowed:
        window.show()
    else:
        window.showMaximized()
    return run_event_loop(context.app)


if __name__ == "__main__":
    sys.exit(main())

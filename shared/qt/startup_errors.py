"""Errors that stop a GUI app before its window exists (a broken config, a bad option).

A kiosk or hall display started from a desktop shortcut or at boot has no terminal, so
stderr alone reaches nobody: the message goes to stderr (and the log, for scripts and
the IT person) and into a modal dialog that the person at the screen can read.
"""

from __future__ import annotations

import logging
import sys

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox

log = logging.getLogger(__name__)


def show_startup_error(title: str, message: str) -> None:
    """Print ``title: message`` to stderr and show it in a modal dialog until closed."""
    print(f"{title}: {message}", file=sys.stderr)
    log.error("%s: %s", title, message)
    app = QApplication.instance() or QApplication([sys.argv[0]])
    assert isinstance(app, QApplication)
    box = QMessageBox(QMessageBox.Icon.Critical, title, message, QMessageBox.StandardButton.Ok)
    box.setObjectName("startupErrorDialog")
    # IT staff copy the message (a config key, a path) into a ticket or a search.
    box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    box.exec()

"""Errors that stop a GUI app before its window opens (a wrong config file, a bad option).

A kiosk or a counter is usually started from a desktop shortcut or at log-on, where
nobody sees stderr: the error is printed for the log and the terminal, and shown in a
modal message box too, when there is a screen to show it on.
"""

from __future__ import annotations

import logging
import os
import sys

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox

from shared.i18n import one_language

log = logging.getLogger(__name__)

# Platforms that draw on no screen: a modal box there would wait for a click forever.
HEADLESS_PLATFORMS = frozenset({"offscreen", "minimal"})


def _can_create_application() -> bool:
    """Whether QApplication() would find a platform instead of aborting the process:
    Windows and macOS always have one; elsewhere an X or Wayland display (or a platform
    named explicitly) is needed."""
    if sys.platform in ("win32", "darwin"):
        return True
    return any(os.environ.get(name) for name in ("QT_QPA_PLATFORM", "DISPLAY",
                                                  "WAYLAND_DISPLAY"))


def startup_error_box(title: str, message: str) -> QMessageBox:
    box = QMessageBox(QMessageBox.Icon.Critical, title, message, QMessageBox.StandardButton.Ok)
    box.setObjectName("startupError")
    # IT staff copy the message (a config key, a path) into a ticket or a search.
    box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return box


def show_startup_error(title: str, message: str) -> None:
    """Print ``title: message`` to stderr, and show it in a modal message box (until the
    person presses OK) when a QApplication exists or can be created on a real screen.
    The box shows a bilingual "中文 (English)" message in the UI language only."""
    print(f"{title}: {message}", file=sys.stderr, flush=True)
    log.error("%s: %s", title, message)
    app = QApplication.instance()
    if app is None:
        if not _can_create_application():
            return
        app = QApplication([sys.argv[0] if sys.argv else "hallqueue"])
    if not isinstance(app, QApplication) or app.platformName() in HEADLESS_PLATFORMS:
        return
    try:
        startup_error_box(one_language(title), one_language(message)).exec()
    except Exception:  # the message is on stderr already; never hide it behind a crash
        log.exception("could not show the start-up error dialog")

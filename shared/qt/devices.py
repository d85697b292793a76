"""What a PC offers a terminal: a display, screens and sound outputs, as Qt sees them.

Importing this module does not load Qt; the probes do, and only create a Qt application
when none runs (a command-line program has none).
"""

from __future__ import annotations

import logging
import os
import sys
from typing import Any

log = logging.getLogger(__name__)


def _quiet_qt() -> None:
    """Send Qt's own messages to the log: probing sound prints a dozen lines about codec
    libraries and PulseAudio that would bury the set-up's one line per check."""
    from PySide6.QtCore import qInstallMessageHandler

    qInstallMessageHandler(lambda _kind, _context, message: log.debug("qt: %s", message))


def has_display() -> bool:
    """Whether a window can be shown: Windows and macOS always; elsewhere an X11 or
    Wayland display (offscreen and minimal platforms show nothing to a person)."""
    if sys.platform in ("win32", "darwin"):
        return True
    if os.environ.get("QT_QPA_PLATFORM", "") in ("offscreen", "minimal"):
        return False
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def _gui_app() -> Any:
    from PySide6.QtGui import QGuiApplication

    _quiet_qt()
    return QGuiApplication.instance() or QGuiApplication([sys.argv[0] if sys.argv else "hallq"])


def screens() -> list[tuple[str, int, int]]:
    """(name, width, height) of each screen in device pixels; call only with a display
    (Qt aborts the process when its platform cannot connect)."""
    app = _gui_app()
    found = []
    for screen in app.screens():
        size = screen.size()
        ratio = screen.devicePixelRatio()
        found.append((screen.name() or "screen", round(size.width() * ratio),
                      round(size.height() * ratio)))
    return found


def audio_outputs() -> list[str]:
    """Descriptions of the sound output devices; empty when there is none (or Qt's
    multimedia cannot load on this PC)."""
    from PySide6.QtCore import QCoreApplication

    _quiet_qt()
    if QCoreApplication.instance() is None:
        if has_display():
            _gui_app()
        else:
            QCoreApplication([sys.argv[0] if sys.argv else "hallq"])
    try:
        from PySide6.QtMultimedia import QMediaDevices
    except ImportError:  # libpulse missing: tools/install-system-deps.sh installs it
        return []
    return [device.description() for device in QMediaDevices.audioOutputs()]

"""What a PC offers a terminal: a display, screens and sound outputs, as Qt sees them.

Importing this module does not load Qt; the probes do, and only create a Qt application
when none runs (a command-line program has none).
"""

from __future__ import annotations

import contextlib
import logging
import os
import sys
from collections.abc import Iterator
from typing import Any

log = logging.getLogger(__name__)


@contextlib.contextmanager
def _qt_messages_to_log() -> Iterator[None]:
    """Send Qt's own messages to the log while probing: sound prints a dozen lines about
    codec libraries and PulseAudio that would bury the set-up's one line per check."""
    from PySide6.QtCore import qInstallMessageHandler

    previous = qInstallMessageHandler(
        lambda _kind, _context, message: log.debug("qt: %s", message))
    try:
        yield
    finally:
        qInstallMessageHandler(previous)


def has_display() -> bool:
    """Whether a window can be shown: Windows and macOS always; elsewhere an X11 or
    Wayland display (offscreen and minimal platforms show nothing to a person)."""
    if sys.platform in ("win32", "darwin"):
        return True
    if os.environ.get("QT_QPA_PLATFORM", "") in ("offscreen", "minimal"):
        return False
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def _app() -> Any:
    """The running Qt application, or a new one: a widgets application (what every
    HallQueue terminal and pytest-qt use, so a probe run inside one process never leaves
    the wrong kind behind), offscreen when there is no display."""
    from PySide6.QtWidgets import QApplication

    if (app := QApplication.instance()) is not None:
        return app
    arguments = [sys.argv[0] if sys.argv else "hallq"]
    if not has_display():
        arguments += ["-platform", "offscreen"]
    return QApplication(arguments)


def screens() -> list[tuple[str, int, int]]:
    """(name, width, height) of each screen in device pixels; call only with a display
    (Qt aborts the process when its platform cannot connect)."""
    with _qt_messages_to_log():
        app = _app()
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
    with _qt_messages_to_log():
        _app()
        try:
            from PySide6.QtMultimedia import QMediaDevices
        except ImportError:  # libpulse missing: tools/install-system-deps.sh installs it
            return []
        return [device.description() for device in QMediaDevices.audioOutputs()]

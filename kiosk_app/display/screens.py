"""Which screen the hall display fills, and following it when it is unplugged.

``display.screen`` in the config (or ``--screen``) names the screen by index (``"1"``:
the second screen, as Qt lists them) or by name (``"HDMI-1"``; ``hallq-display
--list-screens`` prints them); empty means the primary screen. A kiosk PC that drives
the hall TV loses that screen whenever the TV is switched off: the display then moves
to the primary screen and goes back as soon as the TV is there again.

The ticket kiosk uses the same keeper for its full-screen mode: without a window manager
(the locked-down ``~/.xsession``) ``showFullScreen`` alone leaves a window at its own size,
so the keeper first gives it the whole screen's geometry.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Protocol, TypeVar

from PySide6.QtCore import QObject, QTimer
from PySide6.QtGui import QGuiApplication, QScreen
from PySide6.QtWidgets import QWidget

log = logging.getLogger(__name__)


class ScreenLike(Protocol):
    def name(self) -> str: ...


S = TypeVar("S", bound=ScreenLike)


def find_screen(screens: Sequence[S], wanted: str) -> S | None:
    """The screen ``wanted`` names (an index or a name, case-insensitive); None if it is
    not connected. An empty ``wanted`` finds nothing: the caller uses the primary."""
    wanted = wanted.strip()
    if not wanted:
        return None
    if wanted.isdigit():
        index = int(wanted)
        return screens[index] if index < len(screens) else None
    folded = wanted.casefold()
    return next((s for s in screens if s.name().casefold() == folded), None)


def describe_screens(screens: Sequence[QScreen]) -> list[str]:
    """One line per screen for ``--list-screens``: index, name, size, model."""
    return [f"{index}: {screen.name()}  {screen.size().width()}x{screen.size().height()}  "
            f"{screen.manufacturer()} {screen.model()}".rstrip()
            for index, screen in enumerate(screens)]


class ScreenKeeper(QObject):
    """Keeps a window on its configured screen, full screen or windowed.

    Full screen, the window first takes the screen's geometry: with no window manager to
    honour the full-screen state (a kiosk's bare X session) that is what fills the screen."""

    def __init__(self, window: QWidget, wanted: str, *, fullscreen: bool,
                 parent: QObject | None = None) -> None:
        super().__init__(parent or window)
        self._window = window
        self._wanted = wanted
        self._fullscreen = fullscreen
        app = QGuiApplication.instance()
        assert isinstance(app, QGuiApplication)
        app.screenAdded.connect(self._screens_changed)
        app.screenRemoved.connect(self._screen_removed)
        app.primaryScreenChanged.connect(self._screens_changed)
        self._target: QScreen | None = None

    @property
    def target(self) -> QScreen | None:
        """The screen the window was last placed on."""
        return self._target

    @property
    def fullscreen(self) -> bool:
        return self._fullscreen

    def set_fullscreen(self, fullscreen: bool) -> None:
        """Switch between full screen and a window, placing the window again."""
        self._fullscreen = fullscreen
        self._target = None  # place() again even on the same screen
        self.place()

    @property
    def on_wanted_screen(self) -> bool:
        """False while the configured screen is missing and the primary stands in."""
        return not self._wanted.strip() or find_screen(QGuiApplication.screens(), self._wanted) \
            is self._target

    def place(self) -> None:
        """Put the window on the configured screen, or the primary one if it is missing."""
        screen = find_screen(QGuiApplication.screens(), self._wanted)
        if screen is None:
            if self._wanted.strip():
                log.warning("screen %r is not connected; using the primary screen", self._wanted)
            screen = QGuiApplication.primaryScreen()
        if screen is None:
            return  # no screen at all (headless); Qt will tell us when one appears
        if screen is self._target and self._window.isVisible():
            return
        self._target = screen
        log.info("%s on screen %s (%dx%d)", self._window.windowTitle() or "window",
                 screen.name(), screen.size().width(), screen.size().height())
        self._window.winId()  # make sure the native window exists to move it
        handle = self._window.windowHandle()
        if handle is not None:
            handle.setScreen(screen)
        if self._fullscreen:
            self._window.setGeometry(screen.geometry())
            self._window.showFullScreen()
        else:
            area = screen.availableGeometry()
            self._window.showNormal()
            self._window.setGeometry(area.x() + area.width() // 10, area.y() + area.height() // 10,
                                     area.width() * 4 // 5, area.height() * 4 // 5)

    def _screen_removed(self, screen: QScreen) -> None:
        if screen is self._target:
            log.warning("screen %s was disconnected", screen.name())
            self._target = None
        self._screens_changed()

    def _screens_changed(self, *_: object) -> None:
        # Let Qt finish moving windows off a removed screen before placing ours.
        QTimer.singleShot(0, self.place)

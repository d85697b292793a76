"""Window sizes that fit the screen they open on."""

from __future__ import annotations

from PySide6.QtGui import QGuiApplication


def fit_on_screen(size: tuple[int, int]) -> tuple[int, int]:
    """``size``, shrunk to the primary screen's available area (without the task bar)
    where that is smaller, so a window opened --windowed or by the demo on a 1366x768
    laptop is not cut off."""
    screen = QGuiApplication.primaryScreen()
    if screen is None:
        return size
    available = screen.availableGeometry()
    return min(size[0], available.width()), min(size[1], available.height())

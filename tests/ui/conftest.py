"""Qt UI tests run headless: no display server on CI or on developers' SSH sessions."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

# Screenshots go to a temporary folder; HALLQ_SCREENSHOTS=docs/screenshots regenerates
# the documentation's pictures on purpose.
SCREENSHOTS_ENV = "HALLQ_SCREENSHOTS"


@pytest.fixture(scope="session")
def screenshot_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    chosen = os.environ.get(SCREENSHOTS_ENV)
    return Path(chosen).resolve() if chosen else tmp_path_factory.mktemp("screenshots")


@pytest.fixture
def screenshot(qapp: object, screenshot_folder: Path) -> Callable[..., Path]:
    """Save a widget's picture as <screenshot folder>/<name>.png (and return the path).

    The bundled CJK font is installed first, as every app does at start-up, so a screen
    tested on its own is not drawn in whatever font an earlier test left behind."""
    from shared.qt.fonts import install_app_font

    install_app_font()

    def save(widget: object, name: str) -> Path:
        from PySide6.QtWidgets import QApplication, QWidget

        assert isinstance(widget, QWidget)
        QApplication.processEvents()
        screenshot_folder.mkdir(parents=True, exist_ok=True)
        path = screenshot_folder / f"{name}.png"
        assert widget.grab().save(str(path)), f"could not save {path}"
        return path

    return save

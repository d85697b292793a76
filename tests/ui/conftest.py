"""Qt UI tests run headless: no display server on CI or on developers' SSH sessions."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


@pytest.fixture
def screenshot(qapp: object) -> Callable[..., Path]:
    """Save a widget's picture as docs/screenshots/<name>.png (and return the path).

    The bundled CJK font is installed first, as every app does at start-up, so a screen
    tested on its own is not drawn in whatever font an earlier test left behind."""
    from shared.qt.fonts import install_app_font

    install_app_font()

    def save(widget: object, name: str) -> Path:
        from PySide6.QtWidgets import QApplication, QWidget

        assert isinstance(widget, QWidget)
        QApplication.processEvents()
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{name}.png"
        assert widget.grab().save(str(path)), f"could not save {path}"
        return path

    return save

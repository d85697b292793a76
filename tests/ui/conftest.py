"""Qt UI tests run headless: no display server on CI or on developers' SSH sessions."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# The test modules import helpers from it before pytest_plugins loads it: rewrite its
# asserts all the same.
pytest.register_assert_rewrite("tests.ui.supervisor_support")


@pytest.fixture
def english(qapp: Any) -> Iterator[None]:
    """English (--lang en) for the length of a test, as start_app installs it: every
    part's catalog in the QApplication and shared/i18n.py speaking English."""
    from shared.qt.app import use_language

    use_language(qapp, "en")
    yield
    use_language(qapp, "zh_CN")


@pytest.fixture(scope="module")
def bundled_font(qapp: object) -> None:
    """The bundled CJK font as the application font, as every app installs it at start-up
    (a module of screen tests asks for it with ``pytestmark = pytest.mark.usefixtures``)."""
    from shared.qt.fonts import install_app_font

    install_app_font()


@pytest.fixture
def screenshot(qapp: object, screenshot_dir: Path) -> Callable[..., Path]:
    """Save a widget's picture as <name>.png in the screenshot folder (and return the path):
    a temporary folder, or docs/screenshots when regenerated on purpose (tools/screenshots.py).

    The bundled CJK font is installed first, as every app does at start-up, so a screen
    tested on its own is not drawn in whatever font an earlier test left behind."""
    from shared.qt.fonts import install_app_font

    install_app_font()

    def save(widget: object, name: str) -> Path:
        from PySide6.QtWidgets import QApplication, QWidget

        assert isinstance(widget, QWidget)
        QApplication.processEvents()
        path = screenshot_dir / f"{name}.png"
        assert widget.grab().save(str(path)), f"could not save {path}"
        return path

    return save

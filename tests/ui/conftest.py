"""Qt UI tests run headless: no display server on CI or on developers' SSH sessions."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

DOCS_SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
# Tests never write into the repository: their pictures go to a temporary folder unless
# HALLQ_SCREENSHOTS names one. Regenerate docs/screenshots on purpose with
#   HALLQ_SCREENSHOTS=docs/screenshots .venv/bin/python -m pytest tests/ui
SCREENSHOTS_ENV = "HALLQ_SCREENSHOTS"


@pytest.fixture(scope="session")
def screenshot_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    chosen = os.environ.get(SCREENSHOTS_ENV)
    return Path(chosen).resolve() if chosen else tmp_path_factory.mktemp("screenshots")


@pytest.fixture
def screenshot(qapp: object, screenshot_dir: Path) -> Callable[..., Path]:
    """Save a widget's picture as <screenshot_dir>/<name>.png (and return the path).

    The bundled CJK font is installed first, as every app does at start-up, so a screen
    tested on its own is not drawn in whatever font an earlier test left behind."""
    from shared.qt.fonts import install_app_font

    install_app_font()

    def save(widget: object, name: str) -> Path:
        from PySide6.QtWidgets import QApplication, QWidget

        assert isinstance(widget, QWidget)
        QApplication.processEvents()
        screenshot_dir.mkdir(parents=True, exist_ok=True)
        path = screenshot_dir / f"{name}.png"
        assert widget.grab().save(str(path)), f"could not save {path}"
        return path

    return save

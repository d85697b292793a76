"""Qt loads the bundled CJK font and uses it as the application font."""

from __future__ import annotations

from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import QApplication

from shared.qt.fonts import install_app_font

HALL_NAME = "淳安县行政服务中心"


def test_install_app_font_sets_hallqueue_cjk_with_chinese_glyphs(qapp: QApplication) -> None:
    """install_app_font returns "HallQueue CJK", keeps the point size, and has the hall's glyphs."""
    size_before = qapp.font().pointSizeF()

    assert install_app_font(qapp) == "HallQueue CJK"
    assert qapp.font().family() == "HallQueue CJK"
    assert qapp.font().pointSizeF() == size_before

    font = QFont("HallQueue CJK")
    # Without this Qt would answer from fallback fonts, e.g. a system CJK font.
    font.setStyleStrategy(QFont.StyleStrategy.NoFontMerging)
    metrics = QFontMetrics(font)
    assert all(metrics.inFontUcs4(ord(char)) for char in HALL_NAME)

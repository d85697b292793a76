"""A word-wrapping label with the line spacing older readers need (适老化: ≥ 1.3).

A plain QLabel wraps at the font's own line height, which for the bundled CJK font is
only 1.21 × its size. :class:`SpacedLabel` shows its plain text as rich text with a
proportional line height of :data:`LINE_HEIGHT_PERCENT` (Qt's percentage is of the font's
line height: 1.21 × 1.12 ≈ 1.36 × the size). ``text()`` and ``setText()`` deal in the plain
text, so callers and tests never see the markup.

Usage::

    detail = SpacedLabel("A001 · 不动产登记\\n1 号窗口 · 工作人员 王芳")
"""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QWidget

#: Line height in percent of the font's own line height (see the module docstring).
LINE_HEIGHT_PERCENT = 112


def spaced_html(text: str) -> str:
    """``text`` (plain, ``\\n`` for line breaks) as rich text with the wider line spacing."""
    body = "<br>".join(html.escape(line) for line in text.split("\n"))
    return f'<p style="line-height: {LINE_HEIGHT_PERCENT}%; margin: 0">{body}</p>'


class SpacedLabel(QLabel):
    """A word-wrapping QLabel whose lines are :data:`LINE_HEIGHT_PERCENT` apart."""

    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._plain = ""
        self.setTextFormat(Qt.TextFormat.RichText)
        self.setWordWrap(True)
        self.setText(text)

    def text(self) -> str:
        """The plain text shown (without the markup)."""
        return self._plain

    def setText(self, text: str) -> None:
        self._plain = text
        super().setText(spaced_html(text) if text else "")

"""Text that fills the space it is given: the font grows and shrinks with the widget.

A hall TV may be 1920×1080 or 3840×2160, a window display much smaller; fixed point
sizes are either tiny or clipped on one of them. :func:`fitted_pixel_size` is the one
rule every widget here uses: the largest font at which the text fits its box.

Usage::

    clock = FittedLabel("09:41", color="#ffffff", bold=True)
    clock.set_text("09:42")
"""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPaintEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

#: Reference size for measuring: text width grows linearly with the pixel size.
_REFERENCE_PIXELS = 100


def fitted_pixel_size(font: QFont, text: str, box: QRectF, max_share_of_height: float = 0.9) -> int:
    """The largest pixel size at which ``text`` in ``font`` fits inside ``box``: no wider
    than the box, and its line height at most ``max_share_of_height`` of the box."""
    if box.width() <= 0 or box.height() <= 0 or not text:
        return 1
    probe = QFont(font)
    probe.setPixelSize(_REFERENCE_PIXELS)
    metrics = QFontMetricsF(probe)
    width = max(metrics.horizontalAdvance(text), 1.0)
    by_width = box.width() / width * _REFERENCE_PIXELS
    by_height = box.height() * max_share_of_height / metrics.height() * _REFERENCE_PIXELS
    return max(1, int(min(by_width, by_height)))


def draw_fitted_text(painter: QPainter, text: str, box: QRectF, font: QFont, color: str,
                     alignment: Qt.AlignmentFlag = Qt.AlignmentFlag.AlignCenter,
                     max_share_of_height: float = 0.9) -> int:
    """Draw ``text`` as large as fits in ``box``; returns the pixel size used."""
    fitted = QFont(font)
    size = fitted_pixel_size(fitted, text, box, max_share_of_height)
    fitted.setPixelSize(size)
    painter.setFont(fitted)
    painter.setPen(QColor(color))
    painter.drawText(box, alignment | Qt.AlignmentFlag.AlignVCenter, text)
    return size


class FittedLabel(QWidget):
    """A one-line label whose font is as large as its size allows (transparent background)."""

    def __init__(self, text: str = "", parent: QWidget | None = None, *, color: str = "#ffffff",
                 bold: bool = False, alignment: Qt.AlignmentFlag = Qt.AlignmentFlag.AlignCenter,
                 max_share_of_height: float = 0.8) -> None:
        super().__init__(parent)
        self._text = text
        self._color = color
        self._bold = bold
        self._alignment = alignment
        self._share = max_share_of_height
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def text(self) -> str:
        return self._text

    def set_text(self, text: str) -> None:
        if text != self._text:
            self._text = text
            self.update()

    def set_color(self, color: str) -> None:
        """Any colour name QColor accepts, e.g. "#ffb300"."""
        if color != self._color:
            self._color = color
            self.update()

    def sizeHint(self) -> QSize:
        return QSize(200, 40)

    def minimumSizeHint(self) -> QSize:
        return QSize(10, 10)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        font = QFont(self.font())
        font.setBold(self._bold)
        draw_fitted_text(painter, self._text, QRectF(self.rect()), font, self._color,
                         self._alignment, self._share)
        painter.end()

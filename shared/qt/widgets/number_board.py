"""A big-number board: one ticket number with a caption, readable from across a hall.

Used by the hall display (the number just called) and the counter's window display
(窗口屏: the number being served at that window). The board draws itself and fits its
fonts to whatever size the layout gives it, so the same widget works on a 1920×1080 TV,
a 3840×2160 TV or a small window screen without fixed pixel sizes.

Usage::

    board = NumberBoard(caption="3号窗口")
    board.set_number("A017")
    board.set_highlighted(True)   # e.g. for a few seconds after a call

API: ``set_number(text)``, ``set_caption(text)``, ``set_highlighted(bool)``,
``set_colors(BoardColors(...))``; getters ``number()``, ``caption()``, ``is_highlighted()``.
An empty number shows the placeholder (default "—"). Colours come from
:class:`BoardColors` (defaults: white on dark blue, highlight black on amber).
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPaintEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

from shared.qt.widgets.fitted_label import fitted_pixel_size

__all__ = ["BoardColors", "NumberBoard", "fitted_pixel_size"]

#: Share of the board's height given to the number when a caption is shown.
NUMBER_HEIGHT_SHARE = 0.68
#: A board wider than this many times its height (the LCD bar screens above windows)
#: shows the caption beside the number instead of under it, so both can be larger.
WIDE_RATIO = 3.2
#: Share of a wide board's width given to the number.
NUMBER_WIDTH_SHARE = 0.4


@dataclass(frozen=True)
class BoardColors:
    """The colours of a number board, normal and highlighted (any name QColor accepts)."""

    background: str = "#0b2a4a"
    number: str = "#ffffff"
    caption: str = "#9fd3ff"
    highlight_background: str = "#ffb300"
    highlight_number: str = "#101010"
    highlight_caption: str = "#3a1d00"


class NumberBoard(QWidget):
    """Shows a ticket number large with a caption underneath; highlightable."""

    def __init__(
        self,
        parent: QWidget | None = None,
        *,
        number: str = "",
        caption: str = "",
        placeholder: str = "—",
        colors: BoardColors | None = None,
    ) -> None:
        super().__init__(parent)
        self._number = number
        self._caption = caption
        self._placeholder = placeholder
        self._highlighted = False
        self._colors = colors or BoardColors()
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)

    # --- state -------------------------------------------------------------------------
    def number(self) -> str:
        """The number shown (empty when the placeholder is shown)."""
        return self._number

    def caption(self) -> str:
        """The caption under the number (e.g. "请到 3 号窗口")."""
        return self._caption

    def is_highlighted(self) -> bool:
        """Whether the board is in its highlighted (just-called) colours."""
        return self._highlighted

    def set_number(self, number: str) -> None:
        """Show ``number``; an empty string shows the placeholder."""
        if number != self._number:
            self._number = number
            self.update()

    def set_caption(self, caption: str) -> None:
        """Show ``caption`` under the number; empty gives the number the whole board."""
        if caption != self._caption:
            self._caption = caption
            self.update()

    def set_highlighted(self, highlighted: bool) -> None:
        """Switch between normal and highlighted colours."""
        if highlighted != self._highlighted:
            self._highlighted = highlighted
            self.update()

    def set_colors(self, colors: BoardColors) -> None:
        """Use other colours (e.g. to match a window display's theme)."""
        self._colors = colors
        self.update()

    # --- painting ----------------------------------------------------------------------
    def sizeHint(self) -> QSize:
        return QSize(480, 270)

    def minimumSizeHint(self) -> QSize:
        return QSize(120, 68)

    def paintEvent(self, event: QPaintEvent) -> None:
        colors = self._colors
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        background = colors.highlight_background if self._highlighted else colors.background
        painter.fillRect(self.rect(), QColor(background))

        margin = min(self.width(), self.height()) * 0.06
        inner = QRectF(self.rect()).adjusted(margin, margin, -margin, -margin)
        if self._caption and inner.width() > WIDE_RATIO * inner.height():
            number_width = inner.width() * NUMBER_WIDTH_SHARE
            number_box = QRectF(inner.x(), inner.y(), number_width, inner.height())
            caption_box = QRectF(number_box.right() + margin, inner.y(),
                                 inner.width() - number_width - margin, inner.height())
        elif self._caption:
            number_height = inner.height() * NUMBER_HEIGHT_SHARE
            number_box = QRectF(inner.x(), inner.y(), inner.width(), number_height)
            caption_height = inner.height() - number_height
            caption_box = QRectF(inner.x(), number_box.bottom(), inner.width(), caption_height)
        else:
            number_box, caption_box = inner, QRectF()

        number_color = colors.highlight_number if self._highlighted else colors.number
        number_size = self._draw_fitted(painter, self._number or self._placeholder, number_box,
                                        number_color, bold=True)
        if self._caption:
            caption_color = colors.highlight_caption if self._highlighted else colors.caption
            # The number stays the largest thing on the board, also when the caption has
            # a box of its own beside it.
            self._draw_fitted(painter, self._caption, caption_box, caption_color, bold=False,
                              largest=round(number_size * 0.6))
        painter.end()

    def _draw_fitted(self, painter: QPainter, text: str, box: QRectF, color: str, *, bold: bool,
                     largest: int | None = None) -> int:
        font = QFont(self.font())
        font.setBold(bold)
        size = fitted_pixel_size(font, text, box)
        if largest is not None:
            size = max(1, min(size, largest))
        font.setPixelSize(size)
        painter.setFont(font)
        painter.setPen(QColor(color))
        painter.drawText(box, Qt.AlignmentFlag.AlignCenter, text)
        return size

"""The hall display's panels: earlier calls, people waiting per service, the notice ticker.

Each panel paints itself and sizes every font from its own height and width (through
:func:`~shared.qt.widgets.fitted_label.fitted_pixel_size`), so the same code is right on
a 1920×1080 and a 3840×2160 TV and nothing is ever clipped.
"""

from __future__ import annotations

import math
import time

from PySide6.QtCore import QRectF, QSize, Qt, QTimer
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPaintEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

from kiosk_app.display import theme
from shared.qt.widgets.fitted_label import draw_fitted_text, fitted_pixel_size
from shared.read.display_view import RecentCall
from shared.views import ServiceQueue

LEFT = Qt.AlignmentFlag.AlignLeft
RIGHT = Qt.AlignmentFlag.AlignRight
CENTER = Qt.AlignmentFlag.AlignCenter


def _bold(font: QFont) -> QFont:
    bold = QFont(font)
    bold.setBold(True)
    return bold


class _Panel(QWidget):
    """A titled, rounded panel; subclasses paint the body."""

    #: Height of the title as a share of the panel's height.
    title_share = 0.13

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._title = title
        self._peers: list[_Panel] = [self]
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def share_title_size(self, panels: list[_Panel]) -> None:
        """Give the titles of ``panels`` (this one among them) one height: the smallest
        any of them would have, so panel titles read alike however the panels are sized."""
        self._peers = panels

    def title_height(self) -> float:
        return min(panel.height() * panel.title_share for panel in self._peers)

    def set_title(self, title: str) -> None:
        self._title = title
        self.update()

    def minimumSizeHint(self) -> QSize:
        return QSize(100, 60)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        bounds = QRectF(self.rect())
        radius = min(bounds.width(), bounds.height()) * 0.03
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(theme.PANEL))
        painter.drawRoundedRect(bounds, radius, radius)
        pad = bounds.height() * 0.03
        title_box = QRectF(bounds.x() + pad * 2, bounds.y() + pad,
                           bounds.width() - pad * 4, self.title_height())
        draw_fitted_text(painter, self._title, title_box, _bold(self.font()), theme.TITLE, LEFT, 0.8)
        body = QRectF(bounds.x() + pad * 2, title_box.bottom() + pad,
                      bounds.width() - pad * 4, bounds.bottom() - title_box.bottom() - pad * 2)
        self.paint_body(painter, body)
        painter.end()

    def paint_body(self, painter: QPainter, body: QRectF) -> None:
        raise NotImplementedError


class CallHistoryPanel(_Panel):
    """The tickets called before the current one: number and window, newest first."""

    title_share = 0.11

    def __init__(self, title: str, rows: int, parent: QWidget | None = None) -> None:
        super().__init__(title, parent)
        self._rows = rows
        self._columns = 1
        self._calls: list[RecentCall] = []
        self._window_format = "{} 号窗口"

    def set_window_format(self, text: str) -> None:
        """How a window is written, with ``{}`` for its number (translated by the window)."""
        self._window_format = text
        self.update()

    def calls(self) -> list[RecentCall]:
        return list(self._calls)

    def set_calls(self, calls: list[RecentCall]) -> None:
        self._calls = calls[: self._rows]
        self.update()

    def set_columns(self, columns: int) -> None:
        """Lay the calls out in ``columns`` columns (newest at the top left, filling down):
        a wide, low panel (portrait screens) reads better in two."""
        if columns < 1:
            raise ValueError(f"columns must be at least 1, got {columns}")
        self._columns = columns
        self.update()

    def columns(self) -> int:
        return self._columns

    def paint_body(self, painter: QPainter, body: QRectF) -> None:
        per_column = math.ceil(self._rows / self._columns)
        row_height = body.height() / per_column
        column_gap = body.width() * 0.04 if self._columns > 1 else 0.0
        column_width = (body.width() - column_gap * (self._columns - 1)) / self._columns
        # Inner padding of a row, and a gap between number and window no text may cross.
        pad = min(row_height * 0.2, column_width * 0.04)
        number_width = column_width * 0.42 - pad
        window_width = column_width * 0.58 - 2 * pad
        texts = [(c.number, self._window_format.format(c.window)) for c in self._calls]
        # One size for every row, so the columns line up; measured on the widest texts.
        font = _bold(self.font())
        size = min([fitted_pixel_size(font, n, QRectF(0, 0, number_width, row_height), 0.72)
                    for n, _ in texts] + [fitted_pixel_size(
                        font, w, QRectF(0, 0, window_width, row_height), 0.72)
                        for _, w in texts] or [1])
        font.setPixelSize(size)
        painter.setFont(font)
        for index, (number, window) in enumerate(texts):
            column, line = divmod(index, per_column)
            row = QRectF(body.x() + column * (column_width + column_gap),
                         body.y() + line * row_height, column_width, row_height)
            if line % 2 == 0:
                painter.fillRect(row, QColor(theme.ROW_STRIPE))
            painter.setPen(QColor(theme.NUMBER))
            painter.drawText(row.adjusted(pad, 0, 0, 0), LEFT | Qt.AlignmentFlag.AlignVCenter,
                             number)
            painter.setPen(QColor(theme.TEXT))
            painter.drawText(row.adjusted(0, 0, -pad, 0), RIGHT | Qt.AlignmentFlag.AlignVCenter,
                             window)


class WaitingPanel(_Panel):
    """People waiting per service, as a grid of tiles laid out to make the text largest."""

    title_share = 0.16

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(title, parent)
        self._queues: list[ServiceQueue] = []
        self._count_format = "{} 人"
        self._closed_text = "暂停取号"

    def set_texts(self, count_format: str, closed_text: str) -> None:
        """The translated "{} 人" and the label of a service not issuing numbers now."""
        self._count_format = count_format
        self._closed_text = closed_text
        self.update()

    def queues(self) -> list[ServiceQueue]:
        return list(self._queues)

    def set_queues(self, queues: list[ServiceQueue]) -> None:
        self._queues = queues
        self.update()

    def _label(self, queue: ServiceQueue) -> tuple[str, str]:
        count = self._count_format.format(queue.waiting) if queue.open_now or queue.waiting \
            else self._closed_text
        return queue.name, count

    def paint_body(self, painter: QPainter, body: QRectF) -> None:
        if not self._queues:
            return
        labels = [self._label(q) for q in self._queues]
        columns, rows, size = best_grid(self.font(), [name for name, _ in labels], body,
                                        [count for _, count in labels])
        cell_w, cell_h = body.width() / columns, body.height() / rows
        # Every count has the size that fits "888 人", so the numbers line up and read alike;
        # the dim "暂停取号" of a closed service may come out smaller.
        count_font = _bold(self.font())
        count_box = tile_geometry(QRectF(0, 0, cell_w, cell_h))[2]
        count_font.setPixelSize(fitted_pixel_size(count_font, self._count_format.format(888),
                                                  count_box, COUNT_SHARE))
        for index, (queue, (name, count)) in enumerate(zip(self._queues, labels, strict=True)):
            column, row = index // rows, index % rows  # fill down each column, like a list
            cell = QRectF(body.x() + column * cell_w, body.y() + row * cell_h, cell_w, cell_h)
            tile, name_box, count_box = tile_geometry(cell)
            painter.fillRect(tile, QColor(theme.TILE))
            dim = not queue.open_now
            paint_name(painter, self.font(), name, name_box, size, theme.DIM if dim else theme.TEXT)
            font = QFont(count_font)
            font.setPixelSize(min(count_font.pixelSize(),
                                  fitted_pixel_size(font, count, count_box, COUNT_SHARE)))
            painter.setFont(font)
            painter.setPen(QColor(theme.DIM if dim else theme.COUNT))
            painter.drawText(count_box, RIGHT | Qt.AlignmentFlag.AlignVCenter, count)


def paint_name(painter: QPainter, base: QFont, name: str, box: QRectF, size: int, color: str
               ) -> None:
    """A service name at ``size`` pixels; one too long for that goes on two lines (with
    :data:`NAME_LINE_SPACING` between baselines), or shrinks, whichever keeps it larger."""
    font = QFont(base)
    lines = split_name(name)
    one_line, two_lines = _name_sizes(font, name, lines, box, size)
    painter.setPen(QColor(color))
    if one_line >= two_lines * 0.95 or len(name) < 4:
        font.setPixelSize(one_line)
        painter.setFont(font)
        painter.drawText(box, LEFT | Qt.AlignmentFlag.AlignVCenter, name)
        return
    font.setPixelSize(two_lines)
    painter.setFont(font)
    # Each line centred in its own band one line-spacing high: the font's own line height
    # (1.21 × its size for the bundled font) is too tight for older eyes.
    band = two_lines * NAME_LINE_SPACING
    top = box.center().y() - band
    for index, line in enumerate(lines):
        painter.drawText(QRectF(box.x(), top + index * band, box.width(), band),
                         LEFT | Qt.AlignmentFlag.AlignVCenter, line)


def _name_sizes(font: QFont, name: str, lines: list[str], box: QRectF, size: int) -> tuple[int, int]:
    """(one-line size, two-line size) of a name in its box, neither above ``size``."""
    return (min(size, fitted_pixel_size(font, name, box, NAME_SHARE)),
            two_line_pixel_size(font, lines, box, size))


def name_pixel_size(font: QFont, name: str, box: QRectF, size: int) -> int:
    """The size :func:`paint_name` draws ``name`` at in ``box`` with common size ``size``."""
    one_line, two_lines = _name_sizes(font, name, split_name(name), box, size)
    return one_line if one_line >= two_lines * 0.95 or len(name) < 4 else two_lines


def two_line_pixel_size(font: QFont, lines: list[str], box: QRectF, size: int) -> int:
    """The largest size (at most ``size``) at which both lines fit ``box`` one above the
    other, :data:`NAME_LINE_SPACING` × the size apart."""
    by_height = int(box.height() / (len(lines) * NAME_LINE_SPACING))
    by_width = min(fitted_pixel_size(font, line, QRectF(0, 0, box.width(), box.height() * 10), 1.0)
                   for line in lines)
    return max(1, min(size, by_height, by_width))


#: Characters a name is best broken after: closing quotes and brackets, separators.
_BREAK_AFTER = "”’」』）》〕】)·、"


def split_name(name: str) -> list[str]:
    """A long service name as two lines of about equal length, broken after a closing
    quote, bracket or separator when there is one near the middle (“零土地” / 技改项目备案)."""
    half = math.ceil(len(name) / 2)
    near = [i + 1 for i, char in enumerate(name) if char in _BREAK_AFTER
            and abs(i + 1 - half) <= 2 and 0 < i + 1 < len(name)]
    cut = min(near, key=lambda i: abs(i - half), default=half)
    return [name[:cut], name[cut:]]


#: Line height of a service name / of a waiting count as a share of the tile's height.
NAME_SHARE, COUNT_SHARE = 0.62, 0.8
#: Distance between the baselines of a two-line service name, as a multiple of its size
#: (适老化: line spacing at least 1.3).
NAME_LINE_SPACING = 1.35
#: Shares of a tile's width for the service name and for the count (the rest is a gap).
NAME_WIDTH, COUNT_WIDTH = 0.66, 0.28


def split_tile(inner: QRectF) -> tuple[QRectF, QRectF]:
    """The name box (left) and the count box (right) of a waiting tile."""
    count_width = inner.width() * COUNT_WIDTH
    return (QRectF(inner.x(), inner.y(), inner.width() * NAME_WIDTH, inner.height()),
            QRectF(inner.right() - count_width, inner.y(), count_width, inner.height()))


def tile_geometry(cell: QRectF) -> tuple[QRectF, QRectF, QRectF]:
    """(tile, name box, count box) of a grid cell of the waiting panel."""
    gap = cell.height() * 0.07
    tile = cell.adjusted(gap, gap / 2, -gap, -gap / 2)
    name_box, count_box = split_tile(tile.adjusted(tile.height() * 0.2, 0, -tile.height() * 0.2, 0))
    return tile, name_box, count_box


#: Smallest size a service name may be drawn at (适老化 body text: 18 px at 96 dpi).
MIN_NAME_PIXELS = 18


def best_grid(font: QFont, names: list[str], body: QRectF, counts: list[str] | None = None
              ) -> tuple[int, int, int]:
    """(columns, rows, name pixel size) giving the service names the largest common font.

    The common size is set by the longest names but one in four: a few long names (such
    as “零土地”技改项目备案) are drawn smaller rather than shrinking every tile — but
    never below :data:`MIN_NAME_PIXELS` where some grid allows it: grids keeping every
    name, and every count shown beside one (``counts``, e.g. a long "暂停取号"), at that
    size come first.
    """
    probe = QFont(font)
    probe.setPixelSize(100)
    metrics = QFontMetricsF(probe)
    widths = sorted(metrics.horizontalAdvance(name) for name in names)
    typical = widths[min(len(widths) - 1, (len(widths) * 3) // 4)]
    best = (1, max(1, len(names)), 1)
    best_key = (0, 0)
    for rows in range(1, len(names) + 1):
        columns = math.ceil(len(names) / rows)
        name_box = tile_geometry(QRectF(0, 0, body.width() / columns, body.height() / rows))[1]
        size = int(min(name_box.width() / typical, name_box.height() * NAME_SHARE / metrics.height())
                   * 100)
        if size < 1:
            continue
        count_box = tile_geometry(QRectF(0, 0, body.width() / columns, body.height() / rows))[2]
        smallest = min([name_pixel_size(font, name, name_box, size) for name in names]
                       + [fitted_pixel_size(_bold(font), count, count_box, COUNT_SHARE)
                          for count in counts or []])
        key = (min(smallest, MIN_NAME_PIXELS), size)
        if key > best_key:
            best, best_key = (columns, rows, size), key
    return best


class NoticeTicker(QWidget):
    """A notice scrolling from right to left, endlessly, at a speed set by its height."""

    #: Scroll speed in widget heights per second.
    SPEED = 1.6
    #: Seconds the start of the notice stands still before it scrolls, so it can be read.
    START_PAUSE = 3.0
    FRAME_MS = 33

    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._text = text
        self._started = time.monotonic()
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        # Its text runs past both edges on purpose (the screen audit checks only its height).
        self.setProperty("scrolling", True)
        self._timer = QTimer(self)
        self._timer.timeout.connect(self.update)
        self._timer.start(self.FRAME_MS)

    def text(self) -> str:
        return self._text

    def set_text(self, text: str) -> None:
        self._text = text
        self._started = time.monotonic()
        self.update()

    def minimumSizeHint(self) -> QSize:
        return QSize(100, 20)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        painter.fillRect(self.rect(), QColor(theme.TICKER))
        if self._text:
            font = QFont(self.font())
            font.setPixelSize(max(1, round(self.height() * 0.55)))
            painter.setFont(font)
            painter.setPen(QColor(theme.TICKER_TEXT))
            text_width = painter.fontMetrics().horizontalAdvance(self._text)
            # Starts at the left edge (readable at once), leaves to the left, re-enters right;
            # later runs start from the right edge without a pause.
            travel = text_width + self.width()
            elapsed = max(0.0, time.monotonic() - self._started - self.START_PAUSE)
            moved = elapsed * self.SPEED * self.height()
            offset = (moved + self.width() - self.height() * 0.5) % travel
            x = self.width() - offset
            box = QRectF(x, 0, text_width + 1, self.height())
            painter.drawText(box, LEFT | Qt.AlignmentFlag.AlignVCenter, self._text)
        painter.end()

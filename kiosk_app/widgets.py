"""The kiosk's building blocks: big buttons, cards, a keypad, the header.

Sizes are for a finger and for eyes that are not young: every touch target is at least
80 px tall, body text at least 22 px (resources/styles/hallq-kiosk.qss sets the type;
card grids size their text to the space they get, see :func:`fit_card_grid`).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from PySide6.QtCore import (
    QByteArray,
    QDateTime,
    QLocale,
    QObject,
    Qt,
    QTimer,
    QTimeZone,
    Signal,
)
from PySide6.QtGui import QFont, QFontMetricsF, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QScroller,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from shared.qt.widgets.spaced_label import spaced_html

# Chinese text may break between any two characters; WORD JOINER forbids that.
WORD_JOINER = "\u2060"
NO_BREAK_SPACE = "\u00a0"


def _ideograph(char: str) -> bool:
    return "\u4e00" <= char <= "\u9fff"


def keep_phrases(text: str) -> str:
    """``text`` that wraps only at punctuation and spaces: a WORD JOINER between every
    two adjacent letters, digits or ideographs ("办理" never becomes "办/理"), and the
    space between a number and its Chinese word kept ("13 号窗口", "3 人")."""
    out = []
    for index, char in enumerate(text):
        before = text[index - 1] if index else ""
        after = text[index + 1] if index + 1 < len(text) else ""
        if before.isalnum() and char.isalnum():
            out.append(WORD_JOINER)
        if char == " " and ((before.isdigit() and _ideograph(after))
                            or (_ideograph(before) and after.isdigit())):
            char = NO_BREAK_SPACE
        out.append(char)
    return "".join(out)


# Where a line may end or begin in a heading broken in two (Chinese line-breaking rules:
# no closing mark at the start of a line, no opening mark at its end).
_CLOSING = frozenset("）)”」』、，,；;：:。！？!?")
_OPENING = frozenset("（(“「『")


def two_lines(text: str, metrics: QFontMetricsF, width: float) -> str:
    """``text`` as it fits in ``width``: unchanged on one line; else broken once (a
    ``\n``) where both lines fit and are most nearly equal, at a phrase's edge
    (punctuation, a space) if one will do, else between two characters that are no
    Latin word or number; unchanged if no break makes two lines that fit (the label
    wraps it by itself then)."""
    if metrics.horizontalAdvance(text) <= width:
        return text

    def allowed(at: int) -> bool:
        before, after = text[at - 1], text[at]
        return after not in _CLOSING and before not in _OPENING and not (
            before.isascii() and before.isalnum() and after.isascii() and after.isalnum())

    def best(points: list[int]) -> int | None:
        widths = [(max(metrics.horizontalAdvance(text[:at].rstrip()),
                       metrics.horizontalAdvance(text[at:].lstrip())), at) for at in points]
        fitting = [(most, at) for most, at in widths if most <= width]
        return min(fitting)[1] if fitting else None

    points = [at for at in range(1, len(text)) if allowed(at)]
    edges = [at for at in points if text[at - 1] in _CLOSING or text[at] in _OPENING
             or text[at - 1] == " " or text[at] == " "]
    at = best(edges) or best(points)
    return text if at is None else f"{text[:at].rstrip()}\n{text[at:].lstrip()}"


class KioskLabel(QLabel):
    """A label whose wrapped lines are spaced for reading (>= 1.3 x the type size, the
    markup of :func:`shared.qt.widgets.spaced_label.spaced_html`); one-line labels stay
    plain text. ``text()`` returns the plain text that was set. With ``phrases_whole``
    a wrapped text breaks only at punctuation and spaces (short lines of a few phrases,
    never long prose: a run wider than the label could not break at all)."""

    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._plain = ""
        self.phrases_whole = False
        self.setText(text)

    def setText(self, text: str) -> None:
        self._plain = text
        if self.wordWrap() and text:
            super().setText(spaced_html(keep_phrases(text) if self.phrases_whole else text))
        else:
            super().setText(text)

    def text(self) -> str:
        return self._plain

    def setWordWrap(self, on: bool) -> None:
        super().setWordWrap(on)
        self.setTextFormat(Qt.TextFormat.RichText if on else Qt.TextFormat.PlainText)
        self.setText(self._plain)


class FittingLine(KioskLabel):
    """A one-line label whose type shrinks from ``max_px`` (its style sheet's size) down
    to ``min_px`` until its text fits its width; still too long then, it ends in "…"
    rather than in a cut glyph. ``text()`` is the whole text."""

    def __init__(self, name: str, max_px: int, min_px: int, parent: QWidget | None = None
                 ) -> None:
        super().__init__("", parent)
        self.setObjectName(name)
        self.setWordWrap(False)
        self._max_px, self._min_px = max_px, min_px

    def setText(self, text: str) -> None:
        super().setText(text)
        if hasattr(self, "_max_px"):  # not while KioskLabel.__init__ sets the first text
            self._fit()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if event.size().width() != event.oldSize().width():
            self._fit()

    def _fit(self) -> None:
        text, width = self.text(), self.contentsRect().width()
        self.ensurePolished()
        font = QFont(self.font())
        px = self._max_px
        font.setPixelSize(px)
        while px > self._min_px and QFontMetricsF(font).horizontalAdvance(text) > width:
            px -= 2
            font.setPixelSize(px)
        size = f"font-size: {px}px;" if px != self._max_px else ""
        if self.styleSheet() != size:
            self.setStyleSheet(size)
        shown = QFontMetricsF(font).elidedText(text, Qt.TextElideMode.ElideRight, width)
        QLabel.setText(self, shown if width > 0 else text)


def label(text: str, name: str, *, wrap: bool = True,
          align: Qt.AlignmentFlag = Qt.AlignmentFlag.AlignLeft) -> KioskLabel:
    """A label styled by its object name in the kiosk style sheet."""
    widget = KioskLabel()
    widget.setObjectName(name)
    widget.setWordWrap(wrap)
    widget.setText(text)
    widget.setAlignment(align | Qt.AlignmentFlag.AlignVCenter)
    return widget


def restyle(widget: QWidget) -> None:
    """Re-apply the style sheet after a dynamic property used by it changed."""
    widget.style().unpolish(widget)
    widget.style().polish(widget)


class BigButton(QPushButton):
    """A large button; ``role`` (primary, secondary, green, quiet) picks its colours."""

    def __init__(self, text: str, role: str = "primary", parent: QWidget | None = None) -> None:
        super().__init__(text, parent)
        self.setProperty("role", role)
        self.setMinimumHeight(120)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)


class CardButton(QPushButton):
    """A tappable card: a title, a status line and a badge on the right."""

    def __init__(self, title: str, status: str, badge: str, *, available: bool,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("card")
        self.setProperty("available", available)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setMinimumHeight(150)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)
        row = QHBoxLayout(self)
        row.setContentsMargins(24, 14, 16, 14)
        row.setSpacing(12)
        texts = QVBoxLayout()
        texts.setSpacing(6)
        self.title = label(title, "cardTitle")
        self.status = label(status, "cardStatus" if available else "cardClosed")
        texts.addWidget(self.title)
        texts.addWidget(self.status)
        row.addLayout(texts, 1)
        self.badge = label(badge, "badgeOpen" if available else "badgeClosed", wrap=False,
                           align=Qt.AlignmentFlag.AlignCenter)
        row.addWidget(self.badge, 0, Qt.AlignmentFlag.AlignVCenter)
        for child in (self.title, self.status, self.badge):
            child.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        for line in (self.title, self.status):  # fit_card_grid sizes them for one line
            line.setProperty("oneLine", True)

    def apply_sizes(self, sizes: CardSizes) -> None:
        """Type sizes chosen for the space the grid has (overrides the style sheet's)."""
        self.setStyleSheet(
            f"QLabel#cardTitle {{ font-size: {sizes.title_px}px; }} "
            f"QLabel#cardStatus, QLabel#cardClosed {{ font-size: {sizes.status_px}px; }}")
        self.setMinimumHeight(sizes.card_height)

    def sizeHint(self):  # type: ignore[no-untyped-def]  # QSize
        # A QPushButton ignores its layout's height for word-wrapped labels.
        hint = super().sizeHint()
        layout = self.layout()
        if layout is not None:
            hint.setHeight(max(hint.height(), layout.sizeHint().height(),
                               self.minimumHeight()))
        return hint


# Card grids: the share of a card's width its texts may use next to the badge, the
# padding around them, and the line height the style gives text (line spacing >= 1.3).
CARD_PADDING_W = 24 + 16 + 12  # layout margins and spacing (the border is drawn inside)
CARD_MARGINS_W = CARD_PADDING_W + 2 * 3 + 8  # with the border and slack for the share
CARD_MARGINS_H = 14 + 14 + 6 + 2 * 3
LINE_HEIGHT = 1.45
STATUS_SHARE = 0.68
MIN_TITLE_PX = 30  # main information
MIN_STATUS_PX = 22  # body text
MIN_CARD_HEIGHT = 90


@dataclass(frozen=True)
class CardSizes:
    columns: int
    title_px: int
    status_px: int
    card_height: int


def text_advance(text: str, *, bold: bool, pixels: int = 100) -> float:
    """The width of ``text`` on one line in the application font at ``pixels``."""
    font = QFont()
    font.setPixelSize(pixels)
    font.setBold(bold)
    return QFontMetricsF(font).horizontalAdvance(text)


def _title_px_for_height(text_h: float) -> float:
    """The largest title size whose title and status lines fit ``text_h`` px (the status
    is a share of the title, but never under the smallest body type)."""
    lines = text_h / LINE_HEIGHT
    size = lines / (1 + STATUS_SHARE)
    if size * STATUS_SHARE < MIN_STATUS_PX:
        size = lines - MIN_STATUS_PX
    return max(size, 0.0)


def fit_card_grid(titles: Sequence[str], statuses: Sequence[str], width: float,
                  height: float, *, spacing: int, badge_width: float, badge_height: float,
                  max_title_px: int, max_columns: int) -> CardSizes:
    """Columns and type sizes that show every card in ``width`` x ``height``, each title
    and status on one line (no word broken in the middle), as large as fits up to
    ``max_title_px``. Where even the smallest readable type does not fit them all, the
    largest readable layout is chosen and the grid scrolls."""
    title_advance = max((text_advance(t, bold=True) for t in titles), default=1.0) / 100
    status_advance = max((text_advance(t, bold=False) for t in statuses), default=1.0) / 100
    count = max(1, len(titles))
    best: tuple[float, int, int] | None = None  # (title px, columns, rows)
    fallback: tuple[float, int] | None = None  # (title px by height, columns)
    for columns in range(1, max(1, min(max_columns, count)) + 1):
        rows = math.ceil(count / columns)
        cell_w = (width - spacing * (columns - 1)) / columns
        cell_h = (height - spacing * (rows - 1)) / rows
        text_w = cell_w - CARD_MARGINS_W - badge_width
        by_width = min(text_w / max(title_advance, 0.01),
                       text_w / max(status_advance * STATUS_SHARE, 0.01))
        if cell_w - CARD_PADDING_W - badge_width < status_advance * MIN_STATUS_PX:
            by_width = 0.0  # the status would break even at the smallest body type
        by_height = _title_px_for_height(cell_h - CARD_MARGINS_H)
        if cell_h < badge_height + CARD_MARGINS_H:
            by_height = 0.0
        size = min(float(max_title_px), by_width, by_height)
        if size >= MIN_TITLE_PX and (best is None or size > best[0] + 0.5):
            best = (size, columns, rows)
        # Not all fit: the grid scrolls, but never with words broken across lines, so only
        # columns wide enough for readable type; the most of them (the fewest rows).
        if by_width >= MIN_TITLE_PX:
            fallback = (by_height, columns)
    if best is not None:
        title_px, columns = int(best[0]), best[1]
    else:
        columns = fallback[1] if fallback is not None else 1
        title_px = MIN_TITLE_PX
    status_px = max(MIN_STATUS_PX, int(title_px * STATUS_SHARE))
    card_height = max(MIN_CARD_HEIGHT, math.ceil(badge_height + CARD_MARGINS_H), math.ceil(
        CARD_MARGINS_H + LINE_HEIGHT * (title_px + status_px)))
    return CardSizes(columns, title_px, status_px, card_height)


class Header(QFrame):
    """The band across the top: the hall's name, the date and time, and the two buttons
    every screen has: voice guidance (语音引导) and one-button help (一键求助)."""

    voice_toggled = Signal(bool)
    help_pressed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("header")
        row = QHBoxLayout(self)
        row.setContentsMargins(32, 12, 24, 12)
        row.setSpacing(20)
        # The hall's name, smaller on a narrow screen rather than cut (淳安县行政服务中心
        # at 1024 px); 42 px is the style sheet's size.
        self.title = FittingLine("headerTitle", 42, 30)
        self.title.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.title.setMinimumWidth(200)
        self.clock = label("", "headerClock", wrap=False, align=Qt.AlignmentFlag.AlignRight)
        self.voice_button = QPushButton(self.tr("语音引导"))
        self.voice_button.setObjectName("voiceButton")
        self.voice_button.setCheckable(True)
        self.voice_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.voice_button.setMinimumSize(180, 80)
        self.voice_button.toggled.connect(self._voice_toggled)
        self.help_button = QPushButton(self.tr("一键求助"))
        self.help_button.setObjectName("helpButton")
        self.help_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.help_button.setMinimumSize(180, 80)
        connect_click(self.help_button, self.help_pressed.emit)
        row.addWidget(self.title, 1)
        row.addWidget(self.clock)
        row.addWidget(self.voice_button)
        row.addWidget(self.help_button)
        self._zone: QTimeZone | None = None
        self._compact = False
        self._timer = QTimer(self)
        self._timer.timeout.connect(self.tick)
        self._timer.start(10_000)
        self.tick()

    def set_title(self, text: str) -> None:
        self.title.setText(text)

    def _voice_toggled(self, on: bool) -> None:
        self.voice_button.setText(self.tr("关闭语音") if on else self.tr("语音引导"))
        self.voice_toggled.emit(on)

    def set_compact(self, compact: bool) -> None:
        """On a narrow or short screen the clock shows the time only."""
        self._compact = compact
        self.tick()

    def set_time_zone(self, name: str) -> None:
        """Show the site's time (the PC's own zone may be set wrongly)."""
        zone = QTimeZone(QByteArray(name.encode()))
        self._zone = zone if zone.isValid() else None
        self.tick()

    def tick(self) -> None:
        now = QDateTime.currentDateTime()
        if self._zone is not None:
            now = now.toTimeZone(self._zone)
        english = QLocale().language() == QLocale.Language.English
        if self._compact:
            fmt = "ddd HH:mm" if english else "M月d日 HH:mm"
        else:
            fmt = "dddd d MMMM yyyy  HH:mm" if english else "yyyy年M月d日 dddd  HH:mm"
        self.clock.setText(QLocale().toString(now, fmt))


class CountdownBar(QFrame):
    """When the page returns to the start by itself: the seconds left, and one button
    that gives more time (for slow readers)."""

    extend = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("countdownBar")
        row = QHBoxLayout(self)
        row.setContentsMargins(40, 6, 24, 6)
        row.setSpacing(24)
        self.text = label("", "countdown", wrap=False)
        self.extend_button = QPushButton(self.tr("延长时间"))
        self.extend_button.setObjectName("extendButton")
        self.extend_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.extend_button.setMinimumSize(200, 70)
        connect_click(self.extend_button, self.extend.emit)
        row.addWidget(self.text, 1)
        row.addWidget(self.extend_button)

    def set_seconds(self, seconds: int | None) -> None:
        self.setVisible(seconds is not None)
        if seconds is not None:
            self.text.setText(self.tr("{n} 秒后自动返回首页").format(n=seconds))


KEY_SIZE = (150, 130)
COMPACT_KEY_SIZE = (120, 72)


class Keypad(QWidget):
    """Digits 0-9, delete and clear, as big as a phone's; emits the text entered."""

    changed = Signal(str)

    def __init__(self, max_length: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("keypad")
        self._text = ""
        self._max = max_length
        grid = QGridLayout(self)
        grid.setSpacing(16)
        grid.setContentsMargins(0, 0, 0, 0)
        keys = ["1", "2", "3", "4", "5", "6", "7", "8", "9", "clear", "0", "back"]
        self.buttons: dict[str, QPushButton] = {}
        for i, key in enumerate(keys):
            text = {"clear": self.tr("清空"), "back": self.tr("删除")}.get(key, key)
            button = QPushButton(text)
            button.setObjectName("key" if key.isdigit() else "keyAction")
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.setMinimumSize(*KEY_SIZE)
            button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
            button.clicked.connect(lambda _=False, k=key: self.press(k))
            grid.addWidget(button, i // 3, i % 3)
            self.buttons[key] = button

    @property
    def text(self) -> str:
        return self._text

    def set_compact(self, compact: bool) -> None:
        for button in self.buttons.values():
            button.setMinimumSize(*(COMPACT_KEY_SIZE if compact else KEY_SIZE))

    def press(self, key: str) -> None:
        if key == "clear":
            self._text = ""
        elif key == "back":
            self._text = self._text[:-1]
        elif len(self._text) < self._max:
            self._text += key
        self.changed.emit(self._text)

    def clear(self) -> None:
        self.press("clear")


def scroll_area(content: QWidget) -> QScrollArea:
    """A frameless vertical scroll area that a finger can drag."""
    area = QScrollArea()
    area.setObjectName("scroll")
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    area.setWidget(content)
    QScroller.grabGesture(area.viewport(), QScroller.ScrollerGestureType.TouchGesture)
    return area


class WhenNotPressed(QObject):
    """Runs a screen's redraw once no button of it is held down. The kiosk's lists are
    re-read whenever the hall changes (up to once a second); a button replaced under a
    finger vanishes and its tap is lost, so the redraw waits until the finger lifts and
    its tap has been handled (looked at every PRESS_CHECK_MS: the finger may also slide
    off and lift elsewhere). Only the newest waiting redraw runs."""

    PRESS_CHECK_MS = 100

    def __init__(self, screen: QWidget) -> None:
        super().__init__(screen)
        self._screen = screen
        self._pending: Callable[[], None] | None = None
        self._timer = QTimer(self, interval=self.PRESS_CHECK_MS, singleShot=True)
        self._timer.timeout.connect(self._retry)

    def run(self, redraw: Callable[[], None]) -> None:
        if any(button.isDown() for button in self._screen.findChildren(QAbstractButton)):
            self._pending = redraw
            self._timer.start()
            return
        self._pending = None
        redraw()

    def _retry(self) -> None:
        if self._pending is not None:
            self.run(self._pending)


def replace_widgets(old: Sequence[QWidget], new: Sequence[QWidget]) -> None:
    """Delete the widgets of ``old`` that ``new`` does not reuse."""
    keep = {id(w) for w in new}
    for widget in old:
        if id(widget) not in keep:
            widget.hide()
            widget.deleteLater()


def clear_layout(layout: QGridLayout | QVBoxLayout | QHBoxLayout) -> None:
    while layout.count():
        item = layout.takeAt(0)
        widget = item.widget()
        if widget is not None:
            widget.deleteLater()
        elif item.layout() is not None:
            clear_layout(item.layout())  # type: ignore[arg-type]


def fill_grid(grid: QGridLayout, widgets: Sequence[QWidget], columns: int) -> None:
    """Lay widgets out row by row, ``columns`` wide. Widgets the grid held before are
    taken out, not deleted: the caller decides whether they are still in use."""
    while grid.count():
        grid.takeAt(0)
    for row in range(grid.rowCount()):
        grid.setRowStretch(row, 0)
    for column in range(grid.columnCount()):
        grid.setColumnStretch(column, 0)
    for i, widget in enumerate(widgets):
        grid.addWidget(widget, i // columns, i % columns)
    for column in range(columns):
        grid.setColumnStretch(column, 1)


def connect_click(button: QPushButton, callback: Callable[[], None]) -> QPushButton:
    button.clicked.connect(lambda _=False: callback())
    return button

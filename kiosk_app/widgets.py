"""The kiosk's building blocks: big buttons, cards, a keypad, the header.

Sizes are for a finger and for eyes that are not young: every touch target is at least
110 px tall, body text at least 28 px (resources/styles/hallq-kiosk.qss sets the type).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QByteArray, QDateTime, QLocale, Qt, QTimer, QTimeZone, Signal
from PySide6.QtWidgets import (
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


def label(text: str, name: str, *, wrap: bool = True,
          align: Qt.AlignmentFlag = Qt.AlignmentFlag.AlignLeft) -> QLabel:
    """A QLabel styled by its object name in the kiosk style sheet."""
    widget = QLabel(text)
    widget.setObjectName(name)
    widget.setWordWrap(wrap)
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
        row.setContentsMargins(32, 18, 24, 18)
        row.setSpacing(16)
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

    def sizeHint(self):  # type: ignore[no-untyped-def]  # QSize
        # A QPushButton ignores its layout's height for word-wrapped labels.
        hint = super().sizeHint()
        layout = self.layout()
        if layout is not None:
            hint.setHeight(max(hint.height(), layout.sizeHint().height(),
                               self.minimumHeight()))
        return hint


class Header(QFrame):
    """The band across the top: the hall's name and the date and time."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("header")
        row = QHBoxLayout(self)
        row.setContentsMargins(40, 16, 40, 16)
        self.title = label("", "headerTitle", wrap=False)
        self.clock = label("", "headerClock", wrap=False, align=Qt.AlignmentFlag.AlignRight)
        row.addWidget(self.title, 1)
        row.addWidget(self.clock)
        self._zone: QTimeZone | None = None
        self._timer = QTimer(self)
        self._timer.timeout.connect(self.tick)
        self._timer.start(10_000)
        self.tick()

    def set_title(self, text: str) -> None:
        self.title.setText(text)

    def set_time_zone(self, name: str) -> None:
        """Show the site's time (the PC's own zone may be set wrongly)."""
        zone = QTimeZone(QByteArray(name.encode()))
        self._zone = zone if zone.isValid() else None
        self.tick()

    def tick(self) -> None:
        now = QDateTime.currentDateTime()
        if self._zone is not None:
            now = now.toTimeZone(self._zone)
        fmt = "yyyy年M月d日 dddd  HH:mm" if QLocale().language() != QLocale.Language.English \
            else "dddd d MMMM yyyy  HH:mm"
        self.clock.setText(QLocale().toString(now, fmt))


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
            button.setMinimumSize(150, 130)
            button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
            button.clicked.connect(lambda _=False, k=key: self.press(k))
            grid.addWidget(button, i // 3, i % 3)
            self.buttons[key] = button

    @property
    def text(self) -> str:
        return self._text

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

"""Accessibility and fit audit of a live Qt window (适老化 rules for citizen-facing screens).

``audit(window, touch=...)`` inspects a shown top-level window as it is drawn and returns a
list of :class:`Problem` (empty when the screen passes). It does not trust what widgets
*say* they show: every visible widget is painted on its own into a recording paint device
(:class:`_TextRecorder`), which captures each piece of text Qt actually draws — the text,
its font, its pen colour and its rectangle — for QLabel, buttons, line edits, list views
and custom ``paintEvent`` widgets alike. The window is also grabbed once as pixels, so the
background behind each text is what is on screen (stylesheets, panels painted underneath,
parents' backgrounds), not what a palette claims.

Checks (numbers from the 工信部 2021 适老化 rules, px at 96 dpi):

- **fit**: every text drawn lies inside its widget's rectangle (a label too small for its
  text, a word-wrapped label whose last lines fall below its bottom, a button whose caption
  touches or crosses its edges: the caption must keep a margin of :data:`BUTTON_MARGIN`
  px from a button's edges).
  A scrolling notice (ticker) says so with ``setProperty("scrolling", True)``: its text
  is only checked to fit the height.
- **wrapped**: a widget marked ``setProperty("oneLine", True)`` (a card's title and
  status, laid out to fit on one line) draws its text on more than one line, a word
  broken mid-way ("不动产/登记").
- **offscreen**: text running off the window (a layout taller than the screen).
- **overlap**: two pieces of text a widget draws run into each other (e.g. a number
  and its window in one row of a table too narrow for both).
- **elided**: text drawn with "…" that the widget's own text does not contain. A widget
  that elides on purpose says so with ``widget.setProperty("elideOk", True)``.
- **size**: text of at least :data:`BODY_MIN_PX` px; text of a widget marked as main
  information (``widget.setProperty("mainInfo", True)``: the ticket number, the window
  called, the rating buttons) at least :data:`MAIN_MIN_PX` px.
- **target** (``touch=True`` only): buttons, combo boxes, line edits, sliders and any
  widget with ``setProperty("touchTarget", True)`` at least :data:`TARGET_MIN_PX` square.
- **contrast**: text colour against the dominant background under it at least 4.5:1, or
  3:1 for text above 18 px (WCAG relative luminance).
- **spacing**: in multi-line text, consecutive baselines at least :data:`LINE_SPACING_MIN`
  × the font's pixel size apart. The bundled CJK font's own line height is only 1.21 × its
  size, so word-wrapped text needs rich text with e.g. ``<p style="line-height: 110%">``
  (Qt's percentage is of the font's line height).

A widget can opt out of every check with ``setProperty("auditSkip", True)`` (e.g. a
decorative watermark); opt-outs are meant to be rare and explained where they are set.

Sizes every citizen-facing screen must pass are in :data:`SIZES`.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from PySide6.QtCore import QPoint, QPointF, QRect, QRectF
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontInfo,
    QImage,
    QPaintDevice,
    QPaintEngine,
    QPaintEngineState,
    QRegion,
    QTextItem,
    QTransform,
)
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSlider,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QLineEdit,
    QWidget,
)

#: The screen sizes halls buy, (width, height) in px: TVs, portrait and 5:4 kiosks,
#: small laptops' panels, 7-10" evaluation pads, 4K displays.
SIZES: dict[str, tuple[int, int]] = {
    "1920x1080": (1920, 1080),
    "1080x1920": (1080, 1920),
    "1366x768": (1366, 768),
    "1280x1024": (1280, 1024),
    "1024x600": (1024, 600),
    "3840x2160": (3840, 2160),
}

BODY_MIN_PX = 18
MAIN_MIN_PX = 30
TARGET_MIN_PX = 60
CONTRAST_MIN = 4.5
CONTRAST_MIN_LARGE = 3.0
#: Text above this many px counts as large for contrast.
LARGE_TEXT_PX = 18
LINE_SPACING_MIN = 1.3
#: Free px a button's caption keeps from the button's edges (text touching an edge
#: reads as clipped).
BUTTON_MARGIN = 4
#: Rounding slack for glyph boxes measured in floating point.
_SLACK = 0.75


@dataclass(frozen=True)
class Problem:
    """One failed check: which widget, which rule (``kind``) and what is wrong."""

    widget: str
    kind: str
    message: str

    def __str__(self) -> str:
        return f"{self.widget}: [{self.kind}] {self.message}"


@dataclass(frozen=True)
class DrawnText:
    """A run of text as Qt drew it, in the widget's coordinates."""

    text: str
    rect: QRectF
    baseline: float
    pixel_size: int
    color: QColor


class _RecordingEngine(QPaintEngine):
    """Keeps every text item drawn; ignores everything else."""

    def __init__(self) -> None:
        super().__init__(QPaintEngine.PaintEngineFeature.AllFeatures)
        self.texts: list[DrawnText] = []
        self._transform = QTransform()

    def begin(self, device: QPaintDevice) -> bool:
        return True

    def end(self) -> bool:
        return True

    def type(self) -> QPaintEngine.Type:
        return QPaintEngine.Type.User

    def updateState(self, state: QPaintEngineState) -> None:
        if state.state() & QPaintEngine.DirtyFlag.DirtyTransform:
            self._transform = state.transform()

    def drawTextItem(self, position: QPointF, item: QTextItem) -> None:
        text = item.text()
        if not text.strip():
            return
        painter = self.painter()
        font = QFont(item.font())
        pixel_size = font.pixelSize() if font.pixelSize() > 0 else QFontInfo(font).pixelSize()
        local = QRectF(position.x(), position.y() - item.ascent(), item.width(),
                       item.ascent() + item.descent())
        rect = self._transform.mapRect(local)
        baseline = self._transform.map(position).y()
        self.texts.append(DrawnText(text, rect, baseline, pixel_size, QColor(painter.pen().color())))

    # Shapes and images carry no text: accepted and dropped.
    def drawPixmap(self, r: QRectF, pm: object, sr: QRectF) -> None:
        pass

    def drawPath(self, path: object) -> None:
        pass

    def drawPolygon(self, *args: object) -> None:
        pass

    def drawRects(self, *args: object) -> None:
        pass

    def drawLines(self, *args: object) -> None:
        pass

    def drawEllipse(self, *args: object) -> None:
        pass

    def drawImage(self, *args: object) -> None:
        pass

    def drawTiledPixmap(self, *args: object) -> None:
        pass

    def drawPoints(self, *args: object) -> None:
        pass


class _TextRecorder(QPaintDevice):
    """A paint device of a widget's size whose engine records the text drawn on it."""

    def __init__(self, width: int, height: int) -> None:
        super().__init__()
        self.engine = _RecordingEngine()
        self._width, self._height = width, height

    def paintEngine(self) -> QPaintEngine:
        return self.engine

    def metric(self, metric: QPaintDevice.PaintDeviceMetric) -> int:
        m = QPaintDevice.PaintDeviceMetric
        values = {
            m.PdmWidth: self._width, m.PdmHeight: self._height,
            m.PdmWidthMM: round(self._width * 25.4 / 96), m.PdmHeightMM: round(self._height * 25.4 / 96),
            m.PdmDpiX: 96, m.PdmDpiY: 96, m.PdmPhysicalDpiX: 96, m.PdmPhysicalDpiY: 96,
            m.PdmDepth: 32, m.PdmNumColors: 0xFFFFFF,
            m.PdmDevicePixelRatio: 1, m.PdmDevicePixelRatioScaled: int(QPaintDevice.devicePixelRatioFScale()),
        }
        return values.get(metric, 0)


def drawn_texts(widget: QWidget) -> list[DrawnText]:
    """The texts ``widget`` itself draws (not its children), in its own coordinates."""
    recorder = _TextRecorder(max(1, widget.width()), max(1, widget.height()))
    widget.render(recorder, QPoint(), QRegion(), QWidget.RenderFlag(0))
    return recorder.engine.texts


def describe(widget: QWidget) -> str:
    """How a problem names a widget: class, objectName and (shortened) text."""
    name = type(widget).__name__
    if widget.objectName():
        name += f"#{widget.objectName()}"
    text = _own_text(widget)
    if text:
        short = text.replace("\n", " ")
        name += f" “{short[:30]}{'…' if len(short) > 30 else ''}”"
    return name


def _own_text(widget: QWidget) -> str:
    getter = getattr(widget, "text", None)
    if callable(getter):
        try:
            value = getter()
        except TypeError:
            return ""
        return value if isinstance(value, str) else ""
    return ""


def relative_luminance(color: QColor) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    return 0.2126 * channel(color.red()) + 0.7152 * channel(color.green()) + 0.0722 * channel(color.blue())


def contrast_ratio(a: QColor, b: QColor) -> float:
    la, lb = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def _distance(a: QColor, b: QColor) -> int:
    return abs(a.red() - b.red()) + abs(a.green() - b.green()) + abs(a.blue() - b.blue())


def dominant_background(image: QImage, rect: QRect, text_color: QColor) -> QColor | None:
    """The most frequent colour in ``rect`` of ``image`` that is not the text's own colour
    (nor close to it: anti-aliased edges), i.e. what the text stands on."""
    rect = rect.intersected(image.rect())
    if rect.isEmpty():
        return None
    step = max(1, min(rect.width(), rect.height()) // 40)
    counts: Counter[int] = Counter()
    for y in range(rect.top(), rect.bottom() + 1, step):
        for x in range(rect.left(), rect.right() + 1, step):
            counts[image.pixel(x, y) & 0xFFFFFF] += 1
    for rgb, _ in counts.most_common():
        color = QColor(rgb)
        if _distance(color, text_color) > 60:
            return color
    return None


def _is_touch_target(widget: QWidget) -> bool:
    if widget.property("touchTarget") is True:
        return True
    return isinstance(widget, QAbstractButton | QComboBox | QLineEdit | QAbstractSlider | QAbstractSpinBox)


def _visible_widgets(window: QWidget) -> list[QWidget]:
    found: list[QWidget] = []
    for widget in [window, *window.findChildren(QWidget)]:
        if not widget.isVisibleTo(window) and widget is not window:
            continue
        if widget.width() <= 0 or widget.height() <= 0:
            continue
        if widget.visibleRegion().isEmpty():
            continue
        if any(w.property("auditSkip") is True for w in _lineage(widget, window)):
            continue
        found.append(widget)
    return found


def _lineage(widget: QWidget, top: QWidget) -> list[QWidget]:
    chain = [widget]
    while chain[-1] is not top and chain[-1].parentWidget() is not None:
        chain.append(chain[-1].parentWidget())
    return chain


def audit(window: QWidget, *, touch: bool) -> list[Problem]:
    """Every problem of the shown ``window`` as drawn now (see the module's docstring).

    ``touch`` adds the touch-target check (kiosk, evaluation pad)."""
    if not window.isVisible():
        raise ValueError(f"audit needs a shown window; {describe(window)} is hidden")
    QApplication.processEvents()
    picture = window.grab().toImage()
    scale = picture.width() / max(1, window.width())
    problems: list[Problem] = []
    for widget in _visible_widgets(window):
        name = describe(widget)
        if touch and _is_touch_target(widget) and widget.isEnabled() and (
                widget.width() < TARGET_MIN_PX or widget.height() < TARGET_MIN_PX):
            problems.append(Problem(name, "target", f"{widget.width()}×{widget.height()} px, "
                                    f"a touch target needs at least {TARGET_MIN_PX}×{TARGET_MIN_PX}"))
        texts = drawn_texts(widget)
        if not texts:
            continue
        problems += _check_texts(widget, name, texts, picture, scale)
        if widget.property("oneLine") is True:
            lines = sorted({round(t.baseline) for t in texts if t.text.strip()})
            if len(lines) > 1:
                drawn = " / ".join(t.text for t in texts if t.text.strip())
                problems.append(Problem(name, "wrapped",
                                        f"drawn on {len(lines)} lines ({drawn}), not one"))
    return problems


def _check_texts(widget: QWidget, name: str, texts: list[DrawnText], picture: QImage,
                 scale: float) -> list[Problem]:
    problems: list[Problem] = []
    bounds = QRectF(widget.rect())
    if isinstance(widget, QAbstractButton):
        bounds = bounds.adjusted(BUTTON_MARGIN, BUTTON_MARGIN, -BUTTON_MARGIN, -BUTTON_MARGIN)
    if widget.property("scrolling") is True:  # a ticker moves its text through the width
        bounds = QRectF(-1e9, bounds.y(), 2e9, bounds.height())
    main = widget.property("mainInfo") is True
    minimum = MAIN_MIN_PX if main else BODY_MIN_PX
    # QWidget.window, not widget.window(): a panel may keep a child in an attribute
    # named "window" (the statistics filter bar's window combo box).
    window = QWidget.window(widget)
    origin = widget.mapTo(window, QPoint(0, 0))
    reported: set[str] = set()

    def report(kind: str, message: str) -> None:
        if kind not in reported:  # one problem per rule and widget is enough to act on
            reported.add(kind)
            problems.append(Problem(name, kind, message))

    for drawn in texts:
        inside = drawn.rect.adjusted(_SLACK, _SLACK, -_SLACK, -_SLACK)
        if not bounds.contains(inside):
            report("fit", f"text “{drawn.text}” ({_box(drawn.rect)}) does not fit "
                          f"{_box(bounds)}{' with its margin' if bounds != QRectF(widget.rect()) else ''}")
        if drawn.pixel_size < minimum:
            what = "main information" if main else "body text"
            report("size", f"text “{drawn.text}” is {drawn.pixel_size} px, {what} needs ≥ {minimum} px")
        on_screen = drawn.rect.translated(origin.x(), origin.y())
        if not QRectF(window.rect()).contains(
                on_screen.adjusted(_SLACK, _SLACK, -_SLACK, -_SLACK)) and \
                widget.property("scrolling") is not True:
            report("offscreen", f"text “{drawn.text}” ({_box(on_screen)} in the window) runs "
                                f"off the {window.width()}×{window.height()} window")
        pixels = QRectF(on_screen.x() * scale, on_screen.y() * scale, on_screen.width() * scale,
                        on_screen.height() * scale).toAlignedRect()
        background = dominant_background(picture, pixels, drawn.color)
        if background is not None:
            ratio = contrast_ratio(drawn.color, background)
            needed = CONTRAST_MIN_LARGE if drawn.pixel_size > LARGE_TEXT_PX else CONTRAST_MIN
            if ratio < needed:
                report("contrast", f"text “{drawn.text}” {drawn.color.name()} on {background.name()} "
                                   f"has contrast {ratio:.2f}:1, needs ≥ {needed}:1")
    for index, first in enumerate(texts):
        for second in texts[index + 1:]:
            common = first.rect.intersected(second.rect)
            if common.width() > 2 and common.height() > 2:
                report("overlap", f"“{first.text}” ({_box(first.rect)}) and “{second.text}” "
                                  f"({_box(second.rect)}) overlap")
    drawn_all = "".join(d.text for d in texts)
    if "…" in drawn_all and "…" not in _own_text(widget) and widget.property("elideOk") is not True:
        report("elided", f"text is elided to “{drawn_all}” (set elideOk if intended)")
    # Line spacing: two texts of one size, one above the other (their columns overlap), are
    # consecutive lines when their baselines are between half a size and a size apart...
    for index, upper in enumerate(texts):
        for lower in texts[index + 1:]:
            if upper.pixel_size != lower.pixel_size or \
                    min(upper.rect.right(), lower.rect.right()) - max(upper.rect.left(),
                                                                       lower.rect.left()) <= 0:
                continue
            size, gap = upper.pixel_size, abs(lower.baseline - upper.baseline)
            if size * 0.5 < gap < size * LINE_SPACING_MIN - _SLACK:
                report("spacing", f"lines {gap:.1f} px apart at {size} px text, line spacing "
                                  f"{gap / size:.2f} < {LINE_SPACING_MIN}")
    return problems


def _box(rect: QRectF) -> str:
    return f"{rect.x():.0f},{rect.y():.0f} {rect.width():.0f}×{rect.height():.0f}"


def format_problems(problems: list[Problem]) -> str:
    """One line per problem, for assertion messages."""
    return "\n".join(str(p) for p in problems)

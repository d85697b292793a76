"""The screen audit itself: each rule catches a deliberately bad widget, a good one passes."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPaintEvent
from PySide6.QtWidgets import QLabel, QPushButton, QVBoxLayout, QWidget

from tests.ui.screen_audit import SIZES, audit, contrast_ratio, drawn_texts, format_problems


@pytest.fixture
def window(qtbot: object) -> Iterator[QWidget]:
    from shared.qt.fonts import install_app_font

    install_app_font()
    top = QWidget()
    top.setObjectName("top")
    top.setStyleSheet("QWidget#top { background: #ffffff; }")
    top.resize(800, 600)
    yield top
    top.close()


def _show(top: QWidget, qtbot: object) -> None:
    top.show()
    qtbot.waitExposed(top)  # type: ignore[attr-defined]


def _label(parent: QWidget, text: str, style: str = "color: #000000; font-size: 24px;") -> QLabel:
    label = QLabel(text, parent)
    label.setStyleSheet(style)
    return label


class Painted(QWidget):
    """A widget that draws its own text, as the apps' custom widgets do: ``draw`` paints
    with the painter's font at ``pixel_size`` px and its pen black; ``text`` is what the
    widget says its text is (the audit compares it with what is drawn)."""

    def __init__(self, parent: QWidget, draw: Callable[[QPainter, Painted], None], *,
                 pixel_size: int = 30, text: str = "") -> None:
        super().__init__(parent)
        self._draw, self._pixel_size, self._text = draw, pixel_size, text

    def text(self) -> str:
        return self._text

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        font = QFont(self.font())
        font.setPixelSize(self._pixel_size)
        painter.setFont(font)
        painter.setPen(QColor("#000000"))
        self._draw(painter, self)
        painter.end()


def test_a_good_screen_has_no_problem(window: QWidget, qtbot: object) -> None:
    layout = QVBoxLayout(window)
    layout.addWidget(_label(window, "请 A017 号到 3 号窗口办理"))
    # The bundled font's own line height is 1.21 × its size: wrapped text needs more.
    wrapped = _label(window, '<p style="line-height: 110%">'
                     + "请携带身份证原件、户口簿、结婚证以及不动产权证书，" * 3 + "</p>")
    wrapped.setWordWrap(True)
    layout.addWidget(wrapped)
    number = _label(window, "A017", "color: #000000; font-size: 60px;")
    number.setProperty("mainInfo", True)
    layout.addWidget(number)
    button = QPushButton("非常满意", window)
    button.setMinimumSize(200, 80)
    button.setStyleSheet("color: #ffffff; background: #0b5394; font-size: 24px; border: none;")
    layout.addWidget(button)
    _show(window, qtbot)
    assert audit(window, touch=True) == [], format_problems(audit(window, touch=True))


def test_a_clipped_label_is_caught(window: QWidget, qtbot: object) -> None:
    label = _label(window, "不动产登记", "color: #000000; font-size: 40px;")
    label.setObjectName("department")
    label.setGeometry(10, 10, 90, 30)
    _show(window, qtbot)
    problems = audit(window, touch=False)
    assert [p.kind for p in problems] == ["fit"]
    assert "QLabel#department" in problems[0].widget and "不动产登记" in problems[0].message


def test_text_running_off_the_window_is_caught(window: QWidget, qtbot: object) -> None:
    label = _label(window, "请在此评价")
    label.setGeometry(10, 560, 300, 80)  # its text's lower half is below the 600 px window
    label.setAlignment(Qt.AlignmentFlag.AlignBottom)
    _show(window, qtbot)
    assert [p.kind for p in audit(window, touch=False)] == ["offscreen"]


def test_a_word_wrapped_label_too_short_for_its_lines_is_caught(window: QWidget, qtbot: object) -> None:
    label = _label(window, "请携带身份证原件、户口簿、结婚证以及不动产权证书")
    label.setWordWrap(True)
    label.setGeometry(10, 10, 200, 40)  # one line high, the text needs three
    _show(window, qtbot)
    assert "fit" in [p.kind for p in audit(window, touch=False)]


def test_text_touching_a_buttons_edge_is_caught(window: QWidget, qtbot: object) -> None:
    button = QPushButton("非常不满意", window)
    button.setStyleSheet("color: #ffffff; background: #8b0000; font-size: 30px; border: none;"
                         " padding: 0px;")
    button.setGeometry(10, 10, 152, 80)  # 5 × 30 px of text in 152 px: 1 px each side
    _show(window, qtbot)
    assert [p.kind for p in audit(window, touch=True)] == ["fit"]


def test_a_tiny_button_is_caught_on_touch_screens_only(window: QWidget, qtbot: object) -> None:
    button = QPushButton("X", window)
    button.setStyleSheet("color: #000000; background: #dddddd; font-size: 20px; border: none;")
    button.setGeometry(10, 10, 40, 40)
    _show(window, qtbot)
    assert [p.kind for p in audit(window, touch=True)] == ["target"]
    assert audit(window, touch=False) == []


def test_small_text_and_small_main_information_are_caught(window: QWidget, qtbot: object) -> None:
    small = _label(window, "营业时间", "color: #000000; font-size: 14px;")
    small.setGeometry(10, 10, 300, 40)
    main = _label(window, "A017", "color: #000000; font-size: 24px;")  # fine as body text...
    main.setProperty("mainInfo", True)  # ...too small as the number just called
    main.setGeometry(10, 100, 300, 60)
    _show(window, qtbot)
    problems = audit(window, touch=False)
    assert sorted((p.widget, p.kind) for p in problems) == [
        ("QLabel “A017”", "size"), ("QLabel “营业时间”", "size")]


def test_low_contrast_is_caught_and_large_text_gets_the_lower_threshold(
        window: QWidget, qtbot: object) -> None:
    # #949494 on white is 3.03:1: fails at body size, passes above 18 px.
    body = _label(window, "暂停取号", "color: #949494; font-size: 18px;")
    body.setGeometry(10, 10, 300, 40)
    large = _label(window, "暂停取号中", "color: #949494; font-size: 30px;")
    large.setGeometry(10, 100, 300, 60)
    _show(window, qtbot)
    assert [(p.widget, p.kind) for p in audit(window, touch=False)] == [("QLabel “暂停取号”", "contrast")]


def test_contrast_is_measured_against_what_is_painted_under_the_text(
        window: QWidget, qtbot: object) -> None:
    # The label's palette says nothing: its parent panel paints dark blue behind it.
    panel = QWidget(window)
    panel.setObjectName("panel")
    panel.setStyleSheet("QWidget#panel { background: #0d2b50; }")
    panel.setGeometry(0, 0, 400, 200)
    dim = _label(panel, "暂停取号", "color: #2a4a70; font-size: 24px;")
    dim.setGeometry(10, 10, 300, 50)
    _show(window, qtbot)
    problems = audit(window, touch=False)
    assert [p.kind for p in problems] == ["contrast"]
    assert "#0d2b50" in problems[0].message


def test_unintended_elision_is_caught_unless_marked(window: QWidget, qtbot: object) -> None:
    def elide(painter: QPainter, widget: Painted) -> None:
        elided = painter.fontMetrics().elidedText(widget.text(), Qt.TextElideMode.ElideRight,
                                                  widget.width())
        painter.drawText(widget.rect(), Qt.AlignmentFlag.AlignLeft, elided)

    widget = Painted(window, elide, pixel_size=24, text="城管违章处理（罚没款缴纳）")
    widget.setGeometry(10, 10, 150, 40)
    _show(window, qtbot)
    assert [p.kind for p in audit(window, touch=False)] == ["elided"]
    widget.setProperty("elideOk", True)
    assert audit(window, touch=False) == []


def test_a_wrapped_label_at_the_fonts_own_line_height_is_too_tight(
        window: QWidget, qtbot: object) -> None:
    label = _label(window, "请携带身份证原件、户口簿、结婚证以及不动产权证书" * 2)
    label.setWordWrap(True)
    label.setGeometry(10, 10, 300, 300)
    _show(window, qtbot)
    assert [p.kind for p in audit(window, touch=False)] == ["spacing"]


def test_tight_line_spacing_is_caught(window: QWidget, qtbot: object) -> None:
    def two_lines(painter: QPainter, widget: Painted) -> None:
        for line, text in enumerate(["第一行", "第二行"]):  # 37 px apart: 1.23 × 30 px
            painter.drawText(QRectF(0, line * 37, widget.width(), 40), Qt.AlignmentFlag.AlignLeft,
                             text)

    Painted(window, two_lines).setGeometry(10, 10, 300, 100)
    _show(window, qtbot)
    problems = audit(window, touch=False)
    assert [p.kind for p in problems] == ["spacing"]
    assert "1.23" in problems[0].message


def test_texts_running_into_each_other_are_caught(window: QWidget, qtbot: object) -> None:
    def number_and_window(painter: QPainter, widget: Painted) -> None:
        painter.drawText(QRectF(0, 0, 80, 50), Qt.AlignmentFlag.AlignLeft, "B004")
        painter.drawText(QRectF(0, 0, widget.width(), 50), Qt.AlignmentFlag.AlignRight,
                         "4 号窗口")

    row = Painted(window, number_and_window)
    row.setGeometry(10, 10, 150, 50)  # 4 号窗口 starts before B004 ends
    _show(window, qtbot)
    assert [p.kind for p in audit(window, touch=False)] == ["overlap"]
    row.setGeometry(10, 10, 300, 50)
    assert audit(window, touch=False) == []


def test_a_hidden_window_is_refused() -> None:
    with pytest.raises(ValueError, match="shown window"):
        audit(QWidget(), touch=False)


def test_hidden_children_and_skipped_widgets_are_not_audited(window: QWidget, qtbot: object) -> None:
    hidden = _label(window, "隐藏", "color: #000000; font-size: 8px;")
    hidden.hide()
    skipped = _label(window, "水印", "color: #eeeeee; font-size: 8px;")
    skipped.setProperty("auditSkip", True)
    _show(window, qtbot)
    assert audit(window, touch=False) == []


def test_the_recorder_sees_the_text_qt_draws(window: QWidget, qtbot: object) -> None:
    label = _label(window, "A017", "color: #ff0000; font-size: 40px;")
    label.setGeometry(10, 10, 300, 60)
    _show(window, qtbot)
    texts = drawn_texts(label)
    assert "".join(t.text for t in texts) == "A017"
    assert {t.pixel_size for t in texts} == {40} and {t.color.name() for t in texts} == {"#ff0000"}


def test_contrast_ratio_and_sizes() -> None:
    assert contrast_ratio(QColor("#000000"), QColor("#ffffff")) == pytest.approx(21.0)
    assert contrast_ratio(QColor("#777777"), QColor("#ffffff")) == pytest.approx(4.48, abs=0.01)
    assert SIZES["1024x600"] == (1024, 600) and len(SIZES) == 6


def test_screenshots_go_outside_the_repository(screenshot_dir: Path) -> None:
    """An ordinary test run writes its screenshots to a temporary folder, never into the
    tracked docs/screenshots/ (only tools/screenshots.py points them there)."""
    import os

    repository = Path(__file__).resolve().parents[2]
    if os.environ.get("HALLQ_SCREENSHOT_DIR"):
        pytest.skip("screenshots are being regenerated on purpose")
    assert not screenshot_dir.resolve().is_relative_to(repository)

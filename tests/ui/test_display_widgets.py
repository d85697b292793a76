"""The shared widgets the hall display and the window display draw with."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QRectF
from PySide6.QtGui import QColor, QFont, QFontMetricsF
from pytestqt.qtbot import QtBot

from shared.qt.fonts import install_app_font
from shared.qt.widgets.fitted_label import FittedLabel, fitted_pixel_size
from shared.qt.widgets.number_board import BoardColors, NumberBoard

COLORS = BoardColors(background="#000080", highlight_background="#ffb300")


@pytest.mark.parametrize(("text", "width", "height"), [
    ("A017", 400, 200), ("A017", 4000, 200), ("请到 12 号窗口办理", 300, 300), ("Z99999", 50, 20)])
def test_fitted_text_fits_its_box(qtbot: QtBot, text: str, width: int, height: int) -> None:
    """At the fitted size the text is no wider than its box and its line no taller."""
    install_app_font()
    font = QFont()
    box = QRectF(0, 0, width, height)
    size = fitted_pixel_size(font, text, box, 1.0)
    font.setPixelSize(size)
    metrics = QFontMetricsF(font)
    assert metrics.horizontalAdvance(text) <= width + 1
    assert metrics.height() <= height + 1
    font.setPixelSize(size + 2)  # and it is the largest such size, give or take rounding
    bigger = QFontMetricsF(font)
    assert bigger.horizontalAdvance(text) > width or bigger.height() > height


def test_fitted_size_doubles_with_the_box() -> None:
    """Twice the box gives twice the font: sizes follow the screen, not fixed pixels."""
    font = QFont()
    small = fitted_pixel_size(font, "A017", QRectF(0, 0, 960, 540))
    large = fitted_pixel_size(font, "A017", QRectF(0, 0, 1920, 1080))
    assert large == pytest.approx(2 * small, abs=2)


def test_empty_text_or_box_gives_the_smallest_size() -> None:
    """Nothing to draw, or nowhere to draw it, is not an error."""
    assert fitted_pixel_size(QFont(), "", QRectF(0, 0, 100, 100)) == 1
    assert fitted_pixel_size(QFont(), "A017", QRectF(0, 0, 0, 100)) == 1


def test_board_shows_placeholder_until_a_number(qtbot: QtBot) -> None:
    """The board keeps its number and caption; an empty number is shown as the placeholder."""
    board = NumberBoard(caption="请到 3 号窗口", placeholder="请稍候")
    qtbot.addWidget(board)
    assert board.number() == "" and board.caption() == "请到 3 号窗口"
    board.set_number("A017")
    assert board.number() == "A017"


def test_highlight_changes_the_background(qtbot: QtBot) -> None:
    """Highlighted, the board is drawn in the highlight colour; otherwise in its normal one."""
    board = NumberBoard(colors=COLORS)
    qtbot.addWidget(board)
    board.resize(320, 180)
    board.set_number("A017")
    corner = (2, 2)
    assert board.grab().toImage().pixelColor(*corner) == QColor(COLORS.background)
    board.set_highlighted(True)
    assert board.is_highlighted()
    assert board.grab().toImage().pixelColor(*corner) == QColor(COLORS.highlight_background)


def test_fitted_label_keeps_its_text(qtbot: QtBot) -> None:
    """A fitted label holds the text it shows, as a label does."""
    label = FittedLabel("09:41")
    qtbot.addWidget(label)
    label.set_text("09:42")
    assert label.text() == "09:42"
    label.resize(200, 50)
    assert not label.grab().isNull()


@pytest.mark.parametrize(("width", "height", "beside"), [(1500, 250, True), (800, 450, False)])
def test_a_wide_board_puts_the_caption_beside_the_number(
        qtbot: QtBot, width: int, height: int, beside: bool) -> None:
    """On a bar screen (wider than 3.2 × its height) the caption goes right of the number,
    elsewhere under it; either way both are drawn inside the board."""
    from tests.ui.screen_audit import drawn_texts

    install_app_font()
    board = NumberBoard(number="A017", caption="请到本窗口办理")
    qtbot.addWidget(board)
    board.resize(width, height)
    board.show()
    number, caption = drawn_texts(board)
    assert (number.text, caption.text) == ("A017", "请到本窗口办理")
    if beside:
        assert caption.rect.left() > number.rect.right()
        assert caption.rect.top() < number.rect.bottom()
    else:
        assert caption.rect.top() >= number.rect.bottom() - 1
    for drawn in (number, caption):
        assert QRectF(board.rect()).contains(drawn.rect)

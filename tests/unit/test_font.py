"""The bundled CJK font covers what HallQueue shows and prints, and reportlab can embed it."""

from __future__ import annotations

import io
from pathlib import Path

from fontTools.ttLib import TTFont as FontToolsFont
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen import canvas

from resources import cjk_font_path
from shared.fonts import (
    REPORTLAB_FONT_NAME,
    gb2312_characters,
    locate_characters,
    missing_glyphs,
    register_reportlab_font,
    shipped_text_characters,
)

REPO_ROOT = Path(__file__).resolve().parents[2]


def test_font_has_every_gb2312_character() -> None:
    """Every one of the 7445 GB2312 characters has a glyph in the bundled font."""
    chars = gb2312_characters()
    assert len(chars) == 7445  # 682 symbols + 6763 hanzi; guards the enumeration itself
    assert missing_glyphs("".join(chars)) == set()


def test_font_covers_every_shipped_character() -> None:
    """Every character in shipped text has a glyph; if not, rerun tools/build_font.py."""
    chars = shipped_text_characters(REPO_ROOT)
    missing = missing_glyphs("".join(chars))
    where = "\n".join(locate_characters(REPO_ROOT, missing))
    assert not missing, (
        "bundled font lacks these; run `python tools/build_font.py` (if it warns that the "
        f"source font lacks them too, rephrase the text or pick another font):\n{where}"
    )


def test_missing_glyphs_reports_absent_characters_and_ignores_controls() -> None:
    """missing_glyphs names characters outside the font but not controls like newlines."""
    # U+3400 is CJK Extension A, outside GB2312, and U+1F600 is an emoji: neither is bundled.
    assert missing_glyphs("取号\n\t\u3400\U0001f600") == {"\u3400", "\U0001f600"}


def test_font_is_truetype_named_hallqueue_cjk() -> None:
    """The font keeps TrueType outlines (reportlab needs glyf) and the family HallQueue CJK."""
    with FontToolsFont(cjk_font_path()) as font:
        assert "glyf" in font
        assert font["name"].getDebugName(1) == "HallQueue CJK"
        assert "Apache License" in (font["name"].getDebugName(13) or "")


def test_reportlab_registers_font_once_and_draws_chinese_pdf() -> None:
    """reportlab registers the font idempotently and renders a PDF with Chinese text."""
    name = register_reportlab_font()
    assert name == REPORTLAB_FONT_NAME
    assert register_reportlab_font() == name
    assert name in pdfmetrics.getRegisteredFontNames()

    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer)
    pdf.setFont(name, 14)
    pdf.drawString(72, 720, "淳安县行政服务中心 取号 A001")
    pdf.save()
    data = buffer.getvalue()
    assert data.startswith(b"%PDF")
    assert b"/FontFile2" in data  # the TrueType subset was embedded, not just referenced

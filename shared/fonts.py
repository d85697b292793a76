"""The bundled CJK font outside Qt: coverage checks and PDF registration.

The font itself is ``resources/fonts/hallq-cjk.ttf``, a subset of WenQuanYi Micro Hei built
by ``tools/build_font.py``. The Qt side lives in :mod:`shared.qt.fonts`; this module must
stay importable without Qt because the PDF and printing code use it.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from functools import cache
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFError, TTFont

from resources import cjk_font_path
from shared.errors import HallQueueError

#: Name the font is registered under in reportlab's pdfmetrics.
REPORTLAB_FONT_NAME = "HallQCJK"

#: Shipped text resources whose characters must all be drawable.
RESOURCE_TEXT_SUFFIXES = frozenset({".toml", ".ts", ".txt", ".qss"})

#: Packages whose source may hold user-visible strings.
SOURCE_PACKAGES = ("shared", "kiosk_app", "counter_app")

# Characters that are never drawn from a glyph (controls, invisible format marks, line and
# paragraph separators, surrogates); no font needs them, so they are not "missing".
_UNDRAWN_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})


def is_drawn(char: str) -> bool:
    """Whether a character needs a glyph of its own when shown or printed."""
    return unicodedata.category(char) not in _UNDRAWN_CATEGORIES


def gb2312_characters() -> set[str]:
    """Every character of GB2312, the baseline a Chinese service hall needs.

    Walks every double-byte code 0xA1A1..0xF7FE; codes the standard leaves empty fail to
    decode and are skipped.
    """
    chars: set[str] = set()
    for high in range(0xA1, 0xF8):
        for low in range(0xA1, 0xFF):
            try:
                chars.add(bytes((high, low)).decode("gb2312"))
            except UnicodeDecodeError:
                continue
    return chars


def shipped_text_files(root: Path) -> Iterator[Path]:
    """The shipped text files under the checkout ``root`` whose characters must be drawable."""
    resources = root / "resources"
    if resources.is_dir():
        for path in sorted(resources.rglob("*")):
            if path.is_file() and path.suffix in RESOURCE_TEXT_SUFFIXES:
                yield path
    for package in SOURCE_PACKAGES:
        package_dir = root / package
        if package_dir.is_dir():
            yield from sorted(p for p in package_dir.rglob("*.py") if p.is_file())


def shipped_text_characters(root: Path) -> set[str]:
    """Every drawn character in the text HallQueue ships, found under the checkout ``root``.

    Scans whole files rather than string literals: a stray character in a comment only
    costs one glyph, while a missed literal would print as tofu.
    """
    chars: set[str] = set()
    for path in shipped_text_files(root):
        chars.update(_read_text(path))
    return {char for char in chars if is_drawn(char)}


def locate_characters(root: Path, chars: set[str]) -> list[str]:
    """Where in the shipped text ``chars`` occur, as "path:line: U+XXXX c" strings.

    Turns a bare "font lacks U+0663" into something a developer can act on.
    """
    found: list[str] = []
    for path in shipped_text_files(root):
        # split("\n") rather than splitlines() so numbers match what editors show.
        for number, line in enumerate(_read_text(path).split("\n"), start=1):
            for char in sorted(chars.intersection(line)):
                where = path.relative_to(root).as_posix()
                found.append(f"{where}:{number}: U+{ord(char):04X} {char}")
    return found


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise HallQueueError(f"随附的文本文件 {path} 不是 UTF-8 编码 "
                             f"(Shipped text file is not UTF-8: {path}: {exc})") from exc


@cache
def _font_codepoints(font_path: Path) -> frozenset[int]:
    # fontTools is a build/test dependency, not a runtime one; importing it here keeps
    # printing and PDF export working on installs without it.
    from fontTools.ttLib import TTFont as FontToolsFont

    with FontToolsFont(font_path, lazy=True) as font:
        return frozenset(font.getBestCmap())


def missing_glyphs(text: str) -> set[str]:
    """The drawn characters of ``text`` that the bundled font has no glyph for."""
    covered = _font_codepoints(cjk_font_path())
    return {char for char in set(text) if is_drawn(char) and ord(char) not in covered}


def register_reportlab_font() -> str:
    """Register the bundled font with reportlab once and return its name for ``setFont``."""
    if REPORTLAB_FONT_NAME in pdfmetrics.getRegisteredFontNames():
        return REPORTLAB_FONT_NAME
    path = cjk_font_path()
    try:
        font = TTFont(REPORTLAB_FONT_NAME, str(path))
    except TTFError as exc:
        raise HallQueueError(f"reportlab 无法使用随附的中文字体 {path} "
                             f"(reportlab cannot use the bundled CJK font {path}: {exc})") from exc
    pdfmetrics.registerFont(font)
    return REPORTLAB_FONT_NAME

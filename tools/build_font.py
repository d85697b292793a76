"""Build resources/fonts/hallq-cjk.ttf, the bundled CJK font, from WenQuanYi Micro Hei.

Usage: python tools/build_font.py [--source PATH] [--output PATH]

The subset keeps printable ASCII, Latin-1 punctuation, general punctuation, CJK symbols,
full-width forms, all of GB2312 and every character in HallQueue's shipped text. Rerun it
whenever a shipped string gains a character the font lacks; tests/unit/test_font.py fails
until then. The output is deterministic: the same source and texts give the same bytes.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTFont

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SOURCE = Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")
DEFAULT_OUTPUT = REPO_ROOT / "resources" / "fonts" / "hallq-cjk.ttf"
# Regular face of the collection; index 1 is Micro Hei Mono.
SOURCE_FACE_INDEX = 0

FAMILY = "HallQueue CJK"
POSTSCRIPT_NAME = "HallQueueCJK-Regular"

# Kept where the source has a glyph; a gap here is not worth failing the build.
OPTIONAL_RANGES: tuple[tuple[int, int], ...] = (
    (0x0020, 0x007E),  # printable ASCII
    (0x00A0, 0x00BF),  # Latin-1 punctuation and symbols
    (0x00D7, 0x00D7),  # multiplication sign
    (0x00F7, 0x00F7),  # division sign
    (0x2000, 0x206F),  # general punctuation
    (0x3000, 0x303F),  # CJK symbols and punctuation
    (0xFF00, 0xFFEF),  # half-width and full-width forms
)

# Source name records carried over unchanged: copyright, version, trademark, vendor,
# designer and licence. The licence requires keeping the attribution notices.
KEPT_NAME_IDS = (0, 5, 7, 8, 11, 12, 13, 14)
WIN_PLATFORM, WIN_UNICODE_BMP, WIN_ENGLISH_US = 3, 1, 0x409


def _rename(font: TTFont, source_names: dict[int, str]) -> None:
    """Replace the name table so Qt and reportlab see one clear family, HallQueue CJK."""
    name_table = font["name"]
    # Localized and Mac records would still announce "WenQuanYi Micro Hei"; drop them all.
    name_table.names = []
    records = {
        name_id: source_names[name_id] for name_id in KEPT_NAME_IDS if name_id in source_names
    }
    version = source_names.get(5, "unknown version")
    records.update(
        {
            1: FAMILY,
            2: "Regular",
            3: f"{POSTSCRIPT_NAME};subset of WenQuanYi Micro Hei {version}",
            4: FAMILY,
            6: POSTSCRIPT_NAME,
            # Apache-2.0 section 4(b): modified files must say that they were changed.
            10: "Subset of WenQuanYi Micro Hei, renamed and with hinting removed, "
            "made for HallQueue by tools/build_font.py.",
        }
    )
    for name_id, text in sorted(records.items()):
        name_table.setName(text, name_id, WIN_PLATFORM, WIN_UNICODE_BMP, WIN_ENGLISH_US)


def _english_names(font: TTFont) -> dict[int, str]:
    names: dict[int, str] = {}
    for record in font["name"].names:
        key = (record.platformID, record.platEncID, record.langID)
        if key == (WIN_PLATFORM, WIN_UNICODE_BMP, WIN_ENGLISH_US):
            names[record.nameID] = record.toUnicode()
    return names


def build(source: Path, output: Path) -> None:
    """Subset ``source`` into ``output``; fail if it lacks part of GB2312."""
    # Imported late so the script runs from any directory without installing HallQueue.
    sys.path.insert(0, str(REPO_ROOT))
    from shared.fonts import gb2312_characters, locate_characters, shipped_text_characters

    # recalcTimestamp=False keeps the source's head.modified instead of "now", so rebuilding
    # from the same input gives the same bytes.
    font = TTFont(source, fontNumber=SOURCE_FACE_INDEX, recalcTimestamp=False)
    if "glyf" not in font:
        raise SystemExit(f"{source}: not a TrueType-outline font; reportlab cannot embed it")
    available = set(font.getBestCmap())

    gb2312 = {ord(char) for char in gb2312_characters()}
    if missing := sorted(gb2312 - available):
        listed = " ".join(f"U+{code:04X} {chr(code)}" for code in missing)
        raise SystemExit(f"{source} lacks GB2312 characters, use another source: {listed}")

    shipped = {ord(char) for char in shipped_text_characters(REPO_ROOT)}
    if absent := shipped - available:
        # Rebuilding cannot fix these, so build the rest and let the coverage test fail
        # with the same list rather than withholding the whole font.
        print(f"warning: {source} has no glyph for these shipped characters:", file=sys.stderr)
        for where in locate_characters(REPO_ROOT, {chr(code) for code in absent}):
            print(f"  {where}", file=sys.stderr)

    optional = {code for first, last in OPTIONAL_RANGES for code in range(first, last + 1)}
    unicodes = sorted((gb2312 | shipped | optional) & available)

    source_names = _english_names(font)

    options = subset.Options()
    options.hinting = False  # drops fpgm/prep/cvt and per-glyph instructions
    options.drop_tables = [*options.drop_tables, "FFTM"]  # FontForge build stamp, unused
    options.notdef_outline = True  # an unexpected character shows as a box, not as nothing
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=unicodes)
    subsetter.subset(font)

    _rename(font, source_names)
    output.parent.mkdir(parents=True, exist_ok=True)
    font.save(output)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--source", type=Path, default=DEFAULT_SOURCE, help="WenQuanYi Micro Hei TTC"
    )
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT, help="subset TTF to write")
    args = parser.parse_args(argv)
    if not args.source.is_file():
        parser.error(f"source font not found: {args.source} (install fonts-wqy-microhei)")

    build(args.source, args.output)
    size = args.output.stat().st_size
    # Report from the written file, not the in-memory font, so the numbers are what ships.
    with TTFont(args.output) as written:
        glyphs, chars = written["maxp"].numGlyphs, len(written.getBestCmap())
    print(
        f"wrote {args.output}: {size:,} bytes ({size / 1024 / 1024:.2f} MiB), "
        f"{glyphs:,} glyphs, {chars:,} characters"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())

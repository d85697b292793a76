"""Print a ticket on an ESC/POS printer, as GB18030 text or as one raster image.

Text mode is small and fast but needs a printer with Chinese firmware (GB18030 built in);
raster mode draws everything with the bundled font, so it works on any ESC/POS printer.
Both print the blocks of :func:`shared.printing.layout.layout_ticket`.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Literal

from escpos.constants import QR_ECLEVEL_M
from escpos.escpos import Escpos
from PIL import Image, ImageDraw, ImageFont

import resources
from shared.printing.layout import (
    CHECKBOX,
    PAPER_COLUMNS,
    PAPER_DOTS,
    Block,
    QrBlock,
    Rule,
    Space,
    TextLine,
    display_width,
    layout_ticket,
    qr_modules,
)
from shared.printing.slip import TicketSlip

RenderMode = Literal["text", "raster"]

FS_CHINESE_ON = b"\x1c&"  # FS &: bytes >= 0x80 are GB18030 characters
FS_CHINESE_OFF = b"\x1c."  # FS .: back to the single-byte code page

# QR module size in dots: about 19 mm wide on an 80 mm roll, 16 mm on a 58 mm roll.
_TEXT_QR_DOTS = {58: 5, 80: 6}
_RASTER_QR_DOTS = {58: 6, 80: 7}
_RASTER_MARGIN = {58: 8, 80: 16}
# Raster images go out in slices of this many dot rows (18 kB at 80 mm), so one write
# never outlasts the connection timeout on a slow link and small printer buffers keep up.
RASTER_SLICE_ROWS = 256


def render_ticket(printer: Escpos, slip: TicketSlip, mode: RenderMode) -> None:
    """Send one complete ticket, ending with a cut, to an open python-escpos printer."""
    if mode == "text":
        _render_text(printer, slip)
    elif mode == "raster":
        _render_raster(printer, slip)
    else:
        raise ValueError(f"unknown ticket render mode {mode!r}; use 'text' or 'raster'")


# --- text mode ---------------------------------------------------------------------------


def _render_text(printer: Escpos, slip: TicketSlip) -> None:
    columns = PAPER_COLUMNS[slip.paper_width_mm]
    printer.hw("INIT")
    # Chinese firmware usually starts in Chinese mode, but not every model keeps it
    # across ESC @, so switch it on explicitly.
    printer._raw(FS_CHINESE_ON)
    for block in layout_ticket(slip):
        if isinstance(block, TextLine):
            printer.set(
                align=block.align,
                bold=block.bold,
                custom_size=True,
                width=block.width_mul,
                height=block.height_mul,
            )
            printer._raw(block.text.encode("gb18030") + b"\n")
        elif isinstance(block, Rule):
            printer.set(align="left", bold=False, custom_size=True, width=1, height=1)
            printer._raw(b"-" * columns + b"\n")
        elif isinstance(block, Space):
            printer.set(custom_size=True, width=1, height=1)
            printer._raw(b"\n")
        elif isinstance(block, QrBlock):
            # GS ( k obeys ESC a, so the printer centres the symbol itself.
            printer.set(align="center", bold=False, custom_size=True, width=1, height=1)
            printer.qr(
                block.payload,
                ec=QR_ECLEVEL_M,
                size=_TEXT_QR_DOTS[slip.paper_width_mm],
                native=True,
            )
    # Leave the printer in its single-byte state and default style: ESC @ does not undo
    # FS & on every model, and the next job may come from other software.
    printer.set(align="left", bold=False, custom_size=True, width=1, height=1)
    printer._raw(FS_CHINESE_OFF)
    printer.cut()


# --- raster mode -------------------------------------------------------------------------


@lru_cache(maxsize=64)
def _font(size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(resources.cjk_font_path()), size=size)


def _stroke(size: int) -> int:
    """Stroke width that makes large text look bold (the font has no bold face)."""
    return max(1, round(size / 32)) if size >= 40 else 0


def _text_image(text: str, size: int, bold: bool) -> Image.Image:
    """Black-on-white greyscale image of one line of text."""
    font = _font(size)
    stroke = _stroke(size) if bold else 0
    # Small text is emboldened like a printer's ESC E, by striking it twice one dot apart;
    # a stroke would fill the counters of dense hanzi.
    double = bold and not stroke
    ascent, descent = font.getmetrics()
    width = max(1, int(font.getlength(text)) + 2 * stroke + 2)
    img = Image.new("L", (width, ascent + descent + 2 * stroke), 255)
    draw = ImageDraw.Draw(img)
    for dx in (0, 1) if double else (0,):
        draw.text((stroke + dx, stroke), text, font=font, fill=0, stroke_width=stroke, stroke_fill=0)
    return img


def _column_text_image(text: str, size: int, bold: bool) -> Image.Image:
    """Like :func:`_text_image`, but a hanging indent or checkbox keeps its columns.

    Proportional spaces are much narrower than a column, so "   " under "□ " would not
    line up; indents are therefore placed on the layout's column grid instead.
    """
    body = text.lstrip(" ")
    cols = len(text) - len(body)
    prefix = None
    if not cols and body.startswith(CHECKBOX):
        prefix, body = CHECKBOX.strip(), body[len(CHECKBOX) :]
        cols = display_width(CHECKBOX)
    if not cols:
        return _text_image(text, size, bold)
    rest = _text_image(body, size, bold)
    x = cols * size // 2
    img = Image.new("L", (x + rest.width, rest.height), 255)
    if prefix:
        _draw_checkbox(ImageDraw.Draw(img), size)
    img.paste(rest, (x, 0))
    return img


def _draw_checkbox(draw: ImageDraw.ImageDraw, size: int) -> None:
    """A box to tick by pen, as tall as a hanzi; the font's □ is too small for that."""
    _, top, _, bottom = _font(size).getbbox("口")
    side = round((bottom - top) * 0.9)
    y = top + ((bottom - top) - side) // 2
    x = max(0, round(size * 0.08))
    draw.rectangle((x, y, x + side, y + side), outline=0, width=max(2, size // 12))


def _number_image(text: str, max_width: int, max_height: int) -> Image.Image:
    """The queue number as large as the paper allows, cropped to its ink."""
    size = max_height
    while True:
        font = _font(size)
        stroke = _stroke(size)
        left, top, right, bottom = font.getbbox(text, stroke_width=stroke)
        if (right - left <= max_width and bottom - top <= max_height) or size <= 24:
            break
        size -= 4
    img = Image.new("L", (int(right - left), int(bottom - top)), 255)
    ImageDraw.Draw(img).text((-left, -top), text, font=font, fill=0, stroke_width=stroke, stroke_fill=0)
    return img


def _qr_image(payload: str, box: int) -> Image.Image:
    modules = qr_modules(payload)
    n = len(modules)
    img = Image.new("L", (n * box, n * box), 255)
    draw = ImageDraw.Draw(img)
    for r, row in enumerate(modules):
        for c, dark in enumerate(row):
            if dark:
                draw.rectangle((c * box, r * box, (c + 1) * box - 1, (r + 1) * box - 1), fill=0)
    return img


def _raster_sizes(blocks: list[Block], base: int, inner: int) -> dict[str, int]:
    """Font size in dots for each role of text line.

    Double width scales the font as on the printer. Double height alone would stretch the
    glyphs, which looks crude in a drawing, so those roles get a larger font instead, as
    large as their longest line still allows.
    """
    sizes: dict[str, int] = {}
    for block in blocks:
        if not isinstance(block, TextLine):
            continue
        size = base * block.width_mul
        if block.height_mul > block.width_mul:
            natural = max(1.0, _font(size).getlength(block.text))
            size = max(size, min(round(size * 1.4), int(size * inner / natural)))
        sizes[block.role] = min(sizes.get(block.role, size), size)
    return sizes


def ticket_image(slip: TicketSlip) -> Image.Image:
    """The whole ticket as a 1-bit image exactly as wide as the printable line.

    384 dots for 58 mm paper, 576 for 80 mm (203 dpi). Also usable as a preview.
    """
    width = PAPER_DOTS[slip.paper_width_mm]
    columns = PAPER_COLUMNS[slip.paper_width_mm]
    margin = _RASTER_MARGIN[slip.paper_width_mm]
    inner = width - 2 * margin
    # Two display columns of the layout, i.e. one hanzi, in dots.
    base = int(2 * inner / columns)
    line_gap = base // 4

    parts: list[tuple[Image.Image, str]] = []  # (image, align)

    def space(height: int) -> None:
        parts.append((Image.new("L", (1, height), 255), "left"))

    blocks = layout_ticket(slip)
    sizes = _raster_sizes(blocks, base, inner)
    for block in blocks:
        if isinstance(block, TextLine):
            if block.role == "number":
                space(line_gap * 2)
                parts.append((_number_image(block.text, inner, int(width * 0.36)), "center"))
                space(line_gap * 3)
                continue
            img = _column_text_image(block.text, sizes[block.role], block.bold)
            if img.width > inner:  # proportional Latin glyphs can exceed their column
                img = img.resize((inner, img.height), Image.Resampling.LANCZOS)
            parts.append((img, block.align))
            space(line_gap)
        elif isinstance(block, Rule):
            space(line_gap)
            parts.append((Image.new("L", (inner, 2), 0), "left"))
            space(line_gap * 2)
        elif isinstance(block, Space):
            space(base // 2)
        elif isinstance(block, QrBlock):
            qr = _qr_image(block.payload, _RASTER_QR_DOTS[slip.paper_width_mm])
            parts.append((qr, "center"))
            space(line_gap)

    canvas = Image.new("L", (width, 2 * margin + sum(img.height for img, _ in parts)), 255)
    y = margin
    for img, align in parts:
        x = margin + ((inner - img.width) // 2 if align == "center" else 0)
        canvas.paste(img, (x, y))
        y += img.height
    # Hard threshold: dithered anti-aliasing makes small hanzi look fuzzy on paper.
    return canvas.point(lambda v: 255 if v >= 150 else 0).convert("1", dither=Image.Dither.NONE)


def _render_raster(printer: Escpos, slip: TicketSlip) -> None:
    send_raster(printer, ticket_image(slip))


def send_raster(printer: Escpos, img: Image.Image) -> None:
    """Send a drawn ticket (see :func:`ticket_image`) as GS v 0 slices, then cut."""
    printer.hw("INIT")
    _declare_media_width(printer, img.width)
    printer.image(img, impl="bitImageRaster", fragment_height=RASTER_SLICE_ROWS)
    printer.cut()


def _declare_media_width(printer: Escpos, dots: int) -> None:
    """Tell python-escpos the paper width, on this printer's profile object only.

    With an unknown width it prints a notice to stdout and cannot refuse an image wider
    than the paper. The profile's data dict is shared by its class, hence the copies.
    """
    profile = printer.profile
    data = dict(profile.profile_data)
    media = dict(data.get("media") or {})
    media_width = dict(media.get("width") or {})
    if str(media_width.get("pixels")).isdigit():
        return  # a real printer profile already knows its width
    media_width["pixels"] = dots
    media["width"] = media_width
    data["media"] = media
    profile.profile_data = data

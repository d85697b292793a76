"""A ticket as a one-page PDF, for reprints from the counter or the command line.

The page is as wide as the paper roll in the slip (80 or 58 mm) and exactly as tall as the
ticket, so the PDF prints 1:1 through a receipt printer's Windows driver and shows in a
viewer as the slip the citizen holds. Content and line breaks come from
:func:`shared.printing.layout.layout_ticket`, like the ESC/POS renderers.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass

from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas

from shared.fonts import register_reportlab_font
from shared.printing.layout import (
    CHECKBOX,
    PAPER_COLUMNS,
    QrBlock,
    Rule,
    Space,
    TextLine,
    display_width,
    layout_ticket,
    qr_modules,
)
from shared.printing.slip import TicketSlip, qr_payload

# Printable width of the roll: what a thermal head covers (576 / 384 dots at 203 dpi).
_PRINTABLE_MM = {80: 72.0, 58: 48.0}
_QR_MODULE_MM = {80: 0.85, 58: 0.7}
_TOP_BOTTOM_MM = 4.0

Draw = Callable[[Canvas, float], None]  # draws a band whose top edge is at y


@dataclass
class _Band:
    height: float
    draw: Draw


def _text_band(font: str, text: str, size: float, x0: float, inner: float, align: str, bold: bool) -> _Band:
    ascent, descent = pdfmetrics.getAscentDescent(font, size)
    # Hanging indents and checkboxes sit on the layout's column grid, as in raster mode.
    column = size / 2
    body = text.lstrip(" ")
    indent = len(text) - len(body)
    prefix = ""
    if not indent and body.startswith(CHECKBOX):
        prefix, body = CHECKBOX.strip(), body[len(CHECKBOX) :]
        indent = display_width(CHECKBOX)

    def draw(c: Canvas, top: float) -> None:
        c.setFont(font, size)
        # Render mode 2 (fill and stroke) thickens the strokes: the font has no bold face.
        mode = 2 if bold else 0
        c.setLineWidth(size * 0.04)
        baseline = top - ascent
        if align == "center":
            c.drawCentredString(x0 + inner / 2, baseline, body, mode=mode)
            return
        if prefix:
            # A box to tick by pen, as tall as a hanzi; the font's □ is too small.
            c.setLineWidth(size * 0.08)
            c.rect(x0 + size * 0.1, baseline - size * 0.05, size * 0.75, size * 0.75)
            c.setLineWidth(size * 0.04)
        c.drawString(x0 + indent * column, baseline, body, mode=mode)

    return _Band((ascent - descent) * 1.25, draw)


def _gap(height: float) -> _Band:
    return _Band(height, lambda c, top: None)


def _bands(slip: TicketSlip, font: str, x0: float, inner: float) -> list[_Band]:
    blocks = layout_ticket(slip)
    base = 2 * inner / PAPER_COLUMNS[slip.paper_width_mm]  # one hanzi, in points

    # Same size rules as raster mode: double height alone becomes a larger font.
    sizes: dict[str, float] = {}
    for block in blocks:
        if isinstance(block, TextLine) and block.role != "number":
            size = base * block.width_mul
            if block.height_mul > block.width_mul:
                natural = max(1.0, pdfmetrics.stringWidth(block.text, font, size))
                size = max(size, min(size * 1.4, size * inner / natural))
            sizes[block.role] = min(sizes.get(block.role, size), size)

    bands: list[_Band] = []
    for block in blocks:
        if isinstance(block, TextLine) and block.role == "number":
            bands.append(_number_band(font, block.text, x0, inner, base))
        elif isinstance(block, TextLine):
            size = sizes[block.role]
            bands.append(_text_band(font, block.text, size, x0, inner, block.align, block.bold))
        elif isinstance(block, Rule):

            def rule(c: Canvas, top: float) -> None:
                c.setLineWidth(0.25 * mm)
                c.line(x0, top - base * 0.4, x0 + inner, top - base * 0.4)

            bands.append(_Band(base * 0.8, rule))
        elif isinstance(block, Space):
            bands.append(_gap(base * 0.5))
        elif isinstance(block, QrBlock):
            bands.append(_qr_band(block.payload, _QR_MODULE_MM[slip.paper_width_mm] * mm, x0, inner))
    return bands


def _number_band(font: str, text: str, x0: float, inner: float, base: float) -> _Band:
    """The queue number as large as fits, its band sized to the digits' cap height."""
    cap = pdfmetrics.getFont(font).face.capHeight / 1000
    size = 0.36 * inner / cap  # cap height about a third of the printable width
    while pdfmetrics.stringWidth(text, font, size) > 0.9 * inner:
        size *= 0.95
    pad = base * 0.6

    def draw(c: Canvas, top: float) -> None:
        c.setFont(font, size)
        c.setLineWidth(size * 0.03)
        c.drawCentredString(x0 + inner / 2, top - pad - cap * size, text, mode=2)

    return _Band(cap * size + 2 * pad, draw)


def _qr_band(payload: str, module: float, x0: float, inner: float) -> _Band:
    modules = qr_modules(payload)
    side = len(modules) * module
    left = x0 + (inner - side) / 2

    def draw(c: Canvas, top: float) -> None:
        for r, row in enumerate(modules):
            for col, dark in enumerate(row):
                if dark:
                    c.rect(left + col * module, top - (r + 1) * module, module, module, stroke=0, fill=1)

    return _Band(side + module, draw)


def ticket_pdf(slip: TicketSlip) -> bytes:
    """The ticket as PDF bytes: one page, roll-width, with the bundled CJK font embedded."""
    font = register_reportlab_font()
    page_width = slip.paper_width_mm * mm
    inner = _PRINTABLE_MM[slip.paper_width_mm] * mm
    x0 = (page_width - inner) / 2
    bands = _bands(slip, font, x0, inner)
    page_height = sum(b.height for b in bands) + 2 * _TOP_BOTTOM_MM * mm

    buf = io.BytesIO()
    # Starting in our font keeps reportlab from referencing an unused Helvetica.
    c = Canvas(buf, pagesize=(page_width, page_height), pageCompression=1, initialFontName=font)
    c.setTitle(f"{slip.center_name} {slip.number}")
    c.setSubject(qr_payload(slip))
    c.setCreator("HallQueue")
    top = page_height - _TOP_BOTTOM_MM * mm
    for band in bands:
        band.draw(c, top)
        top -= band.height
    c.showPage()
    c.save()
    return buf.getvalue()

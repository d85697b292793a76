"""The content of a ticket as logical blocks, defined once for every renderer.

Text is wrapped here, in *display columns* of the printer's font A (12 x 24 dots): a
single-byte (ASCII) character takes one column and anything GB18030 encodes in two or
four bytes takes two, because that is how a Chinese-firmware printer lays them out. The
ESC/POS text renderer prints the lines as they are; the raster and PDF renderers draw the
same lines in proportion, so all three show the same words broken at the same places.
"""

from __future__ import annotations

import re
import unicodedata
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

import qrcode
import qrcode.constants

from shared.printing.slip import TicketSlip, qr_payload

Align = Literal["left", "center"]
Role = Literal[
    "title",
    "kind",
    "number",
    "service",
    "windows",
    "wait",
    "time",
    "heading",
    "material",
    "footer",
]

#: Columns of font A per line, and printable dots per line, for each roll width.
PAPER_COLUMNS: dict[int, int] = {58: 32, 80: 48}
PAPER_DOTS: dict[int, int] = {58: 384, 80: 576}

MATERIALS_HEADING = "请携带以下材料："
CHECKBOX = "□ "

# Kinsoku rules, reduced to what service-hall text actually contains.
_NO_LINE_START = set("，。、；：！？）》」』】〕〉”’…—·,.;:!?)]}%")
_NO_LINE_END = set("（《「『【〔〈“‘([{")


@dataclass(frozen=True)
class TextLine:
    """One printed line; ``width_mul`` x ``height_mul`` is the ESC/POS character size."""

    text: str
    role: Role
    align: Align = "left"
    bold: bool = False
    width_mul: int = 1
    height_mul: int = 1


@dataclass(frozen=True)
class Rule:
    """A horizontal separator across the paper."""


@dataclass(frozen=True)
class Space:
    """Vertical space of about half a body line."""


@dataclass(frozen=True)
class QrBlock:
    """The ticket's QR code, centred."""

    payload: str


Block = TextLine | Rule | Space | QrBlock


def char_columns(ch: str) -> int:
    """Display columns of one character on a GB18030 printer (see module docstring)."""
    return 1 if ord(ch) < 0x80 else 2


def display_width(text: str) -> int:
    """Display columns of ``text`` on a GB18030 printer."""
    return sum(char_columns(ch) for ch in text)


def clean_text(text: str) -> str:
    """NFC text with control and format characters removed.

    Slip text comes from the catalog and the database; a stray ESC or newline would
    otherwise be sent to the printer as a command or break the layout.
    """
    out: list[str] = []
    for ch in unicodedata.normalize("NFC", text):
        category = unicodedata.category(ch)
        if category == "Cc":
            out.append(" " if ch in "\t\n\r\x0b\x0c" else "")
        elif category not in ("Cf", "Cs", "Co", "Cn"):
            out.append(ch)
    return re.sub(" {2,}", " ", "".join(out)).strip()


def _atoms(text: str) -> list[str]:
    """Split into units a line may break between: ASCII words, single spaces, other chars."""
    atoms: list[str] = []
    word = ""
    for ch in text:
        if ch != " " and ord(ch) < 0x80:
            word += ch
            continue
        if word:
            atoms.append(word)
            word = ""
        atoms.append(ch)
    if word:
        atoms.append(word)
    return atoms


def _split_to_width(atom: str, width: int) -> list[str]:
    """Hard-break an atom wider than a whole line."""
    pieces: list[str] = []
    piece = ""
    for ch in atom:
        if piece and display_width(piece + ch) > width:
            pieces.append(piece)
            piece = ""
        piece += ch
    if piece:
        pieces.append(piece)
    return pieces


def wrap_atoms(atoms: Iterable[str], width: int, *, indent: int = 0) -> list[str]:
    """Greedy wrap of unbreakable atoms into lines of at most ``width`` columns.

    Continuation lines start with ``indent`` spaces (a hanging indent). Closing
    punctuation never starts a line and opening brackets never end one; the character
    next to them moves along to the new line instead. An atom wider than a line is
    broken between characters.
    """
    lines: list[list[str]] = []
    current: list[str] = []
    used = 0
    limit = width
    queue = deque(a for a in atoms if a)
    while queue:
        atom = queue.popleft()
        w = display_width(atom)
        if used + w <= limit:
            current.append(atom)
            used += w
            continue
        carried: list[str] = []
        if atom == " ":
            pass  # a space at a break disappears
        elif w > width - indent:
            room = limit - used
            head = _split_to_width(atom, room)[0] if room > 0 else ""
            if head and display_width(head) <= room:
                current.append(head)
                atom = atom[len(head) :]
            carried.append(atom)
        else:
            while current and current[-1] == " ":
                current.pop()
            if atom[0] in _NO_LINE_START and len(current) > 1:
                carried.append(current.pop())
            while len(current) > 1 and current[-1][-1] in _NO_LINE_END:
                carried.insert(0, current.pop())
            carried.append(atom)
        lines.append(current)
        current, used, limit = [], 0, width - indent
        queue.extendleft(reversed(carried))
    lines.append(current)
    pad = " " * indent
    texts = [(pad if i else "") + "".join(parts).rstrip() for i, parts in enumerate(lines)]
    return [text for text in texts if text.strip()]


def wrap(text: str, width: int, *, indent: int = 0) -> list[str]:
    """Wrap ``text`` to ``width`` display columns (see :func:`wrap_atoms`)."""
    return wrap_atoms(_atoms(clean_text(text)), width, indent=indent)


def _wrap_list(label: str, items: list[str], sep: str, width: int) -> list[str]:
    # Keep each item (e.g. "综合窗口 5") on one line whenever it fits on a line at all.
    atoms = _atoms(label)
    for i, item in enumerate(items):
        piece = clean_text(item) + (sep if i < len(items) - 1 else "")
        atoms.extend([piece] if display_width(piece) <= width else _atoms(piece))
    return wrap_atoms(atoms, width)


def _largest_fitting(text: str, columns: int, sizes: Iterable[int]) -> int:
    """The first magnification in ``sizes`` at which ``text`` fits on one line."""
    sizes = list(sizes)
    for size in sizes:
        if display_width(text) * size <= columns:
            return size
    return sizes[-1]


def qr_modules(payload: str) -> list[list[bool]]:
    """The QR matrix (True = dark, no quiet zone) every image renderer draws."""
    code = qrcode.QRCode(version=None, error_correction=qrcode.constants.ERROR_CORRECT_M, border=0)
    code.add_data(payload)
    code.make(fit=True)
    return [list(row) for row in code.get_matrix()]


def wait_text(people_ahead: int, estimated_wait_minutes: int | None,
              wait_range: tuple[int, int] | None = None) -> str:
    """ "前面还有 N 人，预计等候约 10–20 分钟" (the range when there is one, else "约 M
    分钟"), without the estimate when there is none or nobody is ahead."""
    text = f"前面还有 {people_ahead} 人"
    if estimated_wait_minutes is None or people_ahead == 0:
        return text
    if wait_range is not None and wait_range[1] > 0:
        low, high = wait_range
        text += f"，预计等候约 {high} 分钟内" if low <= 0 else f"，预计等候约 {low}–{high} 分钟"
    elif estimated_wait_minutes > 0:
        text += f"，预计等候约 {estimated_wait_minutes} 分钟"
    return text


def layout_ticket(slip: TicketSlip) -> list[Block]:
    """Turn a slip into the blocks every renderer prints, wrapped for its paper width."""
    cols = PAPER_COLUMNS[slip.paper_width_mm]
    blocks: list[Block] = []

    def lines(
        text: str,
        role: Role,
        *,
        align: Align = "left",
        bold: bool = False,
        width_mul: int = 1,
        height_mul: int = 1,
        indent: int = 0,
    ) -> None:
        for line in wrap(text, cols // width_mul, indent=indent):
            blocks.append(TextLine(line, role, align, bold, width_mul, height_mul))

    title = clean_text(slip.center_name)
    # Double width only if the name still fits on one line; a 58 mm roll gets tall text.
    title_w = _largest_fitting(title, cols, (2, 1))
    lines(title, "title", align="center", bold=True, width_mul=title_w, height_mul=2)
    blocks.append(Rule())

    if slip.kind_label:
        lines(f"【{clean_text(slip.kind_label)}】", "kind", align="center", bold=True, height_mul=2)
    number = clean_text(slip.number)
    size = _largest_fitting(number, cols, (6, 5, 4, 3, 2, 1) if cols >= 48 else (4, 3, 2, 1))
    lines(number, "number", align="center", bold=True, width_mul=size, height_mul=size)
    blocks.append(Rule())

    lines(f"办理业务：{slip.service_name}", "service", bold=True, height_mul=2)
    if slip.windows:
        for line in _wrap_list("办理窗口：", slip.windows, "、", cols):
            blocks.append(TextLine(line, "windows"))
    # Break after the comma rather than inside "15 分钟" on a narrow roll.
    wait = wait_text(slip.people_ahead, slip.estimated_wait_minutes,
                     slip.wait_range).partition("，")
    for line in wrap_atoms([wait[0] + wait[1], wait[2]], cols):
        blocks.append(TextLine(line, "wait", bold=True))
    lines(f"取号时间：{slip.issued_at.strftime('%Y-%m-%d %H:%M')}", "time")

    materials = [m for m in (clean_text(m) for m in slip.materials) if m]
    if materials:
        blocks.append(Rule())
        lines(MATERIALS_HEADING, "heading", bold=True)
        for material in materials:
            lines(CHECKBOX + material, "material", indent=display_width(CHECKBOX))

    blocks.append(Space())
    blocks.append(QrBlock(qr_payload(slip)))
    if clean_text(slip.footer):
        blocks.append(Space())
        lines(slip.footer, "footer", align="center")
    return blocks

"""A small, strict ESC/POS decoder for the byte streams HallQueue's ticket printing emits.

It understands ESC @, ESC a, ESC E, ESC !, ESC d, GS !, GS v 0, GS ( k (QR), GS V, FS &,
FS ., DLE EOT n, LF and text (GB18030 while Chinese mode is on, ASCII otherwise), and turns
them into printed items. Anything else raises :class:`DecodeError`, so a test notices
when the renderer starts sending something nobody checked.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Literal

from PIL import Image, ImageChops

Align = Literal["left", "center", "right"]

ESC, GS, FS, DLE, LF = 0x1B, 0x1D, 0x1C, 0x10, 0x0A
_ALIGNS: dict[int, Align] = {0: "left", 1: "center", 2: "right", 48: "left", 49: "center", 50: "right"}


class DecodeError(ValueError):
    """The bytes are not something our printing code is expected to send."""


@dataclass(frozen=True)
class Style:
    bold: bool = False
    width: int = 1  # character magnification, 1..8
    height: int = 1
    align: Align = "left"


@dataclass(frozen=True)
class TextLine:
    """One printed line of text (ended by LF, ESC d or a cut) and its style."""

    text: str
    bold: bool
    width: int
    height: int
    align: Align

    @property
    def size(self) -> tuple[int, int]:
        return (self.width, self.height)


@dataclass(frozen=True)
class RasterImage:
    """A GS v 0 raster image; in ``image`` (mode "1") black pixels are printed dots."""

    width: int
    height: int
    image: Image.Image = field(compare=False, repr=False)


@dataclass(frozen=True)
class QrCode:
    """A QR code printed by the printer itself (GS ( k)."""

    payload: str
    module_size: int
    error_correction: str
    align: Align


@dataclass(frozen=True)
class Feed:
    lines: int


@dataclass(frozen=True)
class Cut:
    partial: bool


@dataclass(frozen=True)
class Init:
    """ESC @: the printer forgets all modes."""


@dataclass(frozen=True)
class StatusQuery:
    """DLE EOT n real-time status request (1 printer, 2 off-line cause, 4 paper)."""

    n: int


Item = TextLine | RasterImage | QrCode | Feed | Cut | Init | StatusQuery


class _Decoder:
    def __init__(self, data: bytes) -> None:
        self.data = data
        self.pos = 0
        self.items: list[Item] = []
        self.style = Style()
        self.chinese = False
        self.line = bytearray()
        self.line_style = Style()
        self.qr_data = b""
        self.qr_size = 3
        self.qr_ec = "L"

    # -- helpers --
    def take(self, n: int, what: str) -> bytes:
        if self.pos + n > len(self.data):
            raise DecodeError(f"data ends inside {what} at byte {self.pos}")
        chunk = self.data[self.pos : self.pos + n]
        self.pos += n
        return chunk

    def byte(self, what: str) -> int:
        return self.take(1, what)[0]

    def set_style(self, what: str, **changes: object) -> None:
        new = replace(self.style, **changes)
        if self.line and new != self.line_style:
            raise DecodeError(f"{what} in the middle of a line at byte {self.pos}")
        self.style = new

    def flush(self) -> None:
        try:
            text = bytes(self.line).decode("gb18030")
        except UnicodeDecodeError as exc:
            raise DecodeError(f"invalid GB18030 text {bytes(self.line)!r}") from exc
        s = self.line_style if self.line else self.style
        self.items.append(TextLine(text, s.bold, s.width, s.height, s.align))
        self.line.clear()

    def need_line_start(self, what: str) -> None:
        if self.line:
            raise DecodeError(f"{what} after unfinished text {bytes(self.line)!r}")

    # -- commands --
    def esc(self) -> None:
        cmd = self.byte("ESC command")
        if cmd == ord("@"):
            self.need_line_start("ESC @")
            self.style = Style()
            self.chinese = False  # strict: the renderer must re-enable it after ESC @
            self.items.append(Init())
        elif cmd == ord("a"):
            n = self.byte("ESC a")
            if n not in _ALIGNS:
                raise DecodeError(f"ESC a {n}: bad alignment")
            self.set_style("ESC a", align=_ALIGNS[n])
        elif cmd == ord("E"):
            self.set_style("ESC E", bold=bool(self.byte("ESC E") & 1))
        elif cmd == ord("!"):
            n = self.byte("ESC !")
            self.set_style(
                "ESC !",
                bold=bool(n & 0x08),
                height=2 if n & 0x10 else 1,
                width=2 if n & 0x20 else 1,
            )
        elif cmd == ord("d"):
            n = self.byte("ESC d")
            if self.line:
                self.flush()
            self.items.append(Feed(n))
        else:
            raise DecodeError(f"unknown command ESC {cmd:#04x} at byte {self.pos - 2}")

    def gs(self) -> None:
        cmd = self.byte("GS command")
        if cmd == ord("!"):
            n = self.byte("GS !")
            self.set_style("GS !", width=(n >> 4) + 1, height=(n & 0x0F) + 1)
        elif cmd == ord("v"):
            self.raster()
        elif cmd == ord("("):
            self.two_d_code()
        elif cmd == ord("V"):
            m = self.byte("GS V")
            if m in (65, 66):
                self.byte("GS V n")
            elif m not in (0, 1, 48, 49):
                raise DecodeError(f"GS V {m}: unknown cut mode")
            if self.line:
                self.flush()
            self.items.append(Cut(partial=m in (1, 49, 66)))
        else:
            raise DecodeError(f"unknown command GS {cmd:#04x} at byte {self.pos - 2}")

    def raster(self) -> None:
        if self.byte("GS v") != ord("0"):
            raise DecodeError("only GS v 0 raster images are known")
        self.need_line_start("GS v 0")
        m = self.byte("GS v 0 m")
        if m not in (0, 48):
            raise DecodeError(f"GS v 0 with scaled mode {m} is not expected")
        xl, xh, yl, yh = self.take(4, "GS v 0 header")
        width_bytes, height = xl + 256 * xh, yl + 256 * yh
        bits = self.take(width_bytes * height, "GS v 0 image data")
        # In raster data a 1 bit is a printed dot; in PIL mode "1" 0 is black.
        img = ImageChops.invert(Image.frombytes("1", (width_bytes * 8, height), bits))
        self.items.append(RasterImage(width_bytes * 8, height, img))

    def two_d_code(self) -> None:
        if self.byte("GS (") != ord("k"):
            raise DecodeError("only GS ( k (2D codes) is known after GS (")
        pl, ph = self.take(2, "GS ( k length")
        body = self.take(pl + 256 * ph, "GS ( k data")
        if len(body) < 2 or body[0] != 49:
            raise DecodeError(f"GS ( k for a symbol other than QR: {body[:2]!r}")
        fn, rest = body[1], body[2:]
        if fn == 65:  # model
            if not rest or rest[0] not in (49, 50):
                raise DecodeError("QR model must be 1 or 2")
        elif fn == 67:
            self.qr_size = rest[0]
        elif fn == 69:
            self.qr_ec = "LMQH"[rest[0] - 48]
        elif fn == 80:
            if rest[:1] != b"0":
                raise DecodeError("QR store: m must be '0'")
            self.qr_data = bytes(rest[1:])
        elif fn == 81:
            self.need_line_start("QR print")
            self.items.append(
                QrCode(self.qr_data.decode("utf-8"), self.qr_size, self.qr_ec, self.style.align)
            )
        else:
            raise DecodeError(f"GS ( k QR function {fn} is not expected")

    def run(self) -> list[Item]:
        while self.pos < len(self.data):
            b = self.data[self.pos]
            self.pos += 1
            if b == ESC:
                self.esc()
            elif b == GS:
                self.gs()
            elif b == FS:
                cmd = self.byte("FS command")
                if cmd == ord("&"):
                    self.chinese = True
                elif cmd == ord("."):
                    self.need_line_start("FS .")
                    self.chinese = False
                else:
                    raise DecodeError(f"unknown command FS {cmd:#04x}")
            elif b == DLE:
                if self.byte("DLE command") != 0x04:
                    raise DecodeError("only DLE EOT is known after DLE")
                n = self.byte("DLE EOT n")
                if n not in (1, 2, 3, 4):
                    raise DecodeError(f"DLE EOT {n} is not a status request")
                self.items.append(StatusQuery(n))
            elif b == LF:
                self.flush()
            elif b < 0x20 or b == 0x7F:
                raise DecodeError(f"unexpected control byte {b:#04x} at byte {self.pos - 1}")
            else:
                if b >= 0x80 and not self.chinese:
                    raise DecodeError(f"byte {b:#04x} outside Chinese mode at {self.pos - 1}")
                if not self.line:
                    self.line_style = self.style
                self.line.append(b)
        if self.line:
            raise DecodeError(f"text {bytes(self.line)!r} never ended by a line feed")
        return self.items


def _join_images(items: list[Item]) -> list[Item]:
    """Merge raster slices sent back to back; on paper they are one picture."""
    out: list[Item] = []
    for item in items:
        prev = out[-1] if out else None
        if isinstance(item, RasterImage) and isinstance(prev, RasterImage) and prev.width == item.width:
            img = Image.new("1", (item.width, prev.height + item.height), 1)
            img.paste(prev.image, (0, 0))
            img.paste(item.image, (0, prev.height))
            out[-1] = RasterImage(item.width, img.height, img)
        else:
            out.append(item)
    return out


def decode(data: bytes, *, join_images: bool = True) -> list[Item]:
    """Decode an ESC/POS byte stream into printed items, strictly."""
    items = _Decoder(data).run()
    return _join_images(items) if join_images else items


def text_lines(items: list[Item]) -> list[TextLine]:
    return [item for item in items if isinstance(item, TextLine)]

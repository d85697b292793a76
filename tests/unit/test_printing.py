"""Ticket printing: layout, ESC/POS text and raster modes, printer URLs and status, PDF."""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from escpos.printer import Dummy, Serial, Usb
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image, ImageChops

from shared.errors import PrinterError, UsageError
from shared.printing.escpos_render import render_ticket, ticket_image
from shared.printing.layout import (
    TextLine as LayoutLine,
)
from shared.printing.layout import (
    display_width,
    layout_ticket,
    qr_modules,
    wait_text,
    wrap,
)
from shared.printing.pdf_ticket import ticket_pdf
from shared.printing.printers import TicketPrinterError, check_ready, open_printer, print_ticket
from shared.printing.slip import TicketSlip, qr_payload
from testkit.fake_printer import FakePrinter
from tests.escpos_decoder import (
    Cut,
    Init,
    QrCode,
    RasterImage,
    StatusQuery,
    TextLine,
    decode,
    text_lines,
)

SITE_TZ = ZoneInfo("Asia/Shanghai")

MATERIALS = [
    "身份证原件及复印件（夫妻双方均需提供）",
    "不动产权证书",
    "户口簿",
]
LONG_MATERIAL = "申请人及代理人的有效身份证明原件及复印件，委托办理的还需提交经公证的授权委托书"


def make_slip(**changes: Any) -> TicketSlip:
    values: dict[str, Any] = {
        "center_name": "淳安县行政服务中心",
        "ticket_id": 12345,
        "number": "A017",
        "service_name": "不动产登记",
        "windows": ["3号窗口", "综合窗口 5"],
        "people_ahead": 3,
        "estimated_wait_minutes": 15,
        "issued_at": datetime(2026, 11, 25, 9, 3, tzinfo=SITE_TZ),
        "materials": list(MATERIALS),
        "footer": "请留意叫号，过号需重新取号",
        "kind_label": "绿色通道",
        "paper_width_mm": 80,
    }
    values.update(changes)
    return TicketSlip(**values)


@pytest.fixture
def fake_printer() -> Iterator[FakePrinter]:
    with FakePrinter() as printer:
        yield printer


def rendered(slip: TicketSlip, mode: str) -> bytes:
    printer = Dummy()
    render_ticket(printer, slip, mode)  # type: ignore[arg-type]
    return bytes(printer.output)


def find_qr(img: Image.Image, modules: list[list[bool]]) -> bool:
    """Whether ``img`` contains exactly this QR matrix, at any position and module size.

    Finds the top-left finder pattern (a row of dark/light/dark/light/dark runs in the
    ratio 1:1:3:1:1) and then compares every module's centre pixel.
    """
    width, height = img.size
    px = img.load()
    n = len(modules)
    for y in range(height):
        row = [px[x, y] == 0 for x in range(width)]
        runs: list[tuple[bool, int, int]] = []  # (dark, start, length)
        for x, dark in enumerate(row):
            if runs and runs[-1][0] == dark:
                runs[-1] = (dark, runs[-1][1], runs[-1][2] + 1)
            else:
                runs.append((dark, x, 1))
        for i in range(len(runs) - 4):
            (d0, x0, a), (_, _, b), (_, _, c), (_, _, d), (_, _, e) = runs[i : i + 5]
            if not d0 or a < 2 or not (a == b == d == e and c == 3 * a):
                continue
            top = y
            while top > 0 and px[x0, top - 1] == 0:
                top -= 1
            if x0 + n * a > width or top + n * a > height:
                continue
            if all(
                (px[x0 + col * a + a // 2, top + r * a + a // 2] == 0) == modules[r][col]
                for r in range(n)
                for col in range(n)
            ):
                return True
    return False


def joined_material(lines: list[str], material: str) -> str:
    """The material's lines put back together (checkbox and hanging indent removed)."""
    start = next(
        i
        for i, line in enumerate(lines)
        if line == "□ " + material[:2] or line.startswith("□ " + material[:2])
    )
    parts = [lines[start][2:]]
    for line in lines[start + 1 :]:
        if not line.startswith("   "):
            break
        parts.append(line.strip())
    separator = " " if material.isascii() else ""
    return separator.join(parts)


# --- slip and layout -----------------------------------------------------------------------


def test_qr_payload_names_the_ticket() -> None:
    """The QR payload is HALLQ:T:<ticket id>:<number>."""
    assert qr_payload(make_slip()) == "HALLQ:T:12345:A017"


def test_slip_rejects_unknown_paper_and_naive_time() -> None:
    """A slip needs 58 or 80 mm paper and a timezone-aware issue time."""
    with pytest.raises(UsageError, match="70 mm"):
        make_slip(paper_width_mm=70)
    with pytest.raises(ValueError, match="timezone-aware"):
        make_slip(issued_at=datetime(2026, 11, 25, 9, 3))


def test_wait_text_leaves_out_a_missing_estimate() -> None:
    """Without an estimate the wait line only says how many people are ahead."""
    assert wait_text(3, 15) == "前面还有 3 人，预计等候约 15 分钟"
    assert wait_text(0, None) == "前面还有 0 人"


def test_wrap_counts_hanzi_as_two_columns_and_keeps_punctuation_attached() -> None:
    """Wrapped lines never exceed the width, and no line starts with closing punctuation."""
    text = "请携带身份证原件、复印件，以及 Marriage certificate（结婚证）。" * 3
    for width in (16, 20, 32):
        lines = wrap(text, width)
        assert all(display_width(line) <= width for line in lines)
        assert not any(line[0] in "，。、）" for line in lines)
        assert "".join(lines).replace(" ", "") == text.replace(" ", "")


@settings(max_examples=300, deadline=None)
@given(
    text=st.text(
        alphabet=st.sampled_from(list("办理不动产登记（）《》，。、：；！？“” abcXYZ019-()[].,")),
        max_size=120,
    ),
    width=st.integers(min_value=8, max_value=48),
    indent=st.integers(min_value=0, max_value=3),
)
def test_wrap_never_overflows_and_loses_nothing(text: str, width: int, indent: int) -> None:
    """For any text, wrapped lines fit the width and hold every non-space character in order."""
    lines = wrap(text, width, indent=indent)
    assert all(display_width(line) <= width for line in lines)
    assert all(line.startswith(" " * indent) for line in lines[1:])
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")


def test_control_characters_never_reach_the_printer() -> None:
    """Control characters in slip text are dropped, so text cannot smuggle in commands."""
    slip = make_slip(service_name="不动产\x1b@登记\n", footer="谢谢\x1d\x56\x00")
    lines = [line.text for line in text_lines(decode(rendered(slip, "text")))]
    assert "办理业务：不动产@登记" in lines
    assert "谢谢V" in lines


# --- text mode -------------------------------------------------------------------------------


def test_text_ticket_over_network_prints_every_part(fake_printer: FakePrinter) -> None:
    """A text-mode ticket sent to a network printer decodes to all its content and a cut."""
    slip = make_slip()
    print_ticket(fake_printer.url, slip, "text")
    fake_printer.wait_idle()
    items = decode(fake_printer.received)

    # Status before the ticket, the ticket, status after it to confirm it arrived.
    assert items[:2] == [StatusQuery(1), Init()]
    assert items[-1:] == [StatusQuery(4)]
    assert isinstance(items[-2], Cut)
    lines = text_lines(items)
    texts = [line.text for line in lines]
    assert TextLine("淳安县行政服务中心", True, 2, 2, "center") in lines
    number = next(line for line in lines if line.text == "A017")
    assert number.width >= 4 and number.height >= 4 and number.bold
    assert number.align == "center"
    assert "办理业务：不动产登记" in texts
    assert any("3号窗口" in t and "综合窗口 5" in t for t in texts)
    assert any("前面还有 3 人" in t and "预计等候约 15 分钟" in t for t in texts)
    assert any("2026-11-25 09:03" in t for t in texts)
    assert "请携带以下材料：" in texts
    for material in MATERIALS:
        assert "□ " + material in texts
    assert "请留意叫号，过号需重新取号" in texts
    assert "【绿色通道】" in texts
    qr = [item for item in items if isinstance(item, QrCode)]
    assert qr == [QrCode("HALLQ:T:12345:A017", 6, "M", "center")]
    assert all(display_width(line.text) * line.width <= 48 for line in lines)


def test_58mm_text_wraps_long_materials_within_32_columns() -> None:
    """On 58 mm paper every printed line fits 32 columns, long materials wrap with an indent."""
    english = "Notarized translation of the marriage certificate issued abroad"
    slip = make_slip(paper_width_mm=58, materials=[LONG_MATERIAL, english, "户口簿"])
    items = decode(rendered(slip, "text"))
    lines = text_lines(items)
    assert lines, "nothing printed"
    for line in lines:
        assert display_width(line.text) * line.width <= 32, line
    texts = [line.text for line in lines]
    assert joined_material(texts, LONG_MATERIAL) == LONG_MATERIAL
    assert joined_material(texts, english) == english
    assert "□ 户口簿" in texts
    number = next(line for line in lines if line.text == "A017")
    assert number.width * 4 <= 32


def test_text_mode_sends_gb18030_inside_chinese_mode_only() -> None:
    """Text mode switches Chinese mode on (FS &) before hanzi and off (FS .) before the cut."""
    data = rendered(make_slip(), "text")
    assert data.startswith(b"\x1b@\x1c&")
    assert "淳安县行政服务中心".encode("gb18030") in data
    assert data.rindex(b"\x1c.") < data.rindex(b"\x1dV")


# --- raster mode -----------------------------------------------------------------------------


def test_raster_ticket_is_one_full_width_image_with_the_qr(fake_printer: FakePrinter,
                                                           screenshot_dir: Path) -> None:
    """A raster ticket is one 576-dot image with ink and the ticket's QR code, then a cut."""
    slip = make_slip()
    print_ticket(fake_printer.url, slip, "raster")
    fake_printer.wait_idle()
    items = decode(fake_printer.received)

    images = [item for item in items if isinstance(item, RasterImage)]
    assert len(images) == 1
    image = images[0]
    assert image.width == 576
    assert not text_lines(items)
    assert isinstance(items[-2], Cut)
    dark = image.image.histogram()[0] / (image.width * image.height)
    assert 0.03 < dark < 0.5
    assert find_qr(image.image, qr_modules(qr_payload(slip)))
    # What the printer received is exactly the drawing.
    assert ImageChops.difference(image.image, ticket_image(slip)).getbbox() is None

    image.image.save(screenshot_dir / "ticket-raster-80mm.png")


def test_58mm_raster_ticket_is_384_dots_wide() -> None:
    """On 58 mm paper the raster ticket is 384 dots wide and still carries the QR code."""
    slip = make_slip(paper_width_mm=58, materials=[LONG_MATERIAL])
    images = [item for item in decode(rendered(slip, "raster")) if isinstance(item, RasterImage)]
    assert [img.width for img in images] == [384]
    assert find_qr(images[0].image, qr_modules(qr_payload(slip)))


# --- printer status and failures -------------------------------------------------------------


def test_paper_out_stops_before_the_ticket() -> None:
    """Paper out raises PrinterError and nothing but the status queries reaches the printer."""
    with FakePrinter.out_of_paper() as printer:
        with pytest.raises(PrinterError) as caught:
            print_ticket(printer.url, make_slip(), "text")
        printer.wait_idle()
        assert set(decode(printer.received)) <= {StatusQuery(1), StatusQuery(2), StatusQuery(4)}
    error = caught.value
    assert isinstance(error, TicketPrinterError)
    assert "缺纸" in str(error)
    assert error.reason == "paper_out" and not error.ticket_started
    assert "paper" in error.detail


def test_open_cover_is_reported_by_check_ready() -> None:
    """check_ready() asks for the off-line cause and reports an open cover as such."""
    with FakePrinter(cover_open=True) as fake:
        printer = open_printer(fake.url, timeout=2)
        try:
            with pytest.raises(PrinterError, match="盖未合上") as caught:
                check_ready(printer, url=fake.url)
        finally:
            printer.close()
        fake.wait_idle()
        assert decode(fake.received) == [StatusQuery(1), StatusQuery(2)]
    assert caught.value.reason == "cover_open"  # type: ignore[attr-defined]


def test_paper_near_end_still_prints_and_warns(caplog: pytest.LogCaptureFixture) -> None:
    """A nearly empty roll still prints the ticket and logs a warning for staff."""
    with FakePrinter(paper="near_end") as fake:
        print_ticket(fake.url, make_slip(), "text")
        fake.wait_idle()
        assert any(isinstance(item, Cut) for item in decode(fake.received))
    assert "nearly used up" in caplog.text


def test_printer_without_status_replies_counts_as_not_connected() -> None:
    """A printer that never answers DLE EOT raises PrinterError after the timeout, unprinted."""
    with FakePrinter.silent() as printer:
        with pytest.raises(PrinterError, match="未连接") as caught:
            print_ticket(printer.url, make_slip(), "text", timeout=0.3)
        printer.wait_idle()
        assert decode(printer.received) == [StatusQuery(1)]
    assert caught.value.reason == "no_answer"  # type: ignore[attr-defined]


def test_check_false_prints_without_status_queries() -> None:
    """With check=False a silent printer still gets the ticket and no status request."""
    with FakePrinter.silent() as printer:
        print_ticket(printer.url, make_slip(), "text", check=False, timeout=0.3)
        printer.wait_idle()
        items = decode(printer.received)
    assert not any(isinstance(item, StatusQuery) for item in items)
    assert isinstance(items[-1], Cut)


@pytest.mark.parametrize("mode", ["text", "raster"])
def test_connection_dropped_mid_ticket_raises(mode: str) -> None:
    """A printer that drops the connection mid-ticket raises PrinterError saying so."""
    with FakePrinter.dropping_after(200) as printer:
        with pytest.raises(PrinterError, match="打印中断") as caught:
            print_ticket(printer.url, make_slip(), mode)  # type: ignore[arg-type]
        printer.wait_idle()
        assert len(printer.received) == 200
    error = caught.value
    assert isinstance(error, TicketPrinterError)
    assert error.ticket_started and error.reason == "interrupted"


def test_unreachable_printer_raises_printer_error() -> None:
    """Nobody listening on the printer's port is a PrinterError, not a crash."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(PrinterError, match="未连接") as caught:
        open_printer(f"tcp://127.0.0.1:{port}", timeout=1)
    assert f"127.0.0.1:{port}" in caught.value.detail  # type: ignore[attr-defined]


BAD_URLS = [
    "192.168.1.50",
    "http://192.168.1.50",
    "tcp://",
    "tcp://printer.local:abc",
    "tcp://printer.local:0",
    "tcp://printer.local:70000",
    "tcp://printer.local:9100/queue",
    "tcp://printer.local?timeout=3",
    "usb://0x0416",
    "usb://0x0416:zz",
    "usb://0x0416:0x5011?endpoint=1",
    "serial://",
    "serial:///dev/ttyUSB0?baudrate=9601",
    "serial:///dev/ttyUSB0?speed=9600",
    "file://",
    "file://host/dev/usb/lp0",
]


@pytest.mark.parametrize("url", BAD_URLS)
def test_bad_printer_url_is_a_usage_error_naming_it(url: str) -> None:
    """A malformed printer URL raises UsageError whose message quotes the URL."""
    with pytest.raises(UsageError) as caught:
        open_printer(url)
    assert url in str(caught.value)


@pytest.mark.skipif(sys.platform == "win32", reason="win32raw is valid on Windows")
def test_win32raw_url_elsewhere_says_windows_only() -> None:
    """A win32raw:// printer outside Windows is refused with a clear message."""
    with pytest.raises(UsageError, match="only work on Windows"):
        open_printer("win32raw://POS-80 Printer")


@pytest.mark.parametrize(
    ("url", "connector"),
    [("usb://0x0416:0x5011", Usb), ("serial:///dev/ttyUSB0?baudrate=115200", Serial)],
)
def test_missing_connector_library_is_a_printer_error(url: str, connector: Any) -> None:
    """A USB or serial printer without pyusb / pyserial installed is a PrinterError saying so."""
    if connector.is_usable():
        pytest.skip(f"{connector.__name__}'s library is installed here")
    with pytest.raises(PrinterError, match="驱动") as caught:
        open_printer(url)
    assert connector.__name__ in caught.value.detail  # type: ignore[attr-defined]


def test_a_ticket_asks_for_status_once_before_and_once_after() -> None:
    """A healthy printer is asked DLE EOT 1 before the ticket and DLE EOT 4 after the cut."""
    with FakePrinter() as fake:
        print_ticket(fake.url, make_slip(), "raster")
        fake.wait_idle()
        items = decode(fake.received)
    assert fake.status_queries[0] == 1 and fake.status_queries[-1] == 4
    # The raster image may contain DLE EOT byte patterns the printer answers too; the
    # queries HallQueue makes are the first item and the one after the cut.
    assert items[0] == StatusQuery(1) and isinstance(items[-2], Cut) and items[-1] == StatusQuery(4)


def test_slow_status_replies_cost_two_waits_per_ticket() -> None:
    """Replies that take 0.8 s each: the ticket prints after two of them, not six."""
    with FakePrinter.slow_status(0.8) as fake:
        began = time.monotonic()
        print_ticket(fake.url, make_slip(), "text", timeout=1.5)
        took = time.monotonic() - began
        fake.wait_idle()
    assert fake.status_queries == [1, 4]
    assert 1.6 <= took < 2.8


def test_check_before_false_asks_only_after_the_ticket() -> None:
    """The kiosk checks before issuing, so its print asks only once, after the cut."""
    with FakePrinter() as fake:
        print_ticket(fake.url, make_slip(), "text", check_before=False)
        fake.wait_idle()
    assert fake.status_queries == [4]


def test_paper_running_out_during_the_ticket_is_interrupted_paper_out() -> None:
    """The after-ticket query sees the paper end: reported as paper out, ticket started."""

    class RunsOut(FakePrinter):
        def status_byte(self, n: int) -> int:
            if n == 4:
                self.paper = "out"
            return super().status_byte(n)

    with RunsOut() as fake, pytest.raises(TicketPrinterError) as caught:
        print_ticket(fake.url, make_slip(), "text")
    assert caught.value.reason == "paper_out" and caught.value.ticket_started


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_fifo_without_a_reader_fails_within_the_timeout(tmp_path: Path) -> None:
    """A file:// device nobody reads (a FIFO without a reader) is 'not connected' after the
    timeout instead of blocking the kiosk in open()."""
    fifo = tmp_path / "lp0"
    os.mkfifo(fifo)
    began = time.monotonic()
    with pytest.raises(TicketPrinterError) as caught:
        print_ticket(f"file://{fifo}", make_slip(), "text", timeout=0.5)
    assert time.monotonic() - began < 2
    assert caught.value.reason == "unreachable" and not caught.value.ticket_started
    assert str(fifo) in caught.value.detail


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_fifo_whose_reader_stops_reading_fails_within_the_timeout(tmp_path: Path) -> None:
    """A device that opens but stops taking bytes mid-ticket (the pipe's buffer is full):
    the write gives up after the timeout and the ticket is reported interrupted."""
    fifo = tmp_path / "lp0"
    os.mkfifo(fifo)
    reader = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)  # opens, never reads
    try:
        began = time.monotonic()
        with pytest.raises(TicketPrinterError) as caught:
            print_ticket(f"file://{fifo}", make_slip(materials=[LONG_MATERIAL]), "raster",
                         timeout=0.5)
        assert time.monotonic() - began < 3
    finally:
        os.close(reader)
    assert caught.value.reason == "interrupted" and caught.value.ticket_started
    assert "took no bytes" in caught.value.detail


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_fifo_with_a_reader_gets_the_whole_ticket(tmp_path: Path) -> None:
    """A FIFO whose reader appears a moment after the kiosk opens it still gets the ticket."""
    fifo = tmp_path / "lp0"
    os.mkfifo(fifo)
    received = bytearray()

    def read_all() -> None:
        time.sleep(0.2)
        with open(fifo, "rb") as pipe:
            while chunk := pipe.read(4096):
                received.extend(chunk)

    reader = threading.Thread(target=read_all)
    reader.start()
    print_ticket(f"file://{fifo}", make_slip(), "raster", timeout=2)
    reader.join(5)
    items = decode(bytes(received))
    assert items[0] == Init() and isinstance(items[-1], Cut)


def test_file_printer_receives_the_ticket(tmp_path: Path) -> None:
    """A file:// printer gets the same ticket bytes; it cannot report status, so none is asked."""
    target = tmp_path / "lp0"
    print_ticket(f"file://{target}", make_slip(), "text")
    items = decode(target.read_bytes())
    assert items[0] == Init() and isinstance(items[-1], Cut)


# --- PDF -------------------------------------------------------------------------------------


def _poppler(*args: str) -> str:
    return subprocess.run(args, check=True, capture_output=True, text=True).stdout


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils")
def test_pdf_ticket_is_one_page_with_embedded_cjk_font(tmp_path: Path, screenshot_dir: Path) -> None:
    """The PDF has one roll-wide page, embeds the CJK font, and its text has the ticket."""
    slip = make_slip()
    pdf = tmp_path / "ticket.pdf"
    pdf.write_bytes(ticket_pdf(slip))

    info = _poppler("pdfinfo", str(pdf))
    assert "Pages:           1" in info
    assert re.search(r"Page size: +226\.77\d* x", info)  # 80 mm wide
    fonts = _poppler("pdffonts", str(pdf)).splitlines()[2:]
    assert fonts and all(line.split()[-5] == "yes" for line in fonts)  # emb column
    assert any("HallQueueCJK" in line for line in fonts)
    text = _poppler("pdftotext", "-layout", str(pdf), "-")
    for expected in [
        "淳安县行政服务中心",
        "A017",
        "办理业务：不动产登记",
        "前面还有 3 人",
        "2026-11-25 09:03",
        *MATERIALS,
    ]:
        assert expected in text

    _poppler("pdftoppm", "-png", "-r", "200", "-singlefile", str(pdf), str(screenshot_dir / "ticket-pdf"))


def test_every_renderer_uses_the_same_layout_lines() -> None:
    """Text mode prints exactly the layout's lines, so raster and PDF show the same content."""
    slip = make_slip(paper_width_mm=58, materials=[LONG_MATERIAL])
    expected = [b.text for b in layout_ticket(slip) if isinstance(b, LayoutLine)]
    printed = [line.text for line in text_lines(decode(rendered(slip, "text"))) if line.text]
    assert [t for t in printed if not t.startswith("---")] == expected

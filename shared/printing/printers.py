"""Reach a ticket printer from one URL, check it is ready, and print one ticket.

Every failure a citizen could meet becomes a :class:`TicketPrinterError` (a
:class:`~shared.errors.PrinterError`) whose message is Chinese, for the kiosk screen, and
whose ``detail`` is English, for the log. Nothing is retried here: resending a ticket that
may have half printed would hand out two slips, so the caller decides on a reprint.
"""

from __future__ import annotations

import errno
import logging
import os
import select
import socket
import sys
import threading
import time
from collections.abc import Callable
from typing import Literal, TypeVar
from urllib.parse import parse_qsl, unquote, urlsplit

from escpos.escpos import Escpos
from escpos.exceptions import Error as EscposError
from escpos.printer import File, Network, Serial, Usb, Win32Raw

from shared.errors import PrinterError, UsageError
from shared.printing.escpos_render import RenderMode, render_ticket, send_raster, ticket_image
from shared.printing.slip import TicketSlip

log = logging.getLogger(__name__)

T = TypeVar("T")

Reason = Literal["paper_out", "cover_open", "offline", "no_answer", "unreachable", "interrupted", "driver"]

# The citizen's message of each reason, "中文 (English)" like the queue core's errors
# (shared/i18n.py shows the half of the current language); the detail is for the log.
MESSAGES: dict[Reason, str] = {
    "paper_out": "打印机缺纸，请联系工作人员。 (The printer is out of paper. Please contact staff.)",
    "cover_open": "打印机盖未合上，请联系工作人员。 (The printer's cover is open. Please contact "
                  "staff.)",
    "offline": "打印机暂停工作，请联系工作人员。 (The printer has stopped. Please contact staff.)",
    "no_answer": "打印机未连接或无响应，请联系工作人员。 (The printer is not connected or does not "
                 "answer. Please contact staff.)",
    "unreachable": "打印机未连接，请联系工作人员。 (The printer is not connected. Please contact "
                   "staff.)",
    "interrupted": "打印中断，凭条可能不完整，请联系工作人员补打。 (Printing was interrupted and the "
                   "slip may be incomplete. Please ask staff to reprint it.)",
    "driver": "打印机驱动未安装，请联系工作人员。 (The printer's driver is not installed. Please "
              "contact staff.)",
}

DEFAULT_TCP_PORT = 9100
SCHEMES = ("tcp", "usb", "serial", "file", "win32raw")
_BAUD_RATES = {1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200, 230400}

# DLE EOT n real-time status requests and the bits of their one-byte replies.
DLE_EOT = b"\x10\x04"
STATUS_PRINTER, STATUS_OFFLINE_CAUSE, STATUS_PAPER = 1, 2, 4
_FIXED_MASK, _FIXED_BITS = 0x93, 0x12  # bits 0,1,4,7 are fixed 0,1,1,0 in every reply
_OFFLINE = 0x08  # n=1: printer is off line
_COVER_OPEN = 0x04  # n=2: cover is open
_PAPER_END_STOP = 0x20  # n=2: printing stopped because the paper ran out
_PAPER_NEAR_END = 0x0C  # n=4: near-end sensor
_PAPER_END = 0x60  # n=4: roll end sensor


class TicketPrinterError(PrinterError):
    """The ticket printer cannot print right now.

    ``reason`` is one of :data:`Reason`; ``detail`` is an English explanation for the
    log; ``ticket_started`` tells whether ticket bytes may already have reached the
    printer, i.e. whether a partial slip may exist.
    """

    def __init__(self, reason: Reason, detail: str, *, url: str = "", ticket_started: bool = False) -> None:
        super().__init__(MESSAGES[reason])
        self.reason: Reason = reason
        self.detail = f"{url}: {detail}" if url else detail
        self.url = url
        self.ticket_started = ticket_started


# --- a file:// printer with bounded open and writes ----------------------------------------

_RETRY_OPEN_S = 0.05  # how often a FIFO without a reader is tried again until the deadline


def _within(seconds: float, what: str, work: Callable[[], T]) -> T:
    """Run ``work`` in a worker thread and give up after ``seconds``.

    For calls that have no timeout of their own (a Windows file or spooler handle); a call
    that never returns is left to its daemon thread, the kiosk moves on.
    """
    outcome: list[T] = []
    failure: list[BaseException] = []

    def run() -> None:
        try:
            outcome.append(work())
        except BaseException as exc:  # handed to the waiting thread
            failure.append(exc)

    worker = threading.Thread(target=run, name=f"printer {what}", daemon=True)
    worker.start()
    worker.join(seconds)
    if worker.is_alive():
        raise TimeoutError(f"{what} did not finish within {seconds:g} s")
    if failure:
        raise failure[0]
    return outcome[0]


class BoundedFile(File):
    """python-escpos's File printer, but opening and each write end within ``timeout``.

    ``File`` opens with a blocking ``open()``: a FIFO nobody reads, or a device node that
    never takes bytes, would hold the kiosk forever. Here the file is opened non-blocking
    (a FIFO without a reader is tried again until the deadline) and every write waits for
    the device with ``select`` up to ``timeout``. Windows has no non-blocking files, so
    there each open and write runs in a worker thread with that deadline.
    """

    def __init__(self, devfile: str, *, timeout: float) -> None:
        super().__init__(devfile)
        self.timeout = timeout
        self._fd: int | None = None

    def open(self, raise_not_found: bool = True) -> None:
        if os.name == "nt":
            flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_BINARY", 0)
            self._fd = _within(self.timeout, "opening the printer file",
                               lambda: os.open(self.devfile, flags, 0o666))
        else:
            self._fd = self._open_nonblocking()
        self.device = self._fd

    def _open_nonblocking(self) -> int:  # posix-only: open() calls it when os.name != "nt"
        flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NONBLOCK | os.O_CLOEXEC
        deadline = time.monotonic() + self.timeout
        while True:
            try:
                return os.open(self.devfile, flags, 0o666)
            except OSError as exc:
                # ENXIO: a FIFO (or a device) with nobody on the other end yet.
                if exc.errno != errno.ENXIO:
                    raise
                if time.monotonic() >= deadline:
                    raise TimeoutError(
                        f"nothing reads {self.devfile} (no reader within {self.timeout:g} s)"
                    ) from None
                time.sleep(_RETRY_OPEN_S)

    def _raw(self, msg: bytes) -> None:
        fd = self._fd
        if fd is None:
            raise OSError(errno.EBADF, "the printer file is not open")
        if os.name == "nt":
            _within(self.timeout, "writing to the printer file", lambda: _write_all(fd, msg))
            return
        view = memoryview(msg)
        while view:
            _, writable, _ = select.select([], [fd], [], self.timeout)
            if not writable:
                raise TimeoutError(
                    f"{self.devfile} took no bytes for {self.timeout:g} s "
                    f"({len(view)} of {len(msg)} bytes unsent)")
            try:
                view = view[os.write(fd, view):]
            except BlockingIOError:
                continue

    def flush(self) -> None:
        """Every write goes straight to the file descriptor; nothing is buffered."""

    def close(self) -> None:
        # getattr: python-escpos calls close() from __del__, also of a half-built object.
        fd, self._fd = getattr(self, "_fd", None), None
        self._device = False
        if fd is not None:
            os.close(fd)


class BoundedWin32Raw(Win32Raw):
    """Win32Raw whose spooler calls (open the job, write) end within ``timeout``."""

    def __init__(self, printer_name: str, *, timeout: float) -> None:
        super().__init__(printer_name)
        self.timeout = timeout

    def open(self, job_name: str = "HallQueue ticket", raise_not_found: bool = True) -> None:
        _within(self.timeout, "opening the Windows printer",
                lambda: Win32Raw.open(self, job_name, raise_not_found))

    def _raw(self, msg: bytes) -> None:
        _within(self.timeout, "writing to the Windows printer", lambda: Win32Raw._raw(self, msg))


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


# --- opening -----------------------------------------------------------------------------


def _bad_url(url: str, problem: str) -> UsageError:
    return UsageError(f"printer URL {url!r}: {problem}")


def _parse_int(url: str, text: str, what: str) -> int:
    try:
        return int(text, 0)
    except ValueError:
        raise _bad_url(url, f"{what} {text!r} is not a number") from None


def _query(url: str, query: str, allowed: set[str]) -> dict[str, str]:
    params = dict(parse_qsl(query, keep_blank_values=True))
    unknown = sorted(set(params) - allowed)
    if unknown:
        known = ", ".join(sorted(allowed)) or "none"
        raise _bad_url(url, f"unknown option {unknown[0]!r} (known: {known})")
    return params


def _require(connector: type[Usb | Serial | Win32Raw], url: str, package: str) -> None:
    """Refuse a connector whose optional library is missing, before building it.

    Built without its library, python-escpos's Usb even raises from ``__del__``.
    """
    if not connector.is_usable():
        raise TicketPrinterError("driver", f"{connector.__name__} printers need {package} installed", url=url)


def _connector(url: str, timeout: float) -> Escpos:
    """Build the python-escpos connector for ``url`` without opening it."""
    scheme, sep, rest = url.partition("://")
    scheme = scheme.lower()
    if not sep or scheme not in SCHEMES:
        raise _bad_url(url, f"must start with one of {', '.join(s + '://' for s in SCHEMES)}")
    if scheme == "win32raw":
        if sys.platform != "win32":
            raise _bad_url(url, "win32raw:// printers only work on Windows")
        name = unquote(rest).strip()
        if not name:
            raise _bad_url(url, "missing the Windows printer name")
        _require(Win32Raw, url, "pywin32")
        return BoundedWin32Raw(name, timeout=timeout)

    parts = urlsplit(url)
    if parts.fragment:
        raise _bad_url(url, "unexpected '#' part")
    if scheme == "tcp":
        _query(url, parts.query, set())
        if parts.path not in ("", "/"):
            raise _bad_url(url, "expected tcp://HOST or tcp://HOST:PORT, nothing after it")
        try:
            host, port = parts.hostname, parts.port
        except ValueError:
            raise _bad_url(url, "the port must be a number from 1 to 65535") from None
        if not host:
            raise _bad_url(url, "missing the printer's host name or IP address")
        if ":" in host:
            raise _bad_url(url, "IPv6 addresses are not supported; use IPv4 or a host name")
        if port == 0:
            raise _bad_url(url, "the port must be a number from 1 to 65535")
        return Network(host, port or DEFAULT_TCP_PORT, timeout=timeout)
    if scheme == "usb":
        params = _query(url, parts.query, {"in_ep", "out_ep"})
        vendor, colon, product = parts.netloc.partition(":")
        if not colon or not vendor or not product or parts.path not in ("", "/"):
            raise _bad_url(url, "expected usb://VENDOR:PRODUCT, e.g. usb://0x0416:0x5011")
        ids = [_parse_int(url, v, "USB id") for v in (vendor, product)]
        if not all(0 < i <= 0xFFFF for i in ids):
            raise _bad_url(url, "USB vendor and product ids are 16-bit numbers")
        endpoints = {k: _parse_int(url, v, k) for k, v in params.items()}
        _require(Usb, url, "pyusb (and libusb)")
        # pyusb counts its timeout in milliseconds.
        return Usb(ids[0], ids[1], timeout=int(timeout * 1000), **endpoints)
    if scheme == "serial":
        params = _query(url, parts.query, {"baudrate"})
        device = unquote(parts.netloc + parts.path)
        if not device:
            raise _bad_url(url, "missing the serial device, e.g. serial:///dev/ttyUSB0")
        baudrate = _parse_int(url, params.get("baudrate", "9600"), "baudrate")
        if baudrate not in _BAUD_RATES:
            raise _bad_url(url, f"unsupported baudrate {baudrate}")
        _require(Serial, url, "pyserial")
        return Serial(device, baudrate=baudrate, timeout=timeout)
    # file://
    _query(url, parts.query, set())
    path = unquote(parts.path)
    if parts.netloc or not path:
        raise _bad_url(url, "expected file:///ABSOLUTE/PATH, e.g. file:///dev/usb/lp0")
    return BoundedFile(path, timeout=timeout)


def _open_network(printer: Network) -> None:
    """Connect like ``Network.open()``, but close the socket when connecting fails.

    python-escpos drops the failed socket without closing it, leaking a descriptor per
    attempt on a kiosk that keeps retrying an unplugged printer.
    """
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        sock.settimeout(printer.timeout)
        # Status queries are a few bytes each way: without NODELAY, Nagle plus delayed
        # ACKs add tens of milliseconds to every ticket.
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        sock.connect((printer.host, printer.port))
    except OSError:
        sock.close()
        raise
    printer.device = sock


def open_printer(url: str, *, timeout: float = 5.0) -> Escpos:
    """Open the printer named by ``url``; ``timeout`` bounds connecting, writes and status.

    URLs: ``tcp://HOST[:PORT]`` (port 9100 by default), ``usb://VENDOR:PRODUCT`` (optional
    ``?in_ep=0x81&out_ep=0x03``), ``serial:///dev/ttyUSB0?baudrate=9600`` (or
    ``serial://COM3``), ``file:///dev/usb/lp0`` and, on Windows, ``win32raw://PRINTER NAME``.
    Every connector ends opening, each write and each status read within ``timeout``
    (a file whose reader never comes or never reads included; win32raw's spooler calls
    run in a worker thread with that deadline). A malformed URL raises
    :class:`UsageError`; an unreachable printer :class:`TicketPrinterError`.
    """
    printer = _connector(url, timeout)
    try:
        if isinstance(printer, Network):
            _open_network(printer)
        else:
            printer.open()
    except RuntimeError as exc:
        raise TicketPrinterError("driver", str(exc), url=url) from exc
    except (EscposError, OSError) as exc:
        raise TicketPrinterError("unreachable", f"cannot open: {exc}", url=url) from exc
    if isinstance(printer, Serial):
        # pyserial writes block forever by default, e.g. while flow control says busy.
        printer.device.write_timeout = timeout
    return printer


# --- status ------------------------------------------------------------------------------


def _can_read(printer: Escpos) -> bool:
    return isinstance(printer, Network | Serial | Usb)


def _drain(printer: Escpos) -> None:
    """Discard unread input so the next reply read is the answer to the next query.

    Printers answer DLE EOT even when the byte pattern occurs inside image data, which
    leaves stray status bytes waiting after a raster ticket.
    """
    if isinstance(printer, Network):
        sock: socket.socket = printer.device
        previous = sock.gettimeout()
        sock.settimeout(0)
        try:
            while sock.recv(256):
                pass
        except (BlockingIOError, InterruptedError):
            pass
        finally:
            sock.settimeout(previous)
    elif isinstance(printer, Serial):
        printer.device.reset_input_buffer()


def _read_some(printer: Escpos, seconds: float) -> bytes:
    """What the printer sends within ``seconds``: returns as soon as any byte arrives.

    python-escpos's own reads wait for 16 bytes on a serial port (the whole timeout for
    every one-byte status reply) and use pyusb's default timeout on USB.
    """
    seconds = max(seconds, 0.001)
    if isinstance(printer, Network):
        sock: socket.socket = printer.device
        previous = sock.gettimeout()
        sock.settimeout(seconds)
        try:
            data = sock.recv(16)
        except TimeoutError:
            return b""
        finally:
            sock.settimeout(previous)
        if not data:
            raise ConnectionResetError("the printer closed the connection")
        return data
    if isinstance(printer, Serial):
        port = printer.device
        previous = port.timeout
        port.timeout = seconds
        try:
            data = bytes(port.read(1))
            if data and port.in_waiting:
                data += bytes(port.read(port.in_waiting))
            return data
        finally:
            port.timeout = previous
    if isinstance(printer, Usb):
        import usb.core

        try:
            return bytes(printer.device.read(printer.in_ep, 16, max(1, int(seconds * 1000))))
        except usb.core.USBTimeoutError:
            return b""
    raise TypeError(f"{type(printer).__name__} cannot read status replies")


def _status(printer: Escpos, n: int, url: str, started: bool, timeout: float) -> int:
    """Send DLE EOT n and return the status byte, or raise if none comes within ``timeout``."""
    deadline = time.monotonic() + timeout
    reply = b""
    try:
        printer._raw(DLE_EOT + bytes([n]))
        while (left := deadline - time.monotonic()) > 0:
            chunk = _read_some(printer, left)
            reply += chunk
            # The last well-formed byte wins: anything before it is a stale reply.
            for byte in reversed(chunk):
                if byte & _FIXED_MASK == _FIXED_BITS:
                    return byte
    except (OSError, EscposError) as exc:  # TimeoutError included
        raise TicketPrinterError(
            "interrupted" if started else "no_answer",
            f"status query DLE EOT {n} failed: {type(exc).__name__}: {exc}",
            url=url,
            ticket_started=started,
        ) from exc
    if not reply:
        detail = f"no reply to DLE EOT {n} within {timeout:g} s (or connection closed)"
    else:
        detail = f"unexpected reply {reply.hex()} to DLE EOT {n}"
    # After the ticket, silence means we cannot know how much of it came out.
    reason: Reason = "interrupted" if started else "no_answer"
    raise TicketPrinterError(reason, detail, url=url, ticket_started=started)


def _drain_or_raise(printer: Escpos, url: str, started: bool) -> None:
    try:
        _drain(printer)
    except OSError as exc:
        raise TicketPrinterError(
            "interrupted" if started else "no_answer",
            f"connection failed before the status query: {type(exc).__name__}: {exc}",
            url=url,
            ticket_started=started,
        ) from exc


def _printer_timeout(printer: Escpos, default: float) -> float:
    """The connector's own timeout in seconds (pyusb counts milliseconds)."""
    value = getattr(printer, "timeout", None)
    if not isinstance(value, int | float) or value <= 0:
        return default
    return value / 1000 if isinstance(printer, Usb) else float(value)


def check_ready(printer: Escpos, *, url: str = "", timeout: float | None = None) -> None:
    """Raise :class:`TicketPrinterError` unless the printer is on line.

    One status query in the usual case: DLE EOT 1 (printer status); only when it says
    off line, DLE EOT 2 (the cause: cover open, paper end, other). A printer that runs
    out of paper goes off line, so this is what decides whether a number may be issued.
    Connectors that cannot read (file, win32raw) are not checked. No reply within
    ``timeout`` (default: the connector's) counts as "not connected". ``url`` only labels
    the details.
    """
    if not _can_read(printer):
        log.debug("%s: connector cannot read status; not checked", url)
        return
    # python-escpos has is_online()/paper_status(), but paper_status() reports "paper OK"
    # when no reply comes back at all, so the replies are interpreted here instead.
    seconds = _printer_timeout(printer, 5.0) if timeout is None else timeout
    _drain_or_raise(printer, url, started=False)
    status = _status(printer, STATUS_PRINTER, url, False, seconds)
    if not status & _OFFLINE:
        return
    cause = _status(printer, STATUS_OFFLINE_CAUSE, url, False, seconds)
    reason: Reason = "offline"
    why = "cause unknown"
    if cause & _COVER_OPEN:
        reason, why = "cover_open", "cover open"
    elif cause & _PAPER_END_STOP:
        reason, why = "paper_out", "stopped at the paper end"
    raise TicketPrinterError(
        reason, f"printer off line ({why}): status {status:#04x}, cause {cause:#04x}", url=url)


def _check_after(printer: Escpos, url: str, timeout: float) -> None:
    """One status query after the cut: DLE EOT 4 (paper sensor).

    Its reply proves the printer took every byte before it (a TCP send succeeds even when
    the printer has just lost power); a paper end means the roll ran out during the ticket;
    a near end is logged so staff change the roll in time.
    """
    if not _can_read(printer):
        return
    _drain_or_raise(printer, url, started=True)
    paper = _status(printer, STATUS_PAPER, url, True, timeout)
    if paper & _PAPER_END:
        raise TicketPrinterError("paper_out", f"paper end sensor after the ticket: status {paper:#04x}",
                                 url=url, ticket_started=True)
    if paper & _PAPER_NEAR_END:
        log.warning("%s: ticket paper is nearly used up", url)


# --- printing ----------------------------------------------------------------------------


def _close_quietly(printer: Escpos, url: str) -> None:
    try:
        printer.close()
    except (OSError, EscposError) as exc:  # the error that matters was already raised
        log.debug("%s: closing the printer failed: %s", url, exc)


def print_ticket(
    url: str,
    slip: TicketSlip,
    mode: RenderMode,
    *,
    check: bool = True,
    check_before: bool = True,
    timeout: float = 5.0,
) -> None:
    """Print one ticket: open, check, render, check, close. Never retries.

    With ``check`` the printer's status is asked once before the ticket
    (:func:`check_ready`) and once after it; the second reply proves the printer took
    the whole ticket (a TCP send succeeds even when the printer has already gone) and
    catches paper running out mid-ticket. ``check_before=False`` leaves out the first
    query when the caller has just made it (the kiosk checks before issuing the number),
    so a ticket never asks more than twice. Turn ``check`` off only for printers that do
    not answer status requests. ``timeout`` bounds opening, each write and each status
    reply.
    """
    if mode not in ("text", "raster"):
        raise ValueError(f"unknown ticket render mode {mode!r}; use 'text' or 'raster'")
    # Draw first: a drawing problem (e.g. the font file missing) is then not mistaken for
    # a printer failure, and the connection is held only while bytes flow.
    image = ticket_image(slip) if mode == "raster" else None
    printer = open_printer(url, timeout=timeout)
    started = False
    try:
        if check and check_before:
            check_ready(printer, url=url, timeout=timeout)
        started = True
        if image is not None:
            send_raster(printer, image)
        else:
            render_ticket(printer, slip, mode)
        if check:
            _check_after(printer, url, timeout)
    except TicketPrinterError:
        raise
    except (OSError, EscposError) as exc:
        reason: Reason = "interrupted" if started else "unreachable"
        raise TicketPrinterError(
            reason, f"{type(exc).__name__}: {exc}", url=url, ticket_started=started
        ) from exc
    finally:
        _close_quietly(printer, url)
    log.info("%s: printed ticket %s (%s, id %d)", url, slip.number, mode, slip.ticket_id)

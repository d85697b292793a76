"""A loopback TCP server that plays a network receipt printer (the usual port 9100).

It records every byte it receives and answers DLE EOT n status requests the way a real
printer does: wherever the three bytes occur in the stream, image data included. Variants
model the failures a kiosk meets: paper out, no status replies at all, slow status replies,
and a connection that drops after N bytes. ``status_queries`` lists every DLE EOT n asked.

    with FakePrinter() as printer:
        print_ticket(printer.url, slip, "text")
    items = decode(printer.received)
"""

from __future__ import annotations

import contextlib
import socket
import struct
import threading
import time
from types import TracebackType
from typing import Literal

Paper = Literal["ok", "near_end", "out"]

_FIXED = 0x12  # bits 1 and 4 are always set in a DLE EOT reply


class FakePrinter:
    """Network printer stand-in on 127.0.0.1 with an OS-chosen port; a context manager."""

    def __init__(
        self,
        *,
        paper: Paper = "ok",
        cover_open: bool = False,
        answer_status: bool = True,
        drop_after: int | None = None,
        status_delay: float = 0.0,
    ) -> None:
        self.paper = paper
        self.cover_open = cover_open
        self.answer_status = answer_status
        self.drop_after = drop_after
        self.status_delay = status_delay  # seconds before each status reply
        self.status_queries: list[int] = []  # n of every DLE EOT n received, in order
        self.connections: list[bytearray] = []
        self._lock = threading.Lock()
        self._threads: list[threading.Thread] = []
        self._clients: list[socket.socket] = []
        self._server: socket.socket | None = None
        self._acceptor: threading.Thread | None = None
        self._stopping = threading.Event()

    # -- named variants --
    @classmethod
    def out_of_paper(cls) -> FakePrinter:
        return cls(paper="out")

    @classmethod
    def silent(cls) -> FakePrinter:
        """Accepts data but never answers a status request (e.g. status replies disabled)."""
        return cls(answer_status=False)

    @classmethod
    def slow_status(cls, seconds: float) -> FakePrinter:
        """Answers every status request, each only after ``seconds``."""
        return cls(status_delay=seconds)

    @classmethod
    def dropping_after(cls, n_bytes: int) -> FakePrinter:
        """Resets the connection once it has received ``n_bytes`` (power cut, cable pulled)."""
        return cls(drop_after=n_bytes)

    # -- lifecycle --
    def start(self) -> FakePrinter:
        server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        server.bind(("127.0.0.1", 0))
        server.listen(5)
        # accept() is not woken by close() from another thread, so poll for stop().
        server.settimeout(0.05)
        self._server = server
        self._acceptor = threading.Thread(target=self._accept_loop, daemon=True)
        self._acceptor.start()
        return self

    def stop(self) -> None:
        self._stopping.set()
        if self._server is not None:
            self._server.close()
        with self._lock:
            for client in self._clients:
                with contextlib.suppress(OSError):
                    client.shutdown(socket.SHUT_RDWR)
        if self._acceptor is not None:
            self._acceptor.join(timeout=5)
        for thread in list(self._threads):
            thread.join(timeout=5)

    def __enter__(self) -> FakePrinter:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    # -- what the tests read --
    @property
    def port(self) -> int:
        assert self._server is not None, "start() the fake printer first"
        return int(self._server.getsockname()[1])

    @property
    def url(self) -> str:
        return f"tcp://127.0.0.1:{self.port}"

    @property
    def received(self) -> bytes:
        """Everything received so far, all connections in order. Call wait_idle() first."""
        with self._lock:
            return b"".join(bytes(c) for c in self.connections)

    def wait_idle(self, connections: int = 1, timeout: float = 5.0) -> None:
        """Wait until ``connections`` were accepted and all of them have been closed.

        A client's connect() returns before this server's accept(), so merely joining
        the connections seen so far could miss the one the test just made.
        """
        deadline = time.monotonic() + timeout
        while len(self._threads) < connections:
            if time.monotonic() > deadline:
                raise TimeoutError(f"the fake printer saw {len(self._threads)} connection(s)")
            time.sleep(0.01)
        for thread in list(self._threads):
            thread.join(max(0.0, deadline - time.monotonic()))
            if thread.is_alive():
                raise TimeoutError("the fake printer's client did not disconnect")

    # -- the printer --
    def status_byte(self, n: int) -> int:
        offline = self.paper == "out" or self.cover_open
        if n == 1:
            return _FIXED | (0x08 if offline else 0)
        if n == 2:
            return _FIXED | (0x04 if self.cover_open else 0) | (0x20 if self.paper == "out" else 0)
        if n == 4:
            return _FIXED | {"ok": 0x00, "near_end": 0x0C, "out": 0x6C}[self.paper]
        return _FIXED  # n == 3: no error

    def _accept_loop(self) -> None:
        assert self._server is not None
        while not self._stopping.is_set():
            try:
                client, _ = self._server.accept()
            except TimeoutError:
                continue
            except OSError:
                return  # server socket closed by stop()
            client.settimeout(None)
            buffer = bytearray()
            thread = threading.Thread(target=self._serve, args=(client, buffer), daemon=True)
            with self._lock:
                self.connections.append(buffer)
                self._clients.append(client)
                thread.start()  # before it is listed, so wait_idle() can always join it
                self._threads.append(thread)

    def _serve(self, client: socket.socket, buffer: bytearray) -> None:
        tail = b""  # a DLE EOT split across two reads
        try:
            while True:
                want = 4096
                if self.drop_after is not None:
                    want = min(want, self.drop_after - len(buffer))
                    if want <= 0:
                        # Linger 0 makes close() send RST, like a printer losing power.
                        client.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                        return
                chunk = client.recv(want)
                if not chunk:
                    return
                with self._lock:
                    buffer.extend(chunk)
                data = tail + chunk
                tail = data[-2:]
                asked = [
                    data[i + 2]
                    for i in range(len(data) - 2)
                    if data[i] == 0x10 and data[i + 1] == 0x04 and 1 <= data[i + 2] <= 4
                ]
                with self._lock:
                    self.status_queries.extend(asked)
                if self.answer_status:
                    for n in asked:
                        if self.status_delay and self._stopping.wait(self.status_delay):
                            return
                        client.sendall(bytes([self.status_byte(n)]))
        except OSError:
            return  # the client went away; nothing to report
        finally:
            client.close()

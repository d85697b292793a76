"""A local stand-in for a provincial 好差评 system: a real HTTP server on a socket that
stores each record once by its idempotency key and answers as the test script says.

Actions, one per request in order (then "ok"): "ok" (200, stored), "refuse" (400, not
stored), 500 or another status (not stored), "hang" (reads the request, answers nothing
until the sender gave up), "drop" (reads and stores the request, then closes the
connection without an answer: the sender cannot know it arrived).
"""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


class FakeProvince:
    def __init__(self) -> None:
        self.script: list[str | int] = []
        # Every request as it arrived: (idempotency key, body).
        self.requests: list[tuple[str, dict[str, Any]]] = []
        # What the province keeps: one record per key.
        self.stored: dict[str, dict[str, Any]] = {}
        self.hang_seconds = 5.0
        self._release = threading.Event()
        self._lock = threading.Lock()
        province = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", "0"))))
                key = self.headers.get("Idempotency-Key", "")
                with province._lock:
                    action = province.script.pop(0) if province.script else "ok"
                    province.requests.append((key, body))
                    if action in ("ok", "drop"):
                        province.stored.setdefault(key, body)
                if action == "hang":
                    province._release.wait(province.hang_seconds)
                    self.close_connection = True
                    return
                if action == "drop":
                    # Received and stored, and then the line goes dead: no status line.
                    self.connection.shutdown(socket.SHUT_RDWR)
                    self.close_connection = True
                    return
                status = 200 if action == "ok" else 400 if action == "refuse" else int(action)
                answer = json.dumps({"code": status, "msg": "ok" if status == 200 else
                                     "regionCode 不能为空"}, ensure_ascii=False).encode("utf-8")
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def log_message(self, *_args: Any) -> None:
                return None

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hcp/evaluation"

    def keys(self) -> list[str]:
        with self._lock:
            return [key for key, _ in self.requests]

    def release(self) -> None:
        """Let hanging requests end (the sender has long given up)."""
        self._release.set()


@contextmanager
def fake_province() -> Iterator[FakeProvince]:
    province = FakeProvince()
    thread = threading.Thread(target=province.server.serve_forever, daemon=True)
    thread.start()
    try:
        yield province
    finally:
        province.release()
        province.server.shutdown()
        province.server.server_close()
        thread.join(5)


def closed_port_url() -> str:
    """An address where nothing listens: the connection is refused."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}/hcp/evaluation"

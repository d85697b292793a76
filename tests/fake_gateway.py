"""A local stand-in for an SMS / WeChat gateway: records each JSON POST and answers as
told (accept, fail with a status, or hang past the sender's timeout)."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


class FakeGateway:
    def __init__(self) -> None:
        self.received: list[dict[str, Any]] = []
        self.headers: list[dict[str, str]] = []
        # What to do with the next requests, in order: "ok", an HTTP status, or "hang";
        # when empty, accept.
        self.script: list[str | int] = []
        self._lock = threading.Lock()
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                with gateway._lock:
                    action = gateway.script.pop(0) if gateway.script else "ok"
                    gateway.received.append(json.loads(body))
                    gateway.headers.append(dict(self.headers))
                if action == "hang":
                    time.sleep(3)
                    return
                status = 200 if action == "ok" else int(action)
                self.send_response(status)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"{}")

            def log_message(self, *_args: Any) -> None:
                return None

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/send"

    def texts(self) -> list[str]:
        with self._lock:
            return [message["text"] for message in self.received]


@contextmanager
def fake_gateway() -> Iterator[FakeGateway]:
    gateway = FakeGateway()
    thread = threading.Thread(target=gateway.server.serve_forever, daemon=True)
    thread.start()
    try:
        yield gateway
    finally:
        gateway.server.shutdown()
        gateway.server.server_close()

"""Helpers for the web service's tests: the test catalog with a web base URL, and
hallq-web run for real (uvicorn in a thread, or as a process that can be restarted)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import uvicorn

from shared.catalog import apply_catalog, read_catalog
from shared.db import Database
from shared.web.app import WebSettings, create_app

ROOT = Path(__file__).resolve().parents[1]
TEST_CATALOG = ROOT / "tests" / "data" / "test_catalog.toml"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def load_web_catalog(db: Database, base_url: str, *, remote_tickets: bool = False,
                     remote_daily_cap: int = 30) -> None:
    """The test catalog with the hall site's [sites.web] table set."""
    data = read_catalog(TEST_CATALOG)
    data["sites"][0]["web"] = {"base_url": base_url, "remote_tickets": remote_tickets,
                               "remote_daily_cap": remote_daily_cap}
    db.write(lambda session: apply_catalog(session, data), name="catalog_load")


@contextmanager
def serve(db: Database, settings: WebSettings | None = None, port: int | None = None
          ) -> Iterator[str]:
    """The web app on a free local port (uvicorn in a thread); yields its base URL."""
    port = port or free_port()
    config = uvicorn.Config(create_app(db, settings or WebSettings(rate_per_minute=0)),
                            host="127.0.0.1", port=port, log_level="warning",
                            timeout_graceful_shutdown=1, proxy_headers=False)
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("hallq-web did not start")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(10)


class WebProcess:
    """``hallq-web`` as its own process, to stop and start again on the same port."""

    def __init__(self, database_url: str, home: Path, port: int | None = None) -> None:
        self.database_url = database_url
        self.home = home
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        env = {**os.environ, "HOME": str(self.home), "XDG_CONFIG_HOME": str(self.home / "config"),
               "XDG_STATE_HOME": str(self.home / "state"), "XDG_DATA_HOME": str(self.home / "data")}
        env.pop("HALLQ_CONFIG", None)
        self.process = subprocess.Popen(
            [sys.executable, "-m", "shared.web.main", "--database", self.database_url,
             "--port", str(self.port), "--rate-limit", "0"],
            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"hallq-web exited: {self.process.stderr.read()!r}")  # type: ignore[union-attr]
            try:
                if httpx.get(f"{self.url}/healthz", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                time.sleep(0.1)
        raise RuntimeError("hallq-web did not answer within 20 s")

    def stop(self) -> None:
        if self.process is None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(5)
        if self.process.stderr is not None:
            self.process.stderr.close()
        self.process = None

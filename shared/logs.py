"""Logging for every app and the CLI: a rotating file in the platform's log directory,
stderr with ``-v``, and an excepthook that logs what nobody caught.

Several processes write one app's file at once (the demo runs two counters; hardware
callers run ``hallq-admin`` concurrently), so the file handler holds the file open only
while it appends one record, and rotates under a lock that every process takes: a file
held open by another process cannot be renamed on Windows, and two processes rotating
at once would lose a file anywhere. Log files are readable by their owner only.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from types import TracebackType

from shared.config import log_dir

FORMAT = "%(asctime)s %(levelname)s %(name)s [%(threadName)s] %(message)s"


MAX_BYTES = 2_000_000
BACKUPS = 5


@contextlib.contextmanager
def _interprocess_lock(path: Path) -> Iterator[None]:
    """Hold an exclusive lock on ``path`` (created if missing) against other processes."""
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        if sys.platform == "win32":
            import msvcrt
            msvcrt.locking(fd, msvcrt.LK_LOCK, 1)  # retries for up to 10 s
            try:
                yield
            finally:
                os.lseek(fd, 0, os.SEEK_SET)
                msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
        else:
            import fcntl
            fcntl.flock(fd, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


class SharedRotatingFileHandler(logging.Handler):
    """``path`` rotated to ``path.1`` … ``path.N`` past ``max_bytes``, safe to share
    between processes (see the module docstring)."""

    def __init__(self, path: Path, *, max_bytes: int = MAX_BYTES, backups: int = BACKUPS) -> None:
        super().__init__()
        self.path = path
        self.max_bytes = max_bytes
        self.backups = backups
        self._lock_path = path.with_name(path.name + ".lock")
        self._append(b"")  # create it now (owner-only), so a bad folder fails at start
        if sys.platform != "win32":
            os.chmod(path, 0o600)  # a file an older version created world-readable

    def _append(self, data: bytes) -> None:
        fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            os.write(fd, data)
        finally:
            os.close(fd)

    def _rotate(self) -> None:
        for index in range(self.backups - 1, 0, -1):
            older = self.path.with_name(f"{self.path.name}.{index}")
            if older.exists():
                os.replace(older, self.path.with_name(f"{self.path.name}.{index + 1}"))
        if self.backups > 0:
            os.replace(self.path, self.path.with_name(f"{self.path.name}.1"))
        else:
            self.path.unlink()

    def emit(self, record: logging.LogRecord) -> None:
        try:
            data = (self.format(record) + "\n").encode("utf-8", "backslashreplace")
            with _interprocess_lock(self._lock_path):
                try:
                    size = self.path.stat().st_size
                except FileNotFoundError:
                    size = 0
                if size and size + len(data) > self.max_bytes:
                    self._rotate()
                self._append(data)
        except Exception:
            self.handleError(record)


# What must never reach a log file or an error line (docs/security.md): the values a
# database error quotes (PostgreSQL's DETAIL line carries the failing row; MariaDB quotes
# the duplicate value), SQL parameters, password hashes, phone and ID numbers.
_SCRUBS: list[tuple[re.Pattern[str], str | Callable[[re.Match[str]], str]]] = [
    (re.compile(r"DETAIL:[^\n]*"), "DETAIL: (hidden: it may quote personal data)"),
    (re.compile(r"\[parameters: [^\n]*"), "[parameters hidden]"),
    (re.compile(r"(Duplicate entry |Incorrect \w+ value: )'[^'\n]*'"),
     lambda m: f"{m.group(1)}'(hidden)'"),
    (re.compile(r"scrypt\$[^\s'\",)\]]+"), "scrypt$(hidden)"),
    (re.compile(r"(?<![0-9A-Za-z])\d{17}[0-9Xx](?![0-9A-Za-z])"), "(ID number hidden)"),
    (re.compile(r"(?<!\d)(1[3-9]\d)\d{4}(\d{4})(?!\d)"), r"\1****\2"),
]


def scrub(text: str) -> str:
    """``text`` without database-quoted values, SQL parameters, password hashes, ID
    numbers, and with phone numbers masked (138****0000)."""
    for pattern, replacement in _SCRUBS:
        text = pattern.sub(replacement, text)
    return text


class ScrubbingFormatter(logging.Formatter):
    """Every record, traceback included, scrubbed before it is written."""

    def format(self, record: logging.LogRecord) -> str:
        return scrub(super().format(record))


def setup_logging(app: str, *, verbose: bool = False, directory: Path | None = None) -> Path:
    """Log to ``<log dir>/<app>.log`` (rotated, 6 x 2 MB); return the file path."""
    folder = directory or log_dir()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{app}.log"
    root = logging.getLogger()
    root.setLevel(logging.DEBUG if verbose else logging.INFO)
    # Drop our earlier handlers and any a library installed with logging.basicConfig()
    # (python-escpos does so on import), which would echo every record to stderr.
    for handler in list(root.handlers):
        if getattr(handler, "_hallq", False) or type(handler) is logging.StreamHandler:
            root.removeHandler(handler)
            handler.close()
    file_handler = SharedRotatingFileHandler(path)
    file_handler.setFormatter(ScrubbingFormatter(FORMAT))
    file_handler._hallq = True  # type: ignore[attr-defined]
    root.addHandler(file_handler)
    if verbose:
        stream = logging.StreamHandler(sys.stderr)
        stream.setFormatter(ScrubbingFormatter(FORMAT))
        stream._hallq = True  # type: ignore[attr-defined]
        root.addHandler(stream)
    return path


def install_excepthook(report: Callable[[BaseException], None] | None = None) -> None:
    """Log every uncaught exception (main and worker threads) and hand it to ``report``
    (the GUI's error dialog), instead of dying silently."""
    log = logging.getLogger("hallq.uncaught")

    def hook(kind: type[BaseException], value: BaseException, tb: TracebackType | None) -> None:
        log.critical("uncaught exception", exc_info=(kind, value, tb))
        if report is not None:
            try:
                report(value)
            except Exception:  # the reporter itself failed; the log line above stands
                log.exception("error reporter failed")

    def thread_hook(args: threading.ExceptHookArgs) -> None:
        if args.exc_value is not None:
            hook(args.exc_type, args.exc_value, args.exc_traceback)

    sys.excepthook = hook
    threading.excepthook = thread_hook

"""Logging for every app and the CLI: a rotating file in the platform's log directory,
stderr with ``-v``, and an excepthook that logs what nobody caught."""

from __future__ import annotations

import logging
import sys
import threading
from collections.abc import Callable
from logging.handlers import RotatingFileHandler
from pathlib import Path
from types import TracebackType

from shared.config import log_dir

FORMAT = "%(asctime)s %(levelname)s %(name)s [%(threadName)s] %(message)s"


def setup_logging(app: str, *, verbose: bool = False, directory: Path | None = None) -> Path:
    """Log to ``<log dir>/<app>.log`` (5 x 2 MB); return the file path."""
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
    file_handler = RotatingFileHandler(path, maxBytes=2_000_000, backupCount=5, encoding="utf-8")
    file_handler.setFormatter(logging.Formatter(FORMAT))
    file_handler._hallq = True  # type: ignore[attr-defined]
    root.addHandler(file_handler)
    if verbose:
        stream = logging.StreamHandler(sys.stderr)
        stream.setFormatter(logging.Formatter(FORMAT))
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

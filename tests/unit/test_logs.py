"""The log file shared by several processes of one app: nothing lost, rotated, owner-only."""

from __future__ import annotations

import logging
import multiprocessing
import os
import stat
import sys
from pathlib import Path

import pytest

from shared.logs import SharedRotatingFileHandler, setup_logging


def _write_records(path: str, writer: int, count: int) -> None:
    handler = SharedRotatingFileHandler(Path(path), max_bytes=4_000, backups=50)
    handler.setFormatter(logging.Formatter("%(message)s"))
    log = logging.getLogger(f"writer{writer}")
    log.propagate = False
    log.addHandler(handler)
    for n in range(count):
        log.warning("writer %d record %04d %s", writer, n, "x" * 40)


def _all_lines(folder: Path) -> list[str]:
    return [line for file in folder.glob("app.log*") if not file.name.endswith(".lock")
            for line in file.read_text(encoding="utf-8").splitlines()]


def test_processes_writing_one_file_lose_no_record_and_rotate(tmp_path: Path) -> None:
    path = tmp_path / "app.log"
    ctx = multiprocessing.get_context("spawn")
    workers = [ctx.Process(target=_write_records, args=(str(path), w, 150)) for w in range(4)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(60)
        assert worker.exitcode == 0
    lines = _all_lines(tmp_path)
    expected = {f"writer {w} record {n:04d} {'x' * 40}" for w in range(4) for n in range(150)}
    assert sorted(lines) == sorted(expected)  # every record once, none torn or lost
    rotated = sorted(tmp_path.glob("app.log.*[0-9]"))
    assert len(rotated) >= 5  # 600 records of ~60 bytes past 4,000-byte files
    assert all(file.stat().st_size <= 4_000 for file in [path, *rotated])


def test_rotation_keeps_the_newest_backups(tmp_path: Path) -> None:
    handler = SharedRotatingFileHandler(tmp_path / "app.log", max_bytes=100, backups=2)
    handler.setFormatter(logging.Formatter("%(message)s"))
    for n in range(10):
        handler.emit(logging.LogRecord("t", logging.INFO, __file__, 1, f"line {n:02d} " + "y" * 60,
                                       None, None))
    assert (tmp_path / "app.log").read_text().startswith("line 09")
    assert (tmp_path / "app.log.1").read_text().startswith("line 08")
    assert (tmp_path / "app.log.2").read_text().startswith("line 07")
    assert not (tmp_path / "app.log.3").exists()


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX permission bits")
def test_log_file_is_readable_by_its_owner_only(tmp_path: Path) -> None:
    old = tmp_path / "hallq-admin.log"
    old.write_text("from an older version\n")
    os.chmod(old, 0o644)
    root = logging.getLogger()
    saved = list(root.handlers), root.level
    try:
        path = setup_logging("hallq-admin", directory=tmp_path)
        logging.getLogger("hallq.test").warning("hello")
    finally:
        for handler in list(root.handlers):
            if getattr(handler, "_hallq", False):
                root.removeHandler(handler)
        root.handlers[:] = saved[0]
        root.setLevel(saved[1])
    assert path == old
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert "hello" in path.read_text(encoding="utf-8")

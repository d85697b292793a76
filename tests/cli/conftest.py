"""Running ``hallq-admin`` in tests: as a real subprocess (acceptance tests) or by calling
``main(argv)`` in-process (fast), both isolated from the developer's own config, database
and log folder."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from shared.cli.main import main
from shared.db import Database

ROOT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class Result:
    """What one command did: exit code, stdout and stderr."""

    code: int
    out: str
    err: str

    @property
    def json(self) -> Any:
        return json.loads(self.out)

    @property
    def err_lines(self) -> list[str]:
        return self.err.splitlines()


Run = Callable[..., Result]


@pytest.fixture
def cli_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """Environment with the log, config and data folders inside the test's tmp_path."""
    for name, folder in (("XDG_STATE_HOME", "state"), ("XDG_CONFIG_HOME", "config"),
                         ("XDG_DATA_HOME", "data")):
        monkeypatch.setenv(name, str(tmp_path / folder))
    for name in ("HALLQ_CONFIG", "HALLQ_DATABASE_URL"):
        monkeypatch.delenv(name, raising=False)
    return dict(os.environ)


@pytest.fixture
def log_file(tmp_path: Path) -> Path:
    """Where hallq-admin writes its log under cli_env (platformdirs on Linux)."""
    return tmp_path / "state" / "HallQueue" / "log" / "hallq-admin.log"


@pytest.fixture
def url(db: Database) -> str:
    """The URL of the test database, password included, for --database."""
    return db.url.render_as_string(hide_password=False)


@pytest.fixture
def run(cli_env: dict[str, str]) -> Run:
    """Run ``hallq-admin ARGS`` as a subprocess, like a script or a button box would."""

    def call(*args: str, stdin: str | None = None) -> Result:
        done = subprocess.run([sys.executable, "-m", "shared.cli.main", *args], cwd=ROOT,
                              env=cli_env, input=stdin, capture_output=True, encoding="utf-8",
                              timeout=120)
        return Result(done.returncode, done.stdout, done.stderr)

    return call


@pytest.fixture
def admin(cli_env: dict[str, str], url: str, capsys: pytest.CaptureFixture[str],
          monkeypatch: pytest.MonkeyPatch) -> Run:
    """Call ``main([--database URL, *ARGS])`` in-process against the test database."""

    def call(*args: str, stdin: str | None = None, database: str | None = url) -> Result:
        if stdin is not None:
            monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
        capsys.readouterr()
        prefix = ["--database", database] if database else []
        code = main([*prefix, *args])
        captured = capsys.readouterr()
        return Result(code, captured.out, captured.err)

    return call

"""The [database] section of the terminal config: the bounds IT can set (docs/config.md)
reach the Config, wrong values are refused naming the key, and a PostgreSQL terminal
passes them to its session and to libpq."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from shared.config import DatabaseConfig, load_config
from shared.db import _postgres_connect_args
from shared.errors import ConfigError


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("HALLQ_DATABASE_URL", raising=False)
    monkeypatch.delenv("HALLQ_CONFIG", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "hallqueue.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_database_bounds_are_read(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, "[database]\nlock_timeout_ms = 1500\n"
                                         "idle_in_transaction_timeout_ms = 4000\n"
                                         "keepalive_count = 5\nbusy_timeout_ms = 2500\n"))
    assert config.database == DatabaseConfig(lock_timeout_ms=1500,
                                             idle_in_transaction_timeout_ms=4000,
                                             keepalive_count=5, busy_timeout_ms=2500)


@pytest.mark.parametrize(("text", "message"), [
    ("lock_timeout_ms = 0", "database.lock_timeout_ms: must be between 100 and 600000"),
    ("idle_in_transaction_timeout_ms = 500",
     "database.idle_in_transaction_timeout_ms: must be between 1000 and 3600000"),
    ("keepalive_idle_s = '10'", "database.keepalive_idle_s: must be int, got '10'"),
    ("statement_timeout = 5", "database.statement_timeout: is not a known setting"),
])
def test_wrong_database_bound_names_its_key(tmp_path: Path, text: str, message: str) -> None:
    path = write(tmp_path, f"[database]\n{text}\n")
    with pytest.raises(ConfigError) as info:
        load_config(path)
    assert str(info.value) == f"{path}: {message}"


def test_postgres_connection_carries_the_bounds_after_the_urls_own_options() -> None:
    limits = DatabaseConfig(lock_timeout_ms=1200, keepalive_idle_s=7, keepalive_interval_s=3,
                            keepalive_count=4)
    url = make_url("postgresql+psycopg://hallq@10.0.0.5/hallq?options=-c%20search_path%3Dq")
    args = _postgres_connect_args(url, limits)
    assert args["options"].startswith("-c search_path=q -c lock_timeout=1200 ")
    assert "-c tcp_user_timeout=19000" in args["options"]  # 7 + 3 x 4 seconds
    assert (args["keepalives"], args["keepalives_idle"], args["keepalives_interval"],
            args["keepalives_count"], args["tcp_user_timeout"]) == (1, 7, 3, 4, 19000)

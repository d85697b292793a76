"""``hallq-admin catalog|db`` and what every command shares: the database and config it
picks, the schema check, logging and the handling of unexpected errors."""

from __future__ import annotations

import logging
import shutil
import stat
import sys
from pathlib import Path

import pytest
from sqlalchemy import text

from shared.db import Database
from shared.read import hall_state
from tests.cli.conftest import Run
from tests.conftest import TEST_CATALOG


def edited_catalog(tmp_path: Path) -> Path:
    """The test catalog with service SB renamed and window hall/4 (and so SD) removed."""
    source = TEST_CATALOG.read_text(encoding="utf-8")
    source = source.replace('name = "乙业务"', 'name = "乙业务（新）"')
    start = source.index("[[sites.windows]]\nnumber = 4")
    end = source.index("[[sites]]", start)
    path = tmp_path / "edited.toml"
    path.write_text(source[:start] + source[end:], encoding="utf-8")
    return path


def test_catalog_load_twice_changes_nothing_then_edit_updates(admin: Run, tmp_path: Path) -> None:
    """Loading the same file again reports no change; an edited file updates and disables."""
    again = admin("catalog", "load", str(TEST_CATALOG), "--json")
    assert again.json == {"created": [], "updated": [], "disabled": []}
    assert "目录无变化" in admin("catalog", "load", str(TEST_CATALOG)).out
    edited = admin("catalog", "load", str(edited_catalog(tmp_path)))
    assert edited.code == 0, edited.err
    assert "更新 (1): service SB" in edited.out
    assert "停用 (1): window hall/4" in edited.out


def test_catalog_load_of_missing_file_exits_2(admin: Run, tmp_path: Path) -> None:
    """A catalog path that is not a file is named in a one-line error."""
    result = admin("catalog", "load", str(tmp_path))
    assert result.code == 2 and str(tmp_path) in result.err


def test_real_catalog_loads_and_shows(admin: Run, sqlite_template: Path, tmp_path: Path) -> None:
    """The shipped Chun'an catalog loads by name into an empty database; show lists it."""
    fresh = tmp_path / "fresh.db"
    shutil.copy(sqlite_template, fresh)
    url = f"sqlite:///{fresh}"
    loaded = admin("catalog", "load", "chunan", "--json", database=url)  # the shipped one
    assert loaded.code == 0, loaded.err
    assert "site chunan" in loaded.json["created"]
    shown = admin("catalog", "show", "--json", database=url).json
    assert [s["code"] for s in shown["sites"]] == ["chunan", "fenkou", "weiping"]
    human = admin("catalog", "show", database=url).out
    assert "淳安县行政服务中心" in human and "不动产登记" in human


def test_db_status_and_upgrade_when_current(admin: Run) -> None:
    """db status on a current schema exits 0; db upgrade then changes nothing."""
    status = admin("db", "status", "--json")
    assert status.code == 0 and status.json["current"] is True
    assert status.json["database"] == status.json["code"]
    assert "数据库结构已是最新" in admin("db", "upgrade").out


def test_newer_schema_is_refused(admin: Run, db: Database) -> None:
    """A database migrated by a newer HallQueue is refused with exit 5 saying so."""
    with db.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = 'ffff_future'"))
    result = admin("ticket", "list", "--site", "hall")
    assert result.code == 5 and "比本程序新" in result.err


def test_help_lists_every_command_group(admin: Run) -> None:
    """--help exits 0 and names every command group."""
    result = admin("--help", database=None)
    assert result.code == 0
    for group in ("db", "catalog", "site", "window", "clerk", "day", "ticket", "appointment",
                  "events"):
        assert group in result.out


def test_database_option_wins_over_env_and_config(admin: Run, url: str, tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """--database beats $HALLQ_DATABASE_URL, which beats the config file's database_url."""
    dead = "postgresql+psycopg://postgres@127.0.0.1:1/x"
    config = tmp_path / "terminal.toml"
    config.write_text(f'database_url = "{dead}"\n', encoding="utf-8")
    assert admin("--config", str(config), "site", "list").code == 0
    assert admin("--config", str(config), "site", "list", database=None).code == 5
    monkeypatch.setenv("HALLQ_DATABASE_URL", url)
    assert admin("--config", str(config), "site", "list", database=None).code == 0


def test_bad_config_value_names_the_key(admin: Run, tmp_path: Path) -> None:
    """A wrong value in the config file exits 2 naming the file and the key."""
    config = tmp_path / "terminal.toml"
    config.write_text("[kiosk]\npaper_width_mm = 70\n", encoding="utf-8")
    result = admin("--config", str(config), "site", "list")
    assert result.code == 2 and "kiosk.paper_width_mm" in result.err and str(config) in result.err


def test_invalid_database_url_exits_2(admin: Run) -> None:
    """A database URL of an unsupported kind is an invalid value."""
    result = admin("site", "list", database="oracle://scott@host/db")
    assert result.code == 2 and "不支持的数据库 'oracle'" in result.err
    assert "unsupported" not in result.err  # one language: tests/cli/test_cli_language.py
    result = admin("--lang", "en", "site", "list", database="oracle://scott@host/db")
    assert result.code == 2 and "unsupported database 'oracle'" in result.err


def test_unexpected_error_is_logged_and_named(admin: Run, db: Database, log_file: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """A bug shows one line naming the log file (exit 1); the log has the traceback."""

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("simulated bug")

    monkeypatch.setattr(hall_state, "list_tickets", broken)
    result = admin("ticket", "list", "--site", "hall")
    assert result.code == 1
    assert result.err.splitlines() == [result.err.strip()]
    # The exception's English words are for the English line and the log only.
    assert "意外错误" in result.err and str(log_file) in result.err
    assert "simulated bug" not in result.err and "RuntimeError" not in result.err
    english = admin("--lang", "en", "ticket", "list", "--site", "hall")
    assert english.code == 1 and "RuntimeError: simulated bug" in english.err
    assert str(log_file) in english.err
    logged = log_file.read_text(encoding="utf-8")
    assert "Traceback" in logged and "RuntimeError: simulated bug" in logged


def test_verbose_logs_to_stderr_and_leaves_no_handler(admin: Run) -> None:
    """-v copies the log to stderr; afterwards main() has removed its log handlers."""
    before = set(logging.getLogger().handlers)
    result = admin("-v", "site", "list")
    assert result.code == 0 and "hallq.cli" in result.err
    assert set(logging.getLogger().handlers) == before


@pytest.mark.parametrize(("group", "actions"), [
    ("ticket", ("issue", "call-next", "call", "recall", "no-show", "reinstate", "start",
                "cancel", "finish", "transfer", "list", "show")),
    ("window", ("add", "list", "disable", "pause", "resume")),
    ("clerk", ("add", "list", "disable", "passwd")),
    ("appointment", ("add", "list", "cancel", "import")),
    ("followup", ("list", "show", "contact", "rectify", "close", "appeal")),
    ("evaluation", ("list",)),
    ("materials", ("rank",)),
])
def test_group_help_lists_its_actions(admin: Run, group: str, actions: tuple[str, ...]) -> None:
    """Each command group's --help lists every action docs/cli.md documents."""
    result = admin(group, "--help", database=None)
    assert result.code == 0
    for action in actions:
        assert f"    {action}" in result.out, action


def test_catalog_disables_window_added_between_loads(admin: Run, db: Database) -> None:
    """A window added with window add is disabled by the next catalog load (the catalog owns
    the windows), and its history stays."""
    assert admin("window", "add", "9", "--name", "临时窗口", "--service", "SA",
                 "--site", "hall").code == 0
    result = admin("catalog", "load", str(TEST_CATALOG), "--json")
    assert result.json["disabled"] == ["window hall/9"]
    windows = {w.number: w.active for w in hall_state.list_windows(db, site="hall")}
    assert windows[9] is False


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX file modes")
def test_a_new_sqlite_database_is_readable_by_its_owner_only(run: Run, tmp_path: Path) -> None:
    """The SQLite file holds citizens' names and phones: a new one is created 0600 (and its
    new folder 0700), whatever the umask, and SQLite's side files follow it."""
    target = tmp_path / "hall" / "new.db"
    result = run("--database", f"sqlite:///{target}", "db", "upgrade")
    assert result.code == 0, result.out + result.err
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert stat.S_IMODE(target.parent.stat().st_mode) == 0o700
    for side in (Path(f"{target}-wal"), Path(f"{target}-shm")):
        if side.exists():
            assert stat.S_IMODE(side.stat().st_mode) == 0o600, side
    status = run("--database", f"sqlite:///{target}", "db", "status", "--json")
    assert status.code == 0 and status.json["current"] is True

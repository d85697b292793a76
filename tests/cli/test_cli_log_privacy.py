"""Logs and error lines never carry password hashes, names, phones, ID numbers or SQL
parameters: the failure paths are run for real and the log files grepped."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text

from shared.db import Database
from shared.logs import scrub
from tests.cli.conftest import Run

SERVERS = pytest.mark.parametrize("empty_db_url", ["postgres", "mariadb"], indirect=True)
PASSWORD = "Secret-Pass-4711"


def _leaks(log_file: Path, *secrets: str) -> list[str]:
    written = log_file.read_text(encoding="utf-8")
    found = [s for s in secrets if s in written]
    if "scrypt$" in written.replace("scrypt$(hidden)", ""):
        found.append("a password hash")
    return found


@SERVERS
def test_a_failed_clerk_add_logs_no_password_hash(admin: Run, log_file: Path,
                                                 db: Database) -> None:
    """The database fails the INSERT, whose parameters hold the new password's hash (a
    trigger added for the test: a name too long for its column is refused before any
    query now)."""
    postgres = db.engine.dialect.name == "postgresql"
    with db.engine.begin() as conn:
        if postgres:
            conn.execute(text("CREATE FUNCTION test_refuse() RETURNS trigger LANGUAGE plpgsql "
                              "AS $$ BEGIN RAISE EXCEPTION 'refused for the test'; END $$"))
            conn.execute(text("CREATE TRIGGER test_refuse BEFORE INSERT ON clerk "
                              "FOR EACH ROW EXECUTE FUNCTION test_refuse()"))
        else:
            conn.execute(text("CREATE TRIGGER test_refuse BEFORE INSERT ON clerk FOR EACH ROW "
                              "SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'refused for the test'"))
    try:
        result = admin("clerk", "add", "li", "--name", "李四", "--password-stdin",
                       stdin=PASSWORD + "\n")
    finally:
        with db.engine.begin() as conn:
            conn.execute(text("DROP TRIGGER test_refuse ON clerk" if postgres
                              else "DROP TRIGGER test_refuse"))
            if postgres:
                conn.execute(text("DROP FUNCTION test_refuse()"))
    assert result.code == 1, result.err
    assert "Traceback" in log_file.read_text(encoding="utf-8")
    assert _leaks(log_file, PASSWORD) == []
    assert "scrypt$" not in result.err.replace("scrypt$(hidden)", "")


@SERVERS
def test_a_failed_appointment_logs_no_name_or_phone(admin: Run, log_file: Path,
                                                    db: Database) -> None:
    """The database refuses the row and quotes it (PostgreSQL's "Failing row contains
    (…)"); neither the log nor stderr repeats the name or the phone."""
    with db.engine.begin() as conn:
        conn.execute(text("ALTER TABLE appointment ADD CONSTRAINT test_refuse_phone "
                          "CHECK (phone <> '13912345678')"))
    try:
        result = admin("appointment", "add", "QX1", "--service", "SA", "--date", "2030-01-02",
                       "--slot", "09:00-09:30", "--name", "欧阳娜娜", "--phone", "13912345678",
                       "--site", "hall")
    finally:
        with db.engine.begin() as conn:
            conn.execute(text("ALTER TABLE appointment DROP CONSTRAINT test_refuse_phone"))
    assert result.code == 1, result.err
    assert _leaks(log_file, "欧阳娜娜", "13912345678") == []
    assert "欧阳娜娜" not in result.err and "13912345678" not in result.err


def test_scrub_removes_what_must_not_be_logged() -> None:
    line = ("IntegrityError: duplicate\nDETAIL: Failing row contains (7, 张三, 13800001111).\n"
            "[parameters: ('li', 'scrypt$16384$8$1$abc$def')]\nDuplicate entry 'zhangsan' "
            "for key; id 110101199003077777 call 13800001111 hash scrypt$16384$8$1$c2FsdA==$ZA==")
    cleaned = scrub(line)
    for secret in ("张三", "13800001111", "zhangsan", "110101199003077777", "abc$def", "c2FsdA"):
        assert secret not in cleaned
    assert "138****1111" in cleaned


def test_a_config_readable_by_others_with_a_password_is_warned_about(run: Run, tmp_path: Path
                                                                     ) -> None:
    # As the Qt apps do at start: on stderr and in the log, never the password itself.
    data = tmp_path / "hall.db"
    config = tmp_path / "kiosk.toml"
    config.write_text(f'database_url = "sqlite:///{data}"\n', encoding="utf-8")
    config.chmod(0o644)
    quiet = run("--config", str(config), "db", "upgrade")
    assert quiet.code == 0 and "chmod 600" not in quiet.err  # no password: nothing to say
    config.write_text('database_url = "postgresql+psycopg://hq_kiosk:pw-1234567890@127.0.0.1:1/'
                      'hallq"\n', encoding="utf-8")
    config.chmod(0o644)
    warned = run("--config", str(config), "ticket", "list", "--json")
    assert "chmod 600" in warned.err and "pw-1234567890" not in warned.err + warned.out
    assert warned.out == ""  # the command itself fails (nothing listens): no JSON half-said

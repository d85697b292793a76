"""Acceptance tests: ``hallq-admin`` run as a real process, the way scripts, integrations
and hardware callers use it; stdout JSON, stderr and exit codes are the contract."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import pytest
from sqlalchemy import func, select

from shared import issuing, queue
from shared.appointments import list_appointments
from shared.catalog import catalog_summary
from shared.clerks import add_clerk, authenticate
from shared.db import Database
from shared.models import Appointment, TicketEvent
from shared.read import hall_state
from tests.cli.conftest import Result, Run
from tests.conftest import TEST_CATALOG

TICKET_KEYS = {"id", "number", "site", "service", "kind", "transferred", "state", "window",
               "clerk", "outcome", "issued_at", "queued_at", "called_at", "started_at",
               "finished_at"}


def assert_one_line_error(result: Result, code: int) -> str:
    assert result.code == code, result
    assert len(result.err_lines) == 1, result.err
    assert "Traceback" not in result.err
    return result.err


@pytest.mark.all_backends
def test_ticket_flow_prints_the_json_contract(run: Run, url: str) -> None:
    """issue, call-next, start and finish each print {"ticket": {...}} with every field."""
    base = ("--database", url)
    issued = run(*base, "ticket", "issue", "SA", "--site", "hall", "--json")
    assert issued.code == 0, issued.err
    ticket = issued.json["ticket"]
    assert set(ticket) >= TICKET_KEYS
    assert isinstance(ticket["id"], int) and ticket["number"] == "A001"
    assert (ticket["site"], ticket["service"], ticket["kind"], ticket["state"]) == \
        ("hall", "SA", "normal", "waiting")
    assert issued.json["people_ahead"] == 0
    assert dt.datetime.fromisoformat(ticket["issued_at"]).utcoffset() is not None
    assert ticket["queued_at"] == ticket["issued_at"]  # arrived in its first queue at issue

    called = run(*base, "ticket", "call-next", "--window", "2", "--site", "hall", "--json")
    assert called.code == 0, called.err
    assert called.json["ticket"]["window"] == 2 and called.json["ticket"]["state"] == "called"
    started = run(*base, "ticket", "start", "A001", "--site", "hall", "--json")
    assert started.json["ticket"]["state"] == "serving"
    finished = run(*base, "ticket", "finish", str(ticket["id"]), "--outcome", "accepted",
                   "--site", "hall", "--json")
    assert finished.code == 0, finished.err
    body = finished.json["ticket"]
    assert (body["state"], body["outcome"]) == ("finished", "accepted")
    assert dt.datetime.fromisoformat(body["finished_at"]) >= \
        dt.datetime.fromisoformat(body["issued_at"])

    handed = run(*base, "ticket", "issue", "SB", "--site", "hall", "--json").json["ticket"]
    moved = run(*base, "ticket", "transfer", str(handed["id"]), "--to-service", "SA",
                "--site", "hall", "--json")
    assert moved.code == 0, moved.err
    body = moved.json["ticket"]
    # queued_at: the arrival in the current queue (the transfer), not the issue
    assert (body["service"], body["issued_at"]) == ("SA", handed["issued_at"])
    assert dt.datetime.fromisoformat(body["queued_at"]) > dt.datetime.fromisoformat(
        body["issued_at"])


@pytest.mark.all_backends
def test_call_next_with_nobody_waiting_exits_3(run: Run, url: str) -> None:
    """call-next on an empty queue prints {"ticket": null} and exits 3 with one line."""
    result = run("--database", url, "ticket", "call-next", "--window", "4", "--site", "hall",
                 "--json")
    assert result.json == {"ticket": None, "finished": None}
    assert "4 号窗口" in assert_one_line_error(result, 3)


@pytest.mark.all_backends
def test_finishing_a_ticket_never_called_exits_4(run: Run, url: str, db: Database) -> None:
    """finish on a waiting ticket is refused by the queue rules (exit 4); nothing changes."""
    issuing.issue_ticket(db, "SB", site="hall")
    result = run("--database", url, "ticket", "finish", "B001", "--site", "hall", "--lang", "en")
    assert "finish" in assert_one_line_error(result, 4)
    assert hall_state.get_ticket(db, "B001", site="hall").state == "waiting"
    with db.read() as session:
        actions = session.scalars(select(TicketEvent.action)).all()
    assert actions == ["issue"]


def test_unreachable_database_exits_5(run: Run) -> None:
    """A database that cannot be reached is one line on stderr and exit 5."""
    result = run("--database", "postgresql+psycopg://postgres@127.0.0.1:1/x", "ticket", "list")
    assert "无法连接数据库" in assert_one_line_error(result, 5)


def test_a_database_host_that_does_not_resolve_exits_5_in_one_language(run: Run) -> None:
    """A host name that names no host (.invalid never resolves) is an unreachable
    database, not an unexpected error, and the Chinese line holds no English of it."""
    url = "postgresql+psycopg://postgres@nosuchhost.invalid/x"
    chinese = assert_one_line_error(run("--database", url, "ticket", "list"), 5)
    assert "无法连接数据库" in chinese and "resolve" not in chinese, chinese
    english = assert_one_line_error(run("--lang", "en", "--database", url, "ticket", "list"), 5)
    assert "database unreachable" in english and "resolve host" in english, english


def test_database_without_schema_names_the_upgrade_command(run: Run, tmp_path: Path) -> None:
    """Against a schema older than the code (here: none yet) every command exits 5 and
    names 'hallq-admin db upgrade'; after db upgrade the same command works."""
    url = f"sqlite:///{tmp_path / 'old.db'}"
    refused = run("--database", url, "site", "list")
    assert "hallq-admin db upgrade" in assert_one_line_error(refused, 5)
    upgraded = run("--database", url, "db", "upgrade")
    assert upgraded.code == 0, upgraded.err
    assert run("--database", url, "site", "list", "--json").json == {"sites": []}


def test_bad_catalog_is_rejected_with_file_key_and_reason(run: Run, url: str, db: Database,
                                                          tmp_path: Path) -> None:
    """A bad catalog exits 2 naming file, key and reason, and leaves the database as it was."""
    before = catalog_summary(db)
    bad = tmp_path / "bad.toml"
    bad.write_text(TEST_CATALOG.read_text(encoding="utf-8").replace('prefix = "B"', 'prefix = "b1"'),
                   encoding="utf-8")
    result = run("--database", url, "catalog", "load", str(bad))
    message = assert_one_line_error(result, 2)
    assert str(bad) in message
    assert "departments[0].services[1].prefix" in message and "大写字母" in message
    assert catalog_summary(db) == before


@pytest.mark.all_backends
def test_appointment_import_is_all_or_nothing(run: Run, url: str, db: Database,
                                              tmp_path: Path) -> None:
    """A bad row fails the whole import with its line number; a good file imports all."""
    header = "code,site,service,date,slot,name,phone\n"
    day = dt.date.today() + dt.timedelta(days=30)  # a date in the past is refused
    good_rows = (f"Y1,hall,SA,{day},09:00-09:30,张三,13800000000\n"
                 f"Y2,hall,SB,{day},09:30-10:00,李四,\n")
    bad = tmp_path / "bad.csv"
    bad.write_text(header + good_rows + f"Y3,hall,SA,{day:%Y-%m}-32,10:00-10:30,,\n",
                   encoding="utf-8")
    result = run("--database", url, "appointment", "import", str(bad))
    message = assert_one_line_error(result, 2)
    assert "第 4 行" in message and str(bad) in message
    with db.read() as session:
        assert session.scalar(select(func.count()).select_from(Appointment)) == 0

    good = tmp_path / "good.csv"
    good.write_text(header + good_rows, encoding="utf-8")
    imported = run("--database", url, "appointment", "import", str(good), "--json")
    assert imported.code == 0, imported.err
    assert imported.json == {"imported": 2}
    listed = list_appointments(db, day=day)
    assert [(a.code, a.citizen_name) for a in listed] == [("Y1", "张三"), ("Y2", "李四")]


@pytest.mark.all_backends
def test_events_export_writes_every_event_joined(run: Run, url: str, db: Database,
                                                 tmp_path: Path) -> None:
    """The CSV has one row per event with ticket number, service, window, clerk and the
    server time; events of another site are left out with --site."""
    add_clerk(db, "wang", "王芳", "secret-1")
    issuing.issue_ticket(db, "SA", site="hall")
    issuing.issue_ticket(db, "SA", site="town")
    queue.call_next(db, 2, site="hall", clerk="wang")
    today = hall_state.get_ticket(db, "A001", site="hall").business_day.isoformat()
    out = tmp_path / "events.csv"
    result = run("--database", url, "events", "export", "--from", today, "--to", today, "--out", str(out),
                 "--site", "hall")
    assert result.code == 0, result.err
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    assert [(r["action"], r["ticket_number"], r["service"], r["window"], r["clerk"])
            for r in rows] == [("issue", "A001", "SA", "", ""), ("call", "A001", "SA", "2", "wang")]
    assert all(r["site"] == "hall" for r in rows)
    called_at = hall_state.get_ticket(db, "A001", site="hall").called_at
    assert dt.datetime.fromisoformat(rows[1]["server_time"]) == called_at


def test_clerk_added_with_password_stdin_can_log_in(run: Run, url: str, db: Database) -> None:
    """clerk add --password-stdin stores a password the clerk can then log in with."""
    result = run("--database", url, "clerk", "add", "li", "--name", "李明", "--role",
                 "supervisor", "--password-stdin", stdin="correct-horse\n")
    assert result.code == 0, result.err
    assert authenticate(db, "li", "correct-horse").role == "supervisor"


def test_usage_errors_are_one_line_exit_2(run: Run, url: str) -> None:
    """A wrong option value is a one-line usage error with exit 2, not a usage dump."""
    result = run("--database", url, "ticket", "issue", "SA", "--kind", "vip")
    assert "--kind" in assert_one_line_error(result, 2)


def test_global_options_work_after_the_command(run: Run, url: str, log_file: Path) -> None:
    """--database and -v may also follow the subcommand; -v copies the log to stderr."""
    result = run("site", "list", "--json", "--database", url, "-v")
    assert result.code == 0, result.err
    assert [s["code"] for s in result.json["sites"]] == ["hall", "town"]
    assert "site list" in result.err and "site list" in log_file.read_text(encoding="utf-8")

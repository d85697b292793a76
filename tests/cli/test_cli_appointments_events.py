"""``hallq-admin appointment ...`` and ``events export`` in-process."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import pytest

from shared import issuing, queue
from shared.db import Database
from shared.read import hall_state
from tests.cli.conftest import Run

HALL = ("--site", "hall")


def today(db: Database) -> dt.date:
    """The hall's current business day (the database clock, in the site's zone)."""
    issued = issuing.issue_ticket(db, "SD", site="hall").ticket
    return issued.business_day


def test_appointment_add_list_cancel(admin: Run) -> None:
    """A booking is added, listed by date and cancelled once."""
    added = admin("appointment", "add", "YY001", "--service", "SA", "--date", "2026-12-02",
                  "--slot", "09:00-09:30", "--name", "张三", "--phone", "13800000000", "--json",
                  *HALL)
    assert added.code == 0, added.err
    assert added.json["appointment"] == {
        "code": "YY001", "site": "hall", "service": "SA", "date": "2026-12-02",
        "slot": "09:00-09:30", "name": "张三", "phone": "138****0000", "state": "booked"}
    assert admin("appointment", "list", "--date", "2026-12-03", "--json").json == \
        {"appointments": []}
    assert "YY001" in admin("appointment", "list", "--date", "2026-12-02").out
    assert admin("appointment", "cancel", "YY001").code == 0
    assert admin("appointment", "cancel", "YY001").code == 4
    assert admin("appointment", "cancel", "NOPE").code == 2


def test_appointment_add_refuses_bad_values(admin: Run) -> None:
    """A bad slot, date, service or a duplicate code is an invalid value (exit 2)."""
    base = ("appointment", "add", "YY002", "--date", "2026-12-02", *HALL)
    assert "时段格式" in admin(*base, "--service", "SA", "--slot", "9-10").err
    assert admin(*base, "--service", "XX", "--slot", "09:00-09:30").code == 2
    assert admin("appointment", "add", "YY002", "--service", "SA", "--date", "2026-02-30",
                 "--slot", "09:00-09:30", *HALL).code == 2
    assert admin(*base, "--service", "SA", "--slot", "09:00-09:30").code == 0
    assert "已存在" in admin(*base, "--service", "SA", "--slot", "09:00-09:30").err


def test_appointment_check_in_issues_its_ticket(admin: Run, db: Database) -> None:
    """check-in turns today's booking into an appointment ticket, once."""
    day = today(db).isoformat()
    admin("appointment", "add", "YY003", "--service", "SB", "--date", day, "--slot",
          "23:58-23:59", *HALL)
    result = admin("appointment", "check-in", "YY003", "--json", *HALL)
    assert result.code == 0, result.err
    assert result.json["ticket"]["number"] == "B001"
    # The slot ends the day, so the check-in can never be late.
    assert result.json["ticket"]["kind"] == "appointment"
    assert admin("appointment", "check-in", "YY003", *HALL).code == 4


def test_appointment_import_reports_missing_columns(admin: Run, tmp_path: Path) -> None:
    """A CSV without the required columns names them on line 1."""
    path = tmp_path / "platform.csv"
    path.write_text("code,service\nX1,SA\n", encoding="utf-8")
    result = admin("appointment", "import", str(path))
    assert result.code == 2 and "第 1 行" in result.err and "date" in result.err
    assert admin("appointment", "import", str(tmp_path / "none.csv")).code == 2


@pytest.mark.all_backends
def test_events_export_to_stdout_covers_all_sites(admin: Run, db: Database) -> None:
    """--out - writes the CSV to stdout; without --site every site's events are there."""
    day = today(db)
    issuing.issue_ticket(db, "SA", site="town")
    queue.call_next(db, 4, site="hall")
    result = admin("events", "export", "--from", day.isoformat(), "--to", day.isoformat(),
                   "--out", "-")
    assert result.code == 0, result.err
    rows = list(csv.DictReader(io.StringIO(result.out)))
    assert [(r["site"], r["action"], r["ticket_number"]) for r in rows] == [
        ("hall", "issue", "D001"), ("town", "issue", "A001"), ("hall", "call", "D001")]
    assert [r["window"] for r in rows] == ["", "", "4"]


def test_events_export_range_excludes_other_days(admin: Run, db: Database,
                                                 tmp_path: Path) -> None:
    """Days outside --from/--to give a header-only file; a reversed range is refused."""
    day = today(db)
    out = tmp_path / "e.csv"
    earlier = (day - dt.timedelta(days=2)).isoformat()
    yesterday = (day - dt.timedelta(days=1)).isoformat()
    assert admin("events", "export", "--from", earlier, "--to", yesterday, "--out",
                 str(out)).code == 0
    assert out.read_text(encoding="utf-8-sig").splitlines() == [
        "event_id,server_time,local_time,site,action,from_state,to_state,ticket_id,"
        "ticket_number,business_day,service,window,clerk,detail"]
    reversed_range = admin("events", "export", "--from", yesterday, "--to", earlier, "--out",
                           str(out))
    assert reversed_range.code == 2 and "结束日期早于开始日期" in reversed_range.err


@pytest.mark.parametrize("target", ["missing-folder/e.csv", ""])
def test_events_export_unwritable_file_exits_2(admin: Run, db: Database, tmp_path: Path,
                                               target: str) -> None:
    """A file that cannot be written is an invalid value; no partial file is left."""
    day = today(db).isoformat()
    out = tmp_path / target if target else tmp_path  # a folder is not writable as a file
    result = admin("events", "export", "--from", day, "--to", day, "--out", str(out))
    assert result.code == 2 and f"无法写入 {out}" in result.err
    assert not list(tmp_path.glob("*.partial"))


def test_events_show_the_window_events_too(admin: Run, db: Database) -> None:
    """Pause and resume (window events without a ticket) are exported as well."""
    day = today(db).isoformat()
    admin("window", "pause", "3", "--reason", "会议", *HALL)
    admin("window", "resume", "3", *HALL)
    result = admin("events", "export", "--from", day, "--to", day, "--out", "-", *HALL)
    rows = list(csv.DictReader(io.StringIO(result.out)))
    assert [(r["action"], r["window"], r["ticket_number"]) for r in rows][-2:] == [
        ("pause", "3", ""), ("resume", "3", "")]
    assert '"reason": "会议"' in rows[-2]["detail"]
    assert hall_state.get_window(db, 3, site="hall").paused is False

"""``hallq-admin ticket ...`` in-process: every queue operation, its output and exit code."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import select

from shared import issuing, queue
from shared.clerks import add_clerk
from shared.db import Database
from shared.models import Clerk, TicketEvent, Window
from shared.read import hall_state
from tests.cli.conftest import Run

HALL = ("--site", "hall")


def last_event_detail(db: Database) -> dict[str, object]:
    with db.read() as session:
        event = session.scalars(select(TicketEvent).order_by(TicketEvent.id.desc())).first()
        assert event is not None
        return dict(event.detail)


def test_issue_prints_number_service_and_people_ahead(admin: Run, db: Database) -> None:
    """A human issue line names the number, the service and how many wait ahead."""
    issuing.issue_ticket(db, "SA", site="hall")
    result = admin("ticket", "issue", "SA", *HALL)
    assert result.code == 0, result.err
    assert result.out.startswith("已取号 A002 (甲业务) 前面 1 人")


def test_issue_green_after_hours_is_recorded(admin: Run, db: Database) -> None:
    """--kind green and --after-hours reach the ticket and its issue event."""
    result = admin("ticket", "issue", "SB", "--kind", "green", "--after-hours", "--json", *HALL)
    assert result.json["ticket"]["kind"] == "green"
    detail = last_event_detail(db)
    assert str(detail.pop("via")).startswith("command line (")  # who ran it, on which PC
    assert detail == {"kind": "green", "after_hours": True}


def test_issue_past_the_quota_exits_4(admin: Run, db: Database) -> None:
    """The fourth SC ticket (daily quota 3) is refused by a queue rule."""
    for _ in range(3):
        issuing.issue_ticket(db, "SC", site="hall")
    result = admin("ticket", "issue", "SC", *HALL)
    assert result.code == 4 and "号源已取完" in result.err
    assert len(hall_state.list_tickets(db, site="hall")) == 3


def test_unknown_service_and_ambiguous_site_exit_2(admin: Run) -> None:
    """An unknown service code, or no --site with two sites, is an invalid value (exit 2)."""
    unknown = admin("ticket", "issue", "XX", *HALL)
    assert unknown.code == 2 and "没有业务 XX" in unknown.err
    ambiguous = admin("ticket", "issue", "SA")
    assert ambiguous.code == 2 and "--site" in ambiguous.err and "hall, town" in ambiguous.err


def test_config_site_is_the_default_site(admin: Run, tmp_path: Path) -> None:
    """Without --site, the terminal config's site is used."""
    config = tmp_path / "hallqueue.toml"
    config.write_text('site = "town"\n', encoding="utf-8")
    result = admin("--config", str(config), "ticket", "issue", "SD", "--json")
    assert result.code == 0, result.err
    assert result.json["ticket"]["site"] == "town"


def test_call_next_finishes_the_served_ticket_first(admin: Run, db: Database) -> None:
    """call-next at a window serving a ticket finishes it and reports both."""
    issuing.issue_ticket(db, "SA", site="hall")
    issuing.issue_ticket(db, "SA", site="hall")
    queue.call_next(db, 2, site="hall")
    queue.start(db, "A001", site="hall")
    result = admin("ticket", "call-next", "--window", "2", "--json", *HALL)
    assert result.code == 0, result.err
    assert result.json["finished"]["number"] == "A001"
    assert result.json["finished"]["state"] == "finished"
    assert result.json["ticket"]["number"] == "A002"
    human = admin("ticket", "call-next", "--window", "2", *HALL)
    assert human.code == 4 and "请开始办理或标记过号" in human.err


def test_call_specific_number_with_clerk_as_actor(admin: Run, db: Database) -> None:
    """ticket call NUMBER --window N --clerk LOGIN calls that number and records the clerk."""
    add_clerk(db, "wang", "王芳", "secret-1")
    issuing.issue_ticket(db, "SB", site="hall")
    issuing.issue_ticket(db, "SB", site="hall")
    result = admin("ticket", "call", "B002", "--window", "3", "--clerk", "wang", *HALL)
    assert result.code == 0, result.err
    assert "请 B002 号到 3 号窗口办理" in result.out
    ticket = hall_state.get_ticket(db, "B002", site="hall")
    assert (ticket.state, ticket.window, ticket.clerk) == ("called", 3, "wang")
    with db.read() as session:
        event = session.scalars(select(TicketEvent).where(TicketEvent.action == "call")).one()
        assert session.get(Clerk, event.clerk_id).login == "wang"  # type: ignore[union-attr]
        assert session.get(Window, event.window_id).number == 3  # type: ignore[union-attr]


def test_recall_no_show_reinstate_cancel(admin: Run, db: Database) -> None:
    """recall, no-show, reinstate and cancel move the ticket through its states."""
    issuing.issue_ticket(db, "SA", site="hall")
    queue.call_next(db, 2, site="hall")
    steps = [("recall", "called"), ("no-show", "no_show"), ("reinstate", "waiting"),
             ("cancel", "cancelled")]
    for action, state in steps:
        result = admin("ticket", action, "A001", "--json", *HALL)
        assert result.code == 0, (action, result.err)
        assert result.json["ticket"]["state"] == state
    assert hall_state.get_ticket(db, "A001", site="hall").call_count == 2


def test_acting_for_another_window_exits_4(admin: Run, db: Database) -> None:
    """A window may not act on a ticket held by another window."""
    issuing.issue_ticket(db, "SA", site="hall")
    queue.call_next(db, 2, site="hall")
    result = admin("ticket", "start", "A001", "--window", "1", *HALL)
    assert result.code == 4 and "由其他窗口办理" in result.err
    assert hall_state.get_ticket(db, "A001", site="hall").state == "called"


def test_finish_with_outcome_and_bad_outcome(admin: Run, db: Database) -> None:
    """--outcome is recorded; an outcome outside the list is a usage error."""
    issuing.issue_ticket(db, "SD", site="hall")
    queue.call_next(db, 4, site="hall")
    queue.start(db, "D001", site="hall")
    assert admin("ticket", "finish", "D001", "--outcome", "done", *HALL).code == 2
    result = admin("ticket", "finish", "D001", "--outcome", "materials-missing", *HALL)
    assert result.code == 0 and "材料不全" in result.out
    assert hall_state.get_ticket(db, "D001", site="hall").outcome == "materials-missing"


def test_transfer_to_service_and_to_window(admin: Run, db: Database) -> None:
    """transfer keeps the number; --to-service changes the service, --to-window targets one."""
    issuing.issue_ticket(db, "SA", site="hall")
    queue.call_next(db, 2, site="hall")
    queue.start(db, "A001", site="hall")
    moved = admin("ticket", "transfer", "A001", "--to-service", "SB", "--note", "需户口簿",
                  "--json", *HALL)
    assert moved.code == 0, moved.err
    body = moved.json["ticket"]
    assert (body["number"], body["service"], body["transferred"], body["state"]) == \
        ("A001", "SB", True, "waiting")
    targeted = admin("ticket", "transfer", "A001", "--to-window", "3", "--json", *HALL)
    assert targeted.json["ticket"]["target_window"] == 3
    neither = admin("ticket", "transfer", "A001", *HALL)
    assert neither.code == 2 and "--to-service" in neither.err


def test_list_in_issue_order_and_by_day(admin: Run, db: Database) -> None:
    """ticket list prints today's tickets in issue order; another --day has its own list."""
    for code in ("SB", "SA", "SB"):
        issuing.issue_ticket(db, code, site="hall")
    issuing.issue_ticket(db, "SA", site="town")
    result = admin("ticket", "list", "--json", *HALL)
    assert [t["number"] for t in result.json["tickets"]] == ["B001", "A001", "B002"]
    assert admin("ticket", "list", "--day", "2001-01-01", "--json", *HALL).json == {"tickets": []}
    human = admin("ticket", "list", *HALL)
    assert human.code == 0 and human.out.count("\n") == 3 and "等候中" in human.out


def test_show_by_id_and_by_number(admin: Run, db: Database) -> None:
    """TICKET is the numeric id or today's displayed number; a missing one is {"ticket": null}."""
    issued = issuing.issue_ticket(db, "SA", site="hall").ticket
    by_id = admin("ticket", "show", str(issued.id), "--json")
    by_number = admin("ticket", "show", "a001", "--json", *HALL)
    assert by_id.json == by_number.json and by_id.json["ticket"]["number"] == "A001"
    missing = admin("ticket", "show", "A999", "--json", *HALL)
    assert missing.code == 2 and missing.json == {"ticket": None}
    human = admin("ticket", "show", "A001", *HALL)
    assert "A001 (甲业务 SA) 等候中" in human.out


def test_day_close_expires_what_is_left(admin: Run, db: Database) -> None:
    """day close ends the business day: waiting and called tickets are closed."""
    issuing.issue_ticket(db, "SA", site="hall")
    issuing.issue_ticket(db, "SA", site="hall")
    queue.call_next(db, 2, site="hall")
    result = admin("day", "close", "--json", *HALL)
    assert result.json == {"closed": 2}
    states = {t.state for t in hall_state.list_tickets(db, site="hall")}
    assert states == {"expired"}
    assert hall_state.get_window(db, 2, site="hall").current_ticket is None


def test_ticket_list_day_must_be_a_date(admin: Run) -> None:
    """--day that is not a date is a one-line usage error naming the option."""
    result = admin("ticket", "list", "--day", str(dt.date.today()) + "x", *HALL)
    assert result.code == 2 and "--day" in result.err and len(result.err.splitlines()) == 1


@pytest.mark.all_backends
@pytest.mark.parametrize("note", ["需户口簿\x1b]0;x\x07", "需\x00户口簿"])
def test_a_transfer_note_with_control_characters_is_refused(admin: Run, db: Database,
                                                            note: str) -> None:
    issuing.issue_ticket(db, "SA", site="hall")
    queue.call_next(db, 2, site="hall")
    queue.start(db, "A001", site="hall")
    refused = admin("ticket", "transfer", "A001", "--to-service", "SB", "--note", note, *HALL)
    assert refused.code == 2 and len(refused.err_lines) == 1 and "转办说明" in refused.err
    assert admin("ticket", "show", "A001", "--json", *HALL).json["ticket"]["service"] == "SA"

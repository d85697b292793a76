"""``hallq-admin --as``: administrative commands need an admin or supervisor login, are
recorded in the audit chain with the OS user, host and clerk, and ``--clerk X`` without
``--as X`` is recorded as done on X's behalf; ``audit verify`` exits 8 after tampering."""

from __future__ import annotations

import getpass
import socket

from sqlalchemy import select, update

from shared import clerks
from shared.db import Database
from shared.models import Clerk, TicketEvent
from tests.cli.conftest import Run

HALL = ("--site", "hall")


def _events(db: Database, action: str) -> list[dict[str, object]]:
    with db.read() as session:
        return [dict(detail) for detail in session.scalars(
            select(TicketEvent.detail).where(TicketEvent.action == action)
            .order_by(TicketEvent.id))]


def test_first_admin_then_every_administrative_command_needs_a_login(admin: Run,
                                                                     db: Database) -> None:
    made = admin("clerk", "add", "boss", "--name", "主任", "--role", "admin",
                 "--password-stdin", stdin="boss-password\n")
    assert made.code == 0, made.err  # nobody to authenticate yet: the owner makes the first
    first = _events(db, "admin")[-1]
    assert first["command"] == "clerk add" and first["clerk"] is None
    assert first["os_user"] == getpass.getuser() and first["host"] == socket.gethostname()
    assert first["arguments"]["login"] == "boss"  # type: ignore[index]
    assert "boss-password" not in str(first)

    refused = admin("clerk", "add", "evil", "--name", "坏人", "--role", "admin",
                    "--password-stdin", "--lang", "en", stdin="evil-password\n")
    assert refused.code == 7 and "--as" in refused.err
    wrong = admin("--as", "boss", "--password-stdin", "clerk", "add", "evil", "--name", "x",
                  stdin="not-his-password\nevil-password\n")
    assert wrong.code == 4
    clerks.add_clerk(db, "c3", "窗口三", "c3-password")
    plain = admin("--as", "c3", "--password-stdin", "clerk", "disable", "boss",
                  stdin="c3-password\n")
    assert plain.code == 7 and "c3" in plain.err
    with db.read() as session:
        assert session.scalar(select(Clerk.login).where(Clerk.login == "evil")) is None
        assert session.scalar(select(Clerk.active).where(Clerk.login == "boss")) is True

    # --as's password is the first line of stdin, the new password the second.
    changed = admin("--as", "boss", "--password-stdin", "clerk", "passwd", "c3",
                    stdin="boss-password\nc3-new-password\n")
    assert changed.code == 0, changed.err
    assert clerks.authenticate(db, "c3", "c3-new-password").login == "c3"
    record = _events(db, "admin")[-1]
    assert (record["command"], record["clerk"]) == ("clerk passwd", "boss")
    assert "c3-new-password" not in str(_events(db, "admin"))


def test_clerk_without_as_is_recorded_on_behalf(admin: Run, db: Database) -> None:
    clerks.add_clerk(db, "c3", "窗口三", "c3-password")
    admin("ticket", "issue", "SA", *HALL)
    admin("ticket", "issue", "SA", *HALL)
    assert admin("ticket", "call-next", "--window", "1", "--clerk", "c3", *HALL).code == 0
    on_behalf = _events(db, "call")[-1]
    assert str(on_behalf["via"]).startswith("command line on behalf of c3")
    own = admin("--as", "c3", "--password-stdin", "ticket", "call-next", "--window", "2",
                "--clerk", "c3", *HALL, stdin="c3-password\n")
    assert own.code == 0, own.err
    assert str(_events(db, "call")[-1]["via"]).startswith("command line, authenticated as c3")


def test_audit_verify_exits_8_after_tampering(admin: Run, db: Database) -> None:
    admin("ticket", "issue", "SA", *HALL)
    admin("ticket", "issue", "SB", *HALL)
    intact = admin("audit", "verify", "--json")
    assert intact.code == 0, intact.err
    assert intact.json["intact"] is True
    hall = next(site for site in intact.json["sites"] if site["site"] == "hall")
    assert hall["checked"] == 2 and hall["head"]["seq"] == 2
    db.write(lambda s: s.execute(update(TicketEvent).where(TicketEvent.chain_seq == 1)
                                 .values(detail={"kind": "green"})))
    broken = admin("audit", "verify", "--site", "hall")
    assert broken.code == 8
    assert "#1" in broken.out and "changed" in broken.out
    # A second, later change is named too, not hidden behind the first.
    admin("ticket", "issue", "SA", *HALL)
    db.write(lambda s: s.execute(update(TicketEvent).where(TicketEvent.chain_seq == 3)
                                 .values(detail={"kind": "vip"})))
    both = admin("audit", "verify", "--site", "hall", "--lang", "en")
    assert both.code == 8
    lines = both.out.splitlines()
    assert [line.split(" at event ")[1].split(":")[0] for line in lines[:2]] == ["#1", "#3"]
    assert lines[2] == "hall: 2 breaks in all, 2 listed"
    as_json = admin("audit", "verify", "--site", "hall", "--json")
    assert as_json.code == 8 and as_json.json["intact"] is False
    site = as_json.json["sites"][0]
    assert site["problem"]["seq"] == 1 and site["problem_count"] == 2
    assert [(p["kind"], p["seq"]) for p in site["problems"]] == [("changed", 1), ("changed", 3)]

"""``hallq-admin followup …``, ``evaluation list`` and ``materials rank``: privileged
(an admin or supervisor ``--as``), audited, scriptable with ``--json``; the whole phone
number only in ``followup show``."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from shared import clerks, evaluations, issuing, queue
from shared.db import Database
from shared.models import TicketEvent
from tests.cli.conftest import Run

SITE = "hall"
CHEN = ("--as", "chen", "--password-stdin")
PASSWORD = "chen-password-1\n"


def bad_rating(db: Database, phone: str = "13800001111") -> int:
    ticket = issuing.issue_ticket(db, "SA", site=SITE).ticket
    queue.call_number(db, ticket.number, 2, site=SITE)
    queue.start(db, ticket.id, site=SITE)
    queue.finish(db, ticket.id, site=SITE)
    follow_up = evaluations.record_evaluation(db, ticket.id, 5, "等候时间太长", phone)
    assert follow_up is not None
    return follow_up


@pytest.fixture
def staff(db: Database) -> Database:
    clerks.add_clerk(db, "zhao", "赵敏", "zhao-password-1", "admin")
    clerks.add_clerk(db, "chen", "陈主任", "chen-password-1", "supervisor")
    clerks.add_clerk(db, "wang", "王芳", "wang-password-1", "clerk")
    return db


@pytest.mark.all_backends
def test_follow_up_steps_from_the_command_line(admin: Run, staff: Database) -> None:
    db = staff
    fid = bad_rating(db)
    # Refused without a privileged login, and for a clerk; nothing changed.
    assert admin("followup", "list", "--json").code == 7
    refused = admin("--as", "wang", "--password-stdin", "followup", "contact", str(fid),
                    "--note", "x", stdin="wang-password-1\n")
    assert refused.code == 7 and "wang" in refused.err
    listed = admin(*CHEN, "followup", "list", "--site", SITE, "--json", stdin=PASSWORD)
    assert listed.code == 0, listed.err
    (item,) = listed.json["follow_ups"]
    assert (item["id"], item["status"], item["phone"], item["overdue"]) == \
        (fid, "open", "138****1111", None)
    detail = admin(*CHEN, "followup", "show", str(fid), "--json", stdin=PASSWORD)
    assert detail.json["follow_up"]["phone"] == "13800001111"
    # Out of order: exit 4, one line.
    early = admin(*CHEN, "followup", "close", str(fid), "--opinion", "satisfied", stdin=PASSWORD)
    assert early.code == 4 and len(early.err_lines) == 1
    bad = admin(*CHEN, "followup", "close", str(fid), "--opinion", "great", stdin=PASSWORD)
    assert bad.code == 2
    for step, extra in (("contact", ("--note", "已电话联系")), ("rectify", ("--note", "已整改")),
                        ("close", ("--opinion", "satisfied", "--note", "完成"))):
        done = admin(*CHEN, "followup", step, str(fid), *extra, "--json", stdin=PASSWORD)
        assert done.code == 0, done.err
    closed = done.json["follow_up"]
    assert (closed["status"], closed["opinion"], closed["contacted_by"], closed["closed_by"]) == \
        ("closed", "satisfied", "陈主任", "陈主任")
    assert admin(*CHEN, "followup", "list", "--status", "open", "--json",
                 stdin=PASSWORD).json == {"follow_ups": []}
    # Appeal another: out of the figures, in the record.
    other = bad_rating(db, "")
    appealed = admin(*CHEN, "followup", "appeal", str(other), "--kind", "mistaken",
                     "--reason", "群众误触", "--json", stdin=PASSWORD)
    assert appealed.code == 0, appealed.err
    assert appealed.json["follow_up"]["appeal"] == "mistaken"
    ratings = admin(*CHEN, "evaluation", "list", "--from", "2000-01-01", "--to", "2100-01-01",
                    "--bad", "--json", stdin=PASSWORD)
    assert [(e["level"], e["appeal"], e["phone"], e["follow_up"])
            for e in ratings.json["evaluations"]] == \
        [(5, None, "138****1111", fid), (5, "mistaken", "", other)]
    # Every command ran as chen is in the audit chain, with its arguments.
    with db.read() as session:
        commands = [d["command"] for d in session.scalars(
            select(TicketEvent.detail).where(TicketEvent.action == "admin")
            .order_by(TicketEvent.id))]
        steps = [d["step"] for d in session.scalars(
            select(TicketEvent.detail).where(TicketEvent.action == "follow_up")
            .order_by(TicketEvent.id))]
    assert commands == ["followup list", "followup show", "followup contact",
                        "followup rectify", "followup close", "followup list",
                        "followup appeal", "evaluation list"]
    assert steps == ["contact", "rectify", "close", "appeal"]


@pytest.mark.all_backends
def test_finish_with_missing_materials_and_their_ranking(admin: Run, db: Database) -> None:
    for ticks in (["申请表"], ["申请表", "身份证原件"]):
        ticket = issuing.issue_ticket(db, "SA", site=SITE).ticket
        queue.call_number(db, ticket.number, 2, site=SITE)
        queue.start(db, ticket.id, site=SITE)
        args = [arg for tick in ticks for arg in ("--missing", tick)]
        done = admin("ticket", "finish", ticket.number, "--site", SITE, "--outcome",
                     "materials-missing", *args, "--json")
        assert done.code == 0, done.err
    unknown = admin("ticket", "finish", "A999", "--site", SITE, "--outcome", "completed",
                    "--missing", "申请表")
    assert unknown.code == 2
    ranked = admin("materials", "rank", "--from", "2000-01-01", "--to", "2100-01-01",
                   "--site", SITE, "--json")
    assert ranked.code == 0, ranked.err
    assert [(r["service"], r["material"], r["times"], r["cases"])
            for r in ranked.json["missing_materials"]] == \
        [("SA", "申请表", 2, 2), ("SA", "身份证原件", 1, 2)]


@pytest.mark.all_backends
def test_free_text_never_reaches_the_audit_chain(admin: Run, staff: Database) -> None:
    """The chain is never purged: a note or reason is recorded by its length only."""
    db = staff
    secret = "张三 住 幸福路 8 号"
    fid, other = bad_rating(db), bad_rating(db)
    for step, extra in (("contact", ("--note", secret)), ("rectify", ("--note", secret)),
                        ("close", ("--opinion", "satisfied", "--note", secret))):
        assert admin(*CHEN, "followup", step, str(fid), *extra, stdin=PASSWORD).code == 0
    assert admin(*CHEN, "followup", "appeal", str(other), "--kind", "mistaken",
                 "--reason", secret, stdin=PASSWORD).code == 0
    with db.read() as session:
        details = list(session.scalars(select(TicketEvent.detail)
                                       .where(TicketEvent.action == "admin")
                                       .order_by(TicketEvent.id)))
    assert [d["command"] for d in details] == ["followup contact", "followup rectify",
                                               "followup close", "followup appeal"]
    for detail in details:
        assert secret not in json.dumps(detail, ensure_ascii=False)
    assert [d["arguments"].get("note", d["arguments"].get("reason")) for d in details] == \
        [f"…({len(secret)})"] * 4
    assert details[2]["arguments"]["opinion"] == "satisfied"  # a choice, not free text


@pytest.mark.all_backends
@pytest.mark.parametrize("text", ["\x1b[2J已联系", "已联系\x07", "已\x00联系", "已联系\n第二行"])
def test_control_characters_in_notes_are_refused(admin: Run, staff: Database,
                                                 text: str) -> None:
    db = staff
    fid = bad_rating(db)
    refused = admin(*CHEN, "followup", "contact", str(fid), "--note", text, stdin=PASSWORD)
    assert refused.code == 2 and len(refused.err_lines) == 1, refused.err
    assert "说明" in refused.err and "控制字符" in refused.err
    appeal = admin(*CHEN, "followup", "appeal", str(fid), "--kind", "mistaken",
                   "--reason", text, stdin=PASSWORD)
    assert appeal.code == 2 and "申诉理由" in appeal.err, appeal.err
    detail = admin(*CHEN, "followup", "show", str(fid), "--json", stdin=PASSWORD).json
    assert detail["follow_up"]["status"] == "open" and detail["follow_up"]["appeal"] is None

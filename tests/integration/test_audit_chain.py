"""The audit chain on every backend: intact after the queue's work (concurrent terminals
included), and after tampering the walk names every event changed, removed or inserted
out of place (a kiosk login's forgery and the owner's later edit alike)."""

from __future__ import annotations

import datetime as dt
import secrets
import threading
import uuid
from collections.abc import Iterator
from types import SimpleNamespace

import pytest
from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from shared import audit, clerks, db_roles, issuing, queue
from shared.db import Database
from shared.db_roles import Kind
from shared.models import AuditHead, Site, TicketEvent
from shared.read import hall_state


def _work(db: Database) -> None:
    clerks.add_clerk(db, "wangf", "王芳", "wangf-password")
    clerks.login_at_window(db, "wangf", "wangf-password", 1, "hall")
    for service in ("SA", "SB", "SA"):
        issuing.issue_ticket(db, service, site="hall")
    called = queue.call_next(db, 1, site="hall").ticket
    assert called is not None
    queue.start(db, called.number, site="hall")
    queue.finish(db, called.number, site="hall")
    clerks.logout(db, "wangf", 1, "hall")


def _verdict(db: Database, **span: dt.date) -> audit.SiteVerdict:
    return audit.verify(db, site="hall", **span)[0]


def _events(db: Database) -> list[SimpleNamespace]:
    """The hall's events in chain order, as plain values."""
    with db.read() as session:
        hall = session.scalar(select(Site.id).where(Site.code == "hall"))
        rows = session.scalars(select(TicketEvent).where(TicketEvent.site_id == hall)
                               .order_by(TicketEvent.chain_seq))
        return [SimpleNamespace(**{c.name: getattr(row, c.name)
                                   for c in TicketEvent.__table__.columns}) for row in rows]


@pytest.mark.all_backends
def test_the_queue_work_leaves_an_intact_chain(db: Database) -> None:
    _work(db)
    events = _events(db)
    assert [e.chain_seq for e in events] == list(range(1, len(events) + 1))
    assert {e.action for e in events} >= {"login", "issue", "call", "start", "finish", "logout"}
    verdict = _verdict(db)
    assert verdict.intact, verdict.problem
    assert verdict.checked == len(events) and verdict.head_seq == len(events)
    today = dt.date.today()
    ranged = _verdict(db, first_day=today - dt.timedelta(days=1), last_day=today + dt.timedelta(days=1))
    assert ranged.intact and ranged.checked == len(events)


@pytest.mark.all_backends
def test_a_changed_event_is_named(db: Database) -> None:
    _work(db)
    target = _events(db)[3]
    db.write(lambda s: s.execute(update(TicketEvent).where(TicketEvent.id == target.id)
                                 .values(detail={"kind": "green"})))
    verdict = _verdict(db)
    assert verdict.problem is not None
    assert (verdict.problem.kind, verdict.problem.seq, verdict.problem.event_id) == \
        ("changed", target.chain_seq, target.id)


@pytest.mark.all_backends
def test_a_removed_event_is_named(db: Database) -> None:
    _work(db)
    events = _events(db)
    db.write(lambda s: s.execute(delete(TicketEvent).where(TicketEvent.id == events[2].id)))
    verdict = _verdict(db)
    assert verdict.problem is not None
    assert (verdict.problem.kind, verdict.problem.seq) == ("removed", events[2].chain_seq)
    # The last events removed: the head still says how far the chain went.
    db.write(lambda s: s.execute(delete(TicketEvent).where(TicketEvent.id >= events[2].id)))
    db.write(lambda s: s.execute(insert(TicketEvent).values(
        **{k: getattr(events[2], k) for k in ("site_id", "ticket_id", "action", "from_state",
                                              "to_state", "window_id", "clerk_id",
                                              "service_id", "at", "detail", "chain_seq",
                                              "chain_hash")})))
    verdict = _verdict(db)
    assert verdict.problem is not None
    assert (verdict.problem.kind, verdict.problem.seq) == ("removed", events[3].chain_seq)


@pytest.mark.all_backends
def test_an_event_inserted_out_of_place_is_named(db: Database) -> None:
    _work(db)
    first = _events(db)[0]
    forged = {k: getattr(first, k) for k in ("site_id", "ticket_id", "action", "from_state",
                                              "to_state", "window_id", "clerk_id",
                                              "service_id", "at", "detail")}
    db.write(lambda s: s.execute(insert(TicketEvent).values(**forged)))
    verdict = _verdict(db)
    assert verdict.problem is not None and verdict.problem.kind == "inserted"
    with db.read() as session:
        assert verdict.problem.event_id == session.scalar(select(func.max(TicketEvent.id)))


@pytest.mark.parametrize("empty_db_url", ["postgres", "mariadb"], indirect=True)
def test_concurrent_terminals_chain_in_commit_order(db: Database) -> None:
    """Four kiosks and two counters at once: every event gets one place, no gaps, and the
    chain verifies."""
    errors: list[BaseException] = []

    def kiosk() -> None:
        try:
            for _ in range(8):
                issuing.issue_ticket(db, "SA", site="hall")
        except BaseException as exc:
            errors.append(exc)

    def counter(window: int) -> None:
        try:
            for _ in range(8):
                called = queue.call_next(db, window, site="hall").ticket
                if called is None:  # nobody waiting yet
                    continue
                queue.start(db, called.number, site="hall")
                queue.finish(db, called.number, site="hall")
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=kiosk) for _ in range(4)]
    threads += [threading.Thread(target=counter, args=(w,)) for w in (1, 2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert not errors, errors
    events = _events(db)
    assert [e.chain_seq for e in events] == list(range(1, len(events) + 1))
    assert sum(e.action == "issue" for e in events) == 32
    verdict = _verdict(db)
    assert verdict.intact, verdict.problem


@pytest.mark.all_backends
def test_events_chained_by_the_server_hash_as_the_terminal_does(db: Database) -> None:
    # PostgreSQL hashes in the final pipeline (audit.chain_on_server), the others on the
    # terminal: the walk recomputes every hash with audit.digest. Text the JSON escapes
    # (quotes, backslash, a non-BMP character) and an operation with two events.
    _work(db)
    queue.pause_window(db, 2, '午休 "王芳" \\ 𠀋', site="hall")
    queue.resume_window(db, 2, site="hall")
    first = queue.call_next(db, 1, site="hall").ticket
    assert first is not None
    queue.start(db, first.number, site="hall")
    finished_and_called = queue.call_next(db, 1, site="hall")  # finish + call: two events
    assert finished_and_called.finished is not None and finished_and_called.ticket is not None
    events = _events(db)
    previous = audit.GENESIS
    for event in events:
        assert event.chain_hash == audit.digest(previous, event.chain_seq, vars(event))
        previous = event.chain_hash
    assert any('"王芳"' in str(e.detail) for e in events)
    verdict = _verdict(db)
    assert verdict.intact and verdict.head_hash == previous, verdict.problem


@pytest.mark.all_backends
def test_an_operation_may_change_nothing_after_its_last_step(db: Database) -> None:
    from shared.lookup import window_by_number
    from shared.operation import done, open_context

    _work(db)

    def late_change(session: Session) -> None:
        ctx = open_context(session, "hall")
        window = window_by_number(session, ctx.site, 2)
        done(ctx)
        window.paused = True  # after the commit on PostgreSQL: would be lost or half-done

    with pytest.raises(RuntimeError, match="changed rows after it committed"):
        db.write(late_change, name="late_change")
    assert not any(w.paused for w in hall_state.list_windows(db, site="hall"))


@pytest.fixture
def kiosk_login(db: Database) -> Iterator[Database]:
    """The test database as a ``kiosk`` login (what a kiosk's config holds), uniquely
    named for this run and dropped afterwards."""
    login, password = f"hq_{uuid.uuid4().hex[:6]}_kiosk", secrets.token_urlsafe(16)
    db_roles.create_role(db, Kind.KIOSK, login, password)
    url = make_url(db.url.render_as_string(hide_password=False)).set(
        username=login, password=password)
    kiosk = Database(url.render_as_string(hide_password=False))
    try:
        yield kiosk
    finally:
        kiosk.dispose()
        db_roles.drop_role(db, login)


def _forge_next_event(session: Session) -> int:
    """What a kiosk login can do by hand: append an issue event with a made-up hash at the
    chain's next place and move the head to it (the triggers of 0015 allow a forward
    move to an event of the chain). Returns the forged event's id."""
    hall = session.scalar(select(Site.id).where(Site.code == "hall"))
    head = session.execute(select(AuditHead.seq).where(AuditHead.site_id == hall)).one()
    bogus = "f" * 64
    result = session.execute(insert(TicketEvent).values(
        site_id=hall, action="issue", at=dt.datetime.now(dt.UTC), detail={"forged": True},
        chain_seq=head.seq + 1, chain_hash=bogus))
    assert result.inserted_primary_key is not None
    forged = result.inserted_primary_key[0]
    session.execute(update(AuditHead).where(AuditHead.site_id == hall)
                    .values(seq=head.seq + 1, hash=bogus))
    return int(forged)


@pytest.mark.parametrize("empty_db_url", ["postgres", "mariadb"], indirect=True)
def test_every_break_is_named_not_only_the_first(db: Database, kiosk_login: Database) -> None:
    """A kiosk login forges an event (detected where it is), the hall goes on chaining
    after it, and the database owner later edits an event after the forgery: both are
    named, each where it happened, and an edit before either is named too."""
    _work(db)
    forged_id = kiosk_login.write(_forge_next_event)
    for service in ("SA", "SB", "SA"):  # the hall goes on: these chain on the forged hash
        issuing.issue_ticket(db, service, site="hall")
    events = _events(db)
    forged = next(e for e in events if e.id == forged_id)
    later = events[-2]
    assert later.chain_seq > forged.chain_seq + 1
    verdict = _verdict(db)
    assert [(p.kind, p.seq, p.event_id) for p in verdict.problems] == \
        [("changed", forged.chain_seq, forged_id)]
    assert verdict.checked == len(events)  # the walk went on to the end

    db.write(lambda s: s.execute(update(TicketEvent).where(TicketEvent.id == later.id)
                                 .values(detail={"kind": "green"})))
    verdict = _verdict(db)
    assert [(p.kind, p.seq, p.event_id) for p in verdict.problems] == \
        [("changed", forged.chain_seq, forged_id), ("changed", later.chain_seq, later.id)]
    assert verdict.problem == verdict.problems[0] and verdict.problem_count == 2
    assert verdict.as_dict()["problem"] == verdict.problems[0].as_dict()
    assert [p["seq"] for p in verdict.as_dict()["problems"]] == [forged.chain_seq,
                                                                 later.chain_seq]

    # A removal and an edit before the forgery: four breaks, in chain order.
    db.write(lambda s: s.execute(update(TicketEvent).where(TicketEvent.id == events[0].id)
                                 .values(action="call")))
    db.write(lambda s: s.execute(delete(TicketEvent).where(TicketEvent.id == events[2].id)))
    verdict = _verdict(db)
    assert [(p.kind, p.seq) for p in verdict.problems] == [
        ("changed", events[0].chain_seq), ("removed", events[2].chain_seq),
        ("changed", forged.chain_seq), ("changed", later.chain_seq)]
    # A span's walk finds the breaks inside it too.
    today = dt.date.today()
    ranged = _verdict(db, first_day=today - dt.timedelta(days=1),
                      last_day=today + dt.timedelta(days=1))
    assert [(p.kind, p.seq) for p in ranged.problems] == [(p.kind, p.seq)
                                                          for p in verdict.problems]

"""The audit chain: every event of a site hash-chained to the one before it, and the walk
that finds every event changed, removed or inserted out of place.

Each event gets its place in its site's chain (``chain_seq`` 1, 2, 3, ...) and
``chain_hash`` = sha256 over the previous event's hash and the event's content. The places
and the previous hash come from the site's ``audit_head`` row, which the operation locks in
its last steps (:func:`lock_head`) and keeps locked until it commits, so concurrent
terminals append one after the other in commit order, whatever ids their rows got. The
head is a row of its own, not the site's change marker, so the chain does not depend on
how terminals learn about changes.

The chain does not stop the database owner, who may rewrite every event and recompute
every hash after it; it shows any change made otherwise, and any made by the owner after
the chain's head was copied elsewhere (``audit verify --json`` prints it; see
docs/security.md).
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Table, Text, bindparam, func, insert, select, text, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.sql import Executable
from sqlalchemy.sql.elements import TextClause

from shared.db import Database, locking
from shared.errors import NotFound
from shared.lookup import site_by_code
from shared.models import AuditHead, Site, TicketEvent

GENESIS = "0" * 64
ADMIN_ACTION = "admin"
# How the events being written came about when not at a terminal by its clerk, e.g.
# "command line on behalf of c3" (set by hallq-admin for its run; recorded in each event's
# detail as "via").
VIA: ContextVar[str | None] = ContextVar("hallq_event_via", default=None)
_CONTENT = ("site_id", "ticket_id", "action", "from_state", "to_state", "window_id",
            "clerk_id", "service_id")


def _stamp(at: dt.datetime) -> str:
    return at.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")


def digest(previous: str, seq: int, event: Mapping[str, Any]) -> str:
    """The hash of one event: over the previous event's hash, its place and its content.

    The text hashed is the JSON array ``[previous, seq, *content]`` (sorted keys, no
    spaces, UTF-8), written as the place's prefix and the content's tail so that
    PostgreSQL can hash the same text with the head it locks (:func:`chain_on_server`)."""
    text = f'["{previous}",{seq},' + content_tail(event)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def content_tail(event: Mapping[str, Any]) -> str:
    """The hashed text after the previous hash and the place: the event's content as the
    rest of a JSON array."""
    content = [*(event[name] for name in _CONTENT), _stamp(event["at"]), event["detail"] or {}]
    text = json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return text[1:]  # without the "[" the prefix opened


# --------------------------------------------------------------------------- appending


@dataclass
class Head:
    """A site's chain head, locked by the operation until it commits."""

    site_id: int
    seq: int
    hash: str


_HEAD = locking(select(AuditHead.seq, AuditHead.hash)
                .where(AuditHead.site_id == bindparam("head_site")))
_MOVE_HEAD = (update(AuditHead).where(AuditHead.site_id == bindparam("head_site"))
              .values(seq=bindparam("head_seq"), hash=bindparam("head_hash")))


def lock_head(session: Session, site_id: int) -> Head:
    """Lock the site's chain head (created at the site's first event) and read it."""
    row = session.execute(_HEAD, {"head_site": site_id}).first()
    if row is None:
        try:
            with session.begin_nested():
                session.execute(insert(AuditHead).values(site_id=site_id, seq=0, hash=GENESIS))
        except IntegrityError:  # another terminal created it first
            pass
        row = session.execute(_HEAD, {"head_site": site_id}).one()
    return Head(site_id, int(row.seq), str(row.hash))


def chain(head: Head, events: list[dict[str, Any]]) -> tuple[Executable, dict[str, Any]]:
    """Give ``events`` (rows about to be inserted, in order) their places and hashes after
    ``head``; returns the statement that moves the head, to run in the same transaction."""
    for event in events:
        if event["site_id"] != head.site_id:
            raise ValueError(f"event of site {event['site_id']} in the chain of {head.site_id}")
        head.seq += 1
        head.hash = digest(head.hash, head.seq, event)
        event["chain_seq"] = head.seq
        event["chain_hash"] = head.hash
    return _MOVE_HEAD, {"head_site": head.site_id, "head_seq": head.seq,
                        "head_hash": head.hash}


# PostgreSQL: the events' places and hashes computed by the server from the head it
# locks, the events inserted with them and the head moved to the last, in ONE statement:
# the head is locked FOR UPDATE in its first part, each event's place and hash follow
# from the one before it, the events are inserted in chain order (ascending ids), then
# the head is set to the last (after the insert: the head's guard, migration 0015, looks
# for that event). It goes out in the operation's pipeline with its other writes, so the
# head (the one row every write of a site takes) is held from there to the COMMIT right
# after, not across a round trip for its read and the terminal's hashing. The hashed text
# is :func:`digest`'s. Nothing is read back from ``ticket_event`` (not every login that
# appends may read its columns). Without a head row (a site's first event) the events
# would get no place: callers use this only for a site whose head exists (``audit
# verify`` names such an event "added without a place in the chain").
_NEXT_HASH = ("""encode(sha256(convert_to('["' || {head}.hash || '",' || ({head}.seq + 1)"""
              """ || ',' || :chain_tail_{n}, 'UTF8')), 'hex')""")
_EVENT_COLUMNS = (*_CONTENT, "at", "detail")


@functools.cache
def _insert_chained(count: int, row_table: Table | None = None,
                    row_columns: tuple[str, ...] = ()) -> TextClause:
    """The statement that appends ``count`` events of one site (parameters ``site_id``
    and, per event n, ``<column>_n`` and ``chain_tail_n``), and inserts a row of
    ``row_columns`` into ``row_table`` (parameters ``row_<column>``) if given."""
    parts = ["head AS (SELECT seq, hash FROM audit_head WHERE site_id = :site_id FOR UPDATE)"]
    previous = "head"
    for n in range(count):
        source = "(SELECT 1) AS one LEFT JOIN head ON true" if n == 0 else previous
        parts.append(f"c{n} AS (SELECT {previous}.seq + 1 AS seq,"
                     f" {_NEXT_HASH.format(head=previous, n=n)} AS hash FROM {source})")
        previous = f"c{n}"
    rows = " UNION ALL ".join(
        "SELECT " + ", ".join(":site_id" if name == "site_id" else f":{name}_{n}"
                              for name in _EVENT_COLUMNS) + f", c{n}.seq, c{n}.hash FROM c{n}"
        for n in range(count))
    parts.append(f"added AS (INSERT INTO ticket_event ({', '.join(_EVENT_COLUMNS)}, chain_seq,"
                 f" chain_hash) {rows} RETURNING 1)")
    if row_table is not None:
        parts.append(f"row_added AS (INSERT INTO {row_table.name} ({', '.join(row_columns)})"
                     f" VALUES ({', '.join(f':row_{name}' for name in row_columns)}))")
    sql = (f"WITH {', '.join(parts)} UPDATE audit_head SET seq = last.seq, hash = last.hash"
           f" FROM {previous} AS last WHERE audit_head.site_id = :site_id"
           f" AND (SELECT count(*) FROM added) = {count}")
    types = {column.name: column.type for column in TicketEvent.__table__.c}
    return text(sql).bindparams(
        bindparam("site_id", type_=types["site_id"]),
        *(bindparam(f"{name}_{n}", type_=types[name])
          for n in range(count) for name in _EVENT_COLUMNS if name != "site_id"),
        *(bindparam(f"chain_tail_{n}", type_=Text()) for n in range(count)),
        *(bindparam(f"row_{name}", type_=row_table.c[name].type) for name in row_columns
          if row_table is not None))


def chains_on_server(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def chain_on_server(events: list[dict[str, Any]],
                    row: tuple[Table, dict[str, Any]] | None = None
                    ) -> list[tuple[Executable, dict[str, Any]]]:
    """The statement that inserts ``events`` (one site's, in order) at the end of their
    site's chain on PostgreSQL, each given its place and hash by the server; with
    ``row`` (a table and its values: the operation's request key), the same statement
    inserts that row too, one statement fewer for the operation to send."""
    site_id = events[0]["site_id"]
    params: dict[str, Any] = {"site_id": site_id}
    if row is not None:
        params |= {f"row_{name}": value for name, value in row[1].items()}
    for n, event in enumerate(events):
        if event["site_id"] != site_id:
            raise ValueError(f"event of site {event['site_id']} in the chain of {site_id}")
        for name in _EVENT_COLUMNS:
            if name != "site_id":
                params[f"{name}_{n}"] = event[name]
        params[f"chain_tail_{n}"] = content_tail(event)
    if row is None:
        return [(_insert_chained(len(events)), params)]
    return [(_insert_chained(len(events), row[0], tuple(row[1])), params)]


def event_row(site_id: int, action: str, *, at: dt.datetime, ticket_id: int | None = None,
              from_state: str | None = None, to_state: str | None = None,
              window_id: int | None = None, clerk_id: int | None = None,
              service_id: int | None = None, detail: dict[str, Any] | None = None
              ) -> dict[str, Any]:
    """An event row as :func:`append` and :func:`chain` take it."""
    return {"site_id": site_id, "ticket_id": ticket_id, "action": str(action),
            "from_state": from_state, "to_state": to_state, "window_id": window_id,
            "clerk_id": clerk_id, "service_id": service_id, "at": at, "detail": detail or {}}


def append(session: Session, events: list[dict[str, Any]]) -> None:
    """Chain and insert events of one site now (for writes outside the queue operations'
    frame, which chains its own in :func:`shared.operation.done`)."""
    if not events:
        return
    head = lock_head(session, events[0]["site_id"])
    move, params = chain(head, events)
    connection = session.connection()
    connection.execute(insert(TicketEvent), events)
    connection.execute(move, params)


def record_admin(db: Database, *, site: str | None, command: str, arguments: dict[str, Any],
                 clerk: str | None, os_user: str, host: str) -> bool:
    """Record an administrative command in the audit chain of ``site`` (else of the first
    site: hall-wide commands such as ``clerk add`` go there), with who ran it where and the
    clerk who authenticated (None: nobody did). False when there is no site to record in
    yet (before the first catalog load)."""

    def op(session: Session) -> bool:
        from shared.db import server_now
        from shared.lookup import clerk_by_login

        site_id = session.scalar(select(Site.id).where(Site.code == site)) if site else None
        if site_id is None:
            site_id = session.scalar(select(Site.id).order_by(Site.id).limit(1))
        if site_id is None:
            return False
        detail = {"command": command, "arguments": arguments, "os_user": os_user,
                  "host": host, "clerk": clerk}
        if (via := VIA.get()) is not None:
            detail["via"] = via
        clerk_id = clerk_by_login(session, clerk).id if clerk else None
        append(session, [event_row(site_id, ADMIN_ACTION, at=server_now(session),
                                   clerk_id=clerk_id, detail=detail)])
        return True

    return db.write(op, name="record_admin")


# --------------------------------------------------------------------------- verifying


@dataclass(frozen=True)
class Problem:
    seq: int | None
    event_id: int | None
    kind: str  # changed / removed / inserted
    detail: str

    def as_dict(self) -> dict[str, Any]:
        return {"seq": self.seq, "event_id": self.event_id, "kind": self.kind,
                "detail": self.detail}


# The problems a verdict lists; more are counted (a vandal may break thousands of links).
MAX_LISTED = 1000


@dataclass
class SiteVerdict:
    site: str
    checked: int = 0
    first_seq: int | None = None
    last_seq: int | None = None
    head_seq: int = 0
    head_hash: str = GENESIS
    # Every break found, in chain order (the first MAX_LISTED); problem_count counts all.
    problems: list[Problem] = field(default_factory=list)
    problem_count: int = 0
    unchained: int = 0  # events older than the chain (written before it existed)

    @property
    def problem(self) -> Problem | None:
        """The first break (what verify named before it walked on past breaks)."""
        return self.problems[0] if self.problems else None

    @property
    def intact(self) -> bool:
        return self.problem_count == 0

    def add(self, problem: Problem) -> None:
        self.problem_count += 1
        if len(self.problems) < MAX_LISTED:
            self.problems.append(problem)

    def as_dict(self) -> dict[str, Any]:
        return {"site": self.site, "intact": self.intact, "checked": self.checked,
                "first_seq": self.first_seq, "last_seq": self.last_seq,
                "head": {"seq": self.head_seq, "hash": self.head_hash},
                "events_before_chain": self.unchained,
                "problem": self.problem.as_dict() if self.problem else None,
                "problems": [p.as_dict() for p in self.problems],
                "problem_count": self.problem_count}


def verify(db: Database, *, site: str | None = None, first_day: dt.date | None = None,
           last_day: dt.date | None = None) -> list[SiteVerdict]:
    """Walk each site's chain (or ``site``'s), over the events of the days given (all by
    default), and report every event changed, removed or inserted out of place: the walk
    goes on past a break, so a later change is not hidden behind an earlier one."""
    with db.read_streaming() as session:
        sites = ([site_by_code(session, site)] if site is not None else
                 list(session.scalars(select(Site).order_by(Site.code))))
        if site is not None and not sites:
            raise NotFound(f"没有站点 {site} (no site {site!r})")
        return [_verify_site(session, s, first_day, last_day) for s in sites]


def _bounds(site: Site, first_day: dt.date | None, last_day: dt.date | None
            ) -> tuple[dt.datetime | None, dt.datetime | None]:
    zone = ZoneInfo(site.timezone)

    def start(day: dt.date) -> dt.datetime:
        return dt.datetime.combine(day, dt.time(), tzinfo=zone).astimezone(dt.UTC)

    return (start(first_day) if first_day else None,
            start(last_day + dt.timedelta(days=1)) if last_day else None)


@contextmanager
def _events(session: Session, site_id: int, start: dt.datetime | None, end: dt.datetime | None
            ) -> Iterator[Iterator[TicketEvent]]:
    """The site's chained events of the span in chain order, streamed (the server-side
    cursor is closed however the walk ends)."""
    query = (select(TicketEvent).where(TicketEvent.site_id == site_id,
                                       TicketEvent.chain_seq.is_not(None))
             .order_by(TicketEvent.chain_seq))
    if start is not None:
        # The chain's order is its places, not the times: take the places of the span.
        first = session.scalar(select(func.min(TicketEvent.chain_seq)).where(
            TicketEvent.site_id == site_id, TicketEvent.at >= start))
        if first is None:
            yield iter(())
            return
        query = query.where(TicketEvent.chain_seq >= first)
    if end is not None:
        last = session.scalar(select(func.max(TicketEvent.chain_seq)).where(
            TicketEvent.site_id == site_id, TicketEvent.at < end))
        if last is None:
            yield iter(())
            return
        query = query.where(TicketEvent.chain_seq <= last)
    result = session.scalars(query.execution_options(yield_per=2000))
    try:
        yield iter(result)
    finally:
        result.close()


def _row(event: TicketEvent) -> dict[str, Any]:
    return {name: getattr(event, name) for name in (*_CONTENT, "at", "detail")}


def _verify_site(session: Session, site: Site, first_day: dt.date | None,
                 last_day: dt.date | None) -> SiteVerdict:
    verdict = SiteVerdict(site.code)
    head = session.execute(select(AuditHead.seq, AuditHead.hash)
                           .where(AuditHead.site_id == site.id)).first()
    if head is not None:
        verdict.head_seq, verdict.head_hash = int(head.seq), str(head.hash)
    first_chained = session.scalar(select(func.min(TicketEvent.id)).where(
        TicketEvent.site_id == site.id, TicketEvent.chain_seq.is_not(None)))
    unchained = select(TicketEvent.id).where(TicketEvent.site_id == site.id,
                                             TicketEvent.chain_seq.is_(None))
    verdict.unchained = int(session.scalar(
        select(func.count()).select_from(unchained.subquery())) or 0)
    start, end = _bounds(site, first_day, last_day)
    whole = start is None and end is None
    with _events(session, site.id, start, end) as events:
        previous = _walk(session, site.id, events, verdict, whole)
    if whole:
        last = verdict.last_seq or 0
        if verdict.head_seq > last:
            verdict.add(Problem(last + 1, None, "removed",
                                f"events #{last + 1}..#{verdict.head_seq} are missing (the "
                                f"chain's head is at #{verdict.head_seq})"))
        elif verdict.head_seq < last:
            verdict.add(Problem(verdict.head_seq + 1, None, "inserted",
                                f"events after #{verdict.head_seq}, the chain's head, were "
                                f"added outside it"))
        elif last and verdict.head_hash != previous:
            verdict.add(Problem(last, None, "changed",
                                f"the chain's head does not match event #{last}"))
    if first_chained is not None:
        strays = session.scalars(unchained.where(TicketEvent.id > first_chained)
                                 .order_by(TicketEvent.id))
        for stray in strays:
            verdict.add(Problem(None, int(stray), "inserted",
                                f"event id {stray} was added without a place in the chain"))
    return verdict


def _walk(session: Session, site_id: int, events: Iterator[TicketEvent], verdict: SiteVerdict,
          whole: bool) -> str:
    """Check each event's place and hash against the one before, adding every break to
    ``verdict``; returns the hash the walk ended on.

    After a break the walk re-anchors on the stored hash of the event where it broke (the
    events after it were chained on that hash, by whoever wrote them), so each later break
    is found on its own."""
    expected: int | None = None
    previous = GENESIS
    unanchored = False
    for event in events:
        seq = int(event.chain_seq or 0)
        stored = str(event.chain_hash)
        if expected is None:
            verdict.first_seq = seq
            expected = 1 if whole else seq
            if not whole and seq > 1:
                before = session.scalar(select(TicketEvent.chain_hash).where(
                    TicketEvent.site_id == site_id, TicketEvent.chain_seq == seq - 1))
                if before is None:
                    verdict.add(Problem(seq - 1, None, "removed",
                                        f"event #{seq - 1}, just before the span, is missing"))
                    unanchored = True  # nothing to check this one against
                previous = str(before)
        verdict.checked += 1
        verdict.last_seq = seq
        if unanchored:
            unanchored = False
        elif seq != expected:
            gap = f"#{expected}" if seq == expected + 1 else f"#{expected}..#{seq - 1}"
            verdict.add(Problem(expected, None, "removed",
                                f"event {gap} is missing (the chain goes on at #{seq})"))
        elif digest(previous, seq, _row(event)) != stored:
            verdict.add(Problem(seq, event.id, "changed",
                                f"event #{seq} (id {event.id}, {event.action} at "
                                f"{_stamp(event.at)}Z) does not match its hash: changed "
                                f"after it was written, or put in place of another"))
        previous = stored
        expected = seq + 1
    return previous

"""The change feed: the one way terminals learn what changed at a site.

Every write transaction ends with :func:`touch`, which bumps the site's version in
``site_state`` and, on PostgreSQL, sends a NOTIFY in the same statement whose payload
says what changed (:class:`Change`: the kinds of change, the tickets, windows and services
involved). On SQLite and MariaDB a watcher polls the version (one cheap statement) and,
when it moved, reads the site's event log (``ticket_event``) past the last event it saw to
learn the same. A :class:`ChangeWatcher` hides the difference: ``changes()`` returns
the changes since the last call, and each terminal refreshes only for those that concern
it (``concerns_*`` in :mod:`shared.read`).

On PostgreSQL and MariaDB the bump runs right after the operation commits, in a
transaction of its own (on PostgreSQL in the operation's final pipeline, behind its
COMMIT: shared.db.pipelined): the marker row is one per site, and bumped inside
the operation it would be locked from then until the operation's COMMIT, so every write
of the hall would queue behind any terminal slow to commit (a frozen PC held a whole
hall for as long as it was frozen). A watcher that sees the new version therefore always
sees the change; a terminal that dies between its commit and the bump leaves that one
change unsignalled until the site's next one (docs/architecture.md, "The change feed").
On SQLite a writer holds the whole database until it commits anyway, so the bump stays
inside the transaction.

Event ids are handed out at insert, not at commit, so a poller may see event 105 before
104 commits: it keeps re-reading the last :data:`LOOK_BACK_S` seconds' ids it has seen
and reports 104 when it appears. Each operation bumps the version once, so a poller also
counts the operations it saw against the bumps: a bump with no events to show for it (a
catalog load, a lease that lapsed) is reported as a change of everything.
"""

from __future__ import annotations

import json
import logging
import math
import select as select_module
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import String, bindparam, cast, func, literal, select, update
from sqlalchemy.orm import Session

from shared.db import Database, after_commit
from shared.models import SiteState, TicketEvent

if TYPE_CHECKING:
    import psycopg

log = logging.getLogger(__name__)
CHANNEL = "hallq_changes"
# PostgreSQL refuses NOTIFY payloads from 8000 bytes; a change naming more ids than fit
# (a day's roll-over expiring hundreds of tickets) says "everything" instead.
MAX_PAYLOAD = 7000
# How long a poller keeps re-reading event ids it has seen, for an earlier id whose
# transaction commits later (operations last milliseconds; the server ends any transaction
# idle for 2 s).
LOOK_BACK_S = 10.0

# Kinds of change besides the ticket actions of shared.states.Action (which are the kinds
# of the operations' changes): SITE is a change of anything (catalog, sites, windows
# added or removed, and whatever a watcher could not tell).
SITE = "site"
CLERK = "clerk"  # a clerk's presence at a window (lease lapsed and renewed)
HELP = "help"  # a kiosk's help request, asked or acknowledged
EVALUATION = "evaluation"  # a rating, its comment, a follow-up
REMOTE = "remote"  # a remote ticket taken on the phone pages (counts against quotas)


# raw_decode: json.loads would also match a whitespace regex on both ends of every
# payload, which costs more than the decoding itself in a feed woken for each change.
_PAYLOAD_DECODER = json.JSONDecoder()


@dataclass(frozen=True)
class Change:
    """What one write changed at a site: its kinds (ticket actions such as "call", or
    the kinds above), the ids of the tickets, windows and services involved. ``everything``
    is a change whose extent is not known (a reconnect, a catalog load): every screen
    refreshes for it."""

    site_id: int
    kinds: frozenset[str]
    tickets: frozenset[int] = frozenset()
    windows: frozenset[int] = frozenset()
    services: frozenset[int] = frozenset()
    everything: bool = False
    version: int | None = None

    def merged(self, other: Change) -> Change:
        """One change standing for both (what a screen refreshing once for both needs)."""
        return Change(self.site_id, self.kinds | other.kinds, self.tickets | other.tickets,
                      self.windows | other.windows, self.services | other.services,
                      self.everything or other.everything,
                      max(self.version or 0, other.version or 0) or None)

    def payload(self) -> str:
        """The NOTIFY payload without the site and version (added in SQL)."""
        body = json.dumps({"k": sorted(self.kinds), "t": sorted(self.tickets),
                           "w": sorted(self.windows), "s": sorted(self.services),
                           "all": self.everything}, separators=(",", ":"))
        if len(body) > MAX_PAYLOAD:
            body = json.dumps({"k": sorted(self.kinds)[:50], "t": [], "w": [], "s": [],
                               "all": True}, separators=(",", ":"))
        return body

    @classmethod
    def from_notify(cls, payload: str | bytes) -> Change | None:
        """The change a NOTIFY payload ("site:version:json", as text or as the driver's
        bytes) describes; None if it is not one (an older terminal's bare site id)."""
        try:
            text = payload.decode() if isinstance(payload, bytes) else payload
            site, version, body = text.split(":", 2)
            data = _PAYLOAD_DECODER.raw_decode(body)[0]
            return cls(int(site), frozenset(data["k"]), frozenset(data["t"]),
                       frozenset(data["w"]), frozenset(data["s"]), bool(data["all"]),
                       int(version))
        except (ValueError, KeyError, TypeError):
            return None


def everything(site_id: int, version: int | None = None) -> Change:
    return Change(site_id, frozenset({SITE}), everything=True, version=version)


def of_events(site_id: int, events: Iterable[dict[str, object]],
              extra_windows: Iterable[int] = (), extra_services: Iterable[int] = ()) -> Change:
    """The change an operation's event rows describe (``shared.operation.record_event``)."""
    rows = list(events)

    def ids(key: str) -> set[int]:
        return {int(v) for row in rows if isinstance(v := row.get(key), int)}

    return Change(site_id, frozenset(str(row["action"]) for row in rows),
                  frozenset(ids("ticket_id")), frozenset(ids("window_id") | set(extra_windows)),
                  frozenset(ids("service_id") | set(extra_services)))


_BUMP = (update(SiteState).where(SiteState.site_id == bindparam("bumped_site"))
         .values(version=SiteState.version + 1))
# On PostgreSQL the NOTIFY rides on the same statement, saving a round trip; its payload
# is "site:version:what" with the version just made.
_BUMP_AND_NOTIFY = _BUMP.returning(func.pg_notify(
    CHANNEL, cast(SiteState.site_id, String) + literal(":") + cast(SiteState.version, String)
    + literal(":") + bindparam("payload", type_=String)))


def touch(session: Session, site_id: int, change: Change | None = None) -> None:
    """Mark the site changed: at once on SQLite (call it last), after the commit on a
    server (see the module's docstring). ``change`` says what changed (PostgreSQL sends
    it; pollers read it from the event log); None: anything may have."""
    dialect = session.get_bind().dialect.name
    if dialect == "sqlite":
        session.connection().execute(_BUMP, {"bumped_site": site_id})
    elif dialect == "postgresql":
        payload = (change or everything(site_id)).payload()
        after_commit(session, ("feed.touch", site_id), _BUMP_AND_NOTIFY,
                     {"bumped_site": site_id, "payload": payload})
    else:
        after_commit(session, ("feed.touch", site_id), _BUMP, {"bumped_site": site_id})


def current_version(db: Database, site_id: int) -> int:
    with db.read() as session:
        return int(session.scalar(select(SiteState.version)
                                  .where(SiteState.site_id == site_id)) or 0)


# What a poller reads of the event log (the columns granted to every terminal kind).
_EVENTS_PAST = (select(TicketEvent.id, TicketEvent.action, TicketEvent.ticket_id,
                       TicketEvent.window_id, TicketEvent.service_id, TicketEvent.at)
                .where(TicketEvent.site_id == bindparam("site_id"),
                       TicketEvent.id > bindparam("floor"))
                .order_by(TicketEvent.id))
_LAST_EVENT = select(func.max(TicketEvent.id)).where(TicketEvent.site_id == bindparam("site_id"))


class ChangeWatcher:
    """Waits for changes at one site: LISTEN on PostgreSQL, polling elsewhere.

    Not thread-safe; give each thread its own watcher. ``close()`` releases the
    listening connection. Use either :meth:`wait` (that something changed) or
    :meth:`changes` (what changed), not both.
    """

    def __init__(self, db: Database, site_id: int, *, poll_interval: float = 0.2) -> None:
        self.db = db
        self.site_id = site_id
        self.poll_interval = poll_interval
        self.version = -1
        self._listen_conn: psycopg.Connection[Any] | None = None
        self._site_prefix = f"{site_id}:".encode()  # how this site's payloads begin
        self._closed = threading.Event()
        self._notified: list[Change] = []
        # Polling: ids above the floor seen (with when), and operations seen minus bumps.
        self._floor = 0
        self._seen: dict[int, float] = {}
        self._surplus = 0

    def _listen(self) -> bool:
        """Start listening if not yet; True if it just started."""
        if self._listen_conn is not None or not self.db.is_postgres:
            return False
        import psycopg

        url = self.db.url.set(drivername="postgresql")
        conninfo = url.render_as_string(hide_password=False)
        conn = psycopg.connect(conninfo, autocommit=True, connect_timeout=5)
        try:
            # A payload arriving with the answer goes to psycopg's backlog, which
            # _wait_notify does not read: it was sent after a commit the version read
            # that follows (_notify_changes) sees.
            conn.execute(f"LISTEN {CHANNEL}")
        except BaseException:
            conn.close()
            raise
        self._listen_conn = conn
        return True

    def wait(self, timeout: float = 1.0) -> int | None:
        """Return the new version if the site changed since the last call, waiting up to
        ``timeout`` seconds; None if nothing changed. The first call returns at once."""
        deadline = time.monotonic() + timeout
        while not self._closed.is_set():
            if self.db.is_postgres:
                self._listen()
            version = current_version(self.db, self.site_id)
            if version != self.version:
                self.version = version
                return version
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return None
            if self._listen_conn is not None:
                self._wait_notify(min(remaining, 5.0))
                self._notified.clear()  # wait() tells only that something changed
            else:
                self._closed.wait(min(self.poll_interval, remaining))
        return None

    def changes(self, timeout: float = 1.0) -> list[Change]:
        """The changes at the site since the last call, waiting up to ``timeout`` seconds
        for one; [] if none. The first call (and the first after a reconnect) returns a
        change of everything at once."""
        deadline = time.monotonic() + timeout
        postgres = self.db.is_postgres
        while not self._closed.is_set():
            if not postgres:
                found = self._poll_changes()
            elif self._notified or self._listen_conn is None:
                found = self._notify_changes()
            else:  # woken for nothing of this site's (or not yet waited)
                found = []
            if found:
                return found
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return []
            if self._listen_conn is not None:
                self._wait_notify(min(remaining, 5.0))
            else:
                self._closed.wait(min(self.poll_interval, remaining))
        return []

    def paced_changes(self, pacer: RefreshPacer, longest: float) -> list[Change]:
        """:meth:`changes` for a screen paced by ``pacer``, waiting at most ``longest``
        seconds. While the pacer holds a change, whatever arrives meanwhile would only
        merge into it, so the watcher rests until the held change is due and then takes
        in everything that came: in a busy hall a screen's feed wakes about once per
        interval instead of for each of tens of changes a second (on MariaDB and SQLite,
        polls the version that much less). A change of everything found then (a missed
        notification) waits at most that interval, like the held one."""
        held_for = pacer.wait_time()
        if held_for:
            self._rest(held_for)
        return self.changes(timeout=pacer.timeout(longest))

    def _rest(self, seconds: float) -> None:
        if self._closed.wait(seconds):
            return
        if self._listen_conn is not None:
            self._wait_notify(0)  # what arrived meanwhile, without waiting for more

    # --- PostgreSQL: the payloads ------------------------------------------------------

    def _notify_changes(self) -> list[Change]:
        found: list[Change] = []
        if self._listen_conn is None and self._listen():
            # (re)connected: whatever happened meanwhile is unknown
            version = current_version(self.db, self.site_id)
            if version != self.version:
                found.append(everything(self.site_id, version))
                self.version = version
        notified, self._notified = self._notified, []
        for change in notified:
            if change.version is None or change.version <= self.version:
                continue  # counted in the version read when listening began
            if self.version >= 0 and change.version > self.version + 1:
                found.append(everything(self.site_id, change.version))  # one went missing
            self.version = change.version
            found.append(change)
        return found

    def _wait_notify(self, timeout: float) -> None:
        conn = self._listen_conn
        assert conn is not None
        pgconn = conn.pgconn
        try:
            # The socket asked for each time: it raises once libpq has dropped the
            # connection (whose descriptor number may by then belong to another one).
            if not select_module.select([pgconn.socket], (), (), timeout)[0]:
                return
            # Drained at the libpq level: psycopg's notifies() generator polls the socket
            # once more and builds two Notify objects per payload, and a feed wakes for
            # every change of the site (tens a second in a busy hall).
            pgconn.consume_input()  # raises if the connection is gone
            prefix, notified = self._site_prefix, self._notified
            while (notify := pgconn.notifies()) is not None:
                payload = notify.extra
                if payload.startswith(prefix):  # other sites' changes are not parsed
                    change = Change.from_notify(payload)
                    if change is not None and change.site_id == self.site_id:
                        notified.append(change)
        except Exception as exc:
            log.warning("change feed lost its LISTEN connection (%s); reconnecting", exc)
            self._drop_listener()

    # --- SQLite, MariaDB: the version, then the event log --------------------------------

    def _poll_changes(self) -> list[Change]:
        version = current_version(self.db, self.site_id)
        if version == self.version:
            return []
        if self.version < 0:  # the first look: start after the site's last event
            with self.db.read() as session:
                self._floor = int(session.scalar(_LAST_EVENT, {"site_id": self.site_id}) or 0)
            self.version = version
            return [everything(self.site_id, version)]
        bumps, self.version = version - self.version, version
        now = time.monotonic()
        with self.db.read() as session:
            rows = [row for row in session.execute(
                _EVENTS_PAST, {"site_id": self.site_id, "floor": self._floor})
                if row.id not in self._seen]
        operations: dict[object, list[dict[str, object]]] = {}
        for row in rows:  # one operation's events share its timestamp
            self._seen[row.id] = now
            operations.setdefault(row.at, []).append(row._asdict())
        self._forget(now)
        found = [of_events(self.site_id, events) for events in operations.values()]
        self._surplus += len(found) - bumps
        if self._surplus < 0:  # a bump without events (or one we cannot see): refresh all
            found.append(everything(self.site_id, version))
            self._surplus = 0
        return found

    def _forget(self, now: float) -> None:
        """Raise the floor past the ids seen longer ago than the look-back."""
        old = [event_id for event_id, seen in self._seen.items() if now - seen > LOOK_BACK_S]
        if old:
            self._floor = max(self._floor, *old)
            for event_id in old:
                del self._seen[event_id]
            for event_id in [e for e in self._seen if e <= self._floor]:
                del self._seen[event_id]

    def _drop_listener(self) -> None:
        if self._listen_conn is not None:
            try:
                self._listen_conn.close()
            except Exception:
                log.debug("closing LISTEN connection failed", exc_info=True)
            self._listen_conn = None

    def interrupt(self) -> None:
        """End a wait in :meth:`changes` from another thread (the watcher stays usable
        only for :meth:`close`)."""
        self._closed.set()

    def close(self) -> None:
        self._closed.set()
        self._drop_listener()


# How often at most a screen re-reads for changes made elsewhere (Config.refresh_ms).
REFRESH_INTERVAL_S = 1.0
# The hall display at most this (or refresh_ms if smaller): a call shown and spoken a
# quarter second late goes unnoticed, but a call must not wait for a whole interval.
DISPLAY_REFRESH_MAX_S = 0.25
# Its waiting counts at most this often (see Throttle): they come with the estimated
# waits, whose prediction costs several times the reading of the calls, and a count or
# an estimate a second old goes unnoticed.
DISPLAY_COUNTS_REFRESH_S = 1.0


class Throttle:
    """Lets a read start at most once per ``interval`` seconds (the hall display's
    counts, which are read after the calls, so more rarely)."""

    def __init__(self, interval: float, *, clock: Callable[[], float] = time.monotonic
                 ) -> None:
        if interval < 0:
            raise ValueError(f"read interval must not be negative: {interval}")
        self.interval = interval
        self._clock = clock
        self._last_read = -math.inf

    def start_in(self) -> float:
        """0.0 if a read may start now (it is then taken as started), else the seconds
        until one may."""
        now = self._clock()
        wait = self._last_read + self.interval - now
        if wait > 0:
            return wait
        self._last_read = now
        return 0.0


class RefreshPacer:
    """Paces a screen's re-reads: the changes that concern it are passed on at most once
    per ``interval`` seconds, merged, so a busy hall (tens of changes a second, each
    concerning a quarter of the counters) cannot keep every screen re-reading back to
    back. The first change after a quiet interval, and a change of everything, pass at
    once.

    A read that starts after a held change arrived shows it, so :meth:`read_started`
    (the screen starting a read of its own, e.g. after the clerk's action) drops what is
    held and restarts the interval. One feed thread offers changes and takes what is due;
    ``read_started`` may come from any thread.
    """

    def __init__(self, interval: float = REFRESH_INTERVAL_S, *,
                 clock: Callable[[], float] = time.monotonic) -> None:
        if interval < 0:
            raise ValueError(f"refresh interval must not be negative: {interval}")
        self.interval = interval
        self._clock = clock
        self._lock = threading.Lock()
        self._held: Change | None = None
        self._held_last = 0.0  # when the newest of the held changes arrived
        self._last_read = -math.inf  # when the last read began (passed on or reported)

    def offer(self, change: Change) -> Change | None:
        """Take a change that concerns the screen; returns what to read for now (the
        change merged with any held), or None if it is held until :meth:`due`."""
        now = self._clock()
        with self._lock:
            merged = change if self._held is None else self._held.merged(change)
            if change.everything or now - self._last_read >= self.interval:
                self._held = None
                self._last_read = now
                return merged
            self._held, self._held_last = merged, now
            return None

    def due(self) -> Change | None:
        """The held change if its time has come (then no longer held), else None."""
        now = self._clock()
        with self._lock:
            if self._held is None or now - self._last_read < self.interval:
                return None
            held, self._held = self._held, None
            self._last_read = now
            return held

    def wait_time(self) -> float | None:
        """Seconds until the held change is due; None if nothing is held."""
        with self._lock:
            if self._held is None:
                return None
            return max(0.0, self._last_read + self.interval - self._clock())

    def timeout(self, longest: float) -> float:
        """How long a feed may wait for changes: ``longest``, or less if a held change
        falls due sooner."""
        held_for = self.wait_time()
        return longest if held_for is None else min(longest, held_for)

    def pace(self, change: Change | None) -> Change | None:
        """What a feed passes on after a look for changes: ``change`` (what concerned the
        screen, merged; None if nothing did) as :meth:`offer` paces it, else what
        fell due."""
        return self.offer(change) if change is not None else self.due()

    def read_started(self, at: float | None = None) -> None:
        """The screen began a read at ``at`` (this pacer's clock; default now): what
        arrived before it is shown by that read, so it is no longer held."""
        at = self._clock() if at is None else at
        with self._lock:
            if self._held is not None and self._held_last <= at:
                self._held = None
            self._last_read = max(self._last_read, at)

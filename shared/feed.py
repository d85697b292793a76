"""The change feed: the one way terminals learn that something changed at a site.

Every write transaction ends with :func:`touch`, which bumps the site's version in
``site_state`` (the cheap marker SQLite and MariaDB terminals poll) and, on PostgreSQL,
sends a NOTIFY (in the same statement). A :class:`ChangeWatcher` hides the difference:
``wait()`` returns the new version once something changed.

On PostgreSQL and MariaDB the bump runs right after the operation commits, in an
autocommitted statement of its own: the marker row is one per site, and bumped inside
the operation it would be locked from then until the operation's COMMIT, so every write
of the hall would queue behind any terminal slow to commit (a frozen PC held a whole
hall for as long as it was frozen). A watcher that sees the new version therefore always
sees the change; a terminal that dies between its commit and the bump leaves that one
change unsignalled until the site's next one (docs/architecture.md, "The change feed").
On SQLite a writer holds the whole database until it commits anyway, so the bump stays
inside the transaction.
"""

from __future__ import annotations

import logging
import select as select_module
import threading
import time
from typing import TYPE_CHECKING, Any

from sqlalchemy import String, bindparam, cast, func, select, update
from sqlalchemy.orm import Session

from shared.db import Database, after_commit
from shared.models import SiteState

if TYPE_CHECKING:
    import psycopg

log = logging.getLogger(__name__)
CHANNEL = "hallq_changes"


_BUMP = (update(SiteState).where(SiteState.site_id == bindparam("bumped_site"))
         .values(version=SiteState.version + 1))
# On PostgreSQL the NOTIFY rides on the same statement, saving a round trip.
_BUMP_AND_NOTIFY = _BUMP.returning(
    func.pg_notify(CHANNEL, cast(bindparam("bumped_site"), String)))


def touch(session: Session, site_id: int) -> None:
    """Mark the site changed: at once on SQLite (call it last), after the commit on a
    server (see the module's docstring)."""
    dialect = session.get_bind().dialect.name
    params = {"bumped_site": site_id}
    if dialect == "sqlite":
        session.connection().execute(_BUMP, params)
    else:
        after_commit(session, ("feed.touch", site_id),
                     _BUMP_AND_NOTIFY if dialect == "postgresql" else _BUMP, params)


def current_version(db: Database, site_id: int) -> int:
    with db.read() as session:
        return int(session.scalar(select(SiteState.version)
                                  .where(SiteState.site_id == site_id)) or 0)


class ChangeWatcher:
    """Waits for changes at one site: LISTEN on PostgreSQL, polling elsewhere.

    Not thread-safe; give each thread its own watcher. ``close()`` releases the
    listening connection.
    """

    def __init__(self, db: Database, site_id: int, *, poll_interval: float = 0.2) -> None:
        self.db = db
        self.site_id = site_id
        self.poll_interval = poll_interval
        self.version = -1
        self._listen_conn: psycopg.Connection[Any] | None = None
        self._closed = threading.Event()

    def _listen(self) -> None:
        if self._listen_conn is not None or not self.db.is_postgres:
            return
        import psycopg

        url = self.db.url.set(drivername="postgresql")
        conninfo = url.render_as_string(hide_password=False)
        self._listen_conn = psycopg.connect(conninfo, autocommit=True, connect_timeout=5)
        self._listen_conn.execute(f"LISTEN {CHANNEL}")

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
            else:
                self._closed.wait(min(self.poll_interval, remaining))
        return None

    def _wait_notify(self, timeout: float) -> None:
        conn = self._listen_conn
        assert conn is not None
        try:
            ready, _, _ = select_module.select([conn.fileno()], [], [], timeout)
            if ready:
                # Drain whatever arrived; the version check tells what changed.
                for _ in conn.notifies(timeout=0, stop_after=1000):
                    pass
        except Exception as exc:
            log.warning("change feed lost its LISTEN connection (%s); reconnecting", exc)
            self._drop_listener()

    def _drop_listener(self) -> None:
        if self._listen_conn is not None:
            try:
                self._listen_conn.close()
            except Exception:
                log.debug("closing LISTEN connection failed", exc_info=True)
            self._listen_conn = None

    def close(self) -> None:
        self._closed.set()
        self._drop_listener()

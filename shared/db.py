"""Connecting to the hall's database and running one transaction per operation.

Three backends: SQLite (one PC; WAL, busy timeout, every write transaction opened with
BEGIN IMMEDIATE so writers queue instead of failing half-way), PostgreSQL and MariaDB /
MySQL (READ COMMITTED; row locks with ``FOR UPDATE SKIP LOCKED``). A deadlock or
serialization failure is retried a bounded number of times and logged; every other
database error is translated into a domain error here and nowhere else.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import Connection, Engine, Select, create_engine, event, literal_column, select
from sqlalchemy.engine import make_url
from sqlalchemy.exc import (
    ArgumentError,
    DBAPIError,
    DisconnectionError,
    IntegrityError,
    OperationalError,
)
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.sql import ColumnElement

from shared.errors import DatabaseUnavailable, HallQueueError, PermissionDenied, UsageError

log = logging.getLogger(__name__)
T = TypeVar("T")

MAX_ATTEMPTS = 4
# MySQL/MariaDB: 1213 deadlock, 1205 lock wait timeout; PostgreSQL SQLSTATEs below.
_RETRY_MYSQL_CODES = {1213, 1205}
_RETRY_PG_STATES = {"40001", "40P01"}
_UNREACHABLE_MYSQL_CODES = {2002, 2003, 2006, 2013, 2055}
# Refused for lack of privilege: PostgreSQL's SQLSTATE, MariaDB's table, column,
# database, "you need the X privilege" and "may not create users" errors.
_PRIVILEGE_PG_STATE = "42501"
_PRIVILEGE_MYSQL_CODES = {1044, 1142, 1143, 1227, 1370, 1410, 1211}


class Database:
    """One hall database: engines, sessions and the transaction helpers."""

    def __init__(self, url: str, *, echo: bool = False) -> None:
        try:
            parsed = make_url(url)
        except ArgumentError as exc:
            raise UsageError(f"数据库地址无效 (invalid database URL {url!r}): {exc}") from exc
        self.url = parsed
        self.backend = parsed.get_backend_name()
        if self.backend not in ("sqlite", "postgresql", "mysql", "mariadb"):
            raise UsageError(
                f"不支持的数据库 (unsupported database {self.backend!r}); "
                "use sqlite, postgresql+psycopg or mysql+pymysql"
            )
        if self.backend == "sqlite":
            self.engine = _sqlite_engine(url, immediate=True, echo=echo)
            # Readers open deferred transactions so they never wait behind a writer.
            self.read_engine = _sqlite_engine(url, immediate=False, echo=echo)
        else:
            # hide_parameters: an error's message and traceback never carry the values
            # (password hashes, citizens' names and phones; docs/security.md).
            kwargs: dict[str, Any] = {"echo": echo, "pool_size": 5, "hide_parameters": True}
            if self.backend in ("mysql", "mariadb"):
                kwargs["isolation_level"] = "READ COMMITTED"
                kwargs["connect_args"] = {"connect_timeout": 5, "charset": "utf8mb4"}
            else:
                kwargs["connect_args"] = {"connect_timeout": 5}
            self.engine = create_engine(url, **kwargs)
            _ping_idle_connections(self.engine)
            self.read_engine = self.engine
        self._write_sessions = sessionmaker(self.engine, expire_on_commit=False)
        self._read_sessions = sessionmaker(self.read_engine, expire_on_commit=False)

    @staticmethod
    def redacted(url: str) -> str:
        """The URL without its password, for logs and messages."""
        try:
            return make_url(url).render_as_string(hide_password=True)
        except ArgumentError:
            return "<invalid URL>"

    @property
    def is_postgres(self) -> bool:
        return self.backend == "postgresql"

    def dispose(self) -> None:
        self.engine.dispose()
        if self.read_engine is not self.engine:
            self.read_engine.dispose()

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A read-only session; rolled back at the end."""
        with translate_errors(login=self.url.username), self._read_sessions() as session:
            try:
                yield session
            finally:
                session.rollback()

    def write(self, operation: Callable[[Session], T], *, name: str = "operation") -> T:
        """Run ``operation`` in one write transaction, committing on success.

        Deadlocks and serialization failures are retried (bounded, logged); anything else
        rolls back and propagates, translated into a domain error where it is a database one.
        """
        for attempt in range(1, MAX_ATTEMPTS + 1):
            try:
                with (translate_errors(retryable_passthrough=True, login=self.url.username,
                                       what=name),
                      self._write_sessions() as s, s.begin()):
                    return operation(s)
            except _Retryable as exc:
                if attempt == MAX_ATTEMPTS:
                    raise DatabaseUnavailable(
                        f"数据库繁忙，请重试 (database kept reporting conflicts for {name}: "
                        f"{exc.original})"
                    ) from exc.original
                log.warning("retrying %s after %s (attempt %d)", name, exc.original, attempt)
                time.sleep(0.01 * attempt)
        raise AssertionError("unreachable")


class _Retryable(Exception):
    def __init__(self, original: BaseException) -> None:
        super().__init__(str(original))
        self.original = original


# A pooled connection that was used this recently is taken as alive without a ping.
PING_AFTER_IDLE_S = 1.0


def _ping_idle_connections(engine: Engine) -> None:
    """Ping a pooled connection before use only if it sat idle: one that was idle may
    have been cut (server restart, LAN outage) and is replaced before the operation
    starts; a busy terminal's connections skip the round trip. A connection cut in
    between fails its operation with :class:`DatabaseUnavailable`, as a cut during one
    does, and the pool then reconnects."""

    @event.listens_for(engine, "connect")
    def _connected(_dbapi_conn: Any, record: Any) -> None:
        record.info["returned_at"] = time.monotonic()

    @event.listens_for(engine, "checkin")
    def _returned(_dbapi_conn: Any, record: Any) -> None:
        if record is not None:
            record.info["returned_at"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _checked_out(dbapi_conn: Any, record: Any, _proxy: Any) -> None:
        if time.monotonic() - record.info.get("returned_at", 0.0) < PING_AFTER_IDLE_S:
            return
        try:
            alive = engine.dialect.do_ping(dbapi_conn)
        except Exception as exc:
            raise DisconnectionError(f"connection lost while idle: {exc}") from exc
        if not alive:
            raise DisconnectionError("connection lost while idle")


def _sqlite_engine(url: str, *, immediate: bool, echo: bool) -> Engine:
    parsed = make_url(url)
    if parsed.database and parsed.database != ":memory:":
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, echo=echo, connect_args={"timeout": 30}, hide_parameters=True)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        # Take transaction control from pysqlite so that BEGIN is ours to emit.
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA busy_timeout=30000")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine


def is_retryable(exc: DBAPIError) -> bool:
    orig = exc.orig
    code = getattr(orig, "args", [None])[0] if orig is not None else None
    if isinstance(code, int) and code in _RETRY_MYSQL_CODES:
        return True
    sqlstate = getattr(orig, "sqlstate", None) or getattr(orig, "pgcode", None)
    if sqlstate in _RETRY_PG_STATES:
        return True
    # SQLite: busy_timeout already waited; one more try is cheap.
    return "database is locked" in str(orig)


@contextmanager
def translate_errors(*, retryable_passthrough: bool = False, login: str | None = None,
                     what: str | None = None) -> Iterator[None]:
    """Turn driver exceptions into domain errors, in this one place. ``login`` (the
    database login) and ``what`` (the operation) name who was refused what when the
    database refuses for lack of privilege."""
    try:
        yield
    except HallQueueError:
        raise
    except IntegrityError:
        raise  # callers that expect a uniqueness race catch it themselves
    except DBAPIError as exc:
        if (refused := privilege_error(exc, login, what)) is not None:
            raise refused from exc
        if retryable_passthrough and is_retryable(exc):
            raise _Retryable(exc) from exc
        if exc.connection_invalidated or _is_unreachable(exc):
            raise DatabaseUnavailable(
                f"无法连接数据库，请检查网络和数据库服务器 (database unreachable: "
                f"{_first_line(exc.orig)})"
            ) from exc
        raise


def privilege_error(exc: DBAPIError, login: str | None, what: str | None
                    ) -> PermissionDenied | None:
    """The one-line refusal for a statement the database refused for lack of privilege,
    naming the login and what it tried (the statement's verb and the server's words,
    which name the table; never the statement's parameters); None for other errors."""
    orig = exc.orig
    code = getattr(orig, "args", [None])[0] if orig is not None else None
    sqlstate = getattr(orig, "sqlstate", None)
    if sqlstate != _PRIVILEGE_PG_STATE and not (isinstance(code, int)
                                                and code in _PRIVILEGE_MYSQL_CODES):
        return None
    verb = (exc.statement or "").strip().split(" ", 1)[0].upper() or "statement"
    server_words = orig.args[1] if isinstance(code, int) and len(orig.args) > 1 else orig
    who = login or "(this login)"
    doing = f"{what}: " if what else ""
    return PermissionDenied(
        f"数据库账号 {who} 无权执行此操作 (database login {who} was refused {doing}{verb} — "
        f"{_first_line(server_words)}; see docs/security.md for what each kind of terminal may do)")


def _is_unreachable(exc: DBAPIError) -> bool:
    if not isinstance(exc, OperationalError):
        return False
    orig = exc.orig
    code = getattr(orig, "args", [None])[0] if orig is not None else None
    if isinstance(code, int):
        return code in _UNREACHABLE_MYSQL_CODES
    message = str(orig).lower()
    return any(
        word in message
        for word in ("connection", "could not connect", "unable to open", "server closed", "timeout")
    )


def _first_line(obj: object) -> str:
    return str(obj).strip().splitlines()[0] if str(obj).strip() else type(obj).__name__


_NOW_SQL = {
    "postgresql": "clock_timestamp() AT TIME ZONE 'UTC'",
    "mysql": "UTC_TIMESTAMP(6)",
    "mariadb": "UTC_TIMESTAMP(6)",
    "sqlite": "strftime('%Y-%m-%d %H:%M:%f', 'now')",
}


def server_clock(dialect: str) -> ColumnElement[Any]:
    """The server's UTC clock as a column of the ``dialect``'s SQL, to read it in the same
    round trip as other values; turn what it returns into a datetime with
    :func:`as_server_time`."""
    return literal_column(_NOW_SQL[dialect])


def as_server_time(value: Any) -> dt.datetime:
    if isinstance(value, str):  # SQLite returns text
        value = dt.datetime.fromisoformat(value)
    return value.replace(tzinfo=dt.UTC)


def server_now(session: Session) -> dt.datetime:
    """The database server's clock in UTC: LAN terminals disagree about the time."""
    clock = server_clock(session.get_bind().dialect.name)
    return as_server_time(session.execute(select(clock)).scalar_one())


@contextmanager
def pipelined(connection: Connection) -> Iterator[None]:
    """Send the statements executed inside together, in one round trip, where the driver
    can (psycopg's pipeline mode on PostgreSQL); elsewhere they run one by one.

    Only for writes whose results nobody reads: in a pipeline a statement's row count and
    rows are not available. An error surfaces when the block ends, as the database error
    it is."""
    if connection.dialect.name != "postgresql":
        yield
        return
    import psycopg

    driver = connection.connection.driver_connection
    try:
        with driver.pipeline():  # type: ignore[union-attr]
            yield
    except psycopg.Error as exc:
        error = DBAPIError.instance("(pipelined writes)", None, exc, psycopg.Error,
                                    connection_invalidated=bool(driver.broken))  # type: ignore[union-attr]
        if driver.broken:  # type: ignore[union-attr]
            connection.invalidate(exc)
        raise error from exc


def locking(statement: Select[Any], *, skip_locked: bool = False, of: Any = None
            ) -> Select[Any]:
    """``SELECT … FOR UPDATE`` (of the rows of ``of`` only, when given) that also
    refreshes objects this session already loaded: without ``populate_existing`` the ORM
    would keep the stale values it read before the row lock was taken."""
    return statement.with_for_update(skip_locked=skip_locked, of=of).execution_options(
        populate_existing=True)

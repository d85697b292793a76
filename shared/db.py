"""Connecting to the hall's database and running one transaction per operation.

Three backends: SQLite (one PC; WAL, busy timeout, every write transaction opened with
BEGIN IMMEDIATE so writers queue instead of failing half-way), PostgreSQL and MariaDB /
MySQL (READ COMMITTED; row locks with ``FOR UPDATE SKIP LOCKED``). A deadlock or
serialization failure is retried a bounded number of times and logged; every other
database error is translated into a domain error here and nowhere else.

No terminal can hold the hall (docs/config.md, ``[database]``): every server session
carries a lock wait timeout, an idle-in-transaction timeout, a statement timeout and TCP
keepalives. A PostgreSQL session whose client froze in the middle of a pipeline is
"active", not "idle in transaction", and nothing on the server ends it before
PostgreSQL 17's ``transaction_timeout``: an operation whose lock wait timed out ends such
sessions itself (:meth:`Database.end_stuck_sessions`) before it tries again.
"""

from __future__ import annotations

import datetime as dt
import itertools
import logging
import math
import os
import re
import socket
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar, TypeVarTuple

from sqlalchemy import (
    Connection,
    Engine,
    Select,
    create_engine,
    event,
    literal_column,
    select,
    text,
)
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import (
    ArgumentError,
    DBAPIError,
    DisconnectionError,
    IntegrityError,
    OperationalError,
)
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.sql import ColumnElement, Executable

from shared.config import DatabaseConfig
from shared.errors import (
    DatabaseBusy,
    DatabaseUnavailable,
    HallQueueError,
    PermissionDenied,
    UsageError,
)

if TYPE_CHECKING:
    import psycopg

log = logging.getLogger(__name__)
T = TypeVar("T")

MAX_ATTEMPTS = 4
# MySQL/MariaDB: 1213 deadlock, 1205 lock wait timeout; PostgreSQL: serialization
# failure, deadlock, lock wait timeout (lock_timeout).
_RETRY_MYSQL_CODES = {1213, 1205}
_RETRY_PG_STATES = {"40001", "40P01", "55P03"}
_PG_LOCK_TIMEOUT = "55P03"
_MYSQL_LOCK_TIMEOUT = 1205
# Session info key: statements to run after the transaction commits (see after_commit).
_AFTER_COMMIT = "hallq_after_commit"
_UNREACHABLE_MYSQL_CODES = {2002, 2003, 2006, 2013, 2026, 2055}  # 2026: TLS failed
# Refused for lack of privilege: PostgreSQL's SQLSTATE, MariaDB's table, column,
# database, "you need the X privilege" and "may not create users" errors.
_PRIVILEGE_PG_STATE = "42501"
_PRIVILEGE_MYSQL_CODES = {1044, 1142, 1143, 1227, 1370, 1410, 1211}


class Database:
    """One hall database: engines, sessions and the transaction helpers."""

    def __init__(self, url: str, *, echo: bool = False,
                 limits: DatabaseConfig | None = None) -> None:
        self.limits = limits or DatabaseConfig()
        try:
            parsed = make_url(url)
        except ArgumentError as exc:
            raise UsageError(f"数据库地址无效 (invalid database URL {url!r}: {exc})") from exc
        except ValueError as exc:  # make_url turns the port into a number
            raise UsageError("数据库地址无效：端口必须是数字，如 …@192.168.1.10:5432/hallq "
                             "(invalid database URL: the port must be a number, as in "
                             "…@192.168.1.10:5432/hallq)") from exc
        self.url = parsed
        self.backend = parsed.get_backend_name()
        if self.backend not in ("sqlite", "postgresql", "mysql", "mariadb"):
            raise UsageError(
                f"不支持的数据库 {self.backend!r}，请用 sqlite、postgresql+psycopg 或 mysql+pymysql "
                f"(unsupported database {self.backend!r}; use sqlite, postgresql+psycopg or "
                "mysql+pymysql)"
            )
        if self.backend == "sqlite":
            busy_ms = self.limits.busy_timeout_ms
            self.engine = _sqlite_engine(url, immediate=True, echo=echo, busy_ms=busy_ms)
            # Readers open deferred transactions so they never wait behind a writer.
            self.read_engine = _sqlite_engine(url, immediate=False, echo=echo, busy_ms=busy_ms)
        else:
            mysql = self.backend in ("mysql", "mariadb")
            connect_args = (_mysql_connect_args(self.limits) if mysql
                            else _postgres_connect_args(parsed, self.limits))
            # hide_parameters: an error's message and traceback never carry the values
            # (password hashes, citizens' names and phones; docs/security.md).
            kwargs: dict[str, Any] = {"echo": echo, "pool_size": 5, "hide_parameters": True,
                                      "connect_args": connect_args}
            if mysql:
                kwargs["isolation_level"] = "READ COMMITTED"
            self.engine = create_engine(url, **kwargs)
            if mysql and (problem := _mysql_options_problem(self.engine)) is not None:
                raise bad_connection_setting(problem)
            _ping_idle_connections(self.engine)
            if mysql:
                _limit_mysql_sessions(self.engine, self.limits)
            self.read_engine = self.engine
        self._write_sessions = sessionmaker(self.engine, expire_on_commit=False)
        # PostgreSQL reads autocommit: under READ COMMITTED every statement has its own
        # snapshot anyway, and a reader (a report building its pages) then never sits
        # "idle in transaction", where the idle timeout would end it. psycopg switches
        # without a round trip; PyMySQL would need two, and MariaDB bounds only idle
        # transactions that wrote.
        reads = (self.read_engine.execution_options(isolation_level="AUTOCOMMIT")
                 if self.is_postgres else self.read_engine)
        self._read_sessions = sessionmaker(reads, expire_on_commit=False)
        # A terminal's snapshot (shared.read) is one transaction: on PostgreSQL a
        # read-only REPEATABLE READ one, so all of its statements see one moment.
        snapshots = (self.read_engine.execution_options(isolation_level="REPEATABLE READ",
                                                        postgresql_readonly=True)
                     if self.is_postgres else self.read_engine)
        self._snapshot_sessions = sessionmaker(snapshots, expire_on_commit=False)
        # A result streamed in batches needs a transaction on PostgreSQL (its server-side
        # cursor lives in one); the batches are fetched back to back, so it never idles.
        self._stream_sessions = sessionmaker(self.read_engine, expire_on_commit=False)

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

    @contextmanager
    def snapshot(self) -> Iterator[Session]:
        """A read-only session whose statements run in ONE transaction, rolled back at
        the end: what a terminal shows (:mod:`shared.read`). PostgreSQL: REPEATABLE READ,
        READ ONLY, so every statement sees the same committed state; SQLite: a deferred
        transaction, one snapshot of the WAL from its first read; MariaDB: one READ
        COMMITTED transaction (each statement sees what was committed when it ran; the
        next change notice refreshes again if something moved in between). Keep it short:
        the idle-in-transaction timeout bounds it on the servers."""
        with translate_errors(login=self.url.username), self._snapshot_sessions() as session:
            try:
                yield session
            finally:
                session.rollback()

    @contextmanager
    def read_streaming(self) -> Iterator[Session]:
        """A read-only session for results read in batches (``yield_per``)."""
        with translate_errors(login=self.url.username), self._stream_sessions() as session:
            try:
                yield session
            finally:
                session.rollback()

    def write(self, operation: Callable[[Session], T], *, name: str = "operation") -> T:
        """Run ``operation`` in one write transaction, committing on success.

        Deadlocks and serialization failures are retried (bounded, logged); anything else
        rolls back and propagates, translated into a domain error where it is a database one.
        """
        # Waiting on a lock is retried until a stuck holder must have been ended (by its
        # server's idle timeout or by end_stuck_sessions), other conflicts a few times.
        lock_deadline = self._lock_deadline()
        for attempt in itertools.count(1):
            try:
                with translate_errors(retryable_passthrough=True, login=self.url.username,
                                      what=name), self._write_sessions() as s:
                    with s.begin():
                        result = operation(s)
                        if s.info.get(COMMITTED) and (s.new or s.dirty or s.deleted):
                            raise RuntimeError(f"{name} changed rows after it committed")
                    self._run_after_commit(s.info.pop(_AFTER_COMMIT, {}), name)
                    return result
            except _Retryable as exc:
                lock_wait = _is_lock_timeout(exc.original)
                if lock_wait:
                    self.end_stuck_sessions()
                if (time.monotonic() > lock_deadline) if lock_wait else (attempt >= MAX_ATTEMPTS):
                    raise DatabaseUnavailable(
                        f"数据库繁忙，请重试 (database kept reporting conflicts for {name}: "
                        f"{_first_line(exc.original)})"
                    ) from exc.original
                log.warning("retrying %s after %s (attempt %d)", name,
                            _first_line(exc.original), attempt)
                time.sleep(0.01 * min(attempt, 10))
        raise AssertionError("unreachable")

    def _lock_deadline(self) -> float:
        """Until when a lock wait is tried again: by then a stuck holder has been ended
        (by its server's idle timeout or by end_stuck_sessions)."""
        limits = self.limits
        return time.monotonic() + (limits.idle_in_transaction_timeout_ms
                                   + 2 * limits.lock_timeout_ms) / 1000

    def _run_after_commit(self, pending: dict[Any, tuple[Executable, Any]], name: str) -> None:
        """Run what the committed operation left for after its commit, each statement in
        its own autocommitted transaction. The operation has succeeded whatever happens
        here: a failure is logged, never raised. A lock wait that times out (the change
        marker held by a frozen terminal: every screen of the site would stop hearing of
        changes) ends the stuck sessions and tries again, as long as an operation would."""
        for statement, params in pending.values():
            deadline = self._lock_deadline()
            while True:
                try:
                    with self._short_transactions() as connection:
                        connection.execute(statement, params)
                        connection.commit()
                    break
                except Exception as exc:  # the operation is committed: report, don't fail it
                    if _is_lock_timeout(exc) and time.monotonic() < deadline:
                        self.end_stuck_sessions()
                        continue
                    log.warning("after %s: could not run %s: %s", name, statement,
                                _first_line(exc))
                    break

    @contextmanager
    def _short_transactions(self) -> Iterator[Connection]:
        """A pooled connection for one-statement transactions: autocommitting on
        PostgreSQL (psycopg switches without a round trip), committed by the caller
        elsewhere."""
        with self.engine.connect() as connection:
            yield (connection.execution_options(isolation_level="AUTOCOMMIT")
                   if self.is_postgres else connection)

    def end_stuck_sessions(self) -> list[int]:
        """End other sessions of this database that hold a transaction open while their
        client has sent nothing for longer than the idle-in-transaction timeout: a frozen
        or cut-off terminal (PostgreSQL only; a frozen pipeline is "active" waiting on
        ClientRead, which no server timeout of PostgreSQL 15 ends). Returns their ids."""
        if not self.is_postgres:
            return []
        stuck_s = self.limits.idle_in_transaction_timeout_ms / 1000
        try:
            with self._short_transactions() as connection:
                ended = [int(pid) for pid, _ in connection.execute(_END_STUCK_PG,
                                                                   {"stuck_s": stuck_s})]
        except DBAPIError as exc:  # e.g. a session of another role: not ours to end
            log.warning("could not end stuck database sessions: %s", _first_line(exc.orig))
            return []
        if ended:
            log.warning("ended database sessions %s: frozen in a transaction for over %.1f s",
                        ended, stuck_s)
        return ended


# A HallQueue transaction never waits for its client for long: in a transaction and
# idle, or active but reading the rest of a pipeline from the client, for longer than the
# idle timeout means the terminal froze or lost its network.
_END_STUCK_PG = text("""
    SELECT pid, pg_terminate_backend(pid) FROM pg_stat_activity
    WHERE datname = current_database() AND pid <> pg_backend_pid()
      AND backend_type = 'client backend' AND xact_start IS NOT NULL
      AND state_change < clock_timestamp() - make_interval(secs => :stuck_s)
      AND (state IN ('idle in transaction', 'idle in transaction (aborted)')
           OR (state = 'active' AND wait_event = 'ClientRead'))
""")


def lift_limits(connection: Connection) -> None:
    """No lock, idle or statement timeout for ``connection``'s transaction: for a schema
    upgrade, which may rewrite whole tables and pause between migration scripts. On
    MariaDB/MySQL the session keeps this: dispose of the engine's pool afterwards."""
    if connection.dialect.name == "postgresql":
        for setting in ("lock_timeout", "statement_timeout",
                        "idle_in_transaction_session_timeout"):
            connection.exec_driver_sql(f"SET LOCAL {setting} = 0")
    elif connection.dialect.name in ("mysql", "mariadb"):
        dbapi = connection.connection.dbapi_connection
        assert dbapi is not None  # a checked-out connection
        maria = "mariadb" in dbapi.get_server_info().lower()
        connection.exec_driver_sql(
            "SET SESSION innodb_lock_wait_timeout = 50, "
            + ("idle_write_transaction_timeout = 0, max_statement_time = 0" if maria
               else "max_execution_time = 0"))


def after_commit(session: Session, key: Any, statement: Executable, params: Any) -> None:
    """Run ``statement`` right after ``session``'s transaction commits (once per ``key``),
    in a short transaction of its own, so nothing waits on its rows for the length of
    the operation. Only for sessions of :meth:`Database.write`."""
    session.info.setdefault(_AFTER_COMMIT, {})[key] = (statement, params)


def _postgres_connect_args(url: URL, limits: DatabaseConfig) -> dict[str, Any]:
    dead_peer_ms = (limits.keepalive_idle_s
                    + limits.keepalive_interval_s * limits.keepalive_count) * 1000
    server = {
        "lock_timeout": limits.lock_timeout_ms,
        "idle_in_transaction_session_timeout": limits.idle_in_transaction_timeout_ms,
        "statement_timeout": limits.statement_timeout_ms,
        "tcp_keepalives_idle": limits.keepalive_idle_s,
        "tcp_keepalives_interval": limits.keepalive_interval_s,
        "tcp_keepalives_count": limits.keepalive_count,
        "tcp_user_timeout": dead_peer_ms,
        "client_connection_check_interval": limits.keepalive_interval_s * 1000,
    }
    options = " ".join(f"-c {name}={value}" for name, value in server.items())
    given = url.query.get("options")  # the URL's own options come first
    if given:
        options = f"{given if isinstance(given, str) else ' '.join(given)} {options}"
    return {"connect_timeout": 5, "keepalives": 1,
            "keepalives_idle": limits.keepalive_idle_s,
            "keepalives_interval": limits.keepalive_interval_s,
            "keepalives_count": limits.keepalive_count,
            "tcp_user_timeout": dead_peer_ms, "options": options}


def _mysql_connect_args(limits: DatabaseConfig) -> dict[str, Any]:
    # The client gives up on an answer that takes longer than any statement may.
    answer_s = limits.statement_timeout_ms / 1000 + limits.lock_timeout_ms / 1000 + 5
    return {"connect_timeout": 5, "charset": "utf8mb4", "read_timeout": answer_s,
            "write_timeout": answer_s}


def _limit_mysql_sessions(engine: Engine, limits: DatabaseConfig) -> None:
    """Session limits and TCP keepalives on every new MariaDB/MySQL connection."""
    lock_s = max(1, math.ceil(limits.lock_timeout_ms / 1000))
    idle_s = max(1, math.ceil(limits.idle_in_transaction_timeout_ms / 1000))

    @event.listens_for(engine, "connect")
    def _limit(dbapi_conn: Any, _record: Any) -> None:
        sock = getattr(dbapi_conn, "_sock", None)  # PyMySQL's socket (None: a Unix socket)
        if sock is not None and sock.family in (socket.AF_INET, socket.AF_INET6):
            set_keepalive(sock, limits)
        if "mariadb" in dbapi_conn.get_server_info().lower():
            # Only transactions that wrote hold rows others wait for; a reader is left alone.
            settings = (f"innodb_lock_wait_timeout={lock_s}, "
                        f"idle_write_transaction_timeout={idle_s}, "
                        f"max_statement_time={limits.statement_timeout_ms / 1000}")
        else:  # MySQL: no idle-transaction bound on the server (docs/config.md)
            settings = (f"innodb_lock_wait_timeout={lock_s},"
                        f" max_execution_time={limits.statement_timeout_ms}")
        with dbapi_conn.cursor() as cursor:
            cursor.execute(f"SET SESSION {settings}")


def set_keepalive(sock: socket.socket, limits: DatabaseConfig) -> None:
    """TCP keepalives (and, where the system has it, a bound on unacknowledged data):
    a peer that vanished is noticed in keepalive_idle + interval * count seconds."""
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE, 1)
    dead_peer_s = limits.keepalive_idle_s + limits.keepalive_interval_s * limits.keepalive_count
    for option, value in (("TCP_KEEPIDLE", limits.keepalive_idle_s),
                          ("TCP_KEEPINTVL", limits.keepalive_interval_s),
                          ("TCP_KEEPCNT", limits.keepalive_count),
                          ("TCP_USER_TIMEOUT", dead_peer_s * 1000)):
        if hasattr(socket, option):  # Linux and Windows 10+ have the first three
            sock.setsockopt(socket.IPPROTO_TCP, getattr(socket, option), value)


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


def _create_private_file(path: Path) -> None:
    """Create a new SQLite file (and its folder) readable by its owner only: it holds
    citizens' names and phone numbers. SQLite gives its -wal and -shm files the same
    mode. An existing file is left as it is (its owner may have chosen otherwise)."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    try:
        # The mode takes effect on POSIX; on Windows the file inherits the folder's ACL
        # (the user's own profile folder by default).
        descriptor = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    except FileExistsError:
        return
    except OSError:
        return  # e.g. a folder of that name: SQLite's own error on opening says so
    os.close(descriptor)


def _sqlite_engine(url: str, *, immediate: bool, echo: bool, busy_ms: int) -> Engine:
    parsed = make_url(url)
    if parsed.database and parsed.database != ":memory:" and "uri" not in parsed.query:
        _create_private_file(Path(parsed.database))
    engine = create_engine(url, echo=echo, connect_args={"timeout": busy_ms / 1000},
                           hide_parameters=True)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        # Take transaction control from pysqlite so that BEGIN is ours to emit.
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute(f"PRAGMA busy_timeout={int(busy_ms)}")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine


def _sqlstate(orig: BaseException | None) -> str | None:
    return getattr(orig, "sqlstate", None) or getattr(orig, "pgcode", None)


def _is_lock_timeout(exc: BaseException) -> bool:
    orig = getattr(exc, "orig", None)
    code = getattr(orig, "args", [None])[0] if orig is not None else None
    return code == _MYSQL_LOCK_TIMEOUT or _sqlstate(orig) == _PG_LOCK_TIMEOUT


def is_retryable(exc: DBAPIError) -> bool:
    orig = exc.orig
    code = getattr(orig, "args", [None])[0] if orig is not None else None
    if isinstance(code, int) and code in _RETRY_MYSQL_CODES:
        return True
    # SQLite's "database is locked" is not retried: busy_timeout has already waited.
    return _sqlstate(orig) in _RETRY_PG_STATES


def _is_sqlite_busy(exc: DBAPIError) -> bool:
    message = str(exc.orig)
    return "database is locked" in message or "database is busy" in message


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
        if _is_sqlite_busy(exc):
            raise DatabaseBusy(
                "数据库正被另一个程序占用，请稍后重试 (another program holds the database "
                f"and kept it past the busy timeout: {_first_line(exc.orig)}; close the other "
                "program or wait, then try again)"
            ) from exc
        if (setting := _refused_connection_setting(exc)) is not None:
            raise bad_connection_setting(setting) from exc
        if exc.connection_invalidated or _is_unreachable(exc):
            raise DatabaseUnavailable(
                f"无法连接数据库，请检查网络和数据库服务器 (database unreachable: "
                f"{_first_line(exc.orig)})"
            ) from exc
        raise


_REFUSED_TABLE = re.compile(r"for (?:table|relation|function|procedure|routine) "
                            r"(?:`[^`]*`\.)?[`\"]?([\w.]+?)[`\"]?(?:\s|$|,)")


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
    server_words = orig.args[1] if isinstance(code, int) and orig is not None \
        and len(orig.args) > 1 else orig
    who = login or "(this login)"
    doing = f"{what}: " if what else ""
    # The table the server names ("permission denied for table clerk"; MariaDB: "… for
    # table `hallq`.`clerk`"), so the Chinese half names it too.
    table = _REFUSED_TABLE.search(str(server_words))
    verb_on = f"{verb} {table.group(1)}" if table else verb
    tried = f"{what}：{verb_on}" if what else verb_on
    return PermissionDenied(
        f"数据库账号 {who} 无权执行此操作（{tried}） (database login {who} was refused {doing}{verb} — "
        f"{_first_line(server_words)}; see docs/security.md for what each kind of terminal may do)")


def bad_connection_setting(detail: str) -> UsageError:
    return UsageError("数据库地址中的连接参数无效，请对照 docs/config.md 检查 ? 之后的参数 "
                      f"(a connection setting in the database URL is invalid: {detail})")


def _refused_connection_setting(exc: DBAPIError) -> str | None:
    """libpq's words for a connection option it cannot take (``?sslmode=bogus``,
    ``?bogus=1``): the URL is wrong, not the network. None for anything else."""
    message = _first_line(exc.orig)
    lowered = message.lower()
    if ("invalid" in lowered and ("value" in lowered or "query parameter" in lowered
                                  or "connection option" in lowered)):
        return message.removeprefix("connection is bad: ")
    return None


def _mysql_options_problem(engine: Engine) -> str | None:
    """What PyMySQL would refuse of the URL's ``?…`` options (it raises TypeError at the
    first connect, which no caller could tell from a bug); None when it takes them all."""
    import inspect

    import pymysql  # type: ignore[import-untyped]

    cargs, cparams = engine.dialect.create_connect_args(engine.url)
    try:
        inspect.signature(pymysql.connections.Connection).bind(*cargs, **cparams)
    except TypeError as exc:
        return str(exc)
    ssl = cparams.get("ssl") or {}  # SQLAlchemy gathers ?ssl_ca= etc. here
    files = {**{f"ssl_{k}": ssl.get(k) for k in ("ca", "cert", "key")},
             **{k: cparams.get(k) for k in ("ssl_ca", "ssl_cert", "ssl_key") if cparams.get(k)}}
    for key, path in files.items():
        if path and not Path(str(path)).is_file():
            return f"{key}: no such file {path}"
    return None


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
        for word in ("connection", "could not connect", "unable to open", "server closed", "timeout",
                     "resolve host")
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


# Set in a write session's info by the operation's last step (shared.operation.done),
# which on PostgreSQL commits with its last writes (:func:`pipelined`).
COMMITTED = "hallq_committed"


@contextmanager
def pipelined(connection: Connection, *, commit_session: Session | None = None
              ) -> Iterator[None]:
    """Send the statements executed inside together, in one round trip, where the driver
    can (psycopg's pipeline mode on PostgreSQL); elsewhere they run one by one.

    Only for writes whose results nobody reads: in a pipeline a statement's row count and
    rows are not available. An error surfaces when the block ends, as the database error
    it is. ``commit_session``: on PostgreSQL the session's COMMIT goes out with them, and
    after it what the session left for after its commit (:func:`after_commit`, e.g. the
    change marker), still in the same round trip: the rows the writes lock are held for no
    round trip at all. The session's own commit then finds nothing to do; nothing may run
    in its transaction after the block. What runs after the COMMIT cannot fail the
    operation: its error is logged (the operation's did commit)."""
    if connection.dialect.name != "postgresql":
        yield
        return
    import psycopg
    from psycopg.pq import TransactionStatus

    driver = connection.connection.driver_connection
    assert driver is not None
    committing = False
    after: dict[Any, tuple[Executable, Any]] = {}
    try:
        with driver.pipeline():
            yield
            if commit_session is not None:
                send_commit(driver)
                committing = True
                # Each in the implicit transaction the next Sync ends (no BEGIN: the
                # driver still counts the connection as in the transaction just ended).
                after = commit_session.info.pop(_AFTER_COMMIT, {})
                for statement, params in after.values():
                    connection.execute(statement, params)
    except psycopg.Error as exc:
        broken = bool(driver.broken)
        status = driver.info.transaction_status
        if committing and not broken and status == TransactionStatus.IDLE:
            # Not in a failed transaction: the COMMIT went through, what followed failed
            # (all of it: one implicit transaction). Left for Database.write to run again
            # on its own, which outlasts a frozen terminal holding the change marker.
            log.warning("after the commit: %s", _first_line(exc))
            assert commit_session is not None
            commit_session.info[_AFTER_COMMIT] = after
            return
        error = DBAPIError.instance("(pipelined writes)", None, exc, psycopg.Error,
                                    connection_invalidated=broken)
        if broken:
            connection.invalidate(exc)
        raise error from exc


def send_commit(driver: psycopg.Connection[Any]) -> None:
    """Queue the transaction's COMMIT in the driver's pipeline (a test's hook: a terminal
    frozen or cut off just before it commits)."""
    driver.execute("COMMIT", prepare=False)


_Columns = TypeVarTuple("_Columns")


def locking(statement: Select[*_Columns], *, skip_locked: bool = False, of: Any = None
            ) -> Select[*_Columns]:
    """``SELECT … FOR UPDATE`` (of the rows of ``of`` only, when given) that also
    refreshes objects this session already loaded: without ``populate_existing`` the ORM
    would keep the stale values it read before the row lock was taken."""
    return statement.with_for_update(skip_locked=skip_locked, of=of).execution_options(
        populate_existing=True)

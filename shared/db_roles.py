"""Database logins per kind of terminal, on PostgreSQL and MariaDB: what each kind may
read and write, granted table by table and column by column (docs/security.md).

A kiosk holds the credential of a ``kiosk`` login, a counter PC that of a ``counter``
login, and so on; only the database owner (who runs ``hallq-admin db upgrade``) may change
the schema, rewrite the event log or create logins. ``hallq-admin db role create`` records
each login in ``db_role``; :func:`regrant_all` (run by ``db upgrade``) grants every
recorded login again what its kind needs in the schema just made.

The grants are plain table and column privileges. The reads a kind must not make (a clerk's
password hash, a citizen's name and phone) are columns left out of its ``SELECT`` grant,
and the code those terminals run names its columns instead of loading whole rows. The
kinds that log clerks in are granted EXECUTE on the owner's routines that check a
password in the server (migrations 0016 and 0018), instead of the hashes.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from enum import StrEnum

from sqlalchemy import Connection, delete, insert, select, text
from sqlalchemy.exc import DBAPIError

from shared.db import Database, server_now, translate_errors
from shared.errors import NotFound, UsageError
from shared.models import Base, DbRole


class Kind(StrEnum):
    KIOSK = "kiosk"
    DISPLAY = "display"
    COUNTER = "counter"
    SUPERVISOR = "supervisor"
    ADMIN = "admin"
    # The citizen's phone pages (another service): what they show, and remote tickets.
    WEB = "web"


ALL = "*"  # every column of the table


@dataclass(frozen=True)
class TableGrant:
    """What one kind may do with one table: ``select``/``insert``/``update`` are ALL or
    the columns named; ``delete`` the whole rows."""

    select: str | tuple[str, ...] = ()
    insert: bool = False
    update: str | tuple[str, ...] = ()
    delete: bool = False


@dataclass(frozen=True)
class KindGrants:
    tables: dict[str, TableGrant] = field(default_factory=dict)
    # The statistics sum the stays in scope into a scratch table (shared/stats/compute.py).
    temp_tables: bool = False
    # The owner's routines it may call (EXECUTE), by name.
    routines: tuple[str, ...] = ()


# Read by every kind: the catalog, the windows, the schema revision the code checks.
_CATALOG = ("alembic_version", "site", "site_state", "department", "service", "window",
            "window_service")
# What the daily quota (booked appointments are exempt, remote tickets count) and the wait
# predictor (appointments falling due) read of appointments: no name, no phone.
APPOINTMENT_QUOTA = ("id", "ticket_id", "site_id", "service_id", "day", "state", "remote",
                     "slot_start", "slot_end")
# An appointment without the citizen's name and phone: what check-in compares.
APPOINTMENT_PUBLIC = ("id", "code", "site_id", "service_id", "day", "slot_start", "slot_end",
                      "state", "ticket_id", "created_at", "remote")
# What the change feed reads of the event log (shared/feed.py): no detail, no clerk.
FEED_EVENT = ("id", "site_id", "action", "ticket_id", "window_id", "service_id", "at")
CLERK_PUBLIC = ("id", "login", "display_name", "role", "active")
# What a counter or supervisor reads of a clerk: everything but the password hash (the
# login bookkeeping too); the password is checked in the server by CLERK_LOGIN_ROUTINES.
CLERK_NO_HASH = tuple(c.name for c in Base.metadata.tables["clerk"].columns
                      if c.name != "password_hash")
# The routines that check a clerk's password in the server (migrations 0016 and 0018: the
# check counts and throttles the tries), with their PostgreSQL signatures; MariaDB has
# them as procedures of the same names.
CLERK_LOGIN_ROUTINES = ("hallq_clerk_kdf(text)", "hallq_clerk_check(text, text, integer)",
                        "hallq_clerk_result(bigint, text)")
# Read and written only by those routines (the owner's): granted to no kind.
OWNER_ONLY = ("clerk_secret", "clerk_attempt")
# What a stay's row shows without its measures: enough for the estimated wait on a slip
# and for closing the stays of tickets left from an earlier day (the day's roll-over).
SEGMENT_PUBLIC = ("id", "ticket_id", "site_id", "business_day", "service_id", "queued_at",
                  "called_at", "ended_at")
# The ticket columns a queue operation at a window changes (never its number or issue).
# The wait estimate recorded on a ticket as it is issued (shared.prediction).
_TICKET_ESTIMATE = ("estimate_minutes", "estimate_low_minutes", "estimate_high_minutes")
_TICKET_MOVES = ("service_id", "kind", "transferred", "target_window_id", "state", "queue_pos",
                 "queued_at", "called_at", "started_at", "finished_at", "window_id",
                 "clerk_id", "outcome", "appointment_slot", "print_pending", "call_count",
                 "note", *_TICKET_ESTIMATE)
_SEGMENT_MOVES = ("called_at", "started_at", "ended_at", "window_id", "clerk_id", "result",
                  "outcome", "wait_us", "service_us", "rating")
_WINDOW_STATE = ("paused", "pause_reason", "paused_at", "current_ticket_id", "clerk_id",
                 "lease_expires_at")

# Every kind that writes events appends to its site's audit chain (shared/audit.py).
_AUDIT_HEAD = TableGrant(select=ALL, insert=True, update=("seq", "hash"))
# Every terminal writes its own heartbeat (device health, shared/heartbeats.py).
_HEARTBEAT = {"terminal_heartbeat": TableGrant(select=ALL, insert=True, update=ALL)}
# The kiosk's one-button help: asked at a kiosk, acknowledged by staff (kiosk or supervisor).
_HELP = {"help_request": TableGrant(select=ALL, insert=True,
                                    update=("acknowledged_at", "acknowledged_by"))}


def _read(*tables: str) -> dict[str, TableGrant]:
    return {name: TableGrant(select=ALL) for name in tables}


def _issuing() -> dict[str, TableGrant]:
    """Issuing a number, and the day's roll-over the first operation of a day runs
    (expiring what earlier days left: the tickets, their stays, the windows holding them,
    yesterday's request keys)."""
    return _read(*_CATALOG) | {
        "site_state": TableGrant(select=ALL, update=("version", "open_day")),
        "window": TableGrant(select=ALL, update=("current_ticket_id",)),
        "ticket": TableGrant(select=ALL, insert=True,
                             update=("state", "print_pending", *_TICKET_ESTIMATE)),
        # The wait predictor reads the recent stays' measures (service times, no-shows);
        # none of them names a person. Writing them stays the counter's.
        "segment": TableGrant(select=ALL, insert=True, update=("ended_at", "result", "outcome")),
        "day_counter": TableGrant(select=ALL, insert=True, update=("last",)),
        "request_key": TableGrant(select=ALL, insert=True, delete=True),
        "ticket_event": TableGrant(insert=True),
        "audit_head": _AUDIT_HEAD,
        "appointment": TableGrant(select=APPOINTMENT_QUOTA),
        "clerk": TableGrant(select=CLERK_PUBLIC),  # who served a ticket (reprint list)
    }


def _counter() -> dict[str, TableGrant]:
    return _read(*_CATALOG, "login_record", "evaluation", "follow_up", "ticket_event") | {
        "site_state": TableGrant(select=ALL, update=("version", "open_day")),
        "window": TableGrant(select=ALL, update=_WINDOW_STATE),
        "window_service": TableGrant(select=ALL, update=("credit",)),
        # Never the password hash: the password is checked in the server
        # (CLERK_LOGIN_ROUTINES); it changes nothing of the clerk.
        "clerk": TableGrant(select=CLERK_NO_HASH),
        "login_record": TableGrant(select=ALL, insert=True),
        "ticket": TableGrant(select=ALL, insert=True, update=_TICKET_MOVES),
        "segment": TableGrant(select=ALL, insert=True, update=_SEGMENT_MOVES),
        "day_counter": TableGrant(select=ALL, insert=True, update=("last",)),
        "request_key": TableGrant(select=ALL, insert=True, delete=True),
        "ticket_event": TableGrant(select=ALL, insert=True),
        "audit_head": _AUDIT_HEAD,
        # the reasons and the phone a citizen adds on the pad after a bad rating
        "evaluation": TableGrant(select=ALL, insert=True, update=("comment", "contact_phone")),
        "follow_up": TableGrant(select=ALL, insert=True),
        "appointment": TableGrant(select=APPOINTMENT_PUBLIC),
        # The cases (办件编号) a finish names, and each rating's record for the provincial
        # 好差评 system, written with the rating; the reasons given afterwards go into a
        # record not yet sent. Sending it is the administrator's (hallq-admin hcp push).
        "ticket_case": TableGrant(select=ALL, insert=True),
        "hcp_outbox": TableGrant(select=ALL, insert=True, update=("payload",)),
        # what a citizen lacked, ticked when a case ends 材料不全 (written with the finish)
        "missing_material": TableGrant(select=ALL, insert=True),
    } | _HEARTBEAT


def _grants() -> dict[Kind, KindGrants]:
    kiosk = _issuing() | _HEARTBEAT | _HELP | {
        "appointment": TableGrant(select=APPOINTMENT_PUBLIC, update=("state", "ticket_id")),
        # the guide marks the materials most often lacking ("常缺"); no person in them
        "missing_material": TableGrant(select=ALL),
        # The change feed polled on MariaDB reads what changed from the event log.
        "ticket_event": TableGrant(select=FEED_EVENT, insert=True),
    }
    display = _read(*_CATALOG, "ticket", "ticket_event") | {
        "segment": TableGrant(select=ALL),  # the predicted waits it shows read the measures
        "clerk": TableGrant(select=CLERK_PUBLIC),
        "appointment": TableGrant(select=APPOINTMENT_QUOTA),
    } | _HEARTBEAT
    supervisor = _counter() | _read("appointment", "db_role") | _HELP | {
        # the follow-up's steps (shared/followups.py)
        "follow_up": TableGrant(select=ALL, insert=True,
                                update=("status", "contacted_at", "contacted_by_id",
                                        "contact_result", "rectified_at", "rectified_by_id",
                                        "rectify_note", "closed_at", "closed_by_id", "note",
                                        "opinion")),
        # appeals (申诉): the rating is marked, never changed; its stay leaves the figures
        "evaluation": TableGrant(select=ALL, insert=True,
                                 update=("comment", "contact_phone", "appeal", "appeal_reason",
                                         "appealed_at", "appealed_by")),
        "segment": TableGrant(select=ALL, insert=True,
                              update=(*_SEGMENT_MOVES, "rating_appealed")),
        # The live view records its overflow suggestions (潮汐窗口) and lists them.
        "overflow_suggestion": TableGrant(select=ALL, insert=True),
    }
    # The citizen's phone pages (shared/web): what they show, remote tickets (an
    # appointment with a phone and no name: one per phone and service a day, so it reads
    # the phones; it blanks earlier days' ones), the reminder outbox and its signing key.
    web = _issuing() | {
        "appointment": TableGrant(select=(*APPOINTMENT_PUBLIC, "phone"), insert=True,
                                  update=("phone",)),
        "notification": TableGrant(select=ALL, insert=True, update=ALL),
        "web_secret": TableGrant(select=ALL, insert=True),
    }
    owned = [table.name for table in Base.metadata.sorted_tables
             if table.name not in OWNER_ONLY]
    admin = {name: TableGrant(select=ALL, insert=True, update=ALL, delete=True) for name in owned}
    admin |= _read("alembic_version", "db_role") | {
        "ticket_event": TableGrant(select=ALL, insert=True),  # append-only for all but the owner
    }
    # The counter logs clerks in at its window, the supervisor app and hallq-admin --as
    # authenticate them (shared/clerks.py); the admin reads the hashes anyway, and its
    # logins are checked the same way.
    logs_in = CLERK_LOGIN_ROUTINES
    return {Kind.KIOSK: KindGrants(kiosk), Kind.DISPLAY: KindGrants(display),
            Kind.COUNTER: KindGrants(_counter(), temp_tables=True, routines=logs_in),
            Kind.SUPERVISOR: KindGrants(supervisor, temp_tables=True, routines=logs_in),
            Kind.ADMIN: KindGrants(admin, temp_tables=True, routines=logs_in),
            Kind.WEB: KindGrants(web)}


GRANTS = _grants()

_LOGIN = re.compile(r"[a-z_][a-z0-9_]{0,31}")
_HOST = re.compile(r"[A-Za-z0-9.%_:-]{1,255}")
MIN_PASSWORD = 12


def kind_of(text_value: str) -> Kind:
    try:
        return Kind(text_value.strip().lower())
    except ValueError:
        raise UsageError(f"终端类型无效 (unknown kind {text_value!r}: "
                         f"{', '.join(k.value for k in Kind)})") from None


def check_login(login: str) -> str:
    if not _LOGIN.fullmatch(login):
        raise UsageError(f"数据库账号名无效 (login {login!r}: 1-32 of a-z, 0-9 and _, not "
                         f"starting with a digit)")
    return login


def check_host(host: str) -> str:
    if not _HOST.fullmatch(host):
        raise UsageError(f"主机范围无效 (host pattern {host!r}: letters, digits, '.', '%', "
                         f"'_', ':' and '-', e.g. 192.168.10.% or %)")
    return host


def check_password(login: str, password: str) -> str:
    if len(password) < MIN_PASSWORD:
        raise UsageError(f"数据库密码至少 {MIN_PASSWORD} 个字符 (the database password must be at "
                         f"least {MIN_PASSWORD} characters)")
    if login.lower() in password.lower():
        raise UsageError("数据库密码不能包含账号名 (the password must not contain the login)")
    if any(ch in password for ch in "\r\n\0"):
        raise UsageError("数据库密码不能含换行或空字符 (no line breaks or NUL in the password)")
    return password


@dataclass(frozen=True)
class RoleView:
    login: str
    kind: str
    host: str
    created_at: dt.datetime
    # Whether the server still has the login (it may have been dropped by hand).
    exists: bool
    # PostgreSQL: whether the login may see and end another login's frozen session (member
    # of STUCK_SESSION_ROLES; docs/config.md "One stuck terminal"). None: not applicable.
    ends_stuck_sessions: bool | None = None

    def as_dict(self) -> dict[str, object]:
        return {"login": self.login, "kind": self.kind, "host": self.host or None,
                "created_at": self.created_at.isoformat(), "exists": self.exists,
                "ends_stuck_sessions": self.ends_stuck_sessions}


# The kinds whose operations take row locks, and so may have to end a frozen terminal's
# session to get on (shared/db.py end_stuck_sessions); a display only reads.
ENDS_STUCK_SESSIONS = frozenset({Kind.KIOSK, Kind.COUNTER, Kind.SUPERVISOR, Kind.ADMIN, Kind.WEB})


# pg_signal_backend to end another login's session; pg_read_all_stats to see that it is
# stuck (pg_stat_activity hides the state of other logins' sessions otherwise).
STUCK_SESSION_ROLES = ("pg_signal_backend", "pg_read_all_stats")


def _grant_signal_backend(conn: Connection, login: str) -> bool:
    """Make ``login`` a member of STUCK_SESSION_ROLES if the owner may (a superuser, or a
    role holding them WITH ADMIN OPTION); False, with nothing changed, if not."""
    savepoint = conn.begin_nested()
    try:
        execute(conn, f'GRANT {", ".join(STUCK_SESSION_ROLES)} TO "{login}"')
    except DBAPIError:
        savepoint.rollback()
        return False
    savepoint.commit()
    return True


def _signals(conn: Connection, login: str) -> bool | None:
    if conn.dialect.name != "postgresql":
        return None
    return all(conn.execute(text("SELECT pg_has_role(:login, :role, 'MEMBER')"),
                            {"login": login, "role": role}).scalar()
               for role in STUCK_SESSION_ROLES)


def _require_server(db: Database) -> None:
    if db.backend == "sqlite":
        raise UsageError("SQLite 数据库没有账号，靠文件权限保护 (SQLite has no logins: the database "
                         "file's permissions protect it; see docs/security.md)")


# --------------------------------------------------------------------------- SQL


def _quote_literal(conn: Connection, value: str) -> str:
    """A string literal quoted by the driver itself (passwords go into CREATE ROLE/USER,
    where the servers take no bound parameters)."""
    driver = conn.connection.driver_connection
    if conn.dialect.name == "postgresql":
        from psycopg import sql

        return sql.Literal(value).as_string(driver)
    return str(driver.escape(value))  # type: ignore[union-attr]


def _account(conn: Connection, login: str, host: str) -> str:
    return f'"{login}"' if conn.dialect.name == "postgresql" else f"'{login}'@'{host}'"


def table_name(conn: Connection, table: str) -> str:
    if conn.dialect.name == "postgresql":
        return f'"{table}"'
    return f"`{conn.engine.url.database}`.`{table}`"


def _columns(conn: Connection, columns: tuple[str, ...]) -> str:
    mark = '"' if conn.dialect.name == "postgresql" else "`"
    return ", ".join(f"{mark}{c}{mark}" for c in columns)


def grant_statements(conn: Connection, kind: Kind, login: str, host: str) -> list[str]:
    """The GRANTs that give ``login`` exactly what ``kind`` needs in this database."""
    account = _account(conn, login, host)
    existing = set(Base.metadata.tables) | {"alembic_version"}
    statements: list[str] = []
    postgres = conn.dialect.name == "postgresql"
    if postgres:
        database = conn.engine.url.database
        statements += [f'GRANT CONNECT ON DATABASE "{database}" TO {account}',
                       f"GRANT USAGE ON SCHEMA public TO {account}"]
        if GRANTS[kind].temp_tables:
            statements.append(f'GRANT TEMPORARY ON DATABASE "{database}" TO {account}')
    elif GRANTS[kind].temp_tables:
        statements.append(f"GRANT CREATE TEMPORARY TABLES ON `{conn.engine.url.database}`.* "
                          f"TO {account}")
    for table, grant in sorted(GRANTS[kind].tables.items()):
        if table not in existing:
            continue
        privileges: list[str] = []
        for name, columns in (("SELECT", grant.select), ("UPDATE", grant.update)):
            if columns == ALL:
                privileges.append(name)
            elif columns:
                privileges.append(f"{name} ({_columns(conn, tuple(columns))})")
        if grant.insert:
            privileges.append("INSERT")
        if grant.delete:
            privileges.append("DELETE")
        if privileges:
            statements.append(f"GRANT {', '.join(privileges)} ON {table_name(conn, table)} "
                              f"TO {account}")
            if postgres and grant.insert and "id" in Base.metadata.tables[table].c:
                sequence = conn.execute(text("SELECT pg_get_serial_sequence(:t, 'id')"),
                                        {"t": f'public."{table}"'}).scalar()
                if sequence:
                    statements.append(f"GRANT USAGE ON SEQUENCE {sequence} TO {account}")
    for routine in GRANTS[kind].routines:
        if not _routine_exists(conn, routine):  # an upgrade to an earlier revision
            continue
        if postgres:
            statements.append(f"GRANT EXECUTE ON FUNCTION {routine} TO {account}")
        else:
            name = routine.split("(", 1)[0]
            statements.append(f"GRANT EXECUTE ON PROCEDURE `{conn.engine.url.database}`."
                              f"`{name}` TO {account}")
    return statements


def _routine_exists(conn: Connection, routine: str) -> bool:
    if conn.dialect.name == "postgresql":
        return conn.execute(text("SELECT to_regprocedure(:r) IS NOT NULL"),
                            {"r": routine}).scalar() is True
    query = text("SELECT 1 FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = DATABASE() "
                 "AND ROUTINE_TYPE = 'PROCEDURE' AND ROUTINE_NAME = :name")
    return conn.execute(query, {"name": routine.split("(", 1)[0]}).first() is not None


def _revoke_statements(conn: Connection, login: str, host: str) -> list[str]:
    account = _account(conn, login, host)
    if conn.dialect.name == "postgresql":
        return [f"REVOKE ALL ON ALL TABLES IN SCHEMA public FROM {account}",
                f"REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM {account}",
                f"REVOKE ALL ON ALL FUNCTIONS IN SCHEMA public FROM {account}",
                f"REVOKE ALL ON SCHEMA public FROM {account}",
                f'REVOKE ALL ON DATABASE "{conn.engine.url.database}" FROM {account}']
    return [f"REVOKE ALL PRIVILEGES, GRANT OPTION FROM {account}"]


def _server_has(conn: Connection, login: str, host: str) -> bool:
    if conn.dialect.name == "postgresql":
        query = text("SELECT 1 FROM pg_roles WHERE rolname = :login")
        return conn.execute(query, {"login": login}).first() is not None
    # MariaDB keeps logins in mysql.global_priv (mysql.user is a view over it that the
    # owner may not read); MySQL in mysql.user. The owner needs SELECT on that table.
    users = "mysql.global_priv" if getattr(conn.dialect, "is_mariadb", False) else "mysql.user"
    query = text(f"SELECT 1 FROM {users} WHERE User = :login AND Host = :host")
    return conn.execute(query, {"login": login, "host": host}).first() is not None


def _run(conn: Connection, statements: list[str]) -> None:
    for statement in statements:
        execute(conn, statement)


def execute(conn: Connection, statement: str) -> None:
    """One statement with no parameters; pymysql formats even those with ``%``, so the
    host patterns' ``%`` are doubled for it."""
    if conn.dialect.name != "postgresql":
        statement = statement.replace("%", "%%")
    conn.exec_driver_sql(statement)


# --------------------------------------------------------------------------- commands


def create_role(db: Database, kind: Kind, login: str, password: str, *, host: str = "%"
                ) -> RoleView:
    """Create the login with ``password`` and grant it what ``kind`` needs; recorded in
    ``db_role``. Run by the database owner, who needs CREATEROLE (PostgreSQL) or
    CREATE USER and GRANT OPTION (MariaDB)."""
    _require_server(db)
    check_login(login)
    check_password(login, password)
    host = "" if db.is_postgres else check_host(host)
    with translate_errors(login=db.url.username, what="db role"), db.engine.begin() as conn:
        if conn.execute(select(DbRole.login).where(DbRole.login == login)).first() is not None \
                or _server_has(conn, login, host):
            raise UsageError(f"数据库账号 {login} 已存在 (login {login!r} already exists; "
                             f"drop it first or choose another name)")
        literal = _quote_literal(conn, password)
        if conn.dialect.name == "postgresql":
            create = f'CREATE ROLE "{login}" LOGIN PASSWORD {literal}'
        else:
            create = f"CREATE USER {_account(conn, login, host)} IDENTIFIED BY {literal}"
        try:
            _run(conn, [create, *grant_statements(conn, kind, login, host)])
        except DBAPIError as exc:
            # MariaDB commits CREATE USER at once: take the half-made login back.
            if conn.dialect.name != "postgresql":
                _drop_quietly(db, login, host)
            raise _explained(exc, "create the login") from exc
        signals = None
        if conn.dialect.name == "postgresql":
            signals = kind in ENDS_STUCK_SESSIONS and _grant_signal_backend(conn, login)
        created = _now(db)
        conn.execute(insert(DbRole).values(
            login=login, kind=kind.value, host=host, created_at=created))
    return RoleView(login, kind.value, host, created, True, signals)


def _now(db: Database) -> dt.datetime:
    with db.read() as session:
        return server_now(session)


def _drop_quietly(db: Database, login: str, host: str) -> None:
    with db.engine.begin() as conn:
        execute(conn, f"DROP USER IF EXISTS {_account(conn, login, host)}")


def _explained(exc: DBAPIError, what: str) -> Exception:
    from shared.db import privilege_error

    return privilege_error(exc, None, what) or exc


def list_roles(db: Database) -> list[RoleView]:
    _require_server(db)
    with translate_errors(login=db.url.username, what="db role"), db.engine.connect() as conn:
        rows = conn.execute(select(DbRole).order_by(DbRole.kind, DbRole.login)).all()
        views = []
        for r in rows:
            exists = _server_has(conn, r.login, r.host)
            views.append(RoleView(r.login, r.kind, r.host, r.created_at, exists,
                                  _signals(conn, r.login) if exists else None))
        return views


def drop_role(db: Database, login: str) -> RoleView:
    """Revoke everything the login was granted here and drop it from the server."""
    _require_server(db)
    with translate_errors(login=db.url.username, what="db role"), db.engine.begin() as conn:
        row = conn.execute(select(DbRole).where(DbRole.login == login)).first()
        if row is None:
            raise NotFound(f"没有数据库账号 {login} (no login {login!r} made by 'db role create')")
        if _server_has(conn, login, row.host):
            _run(conn, _revoke_statements(conn, login, row.host))
            account = _account(conn, login, row.host)
            execute(conn, f"DROP ROLE {account}" if conn.dialect.name == "postgresql"
                    else f"DROP USER {account}")
        conn.execute(delete(DbRole).where(DbRole.login == login))
        return RoleView(row.login, row.kind, row.host, row.created_at, False)


def regrant_all(conn: Connection) -> list[str]:
    """Grant every recorded login again exactly what its kind needs now (``db upgrade``
    runs this after the migrations, in their transaction on PostgreSQL). Returns the
    logins re-granted; a login the server no longer has is skipped."""
    if conn.dialect.name == "sqlite":
        return []
    done: list[str] = []
    for row in conn.execute(select(DbRole).order_by(DbRole.login)).all():
        if not _server_has(conn, row.login, row.host):
            continue
        _run(conn, _revoke_statements(conn, row.login, row.host))
        _run(conn, grant_statements(conn, kind_of(row.kind), row.login, row.host))
        done.append(row.login)
    return done

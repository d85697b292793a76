"""Database logins per kind of terminal, on real PostgreSQL and MariaDB: every operation
an attacker with a terminal's credential would try, by every kind, allowed or refused
by the database itself (shared/db_roles.py, docs/security.md)."""

from __future__ import annotations

import datetime as dt
import secrets
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import delete, func, insert, select, text, update
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from shared import (
    admin,
    appointments,
    audit,
    clerks,
    db_roles,
    evaluations,
    followups,
    hcp,
    issuing,
    overflow,
    queue,
    schema,
)
from shared.catalog import load_catalog
from shared.db import Database
from shared.db_roles import Kind
from shared.errors import LoginRefused, PermissionDenied, UsageError
from shared.models import (
    Appointment,
    AuditHead,
    Clerk,
    ClerkAttempt,
    ClerkSecret,
    HcpOutbox,
    LoginRecord,
    OverflowSuggestion,
    Segment,
    Service,
    Site,
    TicketEvent,
    Window,
)
from shared.read.kiosk_view import service_guides
from shared.stats.compute import compute_statistics
from shared.stats.views import StatsFilter
from tests.integration.conftest import (
    TEST_CATALOG as TEST_CATALOG_PATH,
)
from tests.integration.conftest import (
    TEST_CATALOG_TEXT,
    local_now,
    noon_zone,
    replace_once,
    with_timezone,
    write_catalog,
)

SERVER_BACKENDS = pytest.mark.parametrize("empty_db_url", ["postgres", "mariadb"],
                                          indirect=True)
OWNER = "owner"


def _read(column: object) -> Callable[[Database], object]:
    def op(db: Database) -> object:
        with db.read() as session:
            return session.execute(select(column)).all()  # type: ignore[call-overload]
    return op


def _write(statement: object) -> Callable[[Database], object]:
    return lambda db: db.write(lambda s: s.execute(statement))  # type: ignore[arg-type]


class Hall:
    """Preconditions made by the owner before each cell, so every cell tries exactly
    one thing: a waiting ticket to call, a ticket called at a window to finish."""

    def __init__(self, owner: Database, folder: Path) -> None:
        self.owner = owner
        self.folder = folder
        self.appointments = 0
        self.catalogs = 0
        self.catalog = with_timezone(TEST_CATALOG_TEXT, _zone(owner))

    def clerk(self) -> tuple[str, str]:
        """A new clerk (the owner adds it) and the password to log in with."""
        login, password = f"c{uuid.uuid4().hex[:8]}", secrets.token_urlsafe(12)
        clerks.add_clerk(self.owner, login, "新人", password)
        return login, password

    def waiting(self) -> None:
        issuing.issue_ticket(self.owner, "SD", site="hall")

    def serving(self) -> str:
        issuing.issue_ticket(self.owner, "SA", site="hall")
        number = queue.call_next(self.owner, 2, site="hall").ticket.number  # type: ignore[union-attr]
        queue.start(self.owner, number, site="hall")
        return number

    def finished_case(self) -> tuple[int, str]:
        """A ticket finished with a case number (办件编号), not yet rated."""
        self.cases = getattr(self, "cases", 0) + 1
        number = self.serving()
        case_no = f"CASE{self.cases:04d}"
        ticket = queue.finish(self.owner, number, site="hall", cases=[case_no])
        return ticket.id, case_no

    def rated(self) -> None:
        ticket_id, case_no = self.finished_case()
        evaluations.record_evaluation(self.owner, ticket_id, 2, case_no=case_no)

    def done_with(self, number: str) -> None:
        queue.start(self.owner, number, site="hall")
        queue.finish(self.owner, number, site="hall")

    def follow_up(self) -> int:
        """A bad rating of a case just finished, and the id of its follow-up."""
        number = self.serving()
        ticket = queue.finish(self.owner, number, site="hall")
        follow_up = evaluations.record_evaluation(self.owner, ticket.id, 5)
        assert follow_up is not None
        return follow_up

    def booking(self) -> str:
        self.appointments += 1
        code = f"77{self.appointments:03d}"
        now = local_now(_zone(self.owner))
        appointments.add_appointment(self.owner, code=code, service="SA", site="hall",
                                     day=now.date(), slot=f"{now:%H}:00-{now:%H}:59",
                                     name="张三", phone="13800001111")
        return code


def _zone(db: Database) -> str:
    with db.read() as session:
        return str(session.execute(text("SELECT timezone FROM site WHERE code = 'hall'"))
                   .scalar_one())


def operations(hall: Hall) -> dict[str, Callable[[Database], object]]:
    """Each operation as one call that a role either may make or is refused."""

    def add_clerk(db: Database) -> object:
        return clerks.add_clerk(db, f"c{uuid.uuid4().hex[:8]}", "新人", "a-long-password")

    def finish(db: Database) -> object:
        number = hall.serving()
        return queue.finish(db, number, site="hall")

    def finish_lacking(db: Database) -> object:
        number = hall.serving()
        return queue.finish(db, number, site="hall", outcome="materials-missing",
                            missing=["申请表"])

    def call_next(db: Database) -> object:
        hall.waiting()
        result = queue.call_next(db, 4, site="hall")
        hall.done_with(result.ticket.number)  # type: ignore[union-attr]
        return result

    def check_in(db: Database) -> object:
        return issuing.check_in_appointment(db, hall.booking(), site="hall")

    def load_changed_catalog(db: Database) -> object:
        # A catalog that changes something (the same one again writes nothing at all).
        hall.catalogs += 1
        changed = replace_once(hall.catalog, 'name = "一号部门"',
                               f'name = "一号部门{hall.catalogs}"')
        return load_catalog(db, write_catalog(hall.folder, changed, f"c{hall.catalogs}.toml"))

    def rate_a_case(db: Database) -> object:
        ticket_id, case_no = hall.finished_case()
        return evaluations.record_evaluation(db, ticket_id, 1, case_no=case_no)

    def mark_sent(db: Database) -> object:
        hall.rated()
        return db.write(lambda s: s.execute(update(HcpOutbox).values(state="sent")))

    def log_a_clerk_in(db: Database) -> object:
        login, password = hall.clerk()
        view = clerks.login_at_window(db, login, password, 3, "hall")
        clerks.logout(hall.owner, login, 3, "hall")
        return view

    today = dt.date.today()
    return {
        "rate a case": rate_a_case,
        "read the hcp outbox": lambda db: hcp.outbox_status(db, site="hall"),
        "mark a record sent": mark_sent,
        "read clerk hashes": _read(Clerk.password_hash),
        # the key of the fake salts for unknown logins (migration 0016): the owner's alone
        "read the fake-salt key": _read(ClerkSecret.secret),
        "log a clerk in": log_a_clerk_in,
        "read phones": _read(Appointment.phone),
        "update a stay's measures": _write(update(Segment).values(wait_us=21_480_000_000)),
        "delete events": _write(delete(TicketEvent)),
        "edit events": _write(update(TicketEvent).values(action="login")),
        # Moving the chain's head back would make every later event of the site collide
        # with an existing place: the hall would stop (migration 0015).
        "set the audit head back": _write(update(AuditHead).values(seq=1)),
        "record an administrative event": lambda db: audit.record_admin(
            db, site="hall", command="clerk add", arguments={"login": "forged"},
            clerk=OWNER, os_user="x", host="y"),
        "add a clerk": add_clerk,
        "change a password": lambda db: clerks.set_password(db, OWNER, "taken-over-pass"),
        "load a catalog": load_changed_catalog,
        "issue": lambda db: issuing.issue_ticket(db, "SB", site="hall"),
        "appointment check-in": check_in,
        "call next": call_next,
        "finish": finish,
        "finish ticking missing materials": finish_lacking,
        "kiosk guide with 常缺 marks": lambda db: service_guides(db, site="hall"),
        "record a follow-up step": lambda db: followups.contact(
            db, hall.follow_up(), by=OWNER, note="已电话联系"),
        "appeal a rating": lambda db: followups.appeal(
            db, hall.follow_up(), by=OWNER, kind="mistaken", reason="误触"),
        "read statistics": lambda db: compute_statistics(
            db, StatsFilter(today - dt.timedelta(days=2), today + dt.timedelta(days=1))),
        "record an overflow suggestion": _write(insert(OverflowSuggestion).values(
            site_id=select(Site.id).where(Site.code == "hall").scalar_subquery(),
            service_id=select(Service.id).where(Service.code == "SD").scalar_subquery(),
            at=dt.datetime.now(dt.UTC), waiting=9, predicted_minutes=40, target_minutes=15,
            windows=[1, 3])),
        "list overflow suggestions": lambda db: overflow.recorded_suggestions(db, site="hall"),
    }


Y, N = True, False
#                           kiosk display counter supervisor admin web
EXPECTED = {
    # the rating and its record for the province, in one transaction, at the window
    "rate a case":              (N, N, Y, Y, Y, N),
    "read the hcp outbox":      (N, N, Y, Y, Y, N),
    # sending the records (hallq-admin hcp push) is the administrator's
    "mark a record sent":       (N, N, N, N, Y, N),
    # the password is checked in the server (migration 0016): counters never see a hash
    "read clerk hashes":        (N, N, N, N, Y, N),
    "read the fake-salt key":   (N, N, N, N, N, N),
    "log a clerk in":           (N, N, Y, Y, Y, N),
    # the web login compares phones: one remote ticket per phone and service a day
    "read phones":              (N, N, N, Y, Y, Y),
    "update a stay's measures": (N, N, Y, Y, Y, N),
    "delete events":            (N, N, N, N, N, N),
    "edit events":              (N, N, N, N, N, N),
    "set the audit head back":  (N, N, N, N, N, N),
    # administrative commands run at counters (window pauses), supervisors' and admins' PCs
    "record an administrative event": (N, N, Y, Y, Y, N),
    "add a clerk":              (N, N, N, N, Y, N),
    "change a password":        (N, N, N, N, Y, N),
    "load a catalog":           (N, N, N, N, Y, N),
    "issue":                    (Y, N, Y, Y, Y, Y),
    "appointment check-in":     (Y, N, N, N, Y, N),
    "call next":                (N, N, Y, Y, Y, N),
    "finish":                   (N, N, Y, Y, Y, N),
    "finish ticking missing materials": (N, N, Y, Y, Y, N),
    "kiosk guide with 常缺 marks": (Y, N, Y, Y, Y, N),
    "record a follow-up step":  (N, N, N, Y, Y, N),
    "appeal a rating":          (N, N, N, Y, Y, N),
    "read statistics":          (N, N, Y, Y, Y, N),
    "record an overflow suggestion": (N, N, N, Y, Y, N),
    "list overflow suggestions": (N, N, N, Y, Y, N),
}
KINDS = (Kind.KIOSK, Kind.DISPLAY, Kind.COUNTER, Kind.SUPERVISOR, Kind.ADMIN, Kind.WEB)


@pytest.fixture
def owner(db: Database, tmp_path: Path) -> Database:
    """The test database (its owner is the server superuser) at about noon, with a clerk
    account to take over and one finished ticket with a stay to tamper with."""
    load_catalog(db, write_catalog(tmp_path, with_timezone(TEST_CATALOG_TEXT, noon_zone())))
    clerks.add_clerk(db, OWNER, "管理员", "first-password", "admin")
    issuing.issue_ticket(db, "SA", site="hall")
    called = queue.call_next(db, 1, site="hall").ticket
    assert called is not None
    queue.start(db, called.number, site="hall")
    queue.finish(db, called.number, site="hall")
    return db


@pytest.fixture
def logins(owner: Database) -> Iterator[dict[Kind, Database]]:
    """One login of each kind, uniquely named for this run; dropped afterwards."""
    run = uuid.uuid4().hex[:6]
    made: dict[Kind, Database] = {}
    try:
        for kind in KINDS:
            login = f"hq_{run}_{kind.value}"
            password = secrets.token_urlsafe(16)
            db_roles.create_role(owner, kind, login, password)
            url = make_url(owner.url.render_as_string(hide_password=False)).set(
                username=login, password=password)
            made[kind] = Database(url.render_as_string(hide_password=False))
        yield made
    finally:
        for database in made.values():
            database.dispose()
        for role in db_roles.list_roles(owner):
            if role.login.startswith(f"hq_{run}_"):
                db_roles.drop_role(owner, role.login)


def _outcome(operation: Callable[[Database], object], db: Database) -> bool:
    try:
        operation(db)
    except PermissionDenied as exc:
        assert db.url.username in str(exc), exc  # names the login refused
        return False
    return True


@SERVER_BACKENDS
def test_each_kind_may_do_exactly_what_it_needs(owner: Database, logins: dict[Kind, Database],
                                                tmp_path: Path) -> None:
    hall = Hall(owner, tmp_path)
    ops = operations(hall)
    actual = {name: tuple(_outcome(op, logins[kind]) for kind in KINDS)
              for name, op in ops.items()}
    assert actual == EXPECTED
    # The owner (who runs db upgrade) can do all of it, the event log included.
    assert all(_outcome(op, owner) for op in ops.values())


@SERVER_BACKENDS
def test_refusal_names_the_login_and_what_it_tried(owner: Database,
                                                   logins: dict[Kind, Database]) -> None:
    kiosk = logins[Kind.KIOSK]
    with pytest.raises(PermissionDenied) as refused:
        clerks.add_clerk(kiosk, "evil", "坏人", "evil-password-1", "admin")
    message = str(refused.value)
    assert kiosk.url.username in message and "add_clerk" in message
    assert "clerk" in message.split("refused", 1)[1]  # the table it was refused
    assert "clerk）" in message.split("(", 1)[0]  # the Chinese half names it too
    assert PermissionDenied.exit_code == 7
    # A GUI terminal's dialog says which login its config holds and what it could not do.
    from shared.qt.errors import describe

    title, said = describe(refused.value)
    assert title == "本终端的数据库账号无此权限"
    assert kiosk.url.username in said and "add_clerk" in said and "clerk" in said
    assert "信息科" in said and "refused" not in said  # in Chinese only
    assert "\n" not in message
    # Nothing was added.
    with owner.read() as session:
        assert session.scalar(select(Clerk.id).where(Clerk.login == "evil")) is None


@SERVER_BACKENDS
def test_upgrade_grants_every_login_again(owner: Database,
                                          logins: dict[Kind, Database]) -> None:
    counter = logins[Kind.COUNTER]
    login = counter.url.username
    account = f'"{login}"' if owner.is_postgres else f"'{login}'@'%'"
    with owner.engine.begin() as conn:  # a grant lost (by hand, or a new table)
        db_roles.execute(conn, f"REVOKE SELECT ON {db_roles.table_name(conn, 'ticket')} "
                               f"FROM {account}")
    with pytest.raises(PermissionDenied):
        queue.call_next(counter, 1, site="hall")
    schema.upgrade(owner)
    issuing.issue_ticket(owner, "SA", site="hall")
    assert queue.call_next(counter, 1, site="hall").ticket is not None


@SERVER_BACKENDS
def test_role_list_and_drop(owner: Database, logins: dict[Kind, Database]) -> None:
    listed = {r.login: r for r in db_roles.list_roles(owner)}
    kiosk_login = logins[Kind.KIOSK].url.username
    assert listed[kiosk_login].kind == "kiosk" and listed[kiosk_login].exists
    # A superuser owner lets every kind that takes row locks end a frozen terminal's
    # session (PostgreSQL); the display only reads.
    signals = {r.kind: r.ends_stuck_sessions for r in listed.values()
               if r.login in {d.url.username for d in logins.values()}}
    if owner.is_postgres:
        assert signals == {k.value: k is not Kind.DISPLAY for k in KINDS}
    else:
        assert set(signals.values()) == {None}
    logins[Kind.KIOSK].dispose()
    db_roles.drop_role(owner, kiosk_login)
    assert kiosk_login not in {r.login for r in db_roles.list_roles(owner)}
    with pytest.raises(UsageError):  # a second time: no such login
        db_roles.drop_role(owner, kiosk_login)


@SERVER_BACKENDS
def test_weak_or_clashing_logins_are_refused(owner: Database,
                                             logins: dict[Kind, Database]) -> None:
    existing = logins[Kind.DISPLAY].url.username
    with pytest.raises(UsageError, match="already exists"):
        db_roles.create_role(owner, Kind.DISPLAY, existing, secrets.token_urlsafe(16))
    with pytest.raises(UsageError, match="at least"):
        db_roles.create_role(owner, Kind.DISPLAY, "hq_short_pw", "short")
    with pytest.raises(UsageError, match="login"):
        db_roles.create_role(owner, Kind.DISPLAY, "Robert'); DROP", secrets.token_urlsafe(16))


@pytest.fixture(params=["postgres", "mariadb"])
def readme_owner(request: pytest.FixtureRequest) -> Iterator[Database]:
    """A database owned by a login set up as README.md says (not a server superuser):
    PostgreSQL CREATEROLE; MariaDB ALL on the database WITH GRANT OPTION, CREATE USER and
    SELECT on mysql.global_priv. Made beside the session's test database; removed after."""
    from tests.conftest import server_database

    server = server_database(request.param)
    tag = uuid.uuid4().hex[:6]
    name, owner_login, password = f"hallq_own_{tag}", f"hq_{tag}_owner", secrets.token_urlsafe(16)
    postgres = request.param == "postgres"
    with server.admin.connect() as conn:
        if postgres:
            conn.exec_driver_sql(f"CREATE ROLE {owner_login} LOGIN CREATEROLE "
                                 f"PASSWORD '{password}'")
            conn.exec_driver_sql(f"CREATE DATABASE {name} OWNER {owner_login}")
        else:
            account = f"'{owner_login}'@'%%'"
            conn.exec_driver_sql(f"CREATE DATABASE {name} CHARACTER SET utf8mb4 "
                                 f"COLLATE utf8mb4_bin")
            conn.exec_driver_sql(f"CREATE USER {account} IDENTIFIED BY '{password}'")
            conn.exec_driver_sql(f"GRANT ALL ON {name}.* TO {account} WITH GRANT OPTION")
            conn.exec_driver_sql(f"GRANT CREATE USER ON *.* TO {account}")
            conn.exec_driver_sql(f"GRANT SELECT ON mysql.global_priv TO {account}")
    url = make_url(server.url).set(database=name, username=owner_login, password=password)
    database = Database(url.render_as_string(hide_password=False))
    try:
        yield database
    finally:
        database.dispose()
        with server.admin.connect() as conn:
            if postgres:
                conn.exec_driver_sql(f"DROP DATABASE {name} WITH (FORCE)")
                conn.exec_driver_sql(f"DROP ROLE IF EXISTS hq_{tag}_counter")
                conn.exec_driver_sql(f"DROP ROLE {owner_login}")
            else:
                conn.exec_driver_sql(f"DROP DATABASE {name}")
                conn.exec_driver_sql(f"DROP USER IF EXISTS 'hq_{tag}_counter'@'%%'")
                conn.exec_driver_sql(f"DROP USER '{owner_login}'@'%%'")


def test_the_owner_readme_describes_can_manage_logins(readme_owner: Database) -> None:
    schema.upgrade(readme_owner)
    load_catalog(readme_owner, TEST_CATALOG_PATH)
    login = readme_owner.url.username.replace("_owner", "_counter")  # type: ignore[union-attr]
    password = secrets.token_urlsafe(16)
    created = db_roles.create_role(readme_owner, Kind.COUNTER, login, password)
    # CREATEROLE may hand out pg_signal_backend up to PostgreSQL 15; from 16 on it needs
    # ADMIN OPTION on it, and create_role then says so instead of failing.
    if readme_owner.is_postgres:
        version = readme_owner.engine.dialect.server_version_info
        assert version is not None
        assert created.ends_stuck_sessions is (version < (16,))
    else:
        assert created.ends_stuck_sessions is None
    counter = Database(readme_owner.url.set(username=login, password=password)
                       .render_as_string(hide_password=False))
    try:
        issuing.issue_ticket(readme_owner, "SA", site="hall")
        assert queue.call_next(counter, 1, site="hall").ticket is not None
        with pytest.raises(PermissionDenied):
            clerks.add_clerk(counter, "evil", "坏人", "evil-password-1", "admin")
        # The password check runs as this owner (its routines; granted by it).
        clerks.add_clerk(readme_owner, "wangf", "王芳", "wangf-password")
        assert clerks.login_at_window(counter, "wangf", "wangf-password", 1, "hall").window == 1
        schema.upgrade(readme_owner)  # re-grants as the owner
        assert [r.exists for r in db_roles.list_roles(readme_owner)] == [True]
    finally:
        counter.dispose()
    db_roles.drop_role(readme_owner, login)
    assert db_roles.list_roles(readme_owner) == []


@SERVER_BACKENDS
def test_each_terminal_reads_what_its_screens_show(owner: Database,
                                                   logins: dict[Kind, Database]) -> None:
    """The reads the kiosk, the hall display and the phone pages make work under their own
    logins, tickets served by a clerk included (their rows name the clerk)."""
    from shared.read import display_view, hall_state
    from shared.read.kiosk_view import service_guides
    from shared.read.site import site_info

    clerks.add_clerk(owner, "wangf", "王芳", "wangf-password")
    clerks.login_at_window(owner, "wangf", "wangf-password", 1, "hall")
    issuing.issue_ticket(owner, "SA", site="hall")
    queue.call_next(owner, 1, site="hall", clerk="wangf")
    kiosk, display, web = logins[Kind.KIOSK], logins[Kind.DISPLAY], logins[Kind.WEB]
    assert any(t.clerk == "wangf" for t in hall_state.list_tickets(kiosk, site="hall"))
    assert hall_state.queue_overview(kiosk, site="hall")
    assert site_info(kiosk, site="hall", links=True).code == "hall" and service_guides(kiosk, site="hall")
    assert display_view.recent_calls(display, site="hall")
    assert site_info(display, site="hall")
    assert hall_state.queue_overview(display, site="hall")
    assert hall_state.get_window(display, 1, site="hall").clerk_name == "王芳"
    assert hall_state.queue_overview(web, site="hall")
    # Each terminal's snapshot (shared/read) and change feed under its own login.
    from shared.feed import ChangeWatcher
    from shared.read.counter_view import counter_snapshot
    from shared.read.kiosk_view import kiosk_services
    from shared.read.supervisor_view import live_view

    counter = logins[Kind.COUNTER]
    assert counter_snapshot(counter, 1, "wangf", site="hall").held is not None
    assert kiosk_services(kiosk, site="hall")
    assert live_view(logins[Kind.SUPERVISOR], site="hall").windows
    for terminal in (kiosk, display, counter):
        watcher = ChangeWatcher(terminal, site_info(terminal, "hall").id, poll_interval=0.02)
        try:
            assert watcher.changes(timeout=2.0)[0].everything
            issued = issuing.issue_ticket(owner, "SB", site="hall").ticket
            seen: list[int] = []
            for _ in range(50):
                seen += [t for c in watcher.changes(timeout=0.2) for t in c.tickets]
                if issued.id in seen:
                    break
            assert issued.id in seen
        finally:
            watcher.close()


@pytest.mark.parametrize("empty_db_url", ["postgres"], indirect=True)
def test_the_event_log_trigger_refuses_even_a_grant_by_hand(owner: Database,
                                                            logins: dict[Kind, Database]) -> None:
    counter = logins[Kind.COUNTER]
    with owner.engine.begin() as conn:
        conn.exec_driver_sql(f'GRANT UPDATE, DELETE ON ticket_event TO "{counter.url.username}"')
    for statement in (update(TicketEvent).values(action="login"), delete(TicketEvent)):
        with pytest.raises(PermissionDenied, match="append-only"):
            counter.write(lambda s, statement=statement: s.execute(statement))


@pytest.mark.parametrize("empty_db_url", ["postgres"], indirect=True)
def test_a_refused_signal_grant_leaves_the_transaction_usable(
        owner: Database, logins: dict[Kind, Database]) -> None:
    # What create_role meets on PostgreSQL 16+ when the owner lacks ADMIN OPTION on
    # pg_signal_backend: the grant is refused, the login is still made.
    display = logins[Kind.DISPLAY]
    with display.engine.begin() as conn:
        assert db_roles._grant_signal_backend(conn, display.url.username or "") is False
        assert conn.execute(text("SELECT 1")).scalar() == 1


@SERVER_BACKENDS
def test_counter_and_supervisor_log_clerks_in_without_reading_hashes(
        owner: Database, logins: dict[Kind, Database]) -> None:
    """A counter and a supervisor login check a clerk's password through the owner's
    routines: the right one logs in, a wrong password and an unknown login get the same
    refusal, and the hash itself stays out of reach."""
    clerks.add_clerk(owner, "wangf", "王芳", "wangf-password")
    counter, supervisor = logins[Kind.COUNTER], logins[Kind.SUPERVISOR]
    at_window = clerks.login_at_window(counter, "wangf", "wangf-password", 1, "hall")
    assert (at_window.login, at_window.display_name, at_window.window) == ("wangf", "王芳", 1)
    assert clerks.authenticate(supervisor, "wangf", "wangf-password").role == "clerk"
    refusals = set()
    for db, login, password in ((counter, "wangf", "not-her-password"),
                                (counter, "nobody", "wangf-password"),
                                (supervisor, "wangf", "not-her-password"),
                                (supervisor, "nobody", "wangf-password")):
        with pytest.raises(LoginRefused) as refused:
            if db is counter:
                clerks.login_at_window(db, login, password, 2, "hall")
            else:
                clerks.authenticate(db, login, password)
        refusals.add(str(refused.value))
    assert refusals == {"工号或密码错误 (wrong login or password)"}
    # The bookkeeping still tells the two apart for the hall's IT (login_record).
    with owner.read() as session:
        details = session.scalars(select(LoginRecord.detail).where(
            LoginRecord.success.is_(False)).order_by(LoginRecord.id)).all()
    assert details == ["wrong password", "unknown or disabled login"] * 2
    for db in (counter, supervisor):
        with pytest.raises(PermissionDenied):
            _read(Clerk.password_hash)(db)
        # Whole clerk rows still load for them: the hash is never among the columns.
        assert clerks.require_clerk(db, "wangf").display_name == "王芳"
    # A disabled clerk is refused like an unknown one.
    clerks.disable_clerk(owner, "wangf")
    with pytest.raises(LoginRefused, match="wrong login or password"):
        clerks.authenticate(supervisor, "wangf", "wangf-password")


def _params(db: Database, login: str) -> str:
    """What the login routine answers, asked as a login asks it: in a write transaction
    (the routine makes the fake salts' key if the table was emptied, as the test
    fixtures do; it is kept with the transaction)."""
    return db.write(lambda session: clerks.credential_store(session).params(session, login))


@SERVER_BACKENDS
def test_an_unknown_login_gets_a_stable_fake_of_the_same_shape(
        owner: Database, logins: dict[Kind, Database]) -> None:
    """The routine answers an unknown or disabled login with parameters of the same shape
    and cost as a real one's, the same every time, different per login; kinds that log
    no clerk in may not call it at all."""
    import re

    clerks.add_clerk(owner, "wangf", "王芳", "wangf-password")
    clerks.add_clerk(owner, "lim", "李明", "lim-password")
    counter = logins[Kind.COUNTER]
    with owner.read() as session:
        stored = session.scalar(select(Clerk.password_hash).where(Clerk.login == "wangf"))
    assert stored is not None
    real = _params(counter, "wangf")
    assert real == stored.rsplit("$", 1)[0]  # the public part only, never the digest
    shape = re.compile(r"scrypt\$(\d+)\$(\d+)\$(\d+)\$([A-Za-z0-9+/]{22}==)")
    fake = _params(counter, "nobody")
    real_match, fake_match = shape.fullmatch(real), shape.fullmatch(fake)
    assert real_match and fake_match, (real, fake)
    assert real_match.groups()[:3] == fake_match.groups()[:3]  # the same cost
    assert _params(counter, "nobody") == fake  # stable: asking twice tells nothing
    assert _params(logins[Kind.SUPERVISOR], "nobody") == fake
    assert _params(counter, "nobody2") != fake
    # A disabled login's answer is a fake too: no longer its real salt.
    clerks.disable_clerk(owner, "lim")
    disabled = _params(counter, "lim")
    assert shape.fullmatch(disabled) and disabled == _params(counter, "lim")
    with owner.read() as session:
        lim_hash = session.scalar(select(Clerk.password_hash).where(Clerk.login == "lim"))
    assert lim_hash is not None and not lim_hash.startswith(disabled)
    for kind in (Kind.KIOSK, Kind.DISPLAY, Kind.WEB):
        with pytest.raises(PermissionDenied):
            _params(logins[kind], "wangf")


@SERVER_BACKENDS
def test_upgrade_grants_the_login_routines_again(owner: Database,
                                                 logins: dict[Kind, Database]) -> None:
    """A counter login that lost EXECUTE on the routines gets it back from db upgrade."""
    clerks.add_clerk(owner, "wangf", "王芳", "wangf-password")
    counter = logins[Kind.COUNTER]
    login = counter.url.username
    with owner.engine.begin() as conn:
        if owner.is_postgres:
            conn.exec_driver_sql(f'REVOKE EXECUTE ON FUNCTION hallq_clerk_kdf(text) FROM "{login}"')
        else:
            conn.exec_driver_sql(f"REVOKE EXECUTE ON PROCEDURE `{owner.url.database}`."
                                 f"`hallq_clerk_kdf` FROM '{login}'@'%%'")
    with pytest.raises(PermissionDenied):
        clerks.login_at_window(counter, "wangf", "wangf-password", 1, "hall")
    schema.upgrade(owner)
    assert clerks.login_at_window(counter, "wangf", "wangf-password", 1, "hall").window == 1


def _direct_check(db: Database, login: str, key: str, window_id: int | None = None
                  ) -> tuple[int | None, int]:
    """What someone holding a counter's credential can do outside the app: call the check
    routine itself, in a transaction of their own (committed)."""
    statement = ("SELECT attempt, wait_seconds FROM hallq_clerk_check(:l, :k, :w)"
                 if db.is_postgres else "CALL hallq_clerk_check(:l, :k, :w)")
    with db.engine.connect() as conn:
        row = conn.execute(text(statement), {"l": login, "k": key, "w": window_id}).one()
        conn.commit()
    return (None if row.attempt is None else int(row.attempt)), int(row.wait_seconds)


def _direct_result(db: Database, attempt: int, login: str) -> str | None:
    statement = ("SELECT login FROM hallq_clerk_result(:a, :l)" if db.is_postgres
                 else "CALL hallq_clerk_result(:a, :l)")
    with db.engine.connect() as conn:
        row = conn.execute(text(statement), {"a": attempt, "l": login}).first()
        conn.commit()
    return None if row is None else str(row.login)


def _key(db: Database, login: str, password: str) -> str:
    key = clerks.derive_key(password, _params(db, login))
    assert key is not None
    return key


def _records(owner: Database, login: str) -> list[tuple[bool, str]]:
    with owner.read() as session:
        return [(bool(r.success), r.detail) for r in session.execute(
            select(LoginRecord.success, LoginRecord.detail).where(LoginRecord.login == login)
            .order_by(LoginRecord.id))]


def _age_records(owner: Database, seconds: int) -> None:
    """Move every recorded try ``seconds`` into the past (the wait passing)."""
    def earlier(session: Session) -> None:
        for record_id, at in session.execute(select(LoginRecord.id, LoginRecord.at)).all():
            session.execute(update(LoginRecord).where(LoginRecord.id == record_id)
                            .values(at=at - dt.timedelta(seconds=seconds)))

    owner.write(earlier)


@SERVER_BACKENDS
def test_the_server_counts_and_throttles_direct_checks(owner: Database,
                                                       logins: dict[Kind, Database]) -> None:
    """A counter's credential used outside the app: each wrong key is recorded, after a
    few the routine refuses without comparing (the right key too) and says how long to
    wait; after the wait the right key works and ends the waits, as at a window."""
    clerks.add_clerk(owner, "wangf", "王芳", "wangf-password")
    counter = logins[Kind.COUNTER]
    right = _key(counter, "wangf", "wangf-password")
    answers = [_direct_check(counter, "wangf", _key(counter, "wangf", f"guess-{n:04d}"))
               for n in range(6)]
    assert [wait for _, wait in answers[:clerks.FREE_FAILURES]] == [0] * clerks.FREE_FAILURES
    for attempt, _ in answers[:clerks.FREE_FAILURES]:  # checked, recorded, no match
        assert attempt is not None and _direct_result(counter, attempt, "wangf") is None
    refused = answers[clerks.FREE_FAILURES:]
    assert all(attempt is None and 0 < wait <= clerks.FIRST_DELAY_S
               for attempt, wait in refused), answers
    # The right key inside the wait is refused as well: nothing is compared.
    assert _direct_check(counter, "wangf", right)[0] is None
    assert _records(owner, "wangf") == (
        [(False, "wrong password")] * clerks.FREE_FAILURES + [(False, clerks.THROTTLED)] * 4)
    # The app's own login at that terminal (no window) says how long to wait.
    with pytest.raises(LoginRefused, match=r"try again in [1-5] s"):
        clerks.authenticate(counter, "wangf", "wangf-password")
    _age_records(owner, clerks.FIRST_DELAY_S + 1)
    attempt, wait = _direct_check(counter, "wangf", right)
    assert wait == 0 and attempt is not None
    assert _direct_result(counter, attempt, "wangf") == "wangf"
    assert _records(owner, "wangf")[-1] == (True, "")
    # The success ended the waits: a new wrong key is compared again.
    assert _direct_check(counter, "wangf", "wrong")[1] == 0
    # The outcomes are the owner's: a counter reads no attempt.
    with pytest.raises(PermissionDenied):
        _read(ClerkAttempt.clerk_id)(counter)


@SERVER_BACKENDS
def test_a_check_cannot_be_rolled_back_off_the_record(owner: Database,
                                                      logins: dict[Kind, Database]) -> None:
    """The outcome is answered only once the try is committed: asking in the checking
    transaction gets nothing, and rolling it back leaves the failure on record (MariaDB:
    the procedure committed it; PostgreSQL: the outcome is lost with it)."""
    clerks.add_clerk(owner, "wangf", "王芳", "wangf-password")
    counter = logins[Kind.COUNTER]
    right = _key(counter, "wangf", "wangf-password")
    check = ("SELECT attempt, wait_seconds FROM hallq_clerk_check(:l, :k, NULL)"
             if owner.is_postgres else "CALL hallq_clerk_check(:l, :k, NULL)")
    result = ("SELECT login FROM hallq_clerk_result(:a, :l)" if owner.is_postgres
              else "CALL hallq_clerk_result(:a, :l)")
    for _ in range(clerks.FREE_FAILURES + 1):
        with counter.engine.connect() as conn:
            attempt = conn.execute(text(check), {"l": "wangf", "k": right}).one().attempt
            if attempt is not None and owner.is_postgres:
                # not committed yet: no answer, even for the right key
                assert conn.execute(text(result), {"a": attempt, "l": "wangf"}).first() is None
            conn.rollback()
    if owner.is_postgres:
        # The rolled-back tries left nothing to collect and nothing on record.
        assert _records(owner, "wangf") == []
        assert _direct_result(counter, int(attempt), "wangf") is None
    else:
        # Committed by the procedure before it answered: they count.
        assert _records(owner, "wangf") == [(False, "wrong password")] * 3 + \
            [(False, clerks.THROTTLED)]
        assert _direct_check(counter, "wangf", right)[0] is None
    if owner.is_postgres:
        # A snapshot older than the statement would not see the latest failures.
        with counter.engine.connect() as conn, pytest.raises(DBAPIError):
            conn.exec_driver_sql("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            conn.execute(text(check), {"l": "wangf", "k": right})


@SERVER_BACKENDS
def test_naming_other_windows_does_not_escape_the_wait(owner: Database,
                                                       logins: dict[Kind, Database]) -> None:
    """The terminal is the caller's word: naming a new window for each try gets a few
    more, then the login's failures everywhere make it wait too."""
    clerks.add_clerk(owner, "wangf", "王芳", "wangf-password")
    counter = logins[Kind.COUNTER]
    for number in range(11, 18):  # more windows than the login's total needs
        admin.add_window(owner, number, f"{number} 号窗口", {"SA": 1}, site="hall")
    with owner.read() as session:
        windows = session.scalars(select(Window.id).order_by(Window.id)).all()
    assert len(windows) * clerks.FREE_FAILURES > clerks.ANY_TERMINAL_FREE_FAILURES
    key = _key(counter, "wangf", "not-her-password")
    waits = []
    for n in range(clerks.ANY_TERMINAL_FREE_FAILURES + 2):
        waits.append(_direct_check(counter, "wangf", key, windows[n % len(windows)])[1])
    # Each window lets its own few through until the login's total is reached.
    assert waits.count(0) == clerks.ANY_TERMINAL_FREE_FAILURES, waits
    assert waits[-1] > 0
    with owner.read() as session:
        counted = session.scalar(select(func.count()).select_from(LoginRecord).where(
            LoginRecord.detail == "wrong password"))
    assert counted == clerks.ANY_TERMINAL_FREE_FAILURES


@SERVER_BACKENDS
def test_parallel_checks_are_counted_one_by_one(owner: Database,
                                                logins: dict[Kind, Database]) -> None:
    """Many connections checking at once get no more tries than one after the other."""
    import threading

    clerks.add_clerk(owner, "wangf", "王芳", "wangf-password")
    counter = logins[Kind.COUNTER]
    key = _key(counter, "wangf", "not-her-password")
    start = threading.Barrier(8)
    waits: list[int] = []

    def guess() -> None:
        start.wait()
        waits.append(_direct_check(counter, "wangf", key)[1])

    threads = [threading.Thread(target=guess) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert waits.count(0) == clerks.FREE_FAILURES, waits  # compared; the rest told to wait
    assert all(0 < wait <= clerks.FIRST_DELAY_S for wait in waits if wait), waits
    assert _records(owner, "wangf").count((False, "wrong password")) == clerks.FREE_FAILURES

"""One frozen terminal must not stop the hall (issue 12, section 1).

A terminal is frozen in the middle of an operation: a ``hallq-admin`` process that stops
itself with SIGSTOP after its last statement and before its COMMIT (or, on PostgreSQL,
after the first statement of its final pipeline reached the server), or an in-process
terminal whose TCP proxy stops forwarding just before its COMMIT. Meanwhile other windows
call next and other kiosks issue, all at once: each must succeed within 5 s. When the
frozen terminal wakes, its operation has been rolled back and is reported as failed
(exit 5), and the queue invariants hold. On SQLite a writer holds the whole database:
reads go on, and writes are refused after the busy timeout with exit 5 and a message
that another program holds the database.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import psycopg
import pytest
from sqlalchemy import event, text

import shared.db
from shared import issuing, queue
from shared.catalog import load_catalog
from shared.config import DatabaseConfig
from shared.db import Database
from shared.errors import DatabaseBusy, DatabaseUnavailable
from shared.read import hall_state
from testkit.invariants import check_all
from tests.integration.conftest import write_catalog
from tests.integration.test_concurrency import SITE, stress_catalog
from tests.tcp_proxy import TcpProxy

ROOT = Path(__file__).parents[2]
WITHIN_S = 5.0

# A terminal that freezes itself mid-operation, then runs hallq-admin with the rest of
# its arguments. "commit": after the operation's last statement, before COMMIT goes out
# (on PostgreSQL the COMMIT is pipelined with the operation's last writes: those are sent
# to the server first, then it freezes); "pipeline": once the first statement of the
# final pipeline has reached the server.
FREEZER = r"""
import os, signal, sys
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

frozen = []

def freeze():
    if not frozen:
        frozen.append(True)
        os.kill(os.getpid(), signal.SIGSTOP)

if sys.argv[1] == "commit":
    import shared.db
    event.listen(Session, "before_commit", lambda session: freeze())
    send_commit = shared.db.send_commit
    def flush_then_freeze(driver):
        while driver.pgconn.flush():
            pass
        freeze()
        send_commit(driver)
    shared.db.send_commit = flush_then_freeze
else:
    def sent(conn, cursor, statement, parameters, context, executemany):
        driver = conn.connection.driver_connection
        if getattr(driver, "_pipeline", None) is not None:
            while driver.pgconn.flush():
                pass
            freeze()
    event.listen(Engine, "after_cursor_execute", sent)

from shared.cli.main import main
sys.exit(main(sys.argv[2:]))
"""


@pytest.fixture
def hall(db: Database, tmp_path: Path) -> Database:
    """Four windows, four services open around the clock, two tickets of each waiting."""
    load_catalog(db, write_catalog(tmp_path, stress_catalog(4)))
    for service in ("S1", "S2", "S3", "S4") * 2:
        issuing.issue_ticket(db, service, site=SITE)
    return db


@pytest.fixture
def cli_env(tmp_path: Path) -> dict[str, str]:
    env = dict(os.environ)
    for name, folder in (("XDG_STATE_HOME", "state"), ("XDG_CONFIG_HOME", "config"),
                         ("XDG_DATA_HOME", "data")):
        env[name] = str(tmp_path / folder)
    env.pop("HALLQ_CONFIG", None)
    env.pop("HALLQ_DATABASE_URL", None)
    return env


def url_of(db: Database) -> str:
    return db.url.render_as_string(hide_password=False)


def start_frozen(where: str, env: dict[str, str], *args: str) -> subprocess.Popen[str]:
    """Start ``hallq-admin ARGS`` freezing itself at ``where``; return once it is stopped."""
    child = subprocess.Popen([sys.executable, "-c", FREEZER, where, *args], cwd=ROOT, env=env,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        state = Path(f"/proc/{child.pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        if state == "T":
            return child
        if child.poll() is not None:
            out, err = child.communicate()
            pytest.fail(f"the terminal ended before freezing (exit {child.returncode}): "
                        f"{out} {err}")
        time.sleep(0.02)
    child.kill()
    pytest.fail("the terminal did not reach its freezing point within 60 s")


def wake(child: subprocess.Popen[str]) -> tuple[int, str]:
    os.kill(child.pid, signal.SIGCONT)
    _, err = child.communicate(timeout=120)
    return child.returncode, err


def others_meanwhile(url: str) -> dict[str, float]:
    """Other windows call next and other kiosks issue, all at once, each from its own
    terminal; returns how long each took (each must have succeeded)."""

    def timed(operation: Callable[[Database], object]) -> float:
        terminal = Database(url)
        try:
            started = time.monotonic()
            operation(terminal)
            return time.monotonic() - started
        finally:
            terminal.dispose()

    work: dict[str, Callable[[Database], object]] = {
        "call-next window 1": lambda t: queue.call_next(t, 1, site=SITE).ticket,
        "call-next window 3": lambda t: queue.call_next(t, 3, site=SITE).ticket,
        "issue S1 (the frozen one's prefix)": lambda t: issuing.issue_ticket(t, "S1", site=SITE),
        "issue S2": lambda t: issuing.issue_ticket(t, "S2", site=SITE),
        "pause window 4": lambda t: queue.pause_window(t, 4, "会议", site=SITE),
    }
    with ThreadPoolExecutor(len(work)) as pool:
        futures = {name: pool.submit(timed, op) for name, op in work.items()}
        return {name: future.result() for name, future in futures.items()}


def assert_hall_went_on(waits: dict[str, float]) -> None:
    # Shown with -s: docs/benchmarks.md ("Faults") quotes these.
    print("waits behind the frozen terminal (s):", {n: round(w, 2) for n, w in waits.items()})
    slow = {name: round(wait, 2) for name, wait in waits.items() if wait >= WITHIN_S}
    assert not slow, f"waited {WITHIN_S} s or more behind the frozen terminal: {slow}"


def issue_frozen_while_others_work(where: str, env: dict[str, str], terminal: str,
                                   others: str) -> tuple[int, str]:
    """A terminal on ``terminal`` frozen at ``where`` while it issues an S1 number, the
    hall's other terminals at work on ``others`` meanwhile (none may wait for it), then
    the frozen one woken: its exit code and stderr."""
    child = start_frozen(where, env, "--database", terminal, "ticket", "issue", "S1",
                         "--site", SITE)
    try:
        waits = others_meanwhile(others)
    finally:
        code, err = wake(child)
    assert_hall_went_on(waits)
    return code, err


def assert_nothing_half_written(db: Database) -> None:
    report = check_all(db)
    assert not any(report.violations.values()), report.violations
    numbers = [t.number for t in hall_state.list_tickets(db, site=SITE)]
    # The hall's 8 tickets and the two issued meanwhile; the frozen one's A003 never was.
    assert sorted(n for n in numbers if n.startswith("A")) == ["A001", "A002", "A003"]
    assert len(numbers) == 10


@pytest.mark.slow
@pytest.mark.all_backends
def test_terminal_frozen_before_commit_holds_no_one_up(
        hall: Database, cli_env: dict[str, str]) -> None:
    if hall.backend == "sqlite":
        pytest.skip("SQLite: one writer holds the database (test_sqlite_writer_frozen_...)")
    code, err = issue_frozen_while_others_work("commit", cli_env, url_of(hall), url_of(hall))
    assert code == 5, err
    assert "数据库" in err and "意外错误" not in err
    assert_nothing_half_written(hall)


@pytest.mark.slow
@pytest.mark.all_backends
def test_terminal_frozen_in_the_middle_of_its_pipeline_holds_no_one_up(
        hall: Database, cli_env: dict[str, str]) -> None:
    if not hall.is_postgres:
        pytest.skip("only PostgreSQL terminals send an operation's last writes in a pipeline")
    code, err = issue_frozen_while_others_work("pipeline", cli_env, url_of(hall), url_of(hall))
    assert code == 5, err
    assert "意外错误" not in err
    assert_nothing_half_written(hall)


@pytest.fixture
def terminal_logins(hall: Database) -> Iterator[dict[str, str]]:
    """A kiosk and a counter login as README's LAN set-up makes them (db role create),
    uniquely named; their URLs by kind. Dropped afterwards."""
    import secrets
    import uuid

    from sqlalchemy.engine import make_url

    from shared import db_roles

    run = uuid.uuid4().hex[:6]
    urls: dict[str, str] = {}
    try:
        for kind in (db_roles.Kind.KIOSK, db_roles.Kind.COUNTER):
            login, password = f"hq_{run}_{kind.value}", secrets.token_urlsafe(16)
            db_roles.create_role(hall, kind, login, password)
            urls[kind.value] = make_url(url_of(hall)).set(
                username=login, password=password).render_as_string(hide_password=False)
        yield urls
    finally:
        for role in db_roles.list_roles(hall):
            if role.login.startswith(f"hq_{run}_"):
                db_roles.drop_role(hall, role.login)


@pytest.mark.slow
@pytest.mark.parametrize("empty_db_url", ["postgres", "mariadb"], indirect=True)
def test_a_frozen_kiosk_holds_up_no_terminal_of_another_login(
        hall: Database, terminal_logins: dict[str, str], cli_env: dict[str, str]) -> None:
    # Frozen with its final pipeline's writes on the server and its COMMIT not sent, a
    # PostgreSQL session is "active" reading from its client, which no server timeout of
    # PostgreSQL 15 ends: a waiting terminal must. It sees, and may end, another
    # login's session only as a member of pg_signal_backend and pg_read_all_stats, which
    # db role create grants.
    kiosk, counter = terminal_logins["kiosk"], terminal_logins["counter"]
    # every other terminal on the counter login
    code, err = issue_frozen_while_others_work("commit", cli_env, kiosk, counter)
    assert code == 5, err
    assert_nothing_half_written(hall)


@pytest.fixture
def proxied(hall: Database) -> Iterator[tuple[Database, TcpProxy]]:
    url = hall.url
    proxy = TcpProxy(url.port or {"postgresql": 5432}.get(hall.backend, 3306), url.host or
                     "127.0.0.1")
    terminal = Database(url.set(host="127.0.0.1", port=proxy.port).render_as_string(
        hide_password=False))
    try:
        yield terminal, proxy
    finally:
        terminal.dispose()
        proxy.close()


@pytest.mark.slow
@pytest.mark.all_backends
def test_terminal_whose_network_stops_before_commit_holds_no_one_up(
        hall: Database, request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    if hall.backend == "sqlite":
        pytest.skip("SQLite has no network")
    terminal, proxy = request.getfixturevalue("proxied")
    event.listen(terminal._write_sessions, "before_commit", lambda session: proxy.freeze())
    # PostgreSQL: the COMMIT goes out in the pipeline of the operation's last writes.
    send_commit = shared.db.send_commit

    def freeze_then_commit(driver: psycopg.Connection[Any]) -> None:
        if driver.info.port == proxy.port:
            proxy.freeze()
        send_commit(driver)

    monkeypatch.setattr(shared.db, "send_commit", freeze_then_commit)
    outcome: list[BaseException | object] = []

    def kiosk() -> None:
        try:
            outcome.append(issuing.issue_ticket(terminal, "S1", site=SITE))
        except BaseException as exc:  # reported below
            outcome.append(exc)

    frozen = threading.Thread(target=kiosk)
    frozen.start()
    deadline = time.monotonic() + 30
    while not proxy.frozen and time.monotonic() < deadline:
        time.sleep(0.01)
    assert proxy.frozen, "the terminal never reached its COMMIT"
    try:
        waits = others_meanwhile(url_of(hall))
    finally:
        proxy.thaw()
        frozen.join(timeout=120)
    assert_hall_went_on(waits)
    assert len(outcome) == 1 and isinstance(outcome[0], DatabaseUnavailable), outcome
    assert_nothing_half_written(hall)


@pytest.mark.slow
def test_sqlite_writer_frozen_leaves_reads_and_reports_busy(
        hall: Database, cli_env: dict[str, str], tmp_path: Path) -> None:
    config = tmp_path / "busy.toml"
    config.write_text("[database]\nbusy_timeout_ms = 500\n", encoding="utf-8")
    admin = [sys.executable, "-m", "shared.cli.main", "--config", str(config),
             "--database", url_of(hall)]
    child = start_frozen("commit", cli_env, "--database", url_of(hall),
                         "ticket", "issue", "S1", "--site", SITE)
    try:
        listed = subprocess.run([*admin, "ticket", "list", "--site", SITE, "--json"], cwd=ROOT,
                                env=cli_env, capture_output=True, text=True, timeout=60)
        started = time.monotonic()
        issued = subprocess.run([*admin, "ticket", "issue", "S2", "--site", SITE], cwd=ROOT,
                                env=cli_env, capture_output=True, text=True, timeout=60)
        window = Database(url_of(hall), limits=DatabaseConfig(busy_timeout_ms=300))
        try:
            with pytest.raises(DatabaseBusy):
                queue.call_next(window, 3, site=SITE)
        finally:
            window.dispose()
    finally:
        code, err = wake(child)
    assert listed.returncode == 0, listed.stderr
    assert issued.returncode == 5, issued.stderr
    assert "另一个程序" in issued.stderr and "意外错误" not in issued.stderr
    assert time.monotonic() - started < 30
    # The frozen writer was never in anyone's way once awake: it commits.
    assert code == 0, err
    report = check_all(hall)
    assert not any(report.violations.values()), report.violations
    assert len(hall_state.list_tickets(hall, site=SITE)) == 9


@pytest.mark.parametrize("server", ["HALLQ_TEST_POSTGRES_URL", "HALLQ_TEST_MARIADB_URL"])
def test_server_sessions_carry_the_configured_bounds(server: str) -> None:
    """What docs/config.md promises reaches every session, on each server backend."""
    if not os.environ.get(server):
        pytest.skip(f"{server} is not set")
    limits = DatabaseConfig(lock_timeout_ms=1500, idle_in_transaction_timeout_ms=2500,
                            statement_timeout_ms=30_000)
    terminal = Database(os.environ[server], limits=limits)
    try:
        with terminal.read() as session:
            if terminal.is_postgres:
                shown = {name: session.execute(text(f"SHOW {name}")).scalar_one()
                         for name in ("lock_timeout", "idle_in_transaction_session_timeout",
                                      "statement_timeout", "tcp_keepalives_idle")}
                assert shown == {"lock_timeout": "1500ms",
                                 "idle_in_transaction_session_timeout": "2500ms",
                                 "statement_timeout": "30s", "tcp_keepalives_idle": "10"}
            else:
                row = session.execute(text(
                    "SELECT @@innodb_lock_wait_timeout, @@idle_write_transaction_timeout, "
                    "@@max_statement_time")).one()
                assert (int(row[0]), int(row[1]), float(row[2])) == (2, 3, 30.0)
    finally:
        terminal.dispose()


@pytest.mark.all_backends
def test_a_slow_reader_is_not_taken_for_a_frozen_terminal(db: Database) -> None:
    """Only transactions that wrote are bounded: a report that pauses between its queries
    for longer than the idle timeout (building its pages) still reads."""
    reader = Database(url_of(db), limits=DatabaseConfig(idle_in_transaction_timeout_ms=1000))
    try:
        with reader.read() as session:
            first = session.execute(text("SELECT 1")).scalar_one()
            time.sleep(1.6)
            second = session.execute(text("SELECT 2")).scalar_one()
        assert (first, second) == (1, 2)
        assert reader.end_stuck_sessions() == []
    finally:
        reader.dispose()

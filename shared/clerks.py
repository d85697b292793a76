"""Clerks: accounts, passwords (scrypt), logins at a window and the presence lease.

A clerk's presence at a window is a lease the counter renews; a crashed counter's lease
expires, and the same clerk logging in again at the same window takes it over. Every
login attempt is recorded. An unknown login and a wrong password get the same answer in
about the same time (the password is checked against a fake salt at the same cost), so
logins cannot be found out by trying; repeated failures for one login at one terminal make
the next try wait longer and longer (never a hard lock, which anyone passing could use to
keep a clerk from their window).

Where the stored hash is read depends on the database (:class:`CredentialStore`): on
PostgreSQL and MariaDB the terminal never reads it. The owner's routines (migrations 0016
and 0018) answer a login's public scrypt parameters (a stable fake for an unknown login),
the terminal derives the key from the password, and the server compares it with the stored
digest. The server's check is also the throttle: it records every try and, while the
login must wait, refuses without comparing, so a terminal's credential used outside the
app gets no more tries than the app. On SQLite (one PC, no logins) the same steps and
rules run in Python.
"""

from __future__ import annotations

import base64
import datetime as dt
import functools
import hashlib
import hmac
import math
import secrets
from dataclasses import dataclass
from typing import Any, Protocol

from sqlalchemy import select, text, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from shared import audit, feed
from shared.audit import event_row
from shared.db import Database, server_now
from shared.errors import LoginRefused, NotFound, UsageError, refuse_bad_name
from shared.lookup import clerk_by_login, site_by_code, window_by_number
from shared.models import Clerk, LoginRecord, Window
from shared.presence import clerk_present_at, lease_live, present_clerk_id
from shared.states import Action

ROLES = ("clerk", "supervisor", "admin")
LEASE_SECONDS = 90  # the counter renews every 30 s
MIN_PASSWORD = 8
# Failures of one login at one terminal in this many minutes (since its last success)
# count; after FREE_FAILURES of them each try waits twice as long as the one before.
# The server's check applies the same rules (migration 0018: change both together).
FAILURE_MINUTES = 15
FREE_FAILURES = 3
FIRST_DELAY_S = 5
MAX_DELAY_S = 300
# The terminal is the caller's word (the window it names), so the login's failures at all
# terminals together wait the same way after this many: more than a passer-by can make at
# one terminal in FAILURE_MINUTES (about ten), few for someone naming window after window.
ANY_TERMINAL_FREE_FAILURES = 20
WRONG = ("工号或密码错误", "wrong login or password")
# scrypt parameters: about 16 MiB of memory and tens of milliseconds per check.
_N, _R, _P = 2**14, 8, 1
# The most memory a check may take: enough for the kiosk PINs' cost (2**15, 32 MiB, over
# OpenSSL's default limit) and one step more.
_MAXMEM = 128 * 1024 * 1024


def check_password(login: str, password: str) -> None:
    """A new password: at least MIN_PASSWORD characters, and not the login itself."""
    if len(password) < MIN_PASSWORD:
        raise UsageError(f"密码至少 {MIN_PASSWORD} 位 (a password needs at least {MIN_PASSWORD} "
                         f"characters)")
    if password.strip().casefold() == login.strip().casefold():
        raise UsageError("密码不能与工号相同 (the password must not be the login)")


def hash_password(password: str) -> str:
    if len(password) < MIN_PASSWORD:
        raise UsageError(f"密码至少 {MIN_PASSWORD} 位 (a password needs at least {MIN_PASSWORD} "
                         f"characters)")
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, n=_N, r=_R, p=_P, dklen=32)
    return f"scrypt${_N}${_R}${_P}${base64.b64encode(salt).decode()}${base64.b64encode(digest).decode()}"


@functools.cache
def _dummy_hash(cost: int) -> str:
    """A hash of a random password at the current cost, checked for unknown logins so they
    take as long as a wrong password."""
    return hash_password(secrets.token_urlsafe(16))


def required_wait(failures: int, free: int = FREE_FAILURES) -> int:
    """Seconds the next try must wait after ``failures`` recent failures in a row."""
    if failures < free:
        return 0
    return min(FIRST_DELAY_S * 2 ** min(failures - free, 16), MAX_DELAY_S)


def derive_key(password: str, params: str) -> str | None:
    """scrypt of ``password`` with the parameters ``scrypt$N$r$p$salt`` (a hash without
    its digest), base64 as a hash stores its digest; None if they are not such."""
    try:
        scheme, n, r, p, salt = params.split("$")
        if scheme != "scrypt":
            return None
        derived = hashlib.scrypt(password.encode(), salt=base64.b64decode(salt, validate=True),
                                 n=int(n), r=int(r), p=int(p), dklen=32, maxmem=_MAXMEM)
    except (ValueError, OverflowError):  # not such parameters, or a cost out of range
        return None
    return base64.b64encode(derived).decode()


def _split(stored: str) -> tuple[str, str] | None:
    """A stored hash as its public parameters and its digest; None if malformed."""
    params, _, digest = stored.rpartition("$")
    if params.count("$") != 4 or not params.startswith("scrypt$") or not digest:
        return None
    return params, digest


def verify_password(password: str, stored: str) -> bool:
    parts = _split(stored)
    if parts is None:
        return False
    key = derive_key(password, parts[0])
    return key is not None and hmac.compare_digest(key.encode(), parts[1].encode())


@dataclass(frozen=True)
class _Checked:
    """A clerk whose password was just checked: what a login needs of the row."""

    id: int
    login: str
    display_name: str
    role: str
    active: bool


@dataclass(frozen=True)
class Attempt:
    """One try recorded by :meth:`CredentialStore.check`: refused to wait ``wait`` seconds
    (nothing compared), or checked as ``id``, whose outcome :meth:`CredentialStore.result`
    collects in the next transaction."""

    wait: int = 0
    id: int | None = None
    checked: _Checked | None = None  # SQLite: the outcome, known in Python already


class CredentialStore(Protocol):
    """Where a clerk's password is checked and its tries throttled. ``params`` answers
    the public part of the login's hash (``scrypt$N$r$p$salt``), the same shape for an
    unknown or disabled login; ``check`` records a try of the key derived from the
    password at the terminal ``window_id`` (None: no window) as a failure, comparing it
    only when the login need not wait; once that is committed, ``result`` answers the
    clerk on a match and turns the try into a success (which ends the waits)."""

    def params(self, session: Session, login: str) -> str: ...

    def check(self, session: Session, login: str, key: str, window_id: int | None
              ) -> Attempt: ...

    def result(self, session: Session, login: str, attempt: Attempt) -> _Checked | None: ...


_CHECKED = (Clerk.id, Clerk.login, Clerk.display_name, Clerk.role, Clerk.active)


class LocalStore:
    """SQLite: the hash is read and compared in Python (the PC holds the whole file), with
    the rules the server's routines apply."""

    def params(self, session: Session, login: str) -> str:
        stored = session.scalar(select(Clerk.password_hash).where(
            Clerk.login == login, Clerk.active.is_(True)))
        parts = _split(stored or "") or _split(_dummy_hash(_N))
        assert parts is not None
        return parts[0]

    def check(self, session: Session, login: str, key: str, window_id: int | None
              ) -> Attempt:
        now = server_now(session)
        short = login[:64]
        wait = _wait_left(session, short, window_id, now)
        if wait > 0:
            session.add(LoginRecord(login=short, window_id=window_id, at=now, success=False,
                                    detail=THROTTLED))
            return Attempt(wait=wait)
        row = session.execute(select(*_CHECKED, Clerk.password_hash).where(
            Clerk.login == login, Clerk.active.is_(True))).first()
        parts = _split(row.password_hash) if row is not None else None
        checked = None
        if row is not None and parts is not None and hmac.compare_digest(key.encode(),
                                                                         parts[1].encode()):
            checked = _Checked(row.id, row.login, row.display_name, row.role, row.active)
        record = LoginRecord(login=short, window_id=window_id, at=now, success=False,
                             detail="wrong password" if row is not None
                             else "unknown or disabled login")
        session.add(record)
        session.flush()
        return Attempt(id=record.id, checked=checked)

    def result(self, session: Session, login: str, attempt: Attempt) -> _Checked | None:
        checked = attempt.checked
        if checked is None or not session.scalar(select(Clerk.active).where(
                Clerk.id == checked.id)):
            return None
        session.execute(update(LoginRecord).where(LoginRecord.id == attempt.id)
                        .values(success=True, detail=""))
        return checked


class ServerStore:
    """PostgreSQL and MariaDB: the database owner's routines (migrations 0016 and 0018),
    run with the owner's rights; the terminal's login may call them but not read the
    hashes, nor compare without its try being counted."""

    # Longer logins cannot exist (64 characters); MariaDB's parameters take 255.
    _LONGEST = 255

    def __init__(self, dialect: str) -> None:
        self.postgres = dialect == "postgresql"

    def params(self, session: Session, login: str) -> str:
        statement = ("SELECT hallq_clerk_kdf(:login)" if self.postgres
                     else "CALL hallq_clerk_kdf(:login)")
        return str(session.execute(text(statement), {"login": login[:self._LONGEST]})
                   .scalar_one())

    def check(self, session: Session, login: str, key: str, window_id: int | None
              ) -> Attempt:
        # On MariaDB the procedure commits its record itself, before it answers.
        statement = ("SELECT attempt, wait_seconds FROM hallq_clerk_check(:login, :key, "
                     ":window)" if self.postgres
                     else "CALL hallq_clerk_check(:login, :key, :window)")
        row = session.execute(text(statement), {"login": login[:self._LONGEST], "key": key,
                                                "window": window_id}).one()
        if row.wait_seconds:
            return Attempt(wait=int(row.wait_seconds))
        return Attempt(id=int(row.attempt))

    def result(self, session: Session, login: str, attempt: Attempt) -> _Checked | None:
        statement = ("SELECT id, login, display_name, role, active "
                     "FROM hallq_clerk_result(:attempt, :login)" if self.postgres
                     else "CALL hallq_clerk_result(:attempt, :login)")
        row = session.execute(text(statement), {"attempt": attempt.id,
                                                "login": login[:self._LONGEST]}).first()
        if row is None:
            return None
        return _Checked(int(row.id), row.login, row.display_name, row.role, bool(row.active))


def credential_store(session: Session) -> CredentialStore:
    dialect = session.get_bind().dialect.name
    return LocalStore() if dialect == "sqlite" else ServerStore(dialect)


@dataclass(frozen=True)
class ClerkView:
    login: str
    display_name: str
    role: str
    active: bool
    window: int | None = None  # where the clerk holds a live lease

    def to_json(self) -> dict[str, object]:
        return {"login": self.login, "display_name": self.display_name, "role": self.role,
                "active": self.active, "window": self.window}


def add_clerk(db: Database, login: str, display_name: str, password: str, role: str = "clerk"
              ) -> ClerkView:
    if role not in ROLES:
        raise UsageError(f"角色无效 (invalid role {role!r}: {', '.join(ROLES)})")
    if not login.strip() or len(login) > 64:
        raise UsageError("登录名不能为空且不超过 64 个字符 (login must be 1-64 characters)")
    display_name = refuse_bad_name(display_name, "the clerk's name", "姓名")
    check_password(login, password)
    hashed = hash_password(password)

    def op(session: Session) -> ClerkView:
        if session.scalar(select(Clerk.id).where(Clerk.login == login)) is not None:
            raise UsageError(f"登录名 {login} 已存在 (clerk {login!r} exists)")
        clerk = Clerk(login=login, display_name=display_name, role=role, password_hash=hashed,
                      active=True, failed_logins=0)
        session.add(clerk)
        try:
            session.flush()
        except IntegrityError:
            raise UsageError(f"登录名 {login} 已存在 (clerk {login!r} exists)") from None
        return ClerkView(login, display_name, role, True)

    return db.write(op, name="add_clerk")


def set_password(db: Database, login: str, password: str) -> None:
    check_password(login, password)
    hashed = hash_password(password)

    def op(session: Session) -> None:
        clerk = clerk_by_login(session, login)
        clerk.password_hash = hashed
        clerk.failed_logins = 0
        clerk.locked_until = None

    db.write(op, name="set_password")


def disable_clerk(db: Database, login: str) -> ClerkView:
    def op(session: Session) -> ClerkView:
        clerk = clerk_by_login(session, login)
        clerk.active = False
        for window in session.scalars(select(Window).where(Window.clerk_id == clerk.id)):
            window.clerk_id = None
            window.lease_expires_at = None
        return ClerkView(clerk.login, clerk.display_name, clerk.role, False)

    return db.write(op, name="disable_clerk")


def list_clerks(db: Database) -> list[ClerkView]:
    with db.read() as session:
        now = server_now(session)
        result = []
        for clerk in session.scalars(select(Clerk).order_by(Clerk.login)):
            window = session.scalar(select(Window.number).where(
                Window.clerk_id == clerk.id, clerk_present_at(now)))
            result.append(ClerkView(clerk.login, clerk.display_name, clerk.role, clerk.active,
                                    window))
        return result


def authenticate(db: Database, login: str, password: str) -> ClerkView:
    """Check a password without taking a window (the supervisor app); records the attempt."""
    return _login(db, login, password, None, None)


def login_at_window(db: Database, login: str, password: str, window: int,
                    site: str | None = None) -> ClerkView:
    """Check the password and take the window's lease; refused while another clerk holds a
    live lease on the window, or this clerk holds one at another window."""
    return _login(db, login, password, window, site)


def _login(db: Database, login: str, password: str, window: int | None, site: str | None
           ) -> ClerkView:
    # The check first, in a transaction of its own: the try is on record (committed)
    # before anything depends on its outcome, which the server answers only then. The same
    # steps for every login: its parameters (a fake for an unknown one), the key derived
    # at that cost here, the check where the hash is.
    def check(session: Session) -> Attempt:
        window_id = None
        if window is not None:
            window_id = window_by_number(session, site_by_code(session, site), window).id
        store = credential_store(session)
        key = derive_key(password, store.params(session, login)) or ""
        return store.check(session, login, key, window_id)

    attempt = db.write(check, name="login_check")
    if attempt.wait:
        raise LoginRefused(f"登录失败次数过多，请 {attempt.wait} 秒后再试 "
                           f"(too many failed logins here: try again in {attempt.wait} s)")
    # A refusal after a right password must be recorded even though the login is refused,
    # so it is raised after the commit.
    outcome: list[LoginRefused] = []

    def op(session: Session) -> ClerkView | None:
        now = server_now(session)
        win = None
        if window is not None:
            site_row = site_by_code(session, site)
            win = window_by_number(session, site_row, window, lock=True)
        clerk = credential_store(session).result(session, login, attempt)
        if clerk is None:  # the check recorded the failure
            outcome.append(LoginRefused(f"{WRONG[0]} ({WRONG[1]})"))
            return None

        def refuse(reason_zh: str, reason_en: str, detail: str) -> None:
            session.add(LoginRecord(login=login[:64], window_id=win.id if win else None, at=now,
                                    success=False, detail=detail[:200]))
            outcome.append(LoginRefused(f"{reason_zh} ({reason_en})"))

        if win is not None:
            holder_id = present_clerk_id(win, now)
            if holder_id not in (None, clerk.id):
                holder = session.scalar(select(Clerk.display_name)
                                        .where(Clerk.id == holder_id))
                refuse(f"{win.number} 号窗口已由 {holder or ''} 登录",
                       f"window {win.number} is held by another clerk", "window taken")
                return None
            elsewhere = session.scalar(select(Window).where(
                Window.clerk_id == clerk.id, Window.id != win.id, clerk_present_at(now)))
            if elsewhere is not None:
                refuse(f"您已在 {elsewhere.number} 号窗口登录，请先退出",
                       f"already active at window {elsewhere.number}", "active elsewhere")
                return None
            win.clerk_id = clerk.id
            win.lease_expires_at = now + dt.timedelta(seconds=LEASE_SECONDS)
            audit.append(session, [event_row(win.site_id, Action.LOGIN, at=now,
                                             window_id=win.id, clerk_id=clerk.id)])
            feed.touch(session, win.site_id, feed.Change(
                win.site_id, frozenset({Action.LOGIN.value}), windows=frozenset({win.id})))
        # The try itself was turned into a success by the store (no second record).
        return ClerkView(clerk.login, clerk.display_name, clerk.role, True,
                         win.number if win else None)

    result = db.write(op, name="login")
    if outcome:
        raise outcome[0]
    assert result is not None
    return result


THROTTLED = "throttled"
# The refusals that count towards the wait (not "window taken" or a throttled try); a
# try is recorded as one of these when checked, and turned into a success on a match.
_COUNTED = ("wrong password", "unknown or disabled login")


def _wait_left(session: Session, login: str, window_id: int | None, now: dt.datetime) -> int:
    """Seconds before this login may try again at this terminal (SQLite; the servers'
    check routine applies the same rules): its failures here since its last success here
    (in the last FAILURE_MINUTES) set the wait after the latest; its failures at every
    terminal since its last success anywhere do too, after ANY_TERMINAL_FREE_FAILURES."""
    since = now - dt.timedelta(minutes=FAILURE_MINUTES)
    rows = session.execute(select(LoginRecord.at, LoginRecord.success, LoginRecord.detail,
                                  LoginRecord.window_id).where(
        LoginRecord.login == login, LoginRecord.at > since)).all()

    def wait(records: list[Any], free: int) -> int:
        last_success = max((r.at for r in records if r.success), default=since)
        failures = [r.at for r in records
                    if not r.success and r.detail in _COUNTED and r.at > last_success]
        if not failures:
            return 0
        left = required_wait(len(failures), free) - (now - max(failures)).total_seconds()
        return max(0, math.ceil(left))

    here = [r for r in rows if r.window_id == window_id]
    return max(wait(here, FREE_FAILURES), wait(list(rows), ANY_TERMINAL_FREE_FAILURES))


def renew_lease(db: Database, login: str, window: int, site: str | None = None) -> None:
    """Extend the clerk's lease; raises LoginRefused if someone else took the window."""

    def op(session: Session) -> None:
        now = server_now(session)
        win = window_by_number(session, site_by_code(session, site), window, lock=True)
        clerk = clerk_by_login(session, login)
        if win.clerk_id != clerk.id:
            raise LoginRefused(f"{win.number} 号窗口已由其他人登录，请重新登录 "
                               f"(window {win.number} was taken over)")
        lapsed = not lease_live(win.lease_expires_at, now)
        win.lease_expires_at = now + dt.timedelta(seconds=LEASE_SECONDS)
        if lapsed:  # the clerk is shown again: displays must hear of it
            feed.touch(session, win.site_id, feed.Change(
                win.site_id, frozenset({feed.CLERK}), windows=frozenset({win.id})))

    db.write(op, name="renew_lease")


def logout(db: Database, login: str, window: int, site: str | None = None) -> None:
    def op(session: Session) -> None:
        now = server_now(session)
        win = window_by_number(session, site_by_code(session, site), window, lock=True)
        clerk = clerk_by_login(session, login)
        if win.clerk_id == clerk.id:
            win.clerk_id = None
            win.lease_expires_at = None
            audit.append(session, [event_row(win.site_id, Action.LOGOUT, at=now,
                                             window_id=win.id, clerk_id=clerk.id)])
            feed.touch(session, win.site_id, feed.Change(
                win.site_id, frozenset({Action.LOGOUT.value}), windows=frozenset({win.id})))

    db.write(op, name="logout")


def require_clerk(db: Database, login: str) -> ClerkView:
    with db.read() as session:
        clerk = session.scalar(select(Clerk).where(Clerk.login == login))
        if clerk is None:
            raise NotFound(f"没有工作人员 {login} (no clerk {login!r})")
        return ClerkView(clerk.login, clerk.display_name, clerk.role, clerk.active)

"""Clerks: accounts, passwords (scrypt), logins at a window and the presence lease.

A clerk's presence at a window is a lease the counter renews; a crashed counter's lease
expires, and the same clerk logging in again at the same window takes it over. Every
login attempt is recorded. An unknown login and a wrong password get the same answer in
about the same time (the password is checked against a fake salt at the same cost), so
logins cannot be found out by trying; repeated failures for one login at one terminal make
the next try wait longer and longer (never a hard lock, which anyone passing could use to
keep a clerk from their window).

Where the stored hash is read depends on the database (:class:`CredentialStore`): on
PostgreSQL and MariaDB the terminal never reads it. The owner's routines (migration 0016)
answer a login's public scrypt parameters (a stable fake for an unknown login), the
terminal derives the key from the password, and the server compares it with the stored
digest. On SQLite (one PC, no logins) the same steps run in Python.
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

from sqlalchemy import func, select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from shared import audit, feed
from shared.audit import event_row
from shared.db import Database, server_now
from shared.errors import LoginRefused, NotFound, UsageError
from shared.lookup import clerk_by_login, site_by_code, window_by_number
from shared.models import Clerk, LoginRecord, Window
from shared.presence import clerk_present_at, lease_live, present_clerk_id
from shared.states import Action

ROLES = ("clerk", "supervisor", "admin")
LEASE_SECONDS = 90  # the counter renews every 30 s
MIN_PASSWORD = 8
# Failures of one login at one terminal in this many minutes (since its last success)
# count; after FREE_FAILURES of them each try waits twice as long as the one before.
FAILURE_MINUTES = 15
FREE_FAILURES = 3
FIRST_DELAY_S = 5
MAX_DELAY_S = 300
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


def required_wait(failures: int) -> int:
    """Seconds the next try must wait after ``failures`` recent failures in a row."""
    if failures < FREE_FAILURES:
        return 0
    return min(FIRST_DELAY_S * 2 ** (failures - FREE_FAILURES), MAX_DELAY_S)


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


class CredentialStore(Protocol):
    """Where a clerk's password is checked. ``params`` answers the public part of the
    login's hash (``scrypt$N$r$p$salt``), the same shape for an unknown or disabled login;
    ``check`` compares the key derived from the password with the stored digest."""

    def params(self, session: Session, login: str) -> str: ...

    def check(self, session: Session, login: str, key: str) -> _Checked | None: ...


_CHECKED = (Clerk.id, Clerk.login, Clerk.display_name, Clerk.role, Clerk.active)


class LocalStore:
    """SQLite: the hash is read and compared in Python (the PC holds the whole file)."""

    def params(self, session: Session, login: str) -> str:
        stored = session.scalar(select(Clerk.password_hash).where(
            Clerk.login == login, Clerk.active.is_(True)))
        parts = _split(stored or "") or _split(_dummy_hash(_N))
        assert parts is not None
        return parts[0]

    def check(self, session: Session, login: str, key: str) -> _Checked | None:
        row = session.execute(select(*_CHECKED, Clerk.password_hash).where(
            Clerk.login == login, Clerk.active.is_(True))).first()
        parts = _split(row.password_hash) if row is not None else None
        if row is None or parts is None or not hmac.compare_digest(key.encode(),
                                                                   parts[1].encode()):
            return None
        return _Checked(row.id, row.login, row.display_name, row.role, row.active)


class ServerStore:
    """PostgreSQL and MariaDB: the database owner's routines (migration 0016), run with the
    owner's rights; the terminal's login may call them but not read the hashes."""

    # Longer logins cannot exist (64 characters); MariaDB's parameters take 255.
    _LONGEST = 255

    def __init__(self, dialect: str) -> None:
        self.postgres = dialect == "postgresql"

    def params(self, session: Session, login: str) -> str:
        statement = ("SELECT hallq_clerk_kdf(:login)" if self.postgres
                     else "CALL hallq_clerk_kdf(:login)")
        return str(session.execute(text(statement), {"login": login[:self._LONGEST]})
                   .scalar_one())

    def check(self, session: Session, login: str, key: str) -> _Checked | None:
        statement = ("SELECT id, login, display_name, role, active "
                     "FROM hallq_clerk_check(:login, :key)" if self.postgres
                     else "CALL hallq_clerk_check(:login, :key)")
        row = session.execute(text(statement),
                              {"login": login[:self._LONGEST], "key": key}).first()
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
    # Wrong passwords must be recorded even though the login is refused, so the check
    # runs in its own transaction and the refusal is raised after the commit.
    outcome: list[LoginRefused] = []

    def op(session: Session) -> ClerkView | None:
        now = server_now(session)
        win = None
        if window is not None:
            site_row = site_by_code(session, site)
            win = window_by_number(session, site_row, window, lock=True)
        terminal = LoginRecord.window_id == win.id if win else LoginRecord.window_id.is_(None)

        def refuse(reason_zh: str, reason_en: str, detail: str) -> None:
            session.add(LoginRecord(login=login[:64], window_id=win.id if win else None, at=now,
                                    success=False, detail=detail[:200]))
            outcome.append(LoginRefused(f"{reason_zh} ({reason_en})"))

        # Asked before the password is checked, and the same for every login, known or not.
        wait = _wait_left(session, login[:64], terminal, now)
        if wait > 0:
            refuse(f"登录失败次数过多，请 {wait} 秒后再试",
                   f"too many failed logins here: try again in {wait} s", THROTTLED)
            return None
        # The same steps for every login: its parameters (a fake for an unknown one),
        # the key derived at that cost here, the comparison where the hash is.
        store = credential_store(session)
        key = derive_key(password, store.params(session, login)) or ""
        clerk = store.check(session, login, key)
        if clerk is None:
            known = session.scalar(select(Clerk.active).where(Clerk.login == login))
            refuse(*WRONG, "wrong password" if known else "unknown or disabled login")
            return None
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
        session.add(LoginRecord(login=login, window_id=win.id if win else None, at=now,
                                success=True, detail=""))
        return ClerkView(clerk.login, clerk.display_name, clerk.role, True,
                         win.number if win else None)

    result = db.write(op, name="login")
    if outcome:
        raise outcome[0]
    assert result is not None
    return result


THROTTLED = "throttled"
# The refusals that count towards the wait (not "window taken" or a throttled try).
_COUNTED = ("wrong password", "unknown or disabled login")


def _wait_left(session: Session, login: str, terminal: Any, now: dt.datetime) -> int:
    """Seconds before this login may try again at this terminal: its failures since its
    last success here (in the last FAILURE_MINUTES) set the wait after the latest."""
    since = now - dt.timedelta(minutes=FAILURE_MINUTES)
    last_success = session.scalar(select(func.max(LoginRecord.at)).where(
        LoginRecord.login == login, terminal, LoginRecord.success.is_(True),
        LoginRecord.at > since))
    failures, latest = session.execute(select(func.count(), func.max(LoginRecord.at)).where(
        LoginRecord.login == login, terminal, LoginRecord.success.is_(False),
        LoginRecord.detail.in_(_COUNTED), LoginRecord.at > (last_success or since))).one()
    if not failures or latest is None:
        return 0
    left = required_wait(int(failures)) - (now - latest).total_seconds()
    return max(0, math.ceil(left))


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

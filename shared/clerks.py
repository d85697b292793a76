"""Clerks: accounts, passwords (scrypt), logins at a window and the presence lease.

A clerk's presence at a window is a lease the counter renews; a crashed counter's lease
expires, and the same clerk logging in again at the same window takes it over. Repeated
wrong passwords lock the account for a while; every login attempt is recorded.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import secrets
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from shared import feed
from shared.db import Database, locking, server_now
from shared.errors import LoginRefused, NotFound, UsageError
from shared.lookup import clerk_by_login, site_by_code, window_by_number
from shared.models import Clerk, LoginRecord, TicketEvent, Window
from shared.presence import clerk_present_at, lease_live, present_clerk_id
from shared.states import Action

ROLES = ("clerk", "supervisor", "admin")
LEASE_SECONDS = 90  # the counter renews every 30 s
MAX_FAILED_LOGINS = 5
LOCK_MINUTES = 10
# scrypt parameters: about 16 MiB of memory and tens of milliseconds per check.
_N, _R, _P = 2**14, 8, 1


def hash_password(password: str) -> str:
    if len(password) < 6:
        raise UsageError("密码至少 6 位 (a password needs at least 6 characters)")
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, n=_N, r=_R, p=_P, dklen=32)
    return f"scrypt${_N}${_R}${_P}${base64.b64encode(salt).decode()}${base64.b64encode(digest).decode()}"


def verify_password(password: str, stored: str) -> bool:
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
    except ValueError:
        return False
    if scheme != "scrypt":
        return False
    candidate = hashlib.scrypt(password.encode(), salt=base64.b64decode(salt), n=int(n),
                               r=int(r), p=int(p), dklen=32)
    return hmac.compare_digest(candidate, base64.b64decode(digest))


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
    hashed = hash_password(password)

    def op(session: Session) -> ClerkView:
        if session.scalar(select(Clerk).where(Clerk.login == login)) is not None:
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
        clerk = session.scalar(locking(select(Clerk).where(Clerk.login == login)))

        def refuse(reason_zh: str, reason_en: str) -> None:
            session.add(LoginRecord(login=login[:64], window_id=win.id if win else None, at=now,
                                    success=False, detail=reason_en[:200]))
            outcome.append(LoginRefused(f"{reason_zh} ({reason_en})"))

        if clerk is None or not clerk.active:
            refuse("工号或密码错误", "unknown or disabled login")
            return None
        if clerk.locked_until is not None and clerk.locked_until > now:
            minutes = max(1, int((clerk.locked_until - now).total_seconds() // 60) + 1)
            refuse(f"密码错误次数过多，请 {minutes} 分钟后再试",
                   f"locked after repeated wrong passwords, {minutes} min left")
            return None
        if not verify_password(password, clerk.password_hash):
            clerk.failed_logins += 1
            if clerk.failed_logins >= MAX_FAILED_LOGINS:
                clerk.locked_until = now + dt.timedelta(minutes=LOCK_MINUTES)
                clerk.failed_logins = 0
                refuse(f"密码错误次数过多，账号锁定 {LOCK_MINUTES} 分钟",
                       f"wrong password; locked for {LOCK_MINUTES} min")
            else:
                left = MAX_FAILED_LOGINS - clerk.failed_logins
                refuse(f"工号或密码错误（还可尝试 {left} 次）", "wrong password")
            return None
        if win is not None:
            holder_id = present_clerk_id(win, now)
            if holder_id not in (None, clerk.id):
                holder = session.get(Clerk, holder_id)
                refuse(f"{win.number} 号窗口已由 {holder.display_name if holder else ''} 登录",
                       f"window {win.number} is held by another clerk")
                return None
            elsewhere = session.scalar(select(Window).where(
                Window.clerk_id == clerk.id, Window.id != win.id, clerk_present_at(now)))
            if elsewhere is not None:
                refuse(f"您已在 {elsewhere.number} 号窗口登录，请先退出",
                       f"already active at window {elsewhere.number}")
                return None
            win.clerk_id = clerk.id
            win.lease_expires_at = now + dt.timedelta(seconds=LEASE_SECONDS)
            session.add(TicketEvent(site_id=win.site_id, action=Action.LOGIN.value,
                                    window_id=win.id, clerk_id=clerk.id, at=now, detail={}))
            feed.touch(session, win.site_id)
        clerk.failed_logins = 0
        session.add(LoginRecord(login=login, window_id=win.id if win else None, at=now,
                                success=True, detail=""))
        return ClerkView(clerk.login, clerk.display_name, clerk.role, True,
                         win.number if win else None)

    result = db.write(op, name="login")
    if outcome:
        raise outcome[0]
    assert result is not None
    return result


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
            feed.touch(session, win.site_id)

    db.write(op, name="renew_lease")


def logout(db: Database, login: str, window: int, site: str | None = None) -> None:
    def op(session: Session) -> None:
        now = server_now(session)
        win = window_by_number(session, site_by_code(session, site), window, lock=True)
        clerk = clerk_by_login(session, login)
        if win.clerk_id == clerk.id:
            win.clerk_id = None
            win.lease_expires_at = None
            session.add(TicketEvent(site_id=win.site_id, action=Action.LOGOUT.value,
                                    window_id=win.id, clerk_id=clerk.id, at=now, detail={}))
            feed.touch(session, win.site_id)

    db.write(op, name="logout")


def require_clerk(db: Database, login: str) -> ClerkView:
    with db.read() as session:
        clerk = session.scalar(select(Clerk).where(Clerk.login == login))
        if clerk is None:
            raise NotFound(f"没有工作人员 {login} (no clerk {login!r})")
        return ClerkView(clerk.login, clerk.display_name, clerk.role, clerk.active)

"""Clerk logins: no way to tell an unknown login from a wrong password, growing delays per
login and terminal instead of a lock-out, and the password rules."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from shared import clerks
from shared.db import Database
from shared.errors import LoginRefused, UsageError
from shared.models import LoginRecord

PASSWORD = "wang-password"


@pytest.fixture
def hall(db: Database) -> Database:
    clerks.add_clerk(db, "wang", "王芳", PASSWORD)
    return db


def _refusal(db: Database, login: str, password: str, window: int | None = 1) -> str:
    with pytest.raises(LoginRefused) as refused:
        if window is None:
            clerks.authenticate(db, login, password)
        else:
            clerks.login_at_window(db, login, password, window, "hall")
    return str(refused.value)


@pytest.mark.all_backends
def test_unknown_login_and_wrong_password_look_the_same(hall: Database,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    real = hashlib.scrypt
    calls: list[str] = []

    def counting(*args: object, **kwargs: object) -> bytes:
        calls.append("kdf")
        return real(*args, **kwargs)  # type: ignore[arg-type]

    clerks._dummy_hash(clerks._N)  # made once per process, before the counting starts
    monkeypatch.setattr(hashlib, "scrypt", counting)
    unknown = _refusal(hall, "nobody", "some-password")
    unknown_kdf = len(calls)
    wrong = _refusal(hall, "wang", "not-the-password", window=2)
    assert unknown == wrong == "工号或密码错误 (wrong login or password)"
    assert unknown_kdf == len(calls) - unknown_kdf == 1  # the same work for both


@pytest.mark.all_backends
def test_failures_make_the_next_try_wait_but_only_there(hall: Database) -> None:
    for _ in range(clerks.FREE_FAILURES):
        assert "wrong login or password" in _refusal(hall, "wang", "guess-guess")
    # The right password now has to wait at this terminal ...
    assert "try again in 5 s" in _refusal(hall, "wang", PASSWORD)
    # ... which a passer-by cannot use to keep the clerk from another window.
    assert clerks.login_at_window(hall, "wang", PASSWORD, 2, "hall").window == 2
    clerks.logout(hall, "wang", 2, "hall")
    # Once the wait has passed (the failures moved 6 s into the past), the login works.
    def earlier(session: Session) -> None:
        for record_id, at in session.execute(select(LoginRecord.id, LoginRecord.at)).all():
            session.execute(update(LoginRecord).where(LoginRecord.id == record_id)
                            .values(at=at - dt.timedelta(seconds=6)))

    hall.write(earlier)
    assert clerks.login_at_window(hall, "wang", PASSWORD, 1, "hall").window == 1


def test_the_wait_doubles_up_to_five_minutes() -> None:
    waits = [clerks.required_wait(n) for n in range(0, 12)]
    assert waits[:3] == [0, 0, 0]
    assert waits[3:8] == [5, 10, 20, 40, 80]
    assert max(waits) == clerks.MAX_DELAY_S == waits[-1]


def test_password_rules(db: Database) -> None:
    with pytest.raises(UsageError, match="8"):
        clerks.add_clerk(db, "li", "李", "7-chars")
    with pytest.raises(UsageError, match="not be the login"):
        clerks.add_clerk(db, "li-ming-01", "李明", "LI-MING-01")
    clerks.add_clerk(db, "password", "李", "eight-ch")
    with pytest.raises(UsageError, match="not be the login"):
        clerks.set_password(db, "password", "Password")

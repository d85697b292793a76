"""``hallq-admin db role create|list|drop`` and exit 7 for a command the database refuses
to a terminal's login (real PostgreSQL and MariaDB; SQLite has no logins)."""

from __future__ import annotations

import secrets
import uuid

import pytest
from sqlalchemy.engine import make_url

from tests.cli.conftest import Run

SERVER_BACKENDS = pytest.mark.parametrize("empty_db_url", ["postgres", "mariadb"],
                                          indirect=True)


@SERVER_BACKENDS
def test_create_use_list_and_drop_a_kiosk_login(admin: Run, url: str) -> None:
    login = f"hq_{uuid.uuid4().hex[:6]}_cli"
    password = secrets.token_urlsafe(16)
    made = admin("db", "role", "create", "kiosk", "--login", login, "--password-stdin",
                 stdin=password + "\n")
    try:
        assert made.code == 0, made.err
        assert login in made.out
        listed = admin("db", "role", "list", "--json")
        assert {"login": login, "kind": "kiosk"}.items() <= listed.json["roles"][0].items()
        kiosk_url = make_url(url).set(username=login, password=password)
        as_kiosk = kiosk_url.render_as_string(hide_password=False)
        # A kiosk's credential can issue a number, but not add an administrator.
        assert admin("ticket", "issue", "SA", "--site", "hall", database=as_kiosk).code == 0
        refused = admin("clerk", "add", "evil", "--name", "坏人", "--role", "admin",
                        "--password-stdin", stdin="evil-password-1\n", database=as_kiosk)
        assert refused.code == 7
        assert len(refused.err_lines) == 1
        assert login in refused.err and "clerk" in refused.err
        assert "evil" not in admin("clerk", "list").out
    finally:
        dropped = admin("db", "role", "drop", login)
    assert dropped.code == 0, dropped.err
    assert login not in admin("db", "role", "list").out


def test_sqlite_has_no_logins(admin: Run) -> None:
    result = admin("db", "role", "create", "kiosk", "--login", "kiosk1", "--password-stdin",
                   stdin=secrets.token_urlsafe(16) + "\n")
    assert result.code == 2
    assert "文件权限" in result.err


def test_bad_kind_and_login_are_usage_errors(admin: Run) -> None:
    assert admin("db", "role", "create", "janitor", "--login", "x1").code == 2
    assert admin("db", "role", "create", "kiosk", "--login", "x'; DROP").code == 2

"""``hallq-admin site|window|clerk ...`` in-process: the hall's set-up between catalog loads."""

from __future__ import annotations

import getpass
import io
import sys
import time

import pytest

from shared import clerks, issuing, queue
from shared.clerks import add_clerk, authenticate, list_clerks, login_at_window
from shared.db import Database
from shared.errors import LoginRefused
from shared.read import hall_state
from tests.cli.conftest import Run

HALL = ("--site", "hall")


class Terminal(io.StringIO):
    """A stdin that says it is a terminal, so hallq-admin prompts for passwords."""

    def isatty(self) -> bool:
        return True


@pytest.mark.all_backends
def test_site_add_list_disable(admin: Run, db: Database) -> None:
    """A site added from the command line gets the default calendar and can be disabled."""
    added = admin("site", "add", "linqi", "临岐便民服务点", "--json")
    assert added.code == 0, added.err
    assert added.json["site"] == {"code": "linqi", "name": "临岐便民服务点",
                                  "timezone": "Asia/Shanghai", "active": True, "windows": 0}
    assert admin("site", "add", "linqi", "again").code == 2
    assert admin("site", "add", "bad code!", "x").code == 2
    assert admin("site", "disable", "linqi").code == 0
    sites = admin("site", "list", "--json").json["sites"]
    assert [(s["code"], s["active"]) for s in sites] == [("hall", True), ("linqi", False),
                                                         ("town", True)]
    assert admin("site", "disable", "linqi").code == 4


def test_disabled_site_issues_nothing(admin: Run) -> None:
    """After site disable, issuing at that site is refused."""
    assert admin("site", "disable", "town").code == 0
    result = admin("ticket", "issue", "SA", "--site", "town")
    assert result.code == 2 and "已停用" in result.err


def test_window_add_serves_its_services_by_weight(admin: Run, db: Database) -> None:
    """window add creates a window that calls the services it was given."""
    result = admin("window", "add", "7", "--name", "综合窗口二", "--service", "SA:3",
                   "--service", "SD", "--json", *HALL)
    assert result.code == 0, result.err
    window = result.json["window"]
    assert window["services"] == [{"service": "SA", "weight": 3}, {"service": "SD", "weight": 1}]
    assert window["comprehensive"] is True
    issuing.issue_ticket(db, "SD", site="hall")
    assert queue.call_next(db, 7, site="hall").ticket is not None


def test_window_add_refuses_bad_input(admin: Run) -> None:
    """An existing number, an unknown service, a bad weight or a repeated service exit 2."""
    assert "已有 1 号窗口" in admin("window", "add", "1", "--name", "x", "--service", "SA",
                                 *HALL).err
    unknown = admin("window", "add", "8", "--name", "x", "--service", "NOPE", *HALL)
    assert unknown.code == 2 and "NOPE" in unknown.err
    weight = admin("window", "add", "8", "--name", "x", "--service", "SA:0", *HALL)
    assert weight.code == 2 and "权重" in weight.err
    twice = admin("window", "add", "8", "--name", "x", "--service", "SA", "--service", "SA:2", *HALL)
    assert twice.code == 2 and "业务 SA 重复" in twice.err
    assert admin("window", "add", "1000", "--name", "x", "--service", "SA", *HALL).code == 2


@pytest.mark.all_backends
def test_window_disable_and_add_again(admin: Run, db: Database) -> None:
    """A disabled window calls nobody; adding the number again enables the same window."""
    issuing.issue_ticket(db, "SD", site="hall")
    assert admin("window", "disable", "4", *HALL).code == 0
    assert admin("ticket", "call-next", "--window", "4", *HALL).code == 2
    assert admin("window", "disable", "4", *HALL).code == 4
    again = admin("window", "add", "4", "--name", "丁业务二", "--service", "SD", "--json", *HALL)
    assert again.code == 0, again.err
    assert again.json["window"]["name"] == "丁业务二"
    assert admin("ticket", "call-next", "--window", "4", *HALL).code == 0


def test_window_disable_refused_while_holding_a_ticket(admin: Run, db: Database) -> None:
    """A window that holds a called ticket cannot be disabled (exit 4)."""
    issuing.issue_ticket(db, "SA", site="hall")
    queue.call_next(db, 2, site="hall")
    result = admin("window", "disable", "2", *HALL)
    assert result.code == 4 and "A001" in result.err
    assert hall_state.get_window(db, 2, site="hall").active


def test_window_pause_resume_and_list(admin: Run, db: Database) -> None:
    """A paused window shows its reason, calls nobody (exit 4) until resumed."""
    assert admin("window", "pause", "2", "--reason", "午休", *HALL).code == 0
    listed = admin("window", "list", "--json", *HALL).json["windows"]
    assert [(w["number"], w["paused"], w["pause_reason"]) for w in listed][1] == (2, True, "午休")
    assert "暂停" in admin("window", "list", *HALL).out
    issuing.issue_ticket(db, "SA", site="hall")
    assert admin("ticket", "call-next", "--window", "2", *HALL).code == 4
    assert admin("window", "pause", "2", "--reason", "again", *HALL).code == 4
    assert admin("window", "resume", "2", *HALL).code == 0
    assert admin("window", "resume", "2", *HALL).code == 4
    assert admin("ticket", "call-next", "--window", "2", *HALL).code == 0


@pytest.mark.all_backends
def test_window_list_shows_a_clerk_only_while_the_lease_runs(
        admin: Run, db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    """window list names the clerk on duty only while the counter's lease runs: a killed
    counter's clerk is gone from the list when the lease ends."""
    monkeypatch.setattr(clerks, "LEASE_SECONDS", 2)
    add_clerk(db, "wangf", "王芳", "secret-1")
    login_at_window(db, "wangf", "secret-1", 1, site="hall")
    logged_in_at = time.monotonic()
    assert "王芳 在岗" in admin("window", "list", *HALL).out
    assert admin("window", "list", "--json", *HALL).json["windows"][0]["clerk"] == "wangf"
    time.sleep(max(0.0, 2.3 - (time.monotonic() - logged_in_at)))
    listed = admin("window", "list", *HALL)
    assert listed.code == 0 and "王芳" not in listed.out and "在岗" not in listed.out
    assert admin("window", "list", "--json", *HALL).json["windows"][0]["clerk"] is None


def test_window_pause_needs_a_reason(admin: Run) -> None:
    """pause without --reason, or with a blank one, is a usage error."""
    assert admin("window", "pause", "2", *HALL).code == 2
    assert admin("window", "pause", "2", "--reason", "  ", *HALL).code == 2


def test_clerk_add_list_disable(admin: Run, db: Database) -> None:
    """clerk add stores a usable password; disable ends the clerk's logins."""
    added = admin("clerk", "add", "zhao", "--name", "赵敏", "--role", "admin",
                  "--password-stdin", "--json", stdin="s3cret-pass\n")
    assert added.code == 0, added.err
    assert added.json["clerk"]["role"] == "admin"
    # Now an admin exists: administrative commands need --as an admin or supervisor.
    assert admin("clerk", "add", "zhao", "--name", "x", "--password-stdin",
                 stdin="another-1\n").code == 7
    as_zhao = ("--as", "zhao", "--password-stdin")
    assert admin(*as_zhao, "clerk", "add", "zhao", "--name", "x",
                 stdin="s3cret-pass\nanother-1\n").code == 2
    login_at_window(db, "zhao", "s3cret-pass", 1, site="hall")
    listed = admin("clerk", "list", "--json").json["clerks"]
    assert listed == [{"login": "zhao", "display_name": "赵敏", "role": "admin", "active": True,
                       "window": 1}]
    assert admin(*as_zhao, "clerk", "disable", "nobody", stdin="s3cret-pass\n").code == 2
    assert admin(*as_zhao, "clerk", "disable", "zhao", stdin="s3cret-pass\n").code == 0
    with pytest.raises(LoginRefused):
        authenticate(db, "zhao", "s3cret-pass")


def test_clerk_password_rules(admin: Run, db: Database) -> None:
    """A short password, an empty stdin and an unknown role are refused with exit 2."""
    short = admin("clerk", "add", "a1", "--name", "x", "--password-stdin", stdin="123\n")
    assert short.code == 2 and "8" in short.err
    assert admin("clerk", "add", "a1", "--name", "x", "--password-stdin", stdin="").code == 2
    assert admin("clerk", "add", "a1", "--name", "x", "--role", "boss").code == 2
    assert list_clerks(db) == []


def test_clerk_prompt_asks_twice(admin: Run, db: Database,
                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """Without --password-stdin the password is typed twice; two different ones are refused."""
    answers = iter(["first-pass", "other-pass", "good-pass", "good-pass"])
    monkeypatch.setattr(getpass, "getpass", lambda prompt="": next(answers))
    monkeypatch.setattr(sys, "stdin", Terminal())
    differ = admin("clerk", "add", "qian", "--name", "钱")
    assert differ.code == 2 and "不一致" in differ.err
    assert admin("clerk", "add", "qian", "--name", "钱").code == 0
    assert authenticate(db, "qian", "good-pass").login == "qian"


def test_clerk_passwd_changes_the_password(admin: Run, db: Database) -> None:
    """clerk passwd replaces the password; the old one no longer works."""
    add_clerk(db, "sun", "孙", "old-password")
    result = admin("clerk", "passwd", "sun", "--password-stdin", stdin="new-password\n")
    assert result.code == 0, result.err
    assert authenticate(db, "sun", "new-password").login == "sun"
    with pytest.raises(LoginRefused):
        authenticate(db, "sun", "old-password")
    assert admin("clerk", "passwd", "nobody", "--password-stdin", stdin="whatever1\n").code == 2


def test_prompt_without_terminal_is_refused(admin: Run) -> None:
    """With no terminal to prompt on, clerk add says to use --password-stdin."""
    result = admin("clerk", "add", "li", "--name", "李", "--lang", "en", stdin="")
    assert result.code == 2 and "--password-stdin" in result.err


@pytest.mark.all_backends
@pytest.mark.parametrize("reason", ["午休\x1b[2J", "午\x00休", "午休\x07"])
def test_a_pause_reason_with_control_characters_is_refused(admin: Run, db: Database,
                                                           reason: str) -> None:
    """ESC, NUL, BEL: exit 2 naming the reason on every backend (PostgreSQL would refuse
    NUL with a raw DataError), and the window not paused."""
    refused = admin("window", "pause", "2", "--reason", reason, *HALL)
    assert refused.code == 2 and len(refused.err_lines) == 1 and "暂停原因" in refused.err
    assert not hall_state.get_window(db, 2, site="hall").paused

"""``hallq-admin terminal list``: the terminals' heartbeats and alerts, as text and JSON."""

from __future__ import annotations

import re

import pytest

from shared import heartbeats
from shared.db import Database
from shared.heartbeats import Heartbeat
from tests.cli.conftest import Run


@pytest.mark.all_backends
def test_terminal_list_json(admin: Run, db: Database) -> None:
    heartbeats.record(db, Heartbeat("kiosk", "KIOSK-1", site="hall", printer="cover_open",
                                    first=True))
    result = admin("terminal", "list", "--json")
    assert result.code == 0, result.err
    (kiosk,) = result.json["terminals"]
    assert kiosk["name"] == "KIOSK-1" and kiosk["alerts"] == ["printer"]
    assert result.json["silent_after_seconds"] == 60
    text = admin("terminal", "list")
    assert "KIOSK-1" in text.out and "机盖打开" in text.out


CJK = re.compile(r"[\u3000-\u9fff\uff00-\uffef]")


def test_terminal_list_says_the_last_error_in_one_language(admin: Run, db: Database) -> None:
    """A terminal's last error is the program's English log line (kept in --json); the
    list says which part failed, and every word of a line is in the language asked for."""
    detail = "shared.ticket_print: ticket A001 (id 1): cannot mark for reprint: timed out"
    heartbeats.record(db, Heartbeat("kiosk", "KIOSK-1", site="hall", printer="cover_open",
                                    last_error=detail, first=True))
    heartbeats.record(db, Heartbeat("counter", "PC-3", site="hall",
                                    last_error="kiosk_app.presenter: printing modules failed"))
    assert {t["last_error"] for t in admin("terminal", "list", "--json").json["terminals"]} \
        == {detail, "kiosk_app.presenter: printing modules failed"}
    zh = admin("terminal", "list").out.splitlines()
    kiosk, counter = (next(line for line in zh if name in line) for name in ("KIOSK-1", "PC-3"))
    assert "机盖打开" in kiosk and kiosk.endswith("最近错误：打印出错")
    assert counter.endswith("正常；最近错误：程序出错")
    assert "cannot" not in "".join(zh) and "printing" not in "".join(zh)
    en = admin("--lang", "en", "terminal", "list").out
    assert "cover open" in en and "last error: printing failed" in en
    assert "last error: program error" in en and not CJK.search(en), en

"""``hallq-admin terminal list``: the terminals' heartbeats and alerts, as text and JSON."""

from __future__ import annotations

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

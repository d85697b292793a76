"""Device health: terminals' heartbeats, the alerts made of them, and `terminal list`."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select, update

from shared import heartbeats
from shared.db import Database
from shared.errors import UsageError
from shared.heartbeats import Heartbeat
from shared.models import TerminalHeartbeat


def _age(db: Database, name: str, seconds: int) -> None:
    """Make the terminal's last beat ``seconds`` older (as if it went silent then)."""
    def op(session: object) -> None:
        row = session.execute(select(TerminalHeartbeat).where(  # type: ignore[attr-defined]
            TerminalHeartbeat.name == name)).scalar_one()
        session.execute(update(TerminalHeartbeat).where(  # type: ignore[attr-defined]
            TerminalHeartbeat.id == row.id).values(
            seen_at=row.seen_at - dt.timedelta(seconds=seconds)))
    db.write(op)


def _status(db: Database, name: str) -> heartbeats.TerminalStatus:
    return next(t for t in heartbeats.list_terminals(db) if t.name == name)


@pytest.mark.all_backends
def test_beats_keep_one_row_per_terminal_and_flag_what_needs_a_look(db: Database) -> None:
    heartbeats.record(db, Heartbeat("kiosk", "KIOSK-1", site="hall", printer="ready",
                                    audio="ok", first=True))
    heartbeats.record(db, Heartbeat("display", "HALL-TV", site="hall", audio="ok", first=True))
    heartbeats.record(db, Heartbeat("counter", "PC-3/3号窗口", site="town"))
    first = _status(db, "KIOSK-1")
    assert first.alerts == () and first.site == "hall" and first.printer == "ready"
    assert first.version == heartbeats.app_version()

    heartbeats.record(db, Heartbeat("kiosk", "KIOSK-1", site="hall", printer="paper_out",
                                    audio="ok", last_error="缺纸\nsecond line dropped"))
    with db.read() as session:
        assert len(session.execute(select(TerminalHeartbeat)).all()) == 3
    kiosk = _status(db, "KIOSK-1")
    assert kiosk.alerts == ("printer",) and kiosk.last_error == "缺纸"
    assert kiosk.started_at == first.started_at  # only the first beat sets the start

    _age(db, "HALL-TV", 61)
    display = _status(db, "HALL-TV")
    assert display.alerts == ("silent",) and display.silent_seconds >= 61
    assert heartbeats.describe_alert(display, "silent") == "已失联 1 分钟"

    heartbeats.record(db, Heartbeat("counter", "OLD-PC", version="0.0.9",
                                    schema_revision="0004"))
    assert _status(db, "OLD-PC").alerts == ("version",)

    # a hall display that cannot speak the calls; a window's own display needs no sound
    heartbeats.record(db, Heartbeat("display", "MUTE-TV", site="hall", audio="none"))
    heartbeats.record(db, Heartbeat("display", "PC-3/3号窗口屏", site="hall", audio="none"))
    mute = _status(db, "MUTE-TV")
    assert mute.alerts == ("sound",)
    assert heartbeats.describe_alert(mute, "sound") == "没有声音输出，无法语音叫号"
    assert _status(db, "PC-3/3号窗口屏").alerts == ()

    # most urgent first: terminals with alerts, then the others
    names = [t.name for t in heartbeats.list_terminals(db)]
    assert names[-2:] == ["PC-3/3号窗口", "PC-3/3号窗口屏"]  # by kind, then name
    assert [t.name for t in heartbeats.list_terminals(db, site="town")] == ["PC-3/3号窗口"]


def test_a_malformed_beat_is_refused_before_the_database() -> None:
    for bad in (dict(kind="toaster", name="x"), dict(kind="kiosk", name=""),
                dict(kind="kiosk", name="x" * 101), dict(kind="kiosk", name="x", printer="jam"),
                dict(kind="kiosk", name="x", audio="loud")):
        with pytest.raises(UsageError):
            Heartbeat(**bad)  # type: ignore[arg-type]

"""One-button help (一键求助): a request from a kiosk stays open until staff acknowledge
it; every step is recorded and tells the terminals watching the site."""

from __future__ import annotations

import pytest

from shared import feed
from shared.db import Database
from shared.errors import IllegalTransition, NotFound, UsageError
from shared.help_requests import acknowledge, open_help_requests, request_help
from shared.lookup import site_by_code


def site_id(db: Database, code: str) -> int:
    with db.read() as session:
        return site_by_code(session, code).id


@pytest.mark.all_backends
def test_a_request_is_open_until_acknowledged(db: Database) -> None:
    before = feed.current_version(db, site_id(db, "hall"))
    first = request_help(db, "东侧 1 号取号机", site="hall", screen="guide")
    second = request_help(db, "西侧 2 号取号机", site="hall", screen="start")
    request_help(db, "派出所取号机", site="town")
    assert feed.current_version(db, site_id(db, "hall")) > before
    assert first.open and first.acknowledged_by == ""
    shown = open_help_requests(db, site="hall")
    assert [(r.terminal, r.screen) for r in shown] == [("东侧 1 号取号机", "guide"),
                                                      ("西侧 2 号取号机", "start")]
    done = acknowledge(db, first.id, by="wangf")
    assert not done.open and done.acknowledged_by == "wangf"
    assert done.acknowledged_at is not None and done.acknowledged_at >= done.requested_at
    assert [r.id for r in open_help_requests(db, site="hall")] == [second.id]
    assert [r.terminal for r in open_help_requests(db, site="town")] == ["派出所取号机"]
    assert done.to_json()["acknowledged_by"] == "wangf"


@pytest.mark.all_backends
def test_acknowledging_twice_or_an_unknown_request_is_refused(db: Database) -> None:
    request = request_help(db, "1 号取号机", site="hall")
    acknowledge(db, request.id, by="导服台")
    with pytest.raises(IllegalTransition, match="已由 导服台 处理"):
        acknowledge(db, request.id, by="wangf")
    with pytest.raises(NotFound, match="没有求助记录 99999"):
        acknowledge(db, 99999, by="wangf")


def test_bad_names_are_refused(db: Database) -> None:
    with pytest.raises(UsageError, match="终端名称"):
        request_help(db, "  ", site="hall")
    with pytest.raises(UsageError, match="at most 100"):
        request_help(db, "x" * 101, site="hall")
    request = request_help(db, "1 号取号机", site="hall")
    with pytest.raises(UsageError, match="确认人"):
        acknowledge(db, request.id, by="")
    assert [r.id for r in open_help_requests(db, site="hall")] == [request.id]

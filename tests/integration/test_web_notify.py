"""SMS / WeChat reminders: the outbox written from the change feed, the sender against a
local fake gateway (retries, a hanging gateway, giving up), on every backend."""

from __future__ import annotations

import time

import pytest
from sqlalchemy import select

from shared import issuing, queue
from shared.db import Database
from shared.models import Notification
from shared.web.app import WebSettings
from shared.web.notify import GatewaySettings, Sender, enqueue
from shared.web.remote import take_remote_ticket
from shared.web.snapshot import build_snapshot
from tests.fake_gateway import fake_gateway
from tests.web_support import load_web_catalog, serve

BASE = "https://queue.example.gov.cn"
PHONE = "13812345678"


def wait_until(condition, timeout: float, what: str) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, what
        time.sleep(0.05)


def outbox(db: Database) -> list[tuple[str, str, str, int]]:
    with db.read() as session:
        return [(row.kind, row.state, row.recipient, row.attempts) for row in session.scalars(
            select(Notification).order_by(Notification.id))]


@pytest.mark.all_backends
def test_reminders_reach_the_gateway_once_each(empty_db: Database,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """A checked-in remote ticket gets 快到了 at 1 ahead and its call, once each, through
    the running web service; the outbox then keeps only the masked number."""
    load_web_catalog(empty_db, BASE, remote_tickets=True)
    for _ in range(3):
        issuing.issue_ticket(empty_db, "SA", site="hall")
    booking = take_remote_ticket(empty_db, "hall", "SA", PHONE)
    mine = issuing.check_in_appointment(empty_db, booking.code, site="hall")
    assert mine.people_ahead == 3
    with fake_gateway() as gateway:
        settings = WebSettings(rate_per_minute=0, gateway=GatewaySettings(
            url=gateway.url, token="s3cret", ahead=1, timeout=2))
        with serve(empty_db, settings) as url:
            import httpx

            assert httpx.get(f"{url}/api/hall/hall").status_code == 200  # starts the feed
            first = queue.call_next(empty_db, 1, site="hall").ticket
            time.sleep(0.5)
            assert gateway.received == []  # 2 ahead: not yet
            queue.call_next(empty_db, 2, site="hall")
            wait_until(lambda: len(gateway.received) == 1, 5, "the 快到了 reminder")
            assert gateway.received[0]["to"] == PHONE
            assert gateway.texts() == [
                f"【测试服务中心】您的 {mine.ticket.number} 号（甲业务）前面还有 1 人，"
                f"请回到大厅留意叫号。"]
            assert gateway.headers[0]["Authorization"] == "Bearer s3cret"
            assert first is not None
            queue.start(empty_db, first.id, site="hall")
            queue.call_number(empty_db, mine.ticket.number, 1, site="hall")
            wait_until(lambda: len(gateway.received) == 2, 5, "the call reminder")
            assert gateway.texts()[1] == f"【测试服务中心】请 {mine.ticket.number} 号到 1 号窗口办理。"
            queue.recall(empty_db, mine.ticket.id, site="hall")
            time.sleep(0.6)
    assert len(gateway.received) == 2  # never twice
    assert outbox(empty_db) == [("near", "sent", "138****5678", 1),
                                ("called", "sent", "138****5678", 1)]


def test_sender_retries_bounds_a_hanging_gateway_and_gives_up(empty_db: Database) -> None:
    load_web_catalog(empty_db, BASE, remote_tickets=True)
    booking = take_remote_ticket(empty_db, "hall", "SA", PHONE)
    issuing.check_in_appointment(empty_db, booking.code, site="hall")
    assert enqueue(empty_db, build_snapshot(empty_db, "hall", 1), ahead=3) == 1
    assert enqueue(empty_db, build_snapshot(empty_db, "hall", 2), ahead=3) == 0
    with fake_gateway() as gateway:
        sender = Sender(empty_db, GatewaySettings(url=gateway.url, timeout=0.5,
                                                  max_attempts=3, retry_base=0.1))
        gateway.script = [503, "hang"]
        assert sender.run_once() == 0
        assert outbox(empty_db)[0][:2] == ("near", "pending")
        time.sleep(0.15)
        started = time.monotonic()
        assert sender.run_once() == 0  # the gateway hangs: bounded by the timeout
        assert time.monotonic() - started < 1.5
        time.sleep(0.25)
        assert sender.run_once() == 1
        assert outbox(empty_db) == [("near", "sent", "138****5678", 3)]
        assert len(gateway.received) == 3 and len({m["id"] for m in gateway.received}) == 1

    # A gateway that is down: given up after max_attempts, the number masked.
    queue.call_next(empty_db, 1, site="hall")
    assert enqueue(empty_db, build_snapshot(empty_db, "hall", 3), ahead=3) == 1
    sender = Sender(empty_db, GatewaySettings(url="http://127.0.0.1:9/nothing", timeout=0.5,
                                              max_attempts=2, retry_base=0.05))
    sender.run_once()
    time.sleep(0.1)
    sender.run_once()
    with empty_db.read() as session:
        called = session.scalar(select(Notification).where(Notification.kind == "called"))
        assert called is not None
        assert (called.state, called.attempts, called.recipient) == ("failed", 2, "138****5678")
        assert "unreachable" in called.last_error

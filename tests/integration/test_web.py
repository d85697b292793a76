"""hallq-web on every backend: signed ticket links, the ticket and hall pages and their
live updates, people ahead as the kiosk counts them, rate limits and what is exposed."""

from __future__ import annotations

import datetime as dt
import json
import time
from collections.abc import Iterator

import httpx
import pytest

from shared import issuing, prediction, queue
from shared.db import Database
from shared.models import Site, Ticket
from shared.read import hall_state
from shared.read.hall_state import queue_overview
from shared.read.site import site_info
from shared.routing import RoutingRules
from shared.ticket_print import build_slip, slip_from_issued
from shared.web import tokens
from shared.web.app import WebSettings
from shared.web.snapshot import build_snapshot
from tests.web_support import load_web_catalog, serve

BASE = "https://queue.example.gov.cn"


@pytest.fixture
def web_db(empty_db: Database) -> Database:
    load_web_catalog(empty_db, BASE)
    return empty_db


def token_of(url: str | None) -> str:
    assert url is not None and url.startswith(f"{BASE}/t/")
    return url.removeprefix(f"{BASE}/t/")


def sse_events(response: httpx.Response) -> Iterator[dict]:
    """The data of each ``status`` event of a server-sent event stream."""
    event = None
    for line in response.iter_lines():
        if line.startswith("event: "):
            event = line.removeprefix("event: ")
        elif line.startswith("data: ") and event == "status":
            yield json.loads(line.removeprefix("data: "))


@pytest.mark.all_backends
def test_printed_link_opens_the_ticket_page_and_forgeries_do_not(web_db: Database) -> None:
    """The kiosk's slip and a reprint carry the same signed link; the page opens with it;
    a changed character, another key's token and yesterday's token are refused."""
    issued = issuing.issue_ticket(web_db, "SA", site="hall")
    site = site_info(web_db, site="hall", links=True)
    slip = slip_from_issued(issued, site, footer="")
    reprint, _pending = build_slip(web_db, issued.ticket.id, footer="")
    assert slip.qr_url == reprint.qr_url
    token = token_of(slip.qr_url)
    neighbour = tokens.sign(tokens.read_web_secret(web_db) or b"", issued.ticket.id + 1,
                            issued.ticket.business_day)
    # Random-looking throughout: equal characters in place only by chance (1 in 64 each).
    assert sum(a != b for a, b in zip(token, neighbour, strict=True)) >= 28
    secret = tokens.read_web_secret(web_db)
    assert secret is not None
    assert tokens.verify(secret, token) == (issued.ticket.id, issued.ticket.business_day)

    with serve(web_db) as url:
        page = httpx.get(f"{url}/t/{token}")
        assert page.status_code == 200
        assert issued.ticket.number in page.text and "测试服务中心" in page.text
        assert page.headers["referrer-policy"] == "no-referrer"
        assert "frame-ancestors 'none'" in page.headers["content-security-policy"]
        assert page.headers["cache-control"] == "no-store"
        status = httpx.get(f"{url}/api/t/{token}").json()
        assert status["state"] == "waiting" and status["people_ahead"] == 0
        assert status["materials"] == ["身份证原件", "申请表"]

        flipped = token[:10] + ("A" if token[10] != "A" else "B") + token[11:]
        other_key = tokens.sign(b"x" * 32, issued.ticket.id, issued.ticket.business_day)
        for bad in (flipped, other_key, "1", str(issued.ticket.id), "x" * 200):
            assert httpx.get(f"{url}/api/t/{bad}").status_code == 404, bad
        yesterday = tokens.sign(secret, issued.ticket.id,
                                issued.ticket.business_day - dt.timedelta(days=1))
        assert httpx.get(f"{url}/api/t/{yesterday}").status_code == 410
        assert "此号已过期" in httpx.get(f"{url}/t/{yesterday}").text


@pytest.mark.all_backends
def test_site_without_base_url_prints_the_bare_id(db: Database) -> None:
    issued = issuing.issue_ticket(db, "SA", site="hall")
    slip = slip_from_issued(issued, site_info(db, site="hall", links=True), footer="")
    assert slip.qr_url is None
    assert tokens.read_web_secret(db) is None  # no key made where no link is printed


@pytest.mark.all_backends
def test_people_ahead_on_the_page_is_the_kiosks_count(web_db: Database) -> None:
    """Green, appointment and normal tickets of several services: each waiting ticket's
    people ahead in the snapshot equals shared.issuing.people_ahead."""
    for code, kind in [("SA", "normal"), ("SB", "normal"), ("SA", "green"), ("SA", "normal"),
                       ("SA", "appointment"), ("SB", "green"), ("SA", "normal")]:
        issuing.issue_ticket(web_db, code, site="hall", kind=kind)
    for _ in range(3):  # SC's daily quota: the hall page says it is closed for today
        issuing.issue_ticket(web_db, "SC", site="hall")
    queue.call_next(web_db, 2, site="hall")
    # One ticket handed to a window while waiting: it counts only that window's queue.
    handed = next(t for t in hall_state.list_tickets(web_db, site="hall")
                  if t.service == "SB" and t.state == "waiting")
    queue.transfer(web_db, handed.id, to_window=1, site="hall")
    snapshot = build_snapshot(web_db, "hall", 0)
    assert snapshot.services == [
        {"service": q.service, "name": q.name, "department": q.department,
         "waiting": q.waiting, "estimated_wait_minutes": q.estimated_wait_minutes,
         "open": q.open_now, "closed_reason": q.closed_reason}
        for q in queue_overview(web_db, site="hall")]
    assert {s["service"]: s["open"] for s in snapshot.services}["SC"] is False
    with web_db.read() as session:
        site = session.query(Site).filter_by(code="hall").one()
        rules = RoutingRules.from_mapping(site.routing)
        from shared.db import server_now

        now = server_now(session)
        waiting = session.query(Ticket).filter_by(site_id=site.id, state="waiting").all()
        assert len(waiting) == 9
        for ticket in waiting:
            expected = issuing.people_ahead(session, ticket, rules, now)
            assert snapshot.tickets[ticket.id].people_ahead == expected, ticket.number
        waiting_ids = [(ticket.id, ticket.number) for ticket in waiting]
    # Each waiting ticket's estimate is the predictor's (the kiosk's and the slip's): the
    # same point value as prediction.ticket_wait, read a moment later (a minute apart at
    # most), and its range; no estimate once called.
    points = []
    for ticket_id, number in waiting_ids:
        shown = snapshot.tickets[ticket_id]
        predicted = prediction.ticket_wait(web_db, ticket_id)
        assert predicted is not None and shown.estimated_wait_minutes is not None
        assert abs(shown.estimated_wait_minutes - predicted.minutes) <= 1, number
        assert shown.wait_range is not None
        if shown.estimated_wait_minutes == predicted.minutes:
            assert shown.wait_range == predicted.range_text(), number
        assert shown.to_json()["wait_range"] == shown.wait_range
        points.append(shown.estimated_wait_minutes)
    assert max(points) > 0  # nine waiting on two windows: somebody waits
    called = next(t for t in snapshot.tickets.values() if t.state == "called")
    assert called.estimated_wait_minutes is None and called.wait_range is None


@pytest.mark.all_backends
def test_event_stream_follows_calls_within_a_second(web_db: Database) -> None:
    """A watcher's stream shows people ahead falling and then its call to window 2."""
    issuing.issue_ticket(web_db, "SA", site="hall")
    mine = issuing.issue_ticket(web_db, "SA", site="hall")
    site = site_info(web_db, site="hall", links=True)
    token = token_of(site.ticket_url(mine.ticket.id, mine.ticket.business_day))
    with serve(web_db) as url, httpx.stream("GET", f"{url}/api/t/{token}/events",
                                            timeout=10) as response:
        assert response.headers["content-type"].startswith("text/event-stream")
        events = sse_events(response)
        assert next(events)["people_ahead"] == 1
        started = time.monotonic()
        queue.call_next(web_db, 2, site="hall")
        assert next(events)["people_ahead"] == 0
        assert time.monotonic() - started < 1.0
        started = time.monotonic()
        queue.call_number(web_db, mine.ticket.number, 1, site="hall")
        update = next(events)
        assert time.monotonic() - started < 1.0
        assert update["state"] == "called" and update["window"] == 1


@pytest.mark.all_backends
def test_hall_page_shows_queues_and_last_calls(web_db: Database) -> None:
    for _ in range(3):
        issuing.issue_ticket(web_db, "SB", site="hall")
    called = queue.call_next(web_db, 3, site="hall").ticket
    assert called is not None
    with serve(web_db) as url:
        hall = httpx.get(f"{url}/api/hall/hall").json()
        by_code = {s["service"]: s for s in hall["services"]}
        assert by_code["SB"]["waiting"] == 2 and by_code["SB"]["open"]
        assert hall["recent_calls"][0]["text"] == f"请 {called.number} 号到 3 号窗口办理"
        page = httpx.get(f"{url}/hall/hall")
        assert page.status_code == 200 and "测试服务中心" in page.text
        assert "frame-ancestors *" in page.headers["content-security-policy"]
        assert httpx.get(f"{url}/hall/nowhere").status_code == 404
        with httpx.stream("GET", f"{url}/api/hall/hall/events", timeout=10) as response:
            events = sse_events(response)
            assert next(events)["services"]
            issuing.issue_ticket(web_db, "SB", site="hall")
            update = next(events)
            assert {s["service"]: s for s in update["services"]}["SB"]["waiting"] == 3


@pytest.mark.all_backends
def test_every_endpoint_is_rate_limited_per_client(web_db: Database) -> None:
    """Past the burst a client gets 429 with Retry-After; X-Forwarded-For counts only
    from a trusted proxy; health checks are not limited."""
    settings = WebSettings(rate_per_minute=6, burst=3)
    with serve(web_db, settings) as url:
        codes = [httpx.get(f"{url}/api/hall/hall").status_code for _ in range(4)]
        assert codes == [200, 200, 200, 429]
        refused = httpx.get(f"{url}/t/{'A' * tokens.TOKEN_LENGTH}")
        assert refused.status_code == 429 and int(refused.headers["retry-after"]) >= 1
        # An untrusted peer cannot pose as another client.
        spoofed = httpx.get(f"{url}/api/hall/hall", headers={"X-Forwarded-For": "10.1.1.1"})
        assert spoofed.status_code == 429
        assert httpx.get(f"{url}/healthz").status_code == 200
    trusted = WebSettings(rate_per_minute=6, burst=2, trusted_proxies=frozenset({"127.0.0.1"}))
    with serve(web_db, trusted) as url:
        for client in ("10.0.0.1", "10.0.0.2"):
            codes = [httpx.get(f"{url}/api/hall/hall",
                               headers={"X-Forwarded-For": f"1.2.3.4, {client}"}).status_code
                     for _ in range(3)]
            assert codes == [200, 200, 429], client

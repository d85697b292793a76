"""Remote tickets (远程取号) on every backend: the form and its CSRF protection, the limits
against hoarding, the daily quota, check-in at the kiosk and what is kept of the phone."""

from __future__ import annotations

import datetime as dt
import re
import time

import httpx
import pytest
from sqlalchemy import select

from shared import issuing
from shared.appointments import list_appointments
from shared.db import Database, server_now
from shared.errors import QuotaReached
from shared.models import Appointment, Service, Site
from shared.web.app import WebSettings
from tests.web_support import load_web_catalog, serve

BASE = "https://queue.example.gov.cn"


def form_session(client: httpx.Client, url: str) -> str:
    """Open the form as a browser does; the CSRF token of the page."""
    page = client.get(f"{url}/hall/hall/remote")
    assert page.status_code == 200, page.text
    match = re.search(r'name="csrf" value="([0-9a-f]{64})"', page.text)
    assert match
    return match.group(1)


def take(client: httpx.Client, url: str, csrf: str, service: str, phone: str,
         **headers: str) -> httpx.Response:
    return client.post(f"{url}/hall/hall/remote", data={"csrf": csrf, "service": service,
                                                        "phone": phone}, headers=headers)


@pytest.mark.all_backends
def test_remote_ticket_form_limits_and_check_in(empty_db: Database) -> None:
    load_web_catalog(empty_db, BASE, remote_tickets=True, remote_daily_cap=2)
    issuing.issue_ticket(empty_db, "SA", site="hall")  # someone is already waiting
    with serve(empty_db, WebSettings(rate_per_minute=0)) as url, \
            httpx.Client(follow_redirects=False) as client:
        assert "远程取号" in client.get(f"{url}/hall/hall").text
        csrf = form_session(client, url)
        # No token, another page's token, another site's origin: refused, nothing booked.
        assert take(client, url, "", "SA", "13812345678").status_code == 403
        assert take(client, url, "0" * 64, "SA", "13812345678").status_code == 403
        assert take(client, url, csrf, "SA", "13812345678",
                    origin="https://evil.example").status_code == 403
        with httpx.Client() as stranger:  # a cross-site post carries no cookie of ours
            assert take(stranger, url, csrf, "SA", "13812345678").status_code == 403
        bad_phone = take(client, url, csrf, "SA", "12345")
        assert bad_phone.status_code == 400 and "11 位手机号码" in bad_phone.text

        booked = take(client, url, csrf, "SA", "138 1234 5678")
        assert booked.status_code == 303
        page = client.get(f"{url}{booked.headers['location']}")
        assert page.status_code == 200
        code = re.search(r'id="code" class="number">(\d{8})<', page.text).group(1)  # type: ignore[union-attr]
        assert "13812345678" not in page.text and "5678" not in page.text.replace(code, "")
        assert page.headers["referrer-policy"] == "no-referrer"

        again = take(client, url, csrf, "SA", "13812345678")
        assert again.status_code == 409 and "已远程取过" in again.text
        assert take(client, url, csrf, "SB", "13812345678").status_code == 303  # other service
        assert take(client, url, csrf, "SA", "13900000001").status_code == 303
        capped = take(client, url, csrf, "SA", "13900000002")
        assert capped.status_code == 409 and "远程号已取完" in capped.text

        # Not in the queue until checked in; then an ordinary ticket at the end.
        assert httpx.get(f"{url}/api/hall/hall").json()["services"][0]["waiting"] == 1
        ticket = issuing.check_in_appointment(empty_db, code, site="hall")
        assert ticket.ticket.kind == "normal" and ticket.people_ahead == 1
        deadline = time.monotonic() + 1.0  # the page learns of it with the next change
        while (followed := client.get(f"{url}{booked.headers['location']}")).status_code != 303:
            assert time.monotonic() < deadline, "the check-in did not reach the page"
            time.sleep(0.05)
        assert followed.status_code == 303 and followed.headers["location"].startswith("/t/")
        status = client.get(f"{url}/api/t/{followed.headers['location'][3:]}").json()
        assert status["number"] == ticket.ticket.number and status["people_ahead"] == 1


@pytest.mark.all_backends
def test_remote_tickets_count_against_the_daily_quota(empty_db: Database) -> None:
    """SC has a quota of 3: two remote bookings leave one number for the kiosk; checking
    a booking in does not count it twice."""
    load_web_catalog(empty_db, BASE, remote_tickets=True)
    from shared.web.remote import take_remote_ticket

    first = take_remote_ticket(empty_db, "hall", "SC", "13800000001")
    take_remote_ticket(empty_db, "hall", "SC", "13800000002")
    issuing.issue_ticket(empty_db, "SC", site="hall")
    with pytest.raises(QuotaReached):
        issuing.issue_ticket(empty_db, "SC", site="hall")
    with pytest.raises(QuotaReached):
        take_remote_ticket(empty_db, "hall", "SC", "13800000003")
    issuing.check_in_appointment(empty_db, first.code, site="hall")
    with pytest.raises(QuotaReached):
        issuing.issue_ticket(empty_db, "SC", site="hall")
    with empty_db.read() as session:
        site_id = session.scalar(select(Site.id).where(Site.code == "hall"))
        used = issuing.quota_used(session, site_id, first.day)
        service_id = session.scalar(select(Service.id).where(Service.code == "SC"))
        assert used[service_id] == 3


@pytest.mark.all_backends
def test_sites_without_remote_tickets_refuse_and_old_phones_are_purged(
        empty_db: Database) -> None:
    load_web_catalog(empty_db, BASE)
    from shared.web.remote import take_remote_ticket

    with serve(empty_db) as url:
        assert httpx.get(f"{url}/hall/hall/remote").status_code == 404
        assert "远程取号" not in httpx.get(f"{url}/hall/hall").text
    load_web_catalog(empty_db, BASE, remote_tickets=True)

    def yesterday(session):  # type: ignore[no-untyped-def]
        site = session.scalar(select(Site).where(Site.code == "hall"))
        service = session.scalar(select(Service).where(Service.code == "SA"))
        now = server_now(session)
        session.add(Appointment(code="99999999", site_id=site.id, service_id=service.id,
                                day=now.date() - dt.timedelta(days=2), slot_start="09:00",
                                slot_end="23:59", phone="13811112222", state="booked",
                                created_at=now, remote=True))

    empty_db.write(yesterday)
    booking = take_remote_ticket(empty_db, "hall", "SA", "13833334444")
    assert booking.phone_masked == "138****4444"
    with empty_db.read() as session:
        phones = dict(session.execute(select(Appointment.code, Appointment.phone)).all())
    assert phones == {"99999999": "", booking.code: "13833334444"}
    listed = {a.code: a.phone for a in list_appointments(empty_db, site="hall")}
    assert listed[booking.code] == "138****4444"  # views show it masked

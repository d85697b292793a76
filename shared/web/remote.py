"""Remote tickets (远程取号): a number for today taken on the hall's web page.

Where the site allows it (``[sites.web] remote_tickets = true`` in the catalog), a citizen
picks a service on the hall page and gives a mobile number. The booking is an
:class:`~shared.models.Appointment` row marked ``remote`` for today with an 8-digit code:
it is not in the queue yet ("not arrived"). At the kiosk the citizen types the code on
the appointment keypad (:func:`shared.issuing.check_in_appointment`) and gets an
ordinary ticket at the end of the queue at that moment (never the appointment priority).

Limits against hoarding, checked in the booking's transaction: one remote ticket per
phone per service per day, ``remote_daily_cap`` per service per day (default 30), the
service's opening hours and daily quota now (a booking counts against the quota like a
ticket: :func:`shared.issuing.quota_used`). Bookings of one site are serialised on a day
counter row, so two phones cannot both take the last place.

The phone number is personal data: pages and views show it masked (138****5678), and
every booking blanks the numbers of remote bookings of earlier days (they are kept only
for the day, for the SMS reminder).
"""

from __future__ import annotations

import datetime as dt
import re
import secrets
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from shared import feed
from shared.db import Database
from shared.errors import QuotaReached, ServiceClosed, UsageError
from shared.hours import availability
from shared.issuing import quota_used
from shared.lookup import service_by_code
from shared.models import Appointment, Service
from shared.operation import check_offered, next_counter_value, open_context
from shared.privacy import mask_phone
from shared.states import AppointmentState

PHONE_RE = re.compile(r"1[3-9]\d{9}")
CODE_DIGITS = 8
DEFAULT_DAILY_CAP = 30
# The day counter that serialises a site's remote bookings (never a ticket prefix: those
# are one or two letters).
REMOTE_COUNTER_KEY = "RMT"


@dataclass(frozen=True)
class RemoteBooking:
    id: int
    code: str
    service: str
    service_name: str
    day: dt.date
    phone_masked: str



def remote_settings(web: dict[str, Any] | None) -> tuple[bool, int]:
    """Whether a site takes remote tickets and its daily cap per service."""
    web = web or {}
    return bool(web.get("remote_tickets", False)), int(web.get("remote_daily_cap",
                                                               DEFAULT_DAILY_CAP))


def take_remote_ticket(db: Database, site: str, service_code: str, phone: str
                       ) -> RemoteBooking:
    """Book a remote ticket for today; refuses with the rule that stands in the way."""
    phone = phone.strip().replace(" ", "").replace("-", "")
    if not PHONE_RE.fullmatch(phone):
        raise UsageError("请输入 11 位手机号码 (a mainland mobile number has 11 digits, "
                         "starting with 13-19)")

    def op(session: Session) -> RemoteBooking:
        ctx = open_context(session, site)
        enabled, cap = remote_settings(ctx.site.web)
        if not enabled:
            raise ServiceClosed(f"{ctx.site.name}未开通远程取号 (site {ctx.site.code} does not "
                                f"take remote tickets)")
        service = service_by_code(session, service_code)
        check_offered(ctx, service)
        avail = availability(ctx.site.calendar, service.hours, service.weekend,
                             service.holiday, ctx.local_now)
        if not avail.open:
            raise ServiceClosed(f"{service.name}：{avail.reason} (service {service.code} is not "
                                f"issuing numbers now)")
        next_counter_value(ctx, REMOTE_COUNTER_KEY)  # serialises this site's bookings
        taken = select(func.count()).select_from(Appointment).where(
            Appointment.site_id == ctx.site.id, Appointment.day == ctx.day,
            Appointment.service_id == service.id, Appointment.remote.is_(True),
            Appointment.state != AppointmentState.CANCELLED)
        if session.scalar(taken.where(Appointment.phone == phone)):
            raise QuotaReached(f"该手机号今天已远程取过{service.name}的号 (this phone already "
                               f"has a remote ticket for {service.code} today)")
        if (session.scalar(taken) or 0) >= cap:
            raise QuotaReached(f"{service.name}今日远程号已取完（每日 {cap} 个），请到大厅取号 "
                               f"(the daily cap of {cap} remote tickets is reached)")
        if service.daily_quota is not None and quota_used(
                session, ctx.site.id, ctx.day, service.id).get(service.id, 0) >= service.daily_quota:
            raise QuotaReached(f"{service.name}今日号源已取完（每日 {service.daily_quota} 个），"
                               f"请明天再来 (daily quota {service.daily_quota} reached)")
        # Phone numbers of earlier days' remote bookings are not kept.
        session.execute(update(Appointment).where(
            Appointment.site_id == ctx.site.id, Appointment.remote.is_(True),
            Appointment.day < ctx.day, Appointment.phone != "").values(phone=""))
        appt = None
        for _ in range(5):
            code = f"{secrets.randbelow(10 ** CODE_DIGITS):0{CODE_DIGITS}d}"
            try:
                with session.begin_nested():
                    appt = Appointment(
                        code=code, site_id=ctx.site.id, service_id=service.id, day=ctx.day,
                        slot_start=ctx.local_now.strftime("%H:%M"), slot_end="23:59",
                        citizen_name="", phone=phone, state=AppointmentState.BOOKED, created_at=ctx.now,
                        remote=True)
                    session.add(appt)
                break
            except IntegrityError:  # the code is taken (1 in 10^8 a try): draw again
                appt = None
        if appt is None:
            raise UsageError("无法生成签到码，请重试 (could not draw a free check-in code)")
        feed.touch(session, ctx.site.id, feed.Change(ctx.site.id, frozenset({feed.REMOTE}),
                                                     services=frozenset({service.id})))
        return RemoteBooking(id=appt.id, code=appt.code, service=service.code,
                             service_name=service.name, day=ctx.day,
                             phone_masked=mask_phone(phone))

    return db.write(op, name="take_remote_ticket")


@dataclass(frozen=True)
class RemoteStatus:
    """A remote booking as its web page shows it (never the phone number)."""

    id: int
    code: str
    service: str
    state: str  # booked, checked_in, cancelled
    ticket_id: int | None


def remote_statuses(session: Session, site_id: int, day: dt.date) -> dict[int, RemoteStatus]:
    rows = session.execute(
        select(Appointment.id, Appointment.code, Service.code.label("service"),
               Appointment.state, Appointment.ticket_id)
        .join(Service, Service.id == Appointment.service_id)
        .where(Appointment.site_id == site_id, Appointment.day == day,
               Appointment.remote.is_(True))).all()
    return {row.id: RemoteStatus(row.id, row.code, row.service, row.state, row.ticket_id)
            for row in rows}

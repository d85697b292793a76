"""SMS / WeChat reminders: the outbox and its sender.

The outbox (:class:`shared.models.Notification`) gets a row when a ticket whose citizen
left a phone number (a remote ticket, or an appointment imported with one) reaches
``ahead`` people ahead ("快到了") and when it is called; :func:`enqueue` derives them from
a site snapshot after each change, in one transaction, at most one row per ticket and
kind (a unique key, so two web processes never send twice).

:class:`Sender` delivers pending rows through the hall's gateway: an HTTP endpoint the
county configures (``hallq-web --gateway-url``), which receives one JSON POST per
message and answers 2xx once it has accepted it; the county's adapter behind it talks to
its SMS provider or the WeChat template-message API (docs/web.md). Each attempt is
bounded by a timeout; a failure is retried with growing pauses up to ``max_attempts``;
a message older than ``give_up_after`` is dropped (a late "快到了" misleads). Once a row
is sent or given up, its recipient is replaced by the masked number.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import urllib.error
import urllib.request
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from shared.db import Database, locking, server_now
from shared.models import Appointment, Notification
from shared.states import TicketState
from shared.web.remote import mask_phone
from shared.web.snapshot import SiteSnapshot

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class GatewaySettings:
    url: str
    token: str = ""  # sent as "Authorization: Bearer <token>"
    timeout: float = 5.0
    max_attempts: int = 5
    give_up_after: dt.timedelta = dt.timedelta(minutes=20)
    ahead: int = 3  # "快到了" when this many or fewer are ahead
    retry_base: float = 2.0  # seconds before the 2nd attempt; doubles each time


def message(kind: str, site_name: str, number: str, service_name: str, ahead: int,
            window: int | None) -> str:
    if kind == "called":
        return f"【{site_name}】请 {number} 号到 {window} 号窗口办理。"
    return (f"【{site_name}】您的 {number} 号（{service_name}）前面还有 {ahead} 人，"
            f"请回到大厅留意叫号。")


def enqueue(db: Database, snapshot: SiteSnapshot, ahead: int) -> int:
    """Write the outbox rows the snapshot calls for; the number of new rows."""
    due: dict[tuple[int, str], str] = {}
    for status in snapshot.tickets.values():
        if status.state == TicketState.WAITING.value and status.people_ahead <= ahead:
            kind = "near"
        elif status.state == TicketState.CALLED.value and status.window is not None:
            kind = "called"
        else:
            continue
        due[(status.id, kind)] = message(kind, snapshot.site_name, status.number,
                                         status.service_name, status.people_ahead,
                                         status.window)
    if not due:
        return 0

    def op(session: Session) -> int:
        ticket_ids = {ticket_id for ticket_id, _kind in due}
        phones = dict(session.execute(
            select(Appointment.ticket_id, Appointment.phone).where(
                Appointment.site_id == snapshot.site_id, Appointment.day == snapshot.day,
                Appointment.ticket_id.in_(ticket_ids), Appointment.phone != "")).all())
        if not phones:
            return 0
        existing = set(session.execute(
            select(Notification.ticket_id, Notification.kind)
            .where(Notification.ticket_id.in_(phones))).all())
        now = server_now(session)
        new = [Notification(site_id=snapshot.site_id, ticket_id=ticket_id, kind=kind,
                            recipient=phones[ticket_id], body=text, state="pending",
                            attempts=0, next_attempt_at=now, created_at=now, last_error="")
               for (ticket_id, kind), text in due.items()
               if ticket_id in phones and (ticket_id, kind) not in existing]
        session.add_all(new)
        session.flush()
        return len(new)

    try:
        return db.write(op, name="enqueue_notifications")
    except IntegrityError:  # another web process wrote the same rows first
        return 0


class Sender:
    """Delivers the outbox through the gateway; :meth:`run_once` is one pass."""

    def __init__(self, db: Database, settings: GatewaySettings) -> None:
        self.db = db
        self.settings = settings

    def run_once(self, limit: int = 50) -> int:
        """Try each due message once; the number delivered."""
        delivered = 0
        for row_id in self._due(limit):
            claimed = self._claim(row_id)
            if claimed is None:
                continue
            recipient, body, kind = claimed
            error = self._post(row_id, recipient, body, kind)
            self._record(row_id, error)
            delivered += error is None
        return delivered

    def _due(self, limit: int) -> list[int]:
        with self.db.read() as session:
            now = server_now(session)
            return list(session.scalars(
                select(Notification.id).where(Notification.state == "pending",
                                              Notification.next_attempt_at <= now)
                .order_by(Notification.next_attempt_at, Notification.id).limit(limit)))

    def _claim(self, row_id: int) -> tuple[str, str, str] | None:
        """Count the attempt before making it (a crash mid-send is not retried forever);
        None if the row is no longer due or is too old to be worth sending."""
        settings = self.settings

        def op(session: Session) -> tuple[str, str, str] | None:
            row = session.scalar(locking(select(Notification).where(Notification.id == row_id)))
            now = server_now(session)
            if row is None or row.state != "pending" or row.next_attempt_at > now:
                return None
            if now - row.created_at > settings.give_up_after:
                row.state, row.last_error = "failed", "too late to be useful"
                row.recipient = mask_phone(row.recipient)
                return None
            row.attempts += 1
            # If this process dies before recording the result, try again after the
            # timeout (the gateway deduplicates by the message id).
            row.next_attempt_at = now + dt.timedelta(seconds=settings.timeout * 2)
            return row.recipient, row.body, row.kind

        return self.db.write(op, name="claim_notification")

    def _post(self, row_id: int, recipient: str, body: str, kind: str) -> str | None:
        payload = json.dumps({"id": row_id, "to": recipient, "kind": kind, "text": body},
                             ensure_ascii=False).encode("utf-8")
        request = urllib.request.Request(self.settings.url, data=payload, method="POST",
                                         headers={"Content-Type": "application/json"})
        if self.settings.token:
            request.add_header("Authorization", f"Bearer {self.settings.token}")
        try:
            with urllib.request.urlopen(request, timeout=self.settings.timeout) as response:
                response.read(1024)
            return None
        except urllib.error.HTTPError as exc:
            return f"gateway answered {exc.code}"
        except (OSError, ValueError) as exc:  # refused, timed out, reset, bad URL
            return f"gateway unreachable: {exc}"[:200]

    def _record(self, row_id: int, error: str | None) -> None:
        settings = self.settings

        def op(session: Session) -> None:
            row = session.get(Notification, row_id)
            if row is None:
                return
            now = server_now(session)
            if error is None:
                row.state, row.sent_at, row.last_error = "sent", now, ""
                row.recipient = mask_phone(row.recipient)
                return
            log.warning("notification %d (attempt %d) not delivered: %s", row_id,
                        row.attempts, error)
            row.last_error = error[:200]
            if row.attempts >= settings.max_attempts:
                row.state = "failed"
                row.recipient = mask_phone(row.recipient)
            else:
                row.next_attempt_at = now + dt.timedelta(
                    seconds=settings.retry_base * 2 ** (row.attempts - 1))

        self.db.write(op, name="record_notification")


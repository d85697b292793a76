"""Erasing citizens' personal data once it is no longer needed (PIPL: keep it no longer
than the purpose needs), keeping every statistic: rows stay, only the names, phones and
free text go (``hallq-admin privacy purge``, audited like every administrative command)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from shared import hcp
from shared.db import Database, server_now
from shared.errors import UsageError
from shared.models import Appointment, Evaluation, FollowUp


def mask_phone(phone: str) -> str:
    """A phone number as every screen, export and page shows it: the first three and last
    four digits (138****0000); shorter numbers keep only their last two. Only the
    supervisor's follow-up detail shows the whole number (docs/security.md)."""
    phone = phone.strip()
    if len(phone) >= 8:
        return phone[:3] + "*" * (len(phone) - 7) + phone[-4:]
    if len(phone) > 2:
        return "*" * (len(phone) - 2) + phone[-2:]
    return phone


@dataclass(frozen=True)
class PurgeReport:
    before: dt.date
    appointments: int
    evaluations: int
    follow_ups: int

    def as_dict(self) -> dict[str, object]:
        return {"before": self.before.isoformat(), "appointments": self.appointments,
                "evaluations": self.evaluations, "follow_ups": self.follow_ups}


def purge(db: Database, older_than_days: int) -> PurgeReport:
    """Erase the names and phones of appointments booked for days more than
    ``older_than_days`` ago, and the comments of evaluations (with their follow-ups'
    notes) made before then. Counts, ratings, times and states are kept."""
    if older_than_days < 1:
        raise UsageError(f"天数须为正整数 (--older-than {older_than_days}: at least 1 day)")

    def op(session: Session) -> PurgeReport:
        now = server_now(session)
        cutoff = now - dt.timedelta(days=older_than_days)
        before = cutoff.date()
        appointments = session.execute(
            update(Appointment).where(Appointment.day < before,
                                      or_(Appointment.citizen_name != "", Appointment.phone != ""))
            .values(citizen_name="", phone="")).rowcount  # type: ignore[attr-defined]
        old = select(Evaluation.id).where(Evaluation.at < cutoff)
        evaluations = session.execute(
            update(Evaluation).where(Evaluation.at < cutoff, Evaluation.comment != "")
            .values(comment="")).rowcount  # type: ignore[attr-defined]
        follow_ups = session.execute(
            update(FollowUp).where(FollowUp.evaluation_id.in_(old),
                                   or_(FollowUp.note != "", FollowUp.contact_result != "",
                                       FollowUp.rectify_note != ""))
            .values(note="", contact_result="", rectify_note="")).rowcount  # type: ignore[attr-defined]
        hcp.scrub_outbox(session, cutoff)
        return PurgeReport(before, int(appointments), int(evaluations), int(follow_ups))

    return db.write(op, name="privacy_purge")

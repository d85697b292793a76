"""Appointments (预约): added by staff or imported from the government service platform's
CSV export; checked in at the kiosk with their code (see shared.issuing)."""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from shared.db import Database, locking, server_now
from shared.errors import IllegalTransition, ImportFileError, NotFound, UsageError
from shared.lookup import service_by_code, site_by_code
from shared.models import Appointment, Service, Site

CSV_COLUMNS = ("code", "site", "service", "date", "slot", "name", "phone")


@dataclass(frozen=True)
class AppointmentView:
    code: str
    site: str
    service: str
    day: dt.date
    slot_start: str
    slot_end: str
    citizen_name: str
    phone: str
    state: str

    def to_json(self) -> dict[str, Any]:
        return {"code": self.code, "site": self.site, "service": self.service,
                "date": self.day.isoformat(), "slot": f"{self.slot_start}-{self.slot_end}",
                "name": self.citizen_name, "phone": self.phone, "state": self.state}


def _view(session: Session, appt: Appointment) -> AppointmentView:
    site = session.get(Site, appt.site_id)
    service = session.get(Service, appt.service_id)
    assert site is not None and service is not None
    return AppointmentView(appt.code, site.code, service.code, appt.day, appt.slot_start,
                           appt.slot_end, appt.citizen_name, appt.phone, appt.state)


def parse_slot(text: str) -> tuple[str, str]:
    """"09:00-09:30" -> ("09:00", "09:30"); ValueError naming the text otherwise."""
    try:
        start_text, end_text = (part.strip() for part in text.split("-"))
        start, end = dt.time.fromisoformat(start_text), dt.time.fromisoformat(end_text)
    except ValueError:
        raise ValueError(f"时段格式应为 09:00-09:30 (slot {text!r} is not like 09:00-09:30)") from None
    if end <= start:
        raise ValueError(f"时段结束早于开始 (slot {text!r} ends before it starts)")
    return f"{start:%H:%M}", f"{end:%H:%M}"


def _add(session: Session, *, code: str, site: str | None, service: str, day: dt.date,
         slot: str, name: str = "", phone: str = "") -> Appointment:
    code = code.strip()
    if not code or len(code) > 32:
        raise UsageError("预约码须为 1-32 个字符 (appointment code must be 1-32 characters)")
    if session.scalar(select(Appointment).where(Appointment.code == code)) is not None:
        raise UsageError(f"预约码 {code} 已存在 (appointment {code!r} exists)")
    try:
        start, end = parse_slot(slot)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    site_row = site_by_code(session, site)
    service_row = service_by_code(session, service)
    appt = Appointment(code=code, site_id=site_row.id, service_id=service_row.id, day=day,
                       slot_start=start, slot_end=end, citizen_name=name[:100],
                       phone=phone[:32], state="booked", created_at=server_now(session))
    session.add(appt)
    session.flush()
    return appt


def add_appointment(db: Database, *, code: str, service: str, day: dt.date, slot: str,
                    site: str | None = None, name: str = "", phone: str = "") -> AppointmentView:
    def op(session: Session) -> AppointmentView:
        return _view(session, _add(session, code=code, site=site, service=service, day=day,
                                   slot=slot, name=name, phone=phone))

    return db.write(op, name="add_appointment")


def cancel_appointment(db: Database, code: str) -> AppointmentView:
    def op(session: Session) -> AppointmentView:
        appt = session.scalar(locking(select(Appointment).where(Appointment.code == code)))
        if appt is None:
            raise NotFound(f"预约码 {code} 不存在 (no appointment {code!r})")
        if appt.state != "booked":
            raise IllegalTransition(f"预约 {code} 状态为 {appt.state}，不能取消 "
                                    f"(appointment {code} is {appt.state})")
        appt.state = "cancelled"
        return _view(session, appt)

    return db.write(op, name="cancel_appointment")


def list_appointments(db: Database, *, site: str | None = None, day: dt.date | None = None
                      ) -> list[AppointmentView]:
    with db.read() as session:
        query = select(Appointment).order_by(Appointment.day, Appointment.slot_start,
                                             Appointment.code)
        if site is not None:
            query = query.where(Appointment.site_id == site_by_code(session, site).id)
        if day is not None:
            query = query.where(Appointment.day == day)
        return [_view(session, a) for a in session.scalars(query)]


def import_csv(db: Database, path: Path) -> int:
    """Import bookings; all rows or none. A bad row is reported by its line number."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise ImportFileError(f"{path}: cannot read: {exc}") from None
    reader = csv.DictReader(io.StringIO(text))
    missing = [c for c in CSV_COLUMNS[:5] if c not in (reader.fieldnames or [])]
    if missing:
        raise ImportFileError(f"{path}: line 1: missing column(s) {', '.join(missing)}; "
                              f"expected {','.join(CSV_COLUMNS)}")
    rows = list(reader)

    def op(session: Session) -> int:
        seen: set[str] = set()
        for index, row in enumerate(rows, start=2):
            try:
                code = (row.get("code") or "").strip()
                if code in seen:
                    raise UsageError(f"duplicate code {code!r} in this file")
                seen.add(code)
                try:
                    day = dt.date.fromisoformat((row.get("date") or "").strip())
                except ValueError:
                    raise UsageError(f"date {row.get('date')!r} is not like 2026-11-25") from None
                _add(session, code=code, site=(row.get("site") or "").strip() or None,
                     service=(row.get("service") or "").strip(), day=day,
                     slot=row.get("slot") or "", name=row.get("name") or "",
                     phone=row.get("phone") or "")
            except (UsageError, NotFound) as exc:
                raise ImportFileError(f"{path}: line {index}: {exc}") from None
        return len(rows)

    return db.write(op, name="import_appointments")

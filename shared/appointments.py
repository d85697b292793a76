"""Appointments (预约): added by staff or imported from the government service platform's
CSV export; checked in at the kiosk with their code (see shared.issuing)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import logging
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from shared import i18n
from shared.db import Database, locking, server_now
from shared.errors import ImportFileError, NotFound, UsageError
from shared.hours import business_day
from shared.lookup import service_by_code, site_by_code
from shared.models import Appointment, Service, Site
from shared.privacy import mask_phone
from shared.states import AppointmentAction, AppointmentState, next_appointment_state

log = logging.getLogger(__name__)

CSV_COLUMNS = ("code", "site", "service", "date", "slot", "name", "phone")
# The columns' lengths in shared/models.py; longer values are refused, never cut.
CODE_MAX, NAME_MAX, PHONE_MAX = 32, 100, 32
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# What Excel on a Chinese Windows writes when told "CSV (逗号分隔)": GBK, which GB18030
# contains. Tried when the file is not UTF-8.
FALLBACK_ENCODING = "gb18030"
SAVE_AS_UTF8 = ("请用 Excel 打开该文件，选择“另存为”，文件类型选“CSV UTF-8（逗号分隔）”后重新导入",
                "save it as 'CSV UTF-8' and import again")  # (Chinese, English)


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
    # Masked in every view (a remote ticket's phone is only for the day's reminders).
    return AppointmentView(appt.code, site.code, service.code, appt.day, appt.slot_start,
                           appt.slot_end, appt.citizen_name, mask_phone(appt.phone), appt.state)


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


def check_fields(fields: dict[str, str]) -> None:
    """Refuse control characters and values longer than their columns, before any query.

    The message names the field, never its value: names and phone numbers are personal
    data and error lines end up in logs.
    """
    for key, value in fields.items():
        if _CONTROL.search(value):
            raise UsageError(f"{key} 含有控制字符 ({key} contains a control character such "
                             f"as NUL; remove it)")
    limits = {"code": CODE_MAX, "name": NAME_MAX, "phone": PHONE_MAX}
    for key, limit in limits.items():
        length = len(fields.get(key, ""))
        if length > limit:
            raise UsageError(f"{key} 超过 {limit} 个字符 ({key} is {length} characters long; "
                             f"at most {limit} allowed)")


def _add(session: Session, *, code: str, site: str | None, service: str, day: dt.date,
         slot: str, name: str = "", phone: str = "") -> Appointment:
    check_fields({"code": code, "site": site or "", "service": service, "slot": slot,
                  "name": name, "phone": phone})
    code = code.strip()
    if not code:
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
                       slot_start=start, slot_end=end, citizen_name=name,
                       phone=phone, state=AppointmentState.BOOKED, created_at=server_now(session))
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
        appt.state = next_appointment_state(AppointmentAction.CANCEL, appt.state, code)
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


def _read_text(path: Path) -> str:
    """The file as text: UTF-8 (with or without BOM), else GB18030/GBK."""
    try:
        data = path.read_bytes()
    except IsADirectoryError:
        raise ImportFileError(f"{path}: 是文件夹，不是 CSV 文件 "
                              f"({path}: is a folder, not a CSV file)") from None
    except OSError as exc:
        raise ImportFileError(f"{path}: 无法读取文件 "
                              f"({path}: cannot read: {exc.strerror or exc})") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as utf8_error:
        try:
            text = data.decode(FALLBACK_ENCODING)
        except UnicodeDecodeError:
            raise ImportFileError(
                f"{path}: 文件既不是 UTF-8 也不是 GBK/GB18030 编码，{SAVE_AS_UTF8[0]} "
                f"({path}: not UTF-8 (byte {utf8_error.start}) nor GB18030; "
                f"{SAVE_AS_UTF8[1]})") from None
        log.info("%s is not UTF-8; read as %s", path, FALLBACK_ENCODING)
        return text


def _records(path: Path, text: str) -> list[tuple[int, dict[str, str]]]:
    """The data rows with the line each one starts on (a quoted field may span lines)."""
    reader = csv.reader(io.StringIO(text))
    records: list[tuple[int, dict[str, str]]] = []
    header: list[str] | None = None
    line = 1
    try:
        while True:
            line = reader.line_num + 1
            try:
                row = next(reader)
            except StopIteration:
                break
            if not row:
                continue  # a blank line
            if header is None:
                header = [column.strip() for column in row]
                missing = [c for c in CSV_COLUMNS[:5] if c not in header]
                if missing:
                    raise ImportFileError(
                        f"{path}: 第 {line} 行：缺少列 {', '.join(missing)}；"
                        f"应为 {','.join(CSV_COLUMNS)} "
                        f"({path}: line {line}: missing column(s) {', '.join(missing)}; "
                        f"expected {','.join(CSV_COLUMNS)})")
                continue
            if len(row) > len(header):
                raise ImportFileError(f"{path}: 第 {line} 行：有 {len(row)} 个字段，但表头只有 "
                                      f"{len(header)} 列 ({path}: line {line}: {len(row)} "
                                      f"fields, but the header has {len(header)} columns)")
            records.append((line, dict(zip(header, row, strict=False))))
    except csv.Error as exc:
        raise ImportFileError(f"{path}: 第 {line} 行：不是有效的 CSV "
                              f"({path}: line {line}: not valid CSV: {exc})") from None
    if header is None:
        raise ImportFileError(f"{path}: 第 1 行：缺少列 {', '.join(CSV_COLUMNS[:5])}；"
                              f"应为 {','.join(CSV_COLUMNS)} ({path}: line 1: missing column(s) "
                              f"{', '.join(CSV_COLUMNS[:5])}; expected {','.join(CSV_COLUMNS)})")
    return records


def import_csv(db: Database, path: Path) -> int:
    """Import bookings; all rows or none. A bad row is reported by the line it starts on,
    never with the citizen's name or phone number.

    Every field is checked (control characters, lengths, the date) before the row is
    queried or written, the same on every backend. A date before the site's business
    day today is refused: the platform exports bookings still to come.
    """
    records = _records(path, _read_text(path))

    def op(session: Session) -> int:
        seen: set[str] = set()
        today: dict[int, dt.date] = {}
        now = server_now(session)
        for line, row in records:
            try:
                fields = {key: row.get(key) or "" for key in CSV_COLUMNS}
                check_fields(fields)
                code = fields["code"].strip()
                if code in seen:
                    raise UsageError(f"预约码 {code!r} 在本文件中重复 "
                                     f"(duplicate code {code!r} in this file)")
                seen.add(code)
                try:
                    if not DATE_RE.match(fields["date"].strip()):
                        raise ValueError(fields["date"])
                    day = dt.date.fromisoformat(fields["date"].strip())
                except ValueError:
                    raise UsageError(f"日期 {fields['date']!r} 应写成 2026-11-25 这样 "
                                     f"(date {fields['date']!r} is not like 2026-11-25)") from None
                site_row = site_by_code(session, fields["site"].strip() or None)
                if site_row.id not in today:
                    today[site_row.id] = business_day(now, site_row.timezone)
                if day < today[site_row.id]:
                    raise UsageError(f"日期 {day} 已过 (date {day} is in the past; the site's "
                                     f"business day is {today[site_row.id]})")
                _add(session, code=code, site=site_row.code, service=fields["service"].strip(),
                     day=day, slot=fields["slot"], name=fields["name"], phone=fields["phone"])
            except (UsageError, NotFound) as exc:
                raise ImportFileError(i18n.prefixed(f"{path}: 第 {line} 行：",
                                                    f"{path}: line {line}: ", str(exc))) from None
        return len(records)

    return db.write(op, name="import_appointments")

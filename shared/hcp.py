"""好差评 the way the province asks for it: cases (办件) bound to their ratings, the
records in the provincial field set, their export and their push (docs/evaluation.md).

Every rating with a level gets a record, written in the same transaction as the rating
(:func:`write_outbox`), in HallQueue's own field names (:data:`SOURCE_FIELDS`); the field
mapping (config ``[hcp.fields]``, else :data:`DEFAULT_FIELDS`) turns it into the
province's when it is exported or sent. ``hallq-admin hcp push`` posts the pending
records one by one with a bounded timeout; a failed attempt is retried with back-off
under the same record id, the idempotency key, and a sent record is never sent again.
"""

from __future__ import annotations

import csv
import datetime as dt
import http.client
import io
import json
import logging
import re
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from sqlalchemy import and_, case, func, literal, or_, select, update
from sqlalchemy.orm import Session, aliased

from shared.db import Database, server_now
from shared.errors import ConfigError, UsageError
from shared.i18n import QT_TRANSLATE_NOOP, translate
from shared.lookup import ServiceSummary, site_by_code
from shared.models import (
    Appointment,
    Clerk,
    Department,
    Evaluation,
    HcpOutbox,
    Service,
    Site,
    Ticket,
    TicketCase,
    Window,
)
from shared.states import Outcome

if TYPE_CHECKING:
    from shared.config import HcpConfig
    from shared.operation import OpContext

log = logging.getLogger(__name__)

# A case number as the government platform prints it (often as a barcode): letters,
# digits, - and _; the scanner's trailing Enter and stray spaces are dropped.
CASE_NO_RE = re.compile(r"^[A-Za-z0-9_-]{4,64}$")
CASES_MAX = 20  # cases finished in one visit
# The outcomes for which a service marked ``case_number_required`` needs a case number.
CASE_OUTCOMES = frozenset({Outcome.COMPLETED.value, Outcome.ACCEPTED.value})
OUTCOME_NAMES = {Outcome.COMPLETED.value: "办结", Outcome.ACCEPTED.value: "受理",
                 Outcome.MATERIALS_MISSING.value: "材料不全",
                 Outcome.CONSULTATION.value: "咨询"}

# HallQueue's names for what a record holds (the mapping's sources).
SOURCE_FIELDS = (
    "record_id", "channel", "case_no", "case_name", "item_code", "service_code",
    "service_name", "service_version", "department_name", "department_code", "region_code",
    "handle_state", "outcome", "level", "level_label", "evaluate_time", "content",
    "clerk_login", "clerk_name", "clerk_info", "window", "site", "ticket",
    "applicant_name", "applicant_phone", "applicant_card", "version",
)
# The published interface of provincial 好差评 systems (docs/evaluation.md).
DEFAULT_FIELDS: dict[str, str] = {
    "evaluateChannel": "channel",
    "projNo": "case_no",
    "projName": "case_name",
    "serviceCode": "item_code",
    "serviceName": "service_name",
    "serviceVersion": "service_version",
    "serviceDepartment": "department_name",
    "serviceDepartmentCode": "department_code",
    "regionCode": "region_code",
    "handleState": "handle_state",
    "evaluateLevel": "level",
    "evaluateTime": "evaluate_time",
    "evaluateContent": "content",
    "evaluatedPersonInfo": "clerk_info",
    "applicantName": "applicant_name",
    "applicantPhone": "applicant_phone",
    "applicantCardNumber": "applicant_card",
    "version": "=1.0",
}
CHANNEL_PAD = "PJQ"  # 评价器: the pad at the window
RECORD_VERSION = 1
ERROR_MAX = 300
# How long a push run holds a record it is sending before another run may take it.
CLAIM_MARGIN_SECONDS = 30


# --------------------------------------------------------------------------- cases


def check_case_numbers(cases: Sequence[str]) -> tuple[str, ...]:
    """The case numbers as stored: stripped, in order, each once; raises UsageError."""
    result: list[str] = []
    for raw in cases:
        number = raw.strip()
        if not number:
            continue
        if not CASE_NO_RE.match(number):
            raise UsageError(f"办件编号 {raw!r} 格式不对：须为 4-64 位字母、数字、- 或 _ "
                             f"(case number {raw!r} must be 4-64 letters, "
                             f"digits, - or _)")
        if number not in result:
            result.append(number)
    if len(result) > CASES_MAX:
        raise UsageError(f"一次最多登记 {CASES_MAX} 个办件 (at most {CASES_MAX} case numbers "
                         f"per ticket, got {len(result)})")
    return tuple(result)


def record_cases(ctx: OpContext, ticket: Ticket, win: Window | None, clerk_id: int | None,
                 outcome: Outcome, cases: Sequence[str],
                 service: Service | ServiceSummary | None = None) -> None:
    """Part of finishing a ticket: store its cases; a service that requires a case number
    refuses 办结 and 受理 without one. ``service``: the ticket's, when the caller holds it."""
    if service is None or service.id != ticket.service_id:
        service = ctx.session.get(Service, ticket.service_id)
    assert service is not None
    if service.case_required and outcome.value in CASE_OUTCOMES and not cases:
        raise UsageError(f"{service.name} 办结或受理须登记办件编号 (service {service.code} "
                         f"needs a case number for the outcome {outcome.value})")
    for number in cases:
        ctx.session.add(TicketCase(
            ticket_id=ticket.id, site_id=ticket.site_id, case_no=number,
            service_id=service.id, item_code=service.item_code,
            window_id=win.id if win is not None else ticket.window_id,
            clerk_id=clerk_id if clerk_id is not None else ticket.clerk_id,
            outcome=outcome.value, at=ctx.now))


def case_required(db: Database, service_code: str) -> bool:
    """Whether the service needs a case number for 办结 and 受理."""
    with db.read() as session:
        return bool(session.scalar(select(Service.case_required)
                                   .where(Service.code == service_code)))


def ticket_cases(db: Database, ticket_id: int) -> list[str]:
    """The case numbers a ticket was finished with, in the order given."""
    with db.read() as session:
        return list(session.scalars(select(TicketCase.case_no)
                                    .where(TicketCase.ticket_id == ticket_id)
                                    .order_by(TicketCase.id)))


# --------------------------------------------------------------------------- records


def _record_query(*, citizen: bool = True) -> Any:
    """One row per rating with everything a record holds (left joins: a rating may have
    no case, no window, no clerk, no appointment). ``citizen=False``: without the
    booking's name and phone, which a counter's database login may not read (the push,
    run by the administrator, adds them: :func:`_with_citizen`)."""
    case_service = aliased(Service)
    citizen_columns = (
        (Appointment.citizen_name, Appointment.phone.label("appointment_phone")) if citizen
        else (literal("").label("citizen_name"), literal("").label("appointment_phone")))
    query = (
        select(Evaluation.id, Evaluation.level, Evaluation.comment, Evaluation.contact_phone,
               Evaluation.at, Evaluation.item_code, TicketCase.case_no,
               TicketCase.outcome.label("case_outcome"), TicketCase.item_code.label("case_item"),
               Ticket.number, Ticket.outcome, Ticket.business_day,
               func.coalesce(case_service.name, Service.name).label("service_name"),
               func.coalesce(case_service.code, Service.code).label("service_code"),
               func.coalesce(case_service.item_code, Service.item_code).label("live_item"),
               func.coalesce(case_service.item_version, Service.item_version)
               .label("item_version"),
               Department.name.label("department_name"), Department.department_code,
               Site.code.label("site_code"), Site.region_code, Site.timezone,
               Window.number.label("window"), Clerk.login, Clerk.display_name,
               *citizen_columns, HcpOutbox.record_id)
        .join(Ticket, Ticket.id == Evaluation.ticket_id)
        .join(Site, Site.id == Evaluation.site_id)
        .outerjoin(TicketCase, TicketCase.id == Evaluation.case_id)
        .outerjoin(case_service, case_service.id == TicketCase.service_id)
        .join(Service, Service.id == func.coalesce(Evaluation.service_id, Ticket.service_id))
        .join(Department, Department.id == func.coalesce(case_service.department_id,
                                                         Service.department_id))
        .outerjoin(Window, Window.id == Evaluation.window_id)
        .outerjoin(Clerk, Clerk.id == Evaluation.clerk_id)
        .outerjoin(HcpOutbox, HcpOutbox.evaluation_id == Evaluation.id)
        .where(Evaluation.level.is_not(None))
    )
    if citizen:
        query = query.outerjoin(Appointment, Appointment.ticket_id == Ticket.id)
    return query


def _source(row: Any) -> dict[str, Any]:
    """A record in HallQueue's field names (:data:`SOURCE_FIELDS`)."""
    from shared.evaluations import LEVELS

    outcome = row.case_outcome or row.outcome or ""
    local = row.at.astimezone(ZoneInfo(row.timezone))
    clerk_info = f"{row.login}({row.display_name})" if row.login else ""
    return {
        "record_id": row.record_id or f"{row.site_code}-E{row.id}",
        "channel": CHANNEL_PAD,
        "case_no": row.case_no or "",
        "case_name": row.service_name,
        "item_code": row.case_item or row.item_code or row.live_item or "",
        "service_code": row.service_code,
        "service_name": row.service_name,
        "service_version": row.item_version or "",
        "department_name": row.department_name,
        "department_code": row.department_code or "",
        "region_code": row.region_code or "",
        "handle_state": OUTCOME_NAMES.get(outcome, outcome),
        "outcome": outcome,
        # HallQueue stores 1 best .. 5 worst; the provinces count 5 非常满意 .. 1 非常不满意.
        "level": 6 - row.level,
        "level_label": LEVELS[row.level],
        "evaluate_time": local.strftime("%Y-%m-%d %H:%M:%S"),
        "content": row.comment or "",
        "clerk_login": row.login or "",
        "clerk_name": row.display_name or "",
        "clerk_info": clerk_info,
        "window": row.window,
        "site": row.site_code,
        "ticket": row.number,
        # Only what the citizen gave: the phone left on the pad, else the booking's.
        "applicant_name": row.citizen_name or "",
        "applicant_phone": row.contact_phone or row.appointment_phone or "",
        "applicant_card": "",  # HallQueue never asks for the ID card number
        "version": RECORD_VERSION,
    }


def write_outbox(session: Session, evaluation: Evaluation, now: dt.datetime) -> None:
    """Part of recording a rating: its record, pending, in the same transaction."""
    if evaluation.level is None:
        return  # not rated: nothing for the province
    row = session.execute(_record_query(citizen=False)
                          .where(Evaluation.id == evaluation.id)).one()
    record_id = uuid.uuid4().hex
    payload = {**_source(row), "record_id": record_id}
    session.add(HcpOutbox(record_id=record_id, evaluation_id=evaluation.id,
                          site_id=evaluation.site_id, payload=payload, state="pending",
                          attempts=0, next_attempt_at=now, last_error="", created_at=now))


def refresh_outbox(session: Session, evaluation: Evaluation) -> None:
    """The reasons and the phone given after the rating go with a record not yet sent."""
    outbox = session.scalar(select(HcpOutbox).where(HcpOutbox.evaluation_id == evaluation.id,
                                                    HcpOutbox.state == "pending"))
    if outbox is None:
        return
    payload = dict(outbox.payload)
    payload["content"] = evaluation.comment
    if evaluation.contact_phone:
        payload["applicant_phone"] = evaluation.contact_phone
    outbox.payload = payload


PERSONAL_FIELDS = ("applicant_name", "applicant_phone", "applicant_card", "content")


def scrub_outbox(session: Session, cutoff: dt.datetime) -> int:
    """Part of ``privacy purge``: the citizen's details and words leave the records
    written before ``cutoff`` (the rest, rating included, stays); returns how many."""
    scrubbed = 0
    rows = session.scalars(select(HcpOutbox).where(HcpOutbox.created_at < cutoff)).all()
    for row in rows:
        if any(row.payload.get(name) for name in PERSONAL_FIELDS):
            row.payload = {**row.payload, **dict.fromkeys(PERSONAL_FIELDS, "")}
            scrubbed += 1
    return scrubbed


# --------------------------------------------------------------------------- mapping


@dataclass(frozen=True)
class FieldMapping:
    fields: dict[str, str]
    values: dict[str, dict[str, str]]

    def apply(self, source: dict[str, Any]) -> dict[str, Any]:
        """The record in the province's field names; a field whose value is empty is
        left out (the applicant's details only when the citizen gave them)."""
        result: dict[str, Any] = {}
        for name, origin in self.fields.items():
            value = origin[1:] if origin.startswith("=") else source.get(origin)
            if value is None or value == "":
                continue
            table = self.values.get(name)
            if table is not None and str(value) in table:
                value = table[str(value)]
            result[name] = value
        return result


def field_mapping(config: HcpConfig | None) -> FieldMapping:
    """The mapping of the config (``[hcp.fields]``, ``[hcp.values.FIELD]``), validated;
    the default without one. Raises ConfigError naming the key."""
    fields = dict(config.fields) if config is not None and config.fields else DEFAULT_FIELDS
    for name, origin in fields.items():
        if not isinstance(origin, str) or not origin:
            raise ConfigError(f"hcp.fields.{name}: 须为 HallQueue 的字段名或 \"=固定值\"，"
                              f"现为 {origin!r} (hcp.fields.{name}: must be a HallQueue field "
                              f"name or \"=literal\", got {origin!r})")
        if not origin.startswith("=") and origin not in SOURCE_FIELDS:
            raise ConfigError(f"hcp.fields.{name}: {origin!r} 不是 HallQueue 的字段；"
                              f"可用：{', '.join(SOURCE_FIELDS)}（或 \"=固定值\"） "
                              f"(hcp.fields.{name}: {origin!r} is not a HallQueue field; "
                              f"known: {', '.join(SOURCE_FIELDS)} or \"=literal\")")
    values: dict[str, dict[str, str]] = {}
    for name, table in (config.values if config is not None else {}).items():
        if name not in fields:
            raise ConfigError(f"hcp.values.{name}: hcp.fields 中没有这个字段 "
                              f"(hcp.values.{name}: no such field in hcp.fields)")
        if not isinstance(table, dict) or not all(isinstance(v, (str, int))
                                                  for v in table.values()):
            raise ConfigError(f"hcp.values.{name}: 须为取值表，如 [hcp.values.{name}] "
                              f"\"办结\" = \"2\" (hcp.values.{name}: must be a table of "
                              f"values, like [hcp.values.{name}] \"办结\" = \"2\")")
        values[name] = {str(k): v for k, v in table.items()}
    return FieldMapping(fields, values)


# --------------------------------------------------------------------------- export


def export_records(db: Database, first_day: dt.date, last_day: dt.date, *,
                   site: str | None = None) -> list[dict[str, Any]]:
    """The ratings of the business days ``first_day`` .. ``last_day`` (included), as
    source records, in the order they were given."""
    if last_day < first_day:
        raise UsageError(f"结束日期早于开始日期 (--to {last_day} is before --from {first_day})")
    with db.read() as session:
        query = (_record_query()
                 .where(Ticket.business_day >= first_day, Ticket.business_day <= last_day)
                 .order_by(Evaluation.at, Evaluation.id))
        if site is not None:
            query = query.where(Evaluation.site_id == site_by_code(session, site).id)
        return [_source(row) for row in session.execute(query)]


# The codes the province assigns, each kept in the catalog (docs/catalog.md), and what a
# record names the catalog entry by: the site's code, the department's name, the service.
CODE_FIELDS = {"region_code": ("site",), "department_code": ("department_name",),
               "item_code": ("service_code", "service_name")}


@dataclass(frozen=True)
class MissingCode:
    """A provincial code the catalog lacks: which field, for which catalog entry, and how
    many exported records therefore leave it empty."""

    field: str  # region_code, department_code or item_code
    owner: str  # the site code, the department's name or "service code name"
    records: int


def missing_codes(records: list[dict[str, Any]], mapping: FieldMapping) -> list[MissingCode]:
    """The codes the mapped records need and lack, per field and catalog entry, in
    CODE_FIELDS order then by entry (a code the template does not send is not needed)."""
    used = set(mapping.fields.values())
    counts: dict[tuple[str, str], int] = {}
    for record in records:
        for name, owner_fields in CODE_FIELDS.items():
            if name in used and not record.get(name):
                owner = " ".join(str(record.get(f) or "") for f in owner_fields).strip()
                counts[(name, owner)] = counts.get((name, owner), 0) + 1
    order = list(CODE_FIELDS)
    return [MissingCode(name, owner, n) for (name, owner), n in
            sorted(counts.items(), key=lambda item: (order.index(item[0][0]), item[0][1]))]


def render(records: list[dict[str, Any]], mapping: FieldMapping, fmt: str) -> str:
    """The mapped records as a JSON array or as CSV (one column per mapped field, UTF-8
    with a byte order mark so that Excel reads the Chinese)."""
    mapped = [mapping.apply(r) for r in records]
    if fmt == "json":
        return json.dumps(mapped, ensure_ascii=False, indent=1) + "\n"
    if fmt != "csv":
        raise UsageError(f"格式无效 (format {fmt!r}: json or csv)")
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(mapping.fields), lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(mapped)
    return "\ufeff" + out.getvalue()


# --------------------------------------------------------------------------- push


@dataclass(frozen=True)
class Attempt:
    """What one POST of one record came to."""

    sent: bool
    retry: bool  # False with sent False: refused by the province, not retried
    error: str = ""


@dataclass
class PushReport:
    sent: int = 0
    retrying: int = 0
    refused: int = 0

    def as_dict(self) -> dict[str, int]:
        return {"sent": self.sent, "retrying": self.retrying, "refused": self.refused}


def post_record(url: str, body: dict[str, Any], record_id: str, *, timeout: float,
                token: str = "") -> Attempt:
    """POST one record. 2xx (and 409: the province has it already) is sent; other 4xx is
    a refusal; 5xx, a timeout, a refused or dropped connection are retried."""
    data = json.dumps(body, ensure_ascii=False).encode("utf-8")
    headers = {"Content-Type": "application/json; charset=utf-8",
               "Idempotency-Key": record_id}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    request = urllib.request.Request(url, data=data, headers=headers, method="POST")
    try:
        # ``timeout`` bounds the connection and every wait for the server's bytes.
        with urllib.request.urlopen(request, timeout=timeout) as response:
            response.read(65536)
            return Attempt(True, False)
    except urllib.error.HTTPError as exc:
        detail = _snippet(exc)
        if exc.code == 409:
            return Attempt(True, False, f"HTTP 409 (already received) {detail}")
        if 400 <= exc.code < 500 and exc.code not in (408, 429):
            return Attempt(False, False, f"HTTP {exc.code} refused: {detail}")
        return Attempt(False, True, f"HTTP {exc.code}: {detail}")
    except TimeoutError:
        return Attempt(False, True, f"no answer within {timeout:g} s")
    except urllib.error.URLError as exc:
        reason = exc.reason
        if isinstance(reason, TimeoutError):
            return Attempt(False, True, f"no answer within {timeout:g} s")
        return Attempt(False, True, f"cannot connect: {reason}")
    except (http.client.HTTPException, ConnectionError, OSError) as exc:
        return Attempt(False, True, f"connection lost: {type(exc).__name__}: {exc}")


# A failed attempt is stored (``last_error``) as post_record words it: English detail for
# the log, ``--json`` and IT. People read what kind of failure it was, in their language
# (hallq-admin hcp status, the supervisor's live view): each pattern matches the start of
# one of post_record's texts above.
ERROR_CONTEXT = "HcpError"
_ERROR_WORDS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"HTTP (?P<code>\d+) refused"),
     QT_TRANSLATE_NOOP("HcpError", "省级系统拒收（HTTP {code}），不再自动重试")),
    (re.compile(r"HTTP (?P<code>\d+)"),
     QT_TRANSLATE_NOOP("HcpError", "省级系统出错（HTTP {code}），将自动重试")),
    (re.compile(r"no answer within (?P<seconds>[\d.]+) s"),
     QT_TRANSLATE_NOOP("HcpError", "省级系统 {seconds} 秒内未应答，将自动重试")),
    (re.compile(r"cannot connect"),
     QT_TRANSLATE_NOOP("HcpError", "连接不上省级系统，将自动重试")),
    (re.compile(r"connection lost"),
     QT_TRANSLATE_NOOP("HcpError", "与省级系统的连接中断，将自动重试")),
)
_OTHER_ERROR = QT_TRANSLATE_NOOP("HcpError", "上报失败（详见日志）")


def error_words(last_error: str) -> str:
    """A stored attempt error (``last_error``) as people read it, in the current language
    (shared/i18n.py); "" for none."""
    if not last_error:
        return ""
    for pattern, words in _ERROR_WORDS:
        found = pattern.match(last_error)
        if found:
            return translate(ERROR_CONTEXT, words).format(**found.groupdict())
    return translate(ERROR_CONTEXT, _OTHER_ERROR)


def _snippet(exc: urllib.error.HTTPError) -> str:
    try:
        text = exc.read(200).decode("utf-8", "replace")
    except Exception:  # the error body is only a hint
        text = ""
    return " ".join(text.split())[:150]


def backoff_seconds(attempts: int, base: int, maximum: int) -> int:
    """The wait after the ``attempts``-th failure: base, 2 base, 4 base ... at most max."""
    return min(maximum, base * 2 ** min(attempts - 1, 30))


def push_once(db: Database, config: HcpConfig, *, site: str | None = None,
              post: Callable[..., Attempt] = post_record) -> PushReport:
    """One round: send the due pending records (oldest first, at most ``config.batch``)."""
    if not config.url:
        raise ConfigError("hcp.url: 未配置省级好差评系统地址 (no provincial endpoint configured: "
                          "set url in the [hcp] table of the config file)")
    mapping = field_mapping(config)
    report = PushReport()
    lease = dt.timedelta(seconds=config.timeout_seconds + CLAIM_MARGIN_SECONDS)
    with db.read() as session:
        site_id = site_by_code(session, site).id if site is not None else None
    for outbox_id in _due(db, config, site_id):
        claimed = _claim(db, outbox_id, lease)
        if claimed is None:
            continue  # another push run took it
        record_id, payload, attempts = claimed
        attempt = post(config.url, mapping.apply(payload), record_id,
                       timeout=config.timeout_seconds, token=config.token)
        _settle(db, outbox_id, attempt, attempts + 1, config)
        if attempt.sent:
            report.sent += 1
        elif attempt.retry:
            report.retrying += 1
            log.warning("hcp record %s not sent (attempt %d): %s", record_id, attempts + 1,
                        attempt.error)
        else:
            report.refused += 1
            log.warning("hcp record %s refused: %s", record_id, attempt.error)
    return report


def _due(db: Database, config: HcpConfig, site_id: int | None) -> list[int]:
    with db.read() as session:
        now = server_now(session)
        settled = now - dt.timedelta(seconds=config.settle_seconds)
        query = (select(HcpOutbox.id)
                 .where(HcpOutbox.state == "pending", HcpOutbox.next_attempt_at <= now,
                        HcpOutbox.created_at <= settled)
                 .order_by(HcpOutbox.id).limit(config.batch))
        if site_id is not None:
            query = query.where(HcpOutbox.site_id == site_id)
        return list(session.scalars(query))


def _with_citizen(session: Session, evaluation_id: int, payload: dict[str, Any]
                  ) -> dict[str, Any]:
    """The booking's name and phone added to a record written by a counter."""
    booked = session.execute(
        select(Appointment.citizen_name, Appointment.phone)
        .join(Evaluation, Evaluation.ticket_id == Appointment.ticket_id)
        .where(Evaluation.id == evaluation_id).limit(1)).first()
    if booked is not None:
        payload["applicant_name"] = payload.get("applicant_name") or booked.citizen_name or ""
        payload["applicant_phone"] = payload.get("applicant_phone") or booked.phone or ""
    return payload


def _claim(db: Database, outbox_id: int, lease: dt.timedelta
           ) -> tuple[str, dict[str, Any], int] | None:
    """Take a record for one attempt: its next attempt moves past the attempt's end, so
    a second push run does not send it meanwhile."""

    def op(session: Session) -> tuple[str, dict[str, Any], int] | None:
        now = server_now(session)
        taken = session.execute(
            update(HcpOutbox)
            .where(HcpOutbox.id == outbox_id, HcpOutbox.state == "pending",
                   HcpOutbox.next_attempt_at <= now)
            .values(next_attempt_at=now + lease)
            .execution_options(synchronize_session=False))
        if not taken.rowcount:  # type: ignore[attr-defined]
            return None
        row = session.execute(select(HcpOutbox.record_id, HcpOutbox.payload,
                                     HcpOutbox.attempts, HcpOutbox.evaluation_id)
                              .where(HcpOutbox.id == outbox_id)).one()
        return row.record_id, _with_citizen(session, row.evaluation_id, dict(row.payload)), \
            row.attempts

    return db.write(op, name="hcp_claim")


def _settle(db: Database, outbox_id: int, attempt: Attempt, attempts: int,
            config: HcpConfig) -> None:
    def op(session: Session) -> None:
        now = server_now(session)
        values: dict[str, Any] = {"attempts": attempts, "last_error": attempt.error[:ERROR_MAX]}
        if attempt.sent:
            values.update(state="sent", sent_at=now)
        elif attempt.retry:
            wait = backoff_seconds(attempts, config.retry_base_seconds,
                                   config.retry_max_seconds)
            values.update(next_attempt_at=now + dt.timedelta(seconds=wait))
        else:
            values.update(state="refused")
        session.execute(update(HcpOutbox).where(HcpOutbox.id == outbox_id).values(**values)
                        .execution_options(synchronize_session=False))

    db.write(op, name="hcp_settle")


def retry_refused(db: Database, *, site: str | None = None) -> int:
    """Queue the refused records again (after the mapping or the catalog was fixed)."""

    def op(session: Session) -> int:
        query = update(HcpOutbox).where(HcpOutbox.state == "refused")
        if site is not None:
            query = query.where(HcpOutbox.site_id == site_by_code(session, site).id)
        result = session.execute(query.values(state="pending",
                                              next_attempt_at=server_now(session))
                                 .execution_options(synchronize_session=False))
        return int(result.rowcount)  # type: ignore[attr-defined]

    return db.write(op, name="hcp_retry_refused")


# --------------------------------------------------------------------------- status


@dataclass(frozen=True)
class OutboxStatus:
    pending: int  # not sent yet (failing ones included)
    failing: int  # pending after at least one failed attempt
    refused: int
    sent: int
    oldest_pending: dt.datetime | None
    last_error: str

    def as_dict(self) -> dict[str, Any]:
        return {"pending": self.pending, "failing": self.failing, "refused": self.refused,
                "sent": self.sent,
                "oldest_pending": self.oldest_pending.isoformat() if self.oldest_pending
                else None, "last_error": self.last_error}


def outbox_status(db: Database, *, site: str | None = None) -> OutboxStatus:
    """What the push has left to do, counted in SQL."""
    with db.read() as session:
        where = []
        if site is not None:
            where.append(HcpOutbox.site_id == site_by_code(session, site).id)
        pending = HcpOutbox.state == "pending"
        failing = and_(pending, HcpOutbox.attempts > 0)

        def count(condition: Any) -> Any:
            return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)

        counts = session.execute(
            select(count(pending), count(failing), count(HcpOutbox.state == "refused"),
                   count(HcpOutbox.state == "sent")).where(*where)).one()
        oldest = session.scalar(select(func.min(HcpOutbox.created_at)).where(*where, pending))
        last_error = session.scalar(
            select(HcpOutbox.last_error)
            .where(*where, or_(failing, HcpOutbox.state == "refused"))
            .order_by(HcpOutbox.next_attempt_at.desc(), HcpOutbox.id.desc()).limit(1)) or ""
    if isinstance(oldest, str):  # SQLite's MIN() loses the column's type
        oldest = dt.datetime.fromisoformat(oldest)
    if oldest is not None and oldest.tzinfo is None:
        oldest = oldest.replace(tzinfo=dt.UTC)
    return OutboxStatus(int(counts[0]), int(counts[1]), int(counts[2]), int(counts[3]),
                        oldest, last_error)

"""The database model: sites, departments, services, windows, clerks, tickets and their
history, evaluations and appointments.

Enumerations are stored as short strings (portable across SQLite, PostgreSQL and MariaDB)
and validated through the enums in :mod:`shared.states`. Every timestamp is UTC from the
database server's clock (see :func:`shared.db.server_now`).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
    false,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from shared.states import AppointmentState
from shared.timestamps import UTCDateTime

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {  # noqa: RUF012 - SQLAlchemy reads this class attribute
        dt.datetime: UTCDateTime(), dict[str, Any]: JSON, list[Any]: JSON}


class Site(Base):
    """A hall: the county center or a township station (就近跑一次), each with its queue."""

    __tablename__ = "site"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    timezone: Mapped[str] = mapped_column(String(64), default="Asia/Shanghai")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # Calendar and rules, as loaded from the catalog; see shared.hours and shared.routing.
    calendar: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    routing: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # The catalog's [sites.web] table (the public web base URL); see shared.web.
    web: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    # The 12-digit administrative division code (行政区划代码) the provincial 好差评
    # system knows the hall by; "" until the catalog gives it (migration 0013).
    region_code: Mapped[str] = mapped_column(String(12), default="", server_default="")


class SiteState(Base):
    """Per-site change marker and the business day the site's queue currently belongs to.

    ``version`` is bumped by every write operation (right after its commit on a server,
    as its last statement on SQLite: see :mod:`shared.feed`): SQLite and MariaDB
    terminals poll it; PostgreSQL terminals also get a NOTIFY.
    """

    __tablename__ = "site_state"
    site_id: Mapped[int] = mapped_column(ForeignKey("site.id"), primary_key=True)
    version: Mapped[int] = mapped_column(BigInteger, default=0)
    open_day: Mapped[dt.date | None] = mapped_column(Date, nullable=True)


class WebSecret(Base):
    """The key that signs the ticket links printed in QR codes (shared.web.tokens)."""

    __tablename__ = "web_secret"
    id: Mapped[int] = mapped_column(primary_key=True)
    secret: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime]


class Notification(Base):
    """The outbox of SMS / WeChat reminders (快到了, 请到 N 号窗口) to citizens who left a
    phone number (shared.web.notify); a sender delivers them through the hall's gateway.
    ``recipient`` is blanked to its mask once the message is delivered or given up."""

    __tablename__ = "notification"
    __table_args__ = (UniqueConstraint("ticket_id", "kind"),
                      Index("ix_notification_state_next", "state", "next_attempt_at"))
    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("site.id"))
    ticket_id: Mapped[int] = mapped_column(ForeignKey("ticket.id"))
    kind: Mapped[str] = mapped_column(String(16))  # near / called
    recipient: Mapped[str] = mapped_column(String(32))
    body: Mapped[str] = mapped_column(String(200))
    state: Mapped[str] = mapped_column(String(16), default="pending")  # sent / failed
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[dt.datetime]
    created_at: Mapped[dt.datetime]
    sent_at: Mapped[dt.datetime | None] = mapped_column(nullable=True)
    last_error: Mapped[str] = mapped_column(String(200), default="")


class Department(Base):
    __tablename__ = "department"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    sort_order: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # The department's code on the provincial platform (统一社会信用代码 or 组织机构代码).
    department_code: Mapped[str] = mapped_column(String(32), default="", server_default="")
    services: Mapped[list[Service]] = relationship(back_populates="department")


class Service(Base):
    """A group of service items (事项) citizens queue for, with its guide (办事指南)."""

    __tablename__ = "service"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    department_id: Mapped[int] = mapped_column(ForeignKey("department.id"))
    prefix: Mapped[str] = mapped_column(String(2))
    # {"mon": ["08:30-12:00", ...], ...}: overrides the site hours; weekend/holiday flags.
    hours: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    weekend: Mapped[bool] = mapped_column(Boolean, default=False)
    holiday: Mapped[bool] = mapped_column(Boolean, default=False)
    daily_quota: Mapped[int | None] = mapped_column(Integer, nullable=True)
    target_minutes: Mapped[int] = mapped_column(Integer, default=15)
    materials: Mapped[list[Any]] = mapped_column(JSON, default=list)
    guide: Mapped[str] = mapped_column(Text, default="")
    sort_order: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # The service item's code (事项编码) and version on the provincial platform, and
    # whether a case number (办件编号) must be given when a case ends 办结 or 受理.
    item_code: Mapped[str] = mapped_column(String(64), default="", server_default="")
    item_version: Mapped[str] = mapped_column(String(16), default="", server_default="")
    case_required: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    department: Mapped[Department] = relationship(back_populates="services")


class Window(Base):
    """A counter window (窗口); a comprehensive window (综合窗口) serves many services."""

    __tablename__ = "window"
    __table_args__ = (UniqueConstraint("site_id", "number"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("site.id"))
    number: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(100))
    comprehensive: Mapped[bool] = mapped_column(Boolean, default=False)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    paused: Mapped[bool] = mapped_column(Boolean, default=False)
    pause_reason: Mapped[str | None] = mapped_column(String(200), nullable=True)
    paused_at: Mapped[dt.datetime | None] = mapped_column(nullable=True)
    # The one ticket the window holds (called or serving), if any.
    current_ticket_id: Mapped[int | None] = mapped_column(
        ForeignKey("ticket.id", use_alter=True), nullable=True, unique=True
    )
    # Clerk presence is a lease the counter renews; an expired lease frees the window.
    clerk_id: Mapped[int | None] = mapped_column(ForeignKey("clerk.id"), nullable=True)
    lease_expires_at: Mapped[dt.datetime | None] = mapped_column(nullable=True)
    services: Mapped[list[WindowService]] = relationship(
        back_populates="window", cascade="all, delete-orphan"
    )


class WindowService(Base):
    """A service a window serves, with its weight in the call-next interleave.

    ``credit`` is the smooth weighted round-robin state (see shared.routing).
    """

    __tablename__ = "window_service"
    window_id: Mapped[int] = mapped_column(ForeignKey("window.id"), primary_key=True)
    service_id: Mapped[int] = mapped_column(ForeignKey("service.id"), primary_key=True)
    weight: Mapped[int] = mapped_column(Integer, default=1)
    credit: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    window: Mapped[Window] = relationship(back_populates="services")
    service: Mapped[Service] = relationship()


class Clerk(Base):
    __tablename__ = "clerk"
    id: Mapped[int] = mapped_column(primary_key=True)
    login: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(100))
    role: Mapped[str] = mapped_column(String(16), default="clerk")
    # Deferred and never loaded by accident: the counter and supervisor logins may not
    # read it (their passwords are checked in the server, migration 0016); only code
    # that names it (the SQLite path of shared.clerks) reads it.
    password_hash: Mapped[str] = mapped_column(String(255), default="", deferred=True,
                                               deferred_raiseload=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[dt.datetime | None] = mapped_column(nullable=True)


class ClerkSecret(Base):
    """The per-database key of the fake salts the login routine answers for unknown and
    disabled logins (migration 0016): read and written by the database owner's routines
    only, granted to no terminal."""

    __tablename__ = "clerk_secret"
    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    secret: Mapped[str] = mapped_column(String(64))


class LoginRecord(Base):
    __tablename__ = "login_record"
    id: Mapped[int] = mapped_column(primary_key=True)
    login: Mapped[str] = mapped_column(String(64), index=True)
    window_id: Mapped[int | None] = mapped_column(ForeignKey("window.id"), nullable=True)
    at: Mapped[dt.datetime]
    success: Mapped[bool] = mapped_column(Boolean)
    detail: Mapped[str] = mapped_column(String(200), default="")


class ClerkAttempt(Base):
    """One check of a clerk's password by the server (migration 0018): its ``login_record``
    row (written as a failure, turned into a success when the match is collected) and the
    outcome, which only the owner's routines read (granted to no terminal). ``xact`` is the
    PostgreSQL transaction that checked: the outcome is answered only once it committed,
    so no check can be rolled back off the record."""

    __tablename__ = "clerk_attempt"
    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"),
                                    primary_key=True)
    record_id: Mapped[int] = mapped_column(ForeignKey("login_record.id"))
    xact: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    clerk_id: Mapped[int | None] = mapped_column(ForeignKey("clerk.id"), nullable=True)


class DayCounter(Base):
    """Per site, business day and key: the last sequence given out.

    Key is a ticket prefix (for numbers like A017) or ``*`` (the site-wide issue order that
    queue positions derive from). Incremented with one atomic UPDATE.
    """

    __tablename__ = "day_counter"
    site_id: Mapped[int] = mapped_column(ForeignKey("site.id"), primary_key=True)
    business_day: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    key: Mapped[str] = mapped_column(String(4), primary_key=True)
    last: Mapped[int] = mapped_column(Integer, default=0)


class RequestKey(Base):
    """An idempotency key: one caller's intent (a tap on 取号, a press of 叫号, a script's
    ``--request-id``) and the result its operation returned, written in the operation's
    own transaction, so a retry after a lost answer gets that result instead of a second
    ticket (see :mod:`shared.request_keys`). Kept for the business day and the next."""

    __tablename__ = "request_key"
    __table_args__ = (Index("ix_request_key_site_day", "site_id", "business_day"),)
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("site.id"))
    business_day: Mapped[dt.date] = mapped_column(Date)
    operation: Mapped[str] = mapped_column(String(32))
    # sha256 of the operation and its arguments: the same key with other ones is refused.
    fingerprint: Mapped[str] = mapped_column(String(64))
    result: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[dt.datetime]


class TerminalHeartbeat(Base):
    """A terminal's last sign of life (device health): each kiosk, counter, display and
    supervisor PC writes its row every few seconds with its printer and sound state, so
    the supervisor sees a terminal that went silent or a printer out of paper. Not part of
    the change feed: heartbeats must not wake every screen of the hall."""

    __tablename__ = "terminal_heartbeat"
    __table_args__ = (UniqueConstraint("kind", "name"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))  # kiosk, counter, display, supervisor
    name: Mapped[str] = mapped_column(String(100))  # the PC's name for it, e.g. "KIOSK-1"
    site_id: Mapped[int | None] = mapped_column(ForeignKey("site.id"))
    host: Mapped[str] = mapped_column(String(100))
    version: Mapped[str] = mapped_column(String(32))  # the HallQueue version it runs
    schema_revision: Mapped[str] = mapped_column(String(16))  # the schema that version needs
    printer: Mapped[str | None] = mapped_column(String(16))  # PRINTER_STATES; None: none
    audio: Mapped[str | None] = mapped_column(String(16))  # ok, none; None: not used
    last_error: Mapped[str | None] = mapped_column(String(300))
    started_at: Mapped[dt.datetime]
    seen_at: Mapped[dt.datetime]


class Appointment(Base):
    """A booking (预约), typically imported from the government service platform."""

    __tablename__ = "appointment"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("site.id"))
    service_id: Mapped[int] = mapped_column(ForeignKey("service.id"))
    day: Mapped[dt.date] = mapped_column(Date)
    slot_start: Mapped[str] = mapped_column(String(5))  # "HH:MM", site-local
    slot_end: Mapped[str] = mapped_column(String(5))
    citizen_name: Mapped[str] = mapped_column(String(100), default="")
    phone: Mapped[str] = mapped_column(String(32), default="")
    state: Mapped[str] = mapped_column(String(16), default=AppointmentState.BOOKED.value)
    ticket_id: Mapped[int | None] = mapped_column(ForeignKey("ticket.id"), nullable=True)
    created_at: Mapped[dt.datetime]
    # 远程取号: taken on the hall's web page for today; checked in at the kiosk with its
    # code, it becomes an ordinary ticket at the end of the queue (shared.web.remote).
    remote: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())


# The tickets outside the services' plain queues, as SQL over the ticket's own columns:
# every class but "normal" (green channel, appointments, transfers) and any ticket
# handed to one window (shared.routing).
SPECIAL_TICKETS = "kind <> 'normal' OR transferred OR target_window_id IS NOT NULL"


class Ticket(Base):
    __tablename__ = "ticket"
    __table_args__ = (
        UniqueConstraint("site_id", "business_day", "prefix", "seq"),
        # The claim reads (queue position, id) order from it and stops at the first ticket.
        Index("ix_ticket_queue", "site_id", "business_day", "state", "service_id", "queue_pos",
              "id"),
        # Only the waiting tickets (PostgreSQL, SQLite; MariaDB has no partial indexes and
        # keeps it whole): the smallest index for the queue queries, which name the state
        # literally (shared.routing.IS_WAITING); see migration 0004.
        Index("ix_ticket_waiting", "site_id", "business_day", "service_id", "queue_pos", "id",
              postgresql_where=text("state = 'waiting'"),
              sqlite_where=text("state = 'waiting'")),
        # The few waiting tickets outside the plain queues (shared.routing.IS_SPECIAL;
        # migration 0017). MariaDB keeps it whole, as above.
        Index("ix_ticket_waiting_special", "site_id", "business_day", "service_id",
              postgresql_where=text(f"state = 'waiting' AND ({SPECIAL_TICKETS})"),
              sqlite_where=text(f"state = 'waiting' AND ({SPECIAL_TICKETS})")),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("site.id"))
    business_day: Mapped[dt.date] = mapped_column(Date)
    prefix: Mapped[str] = mapped_column(String(2))
    seq: Mapped[int] = mapped_column(Integer)
    number: Mapped[str] = mapped_column(String(12))
    service_id: Mapped[int] = mapped_column(ForeignKey("service.id"))
    issued_service_id: Mapped[int] = mapped_column(ForeignKey("service.id"))
    kind: Mapped[str] = mapped_column(String(16), default="normal")
    transferred: Mapped[bool] = mapped_column(Boolean, default=False)
    target_window_id: Mapped[int | None] = mapped_column(ForeignKey("window.id"), nullable=True)
    state: Mapped[str] = mapped_column(String(16), default="waiting")
    # Order inside a class: derived from the site's issue order, never from timestamps.
    queue_pos: Mapped[int] = mapped_column(BigInteger)
    issued_at: Mapped[dt.datetime]
    queued_at: Mapped[dt.datetime]
    called_at: Mapped[dt.datetime | None] = mapped_column(nullable=True)
    started_at: Mapped[dt.datetime | None] = mapped_column(nullable=True)
    finished_at: Mapped[dt.datetime | None] = mapped_column(nullable=True)
    window_id: Mapped[int | None] = mapped_column(
        ForeignKey("window.id", use_alter=True), nullable=True
    )
    clerk_id: Mapped[int | None] = mapped_column(ForeignKey("clerk.id"), nullable=True)
    outcome: Mapped[str | None] = mapped_column(String(24), nullable=True)
    appointment_slot: Mapped[dt.datetime | None] = mapped_column(nullable=True)
    after_hours: Mapped[bool] = mapped_column(Boolean, default=False)
    print_pending: Mapped[bool] = mapped_column(Boolean, default=False)
    call_count: Mapped[int] = mapped_column(Integer, default=0)
    note: Mapped[str] = mapped_column(String(500), default="")
    # The wait estimate shown when the number was issued (shared.prediction), in minutes:
    # the point value and the range, so its accuracy can be measured (migration 0012).
    estimate_minutes: Mapped[int | None] = mapped_column(SmallInteger, nullable=True)
    estimate_low_minutes: Mapped[int | None] = mapped_column(SmallInteger, nullable=True)
    estimate_high_minutes: Mapped[int | None] = mapped_column(SmallInteger, nullable=True)


# The groupings of the statistics that have an ordered index per duration on ``segment``.
SEGMENT_GROUP_COLUMNS: dict[str, tuple[str, ...]] = {
    "all": (), "service": ("service_id",), "department": ("department_id",),
    "window": ("window_id",), "clerk": ("clerk_id",), "hour": ("local_hour",),
    "weekday": ("weekday",),
}


class Segment(Base):
    """One stay of a ticket in one queue, from arrival to the end of that stay.

    Maintained by the queue operations so that statistics are plain SQL aggregates: a
    transfer ends a segment and opens another; a no-show who is reinstated keeps the
    segment (its wait runs to the later call); a recall changes nothing.
    """

    __tablename__ = "segment"
    __table_args__ = (
        Index("ix_segment_site_day", "site_id", "business_day"),
        # A window's last call of the day, for the wait estimates (migration 0019).
        Index("ix_segment_window_called", "window_id", "business_day", "called_at"),
        # Statistics over long ranges rank waits and service times per group by walking
        # these in order (shared/stats/percentiles.py): (site, group, duration, day).
        *[Index(f"ix_segment_{metric}_{group}", "site_id", *columns, f"{metric}_us",
                "business_day")
          for metric in ("wait", "service")
          for group, columns in SEGMENT_GROUP_COLUMNS.items()],
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("ticket.id"), index=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("site.id"))
    business_day: Mapped[dt.date] = mapped_column(Date)
    service_id: Mapped[int] = mapped_column(ForeignKey("service.id"))
    kind: Mapped[str] = mapped_column(String(16))
    transferred: Mapped[bool] = mapped_column(Boolean, default=False)
    queued_at: Mapped[dt.datetime]
    called_at: Mapped[dt.datetime | None] = mapped_column(nullable=True)
    started_at: Mapped[dt.datetime | None] = mapped_column(nullable=True)
    ended_at: Mapped[dt.datetime | None] = mapped_column(nullable=True)
    window_id: Mapped[int | None] = mapped_column(ForeignKey("window.id"), nullable=True)
    clerk_id: Mapped[int | None] = mapped_column(ForeignKey("clerk.id"), nullable=True)
    # finished / transferred / no_show / cancelled / expired; null while open.
    result: Mapped[str | None] = mapped_column(String(16), nullable=True)
    outcome: Mapped[str | None] = mapped_column(String(24), nullable=True)
    # Measures kept by the queue operations so statistics read them instead of computing
    # them per request (docs/metrics.md defines each; shared/stats/measures.py recomputes
    # them from the columns above, for history written before they existed).
    # Wait (call - arrival) once the call led to service; service time (end - start) once
    # a started stay ended finished or transferred; both in microseconds.
    wait_us: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    service_us: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    # Site-local hour of arrival, weekday of the business day (0 = Monday), and the
    # department the service belonged to when the stay began.
    local_hour: Mapped[int | None] = mapped_column(SmallInteger, nullable=True)
    weekday: Mapped[int | None] = mapped_column(SmallInteger, nullable=True)
    department_id: Mapped[int | None] = mapped_column(ForeignKey("department.id"),
                                                      nullable=True)
    # The citizen's rating of a finished stay: 1-5, 0 = evaluated without a rating,
    # null = no evaluation.
    rating: Mapped[int | None] = mapped_column(SmallInteger, nullable=True)
    # The rating was appealed (申诉: malicious or mistaken, shared/followups.py): kept, but
    # out of the satisfaction figures (migration 0014).
    rating_appealed: Mapped[bool] = mapped_column(Boolean, default=False,
                                                  server_default=false())


class TicketEvent(Base):
    """Append-only log of every transition, of tickets and of windows."""

    __tablename__ = "ticket_event"
    __table_args__ = (
        Index("ix_ticket_event_site_action_at", "site_id", "action", "at"),
        Index("ix_ticket_event_site_at", "site_id", "at"),
        Index("ix_ticket_event_site_chain", "site_id", "chain_seq", unique=True),
    )
    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("site.id"))
    ticket_id: Mapped[int | None] = mapped_column(ForeignKey("ticket.id"), nullable=True, index=True)
    action: Mapped[str] = mapped_column(String(16))
    from_state: Mapped[str | None] = mapped_column(String(16), nullable=True)
    to_state: Mapped[str | None] = mapped_column(String(16), nullable=True)
    window_id: Mapped[int | None] = mapped_column(ForeignKey("window.id"), nullable=True)
    clerk_id: Mapped[int | None] = mapped_column(ForeignKey("clerk.id"), nullable=True)
    service_id: Mapped[int | None] = mapped_column(ForeignKey("service.id"), nullable=True)
    at: Mapped[dt.datetime]
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # The event's place in its site's audit chain and the hash over its content and the
    # previous event's hash (shared/audit.py); null for events older than the chain.
    chain_seq: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    chain_hash: Mapped[str | None] = mapped_column(String(64), nullable=True)


class AuditHead(Base):
    """The last place and hash of a site's audit chain; its row lock orders the events of
    concurrent operations (shared/audit.py)."""

    __tablename__ = "audit_head"
    site_id: Mapped[int] = mapped_column(ForeignKey("site.id"), primary_key=True)
    seq: Mapped[int] = mapped_column(BigInteger, default=0)
    hash: Mapped[str] = mapped_column(String(64), default="")


class TicketCase(Base):
    """A case (办件) finished at a window, by its number on the government platform: a
    ticket may carry several (several 事项 in one visit), each rated on its own."""

    __tablename__ = "ticket_case"
    __table_args__ = (UniqueConstraint("ticket_id", "case_no"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("ticket.id"))
    site_id: Mapped[int] = mapped_column(ForeignKey("site.id"))
    case_no: Mapped[str] = mapped_column(String(64))
    service_id: Mapped[int] = mapped_column(ForeignKey("service.id"))
    # The service's item code when the case ended (the catalog may change later).
    item_code: Mapped[str] = mapped_column(String(64), default="")
    window_id: Mapped[int | None] = mapped_column(ForeignKey("window.id"), nullable=True)
    clerk_id: Mapped[int | None] = mapped_column(ForeignKey("clerk.id"), nullable=True)
    outcome: Mapped[str] = mapped_column(String(24))
    at: Mapped[dt.datetime]


class Evaluation(Base):
    """The citizen's rating (好差评) of a finished ticket, or of one of its cases (one
    rating per case, 一次一评); level null = not rated."""

    __tablename__ = "evaluation"
    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("ticket.id"), index=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("site.id"))
    window_id: Mapped[int | None] = mapped_column(ForeignKey("window.id"), nullable=True)
    clerk_id: Mapped[int | None] = mapped_column(ForeignKey("clerk.id"), nullable=True)
    level: Mapped[int | None] = mapped_column(Integer, nullable=True)  # 1 best .. 5 worst
    comment: Mapped[str] = mapped_column(String(500), default="")
    # The phone number the citizen left for the return visit of a bad rating; "" if none.
    contact_phone: Mapped[str] = mapped_column(String(32), default="", server_default="")
    at: Mapped[dt.datetime]
    # The case rated (null: the ticket as a whole), the service and its item code when
    # rated (migration 0013).
    case_id: Mapped[int | None] = mapped_column(ForeignKey("ticket_case.id"), nullable=True,
                                                unique=True)
    service_id: Mapped[int | None] = mapped_column(ForeignKey("service.id"), nullable=True)
    item_code: Mapped[str] = mapped_column(String(64), default="", server_default="")
    # 申诉: a supervisor marked the rating malicious or mistaken, with a reason; it stays
    # here but leaves the window's figures (migration 0014, shared/followups.py).
    appeal: Mapped[str | None] = mapped_column(String(16), nullable=True)
    appeal_reason: Mapped[str] = mapped_column(String(500), default="", server_default="")
    appealed_at: Mapped[dt.datetime | None] = mapped_column(nullable=True)
    appealed_by: Mapped[str] = mapped_column(String(64), default="", server_default="")  # login


class HcpOutbox(Base):
    """A rating waiting to be sent to the provincial 好差评 system, written in the same
    transaction as the rating; ``hallq-admin hcp push`` sends it (shared/hcp.py)."""

    __tablename__ = "hcp_outbox"
    __table_args__ = (Index("ix_hcp_outbox_state_due", "state", "next_attempt_at"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    # The idempotency key the province sees: the same for every attempt of one record.
    record_id: Mapped[str] = mapped_column(String(64), unique=True)
    evaluation_id: Mapped[int] = mapped_column(ForeignKey("evaluation.id"), unique=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("site.id"))
    # The record in HallQueue's own field names (shared.hcp.SOURCE_FIELDS); the field
    # mapping turns it into the province's when it is sent or exported.
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    state: Mapped[str] = mapped_column(String(8), default="pending")  # pending/sent/refused
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[dt.datetime]
    last_error: Mapped[str] = mapped_column(String(300), default="")
    created_at: Mapped[dt.datetime]
    sent_at: Mapped[dt.datetime | None] = mapped_column(nullable=True)


class FollowUp(Base):
    """The return visit (电话回访) and rectification (整改) a bad rating requires: open ->
    contacted -> rectified -> closed, each step with who, when and a note
    (shared/followups.py; the steps' columns came with migration 0014)."""

    __tablename__ = "follow_up"
    id: Mapped[int] = mapped_column(primary_key=True)
    evaluation_id: Mapped[int] = mapped_column(ForeignKey("evaluation.id"), unique=True)
    status: Mapped[str] = mapped_column(String(16), default="open")
    created_at: Mapped[dt.datetime]
    # First contact with the citizen; ``contact_result`` is its note.
    contacted_at: Mapped[dt.datetime | None] = mapped_column(nullable=True)
    contacted_by_id: Mapped[int | None] = mapped_column(ForeignKey("clerk.id"), nullable=True)
    contact_result: Mapped[str] = mapped_column(String(200), default="")
    # What was rectified (整改措施).
    rectified_at: Mapped[dt.datetime | None] = mapped_column(nullable=True)
    rectified_by_id: Mapped[int | None] = mapped_column(ForeignKey("clerk.id"), nullable=True)
    rectify_note: Mapped[str] = mapped_column(String(1000), default="", server_default="")
    # Closing: ``note`` is its note, ``opinion`` the citizen's opinion of the
    # rectification (satisfied / basic / dissatisfied: 满意 / 基本满意 / 不满意).
    closed_at: Mapped[dt.datetime | None] = mapped_column(nullable=True)
    closed_by_id: Mapped[int | None] = mapped_column(ForeignKey("clerk.id"), nullable=True)
    note: Mapped[str] = mapped_column(String(1000), default="")
    opinion: Mapped[str | None] = mapped_column(String(16), nullable=True)


class MissingMaterial(Base):
    """One material a citizen lacked when a case ended 材料不全, as the clerk ticked it
    in the finish dialog (the text as the catalog names it). The statistics rank them per
    service and the kiosk's guide marks the most often forgotten (shared/materials.py,
    migration 0014)."""

    __tablename__ = "missing_material"
    __table_args__ = (Index("ix_missing_material_site_day", "site_id", "business_day"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("site.id"))
    ticket_id: Mapped[int] = mapped_column(ForeignKey("ticket.id"), index=True)
    service_id: Mapped[int] = mapped_column(ForeignKey("service.id"))
    business_day: Mapped[dt.date] = mapped_column(Date)
    material: Mapped[str] = mapped_column(String(200))
    at: Mapped[dt.datetime]


class HelpRequest(Base):
    """A citizen pressed 一键求助 at a kiosk: open until staff acknowledge it."""

    __tablename__ = "help_request"
    __table_args__ = (
        # The open requests of a site are read by every supervisor and kiosk refresh.
        Index("ix_help_request_open", "site_id", "acknowledged_at"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("site.id"))
    terminal: Mapped[str] = mapped_column(String(100))
    screen: Mapped[str] = mapped_column(String(32), default="")
    requested_at: Mapped[dt.datetime]
    acknowledged_at: Mapped[dt.datetime | None] = mapped_column(nullable=True)
    acknowledged_by: Mapped[str] = mapped_column(String(100), default="")


class DbRole(Base):
    """A database login made for one kind of terminal (``hallq-admin db role create``):
    ``db upgrade`` re-grants each what its kind needs (shared/db_roles.py)."""

    __tablename__ = "db_role"
    login: Mapped[str] = mapped_column(String(64), primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    # MariaDB: the host pattern the login may connect from; "" on PostgreSQL.
    host: Mapped[str] = mapped_column(String(255), default="")
    created_at: Mapped[dt.datetime]


class OverflowSuggestion(Base):
    """A suggestion to open an overflow window (潮汐窗口) for a service whose predicted wait
    passed its target by the margin, as the supervisor's live view showed it
    (shared/overflow.py, migration 0012)."""

    __tablename__ = "overflow_suggestion"
    __table_args__ = (Index("ix_overflow_suggestion_site_at", "site_id", "at"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("site.id"))
    service_id: Mapped[int] = mapped_column(ForeignKey("service.id"))
    at: Mapped[dt.datetime]
    waiting: Mapped[int] = mapped_column(Integer)
    predicted_minutes: Mapped[int] = mapped_column(Integer)
    target_minutes: Mapped[int] = mapped_column(Integer)
    # The window numbers that could take the service, best first.
    windows: Mapped[list[Any]] = mapped_column(JSON, default=list)

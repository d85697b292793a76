"""Plain, detached snapshots that operations return to the apps and the CLI.

They hold no database session, so a GUI thread can read them safely after the
operation's transaction has ended.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any


def iso(value: dt.datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


@dataclass(frozen=True)
class TicketView:
    id: int
    number: str
    site: str
    business_day: dt.date
    service: str
    service_name: str
    kind: str
    transferred: bool
    state: str
    window: int | None
    clerk: str | None
    outcome: str | None
    issued_at: dt.datetime
    queued_at: dt.datetime
    called_at: dt.datetime | None
    started_at: dt.datetime | None
    finished_at: dt.datetime | None
    target_window: int | None = None
    print_pending: bool = False
    call_count: int = 0
    note: str = ""

    def to_json(self) -> dict[str, Any]:
        """The documented JSON contract of a ticket (docs/cli.md)."""
        return {
            "id": self.id,
            "number": self.number,
            "site": self.site,
            "business_day": self.business_day.isoformat(),
            "service": self.service,
            "kind": self.kind,
            "transferred": self.transferred,
            "state": self.state,
            "window": self.window,
            "target_window": self.target_window,
            "clerk": self.clerk,
            "outcome": self.outcome,
            "issued_at": iso(self.issued_at),
            "queued_at": iso(self.queued_at),
            "called_at": iso(self.called_at),
            "started_at": iso(self.started_at),
            "finished_at": iso(self.finished_at),
            "print_pending": self.print_pending,
        }


@dataclass(frozen=True)
class IssuedTicket:
    """What the kiosk needs after issuing: the ticket and what to tell the citizen."""

    ticket: TicketView
    people_ahead: int
    estimated_wait_minutes: int | None
    windows: list[str] = field(default_factory=list)
    materials: list[str] = field(default_factory=list)
    # The estimate's range in minutes (shared.prediction); None: no estimate.
    wait_low_minutes: int | None = None
    wait_high_minutes: int | None = None


@dataclass(frozen=True)
class WindowView:
    id: int
    site: str
    number: int
    name: str
    comprehensive: bool
    active: bool
    paused: bool
    pause_reason: str | None
    paused_at: dt.datetime | None
    # The clerk present (shared.presence: the lease has not expired), else None.
    clerk: str | None
    clerk_name: str | None
    current_ticket: TicketView | None
    services: list[tuple[str, int]]  # (service code, weight)
    # How long the present clerk's lease ran on when this was read (server clock), so a
    # screen can refresh when it ends without a change in the database; None if no clerk.
    presence_ends_in: dt.timedelta | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "site": self.site,
            "number": self.number,
            "name": self.name,
            "comprehensive": self.comprehensive,
            "active": self.active,
            "paused": self.paused,
            "pause_reason": self.pause_reason,
            "paused_at": iso(self.paused_at),
            "clerk": self.clerk,
            "current_ticket": self.current_ticket.to_json() if self.current_ticket else None,
            "services": [{"service": c, "weight": w} for c, w in self.services],
        }


@dataclass(frozen=True)
class NewTicketOutlook:
    """What a new ordinary ticket of a service would get: the people ahead of it (its
    estimated wait is the service's, from shared.prediction, in ServiceQueue)."""

    people_ahead: int


@dataclass(frozen=True)
class ServiceQueue:
    """One service's live queue at a site, for kiosks, counters and displays."""

    service: str
    name: str
    department: str
    prefix: str
    waiting: int
    green_waiting: int
    appointment_waiting: int
    oldest_queued_at: dt.datetime | None
    estimated_wait_minutes: int | None
    open_now: bool
    closed_reason: str
    # The estimate's range in minutes for a number taken now (shared.prediction).
    wait_low_minutes: int | None = None
    wait_high_minutes: int | None = None
    # When a closed service next opens (site-local, aware); None if open or not within
    # two weeks. The kiosk shows it on the start screen ("今天 09:00 开始取号").
    opens_at: dt.datetime | None = None

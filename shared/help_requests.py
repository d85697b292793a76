"""One-button help (一键求助): a citizen at a kiosk calls the guide desk.

A press records a request with the kiosk's name, the screen the citizen was on and the
time; it stays open -- shown on the supervisor's live view and in the kiosk's staff mode
-- until a member of staff acknowledges it, which records when and by whom. Each function
is one transaction and bumps the site's change marker, so every terminal watching the
site refreshes at once.

API (plain values, no Qt)::

    request = request_help(db, "1号取号机", site="chunan", screen="guide")
    for open_request in open_help_requests(db, site="chunan"):   # oldest first
        print(open_request.terminal, open_request.requested_at)  # UTC; .local_time(zone)
    acknowledge(db, request.id, by="wangf")   # NotFound / IllegalTransition if not open

``HelpRequestView.to_json()`` gives the fields for JSON output.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from shared import feed
from shared.db import Database, locking, server_now
from shared.errors import IllegalTransition, NotFound, UsageError
from shared.lookup import site_by_code
from shared.models import HelpRequest, Site

TERMINAL_MAX = 100
SCREEN_MAX = 32
ACKNOWLEDGER_MAX = 100


@dataclass(frozen=True)
class HelpRequestView:
    id: int
    site: str
    terminal: str
    screen: str
    requested_at: dt.datetime
    acknowledged_at: dt.datetime | None
    acknowledged_by: str

    @property
    def open(self) -> bool:
        return self.acknowledged_at is None

    def local_time(self, zone: str | ZoneInfo) -> str:
        """The time of the request on the site's clock, "HH:MM"."""
        tz = zone if isinstance(zone, ZoneInfo) else ZoneInfo(zone)
        return self.requested_at.astimezone(tz).strftime("%H:%M")

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id, "site": self.site, "terminal": self.terminal, "screen": self.screen,
            "requested_at": self.requested_at.isoformat(),
            "acknowledged_at": self.acknowledged_at.isoformat() if self.acknowledged_at else None,
            "acknowledged_by": self.acknowledged_by,
        }


def _view(row: HelpRequest, site_code: str) -> HelpRequestView:
    return HelpRequestView(row.id, site_code, row.terminal, row.screen, row.requested_at,
                           row.acknowledged_at, row.acknowledged_by)


def _checked(value: str, what: str, limit: int) -> str:
    value = value.strip()
    if not value:
        raise UsageError(f"{what}不能为空 ({what} must not be empty)")
    if len(value) > limit:
        raise UsageError(f"{what}过长 ({what} is {len(value)} characters, at most {limit})")
    return value


def request_help(db: Database, terminal: str, *, site: str | None = None,
                 screen: str = "") -> HelpRequestView:
    """Record a help request from ``terminal`` (the kiosk's name) at ``site``."""
    terminal = _checked(terminal, "终端名称 (terminal name)", TERMINAL_MAX)
    screen = screen.strip()[:SCREEN_MAX]

    def op(session: Session) -> HelpRequestView:
        site_row = site_by_code(session, site)
        row = HelpRequest(site_id=site_row.id, terminal=terminal, screen=screen,
                          requested_at=server_now(session), acknowledged_by="")
        session.add(row)
        session.flush()
        view = _view(row, site_row.code)
        feed.touch(session, site_row.id, feed.Change(site_row.id, frozenset({feed.HELP})))
        return view

    return db.write(op, name="request help")


def open_help_requests(db: Database, *, site: str | None = None) -> list[HelpRequestView]:
    """The site's requests nobody has acknowledged yet, oldest first."""
    with db.read() as session:
        site_row = site_by_code(session, site)
        rows = session.scalars(
            select(HelpRequest).where(HelpRequest.site_id == site_row.id,
                                      HelpRequest.acknowledged_at.is_(None))
            .order_by(HelpRequest.requested_at, HelpRequest.id)).all()
        return [_view(row, site_row.code) for row in rows]


def acknowledge(db: Database, request_id: int, *, by: str) -> HelpRequestView:
    """Staff ``by`` (a login or "导服台") have taken care of the request."""
    by = _checked(by, "确认人 (acknowledged by)", ACKNOWLEDGER_MAX)

    def op(session: Session) -> HelpRequestView:
        row = session.scalar(locking(select(HelpRequest).where(HelpRequest.id == request_id)))
        if row is None:
            raise NotFound(f"没有求助记录 {request_id} (no help request {request_id})")
        if row.acknowledged_at is not None:
            raise IllegalTransition(
                f"求助 {request_id} 已由 {row.acknowledged_by} 处理 (help request {request_id} "
                f"was already acknowledged by {row.acknowledged_by})")
        row.acknowledged_at = server_now(session)
        row.acknowledged_by = by
        session.flush()
        site_code = session.scalar(select(Site.code).where(Site.id == row.site_id))
        view = _view(row, str(site_code))
        feed.touch(session, row.site_id, feed.Change(row.site_id, frozenset({feed.HELP})))
        return view

    return db.write(op, name="acknowledge help")


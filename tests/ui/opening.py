"""Tests' control of opening hours: make a site's services open now, or later today.

Whether a service is open is decided from the database server's clock, which tests
cannot move. Instead the site's hours are moved around the clock: :func:`opens_in`
puts the opening ``minutes`` from now (0: it has just opened; 30: closed, opening in
half an hour). The site's time zone is set so that its local time is about noon, so the
hours never wrap past midnight whatever hour the tests run at. Only the catalog rows are
written — no change marker is bumped, exactly like the clock passing 09:00.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from sqlalchemy import select

from shared.db import Database, server_now
from shared.models import Site


def noon_zone(now_utc: dt.datetime) -> str:
    """A fixed-offset zone in which ``now_utc`` is between 11:30 and 12:30."""
    offset = round(12 - now_utc.hour - now_utc.minute / 60)
    offset = (offset + 12) % 24 - 12  # -12..+11, all of which Etc/GMT has
    # Etc/GMT's sign is inverted: Etc/GMT-8 is UTC+8.
    return "Etc/GMT" if offset == 0 else f"Etc/GMT{-offset:+d}"


def opens_in(db: Database, site: str, minutes: int) -> dt.datetime:
    """Set every service of ``site`` to open ``minutes`` from now (rounded down to the
    minute) until 23:59, site-local; returns the opening time."""
    def change(session: object) -> dt.datetime:
        now = server_now(session)  # type: ignore[arg-type]
        row = session.scalars(select(Site).where(Site.code == site)).one()  # type: ignore[attr-defined]
        zone = noon_zone(now)
        local = now.astimezone(ZoneInfo(zone)).replace(second=0, microsecond=0)
        opening = local + dt.timedelta(minutes=minutes)
        hours = [f"{opening:%H:%M}-23:59"]
        row.timezone = zone
        row.calendar = {**row.calendar, "workday_hours": hours, "weekend_hours": hours,
                        "issue_cutoff_minutes": 0, "holidays": [], "lunch_break": None}
        return opening

    return db.write(change, name="test_opening_hours")

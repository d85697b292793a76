"""Whether a clerk is present at a window: one rule for everything that shows presence or
acts on it (window display, ``window list``/``window show``, the supervisor's live view,
``clerk list``, logins, who an operation at a window is credited to).

A clerk is present at a window if and only if the window's lease has not expired by the
database server's clock. The counter renews the lease every 30 s for 90 s
(:data:`shared.clerks.LEASE_SECONDS`); a counter that was killed, froze or lost its cable
stops renewing, and its clerk stops being shown 90 s later at the latest, though the
window row still names the clerk until someone logs in there again. Nothing in the
database changes when a lease runs out, so a screen that shows presence refreshes by
itself when the lease it shows ends (:attr:`shared.views.WindowView.presence_ends_in`).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ColumnElement, and_

from shared.models import Window


def lease_live(lease_expires_at: dt.datetime | None, now: dt.datetime) -> bool:
    """The lease runs past ``now`` (the server's clock)."""
    return lease_expires_at is not None and lease_expires_at > now


def present_clerk_id(window: Window, now: dt.datetime) -> int | None:
    """The clerk present at ``window`` at server time ``now``, or None."""
    if window.clerk_id is not None and lease_live(window.lease_expires_at, now):
        return window.clerk_id
    return None


def clerk_present_at(now: dt.datetime) -> ColumnElement[bool]:
    """The same rule in SQL, for queries over windows: a clerk is present there."""
    return and_(Window.clerk_id.is_not(None), Window.lease_expires_at > now)

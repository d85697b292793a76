"""What the hall display shows and says when the recent calls are re-read (no Qt).

The display re-reads :func:`shared.read.hall.recent_calls` after every change at its site. The
:class:`HallPresenter` turns each reading into plain calls on a passive view and on the
:class:`~kiosk_app.display.announcer.Announcer`:

- the newest call goes on the big board at once, highlighted, even while older calls
  are still being announced;
- every call or recall event not seen before is announced, oldest first; calls made
  before the display started are shown but not announced, and after a network outage
  only calls younger than :data:`STALE_CALL_SECONDS` are announced (older ones were
  surely heard by nobody waiting for them any more);
- the history lists the tickets called before the newest, each once.
"""

from __future__ import annotations

import logging
from typing import Protocol

from kiosk_app.display.announcer import Announcement, Announcer
from shared.read.display_view import RecentCall
from shared.views import ServiceQueue

log = logging.getLogger(__name__)

#: After an outage, calls older than this are shown but no longer announced.
STALE_CALL_SECONDS = 120.0
#: How many earlier calls the history shows.
HISTORY_SIZE = 6
#: How many recent calls to read each time: a screenful plus room for a burst of calls.
READ_LIMIT = 30


class HallView(Protocol):
    """What the presenter needs from the screen."""

    def show_call(self, call: RecentCall | None, *, highlight: bool) -> None: ...

    def show_history(self, calls: list[RecentCall]) -> None: ...

    def show_waiting(self, queues: list[ServiceQueue]) -> None: ...

    def show_online(self, online: bool) -> None: ...


class HallPresenter:
    """Keeps the view and the announcer in step with the site's recent calls."""

    def __init__(self, view: HallView, announcer: Announcer, *, highlight_seconds: float,
                 history_size: int = HISTORY_SIZE) -> None:
        self._view = view
        self._announcer = announcer
        self._highlight_seconds = highlight_seconds
        self._history_size = history_size
        self._shown_event: int | None = None
        self._loaded_once = False

    @property
    def loaded(self) -> bool:
        """Whether a first reading has been shown (calls before it are never announced)."""
        return self._loaded_once

    @property
    def shown_event(self) -> int | None:
        """Event id of the call on the big board."""
        return self._shown_event

    def calls_loaded(self, calls: list[RecentCall]) -> list[RecentCall]:
        """Show a fresh reading (newest first) and queue what is new; returns the calls
        that were queued for announcement, oldest first."""
        first_reading = not self._loaded_once
        self._loaded_once = True
        self._show(calls, first_reading)
        announced: list[RecentCall] = []
        for call in reversed(calls):  # oldest first, so the queue keeps call order
            if self._announcer.has_seen(call.event_id):
                continue
            if first_reading or call.age_seconds > STALE_CALL_SECONDS:
                self._announcer.mark_seen([call.event_id])
                if not first_reading:
                    log.info("not announcing %s: called %.0f s ago", call.number, call.age_seconds)
                continue
            if self._announcer.announce(Announcement(call.event_id, call.number, call.window)):
                announced.append(call)
        return announced

    def queues_loaded(self, queues: list[ServiceQueue]) -> None:
        self._view.show_waiting(queues)

    def online_changed(self, online: bool) -> None:
        self._view.show_online(online)

    def _show(self, calls: list[RecentCall], first_reading: bool) -> None:
        newest = calls[0] if calls else None
        newest_id = newest.event_id if newest else None
        if newest_id != self._shown_event:
            # On start-up only a call made moments ago is still worth highlighting.
            fresh = newest is not None and (not first_reading
                                            or newest.age_seconds < self._highlight_seconds)
            self._view.show_call(newest, highlight=fresh)
            self._shown_event = newest_id
        self._view.show_history(earlier_calls(calls, self._history_size))


def earlier_calls(calls: list[RecentCall], size: int) -> list[RecentCall]:
    """The tickets called before the newest one, newest first, each ticket once."""
    if not calls:
        return []
    seen = {calls[0].ticket_id}
    history: list[RecentCall] = []
    for call in calls[1:]:
        if call.ticket_id not in seen:
            seen.add(call.ticket_id)
            history.append(call)
            if len(history) == size:
                break
    return history

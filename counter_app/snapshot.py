"""Everything the counter's main screen shows, read from the database in one go."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from shared import queue, ticket_print
from shared.db import Database
from shared.read import counter_view, hall_state
from shared.read.counter_view import ClerkDayStats, ServiceRef
from shared.states import TicketKind
from shared.views import TicketView, WindowView


@dataclass(frozen=True)
class ServiceLine:
    """One of the window's services: who waits for it at this window."""

    code: str
    name: str
    waiting: int
    green: int
    appointment: int
    oldest_queued_at: dt.datetime | None


@dataclass(frozen=True)
class CounterSnapshot:
    window: WindowView
    waiting: list[TicketView]  # every ticket the window may call, in class and queue order
    # The next calls of 叫下一位 (if no other window calls first), from a dry run of
    # call-next itself: the weighted interleave of a comprehensive window included.
    upcoming: list[TicketView]
    services: list[ServiceLine]
    stats: ClerkDayStats
    held_materials: list[str]  # the held ticket's service materials (材料不全 notice)
    server_now: dt.datetime

    @property
    def held(self) -> TicketView | None:
        return self.window.current_ticket


def summarize_queue(services: list[ServiceRef], waiting: list[TicketView]) -> list[ServiceLine]:
    """Per service of the window: waiting count, green-channel and appointment counts and
    the longest-waiting ticket's queue time. Services the window does not serve but that
    reach it by a hand-over to the window are listed after its own."""
    names = {s.code: s.name for s in services}
    order = [s.code for s in services]
    for ticket in waiting:
        if ticket.service not in names:
            names[ticket.service] = ticket.service_name
            order.append(ticket.service)
    lines = []
    for code in order:
        mine = [t for t in waiting if t.service == code]
        lines.append(ServiceLine(
            code=code, name=names[code], waiting=len(mine),
            green=sum(1 for t in mine if t.kind == TicketKind.GREEN.value),
            appointment=sum(1 for t in mine if t.kind == TicketKind.APPOINTMENT.value),
            oldest_queued_at=min((t.queued_at for t in mine), default=None),
        ))
    return lines


UPCOMING_SHOWN = 12  # how many of the next calls the counter lists


def load_snapshot(db: Database, window: int, clerk: str, *, site: str | None) -> CounterSnapshot:
    """Read the window, its queue and the clerk's day (several short reads; the next
    change notice refreshes again if something moved in between)."""
    server_now = counter_view.server_time(db)
    view = hall_state.get_window(db, window, site=site)
    waiting = hall_state.waiting_for_window(db, window, site=site)
    upcoming = (queue.preview_calls(db, window, site=site,
                                    count=min(UPCOMING_SHOWN, len(waiting))) if waiting else [])
    services = counter_view.window_services(db, window, site=site)
    stats = counter_view.clerk_day_stats(db, clerk, site=site)
    held = view.current_ticket
    materials = (ticket_print.service_guides(db, site=site, services=[held.service])
                 [held.service].materials if held else [])
    return CounterSnapshot(view, waiting, upcoming, summarize_queue(services, waiting), stats,
                           materials, server_now)

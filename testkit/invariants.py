"""The queue invariants, checked on a database after any amount of concurrent work.

Used by the concurrency and state-machine tests and by bench/queue_ops.py. Each check
returns human-readable violations (an empty list means the invariant holds):

- a number is issued once per site, business day and prefix, with no gap in the sequence;
- no state change is lost and every one has its event: replaying a ticket's events from
  the log gives a chain that starts with its issue and ends in its current state;
- a ticket is held by one window at a time: replaying the whole log, no ticket is called
  while a window holds it and no window calls while it holds another ticket;
- a window holds at most one active ticket, and windows and tickets agree about it;
- a waiting, called or serving ticket has exactly one open stay (segment), others none;
- the measures the operations keep on each stay (wait, service time, local hour...) are
  what shared.stats.measures computes from the stay's timestamps and results.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import select

from shared.db import Database
from shared.models import DayCounter, Segment, Ticket, TicketEvent, Window
from shared.states import ACTIVE_AT_WINDOW, Action
from shared.stats.measures import backfill_measures

ACTIVE = {s.value for s in ACTIVE_AT_WINDOW}
# Events that record something other than a ticket's state change.
NON_TRANSITIONS = {Action.REPRINT.value, Action.PAUSE.value, Action.RESUME.value,
                   Action.LOGIN.value, Action.LOGOUT.value}


@dataclass
class Report:
    """Violations per invariant, and what was looked at."""

    tickets: int = 0
    events: int = 0
    violations: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))

    @property
    def total(self) -> int:
        return sum(len(v) for v in self.violations.values())

    def summary(self) -> dict[str, int]:
        return {name: len(found) for name, found in self.violations.items()}

    def describe(self, limit: int = 10) -> str:
        lines = [f"{name}: {found[:limit]}" for name, found in self.violations.items() if found]
        return "\n".join(lines) or "no violations"


def check_all(db: Database) -> Report:
    with db.read() as session:
        tickets = session.scalars(select(Ticket).order_by(Ticket.id)).all()
        events = session.scalars(select(TicketEvent).order_by(TicketEvent.id)).all()
        windows = session.scalars(select(Window)).all()
        counters = session.scalars(select(DayCounter)).all()
        report = Report(tickets=len(tickets), events=len(events))
        report.violations["numbers"] = check_numbers(tickets, counters)
        report.violations["event_chain"] = check_event_chains(tickets, events)
        report.violations["held_once"] = check_holds_in_log(events)
        report.violations["window_holds"] = check_window_holds(tickets, windows)
        open_stays = session.scalars(select(Segment.ticket_id).where(Segment.ended_at.is_(None))).all()
        report.violations["open_stays"] = check_open_stays(tickets, list(open_stays))
    report.violations["measures"] = check_measures(db)
    return report


MEASURES = ("result", "wait_us", "service_us", "local_hour", "weekday", "department_id",
            "rating")


def check_measures(db: Database) -> list[str]:
    """The stored measures against a recomputation, which is rolled back."""
    columns = [Segment.id, *[getattr(Segment, name) for name in MEASURES]]
    with db.read() as session:
        kept = {row[0]: tuple(row[1:]) for row in session.execute(select(*columns))}
        backfill_measures(session)
        computed = {row[0]: tuple(row[1:]) for row in session.execute(select(*columns))}
    return [f"segment {sid}: kept {dict(zip(MEASURES, kept[sid], strict=True))}, "
            f"computed {dict(zip(MEASURES, computed[sid], strict=True))}"
            for sid in sorted(kept) if kept[sid] != computed.get(sid)]


def check_open_stays(tickets: list[Ticket], open_stay_tickets: list[int]) -> list[str]:
    """Exactly one open stay for each ticket still queued or at a window, none otherwise."""
    found: list[str] = []
    count: dict[int, int] = defaultdict(int)
    for ticket_id in open_stay_tickets:
        count[ticket_id] += 1
    for t in tickets:
        expected = 1 if t.state in ("waiting", *ACTIVE) else 0
        if count.get(t.id, 0) != expected:
            found.append(f"ticket {t.id} {t.number} ({t.state}): {count.get(t.id, 0)} open "
                         f"stays, expected {expected}")
    return found


def check_numbers(tickets: list[Ticket], counters: list[DayCounter]) -> list[str]:
    """Each (site, day, prefix) numbers 1..n exactly once; the counter agrees."""
    found: list[str] = []
    seqs: dict[tuple[int, object, str], list[int]] = defaultdict(list)
    for t in tickets:
        seqs[(t.site_id, t.business_day, t.prefix)].append(t.seq)
        if t.number != f"{t.prefix}{t.seq:03d}":
            found.append(f"ticket {t.id}: number {t.number} does not match seq {t.seq}")
    last = {(c.site_id, c.business_day, c.key): c.last for c in counters}
    for key, values in seqs.items():
        if sorted(values) != list(range(1, len(values) + 1)):
            duplicates = sorted({v for v in values if values.count(v) > 1})
            found.append(f"{key}: sequence has duplicates {duplicates} or gaps "
                         f"(n={len(values)}, max={max(values)})")
        if last.get(key) != max(values):
            found.append(f"{key}: day counter says {last.get(key)}, tickets go to {max(values)}")
    return found


def check_event_chains(tickets: list[Ticket], events: list[TicketEvent]) -> list[str]:
    """Replaying each ticket's events gives an unbroken chain ending in its state."""
    found: list[str] = []
    by_ticket: dict[int, list[TicketEvent]] = defaultdict(list)
    for e in events:
        if e.ticket_id is not None and e.action not in NON_TRANSITIONS:
            by_ticket[e.ticket_id].append(e)
    for t in tickets:
        chain = by_ticket.get(t.id, [])
        if not chain or chain[0].action != Action.ISSUE.value or chain[0].to_state != "waiting":
            found.append(f"ticket {t.id} {t.number}: log does not start with its issue")
            continue
        state = chain[0].to_state
        for e in chain[1:]:
            if e.from_state != state:
                found.append(f"ticket {t.id} {t.number}: event {e.id} {e.action} from "
                             f"{e.from_state}, but the log had it {state}")
            state = e.to_state
        if state != t.state:
            found.append(f"ticket {t.id} {t.number}: state {t.state}, log replays to {state}")
    return found


def check_holds_in_log(events: list[TicketEvent]) -> list[str]:
    """In log order, a ticket is called only when no window holds it, by a free window."""
    found: list[str] = []
    holder_of_ticket: dict[int, int] = {}
    ticket_at_window: dict[int, int] = {}
    for e in events:
        if e.ticket_id is None or e.action in NON_TRANSITIONS:
            continue
        if e.action == Action.CALL.value:
            if e.ticket_id in holder_of_ticket:
                found.append(f"event {e.id}: ticket {e.ticket_id} called by window "
                             f"{e.window_id} while window {holder_of_ticket[e.ticket_id]} holds it")
            if e.window_id in ticket_at_window:
                found.append(f"event {e.id}: window {e.window_id} called ticket {e.ticket_id} "
                             f"while holding ticket {ticket_at_window[e.window_id]}")
            assert e.window_id is not None
            holder_of_ticket[e.ticket_id] = e.window_id
            ticket_at_window[e.window_id] = e.ticket_id
        elif e.from_state in ACTIVE and e.to_state not in ACTIVE:
            window = holder_of_ticket.pop(e.ticket_id, None)
            if window is None:
                found.append(f"event {e.id}: ticket {e.ticket_id} released by {e.action} "
                             f"but no window held it")
            elif ticket_at_window.get(window) == e.ticket_id:
                del ticket_at_window[window]
    return found


def check_window_holds(tickets: list[Ticket], windows: list[Window]) -> list[str]:
    """A window holds at most one called/serving ticket, and both sides agree."""
    found: list[str] = []
    by_id = {t.id: t for t in tickets}
    active_at: dict[int, list[Ticket]] = defaultdict(list)
    for t in tickets:
        if t.state in ACTIVE:
            if t.window_id is None:
                found.append(f"ticket {t.id} {t.number} is {t.state} at no window")
            else:
                active_at[t.window_id].append(t)
    for w in windows:
        held = active_at.get(w.id, [])
        if len(held) > 1:
            found.append(f"window {w.id} holds {len(held)} tickets: {[t.number for t in held]}")
        current = by_id.get(w.current_ticket_id) if w.current_ticket_id else None
        if w.current_ticket_id is not None and (
                current is None or current.state not in ACTIVE or current.window_id != w.id):
            state = current.state if current else "missing"
            found.append(f"window {w.id} points at ticket {w.current_ticket_id} ({state})")
        if held and w.current_ticket_id != held[0].id:
            found.append(f"window {w.id}: ticket {held[0].number} is {held[0].state} there but "
                         f"the window points at {w.current_ticket_id}")
    return found

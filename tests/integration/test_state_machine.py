"""A hypothesis state machine of the queue operations against a plain Python model.

The model knows each ticket's state, service, class, queue position, last window and
hand-over target, which ticket each window holds, which windows are paused and each
window's interleave credits, so it predicts exactly which ticket call-next picks. After
every step the database must agree with it; an operation the model calls illegal must
raise the domain error the rules give and write nothing.

It also knows each ticket's stays and which of its events opened each stay and made the
call that led to service (docs/metrics.md), so the wait every stay must have is worked out
from the event log's times, apart from the code that keeps the measures.
"""

from __future__ import annotations

import datetime as dt
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import hypothesis.strategies as st
import pytest
from hypothesis import HealthCheck, settings
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test
from sqlalchemy import select

from shared import issuing, queue, schema
from shared.catalog import load_catalog
from shared.db import Database
from shared.errors import (
    HallQueueError,
    IllegalTransition,
    NotYourTicket,
    QuotaReached,
    UsageError,
    WindowBusy,
    WindowPaused,
)
from shared.models import Segment, Ticket, TicketEvent, Window
from shared.operation import POSITION_GAP, Actor
from shared.read.hall_state import list_tickets, list_windows, waiting_for_window
from shared.routing import weighted_order
from testkit.invariants import check_all
from tests.integration.conftest import TEST_CATALOG, snapshot

SITE = "hall"
SERVICE_IDS = {"SA": 1, "SB": 2, "SC": 3, "SD": 4}  # load order of the test catalog
PREFIX = {"SA": "A", "SB": "B", "SC": "C", "SD": "D"}
WINDOWS = {1: {"SA": 2, "SB": 1}, 2: {"SA": 1}, 3: {"SB": 1, "SC": 1}, 4: {"SD": 1}}
QUOTA = {"SC": 3}
REINSTATE_AFTER = 3
ACTIVE = ("called", "serving")
NEEDS = {"start": ("called",), "finish": ("serving",), "recall": ("called",),
         "no_show": ("called",), "reinstate": ("no_show",), "cancel": ("waiting", "no_show")}


@dataclass
class ModelStay:
    """One stay in one queue, by the positions in its ticket's event log (0 = issue) of
    the event that opened it, of its latest call, and of the call that led to service
    (started, or handed on while called): only that call gives the stay a wait."""

    opened_by: int
    call: int | None = None
    call_window: int | None = None
    served_call: int | None = None
    served_window: int | None = None


@dataclass
class ModelTicket:
    index: int  # issue order, the tie-break after the queue position
    number: str
    service: str
    issued_service: str
    kind: str
    state: str = "waiting"
    window: int | None = None  # last window (kept after finish, no-show, cancel)
    target: int | None = None
    transferred: bool = False
    position: int = 0
    events: int = 1  # the issue event
    stays: list[ModelStay] = field(default_factory=lambda: [ModelStay(opened_by=0)])

    def logged(self) -> int:
        """Count one more event of this ticket; returns its position in the log."""
        self.events += 1
        return self.events - 1

    def call_led_to_service(self) -> None:
        stay = self.stays[-1]
        stay.served_call, stay.served_window = stay.call, stay.call_window

    @property
    def rank(self) -> int:
        return 0 if self.kind == "green" else 2 if self.transferred else 3


class QueueModel:
    """The rules of shared.queue in plain Python, for one site and one business day."""

    def __init__(self) -> None:
        self.tickets: dict[str, ModelTicket] = {}
        self.holds: dict[int, str] = {}
        self.paused: set[int] = set()
        self.credits: dict[int, dict[int, int]] = {w: {} for w in WINDOWS}
        self.sequence: dict[str, int] = {}
        self.order = 0

    def next_position(self) -> int:
        self.order += 1
        return self.order * POSITION_GAP

    def issue(self, service: str, kind: str) -> str:
        issued = sum(1 for t in self.tickets.values() if t.issued_service == service)
        if service in QUOTA and issued >= QUOTA[service]:
            raise QuotaReached
        seq = self.sequence[PREFIX[service]] = self.sequence.get(PREFIX[service], 0) + 1
        number = f"{PREFIX[service]}{seq:03d}"
        self.tickets[number] = ModelTicket(len(self.tickets), number, service, service, kind,
                                           position=self.next_position())
        return number

    def eligible(self, window: int) -> list[ModelTicket]:
        return [t for t in self.tickets.values() if t.state == "waiting" and (
            t.target == window or (t.target is None and t.service in WINDOWS[window]))]

    def pick(self, window: int) -> ModelTicket | None:
        waiting = self.eligible(window)
        if not waiting:
            return None
        best = min(t.rank for t in waiting)
        in_class = sorted((t for t in waiting if t.rank == best),
                          key=lambda t: (t.position, t.index))
        if best != 3:
            return in_class[0]
        weights = {SERVICE_IDS[s]: w for s, w in WINDOWS[window].items()}
        candidates = sorted({SERVICE_IDS[t.service] for t in in_class})
        order, new = weighted_order(self.credits[window], weights, candidates)
        self.credits[window].update(new)
        return next(t for t in in_class if SERVICE_IDS[t.service] == order[0])

    def free_window(self, window: int) -> None:
        self.paused_check(window)
        held = self.holds.get(window)
        if held is None:
            return
        if self.tickets[held].state == "called":
            raise WindowBusy
        self.tickets[held].state = "finished"
        self.tickets[held].logged()
        del self.holds[window]

    def paused_check(self, window: int) -> None:
        if window in self.paused:
            raise WindowPaused

    def mark_called(self, ticket: ModelTicket, window: int) -> None:
        ticket.state, ticket.window, ticket.target = "called", window, None
        ticket.stays[-1].call, ticket.stays[-1].call_window = ticket.logged(), window
        self.holds[window] = ticket.number

    def release(self, ticket: ModelTicket) -> None:
        if ticket.window is not None and self.holds.get(ticket.window) == ticket.number:
            del self.holds[ticket.window]

    def reinstate_position(self, ticket: ModelTicket) -> int:
        ahead = sorted((t for t in self.tickets.values() if t.state == "waiting"
                        and t.service == ticket.service and t is not ticket
                        and t.rank == ticket.rank), key=lambda t: (t.position, t.index))
        if len(ahead) <= REINSTATE_AFTER:
            return self.next_position()
        low = ahead[REINSTATE_AFTER - 1].position
        high = ahead[REINSTATE_AFTER].position
        return (low + high) // 2 if high - low > 1 else low


def require(state: str, *allowed: str) -> None:
    if state not in allowed:
        raise IllegalTransition


class QueueMachine(RuleBasedStateMachine):
    template: Path
    workdir: Path

    def __init__(self) -> None:
        super().__init__()
        self.workdir.mkdir(parents=True, exist_ok=True)
        path = self.workdir / "machine.db"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        shutil.copy(self.template, path)
        self.db = Database(f"sqlite:///{path}")
        self.model = QueueModel()

    def teardown(self) -> None:
        self.db.dispose()

    # ----------------------------------------------------------------- helpers

    def expect(self, error: type[HallQueueError] | None, action: object) -> object:
        """Run the database action; if the model raised, it must raise the same class and
        write nothing."""
        if error is None:
            return action()  # type: ignore[operator]
        before = snapshot(self.db)
        with pytest.raises(error):
            action()  # type: ignore[operator]
        assert snapshot(self.db) == before, f"{error.__name__} raised but rows changed"
        return None

    def model_step(self, step: object) -> type[HallQueueError] | None:
        """Apply ``step`` to a copy-on-failure model: on a rule error, undo and return it."""
        import copy

        saved = copy.deepcopy(self.model)
        try:
            step()  # type: ignore[operator]
        except HallQueueError as exc:
            self.model = saved
            return type(exc)
        return None

    def pick_number(self, data: st.DataObject, *states: str) -> str:
        """Mostly a ticket in one of ``states`` (so legal moves happen), sometimes any."""
        fitting = sorted(n for n, t in self.model.tickets.items() if t.state in states)
        if fitting and data.draw(st.integers(0, 4), label="fitting") > 0:
            return data.draw(st.sampled_from(fitting), label="ticket")
        return data.draw(st.sampled_from(sorted(self.model.tickets)), label="ticket")

    # ----------------------------------------------------------------- rules

    @rule(service=st.sampled_from(["SA", "SB", "SC", "SD"]),
          kind=st.sampled_from(["normal", "normal", "normal", "green"]))
    def issue(self, service: str, kind: str) -> None:
        numbers: list[str] = []
        error = self.model_step(lambda: numbers.append(self.model.issue(service, kind)))
        result = self.expect(error, lambda: issuing.issue_ticket(self.db, service, site=SITE,
                                                                  kind=kind))
        if error is None:
            assert result.ticket.number == numbers[0]  # type: ignore[union-attr]

    @rule(window=st.sampled_from(sorted(WINDOWS)))
    def call_next(self, window: int) -> None:
        picked: list[ModelTicket | None] = []

        def step() -> None:
            self.model.free_window(window)
            ticket = self.model.pick(window)
            if ticket is not None:
                self.model.mark_called(ticket, window)
            picked.append(ticket)

        error = self.model_step(step)
        result = self.expect(error, lambda: queue.call_next(self.db, window, site=SITE))
        if error is None:
            got = result.ticket.number if result.ticket else None  # type: ignore[union-attr]
            assert got == (picked[0].number if picked[0] else None)

    @rule(data=st.data(), window=st.sampled_from(sorted(WINDOWS)))
    def call_number(self, data: st.DataObject, window: int) -> None:
        if not self.model.tickets:
            return
        number = self.pick_number(data, "waiting")

        def step() -> None:
            self.model.free_window(window)
            ticket = self.model.tickets[number]
            if ticket.target not in (None, window):
                raise NotYourTicket
            require(ticket.state, "waiting")
            self.model.mark_called(ticket, window)

        error = self.model_step(step)
        self.expect(error, lambda: queue.call_number(self.db, number, window, site=SITE))

    @rule(data=st.data(),
          action=st.sampled_from(["start", "finish", "recall", "no_show", "reinstate", "cancel"]),
          actor=st.sampled_from([None, 1, 2, 3, 4]))
    def act(self, data: st.DataObject, action: str, actor: int | None) -> None:
        if not self.model.tickets:
            return
        self.act_on(self.pick_number(data, *NEEDS[action]), action, actor)

    def act_on(self, number: str, action: str, actor: int | None) -> None:
        def step() -> None:
            ticket = self.model.tickets[number]
            self.check_actor(ticket, actor)
            self.apply(ticket, action)
            ticket.logged()

        error = self.model_step(step)
        operation = getattr(queue, action)
        self.expect(error, lambda: operation(self.db, number, site=SITE, actor=Actor(actor)))

    def check_actor(self, ticket: ModelTicket, actor: int | None) -> None:
        if actor is not None and ticket.state in ACTIVE and ticket.window != actor:
            raise NotYourTicket

    def apply(self, ticket: ModelTicket, action: str) -> None:
        if action == "start":
            require(ticket.state, "called")
            ticket.state = "serving"
            ticket.call_led_to_service()
        elif action == "finish":
            require(ticket.state, "serving")
            ticket.state = "finished"
            self.model.release(ticket)
        elif action == "recall":
            require(ticket.state, "called")
        elif action == "no_show":
            require(ticket.state, "called")
            ticket.state = "no_show"
            self.model.release(ticket)
        elif action == "reinstate":
            require(ticket.state, "no_show")
            ticket.position = self.model.reinstate_position(ticket)
            ticket.state, ticket.window = "waiting", None
        else:
            require(ticket.state, "waiting", "called", "no_show")
            ticket.state = "cancelled"
            self.model.release(ticket)

    @rule(data=st.data(), to_service=st.sampled_from([None, "SA", "SB", "SC", "SD"]),
          to_window=st.sampled_from(sorted(WINDOWS)), actor=st.sampled_from([None, 1, 2, 3, 4]))
    def transfer(self, data: st.DataObject, to_service: str | None, to_window: int,
                 actor: int | None) -> None:
        if not self.model.tickets:
            return
        self.transfer_ticket(self.pick_number(data, "waiting", "called", "serving"),
                             to_service, None if to_service else to_window, actor)

    def transfer_ticket(self, number: str, to_service: str | None, window_target: int | None,
                        actor: int | None) -> None:
        def step() -> None:
            ticket = self.model.tickets[number]
            self.check_actor(ticket, actor)
            if window_target is not None and ticket.window == window_target:
                raise UsageError  # the holding (or last) window cannot hand to itself
            require(ticket.state, "waiting", "called", "serving")
            if ticket.state == "called":  # handed on after the call: that call led on
                ticket.call_led_to_service()
            ticket.stays.append(ModelStay(opened_by=ticket.logged()))
            self.model.release(ticket)
            ticket.service = to_service or ticket.service
            ticket.target, ticket.transferred, ticket.window = window_target, True, None
            ticket.state = "waiting"
            ticket.position = self.model.next_position()

        error = self.model_step(step)
        self.expect(error, lambda: queue.transfer(self.db, number, to_service=to_service,
                                                  to_window=window_target, site=SITE,
                                                  actor=Actor(actor)))

    @rule(window=st.sampled_from(sorted(WINDOWS)))
    def pause_or_resume(self, window: int) -> None:
        if window in self.model.paused:
            self.model.paused.discard(window)
            queue.resume_window(self.db, window, site=SITE)
            return

        def step() -> None:
            if window in self.model.holds:
                raise WindowBusy
            self.model.paused.add(window)

        error = self.model_step(step)
        self.expect(error, lambda: queue.pause_window(self.db, window, "休息", site=SITE))

    # ----------------------------------------------------------------- agreement

    @invariant()
    def database_agrees_with_the_model(self) -> None:
        tickets = {t.number: t for t in list_tickets(self.db, site=SITE)}
        assert set(tickets) == set(self.model.tickets)
        for number, expected in self.model.tickets.items():
            got = tickets[number]
            assert (got.state, got.service, got.kind, got.transferred, got.window,
                    got.target_window) == (expected.state, expected.service, expected.kind,
                                           expected.transferred, expected.window,
                                           expected.target), number
        for window in list_windows(self.db, site=SITE):
            held = window.current_ticket.number if window.current_ticket else None
            assert held == self.model.holds.get(window.number), f"window {window.number}"
            assert window.paused == (window.number in self.model.paused)
            expected_order = [t.number for t in sorted(
                self.model.eligible(window.number), key=lambda t: (t.rank, t.position, t.index))]
            got_order = [t.number for t in waiting_for_window(self.db, window.number, site=SITE)]
            assert got_order == expected_order, f"waiting order at window {window.number}"

    @invariant()
    def stays_have_the_expected_waits(self) -> None:
        """Each stay has a wait exactly when its call led to service: the time from the
        event that opened the stay to that call, charged to the window that made it."""
        with self.db.read() as session:
            event_times: dict[str, list[dt.datetime]] = {}
            for number, at in session.execute(
                    select(Ticket.number, TicketEvent.at)
                    .join(Ticket, Ticket.id == TicketEvent.ticket_id).order_by(TicketEvent.id)):
                event_times.setdefault(number, []).append(at)
            stays: dict[str, list[tuple[int | None, int | None]]] = {}
            for number, wait_us, window in session.execute(
                    select(Ticket.number, Segment.wait_us, Window.number)
                    .join(Ticket, Ticket.id == Segment.ticket_id)
                    .outerjoin(Window, Window.id == Segment.window_id).order_by(Segment.id)):
                stays.setdefault(number, []).append((wait_us, window))
        for number, ticket in self.model.tickets.items():
            times = event_times[number]
            assert len(times) == ticket.events, f"{number}: events {len(times)}"
            expected = []
            for stay in ticket.stays:
                if stay.served_call is None:
                    expected.append(None)
                else:
                    waited = times[stay.served_call] - times[stay.opened_by]
                    expected.append((waited // dt.timedelta(microseconds=1), stay.served_window))
            got = [(wait, window) if wait is not None else None
                   for wait, window in stays[number]]
            assert got == expected, f"{number}: waits (us, window) of its stays"

    @invariant()
    def queue_invariants_hold(self) -> None:
        report = check_all(self.db)
        assert report.total == 0, report.describe()


@pytest.fixture(scope="module")
def machine_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("machine") / "template.db"
    db = Database(f"sqlite:///{path}")
    schema.upgrade(db)
    load_catalog(db, TEST_CATALOG)
    db.dispose()
    return path


@pytest.mark.slow
def test_queue_operations_agree_with_the_model(machine_template: Path, tmp_path: Path) -> None:
    """Any sequence of queue operations leaves the database as the model predicts, and
    every refused operation raises its domain error and writes nothing."""
    QueueMachine.template = machine_template
    QueueMachine.workdir = tmp_path
    run_state_machine_as_test(QueueMachine, settings=settings(
        max_examples=15, stateful_step_count=35, deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture]))


def test_reinstated_no_show_handed_over_while_waiting_has_no_wait(
        machine_template: Path, tmp_path: Path) -> None:
    """A no-show who is reinstated and then transferred while waiting again never had a
    call that led to service in that stay: no wait, nothing charged to the window whose
    call was missed. Served after a second call and transfer, the wait runs to the later
    call at the later window."""
    QueueMachine.template = machine_template
    QueueMachine.workdir = tmp_path
    machine = QueueMachine()
    try:
        def check() -> None:
            machine.database_agrees_with_the_model()
            machine.stays_have_the_expected_waits()
            machine.queue_invariants_hold()

        machine.issue("SA", "normal")
        machine.issue("SB", "normal")
        machine.call_next(2)  # A001 at window 2
        machine.act_on("A001", "no_show", 2)
        machine.act_on("A001", "reinstate", None)
        machine.transfer_ticket("A001", "SB", None, None)  # while waiting again
        check()
        first = machine.model.tickets["A001"].stays[0]
        assert first.call_window == 2 and first.served_call is None
        machine.call_next(3)  # A001: handed-over cases come before B001
        machine.act_on("A001", "no_show", 3)
        machine.act_on("A001", "reinstate", None)
        machine.call_next(1)  # A001 again, at window 1 this time
        machine.transfer_ticket("A001", "SD", None, 1)  # handed on while called
        check()
        stays = machine.model.tickets["A001"].stays
        assert [s.served_window for s in stays] == [None, 1, None]
    finally:
        machine.teardown()

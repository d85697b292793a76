"""Call-next routing on a real database: the tables of cases in docs/routing.md.

Test catalog: window 1 serves SA (weight 2) and SB (weight 1), window 2 serves SA,
window 3 serves SB and SC, window 4 serves SD. Steps use the notation of
:class:`tests.integration.conftest.Scenario`.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from shared import queue
from shared.catalog import load_catalog
from shared.db import Database
from shared.errors import NotYourTicket
from shared.read.hall_state import get_ticket, waiting_for_window
from tests.integration.conftest import (
    TEST_CATALOG_TEXT,
    Scenario,
    noon_zone,
    raises_and_writes_nothing,
    replace_once,
    with_timezone,
    write_catalog,
)

ROUTING_CASES = [
    # --- FIFO by issue order inside a class
    pytest.param(["SA", "SA", "SA"], 2, ["A001", "A002", "A003"], id="fifo-by-issue-order"),
    # --- green channel first, FIFO among green tickets
    pytest.param(["SA", "SA", "SA:green"], 2, ["A003", "A001", "A002"], id="green-first"),
    pytest.param(["SA", "SA:green", "SA:green"], 2, ["A002", "A003", "A001"],
                 id="green-fifo-among-green"),
    pytest.param(["SA", "SA", "SB:green"], 1, ["B001", "A001", "A002"],
                 id="green-first-across-services"),
    # --- due appointments after green, before transfers and ordinary tickets
    pytest.param(["SA", "SA:appt+5"], 2, ["A002", "A001"], id="appointment-due-10-min-early"),
    pytest.param(["SA", "SA:appt-5"], 2, ["A002", "A001"], id="appointment-5-min-late-still-due"),
    pytest.param(["SA", "SA:appt+30", "SA"], 2, ["A001", "A002", "A003"],
                 id="appointment-not-yet-due-waits-as-ordinary"),
    pytest.param(["SA", "SA:appt-30", "SA"], 2, ["A001", "A002", "A003"],
                 id="appointment-over-15-min-late-is-ordinary"),
    pytest.param(["SA:appt-5", "SA:green"], 2, ["A002", "A001"], id="green-before-appointment"),
    pytest.param(["SA:appt+5", "SA:appt-5"], 2, ["A001", "A002"],
                 id="due-appointments-fifo-by-issue-order"),
    # --- transfers after appointments, before ordinary tickets
    pytest.param(["SA", "SB>SA"], 2, ["B001", "A001"], id="transfer-before-ordinary"),
    pytest.param(["SB>SA", "SA:appt+5"], 2, ["A001", "B001"], id="appointment-before-transfer"),
    pytest.param(["SB>SA", "SA:green"], 2, ["A001", "B001"], id="green-before-transfer"),
    pytest.param(["SA", "SB>SA", "SA:appt-5", "SA:green"], 2, ["A003", "A002", "B001", "A001"],
                 id="all-four-classes"),
    # --- ordinary tickets of several services: weighted interleave (SA 2 : SB 1)
    pytest.param(["SA", "SA", "SA", "SA", "SB", "SB"], 1,
                 ["A001", "B001", "A002", "A003", "B002", "A004"], id="weighted-A-B-A-A-B-A"),
    pytest.param(["SB", "SB", "SB", "SA", "SA", "SA", "SA"], 1,
                 ["A001", "B001", "A002", "A003", "B002", "A004", "B003"],
                 id="weighted-ignores-issue-order-across-services"),
    pytest.param(["SA", "SB", "SB", "SB"], 1, ["A001", "B001", "B002", "B003"],
                 id="weighted-one-service-runs-dry"),
    pytest.param(["SA", "SA", "SB:green", "SB"], 1, ["B001", "A001", "B002", "A002"],
                 id="green-does-not-count-in-the-interleave"),
    # --- a window only sees its own services
    pytest.param(["SA", "SB", "SC", "SD"], 3, ["B001", "C001"], id="window-serves-only-its-services"),
    pytest.param(["SA", "SA>w4"], 4, ["A002"], id="ticket-handed-to-window-is-called-there"),
    pytest.param(["SA", "SA>w1", "SA"], 2, ["A001", "A003"], id="ticket-handed-to-window-1-skips-2"),
]


@pytest.mark.parametrize(("steps", "window", "expected"), ROUTING_CASES)
def test_call_next_routing(scenario: Scenario, steps: list[str], window: int,
                           expected: list[str]) -> None:
    """Call-next follows the class order, the weighted interleave and FIFO by issue order."""
    scenario.issue_all(steps)
    assert scenario.call_order(window) == expected


@pytest.mark.parametrize(("steps", "window"), [
    pytest.param(["SA", "SA:green", "SB>SA", "SA:appt+5"], 2, id="classes"),
    pytest.param(["SA", "SA", "SA", "SB", "SB"], 1, id="weighted"),
])
def test_waiting_list_shows_the_class_order(scenario: Scenario, steps: list[str],
                                            window: int) -> None:
    """The counter's waiting list starts with the ticket call-next will take."""
    scenario.issue_all(steps)
    first = waiting_for_window(scenario.db, window, site="hall")[0].number
    assert scenario.call_order(window)[0] == first


REINSTATE_CASES = [
    pytest.param(6, ["A002", "A003", "A004", "A001", "A005", "A006"], id="after-the-next-3"),
    pytest.param(4, ["A002", "A003", "A004", "A001"], id="exactly-3-waiting-goes-last"),
    pytest.param(3, ["A002", "A003", "A001"], id="fewer-than-3-goes-to-the-back"),
    pytest.param(1, ["A001"], id="nobody-else-waiting"),
]


@pytest.mark.parametrize(("issued", "expected"), REINSTATE_CASES)
def test_reinstated_no_show_goes_after_the_next_three(scenario: Scenario, issued: int,
                                                       expected: list[str]) -> None:
    """A reinstated no-show (过号重排) goes in after the next 3 waiting tickets of its queue."""
    scenario.issue_all(["SA"] * issued)
    first = queue.call_next(scenario.db, 2, site="hall").ticket
    assert first is not None and first.number == "A001"
    queue.no_show(scenario.db, "A001", site="hall")
    queue.reinstate(scenario.db, "A001", site="hall")
    assert scenario.call_order(2) == expected


def test_reinstate_counts_only_its_own_queue(scenario: Scenario) -> None:
    """Tickets of another service do not count among the 3 a reinstated no-show lets by."""
    scenario.issue_all(["SA", "SB", "SB", "SB", "SB", "SA", "SA", "SA", "SA"])
    queue.call_next(scenario.db, 2, site="hall")
    queue.no_show(scenario.db, "A001", site="hall")
    queue.reinstate(scenario.db, "A001", site="hall")
    assert scenario.call_order(2) == ["A002", "A003", "A004", "A001", "A005"]


def test_reinstated_twice_stays_after_three(scenario: Scenario) -> None:
    """A second no-show and reinstatement again lets exactly three tickets go first."""
    scenario.issue_all(["SA"] * 10)
    queue.call_next(scenario.db, 2, site="hall")
    queue.no_show(scenario.db, "A001", site="hall")
    queue.reinstate(scenario.db, "A001", site="hall")
    assert scenario.call_order(2, count=3) == ["A002", "A003", "A004"]
    # A004 is being served: the next call finishes it and calls A001.
    called = queue.call_next(scenario.db, 2, site="hall").ticket
    assert called is not None and called.number == "A001"
    queue.no_show(scenario.db, "A001", site="hall")
    queue.reinstate(scenario.db, "A001", site="hall")
    assert scenario.call_order(2) == ["A005", "A006", "A007", "A001", "A008", "A009", "A010"]


class TestTransfers:
    def test_transfer_keeps_number_and_joins_the_transfer_class(self, scenario: Scenario) -> None:
        """A ticket handed to another service keeps its number and is called before that
        service's ordinary tickets."""
        db = scenario.db
        scenario.issue_all(["SB", "SA"])
        called = queue.call_next(db, 3, site="hall").ticket
        assert called is not None and called.number == "B001"
        queue.start(db, "B001", site="hall")
        moved = queue.transfer(db, "B001", to_service="SA", note="需甲业务", site="hall")
        assert (moved.number, moved.service, moved.transferred, moved.state, moved.window) == (
            "B001", "SA", True, "waiting", None)
        assert scenario.call_order(2) == ["B001", "A001"]

    def test_transferred_green_ticket_keeps_its_priority(self, scenario: Scenario) -> None:
        """A green-channel ticket handed over stays green: first at the receiving window."""
        db = scenario.db
        scenario.issue_all(["SB:green", "SA", "SA>w2", "SA:appt+5"])
        queue.call_next(db, 3, site="hall")
        queue.start(db, "B001", site="hall")
        moved = queue.transfer(db, "B001", to_window=2, site="hall")
        assert (moved.kind, moved.transferred, moved.target_window) == ("green", True, 2)
        assert scenario.call_order(2) == ["B001", "A003", "A002", "A001"]

    def test_ticket_handed_to_a_window_is_only_callable_there(self, scenario: Scenario) -> None:
        """A ticket handed over to window 1 is neither called nor callable by window 2."""
        db = scenario.db
        scenario.issue_all(["SA>w1"])
        assert queue.call_next(db, 2, site="hall").ticket is None
        raises_and_writes_nothing(db, NotYourTicket,
                                  lambda: queue.call_number(db, "A001", 2, site="hall"))
        called = queue.call_number(db, "A001", 1, site="hall")
        assert (called.window, called.target_window) == (1, None)

    def test_transfer_to_a_window_of_another_service(self, scenario: Scenario) -> None:
        """A ticket handed to a window that does not serve its service is still called there."""
        db = scenario.db
        scenario.issue_all(["SA"])
        queue.call_next(db, 2, site="hall")
        queue.start(db, "A001", site="hall")
        queue.transfer(db, "A001", to_window=4, site="hall")
        assert scenario.call_order(4) == ["A001"]
        assert get_ticket(db, "A001", site="hall").service == "SA"

    def test_transfer_runs_behind_earlier_transfers(self, scenario: Scenario) -> None:
        """Transferred tickets are called in the order they were handed over."""
        db = scenario.db
        scenario.issue_all(["SB", "SC", "SA"])
        queue.transfer(db, "C001", to_service="SA", site="hall")
        queue.transfer(db, "B001", to_service="SA", site="hall")
        assert scenario.call_order(2) == ["C001", "B001", "A001"]


def _routing_variant(tmp_path: Path, routing: str) -> Path:
    content = with_timezone(TEST_CATALOG_TEXT, noon_zone())
    content = replace_once(content, "[[sites.windows]]\nnumber = 1\nname = \"综合窗口\"\n"
                           "services = { SA = 2, SB = 1 }",
                           f"[sites.routing]\n{routing}\n\n[[sites.windows]]\nnumber = 1\n"
                           "name = \"综合窗口\"\nservices = { SA = 2, SB = 1 }")
    return write_catalog(tmp_path, content, "routing.toml")


CONFIGURED_CASES = [
    pytest.param('class_order = ["appointment", "green", "transfer", "normal"]',
                 ["SA:green", "SA:appt+5"], ["A002", "A001"], id="appointments-before-green"),
    pytest.param('transfer_rule = "back"', ["SA", "SB>SA"], ["A001", "B001"],
                 id="transfer-rule-back-joins-as-ordinary"),
    pytest.param("reinstate_after = 1", None, ["A002", "A001", "A003", "A004"],
                 id="reinstate-after-one"),
    pytest.param("appointment_early_minutes = 40", ["SA", "SA:appt+30"], ["A002", "A001"],
                 id="appointment-due-40-min-early"),
    pytest.param("appointment_late_minutes = 40", ["SA", "SA:appt-30"], ["A002", "A001"],
                 id="appointment-late-limit-40-min"),
]


@pytest.mark.parametrize(("routing", "steps", "expected"), CONFIGURED_CASES)
def test_routing_rules_are_configurable_per_site(noon_db: Database, tmp_path: Path,
                                                 routing: str, steps: list[str] | None,
                                                 expected: list[str]) -> None:
    """A site's [sites.routing] table changes the class order, transfer and reinstate rules."""
    load_catalog(noon_db, _routing_variant(tmp_path, routing))
    scenario = Scenario(noon_db, noon_zone())
    if steps is None:  # the no-show case
        scenario.issue_all(["SA"] * 4)
        queue.call_next(noon_db, 2, site="hall")
        queue.no_show(noon_db, "A001", site="hall")
        queue.reinstate(noon_db, "A001", site="hall")
    else:
        scenario.issue_all(steps)
    assert scenario.call_order(2) == expected


def test_late_check_in_gives_an_ordinary_ticket(scenario: Scenario) -> None:
    """More than 15 minutes late, an appointment check-in gives an ordinary ticket."""
    late = scenario.issue("SA:appt-30")
    on_time = scenario.issue("SA:appt-5")
    assert get_ticket(scenario.db, late, site="hall").kind == "normal"
    assert get_ticket(scenario.db, on_time, site="hall").kind == "appointment"


def test_appointment_and_green_share_the_service_sequence(scenario: Scenario) -> None:
    """Green-channel and appointment tickets take their numbers from the service's sequence."""
    numbers = scenario.issue_all(["SA", "SA:green", "SA:appt+5", "SA"])
    assert numbers == ["A001", "A002", "A003", "A004"]


def test_weighted_credits_are_stored_in_the_database(scenario: Scenario) -> None:
    """The interleave goes on from the stored credits, even from another terminal's
    connection: after A the next pick is B, not A again as from fresh credits."""
    scenario.issue_all(["SA", "SA", "SB", "SB"])
    assert scenario.call_order(1, count=1) == ["A001"]
    other_terminal = Database(str(scenario.db.url.render_as_string(hide_password=False)))
    try:
        again = Scenario(other_terminal, scenario.zone)
        assert again.call_order(1) == ["B001", "A002", "B002"]
    finally:
        other_terminal.dispose()

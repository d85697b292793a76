"""The counter's "下一位" preview is a dry run of call-next: on every table of routing
cases, at every step, the preview's first ticket is the one call-next then calls, and the
preview of the whole queue is the order call-next then follows.

Test catalog: window 1 serves SA (weight 2) and SB (weight 1); see tests/integration/
test_routing.py. The Chun'an case uses the shipped catalog (window 1: 不动产登记 2,
不动产查询 1, 税务 1).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from shared import issuing, queue
from shared.catalog import load_catalog
from shared.db import Database
from shared.demo import load_chunan_around_the_clock
from shared.errors import UsageError
from shared.queue import preview_calls
from shared.read.hall_state import waiting_for_window
from tests.integration.conftest import Scenario, snapshot
from tests.integration.test_routing import CONFIGURED_CASES, ROUTING_CASES, _routing_variant

pytestmark = pytest.mark.all_backends


def preview(db: Database, window: int, count: int = 1, site: str = "hall") -> list[str]:
    return [ticket.number for ticket in preview_calls(db, window, site=site, count=count)]


def call_and_compare(db: Database, window: int, site: str = "hall") -> list[str]:
    """Call next until nobody waits; before every call the preview's first ticket and
    the preview of the whole queue must be what call-next then does."""
    called: list[str] = []
    foreseen = preview(db, window, 100, site)
    for _ in range(100):
        first = preview(db, window, 1, site)
        result = queue.call_next(db, window, site=site).ticket
        if result is None:
            assert first == [], f"preview showed {first} but nobody was called"
            break
        assert first == [result.number], f"after {called}: preview {first}, called {result.number}"
        called.append(result.number)
        queue.start(db, result.number, site=site)
    assert foreseen == called, "the preview of the whole queue differs from the calls"
    return called


@pytest.mark.parametrize(("steps", "window", "expected"), ROUTING_CASES)
def test_preview_follows_call_next(scenario: Scenario, steps: list[str], window: int,
                                   expected: list[str]) -> None:
    """Green channel, appointments, transfers, weighted interleave, window hand-overs."""
    scenario.issue_all(steps)
    assert call_and_compare(scenario.db, window) == expected


def test_preview_with_credits_left_by_earlier_calls(scenario: Scenario) -> None:
    """Mid-morning the interleave credits are not zero: the preview starts from them."""
    scenario.issue_all(["SA", "SB", "SA", "SA", "SB", "SA", "SB", "SA", "SA", "SB"])
    assert scenario.call_order(1, count=2) == ["A001", "B001"]
    scenario.issue_all(["SB", "SA:green", "SA"])
    call_and_compare(scenario.db, 1)


def test_preview_while_other_windows_call(scenario: Scenario) -> None:
    """Window 2 takes SA tickets in between: window 1's preview still names its next call."""
    db = scenario.db
    scenario.issue_all(["SA", "SA", "SB", "SA", "SB", "SA", "SA"])
    for _ in range(3):
        first = preview(db, 1)
        called = queue.call_next(db, 1, site="hall").ticket
        assert called is not None and first == [called.number]
        queue.start(db, called.number, site="hall")
        other = queue.call_next(db, 2, site="hall").ticket
        assert other is not None
        queue.start(db, other.number, site="hall")
    call_and_compare(db, 1)


def test_preview_of_reinstated_no_shows(scenario: Scenario) -> None:
    """A reinstated no-show comes back after three others, in the preview as in the calls."""
    db = scenario.db
    scenario.issue_all(["SA"] * 3 + ["SB"] * 2 + ["SA"] * 3)
    first = queue.call_next(db, 1, site="hall").ticket
    assert first is not None
    queue.no_show(db, first.number, site="hall")
    queue.reinstate(db, first.number, site="hall")
    order = call_and_compare(db, 1)
    assert first.number in order[3:]


@pytest.mark.parametrize(("routing", "steps", "expected"), CONFIGURED_CASES)
def test_preview_under_configured_rules(scenario: Scenario, tmp_path: Path, routing: str,
                                        steps: list[str] | None, expected: list[str]) -> None:
    """Per-site class orders, transfer and reinstate rules apply to the preview as to
    call-next."""
    db = scenario.db
    load_catalog(db, _routing_variant(tmp_path, routing))
    if steps is None:  # the no-show case
        scenario.issue_all(["SA"] * 4)
        queue.call_next(db, 2, site="hall")
        queue.no_show(db, "A001", site="hall")
        queue.reinstate(db, "A001", site="hall")
    else:
        scenario.issue_all(steps)
    assert call_and_compare(db, 2) == expected


def test_preview_at_chunan_comprehensive_window(db: Database) -> None:
    """Chun'an window 1 (不动产登记 2 : 不动产查询 1 : 税务 1), with a green-channel ticket;
    the plain waiting list (class and queue order) would show a different ticket."""
    load_chunan_around_the_clock(db)
    for code, kind in [("RE-QUERY", "normal"), ("TAX", "normal"), ("RE-QUERY", "normal"),
                       ("RE-REG", "normal"), ("RE-REG", "normal"), ("TAX", "normal"),
                       ("RE-REG", "green"), ("RE-REG", "normal"), ("RE-QUERY", "normal")]:
        issuing.issue_ticket(db, code, site="chunan", kind=kind)
    first_two = preview(db, 1, 2, site="chunan")
    in_queue_order = [t.number for t in waiting_for_window(db, 1, site="chunan")]
    assert first_two[0] == in_queue_order[0]  # the green-channel ticket
    assert first_two[1] != in_queue_order[1]  # the interleave, not the queue order
    assert call_and_compare(db, 1, site="chunan")[:2] == first_two


def test_preview_reads_only(scenario: Scenario) -> None:
    """The preview locks and writes nothing, and refuses a count below one."""
    scenario.issue_all(["SA", "SB", "SA"])
    before = snapshot(scenario.db)
    assert preview(scenario.db, 1, 5) == ["A001", "B001", "A002"]
    assert snapshot(scenario.db) == before
    with pytest.raises(UsageError, match="count"):
        preview_calls(scenario.db, 1, site="hall", count=0)

"""The routing rules as pure functions: the weighted interleave and the rules table."""

from __future__ import annotations

from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from shared.routing import CLASSES, RoutingRules, settle_credits, weighted_first, weighted_order

A, B, C = 1, 2, 3  # service ids


def run_interleave(weights: dict[int, int], steps: int,
                   waiting: list[int] | None = None) -> list[int]:
    """Serve ``steps`` tickets with every service always having someone waiting."""
    credits: dict[int, int] = {}
    candidates = sorted(waiting or weights)
    served: list[int] = []
    for _ in range(steps):
        order, credits = weighted_order(credits, weights, candidates)
        served.append(order[0])
    return served


@pytest.mark.parametrize(("weights", "expected"), [
    pytest.param({A: 2, B: 1}, [A, B, A, A, B, A], id="2-1-gives-A-B-A-A-B-A"),
    pytest.param({A: 1, B: 1}, [A, B, A, B, A, B], id="equal-weights-alternate"),
    pytest.param({A: 5, B: 1, C: 1}, [A, A, B, A, C, A, A], id="5-1-1-smooth-not-bursty"),
    pytest.param({A: 1, B: 3}, [B, A, B, B], id="heavier-service-first"),
    pytest.param({A: 4}, [A, A, A], id="single-service"),
])
def test_weighted_order_sequences(weights: dict[int, int], expected: list[int]) -> None:
    """The smooth weighted round-robin gives the documented call sequences."""
    assert run_interleave(weights, len(expected)) == expected


@pytest.mark.parametrize("weights", [{A: 2, B: 1}, {A: 3, B: 2, C: 1}, {A: 7, B: 1}])
def test_weighted_order_shares_match_weights_over_a_full_round(weights: dict[int, int]) -> None:
    """Over one round of sum(weights) calls each service is served exactly its weight."""
    total = sum(weights.values())
    served = Counter(run_interleave(weights, total * 4))
    assert served == {s: w * 4 for s, w in weights.items()}


def test_weighted_order_returns_all_candidates_best_first() -> None:
    """The order lists every candidate, so a window can fall back when one head is taken."""
    order, new = weighted_order({A: 0, B: 0, C: 0}, {A: 1, B: 3, C: 2}, [A, B, C])
    assert order == [B, C, A]
    assert new == {A: 1, B: 3 - 6, C: 2}


@settings(max_examples=500, deadline=None)
@given(st.dictionaries(st.integers(1, 6), st.integers(-9, 9)),
       st.dictionaries(st.integers(1, 6), st.integers(1, 4)),
       st.lists(st.integers(1, 6), min_size=1, max_size=6, unique=True))
def test_weighted_first_is_the_first_of_weighted_order(
        credits: dict[int, int], weights: dict[int, int], candidates: list[int]) -> None:
    """The wait prediction's shortcut takes the same step as a window's call: the same
    service, ties and missing weights included, and the same credits after it."""
    order, settled = weighted_order(credits, weights, candidates)
    assert weighted_first(credits, weights, candidates) == (order[0], settled)


def test_weighted_order_ties_go_to_the_smaller_id() -> None:
    """Equal credits are broken by service id so every terminal decides alike."""
    order, _ = weighted_order({}, {A: 1, B: 1}, [B, A])
    assert order[0] == A


def test_weighted_order_ignores_services_without_waiting_tickets() -> None:
    """Only services with someone waiting take part; the others' credits are untouched."""
    order, new = weighted_order({A: 5, B: -1}, {A: 2, B: 1}, [B])
    assert order == [B]
    assert new == {B: -1}


def test_weighted_order_of_nothing() -> None:
    """With no candidates there is nothing to call."""
    assert weighted_order({A: 1}, {A: 1}, []) == ([], {})


def test_missing_weight_counts_as_one() -> None:
    """A service without a configured weight is treated as weight 1."""
    order, new = weighted_order({}, {A: 2}, [A, B])
    assert order == [A, B]
    assert new == {A: 2 - 3, B: 1}


def test_settle_credits_equals_weighted_order_for_the_first_choice() -> None:
    """Serving the first choice settles the credits exactly as weighted_order predicted."""
    credits, weights = {A: 1, B: -2}, {A: 2, B: 1}
    order, predicted = weighted_order(credits, weights, [A, B])
    assert settle_credits(credits, weights, [A, B], order[0]) == predicted


def test_settle_credits_charges_the_service_actually_served() -> None:
    """When the first choice's head was taken by another window, the fallback pays."""
    credits, weights = {A: 0, B: 0}, {A: 2, B: 1}
    assert settle_credits(credits, weights, [A, B], B) == {A: 2, B: 1 - 3}


def test_credits_stay_bounded() -> None:
    """Credits never drift: after many rounds they stay within the sum of the weights."""
    weights = {A: 5, B: 3, C: 1}
    credits: dict[int, int] = {}
    for _ in range(900):
        _, credits = weighted_order(credits, weights, [A, B, C])
        assert all(abs(v) <= sum(weights.values()) for v in credits.values())
    assert sum(credits.values()) == 0


class TestRoutingRules:
    def test_defaults_are_the_halls_usual_rules(self) -> None:
        """Defaults: green, appointments, transfers, ordinary; due 10 min early; late
        after 15 min; reinstated after 3; transfers keep priority."""
        rules = RoutingRules.from_mapping(None)
        assert rules.class_order == CLASSES == ("green", "appointment", "transfer", "normal")
        assert (rules.appointment_early_minutes, rules.appointment_late_minutes,
                rules.reinstate_after, rules.transfer_rule) == (10, 15, 3, "priority")

    def test_every_key_can_be_set(self) -> None:
        """Each documented key is read from the catalog's [sites.routing] table."""
        rules = RoutingRules.from_mapping({
            "class_order": ["normal", "transfer", "appointment", "green"],
            "appointment_early_minutes": 5, "appointment_late_minutes": 30,
            "reinstate_after": 0, "transfer_rule": "back"})
        assert rules == RoutingRules(("normal", "transfer", "appointment", "green"), 5, 30, 0,
                                     "back")
        assert rules.rank("green") == 3

    @pytest.mark.parametrize(("data", "message"), [
        pytest.param({"priority": 1}, "unknown routing key(s): priority", id="unknown-key"),
        pytest.param({"class_order": ["green", "normal"]}, "class_order must list each",
                     id="class-missing"),
        pytest.param({"class_order": ["green", "green", "transfer", "normal"]},
                     "class_order must list each", id="class-twice"),
        pytest.param({"transfer_rule": "front"}, "transfer_rule must be", id="bad-transfer-rule"),
        pytest.param({"reinstate_after": -1}, "reinstate_after must not be negative",
                     id="negative-reinstate"),
        pytest.param({"appointment_late_minutes": -5},
                     "appointment_late_minutes must not be negative", id="negative-late"),
    ])
    def test_bad_rules_name_the_key(self, data: dict[str, object], message: str) -> None:
        """A bad routing table is refused with a message naming the key."""
        with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")):
            RoutingRules.from_mapping(data)

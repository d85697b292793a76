"""The one transition table every queue operation obeys (shared.states)."""

from __future__ import annotations

import pytest

from shared.errors import IllegalTransition
from shared.states import (
    ACTIVE_AT_WINDOW,
    TRANSITIONS,
    Action,
    TicketState,
    next_state,
    window_may,
)
from shared.vocabulary import STATES

S = TicketState
LEGAL = [
    (Action.CALL, S.WAITING, S.CALLED),
    (Action.RECALL, S.CALLED, S.CALLED),
    (Action.NO_SHOW, S.CALLED, S.NO_SHOW),
    (Action.REINSTATE, S.NO_SHOW, S.WAITING),
    (Action.START, S.CALLED, S.SERVING),
    (Action.FINISH, S.SERVING, S.FINISHED),
    (Action.TRANSFER, S.WAITING, S.WAITING),
    (Action.TRANSFER, S.CALLED, S.WAITING),
    (Action.TRANSFER, S.SERVING, S.WAITING),
    (Action.CANCEL, S.WAITING, S.CANCELLED),
    (Action.CANCEL, S.CALLED, S.CANCELLED),
    (Action.CANCEL, S.NO_SHOW, S.CANCELLED),
    (Action.EXPIRE, S.WAITING, S.EXPIRED),
    (Action.EXPIRE, S.CALLED, S.EXPIRED),
    (Action.EXPIRE, S.SERVING, S.EXPIRED),
    (Action.EXPIRE, S.NO_SHOW, S.EXPIRED),
]
LEGAL_PAIRS = {(a, s) for a, s, _ in LEGAL}
ILLEGAL = [(a, s) for a in TRANSITIONS for s in TicketState if (a, s) not in LEGAL_PAIRS]


@pytest.mark.parametrize(("action", "state", "target"), LEGAL,
                         ids=[f"{a.value}-from-{s.value}" for a, s, _ in LEGAL])
def test_legal_transitions(action: Action, state: TicketState, target: TicketState) -> None:
    """Each legal move of the table leads to its documented state."""
    assert next_state(action, state) is target


@pytest.mark.parametrize(("action", "state"), ILLEGAL,
                         ids=[f"{a.value}-from-{s.value}" for a, s in ILLEGAL])
def test_every_other_move_is_illegal(action: Action, state: TicketState) -> None:
    """Every move not in the table raises IllegalTransition naming state and action."""
    with pytest.raises(IllegalTransition) as info:
        next_state(action, state.value, "A017")
    message = str(info.value)
    assert "A017" in message and state.value in message and action.value in message
    assert STATES[state] in message


def test_final_states_have_no_way_out_but_none() -> None:
    """Finished, cancelled and expired tickets cannot move again."""
    for final in (S.FINISHED, S.CANCELLED, S.EXPIRED):
        assert all(final not in allowed for allowed, _ in TRANSITIONS.values())


def test_window_holds_only_called_and_serving_tickets() -> None:
    """A window holds a ticket while it is called or being served, and only then."""
    assert frozenset({S.CALLED, S.SERVING}) == ACTIVE_AT_WINDOW



def test_unknown_state_is_a_value_error() -> None:
    """A state that is not in the vocabulary is rejected outright."""
    with pytest.raises(ValueError, match="'lost'"):
        next_state(Action.CALL, "lost")


@pytest.mark.parametrize(("action", "paused", "held", "allowed"), [
    (Action.CALL, False, None, True),
    (Action.CALL, False, S.SERVING, True),  # the call finishes the served ticket first
    (Action.CALL, False, S.CALLED, False),  # start it or mark it no-show first
    (Action.CALL, True, None, False),
    (Action.PAUSE, False, None, True),
    (Action.PAUSE, False, S.SERVING, False),
    (Action.PAUSE, False, S.CALLED, False),
    (Action.PAUSE, True, None, False),
    (Action.RESUME, True, None, True),
    (Action.RESUME, False, None, False),
])
def test_window_rules(action: Action, paused: bool, held: TicketState | None,
                      allowed: bool) -> None:
    """A paused window only resumes; it pauses holding nothing; it calls holding nothing
    or a served ticket, never a called one."""
    assert window_may(action, paused=paused, held=held) is allowed


def test_only_window_actions_have_window_rules() -> None:
    with pytest.raises(ValueError, match="finish"):
        window_may(Action.FINISH, paused=False, held=None)

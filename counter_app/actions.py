"""What a clerk can do at the window, and when each action is legal.

Whether a ticket action is legal comes from :data:`shared.states.TRANSITIONS`, the one
table the queue core itself obeys, and whether the window may call, pause or resume from
:func:`shared.states.window_may`, the rules the core enforces, so a button is enabled
exactly when the core would accept the action.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from shared.states import TRANSITIONS, Action, TicketState, window_may


class CounterAction(StrEnum):
    CALL_NEXT = "call_next"
    RECALL = "recall"
    NO_SHOW = "no_show"
    START = "start"
    FINISH = "finish"
    TRANSFER = "transfer"
    CALL_NUMBER = "call_number"
    REINSTATE = "reinstate"
    PAUSE = "pause"
    RESUME = "resume"
    REPRINT = "reprint"


@dataclass(frozen=True)
class ActionKey:
    action: CounterAction
    shortcut: str  # a QKeySequence string, shown on the button


# The order of the buttons on screen; pause and resume share one button and one key.
ACTION_KEYS: tuple[ActionKey, ...] = (
    ActionKey(CounterAction.CALL_NEXT, "F1"),
    ActionKey(CounterAction.RECALL, "F2"),
    ActionKey(CounterAction.START, "F3"),
    ActionKey(CounterAction.FINISH, "F4"),
    ActionKey(CounterAction.NO_SHOW, "F5"),
    ActionKey(CounterAction.TRANSFER, "F6"),
    ActionKey(CounterAction.CALL_NUMBER, "F7"),
    ActionKey(CounterAction.REINSTATE, "F8"),
    ActionKey(CounterAction.PAUSE, "F9"),
    ActionKey(CounterAction.RESUME, "F9"),
    ActionKey(CounterAction.REPRINT, "F10"),
)
SHORTCUTS = {key.action: key.shortcut for key in ACTION_KEYS}

# Ticket actions on the ticket the window holds, and the core action that rules them.
HELD_TICKET_ACTIONS = {
    CounterAction.RECALL: Action.RECALL,
    CounterAction.NO_SHOW: Action.NO_SHOW,
    CounterAction.START: Action.START,
    CounterAction.FINISH: Action.FINISH,
    CounterAction.TRANSFER: Action.TRANSFER,
}


def legal_for(action: Action, state: TicketState | str | None) -> bool:
    """Whether the core's transition table lets ``action`` start from ``state``."""
    return state is not None and TicketState(state) in TRANSITIONS[action][0]


def enabled_actions(held_state: TicketState | str | None, *, paused: bool,
                    can_print: bool) -> frozenset[CounterAction]:
    """The actions legal for a window that holds a ticket in ``held_state`` (None: holds
    nothing), paused or not; reprinting also needs a printer."""
    enabled: set[CounterAction] = set()
    if window_may(Action.RESUME, paused=paused, held=held_state):
        enabled.add(CounterAction.RESUME)
    if window_may(Action.CALL, paused=paused, held=held_state):
        enabled |= {CounterAction.CALL_NEXT, CounterAction.CALL_NUMBER}
    if window_may(Action.PAUSE, paused=paused, held=held_state):
        enabled.add(CounterAction.PAUSE)
    for counter_action, core_action in HELD_TICKET_ACTIONS.items():
        if legal_for(core_action, held_state):
            enabled.add(counter_action)
    # Any of today's no-shows may be reinstated; the dialog lists only those.
    enabled.add(CounterAction.REINSTATE)
    if can_print:
        enabled.add(CounterAction.REPRINT)
    return frozenset(enabled)

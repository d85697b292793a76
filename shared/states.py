"""Ticket states, actions and the one transition table every queue operation obeys.

The vocabulary follows the field (NovoSGA and hall practice): a ticket is issued into a
queue, called to a window, started, finished; it may be recalled, marked no-show and
reinstated, transferred (handed over) to another service or window, cancelled, or closed
at the end of the business day.
"""

from __future__ import annotations

from enum import StrEnum

from shared.errors import IllegalTransition


class TicketState(StrEnum):
    WAITING = "waiting"
    CALLED = "called"
    SERVING = "serving"
    FINISHED = "finished"
    NO_SHOW = "no_show"
    CANCELLED = "cancelled"
    EXPIRED = "expired"  # left over when the business day was closed


class TicketKind(StrEnum):
    NORMAL = "normal"
    GREEN = "green"  # 绿色通道: elderly, disabled, pregnant, military
    APPOINTMENT = "appointment"


class Outcome(StrEnum):
    """How a finished case ended: the measure of "at most one trip"."""

    COMPLETED = "completed"  # 办结
    ACCEPTED = "accepted"  # 受理: accepted for back-office processing
    MATERIALS_MISSING = "materials-missing"  # 材料不全
    CONSULTATION = "consultation"  # 咨询


class Action(StrEnum):
    ISSUE = "issue"
    CALL = "call"
    RECALL = "recall"
    NO_SHOW = "no_show"
    REINSTATE = "reinstate"
    START = "start"
    FINISH = "finish"
    TRANSFER = "transfer"
    CANCEL = "cancel"
    EXPIRE = "expire"
    PAUSE = "pause"
    RESUME = "resume"
    LOGIN = "login"
    LOGOUT = "logout"
    REPRINT = "reprint"


S = TicketState
# action -> (states it may start from, state it leads to)
TRANSITIONS: dict[Action, tuple[frozenset[TicketState], TicketState]] = {
    Action.CALL: (frozenset({S.WAITING}), S.CALLED),
    Action.RECALL: (frozenset({S.CALLED}), S.CALLED),
    Action.NO_SHOW: (frozenset({S.CALLED}), S.NO_SHOW),
    Action.REINSTATE: (frozenset({S.NO_SHOW}), S.WAITING),
    Action.START: (frozenset({S.CALLED}), S.SERVING),
    Action.FINISH: (frozenset({S.SERVING}), S.FINISHED),
    Action.TRANSFER: (frozenset({S.WAITING, S.CALLED, S.SERVING}), S.WAITING),
    Action.CANCEL: (frozenset({S.WAITING, S.CALLED, S.NO_SHOW}), S.CANCELLED),
    Action.EXPIRE: (frozenset({S.WAITING, S.CALLED, S.SERVING, S.NO_SHOW}), S.EXPIRED),
}

ACTIVE_AT_WINDOW = frozenset({S.CALLED, S.SERVING})
WINDOW_ACTIONS = frozenset({Action.CALL, Action.PAUSE, Action.RESUME})


def window_may(action: Action, *, paused: bool, held: TicketState | str | None) -> bool:
    """The window's own rules, which the queue core enforces and the counter's buttons
    follow: a paused window only resumes; a window pauses only when it holds no ticket;
    it calls (next, or a number) when it holds nothing or a ticket being served, which
    the call finishes first, never while a called ticket waits to be started."""
    if action not in WINDOW_ACTIONS:
        raise ValueError(f"{action.value} is not a window action")
    if action is Action.RESUME or paused:
        return action is Action.RESUME and paused
    if action is Action.PAUSE:
        return held is None
    return held is None or TicketState(held) in TRANSITIONS[Action.FINISH][0]


class AppointmentState(StrEnum):
    """A booking (预约): booked, then checked in (its ticket issued) or cancelled."""

    BOOKED = "booked"
    CHECKED_IN = "checked_in"
    CANCELLED = "cancelled"


class AppointmentAction(StrEnum):
    CHECK_IN = "check_in"
    CANCEL = "cancel"


A = AppointmentState
APPOINTMENT_TRANSITIONS: dict[AppointmentAction, tuple[frozenset[AppointmentState],
                                                       AppointmentState]] = {
    AppointmentAction.CHECK_IN: (frozenset({A.BOOKED}), A.CHECKED_IN),
    AppointmentAction.CANCEL: (frozenset({A.BOOKED}), A.CANCELLED),
}


def next_state(action: Action, current: TicketState | str, number: str = "") -> TicketState:
    """Return the state ``action`` leads to, or raise IllegalTransition naming both."""
    allowed, target = TRANSITIONS[action]
    state = TicketState(current)
    if state not in allowed:
        from shared.vocabulary import STATES  # the vocabulary imports these enums

        label = f"{number} " if number else ""
        raise IllegalTransition(
            f"票号 {label}当前为“{STATES[state]}”，不能执行此操作 "
            f"(ticket {label}is {state.value}; '{action.value}' needs "
            f"{' or '.join(sorted(s.value for s in allowed))})"
        )
    return target


def next_appointment_state(action: AppointmentAction, current: AppointmentState | str,
                           code: str) -> AppointmentState:
    """The state a booking moves to, or IllegalTransition naming its state."""
    allowed, target = APPOINTMENT_TRANSITIONS[action]
    state = AppointmentState(current)
    if state not in allowed:
        from shared.vocabulary import APPOINTMENT_STATES

        raise IllegalTransition(
            f"预约 {code} {APPOINTMENT_STATES[state]}，不能{_APPOINTMENT_VERBS[action]} "
            f"(appointment {code} is {state.value}; {action.value} needs "
            f"{' or '.join(sorted(s.value for s in allowed))})")
    return target


_APPOINTMENT_VERBS = {AppointmentAction.CHECK_IN: "签到", AppointmentAction.CANCEL: "取消"}

"""The words of the domain, defined once: ticket states, kinds, outcomes, appointment
states, the satisfaction levels of 好差评, the weekdays, the states, opinions and appeals
of a bad rating's follow-up, and the dimensions the statistics break down by.

The tables hold the Chinese source text marked for lupdate (context ``Vocabulary``, in
resources/translations/shared_en.ts); the ``*_label`` functions return it in the current
language (shared/i18n.py). The counter, the supervisor, the CLI, the printed slip and the
reports all take their words from here. Error messages that quote a word use the Chinese
table itself (``STATES[...]``): they are worded "中文 (English)" and shown one half at a
time (:func:`shared.i18n.one_language`).
"""

from __future__ import annotations

from shared.i18n import QT_TRANSLATE_NOOP, translate
from shared.states import AppointmentState, Outcome, TicketKind, TicketState

CONTEXT = "Vocabulary"

STATES: dict[TicketState, str] = {
    TicketState.WAITING: QT_TRANSLATE_NOOP("Vocabulary", "等候中"),
    TicketState.CALLED: QT_TRANSLATE_NOOP("Vocabulary", "已叫号"),
    TicketState.SERVING: QT_TRANSLATE_NOOP("Vocabulary", "办理中"),
    TicketState.FINISHED: QT_TRANSLATE_NOOP("Vocabulary", "已办理"),
    TicketState.NO_SHOW: QT_TRANSLATE_NOOP("Vocabulary", "过号"),
    TicketState.CANCELLED: QT_TRANSLATE_NOOP("Vocabulary", "已取消"),
    TicketState.EXPIRED: QT_TRANSLATE_NOOP("Vocabulary", "已过期"),
}
KINDS: dict[TicketKind, str] = {
    TicketKind.NORMAL: QT_TRANSLATE_NOOP("Vocabulary", "普通"),
    TicketKind.GREEN: QT_TRANSLATE_NOOP("Vocabulary", "绿色通道"),
    TicketKind.APPOINTMENT: QT_TRANSLATE_NOOP("Vocabulary", "预约"),
}
OUTCOMES: dict[Outcome, str] = {
    Outcome.COMPLETED: QT_TRANSLATE_NOOP("Vocabulary", "办结"),
    Outcome.ACCEPTED: QT_TRANSLATE_NOOP("Vocabulary", "受理"),
    Outcome.MATERIALS_MISSING: QT_TRANSLATE_NOOP("Vocabulary", "材料不全"),
    Outcome.CONSULTATION: QT_TRANSLATE_NOOP("Vocabulary", "咨询"),
}
APPOINTMENT_STATES: dict[AppointmentState, str] = {
    AppointmentState.BOOKED: QT_TRANSLATE_NOOP("Vocabulary", "已预约"),
    AppointmentState.CHECKED_IN: QT_TRANSLATE_NOOP("Vocabulary", "已签到"),
    AppointmentState.CANCELLED: QT_TRANSLATE_NOOP("Vocabulary", "已取消"),
}
# The government's five levels of 好差评, best first.
LEVELS: dict[int, str] = {
    1: QT_TRANSLATE_NOOP("Vocabulary", "非常满意"),
    2: QT_TRANSLATE_NOOP("Vocabulary", "满意"),
    3: QT_TRANSLATE_NOOP("Vocabulary", "基本满意"),
    4: QT_TRANSLATE_NOOP("Vocabulary", "不满意"),
    5: QT_TRANSLATE_NOOP("Vocabulary", "非常不满意"),
}
NOT_RATED = QT_TRANSLATE_NOOP("Vocabulary", "未评价")  # the pad timed out
# Monday first, as date.weekday() counts.
WEEKDAYS: tuple[str, ...] = (
    QT_TRANSLATE_NOOP("Vocabulary", "周一"), QT_TRANSLATE_NOOP("Vocabulary", "周二"),
    QT_TRANSLATE_NOOP("Vocabulary", "周三"), QT_TRANSLATE_NOOP("Vocabulary", "周四"),
    QT_TRANSLATE_NOOP("Vocabulary", "周五"), QT_TRANSLATE_NOOP("Vocabulary", "周六"),
    QT_TRANSLATE_NOOP("Vocabulary", "周日"),
)

# A bad rating's follow-up (shared/followups.py), its states in order.
FOLLOW_UP_STATES: dict[str, str] = {
    "open": QT_TRANSLATE_NOOP("Vocabulary", "待回访"),
    "contacted": QT_TRANSLATE_NOOP("Vocabulary", "已回访"),
    "rectified": QT_TRANSLATE_NOOP("Vocabulary", "已整改"),
    "closed": QT_TRANSLATE_NOOP("Vocabulary", "已办结"),
}
# The citizen's opinion of the rectification, recorded when a follow-up closes.
OPINIONS: dict[str, str] = {
    "satisfied": QT_TRANSLATE_NOOP("Vocabulary", "满意"),
    "basic": QT_TRANSLATE_NOOP("Vocabulary", "基本满意"),
    "dissatisfied": QT_TRANSLATE_NOOP("Vocabulary", "不满意"),
}
# Why a rating is appealed (申诉).
APPEALS: dict[str, str] = {
    "malicious": QT_TRANSLATE_NOOP("Vocabulary", "恶意差评"),
    "mistaken": QT_TRANSLATE_NOOP("Vocabulary", "误评"),
}
# What the statistics break down by (shared/stats/views.py DIMENSIONS).
DIMENSIONS: dict[str, str] = {
    "service": QT_TRANSLATE_NOOP("Vocabulary", "业务"),
    "department": QT_TRANSLATE_NOOP("Vocabulary", "部门"),
    "window": QT_TRANSLATE_NOOP("Vocabulary", "窗口"),
    "clerk": QT_TRANSLATE_NOOP("Vocabulary", "工作人员"),
    "hour": QT_TRANSLATE_NOOP("Vocabulary", "时段"),
    "weekday": QT_TRANSLATE_NOOP("Vocabulary", "星期"),
}


def word(text: str) -> str:
    """One word of these tables in the current language."""
    return translate(CONTEXT, text)


def state_label(state: str) -> str:
    return word(STATES[TicketState(state)])


def kind_label(kind: str) -> str:
    return word(KINDS[TicketKind(kind)])


def outcome_label(outcome: str | None) -> str:
    return word(OUTCOMES[Outcome(outcome)]) if outcome else ""


def appointment_state_label(state: str) -> str:
    return word(APPOINTMENT_STATES[AppointmentState(state)])


def level_label(level: int | None) -> str:
    """A satisfaction level, 1 best; None is 未评价."""
    return word(NOT_RATED if level is None else LEVELS[level])


def weekday_label(weekday: int) -> str:
    """Monday is 0, as ``date.weekday()`` counts."""
    return word(WEEKDAYS[weekday])


def levels() -> dict[int, str]:
    return {level: word(text) for level, text in LEVELS.items()}


def weekdays() -> tuple[str, ...]:
    return tuple(word(text) for text in WEEKDAYS)


def follow_up_state_label(state: str) -> str:
    return word(FOLLOW_UP_STATES[state])


def opinion_label(opinion: str) -> str:
    return word(OPINIONS[opinion])


def appeal_label(kind: str) -> str:
    return word(APPEALS[kind])


def dimension_label(dimension: str) -> str:
    return word(DIMENSIONS[dimension])

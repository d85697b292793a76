"""Opening hours and the site calendar, evaluated in the site's time zone.

A site's calendar (from the catalog) holds its workday and weekend hours, an optional
lunch break, a cut-off before closing after which no more numbers are issued, public
holidays and make-up workdays (调休). A service may override the hours per weekday and
says whether it opens on weekends (seven kinds do in Chun'an) and on holidays.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

WEEKDAY_KEYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DEFAULT_CALENDAR: dict[str, Any] = {
    "workday_hours": ["08:30-17:00"],
    "weekend_hours": ["09:00-16:00"],
    "lunch_break": None,
    "issue_cutoff_minutes": 30,
    "holidays": [],
    "workdays": [],
}

Span = tuple[dt.time, dt.time]


def parse_span(text: str) -> Span:
    """Parse "08:30-17:00"; raise ValueError naming the text when malformed. An end of
    "24:00" is midnight at the end of the day (open around the clock: "00:00-24:00")."""
    try:
        start_text, end_text = text.split("-")
        start = dt.time.fromisoformat(start_text.strip())
        end = (dt.time.max if end_text.strip() == "24:00"
               else dt.time.fromisoformat(end_text.strip()))
    except ValueError as exc:
        raise ValueError(f"{text!r} 不是时间段，应如 08:30-17:00 "
                         f"({text!r} is not a time range like 08:30-17:00)") from exc
    if end <= start:
        raise ValueError(f"{text!r} 结束早于开始 ({text!r} ends before it starts)")
    return start, end


@dataclass(frozen=True)
class Availability:
    """Whether a service takes numbers now, and if not, why and when it opens next."""

    open: bool
    reason: str = ""  # Chinese, for the citizen
    opens_at: dt.datetime | None = None  # site-local
    # Why it is closed, for screens that word it themselves (the supervisor's live view):
    # one of CLOSED_CAUSES; "" while open.
    cause: str = ""


# before the day's first opening, the lunch break, issuing stopped before closing time,
# after the day's last closing, a weekend or holiday the service does not open on, and
# (set by the queries, not the calendar) the service's daily quota used up.
CLOSED_CAUSES = ("before_opening", "lunch", "cutoff", "after_hours", "weekend", "holiday",
                 "quota_full")


def day_type(calendar: dict[str, Any], day: dt.date) -> str:
    """'workday', 'weekend' or 'holiday' for a site-local date."""
    iso = day.isoformat()
    if iso in calendar.get("workdays", []):
        return "workday"  # 调休: a weekend day worked as a weekday
    if iso in calendar.get("holidays", []):
        return "holiday"
    return "weekend" if day.weekday() >= 5 else "workday"


def service_spans(
    calendar: dict[str, Any], service_hours: dict[str, Any], weekend: bool, holiday: bool,
    day: dt.date,
) -> list[Span]:
    """The opening spans of a service on a day (empty when closed), lunch removed."""
    kind = day_type(calendar, day)
    if kind == "holiday" and not holiday:
        return []
    if kind == "weekend" and not weekend:
        return []
    key = WEEKDAY_KEYS[day.weekday()]
    if kind == "workday" and key in ("sat", "sun"):
        key = "mon"  # a make-up workday keeps weekday hours
    if key in service_hours:
        texts = service_hours[key]
    elif kind == "workday":
        texts = calendar.get("workday_hours", DEFAULT_CALENDAR["workday_hours"])
    else:
        texts = calendar.get("weekend_hours", DEFAULT_CALENDAR["weekend_hours"])
    spans = [parse_span(t) for t in texts]
    lunch = calendar.get("lunch_break")
    return _minus(spans, parse_span(lunch)) if lunch else spans


def _minus(spans: list[Span], cut: Span) -> list[Span]:
    result: list[Span] = []
    for start, end in spans:
        if cut[1] <= start or cut[0] >= end:
            result.append((start, end))
            continue
        if start < cut[0]:
            result.append((start, cut[0]))
        if cut[1] < end:
            result.append((cut[1], end))
    return result


def availability(
    calendar: dict[str, Any], service_hours: dict[str, Any], weekend: bool, holiday: bool,
    now_local: dt.datetime, *, after_hours: bool = False,
) -> Availability:
    """Whether numbers may be issued at ``now_local`` (aware, site zone).

    ``after_hours`` (延时服务: staff issuing outside the hours) lifts the hours entirely.
    """
    if after_hours:
        return Availability(True)
    day = now_local.date()
    spans = service_spans(calendar, service_hours, weekend, holiday, day)
    cutoff = dt.timedelta(minutes=int(calendar.get("issue_cutoff_minutes", 30)))
    t = now_local.time()
    if spans:
        last_end = spans[-1][1]
        issue_until = (dt.datetime.combine(day, last_end) - cutoff).time()
        for start, end in spans:
            limit = min(end, issue_until) if end == last_end else end
            if start <= t < limit:
                return Availability(True)
        if issue_until <= t < last_end:
            return Availability(
                False, f"今日取号已截止（{issue_until:%H:%M}），请明天再来",
                _next_opening(calendar, service_hours, weekend, holiday, now_local),
                cause="cutoff",
            )
    opens = _next_opening(calendar, service_hours, weekend, holiday, now_local)
    kind = day_type(calendar, day)
    if not spans and kind == "holiday":
        reason, cause = "节假日不办理此业务", "holiday"
    elif not spans and kind == "weekend":
        reason, cause = "周末不办理此业务", "weekend"
    elif spans and t < spans[0][0]:
        reason, cause = "尚未开始办理", "before_opening"
    elif spans and t >= spans[-1][1]:
        reason, cause = "今日办理已结束", "after_hours"
    else:
        reason, cause = "午休暂停取号", "lunch"
    if opens is not None:
        reason += f"，{_describe(opens, now_local)}开始取号"
    return Availability(False, reason, opens, cause)


def _next_opening(
    calendar: dict[str, Any], service_hours: dict[str, Any], weekend: bool, holiday: bool,
    now_local: dt.datetime,
) -> dt.datetime | None:
    for offset in range(0, 15):
        day = now_local.date() + dt.timedelta(days=offset)
        for start, _end in service_spans(calendar, service_hours, weekend, holiday, day):
            candidate = dt.datetime.combine(day, start, tzinfo=now_local.tzinfo)
            if candidate > now_local:
                return candidate
    return None


def _describe(when: dt.datetime, now_local: dt.datetime) -> str:
    days = (when.date() - now_local.date()).days
    if days == 0:
        return f"今天 {when:%H:%M} "
    if days == 1:
        return f"明天 {when:%H:%M} "
    weekday = "一二三四五六日"[when.weekday()]
    return f"{when.month}月{when.day}日（周{weekday}）{when:%H:%M} "


def site_zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def business_day(now_utc: dt.datetime, zone_name: str) -> dt.date:
    """The business day a moment belongs to: the site-local calendar date."""
    return now_utc.astimezone(ZoneInfo(zone_name)).date()

"""Opening hours and the site calendar (shared.hours), evaluated in site-local time."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from shared.hours import (
    CLOSED_CAUSES,
    Availability,
    availability,
    business_day,
    day_type,
    parse_span,
    service_spans,
)

TZ = ZoneInfo("Asia/Shanghai")
# 2026-11-23 is a Monday.
MON, TUE, FRI, SAT, SUN = (dt.date(2026, 11, d) for d in (23, 24, 27, 28, 29))
HOLIDAY = dt.date(2026, 10, 1)  # a Thursday
MAKEUP_SAT = dt.date(2026, 10, 10)  # a Saturday worked as a weekday (调休)

CALENDAR: dict[str, Any] = {
    "workday_hours": ["08:30-17:00"],
    "weekend_hours": ["09:00-16:00"],
    "lunch_break": "12:00-13:30",
    "issue_cutoff_minutes": 30,
    "holidays": [HOLIDAY.isoformat()],
    "workdays": [MAKEUP_SAT.isoformat()],
}


def at(day: dt.date, hhmm: str) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.fromisoformat(hhmm), tzinfo=TZ)


def avail(day: dt.date, hhmm: str, *, hours: dict[str, Any] | None = None, weekend: bool = True,
          holiday: bool = False, calendar: dict[str, Any] | None = None,
          after_hours: bool = False) -> Availability:
    return availability(calendar or CALENDAR, hours or {}, weekend, holiday, at(day, hhmm),
                        after_hours=after_hours)


@pytest.mark.parametrize(("day", "expected"), [
    pytest.param(MON, "workday", id="monday"),
    pytest.param(FRI, "workday", id="friday"),
    pytest.param(SAT, "weekend", id="saturday"),
    pytest.param(SUN, "weekend", id="sunday"),
    pytest.param(HOLIDAY, "holiday", id="public-holiday-on-a-weekday"),
    pytest.param(MAKEUP_SAT, "workday", id="make-up-workday-on-a-saturday"),
])
def test_day_type(day: dt.date, expected: str) -> None:
    """Weekends, public holidays and make-up workdays (调休) come from the calendar."""
    assert day_type(CALENDAR, day) == expected


OPEN_CASES = [
    pytest.param(MON, "08:30", {}, True, id="workday-opening-minute"),
    pytest.param(MON, "08:29", {}, False, id="workday-before-opening"),
    pytest.param(MON, "11:59", {}, True, id="before-lunch"),
    pytest.param(MON, "12:00", {}, False, id="lunch-break-starts"),
    pytest.param(MON, "13:29", {}, False, id="lunch-break-ends-13-30"),
    pytest.param(MON, "13:30", {}, True, id="after-lunch"),
    pytest.param(MON, "16:29", {}, True, id="last-minute-before-cut-off"),
    pytest.param(MON, "16:30", {}, False, id="cut-off-30-min-before-closing"),
    pytest.param(MON, "17:00", {}, False, id="closed"),
    pytest.param(SAT, "09:00", {}, True, id="weekend-hours"),
    pytest.param(SAT, "08:45", {}, False, id="weekend-opens-later"),
    pytest.param(SAT, "15:30", {}, False, id="weekend-cut-off"),
    pytest.param(MAKEUP_SAT, "08:45", {}, True, id="make-up-workday-has-weekday-hours"),
    pytest.param(HOLIDAY, "10:00", {}, False, id="holiday-closed"),
    pytest.param(TUE, "10:00", {"tue": ["14:00-16:00"]}, False, id="weekday-override-closed"),
    pytest.param(TUE, "14:30", {"tue": ["14:00-16:00"]}, True, id="weekday-override-open"),
    pytest.param(MON, "10:00", {"tue": ["14:00-16:00"]}, True, id="override-only-that-weekday"),
    pytest.param(SAT, "10:00", {"sat": ["08:00-09:00"]}, False, id="saturday-override"),
    pytest.param(MAKEUP_SAT, "10:00", {"mon": ["09:30-11:00"]}, True,
                 id="make-up-workday-uses-monday-override"),
]


@pytest.mark.parametrize(("day", "hhmm", "hours", "expected"), OPEN_CASES)
def test_open_or_closed(day: dt.date, hhmm: str, hours: dict[str, Any], expected: bool) -> None:
    """Numbers are issued inside the hours, outside the lunch break and before the cut-off."""
    assert avail(day, hhmm, hours=hours).open is expected


def test_weekend_service_flag() -> None:
    """A service without weekend opening is closed on Saturday, with the reason."""
    result = avail(SAT, "10:00", weekend=False)
    assert not result.open
    assert result.reason == "周末不办理此业务，11月30日（周一）08:30 开始取号"
    assert result.opens_at == at(dt.date(2026, 11, 30), "08:30")


def test_holiday_service_flag() -> None:
    """A service may open on holidays; otherwise the reason names the holiday."""
    assert avail(HOLIDAY, "10:00", holiday=True).open
    result = avail(HOLIDAY, "10:00")
    assert result.reason.startswith("节假日不办理此业务") and result.opens_at == at(
        dt.date(2026, 10, 2), "08:30")


@pytest.mark.parametrize(("day", "hhmm", "reason", "opens"), [
    pytest.param(MON, "07:00", "尚未开始办理，今天 08:30 开始取号", at(MON, "08:30"),
                 id="before-opening"),
    pytest.param(MON, "12:10", "午休暂停取号，今天 13:30 开始取号", at(MON, "13:30"),
                 id="lunch"),
    pytest.param(MON, "16:40", "今日取号已截止（16:30），请明天再来", at(TUE, "08:30"),
                 id="after-cut-off"),
    pytest.param(MON, "18:00", "今日办理已结束，明天 08:30 开始取号", at(TUE, "08:30"),
                 id="after-closing"),
    pytest.param(FRI, "18:00", "今日办理已结束，明天 09:00 开始取号", at(SAT, "09:00"),
                 id="friday-evening-opens-saturday"),
])
def test_reason_and_next_opening(day: dt.date, hhmm: str, reason: str,
                                 opens: dt.datetime) -> None:
    """A closed service says why, in Chinese, and when numbers are issued next."""
    result = avail(day, hhmm)
    assert (result.open, result.reason, result.opens_at) == (False, reason, opens)


def test_after_hours_lifts_the_hours() -> None:
    """延时服务: staff may issue outside the hours, even on a closed holiday."""
    assert avail(HOLIDAY, "22:00", after_hours=True).open
    assert avail(MON, "16:45", after_hours=True).open


def test_cut_off_applies_to_the_last_span_only() -> None:
    """With a split day the cut-off trims the afternoon, not the morning span."""
    calendar = {**CALENDAR, "workday_hours": ["08:30-12:00", "14:00-17:30"], "lunch_break": None,
                "issue_cutoff_minutes": 20}
    assert avail(MON, "11:55", calendar=calendar).open
    assert avail(MON, "17:05", calendar=calendar).open is True
    assert avail(MON, "17:10", calendar=calendar).open is False
    assert avail(MON, "12:30", calendar=calendar).reason == "午休暂停取号，今天 14:00 开始取号"


def test_never_open_has_no_next_opening() -> None:
    """A service closed every day for two weeks gives no next opening time."""
    calendar = {**CALENDAR, "holidays": [(MON + dt.timedelta(days=i)).isoformat()
                                         for i in range(20)]}
    result = avail(MON, "10:00", calendar=calendar)
    assert (result.open, result.opens_at, result.reason) == (False, None, "节假日不办理此业务")


def test_lunch_break_is_cut_out_of_the_spans() -> None:
    """The spans of a day exclude the lunch break."""
    spans = service_spans(CALENDAR, {}, True, False, MON)
    assert spans == [(dt.time(8, 30), dt.time(12, 0)), (dt.time(13, 30), dt.time(17, 0))]


@pytest.mark.parametrize("text", ["8:30", "08:30-", "17:00-08:30", "08:30-08:30", "ab-cd"])
def test_parse_span_rejects_bad_ranges(text: str) -> None:
    """A time range must look like 08:30-17:00 and end after it starts."""
    with pytest.raises(ValueError, match=r"08:30-17:00|ends before it starts"):
        parse_span(text)


@pytest.mark.parametrize(("utc", "expected"), [
    pytest.param("2026-11-23T15:59:59", MON, id="23-59-in-shanghai"),
    pytest.param("2026-11-23T16:00:00", TUE, id="midnight-in-shanghai"),
])
def test_business_day_is_the_site_local_date(utc: str, expected: dt.date) -> None:
    """The business day is the site-local date, not the UTC date."""
    moment = dt.datetime.fromisoformat(utc).replace(tzinfo=dt.UTC)
    assert business_day(moment, "Asia/Shanghai") == expected


@pytest.mark.parametrize(("day", "hhmm", "weekend", "cause"), [
    pytest.param(MON, "07:00", True, "before_opening", id="before-opening"),
    pytest.param(MON, "12:10", True, "lunch", id="lunch"),
    pytest.param(MON, "16:40", True, "cutoff", id="after-cut-off"),
    pytest.param(MON, "18:00", True, "after_hours", id="after-closing"),
    pytest.param(SAT, "10:00", False, "weekend", id="weekend"),
    pytest.param(HOLIDAY, "10:00", True, "holiday", id="holiday"),
    pytest.param(MON, "10:00", True, "", id="open"),
])
def test_closed_cause_names_why_for_screens_that_word_it_themselves(
        day: dt.date, hhmm: str, weekend: bool, cause: str) -> None:
    """Besides the citizen's sentence, a closed service carries why as a key (the
    supervisor's live view translates it); an open one carries none."""
    result = avail(day, hhmm, weekend=weekend)
    assert result.cause == cause and result.open == (cause == "")
    assert cause in CLOSED_CAUSES or cause == ""


def test_24_00_ends_a_span_at_midnight_so_a_hall_can_open_around_the_clock() -> None:
    around = {**CALENDAR, "workday_hours": ["00:00-24:00"], "lunch_break": None,
              "issue_cutoff_minutes": 0}
    assert parse_span("00:00-24:00") == (dt.time(0, 0), dt.time.max)
    last_minute = dt.datetime.combine(MON, dt.time(23, 59, 30), tzinfo=TZ)
    assert availability(around, {}, True, True, last_minute).open
    assert availability(around, {}, True, True, at(TUE, "00:00")).open
    evening = {**around, "workday_hours": ["18:00-24:00"], "issue_cutoff_minutes": 30}
    closed = availability(evening, {}, True, True, at(MON, "23:45"))
    assert not closed.open and closed.cause == "cutoff" and "23:29" in closed.reason
    with pytest.raises(ValueError, match="24:00-08:00"):
        parse_span("24:00-08:00")  # only an end may be 24:00

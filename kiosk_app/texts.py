"""The words the kiosk shows, in the UI language (Chinese source, English via Qt)."""

from __future__ import annotations

import datetime as dt
import re

from PySide6.QtCore import QCoreApplication, QDate, QLocale

from kiosk_app.backend import ServiceOffer
from shared.i18n import one_language


def english() -> bool:
    return QLocale().language() == QLocale.Language.English


def estimate_text(minutes: int | None, wait_range: tuple[int | None, int | None] = (None, None)
                  ) -> str:
    """The estimated wait (shared.prediction): its range when there is one ("约 10–20
    分钟", "约 5 分钟内"), else the point value; none when no window serves it."""
    low, high = wait_range
    if minutes is None:
        return QCoreApplication.translate("KioskTexts", "暂无预计")
    if low is not None and high is not None and high > 0:
        if low <= 0:
            return QCoreApplication.translate("KioskTexts", "约 {n} 分钟内").format(n=high)
        return QCoreApplication.translate("KioskTexts", "约 {low}–{high} 分钟").format(
            low=low, high=high)
    if minutes == 0:
        return QCoreApplication.translate("KioskTexts", "无需等候")
    return QCoreApplication.translate("KioskTexts", "约 {n} 分钟").format(n=minutes)


def closed_text(offer: ServiceOffer) -> str:
    if offer.quota_reached:
        return QCoreApplication.translate("KioskTexts", "今日号源已取完，请明天再来")
    if not offer.queue.open_now:
        reason = offer.queue.closed_reason or QCoreApplication.translate("KioskTexts", "暂停取号")
        return reason
    return ""


def status_text(offer: ServiceOffer) -> str:
    """One line under a service name: the people a number taken now would have ahead
    (other services' tickets called by the same windows included, as the slip says) and
    their wait, or why it is closed."""
    if not offer.open:
        return closed_text(offer)
    if offer.outlook.people_ahead == 0:
        return QCoreApplication.translate("KioskTexts", "目前无人等候")
    wait = QCoreApplication.translate("KioskTexts", "预计等候：{estimate}").format(
        estimate=estimate_text(offer.queue.estimated_wait_minutes,
                               (offer.queue.wait_low_minutes, offer.queue.wait_high_minutes)))
    return f"{ahead_text(offer.outlook.people_ahead)}  ·  {wait}"


def ahead_text(people_ahead: int) -> str:
    if people_ahead == 0:
        return QCoreApplication.translate("KioskTexts", "前面没有人等候")
    # Two messages (singular, plural) for English: Qt's numerus forms need C++'s lupdate.
    one = QCoreApplication.translate("KioskTexts", "前面还有 {n} 人", "one")
    many = QCoreApplication.translate("KioskTexts", "前面还有 {n} 人", "many")
    return (one if people_ahead == 1 else many).format(n=people_ahead)


def windows_text(windows: list[str]) -> str:
    """ "5、13 号窗口"; in English "window 5" or "windows 5 and 13"."""
    numbers = [re.sub(r"\D", "", w) or w for w in windows]
    if english() and len(numbers) > 1:
        joined = ", ".join(numbers[:-1]) + " and " + numbers[-1]
    else:
        joined = "、".join(numbers)
    one = QCoreApplication.translate("KioskTexts", "{windows} 号窗口", "one")
    many = QCoreApplication.translate("KioskTexts", "{windows} 号窗口", "many")
    return (one if len(numbers) == 1 else many).format(windows=joined)


def waiting_count_text(n: int) -> str:
    """How many people wait, with the right plural in English."""
    return QCoreApplication.translate("KioskTexts", "等候 {n} 人").format(n=n)


def services_count_text(n: int) -> str:
    """ "2 项业务"; "1 service", "2 services" in English."""
    one = QCoreApplication.translate("KioskTexts", "{n} 项业务", "one")
    many = QCoreApplication.translate("KioskTexts", "{n} 项业务", "many")
    return (one if n == 1 else many).format(n=n)


def opening_text(offers: list[ServiceOffer]) -> str:
    """When the first of these (closed) services opens: "今天 09:00 开始取号"; else why
    they are closed."""
    upcoming = [o.queue.opens_at for o in offers if o.queue.opens_at is not None]
    if not upcoming:
        return closed_text(offers[0]) if offers else QCoreApplication.translate(
            "KioskTexts", "暂停取号")
    opens = min(upcoming)
    local_today = dt.datetime.now(opens.tzinfo).date()
    days = (opens.date() - local_today).days
    time = f"{opens:%H:%M}"
    if days == 0:
        return QCoreApplication.translate("KioskTexts", "今天 {time} 开始取号").format(time=time)
    if days == 1:
        return QCoreApplication.translate("KioskTexts", "明天 {time} 开始取号").format(time=time)
    date = QLocale().toString(QDate(opens.year, opens.month, opens.day),
                              "d MMM" if english() else "M月d日")
    return QCoreApplication.translate("KioskTexts", "{date} {time} 开始取号").format(
        date=date, time=time)


def printer_text(message: str) -> str:
    """The printer's state for the citizen: the problem, without "contact staff" (the
    kiosk says where to go itself)."""
    problem = one_language(message)
    for ending in ("请联系工作人员补打。", "请联系工作人员。"):
        if problem.endswith(ending):
            problem = problem[: -len(ending)].rstrip("，,。 ") + "。"
    for ending in ("Please ask staff to reprint it.", "Please contact staff."):
        if problem.endswith(ending):
            problem = problem[: -len(ending)].rstrip()
    return problem


def spoken_number(number: str) -> str:
    """A ticket number as voice guidance reads it: letter and digits one by one."""
    return " ".join(number)

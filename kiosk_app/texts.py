"""The words the kiosk shows, in the UI language (Chinese source, English via Qt)."""

from __future__ import annotations

import re

from PySide6.QtCore import QCoreApplication, QLocale

from kiosk_app.backend import ServiceOffer
from shared.views import ServiceQueue

# Domain messages are "中文 (English)"; a citizen should read only their own language.
_BILINGUAL = re.compile(r"^(?P<zh>.*\S)\s+\((?P<en>[^()]*(?:\([^()]*\)[^()]*)*)\)\s*$", re.S)


def english() -> bool:
    return QLocale().language() == QLocale.Language.English


def citizen_message(message: str) -> str:
    """The part of a "中文 (English)" message in the UI language (all of it otherwise)."""
    match = _BILINGUAL.match(message)
    if not match:
        return message
    return match.group("en") if english() else match.group("zh")


def waiting_text(queue: ServiceQueue) -> str:
    return QCoreApplication.translate("KioskTexts", "等候 {n} 人").format(n=queue.waiting)


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
    """One line under a service name: queue and wait, or why it is closed."""
    if not offer.open:
        return closed_text(offer)
    if offer.queue.waiting == 0:
        return QCoreApplication.translate("KioskTexts", "目前无人等候")
    wait = QCoreApplication.translate("KioskTexts", "预计等候：{estimate}").format(
        estimate=estimate_text(offer.queue.estimated_wait_minutes,
                               (offer.queue.wait_low_minutes, offer.queue.wait_high_minutes)))
    return f"{waiting_text(offer.queue)}  ·  {wait}"


def ahead_text(people_ahead: int) -> str:
    if people_ahead == 0:
        return QCoreApplication.translate("KioskTexts", "前面没有人等候")
    return QCoreApplication.translate("KioskTexts", "前面还有 {n} 人").format(n=people_ahead)


def windows_text(windows: list[str]) -> str:
    numbers = [re.sub(r"\D", "", w) or w for w in windows]
    return QCoreApplication.translate("KioskTexts", "{windows} 号窗口").format(
        windows=(", " if english() else "、").join(numbers))

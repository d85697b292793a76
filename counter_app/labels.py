"""The counter's own words (actions, pause reasons, times, printer problems) in the UI
language; the domain's words (states, kinds, outcomes, levels) are shared/vocabulary.py's.

Chinese is the source text; ``QCoreApplication.translate`` with literal strings lets
lupdate collect them for resources/translations/counter_en.ts.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QCoreApplication

from counter_app.actions import CounterAction


def action_label(action: CounterAction) -> str:
    labels = {
        CounterAction.CALL_NEXT: QCoreApplication.translate("Labels", "叫下一位"),
        CounterAction.RECALL: QCoreApplication.translate("Labels", "重呼"),
        CounterAction.NO_SHOW: QCoreApplication.translate("Labels", "过号"),
        CounterAction.START: QCoreApplication.translate("Labels", "开始办理"),
        CounterAction.FINISH: QCoreApplication.translate("Labels", "办理完成…"),
        CounterAction.TRANSFER: QCoreApplication.translate("Labels", "转办…"),
        CounterAction.CALL_NUMBER: QCoreApplication.translate("Labels", "指定叫号…"),
        CounterAction.REINSTATE: QCoreApplication.translate("Labels", "过号重排…"),
        CounterAction.PAUSE: QCoreApplication.translate("Labels", "暂停服务…"),
        CounterAction.RESUME: QCoreApplication.translate("Labels", "恢复服务"),
        CounterAction.REPRINT: QCoreApplication.translate("Labels", "补打小票…"),
    }
    return labels[action]


def pause_reasons() -> list[str]:
    """The usual reasons a window pauses; the last one asks for the clerk's own words."""
    return [
        QCoreApplication.translate("Labels", "休息"),
        QCoreApplication.translate("Labels", "会议"),
        QCoreApplication.translate("Labels", "业务咨询"),
        QCoreApplication.translate("Labels", "其他…"),
    ]


def clock(seconds: float) -> str:
    """A running time as m:ss, or h:mm:ss past an hour."""
    total = max(0, int(seconds))
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes:02d}:{secs:02d}"


def minutes(seconds: float | None) -> str:
    """A wait in whole minutes, as a person says it."""
    if seconds is None:
        return "—"
    if seconds < 60:
        return QCoreApplication.translate("Labels", "不到 1 分钟")
    return QCoreApplication.translate("Labels", "{n} 分钟").format(n=int(seconds // 60))


def since(earlier: dt.datetime | None, now: dt.datetime) -> float | None:
    return (now - earlier).total_seconds() if earlier is not None else None


def duration(seconds: float | None) -> str:
    """A mean service time as minutes and seconds."""
    if seconds is None:
        return "—"
    whole = round(seconds)
    return QCoreApplication.translate("Labels", "{m} 分 {s:02d} 秒").format(
        m=whole // 60, s=whole % 60)



def printer_problem(reason: str) -> str:
    """What is wrong with the counter's ticket printer, in a clerk's words (the kiosk's
    messages ask the citizen to contact staff; here the clerk is the staff)."""
    labels = {
        "paper_out": QCoreApplication.translate("Labels", "打印机缺纸"),
        "cover_open": QCoreApplication.translate("Labels", "打印机盖未合上"),
        "offline": QCoreApplication.translate("Labels", "打印机暂停工作"),
        "no_answer": QCoreApplication.translate("Labels", "打印机无响应"),
        "unreachable": QCoreApplication.translate("Labels", "打印机未连接"),
        "interrupted": QCoreApplication.translate("Labels", "打印中断，小票可能不完整"),
        "driver": QCoreApplication.translate("Labels", "打印机驱动未安装"),
    }
    return labels.get(reason, QCoreApplication.translate("Labels", "打印机故障"))

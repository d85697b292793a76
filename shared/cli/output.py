"""How ``hallq-admin`` prints: the JSON contract for scripts, short lines for people."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any
from zoneinfo import ZoneInfo

from shared import vocabulary
from shared.cli.base import tr
from shared.i18n import QT_TRANSLATE_NOOP
from shared.states import TicketKind
from shared.views import TicketView, WindowView


def emit_json(payload: dict[str, Any]) -> None:
    """One JSON object on one line (easy to read for a button box or a script)."""
    print(json.dumps(payload, ensure_ascii=False, separators=(",", ":")))


def ticket_payload(ticket: TicketView | None, **extra: Any) -> dict[str, Any]:
    """The one-ticket contract: ``{"ticket": {...}}`` or ``{"ticket": null}``."""
    return {"ticket": ticket.to_json() if ticket else None, **extra}


def state_label(ticket: TicketView) -> str:
    return vocabulary.state_label(ticket.state)


def kind_label(ticket: TicketView) -> str:
    return vocabulary.kind_label(ticket.kind)


def local_time(value: dt.datetime | None, zone: ZoneInfo | None) -> str:
    if value is None:
        return "-"
    return value.astimezone(zone).strftime("%H:%M:%S")


def ticket_row(ticket: TicketView, zone: ZoneInfo | None) -> str:
    """One line of ``ticket list``."""
    window = tr(QT_TRANSLATE_NOOP("Cli", "{window}号窗口"), window=ticket.window) if ticket.window else "-"
    extras = []
    if ticket.kind != TicketKind.NORMAL.value:
        extras.append(kind_label(ticket))
    if ticket.transferred:
        extras.append(tr(QT_TRANSLATE_NOOP("Cli", "转入")))
    if ticket.outcome:
        extras.append(vocabulary.outcome_label(ticket.outcome))
    return (f"{ticket.id:>6}  {ticket.number:<5} {ticket.service:<10} {state_label(ticket):<4}  "
            f"{window:<7} {local_time(ticket.issued_at, zone)}  {' '.join(extras)}").rstrip()


def ticket_details(ticket: TicketView, zone: ZoneInfo | None) -> list[str]:
    """The lines of ``ticket show``."""
    lines = [
        f"{ticket.number} ({ticket.service_name} {ticket.service}) {state_label(ticket)} "
        f"[id {ticket.id}, {ticket.site}, {ticket.business_day}]",
        "  " + tr(QT_TRANSLATE_NOOP("Cli", "类型：{kind}"), kind=kind_label(ticket))
        + (tr(QT_TRANSLATE_NOOP("Cli", "，转入")) if ticket.transferred else ""),
        "  " + tr(QT_TRANSLATE_NOOP("Cli", "窗口：{window}  工作人员：{clerk}"), window=ticket.window or "-",
                  clerk=ticket.clerk or "-")
        + ("  " + tr(QT_TRANSLATE_NOOP("Cli", "转往：{window} 号窗口"), window=ticket.target_window)
           if ticket.target_window else ""),
        "  " + tr(QT_TRANSLATE_NOOP("Cli", "取号 {issued}  叫号 {called}  开始 {started}  结束 {finished}"),
                  issued=local_time(ticket.issued_at, zone),
                  called=local_time(ticket.called_at, zone),
                  started=local_time(ticket.started_at, zone),
                  finished=local_time(ticket.finished_at, zone)),
    ]
    if ticket.outcome:
        lines.append("  " + tr(QT_TRANSLATE_NOOP("Cli", "办理结果：{outcome}"),
                               outcome=vocabulary.outcome_label(ticket.outcome)))
    if ticket.note:
        lines.append("  " + tr(QT_TRANSLATE_NOOP("Cli", "备注：{note}"), note=ticket.note))
    return lines


def window_row(window: WindowView) -> str:
    """One line of ``window list``."""
    services = " ".join(f"{code}:{weight}" for code, weight in window.services)
    status = []
    if not window.active:
        status.append(tr(QT_TRANSLATE_NOOP("Cli", "已停用")))
    if window.paused:
        status.append(tr(QT_TRANSLATE_NOOP("Cli", "暂停（{reason}）"), reason=window.pause_reason or ""))
    if window.clerk:
        status.append(tr(QT_TRANSLATE_NOOP("Cli", "{clerk} 在岗"), clerk=window.clerk_name or window.clerk))
    if window.current_ticket:
        status.append(f"{window.current_ticket.number} {state_label(window.current_ticket)}")
    separator = tr(QT_TRANSLATE_NOOP("Cli", "，"))
    return f"{window.number:>4}  {window.name}  [{services}]  {separator.join(status)}".rstrip()

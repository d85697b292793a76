"""How ``hallq-admin`` prints: the JSON contract for scripts, short lines for people."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any
from zoneinfo import ZoneInfo

from shared import vocabulary
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
    window = f"{ticket.window}号窗口" if ticket.window else "-"
    extras = []
    if ticket.kind != TicketKind.NORMAL.value:
        extras.append(kind_label(ticket))
    if ticket.transferred:
        extras.append("转入")
    if ticket.outcome:
        extras.append(vocabulary.outcome_label(ticket.outcome))
    return (f"{ticket.id:>6}  {ticket.number:<5} {ticket.service:<10} {state_label(ticket):<4}  "
            f"{window:<7} {local_time(ticket.issued_at, zone)}  {' '.join(extras)}").rstrip()


def ticket_details(ticket: TicketView, zone: ZoneInfo | None) -> list[str]:
    """The lines of ``ticket show``."""
    lines = [
        f"{ticket.number} ({ticket.service_name} {ticket.service}) {state_label(ticket)} "
        f"[id {ticket.id}, {ticket.site}, {ticket.business_day}]",
        f"  类型 kind: {kind_label(ticket)}{'，转入 transferred' if ticket.transferred else ''}",
        f"  窗口 window: {ticket.window or '-'}  工作人员 clerk: {ticket.clerk or '-'}"
        + (f"  转往 to window: {ticket.target_window}" if ticket.target_window else ""),
        f"  取号 issued {local_time(ticket.issued_at, zone)}  叫号 called "
        f"{local_time(ticket.called_at, zone)}  开始 started {local_time(ticket.started_at, zone)}"
        f"  结束 finished {local_time(ticket.finished_at, zone)}",
    ]
    if ticket.outcome:
        lines.append(f"  办理结果 outcome: {vocabulary.outcome_label(ticket.outcome)} ({ticket.outcome})")
    if ticket.note:
        lines.append(f"  备注 note: {ticket.note}")
    return lines


def window_row(window: WindowView) -> str:
    """One line of ``window list``."""
    services = " ".join(f"{code}:{weight}" for code, weight in window.services)
    status = []
    if not window.active:
        status.append("已停用 disabled")
    if window.paused:
        status.append(f"暂停 paused（{window.pause_reason or ''}）")
    if window.clerk:
        status.append(f"{window.clerk_name or window.clerk} 在岗")
    if window.current_ticket:
        status.append(f"{window.current_ticket.number} {state_label(window.current_ticket)}")
    return f"{window.number:>4}  {window.name}  [{services}]  {'，'.join(status)}".rstrip()

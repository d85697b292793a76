"""Printing an issued ticket from the database: the domain side of ticket printing.

:mod:`shared.printing` turns a :class:`TicketSlip` into bytes and never touches the
database; this module builds the slip from the hall's records (the site's name and time
zone, the service, the windows serving it, people ahead and the estimate now, the
materials) and keeps the reprint mark honest: a failed print marks the ticket
``print_pending`` so staff can reprint it from the kiosk's staff mode, the counter or
``hallq-admin ticket print``; a successful reprint clears the mark. Used by the kiosk, the
counter's reprint button and the command line. It also reads the services' guides
(:class:`ServiceGuide`, 一次性告知: materials, windows, quota left) that the kiosk shows
before a number is taken and the counter's materials-missing notice lists.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal, get_args
from zoneinfo import ZoneInfo

from sqlalchemy import select

from shared import queue
from shared.db import Database, server_now
from shared.errors import HallQueueError, UsageError
from shared.issuing import window_labels
from shared.lookup import find_ticket
from shared.models import Service, Site
from shared.prediction import estimate_wait
from shared.printing.slip import TicketSlip
from shared.read.site import SiteInfo, site_info
from shared.routing import RoutingRules, people_ahead
from shared.states import TicketKind, TicketState
from shared.views import IssuedTicket
from shared.vocabulary import KINDS

if TYPE_CHECKING:
    from shared.printing.printers import TicketPrinterError

# The printer and PDF modules (python-escpos, reportlab) are imported when first used:
# they are slow to load and a kiosk should show its first screen without waiting for them.

log = logging.getLogger(__name__)

PrintMode = Literal["text", "raster", "pdf"]
PRINT_MODES: tuple[str, ...] = get_args(PrintMode)


@dataclass(frozen=True)
class PrintResult:
    """How printing one ticket went; ``error`` is None when the slip came out."""

    ticket_id: int
    number: str
    error: TicketPrinterError | None = None
    marked_for_reprint: bool = False
    mark_error: HallQueueError | None = None  # the reprint mark could not be recorded

    @property
    def printed(self) -> bool:
        return self.error is None


def _kind_label(kind: str) -> str | None:
    """The kind printed on the slip, which is Chinese whatever the kiosk's screen speaks
    (like every other line of it, shared/printing/layout.py)."""
    return None if kind == TicketKind.NORMAL else KINDS[TicketKind(kind)]


def slip_from_issued(issued: IssuedTicket, site: SiteInfo, *, footer: str,
                     paper_width_mm: int = 80) -> TicketSlip:
    """The slip of a ticket just issued, from what issuing returned (no database call)."""
    ticket = issued.ticket
    return TicketSlip(
        center_name=site.name, ticket_id=ticket.id, number=ticket.number,
        service_name=ticket.service_name, windows=list(issued.windows),
        people_ahead=issued.people_ahead,
        estimated_wait_minutes=issued.estimated_wait_minutes,
        issued_at=ticket.issued_at.astimezone(site.zone), materials=list(issued.materials),
        footer=footer, kind_label=_kind_label(ticket.kind), paper_width_mm=paper_width_mm,
        wait_range=(None if issued.wait_low_minutes is None or issued.wait_high_minutes is None
                    else (issued.wait_low_minutes, issued.wait_high_minutes)),
        qr_url=site.ticket_url(ticket.id, ticket.business_day))


def build_slip(db: Database, ticket_id: int, *, footer: str, paper_width_mm: int = 80
               ) -> tuple[TicketSlip, bool]:
    """The slip of any ticket as of now, and whether it is marked for reprint.

    People ahead and the estimate are today's: a reprint tells the citizen where they
    stand now. A ticket no longer waiting has nobody ahead and no estimate.
    """
    with db.read() as session:
        ticket = find_ticket(session, None, ticket_id, None)
        site_code = session.scalar(select(Site.code).where(Site.id == ticket.site_id))
    # Outside the read: creating the web key on first use is a write.
    link_site = site_info(db, site=site_code, links=True)
    with db.read() as session:
        ticket = find_ticket(session, None, ticket_id, None)
        site = session.get(Site, ticket.site_id)
        service = session.get(Service, ticket.service_id)
        assert site is not None and service is not None
        now = server_now(session)
        ahead, estimate = 0, None
        if ticket.state == TicketState.WAITING.value:
            rules = RoutingRules.from_mapping(site.routing)
            ahead = people_ahead(session, ticket, rules, now)
            estimate = estimate_wait(session, site, now, ticket.business_day, rules,
                                     ticket_id=ticket.id).get(-ticket.id)
        slip = TicketSlip(
            center_name=site.name, ticket_id=ticket.id, number=ticket.number,
            service_name=service.name, windows=window_labels(session, site.id, service.id),
            people_ahead=ahead, estimated_wait_minutes=estimate.minutes if estimate else None,
            wait_range=(estimate.low, estimate.high) if estimate else None,
            issued_at=ticket.issued_at.astimezone(ZoneInfo(site.timezone)),
            materials=[str(m) for m in service.materials], footer=footer,
            kind_label=_kind_label(ticket.kind), paper_width_mm=paper_width_mm,
            qr_url=link_site.ticket_url(ticket.id, ticket.business_day))
        return slip, ticket.print_pending


def deliver_slip(db: Database, slip: TicketSlip, printer_url: str, mode: str, *,
                 was_pending: bool = False, check: bool = True, check_before: bool = True,
                 timeout: float = 5.0) -> PrintResult:
    """Print a slip on the ticket printer and keep the reprint mark in step.

    A printer failure never raises: the ticket is marked for reprint and the result says
    so. If even the mark cannot be written (the database went away too), ``mark_error``
    holds why, so the caller can try again later. ``check`` and ``check_before`` are
    :func:`shared.printing.printers.print_ticket`'s.
    """
    from shared.printing.printers import TicketPrinterError, print_ticket

    if mode not in ("text", "raster"):
        raise UsageError(f"打印方式无效 (print mode {mode!r}: use text or raster for a printer)")
    try:
        print_ticket(printer_url, slip, mode, check=check,  # type: ignore[arg-type]
                     check_before=check_before, timeout=timeout)
    except TicketPrinterError as exc:
        log.warning("ticket %s (id %d) did not print: %s (%s)", slip.number, slip.ticket_id,
                    exc.reason, exc.detail)
        try:
            queue.mark_print_failed(db, slip.ticket_id, f"{exc.reason}: {exc.detail}")
        except HallQueueError as mark_exc:
            log.error("ticket %s (id %d): cannot mark for reprint: %s", slip.number,
                      slip.ticket_id, mark_exc)
            return PrintResult(slip.ticket_id, slip.number, exc, False, mark_exc)
        return PrintResult(slip.ticket_id, slip.number, exc, marked_for_reprint=True)
    if was_pending:
        queue.mark_printed(db, slip.ticket_id)
    return PrintResult(slip.ticket_id, slip.number)


def print_issued_ticket(db: Database, ticket_id: int, printer_url: str | None, mode: str, *,
                        footer: str, paper_width_mm: int = 80, out: Path | None = None,
                        check: bool = True, timeout: float = 5.0) -> PrintResult:
    """Print (or reprint) a ticket by id.

    ``mode`` text or raster sends it to ``printer_url``: on failure the ticket is marked
    for reprint, on success a reprint mark is cleared. ``pdf`` writes the slip as a PDF to
    ``out`` and leaves the mark alone (a file is not yet a slip in the citizen's hand).
    """
    if mode not in PRINT_MODES:
        raise UsageError(f"打印方式无效 (print mode {mode!r}: use text, raster or pdf)")
    if mode == "pdf" and out is None:
        raise UsageError("PDF 需要输出文件 (mode pdf needs an output file, --out FILE)")
    if mode != "pdf" and out is not None:
        raise UsageError(f"输出文件只用于 PDF (--out is only for mode pdf, not {mode})")
    if mode != "pdf" and not printer_url:
        raise UsageError("未配置打印机 (no printer: give --printer URL or set kiosk.printer "
                         "in the config)")
    slip, pending = build_slip(db, ticket_id, footer=footer, paper_width_mm=paper_width_mm)
    if mode == "pdf":
        from shared.printing.pdf_ticket import ticket_pdf

        assert out is not None
        try:
            out.write_bytes(ticket_pdf(slip))
        except OSError as exc:
            raise UsageError(f"无法写入 {out} (cannot write the PDF: {exc.strerror})") from exc
        return PrintResult(slip.ticket_id, slip.number)
    assert printer_url is not None
    return deliver_slip(db, slip, printer_url, mode, was_pending=pending, check=check,
                        timeout=timeout)


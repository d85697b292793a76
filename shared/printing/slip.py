"""What goes on a queue ticket, as plain data.

The queue core builds a :class:`TicketSlip` from its records; printing never touches the
database, so the same slip can be printed now, reprinted later or exported as a PDF.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from shared.errors import UsageError

PAPER_WIDTHS_MM = (58, 80)


@dataclass(frozen=True)
class TicketSlip:
    """Everything printed on one ticket; all text is already in the citizen's language."""

    center_name: str
    ticket_id: int
    number: str
    service_name: str
    windows: list[str]
    people_ahead: int
    estimated_wait_minutes: int | None
    issued_at: datetime
    materials: list[str]
    footer: str
    kind_label: str | None
    paper_width_mm: int = 80
    # The estimate's range in minutes (shared.prediction), printed instead of the point.
    wait_range: tuple[int, int] | None = None
    # The ticket's page on the hall's web service (signed link, see shared.web.tokens);
    # None where the site has no web base URL: the QR then carries the bare ticket id.
    qr_url: str | None = None

    def __post_init__(self) -> None:
        # The width usually comes from the kiosk configuration, so report it like a bad
        # setting; a naive time is a programming error (the slip would print UTC or worse).
        if self.paper_width_mm not in PAPER_WIDTHS_MM:
            raise UsageError(f"不支持 {self.paper_width_mm} mm 宽的纸，请用 58 或 80 "
                             f"(paper width {self.paper_width_mm} mm is not supported; use 58 or 80)")
        if self.issued_at.tzinfo is None or self.issued_at.utcoffset() is None:
            raise ValueError("TicketSlip.issued_at must be timezone-aware (site local time)")
        if self.people_ahead < 0:
            raise ValueError("TicketSlip.people_ahead cannot be negative")


def qr_payload(slip: TicketSlip) -> str:
    """The text encoded in the ticket's QR code: the link to the ticket's web page where
    the site has one, else HALLQ:T:<id>:<number>."""
    return slip.qr_url or f"HALLQ:T:{slip.ticket_id}:{slip.number}"

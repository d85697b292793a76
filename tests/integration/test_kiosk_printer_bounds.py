"""The kiosk's printer never holds a citizen for long: a ticket asks for the printer's
status at most twice, a slow or silent printer costs a bounded time, and a printer that
never answers status can be told apart by configuration (kiosk.printer_status)."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from kiosk_app.backend import PRINTER_TIMEOUT_SECONDS, KioskBackend
from shared.config import KioskConfig
from shared.db import Database
from shared.printing.printers import TicketPrinterError
from shared.read import hall_state
from testkit.fake_printer import FakePrinter
from tests.escpos_decoder import Cut, decode


def kiosk(db: Database, printer: FakePrinter, *, status: bool = True) -> KioskBackend:
    settings = KioskConfig(printer=printer.url, print_mode="text", printer_status=status)
    return KioskBackend(db, settings, site="hall")


@pytest.mark.all_backends
def test_one_ticket_asks_for_status_twice(db: Database) -> None:
    """Before issuing (on line?) and after the cut (took every byte?), nothing more."""
    with FakePrinter() as printer:
        taken = kiosk(db, printer).take_number("SA")
        printer.wait_idle(connections=2)
    assert taken.print_result is not None and taken.print_result.printed
    assert printer.status_queries == [1, 4]


def test_status_replies_of_2_8_seconds_cost_two_waits(db: Database) -> None:
    """A printer answering each status query after 2.8 s (within the kiosk's 3 s): the
    ticket takes two replies' time, not six (16.9 s before)."""
    assert PRINTER_TIMEOUT_SECONDS > 2.8
    with FakePrinter.slow_status(2.8) as printer:
        began = time.monotonic()
        taken = kiosk(db, printer).take_number("SA")
        took = time.monotonic() - began
        printer.wait_idle(connections=2)
    assert taken.print_result is not None and taken.print_result.printed
    assert printer.status_queries == [1, 4]
    assert took < 2 * 2.8 + 1.5


def test_printer_that_never_answers_refuses_within_the_timeout(db: Database) -> None:
    """With status queries on, a silent printer is 'not connected' after one timeout and
    no number is issued."""
    with FakePrinter.silent() as printer:
        began = time.monotonic()
        with pytest.raises(TicketPrinterError) as caught:
            kiosk(db, printer).take_number("SA")
        took = time.monotonic() - began
    assert caught.value.reason == "no_answer"
    assert took < PRINTER_TIMEOUT_SECONDS + 1.5
    assert printer.status_queries == [1]
    assert hall_state.list_tickets(db, site="hall") == []


def test_status_off_prints_on_a_printer_that_never_answers(db: Database) -> None:
    """kiosk.printer_status = false: no status query at all, the ticket prints at once."""
    with FakePrinter.silent() as printer:
        began = time.monotonic()
        taken = kiosk(db, printer, status=False).take_number("SA")
        took = time.monotonic() - began
        printer.wait_idle(connections=2)  # opened before issuing, then the print
        items = decode(printer.received)
    assert taken.print_result is not None and taken.print_result.printed
    assert printer.status_queries == []
    assert isinstance(items[-1], Cut)
    assert took < 2
    with FakePrinter.silent() as again:
        assert kiosk(db, again, status=False).reprint(taken.issued.ticket.id).printed
    assert again.status_queries == []


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_file_printer_nobody_reads_does_not_hang_the_kiosk(db: Database, tmp_path: Path) -> None:
    """file:// on a FIFO without a reader (a device that never takes bytes): the kiosk's
    printer check cannot open it within its timeout, so it says "not connected" and issues
    no number, instead of blocking for ever in open()."""
    fifo = tmp_path / "lp0"
    os.mkfifo(fifo)
    settings = KioskConfig(printer=f"file://{fifo}", print_mode="text")
    began = time.monotonic()
    with pytest.raises(TicketPrinterError) as caught:
        KioskBackend(db, settings, site="hall").take_number("SA")
    assert time.monotonic() - began < PRINTER_TIMEOUT_SECONDS + 2
    assert caught.value.reason == "unreachable" and str(fifo) in caught.value.detail
    assert hall_state.list_tickets(db, site="hall") == []


def test_status_off_still_refuses_an_unreachable_printer(db: Database) -> None:
    """Without status queries the kiosk still opens the printer before issuing: nobody
    listening on its port means no number."""
    with FakePrinter() as printer:
        url = printer.url
    settings = KioskConfig(printer=url, print_mode="text", printer_status=False)
    with pytest.raises(TicketPrinterError) as caught:
        KioskBackend(db, settings, site="hall").take_number("SA")
    assert caught.value.reason == "unreachable"
    assert hall_state.list_tickets(db, site="hall") == []

"""The kiosk when the answer to its COMMIT is lost (a proxy drops the server's reply; on
SQLite the caller is told the database went away after the commit): it asks again with
the same tap's request key and shows the one number the citizen got, printed once; a
citizen who gives up leaves a ticket that is on the staff reprint list."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from zoneinfo import ZoneInfo

import pytest
from pytestqt.qtbot import QtBot

from kiosk_app.presenter import Screen
from shared import appointments
from shared.db import Database
from shared.read import hall_state
from testkit.fake_printer import FakePrinter
from tests.lost_answers import AnswerLoser
from tests.ui.kiosk_support import kiosk_config, running_kiosk
from tests.ui.test_kiosk_flows import printed_text

ZONE = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def loser(db: Database) -> Iterator[AnswerLoser]:
    loser = AnswerLoser(db)
    yield loser
    loser.close()


@pytest.fixture
def printer() -> Iterator[FakePrinter]:
    with FakePrinter() as fake:
        yield fake


def _book(db: Database, code: str) -> None:
    now = dt.datetime.now(ZONE)
    start = min(now.time().replace(second=0, microsecond=0), dt.time(23, 58))
    appointments.add_appointment(db, code=code, service="SB", day=now.date(),
                                 slot=f"{start:%H:%M}-23:59", site="hall")


@pytest.mark.all_backends
def test_lost_answer_to_a_tap_gives_one_number_printed_once(
        qtbot: QtBot, db: Database, loser: AnswerLoser, printer: FakePrinter) -> None:
    with running_kiosk(qtbot, kiosk_config(loser.url, printer=printer.url)) as kiosk:
        kiosk.tap(kiosk.card("service", "SA"))
        kiosk.wait_screen(Screen.GUIDE)
        loser.lose_next_answer()
        kiosk.tap(kiosk.window.guide_screen.take_button)
        kiosk.wait_screen(Screen.PAUSED)
        assert kiosk.window.paused_screen.restart_button.isVisible()  # the answer-lost pause
        kiosk.wait_screen(Screen.RESULT, timeout=20_000)  # asked again after a few seconds
        assert kiosk.window.result_screen.number.text() == "A001"
        assert kiosk.window.result_screen.printing.objectName() != "printFailed"
    assert loser.proxy is None or loser.proxy.commits_lost == 1
    assert [t.number for t in hall_state.list_tickets(db, site="hall")] == ["A001"]
    assert not hall_state.get_ticket(db, "A001", site="hall").print_pending
    assert "A001" in printed_text(printer)


@pytest.mark.all_backends
def test_lost_answer_to_a_check_in_gives_its_ticket(
        qtbot: QtBot, db: Database, loser: AnswerLoser, printer: FakePrinter) -> None:
    _book(db, "88002")
    with running_kiosk(qtbot, kiosk_config(loser.url, printer=printer.url)) as kiosk:
        kiosk.tap(kiosk.window.start_screen.check_in_button)
        kiosk.wait_screen(Screen.CHECK_IN)
        loser.lose_next_answer()
        kiosk.type_keys("88002")
        kiosk.wait_screen(Screen.PAUSED)
        kiosk.wait_screen(Screen.RESULT, timeout=20_000)
        assert kiosk.window.result_screen.kind.text() == "预约签到成功"
        assert kiosk.window.result_screen.number.text() == "B001"
    assert loser.proxy is None or loser.proxy.commits_lost == 1
    assert [t.number for t in hall_state.list_tickets(db, site="hall")] == ["B001"]
    assert "B001" in printed_text(printer)


def test_citizen_who_gives_up_leaves_the_ticket_on_the_reprint_list(
        qtbot: QtBot, db: Database, loser: AnswerLoser, printer: FakePrinter) -> None:
    _book(db, "88003")
    with running_kiosk(qtbot, kiosk_config(loser.url, printer=printer.url)) as kiosk:
        kiosk.tap(kiosk.window.start_screen.check_in_button)
        kiosk.wait_screen(Screen.CHECK_IN)
        loser.lose_next_answer()
        kiosk.type_keys("88003")
        kiosk.wait_screen(Screen.PAUSED)
        kiosk.tap(kiosk.window.paused_screen.restart_button)  # before it asks again
        kiosk.wait_screen(Screen.START)
        backend = kiosk.presenter.backend
        assert backend is not None
        assert [t.number for t in backend.pending_reprints()] == ["B001"]


def test_printer_failing_before_the_retry_gives_the_number_and_a_reprint_mark(
        qtbot: QtBot, db: Database, loser: AnswerLoser, printer: FakePrinter) -> None:
    """The tap passed the printer check once; asked again, its ticket may exist, so the
    paper running out meanwhile does not hide the number: it is shown, marked for reprint."""
    with FakePrinter.out_of_paper() as empty, \
            running_kiosk(qtbot, kiosk_config(loser.url, printer=printer.url)) as kiosk:
        kiosk.tap(kiosk.card("service", "SA"))
        kiosk.wait_screen(Screen.GUIDE)
        loser.lose_next_answer()
        kiosk.tap(kiosk.window.guide_screen.take_button)
        kiosk.wait_screen(Screen.PAUSED)
        assert kiosk.presenter.backend is not None
        kiosk.presenter.backend.settings.printer = empty.url
        kiosk.wait_screen(Screen.RESULT, timeout=20_000)
        assert kiosk.window.result_screen.number.text() == "A001"
        assert kiosk.window.result_screen.printing.objectName() == "printFailed"
    assert hall_state.get_ticket(db, "A001", site="hall").print_pending

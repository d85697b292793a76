"""The kiosk driven by taps, on a real database and a loopback network printer."""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Iterator
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot
from sqlalchemy import select, update

from kiosk_app.presenter import Screen
from shared import appointments, issuing
from shared.db import Database
from shared.models import Service, Site
from shared.read import hall_state
from testkit.fake_printer import FakePrinter
from tests.escpos_decoder import decode, text_lines
from tests.ui.kiosk_support import (
    LANDSCAPE,
    PORTRAIT,
    Kiosk,
    kiosk_config,
    running_kiosk,
)

ZONE = ZoneInfo("Asia/Shanghai")

CJK = re.compile(r"[\u3000-\u9fff\uff00-\uffef]")


@pytest.fixture
def printer() -> Iterator[FakePrinter]:
    with FakePrinter() as fake:
        yield fake


def printed_text(printer: FakePrinter) -> str:
    printer.wait_idle()
    return "\n".join(line.text for line in text_lines(decode(printer.received)))


def both_orientations(kiosk: Kiosk, screenshot, name: str) -> None:
    """Screenshots of the current screen in portrait and landscape."""
    for size, suffix in ((PORTRAIT, "portrait"), (LANDSCAPE, "landscape")):
        kiosk.resize(size)
        screenshot(kiosk.window, f"kiosk-{name}-{suffix}")
    kiosk.resize(PORTRAIT)


def test_take_a_number_prints_the_ticket(qtbot: QtBot, db: Database, empty_db_url: str,
                                         printer: FakePrinter, screenshot) -> None:
    """Service, guide, take: the number is shown huge and its slip names number, service
    and materials."""
    issuing.issue_ticket(db, "SA", site="hall")  # someone is already waiting
    with running_kiosk(qtbot, kiosk_config(empty_db_url, printer=printer.url)) as kiosk:
        both_orientations(kiosk, screenshot, "start")
        kiosk.tap(kiosk.card("service", "SA"))
        kiosk.wait_screen(Screen.GUIDE)
        both_orientations(kiosk, screenshot, "guide")
        kiosk.tap(kiosk.window.guide_screen.take_button)
        kiosk.wait_screen(Screen.RESULT)
        result = kiosk.window.result_screen
        assert result.number.text() == "A002"
        assert "前面还有 1 人" in result.wait.text()
        assert result.printing.objectName() == "printOk"
        both_orientations(kiosk, screenshot, "result")
    text = printed_text(printer)
    for expected in ("测试服务中心", "A002", "甲业务", "身份证原件", "申请表", "前面还有 1 人",
                     "1号窗口"):
        assert expected in text
    ticket = hall_state.get_ticket(db, "A002", site="hall")
    assert not ticket.print_pending


def test_a_tap_held_while_the_list_refreshes_is_not_lost(qtbot: QtBot, db: Database,
                                                          empty_db_url: str) -> None:
    """The start screen is re-read whenever the hall changes; a finger resting on a card
    at that moment still opens that card when it lifts (the card used to be replaced
    under it and the tap lost), and the fresh counts show afterwards."""
    with running_kiosk(qtbot, kiosk_config(empty_db_url)) as kiosk:
        card = kiosk.card("service", "SA")
        qtbot.mousePress(card, Qt.MouseButton.LeftButton)
        issuing.issue_ticket(db, "SA", site="hall")  # at another kiosk, meanwhile
        qtbot.waitUntil(lambda: any(o.code == "SA" and o.queue.waiting == 1
                                    for o in kiosk.presenter.offers), timeout=10_000)
        kiosk.wait_idle()
        assert card.isVisible() and card.isDown()  # still the card under the finger
        qtbot.mouseRelease(card, Qt.MouseButton.LeftButton)
        kiosk.wait_screen(Screen.GUIDE)
        assert kiosk.window.guide_screen.name.text() == "甲业务"
        kiosk.tap(kiosk.window.guide_screen.back_button)
        kiosk.wait_screen(Screen.START)
        fresh = kiosk.card("service", "SA")
        assert fresh is not card and "1" in fresh.status.text()


def test_guide_lists_materials_and_back_returns(qtbot: QtBot, db: Database,
                                                empty_db_url: str) -> None:
    """The guide shows every required material, and going back issues nothing."""
    with running_kiosk(qtbot, kiosk_config(empty_db_url)) as kiosk:
        kiosk.tap(kiosk.card("service", "SA"))
        kiosk.wait_screen(Screen.GUIDE)
        shown = [w.text() for w in kiosk.window.guide_screen.findChildren(QLabel)]
        assert "身份证原件" in shown and "申请表" in shown
        kiosk.tap(kiosk.window.guide_screen.back_button)
        kiosk.wait_screen(Screen.START)
    assert hall_state.list_tickets(db, site="hall") == []


def close_for_holiday(db: Database, code: str) -> None:
    """Make today a public holiday at the site and the service not open on holidays."""
    today = dt.datetime.now(ZONE).date().isoformat()
    with db.engine.begin() as conn:
        conn.execute(update(Service).where(Service.code == code).values(holiday=False))
        site = conn.execute(select(Site.id, Site.calendar).where(Site.code == "hall")).one()
        calendar = dict(site.calendar)
        calendar["holidays"] = [today]
        conn.execute(update(Site).where(Site.id == site.id).values(calendar=calendar))


def test_closed_service_says_why_instead_of_vanishing(qtbot: QtBot, db: Database,
                                                      empty_db_url: str, screenshot) -> None:
    """A closed service stays in the list with its reason and cannot be taken."""
    close_for_holiday(db, "SD")
    with running_kiosk(qtbot, kiosk_config(empty_db_url)) as kiosk:
        card = kiosk.card("service", "SD")
        assert card.badge.text() == "暂停取号"
        assert "节假日不办理此业务" in card.status.text()
        assert "开始取号" in card.status.text()
        kiosk.tap(card)
        kiosk.wait_screen(Screen.GUIDE)
        guide = kiosk.window.guide_screen
        assert not guide.take_button.isVisible()
        assert "节假日" in guide.closed.text()
        both_orientations(kiosk, screenshot, "guide-closed")
    assert hall_state.list_tickets(db, site="hall") == []


def test_quota_reached_shows_closed_and_refuses(qtbot: QtBot, db: Database,
                                                empty_db_url: str, screenshot) -> None:
    """When the daily quota runs out while the guide is open, taking says so and issues
    nothing; the list then shows the service as used up."""
    for _ in range(2):
        issuing.issue_ticket(db, "SC", site="hall")
    with running_kiosk(qtbot, kiosk_config(empty_db_url)) as kiosk:
        kiosk.tap(kiosk.card("service", "SC"))
        kiosk.wait_screen(Screen.GUIDE)
        issuing.issue_ticket(db, "SC", site="hall")  # another kiosk took the last one
        kiosk.tap(kiosk.window.guide_screen.take_button)
        kiosk.wait_screen(Screen.NOTICE)
        assert "号源已取完" in kiosk.window.notice_screen.message.text()
        assert "daily quota" not in kiosk.window.notice_screen.message.text()
        both_orientations(kiosk, screenshot, "notice-quota")
        kiosk.tap(kiosk.window.notice_screen.back_button)
        kiosk.wait_screen(Screen.START)
        qtbot.waitUntil(lambda: kiosk.card("service", "SC").badge.text() == "暂停取号")
        assert "号源已取完" in kiosk.card("service", "SC").status.text()
    assert len([t for t in hall_state.list_tickets(db, site="hall") if t.service == "SC"]) == 3


def test_appointment_check_in_by_keypad(qtbot: QtBot, db: Database, empty_db_url: str,
                                        printer: FakePrinter, screenshot) -> None:
    """An appointment code typed on the keypad gives an appointment ticket, printed."""
    now = dt.datetime.now(ZONE)
    start = min(now.time().replace(second=0, microsecond=0), dt.time(23, 58))
    slot = f"{start:%H:%M}-23:59"
    appointments.add_appointment(db, code="80417", service="SB", day=now.date(), slot=slot,
                                 site="hall")
    with running_kiosk(qtbot, kiosk_config(empty_db_url, printer=printer.url)) as kiosk:
        kiosk.tap(kiosk.window.start_screen.check_in_button)
        kiosk.wait_screen(Screen.CHECK_IN)
        for digit in "804":
            kiosk.tap(kiosk.window.check_in_screen.keypad.buttons[digit])
        both_orientations(kiosk, screenshot, "check-in")
        kiosk.tap(kiosk.window.check_in_screen.keypad.buttons["back"])
        kiosk.type_keys("417")
        kiosk.wait_screen(Screen.RESULT)
        assert kiosk.window.result_screen.kind.text() == "预约签到成功"
        assert kiosk.window.result_screen.number.text() == "B001"
        both_orientations(kiosk, screenshot, "result-appointment")
    ticket = hall_state.get_ticket(db, "B001", site="hall")
    assert ticket.kind == "appointment"
    assert "B001" in printed_text(printer)


def test_unknown_appointment_code_is_refused(qtbot: QtBot, db: Database,
                                             empty_db_url: str) -> None:
    """A wrong appointment code tells the citizen and issues nothing."""
    with running_kiosk(qtbot, kiosk_config(empty_db_url)) as kiosk:
        kiosk.tap(kiosk.window.start_screen.check_in_button)
        kiosk.wait_screen(Screen.CHECK_IN)
        kiosk.type_keys("999")
        kiosk.wait_screen(Screen.NOTICE)
        assert "预约码 999 不存在" in kiosk.window.notice_screen.message.text()
    assert hall_state.list_tickets(db, site="hall") == []


def enter_staff_mode(kiosk: Kiosk, pin: str = "2468") -> None:
    kiosk.tap(kiosk.window.start_screen.staff_button)
    kiosk.wait_screen(Screen.PIN)
    kiosk.type_keys(pin, pin=True)
    kiosk.wait_screen(Screen.STAFF)


def test_green_channel_needs_the_staff_pin(qtbot: QtBot, db: Database, empty_db_url: str,
                                          printer: FakePrinter, screenshot) -> None:
    """Green-channel tickets come only from staff mode, behind the staff PIN."""
    with running_kiosk(qtbot, kiosk_config(empty_db_url, printer=printer.url)) as kiosk:
        kiosk.tap(kiosk.window.start_screen.staff_button)
        kiosk.wait_screen(Screen.PIN)
        kiosk.type_keys("1111", pin=True)
        assert kiosk.presenter.screen is Screen.PIN
        assert kiosk.window.pin_screen.error.text() == "密码不正确，请重新输入"
        both_orientations(kiosk, screenshot, "pin-wrong")
        kiosk.type_keys("2468", pin=True)
        kiosk.wait_screen(Screen.STAFF)
        both_orientations(kiosk, screenshot, "staff")
        kiosk.tap(kiosk.card("service", "SB"))
        kiosk.wait_screen(Screen.RESULT)
        assert kiosk.window.result_screen.kind.text() == "绿色通道"
        both_orientations(kiosk, screenshot, "result-green")
    assert hall_state.get_ticket(db, "B001", site="hall").kind == "green"
    assert "绿色通道" in printed_text(printer)


def test_print_failure_after_issue_marks_for_reprint(qtbot: QtBot, db: Database,
                                                     empty_db_url: str, screenshot) -> None:
    """A printer that drops mid-ticket: the number is still shown, the ticket is marked,
    and staff mode reprints it, which clears the mark."""
    with FakePrinter.dropping_after(40) as broken, FakePrinter() as good, \
            running_kiosk(qtbot, kiosk_config(empty_db_url, printer=broken.url)) as kiosk:
        kiosk.tap(kiosk.card("service", "SA"))
        kiosk.wait_screen(Screen.GUIDE)
        kiosk.tap(kiosk.window.guide_screen.take_button)
        kiosk.wait_screen(Screen.RESULT)
        result = kiosk.window.result_screen
        assert result.number.text() == "A001"
        assert result.printing.objectName() == "printFailed"
        both_orientations(kiosk, screenshot, "result-print-failed")
        assert hall_state.get_ticket(db, "A001", site="hall").print_pending
        kiosk.tap(result.done_button)
        kiosk.wait_screen(Screen.START)
        assert kiosk.presenter.backend is not None
        kiosk.presenter.backend.settings.printer = good.url  # staff fixed the printer
        enter_staff_mode(kiosk)
        ticket_id = hall_state.get_ticket(db, "A001", site="hall").id
        kiosk.card("ticket", ticket_id)
        both_orientations(kiosk, screenshot, "staff-reprint")
        # looked up again: the lists are redrawn when the hall changes (the issue's
        # change, paced) as long as no finger is on them
        kiosk.tap(kiosk.card("ticket", ticket_id))
        kiosk.wait_screen(Screen.NOTICE)
        assert "A001" in kiosk.window.notice_screen.message.text()
        both_orientations(kiosk, screenshot, "notice-reprinted")
        kiosk.tap(kiosk.window.notice_screen.back_button)
        kiosk.wait_screen(Screen.STAFF)
        assert "A001" in printed_text(good)
    assert not hall_state.get_ticket(db, "A001", site="hall").print_pending


def test_out_of_paper_issues_nothing(qtbot: QtBot, db: Database, empty_db_url: str,
                                     caplog: pytest.LogCaptureFixture, screenshot) -> None:
    """With the printer out of paper no number is issued; the citizen is told and the
    log says why."""
    caplog.set_level(logging.WARNING, logger="kiosk_app")
    with FakePrinter.out_of_paper() as empty, \
            running_kiosk(qtbot, kiosk_config(empty_db_url, printer=empty.url)) as kiosk:
        kiosk.tap(kiosk.card("service", "SA"))
        kiosk.wait_screen(Screen.GUIDE)
        kiosk.tap(kiosk.window.guide_screen.take_button)
        kiosk.wait_screen(Screen.NOTICE)
        assert "打印机缺纸" in kiosk.window.notice_screen.message.text()
        both_orientations(kiosk, screenshot, "notice-printer")
    assert hall_state.list_tickets(db, site="hall") == []
    assert any("paper_out" in r.getMessage() for r in caplog.records)


def test_out_of_paper_in_english_is_english(qtbot: QtBot, db: Database,
                                           empty_db_url: str) -> None:
    """The printer's problem is worded in the kiosk's language, as its own words are."""
    with FakePrinter.out_of_paper() as empty, \
            running_kiosk(qtbot, kiosk_config(empty_db_url, printer=empty.url),
                          language="en") as kiosk:
        kiosk.tap(kiosk.card("service", "SA"))
        kiosk.wait_screen(Screen.GUIDE)
        kiosk.tap(kiosk.window.guide_screen.take_button)
        kiosk.wait_screen(Screen.NOTICE)
        notice = kiosk.window.notice_screen
        text = " ".join(label.text() for label in (notice.title, notice.message, notice.help))
        assert "out of paper" in text and not CJK.search(text), text
        banner = kiosk.window.start_screen.printer_banner.text()
        assert not CJK.search(banner), banner


def test_double_tap_issues_one_ticket(qtbot: QtBot, db: Database, empty_db_url: str,
                                      printer: FakePrinter) -> None:
    """Two quick taps on the take button issue a single number."""
    with running_kiosk(qtbot, kiosk_config(empty_db_url, printer=printer.url)) as kiosk:
        kiosk.tap(kiosk.card("service", "SA"))
        kiosk.wait_screen(Screen.GUIDE)
        take = kiosk.window.guide_screen.take_button
        kiosk.tap(take)
        qtbot.mouseClick(take, Qt.MouseButton.LeftButton)  # the second finger
        kiosk.presenter.take_number("SA")  # and a retry through the presenter
        kiosk.wait_screen(Screen.RESULT)
    assert [t.number for t in hall_state.list_tickets(db, site="hall")] == ["A001"]


def test_idle_returns_to_start(qtbot: QtBot, db: Database, empty_db_url: str) -> None:
    """The number screen goes back to the start by itself."""
    with running_kiosk(qtbot, kiosk_config(empty_db_url, idle_seconds=1)) as kiosk:
        kiosk.tap(kiosk.card("service", "SB"))
        kiosk.wait_screen(Screen.GUIDE)
        kiosk.tap(kiosk.window.guide_screen.take_button)
        kiosk.wait_screen(Screen.RESULT)
        kiosk.wait_screen(Screen.START)


def test_quitting_needs_the_admin_pin(qtbot: QtBot, db: Database, empty_db_url: str,
                                      screenshot) -> None:
    """Closing the window asks for the admin PIN; the staff PIN does not close it."""
    with running_kiosk(qtbot, kiosk_config(empty_db_url)) as kiosk:
        kiosk.window.close()
        kiosk.wait_screen(Screen.PIN)
        assert kiosk.window.isVisible()
        kiosk.type_keys("2468", pin=True)
        assert kiosk.window.isVisible() and kiosk.presenter.screen is Screen.PIN
        both_orientations(kiosk, screenshot, "pin-admin")
        kiosk.type_keys("13579", pin=True)
        qtbot.waitUntil(lambda: not kiosk.window.isVisible())


def test_english_through_qt_translations(qtbot: QtBot, db: Database, empty_db_url: str,
                                         screenshot) -> None:
    """With --lang en the kiosk shows its own words in English from the .qm file."""
    close_for_holiday(db, "SD")
    with running_kiosk(qtbot, kiosk_config(empty_db_url), language="en") as kiosk:
        assert kiosk.window.start_screen.title.text() == "Choose a service"
        both_orientations(kiosk, screenshot, "start-en")
        kiosk.tap(kiosk.card("service", "SA"))
        kiosk.wait_screen(Screen.GUIDE)
        assert kiosk.window.guide_screen.take_button.text() == "I understand, take a number"
        kiosk.tap(kiosk.window.guide_screen.take_button)
        kiosk.wait_screen(Screen.RESULT)
        assert kiosk.window.result_screen.caption.text() == "Your number is"
        both_orientations(kiosk, screenshot, "result-en")


def lack_three_times(db: Database, service: str, material: str) -> None:
    """Three cases of ``service`` ended 材料不全 lacking ``material`` today."""
    from shared import queue

    for _ in range(3):
        ticket = issuing.issue_ticket(db, service, site="hall").ticket
        queue.call_number(db, ticket.number, 2, site="hall")
        queue.start(db, ticket.id, site="hall")
        queue.finish(db, ticket.id, site="hall", outcome="materials-missing",
                     missing=[material])


@pytest.mark.parametrize(("language", "mark"), [("zh_CN", "常缺"), ("en", "Often missing")])
def test_the_guide_marks_the_most_often_forgotten_material(
        qtbot: QtBot, db: Database, empty_db_url: str, screenshot, language: str,
        mark: str) -> None:
    """申请表 lacked in three cases lately: the guide marks it, and only it, "常缺"
    (Often missing in English), and the voice guidance says so."""
    lack_three_times(db, "SA", "申请表")
    with running_kiosk(qtbot, kiosk_config(empty_db_url), language=language) as kiosk:
        kiosk.tap(kiosk.card("service", "SA"))
        kiosk.wait_screen(Screen.GUIDE)
        guide = kiosk.window.guide_screen
        marks = [w for w in guide.findChildren(QLabel) if w.objectName() == "materialOften"]
        assert [m.text() for m in marks] == [mark]
        items = [w.text() for w in guide.findChildren(QLabel)
                 if w.objectName() == "materialItem"]
        assert items == ["身份证原件", "申请表"]
        # The mark sits in the row of 申请表 (the second), right of its text.
        (row,) = [w for w in guide.findChildren(QLabel)
                  if w.objectName() == "materialItem" and w.text() == "申请表"]
        assert abs(marks[0].mapToGlobal(marks[0].rect().topLeft()).y()
                   - row.mapToGlobal(row.rect().topLeft()).y()) < row.height()
        assert marks[0].mapToGlobal(marks[0].rect().topLeft()).x() > \
            row.mapToGlobal(row.rect().topLeft()).x()
        spoken = " ".join(guide.speech())
        assert ("常缺" in spoken) == (language == "zh_CN")
        screenshot(kiosk.window, f"kiosk-guide-often-missing-{language}")

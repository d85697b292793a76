"""The counter's real widgets on the demo hall (the Chun'an catalog): every screen and
dialog driven as a clerk would, with a screenshot of each (into a temporary folder;
python tools/screenshots.py regenerates the documentation's pictures)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QObject, QRectF, Qt
from PySide6.QtGui import QColor, QImage, QPainter, QPixmap
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QLabel, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from counter_app.actions import CounterAction
from counter_app.core import CounterCore
from counter_app.dialogs import FinishDialog, NumberDialog, PauseDialog, TransferDialog
from counter_app.evaluation import EvaluationPresenter, connect_pad
from counter_app.evaluation_pad import EvaluationPad
from counter_app.materials_notice import (
    MaterialsNotice,
    notice_lines,
    paint_notice,
    print_notice,
)
from counter_app.window_display import WindowDisplay
from shared import issuing
from shared.db import Database
from shared.demo import DEMO_PASSWORD, SITE
from shared.models import Segment, Service, Ticket
from shared.qt.ops import OperationRunner
from shared.read import hall_state
from tests.ui.counter_support import CounterWindow, settle

pytestmark = pytest.mark.usefixtures("bundled_font")
pytest_plugins = ["tests.ui.counter_support"]

Shot = Callable[[QWidget, str], Path]
CENTER = "淳安县行政服务中心"




class Counter(CounterWindow):
    """A counter screen bound to a real presenter on the demo hall."""

    def __init__(self, qtbot: QtBot, db: Database, owner: QObject) -> None:
        super().__init__(qtbot, db, owner, site=SITE, center=CENTER, activate=False)

    def login(self, login: str = "demo1", window: int = 1) -> None:
        page = self.screen.login_page
        page.login.setText(login)
        page.password.setText(DEMO_PASSWORD)
        page.window.setCurrentIndex(page.window.findData(window))
        self.qtbot.mouseClick(page.submit, Qt.MouseButton.LeftButton)
        self.settle()
        assert self.screen.stack.currentWidget() is self.screen.main_page

    def press(self, action: CounterAction) -> None:
        button = self.screen.main_page.actions.button(action)
        assert button.isEnabled(), f"{action} is disabled"
        self.qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
        self.settle()


@pytest.fixture
def counter(qtbot: QtBot, demo: Database, owner: QObject) -> Counter:
    return Counter(qtbot, demo, owner)


def morning(db: Database) -> None:
    """A realistic queue: tickets of window 1's services issued over the last half hour,
    and two cases the clerk already served."""
    plan = [("RE-REG", "normal"), ("TAX", "normal"), ("RE-REG", "green"),
            ("RE-QUERY", "normal"), ("RE-REG", "normal"), ("TAX", "appointment"),
            ("RE-REG", "normal"), ("RE-QUERY", "normal"), ("RE-REG", "normal")]
    for code, kind in plan:
        issuing.issue_ticket(db, code, site=SITE, kind=kind)
    age_everything(db)


def age_everything(db: Database) -> None:
    """Move the timestamps back so the screen looks like a real morning: waiting tickets
    issued minutes apart, finished ones served in about six minutes each."""

    def op(session: Session) -> None:
        tickets = session.scalars(select(Ticket).where(Ticket.state == "waiting")
                                  .order_by(Ticket.id)).all()
        for index, ticket in enumerate(tickets):
            shift(session, ticket, dt.timedelta(minutes=32 - 3 * index),
                  ("issued_at", "queued_at"))
        for index, ticket in enumerate(session.scalars(
                select(Ticket).where(Ticket.state == "finished"))):
            shift(session, ticket, dt.timedelta(minutes=5 + index, seconds=40),
                  ("issued_at", "queued_at", "called_at", "started_at"))

    db.write(op)


def shift(session: Session, ticket: Ticket, by: dt.timedelta, fields: tuple[str, ...]) -> None:
    segments = session.scalars(select(Segment).where(Segment.ticket_id == ticket.id)).all()
    for row in (ticket, *segments):
        for field in fields:
            if getattr(row, field, None) is not None:
                setattr(row, field, getattr(row, field) - by)


def serve_two_earlier(counter: Counter) -> None:
    for code in ("RE-REG", "TAX"):
        issuing.issue_ticket(counter.db, code, site=SITE)
        counter.press(CounterAction.CALL_NEXT)
        counter.press(CounterAction.START)
        counter.presenter.finish("completed")
        counter.settle()


def test_login_screen(counter: Counter, screenshot: Shot) -> None:
    """The login screen offers the hall's windows and shows a refused login's reason."""
    page = counter.screen.login_page
    assert page.window.count() == len(hall_state.list_windows(counter.db, site=SITE))
    assert page.subtitle.text() == CENTER
    page.login.setText("demo1")
    page.password.setText("wrong-password")
    page.window.setCurrentIndex(page.window.findData(1))
    counter.qtbot.mouseClick(page.submit, Qt.MouseButton.LeftButton)
    counter.settle()
    assert "工号或密码错误" in page.message.text()
    page.login.setText("demo1")
    screenshot(counter.screen, "counter-login")


def test_main_screen_idle_and_serving(counter: Counter, screenshot: Shot) -> None:
    """The main screen shows the queue, the clerk's day and, once called, the ticket with its
    waiting and serving times; the buttons follow the ticket's state."""
    counter.login()
    serve_two_earlier(counter)
    morning(counter.db)
    counter.presenter.refresh()
    counter.settle()
    page = counter.screen.main_page
    assert "今日已服务 2 人" in page.stats.text()
    assert page.queue.services.rowCount() == 3
    assert page.actions.button(CounterAction.CALL_NEXT).text().endswith("F1")
    assert not page.actions.button(CounterAction.FINISH).isEnabled()
    screenshot(counter.screen, "counter-main-idle")

    counter.press(CounterAction.CALL_NEXT)
    held = counter.presenter.snapshot.held if counter.presenter.snapshot else None
    assert held is not None and page.ticket.number.text() == held.number
    assert held.kind == "green" and page.ticket.kind_badge.isVisible()
    assert page.actions.button(CounterAction.START).isEnabled()
    counter.press(CounterAction.START)
    assert page.ticket.state.text() == "办理中"
    assert "已办理" in page.ticket.times.text()
    assert page.actions.button(CounterAction.FINISH).isEnabled()
    assert not page.actions.button(CounterAction.PAUSE).isEnabled()
    screenshot(counter.screen, "counter-main-serving")

    counter.presenter.on_online_changed(False)
    assert page.offline.isVisible()
    assert not any(b.isEnabled() for b in page.actions.buttons.values())
    screenshot(counter.screen, "counter-offline")


def notice_preview(notice: MaterialsNotice) -> QLabel:
    """The notice painted on an A4 image at about 100 dpi, for the documentation."""
    dots_per_mm = 4.0
    image = QImage(round(210 * dots_per_mm), round(297 * dots_per_mm), QImage.Format.Format_RGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    paint_notice(painter, QRectF(20 * dots_per_mm, 20 * dots_per_mm, 170 * dots_per_mm,
                                 257 * dots_per_mm), notice_lines(notice), dots_per_mm)
    painter.end()
    label = QLabel()
    label.setPixmap(QPixmap.fromImage(image))
    label.resize(image.size())
    return label


def test_finish_with_missing_materials_prints_the_notice(
        counter: Counter, screenshot: Shot, tmp_path: Path) -> None:
    """材料不全 lists the service's materials; the ticked ones go on the printed notice and the
    outcome is recorded."""
    morning(counter.db)
    counter.login()
    counter.press(CounterAction.CALL_NEXT)
    counter.press(CounterAction.START)
    printed: list[MaterialsNotice] = []

    def to_pdf_file(notice: MaterialsNotice, parent: QWidget,
                    done: Callable[[bool], None]) -> None:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(tmp_path / "notice-printed.pdf"))
        print_notice(notice, printer)
        printed.append(notice)
        done(True)

    counter.screen.notice_printer = to_pdf_file
    counter.press(CounterAction.FINISH)
    dialog = counter.screen.dialog
    assert isinstance(dialog, FinishDialog)
    assert not dialog.ok.isEnabled()
    dialog.outcome_buttons[next(o for o in dialog.outcome_buttons
                                if o.value == "materials-missing")].click()
    assert dialog.materials_box.isVisible()
    assert [c.text() for c in dialog.material_checks][:2] == ["申请人身份证原件",
                                                             "不动产权属证书原件"]
    assert not dialog.ok.isEnabled()  # which materials are missing?
    dialog.material_checks[1].setChecked(True)
    dialog.material_checks[3].setChecked(True)
    screenshot(dialog, "counter-finish-materials")
    dialog.print_button.click()
    assert len(printed) == 1
    assert printed[0].missing == ["不动产权属证书原件", "完税凭证"]
    assert printed[0].window == 1 and printed[0].clerk_name == "王芳"
    texts = [line.text for line in notice_lines(printed[0])]
    assert "□ 2. 完税凭证" in texts and "补正材料告知单" in texts
    pdf = (tmp_path / "notice-printed.pdf").read_bytes()
    assert pdf.startswith(b"%PDF") and len(pdf) > 1000
    screenshot(notice_preview(printed[0]), "counter-materials-notice")
    assert "告知单" in counter.screen.main_page.status.text()
    held_id = counter.presenter.snapshot.held.id if counter.presenter.snapshot and \
        counter.presenter.snapshot.held else 0
    dialog.ok.click()
    counter.settle()
    assert hall_state.get_ticket(counter.db, held_id).outcome == "materials-missing"


def test_transfer_dialog_hands_the_case_to_another_window(
        counter: Counter, screenshot: Shot) -> None:
    """The transfer dialog offers services and other windows; the case moves with a note."""
    morning(counter.db)
    counter.login()
    counter.press(CounterAction.CALL_NEXT)
    counter.press(CounterAction.START)
    held = counter.presenter.snapshot.held if counter.presenter.snapshot else None
    assert held is not None
    counter.press(CounterAction.TRANSFER)
    dialog = counter.screen.dialog
    assert isinstance(dialog, TransferDialog)
    assert dialog.windows.findData(1) == -1  # not to itself
    dialog.to_window.setChecked(True)
    dialog.windows.setCurrentIndex(dialog.windows.findData(8))
    dialog.note.setText("已收件，需投资项目审批窗口出具意见")
    screenshot(dialog, "counter-transfer")
    dialog.ok.click()
    counter.settle()
    moved = hall_state.get_ticket(counter.db, held.id)
    assert (moved.state, moved.target_window) == ("waiting", 8)
    assert counter.presenter.snapshot is not None and counter.presenter.snapshot.held is None


def test_pause_dialog_and_paused_screen(counter: Counter, screenshot: Shot) -> None:
    """Pausing asks for a reason, shows it, and turns the pause button into resume."""
    morning(counter.db)
    counter.login()
    counter.press(CounterAction.PAUSE)
    dialog = counter.screen.dialog
    assert isinstance(dialog, PauseDialog)
    assert [r.text() for r in dialog.radios] == ["休息", "会议", "业务咨询", "其他…"]
    dialog.radios[-1].setChecked(True)
    assert not dialog.ok.isEnabled()
    dialog.other.setText("系统升级")
    screenshot(dialog, "counter-pause-dialog")
    dialog.ok.click()
    counter.settle()
    page = counter.screen.main_page
    assert page.ticket.number.text() == "暂停服务"
    assert "系统升级" in page.ticket.service.text()
    resume = page.actions.button(CounterAction.RESUME)
    assert resume.isEnabled() and resume.text().startswith("恢复服务")
    assert not page.actions.button(CounterAction.CALL_NEXT).isEnabled()
    screenshot(counter.screen, "counter-main-paused")
    counter.press(CounterAction.RESUME)
    assert not hall_state.get_window(counter.db, 1, site=SITE).paused


def test_window_display_serving_and_paused(
        qtbot: QtBot, demo: Database, screenshot: Shot) -> None:
    """The window display shows the number being served, or 暂停服务 with the reason."""
    from shared import clerks, queue

    clerks.login_at_window(demo, "demo1", DEMO_PASSWORD, 1, site=SITE)
    morning(demo)
    display = WindowDisplay()
    qtbot.addWidget(display)
    display.resize(1280, 720)
    display.show()
    called = queue.call_next(demo, 1, site=SITE).ticket
    assert called is not None
    display.show_window(hall_state.get_window(demo, 1, site=SITE))
    assert display.board.number() == called.number and display.board.is_highlighted()
    assert display.clerk.text() == "工作人员：王芳"
    queue.start(demo, called.id, site=SITE)
    display.show_window(hall_state.get_window(demo, 1, site=SITE))
    assert display.board.caption() == "正在办理" and not display.board.is_highlighted()
    screenshot(display, "counter-window-display-serving")
    queue.finish(demo, called.id, site=SITE)
    queue.pause_window(demo, 1, "会议", site=SITE)
    display.show_window(hall_state.get_window(demo, 1, site=SITE))
    assert (display.headline.text(), display.reason.text()) == ("暂停服务", "会议")
    screenshot(display, "counter-window-display-paused")


def test_evaluation_pad_screens(qtbot: QtBot, demo: Database, owner: QObject,
                                screenshot: Shot) -> None:
    """The pad greets, asks with five big buttons and thanks the citizen."""
    from shared import queue

    morning(demo)
    called = queue.call_next(demo, 1, site=SITE).ticket
    assert called is not None
    queue.start(demo, called.id, site=SITE)
    finished = queue.finish(demo, called.id, site=SITE)
    pad = EvaluationPad()
    qtbot.addWidget(pad)
    pad.resize(1280, 800)
    pad.show()
    runner = OperationRunner(owner)
    evaluation = EvaluationPresenter(CounterCore(demo, SITE), runner, pad, timeout_seconds=30,
                                     parent=owner)
    connect_pad(pad, evaluation)
    evaluation.set_clerk("王芳", 1)
    screenshot(pad, "counter-evaluation-welcome")
    evaluation.ask(finished)
    assert [b.text() for b in pad.level_buttons.values()] == \
        ["非常满意", "满意", "基本满意", "不满意", "非常不满意"]
    screenshot(pad, "counter-evaluation-pad")
    pad.level_buttons[1].click()
    settle(qtbot, runner)
    screenshot(pad, "counter-evaluation-thanks")


def test_english_comes_from_the_translation_file(qtbot: QtBot, english: None) -> None:
    """With the English catalogs installed (--lang en) the counter speaks English."""
    from counter_app.main_page import MainPage

    page = MainPage()
    qtbot.addWidget(page)
    assert page.actions.button(CounterAction.CALL_NEXT).text() == "Call next\nF1"
    assert page.logout.text() == "Log out"
    assert page.offline.text().startswith("Database connection lost")


def test_call_number_dialog_takes_a_two_letter_prefix(counter: Counter) -> None:
    """指定叫号 accepts the numbers the catalog allows, AB017 too, typed in small letters;
    OK stays disabled for what is no ticket number."""
    counter.db.write(lambda session: session.execute(
        update(Service).where(Service.code == "RE-REG").values(prefix="AB")))
    numbers = [issuing.issue_ticket(counter.db, "RE-REG", site=SITE).ticket.number
               for _ in range(3)]
    assert numbers == ["AB001", "AB002", "AB003"]
    counter.login()
    counter.press(CounterAction.CALL_NUMBER)
    dialog = counter.screen.dialog
    assert isinstance(dialog, NumberDialog)
    for not_a_number in ("abc003", "ab03"):
        dialog.number.clear()
        counter.qtbot.keyClicks(dialog.number, not_a_number)
        assert not dialog.ok.isEnabled(), not_a_number
    dialog.number.clear()
    counter.qtbot.keyClicks(dialog.number, "ab")
    dialog.number.insert("０")  # a full-width digit, as a Chinese input method commits it
    counter.qtbot.keyClicks(dialog.number, "03")
    assert not dialog.ok.isEnabled()
    dialog.number.clear()
    counter.qtbot.keyClicks(dialog.number, "ab003")
    assert dialog.ok.isEnabled()
    counter.qtbot.keyClick(dialog.number, Qt.Key.Key_Return)
    counter.settle()
    snapshot = counter.presenter.snapshot
    assert snapshot is not None and snapshot.held is not None
    assert (snapshot.held.number, snapshot.held.state) == ("AB003", "called")
    assert counter.screen.main_page.ticket.number.text() == "AB003"

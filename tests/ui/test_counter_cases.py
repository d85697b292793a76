"""Case numbers (办件编号) at the counter: typed or read by a barcode scanner (which types
like a keyboard and ends with Enter) in the finish dialog, then each case rated on its
own on the evaluation pad, one after the other (docs/evaluation.md)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QObject, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from counter_app.dialogs import FinishDialog
from counter_app.evaluation import EvaluationPresenter, connect_pad
from counter_app.evaluation_pad import EvaluationPad
from shared import issuing, queue
from shared.db import Database
from shared.models import Evaluation, HcpOutbox, TicketCase
from shared.views import TicketView
from tests.ui.counter_support import PASSWORD, SITE, CounterWindow, make_pad, settle

pytestmark = pytest.mark.usefixtures("bundled_font")
pytest_plugins = ["tests.ui.counter_support"]

Shot = Callable[[QWidget, str], Path]


class Counter(CounterWindow):
    """The counter window and its pad, wired as the terminal wires them."""

    def __init__(self, qtbot: QtBot, db: Database, owner: QObject) -> None:
        super().__init__(qtbot, db, owner)
        self.pad = EvaluationPad()
        qtbot.addWidget(self.pad)
        self.pad.resize(1280, 800)
        self.evaluation = EvaluationPresenter(self.core, self.runner, self.pad,
                                              timeout_seconds=30, parent=owner)
        connect_pad(self.pad, self.evaluation)
        self.presenter.ticket_finished.connect(
            lambda view: self.evaluation.ask(view, self.presenter.cases_of(view.id)))
        self.presenter.login("wang", PASSWORD, 2)
        self.settle()
        self.evaluation.set_clerk("王芳", 2)

    def fkey(self, number: int) -> None:
        self.qtbot.waitUntil(self.screen.isActiveWindow)
        QTest.keyClick(self.screen, getattr(Qt.Key, f"Key_F{number}"))
        self.buttons_released()

    def focus(self) -> QWidget:
        dialog = self.screen.dialog
        assert dialog is not None
        self.qtbot.waitUntil(dialog.isActiveWindow)
        widget = QApplication.focusWidget()
        assert widget is not None
        return widget


def test_two_scanned_cases_are_rated_one_after_the_other(
        qtbot: QtBot, case_hall: Database, owner: QObject, screenshot: Shot) -> None:
    number = issuing.issue_ticket(case_hall, "SA", site=SITE).ticket.number
    counter = Counter(qtbot, case_hall, owner)
    counter.fkey(1)
    counter.fkey(3)
    counter.fkey(4)
    dialog = counter.screen.dialog
    assert isinstance(dialog, FinishDialog) and dialog.case_required

    QTest.keyClick(counter.focus(), Qt.Key.Key_1)  # 办结: needs a case number here
    counter.buttons_released()
    qtbot.waitUntil(lambda: dialog.case_input.hasFocus())
    assert not dialog.ok.isEnabled()
    # The scanner types the number and its Enter: the number is added, the dialog stays.
    QTest.keyClicks(counter.focus(), "BJ2026-0001")
    QTest.keyClick(counter.focus(), Qt.Key.Key_Return)
    assert dialog.isVisible() and dialog.cases() == ["BJ2026-0001"]
    assert dialog.case_input.text() == "" and dialog.ok.isEnabled()
    QTest.keyClicks(counter.focus(), "BJ2026-0002")
    QTest.keyClick(counter.focus(), Qt.Key.Key_Return)
    QTest.keyClicks(counter.focus(), "BJ 1")  # a misread: refused, named, not added
    QTest.keyClick(counter.focus(), Qt.Key.Key_Return)
    assert dialog.case_problem.isVisible() and not dialog.ok.isEnabled()
    assert dialog.cases() == ["BJ2026-0001", "BJ2026-0002"]
    dialog.case_input.clear()
    screenshot(dialog, "counter-finish-case-numbers")
    QTest.keyClick(counter.focus(), Qt.Key.Key_Return)  # Enter on the empty field: OK
    counter.settle()
    assert counter.screen.dialog is None  # closed (and deleted)
    with case_hall.read() as session:
        assert list(session.scalars(select(TicketCase.case_no).order_by(TicketCase.id))) == [
            "BJ2026-0001", "BJ2026-0002"]

    pad = counter.pad
    assert pad.pages.currentIndex() == 1
    assert "第 1 件（共 2 件）" in pad.question_title.text()
    assert "BJ2026-0001" in pad.question_detail.text()
    screenshot(pad, "pad-case-1-of-2")
    qtbot.mouseClick(pad.level_buttons[1], Qt.MouseButton.LeftButton)
    counter.settle()
    assert pad.pages.currentIndex() == 1  # straight on to the second case
    assert "第 2 件（共 2 件）" in pad.question_title.text()
    assert "BJ2026-0002" in pad.question_detail.text()
    qtbot.mouseClick(pad.level_buttons[4], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(pad.reason_buttons["等候时间太长"], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(pad.submit_reasons, Qt.MouseButton.LeftButton)
    counter.settle()
    assert pad.pages.currentIndex() == 2
    with case_hall.read() as session:
        rated = session.execute(
            select(TicketCase.case_no, Evaluation.level, Evaluation.comment)
            .join(TicketCase, TicketCase.id == Evaluation.case_id)
            .order_by(Evaluation.id)).all()
        records = session.scalars(select(HcpOutbox.payload).order_by(HcpOutbox.id)).all()
    assert [tuple(r) for r in rated] == [("BJ2026-0001", 1, ""),
                                         ("BJ2026-0002", 4, "等候时间太长")]
    assert [(r["case_no"], r["level"], r["ticket"]) for r in records] == [
        ("BJ2026-0001", 5, number), ("BJ2026-0002", 2, number)]


def test_without_case_numbers_the_pad_rates_the_ticket(
        qtbot: QtBot, case_hall: Database, owner: QObject) -> None:
    issuing.issue_ticket(case_hall, "SA", site=SITE)
    counter = Counter(qtbot, case_hall, owner)
    counter.fkey(1)
    counter.fkey(3)
    counter.fkey(4)
    dialog = counter.screen.dialog
    assert isinstance(dialog, FinishDialog)
    QTest.keyClick(counter.focus(), Qt.Key.Key_1)
    counter.buttons_released()
    QTest.keyClick(counter.focus(), Qt.Key.Key_Return)  # 办结 without a case: not allowed
    assert dialog.isVisible()
    qtbot.mouseClick(dialog.outcome_buttons[list(dialog.outcome_buttons)[3]],
                     Qt.MouseButton.LeftButton)  # 咨询 needs none
    assert dialog.ok.isEnabled()
    QTest.keyClick(counter.focus(), Qt.Key.Key_Return)
    counter.settle()
    pad = counter.pad
    assert pad.pages.currentIndex() == 1 and "进行评价" in pad.question_title.text()
    assert "件" not in pad.question_title.text()
    qtbot.mouseClick(pad.level_buttons[2], Qt.MouseButton.LeftButton)
    counter.settle()
    with case_hall.read() as session:
        assert [(e.case_id, e.level) for e in session.scalars(select(Evaluation))] == [
            (None, 2)]



def _finished_with(db: Database, cases: list[str]) -> TicketView:
    number = issuing.issue_ticket(db, "SA", site=SITE).ticket.number
    queue.call_next(db, 2, site=SITE)
    queue.start(db, number, site=SITE)
    return queue.finish(db, number, site=SITE, cases=cases)


def _ratings(db: Database) -> list[tuple[str, int | None, str]]:
    with db.read() as session:
        return [tuple(row) for row in session.execute(  # type: ignore[misc]
            select(TicketCase.case_no, Evaluation.level, Evaluation.comment)
            .join(TicketCase, TicketCase.id == Evaluation.case_id).order_by(TicketCase.case_no))]


def test_a_bad_first_case_asks_why_then_the_next_case(
        qtbot: QtBot, case_hall: Database, owner: QObject) -> None:
    ticket = _finished_with(case_hall, ["BJ0001", "BJ0002"])
    presenter, pad, runner = make_pad(qtbot, case_hall, owner, window=2)
    presenter.ask(ticket, ["BJ0001", "BJ0002"])
    qtbot.mouseClick(pad.level_buttons[5], Qt.MouseButton.LeftButton)
    assert pad.pages.currentIndex() == 3  # the reasons of the first case
    qtbot.mouseClick(pad.reason_buttons["跑了不止一次"], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(pad.submit_reasons, Qt.MouseButton.LeftButton)
    assert pad.pages.currentIndex() == 1 and "BJ0002" in pad.question_detail.text()
    qtbot.mouseClick(pad.level_buttons[2], Qt.MouseButton.LeftButton)
    settle(qtbot, runner)
    assert pad.pages.currentIndex() == 2
    assert _ratings(case_hall) == [("BJ0001", 5, "跑了不止一次"), ("BJ0002", 2, "")]


def test_no_answer_ends_the_remaining_cases_as_not_rated(
        qtbot: QtBot, case_hall: Database, owner: QObject) -> None:
    ticket = _finished_with(case_hall, ["BJ0001", "BJ0002", "BJ0003"])
    presenter, pad, runner = make_pad(qtbot, case_hall, owner, window=2)
    presenter.ask(ticket, ["BJ0001", "BJ0002", "BJ0003"])
    qtbot.mouseClick(pad.level_buttons[1], Qt.MouseButton.LeftButton)
    assert "第 2 件（共 3 件）" in pad.question_title.text()
    presenter.time_out()  # the citizen walked away
    settle(qtbot, runner)
    assert pad.pages.currentIndex() == 0
    assert _ratings(case_hall) == [("BJ0001", 1, ""), ("BJ0002", None, ""),
                                   ("BJ0003", None, "")]
    with case_hall.read() as session:  # not rated: nothing for the province
        assert len(session.scalars(select(HcpOutbox.id)).all()) == 1


def test_the_next_citizen_ends_the_open_cases(
        qtbot: QtBot, case_hall: Database, owner: QObject) -> None:
    first = _finished_with(case_hall, ["BJ0001", "BJ0002"])
    second = _finished_with(case_hall, ["BJ0003"])
    presenter, pad, runner = make_pad(qtbot, case_hall, owner, window=2)
    presenter.ask(first, ["BJ0001", "BJ0002"])
    qtbot.mouseClick(pad.level_buttons[4], Qt.MouseButton.LeftButton)  # reasons page
    presenter.ask(second, ["BJ0003"])
    assert pad.pages.currentIndex() == 1 and "BJ0003" in pad.question_detail.text()
    qtbot.mouseClick(pad.level_buttons[3], Qt.MouseButton.LeftButton)
    settle(qtbot, runner)
    assert _ratings(case_hall) == [("BJ0001", 4, ""), ("BJ0002", None, ""),
                                   ("BJ0003", 3, "")]

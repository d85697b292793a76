"""After a bad rating the pad asks why and for a phone number for the return visit,
driven by taps and keys as a citizen would; the supervisor's follow-up then shows the
comment and the contact."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QObject, QRect, QSize, Qt
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QApplication, QLabel, QPushButton
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from counter_app.evaluation import EvaluationPresenter
from counter_app.evaluation_pad import REASONS_PAGE, EvaluationPad
from shared import followups
from shared.db import Database
from shared.models import Evaluation
from shared.qt.ops import OperationRunner
from tests.ui.counter_support import SITE, make_pad, settle
from tests.ui.test_counter_evaluation import finished_ticket

pytest_plugins = ["tests.ui.counter_support"]

LEFT = Qt.MouseButton.LeftButton



def tap_phone(qtbot: QtBot, pad: EvaluationPad, digits: str) -> None:
    for digit in digits:
        qtbot.mouseClick(pad.phone_keys[digit], LEFT)


def stored(db: Database) -> list[tuple[int | None, str, str]]:
    with db.read() as session:
        return [(e.level, e.comment, e.contact_phone)
                for e in session.scalars(select(Evaluation).order_by(Evaluation.id))]


def rate_badly(qtbot: QtBot, db: Database, owner: QObject, level: int = 5, timeout: float = 30
               ) -> tuple[EvaluationPresenter, EvaluationPad, OperationRunner, int]:
    ticket = finished_ticket(db)
    presenter, pad, runner = make_pad(qtbot, db, owner, timeout)
    presenter.ask(ticket)
    qtbot.mouseClick(pad.level_buttons[level], LEFT)
    settle(qtbot, runner)
    return presenter, pad, runner, ticket.id


def test_reasons_and_phone_are_added_to_the_bad_rating(
        qtbot: QtBot, hall: Database, owner: QObject,
        screenshot: Callable[[object, str], Path]) -> None:
    """非常不满意 is stored at once (the follow-up opens); the citizen taps two reasons,
    types a phone on the keypad (a wrong digit deleted) and presses 提交."""
    presenter, pad, runner, _ticket = rate_badly(qtbot, hall, owner)
    assert stored(hall) == [(5, "", "")]
    assert pad.pages.currentIndex() == REASONS_PAGE
    assert "非常不满意" in pad.reasons_title.text()
    qtbot.mouseClick(pad.reason_buttons["等候时间太长"], LEFT)
    qtbot.mouseClick(pad.reason_buttons["跑了不止一次"], LEFT)
    tap_phone(qtbot, pad, "1380000009")
    qtbot.mouseClick(pad.phone_keys["delete"], LEFT)
    tap_phone(qtbot, pad, "00")
    assert pad.phone.text() == "13800000000"
    pad.resize(1024, 600)  # the evaluation pad's screen
    print("screenshot:", screenshot(pad, "evaluation-pad-reasons"))
    with qtbot.waitSignal(presenter.commented, timeout=15_000):
        qtbot.mouseClick(pad.submit_reasons, LEFT)
    settle(qtbot, runner)
    assert pad.pages.currentIndex() == 2
    assert stored(hall) == [(5, "等候时间太长；跑了不止一次", "13800000000")]
    (follow_up,) = followups.list_follow_ups(hall, site=SITE)
    assert (follow_up.comment, follow_up.phone) == ("等候时间太长；跑了不止一次", "13800000000")
    assert follow_up.to_json()["phone"] == "138****0000"


def test_an_incomplete_phone_is_pointed_out_and_keys_work_too(
        qtbot: QtBot, hall: Database, owner: QObject) -> None:
    """A number cut short is not stored silently: the pad says so and stays; an
    evaluation keypad types the digits, Backspace deletes, Enter submits."""
    presenter, pad, runner, _ticket = rate_badly(qtbot, hall, owner, level=4)
    qtbot.mouseClick(pad.reason_buttons["工作人员态度不好"], LEFT)
    for key in (Qt.Key.Key_1, Qt.Key.Key_3, Qt.Key.Key_9):
        qtbot.keyClick(pad, key)
    qtbot.mouseClick(pad.submit_reasons, LEFT)
    assert pad.pages.currentIndex() == REASONS_PAGE
    assert pad.phone_hint.isVisibleTo(pad) and "不完整" in pad.phone_hint.text()
    for _ in range(3):
        qtbot.keyClick(pad, Qt.Key.Key_Backspace)
    with qtbot.waitSignal(presenter.commented, timeout=15_000):
        qtbot.keyClick(pad, Qt.Key.Key_Return)
    settle(qtbot, runner)
    assert stored(hall) == [(4, "工作人员态度不好", "")]


def test_skip_and_time_out_keep_the_rating(qtbot: QtBot, hall: Database,
                                           owner: QObject) -> None:
    """跳过 stores nothing more; when time runs out what was tapped is kept; a good
    rating never asks why."""
    presenter, pad, runner, _first = rate_badly(qtbot, hall, owner)
    qtbot.mouseClick(pad.reason_buttons["其他原因"], LEFT)
    qtbot.mouseClick(pad.skip_reasons, LEFT)
    settle(qtbot, runner)
    assert pad.pages.currentIndex() == 2
    assert stored(hall) == [(5, "", "")]

    second = finished_ticket(hall)
    presenter.ask(second)
    qtbot.mouseClick(pad.level_buttons[4], LEFT)
    qtbot.mouseClick(pad.reason_buttons["办理时间太长"], LEFT)
    tap_phone(qtbot, pad, "057")  # cut short by the time running out: dropped
    with qtbot.waitSignal(presenter.commented, timeout=15_000):
        presenter.time_out()
    settle(qtbot, runner)
    assert stored(hall)[1] == (4, "办理时间太长", "")

    third = finished_ticket(hall)
    presenter.ask(third)
    qtbot.mouseClick(pad.level_buttons[1], LEFT)
    settle(qtbot, runner)
    assert pad.pages.currentIndex() == 2 and stored(hall)[2] == (1, "", "")


def test_the_next_citizen_ends_the_reasons_page(qtbot: QtBot, hall: Database,
                                                owner: QObject) -> None:
    """The clerk finishes the next case while the reasons page is open: what the
    previous citizen tapped is stored, and the pad asks the next one."""
    presenter, pad, runner, _first = rate_badly(qtbot, hall, owner)
    qtbot.mouseClick(pad.reason_buttons["材料要求没讲清楚"], LEFT)
    second = finished_ticket(hall)
    with qtbot.waitSignal(presenter.commented, timeout=15_000):
        presenter.ask(second)
    assert pad.pages.currentIndex() == 1
    settle(qtbot, runner)
    assert stored(hall) == [(5, "材料要求没讲清楚", "")]


@pytest.mark.parametrize("size", [(1024, 600), (1366, 768), (1280, 1024), (1920, 1080)])
def test_reasons_page_fits_and_its_targets_are_big_enough(
        qtbot: QtBot, size: tuple[int, int]) -> None:
    """On every pad size: every button at least 60×60 px with its text inside, every
    label's (wrapped) text inside its rectangle, nothing pushed off the screen."""
    pad = EvaluationPad()
    qtbot.addWidget(pad)
    pad.resize(*size)
    pad.show()
    pad.show_reasons(5)
    pad.show_seconds_left(30)
    pad.show_phone_incomplete()
    QApplication.processEvents()
    assert pad.size() == QSize(*size), "the page needs more room than the screen has"
    page = pad.pages.currentWidget()
    for button in page.findChildren(QPushButton):
        button.ensurePolished()
        assert button.width() >= 60 and button.height() >= 60, button.text()
        advance = QFontMetrics(button.font()).horizontalAdvance(button.text())
        assert advance <= button.contentsRect().width(), button.text()
    for label in page.findChildren(QLabel):
        if not label.isVisibleTo(pad) or not label.text():
            continue
        label.ensurePolished()
        needed = QFontMetrics(label.font()).boundingRect(
            QRect(0, 0, label.contentsRect().width(), 10_000),
            int(Qt.AlignmentFlag.AlignCenter) | int(Qt.TextFlag.TextWordWrap), label.text())
        assert needed.height() <= label.contentsRect().height(), label.text()
        assert label.geometry().bottom() <= page.height()

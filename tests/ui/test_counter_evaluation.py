"""The evaluation pad (好差评): a rating is stored once, a bad one opens a follow-up, and
no answer in time is stored as not rated."""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from shared import followups, queue
from shared.db import Database
from shared.models import Evaluation
from shared.operation import Actor
from shared.views import TicketView
from tests.ui.counter_support import SITE, issue, make_pad, settle

pytest_plugins = ["tests.ui.counter_support"]


def finished_ticket(db: Database) -> TicketView:
    (ticket,) = issue(db, "SA")
    called = queue.call_next(db, 1, site=SITE, clerk="wang").ticket
    assert called is not None and called.id == ticket.id
    queue.start(db, ticket.id, site=SITE, actor=Actor(1, "wang"))
    return queue.finish(db, ticket.id, site=SITE, actor=Actor(1, "wang"))


def stored_levels(db: Database) -> dict[int, int | None]:
    with db.read() as session:
        return {row.ticket_id: row.level for row in session.scalars(select(Evaluation))}



def test_a_rating_is_stored_once(qtbot: QtBot, hall: Database, owner: QObject) -> None:
    """The citizen's first press is the rating; further presses change nothing."""
    ticket = finished_ticket(hall)
    presenter, pad, runner = make_pad(qtbot, hall, owner)
    presenter.ask(ticket)
    assert pad.pages.currentIndex() == 1
    assert ticket.number in pad.question_detail.text()
    qtbot.mouseClick(pad.level_buttons[2], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(pad.level_buttons[5], Qt.MouseButton.LeftButton)
    settle(qtbot, runner)
    assert stored_levels(hall) == {ticket.id: 2}
    assert pad.pages.currentIndex() == 2 and "满意" in pad.thanks_detail.text()
    assert followups.list_follow_ups(hall, site=SITE) == []


def test_a_bad_rating_opens_a_follow_up(qtbot: QtBot, hall: Database, owner: QObject) -> None:
    """非常不满意 creates an open follow-up for the supervisors' return visit."""
    ticket = finished_ticket(hall)
    presenter, pad, runner = make_pad(qtbot, hall, owner)
    recorded: list[tuple[int, object, object]] = []
    presenter.recorded.connect(lambda *args: recorded.append(args))
    presenter.ask(ticket)
    pad.level_buttons[5].click()
    settle(qtbot, runner)
    follow_ups = followups.list_follow_ups(hall, site=SITE)
    assert [(f.ticket_number, f.level, f.status) for f in follow_ups] == \
        [(ticket.number, 5, "open")]
    assert recorded == [(ticket.id, 5, follow_ups[0].id)]


def test_no_answer_in_time_is_stored_as_not_rated(
        qtbot: QtBot, hall: Database, owner: QObject) -> None:
    """When the pad times out the ticket is recorded with no level, and the pad greets the
    next citizen."""
    ticket = finished_ticket(hall)
    presenter, pad, runner = make_pad(qtbot, hall, owner, timeout=0.3)
    with qtbot.waitSignal(presenter.recorded, timeout=10_000) as signal:
        presenter.ask(ticket)
    assert signal.args == [ticket.id, None, None]
    settle(qtbot, runner)
    assert stored_levels(hall) == {ticket.id: None}
    assert pad.pages.currentIndex() == 0
    pad.level_buttons[1].click()  # too late: nothing more is stored
    settle(qtbot, runner)
    assert stored_levels(hall) == {ticket.id: None}
    assert followups.list_follow_ups(hall, site=SITE) == []


def test_a_new_finish_ends_an_open_question_as_not_rated(
        qtbot: QtBot, hall: Database, owner: QObject) -> None:
    """If the next case finishes before the previous citizen rated, that one is not rated."""
    first = finished_ticket(hall)
    second = finished_ticket(hall)
    presenter, pad, runner = make_pad(qtbot, hall, owner)
    presenter.ask(first)
    presenter.ask(second)
    pad.level_buttons[1].click()
    settle(qtbot, runner)
    assert stored_levels(hall) == {first.id: None, second.id: 1}


def test_keys_one_to_five_rate_like_the_buttons(
        qtbot: QtBot, hall: Database, owner: QObject) -> None:
    """An evaluation keypad sending digits rates like a touch on the buttons."""
    ticket = finished_ticket(hall)
    presenter, pad, runner = make_pad(qtbot, hall, owner)
    qtbot.keyClick(pad, Qt.Key.Key_4)  # no question open: ignored
    presenter.ask(ticket)
    qtbot.keyClick(pad, Qt.Key.Key_4)
    settle(qtbot, runner)
    assert stored_levels(hall) == {ticket.id: 4}
    assert len(followups.list_follow_ups(hall, site=SITE, status="open")) == 1


def test_the_countdown_is_shown(qtbot: QtBot, hall: Database, owner: QObject) -> None:
    """The citizen sees how many seconds are left before the question ends."""
    ticket = finished_ticket(hall)
    presenter, pad, _ = make_pad(qtbot, hall, owner, timeout=25)
    presenter.ask(ticket)
    assert pad.countdown.text() == "25 秒后自动结束（记为未评价）"
    presenter.time_out()

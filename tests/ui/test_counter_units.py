"""The counter's small pure parts: which buttons are legal, the queue summary, the window
display's content, the notice's lines and the time words."""

from __future__ import annotations

import datetime as dt

import pytest

from counter_app import labels
from counter_app.actions import SHORTCUTS, CounterAction, enabled_actions
from counter_app.materials_notice import MaterialsNotice, notice_lines
from counter_app.window_display import display_content
from shared.errors import UsageError
from shared.views import TicketView, WindowView

A = CounterAction
NOW = dt.datetime(2024, 5, 6, 9, 30, tzinfo=dt.UTC)


def ticket(number: str = "A001", *, service: str = "SA", kind: str = "normal",
           state: str = "waiting", minutes_ago: int = 10) -> TicketView:
    at = NOW - dt.timedelta(minutes=minutes_ago)
    return TicketView(id=1, number=number, site="hall", business_day=NOW.date(),
                      service=service, service_name={"SA": "甲业务", "SB": "乙业务",
                                                     "SD": "丁业务"}[service],
                      kind=kind, transferred=False, state=state, window=None, clerk=None,
                      outcome=None, issued_at=at, queued_at=at, called_at=None,
                      started_at=None, finished_at=None)


def window(*, paused: bool = False, reason: str | None = None, clerk: str | None = "wang",
           held: TicketView | None = None) -> WindowView:
    return WindowView(id=1, site="hall", number=3, name="乙丙业务", comprehensive=False,
                      active=True, paused=paused, pause_reason=reason, paused_at=None,
                      clerk=clerk, clerk_name="王芳" if clerk else None, current_ticket=held,
                      services=[("SB", 1)])


@pytest.mark.parametrize(("held", "paused", "expected"), [
    (None, False, {A.CALL_NEXT, A.CALL_NUMBER, A.PAUSE, A.REINSTATE}),
    (None, True, {A.RESUME, A.REINSTATE}),
    ("called", False, {A.RECALL, A.NO_SHOW, A.START, A.TRANSFER, A.REINSTATE}),
    ("serving", False, {A.FINISH, A.TRANSFER, A.CALL_NEXT, A.CALL_NUMBER, A.REINSTATE}),
])
def test_enabled_actions_follow_the_transition_table(
        held: str | None, paused: bool, expected: set[CounterAction]) -> None:
    """Each state of the held ticket enables exactly the actions the core accepts."""
    assert enabled_actions(held, paused=paused, can_print=False) == expected
    assert enabled_actions(held, paused=paused, can_print=True) == expected | {A.REPRINT}


def test_every_action_has_a_function_key() -> None:
    """Every action has a key shown on its button; only pause and resume share one."""
    assert set(SHORTCUTS) == set(CounterAction)
    keys = [key for action, key in SHORTCUTS.items() if action is not A.RESUME]
    assert len(keys) == len(set(keys))
    assert SHORTCUTS[A.PAUSE] == SHORTCUTS[A.RESUME] == "F9"


def test_window_display_content_for_each_state() -> None:
    """Serving shows the number; a fresh call highlights it; paused or unstaffed shows 暂停服务."""
    called = display_content(window(held=ticket(state="called")))
    assert (called.number, called.caption, called.highlighted) == ("A001", "请到本窗口办理", True)
    serving = display_content(window(held=ticket(state="serving")))
    assert (serving.caption, serving.highlighted, serving.clerk) == \
        ("正在办理", False, "工作人员：王芳")
    paused = display_content(window(paused=True, reason="会议"))
    assert (paused.paused, paused.headline, paused.reason) == (True, "暂停服务", "会议")
    closed = display_content(window(clerk=None))
    assert (closed.paused, closed.reason) == (True, "本窗口暂无工作人员")
    idle = display_content(window())
    assert (idle.paused, idle.number, idle.title) == (False, "", "3 号窗口")


def test_notice_lists_missing_and_required_materials() -> None:
    """The notice names the ticket, window and clerk, ticks the missing materials and lists
    the service's full list; it needs at least one missing material."""
    notice = MaterialsNotice("淳安县行政服务中心", "A017", "不动产登记", 3, "王芳",
                             ["完税凭证"], ["身份证原件", "完税凭证"],
                             dt.datetime(2024, 5, 6, 10, 5))
    texts = [line.text for line in notice_lines(notice)]
    assert texts[:2] == ["淳安县行政服务中心", "补正材料告知单"]
    assert "票号：A017        业务：不动产登记" in texts
    assert "□ 1. 完税凭证" in texts
    assert texts.index("本业务所需的全部材料：") < texts.index("2. 完税凭证")
    assert "时间：2024年05月06日 10:05" in texts
    with pytest.raises(UsageError, match="missing"):
        notice_lines(MaterialsNotice("x", "A1", "s", 1, "c", [], [], NOW))


def test_time_words() -> None:
    """Running clocks read m:ss (h:mm:ss past an hour); waits read in whole minutes."""
    assert labels.clock(65) == "01:05"
    assert labels.clock(3725) == "1:02:05"
    assert labels.clock(-3) == "00:00"
    assert labels.minutes(30) == "不到 1 分钟"
    assert labels.minutes(125) == "2 分钟"
    assert labels.minutes(None) == "—"
    assert labels.duration(370.4) == "6 分 10 秒"
    assert labels.duration(None) == "—"


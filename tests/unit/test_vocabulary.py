"""The one vocabulary (shared/vocabulary.py) and the one translation mechanism
(shared/i18n.py): every word exists once, and English mode is English everywhere."""

from __future__ import annotations

import dataclasses
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from shared import i18n, vocabulary
from shared.errors import IllegalTransition
from shared.reports.text import CHINESE, report_text
from shared.states import (
    AppointmentAction,
    AppointmentState,
    Outcome,
    TicketKind,
    TicketState,
    next_appointment_state,
)

ROOT = Path(__file__).resolve().parents[2]
CJK = re.compile(r"[\u3000-\u9fff\uff00-\uffef]")
sys.path.insert(0, str(ROOT / "tools"))
import translations  # noqa: E402


@pytest.fixture
def english() -> Iterator[None]:
    i18n.set_language("en")
    yield
    i18n.set_language("zh_CN")


def every_label() -> list[str]:
    return [
        *(vocabulary.state_label(s) for s in TicketState),
        *(vocabulary.kind_label(k) for k in TicketKind),
        *(vocabulary.outcome_label(o) for o in Outcome),
        *(vocabulary.appointment_state_label(a) for a in AppointmentState),
        *(vocabulary.level_label(level) for level in (1, 2, 3, 4, 5, None)),
        *(vocabulary.weekday_label(d) for d in range(7)),
        *(vocabulary.follow_up_state_label(s) for s in vocabulary.FOLLOW_UP_STATES),
        *(vocabulary.opinion_label(o) for o in vocabulary.OPINIONS),
        *(vocabulary.appeal_label(a) for a in vocabulary.APPEALS),
        *(vocabulary.dimension_label(d) for d in vocabulary.DIMENSIONS),
    ]


def _strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [v for item in value.values() for v in _strings(item)]
    if isinstance(value, tuple):
        return [v for item in value for v in _strings(item)]
    return []


def test_chinese_is_the_source_and_needs_no_catalog() -> None:
    assert i18n.language() == "zh_CN"
    assert vocabulary.state_label("called") == "已叫号"
    assert vocabulary.level_label(None) == "未评价"
    assert report_text() == CHINESE


def test_english_mode_has_no_chinese_word(english: None) -> None:
    """Every domain word and every report word has its English in shared_en.qm."""
    words = every_label() + [w for f in dataclasses.fields(CHINESE)
                             for w in _strings(getattr(report_text(), f.name))]
    assert [w for w in words if CJK.search(w)] == []
    assert vocabulary.state_label(TicketState.NO_SHOW) == "No-show"
    assert vocabulary.weekday_label(0) == "Mon"
    assert vocabulary.follow_up_state_label("open") == "To contact"
    assert vocabulary.appeal_label("mistaken") == "Mistaken rating"
    assert report_text().page.format(page=2) == "Page 2"


def test_an_unknown_language_is_refused_and_a_value_outside_the_tables_too() -> None:
    with pytest.raises(ValueError, match="'fr'"):
        i18n.set_language("fr")
    with pytest.raises(ValueError, match="'lost'"):
        vocabulary.state_label("lost")


@pytest.mark.parametrize(("message", "zh", "en"), [
    ("工号或密码错误 (wrong password)", "工号或密码错误", "wrong password"),
    ("预约 X1 已签到，不能取消 (appointment X1 is checked_in; cancel needs booked)",
     "预约 X1 已签到，不能取消", "appointment X1 is checked_in; cancel needs booked"),
    ("无法连接数据库 (database unreachable: connection failed (timeout))", "无法连接数据库",
     "database unreachable: connection failed (timeout)"),
    ("窗口号须为 1-999 (window number '０' must be 1-999)", "窗口号须为 1-999",
     "window number '０' must be 1-999"),
    ("请先办理完成 (finish the window's ticket first)", "请先办理完成",
     "finish the window's ticket first"),
    ("/tmp/a.csv: line 3: name 含有控制字符 (name contains a control character)",
     "/tmp/a.csv: line 3: name 含有控制字符", "/tmp/a.csv: line 3: name contains a control character"),
    ("只有中文", "只有中文", "只有中文"),
    ("票号 A017（绿色通道）", "票号 A017（绿色通道）", "票号 A017（绿色通道）"),
    ("english only", "english only", "english only"),
    ("'x' is not a date (write YYYY-MM-DD)", "'x' is not a date (write YYYY-MM-DD)",
     "'x' is not a date (write YYYY-MM-DD)"),
])
def test_a_bilingual_message_shows_one_language(message: str, zh: str, en: str) -> None:
    assert i18n.one_language(message) == zh
    i18n.set_language("en")
    try:
        assert i18n.one_language(message) == en
    finally:
        i18n.set_language("zh_CN")


@pytest.mark.parametrize(("message", "zh", "en"), [
    ("时段格式不对 (slot '9' is not like 09:00-09:30)", "a.csv: 第 3 行：时段格式不对",
     "a.csv: line 3: slot '9' is not like 09:00-09:30"),
    ("只有中文", "a.csv: 第 3 行：只有中文", "a.csv: 第 3 行：只有中文"),
])
def test_a_context_in_both_languages_goes_before_each_half(message: str, zh: str,
                                                           en: str) -> None:
    """i18n.prefixed: the CSV line in each language, before that language's half."""
    line = i18n.prefixed("a.csv: 第 3 行：", "a.csv: line 3: ", message)
    assert i18n.one_language(line) == zh
    i18n.set_language("en")
    try:
        assert i18n.one_language(line) == en
    finally:
        i18n.set_language("zh_CN")


def test_appointment_states_follow_their_table() -> None:
    """Booked moves to checked in or cancelled; nothing moves out of those."""
    assert next_appointment_state(AppointmentAction.CHECK_IN, "booked", "X1") == "checked_in"
    assert next_appointment_state(AppointmentAction.CANCEL, "booked", "X1") == "cancelled"
    for state in ("checked_in", "cancelled"):
        for action in AppointmentAction:
            with pytest.raises(IllegalTransition) as info:
                next_appointment_state(action, state, "X1")
            assert vocabulary.APPOINTMENT_STATES[AppointmentState(state)] in str(info.value)
            assert f"is {state}" in str(info.value)


def test_every_part_has_a_complete_catalog_and_current_qm(tmp_path: Path) -> None:
    """Each part of tools/translations.py has its .ts with every message translated, and
    its .qm is what lrelease makes of that .ts now."""
    folder = ROOT / "resources" / "translations"
    for part in translations.PARTS:
        ts = folder / f"{part}_en.ts"
        text = ts.read_text(encoding="utf-8")
        assert 'type="unfinished"' not in text, ts.name
        compiled = tmp_path / f"{part}_en.qm"
        subprocess.run([translations._tool("lrelease"), "-silent", str(ts), "-qm",
                        str(compiled)], check=True)
        assert compiled.read_bytes() == (folder / f"{part}_en.qm").read_bytes(), \
            f"{part}_en.qm is stale: run python tools/translations.py release"

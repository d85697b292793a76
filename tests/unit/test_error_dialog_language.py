"""The error dialog of the Qt apps speaks one language: an unexpected error's own words
(English: its class and message) are shown in English only; in Chinese they are in the
log, with the traceback."""

from __future__ import annotations

import logging
import re

import pytest

from shared import i18n
from shared.errors import QuotaReached
from shared.qt.errors import describe

CJK = re.compile(r"[\u3000-\u9fff\uff00-\uffef]")


def test_an_unexpected_error_in_chinese_has_no_english(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.ERROR):
        title, message = describe(RuntimeError("socket vanished"))
    assert title == "程序出错" and "意外错误" in message, message
    assert not re.search("[A-Za-z]", message), message
    assert "socket vanished" in caplog.text


def test_an_unexpected_error_in_english_names_it() -> None:
    try:
        i18n.set_language("en")
        title, message = describe(RuntimeError("socket vanished"))
        refused = describe(QuotaReached("今日号源已取完 (daily quota 3 reached)"))
    finally:
        i18n.set_language(i18n.SOURCE_LANGUAGE)
    assert "RuntimeError: socket vanished" in message and not CJK.search(title + message)
    assert refused[1] == "daily quota 3 reached"

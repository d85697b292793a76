"""How every error is presented to a person: one function, one tone."""

from __future__ import annotations

import logging
import re

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QMessageBox, QWidget

from shared.errors import DatabaseUnavailable, HallQueueError, QueueRuleError, UsageError

log = logging.getLogger(__name__)


# The queue core words its messages "中文 (English)": the Chinese for the hall, the English
# for logs and English screens. A screen shows the half in its own language.
_BILINGUAL = re.compile(r"^(?P<zh>.*\S)\s*\((?P<en>[^()\u3000-\u9fff\uff00-\uffef]*[A-Za-z][^()"
                        r"\u3000-\u9fff\uff00-\uffef]*)\)\s*$", re.DOTALL)
_ui_language = "zh_CN"


def set_ui_language(language: str) -> None:
    """The language the app's screens speak (start_app sets it with the translation)."""
    global _ui_language
    _ui_language = language


def in_ui_language(message: str) -> str:
    """One language of a bilingual core message: "工号或密码错误 (wrong password)" is
    "工号或密码错误" on a Chinese screen and "wrong password" on an English one; a message
    in one language only is shown as it is."""
    match = _BILINGUAL.match(message.strip())
    if match is None:
        return message
    return match["en"].strip() if _ui_language != "zh_CN" else match["zh"].strip()


def _tr(text: str) -> str:
    return QCoreApplication.translate("ErrorPresenter", text)


def describe(exc: BaseException) -> tuple[str, str]:
    """(title, message) for an error, in the UI language."""
    if isinstance(exc, DatabaseUnavailable):
        return _tr("无法连接数据库"), in_ui_language(str(exc))
    if isinstance(exc, QueueRuleError):
        return _tr("无法执行此操作"), in_ui_language(str(exc))
    if isinstance(exc, UsageError):
        return _tr("输入有误"), in_ui_language(str(exc))
    if isinstance(exc, HallQueueError):
        return _tr("操作未完成"), in_ui_language(str(exc))
    log.error("unexpected error shown to the user", exc_info=exc)
    return _tr("程序出错"), _tr("发生了意外错误，已记录到日志。请重试；如反复出现，请联系信息科。") + \
        f"\n\n{type(exc).__name__}: {exc}"


def show_exception(parent: QWidget | None, exc: BaseException) -> None:
    """Show an error as a dialog; unexpected ones are logged with their traceback first."""
    title, message = describe(exc)
    box = QMessageBox(QMessageBox.Icon.Warning, title, message, QMessageBox.StandardButton.Ok,
                      parent)
    box.setObjectName("errorDialog")
    box.open()

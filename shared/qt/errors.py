"""How every error is presented to a person: one function, one tone."""

from __future__ import annotations

import logging

from PySide6.QtWidgets import QMessageBox, QWidget

from shared.errors import (
    DatabaseUnavailable,
    HallQueueError,
    PermissionDenied,
    QueueRuleError,
    UsageError,
)
from shared.i18n import QT_TRANSLATE_NOOP, SOURCE_LANGUAGE, language, one_language, translate

log = logging.getLogger(__name__)


_TITLES = {  # the kind of error -> the dialog's title
    DatabaseUnavailable: QT_TRANSLATE_NOOP("ErrorPresenter", "无法连接数据库"),
    PermissionDenied: QT_TRANSLATE_NOOP("ErrorPresenter", "本终端的数据库账号无此权限"),
    QueueRuleError: QT_TRANSLATE_NOOP("ErrorPresenter", "无法执行此操作"),
    UsageError: QT_TRANSLATE_NOOP("ErrorPresenter", "输入有误"),
    HallQueueError: QT_TRANSLATE_NOOP("ErrorPresenter", "操作未完成"),
}
_PERMISSION_HINT = QT_TRANSLATE_NOOP(
    "ErrorPresenter", "请联系信息科：本终端配置中的数据库账号类型与其用途不符。")
_UNEXPECTED_TITLE = QT_TRANSLATE_NOOP("ErrorPresenter", "程序出错")
_UNEXPECTED = QT_TRANSLATE_NOOP(
    "ErrorPresenter", "发生了意外错误，已记录到日志。请重试；如反复出现，请联系信息科。")


def _tr(text: str) -> str:
    return translate("ErrorPresenter", text)


def describe(exc: BaseException) -> tuple[str, str]:
    """(title, message) for an error, in the UI language only (a core message worded
    "中文 (English)" shows its half in that language)."""
    for kind, title in _TITLES.items():  # most specific first
        if isinstance(exc, kind):
            message = one_language(str(exc))
            if kind is PermissionDenied:
                # The message names the database login of this PC's config and what it tried.
                message += "\n\n" + _tr(_PERMISSION_HINT)
            return _tr(title), message
    log.error("unexpected error shown to the user", exc_info=exc)
    message = _tr(_UNEXPECTED)
    if language() != SOURCE_LANGUAGE:  # its own words are English: in Chinese, the log only
        message += f"\n\n{type(exc).__name__}: {exc}"
    return _tr(_UNEXPECTED_TITLE), message


def show_exception(parent: QWidget | None, exc: BaseException) -> None:
    """Show an error as a dialog; unexpected ones are logged with their traceback first."""
    title, message = describe(exc)
    box = QMessageBox(QMessageBox.Icon.Warning, title, message, QMessageBox.StandardButton.Ok,
                      parent)
    box.setObjectName("errorDialog")
    box.open()

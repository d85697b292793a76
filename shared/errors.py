"""Every error HallQueue raises on purpose.

One root, :class:`HallQueueError`, whose docstring is the default message. Each subclass
carries the CLI exit code that ``hallq-admin`` uses for it, so the mapping lives here and
nowhere else. Database exceptions are translated into these in :mod:`shared.db`.
"""

from __future__ import annotations

import re


class HallQueueError(Exception):
    """HallQueue could not do that."""

    exit_code = 1

    def __init__(self, message: str | None = None) -> None:
        self.message = message or (self.__doc__ or "").strip()
        super().__init__(self.message)

    def __str__(self) -> str:
        return self.message


class UsageError(HallQueueError):
    """A value given to HallQueue is not valid."""

    exit_code = 2


# C0, DEL and C1: a terminal obeys them when the text is shown (ESC, BEL), and PostgreSQL
# refuses NUL where SQLite stores it; a one-line note or reason needs none of them.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def refuse_control_characters(text: str, field: str, chinese: str) -> None:
    """Raise UsageError naming ``field`` (its Chinese name ``chinese``), never the text,
    when ``text`` holds a control character; the same on every backend."""
    if _CONTROL.search(text):
        raise UsageError(f"{chinese}含有控制字符，请删除 ({field} contains a control character "
                         f"such as ESC, BEL, NUL or a line break; remove it)")


def refuse_bad_name(name: str, field: str, chinese: str, limit: int = 100) -> str:
    """``name`` stripped, or UsageError naming ``field`` when it is empty, longer than its
    column (``limit``: a server refuses the row, SQLite would keep it whole) or holds a
    control character; the value itself is never repeated (it may be a person's name)."""
    refuse_control_characters(name, field, chinese)
    stripped = name.strip()
    if not stripped or len(stripped) > limit:
        raise UsageError(f"{chinese}不能为空且不超过 {limit} 个字符，现为 {len(stripped)} 个 "
                         f"({field} must be 1-{limit} characters; it is {len(stripped)})")
    return stripped


class ConfigError(UsageError):
    """The configuration file has a wrong value."""


class CatalogError(UsageError):
    """The service catalog file is not valid; nothing was loaded."""


class ImportFileError(UsageError):
    """The import file is not valid; nothing was imported."""


class NotFound(UsageError):
    """No such record."""


class NothingWaiting(HallQueueError):
    """Nobody is waiting for this window."""

    exit_code = 3


class QueueRuleError(HallQueueError):
    """A queue rule refuses this action; nothing was changed."""

    exit_code = 4


class IllegalTransition(QueueRuleError):
    """This ticket is not in a state that allows this action."""


class ServiceClosed(QueueRuleError):
    """This service is not open now."""


class QuotaReached(QueueRuleError):
    """Today's numbers for this service are all given out."""


class WindowPaused(QueueRuleError):
    """This window is paused."""


class WindowBusy(QueueRuleError):
    """This window already holds a ticket."""


class NotYourTicket(QueueRuleError):
    """This ticket is held by another window."""


class LoginRefused(QueueRuleError):
    """The login was refused."""


class PermissionDenied(HallQueueError):
    """The database login this terminal uses may not do this."""

    exit_code = 7


class PrinterError(HallQueueError):
    """The ticket printer cannot print right now."""

    exit_code = 6


class DatabaseUnavailable(HallQueueError):
    """The database cannot be reached. Check the network and the database server."""

    exit_code = 5


class SchemaMismatch(HallQueueError):
    """The database schema does not match this version of HallQueue."""

    exit_code = 5
    #: "missing" (no schema yet), "older" or "newer" than the code; "" when unknown.
    problem = ""


class DatabaseBusy(DatabaseUnavailable):
    """Another program holds the database. Try again when it has finished."""

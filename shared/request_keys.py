"""Idempotency keys: a lost answer must not double anything.

A caller makes one key per intent (the kiosk per tap on 取号, the counter per press of a
button, a script per ``hallq-admin … --request-id``) and sends it with the operation. The
operation's last step (:func:`shared.operation.done`) writes the key, a fingerprint of the
operation and its arguments, and the result it returns, with its other deferred writes in
the same transaction -- on PostgreSQL in the same pipeline, so the first attempt costs no
round trip more. Nothing is looked up first: the key is the table's primary key, so a
repeat of a committed operation fails on it (after waiting for an attempt still in flight)
and rolls back everything it did; only then is the stored result read and returned. A
repeat whose operation is refused on the way (the appointment already checked in, the
ticket already finished) or writes nothing (nobody waiting) looks the key up too. A key
that comes back with another operation or other arguments is refused (:class:`UsageError`,
exit 2), and nothing is written.

Keys are kept for their business day and the next; the day's roll-over deletes older ones.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import re
import types
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar, Union, get_args, get_origin, get_type_hints

from sqlalchemy import bindparam, delete, insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.sql import Executable

from shared.db import Database
from shared.errors import DatabaseUnavailable, HallQueueError, UsageError
from shared.models import RequestKey

T = TypeVar("T")

# Where the operation's frame leaves the pending key for :func:`shared.operation.done`.
SESSION_INFO = "hallq_request_key"
KEY_PATTERN = re.compile(r"[A-Za-z0-9_.:-]{1,64}")
# Older keys than this many days before the business day are deleted at roll-over.
KEEP_DAYS = 1


def new_key() -> str:
    """A fresh key for one intent (32 hex digits, unique without coordination)."""
    return uuid.uuid4().hex


def valid_key(key: str) -> str:
    if not KEY_PATTERN.fullmatch(key):
        raise UsageError(f"请求号无效：须为 1-64 个英文字母、数字或 - _ . : (request id {key!r} "
                         f"must be 1-64 characters of A-Z a-z 0-9 - _ . :)")
    return key


def fingerprint(operation: str, arguments: dict[str, Any]) -> str:
    text = json.dumps([operation, arguments], sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


@dataclass
class PendingKey:
    """The key of the operation running in a session, until its row is deferred."""

    key: str
    operation: str
    fingerprint: str
    recorded: bool = False


TABLE = RequestKey.metadata.tables[RequestKey.__tablename__]
_NEW_KEY = insert(RequestKey).inline()


def key_row(session: Session, site_id: int, day: dt.date, now: dt.datetime, result: Any
            ) -> tuple[Executable, dict[str, Any]] | None:
    """The insert of the running operation's key with its ``result``, for the operation's
    deferred writes; None when the operation carries no key. (Its values are those of
    a row of :data:`TABLE`.)"""
    pending: PendingKey | None = session.info.get(SESSION_INFO)
    if pending is None:
        return None
    if result is None:
        raise AssertionError(f"{pending.operation} carries a request key but gave done() "
                             f"no result to keep")
    pending.recorded = True
    return _NEW_KEY, {"key": pending.key, "site_id": site_id, "business_day": day,
                      "operation": pending.operation, "fingerprint": pending.fingerprint,
                      "result": {"value": to_plain(result)}, "created_at": now}


_PURGE = delete(RequestKey).where(RequestKey.site_id == bindparam("purge_site"),
                                  RequestKey.business_day < bindparam("purge_before"))


def purge_statement(site_id: int, day: dt.date) -> tuple[Executable, dict[str, Any]]:
    """Delete a site's keys older than the previous business day (run at roll-over)."""
    return _PURGE, {"purge_site": site_id, "purge_before": day - dt.timedelta(days=KEEP_DAYS)}


def run_once(db: Database, operation: str, key: str | None, arguments: dict[str, Any],
             body: Callable[[Session], T], result_type: Any) -> T:
    """Run ``body`` as one write transaction (``db.write``); with a ``key``, at most once.

    ``arguments`` are what makes the intent (a repeat must give the same); ``result_type``
    is what ``body`` returns, to rebuild a stored result.
    """
    if key is None:
        return db.write(body, name=operation)
    pending = PendingKey(valid_key(key), operation, fingerprint(operation, arguments))

    def framed(session: Session) -> T:
        pending.recorded = False  # a deadlock's retry starts over
        session.info[SESSION_INFO] = pending
        try:
            return body(session)
        finally:
            session.info.pop(SESSION_INFO, None)

    try:
        result = db.write(framed, name=operation)
    except IntegrityError:
        stored = _stored_result(db, pending, result_type)
        if stored is None:
            raise  # another uniqueness conflict, not the key
        return stored
    except DatabaseUnavailable:
        raise  # the caller retries with the same key
    except HallQueueError as refusal:
        try:
            stored = _stored_result(db, pending, result_type)
        except DatabaseUnavailable:
            raise refusal from None
        if stored is None:
            raise
        return stored
    if not pending.recorded:  # the operation wrote nothing: was it done before?
        stored = _stored_result(db, pending, result_type)
        if stored is not None:
            return stored
    return result


def _stored_result(db: Database, pending: PendingKey, result_type: Any) -> Any:
    """The result kept under the key; None if the key is unknown; UsageError if it was
    used for another operation or other arguments."""
    with db.read() as session:
        row = session.get(RequestKey, pending.key)
        if row is None:
            return None
        if row.fingerprint != pending.fingerprint:
            raise UsageError(
                f"请求号 {pending.key} 已用于另一操作（{row.operation}），未做任何更改；新的操作请用新的"
                f"请求号 (request id {pending.key} was already used for {row.operation} with other "
                f"arguments; nothing was changed)")
        return from_plain(row.result["value"], result_type)


# --------------------------------------------------------------------------- results as JSON


_JSON_SCALARS = frozenset({str, int, float, bool, type(None)})
_FIELD_NAMES: dict[type, tuple[str, ...] | None] = {}


def _field_names(kind: type) -> tuple[str, ...] | None:
    """A dataclass's field names (None: not a dataclass), looked up once per class: every
    keyed operation converts its result."""
    if kind not in _FIELD_NAMES:
        _FIELD_NAMES[kind] = (tuple(f.name for f in dataclasses.fields(kind))
                              if dataclasses.is_dataclass(kind) else None)
    return _FIELD_NAMES[kind]


def to_plain(value: Any) -> Any:
    """An operation's result (dataclasses of views) as JSON values."""
    kind = type(value)
    if kind in _JSON_SCALARS:
        return value
    names = _field_names(kind)
    if names is not None:
        return {name: to_plain(getattr(value, name)) for name in names}
    if isinstance(value, dt.date):  # datetimes too
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return value.total_seconds()
    if isinstance(value, list | tuple):
        return [to_plain(item) for item in value]
    return value


def from_plain(data: Any, hint: Any) -> Any:
    """Rebuild a value of type ``hint`` from :func:`to_plain`'s output."""
    origin = get_origin(hint)
    if origin in (Union, types.UnionType):
        if data is None:
            return None
        (kind,) = [arg for arg in get_args(hint) if arg is not type(None)]
        return from_plain(data, kind)
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        hints = get_type_hints(hint)
        return hint(**{f.name: from_plain(data[f.name], hints[f.name])
                       for f in dataclasses.fields(hint) if f.name in data})
    if hint is dt.datetime:
        return dt.datetime.fromisoformat(data)
    if hint is dt.date:
        return dt.date.fromisoformat(data)
    if hint is dt.timedelta:
        return dt.timedelta(seconds=data)
    if origin is list:
        (item,) = get_args(hint)
        return [from_plain(value, item) for value in data]
    if origin is tuple:
        return tuple(from_plain(value, item) for value, item in zip(data, get_args(hint),
                                                                    strict=True))
    return data

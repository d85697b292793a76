"""SQL expressions the statistics need that each backend spells differently.

Every expression gives the same value on SQLite, PostgreSQL and MariaDB (docs/metrics.md):

- :class:`DurationMicros`: ``end - start`` in whole microseconds, exact. SQLite keeps
  timestamps as text with six fraction digits (SQLAlchemy's storage format), and its date
  functions round to milliseconds, so the whole seconds and the fraction are taken apart.
- :class:`HourAtOffset`: the hour of a UTC timestamp moved by a fixed number of minutes;
  :func:`local_hour` picks the offset per period, so a zone with daylight saving time is
  still exact (Asia/Shanghai has one offset, +8 h, and needs no CASE at all).
- :class:`Weekday`: 0 = Monday ... 6 = Sunday for a DATE column.
- :class:`NotForIndexing`: a column SQLite's planner must not pick an index for.
"""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import BigInteger, Float, Integer, case, cast, literal
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import QueryableAttribute
from sqlalchemy.sql import ClauseElement, ColumnElement, Select
from sqlalchemy.sql.base import Executable
from sqlalchemy.sql.compiler import SQLCompiler

from shared.timestamps import UTCDateTime

MICROS = 1_000_000
# A column of a Core table or a mapped attribute (``Segment.called_at``): both compile.
SqlColumn = ColumnElement[Any] | QueryableAttribute[Any]


def seconds(micros: SqlColumn) -> ColumnElement[Any]:
    """A duration kept in microseconds (``segment.wait_us``, ``service_us``), in seconds."""
    return cast(micros, Float) / float(MICROS)


def as_column(column: SqlColumn) -> ColumnElement[Any]:
    """The Core column of a mapped attribute; a Core column as it is."""
    return column if isinstance(column, ColumnElement) else column.__clause_element__()


class DurationMicros(ColumnElement[int]):
    """``end - start`` in microseconds (an integer; NULL when either is NULL)."""

    inherit_cache = True
    type = BigInteger()

    def __init__(self, end: SqlColumn, start: SqlColumn) -> None:
        self.end = as_column(end)
        self.start = as_column(start)


@compiles(DurationMicros, "postgresql")
def _duration_pg(element: DurationMicros, compiler: SQLCompiler, **kw: Any) -> str:
    # date_part() is double precision (EXTRACT is numeric, several times slower); the
    # interval holds whole microseconds far below 2**53, so rounding recovers them exactly.
    end, start = compiler.process(element.end, **kw), compiler.process(element.start, **kw)
    return f"CAST(ROUND(date_part('epoch', {end} - {start}) * 1000000) AS BIGINT)"


@compiles(DurationMicros, "mysql")
@compiles(DurationMicros, "mariadb")
def _duration_mysql(element: DurationMicros, compiler: SQLCompiler, **kw: Any) -> str:
    end, start = compiler.process(element.end, **kw), compiler.process(element.start, **kw)
    return f"TIMESTAMPDIFF(MICROSECOND, {start}, {end})"


@compiles(DurationMicros, "sqlite")
def _duration_sqlite(element: DurationMicros, compiler: SQLCompiler, **kw: Any) -> str:
    end, start = compiler.process(element.end, **kw), compiler.process(element.start, **kw)
    seconds = (f"CAST(ROUND((julianday(substr({end}, 1, 19)) - "
               f"julianday(substr({start}, 1, 19))) * 86400) AS INTEGER)")
    fraction = f"(CAST(substr({end}, 21) AS INTEGER) - CAST(substr({start}, 21) AS INTEGER))"
    return f"({seconds} * 1000000 + {fraction})"


class HourAtOffset(ColumnElement[int]):
    """The hour (0-23) of a UTC timestamp shifted by ``minutes``."""

    inherit_cache = False  # the offset is rendered into the SQL text
    type = Integer()

    def __init__(self, timestamp: SqlColumn, minutes: int) -> None:
        self.timestamp = as_column(timestamp)
        self.minutes = int(minutes)


@compiles(HourAtOffset, "postgresql")
def _hour_pg(element: HourAtOffset, compiler: SQLCompiler, **kw: Any) -> str:
    ts = compiler.process(element.timestamp, **kw)
    # date_part() (double) rather than EXTRACT (numeric): the same value, much cheaper.
    return f"CAST(date_part('hour', {ts} + INTERVAL '{element.minutes} minutes') AS INTEGER)"


@compiles(HourAtOffset, "mysql")
@compiles(HourAtOffset, "mariadb")
def _hour_mysql(element: HourAtOffset, compiler: SQLCompiler, **kw: Any) -> str:
    ts = compiler.process(element.timestamp, **kw)
    return f"HOUR(DATE_ADD({ts}, INTERVAL {element.minutes} MINUTE))"


@compiles(HourAtOffset, "sqlite")
def _hour_sqlite(element: HourAtOffset, compiler: SQLCompiler, **kw: Any) -> str:
    ts = compiler.process(element.timestamp, **kw)
    return f"CAST(strftime('%H', {ts}, '{element.minutes:+d} minutes') AS INTEGER)"


class Weekday(ColumnElement[int]):
    """Day of the week of a DATE: 0 = Monday ... 6 = Sunday (Python's ``weekday()``)."""

    inherit_cache = True
    type = Integer()

    def __init__(self, day: SqlColumn) -> None:
        self.day = as_column(day)


@compiles(Weekday, "postgresql")
def _weekday_pg(element: Weekday, compiler: SQLCompiler, **kw: Any) -> str:
    return f"(CAST(date_part('isodow', {compiler.process(element.day, **kw)}) AS INTEGER) - 1)"


@compiles(Weekday, "mysql")
@compiles(Weekday, "mariadb")
def _weekday_mysql(element: Weekday, compiler: SQLCompiler, **kw: Any) -> str:
    return f"WEEKDAY({compiler.process(element.day, **kw)})"


@compiles(Weekday, "sqlite")
def _weekday_sqlite(element: Weekday, compiler: SQLCompiler, **kw: Any) -> str:
    return f"((CAST(strftime('%w', {compiler.process(element.day, **kw)}) AS INTEGER) + 6) % 7)"


# --------------------------------------------------------------------------- time zones

OffsetPeriod = tuple[dt.datetime | None, int]  # (UTC start or None for "before all", minutes)


def offset_periods(zone_name: str, start_utc: dt.datetime, end_utc: dt.datetime
                   ) -> list[OffsetPeriod]:
    """The zone's UTC offsets (minutes) over ``[start_utc, end_utc)``, one entry per change.

    Offsets change on the hour in every zone we serve, so probing hourly finds each change;
    a year is 8,760 cheap probes.
    """
    zone = ZoneInfo(zone_name)
    hour = dt.timedelta(hours=1)
    moment = start_utc.replace(minute=0, second=0, microsecond=0)
    current = _offset_minutes(zone, moment)
    periods: list[OffsetPeriod] = [(None, current)]
    while moment < end_utc:
        moment += hour
        offset = _offset_minutes(zone, moment)
        if offset != current:
            periods.append((moment, offset))
            current = offset
    return periods


def _offset_minutes(zone: ZoneInfo, moment: dt.datetime) -> int:
    delta = moment.astimezone(zone).utcoffset()
    assert delta is not None
    return int(delta.total_seconds() // 60)


def local_hour(timestamp: SqlColumn, periods: list[OffsetPeriod]) -> ColumnElement[int]:
    """The site-local hour of a UTC timestamp column, exact across offset changes."""
    if len(periods) == 1:
        return HourAtOffset(timestamp, periods[0][1])
    whens = []
    for (_, minutes), (next_start, _) in itertools.pairwise(periods):
        assert next_start is not None
        whens.append((timestamp < literal(next_start, UTCDateTime()),
                      HourAtOffset(timestamp, minutes)))
    return case(*whens, else_=HourAtOffset(timestamp, periods[-1][1]))


# --------------------------------------------------------------------------- scratch table


class CreateScratchTable(Executable, ClauseElement):
    """``CREATE TEMPORARY TABLE name AS <select>``: per connection, gone at rollback
    (SQLite, PostgreSQL) or dropped explicitly (MariaDB, see :class:`DropScratchTable`)."""

    inherit_cache = False

    def __init__(self, name: str, query: Select[Any]) -> None:
        self.name = name
        self.query = query


@compiles(CreateScratchTable)
def _create_scratch(element: CreateScratchTable, compiler: SQLCompiler, **kw: Any) -> str:
    return f"CREATE TEMPORARY TABLE {element.name} AS {compiler.process(element.query, **kw)}"


class DropScratchTable(Executable, ClauseElement):
    inherit_cache = False

    def __init__(self, name: str) -> None:
        self.name = name


@compiles(DropScratchTable)
def _drop_scratch(element: DropScratchTable, compiler: SQLCompiler, **kw: Any) -> str:
    return f"DROP TABLE IF EXISTS {element.name}"


@compiles(DropScratchTable, "mysql")
@compiles(DropScratchTable, "mariadb")
def _drop_scratch_mysql(element: DropScratchTable, compiler: SQLCompiler, **kw: Any) -> str:
    return f"DROP TEMPORARY TABLE IF EXISTS {element.name}"


class NotForIndexing(ColumnElement[Any]):
    """A column as-is, except that SQLite's planner may not choose an index for a term on
    it (SQLite's documented unary ``+``). Used where the planner, seeing a date range,
    would pick the day index and sort rather than walk an index already in order."""

    inherit_cache = True

    def __init__(self, column: SqlColumn) -> None:
        self.column = as_column(column)
        self.type = self.column.type


@compiles(NotForIndexing)
def _plain_column(element: NotForIndexing, compiler: SQLCompiler, **kw: Any) -> str:
    return compiler.process(element.column, **kw)


@compiles(NotForIndexing, "sqlite")
def _unindexed_sqlite(element: NotForIndexing, compiler: SQLCompiler, **kw: Any) -> str:
    return f"+{compiler.process(element.column, **kw)}"

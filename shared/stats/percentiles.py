"""Nearest-rank medians and P90s of the stays' durations per group (docs/metrics.md).

One method: per group, the stay at rank r is read from an index ordered by (group,
duration) with ``ORDER BY duration LIMIT 1 OFFSET …``, from whichever end of the group's
run is nearer (a P90 walks the top tenth downwards). No sort at query time; the ranks
come from the group sizes the caller has already counted.

Two sources of such indexes:

- the ``segment`` table's own ``(site, group, duration, business day)`` indexes: the
  walk skips the days outside the range inside the index, so it costs about as much as
  the site's history, whatever the range. Used when the range holds much of the history
  (a year), for one site and no other filter (the index holds nothing else);
- :class:`MeasuredStays`: the measured stays of the range copied into a scratch table
  and indexed there per grouping, which costs about as much as the range. Used for
  everything else (a day, a month, any filter). On PostgreSQL, which builds an index
  more slowly than it hashes, the same rank is found from a histogram of whole seconds
  with a running count instead.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import (
    BigInteger,
    Column,
    Index,
    Integer,
    MetaData,
    Select,
    Table,
    case,
    func,
    literal_column,
    select,
)
from sqlalchemy.orm import Session
from sqlalchemy.sql import ColumnElement, FromClause

from shared.stats.sql import MICROS, CreateScratchTable, DropScratchTable, SqlColumn

PERCENTS = (50, 90)
# Percentile per group key (None for the whole range): {percent: whole seconds}.
Ranked = dict[Any, dict[int, int]]


def rank_of(percent: int, n: int) -> int:
    """The nearest rank: the smallest r with 100·r ≥ percent·n."""
    return -(-percent * n // 100)


BATCH = 64  # rank queries per statement: one round trip per grouping on a LAN server


def walk(session: Session, source: FromClause, conditions: list[ColumnElement[bool]],
         key: SqlColumn | None, micros: SqlColumn,
         sizes: Mapping[Any, int]) -> Ranked:
    """Percentiles of column ``micros`` of ``source`` for the rows matching
    ``conditions``, per value of column ``key`` (one group when None), given each
    group's number of rows with a measured value. Each rank is one scalar subquery;
    they are sent together, a batch per statement."""
    slots: list[tuple[Any, int, Any]] = []
    for group, n in sizes.items():
        if n <= 0:
            continue
        where = [*conditions, micros.is_not(None)]
        if key is not None:
            where.append(key == group)
        for percent in PERCENTS:
            rank = rank_of(percent, n)
            from_top = n - rank < rank - 1
            query = (select(micros).select_from(source).where(*where)
                     .order_by(micros.desc() if from_top else micros).limit(1)
                     .offset(n - rank if from_top else rank - 1))
            slots.append((group, percent, query.scalar_subquery()))
    ranked: Ranked = {}
    for start in range(0, len(slots), BATCH):
        batch = slots[start:start + BATCH]
        row = session.execute(select(*[q.label(f"r{i}") for i, (_, _, q) in enumerate(batch)])
                              ).one()
        for (group, percent, _), value in zip(batch, row, strict=True):
            assert value is not None, f"group {group!r} has fewer measured stays than counted"
            ranked.setdefault(group, {})[percent] = int(value) // MICROS
    return ranked


class MeasuredStays:
    """A per-connection scratch table of the measured stays in scope (group keys and
    durations), with an index per grouping and duration built on first use."""

    NAME = "hallq_stats_durations"

    def __init__(self, keys: list[str]) -> None:
        self.table = Table(self.NAME, MetaData(), *[Column(k, Integer) for k in keys],
                           Column("w_us", BigInteger), Column("s_us", BigInteger))
        self._indexed: set[tuple[str | None, str]] = set()

    def create(self, session: Session, query: Select[Any]) -> None:
        """Fill the table from ``query``, whose columns are named like the table's."""
        self.drop(session)
        session.execute(CreateScratchTable(self.NAME, query))

    def drop(self, session: Session) -> None:
        session.execute(DropScratchTable(self.NAME))
        self._indexed.clear()

    def ranked(self, session: Session, key: str | None, micros: str,
               sizes: Mapping[Any, int]) -> Ranked:
        if session.get_bind().dialect.name == "postgresql":
            # PostgreSQL hashes a histogram of whole seconds faster than it builds an
            # index (measured: 20 against 37 ms for a month); the rank is the same.
            return _ranked_by_histogram(session, self.table, key, micros)
        if (key, micros) not in self._indexed:
            columns = [self.table.c[key]] if key is not None else []
            Index(f"{self.NAME}_{key or 'all'}_{micros}", *columns, self.table.c[micros]
                  ).create(session.connection())
            self._indexed.add((key, micros))
        return walk(session, self.table, [], self.table.c[key] if key is not None else None,
                    self.table.c[micros], sizes)


def _ranked_by_histogram(session: Session, source: Table, key: str | None, micros: str
                         ) -> Ranked:
    """Per group, equal whole seconds counted, a running count, and the smallest value
    whose running count reaches the rank (``cum * 100 >= n * p``)."""
    value = source.c[micros]
    group = source.c[key] if key is not None else literal_column("0")
    seconds = value // MICROS
    conditions = [value.is_not(None)] + ([group.is_not(None)] if key is not None else [])
    histogram = (select(group.label("k"), seconds.label("v"), func.count().label("c"))
                 .where(*conditions)
                 .group_by(*([group] if key is not None else []), seconds)
                 .subquery("histogram"))
    h = histogram.c
    running = select(
        h.k, h.v,
        func.sum(h.c).over(partition_by=h.k, order_by=h.v, rows=(None, 0)).label("cum"),
        func.sum(h.c).over(partition_by=h.k).label("n"),
    ).subquery("running")
    r = running.c
    query = select(r.k, *[func.min(case((r.cum * 100 >= r.n * p, r.v))).label(f"p{p}")
                          for p in PERCENTS]).group_by(r.k)
    return {(row.k if key is not None else None): {p: int(getattr(row, f"p{p}"))
                                                   for p in PERCENTS}
            for row in session.execute(query)}

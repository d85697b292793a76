"""Statistics for a date range, computed by SQL aggregation in the database.

Every number comes from the ``segment`` table (one row per stay of a ticket in a queue,
maintained by the queue operations) with its evaluation and, for the rare stays that
expired, the event log. The stays in scope are read once into a per-connection scratch
table (keys, how the stay ended, exact durations); their counters are summed per
combination of keys into a second, small one. Each breakdown then adds up the second and
ranks the first for the nearest-rank percentiles (a histogram of whole seconds and a
running count). Nothing is loaded row by row into Python. The definitions are in
docs/metrics.md; keep the two in step.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from sqlalchemy import (
    Select,
    and_,
    case,
    column,
    exists,
    false,
    func,
    literal_column,
    null,
    or_,
    select,
    table,
    text,
)
from sqlalchemy.orm import Session
from sqlalchemy.sql import ColumnElement

from shared.db import Database, server_now
from shared.errors import NotFound
from shared.models import (
    Clerk,
    Department,
    Evaluation,
    FollowUp,
    Segment,
    Service,
    Site,
    TicketEvent,
    Window,
)
from shared.states import Action, TicketState
from shared.stats.labels import dimension_labels
from shared.stats.sql import (
    MICROS,
    CreateScratchTable,
    DropScratchTable,
    DurationMicros,
    Weekday,
    WholeSeconds,
    local_hour,
    offset_periods,
)
from shared.stats.views import (
    DIMENSIONS,
    OUTCOMES,
    BreakdownRow,
    Durations,
    Satisfaction,
    Statistics,
    StatsFilter,
)

SATISFIED_LEVELS = (1, 2)


class _Scope:
    """The resolved filter: which segments count, and how to read local hours."""

    def __init__(self, session: Session, filters: StatsFilter) -> None:
        self.filters = filters
        self.backend = session.get_bind().dialect.name
        self.services = {row.id: (row.department_id, row.target_minutes) for row in
                         session.execute(select(Service.id, Service.department_id,
                                                Service.target_minutes))}
        self.sites = _resolve_sites(session, filters.site)
        self.conditions: list[ColumnElement[bool]] = [
            Segment.business_day >= filters.date_from, Segment.business_day <= filters.date_to]
        if filters.site is not None:
            self.conditions.append(Segment.site_id == self.sites[0].id)
        self._add_code_filters(session)
        zones = {s.timezone for s in self.sites} or {"Asia/Shanghai"}
        # Hours are read in the zone of the sites; sites in different zones each get theirs.
        start = dt.datetime.combine(filters.date_from, dt.time(), dt.UTC) - dt.timedelta(days=1)
        self.start_utc = start  # before any stay of the range began, in every zone
        end = dt.datetime.combine(filters.date_to, dt.time(), dt.UTC) + dt.timedelta(days=2)
        self.periods = {zone: offset_periods(zone, start, end) for zone in zones}

    def _add_code_filters(self, session: Session) -> None:
        f = self.filters
        if f.services:
            self.conditions.append(Segment.service_id.in_(
                _ids(session, Service, Service.code, f.services, "业务", "service")))
        if f.departments:
            departments = _ids(session, Department, Department.code, f.departments, "部门",
                               "department")
            self.conditions.append(Segment.service_id.in_(
                select(Service.id).where(Service.department_id.in_(departments))))
        if f.windows:
            site_id = self.sites[0].id
            ids = session.scalars(select(Window.id).where(
                Window.site_id == site_id, Window.number.in_(f.windows))).all()
            if len(ids) != len(set(f.windows)):
                raise NotFound(f"站点 {f.site} 没有这些窗口 (no such window at {f.site}: "
                               f"{', '.join(map(str, f.windows))})")
            self.conditions.append(Segment.window_id.in_(ids))
        if f.clerks:
            self.conditions.append(Segment.clerk_id.in_(
                _ids(session, Clerk, Clerk.login, f.clerks, "工作人员", "clerk")))
        if f.kinds:
            self.conditions.append(Segment.kind.in_(f.kinds))

    def hour_of(self, timestamp: ColumnElement[Any]) -> ColumnElement[int]:
        by_zone = {zone: local_hour(timestamp, periods) for zone, periods in self.periods.items()}
        if len(by_zone) == 1:
            return next(iter(by_zone.values()))
        return case(*[(Segment.site_id == s.id, by_zone[s.timezone]) for s in self.sites])


def _resolve_sites(session: Session, code: str | None) -> list[Site]:
    if code is None:
        return list(session.scalars(select(Site).order_by(Site.id)))
    site = session.scalar(select(Site).where(Site.code == code))
    if site is None:
        raise NotFound(f"没有站点 {code} (no site with code {code!r})")
    return [site]


def _ids(session: Session, model: Any, code_column: Any, codes: Sequence[str], zh: str,
         en: str) -> list[int]:
    rows = session.execute(select(model.id, code_column).where(code_column.in_(codes))).all()
    missing = sorted(set(codes) - {row[1] for row in rows})
    if missing:
        raise NotFound(f"没有{zh} {', '.join(missing)} (no {en} {', '.join(missing)})")
    return [row[0] for row in rows]


# --------------------------------------------------------------------------- the facts

FACTS = "hallq_stats_facts"
KEYS = {"service": "k_service", "department": "k_department", "window": "k_window",
        "clerk": "k_clerk", "hour": "k_hour", "weekday": "k_weekday"}
# Kept narrow on purpose: SQLite pays per stored column; the flags are derived when
# aggregating.
FACT_COLUMNS = (*KEYS.values(), "transferred", "result", "outcome", "evaluation_id", "level",
                "no_show", "within", "w_us", "s_us")
facts = table(FACTS, *[column(name) for name in FACT_COLUMNS])


def _flag(condition: ColumnElement[bool]) -> ColumnElement[int]:
    return case((condition, 1), else_=0)


def _no_show(scope: _Scope) -> ColumnElement[bool]:
    """A stay ended by a no-show, also when end of day later closed it as expired (the
    segment then says 'expired'; the expire event still says it came from no-show).

    SQLite and MariaDB probe each expired stay's events through ``ix_ticket_event_
    ticket_id``. PostgreSQL hashes the subquery once instead, so it is narrowed to the
    site's expire events since the range began (``ix_ticket_event_site_action_at``);
    given those conditions SQLite would pick that index for every probe, hence the split.
    """
    conditions = [TicketEvent.ticket_id == Segment.ticket_id,
                  TicketEvent.action == Action.EXPIRE.value,
                  TicketEvent.from_state == TicketState.NO_SHOW.value]
    if scope.backend == "postgresql":
        conditions += [TicketEvent.site_id.in_([site.id for site in scope.sites]),
                       TicketEvent.at >= scope.start_utc]
    return or_(Segment.result == "no_show",
               and_(Segment.result == "expired", exists().where(*conditions)))


def _of_service(scope: _Scope, index: int) -> ColumnElement[Any]:
    """The stay's service's department (index 0) or target minutes (1) as a CASE over the
    few services: cheaper than a join or a subquery per stay on every backend, and with a
    join SQLite's planner may loop over the services and rescan the stays for each."""
    if not scope.services:
        return null()
    return case({sid: values[index] for sid, values in scope.services.items()},
                value=Segment.service_id, else_=None)


def _facts_query(scope: _Scope) -> Select[Any]:
    """One row per stay in scope: its group keys, how it ended, measured wait and service."""
    wait = DurationMicros(Segment.called_at, Segment.queued_at)
    service = DurationMicros(Segment.ended_at, Segment.started_at)
    reached_window = or_(Segment.started_at.is_not(None),
                         and_(Segment.result == "transferred", Segment.called_at.is_not(None)))
    service_done = and_(Segment.started_at.is_not(None),
                        Segment.result.in_(("finished", "transferred")))
    return (
        select(
            Segment.service_id.label("k_service"), _of_service(scope, 0).label("k_department"),
            Segment.window_id.label("k_window"), Segment.clerk_id.label("k_clerk"),
            scope.hour_of(Segment.queued_at).label("k_hour"),
            Weekday(Segment.business_day).label("k_weekday"),
            Segment.transferred, Segment.result, Segment.outcome,
            Evaluation.id.label("evaluation_id"), Evaluation.level,
            _flag(_no_show(scope)).label("no_show"),
            _flag(and_(reached_window,
                       wait <= _of_service(scope, 1) * 60 * MICROS))
            .label("within"),
            case((reached_window, wait)).label("w_us"),
            case((service_done, service)).label("s_us"),
        )
        .select_from(Segment)
        .outerjoin(Evaluation, Evaluation.ticket_id == Segment.ticket_id)
        .where(*scope.conditions)
    )


def _counters() -> list[ColumnElement[Any]]:
    c = facts.c
    finished = c.result == "finished"
    flags = {
        "issued": c.transferred == false(), "transferred_in": c.transferred != false(),
        "served": finished, "transferred_out": c.result == "transferred",
        "cancelled": c.result == "cancelled",
        "expired": and_(c.result == "expired", c.no_show == 0),
        "in_progress": c.result.is_(None),
        "rated": and_(finished, c.level.is_not(None)),
        "satisfied": and_(finished, c.level.in_(SATISFIED_LEVELS)),
        **{f"o{i}": and_(finished, c.outcome == o) for i, o in enumerate(OUTCOMES)},
    }
    return [*[func.sum(_flag(condition)).label(name) for name, condition in flags.items()],
            func.sum(c.no_show).label("no_show"), func.sum(c.within).label("within")]


SUMS = ("issued", "transferred_in", "served", "transferred_out", "cancelled", "expired",
        "in_progress", "rated", "satisfied", *[f"o{i}" for i in range(len(OUTCOMES))],
        "no_show", "within", "w_count", "w_sum", "s_count", "s_sum")
GROUPS = "hallq_stats_groups"
groups = table(GROUPS, *[column(name) for name in (*KEYS.values(), *SUMS, "w_max", "s_max")])


def _groups_query() -> Select[Any]:
    """The counters of the stays per combination of every key: a few thousand rows that
    all the count breakdowns add up, instead of each reading every stay again."""
    c = facts.c
    keys = [c[name] for name in KEYS.values()]
    return select(*keys, *_counters(),
                  func.count(c.w_us).label("w_count"), func.sum(c.w_us).label("w_sum"),
                  func.count(c.s_us).label("s_count"), func.sum(c.s_us).label("s_sum"),
                  func.max(c.w_us).label("w_max"), func.max(c.s_us).label("s_max"),
                  ).group_by(*keys)


def _counts_query(dimension: str) -> Select[Any]:
    g = groups.c
    key = g[KEYS[dimension]] if dimension != "total" else None
    query = select((key if key is not None else literal_column("0")).label("k"),
                   *[func.sum(g[name]).label(name) for name in SUMS],
                   func.max(g.w_max).label("w_max"), func.max(g.s_max).label("s_max"))
    if key is None:
        return query.having(func.count() > 0)
    return query.where(key.is_not(None)).group_by(key)


def _percentile_query(key: Any | None, micros: Any) -> Select[Any]:
    """Nearest-rank median and P90 in whole seconds per group, from a histogram: equal
    values are counted first, then a running count finds the rank (docs/metrics.md)."""
    seconds = WholeSeconds(micros)
    group = key if key is not None else literal_column("0")
    conditions = [micros.is_not(None)] + ([key.is_not(None)] if key is not None else [])
    histogram = (select(group.label("k"), seconds.label("v"), func.count().label("c"))
                 .where(*conditions).group_by(*([key] if key is not None else []), seconds)
                 .subquery("histogram"))
    h = histogram.c
    running = select(
        h.k, h.v,
        func.sum(h.c).over(partition_by=h.k, order_by=h.v, rows=(None, 0)).label("cum"),
        func.sum(h.c).over(partition_by=h.k).label("n"),
    ).subquery("running")
    r = running.c
    return select(r.k, *[func.min(case((r.cum * 100 >= r.n * p, r.v))).label(f"p{p}")
                         for p in (50, 90)]).group_by(r.k)


def _int(value: Any) -> int:
    return int(value) if value is not None else 0


def _opt(value: Any, factor: int = 1) -> int | None:
    return int(value) * factor if value is not None else None


def _breakdown(session: Session, dimension: str) -> dict[int, BreakdownRow]:
    """The rows of one breakdown, keyed by group id, from the scratch table."""
    key = facts.c[KEYS[dimension]] if dimension != "total" else None
    waits = {r.k: r for r in session.execute(_percentile_query(key, facts.c.w_us))}
    services = {r.k: r for r in session.execute(_percentile_query(key, facts.c.s_us))}
    rows: dict[int, BreakdownRow] = {}
    for r in session.execute(_counts_query(dimension)):
        w, s = waits.get(r.k), services.get(r.k)
        rows[int(r.k)] = BreakdownRow(
            key="", label="", issued=_int(r.issued), transferred_in=_int(r.transferred_in),
            served=_int(r.served), transferred_out=_int(r.transferred_out),
            no_show=_int(r.no_show), cancelled=_int(r.cancelled), expired=_int(r.expired),
            in_progress=_int(r.in_progress),
            wait=Durations(_int(r.w_count), _int(r.w_sum), _opt(w and w.p50, MICROS),
                           _opt(w and w.p90, MICROS), _opt(r.w_max)),
            within_target=_int(r.within),
            service=Durations(_int(r.s_count), _int(r.s_sum), _opt(s and s.p50, MICROS),
                              _opt(s and s.p90, MICROS), _opt(r.s_max)),
            outcomes={o: _int(getattr(r, f"o{i}")) for i, o in enumerate(OUTCOMES)},
            rated=_int(r.rated), satisfied=_int(r.satisfied),
        )
    return rows


def _breakdowns(session: Session) -> tuple[BreakdownRow, dict[str, list[BreakdownRow]]]:
    total_rows = _breakdown(session, "total")
    total = replace(total_rows.get(0, BreakdownRow("", "")), key="", label="合计")
    result: dict[str, list[BreakdownRow]] = {}
    for name in DIMENSIONS:
        rows = _breakdown(session, name)
        labels = dimension_labels(session, name, list(rows))
        result[name] = [replace(row, key=labels[k][0], label=labels[k][1])
                        for k, row in sorted(rows.items())]
    return total, result


def _heatmap(session: Session) -> list[list[int]]:
    """Tickets issued (first stays) by weekday and local hour of arrival."""
    g = groups.c
    query = (select(g.k_weekday, g.k_hour, func.sum(g.issued).label("n"))
             .group_by(g.k_weekday, g.k_hour))
    grid = [[0] * 24 for _ in range(7)]
    for row in session.execute(query):
        grid[int(row.k_weekday)][int(row.k_hour)] = _int(row.n)
    return grid


def _satisfaction(session: Session, served: int) -> Satisfaction:
    """Ratings of the served stays (from the scratch table) and their follow-ups."""
    f = facts.c
    query = (
        select(f.level, func.count().label("n"),
               func.sum(_flag(FollowUp.status == "open")).label("open"),
               func.sum(_flag(FollowUp.status == "closed")).label("closed"))
        .select_from(facts)
        .outerjoin(FollowUp, FollowUp.evaluation_id == f.evaluation_id)
        .where(f.result == "finished", f.evaluation_id.is_not(None))
        .group_by(f.level)
    )
    levels: dict[int, int] = {}
    not_rated = open_count = closed_count = 0
    for row in session.execute(query):
        if row.level is None:
            not_rated = int(row.n)
        else:
            levels[int(row.level)] = int(row.n)
        open_count += _int(row.open)
        closed_count += _int(row.closed)
    return Satisfaction(levels, not_rated, served, open_count, closed_count)


def compute_statistics(db: Database, filters: StatsFilter) -> Statistics:
    """All statistics for ``filters`` in one read transaction (see docs/metrics.md).

    The stays in scope are computed once into a per-connection scratch table (durations,
    keys, flags) and summed per combination of keys into a second one; the counts of
    every breakdown add up the second, the percentiles rank the first.
    """
    with db.read() as session:
        scope = _Scope(session, filters)
        backend = session.get_bind().dialect.name
        if backend == "sqlite":
            # The scratch table lives in memory, not in a temporary file.
            session.execute(text("PRAGMA temp_store = MEMORY"))
        if backend == "postgresql":
            # These plans look expensive to the planner; compiling them costs seconds.
            session.execute(text("SET LOCAL jit = off"))
            # A year's sorts and hash tables fit in memory instead of spilling to disk.
            session.execute(text("SET LOCAL work_mem = '64MB'"))
        for name in (FACTS, GROUPS):
            session.execute(DropScratchTable(name))
        session.execute(CreateScratchTable(FACTS, _facts_query(scope)))
        session.execute(CreateScratchTable(GROUPS, _groups_query()))
        try:
            total, breakdowns = _breakdowns(session)
            heatmap = _heatmap(session)
            satisfaction = _satisfaction(session, total.served)
        finally:
            for name in (FACTS, GROUPS):
                session.execute(DropScratchTable(name))
        site_name = scope.sites[0].name if filters.site else "全部站点"
        zone = scope.sites[0].timezone if len(scope.sites) == 1 else \
            ", ".join(sorted(scope.periods))
        return Statistics(
            filters=filters, site_name=site_name, timezone=zone,
            generated_at=server_now(session), total=total, breakdowns=breakdowns,
            heatmap=heatmap, satisfaction=satisfaction,
        )

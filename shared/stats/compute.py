"""Statistics for a date range, computed by SQL aggregation in the database.

Every number comes from the ``segment`` table: one row per stay of a ticket in a queue,
with the measures the queue operations keep on it (wait and service time, local hour,
weekday, department, rating; see shared/stats/measures.py). The stays in scope are
summed per combination of group keys into a small per-connection scratch table, which
every count of every breakdown adds up. Medians and P90s rank the durations per group
(shared/stats/percentiles.py) by walking ordered indexes. Nothing is loaded row by row
into Python. The definitions are in docs/metrics.md; keep the two in step.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any, Literal

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

from shared import followups
from shared.db import Database, server_now
from shared.errors import NotFound, UsageError
from shared.followups import FollowUpRules
from shared.models import (
    Clerk,
    Department,
    Evaluation,
    FollowUp,
    Segment,
    Service,
    Site,
    Ticket,
    TicketCase,
    Window,
)
from shared.stats import percentiles
from shared.stats.labels import dimension_labels
from shared.stats.sql import (
    MICROS,
    CreateScratchTable,
    DropScratchTable,
    NotForIndexing,
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
    """The resolved filter: which segments count.

    ``conditions`` select the stays in scope. The same test comes in two more forms for
    SQLite's planner (see NotForIndexing), which otherwise picks the day index where it
    should not: ``walk_conditions`` check the days inside an ordered index being walked,
    and ``probe_conditions`` let a lookup by ticket use the ticket index alone.
    """

    def __init__(self, session: Session, filters: StatsFilter) -> None:
        self.filters = filters
        self.targets: dict[int, int] = dict(session.execute(
            select(Service.id, Service.target_minutes)).all())
        self.sites = _resolve_sites(session, filters.site)
        self.zones = sorted({s.timezone for s in self.sites})
        self._resolve_codes(session)
        self.conditions = self._conditions(lambda name: getattr(Segment, name))
        self.walk_conditions = self._conditions(
            lambda name: NotForIndexing(Segment.business_day) if name == "business_day"
            else getattr(Segment, name))
        self.probe_conditions = self._conditions(
            lambda name: NotForIndexing(getattr(Segment, name)))
        # The ordered indexes lead with the site and hold no other filter's column.
        self.index_ready = filters.site is not None and not self.codes
        # The follow-ups' (contact, rectification) deadlines as SQL, once per request.
        self.follow_up_dues: tuple[ColumnElement[Any], ColumnElement[Any]] | None = None

    def _resolve_codes(self, session: Session) -> None:
        """The ids the code filters name, per segment column; unknown codes are refused."""
        f = self.filters
        self.codes: dict[str, list[Any]] = {}
        if f.services:
            self.codes["service_id"] = _ids(session, Service, Service.code, f.services,
                                            "业务", "service")
        if f.departments:
            self.codes["department_id"] = _ids(session, Department, Department.code,
                                               f.departments, "部门", "department")
        if f.windows:
            site_id = self.sites[0].id
            ids = session.scalars(select(Window.id).where(
                Window.site_id == site_id, Window.number.in_(f.windows))).all()
            if len(ids) != len(set(f.windows)):
                raise NotFound(f"站点 {f.site} 没有这些窗口 (no such window at {f.site}: "
                               f"{', '.join(map(str, f.windows))})")
            self.codes["window_id"] = list(ids)
        if f.clerks:
            self.codes["clerk_id"] = _ids(session, Clerk, Clerk.login, f.clerks, "工作人员",
                                          "clerk")
        if f.kinds:
            self.codes["kind"] = list(f.kinds)

    def _conditions(self, col: Any) -> list[ColumnElement[bool]]:
        f = self.filters
        conditions = [col("business_day") >= f.date_from, col("business_day") <= f.date_to]
        if f.site is not None:
            conditions.append(col("site_id") == self.sites[0].id)
        conditions += [col(name).in_(values) for name, values in self.codes.items()]
        return conditions


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


# --------------------------------------------------------------------------- the stays

KEYS = {"service": "k_service", "department": "k_department", "window": "k_window",
        "clerk": "k_clerk", "hour": "k_hour", "weekday": "k_weekday"}
KEY_COLUMNS = {"k_service": Segment.service_id, "k_department": Segment.department_id,
               "k_window": Segment.window_id, "k_clerk": Segment.clerk_id,
               "k_hour": Segment.local_hour, "k_weekday": Segment.weekday}
RATINGS = range(6)  # 0 = evaluated without a rating, 1-5 the levels


def _flag(condition: ColumnElement[bool]) -> ColumnElement[int]:
    return case((condition, 1), else_=0)


def _target_micros(scope: _Scope) -> ColumnElement[Any]:
    """The stay's service's target as a CASE over the few services: cheaper than a join
    per stay on every backend."""
    if not scope.targets:
        return null()
    return case({sid: minutes * 60 * MICROS for sid, minutes in scope.targets.items()},
                value=Segment.service_id, else_=None)


def _case_ratings(scope: _Scope) -> Any:
    """Per ticket of the range that ended cases (办件): how many, and how they were rated,
    one rating per case (一次一评): per level (appealed ones in none), evaluated without
    a level (c0), never evaluated (c_none), appealed. Few rows: only tickets with cases."""
    f = scope.filters
    kept = Evaluation.appeal.is_(None)
    conditions = [Ticket.business_day >= f.date_from, Ticket.business_day <= f.date_to]
    if f.site is not None:
        conditions.append(Ticket.site_id == scope.sites[0].id)
    return (
        select(TicketCase.ticket_id.label("ticket_id"), func.count().label("c_cases"),
               func.sum(_flag(and_(Evaluation.id.is_not(None), Evaluation.level.is_(None))))
               .label("c0"),
               *[func.sum(_flag(and_(Evaluation.level == i, kept))).label(f"c{i}")
                 for i in RATINGS if i],
               func.sum(_flag(Evaluation.id.is_(None))).label("c_none"),
               func.sum(_flag(Evaluation.appeal.is_not(None))).label("c_appealed"))
        .join(Ticket, Ticket.id == TicketCase.ticket_id)
        .outerjoin(Evaluation, Evaluation.case_id == TicketCase.id)
        .where(*conditions)
        .group_by(TicketCase.ticket_id)
        .subquery("case_ratings"))


def _stays(scope: _Scope) -> Select[*tuple[Any, ...]]:
    """One row per stay in scope: its group keys, how it ended and its measures; a served
    stay whose ticket ended cases also carries its cases' ratings (:func:`_case_ratings`)."""
    cases = _case_ratings(scope)
    return (
        select(
            *[column.label(name) for name, column in KEY_COLUMNS.items()],
            Segment.transferred, Segment.result, Segment.outcome, Segment.rating,
            Segment.rating_appealed.label("appealed"),
            _flag(Segment.wait_us <= _target_micros(scope)).label("within"),
            Segment.wait_us.label("w_us"), Segment.service_us.label("s_us"),
            *[cases.c[name] for name in ("c_cases", *[f"c{i}" for i in RATINGS], "c_none",
                                         "c_appealed")],
        )
        .select_from(Segment)
        .outerjoin(cases, and_(cases.c.ticket_id == Segment.ticket_id,
                               Segment.result == "finished"))
        .where(*scope.conditions)
    )


def _counters(stays: Any) -> list[ColumnElement[Any]]:
    c = stays.c
    finished = c.result == "finished"
    flags = {
        "issued": c.transferred == false(), "transferred_in": c.transferred != false(),
        "served": finished, "transferred_out": c.result == "transferred",
        "no_show": c.result == "no_show", "cancelled": c.result == "cancelled",
        "expired": c.result == "expired", "in_progress": c.result.is_(None),
        **{f"o{i}": and_(finished, c.outcome == o) for i, o in enumerate(OUTCOMES)},
    }
    # The ratings count one per case (docs/metrics.md): a served stay whose ticket ended
    # cases counts its cases' ratings; one without counts the rating it carries (the
    # ticket rated as a whole). An appealed rating (申诉) counts in no level.
    with_cases = c.c_cases.is_not(None)

    def per_case(name: str, whole: ColumnElement[bool]) -> ColumnElement[Any]:
        return case((with_cases, c[name]), else_=_flag(whole))

    ratings = {
        **{f"r{i}": per_case(f"c{i}", and_(finished, c.rating == i, c.appealed == false()))
           for i in RATINGS},
        "r_none": per_case("c_none", and_(finished, c.rating.is_(None))),  # never evaluated
        "appealed": per_case("c_appealed", and_(finished, c.appealed != false())),
        "evaluable": per_case("c_cases", finished),  # the ratings the stay called for
    }
    return [*[func.sum(_flag(condition)).label(name) for name, condition in flags.items()],
            *[func.sum(value).label(name) for name, value in ratings.items()],
            func.sum(c.within).label("within")]


SUMS = ("issued", "transferred_in", "served", "transferred_out", "no_show", "cancelled",
        "expired", "in_progress", *[f"o{i}" for i in range(len(OUTCOMES))],
        *[f"r{i}" for i in RATINGS], "r_none", "appealed", "evaluable", "within", "w_count",
        "w_sum",
        "s_count", "s_sum")
GROUPS = "hallq_stats_groups"
groups = table(GROUPS, *[column(name) for name in (*KEYS.values(), *SUMS, "w_max", "s_max")])


def _groups_query(scope: _Scope) -> Select[Any]:
    """The counters of the stays per combination of every key: a few thousand rows that
    all the count breakdowns add up, instead of each reading every stay again."""
    stays = _stays(scope).subquery("stays")
    c = stays.c
    keys = [c[name] for name in KEYS.values()]
    return select(*keys, *_counters(stays),
                  func.count(c.w_us).label("w_count"), func.sum(c.w_us).label("w_sum"),
                  func.count(c.s_us).label("s_count"), func.sum(c.s_us).label("s_sum"),
                  func.max(c.w_us).label("w_max"), func.max(c.s_us).label("s_max"),
                  ).group_by(*keys)


def _durations_query(scope: _Scope) -> Select[*tuple[Any, ...]]:
    """The measured stays in scope, narrowed to their keys and durations, to index per
    grouping for ranking (shared/stats/percentiles.py, MeasuredStays)."""
    return (select(*[c.label(name) for name, c in KEY_COLUMNS.items()],
                   Segment.wait_us.label("w_us"), Segment.service_us.label("s_us"))
            .where(*scope.conditions,
                   or_(Segment.wait_us.is_not(None), Segment.service_us.is_not(None))))


def _counts_query(dimension: str) -> Select[Any]:
    g = groups.c
    key = g[KEYS[dimension]] if dimension != "total" else None
    query = select((key if key is not None else literal_column("0")).label("k"),
                   *[func.sum(g[name]).label(name) for name in SUMS],
                   func.max(g.w_max).label("w_max"), func.max(g.s_max).label("s_max"))
    if key is None:
        return query.having(func.count() > 0)
    return query.where(key.is_not(None)).group_by(key)


def _int(value: Any) -> int:
    return int(value) if value is not None else 0


def _opt(value: Any, factor: int = 1) -> int | None:
    return int(value) * factor if value is not None else None


Ranking = Literal["auto", "range", "history"]


def _breakdown(session: Session, scope: _Scope, dimension: str,
               measured: percentiles.MeasuredStays | None) -> dict[int, BreakdownRow]:
    """The rows of one breakdown, keyed by group id: counts from the scratch table,
    percentiles from the measured stays' scratch table or, without one, from the
    segment table's indexes (shared/stats/percentiles.py)."""
    key = KEYS.get(dimension)
    counts = session.execute(_counts_query(dimension)).all()

    def group(row: Any) -> Any:
        return row.k if key is not None else None

    w_sizes = {group(r): _int(r.w_count) for r in counts}
    s_sizes = {group(r): _int(r.s_count) for r in counts}
    if measured is None:  # walk the segment table's own indexes
        column = KEY_COLUMNS[key] if key is not None else None
        segment = Segment.__table__
        waits = percentiles.walk(session, segment, scope.walk_conditions, column,
                                 Segment.wait_us, w_sizes)
        services = percentiles.walk(session, segment, scope.walk_conditions, column,
                                    Segment.service_us, s_sizes)
    else:
        waits = measured.ranked(session, key, "w_us", w_sizes)
        services = measured.ranked(session, key, "s_us", s_sizes)
    follow_ups = _follow_ups(session, scope, KEY_COLUMNS[key] if key is not None else None)
    rows: dict[int, BreakdownRow] = {}
    for r in counts:
        w, s = waits.get(group(r), {}), services.get(group(r), {})
        ratings = [_int(getattr(r, f"r{i}")) for i in RATINGS]
        fu_open, fu_closed, fu_on_time = follow_ups.get(group(r), (0, 0, 0))
        rows[int(r.k)] = BreakdownRow(
            key="", label="", issued=_int(r.issued), transferred_in=_int(r.transferred_in),
            served=_int(r.served), transferred_out=_int(r.transferred_out),
            no_show=_int(r.no_show), cancelled=_int(r.cancelled), expired=_int(r.expired),
            in_progress=_int(r.in_progress),
            wait=Durations(_int(r.w_count), _int(r.w_sum), _opt(w.get(50), MICROS),
                           _opt(w.get(90), MICROS), _opt(r.w_max)),
            within_target=_int(r.within),
            service=Durations(_int(r.s_count), _int(r.s_sum), _opt(s.get(50), MICROS),
                              _opt(s.get(90), MICROS), _opt(r.s_max)),
            outcomes={o: _int(getattr(r, f"o{i}")) for i, o in enumerate(OUTCOMES)},
            rated=sum(ratings[1:]), satisfied=sum(ratings[level] for level in SATISFIED_LEVELS),
            levels={level: ratings[level] for level in range(1, 6)}, not_rated=ratings[0],
            never_rated=_int(r.r_none), evaluable=_int(r.evaluable), appealed=_int(r.appealed),
            follow_ups_open=fu_open, follow_ups_closed=fu_closed,
            follow_ups_on_time=fu_on_time,
        )
    return rows


def _follow_up_joins(query: Select[Any], scope: _Scope) -> Select[Any]:
    """The follow-ups of the ratings of the served stays in scope, appealed ratings left
    out: from the few follow-ups to their stays, as :func:`_satisfaction` goes."""
    return (query.select_from(FollowUp)
            .join(Evaluation, Evaluation.id == NotForIndexing(FollowUp.evaluation_id))
            .join(Segment, and_(Segment.ticket_id == Evaluation.ticket_id,
                                Segment.result == "finished"))
            .where(*scope.probe_conditions, Evaluation.appeal.is_(None)))


def _follow_up_deadlines(session: Session, scope: _Scope, rules: FollowUpRules
                         ) -> tuple[ColumnElement[Any], ColumnElement[Any]]:
    """The working-day deadlines of the follow-ups in scope, as SQL CASEs over their
    (site, business day) pairs (shared/followups.py computes them from the calendars)."""
    query: Any = select(Segment.site_id, Segment.business_day).distinct()
    pairs = session.execute(_follow_up_joins(query, scope)).all()
    return followups.deadlines([(row[0], row[1]) for row in pairs], scope.sites, rules,
                               Segment.site_id, Segment.business_day)


def _follow_ups(session: Session, scope: _Scope, key: Any | None
                ) -> dict[Any, tuple[int, int, int]]:
    """Follow-ups of the ratings of the served stays in scope per group (None: one group):
    (not closed, closed, on time: contacted and rectified within their working-day
    deadlines), appealed ratings left out."""
    assert scope.follow_up_dues is not None
    on_time = followups.on_time_condition(*scope.follow_up_dues)
    group = key if key is not None else literal_column("0")
    query = _follow_up_joins(
        select(group.label("k"), func.sum(_flag(FollowUp.status != "closed")),
               func.sum(_flag(FollowUp.status == "closed")), func.sum(_flag(on_time))),
        scope)
    if key is not None:
        query = query.where(key.is_not(None)).group_by(key)
    return {(row[0] if key is not None else None): (_int(row[1]), _int(row[2]), _int(row[3]))
            for row in session.execute(query) if key is not None or row[1] is not None}


def _rank_by_index(session: Session, scope: _Scope, ranking: Ranking) -> bool:
    """Walk the segment table's indexes when the range spans at least a quarter of the
    site's history (the costs of the two ways cross about there); otherwise copy the
    range's measured stays and index those."""
    if ranking != "auto" or not scope.index_ready:
        if ranking == "history" and not scope.index_ready:
            raise UsageError("按历史索引排名需要指定一个站点且不加其他筛选 (ranking over the "
                             "history's indexes needs one site and no other filter)")
        return ranking == "history"
    first = session.scalar(select(func.min(Segment.business_day))
                           .where(Segment.site_id == scope.sites[0].id))
    if first is None:
        return False
    f = scope.filters
    history_days = (max(f.date_to, first) - first).days + 1
    range_days = (f.date_to - max(f.date_from, first)).days + 1
    return range_days * 4 >= history_days


def _breakdowns(session: Session, scope: _Scope, measured: percentiles.MeasuredStays | None
                ) -> tuple[BreakdownRow, dict[str, list[BreakdownRow]]]:
    total_rows = _breakdown(session, scope, "total", measured)
    total = replace(total_rows.get(0, BreakdownRow("", "")), key="", label="合计")
    result: dict[str, list[BreakdownRow]] = {}
    for name in DIMENSIONS:
        rows = _breakdown(session, scope, name, measured)
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


def _satisfaction(session: Session, scope: _Scope, total: BreakdownRow,
                  rules: FollowUpRules) -> Satisfaction:
    """Ratings of the served stays (from the scratch table) and their follow-ups; an
    appealed rating counts only as appealed."""
    ratings = session.execute(select(*[func.sum(groups.c[f"r{i}"]) for i in RATINGS],
                                     func.sum(groups.c.appealed))).one()
    never_rated = session.scalar(select(func.sum(groups.c.r_none)))
    levels = {level: _int(n) for level, n in enumerate(ratings[:-1]) if level > 0 and n}
    # From the few follow-ups to their stays, not from every stay in range to its
    # follow-up: EXISTS keeps every planner going that way round.
    in_scope = exists().where(Segment.ticket_id == Evaluation.ticket_id,
                              Segment.result == "finished", *scope.probe_conditions)
    follow_ups = dict(session.execute(
        select(FollowUp.status, func.count())
        .join(Evaluation, Evaluation.id == NotForIndexing(FollowUp.evaluation_id))
        .where(in_scope, Evaluation.appeal.is_(None))
        .group_by(FollowUp.status)).all())
    closed = _int(follow_ups.get("closed"))
    still_open = sum(_int(n) for status, n in follow_ups.items() if status != "closed")
    return Satisfaction(levels, _int(ratings[0]), total.served, still_open, closed,
                        never_rated=_int(never_rated), evaluable=total.evaluable,
                        follow_ups_on_time=total.follow_ups_on_time,
                        appealed=_int(ratings[-1]),
                        follow_up=followups.figures(session, in_scope, scope.sites, rules))


def compute_statistics(db: Database, filters: StatsFilter, *, ranking: Ranking = "auto",
                       follow_up_rules: FollowUpRules | None = None) -> Statistics:
    """All statistics for ``filters`` in one read transaction (see docs/metrics.md).

    The stays in scope are summed per combination of keys into a scratch table, which
    the counts of every breakdown add up; the percentiles walk ordered indexes, of the
    measured stays copied for the range (``ranking="range"``) or of the segment table
    itself ("history"). "auto" picks by the share of the site's history in the range;
    both give the same numbers.
    """
    with db.read() as session:
        scope = _Scope(session, filters)
        rules = follow_up_rules or FollowUpRules()
        scope.follow_up_dues = _follow_up_deadlines(session, scope, rules)
        backend = session.get_bind().dialect.name
        if backend == "sqlite":
            # The scratch table lives in memory, not in a temporary file.
            session.execute(text("PRAGMA temp_store = MEMORY"))
        if backend == "postgresql":
            # These plans look expensive to the planner; compiling them costs seconds.
            session.execute(text("SET LOCAL jit = off"))
            # A year's sorts and hash tables fit in memory instead of spilling to disk.
            session.execute(text("SET LOCAL work_mem = '64MB'"))
        session.execute(DropScratchTable(GROUPS))
        session.execute(CreateScratchTable(GROUPS, _groups_query(scope)))
        measured = percentiles.MeasuredStays(list(KEYS.values()))
        try:
            if not _rank_by_index(session, scope, ranking):
                measured.create(session, _durations_query(scope))
                total, breakdowns = _breakdowns(session, scope, measured)
            else:
                total, breakdowns = _breakdowns(session, scope, None)
            heatmap = _heatmap(session)
            satisfaction = _satisfaction(session, scope, total, rules)
        finally:
            session.execute(DropScratchTable(GROUPS))
            measured.drop(session)
        site_name = scope.sites[0].name if filters.site else "全部站点"
        zone = scope.sites[0].timezone if len(scope.sites) == 1 else ", ".join(scope.zones)
        return Statistics(
            filters=filters, site_name=site_name, timezone=zone,
            generated_at=server_now(session), total=total, breakdowns=breakdowns,
            heatmap=heatmap, satisfaction=satisfaction,
        )

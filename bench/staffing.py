"""Benchmark: the staffing plan (shared/staffing.py) checked by simulation.

History: weeks of the Chun'an centre's past from bench/stats.py's generator (the
arrival mix of bench/wait_prediction.py). The plan: ``staffing_plan`` for the week after
it, Erlang C per service (``runs=0``), then ``check_plan``: the proposed windows per
half-hour, simulated with the real call order (weighted comprehensive windows, green
channel, transfers) and corrected until every half-hour meets the goal (plus the check's
margin) and no window-half-hour can be closed. Reported: the share of half-hours
(service cells with arrivals) meeting the goal on citizens the check never saw (another
seed) — for the checked windows, for Erlang C's windows over the same real routing, and
for Erlang C with each service on its own windows (``simulate_plan``); the window-hours
of each; and (``--minimality``, on by default, off with ``--quick``) what closing each
window-half-hour of the checked plan breaks (``necessity``).

    python bench/staffing.py [--quick] [--history-days N] [--runs N] [--test-runs N]
        [--seed S] [--[no-]minimality]

Target: the goal met in >= 95 % of half-hours. The last line printed is one JSON object.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import emit, fresh_database, machine
from stats import UTC_OFFSET
from wait_prediction import generate_history, hall_model

from resources import resource_path
from shared.catalog import load_catalog
from shared.db import Database
from shared.staffing import (
    DEFAULT_CHECK_RUNS,
    check_plan,
    necessity,
    service_level,
    simulate_plan,
    simulate_windows,
    staffing_plan,
    windows_to_open,
)

TARGET_SHARE = 0.95


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="14 days of history, 5 runs")
    parser.add_argument("--history-days", type=int, help="days of history (default 28)")
    parser.add_argument("--runs", type=int, help="simulated weeks of the check (default 20; quick 5)")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--test-runs", type=int,
                        help="simulated weeks on fresh citizens measuring each plan (default "
                             "100, a measure with little noise of its own; quick 30)")
    parser.add_argument("--minimality", action=argparse.BooleanOptionalAction, default=None,
                        help="close each window-half-hour in turn to show it is needed "
                             "(default: on, off with --quick)")
    args = parser.parse_args(argv)
    history_days = args.history_days or (14 if args.quick else 28)
    runs = args.runs or (5 if args.quick else DEFAULT_CHECK_RUNS)
    args.test_runs = args.test_runs or (30 if args.quick else 100)
    started = time.perf_counter()
    today = (dt.datetime.now(dt.UTC) + UTC_OFFSET).date()
    week = today + dt.timedelta(days=7 - today.weekday())  # next Monday
    with fresh_database("sqlite") as url:
        db = Database(url)
        load_catalog(db, resource_path("catalog", "chunan.toml"))
        model = hall_model(db)
        tickets = generate_history(db, model, week, history_days, args.seed)
        planned = time.perf_counter()
        erlang = staffing_plan(db, week, site="chunan", history_weeks=max(1, history_days // 7),
                               runs=0)
        erlang_s = time.perf_counter() - planned
        checked = time.perf_counter()
        plan = check_plan(erlang, runs=runs, seed=args.seed)
        check_s = time.perf_counter() - checked
        db.dispose()
    simulated = simulate_plan(erlang, runs=args.test_runs, seed=args.seed + 1)
    measured = [s for s in simulated if s.arrivals]
    met = sum(1 for s in measured if s.met(plan.goal))
    # Independent test: the checked windows on citizens the check never saw.
    real = [s for s in simulate_windows(plan, runs=args.test_runs, seed=args.seed + 1)
            if s.arrivals]
    real_met = sum(1 for s in real if s.met(plan.goal))
    before = [s for s in simulate_windows(erlang, runs=args.test_runs, seed=args.seed + 1)
              if s.arrivals]
    before_met = sum(1 for s in before if s.met(plan.goal))
    necessary: dict[str, int] = {}
    necessity_s = None
    if args.minimality or (args.minimality is None and not args.quick):
        started_n = time.perf_counter()
        for where in necessity(plan, seed=args.seed).values():
            necessary[str(where)] = necessary.get(str(where), 0) + 1
        necessity_s = round(time.perf_counter() - started_n, 1)
    minimal = sum(
        1 for c in plan.cells
        if c.windows <= 1 or service_level(c.arrivals_per_hour * c.handle_minutes / 60,
                                           c.windows - 1, c.target_minutes * 60,
                                           c.handle_minutes * 60) < plan.goal)
    erlang_hours = sum(len(windows_to_open(erlang, day, slot))
                       for day, slot in erlang.totals()) * 0.5
    worst = sorted(real, key=lambda s: s.service_level or 0)[:5]
    share = met / len(measured) if measured else None
    emit({"benchmark": "staffing", "quick": args.quick, "week": week.isoformat(),
          "history_days": history_days, "history_tickets": tickets, "runs": runs,
          "test_runs": args.test_runs, "load_average": os.getloadavg(),
          "cells": len(plan.cells), "measured_cells": len(real),
          "window_hours": round(plan.window_hours(), 1),
          "erlang_window_hours": round(plan.erlang_window_hours(), 1),
          "erlang_opening_window_hours": round(erlang_hours, 1),
          "extra_window_hours": round(plan.extra_window_hours(), 1),
          "shortfalls": sum(1 for c in plan.cells if c.short),
          "erlang_s": round(erlang_s, 2), "check_s": round(check_s, 1),
          "unmet_in_check": plan.unmet,
          "erlang_own_windows_half_hours_meeting_goal":
              round(share, 3) if share is not None else None,
          "erlang_proposed_windows_half_hours_meeting_goal":
              round(before_met / len(before), 3) if before else None,
          "checked_plan_half_hours_meeting_goal":
              round(real_met / len(real), 3) if real else None,
          "erlang_minimal_cells": minimal, "necessity": necessary,
          "necessity_s": necessity_s, "target_share": TARGET_SHARE,
          "target_met": bool(real) and real_met / len(real) >= TARGET_SHARE,
          "worst": [{"day": s.cell.day.isoformat(), "slot": s.cell.slot,
                     "service": s.cell.service, "windows": s.cell.windows,
                     "arrivals_per_hour": round(s.cell.arrivals_per_hour, 2),
                     "simulated_service_level": round(s.service_level or 0, 3)}
                    for s in worst],
          "elapsed_s": round(time.perf_counter() - started, 1), "machine": machine()})
    return 0


if __name__ == "__main__":
    sys.exit(main())

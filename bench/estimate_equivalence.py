"""Check: the wait estimates of shared/prediction.py are the same as those of an earlier
revision of it, over many random hall states (no database).

A change meant to make the replay cheaper must not change a single estimate. This
builds the same random hall states for both versions -- queue sizes from empty to
600 waiting, clock times over the day (before opening, at lunch, after closing, so
extended service too), green channel, due and not yet due appointments, bookings
joining later, transfers, tickets handed to a window, busy and paused windows,
expected arrivals, pauses in the history, the site's class order and transfer rule,
queues read heads-only -- and compares every estimate: a new ticket's for each
service (of each kind, all from one state as :func:`~shared.prediction.estimate_wait`
does), and waiting tickets' own.

    python bench/estimate_equivalence.py [--quick] [--against REV] [--states N] [--seed S]

``--quick``: 60 states instead of 400.

``REV`` (default ``HEAD``) is read with ``git show REV:shared/prediction.py``, so the
working tree's module is compared with the committed one. Exits 1 on the first
difference, naming the state's seed. The last line printed is one JSON object.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.util
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from types import ModuleType
from typing import Any

from common import ROOT, emit

from shared import prediction
from shared.models import Site
from shared.routing import CLASSES, RoutingRules

TIMEZONE = "Asia/Shanghai"
DAY = dt.date(2026, 3, 2)  # a Monday
UTC_OFFSET = dt.timedelta(hours=8)
# Services' hours in local time: the usual day with a lunch break, a day without one,
# a morning-only and an afternoon-only service.
HOURS = (((9, 0), (12, 0), (13, 30), (17, 0)), ((8, 30), (17, 30)), ((9, 0), (12, 0)),
         ((14, 0), (18, 0)))


def revision_module(rev: str) -> ModuleType:
    """shared/prediction.py as committed at ``rev``, imported under its own name."""
    source = subprocess.run(["git", "show", f"{rev}:shared/prediction.py"], cwd=ROOT,
                            check=True, capture_output=True, text=True).stdout
    directory = Path(tempfile.mkdtemp(prefix="hallq-estimate-"))
    path = directory / "prediction_before.py"
    path.write_text(source, encoding="utf-8")
    spec = importlib.util.spec_from_file_location("prediction_before", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["prediction_before"] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def _utc(hour: int, minute: int) -> dt.datetime:
    return dt.datetime(DAY.year, DAY.month, DAY.day, hour, minute, tzinfo=dt.UTC) - UTC_OFFSET


def random_hall(seed: int) -> dict[str, Any]:
    """A hall state as plain data, to be built the same way for each version."""
    rng = random.Random(seed)
    services = list(range(1, rng.randint(1, 8) + 1))
    spans = {}
    for sid in services:
        bounds = [_utc(*hm) for hm in rng.choice(HOURS)]
        spans[sid] = list(zip(bounds[::2], bounds[1::2], strict=True))
    now = _utc(7, 30) + dt.timedelta(minutes=rng.randrange(0, 11 * 60, 7))
    order = list(CLASSES)
    if rng.random() < 0.3:
        rng.shuffle(order)
    rules = RoutingRules(class_order=tuple(order),
                         appointment_early_minutes=rng.choice((0, 10, 20)),
                         transfer_rule=rng.choice(("priority", "priority", "back")))
    windows = []
    for wid in range(1, rng.randint(1, 16) + 1):
        served = rng.sample(services, min(len(services), rng.choice((1, 2, 2, 3))))
        weights = {sid: rng.randint(1, 3) for sid in served}
        credits = {sid: rng.randint(-3, 3) for sid in served}
        free_in = rng.choice((0.0, 0.0, rng.uniform(0, 20), 5 + rng.uniform(0, 15)))
        windows.append((wid, weights, credits, now + dt.timedelta(minutes=free_in),
                        rng.choice((0.0, rng.uniform(0, 200_000)))))
    waiting = []
    count = rng.choice((0, 3, 20, 60, 150, 400, 600))
    positions = list(range(1, count + 1))
    if rng.random() < 0.5:  # reinstated and reordered tickets: gaps and any order
        positions = sorted(rng.sample(range(1, 3 * count + 2), count))
    for tid, pos in enumerate(positions, start=1):
        sid = rng.choice(services)
        roll = rng.random()
        kind, slot, transferred, target, available = "normal", None, False, None, now
        if roll < 0.04:
            kind = "green"
        elif roll < 0.10:
            kind = "appointment"
            slot = now + dt.timedelta(minutes=rng.randrange(-40, 150, 5))
        elif roll < 0.15:
            transferred = True
        if rng.random() < 0.04:
            target = rng.randint(1, len(windows) + 1)  # sometimes a window not open
        waiting.append((tid, sid, kind, transferred, slot, pos, target, available))
    early = dt.timedelta(minutes=rules.appointment_early_minutes)
    for booking in range(1, rng.choice((0, 0, 5, 30)) + 1):  # bookings not checked in
        slot = now + dt.timedelta(minutes=rng.randrange(-10, 300, 10))
        waiting.append((-booking, rng.choice(services), "appointment", False, slot,
                        count * 3 + 2 + booking, None, max(now, slot - early)))
    durations: dict[tuple[int, int | None], tuple[float, float]] = {}
    arrivals: dict[tuple[int, int, str], float] = {}
    paused: dict[int, float] = {}
    for sid in services:
        if rng.random() < 0.85:
            mean = rng.uniform(120, 900)
            durations[(sid, None)] = (mean, (rng.uniform(0.2, 1.0) * mean) ** 2)
        for hour in range(8, 19):
            if rng.random() < 0.3:
                mean = rng.uniform(120, 900)
                durations[(sid, hour)] = (mean, (rng.uniform(0.2, 1.0) * mean) ** 2)
            if rng.random() < 0.5:
                for kind, top in (("normal", 12.0), ("green", 1.0), ("transfer", 1.5)):
                    if rng.random() < 0.7:
                        arrivals[(sid, hour, kind)] = rng.choice((0.0, rng.uniform(0, top)))
    for hour in range(8, 19):
        if rng.random() < 0.3:
            paused[hour] = rng.uniform(0, 0.4)
    hidden: dict[tuple[int, int | None], int] = {}
    max_pos = 0
    if rng.random() < 0.25:  # read heads-only: tails of queues left out
        for sid in services:
            if rng.random() < 0.5:
                hidden[(sid, None)] = rng.randint(1, 300)
        max_pos = max((w[5] for w in waiting), default=0) + rng.randint(1, 400)
    return {"services": services, "spans": spans, "now": now, "rules": rules,
            "windows": windows, "waiting": waiting, "durations": durations,
            "arrivals": arrivals, "paused": paused, "hidden": hidden, "max_pos": max_pos,
            "assumed_open": rng.random() < 0.1, "seed": seed}


def build_state(module: ModuleType, hall: dict[str, Any]) -> Any:
    profile = module.Profile()
    for key, (mean, variance) in hall["durations"].items():
        profile.durations[key] = module.ServiceTime(mean, variance)
    profile.arrivals_per_hour.update(hall["arrivals"])
    profile.paused_share.update(hall["paused"])
    site = Site(code="hall", name="大厅", timezone=TIMEZONE, calendar={}, routing={})
    windows = [module._Window(wid, dict(weights), dict(credits), free_at, variance)
               for wid, weights, credits, free_at, variance in hall["windows"]]
    waiting = [module._Waiting(*ticket) for ticket in hall["waiting"]]
    return module.HallState(site, hall["rules"], hall["now"], DAY, windows,
                            hall["assumed_open"], waiting, profile, dict(hall["spans"]),
                            dict(hall["hidden"]), hall["max_pos"])


def estimates(module: ModuleType, hall: dict[str, Any]) -> list[tuple[str, Any]]:
    """Every estimate asked of one state, in a fixed order (later ones reuse what earlier
    ones worked out on the state, as in production)."""
    state = build_state(module, hall)
    rng = random.Random(hall["seed"])
    asked: list[tuple[str, Any]] = []
    for sid in [*hall["services"], max(hall["services"]) + 1]:  # the last: no window
        asked.append((f"new {sid}", module.estimate_new_ticket(state, sid)))
    for sid in rng.sample(hall["services"], min(2, len(hall["services"]))):
        asked.append((f"green {sid}", module.estimate_new_ticket(state, sid, kind="green")))
        slot = hall["now"] + dt.timedelta(minutes=rng.randrange(-10, 60, 5))
        asked.append((f"appointment {sid}", module.estimate_new_ticket(
            state, sid, kind="appointment", appointment_slot=slot)))
    if not hall["hidden"]:
        tickets = [t[0] for t in hall["waiting"] if t[0] > 0]
        for tid in rng.sample(tickets, min(6, len(tickets))):
            asked.append((f"waiting {tid}", module.estimate_waiting_ticket(state, tid)))
    return asked


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--against", default="HEAD", metavar="REV")
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--states", type=int, default=None)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    if args.states is None:
        args.states = 60 if args.quick else 400
    if args.states < 1:
        parser.error(f"--states must be positive, got {args.states}")
    before = revision_module(args.against)
    compared = 0
    seconds = {"before": 0.0, "now": 0.0}
    for seed in range(args.seed, args.seed + args.states):
        hall = random_hall(seed)
        started = time.process_time()
        old = estimates(before, hall)
        middle = time.process_time()
        new = estimates(prediction, hall)
        seconds["before"] += middle - started
        seconds["now"] += time.process_time() - middle
        for (what, expected), (_, got) in zip(old, new, strict=True):
            if repr(expected) != repr(got):  # the two versions' classes differ: by value
                print(f"state seed {seed}, {what}: {args.against} {expected}, now {got}")
                emit({"bench": "estimate_equivalence", "against": args.against,
                      "same": False, "seed": seed})
                return 1
        compared += len(new)
    print(f"{compared} estimates over {args.states} states: all the same as {args.against}'s")
    print(f"CPU: {args.against} {seconds['before']:.2f} s, now {seconds['now']:.2f} s")
    emit({"bench": "estimate_equivalence", "against": args.against, "same": True,
          "states": args.states, "estimates": compared,
          "cpu_s_before": round(seconds["before"], 3), "cpu_s_now": round(seconds["now"], 3)})
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Closing the 一次性告知 loop: the materials citizens lacked when a case ended 材料不全.

The clerk ticks them in the finish dialog; the finish writes one ``missing_material`` row
per material in its own transaction (shared/queue.py). The statistics rank per service
the materials most often lacking, and the kiosk's guide marks the most often forgotten
ones "常缺" so that the next citizen brings them. Both are counted by the database
(docs/metrics.md, "Missing materials").
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, func, insert, select
from sqlalchemy.orm import Session

from shared.db import Database
from shared.errors import UsageError
from shared.lookup import site_by_code
from shared.models import MissingMaterial, Segment, Service, Ticket
from shared.states import Outcome

# The kiosk's "常缺" mark: over the last OFTEN_DAYS business days up to today, a material
# of the service lacked in at least OFTEN_MIN_COUNT cases, at most OFTEN_TOP per service
# (the most often lacking first).
OFTEN_DAYS = 90
OFTEN_MIN_COUNT = 3
OFTEN_TOP = 3


def check_missing(service: Service, outcome: Outcome, missing: Sequence[str]) -> list[str]:
    """The missing materials as stored: each one of the service's materials, once, in the
    catalog's order; only with the outcome 材料不全. Raises UsageError naming the bad one."""
    if not missing:
        return []
    if outcome is not Outcome.MATERIALS_MISSING:
        raise UsageError(f"只有“材料不全”才能登记缺少的材料 (missing materials go with the outcome "
                         f"{Outcome.MATERIALS_MISSING.value}, not {outcome.value})")
    known = [str(m) for m in service.materials]
    wanted = {m.strip() for m in missing}
    unknown = sorted(wanted - set(known))
    if unknown:
        raise UsageError(f"“{service.name}”没有材料 {'、'.join(unknown)} (service {service.code} "
                         f"lists no material {', '.join(repr(u) for u in unknown)}; its "
                         f"materials: {', '.join(known) or 'none'})")
    return [m for m in known if m in wanted]


def record_missing(session: Session, ticket: Ticket, materials: list[str], at: dt.datetime
                   ) -> None:
    """One row per missing material of a case just finished 材料不全 (no RETURNING: the
    counter's login may insert them without reading them back)."""
    if materials:
        session.execute(insert(MissingMaterial), [
            {"site_id": ticket.site_id, "ticket_id": ticket.id, "service_id": ticket.service_id,
             "business_day": ticket.business_day, "material": material, "at": at}
            for material in materials])


@dataclass(frozen=True)
class MaterialRank:
    service: str  # code
    service_name: str
    material: str
    times: int  # cases that lacked it
    cases: int  # cases of the service that ended 材料不全 in the range

    @property
    def share(self) -> float | None:
        return self.times / self.cases if self.cases else None

    def as_dict(self) -> dict[str, Any]:
        return {"service": self.service, "service_name": self.service_name,
                "material": self.material, "times": self.times, "cases": self.cases,
                "share": round(self.share, 4) if self.share is not None else None}


def ranking(db: Database, date_from: dt.date, date_to: dt.date, *, site: str | None = None
            ) -> list[MaterialRank]:
    """Per service (catalog order), the materials lacked in its 材料不全 cases of the
    business days ``date_from``..``date_to``, most often first (ties by name)."""
    if date_to < date_from:
        raise UsageError(f"结束日期早于开始日期 (the range ends {date_to} before it starts "
                         f"{date_from})")
    with db.read() as session:
        site_id = site_by_code(session, site).id if site is not None else None
        where_missing = [MissingMaterial.business_day >= date_from,
                         MissingMaterial.business_day <= date_to]
        where_cases = [Segment.business_day >= date_from, Segment.business_day <= date_to,
                       Segment.result == "finished",
                       Segment.outcome == Outcome.MATERIALS_MISSING.value]
        if site_id is not None:
            where_missing.append(MissingMaterial.site_id == site_id)
            where_cases.append(Segment.site_id == site_id)
        cases = (select(Segment.service_id.label("service_id"),
                        func.count().label("cases"))
                 .where(*where_cases).group_by(Segment.service_id).subquery("cases"))
        times = func.count(MissingMaterial.id)
        rows = session.execute(
            select(Service.code, Service.name, MissingMaterial.material, times.label("times"),
                   func.max(func.coalesce(cases.c.cases, 0)).label("cases"))
            .join(Service, Service.id == MissingMaterial.service_id)
            .outerjoin(cases, cases.c.service_id == MissingMaterial.service_id)
            .where(*where_missing)
            .group_by(Service.id, Service.code, Service.name, Service.sort_order,
                      MissingMaterial.material)
            .order_by(Service.sort_order, Service.id, times.desc(), MissingMaterial.material)
        ).all()
        return [MaterialRank(r.code, r.name, r.material, int(r.times), int(r.cases))
                for r in rows]


def often_missing(session: Session, site_id: int, today: dt.date, *,
                  days: int = OFTEN_DAYS, min_count: int = OFTEN_MIN_COUNT,
                  top: int = OFTEN_TOP) -> dict[int, list[str]]:
    """Per service id, the materials the kiosk marks "常缺" (see OFTEN_*), most often
    lacking first; counted by the database, the few rows per service cut in Python."""
    times = func.count()
    rows = session.execute(
        select(MissingMaterial.service_id, MissingMaterial.material, times.label("times"))
        .where(and_(MissingMaterial.site_id == site_id,
                    MissingMaterial.business_day > today - dt.timedelta(days=days),
                    MissingMaterial.business_day <= today))
        .group_by(MissingMaterial.service_id, MissingMaterial.material)
        .having(times >= min_count)
        .order_by(MissingMaterial.service_id, times.desc(), MissingMaterial.material)).all()
    marked: dict[int, list[str]] = {}
    for row in rows:
        chosen = marked.setdefault(int(row.service_id), [])
        if len(chosen) < top:
            chosen.append(str(row.material))
    return marked

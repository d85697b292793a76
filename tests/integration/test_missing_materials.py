"""Closing the 一次性告知 loop: the materials ticked missing when a case ends 材料不全 are
stored with the finish, ranked per service by the database, and the most often forgotten
are marked "常缺" in the kiosk's guide (hand-counted expectations)."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select, text

from shared import issuing, materials, queue
from shared.db import Database
from shared.errors import UsageError
from shared.models import MissingMaterial, TicketEvent
from shared.read.kiosk_view import service_guides
from shared.states import Outcome
from tests.integration.conftest import execute_sql, local_now

SITE = "hall"
LACKING = Outcome.MATERIALS_MISSING.value


def serving(db: Database, service: str, window: int) -> int:
    ticket = issuing.issue_ticket(db, service, site=SITE).ticket
    queue.call_number(db, ticket.number, window, site=SITE)
    queue.start(db, ticket.id, site=SITE)
    return ticket.id


def rows(db: Database) -> list[tuple[int, str]]:
    with db.read() as session:
        return [tuple(r) for r in session.execute(  # type: ignore[misc]
            select(MissingMaterial.ticket_id, MissingMaterial.material)
            .order_by(MissingMaterial.id))]


@pytest.mark.all_backends
def test_finishing_lacking_records_each_ticked_material_once(db: Database) -> None:
    first = serving(db, "SA", 2)
    queue.finish(db, first, site=SITE, outcome=LACKING, missing=["申请表", " 身份证原件", "申请表"])
    # In the catalog's order, once each; the finish event says what was lacking.
    assert rows(db) == [(first, "身份证原件"), (first, "申请表")]
    with db.read() as session:
        detail = session.scalar(select(TicketEvent.detail).where(
            TicketEvent.ticket_id == first, TicketEvent.action == "finish"))
    assert detail["missing"] == ["身份证原件", "申请表"]
    # Finishing the next while calling carries the ticks in the same transaction.
    second = serving(db, "SA", 2)
    issuing.issue_ticket(db, "SA", site=SITE)
    result = queue.call_next(db, 2, site=SITE, finish_outcome=Outcome.MATERIALS_MISSING,
                             finish_missing=["申请表"])
    assert result.finished is not None and result.finished.id == second
    assert rows(db)[-1] == (second, "申请表")


@pytest.mark.all_backends
@pytest.mark.parametrize(("outcome", "missing", "message"), [
    ("completed", ["申请表"], "materials-missing"),
    (LACKING, ["户口簿"], "户口簿"),  # a material of another service
])
def test_ticks_that_do_not_fit_are_refused_and_nothing_is_written(
        db: Database, outcome: str, missing: list[str], message: str) -> None:
    ticket = serving(db, "SA", 2)
    with pytest.raises(UsageError, match=message):
        queue.finish(db, ticket, site=SITE, outcome=outcome, missing=missing)
    assert rows(db) == []
    assert queue.finish(db, ticket, site=SITE, outcome=LACKING).state == "finished"


@pytest.mark.all_backends
def test_ranking_per_service_and_the_kiosk_mark(db: Database) -> None:
    """甲业务 (SA): four 材料不全 cases lacking 申请表, 申请表, both, nothing ticked;
    乙业务 (SB): one lacking 户口簿. 申请表 lacked 3 times of 4 reaches the kiosk's
    threshold (3 in 90 days); 身份证原件 (1) and 户口簿 (1) do not."""
    for ticks in (["申请表"], ["申请表"], ["身份证原件", "申请表"], []):
        queue.finish(db, serving(db, "SA", 2), site=SITE, outcome=LACKING, missing=ticks)
    queue.finish(db, serving(db, "SB", 3), site=SITE, outcome=LACKING, missing=["户口簿"])
    queue.finish(db, serving(db, "SA", 2), site=SITE)  # 办结: not a 材料不全 case
    today = local_now_for(db)
    ranked = [(r.service, r.material, r.times, r.cases, r.share)
              for r in materials.ranking(db, today, today, site=SITE)]
    assert ranked == [("SA", "申请表", 3, 4, 0.75), ("SA", "身份证原件", 1, 4, 0.25),
                      ("SB", "户口簿", 1, 1, 1.0)]
    assert materials.ranking(db, today + dt.timedelta(days=1), today + dt.timedelta(days=2),
                             site=SITE) == []
    guides = service_guides(db, site=SITE)
    assert guides["SA"].often_missing == ("申请表",)
    assert guides["SB"].often_missing == ()
    # Lacks older than 90 days no longer mark it.
    execute_sql(db, "UPDATE missing_material SET business_day = :day",
                day=today - dt.timedelta(days=90))
    assert service_guides(db, site=SITE)["SA"].often_missing == ()
    with db.read() as session:
        assert session.scalar(select(func.count()).select_from(MissingMaterial)) == 5


def local_now_for(db: Database) -> dt.date:
    """Today at the test site (its time zone is the catalog's)."""
    with db.read() as session:
        zone = session.execute(text("SELECT timezone FROM site WHERE code = 'hall'")).scalar()
    return local_now(str(zone)).date()

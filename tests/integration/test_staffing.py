"""The staffing plan's history query and plan on a real database, on every backend
(shared/staffing.py). History: one Monday (2026-02-23) of the test catalog's hall
(Asia/Shanghai), tickets moved to known local times."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select, update

from shared import issuing, queue
from shared.db import Database
from shared.models import Segment, Service, Site, Ticket
from shared.prediction import NO_SHOW_MINUTES
from shared.staffing import history_demand, slot_label, staffing_plan, windows_needed

pytestmark = pytest.mark.all_backends
HISTORY_DAY = dt.date(2026, 2, 23)  # a Monday
PLAN_WEEK = dt.date(2026, 3, 2)


def build_history(db: Database) -> None:
    """SD: 4 arrivals at 09:05-09:20 local (three served in 5 min after a 1 min walk,
    one no-show), 1 at 14:40 (served in 5 min); SA: 2 at 09:10 (served in 10 min)."""
    plan = [("SD", 9, 5, 300), ("SD", 9, 10, 300), ("SD", 9, 15, 300), ("SD", 9, 20, None),
            ("SD", 14, 40, 300), ("SA", 9, 10, 600), ("SA", 9, 12, 600)]
    numbers = [issuing.issue_ticket(db, code, site="hall").ticket.number for code, *_ in plan]
    for number, (code, *_rest) in zip(numbers, plan, strict=True):
        window = 4 if code == "SD" else 2
        called = queue.call_next(db, window, site="hall").ticket
        assert called is not None and called.number == number
        if _rest[2] is None:
            queue.no_show(db, number, site="hall")
        else:
            queue.start(db, number, site="hall")
            queue.finish(db, number, site="hall")
    with db.engine.begin() as conn:
        for number, (_code, hour, minute, service_s) in zip(numbers, plan, strict=True):
            ticket_id = conn.execute(select(Ticket.id).where(Ticket.number == number)).scalar_one()
            queued = dt.datetime.combine(HISTORY_DAY, dt.time(hour, minute), tzinfo=dt.UTC) \
                - dt.timedelta(hours=8)
            called_at = queued + dt.timedelta(minutes=2)
            values = {"business_day": HISTORY_DAY, "weekday": 0, "queued_at": queued,
                      "called_at": called_at}
            if service_s is not None:
                values |= {"started_at": called_at + dt.timedelta(seconds=60),
                           "service_us": service_s * 1_000_000}
            conn.execute(update(Segment).where(Segment.ticket_id == ticket_id).values(**values))
            conn.execute(update(Ticket).where(Ticket.id == ticket_id)
                         .values(business_day=HISTORY_DAY))


def test_history_demand_per_service_weekday_and_half_hour(db: Database) -> None:
    build_history(db)
    # One SA stay of a green-channel ticket, one SD stay that began with a transfer.
    with db.engine.begin() as conn:
        first_of = {code: conn.execute(
            select(Segment.id).join(Service, Service.id == Segment.service_id)
            .where(Service.code == code).order_by(Segment.id)).scalars().first()
            for code in ("SA", "SD")}
        sa, sd = first_of["SA"], first_of["SD"]
        conn.execute(update(Segment).where(Segment.id == sa).values(kind="green"))
        conn.execute(update(Segment).where(Segment.id == sd).values(transferred=True))
    with db.read() as session:
        site_id = session.scalar(select(Site.id).where(Site.code == "hall"))
        demand = history_demand(session, site_id, HISTORY_DAY, HISTORY_DAY, 480)
    got = {(d.service, d.weekday, slot_label(d.slot)): d for d in demand}
    assert set(got) == {("SD", 0, "09:00-09:30"), ("SD", 0, "14:30-15:00"),
                        ("SA", 0, "09:00-09:30")}
    morning = got[("SD", 0, "09:00-09:30")]
    assert morning.arrivals == 4 and morning.no_show_share == pytest.approx(0.25)
    assert morning.handle_seconds == pytest.approx(0.75 * 360 + 0.25 * NO_SHOW_MINUTES * 60)
    assert got[("SA", 0, "09:00-09:30")].handle_seconds == pytest.approx(660)
    assert got[("SA", 0, "09:00-09:30")].green_share == pytest.approx(0.5)
    assert got[("SA", 0, "09:00-09:30")].transfer_share == 0
    assert morning.transfer_share == pytest.approx(0.25) and morning.green_share == 0
    with pytest.raises(ValueError, match="before it starts"):
        history_demand(session, site_id, HISTORY_DAY, HISTORY_DAY - dt.timedelta(days=1), 480)


def test_plan_finds_the_windows_and_the_shortfall(db: Database) -> None:
    build_history(db)
    plan = staffing_plan(db, PLAN_WEEK, site="hall", history_weeks=4)
    cells = {(c.service, slot_label(c.slot)): c for c in plan.cells}
    sd = cells[("SD", "09:00-09:30")]
    assert sd.day == PLAN_WEEK and sd.arrivals_per_hour == 8
    assert sd.windows == windows_needed(8, sd.handle_minutes * 60, 15 * 60) == 2
    assert sd.serving_windows == 1 and sd.short  # only window 4 serves SD
    assert sd.service_level >= 0.8
    afternoon = cells[("SD", "14:30-15:00")]
    assert afternoon.windows == 1 and not afternoon.short
    assert cells[("SA", "09:00-09:30")].serving_windows == 2
    assert plan.erlang_window_hours() == pytest.approx(sum(c.windows for c in plan.cells) / 2)
    # The proposed windows, checked by simulation: every half-hour with citizens has a
    # window for each of their services, and every cell meets the goal on the check's
    # simulated citizens.
    assert plan.runs > 0 and plan.unmet == 0
    assert plan.window_hours() == pytest.approx(sum(len(o) for o in plan.opening.values()) / 2)
    for cell in plan.cells:
        opened = plan.opening[(cell.day, cell.slot)]
        assert any(cell.service in weights for weights in opened.values())
        assert cell.simulated_level is not None and cell.simulated_level >= plan.goal
    data = plan.to_json()
    assert data["shortfalls"] == 1 and data["half_hours"][0]["windows"]
    assert data["cells"][0]["simulated_level"] is not None
    with pytest.raises(ValueError, match="not a Monday"):
        staffing_plan(db, PLAN_WEEK + dt.timedelta(days=1), site="hall")
    empty = staffing_plan(db, PLAN_WEEK + dt.timedelta(weeks=8), site="hall")
    assert empty.cells == []


def test_a_service_closed_at_that_time_gets_no_windows(db: Database) -> None:
    # SD history also has a Saturday stay (a transfer in, say) at 10:10; SD opens on
    # weekends in the test catalog, so at first the plan staffs that Saturday half-hour.
    build_history(db)
    saturday = HISTORY_DAY + dt.timedelta(days=5)
    with db.engine.begin() as conn:
        sd_stay = conn.execute(
            select(Segment.id).join(Service, Service.id == Segment.service_id)
            .where(Service.code == "SD").order_by(Segment.id)).scalars().first()
        conn.execute(update(Segment).where(Segment.id == sd_stay).values(
            business_day=saturday, weekday=5, transferred=True,
            queued_at=dt.datetime.combine(saturday, dt.time(2, 10), tzinfo=dt.UTC)))

    def sd_slots() -> set[tuple[dt.date, str]]:
        plan = staffing_plan(db, PLAN_WEEK, site="hall", runs=2)
        return {(c.day, slot_label(c.slot)) for c in plan.cells if c.service == "SD"}

    plan_saturday = PLAN_WEEK + dt.timedelta(days=5)
    assert (plan_saturday, "10:00-10:30") in sd_slots()
    # Closed on weekends, and on Mondays only in the morning: no windows then.
    with db.engine.begin() as conn:
        conn.execute(update(Service).where(Service.code == "SD").values(
            weekend=False, hours={"mon": ["08:30-12:00"]}))
    assert sd_slots() == {(PLAN_WEEK, "09:00-09:30")}


def test_booked_appointments_of_the_week_are_planned_for(db: Database) -> None:
    # No history at 10:00-10:30, but 7 citizens booked SA then on the planned Monday and
    # one booked SD in the 09:00 half-hour (fewer than SD's walk-ins there), one cancelled.
    from shared.appointments import add_appointment, cancel_appointment

    build_history(db)
    for i in range(7):
        add_appointment(db, code=f"YY{i:03d}", service="SA", day=PLAN_WEEK,
                        slot="10:00-10:30", site="hall")
    add_appointment(db, code="YYSD1", service="SD", day=PLAN_WEEK, slot="09:00-09:30",
                    site="hall")
    add_appointment(db, code="YYGONE", service="SA", day=PLAN_WEEK, slot="10:30-11:00",
                    site="hall")
    cancel_appointment(db, "YYGONE")
    plan = staffing_plan(db, PLAN_WEEK, site="hall", runs=4)
    cells = {(c.service, slot_label(c.slot)): c for c in plan.cells}
    booked = cells[("SA", "10:00-10:30")]
    assert (booked.booked, booked.arrivals_per_hour, booked.appointment_share) == (7, 14, 1.0)
    assert booked.handle_minutes == pytest.approx(11.0)  # SA's own, pooled over the history
    assert booked.windows >= 1 and booked.simulated_level is not None
    assert any("SA" in ws for ws in plan.opening[(PLAN_WEEK, booked.slot)].values())
    assert ("SA", "10:30-11:00") not in cells  # cancelled bookings are not planned for
    # SD at 09:00: 4 walk-ins and 1 booking: 5 an hour's worth of half-hour, the booking due.
    sd = cells[("SD", "09:00-09:30")]
    assert sd.booked == 1 and sd.arrivals_per_hour == pytest.approx(10)
    assert sd.appointment_share == pytest.approx(0.2)
    # The history's own appointment share: an appointment ticket's stay counts as such.
    with db.engine.begin() as conn:
        first_sa = conn.execute(
            select(Segment.id).join(Service, Service.id == Segment.service_id)
            .where(Service.code == "SA").order_by(Segment.id)).scalars().first()
        conn.execute(update(Segment).where(Segment.id == first_sa).values(kind="appointment"))
    again = {(c.service, slot_label(c.slot)): c
             for c in staffing_plan(db, PLAN_WEEK, site="hall", runs=0).cells}
    assert again[("SA", "09:00-09:30")].appointment_share == pytest.approx(0.5)
    assert again[("SA", "09:00-09:30")].booked == 0

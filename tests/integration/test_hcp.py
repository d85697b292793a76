"""好差评 bound to the case and sent to the province (shared/hcp.py, docs/evaluation.md):
case numbers at finish, one rating per case with its record written in the same
transaction, the export in the provincial field set, and the push against a real local
HTTP endpoint that accepts, refuses, times out, answers 500 and drops the connection."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import time
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select, update

from shared import evaluations, hcp, issuing, queue
from shared.catalog import load_catalog
from shared.config import HcpConfig
from shared.db import Database, server_now
from shared.errors import ConfigError, IllegalTransition, NotFound, UsageError
from shared.models import Evaluation, FollowUp, HcpOutbox, Segment, TicketCase
from tests.fake_province import FakeProvince, closed_port_url, fake_province
from tests.integration.conftest import (
    TEST_CATALOG_TEXT,
    noon_zone,
    replace_once,
    with_timezone,
    write_catalog,
)

REGION = "330127000000"
DEPARTMENT_CODE = "11330127002550133X"
ITEM = "330127001000"


def hcp_catalog(zone: str) -> str:
    """The test catalog with the provincial codes: service SA needs a case number."""
    text = replace_once(TEST_CATALOG_TEXT, 'code = "dep1"\nname = "一号部门"\n',
                        f'code = "dep1"\nname = "一号部门"\ndepartment_code = "{DEPARTMENT_CODE}"\n')
    text = replace_once(text, 'code = "SA"\nname = "甲业务"\n',
                        f'code = "SA"\nname = "甲业务"\nitem_code = "{ITEM}"\n'
                        f'item_version = "2.0"\ncase_number_required = true\n')
    text = replace_once(text, 'name = "测试服务中心"\n',
                        f'name = "测试服务中心"\nregion_code = "{REGION}"\n')
    return with_timezone(text, zone)


@pytest.fixture
def zone() -> str:
    return noon_zone()


@pytest.fixture
def hall(empty_db: Database, tmp_path: Path, zone: str) -> Database:
    load_catalog(empty_db, write_catalog(tmp_path, hcp_catalog(zone)))
    return empty_db


def serve(db: Database, service: str = "SA", window: int = 2) -> str:
    issuing.issue_ticket(db, service, site="hall")
    called = queue.call_next(db, window, site="hall").ticket
    assert called is not None
    queue.start(db, called.number, site="hall")
    return called.number


def outbox(db: Database) -> list[HcpOutbox]:
    with db.read() as session:
        rows = list(session.scalars(select(HcpOutbox).order_by(HcpOutbox.id)))
        session.expunge_all()
        return rows


def settings(url: str, **changes: object) -> HcpConfig:
    config = HcpConfig(url=url, settle_seconds=0, timeout_seconds=1, retry_base_seconds=30,
                       retry_max_seconds=3600)
    for key, value in changes.items():
        setattr(config, key, value)
    return config


# --------------------------------------------------------------------------- cases


@pytest.mark.all_backends
def test_each_case_is_rated_on_its_own_with_its_record(hall: Database, zone: str) -> None:
    number = serve(hall)
    ticket = queue.finish(hall, number, site="hall", cases=[" BJ2026-0001 ", "BJ2026-0002"])
    assert hcp.ticket_cases(hall, ticket.id) == ["BJ2026-0001", "BJ2026-0002"]

    assert evaluations.record_evaluation(hall, ticket.id, 1, case_no="BJ2026-0001") is None
    follow_up = evaluations.record_evaluation(hall, ticket.id, 4, case_no="BJ2026-0002")
    assert follow_up is not None
    with pytest.raises(IllegalTransition):
        evaluations.record_evaluation(hall, ticket.id, 2, case_no="BJ2026-0001")
    with pytest.raises(UsageError):  # a ticket with cases is rated per case
        evaluations.record_evaluation(hall, ticket.id, 2)
    with pytest.raises(NotFound):
        evaluations.record_evaluation(hall, ticket.id, 2, case_no="BJ2026-0003")
    evaluations.add_comment(hall, ticket.id, "等候时间太长", "13800001111", case_no="BJ2026-0002")

    with hall.read() as session:
        cases = {c.case_no: c for c in session.scalars(select(TicketCase))}
        rows = list(session.scalars(select(Evaluation).order_by(Evaluation.id)))
        rating = session.scalar(select(Segment.rating).where(Segment.ticket_id == ticket.id,
                                                             Segment.result == "finished"))
        opened = session.scalar(select(FollowUp.evaluation_id))
        session.expunge_all()
    assert [(r.case_id, r.level, r.item_code) for r in rows] == [
        (cases["BJ2026-0001"].id, 1, ITEM), (cases["BJ2026-0002"].id, 4, ITEM)]
    assert all(c.item_code == ITEM and c.outcome == "completed" for c in cases.values())
    assert rows[0].window_id == rows[1].window_id == cases["BJ2026-0001"].window_id is not None
    assert opened == rows[1].id
    assert rating == 4  # the stay carries the worst of its cases' ratings

    records = outbox(hall)
    assert [r.evaluation_id for r in records] == [rows[0].id, rows[1].id]
    assert len({r.record_id for r in records}) == 2
    first, second = (r.payload for r in records)
    local = rows[0].at.astimezone(ZoneInfo(zone)).strftime("%Y-%m-%d %H:%M:%S")
    assert first == {
        "record_id": records[0].record_id, "channel": "PJQ", "case_no": "BJ2026-0001",
        "case_name": "甲业务", "item_code": ITEM, "service_code": "SA", "service_name": "甲业务",
        "service_version": "2.0", "department_name": "一号部门",
        "department_code": DEPARTMENT_CODE, "region_code": REGION, "handle_state": "办结",
        "outcome": "completed", "level": 5, "level_label": "非常满意", "evaluate_time": local,
        "content": "", "clerk_login": "", "clerk_name": "", "clerk_info": "", "window": 2,
        "site": "hall", "ticket": number, "applicant_name": "", "applicant_phone": "",
        "applicant_card": "", "version": 1}
    # 不满意 is 2 on the provinces' scale; the reasons given afterwards went with it.
    assert (second["level"], second["content"], second["applicant_phone"]) == (
        2, "等候时间太长", "13800001111")


@pytest.mark.all_backends
def test_a_service_requiring_case_numbers_refuses_to_end_without(hall: Database) -> None:
    number = serve(hall)
    for outcome in ("completed", "accepted"):
        with pytest.raises(UsageError, match="case number"):
            queue.finish(hall, number, site="hall", outcome=outcome)
    with pytest.raises(UsageError, match="case number"):  # nor by calling the next one
        queue.call_next(hall, 2, site="hall")
    with pytest.raises(UsageError, match="case number"):
        queue.finish(hall, number, site="hall", cases=["no spaces allowed"])
    # A consultation has no case; the ticket is rated as a whole, as before.
    ticket = queue.finish(hall, number, site="hall", outcome="consultation")
    evaluations.record_evaluation(hall, ticket.id, 2)
    with pytest.raises(IllegalTransition):
        evaluations.record_evaluation(hall, ticket.id, 2)
    with pytest.raises(NotFound):
        evaluations.record_evaluation(hall, ticket.id, 2, case_no="BJ2026-0001")
    (record,) = outbox(hall)
    assert (record.payload["case_no"], record.payload["handle_state"],
            record.payload["level"]) == ("", "咨询", 4)


def test_finishing_while_calling_the_next_records_the_cases(hall: Database) -> None:
    number = serve(hall)
    issuing.issue_ticket(hall, "SA", site="hall")
    result = queue.call_next(hall, 2, site="hall", finish_cases=["BJ2026-0009"])
    assert result.finished is not None and result.finished.number == number
    assert hcp.ticket_cases(hall, result.finished.id) == ["BJ2026-0009"]


def test_a_rating_without_a_level_has_no_record(hall: Database) -> None:
    ticket = queue.finish(hall, serve(hall, "SB", 1), site="hall")
    evaluations.record_evaluation(hall, ticket.id, None)
    assert outbox(hall) == []


# --------------------------------------------------------------------------- export


def _rated(hall: Database, level: int, case_no: str) -> int:
    ticket = queue.finish(hall, serve(hall), site="hall", cases=[case_no])
    evaluations.record_evaluation(hall, ticket.id, level, case_no=case_no)
    return ticket.id


@pytest.mark.all_backends
def test_export_maps_the_records_to_the_provincial_fields(hall: Database, zone: str) -> None:
    _rated(hall, 1, "BJ2026-0001")
    _rated(hall, 5, "BJ2026-0002")
    today = dt.datetime.now(ZoneInfo(zone)).date()
    records = hcp.export_records(hall, today, today, site="hall")
    assert [r["case_no"] for r in records] == ["BJ2026-0001", "BJ2026-0002"]
    assert [r["record_id"] for r in records] == [r.record_id for r in outbox(hall)]
    assert hcp.export_records(hall, today + dt.timedelta(days=1),
                              today + dt.timedelta(days=3)) == []

    mapped = json.loads(hcp.render(records, hcp.field_mapping(None), "json"))
    assert mapped[1] == {
        "evaluateChannel": "PJQ", "projNo": "BJ2026-0002", "projName": "甲业务",
        "serviceCode": ITEM, "serviceName": "甲业务", "serviceVersion": "2.0",
        "serviceDepartment": "一号部门", "serviceDepartmentCode": DEPARTMENT_CODE,
        "regionCode": REGION, "handleState": "办结", "evaluateLevel": 1,
        "evaluateTime": records[1]["evaluate_time"], "version": "1.0"}  # no applicant given

    # A province with other names and codes: its own template and value tables.
    custom = HcpConfig(fields={"pjqd": "=1", "bjbh": "case_no", "myd": "level",
                               "blzt": "handle_state", "sjhm": "applicant_phone"},
                       values={"blzt": {"办结": "2", "受理": "1"}})
    text = hcp.render(records, hcp.field_mapping(custom), "csv")
    assert text.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text[1:])))
    assert rows == [{"pjqd": "1", "bjbh": "BJ2026-0001", "myd": "5", "blzt": "2", "sjhm": ""},
                    {"pjqd": "1", "bjbh": "BJ2026-0002", "myd": "1", "blzt": "2", "sjhm": ""}]


def test_a_wrong_mapping_is_named() -> None:
    with pytest.raises(ConfigError, match=r"hcp\.fields\.projNo: 'case_number' is not"):
        hcp.field_mapping(HcpConfig(fields={"projNo": "case_number"}))
    with pytest.raises(ConfigError, match=r"hcp\.values\.state: no such field"):
        hcp.field_mapping(HcpConfig(values={"state": {"办结": "2"}}))


# --------------------------------------------------------------------------- push


def _due_now(db: Database) -> None:
    """Let the back-off pass (as if its wait were over)."""
    def op(session: object) -> None:
        now = server_now(session)  # type: ignore[arg-type]
        session.execute(update(HcpOutbox).values(  # type: ignore[attr-defined]
            next_attempt_at=now - dt.timedelta(seconds=1)))
    db.write(op)


@pytest.mark.all_backends
def test_push_sends_each_record_once(hall: Database) -> None:
    _rated(hall, 1, "BJ2026-0001")
    _rated(hall, 2, "BJ2026-0002")
    with fake_province() as province:
        report = hcp.push_once(hall, settings(province.url))
        assert report.as_dict() == {"sent": 2, "retrying": 0, "refused": 0}
        assert hcp.push_once(hall, settings(province.url)).sent == 0  # nothing twice
        _due_now(hall)
        assert hcp.push_once(hall, settings(province.url)).sent == 0
    records = outbox(hall)
    assert province.keys() == [r.record_id for r in records]
    assert [province.stored[r.record_id]["projNo"] for r in records] == [
        "BJ2026-0001", "BJ2026-0002"]
    assert all(r.state == "sent" and r.attempts == 1 and r.sent_at for r in records)
    status = hcp.outbox_status(hall, site="hall")
    assert (status.pending, status.failing, status.refused, status.sent) == (0, 0, 0, 2)


@pytest.mark.all_backends
def test_push_retries_500_and_dropped_connections_with_back_off(hall: Database) -> None:
    _rated(hall, 1, "BJ2026-0001")
    with fake_province() as province:
        province.script = [500, "drop", "ok"]
        assert hcp.push_once(hall, settings(province.url)).retrying == 1
        (record,) = outbox(hall)
        with hall.read() as session:
            now = server_now(session)
        assert record.state == "pending" and record.attempts == 1
        assert record.last_error.startswith("HTTP 500")
        assert dt.timedelta(seconds=25) < record.next_attempt_at - now <= dt.timedelta(seconds=30)
        assert hcp.push_once(hall, settings(province.url)).as_dict()["retrying"] == 0  # waits
        status = hcp.outbox_status(hall)
        assert (status.pending, status.failing) == (1, 1)
        assert status.last_error.startswith("HTTP 500")

        _due_now(hall)
        # The province stores it, then the connection drops before its answer.
        assert hcp.push_once(hall, settings(province.url)).retrying == 1
        (record,) = outbox(hall)
        with hall.read() as session:
            now = server_now(session)
        assert record.attempts == 2 and "connection" in record.last_error
        assert dt.timedelta(seconds=55) < record.next_attempt_at - now <= dt.timedelta(seconds=60)

        _due_now(hall)
        assert hcp.push_once(hall, settings(province.url)).sent == 1
    # Three attempts under one key; the province kept one record.
    assert province.keys() == [record.record_id] * 3
    assert list(province.stored) == [record.record_id]
    assert outbox(hall)[0].state == "sent"


def test_push_gives_up_on_an_attempt_after_the_timeout(hall: Database) -> None:
    _rated(hall, 1, "BJ2026-0001")
    with fake_province() as province:
        province.script = ["hang"]
        began = time.monotonic()
        assert hcp.push_once(hall, settings(province.url, timeout_seconds=1)).retrying == 1
        assert time.monotonic() - began < 3
        province.release()
    (record,) = outbox(hall)
    assert (record.state, record.last_error) == ("pending", "no answer within 1 s")
    assert hcp.error_words(record.last_error) == "省级系统 1 秒内未应答，将自动重试"


def test_a_refusal_is_not_retried_until_asked(hall: Database) -> None:
    _rated(hall, 1, "BJ2026-0001")
    with fake_province() as province:
        province.script = ["refuse"]
        assert hcp.push_once(hall, settings(province.url)).refused == 1
        _due_now(hall)
        assert hcp.push_once(hall, settings(province.url)).refused == 0
        status = hcp.outbox_status(hall)
        assert (status.pending, status.refused) == (0, 1)
        assert "HTTP 400 refused" in status.last_error and "regionCode" in status.last_error
        assert hcp.retry_refused(hall) == 1
        assert hcp.push_once(hall, settings(province.url)).sent == 1
    assert len(province.keys()) == 2 and len(province.stored) == 1


def test_an_unreachable_province_is_retried(hall: Database) -> None:
    _rated(hall, 1, "BJ2026-0001")
    assert hcp.push_once(hall, settings(closed_port_url())).retrying == 1
    (record,) = outbox(hall)
    assert record.state == "pending" and record.last_error.startswith("cannot connect")
    assert hcp.error_words(record.last_error) == "连接不上省级系统，将自动重试"


def test_records_wait_for_the_reasons_to_settle(hall: Database) -> None:
    _rated(hall, 4, "BJ2026-0001")
    with fake_province() as province:
        assert hcp.push_once(hall, settings(province.url, settle_seconds=600)).sent == 0
        assert province.keys() == []
    with pytest.raises(ConfigError, match=r"hcp\.url"):
        hcp.push_once(hall, settings(""))


def test_the_fake_province_really_listens(hall: Database) -> None:
    """The fake endpoint is a socket server: the same exchange through the sender."""
    with fake_province() as province:
        province.script = ["ok"]
        attempt = hcp.post_record(province.url, {"a": "甲"}, "key-1", timeout=2)
        assert attempt.sent and isinstance(province, FakeProvince)
        assert province.requests == [("key-1", {"a": "甲"})]


def test_privacy_purge_clears_the_citizens_details_from_old_records(hall: Database) -> None:
    from shared import privacy

    ticket = queue.finish(hall, serve(hall), site="hall", cases=["BJ2026-0001"])
    evaluations.record_evaluation(hall, ticket.id, 5, "态度不好", "13800001111",
                                  case_no="BJ2026-0001")
    fresh = queue.finish(hall, serve(hall), site="hall", cases=["BJ2026-0002"])
    evaluations.record_evaluation(hall, fresh.id, 4, "", "13900002222", case_no="BJ2026-0002")
    long_ago = dt.datetime.now(dt.UTC) - dt.timedelta(days=200)
    hall.write(lambda s: s.execute(update(HcpOutbox).where(HcpOutbox.id == min(
        r.id for r in outbox(hall))).values(created_at=long_ago)))
    privacy.purge(hall, 180)
    old, new = (r.payload for r in outbox(hall))
    assert (old["applicant_phone"], old["content"], old["level"]) == ("", "", 1)
    assert new["applicant_phone"] == "13900002222"


@pytest.mark.all_backends
def test_two_push_runs_never_take_the_same_record(hall: Database) -> None:
    _rated(hall, 1, "BJ2026-0001")
    (record,) = outbox(hall)
    lease = dt.timedelta(seconds=40)
    taken = hcp._claim(hall, record.id, lease)
    assert taken is not None and taken[0] == record.record_id
    assert hcp._claim(hall, record.id, lease) is None  # the other run skips it
    with fake_province() as province:
        assert hcp.push_once(hall, settings(province.url)).sent == 0  # held by the first
        assert province.keys() == []

"""``hallq-admin hcp`` and ``ticket finish --case`` (docs/cli.md, docs/evaluation.md): the
commands, their JSON and their refusals with exit 2."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from resources import resource_path
from shared import clerks, evaluations, issuing, queue
from shared.db import Database
from tests.cli.conftest import Run
from tests.fake_province import fake_province
from tests.integration.conftest import replace_once, write_catalog
from tests.integration.test_hcp import ITEM, hcp_catalog

UTC = "Etc/UTC"


@pytest.fixture
def hall(empty_db: Database, tmp_path: Path, admin: Run) -> Database:
    loaded = admin("catalog", "load", str(write_catalog(tmp_path, hcp_catalog(UTC))))
    assert loaded.code == 0, loaded.err
    return empty_db


def _config(tmp_path: Path, body: str) -> str:
    path = tmp_path / "hallqueue.toml"
    path.write_text(body, encoding="utf-8")
    return str(path)


def _rated_case(db: Database, admin: Run, case_no: str) -> None:
    issuing.issue_ticket(db, "SA", site="hall")
    called = queue.call_next(db, 2, site="hall").ticket
    assert called is not None
    queue.start(db, called.number, site="hall")
    finished = admin("ticket", "finish", called.number, "--site", "hall", "--case", case_no,
                     "--json")
    assert finished.code == 0, finished.err
    evaluations.record_evaluation(db, finished.json["ticket"]["id"], 1, case_no=case_no)


def test_finish_needs_the_case_number_the_service_requires(hall: Database, admin: Run) -> None:
    issuing.issue_ticket(hall, "SA", site="hall")
    called = queue.call_next(hall, 2, site="hall").ticket
    assert called is not None
    queue.start(hall, called.number, site="hall")
    refused = admin("ticket", "finish", called.number, "--site", "hall")
    assert refused.code == 2 and "办件编号" in refused.err
    bad = admin("ticket", "finish", called.number, "--site", "hall", "--case", "办件 1")
    assert bad.code == 2 and "办件 1" in bad.err
    assert admin("ticket", "finish", called.number, "--site", "hall", "--case", "BJ0001", "--case",
                 "BJ0002").code == 0


def test_push_once_status_and_export(hall: Database, admin: Run, tmp_path: Path) -> None:
    _rated_case(hall, admin, "BJ0001")
    status = admin("hcp", "status", "--json")
    assert status.code == 0
    assert status.json["status"] | {"oldest_pending": None} == {
        "pending": 1, "failing": 0, "refused": 0, "sent": 0, "oldest_pending": None,
        "last_error": ""}

    no_url = admin("hcp", "push", "--once")
    assert no_url.code == 2 and "hcp.url" in no_url.err

    with fake_province() as province:
        config = _config(tmp_path, f'[hcp]\nurl = "{province.url}"\nsettle_seconds = 0\n')
        province.script = [500]
        failing = admin("--config", config, "hcp", "push", "--once", "--json")
        assert failing.code == 9, failing.err
        assert failing.json["push"] == {"sent": 0, "retrying": 1, "refused": 0}
        assert failing.json["status"]["failing"] == 1
        assert failing.json["status"]["last_error"].startswith("HTTP 500")

    out = tmp_path / "hcp.json"
    done = admin("hcp", "export", "--from", "2020-01-01", "--to", "2099-12-31", "--format",
                 "json", "--out", str(out))
    assert done.code == 0, done.err
    (record,) = json.loads(out.read_text(encoding="utf-8"))
    assert (record["projNo"], record["regionCode"], record["evaluateLevel"]) == (
        "BJ0001", "330127000000", 5)


CJK = re.compile(r"[\u3000-\u9fff\uff00-\uffef]")


@pytest.mark.parametrize(("script", "chinese", "english"), [
    ([500], "最近的错误：省级系统出错（HTTP 500），将自动重试",
     "provincial system error (HTTP 500), will retry"),
    (["refuse"], "最近的错误：省级系统拒收（HTTP 400），不再自动重试",
     "refused by the provincial system (HTTP 400), not retried"),
    (["drop"], "最近的错误：与省级系统的连接中断，将自动重试",
     "connection to the provincial system lost, will retry"),
])
def test_status_says_the_last_error_in_one_language(
        hall: Database, admin: Run, tmp_path: Path, script: list[object], chinese: str,
        english: str) -> None:
    """The stored error is the push's English detail (kept for --json and the log); the
    text output says what kind of failure it was in the language asked for."""
    _rated_case(hall, admin, "BJ0001")
    with fake_province() as province:
        config = _config(tmp_path, f'[hcp]\nurl = "{province.url}"\nsettle_seconds = 0\n')
        province.script = script
        assert admin("--config", config, "hcp", "push", "--once").code == 9
    # The detail, for scripts: the push's English words and the province's answer.
    detail = admin("hcp", "status", "--json").json["status"]["last_error"]
    assert re.match(r"HTTP 500: |HTTP 400 refused: |connection lost: ", detail), detail
    zh = admin("hcp", "status")
    assert zh.code == 0 and chinese in zh.out.splitlines()
    assert not re.search(r"[A-Za-z]", zh.out.replace("HTTP", "")), zh.out
    en = admin("--lang", "en", "hcp", "status")
    assert en.code == 0 and english in en.out and not CJK.search(en.out), en.out


def test_export_names_the_codes_the_shipped_catalog_lacks(empty_db: Database, admin: Run,
                                                         tmp_path: Path) -> None:
    """The shipped Chun'an catalog has 淳安县's region code and no department or item
    codes (the province assigns those): the export is written and its messages name, per
    catalog entry, the codes left empty and in how many records; not the region code."""
    assert admin("catalog", "load", str(resource_path("catalog", "chunan.toml"))).code == 0
    for level in (1, 4):
        issued = issuing.issue_ticket(empty_db, "CARD", site="chunan", after_hours=True)
        queue.call_number(empty_db, issued.ticket.number, 12, site="chunan")
        queue.start(empty_db, issued.ticket.id, site="chunan")
        queue.finish(empty_db, issued.ticket.id, site="chunan")
        evaluations.record_evaluation(empty_db, issued.ticket.id, level)
    out = tmp_path / "hcp.csv"
    done = admin("hcp", "export", "--from", "2020-01-01", "--to", "2099-12-31", "--format",
                 "csv", "--out", str(out))
    assert done.code == 0 and "已导出 2 条评价" in done.out
    lines = done.err.splitlines()
    assert len(lines) == 2, done.err
    assert lines[0].startswith("缺少代码 department_code：市民卡（2 条记录此项为空")
    assert lines[1].startswith("缺少代码 item_code：CARD 市民卡办理（2 条记录此项为空")
    assert "region_code" not in done.err
    head, first, _second = out.read_text(encoding="utf-8-sig").splitlines()
    row = dict(zip(head.split(","), first.split(","), strict=True))
    assert (row["regionCode"], row["serviceDepartmentCode"], row["serviceCode"]) == \
        ("330127000000", "", "")


def test_export_and_mapping_refusals_exit_2(hall: Database, admin: Run, tmp_path: Path) -> None:
    out = str(tmp_path / "x.csv")
    backwards = admin("hcp", "export", "--from", "2026-02-01", "--to", "2026-01-01",
                      "--format", "csv", "--out", out, "--lang", "en")
    assert backwards.code == 2 and "--to 2026-01-01 is before --from" in backwards.err
    config = _config(tmp_path, '[hcp.fields]\nprojNo = "case_number"\n')
    wrong = admin("--config", config, "hcp", "export", "--from", "2026-01-01", "--to",
                  "2026-01-02", "--format", "csv", "--out", out)
    assert wrong.code == 2 and "hcp.fields.projNo" in wrong.err
    unknown_site = admin("hcp", "status", "--site", "nowhere")
    assert unknown_site.code == 2


@pytest.mark.parametrize(("old", "new", "key"), [
    ('region_code = "330127000000"', 'region_code = "33012700"', "sites[0].region_code"),
    ('item_code = "330127001000"', 'item_code = "330 127"', "services[0].item_code"),
    ('department_code = "11330127002550133X"', 'department_code = "dep-1"',
     "departments[0].department_code"),
    ("case_number_required = true", 'case_number_required = "yes"',
     "services[0].case_number_required"),
])
def test_wrong_provincial_codes_in_the_catalog_exit_2(empty_db: Database, admin: Run,
                                                      tmp_path: Path, old: str, new: str,
                                                      key: str) -> None:
    wrong = write_catalog(tmp_path, replace_once(hcp_catalog(UTC), old, new))
    result = admin("catalog", "load", str(wrong))
    assert result.code == 2
    assert key in result.err, result.err


def test_push_as_a_service_runs_rounds_until_stopped(hall: Database, admin: Run, tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    from shared.cli import hcp_cmds

    _rated_case(hall, admin, "BJ0001")
    pauses: list[float] = []

    def pause(seconds: float) -> None:  # the service's idle wait; stopping it ends the run
        pauses.append(seconds)
        raise KeyboardInterrupt

    monkeypatch.setattr(hcp_cmds.time, "sleep", pause)
    with fake_province() as province:
        config = _config(tmp_path, f'[hcp]\nurl = "{province.url}"\nsettle_seconds = 0\n'
                                   f'poll_seconds = 7\n')
        result = admin("--config", config, "hcp", "push", "--json")
    assert result.code == 130, result.err  # stopped by Ctrl+C, as the exit table says
    assert result.json["push"] == {"sent": 1, "retrying": 0, "refused": 0}
    assert pauses == [7]  # a second round found nothing due and waited
    assert len(province.stored) == 1


@pytest.mark.parametrize("token", ["abc\r\nX-Evil: 1", "tok…en", "two words", "密钥abc"])
def test_a_token_no_header_can_carry_exits_2_without_showing_it(
        hall: Database, admin: Run, tmp_path: Path, log_file: Path, token: str) -> None:
    config = _config(tmp_path, '[hcp]\nurl = "https://hcp.example.gov.cn/rate"\ntoken = '
                     + json.dumps(token, ensure_ascii=False) + "\n")
    refused = admin("--config", config, "hcp", "push", "--once")
    assert refused.code == 2 and len(refused.err_lines) == 1, refused.err
    assert "hcp.token" in refused.err and "ASCII" in refused.err
    logged = log_file.read_text(encoding="utf-8")
    assert "hcp.token" in logged  # the refusal is logged, the token is not
    for part in {token, *token.split()} - {"1"}:
        assert part not in refused.err and part not in logged


@pytest.mark.parametrize("push_url", ["not a url", "ftp://hcp.example.gov.cn/rate", "https://",
                                 "http:///rate", "https://hcp.example.gov.cn:99999/rate"])
def test_a_push_url_that_is_no_http_url_exits_2(hall: Database, admin: Run, tmp_path: Path,
                                               push_url: str) -> None:
    config = _config(tmp_path, f'[hcp]\nurl = "{push_url}"\n')
    refused = admin("--config", config, "hcp", "push", "--once")
    assert refused.code == 2 and len(refused.err_lines) == 1, refused.err
    assert "hcp.url" in refused.err and "http" in refused.err


SHANGHAI = "Asia/Shanghai"


@pytest.fixture
def shanghai_hall(empty_db: Database, tmp_path: Path, admin: Run) -> Database:
    loaded = admin("catalog", "load", str(write_catalog(tmp_path, hcp_catalog(SHANGHAI))))
    assert loaded.code == 0, loaded.err
    clerks.add_clerk(empty_db, "chen", "陈主任", "chen-password-1", "supervisor")
    clerks.add_clerk(empty_db, "wang", "王芳", "wang-password-1", "clerk")
    clerks.login_at_window(empty_db, "wang", "wang-password-1", 2, site="hall")
    return empty_db


def test_case_numbers_and_local_deadlines_after_finish_with_cases(
        shanghai_hall: Database, admin: Run) -> None:
    """ticket show, evaluation list and followup show name the cases (issue 15, item 8);
    followup show gives the site's local times and deadlines as their last day (item 7)."""
    db, chen = shanghai_hall, ("--as", "chen", "--password-stdin")
    issuing.issue_ticket(db, "SA", site="hall")
    called = queue.call_next(db, 2, site="hall").ticket
    assert called is not None
    queue.start(db, called.number, site="hall")
    finished = admin("ticket", "finish", called.number, "--site", "hall", "--case", "BJ0001",
                     "--case", "BJ0002", "--json")
    assert finished.code == 0, finished.err
    ticket_id = finished.json["ticket"]["id"]
    evaluations.record_evaluation(db, ticket_id, 1, case_no="BJ0001")
    fid = evaluations.record_evaluation(db, ticket_id, 5, "太慢", case_no="BJ0002")
    assert fid is not None

    shown = admin("ticket", "show", called.number, "--site", "hall", "--json")
    assert shown.json["cases"] == ["BJ0001", "BJ0002"]
    assert "BJ0001, BJ0002" in admin("ticket", "show", called.number, "--site", "hall").out

    pw = "chen-password-1\n"
    listed = admin(*chen, "evaluation", "list", "--from", "2000-01-01", "--to", "2100-01-01",
                   "--json", stdin=pw).json["evaluations"]
    assert [(e["case_no"], e["item_code"], e["level"], e["clerk_login"], e["clerk_name"])
            for e in listed] == [("BJ0001", ITEM, 1, "wang", "王芳"),
                                 ("BJ0002", ITEM, 5, "wang", "王芳")]
    text = admin(*chen, "evaluation", "list", "--from", "2000-01-01", "--to", "2100-01-01",
                 stdin=pw).out.splitlines()
    assert [line.count(f"办件 BJ000{n}（事项 {ITEM}）") for n, line in enumerate(text, 1)] == [1, 1]
    (item,) = admin(*chen, "followup", "list", "--json", stdin=pw).json["follow_ups"]
    assert (item["cases"], item["clerk_login"], item["clerk_name"]) == \
        (["BJ0002"], "wang", "王芳")

    assert admin(*chen, "followup", "contact", str(fid), "--note", "已致电",
                 stdin=pw).code == 0
    detail = admin(*chen, "followup", "show", str(fid), "--json", stdin=pw).json["follow_up"]
    zone = ZoneInfo(SHANGHAI)
    due = {step: dt.datetime.fromisoformat(detail[f"{step}_due"]).astimezone(zone)
           for step in ("contact", "rectify")}
    # Due at the local midnight that ends the last day: that day is what people read.
    assert all(d.time() == dt.time() for d in due.values())
    days = {step: (d - dt.timedelta(days=1)).date() for step, d in due.items()}
    assert (detail["contact_due_day"], detail["rectify_due_day"]) == \
        (days["contact"].isoformat(), days["rectify"].isoformat())
    contacted = dt.datetime.fromisoformat(detail["contacted_at"]).astimezone(zone)
    out = admin(*chen, "followup", "show", str(fid), stdin=pw).out
    assert "办件编号：BJ0002" in out
    assert f"回访期限：{days['contact']} 当日  整改期限：{days['rectify']} 当日" in out
    assert f"回访 {contacted:%Y-%m-%d %H:%M} 陈主任: 已致电" in out
    english = admin("--lang", "en", *chen, "followup", "show", str(fid), stdin=pw).out
    assert f"by {days['contact']}" in english and "Case numbers: BJ0002" in english

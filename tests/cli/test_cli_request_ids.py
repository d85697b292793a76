"""``hallq-admin … --request-id KEY``: a script that lost the answer retries with the same
key and gets the first result (exit 0, the same ticket JSON) without a second ticket;
without a key the exit-5 line names the one the command made."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from shared.db import Database
from shared.read import hall_state
from tests.cli.conftest import Run
from tests.integration.conftest import snapshot
from tests.lost_answers import AnswerLoser


@pytest.fixture
def loser(db: Database) -> Iterator[AnswerLoser]:
    loser = AnswerLoser(db)
    yield loser
    loser.close()


def _numbers(db: Database) -> list[str]:
    return [t.number for t in hall_state.list_tickets(db, site="hall")]


@pytest.mark.all_backends
def test_issue_retried_with_its_request_id_after_a_lost_answer(
        admin: Run, db: Database, loser: AnswerLoser) -> None:
    issue = ("ticket", "issue", "SA", "--site", "hall", "--json", "--request-id", "kiosk3-0042")
    loser.lose_next_answer()
    lost = admin(*issue, database=loser.url)
    assert lost.code == 5
    assert len(lost.err_lines) == 1
    assert "无法连接数据库" in lost.err and "--request-id kiosk3-0042" in lost.err
    assert _numbers(db) == ["A001"]

    retried = admin(*issue, database=loser.url)
    assert retried.code == 0, retried.err
    shown = admin("ticket", "show", "A001", "--site", "hall", "--json")
    assert retried.json["ticket"] == shown.json["ticket"]
    assert retried.json["people_ahead"] == 0
    assert _numbers(db) == ["A001"]
    # Repeating once more is just as harmless.
    assert admin(*issue).json == retried.json


@pytest.mark.all_backends
def test_without_a_request_id_the_error_line_gives_the_one_made(
        admin: Run, db: Database, loser: AnswerLoser) -> None:
    admin("ticket", "issue", "SA", "--site", "hall")
    loser.lose_next_answer()
    lost = admin("ticket", "call-next", "--window", "1", "--site", "hall", "--json",
                 database=loser.url)
    assert lost.code == 5
    match = re.search(r"--request-id (\w+)", lost.err)
    assert match, lost.err
    retried = admin("ticket", "call-next", "--window", "1", "--site", "hall", "--json",
                    "--request-id", match.group(1))
    assert retried.code == 0, retried.err
    assert retried.json["ticket"]["number"] == "A001"
    assert retried.json["ticket"]["state"] == "called"


@pytest.mark.all_backends
def test_request_id_reused_for_another_command_is_refused(admin: Run, db: Database) -> None:
    assert admin("ticket", "issue", "SA", "--site", "hall", "--request-id", "k1").code == 0
    before = snapshot(db)
    refused = admin("ticket", "issue", "SB", "--site", "hall", "--request-id", "k1")
    assert refused.code == 2
    assert len(refused.err_lines) == 1 and "k1" in refused.err and "issue_ticket" in refused.err
    refused = admin("ticket", "call-next", "--window", "1", "--site", "hall",
                    "--request-id", "k1")
    assert refused.code == 2
    assert snapshot(db) == before


def test_invalid_request_id_is_a_usage_error(admin: Run, db: Database) -> None:
    before = snapshot(db)
    result = admin("ticket", "issue", "SA", "--site", "hall", "--request-id", "取号 1")
    assert result.code == 2
    assert len(result.err_lines) == 1 and "--request-id" in result.err
    assert snapshot(db) == before


def test_check_in_and_window_commands_take_a_request_id(admin: Run, db: Database) -> None:
    paused = admin("window", "pause", "2", "--reason", "午休", "--site", "hall", "--json",
                   "--request-id", "pause-2")
    again = admin("window", "pause", "2", "--reason", "午休", "--site", "hall", "--json",
                  "--request-id", "pause-2")
    assert paused.code == again.code == 0
    assert again.json == paused.json
    # Without the key, a second pause is refused as before.
    assert admin("window", "pause", "2", "--reason", "午休", "--site", "hall").code == 4

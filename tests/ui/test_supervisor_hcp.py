"""The supervisor's live view shows what the push to the provincial 好差评 system has not
sent: pending records quietly, failing or refused ones so that they stand out."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import update

from counter_app.supervisor.window import SupervisorWindow
from shared import evaluations, hcp, issuing, queue
from shared.catalog import load_catalog
from shared.config import HcpConfig
from shared.db import Database
from shared.models import HcpOutbox
from tests.fake_province import fake_province
from tests.integration.conftest import write_catalog
from tests.integration.test_hcp import hcp_catalog
from tests.ui.supervisor_support import SITE

pytest_plugins = ["tests.ui.supervisor_support"]
pytestmark = pytest.mark.usefixtures("bundled_font", "own_settings")


def test_live_view_shows_pending_and_failing_records(
        db: Database, qtbot: QtBot, tmp_path: Path,
        open_window: Callable[..., SupervisorWindow],
        screenshot: Callable[..., Path]) -> None:
    load_catalog(db, write_catalog(tmp_path, hcp_catalog("Asia/Shanghai")))
    for case_no in ("BJ0001", "BJ0002"):
        issuing.issue_ticket(db, "SA", site=SITE)
        called = queue.call_next(db, 2, site=SITE).ticket
        assert called is not None
        queue.start(db, called.number, site=SITE)
        ticket = queue.finish(db, called.number, site=SITE, cases=[case_no])
        evaluations.record_evaluation(db, ticket.id, 2, case_no=case_no)
    window = open_window(db)
    line = window.live.hcp_status
    qtbot.waitUntil(lambda: line.isVisible(), timeout=30_000)
    assert "待上报 2 条，其中失败重试 0 条；被拒 0 条" in line.text()
    assert "#FDECEA" not in line.styleSheet()  # waiting is not a failure

    with fake_province() as province:
        province.script = [500, "refuse"]
        hcp.push_once(db, HcpConfig(url=province.url, settle_seconds=0, timeout_seconds=2))
    window.refresh_live()
    qtbot.waitUntil(lambda: "被拒 1 条" in line.text(), timeout=30_000)
    assert "待上报 1 条，其中失败重试 1 条" in line.text()
    # the last failure's kind in Chinese, not the push's English detail
    assert re.search("（省级系统(出错（HTTP 500），将自动重试|拒收（HTTP 400），不再自动重试)）$",
                     line.text()), line.text()
    assert "#FDECEA" in line.styleSheet()
    screenshot(window, "supervisor-live-hcp")

    with fake_province() as province:
        hcp.retry_refused(db)
        # The failed one's back-off is over (its next attempt back at its creation).
        db.write(lambda s: s.execute(update(HcpOutbox).values(
            next_attempt_at=HcpOutbox.created_at)))
        hcp.push_once(db, HcpConfig(url=province.url, settle_seconds=0, timeout_seconds=2))
    window.refresh_live()
    qtbot.waitUntil(lambda: not line.isVisible(), timeout=30_000)

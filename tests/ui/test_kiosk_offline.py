"""The kiosk without its database: 暂停取号, then back by itself; and the county's real
catalog, department first."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy.engine import make_url

import kiosk_app.backend
import kiosk_app.presenter
from kiosk_app.main import build_kiosk
from kiosk_app.presenter import Screen
from shared.db import Database
from shared.demo import prepare_demo_database
from shared.errors import DatabaseUnavailable
from shared.read import hall_state
from tests.tcp_proxy import TcpProxy
from tests.ui.kiosk_support import PORTRAIT, kiosk_config, running_kiosk
from tests.ui.test_kiosk_flows import both_orientations


@pytest.mark.parametrize("empty_db_url", ["postgres"], indirect=True)
def test_database_down_pauses_and_resumes(qtbot: QtBot, db: Database, empty_db_url: str,
                                          screenshot) -> None:
    """When the database becomes unreachable the kiosk shows 暂停取号, and once it is back
    it returns to the start and issues again, by itself."""
    url = make_url(empty_db_url)
    proxy = TcpProxy(url.port or 5432, url.host or "127.0.0.1")
    proxied = url.set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False)
    try:
        with running_kiosk(qtbot, kiosk_config(proxied)) as kiosk:
            proxy.cut()
            kiosk.wait_screen(Screen.PAUSED)
            assert kiosk.window.paused_screen.title.text() == "暂停取号"
            both_orientations(kiosk, screenshot, "paused-offline")
            proxy.restore()
            kiosk.wait_screen(Screen.START, timeout=20_000)
            kiosk.tap(kiosk.card("service", "SB"))
            kiosk.wait_screen(Screen.GUIDE)
            kiosk.tap(kiosk.window.guide_screen.take_button)
            kiosk.wait_screen(Screen.RESULT)
    finally:
        proxy.close()
    assert [t.number for t in hall_state.list_tickets(db, site="hall")] == ["B001"]


def test_no_database_at_start_shows_the_pause(qtbot: QtBot) -> None:
    """A kiosk started while its database server is down waits on the pause screen."""
    config = kiosk_config("postgresql+psycopg://postgres@127.0.0.1:1/none")
    window, presenter, runner = build_kiosk(config)
    qtbot.addWidget(window)
    window.resize(*PORTRAIT)
    window.show()
    presenter.start()
    try:
        qtbot.waitUntil(lambda: runner.idle and presenter.screen is Screen.PAUSED
                        and window.paused_screen.title.text() == "暂停取号", timeout=15_000)
        assert not window.paused_screen.restart_button.isVisible()
    finally:
        window.shutdown()
        runner.wait_done()


def test_a_kiosk_shut_down_before_it_connected_starts_nothing(
        qtbot: QtBot, db: Database, empty_db_url: str) -> None:
    """The kiosk connects off the GUI thread and the answer starts its change feed and its
    heartbeat. Closed first, the kiosk used to start the feed on that late answer; the
    window's deletion then destroyed a running QThread, which Qt answers with abort()."""
    window, presenter, runner = build_kiosk(kiosk_config(empty_db_url))
    qtbot.addWidget(window)
    readied: list[object] = []
    presenter.on_ready = lambda backend, site: readied.append(site)
    presenter.start()
    window.shutdown()
    try:
        runner.wait_done()
        qtbot.waitUntil(lambda: runner.idle, timeout=10_000)  # the late answer delivered
        assert presenter.site is not None  # it did arrive, and started nothing
        assert window.feed is None and readied == []
    finally:
        if window.feed is not None:  # the old behaviour: end it before the window goes
            window.feed.stop()
        if presenter.backend is not None:
            presenter.backend.db.dispose()


def test_lost_answer_asks_to_start_over(qtbot: QtBot, db: Database, empty_db_url: str,
                                        monkeypatch: pytest.MonkeyPatch, screenshot) -> None:
    """An issue whose answer is lost shows the pause with a fresh start, which stops the
    asking again (tests/ui/test_kiosk_lost_answer.py has the asking itself)."""
    monkeypatch.setattr(kiosk_app.presenter, "ANSWER_RETRY_SECONDS", 600)  # not in this test
    calls: list[str] = []

    def lost(*args: object, **kwargs: object) -> None:
        calls.append("issue")
        raise DatabaseUnavailable("无法连接数据库 (database unreachable: reset by peer)")

    with running_kiosk(qtbot, kiosk_config(empty_db_url)) as kiosk:
        monkeypatch.setattr(kiosk_app.backend.issuing, "issue_ticket", lost)
        kiosk.tap(kiosk.card("service", "SA"))
        kiosk.wait_screen(Screen.GUIDE)
        kiosk.tap(kiosk.window.guide_screen.take_button)
        kiosk.wait_screen(Screen.PAUSED)
        assert kiosk.window.paused_screen.restart_button.isVisible()
        both_orientations(kiosk, screenshot, "paused-answer-lost")
        kiosk.tap(kiosk.window.paused_screen.restart_button)
        kiosk.wait_screen(Screen.START)
    assert calls == ["issue"]


def test_real_catalog_goes_department_first(qtbot: QtBot, tmp_path: Path, screenshot) -> None:
    """With the county's many services the kiosk asks for the department first, then
    the service, then shows its guide text and materials."""
    demo = prepare_demo_database(tmp_path / "demo.db")
    demo.dispose()
    config = kiosk_config(f"sqlite:///{tmp_path / 'demo.db'}")
    config.site = "chunan"
    with running_kiosk(qtbot, config) as kiosk:
        assert not kiosk.window.start_screen.flat
        both_orientations(kiosk, screenshot, "start-departments")
        kiosk.tap(kiosk.card("department", "公安"))
        kiosk.wait_screen(Screen.DEPARTMENT)
        both_orientations(kiosk, screenshot, "department")
        kiosk.tap(kiosk.card("service", "EXIT"))
        kiosk.wait_screen(Screen.GUIDE)
        assert "护照" in kiosk.window.guide_screen.guide.text()
        both_orientations(kiosk, screenshot, "guide-long")
        kiosk.tap(kiosk.window.guide_screen.back_button)
        kiosk.wait_screen(Screen.DEPARTMENT)

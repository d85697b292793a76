"""A morning at the Chun'an kiosk, tapped like citizens and the guide desk do: before
opening, a printer that comes back, a number with people ahead at the same windows, the
countdown and more time, voice guidance, one-button help, a reprint that fails."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot
from sqlalchemy import select, update

from kiosk_app.display.voice import TtsEngine, VoiceUnavailable, WavPlayer
from kiosk_app.presenter import Screen
from shared import issuing, queue
from shared.catalog import load_catalog
from shared.db import Database
from shared.help_requests import open_help_requests
from shared.models import HelpRequest, Service
from shared.read import hall_state
from testkit.fake_printer import FakePrinter
from tests.ui.kiosk_support import Kiosk, kiosk_config, running_kiosk
from tests.ui.opening import opens_in
from tests.ui.screen_audit import audit, format_problems

# Qt's speech module needs the system's sound libraries (libpulse); without them these
# tests skip and say so (tools/install-system-deps.sh installs them, and CI has them).
QTextToSpeech = pytest.importorskip(
    "PySide6.QtTextToSpeech", reason="Qt text-to-speech cannot load (libpulse0 missing?)",
    exc_type=ImportError).QTextToSpeech

CHUNAN = Path(__file__).resolve().parents[2] / "resources" / "catalog" / "chunan.toml"
KIOSK_NAME = "东侧 1 号取号机"


class RecordingSpeech(QTextToSpeech):
    """Qt's mock text-to-speech engine, remembering every text handed to it."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__("mock", parent)
        self.texts: list[str] = []

    def say(self, text: str) -> None:
        self.texts.append(text)
        super().say(text)


@pytest.fixture
def chunan(empty_db: Database) -> Database:
    load_catalog(empty_db, CHUNAN)
    with empty_db.engine.begin() as conn:  # every service, whatever day the test runs
        conn.execute(update(Service).values(weekend=True, holiday=True, hours={}))
    return empty_db


@pytest.fixture
def unplugged() -> Iterator[str]:
    """The URL of a printer that is not there (nothing listens on its port)."""
    printer = FakePrinter().start()
    url = printer.url
    printer.stop()
    yield url


def countdown_seconds(kiosk: Kiosk) -> int:
    bar = kiosk.window.countdown
    assert bar.isVisible(), "no countdown on a page that returns to the start"
    match = re.match(r"(\d+) 秒后自动返回首页", bar.text.text())
    assert match, bar.text.text()
    return int(match.group(1))


def test_a_morning_at_the_kiosk(qtbot: QtBot, chunan: Database, empty_db_url: str,
                                unplugged: str) -> None:
    opening = opens_in(chunan, "chunan", 30)
    # Two citizens took 不动产查询 numbers at the counter's kiosk: the same windows 1 and 2.
    config = kiosk_config(empty_db_url, printer=unplugged, name=KIOSK_NAME)
    config.site = "chunan"
    with FakePrinter() as good, running_kiosk(qtbot, config, (1366, 768)) as kiosk:
        window = kiosk.window
        kiosk.resize((1366, 768))
        window.printer_timer.setInterval(100)

        # 08:00: closed, and every department card says when it opens; the printer is
        # unplugged, and the start screen says so before anyone chooses.
        start = window.start_screen
        qtbot.waitUntil(lambda: start.printer_banner.isVisible(), timeout=5000)
        assert "打印机未连接" in start.printer_banner.text()
        assert "导服台" in start.printer_banner.text()
        for card in start.cards:
            assert card.status.text() == f"今天 {opening:%H:%M} 开始取号", card.title.text()
            assert not card.property("available")

        # Staff plug the printer in: the banner goes by itself.
        assert kiosk.presenter.backend is not None
        kiosk.presenter.backend.settings.printer = good.url
        qtbot.waitUntil(lambda: not start.printer_banner.isVisible(), timeout=5000)

        # The opening time passes: the minute clock re-reads the hours, nothing written.
        opens_in(chunan, "chunan", 0)
        issuing.issue_ticket(chunan, "RE-QUERY", site="chunan")
        issuing.issue_ticket(chunan, "RE-QUERY", site="chunan")
        window.clock.minute.emit()
        qtbot.waitUntil(lambda: kiosk.card("department", "不动产登记").property("available"),
                        timeout=5000)

        # A citizen turns voice guidance on and reads what to bring.
        speech = RecordingSpeech()
        chime = WavPlayer()
        window.voice.factory = lambda parent: TtsEngine(parent, speech=speech, chime=chime)
        kiosk.tap(window.header.voice_button)
        assert window.header.voice_button.isChecked()
        kiosk.tap(kiosk.card("department", "不动产登记"))
        kiosk.wait_screen(Screen.DEPARTMENT)
        kiosk.tap(kiosk.card("service", "RE-REG"))
        kiosk.wait_screen(Screen.GUIDE)
        # Before taking, the guide counts the people the number will have ahead: the
        # two 不动产查询 tickets the same windows call first, not 不动产登记's own (none).
        assert window.guide_screen.status.text().startswith("前面还有 2 人")
        qtbot.waitUntil(lambda: any("完税凭证" in t for t in speech.texts), timeout=10_000)
        read = speech.texts[-1]
        for expected in ("不动产登记", "请带齐以下材料", "1，申请人身份证原件",
                         "5，不动产登记申请书", "办理窗口：1、2 号窗口"):
            assert expected in read

        # The guide page counts down, long enough for five materials; one tap adds time.
        left = countdown_seconds(kiosk)
        assert left >= 20 + 5 * 6
        kiosk.tap(window.countdown.extend_button)
        assert countdown_seconds(kiosk) >= left + 55

        # The number: the two 不动产查询 tickets are called first by the same windows.
        kiosk.tap(window.guide_screen.take_button)
        kiosk.wait_screen(Screen.RESULT)
        result = window.result_screen
        assert result.number.text() == "A003"
        assert result.wait.text().startswith("前面还有 2 人")
        assert countdown_seconds(kiosk) > 0
        number_box = result.number.geometry()
        assert result.number.isVisible() and number_box.height() >= 150
        qtbot.waitUntil(lambda: any("A 0 0 3" in t for t in speech.texts), timeout=10_000)

        # Lost on the result page: one tap calls the guide desk.
        kiosk.tap(window.header.help_button)
        kiosk.wait_screen(Screen.NOTICE)
        assert window.notice_screen.title.text() == "已呼叫工作人员"
        [request] = open_help_requests(chunan, site="chunan")
        assert (request.terminal, request.screen) == (KIOSK_NAME, "result")
        kiosk.tap(window.notice_screen.back_button)
        kiosk.wait_screen(Screen.START)
        assert not window.header.voice_button.isChecked()  # the next citizen starts quiet

        # The guide desk comes, sees the request in staff mode and acknowledges it.
        kiosk.tap(start.staff_button)
        kiosk.wait_screen(Screen.PIN)
        kiosk.type_keys("2468", pin=True)
        kiosk.wait_screen(Screen.STAFF)
        shown = [w.text() for w in window.staff_screen.findChildren(QLabel)]
        assert any(KIOSK_NAME in text and "呼叫工作人员" in text for text in shown)
        kiosk.tap(kiosk.card("help_request", request.id))
        qtbot.waitUntil(lambda: not open_help_requests(chunan, site="chunan"), timeout=5000)
        with chunan.read() as session:
            row = session.scalars(select(HelpRequest)).one()
            assert row.acknowledged_at is not None
            assert row.acknowledged_by == f"导服台@{KIOSK_NAME}"
        qtbot.waitUntil(lambda: any("没有待处理的求助" in w.text() for w in
                                    window.staff_screen.findChildren(QLabel)), timeout=5000)

        # A slip to reprint, and the printer runs out of paper: staff stay in staff mode
        # and are told what to check, not sent to the guide desk (they are the desk).
        ticket = hall_state.get_ticket(chunan, "A003", site="chunan")
        queue.mark_print_failed(chunan, ticket.id, "paper jam")
        with FakePrinter.out_of_paper() as empty:
            kiosk.presenter.backend.settings.printer = empty.url
            kiosk.tap(kiosk.card("ticket", ticket.id))
            kiosk.wait_screen(Screen.NOTICE)
            notice = window.notice_screen
            assert notice.title.text() == "补打失败"
            assert "打印机缺纸" in notice.message.text()
            assert "请检查打印机" in notice.help.text()
            assert "导服台" not in notice.message.text() + notice.help.text()
            kiosk.tap(notice.back_button)
            kiosk.wait_screen(Screen.STAFF)
        chime.close()


def test_a_database_without_schema_names_the_command(qtbot: QtBot, tmp_path: Path) -> None:
    """Defect 17: a kiosk on a database nobody initialised says so to staff, with the
    command IT must run, instead of "connection lost"."""
    config = kiosk_config(f"sqlite:///{tmp_path / 'blank.db'}")
    from kiosk_app.main import build_kiosk

    window, presenter, runner = build_kiosk(config)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    presenter.start()
    try:
        paused = window.paused_screen
        qtbot.waitUntil(lambda: presenter.screen is Screen.PAUSED and paused.staff_note.isVisible(),
                        timeout=10_000)
        assert "数据库未初始化" in paused.staff_note.text()
        assert "hallq-admin db upgrade" in paused.staff_note.text()
        assert "连接中断" not in paused.message.text()
        assert paused.message.text() == "本机暂不能取号，请到导服台。"
        qtbot.mouseClick(window.header.help_button, Qt.MouseButton.LeftButton)
        assert "hallq-admin db upgrade" in paused.staff_note.text()  # still says why
    finally:
        window.shutdown()
        runner.wait_done()


def test_english_counts_people_services_and_windows(qtbot: QtBot, chunan: Database,
                                                    empty_db_url: str) -> None:
    """English mode: "1 service" / "2 services", "1 person ahead", "windows 1 and 2"."""
    opens_in(chunan, "chunan", 0)
    issuing.issue_ticket(chunan, "RE-QUERY", site="chunan")
    config = kiosk_config(empty_db_url)
    config.site = "chunan"
    with running_kiosk(qtbot, config, (1366, 768), language="en") as kiosk:
        kiosk.resize((1366, 768))
        assert kiosk.card("department", "不动产登记").status.text() == "2 services · 1 waiting"
        assert kiosk.card("department", "税务").status.text() == "1 service · 0 waiting"
        kiosk.tap(kiosk.card("department", "不动产登记"))
        kiosk.wait_screen(Screen.DEPARTMENT)
        kiosk.tap(kiosk.card("service", "RE-REG"))
        kiosk.wait_screen(Screen.GUIDE)
        assert kiosk.window.guide_screen.windows.text().endswith("windows 1 and 2")
        kiosk.tap(kiosk.window.guide_screen.take_button)
        kiosk.wait_screen(Screen.RESULT)
        assert kiosk.window.result_screen.wait.text().startswith("1 person ahead of you")
        assert "windows 1 and 2" in kiosk.window.result_screen.windows.text()


class FailingSpeech(QTextToSpeech):
    """Qt's mock engine that fails to speak, as speech-dispatcher does with no audio
    device: it loads, then every text ends in the Error state."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__("mock", parent)
        self.failed = False

    def say(self, text: str) -> None:
        self.failed = True

    def state(self) -> QTextToSpeech.State:
        return QTextToSpeech.State.Error if self.failed else super().state()

    def errorString(self) -> str:
        return "speech-dispatcher: cannot connect" if self.failed else super().errorString()


def no_engine(parent: QObject) -> TtsEngine:
    raise VoiceUnavailable("text-to-speech engine 'speechd': not available")


@pytest.mark.parametrize("size", [(1366, 768), (1080, 1920)], ids=["1366x768", "1080x1920"])
@pytest.mark.parametrize("failure", ["no engine", "speaking fails"])
def test_voice_guidance_says_when_it_cannot_speak(qtbot: QtBot, chunan: Database,
                                                  empty_db_url: str, failure: str,
                                                  size: tuple[int, int]) -> None:
    """With no voice engine, or one that fails to speak, 语音引导 does not turn into
    关闭语音 over a silent kiosk: it stays off and a note sends the citizen to the guide
    desk; the note fits and is gone for the next citizen."""
    config = kiosk_config(empty_db_url)
    config.site = "chunan"
    with running_kiosk(qtbot, config, size) as kiosk:
        window = kiosk.window
        kiosk.resize(size)
        if failure == "no engine":
            window.voice.factory = no_engine
        else:
            window.voice.factory = lambda parent: TtsEngine(parent, speech=FailingSpeech())
        button = window.header.voice_button
        kiosk.tap(button)
        assert not button.isChecked() and button.text() == "语音引导"
        assert not window.voice.enabled
        assert window.voice_note.isVisible()
        assert window.voice_note.text() == "本机暂不能语音播报，请到导服台"
        qtbot.wait(50)
        problems = audit(window, touch=True)
        assert not problems, format_problems(problems)
        kiosk.tap(kiosk.card("department", "不动产登记"))
        kiosk.wait_screen(Screen.DEPARTMENT)
        kiosk.tap(window.department_screen.back_button)
        kiosk.wait_screen(Screen.START)
        assert not window.voice_note.isVisible()

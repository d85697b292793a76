"""The counter driven as a clerk drives it: real key presses (QTest.keyClick on the
top-level counter window and on whatever has the keyboard focus) and real clicks, on the
demo hall (the Chun'an catalog; window 1 serves 不动产登记 2 : 不动产查询 1 : 税务 1).

Screenshots go to a temporary folder (see tests/ui/conftest.py)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QColor, QImage
from PySide6.QtPrintSupport import QPrintDialog
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDialog,
    QLineEdit,
    QWidget,
)
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from counter_app.core import PrinterSettings
from counter_app.dialogs import (
    ConfirmDialog,
    FinishDialog,
    NumberDialog,
    PauseDialog,
    ReinstateDialog,
    TransferDialog,
)
from shared import issuing, queue
from shared.db import Database
from shared.demo import DEMO_PASSWORD, SITE
from shared.models import MissingMaterial
from shared.read import hall_state
from tests.ui.counter_support import CounterWindow

pytestmark = pytest.mark.usefixtures("bundled_font")
pytest_plugins = ["tests.ui.counter_support"]

Shot = Callable[[QWidget, str], Path]
CENTER = "淳安县行政服务中心"




class Keyboard(CounterWindow):
    """The counter's top-level window and the keys a clerk presses on it."""

    def __init__(self, qtbot: QtBot, db: Database, owner: QObject,
                 printer: PrinterSettings | None = None) -> None:
        super().__init__(qtbot, db, owner, site=SITE, center=CENTER, printer=printer)

    def focus(self) -> QWidget:
        """Where a key goes: the open dialog's focus widget, else the window's."""
        widget = QApplication.focusWidget()
        dialog = self.screen.dialog
        if dialog is not None and dialog.isVisible():
            self.qtbot.waitUntil(dialog.isActiveWindow)  # a person sees it before typing
            inside = dialog.focusWidget()
            return inside if inside is not None else dialog
        return widget if widget is not None else self.screen

    def key(self, key: Qt.Key, target: QWidget | None = None) -> None:
        QTest.keyClick(target or self.focus(), key)
        self.buttons_released()

    def fkey(self, number: int) -> None:
        """F1–F10, pressed on the top-level counter window (active again once a dialog
        closed, as under a window manager)."""
        self.qtbot.waitUntil(self.screen.isActiveWindow)
        self.key(getattr(Qt.Key, f"Key_F{number}"), self.screen)

    def type(self, text: str) -> None:
        QTest.keyClicks(self.focus(), text)
        self.settle()

    def status(self) -> str:
        return self.screen.main_page.status.text()

    def held(self) -> str | None:
        snapshot = self.presenter.snapshot
        return snapshot.held.number if snapshot and snapshot.held else None

    def held_state(self) -> str | None:
        snapshot = self.presenter.snapshot
        return snapshot.held.state if snapshot and snapshot.held else None

    def login_by_keys(self, login: str = "demo1") -> None:
        page = self.screen.login_page
        assert page.login.hasFocus()
        self.type(login)
        self.key(Qt.Key.Key_Return)
        assert page.password.hasFocus()
        self.type(DEMO_PASSWORD)
        self.key(Qt.Key.Key_Return)
        assert self.screen.stack.currentWidget() is self.screen.main_page


def issue(db: Database, *plan: tuple[str, str]) -> list[str]:
    return [issuing.issue_ticket(db, code, site=SITE, kind=kind).ticket.number
            for code, kind in plan]


def test_every_function_key_triggers_its_action(qtbot: QtBot, demo: Database,
                                                owner: QObject) -> None:
    """F1–F10 pressed on the counter window do what their buttons say (the buttons
    show the keys; before the fix no key did anything)."""
    counter = Keyboard(qtbot, demo, owner, PrinterSettings("tcp://127.0.0.1:9", "text", 80, ""))
    counter.login_by_keys()
    (first, second) = issue(demo, ("RE-REG", "normal"), ("RE-REG", "normal"))
    counter.settle()
    for action_key, text in [(f"F{n}", f"\nF{n}") for n in range(1, 11)]:
        assert any(button.text().endswith(text)
                   for button in counter.screen.main_page.actions.buttons.values()), action_key
        assert any(button.shortcut().toString() == action_key
                   for button in counter.screen.main_page.actions.buttons.values()), action_key
    counter.fkey(1)
    assert counter.held() == first and counter.held_state() == "called"
    counter.fkey(2)
    assert "已重呼" in counter.status()
    counter.fkey(3)
    assert counter.held_state() == "serving"
    counter.fkey(4)
    assert isinstance(counter.screen.dialog, FinishDialog)
    counter.key(Qt.Key.Key_Escape)
    counter.fkey(6)
    assert isinstance(counter.screen.dialog, TransferDialog)
    counter.key(Qt.Key.Key_Escape)
    counter.fkey(7)  # serving: the outcome first, then the number
    assert isinstance(counter.screen.dialog, FinishDialog)
    counter.key(Qt.Key.Key_Escape)
    counter.fkey(8)
    assert isinstance(counter.screen.dialog, ReinstateDialog)
    counter.key(Qt.Key.Key_Escape)
    counter.fkey(10)
    assert isinstance(counter.screen.dialog, NumberDialog)
    assert counter.screen.dialog.windowTitle() == "补打小票"
    counter.key(Qt.Key.Key_Escape)
    counter.fkey(4)
    counter.key(Qt.Key.Key_1)
    counter.key(Qt.Key.Key_Return)
    assert counter.held() is None
    counter.fkey(9)
    assert isinstance(counter.screen.dialog, PauseDialog)
    counter.key(Qt.Key.Key_Return)
    assert counter.presenter.snapshot is not None and counter.presenter.snapshot.window.paused
    counter.fkey(9)
    assert not counter.presenter.snapshot.window.paused
    counter.fkey(1)
    assert counter.held() == second
    counter.fkey(5)
    assert isinstance(counter.screen.dialog, ConfirmDialog)
    counter.key(Qt.Key.Key_Return)
    assert hall_state.get_ticket(demo, second, site=SITE).state == "no_show"


def test_a_morning_at_window_1_by_keys_only(qtbot: QtBot, demo: Database, owner: QObject,
                                            screenshot: Shot) -> None:
    """A clerk's morning, keys only: log in, and for each citizen call (F1), recall (F2),
    start (F3), finish with the outcome's digit and Enter (F4, 1–4, Enter); a no-show
    confirmed with Enter (F5) and reinstated (F8); F1 while serving asks the outcome
    first; a number of another service called with F7 after a warning; a pause (F9);
    finally log out, confirmed."""
    plan = [("RE-REG", "normal"), ("TAX", "normal"), ("RE-REG", "normal"),
            ("RE-QUERY", "normal"), ("RE-REG", "green"), ("RE-REG", "normal"),
            ("SI", "normal")]
    numbers = issue(demo, *plan)
    other_service = numbers[-1]  # 社保: window 1 does not serve it
    counter = Keyboard(qtbot, demo, owner)
    counter.login_by_keys()
    screenshot(counter.screen, "keyboard-1-idle")

    # The preview names the ticket F1 then calls, at every call of the morning.
    def next_shown() -> str:
        upcoming = counter.presenter.snapshot.upcoming if counter.presenter.snapshot else []
        return upcoming[0].number

    # Citizen 1: the green-channel ticket comes first; finished as 受理 by "2" + Enter.
    expected = next_shown()
    assert expected == numbers[4]
    assert f"下一位：{expected}" in counter.screen.main_page.ticket.service.text()
    counter.fkey(1)
    assert counter.held() == expected and "已叫" in counter.status()
    counter.fkey(2)
    assert "第 2 次呼叫" in counter.status()
    counter.fkey(3)
    assert counter.held_state() == "serving"
    counter.fkey(4)
    dialog = counter.screen.dialog
    assert isinstance(dialog, FinishDialog) and not dialog.ok.isEnabled()
    counter.key(Qt.Key.Key_2)
    assert dialog.selected() is not None and dialog.selected().value == "accepted"
    screenshot(dialog, "keyboard-2-finish-dialog")
    counter.key(Qt.Key.Key_Return)
    assert counter.held() is None
    assert hall_state.get_ticket(demo, expected, site=SITE).outcome == "accepted"
    assert "办理完成：受理" in counter.status()

    # Citizen 2 does not come: F5 asks first (Esc keeps the ticket), Enter confirms.
    expected = next_shown()
    counter.fkey(1)
    no_show = counter.held()
    assert no_show == expected
    counter.fkey(5)
    assert isinstance(counter.screen.dialog, ConfirmDialog)
    assert f"确认将 {no_show} 记为过号" in counter.screen.dialog.findChildren(
        type(counter.screen.main_page.status))[1].text()
    counter.key(Qt.Key.Key_Escape)
    assert counter.held() == no_show and counter.held_state() == "called"
    counter.fkey(5)
    counter.key(Qt.Key.Key_Return)
    assert counter.held() is None and "已记为过号" in counter.status()

    # They come back: F8 lists today's no-shows, Enter puts the first back in the queue.
    counter.fkey(8)
    assert isinstance(counter.screen.dialog, ReinstateDialog)
    counter.key(Qt.Key.Key_Return)
    assert "已重新排队" in counter.status()

    # Citizen 3: served, then F1 while serving asks the outcome before calling on.
    expected = next_shown()
    counter.fkey(1)
    serving = counter.held()
    assert serving == expected
    counter.fkey(3)
    following = next_shown()
    counter.fkey(1)
    dialog = counter.screen.dialog
    assert isinstance(dialog, FinishDialog)
    assert dialog.selected() is not None and dialog.selected().value == "completed"
    assert f"{serving} 仍在办理中" in counter.status()
    screenshot(counter.screen, "keyboard-3-call-while-serving")
    counter.key(Qt.Key.Key_4)  # 咨询
    counter.key(Qt.Key.Key_Return)
    assert hall_state.get_ticket(demo, serving, site=SITE).outcome == "consultation"
    assert counter.held() == following
    assert f"{serving} 已办理完成（咨询）" in counter.status() and f"已叫 {following}" in \
        counter.status()

    # F7 while serving: the outcome (Enter: 办结), the number, then a warning for a
    # ticket of a service this window does not serve; Enter calls it anyway.
    counter.fkey(3)
    counter.fkey(7)
    assert isinstance(counter.screen.dialog, FinishDialog)
    counter.key(Qt.Key.Key_Return)
    assert isinstance(counter.screen.dialog, NumberDialog)
    counter.type(other_service.lower())
    counter.key(Qt.Key.Key_Return)
    warning = counter.screen.dialog
    assert isinstance(warning, ConfirmDialog)
    assert "本窗口不办理这项业务" in " ".join(label.text() for label in warning.findChildren(
        type(counter.screen.main_page.status)))
    screenshot(warning, "keyboard-4-other-service-warning")
    counter.key(Qt.Key.Key_Return)
    assert counter.held() == other_service
    assert hall_state.get_ticket(demo, following, site=SITE).outcome == "completed"
    counter.fkey(3)
    counter.fkey(4)
    counter.key(Qt.Key.Key_1)
    counter.key(Qt.Key.Key_Return)
    assert hall_state.get_ticket(demo, other_service, site=SITE).outcome == "completed"

    # The rest of the queue, each citizen by keys, the preview right every time.
    while counter.presenter.snapshot and counter.presenter.snapshot.upcoming:
        expected = next_shown()
        counter.fkey(1)
        assert counter.held() == expected
        counter.fkey(3)
        counter.fkey(4)
        counter.key(Qt.Key.Key_1)
        counter.key(Qt.Key.Key_Return)
        assert hall_state.get_ticket(demo, expected, site=SITE).state == "finished"
    assert counter.held() is None
    assert hall_state.waiting_for_window(demo, 1, site=SITE) == []

    # A break: F9, Enter takes the first reason; F9 again resumes.
    counter.fkey(9)
    counter.key(Qt.Key.Key_Return)
    assert counter.presenter.snapshot is not None and counter.presenter.snapshot.window.paused
    counter.fkey(9)
    assert not counter.presenter.snapshot.window.paused

    # Logging out asks first.
    logout = counter.screen.main_page.logout
    qtbot.mouseClick(logout, Qt.MouseButton.LeftButton)
    counter.settle()
    assert isinstance(counter.screen.dialog, ConfirmDialog)
    counter.key(Qt.Key.Key_Return)
    assert counter.screen.stack.currentWidget() is counter.screen.login_page
    assert hall_state.get_window(demo, 1, site=SITE).clerk is None


def finishing_with_a_material_missing(qtbot: QtBot, demo: Database, owner: QObject
                                      ) -> tuple[Keyboard, FinishDialog]:
    """A clerk calls, starts and opens the finish dialog by keys, picks 材料不全 and ticks
    the first material."""
    issue(demo, ("RE-REG", "normal"))
    counter = Keyboard(qtbot, demo, owner)
    counter.login_by_keys()
    counter.fkey(1)
    counter.fkey(3)
    counter.fkey(4)
    dialog = counter.screen.dialog
    assert isinstance(dialog, FinishDialog)
    counter.key(Qt.Key.Key_3)  # 材料不全
    dialog.material_checks[0].setFocus()
    counter.key(Qt.Key.Key_Space)
    return counter, dialog


def test_print_the_materials_notice_through_the_print_dialog(
        qtbot: QtBot, demo: Database, owner: QObject, tmp_path: Path) -> None:
    """打印补正材料告知单 opens the system print dialog; printing to a PDF file there gives
    the notice (it crashed with "open expected 2 arguments")."""
    counter, dialog = finishing_with_a_material_missing(qtbot, demo, owner)
    assert dialog.missing() == [dialog.material_checks[0].text()]
    qtbot.mouseClick(dialog.print_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(), QPrintDialog))
    printing = QApplication.activeModalWidget()
    assert isinstance(printing, QPrintDialog)
    assert "已交给打印" not in counter.status()  # not while the clerk is still choosing
    target = tmp_path / "notice.pdf"
    filename = next(edit for edit in printing.findChildren(QLineEdit)
                    if edit.objectName() == "filename")
    filename.selectAll()
    QTest.keyClicks(filename, str(target))
    QTest.keyClick(filename, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: target.exists() and target.stat().st_size > 1000)
    assert target.read_bytes().startswith(b"%PDF")
    assert "补正材料告知单（缺 1 项）已交给打印" in counter.status()
    assert counter.screen.dialog is dialog  # the finish dialog stays for the outcome
    counter.key(Qt.Key.Key_Return, dialog)
    assert counter.held() is None


def test_the_materials_ticked_missing_are_recorded_with_the_finish(
        qtbot: QtBot, demo: Database, owner: QObject) -> None:
    """材料不全 with the first material ticked by Space and the last by a click: Enter
    finishes the case and stores exactly those two (in the catalog's order)."""
    counter, dialog = finishing_with_a_material_missing(qtbot, demo, owner)
    held = counter.held()
    assert len(dialog.material_checks) >= 3
    first, last = dialog.material_checks[0], dialog.material_checks[-1]
    qtbot.mouseClick(last, Qt.MouseButton.LeftButton)
    ticked = [first.text(), last.text()]
    assert dialog.missing() == ticked
    counter.key(Qt.Key.Key_Return, dialog)
    qtbot.waitUntil(lambda: counter.held() is None)
    ticket = hall_state.get_ticket(demo, held, site=SITE)
    assert ticket.outcome == "materials-missing"
    with demo.read() as session:
        stored = session.execute(select(MissingMaterial.material)
                                 .where(MissingMaterial.ticket_id == ticket.id)
                                 .order_by(MissingMaterial.id)).scalars().all()
    assert stored == ticked


def test_cancelling_the_print_dialog_prints_no_notice(
        qtbot: QtBot, demo: Database, owner: QObject) -> None:
    """Cancel in the system print dialog: the counter says the notice was not printed, never
    that it went to the printer."""
    counter, dialog = finishing_with_a_material_missing(qtbot, demo, owner)
    qtbot.mouseClick(dialog.print_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(), QPrintDialog))
    printing = QApplication.activeModalWidget()
    assert isinstance(printing, QPrintDialog)
    assert "已交给打印" not in counter.status()
    QTest.keyClick(printing, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not isinstance(QApplication.activeModalWidget(), QPrintDialog))
    qtbot.waitUntil(lambda: "未打印" in counter.status())
    assert "已交给打印" not in counter.status()
    assert counter.screen.dialog is dialog  # the finish dialog stays for the outcome


def highlighted_row_colors(combo: QComboBox) -> tuple[QColor, set[int]]:
    """The highlighted row of an open drop-down: its background and its text's colours."""
    view = combo.view()
    rect = view.visualRect(view.currentIndex())
    image: QImage = view.viewport().grab(rect).toImage()
    background = image.pixelColor(2, 2)
    inks = {image.pixelColor(x, y).rgb() for x in range(image.width())
            for y in range(image.height())}
    return background, inks


def test_drop_down_highlight_is_readable(qtbot: QtBot, demo: Database, owner: QObject,
                                         screenshot: Shot) -> None:
    """The highlighted item of a drop-down (transfer targets, the login window list) is
    a coloured bar with readable text, not a blank white bar."""
    issue(demo, ("RE-REG", "normal"))
    counter = Keyboard(qtbot, demo, owner)
    login_combo = counter.screen.login_page.window
    for combo, name in [(login_combo, "login")]:
        combo.showPopup()
        qtbot.waitUntil(combo.view().isVisible)
        QTest.keyClick(combo.view(), Qt.Key.Key_Down)
        background, inks = highlighted_row_colors(combo)
        screenshot(combo.view().window(), f"dropdown-{name}")
        assert background != QColor("#ffffff") and len(inks) > 2, name
        combo.hidePopup()
    counter.login_by_keys()
    counter.fkey(1)
    counter.fkey(3)
    counter.fkey(6)
    dialog = counter.screen.dialog
    assert isinstance(dialog, TransferDialog)
    combo = dialog.services
    combo.setFocus()
    QTest.keyClick(combo, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(combo.view().isVisible)
    QTest.keyClick(combo.view(), Qt.Key.Key_Down)
    background, inks = highlighted_row_colors(combo)
    screenshot(combo.view().window(), "dropdown-transfer")
    assert background != QColor("#ffffff") and len(inks) > 2
    combo.hidePopup()
    assert isinstance(dialog, QDialog)
    dialog.reject()


def test_call_next_while_serving_can_be_cancelled(qtbot: QtBot, demo: Database,
                                                  owner: QObject) -> None:
    """Esc on the outcome question keeps serving: nothing was finished or called."""
    first, second = issue(demo, ("RE-REG", "normal"), ("RE-REG", "normal"))
    counter = Keyboard(qtbot, demo, owner)
    counter.login_by_keys()
    counter.fkey(1)
    counter.fkey(3)
    counter.fkey(1)
    counter.key(Qt.Key.Key_Escape)
    assert counter.held() == first and counter.held_state() == "serving"
    assert hall_state.get_ticket(demo, second, site=SITE).state == "waiting"
    queue.call_next(demo, 2, site=SITE)  # another window takes the second meanwhile
    counter.settle()


def test_english_dialogs_have_no_chinese(qtbot: QtBot, english: None) -> None:
    """--lang en: the new questions and the outcome dialog are English through and through
    (their words come from counter_en.qm; the data here is English too)."""
    import re

    from PySide6.QtCore import QCoreApplication
    from PySide6.QtWidgets import QLabel, QPushButton

    from counter_app import labels
    from counter_app.actions import CounterAction
    from shared.i18n import one_language

    finish = FinishDialog("A017", "Passport", ["ID card"], then_call=labels.action_label(
        CounterAction.CALL_NEXT))
    words = {text: QCoreApplication.translate("CounterScreen", text)
             for text in ("过号", "确认过号", "确认退出登录？退出后本窗口不再叫号。")}
    confirm = ConfirmDialog(words["过号"], words["确认退出登录？退出后本窗口不再叫号。"],
                            words["确认过号"])
    for dialog in (finish, confirm):
        qtbot.addWidget(dialog)
        texts = [w.text() for w in dialog.findChildren(QLabel)] + \
            [w.text() for w in dialog.findChildren(QPushButton)]
        chinese = [t for t in texts if re.search(r"[\u3400-\u9fff]", t)]
        assert not chinese, chinese
    assert labels.printer_problem("paper_out") == "the printer is out of paper"
    assert one_language("工号或密码错误 (wrong password)") == "wrong password"

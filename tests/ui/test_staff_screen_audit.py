"""The screens added for case numbers, missing materials, follow-ups, the bulletin, the
overflow log, staffing and the 好差评 push, audited as the hall uses them: driven by clicks
and keys to the state a clerk, a supervisor or a citizen sees, then checked by
tests/ui/screen_audit.py at the screen sizes the hall's PCs, pads and kiosks have.

Desktop rules (``touch=False``) for the counter and the supervisor, touch rules for the
pad and the kiosk, as the other audits. On top of the audit, every screen must fit the
screen it is shown on: a window (or dialog) no larger than the screen, and every button
and input on screen, whole — a supervisor tab may scroll, but nothing may be out of reach.
Pictures of every state go to the test's own temporary folder.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QDate, QObject, QPoint, QRect, QRectF, QSettings, Qt
from PySide6.QtGui import QFontMetricsF
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractScrollArea,
    QAbstractSpinBox,
    QApplication,
    QCheckBox,
    QComboBox,
    QDialog,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QRadioButton,
    QScrollArea,
    QTextEdit,
    QWidget,
)
from pytestqt.qtbot import QtBot
from sqlalchemy import update

from counter_app.dialogs import TITLE_BAR_PX, FinishDialog
from counter_app.supervisor.main import open_supervisor
from counter_app.supervisor.window import SupervisorWindow
from kiosk_app.presenter import Screen
from kiosk_app.screens import GuideScreen
from shared import evaluations, hcp, issuing, queue
from shared.catalog import load_catalog, read_catalog
from shared.clerks import ClerkView
from shared.config import HcpConfig
from shared.db import Database
from shared.demo import prepare_demo_database
from shared.models import Service
from shared.states import Outcome
from shared.views import TicketView
from tests.fake_province import fake_province
from tests.integration.conftest import noon_zone, write_catalog
from tests.integration.stats_history import MONDAY, TUESDAY, add_cases, standard_history
from tests.integration.stats_history import add_clerks as add_history_clerks
from tests.integration.test_hcp import hcp_catalog
from tests.integration.test_staffing import PLAN_WEEK, build_history
from tests.ui.counter_support import (
    PASSWORD,
    SITE,
    CounterWindow,
    add_clerks,
    make_pad,
    settle,
)
from tests.ui.kiosk_support import kiosk_config, running_kiosk
from tests.ui.screen_audit import SIZES, Problem, audit, describe, drawn_texts

pytestmark = pytest.mark.usefixtures("bundled_font")
pytest_plugins = ["tests.ui.counter_support"]

#: The staff's PCs and pads: a 1920×1080 monitor, the 1366×768 laptop panel most
#: counters have, and the 1024×600 of a netbook or a 7–10" pad.
STAFF_SIZES = {name: SIZES[name] for name in ("1920x1080", "1366x768", "1024x600")}
#: Kiosks: portrait first (most halls' kiosks), then the same three.
KIOSK_SIZES = {"1080x1920": SIZES["1080x1920"], **STAFF_SIZES}
BOSS = ClerkView("boss", "王主任", "supervisor", True)
CJK = re.compile(r"[\u2e80-\u9fff\u3000-\u303f\uff00-\uffef]")
WAIT_MS = 30_000

Saver = Callable[[QWidget, str], Path]


@pytest.fixture
def shots(tmp_path: Path) -> Saver:
    """Save a widget's picture as <tmp_path>/shots/<name>.png."""
    folder = tmp_path / "shots"
    folder.mkdir()

    def save(widget: QWidget, name: str) -> Path:
        QApplication.processEvents()
        path = folder / f"{name}.png"
        assert widget.grab().save(str(path)), path
        return path

    return save


@pytest.fixture(autouse=True)
def own_settings(tmp_path: Path) -> Iterator[None]:
    """The supervisor remembers its thresholds with QSettings: in a temporary folder."""
    QSettings.setPath(QSettings.Format.NativeFormat, QSettings.Scope.UserScope,
                      str(tmp_path / "settings"))
    yield
    QSettings.setPath(QSettings.Format.NativeFormat, QSettings.Scope.UserScope,
                      os.environ.get("XDG_CONFIG_HOME", str(Path.home() / ".config")))


# --- fitting the screen ------------------------------------------------------------------


def _operable(widget: QWidget) -> bool:
    return isinstance(widget, QAbstractButton | QComboBox | QLineEdit | QAbstractSpinBox
                      | QTextEdit | QPlainTextEdit)


def _scrolled_by(widget: QWidget, top: QWidget) -> QAbstractScrollArea | None:
    parent = widget.parentWidget()
    while parent is not None and parent is not top:
        if isinstance(parent, QAbstractScrollArea) and not isinstance(
                parent, QTextEdit | QPlainTextEdit):
            return parent
        parent = parent.parentWidget()
    return None


def fit_problems(window: QWidget, screen: tuple[int, int]) -> list[Problem]:
    """What the audit cannot see: a window larger than the screen it is shown on (its
    minimum size won over the size asked for, so its edge is off the screen), and a
    button or input cut by a parent too small for it or lying outside the window (out
    of reach). Widgets in a scroll area are reachable by scrolling: not checked."""
    problems: list[Problem] = []
    width, height = screen
    if window.width() > width or window.height() > height:
        problems.append(Problem(type(window).__name__, "screen",
                                f"{window.width()}×{window.height()} px on a {width}×{height} "
                                f"screen (minimum {window.minimumSizeHint().width()}×"
                                f"{window.minimumSizeHint().height()})"))
    for widget in window.findChildren(QWidget):
        if not widget.isVisibleTo(window) or QWidget.window(widget) is not window \
                or not _operable(widget) or _scrolled_by(widget, window) is not None:
            continue
        if isinstance(widget.parentWidget(), QAbstractSpinBox | QComboBox):
            continue  # a spin box's or combo box's own line edit
        where = QRect(widget.mapTo(window, QPoint(0, 0)), widget.size())
        shown = widget.visibleRegion().boundingRect()
        name = type(widget).__name__ + (f" “{widget.text()}”" if isinstance(
            widget, QAbstractButton | QLineEdit) else "")
        if not window.rect().contains(where):
            problems.append(Problem(name, "reach", f"at {where.x()},{where.y()} "
                                    f"{where.width()}×{where.height()}, outside the window"))
        elif shown.size() != widget.size():
            problems.append(Problem(name, "reach", f"only {shown.width()}×{shown.height()} "
                                    f"of its {widget.width()}×{widget.height()} px shown"))
    return problems


def check(window: QWidget, screen: tuple[int, int], *, touch: bool,
          ignore: frozenset[str] = frozenset()) -> list[str]:
    """The audit's problems (but the kinds in ``ignore``) and the fit problems.

    The caption of a disabled button (确定 until the dialog is complete) is drawn pale on
    purpose, to say it cannot be pressed yet: WCAG 1.4.3 sets no contrast for inactive
    controls, so the contrast rule does not apply to disabled widgets."""
    disabled = {describe(w) for w in window.findChildren(QWidget) if not w.isEnabled()}
    # A field whose text is selected (a date edit given the focus when its tab opens)
    # draws the selected run a second time, in the platform theme's highlight colours:
    # not two texts running into each other, nor colours the application chose.
    selected = {describe(w) for w in window.findChildren(QLineEdit) if w.hasSelectedText()}
    # What a scroll area holds below its fold (the statistics overview's heat map at
    # 1024×600) is scrolled to, not off the window for good.
    scrolled = {describe(w) for w in window.findChildren(QWidget)
                if isinstance(_scrolled_by(w, window), QScrollArea)}
    unframed = {describe(w) for w in window.findChildren(QAbstractButton)
                if isinstance(w, QCheckBox | QRadioButton) and _caption_inside(w)}
    return [str(p) for p in [*audit(window, touch=touch), *fit_problems(window, screen)]
            if p.kind not in ignore and not (p.kind == "contrast" and p.widget in disabled)
            and not (p.kind in ("contrast", "overlap") and p.widget in selected)
            and not (p.kind == "offscreen" and p.widget in scrolled)
            and not (p.kind == "fit" and p.widget in unframed)]


def _caption_inside(box: QAbstractButton) -> bool:
    """A check box's or radio button's caption lies whole inside it. The audit asks a
    button's caption to keep 4 px from the button's edges, which a framed button draws
    and a caption touching reads as cut; a check box draws no frame around its caption,
    so there is no edge to touch (the supervisor's 只看逾期 in Qt's own style is 20 px
    high for its 14 px caption): only the caption running out of the box is a problem."""
    return all(QRectF(box.rect()).contains(t.rect.adjusted(0.75, 0.75, -0.75, -0.75))
               for t in drawn_texts(box))


def at_sizes(window: QWidget, sizes: dict[str, tuple[int, int]], name: str, shots: Saver, *,
             touch: bool, ignore: frozenset[str] = frozenset(),
             allowed: Callable[[str], bool] = lambda problem: False) -> list[str]:
    """``window`` resized to fill each screen, audited, and saved as <name>-<size>;
    ``allowed`` says, at each size, which problems are by design there."""
    problems: list[str] = []
    for size, (width, height) in sizes.items():
        window.resize(width, height)
        QApplication.processEvents()
        problems += [f"{name} {size}: {p}" for p in check(window, (width, height), touch=touch,
                                                            ignore=ignore) if not allowed(p)]
        shots(window, f"{name}-{size}")
    return problems


#: A desktop's task bar: what a dialog does not have of the screen's height.
TASK_BAR_PX = 40


def dialog_at_sizes(dialog: QDialog, sizes: dict[str, tuple[int, int]], name: str,
                    shots: Saver, *, ignore: frozenset[str] = frozenset()) -> list[str]:
    """A dialog as it opens on each screen: its own size, or, for the finish dialog,
    fitted to the screen's height less a task bar; audited (desktop rules) and saved as
    <name>-<size>. It must fit within the screen less the task bar."""
    problems: list[str] = []
    for size, (width, height) in sizes.items():
        if isinstance(dialog, FinishDialog):
            dialog.fit_to_screen(QRect(0, 0, width, height - TASK_BAR_PX))
        QApplication.processEvents()
        problems += [f"{name} {size}: {p}" for p in check(
            dialog, (width, height - TASK_BAR_PX), touch=False, ignore=ignore)]
        shots(dialog, f"{name}-{size}")
    return problems


def visible_cjk(window: QWidget, allowed: set[str]) -> list[str]:
    """Chinese text drawn on ``window``'s visible widgets, but the ``allowed`` names from
    the catalog and the data (services, materials, people), which stay as entered."""
    names = sorted((re.sub(r"\s", "", n) for n in allowed), key=len, reverse=True)
    found: list[str] = []
    for widget in [window, *window.findChildren(QWidget)]:
        if not widget.isVisibleTo(window) or widget.visibleRegion().isEmpty():
            continue
        # A widget's runs joined: a name may be wrapped over two lines.
        drawn = re.sub(r"\s", "", "".join(t.text for t in drawn_texts(widget)))
        left = drawn
        for name in names:
            left = left.replace(name, "")
        if CJK.search(left):
            found.append(f"{describe(widget)}: {drawn}")
    return found


# --- the counter: the finish dialog and the pad ------------------------------------------


class Counter(CounterWindow):
    """The counter window at window 2, clerk 王芳 logged in, as the terminal wires it."""

    def __init__(self, qtbot: QtBot, db: Database, owner: QObject) -> None:
        super().__init__(qtbot, db, owner)
        self.presenter.login("wang", PASSWORD, 2)
        self.settle()

    def key(self, key: Qt.Key, widget: QWidget | None = None) -> None:
        target = widget or self.screen
        self.qtbot.waitUntil(target.window().isActiveWindow)
        QTest.keyClick(target, key)
        self.buttons_released()

    def finish_dialog(self) -> FinishDialog:
        """叫号 (F1), 开始办理 (F3), 办理完成 (F4): the finish dialog."""
        for number in (1, 3, 4):
            self.key(getattr(Qt.Key, f"Key_F{number}"))
        dialog = self.screen.dialog
        assert isinstance(dialog, FinishDialog)
        self.qtbot.waitUntil(dialog.isActiveWindow)
        return dialog


def _scan(counter: Counter, dialog: FinishDialog, number: str) -> None:
    """A barcode scanner: the number typed into the field, then Enter."""
    QTest.keyClicks(dialog.case_input, number)
    QTest.keyClick(dialog.case_input, Qt.Key.Key_Return)


def test_the_finish_dialog_with_case_numbers_and_material_ticks_fits(
        qtbot: QtBot, case_hall: Database, owner: QObject, shots: Saver) -> None:
    """办结 with two scanned case numbers and a misread one refused; then 材料不全 with
    both materials ticked and the case field under them: at each screen size the dialog
    fits the screen and passes the audit."""
    issuing.issue_ticket(case_hall, "SA", site=SITE)
    counter = Counter(qtbot, case_hall, owner)
    dialog = counter.finish_dialog()
    assert dialog.case_required
    counter.key(Qt.Key.Key_1, dialog)  # 办结
    qtbot.waitUntil(dialog.case_input.hasFocus)
    for number in ("BJ2026-0001", "BJ2026-0002", "BJ 1"):
        _scan(counter, dialog, number)
    assert dialog.cases() == ["BJ2026-0001", "BJ2026-0002"] and dialog.case_problem.isVisible()
    # The dialog grew for the list and the problem on the test's 800×800 screen: whole.
    QApplication.processEvents()
    assert dialog.height() >= dialog.sizeHint().height()
    failures = dialog_at_sizes(dialog, STAFF_SIZES, "finish-cases", shots)

    dialog.case_input.clear()
    qtbot.mouseClick(dialog.outcome_buttons[Outcome.MATERIALS_MISSING],
                     Qt.MouseButton.LeftButton)
    for check_box in dialog.material_checks:
        qtbot.mouseClick(check_box, Qt.MouseButton.LeftButton,
                         pos=QPoint(8, check_box.height() // 2))
    assert dialog.missing() == ["身份证原件", "申请表"] and dialog.ok.isEnabled()
    assert dialog.print_button.isVisible()
    failures += dialog_at_sizes(dialog, STAFF_SIZES, "finish-materials", shots)
    assert not failures, "\n".join(failures)


def _in_view(dialog: FinishDialog, widget: QWidget) -> bool:
    viewport = dialog.scroll_body.viewport()
    return viewport.rect().contains(QRect(widget.mapTo(viewport, QPoint(0, 0)), widget.size()))


def test_on_a_1024x600_screen_the_finish_dialog_scrolls_to_what_the_clerk_needs(
        qtbot: QtBot, case_hall: Database, owner: QObject, shots: Saver) -> None:
    """The dialog opened on a 1024×600 netbook: its body scrolls, and it scrolls by
    itself to the field the scanner types into after 1 (办结), to why a misread number
    is refused, and to the ticks after 3 (材料不全); OK stays on the screen."""
    issuing.issue_ticket(case_hall, "SA", site=SITE)
    counter = Counter(qtbot, case_hall, owner)
    counter.screen.resize(*SIZES["1024x600"])
    dialog = counter.finish_dialog()
    dialog.screen_area = QRect(0, 0, 1024, 600 - TASK_BAR_PX)
    dialog.fit_to_screen()
    counter.key(Qt.Key.Key_1, dialog)
    qtbot.wait(100)  # the layout settles, the body scrolls
    assert _in_view(dialog, dialog.case_input)
    for number in ("BJ2026-0001", "BJ2026-0002", "BJ2026-0003", "BJ 1"):
        _scan(counter, dialog, number)
    qtbot.wait(100)
    assert _in_view(dialog, dialog.case_problem)
    assert dialog.height() <= 600 - TASK_BAR_PX - TITLE_BAR_PX < dialog.sizeHint().height()
    failures = check(dialog, (1024, 600 - TASK_BAR_PX), touch=False)
    shots(dialog, "finish-1024x600-refused")
    dialog.case_input.clear()
    counter.key(Qt.Key.Key_3, dialog)
    qtbot.wait(100)
    assert _in_view(dialog, dialog.material_checks[0])
    failures += check(dialog, (1024, 600 - TASK_BAR_PX), touch=False)
    shots(dialog, "finish-1024x600-materials")
    assert not failures, "\n".join(failures)


def test_the_finish_dialog_with_five_materials_fits(qtbot: QtBot, shots: Saver) -> None:
    """不动产登记's five materials (the Chun'an catalog), all ticked: two columns of ticks
    keep the dialog within a 1366×768 screen whole; on 1024×600 its body scrolls, OK and
    取消 stay on screen."""
    chunan = read_catalog(Path(__file__).resolve().parents[2] / "resources" / "catalog"
                          / "chunan.toml")
    materials = next(s["materials"] for d in chunan["departments"] for s in d["services"]
                     if s["code"] == "RE-REG")
    assert len(materials) == 5
    dialog = FinishDialog("A002", "不动产登记", materials)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    qtbot.mouseClick(dialog.outcome_buttons[Outcome.MATERIALS_MISSING],
                     Qt.MouseButton.LeftButton)
    for check_box in dialog.material_checks:
        check_box.setChecked(True)
    failures = dialog_at_sizes(dialog, STAFF_SIZES, "finish-five-materials", shots)
    dialog.fit_to_screen(QRect(0, 0, 1366, 768 - TASK_BAR_PX))
    QApplication.processEvents()
    assert dialog.height() >= dialog.sizeHint().height(), "scrolls at 1366×768"
    assert not failures, "\n".join(failures)


def test_the_pad_asks_each_case_in_turn_and_fits(
        qtbot: QtBot, case_hall: Database, owner: QObject, shots: Saver) -> None:
    """The pad's "第 1 件（共 2 件）" with the case number, and the reasons asked after a
    bad rating of the first case, at every pad size, as a touch screen."""
    number = issuing.issue_ticket(case_hall, "SA", site=SITE).ticket.number
    queue.call_next(case_hall, 2, site=SITE)
    queue.start(case_hall, number, site=SITE)
    ticket = queue.finish(case_hall, number, site=SITE, cases=["BJ2026-0001", "BJ2026-0002"])
    presenter, pad, runner = make_pad(qtbot, case_hall, owner, window=2)
    pad.show()
    qtbot.waitExposed(pad)
    presenter.ask(ticket, ["BJ2026-0001", "BJ2026-0002"])
    assert "第 1 件（共 2 件）" in pad.question_title.text()
    assert "BJ2026-0001" in pad.question_detail.text()
    failures = at_sizes(pad, STAFF_SIZES, "pad-case-1-of-2", shots, touch=True)
    pad.resize(*SIZES["1024x600"])
    qtbot.mouseClick(pad.level_buttons[5], Qt.MouseButton.LeftButton)
    assert pad.pages.currentIndex() == 3  # why, for the first case
    failures += at_sizes(pad, STAFF_SIZES, "pad-case-1-reasons", shots, touch=True)
    pad.resize(*SIZES["1024x600"])
    qtbot.mouseClick(pad.skip_reasons, Qt.MouseButton.LeftButton)
    assert "第 2 件（共 2 件）" in pad.question_title.text()
    failures += at_sizes(pad, STAFF_SIZES, "pad-case-2-of-2", shots, touch=True)
    settle(qtbot, runner)
    assert not failures, "\n".join(failures)


# --- the supervisor ----------------------------------------------------------------------

#: The supervisor is an office screen read at a desk: the 适老化 text sizes are for the
#: citizens' screens (as tests/ui/test_supervisor_devices.py).
OFFICE = frozenset({"size"})


@pytest.fixture
def supervisor(qtbot: QtBot) -> Iterator[Callable[[Database], SupervisorWindow]]:
    opened: list[SupervisorWindow] = []

    def make(db: Database) -> SupervisorWindow:
        window = open_supervisor(db, SITE, BOSS)
        qtbot.addWidget(window)
        opened.append(window)
        window.resize(1366, 768)
        window.show()
        qtbot.waitExposed(window)
        return window

    yield make
    for window in opened:
        window.close()


def click_tab(qtbot: QtBot, window: SupervisorWindow, page: QWidget) -> None:
    bar = window.tabs.tabBar()
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton,
                     pos=bar.tabRect(window.tabs.indexOf(page)).center())
    assert window.tabs.currentWidget() is page


#: A citizen who tapped every reason the pad offers: the longest comment it makes.
EVERY_REASON = "等候时间太长；工作人员态度不好；办理时间太长；材料要求没讲清楚；跑了不止一次；其他原因"


def a_bad_rating_to_follow_up(db: Database) -> None:
    """Window 2 accepted an SA case (办件编号 of a full length), rated 非常不满意 with
    reasons and a phone: a follow-up to do."""
    case_no = "330127-2026-BDC-000123"
    ticket = issuing.issue_ticket(db, "SA", site=SITE).ticket
    queue.call_number(db, ticket.number, 2, site=SITE)
    queue.start(db, ticket.id, site=SITE)
    queue.finish(db, ticket.id, site=SITE, outcome=Outcome.ACCEPTED.value, cases=[case_no])
    evaluations.record_evaluation(db, ticket.id, 5, case_no=case_no)
    evaluations.add_comment(db, ticket.id, EVERY_REASON,
                            "13812345678", case_no=case_no)


def test_the_follow_up_list_and_detail_fit(
        db: Database, qtbot: QtBot, supervisor: Callable[[Database], SupervisorWindow],
        shots: Saver) -> None:
    """差评回访: the list with one from March (overdue) and today's, a row clicked for its
    detail with the history of its steps and the appeal controls."""
    add_history_clerks(db)
    add_cases(db, standard_history())
    a_bad_rating_to_follow_up(db)
    window = supervisor(db)
    click_tab(qtbot, window, window.followups)
    panel = window.followups
    qtbot.waitUntil(lambda: len(panel.items) == 2, timeout=WAIT_MS)
    heads = [panel.table.horizontalHeaderItem(c).text()
             for c in range(panel.table.columnCount())]
    comment = heads.index("意见")

    def comment_elided(problem: str) -> bool:
        """The citizen's comment is the one column that gives way (it stretches over
        what the others leave) and may end in "…" on a narrow screen: its whole text is
        in the detail below the list. Any other column elided is a defect."""
        if "[elided]" not in problem or "qt_scrollarea_viewport" not in problem:
            return False
        comments = [panel.table.item(r, comment).text() for r in range(panel.table.rowCount())]
        runs = [t.text for t in drawn_texts(panel.table.viewport()) if "…" in t.text]
        return bool(runs) and all(any(c.startswith(run.rstrip("…")) for c in comments)
                                  for run in runs)

    failures = at_sizes(window, STAFF_SIZES, "followups-list", shots, touch=False,
                        ignore=OFFICE, allowed=comment_elided)
    assert "330127-2026-BDC-000123" in {panel.table.item(r, heads.index("办件编号")).text()
                                        for r in range(panel.table.rowCount())}
    row = next(r for r in range(panel.table.rowCount())
               if panel.table.item(r, heads.index("办件编号")).text() != "—")
    cell = panel.table.visualItemRect(panel.table.item(row, 0)).center()
    qtbot.mouseClick(panel.table.viewport(), Qt.MouseButton.LeftButton, pos=cell)
    qtbot.waitUntil(lambda: panel.selected_item() is not None, timeout=WAIT_MS)
    assert "联系电话" in panel.detail.text()
    assert EVERY_REASON in panel.detail.text()
    failures += at_sizes(window, STAFF_SIZES, "followups-detail", shots, touch=False,
                         ignore=OFFICE, allowed=comment_elided)
    assert not failures, "\n".join(failures)


def test_the_statistics_tab_with_the_bulletin_buttons_fits(
        db: Database, qtbot: QtBot, supervisor: Callable[[Database], SupervisorWindow],
        shots: Saver) -> None:
    """统计 with its filters, figures and the 月度通报 (PDF, Excel) buttons."""
    add_history_clerks(db)
    add_cases(db, standard_history())
    window = supervisor(db)
    click_tab(qtbot, window, window.stats)
    qtbot.waitUntil(lambda: window.stats.stats is not None and window.runner.idle,
                    timeout=WAIT_MS)
    # The two days of the history, by 查询: cards and charts with figures.
    window.stats.filters.set_range(MONDAY, TUESDAY)
    qtbot.mouseClick(window.stats.filters.run, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.runner.idle and window.stats.stats is not None
                    and window.stats.stats.filters.date_from == MONDAY, timeout=WAIT_MS)
    assert window.stats.cards["issued"].value.text() not in ("", "0")
    window.stats.month.setDate(QDate(2026, 3, 1))
    assert all(b.isVisibleTo(window) for b in window.stats.monthly_buttons.values())
    failures = at_sizes(window, STAFF_SIZES, "stats-bulletin", shots, touch=False,
                        ignore=OFFICE)
    assert not failures, "\n".join(failures)


@pytest.fixture
def noon_hall(db: Database, tmp_path: Path) -> Database:
    """The test hall at about noon (far from closing), whose SA needs case numbers."""
    load_catalog(db, write_catalog(tmp_path, hcp_catalog(noon_zone())))
    return db


def rated_case(db: Database, case_no: str, level: int) -> TicketView:
    """A citizen of SA served at window 2 under ``case_no``, who rated it ``level``."""
    ticket = issuing.issue_ticket(db, "SA", site=SITE).ticket
    queue.call_number(db, ticket.number, 2, site=SITE)
    queue.start(db, ticket.id, site=SITE)
    finished = queue.finish(db, ticket.id, site=SITE, cases=[case_no])
    evaluations.record_evaluation(db, finished.id, level, case_no=case_no)
    return finished


def push_to_province(db: Database, answers: list[object]) -> None:
    """One push of the pending ratings to a fake province answering ``answers`` in turn."""
    with fake_province() as province:
        province.script = answers
        hcp.push_once(db, HcpConfig(url=province.url, settle_seconds=0, timeout_seconds=2))


def live_with_overflow(db: Database, qtbot: QtBot,
                       supervisor: Callable[[Database], SupervisorWindow]) -> SupervisorWindow:
    """The supervisor's live view with an overflow suggestion (five waiting for SD, one
    window serving it) and its 好差评 push line shown."""
    for _ in range(5):
        issuing.issue_ticket(db, "SD", site=SITE)
    assert queue.call_next(db, 4, site=SITE).ticket is not None
    window = supervisor(db)
    bar, line = window.overflow, window.live.hcp_status
    bar.margin.setValue(10)
    qtbot.waitUntil(lambda: bool(bar.items) and line.isVisible(), timeout=WAIT_MS)
    return window


def test_the_live_view_with_overflow_and_hcp_lines_and_the_overflow_log_fit(
        noon_hall: Database, qtbot: QtBot,
        supervisor: Callable[[Database], SupervisorWindow], shots: Saver) -> None:
    """实时: the overflow suggestion with 查看记录 and the 好差评 push line (one refused,
    one failing: red); the recorded suggestions' dialog opened from it."""
    db = noon_hall
    for case_no in ("BJ0001", "BJ0002"):
        rated_case(db, case_no, 2)
    push_to_province(db, [500, "refuse"])
    window = live_with_overflow(db, qtbot, supervisor)
    bar, line = window.overflow, window.live.hcp_status
    assert "被拒 1 条" in line.text() and "潮汐窗口建议" in bar.text.text()
    failures = at_sizes(window, STAFF_SIZES, "live-overflow-hcp", shots, touch=False,
                        ignore=OFFICE)

    window.resize(*SIZES["1366x768"])
    qtbot.mouseClick(bar.log, Qt.MouseButton.LeftButton)
    dialog = window.overflow_log
    assert dialog is not None
    qtbot.waitUntil(lambda: dialog.isVisible() and bool(dialog.items), timeout=WAIT_MS)
    failures += dialog_at_sizes(dialog, STAFF_SIZES, "overflow-log", shots, ignore=OFFICE)
    dialog.close()
    assert not failures, "\n".join(failures)


def test_the_staffing_tab_fits(db: Database, qtbot: QtBot,
                               supervisor: Callable[[Database], SupervisorWindow],
                               shots: Saver) -> None:
    """排班建议 for the week of the history: the summary, the day's chart and table."""
    build_history(db)
    window = supervisor(db)
    panel = window.staffing
    click_tab(qtbot, window, panel)
    qtbot.waitUntil(lambda: panel.plan is not None, timeout=WAIT_MS)
    panel.week.setDate(QDate(PLAN_WEEK.year, PLAN_WEEK.month, PLAN_WEEK.day))
    qtbot.mouseClick(panel.make, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.plan is not None and panel.plan.week == PLAN_WEEK
                    and window.runner.idle, timeout=WAIT_MS)
    assert panel.table.rowCount() > 0 and panel.export.isEnabled()
    failures = at_sizes(window, STAFF_SIZES, "staffing", shots, touch=False, ignore=OFFICE)
    assert not failures, "\n".join(failures)


# --- the kiosk ---------------------------------------------------------------------------


def lack_three_times(db: Database, service: str, material: str) -> None:
    """Three cases of ``service`` ended 材料不全 lacking ``material`` today."""
    for _ in range(3):
        ticket = issuing.issue_ticket(db, service, site=SITE).ticket
        queue.call_number(db, ticket.number, 2, site=SITE)
        queue.start(db, ticket.id, site=SITE)
        queue.finish(db, ticket.id, site=SITE, outcome=Outcome.MATERIALS_MISSING.value,
                     missing=[material])


def test_the_kiosk_guide_with_often_missing_marks_fits(
        qtbot: QtBot, db: Database, empty_db_url: str, shots: Saver) -> None:
    """The guide of 甲业务 with 申请表 marked 常缺, tapped to from the start screen."""
    lack_three_times(db, "SA", "申请表")
    with running_kiosk(qtbot, kiosk_config(empty_db_url)) as kiosk:
        kiosk.tap(kiosk.card("service", "SA"))
        kiosk.wait_screen(Screen.GUIDE)
        failures: list[str] = []
        guide = kiosk.window.guide_screen
        (mark,) = [w for w in guide.findChildren(QLabel) if w.objectName() == "materialOften"]
        for size, dims in KIOSK_SIZES.items():
            kiosk.resize(dims)
            failures += [f"guide {size}: {p}" for p in check(kiosk.window, dims, touch=True)]
            shots(kiosk.window, f"kiosk-guide-often-{size}")
            # The mark is there for a citizen who does not scroll: in view as it opens.
            viewport = guide.scroll.viewport()
            shown = QRect(mark.mapTo(viewport, QPoint(0, 0)), mark.size())
            if guide.scroll.verticalScrollBar().value() != 0 or \
                    not viewport.rect().contains(shown):
                failures.append(f"guide {size}: 常缺 at {shown.y()}..{shown.bottom()}, "
                                f"below the {viewport.height()} px of the list in view")
    assert not failures, "\n".join(failures)


# A long name, as a county's catalog has them (names may have up to 100 characters).
LONG_SERVICE_NAME = "企业投资项目“零土地”技术改造项目备案（含变更、延期及撤销）"


def heading_problems(guide: GuideScreen, size: str) -> list[str]:
    """The guide's heading: its text whole inside its label, each of its lines on one line
    (broken between phrases where the screen chose, not wherever the width ran out), and
    the label whole inside the page, not cut by a layout too short for it."""
    name = guide.name
    problems = []
    if name.heightForWidth(name.width()) > name.height():
        problems.append(f"guide {size}: heading needs {name.heightForWidth(name.width())} "
                        f"px, has {name.height()}")
    metrics = QFontMetricsF(name.font())
    problems += [f"guide {size}: heading line “{line}” wider than its {name.width()} px"
                 for line in name.text().split("\n")
                 if metrics.horizontalAdvance(line) > name.width()]
    where = QRect(name.mapTo(guide, QPoint(0, 0)), name.size())
    if not guide.rect().contains(where) or \
            name.visibleRegion().boundingRect().size() != name.size():
        problems.append(f"guide {size}: heading at {where.getRect()}, cut by the page")
    return problems


@pytest.mark.parametrize("long_name", [None, LONG_SERVICE_NAME])
def test_the_kiosk_guide_of_a_long_service_name_fits(
        qtbot: QtBot, tmp_path: Path, shots: Saver, long_name: str | None) -> None:
    """The demo catalog's longest service name (“零土地”技改项目备案, with a guide text),
    and a longer one: the heading whole, and the page passes the audit, at every kiosk
    size, 1024×600 included."""
    demo = prepare_demo_database(tmp_path / "demo.db")
    if long_name is not None:
        demo.write(lambda s: s.execute(update(Service).where(Service.code == "ZERO-LAND")
                                       .values(name=long_name)))
    demo.dispose()
    config = kiosk_config(f"sqlite:///{tmp_path / 'demo.db'}")
    config.site = "chunan"
    with running_kiosk(qtbot, config) as kiosk:
        kiosk.tap(kiosk.card("department", "经科"))
        kiosk.wait_screen(Screen.DEPARTMENT)
        kiosk.tap(kiosk.card("service", "ZERO-LAND"))
        kiosk.wait_screen(Screen.GUIDE)
        guide = kiosk.window.guide_screen
        assert guide.name.text().replace("\n", "") == (long_name or "“零土地”技改项目备案")
        failures: list[str] = []
        for size, dims in KIOSK_SIZES.items():
            kiosk.resize(dims)
            shots(kiosk.window, f"kiosk-guide-long-name-{size}")
            failures += heading_problems(guide, size)
            failures += [f"guide {size}: {p}" for p in check(kiosk.window, dims, touch=True)]
    assert not failures, "\n".join(failures)


# --- English (--lang en) -----------------------------------------------------------------

ENGLISH = SIZES["1366x768"]


def data_words(db: Database) -> set[str]:
    """What the hall entered in Chinese and every language shows as entered: the names
    of sites, departments, services, windows and staff, the materials, the citizens'
    comments and the provincial system's answers."""
    from sqlalchemy import select

    from shared.models import Clerk, Department, Evaluation, HcpOutbox, Service, Site, Window

    with db.read() as session:
        words = {*session.scalars(select(Site.name)), *session.scalars(select(Department.name)),
                 *session.scalars(select(Service.name)), *session.scalars(select(Window.name)),
                 *session.scalars(select(Clerk.display_name))}
        for materials in session.scalars(select(Service.materials)):
            words.update(materials)
        words.update(session.scalars(select(Evaluation.comment)))
        words.update(e for e in session.scalars(select(HcpOutbox.last_error)) if e)
    return words | {BOSS.display_name}


def english_problems(window: QWidget, name: str, allowed: set[str], shots: Saver, *,
                     touch: bool, ignore: frozenset[str] = frozenset()) -> list[str]:
    """At 1366×768: the audit and fit problems, and any Chinese drawn but the data's."""
    if not isinstance(window, QDialog):
        window.resize(*ENGLISH)
    QApplication.processEvents()
    shots(window, f"{name}-en")
    return [f"{name}: {p}" for p in check(window, ENGLISH, touch=touch, ignore=ignore)] + \
        [f"{name}: Chinese in English mode: {t}" for t in visible_cjk(window, allowed)]


def test_the_counter_screens_in_english(qtbot: QtBot, case_hall: Database, owner: QObject,
                                        english: None, shots: Saver) -> None:
    """--lang en: the finish dialog with case numbers and ticks, and the pad's first of
    two cases: English only (but the catalog's names), nothing clipped."""
    issuing.issue_ticket(case_hall, "SA", site=SITE)
    counter = Counter(qtbot, case_hall, owner)
    dialog = counter.finish_dialog()
    counter.key(Qt.Key.Key_1, dialog)
    qtbot.waitUntil(dialog.case_input.hasFocus)
    for number in ("BJ2026-0001", "BJ 1"):
        _scan(counter, dialog, number)
    allowed = data_words(case_hall)
    failures = english_problems(dialog, "finish-cases", allowed, shots, touch=False)
    dialog.case_input.clear()
    qtbot.mouseClick(dialog.outcome_buttons[Outcome.MATERIALS_MISSING],
                     Qt.MouseButton.LeftButton)
    dialog.material_checks[1].setChecked(True)
    dialog.fit_to_screen(QRect(0, 0, ENGLISH[0], ENGLISH[1] - TASK_BAR_PX))
    failures += english_problems(dialog, "finish-materials", allowed, shots, touch=False)
    counter.key(Qt.Key.Key_Escape, dialog)

    number = issuing.issue_ticket(case_hall, "SA", site=SITE).ticket.number
    queue.call_number(case_hall, number, 3, site=SITE)
    queue.start(case_hall, number, site=SITE)
    ticket = queue.finish(case_hall, number, site=SITE, cases=["BJ2026-0003", "BJ2026-0004"])
    presenter, pad, runner = make_pad(qtbot, case_hall, owner, window=3)
    pad.show()
    qtbot.waitExposed(pad)
    presenter.ask(ticket, ["BJ2026-0003", "BJ2026-0004"])
    assert "BJ2026-0003" in pad.question_detail.text()
    failures += english_problems(pad, "pad-case-1-of-2", allowed, shots, touch=True)
    qtbot.mouseClick(pad.level_buttons[5], Qt.MouseButton.LeftButton)
    failures += english_problems(pad, "pad-case-1-reasons", allowed, shots, touch=True)
    qtbot.mouseClick(pad.skip_reasons, Qt.MouseButton.LeftButton)
    settle(qtbot, runner)
    assert not failures, "\n".join(failures)


def test_the_supervisor_screens_in_english(
        noon_hall: Database, qtbot: QtBot, english: None,
        supervisor: Callable[[Database], SupervisorWindow], shots: Saver) -> None:
    """--lang en: the live view with the overflow and 好差评 lines, the follow-ups with a
    detail, the statistics with the bulletin buttons, the staffing tab, the overflow log."""
    db = noon_hall
    add_clerks(db)
    finished = rated_case(db, "BJ0001", 5)
    evaluations.add_comment(db, finished.id, "等候时间太长；材料要求没讲清楚", "13812345678",
                            case_no="BJ0001")
    push_to_province(db, ["refuse"])
    window = live_with_overflow(db, qtbot, supervisor)
    allowed = data_words(db)
    failures = english_problems(window, "live", allowed, shots, touch=False, ignore=OFFICE)

    panel = window.followups
    click_tab(qtbot, window, panel)
    qtbot.waitUntil(lambda: len(panel.items) == 1, timeout=WAIT_MS)
    cell = panel.table.visualItemRect(panel.table.item(0, 0)).center()
    qtbot.mouseClick(panel.table.viewport(), Qt.MouseButton.LeftButton, pos=cell)
    qtbot.waitUntil(lambda: panel.selected_item() is not None, timeout=WAIT_MS)
    failures += english_problems(window, "followups", allowed, shots, touch=False,
                                 ignore=OFFICE)

    click_tab(qtbot, window, window.stats)
    qtbot.waitUntil(lambda: window.stats.stats is not None and window.runner.idle,
                    timeout=WAIT_MS)
    failures += english_problems(window, "stats", allowed, shots, touch=False, ignore=OFFICE)

    click_tab(qtbot, window, window.staffing)
    qtbot.waitUntil(lambda: window.staffing.plan is not None and window.runner.idle,
                    timeout=WAIT_MS)
    failures += english_problems(window, "staffing", allowed, shots, touch=False,
                                 ignore=OFFICE)

    click_tab(qtbot, window, window.tabs.widget(0))
    qtbot.mouseClick(window.overflow.log, Qt.MouseButton.LeftButton)
    dialog = window.overflow_log
    assert dialog is not None
    qtbot.waitUntil(lambda: dialog.isVisible() and bool(dialog.items), timeout=WAIT_MS)
    failures += english_problems(dialog, "overflow-log", allowed, shots, touch=False,
                                 ignore=OFFICE)
    dialog.close()
    assert not failures, "\n".join(failures)


def test_the_kiosk_guide_in_english(qtbot: QtBot, db: Database, empty_db_url: str,
                                    shots: Saver) -> None:
    """--lang en: the guide's "Often missing" mark; only the catalog's words in Chinese."""
    lack_three_times(db, "SA", "申请表")
    allowed = data_words(db)
    with running_kiosk(qtbot, kiosk_config(empty_db_url), language="en") as kiosk:
        kiosk.tap(kiosk.card("service", "SA"))
        kiosk.wait_screen(Screen.GUIDE)
        kiosk.resize(ENGLISH)
        failures = english_problems(kiosk.window, "kiosk-guide", allowed, shots, touch=True)
    assert not failures, "\n".join(failures)

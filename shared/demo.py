"""``hallq-demo``: a fresh demo hall on its own SQLite file.

With a display, it opens the terminals of a small hall as separate processes, as on
separate PCs: the kiosk, two counters logged in as demo clerks, the hall display and the
supervisor view. Without a display (or with ``--headless``) it runs a simulated morning
through the queue operations and prints what happened.

The demo database is separate from the default database a real single-PC hall uses, and
starts fresh each run; the demo hall is open around the clock so it works at any hour.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import platformdirs

from resources import resource_path
from shared import clerks, issuing, queue, schema
from shared.catalog import apply_catalog, read_catalog
from shared.config import APP_NAME
from shared.db import Database
from shared.errors import HallQueueError
from shared.i18n import LANGUAGES, QT_TRANSLATE_NOOP, SOURCE_LANGUAGE, one_language, set_language
from shared.operation import Actor
from shared.options import ArgumentParser, requested_language, tr
from shared.qt.devices import has_display
from shared.read import hall_state
from shared.vocabulary import kind_label, outcome_label

SITE = "chunan"
DEMO_CLERKS = [("demo1", "王芳", 1), ("demo2", "李强", 3), ("boss", "陈主任", None)]
DEMO_PASSWORD = "demo1234"


def demo_database_path() -> Path:
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)) / "demo" / "demo.db"


def load_chunan_around_the_clock(db: Database, *, quotas: bool = True) -> None:
    """Load the shipped Chun'an catalog with every site and service open day and night,
    so demos and benchmarks work at any hour (``quotas=False`` also lifts daily quotas)."""
    data = read_catalog(resource_path("catalog", "chunan.toml"))
    for site in data["sites"]:
        site["calendar"].update(workday_hours=["00:00-24:00"], weekend_hours=["00:00-24:00"],
                                issue_cutoff_minutes=0, holidays=[], lunch_break=None)
    for department in data["departments"]:
        for service in department["services"]:
            service.update(weekend=True, holiday=True, hours={})
            if not quotas:
                service["daily_quota"] = None
    db.write(lambda session: apply_catalog(session, data), name="catalog_around_the_clock")


def prepare_demo_database(path: Path) -> Database:
    """Create a fresh demo database: schema, the Chun'an catalog open around the clock,
    demo clerks."""
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    db = Database(f"sqlite:///{path}")
    schema.upgrade(db)
    load_chunan_around_the_clock(db)
    for login, name, _window in DEMO_CLERKS:
        role = "supervisor" if login == "boss" else "clerk"
        clerks.add_clerk(db, login, name, DEMO_PASSWORD, role=role)
    return db


def simulate_morning(db: Database, *, tickets: int = 24, seed: int = 7) -> list[str]:
    """Issue and serve a morning's worth of tickets; return the log lines printed."""
    rng = random.Random(seed)
    lines: list[str] = []

    def say(text: str) -> None:
        lines.append(text)
        print(text, flush=True)

    services = ["RE-REG", "RE-QUERY", "SI", "MI", "TAX"]
    windows = [1, 2, 3, 4]
    say(tr(QT_TRANSLATE_NOOP("Cli", "— 模拟上午：{site} —"), site="淳安县行政服务中心"))
    for i in range(tickets):
        kind = "green" if i % 9 == 4 else "normal"
        issued = issuing.issue_ticket(db, rng.choice(services), site=SITE, kind=kind)
        t = issued.ticket
        label = kind_label(kind) + " " if kind == "green" else ""
        say(tr(QT_TRANSLATE_NOOP("Cli", "取号 {number} {label}{service}，前面 {ahead} 人"),
               number=t.number, label=label, service=t.service_name, ahead=issued.people_ahead))
        if i % 3 == 2:
            _serve_round(db, windows, rng, say)
    while any(hall_state.waiting_for_window(db, w, site=SITE) for w in windows):
        _serve_round(db, windows, rng, say)
    for w in windows:
        held = hall_state.get_window(db, w, site=SITE).current_ticket
        if held is not None and held.state == "serving":
            queue.finish(db, held.id, site=SITE)
    tickets_today = hall_state.list_tickets(db, site=SITE)
    finished = sum(1 for t in tickets_today if t.state == "finished")
    no_show = sum(1 for t in tickets_today if t.state == "no_show")
    say(tr(QT_TRANSLATE_NOOP("Cli", "— 共取号 {issued} 张，已办理 {finished} 张，过号 {no_show} 张 —"),
           issued=len(tickets_today), finished=finished, no_show=no_show))
    return lines


def _serve_round(db: Database, windows: list[int], rng: random.Random, say: object) -> None:
    assert callable(say)
    for window in windows:
        result = queue.call_next(db, window, site=SITE)
        if result.finished is not None:
            outcome = outcome_label(result.finished.outcome)
            say("  " + tr(QT_TRANSLATE_NOOP("Cli", "{window} 号窗口办理完成 {number}（{outcome}）"),
                          window=window, number=result.finished.number, outcome=outcome))
        ticket = result.ticket
        if ticket is None:
            continue
        say(tr(QT_TRANSLATE_NOOP("Cli", "请 {number} 号到 {window} 号窗口办理"),
               number=ticket.number, window=window))
        if rng.random() < 0.08:
            queue.no_show(db, ticket.id, site=SITE, actor=Actor(window=window))
            say("  " + tr(QT_TRANSLATE_NOOP("Cli", "{number} 过号"), number=ticket.number))
        else:
            queue.start(db, ticket.id, site=SITE, actor=Actor(window=window))


def _terminal(module: str, command: str) -> list[str]:
    """How to start one terminal: the module under this Python, or in the self-contained
    bundle (where there is no ``-m``) the bundle's program with the command's name."""
    if getattr(sys, "frozen", False):
        return [sys.executable, command]
    return [sys.executable, "-m", module]


STOP_WAIT_SECONDS = 5.0  # for the terminals to log out and quit before they are killed


class DemoStopped(Exception):
    """The demo process was told to stop (Ctrl+C, or a TERM from the OS or a script)."""

    def __init__(self, signal_number: int) -> None:
        super().__init__(f"signal {signal_number}")
        self.signal_number = signal_number


def _raise_stopped(signal_number: int, _frame: object) -> None:
    raise DemoStopped(signal_number)


def stop_terminals(processes: list[subprocess.Popen[bytes]],
                   wait_seconds: float = STOP_WAIT_SECONDS) -> None:
    """Ask every running terminal to quit (they log out on a TERM), wait for them, and kill
    any that has not quit in time."""
    for process in processes:
        if process.poll() is None:
            process.terminate()
    deadline = time.monotonic() + wait_seconds
    for process in processes:
        try:
            process.wait(max(0.0, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def launch_terminals(url: str) -> int:
    """Start each terminal as its own process and wait until all are closed. Stopping the
    demo (Ctrl+C, or SIGTERM where the OS sends one) stops the terminals with it."""
    common = ["--database", url, "--site", SITE, "--windowed"]
    commands = [[*_terminal("kiosk_app.main", "hallq-kiosk"), *common],
                [*_terminal("kiosk_app.display.main", "hallq-display"), *common]]
    env_by_command: list[dict[str, str]] = [{}, {}]
    for login, _name, window in DEMO_CLERKS:
        if window is None:
            continue
        commands.append([*_terminal("counter_app.main", "hallq-counter"), *common,
                         "--window", str(window)])
        env_by_command.append({"HALLQ_AUTOLOGIN": f"{login}:{DEMO_PASSWORD}"})
    commands.append([*_terminal("counter_app.supervisor.main", "hallq-supervisor"), *common])
    env_by_command.append({"HALLQ_AUTOLOGIN": f"boss:{DEMO_PASSWORD}"})
    # Both exist on Windows too; there only Ctrl+C arrives (a TERM is never delivered).
    stop_signals = (signal.SIGINT, signal.SIGTERM)
    previous = {number: signal.signal(number, _raise_stopped) for number in stop_signals}
    processes: list[subprocess.Popen[bytes]] = []
    try:
        for cmd, extra in zip(commands, env_by_command, strict=True):
            processes.append(subprocess.Popen(cmd, env={**os.environ, **extra}))
        while any(p.poll() is None for p in processes):
            time.sleep(0.5)
    except DemoStopped as stopped:
        print("hallq-demo: " + tr(QT_TRANSLATE_NOOP("Cli", "正在停止各终端（信号 {number}）"),
                                  number=stopped.signal_number), file=sys.stderr, flush=True)
        return 128 + stopped.signal_number
    finally:
        # Also on any error: no terminal is left behind. A second Ctrl+C must not cut the
        # waiting short (the terminals are killed after STOP_WAIT_SECONDS anyway).
        for number in stop_signals:
            signal.signal(number, signal.SIG_IGN)
        stop_terminals(processes)
        for number, handler in previous.items():
            signal.signal(number, handler)
    return max((p.returncode or 0) for p in processes)


def main(argv: list[str] | None = None) -> int:
    words = list(sys.argv[1:] if argv is None else argv)
    set_language(requested_language(words) or SOURCE_LANGUAGE)  # for --help
    parser = ArgumentParser(prog="hallq-demo", description=QT_TRANSLATE_NOOP(
        "Cli", "演示：在本机 SQLite 上模拟大厅的一个上午"))
    parser.add_argument("--headless", action="store_true",
                        help=QT_TRANSLATE_NOOP("Cli", "在终端中运行模拟的上午，不开窗口"))
    parser.add_argument("--database-file", type=Path, default=None,
                        help=QT_TRANSLATE_NOOP(
                            "Cli", "演示用 SQLite 文件（默认：用户数据目录下的 demo/demo.db）"))
    parser.add_argument("--lang", choices=LANGUAGES, help=QT_TRANSLATE_NOOP("Cli", "帮助与提示的语言"))
    args = parser.parse_args(words)
    path = args.database_file or demo_database_path()
    try:
        db = prepare_demo_database(path)
        print(tr(QT_TRANSLATE_NOOP("Cli", "演示数据库：{path}"), path=path))
        print(tr(QT_TRANSLATE_NOOP("Cli", "演示工作人员：demo1、demo2（窗口 1、3），boss（主任）；"
                                          "密码 {password}"), password=DEMO_PASSWORD))
        if args.headless or not has_display():
            if not args.headless:
                print(tr(QT_TRANSLATE_NOOP("Cli", "没有可用的显示器，改为在终端中模拟")))
            simulate_morning(db)
            return 0
        url = f"sqlite:///{path}"
        db.dispose()
        return launch_terminals(url)
    except HallQueueError as exc:
        print(f"hallq-demo: {one_language(str(exc))}", file=sys.stderr)
        return exc.exit_code


if __name__ == "__main__":
    sys.exit(main())

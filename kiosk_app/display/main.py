"""``hallq-display``: the hall display (叫号显示屏) with voice calling.

    hallq-display [--config FILE] [--database URL] [--site CODE] [--screen N|NAME]
                  [--windowed] [--lang en] [--list-screens]

Shows and announces the calls of one site; see docs/display.md.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QKeySequence, QShortcut

from kiosk_app.display.controller import DisplayController
from kiosk_app.display.screens import ScreenKeeper, describe_screens
from kiosk_app.display.voice import create_engine
from kiosk_app.display.window import DisplayWindow
from shared.config import Config
from shared.db import Database
from shared.heartbeats import default_name
from shared.i18n import QT_TRANSLATE_NOOP
from shared.options import ArgumentParser
from shared.qt.app import open_database, quit_on_signals, run_event_loop, start_app
from shared.qt.heartbeat import DeviceState, HeartbeatReporter, audio_state
from shared.read.site import SiteInfo, site_info


def build_parser() -> argparse.ArgumentParser:
    parser = ArgumentParser(prog="hallq-display", description=QT_TRANSLATE_NOOP(
        "Cli", "叫号显示屏，带语音叫号"))
    parser.add_argument("--screen", help=QT_TRANSLATE_NOOP("Cli", "屏幕序号或名称（优先于 display.screen）"))
    parser.add_argument("--list-screens", action="store_true",
                        help=QT_TRANSLATE_NOOP("Cli", "列出已连接的屏幕后退出"))
    return parser


def connector(config: Config) -> tuple[Database, SiteInfo]:
    """Open the database and find the display's site (runs off the GUI thread)."""
    db = open_database(config)
    return db, site_info(db, config.site_code)


def main(argv: Sequence[str] | None = None) -> int:
    context = start_app("hallq-display", build_parser(), argv)
    app, config, args = context.app, context.config, context.args
    if args.list_screens:
        print("\n".join(describe_screens(QGuiApplication.screens())) or "no screens")
        return 0
    display = config.display
    window = DisplayWindow(notice=display.notice, highlight_seconds=display.highlight_seconds)
    engine = create_engine(display.voice, window)
    controller = DisplayController(window, engine, lambda: connector(config),
                                   poll_interval_ms=config.poll_interval_ms,
                                   refresh_ms=config.refresh_ms,
                                   highlight_seconds=display.highlight_seconds)
    # The hall TV has no mouse; Ctrl+Q on a keyboard plugged in for maintenance quits.
    QShortcut(QKeySequence("Ctrl+Q"), window, activated=window.close)
    fullscreen = display.fullscreen and not args.windowed
    if fullscreen:
        window.setCursor(Qt.CursorShape.BlankCursor)  # nobody uses a mouse on the hall TV
    keeper = ScreenKeeper(window, args.screen or display.screen, fullscreen=fullscreen)
    keeper.place()
    heartbeat: list[HeartbeatReporter] = []  # started once, on the first connection

    def start_heartbeat(db: Database, site: SiteInfo) -> None:
        if not heartbeat:
            heartbeat.append(HeartbeatReporter(
                db, "display", default_name("display"), site.code,
                lambda: DeviceState(audio=audio_state()), parent=window))
            heartbeat[0].start()

    controller.connected.connect(start_heartbeat)
    controller.start()
    quit_on_signals(app)
    try:
        return run_event_loop(app)
    finally:
        controller.stop()


if __name__ == "__main__":
    sys.exit(main())

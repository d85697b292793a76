"""``hallq-kiosk``: the hall's ticket machine (also ``python -m kiosk_app.main``).

    hallq-kiosk --database URL --site chunan [--windowed] [--printer tcp://HOST:9100]
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence

from PySide6.QtCore import QObject
from PySide6.QtGui import QGuiApplication

from kiosk_app.backend import KioskBackend
from kiosk_app.presenter import KioskPresenter
from kiosk_app.window import KioskWindow
from shared.config import Config
from shared.i18n import QT_TRANSLATE_NOOP
from shared.options import ArgumentParser
from shared.printing.slip import PAPER_WIDTHS_MM
from shared.qt.app import open_database, quit_on_signals, run_event_loop, start_app
from shared.qt.heartbeat import DeviceState, HeartbeatReporter, audio_state
from shared.qt.ops import OperationRunner
from shared.read.site import SiteInfo
from shared.ticket_print import PRINT_MODES

log = logging.getLogger(__name__)
APP_NAME = "hallq-kiosk"


def build_parser() -> argparse.ArgumentParser:
    parser = ArgumentParser(prog=APP_NAME, description=QT_TRANSLATE_NOOP("Cli", "取号机"))
    parser.add_argument("--printer", metavar="URL",
                        help=QT_TRANSLATE_NOOP(
                            "Cli", "凭条打印机，如 tcp://192.168.1.50:9100（优先于 "
                                   "kiosk.printer；none 表示不接打印机）"))
    parser.add_argument("--print-mode", choices=[m for m in PRINT_MODES if m != "pdf"],
                        help=QT_TRANSLATE_NOOP(
                            "Cli", "raster（任何打印机）或 text（带 GB18030 字库的打印机）"))
    parser.add_argument("--paper", type=int, choices=PAPER_WIDTHS_MM,
                        help=QT_TRANSLATE_NOOP("Cli", "纸宽（毫米）"))
    parser.add_argument("--orientation", choices=["auto", "portrait", "landscape"],
                        help=QT_TRANSLATE_NOOP("Cli", "屏幕布局（默认：kiosk.orientation）"))
    return parser


def apply_overrides(config: Config, args: argparse.Namespace) -> None:
    kiosk = config.kiosk
    if args.printer is not None:
        kiosk.printer = "" if args.printer.lower() == "none" else args.printer
    if args.print_mode:
        kiosk.print_mode = args.print_mode
    if args.paper:
        kiosk.paper_width_mm = args.paper
    if args.orientation:
        kiosk.orientation = args.orientation
    if args.windowed:
        kiosk.fullscreen = False


def windowed_size(orientation: str) -> tuple[int, int]:
    """A 16:9 window as large as the desktop allows (the demo, maintenance)."""
    screen = QGuiApplication.primaryScreen()
    available = screen.availableGeometry() if screen is not None else None
    width, height = (available.width(), available.height()) if available else (1920, 1080)
    landscape = orientation == "landscape" or (orientation == "auto" and width > height)
    if landscape:
        w = min(1920, int(width * 0.9))
        return w, w * 9 // 16
    h = min(1920, int(height * 0.9))
    return h * 9 // 16, h


def build_kiosk(config: Config, *, site: str | None = None
                ) -> tuple[KioskWindow, KioskPresenter, OperationRunner]:
    """The window, its presenter and runner, wired; call ``presenter.start()`` to go."""
    kiosk = config.kiosk
    window = KioskWindow(orientation=kiosk.orientation,
                         poll_interval=config.poll_interval_ms / 1000,
                         refresh_interval=config.refresh_ms / 1000)
    runner = OperationRunner(window)

    def connect() -> KioskBackend:
        return KioskBackend(open_database(config), kiosk, site=site or config.site_code)

    presenter = KioskPresenter(window, runner, connect, staff_pin_hash=kiosk.staff_pin_hash,
                               admin_pin_hash=kiosk.admin_pin_hash,
                               idle_seconds=kiosk.idle_seconds)
    window.bind(presenter)
    return window, presenter, runner


def start_heartbeat(presenter: KioskPresenter, backend: KioskBackend, site: SiteInfo,
                    parent: QObject) -> HeartbeatReporter:
    """Report this kiosk's health (printer, sound) to the supervisor's 设备 tab."""

    def state() -> DeviceState:
        current = presenter.backend or backend
        return DeviceState(printer=current.printer_state if current.has_printer else None,
                           audio=audio_state())

    reporter = HeartbeatReporter(backend.db, "kiosk", backend.terminal_name, site.code, state,
                                 parent=parent)
    reporter.start()
    return reporter


def main(argv: Sequence[str] | None = None) -> int:
    context = start_app(APP_NAME, build_parser(), argv)
    config = context.config
    apply_overrides(config, context.args)
    window, presenter, _runner = build_kiosk(config)
    presenter.on_ready = lambda backend, site: start_heartbeat(presenter, backend, site, window)
    log.info("printer %s (%s, %d mm)", config.kiosk.printer or "none",
             config.kiosk.print_mode, config.kiosk.paper_width_mm)
    if config.kiosk.fullscreen:
        window.set_fullscreen(True)
    else:
        window.resize(*windowed_size(config.kiosk.orientation))
        window.show()
    presenter.start()
    quit_on_signals(context.app)
    code = run_event_loop(context.app)
    window.shutdown()
    return int(code)


if __name__ == "__main__":
    sys.exit(main())

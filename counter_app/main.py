"""``hallq-counter``: the clerk's terminal at a window, or its window display.

    hallq-counter --window 3                 # the counter of window 3
    hallq-counter                            # the window is chosen at login
    hallq-counter --window 3 --window-display   # only the display above window 3

The demo (``hallq-demo``) logs in automatically with ``HALLQ_AUTOLOGIN=login:password``;
that variable is for demonstrations only and must not be set on a real counter PC.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from counter_app.terminal import CounterTerminal, DisplayTerminal, TerminalOptions
from shared.i18n import QT_TRANSLATE_NOOP, one_language
from shared.options import ArgumentParser
from shared.qt.app import quit_on_signals, run_event_loop, start_app
from shared.qt.startup_errors import show_startup_error

APP_NAME = "hallq-counter"


def build_parser() -> argparse.ArgumentParser:
    parser = ArgumentParser(prog=APP_NAME, description=QT_TRANSLATE_NOOP(
        "Cli", "柜台终端：窗口工作人员叫号办理，或窗口上方的窗口屏"))
    parser.add_argument("--window", type=int, metavar="N",
                        help=QT_TRANSLATE_NOOP(
                            "Cli", "本机服务的窗口号（优先于 counter.window；都未设置时由工作人员登"
                                   "录时选择）"))
    parser.add_argument("--window-display", action="store_true",
                        help=QT_TRANSLATE_NOOP("Cli", "只显示 --window 的窗口屏"))
    parser.add_argument("--display-screen", type=int, metavar="INDEX",
                        help=QT_TRANSLATE_NOOP(
                            "Cli", "同时在此屏幕上全屏显示窗口屏（与 --window-display 同用时为所用"
                                   "屏幕，默认 0）"))
    parser.add_argument("--printer", metavar="URL",
                        help=QT_TRANSLATE_NOOP("Cli", "补打凭条用的打印机，如 tcp://192.168.1.50:9100"))
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    context = start_app(APP_NAME, build_parser(), argv)
    args, config = context.args, context.config
    window = args.window if args.window is not None else (config.counter.window or None)
    if window is not None and window <= 0:
        show_startup_error(f"{APP_NAME}: {one_language('启动参数有误 (wrong option)')}",
                           f"窗口号须为正整数，现为 {window} (--window must be a positive window "
                           f"number, got {window})")
        return 2
    display_screen = args.display_screen
    if display_screen is None and config.counter.window_display_screen >= 0:
        display_screen = config.counter.window_display_screen
    terminal: CounterTerminal | DisplayTerminal
    if args.window_display:
        if window is None:
            show_startup_error(f"{APP_NAME}: {one_language('启动参数有误 (wrong option)')}",
                               "窗口屏需要窗口号：--window N 或配置中的 counter.window "
                               "(--window-display needs the window number: --window N or "
                               "counter.window in the config)")
            return 2
        terminal = DisplayTerminal(config, window, windowed=args.windowed,
                                   screen=display_screen)
    else:
        terminal = CounterTerminal(config, TerminalOptions(
            window=window, windowed=args.windowed, printer_url=args.printer,
            display_screen=display_screen))
    context.app.aboutToQuit.connect(terminal.shutdown)
    quit_on_signals(context.app)
    terminal.start()
    return run_event_loop(context.app)


if __name__ == "__main__":
    sys.exit(main())

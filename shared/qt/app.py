"""Starting a HallQueue Qt app: arguments, config, logging, font, translation, style.

Every GUI entry point (kiosk, counter, display, supervisor, demo) starts through
:func:`start_app`, so all of them read the same config, log to the same place, show the
bundled CJK font, speak the configured language and present errors the same way.
"""

from __future__ import annotations

import argparse
import gc
import logging
import signal
import sys
from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import (
    QCoreApplication,
    QLibraryInfo,
    QLocale,
    QTimer,
    QTranslator,
)
from PySide6.QtWidgets import QApplication

from resources import resource_path
from shared import i18n
from shared.config import Config, exposure_warning, load_config
from shared.db import Database
from shared.errors import HallQueueError
from shared.i18n import QT_TRANSLATE_NOOP
from shared.logs import install_excepthook, setup_logging
from shared.options import add_common_options, requested_language
from shared.qt.errors import show_exception
from shared.qt.fonts import install_app_font
from shared.qt.startup_errors import show_startup_error
from shared.schema import ensure_current

log = logging.getLogger(__name__)


@dataclass
class AppContext:
    app: QApplication
    config: Config
    args: argparse.Namespace


def common_arguments(parser: argparse.ArgumentParser) -> None:
    """The options of every Qt app: the common ones (shared/options.py), the site, the
    UI language and windowed mode."""
    add_common_options(parser)
    parser.add_argument("--site", help=QT_TRANSLATE_NOOP("Cli", "网点代码（优先于配置文件）"))
    parser.add_argument("--lang", choices=i18n.LANGUAGES, help=QT_TRANSLATE_NOOP("Cli", "界面语言"))
    parser.add_argument("--windowed", action="store_true", help=QT_TRANSLATE_NOOP(
        "Cli", "不全屏（窗口模式）"))


_installed: list[QTranslator] = []


def use_language(app: QApplication, language: str) -> list[QTranslator]:
    """Make shared/i18n.py speak ``language`` and install the compiled catalogs of that
    language (resources/translations/<part>_<language>.qm) into ``app``, replacing those
    of an earlier call, so a widget's ``tr()`` and :func:`shared.i18n.translate` agree."""
    for translator in _installed:
        app.removeTranslator(translator)
    _installed.clear()
    language = i18n.set_language(language)
    if language == i18n.SOURCE_LANGUAGE:
        return []
    for path in sorted(resource_path("translations").glob(f"*_{language}.qm")):
        translator = QTranslator(app)
        if translator.load(str(path)):
            app.installTranslator(translator)
            _installed.append(translator)
        else:
            log.warning("cannot load translation %s", path)
    return list(_installed)


def install_translation(app: QApplication, language: str) -> list[QTranslator]:
    """Chinese is the source language; other languages come from
    resources/translations/<part>_<language>.qm (one file per part of the program)."""
    installed = use_language(app, language)
    if i18n.language() == i18n.SOURCE_LANGUAGE:
        QLocale.setDefault(QLocale(QLocale.Language.Chinese, QLocale.Country.China))
        return install_qt_chinese(app)
    QLocale.setDefault(QLocale(QLocale.Language.English))
    return installed


CONFIG_ERROR = i18n.QT_TRANSLATE_NOOP("StartupError", "配置有误")
QT_OWN_CATALOGS = ("qtbase",)  # Qt's own dialogs and buttons: file/print dialogs, OK/Cancel


def install_qt_chinese(app: QApplication) -> list[QTranslator]:
    """Qt's own texts (QFileDialog, QPrintDialog, QMessageBox buttons) in Chinese, from
    the qtbase_zh_CN.qm that ships with PySide6: Qt's source language is English, so a
    Chinese UI without it shows "Cancel" and "Print to File" next to Chinese words."""
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    installed = []
    for catalog in QT_OWN_CATALOGS:
        translator = QTranslator(app)
        if translator.load(f"{catalog}_zh_CN", folder):
            app.installTranslator(translator)
            installed.append(translator)
        else:
            log.warning("Qt's own Chinese translation %s_zh_CN.qm is missing in %s; Qt's "
                        "dialogs show English", catalog, folder)
    return installed


def install_style(app: QApplication, name: str) -> None:
    """Apply resources/styles/<app name>.qss when the app ships one."""
    try:
        app.setStyleSheet(resource_path("styles", f"{name}.qss").read_text(encoding="utf-8"))
    except FileNotFoundError:
        log.info("no style sheet %s.qss", name)


def start_app(name: str, parser: argparse.ArgumentParser, argv: Sequence[str] | None = None
              ) -> AppContext:
    """Parse arguments, load config, set up logging, font, translation and style."""
    common_arguments(parser)
    words = list(sys.argv[1:] if argv is None else argv)
    i18n.set_language(requested_language(words) or i18n.SOURCE_LANGUAGE)  # for --help
    args = parser.parse_args(words)
    log_path = setup_logging(name, verbose=args.verbose)
    app = QApplication.instance() or QApplication([sys.argv[0]])
    assert isinstance(app, QApplication)
    app.setApplicationName(name)
    install_excepthook(lambda exc: show_exception(app.activeWindow(), exc))
    install_app_font(app)  # before any dialog: a config error is shown in Chinese too
    # --lang speaks already in a start-up error (the config's language is not read yet)
    use_language(app, args.lang or i18n.SOURCE_LANGUAGE)
    try:
        config = load_config(args.config, database=args.database)
    except HallQueueError as exc:
        show_startup_error(f"{name}: {i18n.translate('StartupError', CONFIG_ERROR)}",
                           str(exc))  # the dialog shows it in one language
        raise SystemExit(exc.exit_code) from None
    if args.site:
        config.site = args.site
    if args.lang:
        config.language = args.lang
    install_translation(app, config.language)
    install_style(app, name)
    log.info("%s starting; database %s; log %s", name,
             Database.redacted(config.database_url), log_path)
    if (warning := exposure_warning(config)) is not None:
        log.warning("%s", warning)
        print(f"{name}: {warning}", file=sys.stderr)
    return AppContext(app, config, args)


def run_event_loop(app: QCoreApplication) -> int:
    """Run the app until it quits. What start-up built (Qt's and SQLAlchemy's objects,
    the catalog, the screens) lives as long as the app, so it is first frozen out of the
    garbage collector's passes (``gc.freeze``): a full pass would walk all of it again and
    again, a pause of tens of milliseconds that can fall in the middle of a clerk's call
    (bench/hall_load.py mirrors it; docs/benchmarks.md, "The whole hall")."""
    gc.freeze()
    return int(app.exec())


def quit_on_signals(app: QCoreApplication) -> None:
    """Ctrl+C or a TERM (hallq-demo closing its terminals, the OS shutting down) quits the
    event loop cleanly, so a clerk is logged out and a kiosk's printer released. ``exit``,
    not ``quit``: Qt 6's quit() first asks every window to close, and a kiosk refuses
    (only the admin PIN closes it). Python runs signal handlers only between bytecodes:
    a timer lets it look while Qt's loop runs."""
    for number in (signal.SIGINT, signal.SIGTERM):
        signal.signal(number, lambda *_: app.exit(0))
    wake = QTimer(app)
    wake.timeout.connect(lambda: None)
    wake.start(500)


def open_database(config: Config) -> Database:
    """Connect and check the schema; raises SchemaMismatch / DatabaseUnavailable.

    Call it through an OperationRunner: on a slow LAN it may take seconds.
    """
    db = Database(config.database_url, limits=config.database)
    ensure_current(db)
    return db

"""Make the bundled CJK font the default font of a Qt application.

A fresh kiosk or counter PC may have no CJK font at all, and Qt would then draw every
Chinese character as a box; registering the bundled font first avoids depending on
whatever the machine happens to have.
"""

from __future__ import annotations

from PySide6.QtGui import QFontDatabase, QGuiApplication

from resources import cjk_font_path
from shared.errors import HallQueueError


def install_app_font(app: QGuiApplication | None = None) -> str:
    """Register the bundled CJK font, make it the application font and return its family.

    The application's current point size (and other font attributes) are kept; only the
    family changes. Raises :class:`HallQueueError` naming the file if Qt cannot load it.
    """
    if app is None:
        instance = QGuiApplication.instance()
        # addApplicationFont needs a running QGuiApplication (QApplication is one).
        if not isinstance(instance, QGuiApplication):
            raise HallQueueError("Create the QApplication before installing the CJK font.")
        app = instance
    try:
        path = cjk_font_path()
    except FileNotFoundError as exc:
        raise HallQueueError(f"The bundled CJK font is missing: {exc}") from exc

    font_id = QFontDatabase.addApplicationFont(str(path))
    families = QFontDatabase.applicationFontFamilies(font_id) if font_id != -1 else []
    if not families:
        raise HallQueueError(f"Qt cannot load the bundled CJK font {path}.")
    family = families[0]

    font = app.font()
    font.setFamilies([family])
    app.setFont(font)
    return family

"""The counter's look: its style sheet and the "kind" property the sheet keys on."""

from __future__ import annotations

import logging
from functools import cache

from PySide6.QtWidgets import QWidget

from resources import resource_path

log = logging.getLogger(__name__)
STYLE_FILE = "hallq-counter.qss"


@cache
def counter_style_sheet() -> str:
    try:
        return resource_path("styles", STYLE_FILE).read_text(encoding="utf-8")
    except FileNotFoundError:
        log.warning("style sheet %s is missing; the counter uses Qt's default look", STYLE_FILE)
        return ""


def apply_counter_style(widget: QWidget) -> None:
    """Style one of the counter's top-level windows (the same sheet start_app may have
    installed application-wide; applying it here keeps tests and screenshots faithful)."""
    widget.setStyleSheet(counter_style_sheet())


def set_kind(widget: QWidget, kind: str) -> None:
    """Switch a widget's style variant (the sheet's [kind="..."] rules)."""
    if widget.property("kind") == kind:
        return
    widget.setProperty("kind", kind)
    style = widget.style()
    style.unpolish(widget)
    style.polish(widget)
    widget.update()

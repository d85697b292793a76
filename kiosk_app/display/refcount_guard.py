"""Guard against PySide6 6.12.0 on CPython 3.11 dropping references to None/True/False.

Those bindings hand back ``None``, ``True`` and ``False`` without a new reference, so
every void Qt call (``QWidget.update()``...) and every signal emit lowers their count.
The hall display repaints its notice ticker 30 times a second and would abort with
"none_dealloc" within minutes. From CPython 3.12 the three are immortal; here they are
given a reference count too large to run out. (Reported in /work/notes/core-bugs.md;
the counter has its own copy until shared.qt.app.start_app does this for every app.)
"""

from __future__ import annotations

import ctypes
import sys

# 2**40 decrements at thousands per second would take centuries.
_EXTRA_REFERENCES = 1 << 40
_applied = False


def protect_singletons() -> None:
    """Make None, True and False effectively immortal; idempotent, a no-op on CPython >= 3.12."""
    global _applied
    if _applied or sys.version_info >= (3, 12) or sys.implementation.name != "cpython":
        return
    for singleton in (None, True, False):
        # In CPython the reference count is the first field of the object, at id(obj).
        ctypes.c_ssize_t.from_address(id(singleton)).value += _EXTRA_REFERENCES
    _applied = True

"""A workaround for a reference-counting bug in PySide6 6.12 on CPython 3.11.

Its bindings return ``None``, ``True`` and ``False`` without taking a new reference (as
if they were immortal, which they are only from CPython 3.12): every call of a void Qt
method (``QTimer.start``, ``QThreadPool.start``, ``processEvents``...) lowers ``None``'s
reference count by one, every ``SignalInstance.emit()`` lowers ``True``'s, until CPython
aborts with "none_dealloc" / "bool_dealloc" or crashes. This module does once per
process what CPython 3.12 does by design: it gives the three singletons a reference
count no program can exhaust. setup.cfg keeps PySide6 below 6.12; this guards an install
that has it anyway.
"""

from __future__ import annotations

import ctypes
import sys

from PySide6 import QtCore

_HEADROOM = 1 << 40
_done = False


def affected() -> bool:
    """Whether this process runs the bindings with the bug on a CPython that suffers it."""
    return (sys.implementation.name == "cpython" and sys.version_info < (3, 12)
            and tuple(QtCore.__version_info__[:2]) >= (6, 12))


def keep_singletons_alive() -> None:
    """Make ``None``, ``True`` and ``False`` effectively immortal where the bug bites
    (PySide6 6.12 on CPython < 3.12); idempotent, and nothing elsewhere."""
    global _done
    if _done or not affected():
        return
    for value in (None, True, False):
        # ob_refcnt is the first field of every CPython object, at the object's address.
        ctypes.c_ssize_t.from_address(id(value)).value += _HEADROOM
    _done = True

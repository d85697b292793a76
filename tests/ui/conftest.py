"""Qt UI tests run headless: no display server on CI or on developers' SSH sessions."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

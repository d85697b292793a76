"""Regenerate docs/screenshots/ on purpose.

The UI tests save a picture of every screen they drive; during an ordinary test run
those go to a temporary folder, so running the tests changes no tracked file. This
runs the tests that take pictures with HALLQ_SCREENSHOT_DIR pointing at
docs/screenshots/ (Qt offscreen, the bundled font), then lists what changed. Usage:

    python tools/screenshots.py                                   # every screen
    python tools/screenshots.py tests/ui/test_display_screens.py  # the tests of one file
    python tools/screenshots.py -k display                        # any pytest arguments

Look at the pictures before committing them (git diff --stat docs/screenshots).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FOLDER = ROOT / "docs" / "screenshots"
#: The tests that save screenshots: every UI test and the printed-ticket pictures.
TESTS = ["tests/ui", "tests/unit/test_printing.py"]


def main(argv: list[str]) -> int:
    env = dict(os.environ, HALLQ_SCREENSHOT_DIR=str(FOLDER), QT_QPA_PLATFORM="offscreen")
    # Test files or folders named on the command line replace the default selection.
    named = any(arg.startswith("tests") for arg in argv)
    result = subprocess.run([sys.executable, "-m", "pytest", "-q", *([] if named else TESTS), *argv],
                            cwd=ROOT, env=env, check=False)
    subprocess.run(["git", "status", "--short", "--", str(FOLDER)], cwd=ROOT, check=False)
    return result.returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

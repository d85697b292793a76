"""The one program inside the HallQueue bundle: runs the command it is named after.

The bundle folder holds one frozen executable, ``hallqueue``, and every console command
of the project as a link to it (``hallq-admin`` …; ``.cmd`` shims on Windows). The
program looks at the name it was started under, or at its first argument
(``hallqueue kiosk …``), and runs that command's ``main``. One executable keeps Qt,
Python and the drivers in the folder once instead of six times.
"""

from __future__ import annotations

import importlib
import multiprocessing
import sys
from pathlib import Path

# Each command's module; imported only when run, so that hallq-admin does not load Qt.
# The build collects every submodule of shared, kiosk_app and counter_app, so PyInstaller
# bundles them although nothing imports them by name here.
COMMANDS: dict[str, str] = {
    "hallq-admin": "shared.cli.main",
    "hallq-kiosk": "kiosk_app.main",
    "hallq-counter": "counter_app.main",
    "hallq-display": "kiosk_app.display.main",
    "hallq-supervisor": "counter_app.supervisor.main",
    "hallq-demo": "shared.demo",
}


def _command_name(argv: list[str]) -> tuple[str | None, list[str]]:
    invoked = Path(argv[0]).name.lower().removesuffix(".exe")
    if invoked in COMMANDS:
        return invoked, argv[1:]
    if len(argv) > 1:
        wanted = argv[1] if argv[1].startswith("hallq-") else f"hallq-{argv[1]}"
        if wanted in COMMANDS:
            return wanted, argv[2:]
    return None, argv[1:]


def main() -> int:
    multiprocessing.freeze_support()
    name, rest = _command_name(sys.argv)
    if name is None:
        names = ", ".join(command.removeprefix("hallq-") for command in COMMANDS)
        print(f"usage: hallqueue COMMAND [ARGS…]; COMMAND is one of: {names}", file=sys.stderr)
        return 2
    sys.argv = [name, *rest]
    result = importlib.import_module(COMMANDS[name]).main()
    return result if isinstance(result, int) else 0


if __name__ == "__main__":
    sys.exit(main())

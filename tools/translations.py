"""Extract UI strings into Qt .ts files and compile them to .qm.

Chinese is the source language of the UI; English lives in
resources/translations/<part>_en.ts, one file per part of the program (kiosk,
display, counter, supervisor, shared) so parallel work does not collide. Usage:

    python tools/translations.py update   # lupdate: refresh .ts from the sources
    python tools/translations.py release  # lrelease: compile every .ts to .qm

Translators fill <translation> elements (Qt Linguist or any editor); a test checks that
every message has an English translation and that the .qm files are current.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "resources" / "translations"
# part -> (folders scanned, subfolders left to another part)
PARTS = {
    "shared": (["shared"], []),
    "kiosk": (["kiosk_app"], ["kiosk_app/display"]),
    "display": (["kiosk_app/display"], []),
    "counter": (["counter_app"], ["counter_app/supervisor"]),
    "supervisor": (["counter_app/supervisor"], []),
}
LANGUAGES = ["en"]


def _tool(name: str) -> str:
    found = shutil.which(f"pyside6-{name}") or shutil.which(
        f"pyside6-{name}", path=str(Path(sys.executable).parent))
    if not found:
        raise SystemExit(f"pyside6-{name} not found: install PySide6 in this environment")
    return found


def update() -> None:
    for part, (folders, excluded) in PARTS.items():
        skip = [ROOT / e for e in excluded]
        sources = sorted(str(p) for folder in folders for p in (ROOT / folder).rglob("*.py")
                         if not any(p.is_relative_to(e) for e in skip))
        for language in LANGUAGES:
            ts = TRANSLATIONS / f"{part}_{language}.ts"
            subprocess.run([_tool("lupdate"), "-no-obsolete", "-source-language", "zh_CN",
                            "-target-language", language, *sources, "-ts", str(ts)],
                           check=True)


def release() -> None:
    for ts in sorted(TRANSLATIONS.glob("*.ts")):
        subprocess.run([_tool("lrelease"), "-silent", str(ts), "-qm",
                        str(ts.with_suffix(".qm"))], check=True)


if __name__ == "__main__":
    commands = {"update": update, "release": release}
    if len(sys.argv) != 2 or sys.argv[1] not in commands:
        raise SystemExit(__doc__)
    commands[sys.argv[1]]()

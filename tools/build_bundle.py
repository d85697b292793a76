"""Build HallQueue's self-contained bundle (and on Linux its .deb) with PyInstaller.

    python tools/build_bundle.py                # dist/hallqueue/ : the bundle folder
    python tools/build_bundle.py --deb          # also dist/hallqueue_<version>_<arch>.deb
    python tools/build_bundle.py --out DIR      # build into DIR instead of dist/

Run it with the Python of a venv where HallQueue and PyInstaller are installed
(``pip install -c tools/constraints.txt -e '.[bundle]'``), on the platform the bundle is
for: PyInstaller does not cross-compile. The bundle folder holds one program,
``hallqueue`` (``hallqueue.exe``), and every console command as a link to it on Linux or
a ``.cmd`` shim on Windows; see docs/deployment.md for why PyInstaller and what is inside.
"""

from __future__ import annotations

import argparse
import configparser
import os
import platform
import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PACKAGING = Path(__file__).resolve().parent / "bundle"
COMMANDS = ("hallq-admin", "hallq-kiosk", "hallq-counter", "hallq-display",
            "hallq-supervisor", "hallq-demo")
GUI_TERMINALS = {  # command: (Chinese name, English name, comment)
    "hallq-kiosk": ("排队取号机", "HallQueue kiosk", "取号、一次性告知、预约签到"),
    "hallq-counter": ("窗口叫号", "HallQueue counter", "窗口叫号、办理、评价"),
    "hallq-display": ("大厅叫号屏", "HallQueue hall display", "大厅叫号显示与语音播报"),
    "hallq-supervisor": ("审管办监控", "HallQueue supervisor", "实时排队、统计与报表"),
}
AUTOSTART = ("hallq-kiosk", "hallq-display")  # unattended terminals
# The system libraries the bundled Qt loads (the same list as tools/install-system-deps.sh).
DEB_DEPENDS = ("libegl1, libgl1, libopengl0, libxkbcommon0, libxkbcommon-x11-0, "
               "libfontconfig1, libfreetype6, libdbus-1-3, libglib2.0-0 | libglib2.0-0t64, "
               "libx11-xcb1, libxcb1, libxcb-cursor0, libxcb-icccm4, libxcb-keysyms1, "
               "libxcb-image0, libxcb-render-util0, libxcb-shape0, libxcb-randr0, libxcb-xkb1, "
               "libxcb-xfixes0, libxcb-sync1, libxcb-shm0, libxrender1, libxi6, libpulse0, "
               "libasound2 | libasound2t64")
DEB_RECOMMENDS = "libspeechd2"


def version() -> str:
    config = configparser.ConfigParser()
    config.read(REPO / "setup.cfg", encoding="utf-8")
    return config["metadata"]["version"]


def pyinstaller_arguments(dist: Path, work: Path) -> list[str]:
    sep = os.pathsep
    return [
        str(PACKAGING / "hallqueue_entry.py"),
        "--name", "hallqueue", "--onedir", "--noconfirm", "--clean", "--log-level", "WARN",
        "--distpath", str(dist), "--workpath", str(work), "--specpath", str(work),
        "--paths", str(REPO),
        # Data files the code finds next to its modules: the shipped resources, and the
        # Alembic migrations, which Alembic reads as source files from a folder.
        "--collect-data", "resources",
        "--add-data", f"{REPO / 'shared' / 'migrations'}{sep}shared/migrations",
        "--collect-submodules", "alembic", "--exclude-module", "alembic.testing",
        # test tools a developer's venv holds; never part of a hall PC's install
        "--exclude-module", "pytest", "--exclude-module", "hypothesis",
        "--exclude-module", "_pytest", "--exclude-module", "PyInstaller",
        "--collect-submodules", "shared", "--collect-submodules", "kiosk_app",
        "--collect-submodules", "counter_app",
        # Database drivers SQLAlchemy loads by name from the URL.
        "--collect-submodules", "sqlalchemy.dialects",
        "--collect-all", "psycopg", "--hidden-import", "psycopg_binary",
        "--collect-binaries", "psycopg_binary",
        "--hidden-import", "pymysql",
        # Package data the libraries read at run time.
        "--collect-data", "escpos", "--collect-data", "tzdata", "--collect-data", "reportlab",
        "--collect-data", "openpyxl",
        # Qt modules the apps import lazily (sound, speech).
        "--hidden-import", "PySide6.QtMultimedia", "--hidden-import", "PySide6.QtTextToSpeech",
    ]


def build_folder(dist: Path, work: Path) -> Path:
    import PyInstaller.__main__

    PyInstaller.__main__.run(pyinstaller_arguments(dist, work))
    folder = dist / "hallqueue"
    watchdog = "watchdog.cmd" if sys.platform == "win32" else "watchdog.sh"
    shutil.copy2(PACKAGING / watchdog, folder / watchdog)
    for command in COMMANDS:
        if sys.platform == "win32":
            (folder / f"{command}.cmd").write_text(
                f'@"%~dp0hallqueue.exe" {command} %*\r\n', encoding="ascii")
        else:
            link = folder / command
            link.unlink(missing_ok=True)
            link.symlink_to("hallqueue")
    return folder


def _desktop_entry(command: str, *, autostart: bool) -> str:
    zh, en, comment = GUI_TERMINALS[command]
    # At logon the terminal runs under the watchdog, which restarts it after a crash.
    run = f"/opt/hallqueue/watchdog.sh {command.removeprefix('hallq-')}" if autostart \
        else f"/usr/bin/{command}"
    lines = ["[Desktop Entry]", "Type=Application", f"Name={en}", f"Name[zh_CN]={zh}",
             f"Comment[zh_CN]={comment}", f"Exec={run}", f"TryExec=/usr/bin/{command}",
             "Terminal=false", "Categories=Office;"]
    if autostart:
        lines.append("X-GNOME-Autostart-Delay=5")  # let the desktop and the network come up
    return "\n".join(lines) + "\n"


def _build_glibc() -> str:
    """The C library of the build machine: the bundle's Python and Qt were linked against
    it, so a PC needs at least this version (build on the oldest system you support)."""
    name, found = platform.libc_ver()
    if name != "glibc" or not found:
        raise SystemExit("building a .deb needs a glibc system (Debian, UOS, Kylin)")
    return found


def build_deb(folder: Path, dist: Path) -> Path:
    arch = {"x86_64": "amd64", "aarch64": "arm64"}.get(platform.machine(), platform.machine())
    root = dist / "deb-root"
    shutil.rmtree(root, ignore_errors=True)
    shutil.copytree(folder, root / "opt" / "hallqueue", symlinks=True)
    (root / "usr" / "bin").mkdir(parents=True)
    for command in COMMANDS:
        (root / "usr" / "bin" / command).symlink_to(f"/opt/hallqueue/{command}")
    applications = root / "usr" / "share" / "applications"
    # Every PC gets the package; IT turns autostart on only on kiosk and display PCs, by
    # copying the entry to /etc/xdg/autostart/ or the terminal user's ~/.config/autostart/.
    autostart = root / "usr" / "share" / "hallqueue" / "autostart"
    for path in (applications, autostart):
        path.mkdir(parents=True)
    for command in GUI_TERMINALS:
        (applications / f"{command}.desktop").write_text(
            _desktop_entry(command, autostart=False), encoding="utf-8")
    for command in AUTOSTART:
        (autostart / f"{command}.desktop").write_text(
            _desktop_entry(command, autostart=True), encoding="utf-8")
    size_kib = sum(p.stat().st_size for p in root.rglob("*") if p.is_file() and not p.is_symlink())
    control = root / "DEBIAN"
    control.mkdir()
    (control / "control").write_text(
        f"Package: hallqueue\nVersion: {version()}\nSection: misc\nPriority: optional\n"
        f"Architecture: {arch}\nInstalled-Size: {size_kib // 1024}\n"
        f"Depends: libc6 (>= {_build_glibc()}), {DEB_DEPENDS}\nRecommends: {DEB_RECOMMENDS}\n"
        "Maintainer: HallQueue developers <hallqueue@localhost>\n"
        "Description: queue-and-counter system for government service halls\n"
        " Ticket kiosk, counter, hall display, supervisor and hallq-admin in one\n"
        " self-contained folder (/opt/hallqueue) with its own Python and Qt.\n",
        encoding="utf-8")
    deb = dist / f"hallqueue_{version()}_{arch}.deb"
    subprocess.run(["dpkg-deb", "--root-owner-group", "-Zxz", "--build", str(root), str(deb)],
                   check=True, stdout=subprocess.DEVNULL)
    shutil.rmtree(root)
    return deb


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=REPO / "dist",
                        help="folder for the bundle and the .deb (default: dist/)")
    parser.add_argument("--deb", action="store_true", help="also build the .deb (Linux)")
    args = parser.parse_args(argv)
    if args.deb and not shutil.which("dpkg-deb"):
        parser.error("--deb needs dpkg-deb (Debian, UOS or Kylin)")
    dist = args.out.resolve()
    work = dist / "pyinstaller-work"
    folder = build_folder(dist, work)
    shutil.rmtree(work, ignore_errors=True)
    print(f"bundle: {folder}")
    if args.deb:
        print(f"deb: {build_deb(folder, dist)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

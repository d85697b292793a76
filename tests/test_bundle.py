"""The self-contained bundle and its .deb, installed on a clean Debian root that has no
Python: the admin command, the headless demo and every GUI terminal run from it.

Slow (it builds the bundle with PyInstaller and makes the root with debootstrap, some
minutes each), and it needs root, debootstrap and Debian's package mirror, as `.ci/run`
provides; elsewhere it skips and says which of those is missing. HALLQ_TEST_BUNDLE_DEB=PATH
tests a .deb built earlier by tools/build_bundle.py instead of building one.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SUITE = "bookworm"
GUI_TERMINALS = {
    "hallq-kiosk": [],
    "hallq-display": [],
    "hallq-counter": ["--window", "1"],
    "hallq-supervisor": [],
}


def _mirror() -> str:
    """The Debian mirror this machine's apt uses (so a local mirror or proxy works too)."""
    if url := os.environ.get("HALLQ_DEBIAN_MIRROR"):
        return url
    for source in (Path("/etc/apt/sources.list.d/debian.sources"), Path("/etc/apt/sources.list")):
        if source.exists():
            text = source.read_text(encoding="utf-8", errors="replace")
            match = re.search(r"^URIs:\s*(\S+/debian)\s*$", text, re.M) or re.search(
                r"^deb\s+(?:\[[^]]*\]\s+)?(\S+/debian)\s", text, re.M)
            if match:
                return match.group(1)
    return "http://deb.debian.org/debian"


def _missing_requirement() -> str | None:
    if sys.platform != "linux":
        return "the .deb and the clean root are Linux only"
    if os.geteuid() != 0:
        return "debootstrap and chroot need root"
    for tool in ("debootstrap", "dpkg-deb", "chroot"):
        if not shutil.which(tool) and not Path(f"/usr/sbin/{tool}").exists():
            return f"{tool} is not installed (tools/install-system-deps.sh --ci installs it)"
    try:
        import PyInstaller  # noqa: F401
    except ImportError:
        return "PyInstaller is not installed (pip install -e '.[test]')"
    return None




@pytest.fixture(scope="module")
def deb(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if reason := _missing_requirement():
        if os.environ.get("HALLQ_TEST_REQUIRE_SERVERS") == "1":
            pytest.fail(f"the bundle test must run in CI: {reason}")
        pytest.skip(reason)
    if prebuilt := os.environ.get("HALLQ_TEST_BUNDLE_DEB"):  # a .deb built earlier
        return Path(prebuilt)
    out = tmp_path_factory.mktemp("bundle")
    result = subprocess.run([sys.executable, str(ROOT / "tools" / "build_bundle.py"), "--deb",
                             "--out", str(out)],
                            capture_output=True, text=True, timeout=1800, cwd=out)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    debs = list(out.glob("hallqueue_*.deb"))
    assert len(debs) == 1, debs
    return debs[0]


@pytest.fixture(scope="module")
def clean_root(deb: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A minimal Debian root with the .deb installed by apt (which pulls the system
    libraries the package depends on), and nothing of Python."""
    root = tmp_path_factory.mktemp("debian-root")
    result = subprocess.run(["debootstrap", "--variant=minbase", SUITE, str(root), _mirror()],
                            capture_output=True, text=True, timeout=1800)
    if result.returncode != 0:
        pytest.fail("debootstrap failed: " + (result.stdout + result.stderr)[-2000:])
    shutil.copy("/etc/resolv.conf", root / "etc" / "resolv.conf")
    subprocess.run(["mount", "-t", "proc", "proc", str(root / "proc")], check=True)
    try:
        shutil.copy(deb, root / "tmp" / deb.name)
        for command in (["apt-get", "update", "-qq"],
                        ["apt-get", "install", "-y", "-qq", "--no-install-recommends",
                         f"/tmp/{deb.name}"]):
            done = subprocess.run(["chroot", str(root), *command], capture_output=True,
                                  text=True, timeout=1200,
                                  env={"PATH": "/usr/sbin:/usr/bin:/sbin:/bin",
                                       "DEBIAN_FRONTEND": "noninteractive"})
            assert done.returncode == 0, (done.stdout + done.stderr)[-3000:]
        yield root
    finally:
        subprocess.run(["umount", "-l", str(root / "proc")], check=False)
        shutil.rmtree(root, ignore_errors=True)


def in_root(root: Path, *command: str, timeout: float = 300,
            **extra_env: str) -> subprocess.CompletedProcess[str]:
    env = {"PATH": "/usr/bin:/bin", "HOME": "/root", "LANG": "C.UTF-8", **extra_env}
    return subprocess.run(["chroot", str(root), "/usr/bin/env", "-i",
                           *(f"{k}={v}" for k, v in env.items()), *command],
                          capture_output=True, text=True, timeout=timeout)


@pytest.mark.slow
def test_the_clean_root_has_no_python(clean_root: Path) -> None:
    result = in_root(clean_root, "sh", "-c", "command -v python3 python || echo none")
    assert result.stdout.strip() == "none"


@pytest.mark.slow
def test_package_installs_commands_desktop_and_autostart_entries(clean_root: Path) -> None:
    for command in ("hallq-admin", "hallq-kiosk", "hallq-counter", "hallq-display",
                    "hallq-supervisor", "hallq-demo"):
        # /usr/bin links point into /opt/hallqueue inside the root: ask there
        assert in_root(clean_root, "test", "-x", f"/usr/bin/{command}").returncode == 0, command
    applications = clean_root / "usr" / "share" / "applications"
    for command in GUI_TERMINALS:
        entry = (applications / f"{command}.desktop").read_text(encoding="utf-8")
        assert f"Exec=/usr/bin/{command}" in entry
    for command in ("hallq-kiosk", "hallq-display"):
        entry = (clean_root / "usr" / "share" / "hallqueue" / "autostart"
                 / f"{command}.desktop").read_text(encoding="utf-8")
        assert f"Exec=/opt/hallqueue/watchdog.sh {command.removeprefix('hallq-')}" in entry
    assert in_root(clean_root, "test", "-x", "/opt/hallqueue/watchdog.sh").returncode == 0


@pytest.mark.slow
def test_admin_upgrades_a_new_database_and_loads_the_catalog(clean_root: Path) -> None:
    url = "sqlite:////root/hall.db"
    result = in_root(clean_root, "hallq-admin", "--database", url, "db", "upgrade")
    assert result.returncode == 0, result.stderr
    result = in_root(clean_root, "hallq-admin", "--database", url, "catalog", "load", "chunan")
    assert result.returncode == 0, result.stderr
    result = in_root(clean_root, "hallq-admin", "ticket", "issue", "--database", url,
                     "--site", "chunan", "--json", "--after-hours", "CONSULT")
    assert result.returncode in (0, 4), result.stderr  # 4: a queue rule (e.g. a holiday)
    assert "Traceback" not in result.stderr
    if result.returncode == 0:
        assert json.loads(result.stdout)["ticket"]["number"] == "Z001"


@pytest.mark.slow
def test_demo_runs_its_headless_morning(clean_root: Path) -> None:
    result = in_root(clean_root, "hallq-demo", "--headless", timeout=600)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    assert "共取号" in result.stdout


@pytest.mark.slow
@pytest.mark.parametrize("command", sorted(GUI_TERMINALS))
def test_gui_terminal_starts_offscreen_and_stops(clean_root: Path, command: str) -> None:
    url = "sqlite:////root/gui.db"
    for admin in (["db", "upgrade"], ["catalog", "load", "chunan"]):
        done = in_root(clean_root, "hallq-admin", "--database", url, *admin)
        assert done.returncode == 0, done.stderr
    env = {"PATH": "/usr/bin:/bin", "HOME": "/root", "LANG": "C.UTF-8",
           "QT_QPA_PLATFORM": "offscreen"}
    process = subprocess.Popen(
        ["chroot", str(clean_root), "/usr/bin/env", "-i", *(f"{k}={v}" for k, v in env.items()),
         command, "--database", url, "--site", "chunan", "--windowed",
         *GUI_TERMINALS[command]],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    log = clean_root / "root" / ".local" / "state" / "HallQueue" / "log" / f"{command}.log"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and process.poll() is None:
        if log.exists() and f"{command} starting" in log.read_text(encoding="utf-8"):
            break
        time.sleep(0.5)
    time.sleep(3)  # the window is up and its first database read has run
    still_running = process.poll() is None
    process.send_signal(signal.SIGTERM)
    try:
        _out, err = process.communicate(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        _out, err = process.communicate()
        pytest.fail(f"{command} did not stop within 20 s of SIGTERM")
    assert still_running, f"{command} exited by itself: {err[-2000:]}"
    assert "Traceback" not in err, err[-2000:]
    assert "Traceback" not in log.read_text(encoding="utf-8")


def test_watchdog_restarts_a_terminal_until_a_config_error(tmp_path: Path) -> None:
    """The autostart watchdog starts the terminal again after it ends, and stops at exit
    code 2 (a config error that restarting cannot fix). Needs no bundle: a stand-in
    program records its runs."""
    shutil.copy2(ROOT / "tools" / "bundle" / "watchdog.sh", tmp_path / "watchdog.sh")
    runs = tmp_path / "runs"
    fake = tmp_path / "hallqueue"
    fake.write_text("#!/bin/sh\necho \"$@\" >> " + str(runs) + "\n"
                    "n=$(wc -l < " + str(runs) + ")\n[ \"$n\" -ge 3 ] && exit 2\nexit 1\n")
    fake.chmod(0o755)
    done = subprocess.run(["sh", str(tmp_path / "watchdog.sh"), "kiosk", "--windowed"],
                          env={**os.environ, "HALLQ_RESTART_DELAY": "0.1"},
                          capture_output=True, text=True, timeout=30)
    assert done.returncode == 2
    assert runs.read_text().splitlines() == ["kiosk --windowed"] * 3

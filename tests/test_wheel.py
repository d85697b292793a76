"""The built wheel ships the catalog, font, voice clips, migrations and entry points, and
works from an unpacked copy with the source tree out of the way."""

from __future__ import annotations

import configparser
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from shared.schema import code_revision

ROOT = Path(__file__).resolve().parents[1]
REQUIRED_FILES = [
    "resources/catalog/chunan.toml",
    "resources/fonts/hallq-cjk.ttf",
    "resources/web/ticket.html",
    "resources/web/ticket.js",
    "resources/web/web.css",
    "shared/migrations/versions/0001_initial_schema.py",
    "shared/migrations/env.py",
    "shared/migrations/script.py.mako",
]
SCRIPTS = ["hallq-admin", "hallq-kiosk", "hallq-counter", "hallq-display", "hallq-supervisor",
           "hallq-demo", "hallq-web"]


SOURCE_ITEMS = ["setup.cfg", "pyproject.toml", "README.md", "shared", "resources", "kiosk_app",
                "counter_app"]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build the wheel once, offline (no isolated build environment), from a copy of the
    source so the build leaves the working tree (build/, *.egg-info) alone."""
    source = tmp_path_factory.mktemp("source")
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for item in SOURCE_ITEMS:
        path = ROOT / item
        if path.is_dir():
            shutil.copytree(path, source / item, ignore=ignore)
        elif path.exists():
            shutil.copy(path, source / item)
    out = tmp_path_factory.mktemp("dist")
    result = subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(out),
         str(source)],
        capture_output=True, text=True, timeout=600, cwd=source)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    wheels = list(out.glob("hallqueue-*.whl"))
    assert len(wheels) == 1, wheels
    return wheels[0]


@pytest.fixture(scope="module")
def unpacked(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("site")
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(target)
    return target


def run_isolated(code: str, path: Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run Python with only the unpacked wheel (plus the venv's dependencies) importable."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}
    env["PYTHONPATH"] = str(path)
    # -P keeps the current directory off sys.path; -s ignores user site packages. The dev
    # venv has the project installed editable, so its finder is removed explicitly; the
    # source tree leaves sys.path, but not the venv's own folders (the README's .venv lives
    # inside the checkout).
    prelude = ("import sys\n"
               "sys.meta_path[:] = [f for f in sys.meta_path\n"
               "                    if 'editable' not in type(f).__module__.lower()]\n"
               "sys.path[:] = [p for p in sys.path if not p.startswith("
               f"{str(ROOT)!r}) or p.startswith(sys.prefix)]\n")
    return subprocess.run([sys.executable, "-P", "-s", "-c", prelude + code], cwd=cwd,
                          env=env, capture_output=True, text=True, timeout=300)


@pytest.mark.slow
def test_wheel_contains_resources_and_migrations(wheel: Path) -> None:
    """The wheel holds the catalog, the CJK font, every voice clip and the migrations."""
    names = set(zipfile.ZipFile(wheel).namelist())
    missing = [name for name in REQUIRED_FILES if name not in names]
    assert missing == []
    clips = sorted(p.name for p in (ROOT / "resources" / "sounds").glob("*.wav"))
    shipped = sorted(Path(n).name for n in names if n.startswith("resources/sounds/")
                     and n.endswith(".wav"))
    assert clips and shipped == clips
    assert not any(n.startswith("tests/") for n in names), "tests stay out of the wheel"


@pytest.mark.slow
def test_wheel_declares_every_console_script(wheel: Path) -> None:
    """entry_points.txt names each hallq-* command with its module."""
    archive = zipfile.ZipFile(wheel)
    entry_points = next(n for n in archive.namelist() if n.endswith(".dist-info/entry_points.txt"))
    parser = configparser.ConfigParser()
    parser.read_string(archive.read(entry_points).decode())
    scripts = dict(parser["console_scripts"])
    assert sorted(scripts) == sorted(SCRIPTS)
    assert scripts["hallq-admin"] == "shared.cli.main:main"


@pytest.mark.slow
def test_unpacked_wheel_finds_its_font(unpacked: Path, tmp_path: Path) -> None:
    """resources.cjk_font_path() points inside the installed copy, not the source tree."""
    result = run_isolated("import resources; print(resources.cjk_font_path())", unpacked,
                          tmp_path)
    assert result.returncode == 0, result.stderr
    font = Path(result.stdout.strip())
    assert font.is_file() and font.is_relative_to(unpacked), font


@pytest.mark.slow
def test_unpacked_wheel_runs_its_migrations(unpacked: Path, tmp_path: Path) -> None:
    """shared.schema.upgrade from the installed copy builds a current SQLite schema."""
    database = tmp_path / "from-wheel.db"
    code = ("import shared.schema as s\n"
            "from shared.db import Database\n"
            f"db = Database('sqlite:///{database}')\n"
            "state = s.upgrade(db)\n"
            "s.ensure_current(db)\n"
            "print(s.__file__, state.database)\n")
    result = run_isolated(code, unpacked, tmp_path)
    assert result.returncode == 0, result.stderr
    module_file, revision = result.stdout.split()
    assert Path(module_file).is_relative_to(unpacked)
    assert revision == code_revision() and database.stat().st_size > 0

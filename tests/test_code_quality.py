"""Checks on the code itself: lint, architecture boundaries."""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _tool(name: str) -> str:
    found = shutil.which(name, path=str(Path(sys.executable).parent)) or shutil.which(name)
    if found is None:
        pytest.fail(f"{name} is not installed: install the [test] extra")
    return found


def test_ruff_is_clean() -> None:
    """The whole tree passes ruff with the project's configuration."""
    result = subprocess.run([_tool("ruff"), "check", "--quiet", str(ROOT)],
                            capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stdout + result.stderr


def test_import_contracts_hold() -> None:
    """shared imports neither app, and the two apps do not import each other."""
    result = subprocess.run([_tool("lint-imports"), "--no-cache"], capture_output=True,
                            text=True, cwd=ROOT)
    assert result.returncode == 0, result.stdout + result.stderr


def _imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_domain_imports_no_qt() -> None:
    """Only shared/qt/ may import Qt; the rest of the domain stays GUI-free."""
    offenders = []
    for path in sorted((ROOT / "shared").rglob("*.py")):
        if (ROOT / "shared" / "qt") in path.parents:
            continue
        if any(name.split(".")[0] == "PySide6" for name in _imported_modules(path)):
            offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []

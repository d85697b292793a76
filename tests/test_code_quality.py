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


def test_mypy_is_clean_on_shared(tmp_path: Path) -> None:
    """The domain type-checks: mypy with the configuration in setup.cfg finds nothing in
    shared/ (the apps are not held to it yet). Its cache goes to a temporary folder."""
    result = subprocess.run([_tool("mypy"), "--cache-dir", str(tmp_path / "mypy"), "shared"],
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


def test_benches_never_import_from_tests() -> None:
    """What a bench shares with the tests lives in testkit/ (or shared/), not in tests/."""
    offenders = [str(path.relative_to(ROOT)) for path in sorted((ROOT / "bench").rglob("*.py"))
                 if any(name.split(".")[0] == "tests" for name in _imported_modules(path))]
    assert offenders == []


def test_helper_modules_are_not_named_like_tests() -> None:
    """A test_*.py module holds tests; fixtures and helpers live in modules named for
    what they are (kiosk_support.py), so pytest does not collect them as test files."""
    empty = []
    for path in sorted((ROOT / "tests").rglob("test_*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        names = [node.name for node in ast.walk(tree)
                 if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)]
        if not any(name.startswith("test_") for name in names):
            empty.append(str(path.relative_to(ROOT)))
    assert empty == []


def test_domain_imports_no_qt() -> None:
    """Only shared/qt/ may import Qt; the rest of the domain stays GUI-free."""
    offenders = []
    for path in sorted((ROOT / "shared").rglob("*.py")):
        if (ROOT / "shared" / "qt") in path.parents:
            continue
        if any(name.split(".")[0] == "PySide6" for name in _imported_modules(path)):
            offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []


# Modules and calls that do not exist on Windows, where halls run most of their PCs.
_POSIX_MODULES = {"fcntl", "termios", "pwd", "grp", "resource", "posix"}
_POSIX_CALLS = {("os", "fork"), ("os", "getuid"), ("os", "geteuid"), ("os", "getgid"),
                ("os", "killpg"), ("os", "setsid"), ("os", "mkfifo"), ("signal", "SIGKILL"),
                ("signal", "SIGHUP"), ("signal", "SIGUSR1"), ("signal", "SIGUSR2"),
                ("signal", "SIGALRM"), ("signal", "alarm"), ("os", "O_NONBLOCK")}


def _mentions_platform(test: ast.expr) -> bool:
    text = ast.unparse(test)
    return "sys.platform" in text or "os.name" in text or "hasattr(os" in text \
        or "hasattr(signal" in text


def _posix_only_uses(tree: ast.AST, lines: list[str], guarded: bool = False
                     ) -> list[tuple[int, str]]:
    """POSIX-only imports and calls not under an ``if`` on the platform (either branch:
    the other branch is the Windows one), nor in a function marked ``# posix-only`` on its
    ``def`` line (one that only such a branch calls)."""
    found: list[tuple[int, str]] = []
    for node in ast.iter_child_nodes(tree):
        inside = guarded or (isinstance(node, ast.If) and _mentions_platform(node.test)) or (
            isinstance(node, ast.FunctionDef) and "# posix-only" in lines[node.lineno - 1])
        if not inside:
            if isinstance(node, ast.Import):
                found += [(node.lineno, a.name) for a in node.names
                          if a.name.split(".")[0] in _POSIX_MODULES]
            elif isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] \
                    in _POSIX_MODULES:
                found.append((node.lineno, node.module or ""))
            elif isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and \
                    (node.value.id, node.attr) in _POSIX_CALLS:
                found.append((node.lineno, f"{node.value.id}.{node.attr}"))
        found += _posix_only_uses(node, lines, inside)
    return found


def test_no_posix_only_code_outside_a_platform_check() -> None:
    """The apps and the domain run on Windows too: whatever exists only on POSIX sits in
    an ``if sys.platform …`` (or ``os.name``) branch."""
    offenders = []
    for package in ("shared", "kiosk_app", "counter_app"):
        for path in sorted((ROOT / package).rglob("*.py")):
            source = path.read_text(encoding="utf-8")
            tree = ast.parse(source, filename=str(path))
            offenders += [f"{path.relative_to(ROOT)}:{line}: {name}"
                          for line, name in _posix_only_uses(tree, source.splitlines())]
    assert offenders == []


def test_posix_check_finds_an_unguarded_call() -> None:
    source = ("import fcntl\nimport os\nos.getuid()\nif sys.platform != 'win32':\n"
              "    os.geteuid()\nelse:\n    pass\ndef f():  # posix-only\n    os.fork()\n"
              "def g():\n    os.fork()\n")
    assert _posix_only_uses(ast.parse(source), source.splitlines()) == [
        (1, "fcntl"), (3, "os.getuid"), (11, "os.fork")]

"""The dependency rule: nothing below gui/ imports Qt, and domain/ imports no other layer."""

from __future__ import annotations

import ast
import pkgutil
import subprocess
import sys
from pathlib import Path

import workbench

ROOT = Path(workbench.__file__).parent


def _non_gui_modules() -> list[str]:
    names = []
    for info in pkgutil.walk_packages([str(ROOT)], prefix="workbench."):
        if not info.name.startswith("workbench.gui") and info.name != "workbench.__main__":
            names.append(info.name)
    return names


def test_every_non_gui_module_imports_with_pyside6_blocked():
    modules = _non_gui_modules()
    assert "workbench.services.notices" in modules
    code = (
        "import sys; sys.modules['PySide6'] = None\n"
        f"import importlib\nfor m in {modules!r}:\n    importlib.import_module(m)\n"
        "print('ok')"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "ok"


def test_domain_imports_nothing_above_it():
    allowed = ("workbench.domain", "workbench.errors")
    for path in (ROOT / "domain").glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("workbench"):
                assert node.module.startswith(allowed), f"{path.name} imports {node.module}"
            if isinstance(node, ast.Import):
                for alias in node.names:
                    assert not alias.name.startswith("workbench") or alias.name.startswith(allowed), path.name


def _runtime_imports(tree: ast.AST):
    """Modules imported at run time (imports under ``if TYPE_CHECKING:`` are skipped)."""
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, ast.If) and getattr(node.test, "id", "") == "TYPE_CHECKING":
            continue
        if isinstance(node, ast.ImportFrom) and node.module:
            yield node.module
        elif isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        else:
            yield from _runtime_imports(node)


def test_gui_reaches_storage_only_through_services():
    for path in (ROOT / "gui").rglob("*.py"):
        for module in _runtime_imports(ast.parse(path.read_text(encoding="utf-8"))):
            assert not module.startswith("workbench.storage"), f"{path.relative_to(ROOT)} imports {module}"

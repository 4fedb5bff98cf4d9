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


def _all_imports(tree: ast.AST):
    """Every module imported anywhere in the file, including under ``if TYPE_CHECKING:``."""
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            yield node.module
        elif isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)


def _gui_files():
    files = sorted((ROOT / "gui").rglob("*.py"))
    assert len(files) > 20
    return files


def test_gui_reaches_storage_only_through_services():
    for path in _gui_files():
        for module in _all_imports(ast.parse(path.read_text(encoding="utf-8"))):
            assert not module.startswith("workbench.storage"), f"{path.relative_to(ROOT)} imports {module}"
            assert module != "sqlite3", f"{path.relative_to(ROOT)} imports sqlite3"


def test_gui_never_touches_a_connection():
    """No ``x.conn`` in gui/: database work goes through service calls (on workers)."""
    for path in _gui_files():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Attribute):
                assert node.attr not in ("conn", "execute", "executemany", "cursor"), \
                    f"{path.relative_to(ROOT)}:{node.lineno} uses .{node.attr}"


def test_layer_rules_catch_a_forbidden_import_under_type_checking():
    code = "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from workbench.storage.x import Y\n"
    assert "workbench.storage.x" in set(_all_imports(ast.parse(code)))


def test_every_service_takes_the_context_not_a_connection():
    """One service convention: a use case is ``service.fn(ctx, ...)``; no service takes conn/author/store."""
    for path in sorted((ROOT / "services").glob("*.py")):
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.FunctionDef) and not node.name.startswith("_"):
                names = [a.arg for a in node.args.args + node.args.kwonlyargs]
                assert not {"conn", "author", "store"} & set(names), f"{path.name}: {node.name}({names})"


def test_storage_defines_no_domain_entities():
    """Entities are frozen dataclasses in domain/; storage/ only reads and writes them."""
    allowed = {"ChangeReport", "StoredFile", "Migration", "ChainProblem", "BackupFile"}   # files, checks, migrations
    for path in sorted((ROOT / "storage").glob("*.py")):
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.ClassDef) and any(
                    "dataclass" in ast.unparse(d) for d in node.decorator_list):
                assert node.name in allowed, f"{path.name} defines {node.name}: move it to domain/"

"""The package list in pyproject.toml covers every package, and resources resolve."""

from __future__ import annotations

import tomllib
from pathlib import Path

import workbench
from workbench.paths import migrations_dir, resources_dir

ROOT = Path(__file__).resolve().parents[1]


def test_every_package_is_listed_in_pyproject():
    listed = set(tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]["packages"])
    package_root = Path(workbench.__file__).parent
    found = {
        ".".join(p.parent.relative_to(package_root.parent).parts)
        for p in package_root.rglob("__init__.py") if "_generated" not in p.parts
    }
    assert found <= listed, f"add to pyproject.toml [tool.setuptools] packages: {sorted(found - listed)}"


def test_resources_and_migrations_resolve():
    assert (migrations_dir() / "0001_initial.sql").is_file()
    assert (resources_dir() / "column_synonyms.yaml").is_file()
    assert (resources_dir() / "checklists").is_dir()

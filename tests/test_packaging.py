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


def test_the_packaged_app_looks_for_its_own_fonts_first(tmp_path, monkeypatch):
    import sys

    from workbench.reports import font_paths

    monkeypatch.delenv("WORKBENCH_FONT_DIR", raising=False)
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    assert font_paths.font_dirs()[0] == tmp_path / "fonts"


def test_spec_builds_one_folder_without_upx():
    spec = (ROOT / "packaging" / "workbench.spec").read_text(encoding="utf-8")
    assert "COLLECT(" in spec and "upx=True" not in spec and spec.count("upx=False") >= 2
    assert "version=version_resource()" in spec and "workbench.ico" in spec
    assert '"docs/manual"' in spec   # F1 in the packaged app
    assert (ROOT / "packaging" / "windows" / "workbench.ico").stat().st_size > 1000
    assert (ROOT / "resources" / "icons" / "workbench.png").is_file()

"""Where the workbench keeps things: bundled resources, migrations and the user's data folders."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path

import platformdirs

APP_NAME = "InspectionWorkbench"
DATA_DIR_ENV = "WORKBENCH_DATA_DIR"


def resource_root() -> Path:
    """The folder holding ``resources/`` and ``db/``: the frozen app's bundle or the checkout."""
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        return Path(bundle)
    return Path(__file__).resolve().parent.parent


def _installed(name: str) -> Path | None:
    """``workbench/_<name>`` when installed from a wheel (see pyproject.toml package-dir)."""
    path = Path(__file__).resolve().parent / f"_{name}"
    return path if path.is_dir() else None


def resources_dir() -> Path:
    """The bundled ``resources/`` folder (checklists, holiday calendar, synonyms, wording)."""
    return _installed("resources") or resource_root() / "resources"


def manual_dir() -> Path:
    """The user manual's folder, ``docs/manual`` (Markdown and its screenshots)."""
    return resource_root() / "docs" / "manual"


def migrations_dir() -> Path:
    """The bundled ``db/migrations`` folder."""
    return (_installed("db") or resource_root() / "db") / "migrations"


@dataclass(frozen=True)
class AppPaths:
    """The user's folders. ``data_dir`` holds the database and evidence; ``config_dir`` settings."""

    data_dir: Path
    config_dir: Path
    log_dir: Path

    @classmethod
    def for_user(cls, data_dir: str | Path | None = None) -> AppPaths:
        """Per-user folders from platformdirs, or all under ``data_dir`` (or $WORKBENCH_DATA_DIR)."""
        override = data_dir or os.environ.get(DATA_DIR_ENV)
        if override:
            root = Path(override)
            return cls(root, root / "config", root / "logs")
        data = Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))
        # The log sits in the data folder, where the user (and whoever helps) finds it beside the database.
        return cls(data, Path(platformdirs.user_config_dir(APP_NAME, appauthor=False)), data / "logs")

    @property
    def log_file(self) -> Path:
        """The current log file, ``<log_dir>/workbench.log`` (older ones: ``workbench.log.1`` …)."""
        return self.log_dir / "workbench.log"

    @property
    def default_database(self) -> Path:
        """The database plain ``workbench`` opens: ``<data_dir>/workbench.sqlite3``."""
        return self.data_dir / "workbench.sqlite3"

    def evidence_dir_for(self, database: Path) -> Path:
        """Evidence files live beside their database: ``<db name>.evidence/``."""
        return database.parent / f"{database.name}.evidence"

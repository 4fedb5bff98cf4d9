"""Composition root: command-line arguments → paths → settings → database → services context."""

from __future__ import annotations

import logging
import sqlite3
from datetime import date
from pathlib import Path

from workbench.errors import WorkbenchError
from workbench.paths import AppPaths
from workbench.services.context import Context
from workbench.settings import Settings
from workbench.storage.backup import damaged_message
from workbench.storage.database import open_database
from workbench.storage.records import Author


def settings_path(paths: AppPaths) -> Path:
    """Where the settings JSON lives."""
    return paths.config_dir / "settings.json"


def open_context(db: str | Path, paths: AppPaths | None = None, today: date | None = None) -> Context:
    """Open (creating and migrating) the database at ``db`` and build a services context.

    Raises:
        WorkbenchError: the file is not a workbench database, or is newer than this program.
    """
    paths = paths or AppPaths.for_user()
    settings = Settings.load(settings_path(paths))
    try:
        conn = open_database(db)
    except sqlite3.OperationalError:
        raise   # locked, read-only, cannot open: explained by storage.connection.describe_error
    except sqlite3.DatabaseError as err:   # damaged, or not a database at all
        raise WorkbenchError(damaged_message(db, err)) from err
    return Context(
        conn=conn,
        author=Author.local(settings.inspector or None),
        settings=settings,
        evidence_dir=paths.evidence_dir_for(Path(db)),
        today_override=today,
    )


def configure_logging(paths: AppPaths) -> Path:
    """Log to ``<log_dir>/workbench.log`` (tracebacks go there, never to the user's screen)."""
    paths.log_dir.mkdir(parents=True, exist_ok=True)
    log_file = paths.log_dir / "workbench.log"
    logging.basicConfig(
        filename=str(log_file), level=logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s", encoding="utf-8",
    )
    return log_file

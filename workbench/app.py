"""Composition root: command-line arguments → paths → settings → database → services context."""

from __future__ import annotations

import faulthandler
import logging
import sqlite3
from datetime import date
from logging.handlers import RotatingFileHandler
from pathlib import Path

from workbench.domain.author import Author
from workbench.errors import WorkbenchError
from workbench.paths import AppPaths
from workbench.services.context import Context
from workbench.settings import Settings
from workbench.storage.backup import damaged_message
from workbench.storage.database import open_database


def settings_path(paths: AppPaths) -> Path:
    """Where the settings JSON lives."""
    return paths.config_dir / "settings.json"


def open_context(db: str | Path, paths: AppPaths | None = None, today: date | None = None,
                 inspector: str | None = None, read_only: bool = False) -> Context:
    """Open (creating and migrating) the database at ``db`` and build a services context.

    Rows are stamped with ``inspector`` when given (``--inspector``), else the settings' name;
    with neither, the context can read but every write is refused (``records.Author``).

    Raises:
        WorkbenchError: the file is not a workbench database, or is newer than this program.
    """
    paths = paths or AppPaths.for_user()
    settings = Settings.load(settings_path(paths))
    try:
        conn = open_database(db, read_only=read_only)
    except sqlite3.OperationalError:
        raise   # locked, read-only, cannot open: explained by storage.connection.describe_error
    except sqlite3.DatabaseError as err:   # damaged, or not a database at all
        raise WorkbenchError(damaged_message(db, err)) from err
    return Context(
        conn=conn,
        author=Author.local(inspector or settings.inspector or None),
        settings=settings,
        evidence_dir=paths.evidence_dir_for(Path(db)),
        today_override=today,
    )


LOG_BYTES = 1_000_000   # one log file's size before it rotates
LOG_BACKUPS = 5         # rotated files kept: at most ~6 MB of log


def configure_logging(paths: AppPaths) -> Path:
    """Log to ``<log_dir>/workbench.log``, rotating at :data:`LOG_BYTES` (tracebacks go there,
    never to the user's screen); hard crashes (segfaults in Qt) are dumped to ``crash.log`` beside it.

    Returns:
        The log file. Raises OSError when the log folder cannot be created or written.
    """
    paths.log_dir.mkdir(parents=True, exist_ok=True)
    log_file = paths.log_file
    root = logging.getLogger()
    for old in [h for h in root.handlers if getattr(h, "_workbench_log", False)]:
        root.removeHandler(old)
        old.close()
    handler = RotatingFileHandler(log_file, maxBytes=LOG_BYTES, backupCount=LOG_BACKUPS, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler._workbench_log = True
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    if not faulthandler.is_enabled():   # (pytest and ``python -X faulthandler`` keep their own)
        global _crash_file
        _crash_file = open(paths.log_dir / "crash.log", "a", encoding="utf-8")  # noqa: SIM115 - open for the process
        faulthandler.enable(_crash_file)
    return log_file


_crash_file = None   # faulthandler needs the file to stay open while the process runs

"""Opening a workbench database file ready to use: connected, migrated, backed up if needed."""

from __future__ import annotations

import sqlite3
from datetime import datetime
from pathlib import Path

from workbench.storage.connection import connect
from workbench.storage.migrate import migrate


def open_database(path: str | Path) -> sqlite3.Connection:
    """Open the database at ``path``, creating its folder and applying pending migrations.

    A database that already holds data gets a backup ``<name>.bak-YYYYmmddHHMMSS`` beside it
    before its schema is upgraded.

    Raises:
        DatabaseVersionError: the file was written by a newer version of the workbench.
        sqlite3.DatabaseError: the file is not a SQLite database.
    """
    if str(path) != ":memory:":
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    conn = connect(path)
    backup = None
    if str(path) != ":memory:":
        stamp = datetime.now().strftime("%Y%m%d%H%M%S")
        backup = Path(f"{path}.bak-{stamp}")
    migrate(conn, backup_to=backup)
    return conn

"""Checking the counts kept by triggers (migration 0017) against the rows of a database file."""

from __future__ import annotations

import sqlite3
from pathlib import Path

#: The triggers of migration 0017 (db/migrations/0017_campaign_counts.sql).
TRIGGERS = 10


def count_differences(path: Path) -> list[tuple[str, str, int, int]]:
    """:func:`workbench.storage.campaign_count_repo.differences` of the database at ``path``, read
    through a read-only connection; empty for a file that is no workbench database at the latest
    schema version (damaged, an older version's fixture, not a database at all) or whose count
    triggers a test dropped on purpose (a scratch copy for a hand-made changeset)."""
    from workbench.storage import campaign_count_repo, migrate

    try:
        conn = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    except sqlite3.Error:
        return []
    try:
        if conn.execute("PRAGMA user_version").fetchone()[0] != migrate.latest_version():
            return []
        triggers = conn.execute("SELECT count(*) FROM sqlite_master WHERE type = 'trigger'"
                                " AND name LIKE 'campaign_count_%'").fetchone()[0]
        return campaign_count_repo.differences(conn) if triggers == TRIGGERS else []
    except sqlite3.DatabaseError:   # not a database, damaged, locked for good: other tests' business
        return []
    finally:
        conn.close()

"""What the last import of each campaign read, and whether the campaign's sites changed since
(db/migrations/0016_import_basis.sql): the ground for re-importing an unchanged list without
reading it again (services/site_import.py)."""

from __future__ import annotations

import sqlite3


def _bump_sql(campaign_id_expr: str) -> str:
    return (f"INSERT INTO import_basis (campaign_id, data_version) VALUES ({campaign_id_expr}, 1)"
            " ON CONFLICT (campaign_id) DO UPDATE SET data_version = data_version + 1")


def bump(conn: sqlite3.Connection, campaign_id: str) -> None:
    """Count one change of the campaign's sites: what the triggers do for each row they see, for
    rows written while those triggers were set aside (storage/bulk.py ``deferred``)."""
    conn.execute(_bump_sql("?"), (campaign_id,))


def record(conn: sqlite3.Connection, campaign_id: str, run_id: str, digest: str, day: str) -> None:
    """Note the import ``run_id`` as the campaign's basis, at the current count of changes (call in
    the import's transaction, after its last write)."""
    conn.execute(_bump_sql("?"), (campaign_id,))   # the row exists, and an import is a change
    conn.execute("UPDATE import_basis SET run_id = ?, digest = ?, day = ?, run_version = data_version"
                 " WHERE campaign_id = ?", (run_id, digest, day, campaign_id))


def forget(conn: sqlite3.Connection, campaign_id: str) -> None:
    """Trust no earlier import of the campaign any more (e.g. once an import was undone)."""
    conn.execute("UPDATE import_basis SET run_id = NULL, digest = NULL, day = NULL, run_version = NULL,"
                 " data_version = data_version + 1 WHERE campaign_id = ?", (campaign_id,))


def current(conn: sqlite3.Connection, campaign_id: str) -> tuple[str, str, str] | None:
    """The last import completed in the campaign on this device, as (run id, digest of its file,
    options and importer, its local ISO date when its result depended on the date else ''), if no
    change was counted since it was recorded and its run still exists and is not undone; else None."""
    row = conn.execute(
        "SELECT b.run_id, b.digest, b.day FROM import_basis b JOIN import_run r ON r.id = b.run_id"
        " WHERE b.campaign_id = ? AND b.run_version = b.data_version AND r.campaign_id = b.campaign_id"
        " AND NOT EXISTS (SELECT 1 FROM removal m WHERE m.entity = 'import' AND m.entity_id = r.id"
        "                 AND m.restored_at IS NULL)", (campaign_id,)).fetchone()
    return (row[0], row[1], row[2] or "") if row else None

"""Storing removals (table ``removal``, migration 0008) and the SQL that hides removed rows."""

from __future__ import annotations

import sqlite3

from workbench.domain.removal import ENTITY_LABELS, Removal
from workbench.errors import NotFoundError, ValidationError
from workbench.storage.records import Author, new_id, utc_now


def not_removed(entity: str, column: str = "id") -> str:
    """A SQL condition true when ``column`` holds no id of a removed ``entity`` (no parameters)."""
    if entity not in ENTITY_LABELS:
        raise ValueError(f"unknown removable entity: {entity}")
    return (f"{column} NOT IN (SELECT entity_id FROM removal WHERE entity = '{entity}'"
            " AND restored_at IS NULL)")


def insert(conn: sqlite3.Connection, entity: str, entity_id: str, label: str, summary: str,
           author: Author) -> Removal:
    """Record that ``entity_id`` is removed (hidden); returns the removal.

    Raises:
        ValidationError: it is removed already.
    """
    if is_removed(conn, entity, entity_id):
        raise ValidationError(f"该{ENTITY_LABELS[entity]}已在回收站中")
    removal = Removal(new_id(), entity, entity_id, label, summary, utc_now(), author.inspector, author.device)
    conn.execute(
        "INSERT INTO removal (id, entity, entity_id, label, summary, removed_at, device, inspector)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (removal.id, entity, entity_id, label, summary, removal.removed_at, author.device, removal.inspector))
    return removal


def is_removed(conn: sqlite3.Connection, entity: str, entity_id: str) -> bool:
    """True when ``entity_id`` has a removal not yet undone."""
    return conn.execute("SELECT 1 FROM removal WHERE entity = ? AND entity_id = ? AND restored_at IS NULL",
                        (entity, entity_id)).fetchone() is not None


def active(conn: sqlite3.Connection) -> list[Removal]:
    """Removals not yet undone (the 回收站), newest first."""
    rows = conn.execute("SELECT * FROM removal WHERE restored_at IS NULL ORDER BY removed_at DESC").fetchall()
    return [_removal(r) for r in rows]


def restore(conn: sqlite3.Connection, removal_id: str, author: Author) -> Removal:
    """Undo a removal (撤销删除): the row shows again. Returns the removal as it was.

    Raises:
        NotFoundError: no such removal, or it was undone already.
    """
    row = conn.execute("SELECT * FROM removal WHERE id = ? AND restored_at IS NULL", (removal_id,)).fetchone()
    if row is None:
        raise NotFoundError("回收站中没有这一项（可能已经恢复）")
    conn.execute("UPDATE removal SET restored_at = ?, restored_by = ? WHERE id = ?",
                 (utc_now(), author.inspector, removal_id))
    return _removal(row)


def _removal(row: sqlite3.Row) -> Removal:
    return Removal(row["id"], row["entity"], row["entity_id"], row["label"], row["summary"], row["removed_at"],
                   row["inspector"], row["device"], row["restored_at"], row["restored_by"])


def campaign_counts(conn: sqlite3.Connection, campaign_id: str) -> dict[str, int]:
    """What a campaign holds: ``sites``, ``reviews``, ``findings``, ``notices``, ``inspections``, ``evidence``."""
    def one(sql: str) -> int:
        return conn.execute(sql, (campaign_id,)).fetchone()[0]

    return {
        "sites": one("SELECT count(*) FROM site WHERE campaign_id = ?"),
        "reviews": one("SELECT count(*) FROM review r JOIN site s ON s.id = r.site_id WHERE s.campaign_id = ?"),
        "findings": one("SELECT count(*) FROM finding WHERE campaign_id = ?"),
        "notices": one("SELECT count(*) FROM notice WHERE campaign_id = ?"),
        "inspections": one(f"SELECT count(*) FROM inspection WHERE campaign_id = ? AND {not_removed('inspection')}"),
        "evidence": one("SELECT count(*) FROM evidence e JOIN inspection i ON i.id = e.inspection_id"
                        f" WHERE i.campaign_id = ? AND {not_removed('evidence', 'e.id')}"),
    }


def inspection_counts(conn: sqlite3.Connection, inspection_id: str) -> dict[str, int]:
    """What an inspection holds: ``responses`` (all rounds), ``evidence``, ``findings`` raised from it."""
    def one(sql: str) -> int:
        return conn.execute(sql, (inspection_id,)).fetchone()[0]

    return {
        "responses": one("SELECT count(*) FROM inspection_response WHERE inspection_id = ?"),
        "evidence": one(f"SELECT count(*) FROM evidence WHERE inspection_id = ? AND {not_removed('evidence')}"),
        "findings": one("SELECT count(*) FROM finding WHERE inspection_id = ?"),
    }

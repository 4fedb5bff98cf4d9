"""Storing and finding campaigns (检查任务)."""

from __future__ import annotations

import sqlite3

from workbench.domain.campaign import Campaign
from workbench.errors import NotFoundError, ValidationError
from workbench.storage.records import Author, insert_row, iso, parse_iso, stamp
from workbench.storage.removal_repo import not_removed

_COLUMNS = "id, name, kind, authority, doc_prefix, period_start, period_end"


def _campaign(row: sqlite3.Row) -> Campaign:
    return Campaign(
        id=row["id"],
        name=row["name"],
        kind=row["kind"],
        authority=row["authority"],
        doc_prefix=row["doc_prefix"],
        period_start=parse_iso(row["period_start"]),
        period_end=parse_iso(row["period_end"]),
    )


def insert(conn: sqlite3.Connection, campaign: Campaign, author: Author) -> Campaign:
    """Store a new campaign; its ``id`` is kept.

    Raises:
        ValidationError: a campaign with the same name exists.
    """
    values = stamp(
        {
            "id": campaign.id,
            "name": campaign.name,
            "kind": campaign.kind,
            "authority": campaign.authority,
            "doc_prefix": campaign.doc_prefix,
            "period_start": iso(campaign.period_start),
            "period_end": iso(campaign.period_end),
        },
        author,
        new=True,
    )
    try:
        insert_row(conn, "campaign", values)
    except sqlite3.IntegrityError as err:
        removed = conn.execute(f"SELECT 1 FROM campaign WHERE name = ? AND NOT {not_removed('campaign')}",
                               (campaign.name,)).fetchone()
        where = "，在回收站中：可在“文件 › 回收站”撤销删除，或换一个名称" if removed else ""
        raise ValidationError(f"检查任务“{campaign.name}”已存在{where}") from err
    return campaign


def all_campaigns(conn: sqlite3.Connection) -> list[Campaign]:
    """Every campaign not in the 回收站 (removal_repo), newest first."""
    rows = conn.execute(f"SELECT {_COLUMNS} FROM campaign WHERE {not_removed('campaign')}"
                        " ORDER BY created_at DESC, name").fetchall()
    return [_campaign(r) for r in rows]


def get(conn: sqlite3.Connection, key: str) -> Campaign:
    """The campaign whose id or name is ``key``.

    Raises:
        NotFoundError: no such campaign.
    """
    row = conn.execute(f"SELECT {_COLUMNS} FROM campaign WHERE id = ? OR name = ?", (key, key)).fetchone()
    if row is None:
        raise NotFoundError(f"找不到检查任务“{key}”")
    return _campaign(row)


def update(conn: sqlite3.Connection, campaign: Campaign, author: Author) -> Campaign:
    """Overwrite a campaign's name, authority, prefix and period (its kind never changes).

    Raises:
        ValidationError: another campaign already has the new name.
    """
    try:
        conn.execute(
            "UPDATE campaign SET name = ?, authority = ?, doc_prefix = ?, period_start = ?, period_end = ?,"
            " updated_at = ?, device = ?, inspector = ? WHERE id = ?",
            (campaign.name, campaign.authority, campaign.doc_prefix, iso(campaign.period_start),
             iso(campaign.period_end), stamp({}, author, new=False)["updated_at"], author.device,
             author.inspector, campaign.id),
        )
    except sqlite3.IntegrityError as err:
        removed = conn.execute(f"SELECT 1 FROM campaign WHERE name = ? AND NOT {not_removed('campaign')}",
                               (campaign.name,)).fetchone()
        where = "，在回收站中：可在“文件 › 回收站”撤销删除，或换一个名称" if removed else ""
        raise ValidationError(f"检查任务“{campaign.name}”已存在{where}") from err
    return campaign

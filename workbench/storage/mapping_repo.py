"""Remembering the column mapping a user confirmed for a site-list header."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Sequence

from workbench.storage.records import Author, utc_now


def header_key(headers: Sequence[str]) -> str:
    """A stable key for a header row: SHA-256 of the header texts with all white space removed."""
    compact = ["".join(h.split()) for h in headers]
    return hashlib.sha256(json.dumps(compact, ensure_ascii=False).encode("utf-8")).hexdigest()


def get(conn: sqlite3.Connection, headers: Sequence[str]) -> dict[int, str] | None:
    """The mapping remembered for this header row (column index -> field), or None."""
    row = conn.execute("SELECT mapping FROM column_mapping WHERE header_key = ?", (header_key(headers),)).fetchone()
    return {int(k): v for k, v in json.loads(row[0]).items()} if row else None


def all_mappings(conn: sqlite3.Connection) -> dict[str, dict[int, str]]:
    """Every remembered mapping by :func:`header_key` (a handful of rows: one per header a user
    mapped by hand), so a reader need not ask the database while it streams."""
    return {key: {int(k): v for k, v in json.loads(text).items()}
            for key, text in conn.execute("SELECT header_key, mapping FROM column_mapping")}


def save(conn: sqlite3.Connection, headers: Sequence[str], mapping: dict[int, str], author: Author) -> None:
    """Remember ``mapping`` for files with this header row (replacing an earlier one)."""
    now = utc_now()
    conn.execute(
        "INSERT INTO column_mapping (header_key, mapping, created_at, updated_at, device, inspector)"
        " VALUES (?,?,?,?,?,?) ON CONFLICT(header_key) DO UPDATE SET mapping = excluded.mapping,"
        " updated_at = excluded.updated_at, device = excluded.device, inspector = excluded.inspector",
        (header_key(headers), json.dumps({str(k): v for k, v in sorted(mapping.items())}, ensure_ascii=False),
         now, now, author.device, author.inspector),
    )

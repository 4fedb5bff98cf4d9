"""Blocks of document numbers (文号段, table ``doc_number_block``, migration 0014).

Works on sqlite3 connections; the rules a merge checks are in storage/number_rules.py.
"""

from __future__ import annotations

import sqlite3

from workbench.domain.number_block import NumberBlock
from workbench.storage.records import Author, insert_row, stamp

_COLUMNS = ("id", "campaign_id", "prefix", "year", "first_seq", "last_seq", "holder_replica", "holder_device",
            "holder_inspector", "assigned_by_replica", "note", "created_at", "device", "inspector")
_SELECT = f"SELECT {', '.join(_COLUMNS)} FROM doc_number_block"


def replica_id(conn: sqlite3.Connection) -> str:
    """This database's replica id (written once by migration 0005, never changed)."""
    return conn.execute("SELECT id FROM sync_replica").fetchone()[0]


def _block(row) -> NumberBlock:
    return NumberBlock(*row)


def for_sequence(conn: sqlite3.Connection, prefix: str, year: int) -> list[NumberBlock]:
    """Every block of ``prefix``/``year`` (of any campaign), lowest numbers first."""
    return [_block(r) for r in conn.execute(f"{_SELECT} WHERE prefix = ? AND year = ? ORDER BY first_seq",
                                            (prefix, year))]


def in_campaign(conn: sqlite3.Connection, campaign_id: str) -> list[NumberBlock]:
    """The blocks of a campaign, by prefix, year and first number."""
    return [_block(r) for r in conn.execute(
        f"{_SELECT} WHERE campaign_id = ? ORDER BY prefix, year, first_seq", (campaign_id,))]


def block_of(conn: sqlite3.Connection, prefix: str, year: int, seq: int) -> str | None:
    """The id of the block holding number ``seq`` (None: outside every block)."""
    row = conn.execute("SELECT id FROM doc_number_block WHERE prefix = ? AND year = ? AND ? BETWEEN first_seq AND last_seq",
                       (prefix, year, seq)).fetchone()
    return row[0] if row else None


def insert(conn: sqlite3.Connection, values: dict, author: Author) -> None:
    """Store a new block (``values``: the columns of the table without id and bookkeeping)."""
    insert_row(conn, "doc_number_block", stamp(values, author, new=True))


def usage(conn: sqlite3.Connection, block: NumberBlock) -> dict[str, int]:
    """{'issued', 'void', 'reserved', 'free'} counts of a block's numbers; ``next`` the next number
    its holder draws (0 when the block is used up)."""
    counts = dict.fromkeys(("issued", "void", "reserved"), 0)
    top = 0
    for status, n, hi in conn.execute(
            "SELECT status, count(*), max(seq) FROM doc_number WHERE prefix = ? AND year = ?"
            " AND seq BETWEEN ? AND ? GROUP BY status", (block.prefix, block.year, block.first_seq, block.last_seq)):
        counts[status] = n
        top = max(top, hi)
    nxt = (top or block.first_seq - 1) + 1
    return {**counts, "free": max(0, block.last_seq - nxt + 1), "next": nxt if nxt <= block.last_seq else 0}

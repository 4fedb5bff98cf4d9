"""The findings ledger (整改台账) query: one streamed row per finding with its notice and history."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager

#: Separators inside the aggregated history text (ASCII unit / record separators never typed).
FIELD_SEP = "\x1f"
RECORD_SEP = "\x1e"

_SQL = f"""
WITH notices AS (
    SELECT nf.finding_id, n.doc_number, n.served_on,
           row_number() OVER (PARTITION BY nf.finding_id ORDER BY n.year DESC, n.seq DESC) AS rn
    FROM notice_finding nf JOIN notice n ON n.id = nf.notice_id
    WHERE n.kind = 'rectification' AND n.campaign_id = :campaign),
events AS (
    SELECT finding_id,
           group_concat(occurred_at || '{FIELD_SEP}' || action || '{FIELD_SEP}' || reason
                        || '{FIELD_SEP}' || inspector, '{RECORD_SEP}') AS history
    FROM (SELECT e.finding_id, e.occurred_at, e.action, e.reason, e.inspector
          FROM finding_event e JOIN finding f ON f.id = e.finding_id
          WHERE f.campaign_id = :campaign ORDER BY e.finding_id, e.occurred_at, e.rowid)
    GROUP BY finding_id)
SELECT p.name AS sponsor_name, coalesce(s.site_filing_no, '') AS site_filing_no,
       coalesce(s.name, '') AS site_name, f.category, f.description, f.severity, f.legal_basis,
       f.requirement, coalesce(n.doc_number, '') AS notice_number, n.served_on, f.deadline,
       f.status, coalesce(ev.history, '') AS history
FROM finding f
JOIN sponsor p ON p.id = f.sponsor_id
LEFT JOIN site s ON s.id = f.site_id
LEFT JOIN notices n ON n.finding_id = f.id AND n.rn = 1
LEFT JOIN events ev ON ev.finding_id = f.id
WHERE f.campaign_id = :campaign
ORDER BY f.deadline, p.name, f.created_at
"""


def ledger_rows(conn: sqlite3.Connection, campaign_id: str) -> Iterator[sqlite3.Row]:
    """Every finding of a campaign, by deadline, as rows read lazily from the cursor.

    Columns: sponsor_name, site_filing_no, site_name, category, description, severity,
    legal_basis, requirement, notice_number (latest 整改通知书, '' if none), served_on (ISO day or
    None), deadline (ISO day), status, history (events oldest first, joined with
    :data:`RECORD_SEP`, each ``occurred_at FIELD_SEP action FIELD_SEP reason FIELD_SEP inspector``).
    """
    # The query materialises the history and notice tables and sorts every finding: on disk and
    # with a small page cache, so a 100,000-finding ledger streams in flat memory.
    with low_memory(conn):
        cursor = conn.execute(_SQL, {"campaign": campaign_id})
        cursor.row_factory = sqlite3.Row
        yield from cursor


@contextmanager
def low_memory(conn: sqlite3.Connection, cache_kib: int = 16 * 1024) -> Iterator[None]:
    """For one-pass scans of a whole campaign (exports, reports): temporary tables and sorts on
    disk and a ``cache_kib`` page cache instead of the connection's in-memory temp store and
    large cache (connection.py), which a full scan would fill for nothing. Restored after."""
    temp = conn.execute("PRAGMA temp_store").fetchone()[0]
    cache = conn.execute("PRAGMA cache_size").fetchone()[0]
    conn.execute("PRAGMA temp_store=FILE")
    conn.execute(f"PRAGMA cache_size=-{int(cache_kib)}")
    try:
        yield
    finally:
        conn.execute(f"PRAGMA temp_store={int(temp)}")
        conn.execute(f"PRAGMA cache_size={int(cache)}")

"""The ledger of document numbers (文号): reserved before rendering, then issued or void.

Table ``doc_number`` (migration 0010). A number is taken as max(seq) + 1 over the ledger, so a
number that was ever reserved — and may have reached a file — is never handed out again.
"""

from __future__ import annotations

import sqlite3

from workbench.domain.number_entry import ISSUED, RESERVED, VOID, NumberEntry
from workbench.storage.records import Author, insert_row, stamp, utc_now


def _entry(r: sqlite3.Row) -> NumberEntry:
    return NumberEntry(r["prefix"], r["year"], r["seq"], r["doc_number"], r["campaign_id"],
                       r["sponsor_id"], r["kind"], r["status"], r["reason"], r["notice_id"])


def next_seq(conn: sqlite3.Connection, prefix: str, year: int) -> int:
    """The next sequence number for ``prefix`` and ``year``: 1 + the highest ever taken.

    Call inside the transaction that stores the number (BEGIN IMMEDIATE serialises writers).
    """
    row = conn.execute("SELECT coalesce(max(seq), 0) FROM doc_number WHERE prefix = ? AND year = ?",
                       (prefix, year)).fetchone()
    return row[0] + 1


def reserve(conn: sqlite3.Connection, campaign_id: str, sponsor_id: str, kind: str, prefix: str,
            year: int, doc_number_of, author: Author) -> NumberEntry:
    """Take the next number for ``prefix``/``year`` for one organisation, status 'reserved'.

    Args:
        doc_number_of: ``(prefix, year, seq) -> str``, the printed form (reports.format_doc_number).
    """
    seq = next_seq(conn, prefix, year)
    number = doc_number_of(prefix, year, seq)
    insert_row(conn, "doc_number", stamp({
        "prefix": prefix, "year": year, "seq": seq, "doc_number": number, "campaign_id": campaign_id,
        "sponsor_id": sponsor_id, "kind": kind, "status": RESERVED, "reason": "", "notice_id": None,
    }, author, new=True))
    return get(conn, number)


def record_issued(conn: sqlite3.Connection, entry_values: dict, notice_id: str, author: Author) -> None:
    """Mark a number issued to ``notice_id``, adding the ledger row when the number was taken
    without a reservation (a document stored in the same transaction that numbered it)."""
    existing = conn.execute("SELECT status FROM doc_number WHERE doc_number = ?",
                            (entry_values["doc_number"],)).fetchone()
    if existing is None:
        insert_row(conn, "doc_number", stamp({**entry_values, "status": ISSUED, "reason": "",
                                              "notice_id": notice_id}, author, new=True))
        return
    if existing[0] != RESERVED:
        raise sqlite3.IntegrityError(f"文号 {entry_values['doc_number']} 已{existing[0]}，不能再次使用")
    conn.execute("UPDATE doc_number SET status = ?, notice_id = ?, updated_at = ?, device = ?, inspector = ?"
                 " WHERE doc_number = ?", (ISSUED, notice_id, utc_now(), author.device, author.inspector,
                                           entry_values["doc_number"]))


def void(conn: sqlite3.Connection, doc_number: str, reason: str, author: Author) -> None:
    """Mark a reserved number void with ``reason`` (it is never used again)."""
    conn.execute("UPDATE doc_number SET status = ?, reason = ?, updated_at = ?, device = ?, inspector = ?"
                 " WHERE doc_number = ? AND status = ?",
                 (VOID, reason, utc_now(), author.device, author.inspector, doc_number, RESERVED))


def release(conn: sqlite3.Connection, doc_number: str) -> bool:
    """Give back a reserved number that never reached a file, when it is still the highest of its
    sequence (so no later number leaves a gap behind it). Returns whether it was released."""
    done = conn.execute(
        "DELETE FROM doc_number WHERE doc_number = ? AND status = ? AND seq = "
        "(SELECT max(seq) FROM doc_number d2 WHERE d2.prefix = doc_number.prefix AND d2.year = doc_number.year)",
        (doc_number, RESERVED))
    return done.rowcount > 0


def get(conn: sqlite3.Connection, doc_number: str) -> NumberEntry:
    """The ledger row of a number (KeyError when the number was never taken)."""
    r = conn.execute("SELECT * FROM doc_number WHERE doc_number = ?", (doc_number,)).fetchone()
    if r is None:
        raise KeyError(doc_number)
    return _entry(r)


def reserved(conn: sqlite3.Connection, campaign_id: str, kind: str, sponsor_id: str | None = None) -> list[NumberEntry]:
    """Numbers still 'reserved' in a campaign (left by an interrupted run or one in progress),
    oldest first; only one organisation's when ``sponsor_id`` is given."""
    sql = "SELECT * FROM doc_number WHERE status = ? AND kind = ? AND campaign_id = ?"
    params: list = [RESERVED, kind, campaign_id]
    if sponsor_id is not None:
        sql += " AND sponsor_id = ?"
        params.append(sponsor_id)
    return [_entry(r) for r in conn.execute(sql + " ORDER BY year, seq", params)]


def in_campaign(conn: sqlite3.Connection, campaign_id: str) -> list[NumberEntry]:
    """Every number taken in a campaign, in number order."""
    return [_entry(r) for r in conn.execute(
        "SELECT * FROM doc_number WHERE campaign_id = ? ORDER BY prefix, year, seq", (campaign_id,))]

"""Storing ICP filing accuracy reviews and their per-field checks."""

from __future__ import annotations

import sqlite3

from workbench.domain.review_record import FieldCheck, Review
from workbench.storage.records import Author, insert_row, insert_rows, iso, new_id, parse_iso, stamp


def save(conn: sqlite3.Connection, review: Review, author: Author) -> str:
    """Insert or replace the review of ``review.site_id`` (one review per site); returns its id.

    The per-field checks are replaced as a whole. Call inside a transaction.
    """
    row = conn.execute("SELECT id FROM review WHERE site_id = ?", (review.site_id,)).fetchone()
    values = {"site_id": review.site_id, "conclusion": review.conclusion, "notes": review.notes,
              "reviewed_on": iso(review.reviewed_on)}
    if row is None:
        stamped = stamp(values, author, new=True)
        insert_row(conn, "review", stamped)
        review_id = stamped["id"]
    else:
        review_id = row["id"]
        stamped = stamp(values, author, new=False)
        conn.execute(
            "UPDATE review SET conclusion = ?, notes = ?, reviewed_on = ?, updated_at = ?, device = ?,"
            " inspector = ? WHERE id = ?",
            (stamped["conclusion"], stamped["notes"], stamped["reviewed_on"], stamped["updated_at"],
             author.device, author.inspector, review_id),
        )
        conn.execute("DELETE FROM review_field WHERE review_id = ?", (review_id,))
    insert_rows(conn, "review_field", (
        {"id": new_id(), "review_id": review_id, "field": f.field, "filed_value": f.filed_value,
         "observed_value": f.observed_value, "verdict": f.verdict}
        for f in review.fields
    ))
    return review_id


def for_site(conn: sqlite3.Connection, site_id: str) -> Review | None:
    """The review of a site, or None when it has not been reviewed."""
    r = conn.execute("SELECT * FROM review WHERE site_id = ?", (site_id,)).fetchone()
    if r is None:
        return None
    fields = conn.execute(
        "SELECT field, filed_value, observed_value, verdict FROM review_field WHERE review_id = ?"
        " ORDER BY rowid",
        (r["id"],),
    ).fetchall()
    return Review(
        r["id"], r["site_id"], r["conclusion"], r["notes"], parse_iso(r["reviewed_on"]),
        tuple(FieldCheck(f["field"], f["filed_value"], f["observed_value"], f["verdict"]) for f in fields),
        r["inspector"],
    )


def conclusions(conn: sqlite3.Connection, campaign_id: str) -> list[tuple[str, str, str]]:
    """(access provider, city, conclusion code) for every reviewed site of a campaign."""
    rows = conn.execute(
        """SELECT s.access_provider, s.city, r.conclusion FROM review r
           JOIN site s ON s.id = r.site_id WHERE s.campaign_id = ?""",
        (campaign_id,),
    ).fetchall()
    return [(r["access_provider"], r["city"], r["conclusion"]) for r in rows]

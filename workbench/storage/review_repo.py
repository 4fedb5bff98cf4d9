"""Storing ICP filing accuracy reviews and their per-field checks."""

from __future__ import annotations

import sqlite3

from workbench.domain.review_record import FieldCheck, Review
from workbench.storage.records import Author, iso, new_id, parse_iso, utc_now


def save(conn: sqlite3.Connection, review: Review, author: Author) -> str:
    """Insert or replace the review of ``review.site_id`` (one review per site); returns its id.

    The per-field checks are replaced as a whole. Call inside a transaction.
    """
    now = utc_now()
    row = conn.execute("SELECT id FROM review WHERE site_id = ?", (review.site_id,)).fetchone()
    if row is None:
        review_id = new_id()
        conn.execute(
            "INSERT INTO review (id, site_id, conclusion, notes, reviewed_on, created_at, updated_at,"
            " device, inspector) VALUES (?,?,?,?,?,?,?,?,?)",
            (review_id, review.site_id, review.conclusion, review.notes, iso(review.reviewed_on),
             now, now, author.device, author.inspector),
        )
    else:
        review_id = row["id"]
        conn.execute(
            "UPDATE review SET conclusion = ?, notes = ?, reviewed_on = ?, updated_at = ?, device = ?,"
            " inspector = ? WHERE id = ?",
            (review.conclusion, review.notes, iso(review.reviewed_on), now, author.device,
             author.inspector, review_id),
        )
        conn.execute("DELETE FROM review_field WHERE review_id = ?", (review_id,))
    conn.executemany(
        "INSERT INTO review_field (id, review_id, field, filed_value, observed_value, verdict)"
        " VALUES (?,?,?,?,?,?)",
        [(new_id(), review_id, f.field, f.filed_value, f.observed_value, f.verdict) for f in review.fields],
    )
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

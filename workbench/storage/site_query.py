"""Reading websites back: counts and pages for large tables, sorted and filtered in SQL."""

from __future__ import annotations

import json
import sqlite3

from workbench.domain.site_views import SiteDetail, SiteSummary
from workbench.domain.text import clean_free_text
from workbench.errors import NotFoundError

# Sort keys a table may ask for, mapped to SQL expressions (a whitelist: never user text in SQL).
SORT_KEYS = {
    "site_filing_no": "s.site_filing_no",
    "site_name": "s.name",
    "sponsor_name": "p.name",
    "domains": "(SELECT domain FROM site_domain d WHERE d.site_id = s.id ORDER BY position LIMIT 1)",
    "access_provider": "s.access_provider",
    "city": "s.city",
    "conclusion": "r.conclusion",
    "reviewed_on": "r.reviewed_on",
    "flags": "json_array_length(s.flags)",
    "source_row": "s.source_row",
}






_BASE = """FROM site s JOIN sponsor p ON p.id = s.sponsor_id
LEFT JOIN review r ON r.site_id = s.id
WHERE s.campaign_id = :campaign"""

# One column holds every searchable field (db/migrations/0004_site_search_text.sql).
_FILTER = " AND s.search_text LIKE :q ESCAPE '\\'"


def _where(text: str, unreviewed_only: bool) -> tuple[str, dict]:
    sql = _BASE
    params: dict = {}
    # The term is tidied as stored values were on import (domain/text.py: full-width letters
    # and digits such as ＩＣＰ made ordinary, invisible characters dropped, spaces collapsed),
    # so what the user sees in the list can be typed back in any width.
    text = clean_free_text(text)
    if text:
        escaped = text.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        sql += _FILTER
        params["q"] = f"%{escaped}%"
    if unreviewed_only:
        sql += " AND r.id IS NULL"
    return sql, params


def count_sites(conn: sqlite3.Connection, campaign_id: str, text: str = "", unreviewed_only: bool = False) -> int:
    """How many sites of the campaign match the filter text (case-insensitive substring)."""
    if not text.strip():  # the common case, answered from the site table's index alone
        sql = "SELECT count(*) FROM site s WHERE s.campaign_id = ?"
        if unreviewed_only:
            sql += " AND NOT EXISTS (SELECT 1 FROM review r WHERE r.site_id = s.id)"
        return conn.execute(sql, (campaign_id,)).fetchone()[0]
    where, params = _where(text, unreviewed_only)
    return conn.execute(f"SELECT count(*) {where}", {"campaign": campaign_id, **params}).fetchone()[0]


def count_reviewed(conn: sqlite3.Connection, campaign_id: str) -> int:
    """How many sites of the campaign have a review."""
    return conn.execute(
        "SELECT count(*) FROM review r JOIN site s ON s.id = r.site_id WHERE s.campaign_id = ?",
        (campaign_id,),
    ).fetchone()[0]


def page_sites(
    conn: sqlite3.Connection,
    campaign_id: str,
    *,
    text: str = "",
    unreviewed_only: bool = False,
    sort: str = "source_row",
    descending: bool = False,
    offset: int = 0,
    limit: int = 200,
) -> list[SiteSummary]:
    """One page of the site table.

    Args:
        sort: a key of :data:`SORT_KEYS` (unknown keys fall back to import order).
        offset, limit: rows to skip and to return.
    """
    where, params = _where(text, unreviewed_only)
    order = SORT_KEYS.get(sort, "s.source_row")
    direction = "DESC" if descending else "ASC"
    # Two steps: the ids of the page first (only the sort key is computed for skipped rows), then
    # the display columns of just those rows.
    ids = [r[0] for r in conn.execute(
        f"SELECT s.id {where} ORDER BY {order} {direction}, s.site_filing_no LIMIT :limit OFFSET :offset",
        {"campaign": campaign_id, "limit": limit, "offset": offset, **params},
    )]
    if not ids:
        return []
    rows = conn.execute(
        f"""SELECT s.id, s.site_filing_no, s.name, p.name AS sponsor_name, s.access_provider, s.city,
                   coalesce(r.conclusion, '') AS conclusion, s.flags, s.present,
                   (SELECT group_concat(domain, '; ') FROM
                       (SELECT domain FROM site_domain d WHERE d.site_id = s.id ORDER BY position))
                   AS domains
            FROM site s JOIN sponsor p ON p.id = s.sponsor_id LEFT JOIN review r ON r.site_id = s.id
            WHERE s.id IN ({', '.join('?' for _ in ids)})""",
        ids,
    ).fetchall()
    by_id = {
        r["id"]: SiteSummary(
            r["id"], r["site_filing_no"], r["name"], r["sponsor_name"], r["domains"] or "",
            r["access_provider"], r["city"], r["conclusion"], tuple(json.loads(r["flags"])),
            bool(r["present"]),
        )
        for r in rows
    }
    return [by_id[i] for i in ids]


def site_detail(conn: sqlite3.Connection, site_id: str) -> SiteDetail:
    """The filed values of one website.

    Raises:
        NotFoundError: no such site.
    """
    r = conn.execute(
        """SELECT s.*, p.name AS sponsor_name, p.nature, p.uscc, p.id AS pid FROM site s
           JOIN sponsor p ON p.id = s.sponsor_id WHERE s.id = ?""",
        (site_id,),
    ).fetchone()
    if r is None:
        raise NotFoundError("找不到该网站记录")
    domains = conn.execute(
        "SELECT domain, ascii FROM site_domain WHERE site_id = ? ORDER BY position", (site_id,)
    ).fetchall()
    filed = {
        "sponsor_name": r["sponsor_name"], "sponsor_nature": r["nature"], "uscc": r["uscc"],
        "subject_filing_no": r["subject_filing_no"], "site_filing_no": r["site_filing_no"],
        "domain": "; ".join(d["domain"] for d in domains), "homepage": r["homepage"],
        "access_provider": r["access_provider"], "contact_name": r["contact_name"],
        "contact_phone": r["contact_phone"],
    }
    return SiteDetail(
        r["id"], r["campaign_id"], r["pid"], filed, r["name"], r["ip"], r["email"],
        r["approved_on"] or "", r["psb_filing_no"], r["city"], r["remark"],
        tuple(json.loads(r["flags"])), tuple(d["ascii"] for d in domains),
    )


def next_unreviewed(conn: sqlite3.Connection, campaign_id: str, after_site_id: str | None = None) -> str | None:
    """The id of the next site without a review, in import order after ``after_site_id`` (wrapping)."""
    after = -1
    if after_site_id:
        row = conn.execute("SELECT source_row FROM site WHERE id = ?", (after_site_id,)).fetchone()
        after = row["source_row"] if row and row["source_row"] is not None else -1
    query = """SELECT s.id FROM site s LEFT JOIN review r ON r.site_id = s.id
               WHERE s.campaign_id = ? AND r.id IS NULL AND s.present = 1 AND coalesce(s.source_row, 0) {op} ?
               ORDER BY s.source_row, s.site_filing_no LIMIT 1"""
    row = conn.execute(query.format(op=">"), (campaign_id, after)).fetchone()
    if row is None:
        row = conn.execute(query.format(op=">="), (campaign_id, -1)).fetchone()
    if row is None or row["id"] == after_site_id:
        return None
    return row["id"]


def site_listing(conn: sqlite3.Connection, campaign_id: str) -> list[dict]:
    """Every stored site with its canonical fields and problem flags (``workbench sites --json``)."""
    rows = conn.execute(
        """SELECT s.*, p.name AS sponsor_name, p.nature, p.uscc,
                  (SELECT json_group_array(json_object('name', domain, 'ascii', ascii)) FROM
                     (SELECT domain, ascii FROM site_domain d WHERE d.site_id = s.id ORDER BY position))
                  AS domains
           FROM site s JOIN sponsor p ON p.id = s.sponsor_id WHERE s.campaign_id = ?
           ORDER BY s.source_row, s.site_filing_no""",
        (campaign_id,),
    )
    out = []
    for r in rows:
        domains = json.loads(r["domains"])
        out.append({
            "site_filing_no": r["site_filing_no"], "subject_filing_no": r["subject_filing_no"],
            "sponsor_name": r["sponsor_name"], "sponsor_nature": r["nature"], "uscc": r["uscc"],
            "site_name": r["name"], "domains": [d["name"] for d in domains],
            "domains_ascii": [d["ascii"] for d in domains], "homepage": r["homepage"],
            "access_provider": r["access_provider"], "ip": r["ip"], "contact_name": r["contact_name"],
            "contact_phone": r["contact_phone"], "email": r["email"], "approved_on": r["approved_on"],
            "psb_filing_no": r["psb_filing_no"], "city": r["city"], "source_row": r["source_row"],
            "present": bool(r["present"]), "flags": json.loads(r["flags"]),
        })
    return out

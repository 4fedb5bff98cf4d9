"""Reading websites back: counts and pages for large tables, sorted and filtered in SQL."""

from __future__ import annotations

import json
import sqlite3

from workbench.domain.site_views import SiteDetail, SiteSummary
from workbench.domain.text import clean_free_text
from workbench.errors import NotFoundError
from workbench.storage import campaign_count_repo

# Sort keys a table may ask for, mapped to SQL expressions (a whitelist: never user text in SQL).
# Each site column has an index (campaign_id, column, site_filing_no): db/migrations/0011.
SORT_KEYS = {
    "site_filing_no": "s.site_filing_no",
    "site_name": "s.name",
    "sponsor_name": "s.sort_sponsor",
    "domains": "s.first_domain",
    "access_provider": "s.access_provider",
    "city": "s.city",
    "conclusion": "s.sort_conclusion",
    "reviewed_on": "r.reviewed_on",
    "flags": "s.flag_count",
    "source_row": "s.source_row",
}
#: Shortest term the trigram index can answer; shorter terms are matched with LIKE.
TRIGRAM = 3
#: The first page of a filter the trigram index answers is looked for among this many rows in
#: the table's order first (LIKE): a common term ("com", "鲁ICP备1000") is answered in
#: milliseconds without collecting its 100,000 matches from the index; a rare one falls back to
#: the index after this short walk. (Shorter terms use LIKE anyway, which stops at a page.)
FIRST_PAGE_WINDOW = 2_000


def _where(text: str, unreviewed_only: bool, joins: str = "") -> tuple[str, dict]:
    """FROM/WHERE of the site table's queries: the campaign, the filter text, the review state.

    Text of :data:`TRIGRAM` or more characters is looked up in the ``site_search`` trigram index
    (0011); shorter text scans ``search_text`` with LIKE (one or two characters match so many
    rows that an index would not help). Both are case-insensitive substring matches.
    """
    sql = f"FROM site s {joins} WHERE s.campaign_id = :campaign"
    params: dict = {}
    # The term is tidied as stored values were on import (domain/text.py: full-width letters
    # and digits such as ＩＣＰ made ordinary, invisible characters dropped, spaces collapsed),
    # so what the user sees in the list can be typed back in any width.
    term = clean_free_text(text).lower()
    if len(term) >= TRIGRAM:
        sql += " AND s.rowid IN (SELECT rowid FROM site_search WHERE site_search MATCH :fts)"
        params["fts"] = '"' + term.replace('"', '""') + '"'
    elif term:
        escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        sql += " AND s.search_text LIKE :q ESCAPE '\\'"
        params["q"] = f"%{escaped}%"
    if unreviewed_only:
        sql += " AND NOT EXISTS (SELECT 1 FROM review r0 WHERE r0.site_id = s.id)"
    return sql, params


def count_sites(conn: sqlite3.Connection, campaign_id: str, text: str = "", unreviewed_only: bool = False) -> int:
    """How many sites of the campaign match the filter text (case-insensitive substring).

    Counts the site table alone (its campaign index, the trigram index): no join per row. With
    no filter it reads the count the triggers keep (0017) instead of walking 300,000 entries.
    """
    if not unreviewed_only and not clean_free_text(text):
        return campaign_count_repo.read(conn, campaign_id).get(campaign_count_repo.SITES, 0)
    where, params = _where(text, unreviewed_only)
    return conn.execute(f"SELECT count(*) {where}", {"campaign": campaign_id, **params}).fetchone()[0]


def count_reviewed(conn: sqlite3.Connection, campaign_id: str) -> int:
    """How many sites of the campaign have a review: those whose conclusion is copied onto the
    site (0011), as counted by the triggers (0017)."""
    return campaign_count_repo.read(conn, campaign_id).get(campaign_count_repo.REVIEWED, 0)


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
    total: int | None = None,
) -> list[SiteSummary]:
    """One page of the site table.

    Args:
        sort: a key of :data:`SORT_KEYS` (unknown keys fall back to import order).
        offset, limit: rows to skip and to return.
        total: the count for this filter, when known: a page in the second half is then read
            from the end in the opposite order (scrolling to the end costs one short read).
    """
    order = SORT_KEYS.get(sort, "s.source_row")
    joins = ("JOIN sponsor p ON p.id = s.sponsor_id " if order.startswith("p.") else "") + (
        "LEFT JOIN review r ON r.site_id = s.id" if order.startswith("r.") else "")
    where, params = _where(text, unreviewed_only, joins)
    reverse = total is not None and offset > total // 2
    if reverse:   # the far half is read backwards from its end: no page skips more than half the rows
        count = max(0, min(limit, total - offset))
        descending, offset, limit = not descending, total - offset - count, count
    direction = "DESC" if descending else "ASC"
    # Two steps: the ids of the page first, walking the sort column's index, then the display
    # columns of just those rows.
    ids = _first_page_nearby(conn, campaign_id, text, unreviewed_only, order, direction, joins, limit) \
        if offset == 0 and not reverse and len(clean_free_text(text)) >= TRIGRAM else None
    if ids is None:
        ids = [r[0] for r in conn.execute(
            f"SELECT s.id {where} ORDER BY {order} {direction}, s.site_filing_no {direction} "
            "LIMIT :limit OFFSET :offset",
            {"campaign": campaign_id, "limit": limit, "offset": offset, **params},
        )]
    if reverse:
        ids.reverse()
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


def _first_page_nearby(conn: sqlite3.Connection, campaign_id: str, text: str, unreviewed_only: bool, order: str,
                       direction: str, joins: str, limit: int) -> list[str] | None:
    """The first ``limit`` matches of ``text`` when they lie within the first
    :data:`FIRST_PAGE_WINDOW` rows of the order (None otherwise: ask the index).

    The inner query walks the sort index for at most the window's rows; the outer one keeps the
    rows whose search text holds the term and stops at ``limit`` (a LIMIT in the sub-query keeps
    SQLite from flattening it, so the order of the walk is the order of the result).
    """
    where, params = _where("", unreviewed_only, joins)
    term = clean_free_text(text).lower()
    escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    rows = conn.execute(
        f"""SELECT id FROM (SELECT s.id, s.search_text {where}
                            ORDER BY {order} {direction}, s.site_filing_no {direction} LIMIT :window)
            WHERE search_text LIKE :q ESCAPE '\\' LIMIT :limit""",
        {"campaign": campaign_id, "window": FIRST_PAGE_WINDOW, "q": f"%{escaped}%", "limit": limit, **params},
    ).fetchall()
    return [r[0] for r in rows] if len(rows) == limit else None


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

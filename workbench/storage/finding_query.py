"""The findings ledger (问题台账) page by page: counts and pages sorted and filtered in SQL.

Every sort key and filter of the 问题 screen is a column of ``finding_sort`` (migration 0015,
kept by triggers) with an index starting (campaign_id, key): a page walks an index and stops,
a count without text reads an index range, and no page joins sponsors, sites or notices for the
rows it skips.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from datetime import date

from workbench.domain.finding import FindingView, LedgerFilter
from workbench.storage.finding_repo import finding_from_row

#: Sort keys a table may ask for → ORDER BY of finding_sort (k); the tie-break k.seq follows.
SORT_KEYS = {
    "sponsor": "k.sponsor",
    "site_no": "k.site_no",
    "category": "k.category",
    "severity": "k.severity_rank",
    "deadline": "k.deadline",
    "days_left": "k.term_class, k.deadline",
    "status": "k.status_rank",
    "notice": "k.notice_number",
}
#: Columns a text filter looks in (case-insensitive substring, as the table shows them).
_TEXT_COLUMNS = ("k.sponsor", "k.site_no", "k.category", "k.notice_number", "k.deadline")


def _where(f: LedgerFilter, with_text: bool = True) -> tuple[str, dict]:
    sql = "FROM finding_sort k WHERE k.campaign_id = :campaign"
    params: dict = {"campaign": f.campaign_id}
    if f.statuses is not None:
        marks = ", ".join(f":s{i}" for i in range(len(f.statuses)))
        sql += f" AND k.status IN ({marks})" if f.statuses else " AND 0"
        params.update({f"s{i}": s for i, s in enumerate(f.statuses)})
    if f.deadline_from:
        sql += " AND k.deadline >= :from"
        params["from"] = f.deadline_from
    if f.deadline_to:
        sql += " AND k.deadline <= :to"
        params["to"] = f.deadline_to
    if with_text and f.text:
        escaped = f.text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        params["q"] = f"%{escaped}%"
        alternatives = [f"{c} LIKE :q ESCAPE '\\'" for c in _TEXT_COLUMNS]
        if f.text_statuses:
            alternatives.append(f"k.status IN ({', '.join(f':ts{i}' for i in range(len(f.text_statuses)))})")
            params.update({f"ts{i}": s for i, s in enumerate(f.text_statuses)})
        if f.text_severities:
            alternatives.append(f"k.severity_rank IN ({', '.join(f':tr{i}' for i in range(len(f.text_severities)))})")
            params.update({f"tr{i}": r for i, r in enumerate(f.text_severities)})
        sql += " AND (" + " OR ".join(alternatives) + ")"
    return sql, params


def count_findings(conn: sqlite3.Connection, f: LedgerFilter, with_text: bool = True) -> int:
    """How many findings match ``f`` (without its text when ``with_text`` is False)."""
    where, params = _where(f, with_text)
    return conn.execute(f"SELECT count(*) {where}", params).fetchone()[0]


def page_findings(conn: sqlite3.Connection, f: LedgerFilter, *, sort: str = "deadline", descending: bool = False,
                  offset: int = 0, limit: int = 200, total: int | None = None) -> list[FindingView]:
    """One page of the ledger in the order of ``sort`` (a key of :data:`SORT_KEYS`).

    ``total``: the count for ``f`` when known; a page in the far half is then read from the end
    in the opposite order, so no page skips more than half the rows.
    """
    keys = SORT_KEYS.get(sort, SORT_KEYS["deadline"]).split(", ")
    where, params = _where(f)
    reverse = total is not None and offset > total // 2
    if reverse:
        count = max(0, min(limit, total - offset))
        descending, offset, limit = not descending, total - offset - count, count
    direction = "DESC" if descending else "ASC"
    order = ", ".join(f"{k} {direction}" for k in [*keys, "k.seq"])
    ids = [r[0] for r in conn.execute(f"SELECT k.finding_id {where} ORDER BY {order} LIMIT :limit OFFSET :offset",
                                      {**params, "limit": limit, "offset": offset})]
    if reverse:
        ids.reverse()
    return views_by_id(conn, ids)


def views_by_id(conn: sqlite3.Connection, ids: Iterable[str]) -> list[FindingView]:
    """Ledger lines of the findings ``ids``, in that order (missing ids are left out)."""
    ids = list(ids)
    if not ids:
        return []
    rows = conn.execute(
        f"""SELECT f.*, k.sponsor AS wb_sponsor, k.site_no AS wb_site_no, k.notice_number AS wb_notice
            FROM finding f JOIN finding_sort k ON k.finding_id = f.id
            WHERE f.id IN ({', '.join('?' for _ in ids)})""", ids).fetchall()
    by_id = {r["id"]: FindingView(finding_from_row(r), r["wb_sponsor"], r["wb_site_no"], r["wb_notice"])
             for r in rows}
    return [by_id[i] for i in ids if i in by_id]


def position(conn: sqlite3.Connection, f: LedgerFilter, finding_id: str, *, sort: str = "deadline",
             descending: bool = False) -> int:
    """The row of ``finding_id`` in the ledger filtered by ``f`` in the order of ``sort``; -1 when
    it is not listed. Counts the rows before it through the sort index."""
    where, params = _where(f)
    if conn.execute(f"SELECT 1 {where} AND k.finding_id = :fid", {**params, "fid": finding_id}).fetchone() is None:
        return -1
    keys = [*SORT_KEYS.get(sort, SORT_KEYS["deadline"]).split(", "), "k.seq"]
    mine = conn.execute(f"SELECT {', '.join(keys)} FROM finding_sort k WHERE k.finding_id = ?",
                        (finding_id,)).fetchone()
    before = "<" if not descending else ">"
    params.update({f"m{i}": v for i, v in enumerate(mine)})
    row = conn.execute(f"SELECT count(*) {where} AND ({', '.join(keys)}) {before} "
                       f"({', '.join(f':m{i}' for i in range(len(keys)))})", params).fetchone()
    return row[0]


def deadline_day(day: date | None) -> str | None:
    """A day as the ISO text deadlines are stored in (None stays None)."""
    return day.isoformat() if day else None

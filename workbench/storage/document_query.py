"""The documents screen (文书) page by page: sponsors awaiting a notice, and the issued documents.

At province scale a campaign has tens of thousands of sponsors with open findings and as many
notices; each list is read a page at a time through an index of migration 0015 (sponsors: the
findings' keys by sponsor name, finding_sort_by_sponsor; documents: notice_campaign) and the
per-sponsor figures are computed for the rows of the page only.
"""

from __future__ import annotations

import sqlite3

from workbench.storage import notice_repo


def _marks(prefix: str, values: tuple[str, ...]) -> tuple[str, dict]:
    return ", ".join(f":{prefix}{i}" for i in range(len(values))), {f"{prefix}{i}": v for i, v in enumerate(values)}


def count_sponsors_needing(conn: sqlite3.Connection, campaign_id: str, needing: tuple[str, ...]) -> int:
    """How many sponsors of the campaign have findings in ``needing``."""
    marks, params = _marks("n", needing)
    return conn.execute(f"SELECT count(*) FROM (SELECT 1 FROM finding_sort WHERE campaign_id = :c"
                        f" AND status IN ({marks}) GROUP BY sponsor, sponsor_id)",
                        {"c": campaign_id, **params}).fetchone()[0]


def page_sponsors_needing(conn: sqlite3.Connection, campaign_id: str, needing: tuple[str, ...],
                          open_statuses: tuple[str, ...], *, offset: int = 0, limit: int = 200,
                          total: int | None = None) -> list[tuple[sqlite3.Row, int, str, bool]]:
    """Rows ``offset`` .. ``offset + limit`` of the sponsors with findings in ``needing``, by name:
    (sponsor row, findings in ``open_statuses``, latest rectification notice number or '',
    whether a finding in ``needing`` is covered by no rectification notice yet).

    ``total``: the count when known; a page in the far half is then read backwards from the end.
    """
    reverse = total is not None and offset > total // 2
    if reverse:
        count = max(0, min(limit, total - offset))
        offset, limit = total - offset - count, count
    direction = "DESC" if reverse else "ASC"
    marks, params = _marks("n", needing)
    params.update({"c": campaign_id, "limit": limit, "offset": offset})
    ids = [r[0] for r in conn.execute(   # one walk of finding_sort_by_sponsor, grouped as it goes
        f"SELECT sponsor_id FROM finding_sort WHERE campaign_id = :c AND status IN ({marks})"
        f" GROUP BY sponsor, sponsor_id ORDER BY sponsor {direction}, sponsor_id {direction}"
        " LIMIT :limit OFFSET :offset", params)]
    if reverse:
        ids.reverse()
    if not ids:
        return []
    id_marks, id_params = _marks("i", tuple(ids))
    open_marks, open_params = _marks("o", open_statuses)
    rows = conn.execute(
        f"""SELECT p.*,
                   (SELECT count(*) FROM finding f WHERE f.sponsor_id = p.id AND f.status IN ({open_marks})) AS wb_open,
                   EXISTS (SELECT 1 FROM finding f WHERE f.sponsor_id = p.id AND f.status IN ({marks})
                           AND NOT EXISTS (SELECT 1 FROM notice_finding nf JOIN notice n ON n.id = nf.notice_id
                                           WHERE nf.finding_id = f.id AND n.kind = 'rectification')) AS wb_fresh,
                   coalesce((SELECT n.doc_number FROM notice n WHERE n.sponsor_id = p.id AND n.kind = 'rectification'
                             ORDER BY n.year DESC, n.seq DESC LIMIT 1), '') AS wb_latest
            FROM sponsor p WHERE p.id IN ({id_marks})""",
        {**params, **id_params, **open_params}).fetchall()
    by_id = {r["id"]: (r, r["wb_open"], r["wb_latest"], bool(r["wb_fresh"])) for r in rows}
    return [by_id[i] for i in ids if i in by_id]


def count_documents(conn: sqlite3.Connection, campaign_id: str) -> int:
    """How many documents (notices and opinions) the campaign has issued."""
    return conn.execute("SELECT count(*) FROM notice WHERE campaign_id = ?", (campaign_id,)).fetchone()[0]


def page_documents(conn: sqlite3.Connection, campaign_id: str, *, offset: int = 0, limit: int = 200,
                   total: int | None = None) -> list[tuple]:
    """Rows ``offset`` .. ``offset + limit`` of the campaign's documents, newest first:
    (NoticeRecord, sponsor name). ``total`` as for :func:`page_sponsors_needing`."""
    reverse = total is not None and offset > total // 2
    if reverse:
        count = max(0, min(limit, total - offset))
        offset, limit = total - offset - count, count
    direction = "ASC" if reverse else "DESC"
    rows = conn.execute(
        f"""SELECT n.*, coalesce(p.name, '') AS wb_sponsor FROM notice n LEFT JOIN sponsor p ON p.id = n.sponsor_id
            WHERE n.campaign_id = ? ORDER BY n.year {direction}, n.seq {direction}, n.created_at {direction}
            LIMIT ? OFFSET ?""", (campaign_id, limit, offset)).fetchall()
    if reverse:
        rows.reverse()
    return [(notice_repo.record_from_row(conn, r), r["wb_sponsor"]) for r in rows]


def document_position(conn: sqlite3.Connection, campaign_id: str, doc_number: str) -> int:
    """The row of a document in :func:`page_documents`' order, or -1 when the campaign has none so numbered."""
    mine = conn.execute("SELECT year, seq, created_at FROM notice WHERE campaign_id = ? AND doc_number = ?",
                        (campaign_id, doc_number)).fetchone()
    if mine is None:
        return -1
    return conn.execute("SELECT count(*) FROM notice WHERE campaign_id = ? AND (year, seq, created_at) > (?, ?, ?)",
                        (campaign_id, *mine)).fetchone()[0]

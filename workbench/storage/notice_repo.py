"""Storing issued documents (文书) and allotting their document numbers (文号)."""

from __future__ import annotations

import sqlite3
from datetime import date

from workbench.domain.notice_record import NoticeRecord
from workbench.errors import NotFoundError
from workbench.storage import doc_number_repo
from workbench.storage.records import (
    Author,
    insert_row,
    insert_rows,
    iso,
    new_id,
    parse_iso,
    stamp,
    utc_now,
)


def next_seq(conn: sqlite3.Connection, prefix: str, year: int, campaign_id: str | None = None) -> int:
    """The next free sequence number for ``prefix`` and ``year`` (1 when none taken yet).

    Counted over the number ledger (storage.doc_number_repo), which also holds numbers reserved
    for documents still being rendered and numbers made void, so no number is ever reused; drawn
    from this laptop's blocks of numbers when the campaign's lead hands them out (issue 13).

    Raises:
        NumbersExhausted: this laptop may not number now (see doc_number_repo.next_seq).
    """
    return doc_number_repo.next_seq(conn, prefix, year, campaign_id)


def insert(conn: sqlite3.Connection, record: NoticeRecord, author: Author) -> None:
    """Store a new document, link its findings and mark its number issued in the ledger (a
    reserved number becomes issued; a number taken in this transaction is added as issued).
    Call inside the transaction that took or claimed the number.

    Raises:
        sqlite3.IntegrityError: the number is void or already issued.
    """
    values = {
        "campaign_id": record.campaign_id, "sponsor_id": record.sponsor_id,
        "kind": record.kind, "prefix": record.prefix, "year": record.year, "seq": record.seq,
        "doc_number": record.doc_number,
    }
    insert_row(conn, "notice", stamp({
        "id": record.id, **values, "issued_on": iso(record.issued_on), "served_on": iso(record.served_on),
        "deadline": iso(record.deadline), "term_text": record.term_text,
        "from_receipt": int(record.from_receipt), "extends_id": record.extends_id,
    }, author, new=True))
    insert_rows(conn, "notice_finding", ({"notice_id": record.id, "finding_id": f} for f in record.finding_ids))
    doc_number_repo.record_issued(conn, values, record.id, author)


def record_from_row(conn: sqlite3.Connection, r: sqlite3.Row) -> NoticeRecord:
    """The NoticeRecord of a row of ``SELECT * FROM notice`` (reads the findings it covers)."""
    ids = tuple(x[0] for x in conn.execute(
        "SELECT finding_id FROM notice_finding WHERE notice_id = ? ORDER BY rowid", (r["id"],)))
    return NoticeRecord(
        r["id"], r["campaign_id"], r["sponsor_id"], r["kind"], r["prefix"], r["year"], r["seq"],
        r["doc_number"], parse_iso(r["issued_on"]), parse_iso(r["served_on"]), ids,
        parse_iso(r["deadline"]), r["term_text"], bool(r["from_receipt"]), r["extends_id"],
    )


def by_number(conn: sqlite3.Connection, doc_number: str) -> NoticeRecord:
    """The document with this number. Raises NotFoundError."""
    r = conn.execute("SELECT * FROM notice WHERE doc_number = ?", (doc_number,)).fetchone()
    if r is None:
        raise NotFoundError(f"找不到文号为“{doc_number}”的文书")
    return record_from_row(conn, r)


def get(conn: sqlite3.Connection, notice_id: str) -> NoticeRecord:
    """The document with this id. Raises NotFoundError."""
    r = conn.execute("SELECT * FROM notice WHERE id = ?", (notice_id,)).fetchone()
    if r is None:
        raise NotFoundError(f"找不到文书（{notice_id}）")
    return record_from_row(conn, r)


def for_sponsor(conn: sqlite3.Connection, sponsor_id: str, kind: str = "rectification") -> list[NoticeRecord]:
    """A sponsor's documents of one kind, oldest first."""
    rows = conn.execute(
        "SELECT * FROM notice WHERE sponsor_id = ? AND kind = ? ORDER BY year, seq", (sponsor_id, kind)
    ).fetchall()
    return [record_from_row(conn, r) for r in rows]


def unnoticed_findings(conn: sqlite3.Connection, sponsor_id: str, statuses: tuple[str, ...]) -> list[str]:
    """Ids of the sponsor's findings in ``statuses`` that no rectification notice covers yet."""
    marks = ", ".join("?" for _ in statuses)
    rows = conn.execute(
        f"""SELECT f.id FROM finding f WHERE f.sponsor_id = ? AND f.status IN ({marks})
            AND NOT EXISTS (SELECT 1 FROM notice_finding nf JOIN notice n ON n.id = nf.notice_id
                            WHERE nf.finding_id = f.id AND n.kind = 'rectification')
            ORDER BY f.created_at, f.rowid""",
        (sponsor_id, *statuses),
    ).fetchall()
    return [r[0] for r in rows]


def set_served(conn: sqlite3.Connection, notice_id: str, served_on: date,
               deadline: date | None = None) -> None:
    """Record the day a document was served (送达), from the delivery receipt; for a term from
    receipt also the deadline it now has (None leaves the stored deadline as printed)."""
    if deadline is None:
        conn.execute("UPDATE notice SET served_on = ?, updated_at = ? WHERE id = ?",
                     (iso(served_on), utc_now(), notice_id))
    else:
        conn.execute("UPDATE notice SET served_on = ?, deadline = ?, updated_at = ? WHERE id = ?",
                     (iso(served_on), iso(deadline), utc_now(), notice_id))


def new_record(campaign_id, sponsor_id, kind, prefix, year, seq, doc_number, issued_on, finding_ids,
               **term) -> NoticeRecord:
    """A NoticeRecord with a fresh id and no service date; ``term`` sets deadline, term_text,
    from_receipt and extends_id (NoticeRecord)."""
    return NoticeRecord(new_id(), campaign_id, sponsor_id, kind, prefix, year, seq, doc_number,
                        issued_on, None, tuple(finding_ids), **term)


def latest_with_findings(conn: sqlite3.Connection, kind: str, finding_ids: tuple[str, ...]) -> NoticeRecord | None:
    """The newest document of ``kind`` covering exactly ``finding_ids``, or None."""
    rows = conn.execute(
        "SELECT * FROM notice WHERE kind = ? AND id IN (SELECT notice_id FROM notice_finding"
        f" WHERE finding_id IN ({', '.join('?' for _ in finding_ids)})) ORDER BY year DESC, seq DESC",
        (kind, *finding_ids),
    ).fetchall()
    for r in rows:
        record = record_from_row(conn, r)
        if set(record.finding_ids) == set(finding_ids):
            return record
    return None


def last_change(conn: sqlite3.Connection, finding_ids: tuple[str, ...]) -> str:
    """The UTC time of the newest history event of any of the findings ('' when none)."""
    row = conn.execute(
        f"SELECT max(occurred_at) FROM finding_event WHERE finding_id IN ({', '.join('?' for _ in finding_ids)})",
        finding_ids,
    ).fetchone()
    return row[0] or ""


def created_at(conn: sqlite3.Connection, notice_id: str) -> str:
    """When a document was issued (UTC ISO text)."""
    return conn.execute("SELECT created_at FROM notice WHERE id = ?", (notice_id,)).fetchone()[0]


def in_campaign(conn: sqlite3.Connection, campaign_id: str, kind: str | None = None) -> list[NoticeRecord]:
    """A campaign's documents (of one kind, or all), newest first."""
    sql = "SELECT * FROM notice WHERE campaign_id = ?"
    params: list = [campaign_id]
    if kind:
        sql += " AND kind = ?"
        params.append(kind)
    rows = conn.execute(sql + " ORDER BY year DESC, seq DESC, created_at DESC", params).fetchall()
    return [record_from_row(conn, r) for r in rows]


def sponsor_overview(conn: sqlite3.Connection, campaign_id: str, needing: tuple[str, ...],
                     open_statuses: tuple[str, ...]) -> list[tuple[sqlite3.Row, int, str, bool]]:
    """Per sponsor with findings in ``needing``: (sponsor row, findings in ``open_statuses``,
    latest rectification notice number or '', whether a finding in ``needing`` is not covered by
    any rectification notice yet), by sponsor name. One query for the whole campaign."""
    need = ", ".join("?" for _ in needing)
    opened = ", ".join("?" for _ in open_statuses)
    rows = conn.execute(
        f"""WITH covered AS (
                SELECT nf.finding_id FROM notice_finding nf JOIN notice n ON n.id = nf.notice_id
                WHERE n.kind = 'rectification' AND n.campaign_id = ?),
            agg AS (
                SELECT f.sponsor_id, sum(f.status IN ({opened})) AS open_count,
                       sum(f.status IN ({need}) AND f.id NOT IN (SELECT finding_id FROM covered)) AS fresh
                FROM finding f WHERE f.campaign_id = ? AND f.status IN ({need})
                GROUP BY f.sponsor_id)
            SELECT p.*, agg.open_count AS wb_open, agg.fresh AS wb_fresh,
                   coalesce((SELECT n.doc_number FROM notice n WHERE n.sponsor_id = p.id
                             AND n.kind = 'rectification' ORDER BY n.year DESC, n.seq DESC LIMIT 1), '') AS wb_latest
            FROM agg JOIN sponsor p ON p.id = agg.sponsor_id ORDER BY p.name""",
        (campaign_id, *open_statuses, *needing, campaign_id, *needing),
    ).fetchall()
    return [(r, r["wb_open"], r["wb_latest"], bool(r["wb_fresh"])) for r in rows]


def finding_context(conn: sqlite3.Connection, finding_ids: tuple[str, ...]) -> dict[str, dict]:
    """What a notice says about each finding beyond the finding itself: the site's name, home
    page and 备案号, and the day and inspectors of the review or inspection that raised it.

    Returns:
        finding id → {"site", "homepage", "filing_no", "day" (ISO text or None), "inspectors",
        "place" (the inspection's 检查地点)};
        empty strings where a finding has no site or was raised by hand.
    """
    out: dict[str, dict] = {}
    for fid in finding_ids:
        r = conn.execute(
            "SELECT s.name AS site, s.homepage, s.site_filing_no AS filing_no,"
            " coalesce(i.inspected_on, rv.reviewed_on) AS day, coalesce(i.inspectors, '') AS inspectors,"
            " coalesce(i.place, '') AS place"
            " FROM finding f LEFT JOIN site s ON s.id = f.site_id"
            " LEFT JOIN inspection i ON i.id = f.inspection_id LEFT JOIN review rv ON rv.id = f.review_id"
            " WHERE f.id = ?", (fid,)).fetchone()
        out[fid] = {k: (r[k] or "") if k != "day" else r[k] for k in r.keys()} if r else {}
    return out

"""Storing findings (问题) and every change of their status."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from datetime import date

from workbench.domain.finding import Finding, FindingEvent, FindingView
from workbench.errors import NotFoundError
from workbench.storage.records import Author, insert_row, iso, parse_iso, stamp, utc_now

_FIELDS = (
    "id", "campaign_id", "sponsor_id", "site_id", "review_id", "inspection_id", "checklist_item_code",
    "category", "description", "severity", "legal_basis", "requirement", "term_days", "term_unit",
    "start_on", "deadline", "status",
)


def finding_from_row(r: sqlite3.Row) -> Finding:
    """A Finding from a row of ``SELECT * FROM finding`` (extra columns are ignored)."""
    return Finding(
        id=r["id"], campaign_id=r["campaign_id"], sponsor_id=r["sponsor_id"], category=r["category"],
        description=r["description"], severity=r["severity"], legal_basis=r["legal_basis"],
        requirement=r["requirement"], term_days=r["term_days"], term_unit=r["term_unit"],
        start_on=parse_iso(r["start_on"]), deadline=parse_iso(r["deadline"]), status=r["status"],
        site_id=r["site_id"], review_id=r["review_id"], inspection_id=r["inspection_id"],
        checklist_item_code=r["checklist_item_code"],
    )


def insert(conn: sqlite3.Connection, finding: Finding, author: Author, reason: str = "") -> None:
    """Store a new finding and its first history event (action ``create``). Call in a transaction."""
    values = {f: (iso(v) if isinstance(v, date) else v) for f in _FIELDS for v in [getattr(finding, f)]}
    insert_row(conn, "finding", stamp(values, author, new=True))
    add_event(conn, finding.id, "create", None, finding.status, reason, finding.deadline, author)


def update(conn: sqlite3.Connection, finding: Finding, author: Author) -> None:
    """Overwrite the editable values of a stored finding (not its status: use :func:`set_status`)."""
    conn.execute(
        "UPDATE finding SET category = ?, description = ?, severity = ?, legal_basis = ?,"
        " requirement = ?, term_days = ?, term_unit = ?, start_on = ?, deadline = ?, updated_at = ?,"
        " device = ?, inspector = ? WHERE id = ?",
        (finding.category, finding.description, finding.severity, finding.legal_basis,
         finding.requirement, finding.term_days, finding.term_unit, iso(finding.start_on),
         iso(finding.deadline), utc_now(), author.device, author.inspector, finding.id),
    )


def set_status(
    conn: sqlite3.Connection, finding_id: str, action: str, old: str, new: str, reason: str,
    deadline: date | None, author: Author,
) -> None:
    """Record a status change (and a new deadline, if given) with its history event."""
    conn.execute(
        "UPDATE finding SET status = ?, deadline = coalesce(?, deadline), updated_at = ?, device = ?,"
        " inspector = ? WHERE id = ?",
        (new, iso(deadline), utc_now(), author.device, author.inspector, finding_id),
    )
    add_event(conn, finding_id, action, old, new, reason, deadline, author)


def add_event(conn, finding_id: str, action: str, old: str | None, new: str, reason: str,
              deadline: date | None, author: Author) -> None:
    """Append one history event to a finding."""
    event = stamp({"finding_id": finding_id, "action": action, "from_status": old, "to_status": new,
                   "reason": reason, "deadline": iso(deadline)}, author, new=True)
    insert_row(conn, "finding_event", {**event, "occurred_at": event["created_at"]})


def get(conn: sqlite3.Connection, finding_id: str) -> Finding:
    """One finding. Raises NotFoundError when it does not exist."""
    r = conn.execute("SELECT * FROM finding WHERE id = ?", (finding_id,)).fetchone()
    if r is None:
        raise NotFoundError("找不到该问题记录")
    return finding_from_row(r)


def for_review(conn: sqlite3.Connection, review_id: str) -> Finding | None:
    """The latest finding raised by a review, if any."""
    r = conn.execute("SELECT * FROM finding WHERE review_id = ? ORDER BY created_at DESC, rowid DESC", (review_id,)).fetchone()
    return finding_from_row(r) if r else None


def history(conn: sqlite3.Connection, finding_id: str) -> list[FindingEvent]:
    """Every recorded step of a finding, oldest first."""
    rows = conn.execute(
        "SELECT * FROM finding_event WHERE finding_id = ? ORDER BY occurred_at, rowid", (finding_id,)
    ).fetchall()
    return [
        FindingEvent(r["action"], r["from_status"], r["to_status"], r["reason"],
                     parse_iso(r["deadline"]), r["occurred_at"], r["inspector"], r["device"])
        for r in rows
    ]


def views(
    conn: sqlite3.Connection, campaign_id: str, *, statuses: Iterable[str] | None = None,
    sponsor_id: str | None = None, deadline_before: date | None = None,
) -> list[FindingView]:
    """Findings of a campaign with sponsor name, site filing number and latest notice number.

    Args:
        statuses: keep only these statuses (None: all).
        sponsor_id: keep only this sponsor's findings.
        deadline_before: keep only findings whose deadline is strictly before this day.
    """
    # The latest notice per finding is computed once and joined (notice_finding has no index by
    # finding, so a per-row subquery would scan it once per finding: minutes at 100,000 findings).
    sql = """WITH latest AS (
                 SELECT nf.finding_id, n.doc_number,
                        row_number() OVER (PARTITION BY nf.finding_id ORDER BY n.year DESC, n.seq DESC) AS rn
                 FROM notice_finding nf JOIN notice n ON n.id = nf.notice_id
                 WHERE n.kind = 'rectification')
             SELECT f.*, p.name AS sponsor_name, coalesce(s.site_filing_no, '') AS site_no,
                    coalesce(l.doc_number, '') AS notice_number
             FROM finding f JOIN sponsor p ON p.id = f.sponsor_id LEFT JOIN site s ON s.id = f.site_id
             LEFT JOIN latest l ON l.finding_id = f.id AND l.rn = 1
             WHERE f.campaign_id = ?"""
    params: list = [campaign_id]
    if statuses is not None:
        statuses = list(statuses)
        sql += f" AND f.status IN ({', '.join('?' for _ in statuses)})"
        params += statuses
    if sponsor_id:
        sql += " AND f.sponsor_id = ?"
        params.append(sponsor_id)
    if deadline_before:
        sql += " AND f.deadline < ?"
        params.append(iso(deadline_before))
    sql += " ORDER BY f.deadline, p.name, f.created_at"
    return [
        FindingView(finding_from_row(r), r["sponsor_name"], r["site_no"], r["notice_number"])
        for r in conn.execute(sql, params)
    ]


def link_evidence(conn: sqlite3.Connection, finding_id: str, evidence_ids: Iterable[str]) -> None:
    """Attach stored evidence files to a finding."""
    conn.executemany(
        "INSERT OR IGNORE INTO finding_evidence (finding_id, evidence_id) VALUES (?, ?)",
        [(finding_id, e) for e in evidence_ids],
    )


def evidence_ids(conn: sqlite3.Connection, finding_id: str) -> tuple[str, ...]:
    """The evidence files attached to a finding."""
    rows = conn.execute("SELECT evidence_id FROM finding_evidence WHERE finding_id = ? ORDER BY rowid", (finding_id,))
    return tuple(r[0] for r in rows)


def open_item_codes(conn: sqlite3.Connection, inspection_id: str, open_statuses: Iterable[str]) -> set[str]:
    """Checklist item codes of an inspection that already have an open finding."""
    statuses = list(open_statuses)
    rows = conn.execute(
        f"SELECT checklist_item_code FROM finding WHERE inspection_id = ? AND status IN ({', '.join('?' for _ in statuses)})",
        (inspection_id, *statuses),
    )
    return {r[0] for r in rows}

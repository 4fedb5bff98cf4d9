"""Queries behind the summary workbook: review lines and campaign counts."""

from __future__ import annotations

import sqlite3
from datetime import date

from workbench.domain.site_views import ReviewedSite
from workbench.storage import campaign_count_repo
from workbench.storage.records import parse_iso


def review_lines(conn: sqlite3.Connection, campaign_id: str) -> list[ReviewedSite]:
    """Every reviewed site of a campaign, in import order."""
    rows = conn.execute(
        """SELECT s.site_filing_no, s.name, s.city, s.access_provider, p.name AS sponsor_name, p.uscc,
                  r.conclusion, r.notes, r.reviewed_on, r.inspector,
                  (SELECT group_concat(domain, '; ') FROM
                      (SELECT domain FROM site_domain d WHERE d.site_id = s.id ORDER BY position)) AS domains,
                  (SELECT group_concat(field, ',') FROM review_field f
                      WHERE f.review_id = r.id AND f.verdict = 'mismatch') AS mismatched
           FROM review r JOIN site s ON s.id = r.site_id JOIN sponsor p ON p.id = s.sponsor_id
           WHERE s.campaign_id = ? ORDER BY s.source_row, s.site_filing_no""",
        (campaign_id,),
    )
    return [
        ReviewedSite(
            r["site_filing_no"], r["name"], r["domains"] or "", r["sponsor_name"], r["uscc"], r["city"],
            r["access_provider"], r["conclusion"], tuple(filter(None, (r["mismatched"] or "").split(","))),
            r["notes"], parse_iso(r["reviewed_on"]), r["inspector"],
        )
        for r in rows
    ]


def counts(conn: sqlite3.Connection, campaign_id: str) -> dict[str, int]:
    """Counts for the overview: sites, sponsors, reviewed sites and findings, by SQL aggregates."""
    def one(sql: str) -> int:
        return conn.execute(sql, (campaign_id,)).fetchone()[0]

    return {
        "sites": one("SELECT count(*) FROM site WHERE campaign_id = ?"),
        "sponsors": one("SELECT count(*) FROM sponsor WHERE campaign_id = ?"),
        "reviewed": one("SELECT count(*) FROM review r JOIN site s ON s.id = r.site_id WHERE s.campaign_id = ?"),
        "findings": one("SELECT count(*) FROM finding WHERE campaign_id = ?"),
    }


def quick_counts(conn: sqlite3.Connection, campaign_id: str, open_statuses: tuple[str, ...],
                 running: tuple[str, ...], closed: str, today: date, soon: date) -> dict[str, int]:
    """The overview's cards that need no row read: sites, sponsors, reviewed sites (the conclusion
    copied onto the site, 0011), findings, open and closed (already rectified) from the counts the
    triggers keep (0017, storage/campaign_count_repo.py), overdue and due soon (as
    :func:`open_deadline_counts`) from the finding_campaign index ranges of ``running``."""
    runs = ", ".join("?" for _ in running)
    kept = campaign_count_repo.read(conn, campaign_id)

    def due(condition: str, *params) -> int:
        return conn.execute(f"SELECT count(*) FROM finding WHERE campaign_id = ? AND status IN ({runs}) AND {condition}",
                            (campaign_id, *running, *params)).fetchone()[0]

    return {
        "sites": kept.get(campaign_count_repo.SITES, 0), "sponsors": kept.get(campaign_count_repo.SPONSORS, 0),
        "reviewed": kept.get(campaign_count_repo.REVIEWED, 0),
        "findings": campaign_count_repo.findings(kept), "rectified": campaign_count_repo.findings(kept, (closed,)),
        "open": campaign_count_repo.findings(kept, open_statuses),
        "overdue": due("deadline < ?", today.isoformat()),
        "due_soon": due("deadline BETWEEN ? AND ?", today.isoformat(), soon.isoformat()),
    }


def open_finding_deadlines(conn: sqlite3.Connection, campaign_id: str, statuses: tuple[str, ...]) -> list[date]:
    """The deadlines of a campaign's findings in ``statuses`` (for overdue / due-soon counts)."""
    rows = conn.execute(
        f"SELECT deadline FROM finding WHERE campaign_id = ? AND status IN ({', '.join('?' for _ in statuses)})",
        (campaign_id, *statuses),
    )
    return [parse_iso(r[0]) for r in rows]


def conclusion_counts(conn: sqlite3.Connection, campaign_id: str, group: str) -> list[tuple[str, str, int]]:
    """(group value, conclusion, count) of reviewed sites; ``group`` is 'access_provider' or 'city'."""
    column = {"access_provider": "s.access_provider", "city": "s.city"}[group]
    rows = conn.execute(
        f"""SELECT {column} AS g, r.conclusion, count(*) FROM review r JOIN site s ON s.id = r.site_id
            WHERE s.campaign_id = ? GROUP BY g, r.conclusion""",
        (campaign_id,),
    )
    return [(r[0], r[1], r[2]) for r in rows]


def finding_counts(conn: sqlite3.Connection, campaign_id: str) -> list[tuple[str, str, int]]:
    """(status, severity, count) of a campaign's findings."""
    rows = conn.execute(
        "SELECT status, severity, count(*) FROM finding WHERE campaign_id = ? GROUP BY status, severity",
        (campaign_id,),
    )
    return [(r[0], r[1], r[2]) for r in rows]


def reinspected_count(conn: sqlite3.Connection, campaign_id: str, actions: tuple[str, ...]) -> int:
    """Findings of a campaign with at least one event whose action is in ``actions`` (复查)."""
    marks = ", ".join("?" for _ in actions)
    return conn.execute(
        f"""SELECT count(DISTINCT e.finding_id) FROM finding_event e JOIN finding f ON f.id = e.finding_id
            WHERE f.campaign_id = ? AND e.action IN ({marks})""",
        (campaign_id, *actions),
    ).fetchone()[0]


def status_changes_by_day(conn: sqlite3.Connection, campaign_id: str) -> list[tuple[date, str | None, str, int]]:
    """(UTC day, from status, to status, count) of every status change of a campaign's findings."""
    rows = conn.execute(
        """SELECT substr(e.occurred_at, 1, 10) AS day, e.from_status, e.to_status, count(*)
           FROM finding_event e JOIN finding f ON f.id = e.finding_id
           WHERE f.campaign_id = ? GROUP BY day, e.from_status, e.to_status""",
        (campaign_id,),
    )
    return [(parse_iso(r[0]), r[1], r[2], r[3]) for r in rows]


def inspection_ids(conn: sqlite3.Connection, campaign_id: str) -> list[str]:
    """Ids of a campaign's security inspections, oldest first."""
    rows = conn.execute(
        "SELECT id FROM inspection WHERE campaign_id = ? ORDER BY inspected_on, created_at", (campaign_id,)
    )
    return [r[0] for r in rows]


def open_deadline_counts(conn: sqlite3.Connection, campaign_id: str, open_statuses: tuple[str, ...],
                         running: tuple[str, ...], today: date, soon: date) -> tuple[int, int, int]:
    """(open, overdue, due soon) counts: open = status in ``open_statuses``; overdue = status in
    ``running`` (a served term) and deadline before ``today``; due soon = status in ``running``
    and deadline from ``today`` to ``soon`` inclusive."""
    opens = ", ".join("?" for _ in open_statuses)
    runs = ", ".join("?" for _ in running)
    row = conn.execute(
        f"""SELECT count(*),
                   coalesce(sum(status IN ({runs}) AND deadline < ?), 0),
                   coalesce(sum(status IN ({runs}) AND deadline BETWEEN ? AND ?), 0)
            FROM finding WHERE campaign_id = ? AND status IN ({opens})""",
        (*running, today.isoformat(), *running, today.isoformat(), soon.isoformat(), campaign_id,
         *open_statuses),
    ).fetchone()
    return row[0], row[1], row[2]


def overdue_findings(conn: sqlite3.Connection, campaign_id: str, running: tuple[str, ...], today: date,
                     limit: int) -> list[tuple[str, str, str, date, str]]:
    """The ``limit`` longest-overdue findings (status in ``running``, deadline before ``today``):
    (sponsor name, site filing number, category, deadline, latest 整改通知书 number or '').

    Two queries, so the notice lookup (notice_finding has no index by finding) runs once over
    the chosen findings instead of once per finding of the campaign.
    """
    marks = ", ".join("?" for _ in running)
    rows = conn.execute(
        f"""SELECT f.id, p.name, coalesce(s.site_filing_no, ''), f.category, f.deadline
            FROM finding f JOIN sponsor p ON p.id = f.sponsor_id LEFT JOIN site s ON s.id = f.site_id
            WHERE f.campaign_id = ? AND f.status IN ({marks}) AND f.deadline < ?
            ORDER BY f.deadline, p.name, f.created_at LIMIT ?""",
        (campaign_id, *running, today.isoformat(), limit),
    ).fetchall()
    if not rows:
        return []
    ids = [r[0] for r in rows]
    numbers: dict[str, tuple[int, int, str]] = {}
    for finding_id, year, seq, number in conn.execute(
            f"""SELECT nf.finding_id, n.year, n.seq, n.doc_number FROM notice_finding nf
                JOIN notice n ON n.id = nf.notice_id
                WHERE n.kind = 'rectification' AND nf.finding_id IN ({', '.join('?' for _ in ids)})""", ids):
        if finding_id not in numbers or (year, seq) > numbers[finding_id][:2]:
            numbers[finding_id] = (year, seq, number)
    return [(r[1], r[2], r[3], parse_iso(r[4]), numbers.get(r[0], (0, 0, ""))[2]) for r in rows]

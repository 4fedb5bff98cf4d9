"""Queries behind the summary workbook: review lines and campaign counts."""

from __future__ import annotations

import sqlite3
from datetime import date

from workbench.domain.site_views import ReviewedSite
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

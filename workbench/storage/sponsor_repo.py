"""Reading sponsors (主办单位)."""

from __future__ import annotations

import sqlite3

from workbench.domain.sponsor import Sponsor
from workbench.errors import NotFoundError


def _sponsor(r: sqlite3.Row) -> Sponsor:
    return Sponsor(r["id"], r["campaign_id"], r["name"], r["nature"], r["uscc"], r["subject_filing_no"], r["city"])


def from_row(r: sqlite3.Row) -> Sponsor:
    """A Sponsor from a row holding the sponsor table's columns."""
    return _sponsor(r)


def names(conn: sqlite3.Connection, sponsor_ids) -> dict[str, str]:
    """Sponsor id -> name for the given ids (unknown ids are left out)."""
    ids, out = list(dict.fromkeys(sponsor_ids)), {}
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        out.update(conn.execute(f"SELECT id, name FROM sponsor WHERE id IN ({', '.join('?' for _ in chunk)})",
                                chunk).fetchall())
    return out


def get(conn: sqlite3.Connection, sponsor_id: str) -> Sponsor:
    """One sponsor by id. Raises NotFoundError."""
    r = conn.execute("SELECT * FROM sponsor WHERE id = ?", (sponsor_id,)).fetchone()
    if r is None:
        raise NotFoundError("找不到该主办单位")
    return _sponsor(r)


def by_name(conn: sqlite3.Connection, name: str, campaign_id: str | None = None) -> list[Sponsor]:
    """Sponsors with exactly this name (in one campaign, or in all), newest campaign first."""
    sql = "SELECT p.* FROM sponsor p JOIN campaign c ON c.id = p.campaign_id WHERE p.name = ?"
    params: list = [name]
    if campaign_id:
        sql += " AND p.campaign_id = ?"
        params.append(campaign_id)
    return [_sponsor(r) for r in conn.execute(sql + " ORDER BY c.created_at DESC", params)]


def with_findings(conn: sqlite3.Connection, campaign_id: str, statuses: tuple[str, ...]) -> list[Sponsor]:
    """Sponsors of a campaign that have findings in ``statuses``, by name."""
    marks = ", ".join("?" for _ in statuses)
    rows = conn.execute(
        f"""SELECT DISTINCT p.* FROM sponsor p JOIN finding f ON f.sponsor_id = p.id
            WHERE p.campaign_id = ? AND f.status IN ({marks}) ORDER BY p.name""",
        (campaign_id, *statuses),
    )
    return [_sponsor(r) for r in rows]


def all_in_campaign(conn: sqlite3.Connection, campaign_id: str) -> list[Sponsor]:
    """Every sponsor of a campaign, by name."""
    rows = conn.execute("SELECT * FROM sponsor WHERE campaign_id = ? ORDER BY name", (campaign_id,))
    return [_sponsor(r) for r in rows]

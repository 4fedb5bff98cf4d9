"""The per-campaign counts kept by triggers (migration 0017): sites, sponsors, reviewed sites and
findings by status, read in one index lookup instead of counting 300,000 rows (issue 12)."""

from __future__ import annotations

import sqlite3

#: The keys of ``campaign_count.what`` besides ``finding:<status>``.
SITES, SPONSORS, REVIEWED = "site", "sponsor", "reviewed"
FINDING_PREFIX = "finding:"

#: What each count is, as the rows themselves say it (the reference :func:`recount` and
#: :func:`differences` use; the triggers of 0017 keep the same).
_REAL = """
SELECT ?1, 'site', count(*) FROM site WHERE campaign_id = ?1
UNION ALL SELECT ?1, 'reviewed', count(*) FROM site WHERE campaign_id = ?1 AND sort_conclusion > ''
UNION ALL SELECT ?1, 'sponsor', count(*) FROM sponsor WHERE campaign_id = ?1
UNION ALL SELECT ?1, 'finding:' || status, count(*) FROM finding WHERE campaign_id = ?1 GROUP BY status
"""


def read(conn: sqlite3.Connection, campaign_id: str) -> dict[str, int]:
    """The counts of a campaign: ``{'site': n, 'sponsor': n, 'reviewed': n, 'finding:<status>': n}``
    (a key that is missing counts 0)."""
    return dict(conn.execute("SELECT what, n FROM campaign_count WHERE campaign_id = ?", (campaign_id,)))


def read_real(conn: sqlite3.Connection, campaign_id: str) -> dict[str, int]:
    """The same counts as :func:`read`, counted from the rows (index walks: the reference)."""
    return {what: n for _c, what, n in conn.execute(_REAL, (campaign_id,))}


def findings(counts: dict[str, int], statuses: tuple[str, ...] | None = None) -> int:
    """How many findings ``counts`` (from :func:`read`) hold in ``statuses`` (None: in any status)."""
    if statuses is None:
        return sum(n for what, n in counts.items() if what.startswith(FINDING_PREFIX))
    return sum(counts.get(FINDING_PREFIX + s, 0) for s in statuses)


def recount(conn: sqlite3.Connection, campaign_id: str) -> None:
    """Count the campaign's rows again (a bulk writer that set the insert triggers aside calls
    this inside its transaction, after the indexes are back)."""
    conn.execute("DELETE FROM campaign_count WHERE campaign_id = ?", (campaign_id,))
    conn.execute(f"INSERT INTO campaign_count (campaign_id, what, n) {_REAL}", (campaign_id,))


def differences(conn: sqlite3.Connection) -> list[tuple[str, str, int, int]]:
    """Where the kept counts differ from the rows: (campaign id, what, kept, real) for every
    campaign of the database and every count kept for a campaign that has no rows (empty when all
    agree; counts of 0 and missing keys are the same)."""
    kept = {(c, w): n for c, w, n in conn.execute("SELECT campaign_id, what, n FROM campaign_count")}
    campaigns = {c for (c, _w) in kept} | {r[0] for r in conn.execute(
        "SELECT id FROM campaign UNION SELECT campaign_id FROM site UNION SELECT campaign_id FROM sponsor"
        " UNION SELECT campaign_id FROM finding")}
    real = {(cid, w): n for cid in campaigns for w, n in read_real(conn, cid).items()}
    return sorted((c, w, kept.get((c, w), 0), real.get((c, w), 0)) for (c, w) in kept.keys() | real.keys()
                  if kept.get((c, w), 0) != real.get((c, w), 0))

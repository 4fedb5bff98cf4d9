"""The per-campaign counts kept by triggers (migration 0017) equal the rows after every kind of
write, and the overview's quick figures read from them equal the figures counted from the rows.
(tests/conftest.py also checks every database a test leaves in its tmp_path.)"""

from __future__ import annotations

from datetime import date

import pytest

from wbtest import make_ctx
from workbench.domain import finding_status as fs
from workbench.services import campaigns, removals, site_import, summary
from workbench.services.demo_scale import build_scale_demo
from workbench.storage import campaign_count_repo, site_repo, site_stream
from workbench.storage.connection import transaction


def counted(conn, campaign_id: str) -> dict[str, int]:
    """The counts as the rows say them (no zero entries), the reference for the kept ones."""
    return {k: v for k, v in campaign_count_repo.read_real(conn, campaign_id).items() if v}


def kept(conn, campaign_id: str) -> dict[str, int]:
    return {k: v for k, v in campaign_count_repo.read(conn, campaign_id).items() if v}


@pytest.fixture
def demo(conn):
    ctx = make_ctx(conn)
    made = build_scale_demo(ctx, sites=300, findings=60)
    return ctx, made.campaign_id


def test_counts_follow_inserts_deletes_status_changes_and_moves(demo):
    ctx, cid = demo
    conn = ctx.conn
    assert kept(conn, cid) == counted(conn, cid)
    assert kept(conn, cid)["site"] == 300 and kept(conn, cid)["reviewed"] == 60
    assert campaign_count_repo.findings(kept(conn, cid)) == 60
    other = campaigns.create_campaign(ctx, "另一个任务").id
    with transaction(conn):
        # status changes (one finding closed, one withdrawn), a finding deleted, a review deleted
        # (its site's conclusion cleared by 0011's trigger), a site and a sponsor moved
        ids = [r[0] for r in conn.execute("SELECT id FROM finding WHERE campaign_id = ? ORDER BY id", (cid,))]
        conn.execute("UPDATE finding SET status = ? WHERE id = ?", (fs.CLOSED, ids[0]))
        conn.execute("UPDATE finding SET status = ? WHERE id = ?", (fs.WITHDRAWN, ids[1]))
        conn.execute("UPDATE finding SET deadline = '2030-01-01' WHERE id = ?", (ids[2],))   # no count moves
        conn.execute("DELETE FROM finding_event WHERE finding_id = ?", (ids[3],))
        conn.execute("DELETE FROM finding_sort WHERE finding_id = ?", (ids[3],))
        conn.execute("DELETE FROM finding WHERE id = ?", (ids[3],))
        reviewed = conn.execute("SELECT r.id, r.site_id FROM review r JOIN site s ON s.id = r.site_id"
                                " WHERE s.campaign_id = ? AND NOT EXISTS (SELECT 1 FROM finding f"
                                " WHERE f.review_id = r.id) LIMIT 1", (cid,)).fetchone()
        if reviewed is not None:
            conn.execute("DELETE FROM review_field WHERE review_id = ?", (reviewed[0],))
            conn.execute("DELETE FROM review WHERE id = ?", (reviewed[0],))
        site, sponsor = conn.execute("SELECT s.id, s.sponsor_id FROM site s WHERE s.campaign_id = ? AND NOT EXISTS"
                                     " (SELECT 1 FROM finding f WHERE f.site_id = s.id) LIMIT 1", (cid,)).fetchone()
        conn.execute("UPDATE sponsor SET campaign_id = ? WHERE id = ?", (other, sponsor))
        conn.execute("UPDATE site SET campaign_id = ? WHERE sponsor_id = ?", (other, sponsor))
    assert campaign_count_repo.differences(conn) == []
    now = kept(conn, cid)
    assert now[f"finding:{fs.CLOSED}"] == 1 and now[f"finding:{fs.WITHDRAWN}"] == 1
    assert campaign_count_repo.findings(now) == 59
    assert kept(conn, other)["sponsor"] == 1 and kept(conn, other)["site"] >= 1


def test_removals_and_their_restores_keep_the_counts(demo, samples):
    """A campaign put in the 回收站 keeps its rows (hidden): its counts stay. An import put in the
    回收站 (its undo) deletes its rows, and restoring it writes them again."""
    ctx, cid = demo
    conn = ctx.conn
    before = kept(conn, cid)
    removal = removals.remove(ctx, removals.plan_campaign(ctx, cid))
    assert kept(conn, cid) == before and campaign_count_repo.differences(conn) == []
    removals.restore(ctx, removal.id)
    listed = campaigns.create_campaign(ctx, "导入后撤销").id
    report = site_import.import_site_list(ctx, listed, samples / "site_list_clean.xlsx")
    imported = kept(conn, listed)
    assert imported["site"] == report.summary["added"] > 0 and imported["sponsor"] > 0
    removal = removals.remove(ctx, removals.plan_import(ctx, report.run_id))
    assert kept(conn, listed) == {} and campaign_count_repo.differences(conn) == []
    removals.restore(ctx, removal.id)
    assert kept(conn, listed) == imported and kept(conn, cid) == before
    assert campaign_count_repo.differences(conn) == []


@pytest.mark.parametrize("streamed", [True, False])
def test_a_bulk_import_counts_its_campaign_again(conn, samples, monkeypatch, streamed):
    """Both import paths set the count triggers aside when they write many new sites in bulk and
    count the campaign after; the triggers are back afterwards."""
    ctx = make_ctx(conn)
    build_scale_demo(ctx, sites=20, findings=5)              # another campaign, counted row by row
    campaign = campaigns.create_campaign(ctx, "批量导入").id
    monkeypatch.setattr(site_repo, "BULK_MIN_SITES", 1)
    monkeypatch.setattr(site_stream, "BULK_MIN_SITES", 1)
    if not streamed:
        monkeypatch.setattr(site_stream, "campaign_is_empty", lambda *_: False)
    set_aside = []
    real_begin = site_stream.deferred_begin if streamed else None
    if streamed:
        monkeypatch.setattr(site_stream, "deferred_begin",
                            lambda c, *names: set_aside.extend(names) or real_begin(c, *names))
    else:
        real = site_repo._bulk_objects
        monkeypatch.setattr(site_repo, "_bulk_objects", lambda c, added: set_aside.extend(real(c, added)) or real(c, added))
    report = site_import.import_site_list(ctx, campaign, samples / "site_list_clean.xlsx")
    assert report.summary["added"] > 0
    assert "campaign_count_site_insert" in set_aside and "campaign_count_sponsor_insert" in set_aside
    assert kept(conn, campaign)["site"] == report.summary["added"]
    assert campaign_count_repo.differences(conn) == []
    triggers = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")}
    assert {"campaign_count_site_insert", "campaign_count_sponsor_insert"} <= triggers


def test_quick_figures_equal_the_figures_counted_from_the_rows(demo):
    """summary.quick_figures (kept counts + deadline index) against summary.figures (the rows),
    with findings spread over every status and deadlines overdue, due soon and later."""
    ctx, cid = demo
    conn = ctx.conn
    today = ctx.today()
    statuses = sorted(fs.STATUS_LABELS)
    with transaction(conn):
        for i, (fid,) in enumerate(conn.execute("SELECT id FROM finding WHERE campaign_id = ? ORDER BY id",
                                                (cid,)).fetchall()):
            deadline = date.fromordinal(today.toordinal() + (i % 9) - 4).isoformat()
            conn.execute("UPDATE finding SET status = ?, deadline = ? WHERE id = ?",
                         (statuses[i % len(statuses)], deadline, fid))
    quick = summary.quick_figures(ctx, cid)
    full = summary.figures(ctx, cid)
    assert quick == {"sites": full.sites, "sponsors": full.sponsors, "reviewed": full.reviewed,
                     "findings": full.findings, "open": full.open_findings, "overdue": full.overdue,
                     "due_soon": full.due_soon, "rectified": full.rectified}
    assert full.overdue and full.due_soon and full.rectified and full.open_findings < full.findings

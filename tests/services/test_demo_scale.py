"""The scale demo writes consistent rows in bulk: sites, sponsors, domains, reviews, findings."""

from __future__ import annotations

import pytest

from wbtest import make_ctx
from workbench.services import findings, sites
from workbench.services.demo_scale import build_scale_demo


def test_scale_demo_rows_are_consistent(conn):
    ctx = make_ctx(conn)
    made = build_scale_demo(ctx, sites=500, findings=40)
    assert (made.sites, made.reviews, made.findings) == (500, 40, 40)
    assert sites.count(ctx, made.campaign_id) == 500
    assert sites.reviewed_count(ctx, made.campaign_id) == 40
    ledger = findings.ledger(ctx, made.campaign_id)
    assert len(ledger) == 40 and all(v.finding.site_id for v in ledger)
    first = sites.page(ctx, made.campaign_id, limit=1)[0]
    assert sites.count(ctx, made.campaign_id, first.domains.split(";")[0].strip()) >= 1
    assert conn.execute("SELECT count(DISTINCT site_filing_no) FROM site").fetchone()[0] == 500
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    # one audit entry for the fill, not one per row
    assert conn.execute("SELECT count(*) FROM audit_log WHERE entity = 'site'").fetchone()[0] == 0


def test_scale_demo_refuses_more_findings_than_sites(conn):
    with pytest.raises(ValueError):
        build_scale_demo(make_ctx(conn), sites=5, findings=6)

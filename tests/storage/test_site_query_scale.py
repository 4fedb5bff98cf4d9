"""Site table queries at scale: every visible column sorts through an index, the far half of the
table reads backwards, substring search uses the trigram index with LIKE for short terms."""

from __future__ import annotations

import pytest

from wbtest import make_ctx
from workbench.gui.models.site_table_model import SORT_KEYS as TABLE_SORT_KEYS
from workbench.services import reviews, sites
from workbench.services.demo_scale import build_scale_demo
from workbench.storage import site_query


@pytest.fixture
def scale(conn):
    ctx = make_ctx(conn)
    made = build_scale_demo(ctx, sites=600, findings=50)
    return ctx, made.campaign_id


@pytest.mark.parametrize("key", TABLE_SORT_KEYS)
def test_every_visible_column_sorts_through_an_index(scale, key):
    ctx, cid = scale
    order = site_query.SORT_KEYS[key]
    where, params = site_query._where("", False)
    plan = " | ".join(r[3] for r in ctx.conn.execute(
        f"EXPLAIN QUERY PLAN SELECT s.id {where} ORDER BY {order} DESC, s.site_filing_no DESC LIMIT 200",
        {"campaign": cid, **params}))
    assert "USING INDEX" in plan and "TEMP B-TREE" not in plan, plan


@pytest.mark.parametrize("key", ["site_name", "domains", "sponsor_name", "conclusion", "flags"])
def test_pages_read_backwards_are_the_same_rows(scale, key):
    ctx, cid = scale
    total = sites.count(ctx, cid)
    for offset in (0, 200, 400, 500, 590):
        for descending in (False, True):
            plain = sites.page(ctx, cid, sort=key, descending=descending, offset=offset, limit=200)
            fast = sites.page(ctx, cid, sort=key, descending=descending, offset=offset, limit=200, total=total)
            assert [s.id for s in fast] == [s.id for s in plain]
    names = [s.site_name for s in sites.page(ctx, cid, sort="site_name", limit=600)]
    assert names == sorted(names)


def test_sort_keys_follow_domains_sponsors_and_reviews(scale):
    ctx, cid = scale
    by_domain = sites.page(ctx, cid, sort="domains", limit=600)
    firsts = [s.domains.split(";")[0].strip() for s in by_domain]
    assert firsts == sorted(firsts)
    site = sites.page(ctx, cid, sort="conclusion", descending=True, limit=1)[0]
    assert site.conclusion   # reviewed sites sort after the unreviewed ('' = 未核查)
    ctx.conn.execute("UPDATE sponsor SET name = '0000首位单位' WHERE id = (SELECT sponsor_id FROM site WHERE id = ?)",
                     (site.id,))
    assert sites.page(ctx, cid, sort="sponsor_name", limit=1)[0].sponsor_name == "0000首位单位"
    unreviewed = sites.page(ctx, cid, unreviewed_only=True, limit=1)[0]
    assert reviews.get_review(ctx, unreviewed.id) is None


@pytest.mark.parametrize("term", ["门", "门户", "门户网", "COM", "鲁icp备1000", "%", "_", '"', "没有这样的"])
def test_search_matches_a_plain_substring_scan(scale, term):
    ctx, cid = scale
    expected = {r[0] for r in ctx.conn.execute(
        "SELECT id FROM site WHERE campaign_id = ? AND instr(search_text, ?) > 0", (cid, term.lower()))}
    assert sites.count(ctx, cid, term) == len(expected)
    assert {s.id for s in sites.page(ctx, cid, text=term, limit=1000)} == expected


def test_long_terms_use_the_trigram_index_short_ones_like(scale):
    where, params = site_query._where("门户网", False)
    assert "site_search MATCH" in where and params["fts"] == '"门户网"'
    where, params = site_query._where("门户", False)
    assert "LIKE" in where and "MATCH" not in where

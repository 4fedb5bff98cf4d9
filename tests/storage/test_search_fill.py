"""A bulk import fills the search index with FTS5's merging off, and puts the default back (issue 12)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from wbtest import make_ctx
from wbtest import record as _record
from workbench.domain.progress import Cancelled
from workbench.domain.site import Domain
from workbench.services import campaigns, sites
from workbench.storage import site_repo, site_stream
from workbench.storage.connection import transaction


def record(n: int):
    """wbtest.record for any ``n`` (its approval day is the day of the month)."""
    return replace(_record(n % 28 + 1), source_row=n + 1, site_filing_no=f"鲁ICP备12345678号-{n}",
                   site_name=f"网站{n}", domains=(Domain(f"site{n}.com", f"site{n}.com"),),
                   homepage=f"https://site{n}.com/")


def _automerge(conn):
    row = conn.execute("SELECT v FROM site_search_config WHERE k = 'automerge'").fetchone()
    return row[0] if row else None


@pytest.mark.parametrize("streamed", [True, False])
def test_bulk_writers_put_merging_back_and_find_every_site(conn, monkeypatch, streamed):
    monkeypatch.setattr(site_repo, "BULK_MIN_SITES", 10)
    monkeypatch.setattr(site_stream, "BULK_MIN_SITES", 10)
    seen = []
    real = site_repo.search_fill_begin

    def begin(c):
        real(c)
        seen.append(_automerge(c))
    monkeypatch.setattr(site_repo, "search_fill_begin", begin)
    monkeypatch.setattr(site_stream, "search_fill_begin", begin)
    ctx = make_ctx(conn)
    campaign = campaigns.create_campaign(ctx, "检索")
    records = [record(n) for n in range(1, 301)]
    with transaction(conn):
        if streamed:
            writer = site_stream.SiteListWriter(conn, campaign.id, ctx.author)
            writer.expect(len(records))
            writer.put(records[:150])
            writer.put(records[150:])
            writer.finish(len(records), {})   # site count, late flags (none here)
        else:
            site_repo.store_site_list(conn, campaign.id, records, ctx.author)
    assert seen == [0]                                   # off while filling
    assert _automerge(conn) == site_repo.AUTOMERGE_DEFAULT
    assert sites.count(ctx, campaign.id, "site123.com") == 1
    assert sites.count(ctx, campaign.id, "网站2") == 111    # 网站2, 网站20–29, 网站200–299
    conn.execute("INSERT INTO site_search (site_search) VALUES ('integrity-check')")


def test_a_bulk_import_rolled_back_leaves_the_setting_as_it_was(conn, monkeypatch):
    monkeypatch.setattr(site_repo, "BULK_MIN_SITES", 10)
    ctx = make_ctx(conn)
    campaign = campaigns.create_campaign(ctx, "回滚")

    def cancelled(*_a):
        raise Cancelled()
    monkeypatch.setattr(site_repo, "_update_sponsors", cancelled)
    with pytest.raises(Cancelled), transaction(conn):
        site_repo.store_site_list(conn, campaign.id, [record(n) for n in range(1, 51)], ctx.author)
    assert _automerge(conn) is None

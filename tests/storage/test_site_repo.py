"""Storing site lists: sponsors keep their first row's values; re-storing is idempotent."""

from __future__ import annotations

from wbtest import AUTHOR, make_ctx, record
from workbench.services import campaigns
from workbench.storage.connection import transaction
from workbench.storage.site_repo import store_site_list


def test_disagreeing_rows_of_one_sponsor_keep_the_first_and_report_no_change(conn):
    ctx = make_ctx(conn)
    campaign = campaigns.create_campaign(ctx, "甲")
    rows = [record(1, org="济南海岳科技有限公司"), record(2, org="济南海岳科技公司（错）", uscc="91370102MA3C8XYZ2X")]
    with transaction(conn):
        first = store_site_list(conn, campaign.id, rows, AUTHOR)
    assert len(first.added) == 2
    names = [r[0] for r in conn.execute("SELECT name FROM sponsor")]
    assert names == ["济南海岳科技有限公司"]
    with transaction(conn):
        again = store_site_list(conn, campaign.id, rows, AUTHOR)
    assert again.unchanged == 2 and not again.changed

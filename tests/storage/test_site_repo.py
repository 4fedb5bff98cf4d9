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


def test_filter_finds_every_searchable_field(conn):
    from workbench.domain.site import Domain
    from workbench.storage import site_query

    ctx = make_ctx(conn)
    campaign = campaigns.create_campaign(ctx, "乙")
    rows = [record(1, domains=(Domain("海岳.中国", "xn--njtz30b.xn--fiqs8s"),)), record(2, org="青岛星河有限公司",
                                                                                   subject="鲁ICP备87654321号")]
    with transaction(conn):
        store_site_list(conn, campaign.id, rows, AUTHOR)
    for text, expected in [("海岳.中国", 1), ("XN--NJTZ30B", 1), ("星河", 1), ("91370102MA3C8XYZ1X".lower(), 2),
                           ("icp备87654321", 1), ("阿里云", 2), ("济南市", 2), ("100%", 0), ("_", 0)]:
        assert site_query.count_sites(conn, campaign.id, text) == expected, text
        assert len(site_query.page_sites(conn, campaign.id, text=text)) == expected, text


def test_upgrade_fills_the_search_column_of_existing_sites(tmp_path):
    import shutil

    from workbench.paths import migrations_dir
    from workbench.storage import migrate, site_query
    from workbench.storage.connection import connect

    old = tmp_path / "v3"
    old.mkdir()
    for f in sorted(migrations_dir().glob("000[123]_*.sql")):
        shutil.copy(f, old / f.name)
    conn = connect(tmp_path / "old.db")
    migrate.migrate(conn, directory=old)
    ctx = make_ctx(conn)
    campaign = campaigns.create_campaign(ctx, "旧库")
    now = "2026-01-01T00:00:00+00:00"
    conn.execute("INSERT INTO sponsor (id, campaign_id, name, uscc, created_at, updated_at) VALUES"
                 " ('p', ?, '淄博旧单位', '91370302008B2YR15M', ?, ?)", (campaign.id, now, now))
    conn.execute("INSERT INTO site (id, campaign_id, sponsor_id, site_filing_no, created_at, updated_at)"
                 " VALUES ('s', ?, 'p', '鲁ICP备11111111号-1', ?, ?)", (campaign.id, now, now))
    conn.execute("INSERT INTO site_domain (id, site_id, domain, ascii) VALUES ('d', 's', 'old.cn', 'old.cn')")
    assert migrate.migrate(conn) >= 1
    for text in ("淄博旧单位", "old.cn", "11111111", "b2yr15m"):
        assert site_query.count_sites(conn, campaign.id, text) == 1, text


def test_search_terms_are_tidied_as_stored_values_were(conn):
    """Issue 9: ＩＣＰ typed in full width finds 鲁ICP备…; invisible characters do not stop a match."""
    from workbench.storage import site_query

    ctx = make_ctx(conn)
    campaign = campaigns.create_campaign(ctx, "丙")
    with transaction(conn):
        store_site_list(conn, campaign.id, [record(1), record(2, org="青岛星河有限公司", subject="鲁ICP备87654321号")],
                        AUTHOR)
    for text, expected in [("ＩＣＰ", 2), ("ｉｃｐ备８７６５４３２１", 1), ("星\u200b河", 1), ("\u202e星河", 1),
                           ("　星河　", 1)]:
        assert site_query.count_sites(conn, campaign.id, text) == expected, text

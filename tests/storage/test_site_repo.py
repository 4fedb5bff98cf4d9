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


def _schema(conn):
    return sorted(tuple(r) for r in conn.execute("SELECT type, name, tbl_name, sql FROM sqlite_master WHERE sql IS NOT NULL"))


def test_bulk_store_sets_indexes_aside_and_ends_with_the_same_schema(conn, monkeypatch):
    """Issue 12: many new sites are indexed once after the rows, not row by row; the search
    index, first domain, sort indexes and schema come out as the row-by-row path leaves them."""
    from workbench.storage import bulk, site_query, site_repo

    ctx = make_ctx(conn)
    campaign = campaigns.create_campaign(ctx, "批量")
    schema = _schema(conn)
    dropped = []
    real = bulk.deferred

    def watch(c, *names):
        dropped.extend(names)
        return real(c, *names)

    monkeypatch.setattr(site_repo, "deferred", watch)
    monkeypatch.setattr(site_repo, "BULK_MIN_SITES", 2)
    rows = [record(n, subject=f"鲁ICP备{10000000 + n}号", org=f"单位{n}") for n in range(1, 7)]
    with transaction(conn):
        report = store_site_list(conn, campaign.id, rows, AUTHOR)
    assert len(report.added) == 6
    assert "site_search_insert" in dropped and "site_campaign_domain" in dropped
    assert _schema(conn) == schema
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.execute("INSERT INTO site_search(site_search) VALUES ('integrity-check')")   # raises if out of step
    assert site_query.count_sites(conn, campaign.id, "site3.com") == 1
    assert site_query.count_sites(conn, campaign.id, "单位5") == 1
    firsts = {r[0] for r in conn.execute("SELECT first_domain FROM site")}
    assert firsts == {f"site{n}.com" for n in range(1, 7)}
    # a small list afterwards goes row by row through the triggers, and finds the same
    dropped.clear()
    with transaction(conn):
        store_site_list(conn, campaign.id, [*rows, record(7, subject="鲁ICP备10000007号", org="单位7")], AUTHOR)
    assert not dropped
    assert site_query.count_sites(conn, campaign.id, "site7.com") == 1
    assert conn.execute("SELECT first_domain FROM site WHERE site_filing_no LIKE '%10000007号-7'").fetchone()[0] \
        == "site7.com"


def test_failed_bulk_store_leaves_schema_and_rows_as_they_were(conn, monkeypatch):
    from workbench.storage import site_repo

    ctx = make_ctx(conn)
    campaign = campaigns.create_campaign(ctx, "批量失败")
    schema = _schema(conn)
    monkeypatch.setattr(site_repo, "BULK_MIN_SITES", 2)

    def boom(*args, **kwargs):
        raise OSError("磁盘已满")

    monkeypatch.setattr(site_repo, "_update_sponsors", boom)
    rows = [record(n, subject=f"鲁ICP备{10000000 + n}号") for n in range(1, 5)]
    try:
        with transaction(conn):
            store_site_list(conn, campaign.id, rows, AUTHOR)
    except OSError:
        pass
    else:
        raise AssertionError("the failure must propagate")
    assert _schema(conn) == schema
    assert conn.execute("SELECT count(*) FROM site").fetchone()[0] == 0


def test_reimport_compares_with_the_stored_values_not_with_the_last_list(conn):
    """A site changed in the database since the last import (e.g. by a merged work package) is
    compared afresh: the digest is computed from the stored row, never kept from the last list."""
    ctx = make_ctx(conn)
    campaign = campaigns.create_campaign(ctx, "比对")
    rows = [record(1), record(2), record(3)]
    with transaction(conn):
        store_site_list(conn, campaign.id, rows, AUTHOR)
    conn.execute("UPDATE site SET contact_phone = '13800000000' WHERE site_filing_no LIKE '%-2'")
    conn.execute("UPDATE site SET present = 0 WHERE site_filing_no LIKE '%-3'")
    with transaction(conn):
        again = store_site_list(conn, campaign.id, rows, AUTHOR)
    assert list(again.changed) == ["鲁ICP备12345678号-2"]
    assert again.changed["鲁ICP备12345678号-2"]["contact_phone"] == ["13800000000", "13900000000"]
    assert again.unchanged == 2 and not again.missing
    assert conn.execute("SELECT min(present) FROM site").fetchone()[0] == 1
    assert conn.execute("SELECT contact_phone FROM site WHERE site_filing_no LIKE '%-2'").fetchone()[0] \
        == "13900000000"


def test_unchanged_sites_are_not_written_again(conn):
    ctx = make_ctx(conn)
    campaign = campaigns.create_campaign(ctx, "不写")
    rows = [record(1), record(2)]
    with transaction(conn):
        store_site_list(conn, campaign.id, rows, AUTHOR)
    before = conn.total_changes
    with transaction(conn):
        again = store_site_list(conn, campaign.id, rows, AUTHOR)
    assert again.unchanged == 2
    assert conn.total_changes == before


def test_new_ids_are_uuid4_text():
    import uuid

    from workbench.storage.records import new_ids

    ids = new_ids(500)
    assert len(set(ids)) == 500
    for text in ids:
        parsed = uuid.UUID(text)
        assert str(parsed) == text and parsed.version == 4 and parsed.variant == uuid.RFC_4122

"""Importing site lists into a campaign: counts, re-import change reports, all-or-nothing storing."""

from __future__ import annotations

import json
import threading

import pytest

from wbtest import make_ctx
from workbench.domain.progress import Cancelled
from workbench.errors import InputFileError
from workbench.services import campaigns, site_import, sites


@pytest.fixture
def ctx(conn):
    return make_ctx(conn)


def _table_counts(conn):
    return {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
            for t in ("site", "sponsor", "site_domain", "import_run", "import_problem")}


@pytest.mark.parametrize("name", ["site_list_clean.xlsx", "site_list_2026Q4_messy.xlsx",
                                  "site_list_2026Q4_messy.xls", "site_list_gb18030.csv"])
def test_samples_store_the_expected_counts(ctx, samples, name):
    expected = json.loads((samples / "expected.json").read_text(encoding="utf-8"))[name]
    campaign = campaigns.create_campaign(ctx, "导入测试")
    report = site_import.import_site_list(ctx, campaign.id, samples / name)
    assert report.summary["sites"] == expected["sites"]
    assert report.summary["domains"] == expected["domains"]
    assert report.summary["added"] == expected["sites"]
    assert sites.count(ctx, campaign.id) == expected["sites"]
    stored_domains = ctx.conn.execute("SELECT count(DISTINCT domain) FROM site_domain").fetchone()[0]
    assert stored_domains == expected["domains"]
    if "rejected_rows" in expected:
        assert report.summary["rejected_rows"] == expected["rejected_rows"]


def test_messy_sample_values_read_back_through_sites_listing(ctx, samples):
    expected = json.loads((samples / "expected.json").read_text(encoding="utf-8"))["site_list_2026Q4_messy.xlsx"]
    campaign = campaigns.create_campaign(ctx, "导入测试")
    site_import.import_site_list(ctx, campaign.id, samples / "site_list_2026Q4_messy.xlsx")
    stored = {s["site_filing_no"]: s for s in sites.export_sites(ctx, campaign.id)}
    for want in expected["canonical"]:
        got = stored[want["icp_site"]]
        assert got["subject_filing_no"] == want["icp_subject"]
        assert got["sponsor_name"] == want["org"]
        assert sorted(got["domains"]) == sorted(want["domains"])
        assert got["contact_phone"] == want["phone"]
        assert got["approved_on"] == want["approved_on"]
    for bad in expected["invalid_uscc"]:
        assert "uscc_check_digit" in stored[bad]["flags"]


def test_reimport_reports_changes_and_keeps_reviews(ctx, samples, tmp_path):
    from openpyxl import load_workbook

    campaign = campaigns.create_campaign(ctx, "导入测试")
    site_import.import_site_list(ctx, campaign.id, samples / "site_list_clean.xlsx")
    wb = load_workbook(samples / "site_list_clean.xlsx")
    ws = wb.active
    ws.cell(row=2, column=14).value = "13811112222"   # 联系电话 of the first site changes
    ws.delete_rows(3)                                  # the second site disappears
    changed = tmp_path / "改过的名单.xlsx"
    wb.save(changed)
    again = site_import.import_site_list(ctx, campaign.id, changed)
    assert again.summary["added"] == 0
    assert again.summary["changed"] == 1
    assert again.summary["missing"] == 1
    assert again.summary["unchanged"] == 198
    (no, diff), = again.changes.changed.items()
    assert diff["contact_phone"][1] == "13811112222"
    assert sites.count(ctx, campaign.id) == 200   # the missing site is kept, marked absent


def test_unreadable_file_and_cancel_leave_database_untouched(ctx, samples, tmp_path):
    campaign = campaigns.create_campaign(ctx, "导入测试")
    site_import.import_site_list(ctx, campaign.id, samples / "site_list_gb18030.csv")
    before = _table_counts(ctx.conn)
    broken = tmp_path / "坏文件.xlsx"
    broken.write_bytes(b"PK\x03\x04 this is not really a zip")
    with pytest.raises(InputFileError) as err:
        site_import.import_site_list(ctx, campaign.id, broken)
    assert "坏文件.xlsx" in str(err.value)
    cancel = threading.Event()
    cancel.set()
    with pytest.raises(Cancelled):
        site_import.import_site_list(ctx, campaign.id, samples / "site_list_clean.xlsx", cancel=cancel)
    assert _table_counts(ctx.conn) == before


def test_failure_while_storing_rolls_back(ctx, samples, monkeypatch):
    from workbench.storage import import_run_repo

    campaign = campaigns.create_campaign(ctx, "导入测试")

    def boom(*args, **kwargs):
        raise OSError("磁盘已满")

    monkeypatch.setattr(import_run_repo, "record_run", boom)
    with pytest.raises(OSError):
        site_import.import_site_list(ctx, campaign.id, samples / "site_list_clean.xlsx")
    assert _table_counts(ctx.conn)["site"] == 0


def test_confirmed_mapping_is_remembered_for_the_same_header(ctx, tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["编号", "单位", "许可号码", "站点"])   # headers the synonym table does not know
    ws.append([1, "济南海岳科技有限公司", "鲁ICP备12345678号-1", "haiyue.com"])
    path = tmp_path / "自制名单.xlsx"
    wb.save(path)
    campaign = campaigns.create_campaign(ctx, "映射测试")
    guessed = site_import.preview(ctx, path)
    assert "site_filing_no" not in guessed.mapping.values()
    mapping = {1: "sponsor_name", 2: "site_filing_no", 3: "domains"}
    first = site_import.import_site_list(ctx, campaign.id, path, mapping=mapping)
    assert first.summary["sites"] == 1
    assert site_import.preview(ctx, path).mapping == mapping
    ws.append([2, "青岛星河有限公司", "鲁ICP备87654321号-1", "xinghe.cn"])
    wb.save(path)
    again = site_import.import_site_list(ctx, campaign.id, path)   # no mapping given: remembered
    assert again.summary["added"] == 1 and again.summary["unchanged"] == 1
    stored = {s["site_filing_no"]: s for s in sites.export_sites(ctx, campaign.id)}
    assert stored["鲁ICP备87654321号-1"]["domains"] == ["xinghe.cn"]


def test_sponsor_keeps_a_valid_uscc_when_its_first_row_has_a_bad_one(ctx, samples):
    """In the messy sample some sponsors' first row carries a USCC failing its check digit while a
    later row of the same subject has a valid one: the valid one is stored."""
    from stdnum.cn import uscc as rules

    from workbench.importers.site_list import read_site_list

    campaign = campaigns.create_campaign(ctx, "导入测试")
    site_import.import_site_list(ctx, campaign.id, samples / "site_list_2026Q4_messy.xlsx")
    # a first import keeps no records (issue 12): the file's records as the reader gives them
    records = read_site_list(samples / "site_list_2026Q4_messy.xlsx").records
    valid_in_file: dict[str, set] = {}
    for rec in records:
        if rules.is_valid(rec.uscc):
            valid_in_file.setdefault(rec.subject_filing_no, set()).add(rec.uscc)
    stored = {s["site_filing_no"]: s for s in sites.export_sites(ctx, campaign.id)}
    mixed = 0
    for rec in records:
        if rec.subject_filing_no in valid_in_file:
            assert stored[rec.site_filing_no]["uscc"] in valid_in_file[rec.subject_filing_no], rec.site_filing_no
            mixed += not rules.is_valid(rec.uscc)
    assert mixed >= 1, "the sample has a sponsor whose rows disagree on the USCC"


def test_import_run_records_the_hash_of_the_bytes_read(ctx, samples):
    import hashlib

    campaign = campaigns.create_campaign(ctx, "哈希")
    site_import.import_site_list(ctx, campaign.id, samples / "site_list_clean.xlsx")
    stored = ctx.conn.execute("SELECT file_sha256 FROM import_run").fetchone()[0]
    assert stored == hashlib.sha256((samples / "site_list_clean.xlsx").read_bytes()).hexdigest()


def _stored(conn):
    """Everything an import stores about sites, without ids and times."""
    sites = sorted(tuple(r) for r in conn.execute(
        "SELECT s.site_filing_no, s.subject_filing_no, s.name, s.homepage, s.access_provider, s.ip, s.contact_name,"
        " s.contact_phone, s.email, s.approved_on, s.psb_filing_no, s.city, s.remark, s.flags, s.source_row,"
        " s.present, s.search_text, s.sort_sponsor, s.flag_count, s.first_domain,"
        " p.name, p.nature, p.uscc, p.subject_filing_no, p.city FROM site s JOIN sponsor p ON p.id = s.sponsor_id"))
    domains = sorted(tuple(r) for r in conn.execute(
        "SELECT s.site_filing_no, d.domain, d.ascii, d.position FROM site_domain d JOIN site s ON s.id = d.site_id"))
    return sites, domains, conn.execute("SELECT count(*) FROM sponsor").fetchone()[0]


def _schema(conn):
    return sorted(tuple(r) for r in conn.execute("SELECT type, name, sql FROM sqlite_master WHERE sql IS NOT NULL"))


def test_streamed_import_stores_what_reading_first_stores(ctx, samples, tmp_path, monkeypatch):
    """Issue 12: into an empty campaign the sites are written while the file is read (with the
    indexes set aside); the database ends exactly as when the list is read first and then stored."""
    from workbench.storage import site_stream
    from workbench.storage.database import open_database

    monkeypatch.setattr(site_stream, "BULK_MIN_SITES", 1)
    schema = _schema(ctx.conn)
    started = []
    real_start = site_stream.SiteListWriter._start
    monkeypatch.setattr(site_stream.SiteListWriter, "_start", lambda self: started.append(1) or real_start(self))
    campaign = campaigns.create_campaign(ctx, "流式")
    streamed = site_import.import_site_list(ctx, campaign.id, samples / "site_list_2026Q4_messy.xlsx")
    assert started, "an empty campaign is written while the list is read"
    assert _schema(ctx.conn) == schema
    ctx.conn.execute("INSERT INTO site_search(site_search) VALUES ('integrity-check')")
    other = make_ctx(open_database(tmp_path / "other.sqlite3"))
    monkeypatch.setattr(site_stream, "campaign_is_empty", lambda *args: False)
    campaign_b = campaigns.create_campaign(other, "先读后存")
    read_first = site_import.import_site_list(other, campaign_b.id, samples / "site_list_2026Q4_messy.xlsx")
    assert streamed.summary == read_first.summary
    assert _stored(ctx.conn) == _stored(other.conn)
    assert sites.count(ctx, campaign.id, "icp") == sites.count(other, campaign_b.id, "icp") > 0
    other.close()


def _long_list(tmp_path, rows=1600):
    path = tmp_path / "长名单.csv"
    lines = ["网站备案号,网站名称,主办单位名称,网站域名"]
    lines += [f"鲁ICP备{10000000 + i}号-1,网站{i},单位{i},site{i}.example.cn" for i in range(rows)]
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def test_cancel_or_a_failed_write_while_streaming_leaves_nothing(ctx, tmp_path, monkeypatch):
    from workbench.storage import bulk, site_stream

    monkeypatch.setattr(site_stream, "BULK_MIN_SITES", 1)
    campaign = campaigns.create_campaign(ctx, "中途取消")
    before, schema = _table_counts(ctx.conn), _schema(ctx.conn)
    cancel = threading.Event()
    seen = []

    def progress(p):
        seen.append(p)
        if len(seen) == 3:   # two chunks handed to the writer already
            cancel.set()

    with pytest.raises(Cancelled):
        site_import.import_site_list(ctx, campaign.id, _long_list(tmp_path), cancel=cancel, on_progress=progress)
    assert _table_counts(ctx.conn) == before and _schema(ctx.conn) == schema

    def boom(*args, **kwargs):
        raise OSError("磁盘已满")

    monkeypatch.setattr(site_stream, "insert_many", boom)
    with pytest.raises(OSError):
        site_import.import_site_list(ctx, campaign.id, _long_list(tmp_path))
    assert _table_counts(ctx.conn) == before and _schema(ctx.conn) == schema
    monkeypatch.setattr(site_stream, "insert_many", bulk.insert_many)
    report = site_import.import_site_list(ctx, campaign.id, _long_list(tmp_path))
    assert report.summary["added"] == 1600 and sites.count(ctx, campaign.id, "site1599.example") == 1

"""RowImporter details: row-level codes and their order, cached columns, the collector pause."""

from __future__ import annotations

import gc

import pytest

from workbench.domain.site import Domain
from workbench.importers.rows import PROGRESS_EVERY, RowImporter
from workbench.importers.site_list import read_site_list

HEADERS = ("主办单位名称", "统一社会信用代码", "主体备案号", "网站备案号", "网站域名", "网站首页网址", "地市")
MAPPING = {0: "sponsor_name", 1: "uscc", 2: "subject_filing_no", 3: "site_filing_no", 4: "domains",
           5: "homepage", 6: "city"}


def _run(rows):
    return RowImporter(HEADERS, MAPPING).run([list(r) for r in rows], 2, len(rows) + 1)


def test_problems_follow_column_order_then_row_level_codes():
    row = ["甲", "9137130214578N7G70", "鲁ICP备11111111号", "鲁ICP备12345678-1", "", "", "济南市"]
    out = _run([row])
    record = out.records["鲁ICP备12345678号-1"]
    expected = ("uscc_check_digit", "icp_missing_hao", "subject_mismatch", "domain_missing")
    assert record.flags == expected
    columns = [HEADERS[i] for i in (1, 3, 2, 4)]
    assert [(p.code, p.column) for p in out.problems] == list(zip(expected, columns, strict=True))
    assert record.subject_filing_no == "鲁ICP备12345678号"


def test_subject_cell_with_the_sites_own_number_or_blank_is_no_mismatch():
    rows = [["甲", "", "鲁ICP备12345678号-1", "鲁ICP备12345678号-2", "a.cn", "", ""],
            ["乙", "", "", "鲁ICP备22345678号-1", "b.cn", "", ""],
            ["丙", "", "不详", "鲁ICP备32345678号-1", "c.cn", "", ""]]
    out = _run(rows)
    assert [r.flags for r in out.records.values()] == [(), (), ("subject_no_invalid",)]


def test_homepage_fills_missing_domains_and_the_first_url_fills_a_missing_homepage():
    rows = [["甲", "", "", "鲁ICP备12345678号-1", "", "https://www.a.cn/", ""],
            ["乙", "", "", "鲁ICP备22345678号-1", "HTTP://WWW.B.CN/x；m.b.cn", "", ""]]
    first, second = _run(rows).records.values()
    assert (first.domains, first.homepage, first.flags) == ((Domain("a.cn", "a.cn"),), "https://www.a.cn/",
                                                           ("domain_from_homepage",))
    assert (second.domains, second.homepage, second.flags) == (
        (Domain("b.cn", "b.cn"), Domain("m.b.cn", "m.b.cn")), "HTTP://WWW.B.CN/x", ())


def test_rejected_rows_get_site_no_missing_only_without_another_error():
    rows = [["甲", "", "", "", "a.cn", "", ""], ["乙", "", "", "鲁B2-20190001", "b.cn", "", ""]]
    out = _run(rows)
    assert out.rejected_rows == [2, 3] and out.records == {}
    assert [(p.row, p.code) for p in out.problems] == [(2, "site_no_missing"), (3, "site_no_is_licence")]


def test_cached_columns_stay_right_past_the_point_the_cache_gives_up():
    count = 4 * PROGRESS_EVERY + 7
    rows = [[f"单位{n}", "", "", f"鲁ICP备{10000000 + n}号-1", f"s{n}.cn", "", ("济南市", "\xa0青岛市 ")[n % 2]]
            for n in range(count)]
    out = _run(rows)
    records = list(out.records.values())
    assert len(records) == count
    assert [r.sponsor_name for r in records[-3:]] == [f"单位{n}" for n in range(count - 3, count)]
    assert {r.city for r in records} == {"济南市", "青岛市"}


def test_line_breaks_and_full_width_digits_are_cleaned_on_import(tmp_path, make_xlsx):
    rows = [["网站备案号", "网站域名", "统一社会信用代码", "联系电话", "电子邮箱", "IP地址"],
            ["鲁ICP备１２３４５６７８号-1\n", "a.com\n", "91110108551385082Q\n", "13500007610\n",
             "a@b.com\n", "1.2.3.4\n"]]
    record = read_site_list(make_xlsx(tmp_path / "nl.xlsx", {"S": rows})).records[0]
    assert (record.site_filing_no, record.domains, record.uscc) == (
        "鲁ICP备12345678号-1", (Domain("a.com", "a.com"),), "91110108551385082Q")
    assert (record.contact_phone, record.email, record.ip, record.flags) == (
        "13500007610", "a@b.com", "1.2.3.4", ())


@pytest.mark.parametrize("enabled", [True, False])
def test_collector_is_left_as_found(tmp_path, make_xlsx, simple_rows, enabled):
    path = make_xlsx(tmp_path / "gc.xlsx", {"S": simple_rows})
    was_enabled, frozen = gc.isenabled(), gc.get_freeze_count()
    (gc.enable if enabled else gc.disable)()
    try:
        assert len(read_site_list(path).records) == 3
        assert gc.isenabled() is enabled
        assert gc.get_freeze_count() == frozen
    finally:
        (gc.enable if was_enabled else gc.disable)()


def test_objects_the_application_froze_stay_frozen(tmp_path, make_xlsx, simple_rows):
    path = make_xlsx(tmp_path / "frozen.xlsx", {"S": simple_rows})
    gc.freeze()
    try:
        frozen = gc.get_freeze_count()
        read_site_list(path)
        assert gc.get_freeze_count() == frozen and gc.isenabled()
    finally:
        gc.unfreeze()

"""Every shared sample imports to exactly the counts and canonical values in expected.json."""

from __future__ import annotations

import json

import pytest

from workbench.importers.site_list import read_site_list

SAMPLES = ["site_list_clean.xlsx", "site_list_2026Q4_messy.xlsx", "site_list_2026Q4_messy.xls",
           "site_list_gb18030.csv"]
COUNTS = {
    "header_row": "header_row", "data_rows": "data_rows", "sites": "sites", "domains": "domains",
    "subjects": "subjects", "exact_duplicate_rows": "duplicate_rows",
    "conflicting_rows": "conflict_rows", "rejected_rows": "rejected_rows",
}


def _expected(samples):
    return json.loads((samples / "expected.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", SAMPLES)
def test_counts_match_expected(samples, name):
    want = _expected(samples)[name]
    result = read_site_list(samples / name)
    summary = result.summary()
    for key, ours in COUNTS.items():
        if key in want:
            assert summary[ours] == want[key], key
    if "blank_rows_between_data" in want:
        assert len(result.blank_rows) == want["blank_rows_between_data"]
    if want.get("total_row_ignored"):
        assert result.total_row is not None
        assert result.total_row not in result.rejected_rows
    assert result.format == name.rsplit(".", 1)[1]
    errors = {p.row for p in result.problems if p.severity == "error"}
    assert errors == set(result.rejected_rows)


@pytest.mark.parametrize("name", ["site_list_2026Q4_messy.xlsx", "site_list_2026Q4_messy.xls"])
def test_every_canonical_value_reads_back(samples, name):
    want = _expected(samples)[name]
    records = {r.site_filing_no: r for r in read_site_list(samples / name).records}
    bad_uscc = set(want["invalid_uscc"])
    assert len(want["canonical"]) == len(records)
    for site in want["canonical"]:
        record = records[site["icp_site"]]
        assert record.subject_filing_no == site["icp_subject"]
        assert record.sponsor_name == site["org"]
        assert [d.name for d in record.domains] == site["domains"]
        assert record.contact_phone == site["phone"]
        assert record.approved_on.isoformat() == site["approved_on"]
        if site["icp_site"] in bad_uscc:
            # The file holds the code with a wrong check character; expected.json gives the
            # right one. The import keeps what was filed and flags it.
            assert record.uscc[:17] == site["uscc"][:17]
            assert record.uscc != site["uscc"]
        else:
            assert record.uscc == site["uscc"]


@pytest.mark.parametrize("name", ["site_list_2026Q4_messy.xlsx", "site_list_2026Q4_messy.xls"])
def test_invalid_uscc_rows_carry_the_warning(samples, name):
    want = _expected(samples)[name]
    result = read_site_list(samples / name)
    flagged = {r.site_filing_no for r in result.records if "uscc_check_digit" in r.flags}
    assert flagged == set(want["invalid_uscc"])
    problems = [p for p in result.problems if p.code == "uscc_check_digit"]
    assert len(problems) == len(want["invalid_uscc"])
    assert all(p.column == "统一社会信用代码" and p.severity == "warning" for p in problems)


def test_idn_sites_store_punycode_too(samples):
    result = read_site_list(samples / "site_list_2026Q4_messy.xlsx")
    record = next(r for r in result.records if r.site_filing_no == "鲁ICP备10624710号-1")
    assert [(d.name, d.ascii) for d in record.domains] == [("海岳宏图.网络", "xn--wcs19h9yar40c.xn--io0a7i")]


def test_messy_problem_rows_and_columns(samples):
    result = read_site_list(samples / "site_list_2026Q4_messy.xlsx")
    assert result.rejected_rows == (313,)
    assert result.total_row == 314
    missing = [p for p in result.problems if p.code == "site_no_missing"]
    assert [(p.row, p.column, p.severity) for p in missing] == [(313, "网站备案号", "error")]
    no_hao = next(p for p in result.problems if p.code == "icp_missing_hao")
    assert (no_hao.row, no_hao.column, no_hao.value) == (39, "网站备案号", "鲁ICP备2022873237-1")
    conflict = next(p for p in result.problems if p.code == "conflicting_row")
    assert conflict.row in result.conflict_rows and "网站首页网址" in conflict.message


def test_csv_sample_keeps_the_quoted_comma(samples):
    result = read_site_list(samples / "site_list_gb18030.csv")
    record = next(r for r in result.records if r.site_filing_no == "鲁ICP备12062570号-2")
    assert record.site_name == "孙娟志的门户网站，含逗号,的名称"  # as written: punctuation kept
    assert record.sponsor_name == "孙娟志"

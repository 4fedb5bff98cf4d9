"""read_site_list and preview_site_list on small workbooks the tests write themselves."""

from __future__ import annotations

import threading
from datetime import date, datetime

import pytest

from workbench.domain.progress import Cancelled
from workbench.domain.site import Domain
from workbench.errors import InputFileError
from workbench.importers.site_list import FIELD_LABELS, preview_site_list, read_site_list


def test_header_below_title_rows_and_total_row(tmp_path, make_xlsx, simple_rows):
    rows = [["2026年核查名单"], ["填报单位：某市  导出时间：2026-11-20"], *simple_rows[:2], [],
            *simple_rows[2:], [], ["合计：3 条"], []]
    result = read_site_list(make_xlsx(tmp_path / "a.xlsx", {"名单": rows}))
    assert (result.header_row, result.data_rows, result.total_row) == (3, 3, 9)
    assert result.blank_rows == (5,)
    assert result.headers[4] == "网站备案号"
    assert result.mapping[0] == "serial" and result.mapping[4] == "site_filing_no"
    assert [r.source_row for r in result.records] == [4, 6, 7]


def test_two_row_header_under_merged_groups(tmp_path, make_xlsx):
    rows = [
        ["序号", "主体信息", None, None, "网站信息", None, None],
        [None, "名称", "性质", "证件号", "名称", "备案号", "域名"],
        [1, "济南市教育局", "政府机关", "1137010290K6RTJ16H", "教育局官网", "鲁ICP备17279291号-1", "xinwo.com.cn"],
    ]
    path = make_xlsx(tmp_path / "b.xlsx", {"Sheet1": rows}, merges={"Sheet1": ["A1:A2", "B1:D1", "E1:G1"]})
    result = read_site_list(path)
    assert result.header_row == 2
    assert result.mapping == {0: "serial", 1: "sponsor_name", 2: "sponsor_nature", 3: "uscc",
                              4: "site_name", 5: "site_filing_no", 6: "domains"}
    assert result.headers[1] == "主体信息/名称"
    record = result.records[0]
    assert (record.sponsor_name, record.site_name, record.uscc) == ("济南市教育局", "教育局官网", "1137010290K6RTJ16H")


def test_header_text_with_spaces_line_breaks_and_notes(tmp_path, make_xlsx):
    rows = [["开办单位", "网站\n备案号", "网 址（必填）", "负责人\u3000手机号码", "接入商"],
            ["某公司", "鲁ICP备12345678号-1", "a.com", "13700008555", "阿里云"]]
    result = read_site_list(make_xlsx(tmp_path / "c.xlsx", {"S": rows}))
    assert result.mapping == {0: "sponsor_name", 1: "site_filing_no", 2: "domains",
                              3: "contact_phone", 4: "access_provider"}


def test_hidden_sheet_is_not_chosen_by_default(tmp_path, make_xlsx, simple_rows):
    other = [simple_rows[0], simple_rows[1]]
    path = make_xlsx(tmp_path / "d.xlsx", {"旧名单": other, "说明": [["填表说明"]], "名单": simple_rows},
                     hidden=("旧名单",))
    result = read_site_list(path)
    assert result.sheet == "名单" and len(result.records) == 3
    assert len(read_site_list(path, sheet="旧名单").records) == 1
    preview = preview_site_list(path)
    assert preview.sheets == ("旧名单", "说明", "名单")
    assert preview.hidden_sheets == ("旧名单",)


def test_unknown_sheet_and_no_header(tmp_path, make_xlsx, simple_rows):
    path = make_xlsx(tmp_path / "e.xlsx", {"说明": [["只有说明"], ["没有表头"]]})
    with pytest.raises(InputFileError, match="找不到表头"):
        read_site_list(path)
    with pytest.raises(InputFileError, match="没有名为“无此表”的工作表"):
        read_site_list(make_xlsx(tmp_path / "f.xlsx", {"名单": simple_rows}), sheet="无此表")


def test_missing_site_number_column_is_an_input_error(tmp_path, make_xlsx):
    rows = [["主办单位名称", "网站域名", "联系电话"], ["某公司", "a.com", "13700008555"]]
    with pytest.raises(InputFileError, match="网站备案号"):
        read_site_list(make_xlsx(tmp_path / "g.xlsx", {"S": rows}))


def test_cell_distortions_normalise(tmp_path, make_xlsx):
    header = ["主办单位名称", "统一社会信用代码", "网站备案号", "网站域名", "网站首页网址", "联系电话",
              "审核通过日期", "公安备案号", "备注"]
    rows = [header,
            ["\xa0某 公司  ", "91110108551385082q", "鲁ＩＣＰ备１２３４５６７８号－１", "HTTP://WWW.A.COM/x",
             "", 13500007610.0, 42750.0, "鲁公网安备37010202000001号", "第一行\n第二行"],
            ["乙", "", "鲁icp备12345678号-2", "b.cn；c.cn、海岳宏图.网络", "", "+86 134 0000 6384",
             datetime(2019, 3, 5), "", ""],
            ["丙", "", "鲁ICP备2022873237-1", "", "https://www.d.net/", "0531-83028078", "2019年3月5日",
             "", ""]]
    records = read_site_list(make_xlsx(tmp_path / "h.xlsx", {"S": rows})).records
    first, second, third = records
    assert (first.sponsor_name, first.uscc, first.site_filing_no) == ("某 公司", "91110108551385082Q", "鲁ICP备12345678号-1")
    assert first.domains == (Domain("a.com", "a.com"),) and first.homepage == "HTTP://WWW.A.COM/x"
    assert (first.contact_phone, first.approved_on) == ("13500007610", date(2017, 1, 15))
    assert (first.psb_filing_no, first.remark) == ("鲁公网安备 37010202000001号", "第一行 第二行")
    assert first.subject_filing_no == "鲁ICP备12345678号" and first.flags == ()
    assert [d.ascii for d in second.domains] == ["b.cn", "c.cn", "xn--wcs19h9yar40c.xn--io0a7i"]
    assert (second.contact_phone, second.approved_on) == ("13400006384", date(2019, 3, 5))
    assert third.site_filing_no == "鲁ICP备2022873237号-1"
    assert third.domains == (Domain("d.net", "d.net"),)
    assert third.flags == ("icp_missing_hao", "domain_from_homepage")


def test_long_numbers_are_flagged_as_excel_rounded(tmp_path, make_xlsx):
    rows = [["主办单位名称", "证件号码", "网站备案号", "网站域名"],
            ["张三", 370102199001011000.0, "鲁ICP备12345678号-1", "a.com"]]
    result = read_site_list(make_xlsx(tmp_path / "i.xlsx", {"S": rows}))
    problem = next(p for p in result.problems if p.code == "excel_precision")
    assert (problem.row, problem.column, problem.value) == (2, "证件号码", "370102199001011008")
    assert "excel_precision" in result.records[0].flags


def test_rejected_duplicate_and_conflicting_rows(tmp_path, make_xlsx, simple_rows):
    header, row_1, row_2, row_3 = simple_rows
    licence = [9, "某公司", "企业", "", "鲁B2-20190001", "x.com", "", ""]
    suffixless = [10, "某公司", "企业", "", "鲁ICP备17653152号", "y.com", "", ""]
    conflict = [11, *row_2[1:5], "other.com", *row_2[6:]]
    rows = [header, row_1, row_2, [4, *row_1[1:]], row_3, licence, suffixless, conflict, [12, "", "", "", "", "", "", ""]]
    result = read_site_list(make_xlsx(tmp_path / "j.xlsx", {"S": rows}))
    assert result.duplicate_rows == (4,)
    assert result.rejected_rows == (6, 7)
    assert result.conflict_rows == (8,)
    codes = {p.row: p.code for p in result.problems}
    assert codes == {4: "duplicate_row", 6: "site_no_is_licence", 7: "site_no_without_suffix", 8: "conflicting_row"}
    assert next(p for p in result.problems if p.row == 6).column == "网站备案号"
    kept = {r.site_filing_no: r for r in result.records}
    assert "conflicting_row" in kept["鲁ICP备17653152号-1"].flags
    assert result.data_rows == 7  # row 9 holds only a 序号: a pre-numbered blank line
    assert result.blank_rows == ()


def test_summary_shape(tmp_path, make_xlsx, simple_rows):
    summary = read_site_list(make_xlsx(tmp_path / "k.xlsx", {"S": simple_rows})).summary()
    assert {k: v for k, v in summary.items() if k != "problems"} == {
        "header_row": 1, "data_rows": 3, "sites": 3, "domains": 3, "subjects": 2,
        "duplicate_rows": 0, "conflict_rows": 0, "rejected_rows": 0,
    }
    assert summary["problems"] == []


def test_subject_column_mismatch_is_flagged(tmp_path, make_xlsx):
    rows = [["主体备案号", "网站备案号", "网站域名"],
            ["鲁ICP备11111111号", "鲁ICP备12345678号-1", "a.com"]]
    record = read_site_list(make_xlsx(tmp_path / "l.xlsx", {"S": rows})).records[0]
    assert record.subject_filing_no == "鲁ICP备12345678号"
    assert "subject_mismatch" in record.flags


def test_unrecognised_header_can_be_mapped_by_hand(tmp_path, make_xlsx):
    rows = [[], ["单位", "号码", "网", "随便"], ["某公司", "鲁ICP备12345678号-1", "a.com", "x"]]
    path = make_xlsx(tmp_path / "m.xlsx", {"S": rows})
    with pytest.raises(InputFileError, match="找不到表头"):
        read_site_list(path)
    preview = preview_site_list(path)
    assert (preview.header_row, preview.headers, preview.mapping) == (2, ("单位", "号码", "网", "随便"), {})
    result = read_site_list(path, mapping={0: "sponsor_name", 1: "site_filing_no", 2: "domains"})
    assert (result.header_row, result.records[0].sponsor_name) == (2, "某公司")
    assert result.records[0].domains == (Domain("a.com", "a.com"),)
    with pytest.raises(InputFileError, match="对应了多列"):
        read_site_list(path, mapping={0: "site_filing_no", 1: "site_filing_no"})
    with pytest.raises(InputFileError, match="列对应关系有误"):
        read_site_list(path, mapping={0: "no_such_field"})


def test_progress_and_cancel(tmp_path, make_xlsx, simple_rows):
    rows = [simple_rows[0]] + [[n, "某公司", "企业", "", f"鲁ICP备{10000000 + n}号-1", f"s{n}.com", "", ""]
                               for n in range(1, 1201)]
    path = make_xlsx(tmp_path / "n.xlsx", {"S": rows})
    seen = []
    result = read_site_list(path, on_progress=seen.append)
    assert len(result.records) == 1200
    assert [p.done for p in seen] == [1, 501, 1001]
    assert all(p.total == 1201 for p in seen)
    cancel = threading.Event()
    cancel.set()
    with pytest.raises(Cancelled):
        read_site_list(path, cancel=cancel)


def test_preview_rows_and_labels(tmp_path, make_xlsx, simple_rows):
    rows = [["名单"], *simple_rows[:2], [], *simple_rows[2:]]
    preview = preview_site_list(make_xlsx(tmp_path / "o.xlsx", {"S": rows}), rows=2)
    assert preview.format == "xlsx" and preview.header_row == 2
    assert preview.rows == (
        ("1", "淄博海岳科技有限公司", "企业", "91370302008B2YR15M", "鲁ICP备12897588号-1", "sdqddong.net",
         "13700008555", "2020-10-25"),
        ("2", "周军建", "个人", "", "鲁ICP备17653152号-1", "defengan.net.cn", "13900007164", "2021-06-25"),
    )
    assert set(preview.mapping.values()) <= set(FIELD_LABELS)
    assert FIELD_LABELS["site_filing_no"] == "网站备案号"
